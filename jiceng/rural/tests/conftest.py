"""The rural tests' world: the core's ``world`` plus villages in street A (the core's
fixture has a village only in street B), their teams, a joint committee over two of them,
and accounts of a first secretary and of a village's staff scoped to village A.

Street A (大观园): 睦邻村 A (一肩挑, 示范村 2022), 和平村 A2 (secretary and director
apart, 示范村 2024), 新生村 A3 (no posts, no ledger). Street B (杆石桥): the core's 测试村.
"""

from dataclasses import dataclass
from datetime import date

import pytest

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

from ..models import DemonstrationLevel, Village


@dataclass
class RuralWorld:
    world: object
    village_a: Area
    village_a2: Area
    village_a3: Area
    village_b: Area
    joint: PartyOrg
    users: dict

    def user(self, key):
        return self.users[key]


def _village(code, name, parent):
    return AreaFactory(code=code, name=name, kind=AreaKind.VILLAGE, parent=parent)


@pytest.fixture
def rural(world) -> RuralWorld:
    sa = world.street_a
    a = _village("370103002200", "睦邻村", sa)
    a2 = _village("370103002201", "和平村", sa)
    a3 = _village("370103002202", "新生村", sa)

    lead = PersonFactory(name="甲书记", area=a, birth_date=date(1980, 7, 1))
    member = PersonFactory(name="甲委员", area=a, birth_date=date(1990, 1, 1))
    for title in (PostTitle.VILLAGE_SECRETARY, PostTitle.VILLAGE_DIRECTOR):
        PostFactory(person=lead, title=title, area=a, starts_on=date(2021, 3, 1))
    PostFactory(
        person=member, title=PostTitle.VILLAGE_COMMITTEE_MEMBER, area=a, starts_on=date(2021, 3, 1)
    )
    sec2 = PersonFactory(name="乙书记", area=a2, birth_date=date(1970, 3, 1))
    dir2 = PersonFactory(name="乙主任", area=a2, birth_date=date(1975, 1, 1))
    PostFactory(person=sec2, title=PostTitle.VILLAGE_SECRETARY, area=a2, starts_on=date(2021, 3, 1))
    PostFactory(person=dir2, title=PostTitle.VILLAGE_DIRECTOR, area=a2, starts_on=date(2021, 3, 1))
    Village.objects.create(
        area=a, demonstration_level=DemonstrationLevel.CITY, demonstration_year=2022
    )
    Village.objects.create(
        area=a2, demonstration_level=DemonstrationLevel.PROVINCE, demonstration_year=2024
    )

    joint = PartyOrg.objects.create(
        name="睦和联合党委",
        kind=PartyOrgKind.JOINT_COMMITTEE,
        area=sa,
        parent=world.orgs_a[0],
        path="000100010009",
    )
    joint.covered_areas.set([a, a2])

    users = dict(world.users)
    for key, role, area in (
        ("fs_a", Role.FIRST_SECRETARY, a),
        ("staff_a", Role.COMMUNITY_STAFF, a),
        ("fs_a2", Role.FIRST_SECRETARY, a2),
    ):
        user = UserFactory(username=f"t_{key}")
        RoleAssignmentFactory(user=user, role=role, area=area)
        users[key] = user
    return RuralWorld(world, a, a2, a3, world.village_b2, joint, users)
