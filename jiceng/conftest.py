"""Shared fixtures: a small district with two streets, and one account per role.

Street A (大观园) holds community A1 with grid A1-1 and its compound and building; street B
(杆石桥) holds community B1 and village B2. Every role account is scoped inside street A
(except those scoped to the whole district), so rows of street B are out of scope for them.
"""

from dataclasses import dataclass

import pytest
from django.core.cache import caches

from jiceng.appeals import lookups
from jiceng.appeals.routing import reset_index
from jiceng.core.models import Area, AreaKind, PostTitle
from jiceng.core.roles import Role
from jiceng.core.tests.factories import (
    AreaFactory,
    PersonFactory,
    PostFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from jiceng.party.models import PartyOrg, PartyOrgKind

PASSWORD = "Jiceng@2024"


@dataclass
class World:
    district: Area
    street_a: Area
    community_a1: Area
    grid_a1: Area
    compound_a1: Area
    building_a1: Area
    street_b: Area
    community_b1: Area
    village_b2: Area
    grid_b1: Area
    users: dict
    people_a: list
    people_b: list
    orgs_a: list
    orgs_b: list


@pytest.fixture(autouse=True)
def _fresh_process_state():
    """What a process keeps between requests starts empty in every test: the cache (with
    its rate-limit counters), the appeals' lookups and routing index. A test sees nothing
    another test left there, whatever order they run in."""
    for cache in caches.all():
        cache.clear()
    lookups.clear()
    reset_index()


def _area(code, name, kind, parent=None, **kw):
    return AreaFactory(code=code, name=name, kind=kind, parent=parent, **kw)


def _org(name, kind, area, parent=None, path=None):
    return PartyOrg.objects.create(name=name, kind=kind, area=area, parent=parent, path=path)


@pytest.fixture
def world(db) -> World:
    d = _area("370103", "市中区", AreaKind.DISTRICT)
    sa = _area("370103002", "大观园街道", AreaKind.STREET, d)
    ca = _area("370103002003", "睦和苑社区", AreaKind.COMMUNITY, sa, households=3200)
    ga = _area("370103002003001", "睦和苑社区第一网格", AreaKind.GRID, ca, households=420)
    cpa = _area("370103002003001001", "纬二路小区", AreaKind.COMPOUND, ga)
    ba = _area("370103002003001001001", "1号楼", AreaKind.BUILDING, cpa)
    sb = _area("370103003", "杆石桥街道", AreaKind.STREET, d)
    cb = _area("370103003001", "春元里社区", AreaKind.COMMUNITY, sb, households=4100)
    vb = _area("370103003200", "测试村", AreaKind.VILLAGE, sb)
    gb = _area("370103003001001", "春元里社区第一网格", AreaKind.GRID, cb, households=380)

    people_a = [PersonFactory(name="王睦和", area=ca), PersonFactory(name="李网格", area=ga)]
    people_b = [PersonFactory(name="赵春元", area=cb), PersonFactory(name="钱村民", area=vb)]
    PostFactory(person=people_a[0], title=PostTitle.COMMUNITY_SECRETARY, area=ca)
    PostFactory(person=people_a[1], title=PostTitle.GRID_STEWARD, area=ga)
    PostFactory(person=people_b[0], title=PostTitle.COMMUNITY_SECRETARY, area=cb)

    root = _org("市中区委", PartyOrgKind.COMMITTEE, d, path="0001")
    ws_a = _org("大观园街道党工委", PartyOrgKind.WORKING_COMMITTEE, sa, root, "00010001")
    com_a = _org("睦和苑社区党委", PartyOrgKind.COMMITTEE, ca, ws_a, "000100010001")
    ws_b = _org("杆石桥街道党工委", PartyOrgKind.WORKING_COMMITTEE, sb, root, "00010002")
    com_b = _org("春元里社区党委", PartyOrgKind.COMMITTEE, cb, ws_b, "000100020001")
    com_a.covered_areas.set([ca])
    com_b.covered_areas.set([cb])

    scopes = {
        Role.DISTRICT_ADMIN: d,
        Role.STREET_STAFF: sa,
        Role.COMMUNITY_STAFF: ca,
        Role.CHIEF_STEWARD: ca,
        Role.GRID_STEWARD: ga,
        Role.SHARED_STEWARD: ga,
        Role.RIDER: ga,
        Role.FIRST_SECRETARY: ca,
        Role.JUDGE: sa,
        Role.AUDITOR: d,
        Role.SECURITY_ADMIN: d,
    }
    users = {}
    for role, area in scopes.items():
        user = UserFactory(username=f"t_{role}")
        RoleAssignmentFactory(user=user, role=role, area=area)
        users[role] = user
    return World(
        d,
        sa,
        ca,
        ga,
        cpa,
        ba,
        sb,
        cb,
        vb,
        gb,
        users,
        people_a,
        people_b,
        [ws_a, com_a],
        [ws_b, com_b],
    )
