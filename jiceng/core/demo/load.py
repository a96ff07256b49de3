"""Loading the demo district: the core's steps, then every registered app part."""

import time
from dataclasses import dataclass, field
from functools import partial
from typing import TextIO

from django.db import transaction
from django.db.models import Count

from ..audit import audit_record
from ..models import Area, AreaKind, PartyOrg, Person, Post
from .accounts import PASSWORD, Login, sync_accounts
from .areas import DISTRICT_CODE, import_official, official_units, plan_areas, sync_areas
from .geometry import apply_geometry, plan_geometry, sync_aliases, sync_geometry
from .party import ROOT_PATH, plan_party, sync_party
from .people import plan_people, sync_people, sync_posts
from .registry import demo_parts

CORE_STEPS = 6
COUNT_LABELS = {
    "streets": "街道",
    "communities": "社区",
    "villages": "村",
    "grids": "网格",
    "compounds": "小区",
    "buildings": "楼栋",
    "people": "人员",
    "posts": "职务",
    "party_orgs": "党组织",
}


@dataclass
class DemoSummary:
    counts: dict[str, int]
    created: dict[str, int]
    logins: list[Login] = field(default_factory=list)
    password: str = PASSWORD

    @property
    def created_total(self) -> int:
        return sum(self.created.values())


def demo_counts() -> dict[str, int]:
    """Rows of each kind in the demo district (zero before it exists)."""
    kinds = dict(
        Area.objects.subtree(DISTRICT_CODE).values_list("kind").annotate(n=Count("id")).order_by()
    )
    in_district = {"area__code__gte": DISTRICT_CODE, "area__code__lt": DISTRICT_CODE + ":"}
    return {
        "streets": kinds.get(AreaKind.STREET, 0),
        "communities": kinds.get(AreaKind.COMMUNITY, 0),
        "villages": kinds.get(AreaKind.VILLAGE, 0),
        "grids": kinds.get(AreaKind.GRID, 0),
        "compounds": kinds.get(AreaKind.COMPOUND, 0),
        "buildings": kinds.get(AreaKind.BUILDING, 0),
        "people": Person.objects.filter(**in_district).count(),
        "posts": Post.objects.filter(
            person__area__code__gte=DISTRICT_CODE, person__area__code__lt=DISTRICT_CODE + ":"
        ).count(),
        "party_orgs": PartyOrg.objects.subtree(ROOT_PATH).count(),
    }


class _Progress:
    def __init__(self, stdout: TextIO, steps: int):
        self.stdout = stdout
        self.steps = steps
        self.started = time.monotonic()

    def step(self, n: int, text: str, created: int) -> None:
        seconds = time.monotonic() - self.started
        self.stdout.write(
            f"[{n}/{self.steps}] {text}（新建 {created:,} 条，累计 {seconds:.1f} 秒）\n"
        )


def load_demo(*, stdout: TextIO) -> DemoSummary:
    """Build the demo district, creating only what is missing, in one transaction.

    Raises ``DemoError`` (nothing written) when the divisions files are missing or do not
    import cleanly, or when a planned party path is taken by another organization.
    """
    parts = demo_parts()
    progress = _Progress(stdout, CORE_STEPS + len(parts))
    with transaction.atomic():
        before = demo_counts()
        created: dict[str, int] = {}

        created["areas"] = import_official()
        district, streets, units = official_units()
        communities = sum(1 for u in units if u.kind == AreaKind.COMMUNITY)
        progress.step(
            1,
            f"区划：{len(streets)} 个街道、{len(units)} 个社区和村"
            f"（{communities} 个社区、{len(units) - communities} 个村）",
            created["areas"],
        )

        areas = plan_areas(units)
        geometry = plan_geometry([s.code for s in streets], units, areas)
        created.update(sync_areas(areas, locate=partial(apply_geometry, geo=geometry)))
        located = sync_geometry(geometry)
        created["aliases"] = sync_aliases(geometry)
        progress.step(
            2,
            f"网格：{len(areas.grids):,} 个网格、{len(areas.compounds):,} 个小区、"
            f"{len(areas.buildings):,} 栋楼，补充边界和坐标 {located:,} 处、"
            f"小区别名 {len(geometry.aliases):,} 个",
            created["grids"] + created["compounds"] + created["buildings"] + created["aliases"],
        )

        party = plan_party(district, streets, units)
        org_ids, party_created = sync_party(party)
        created.update(party_created)
        progress.step(
            3,
            f"党组织：{len(party.orgs)} 个（含玉符泉源联合党委、红盟兴业党建联合体）",
            party_created["party_orgs"],
        )

        people = plan_people(streets, units, areas, party)
        person_ids, created["people"] = sync_people(people)
        progress.step(4, f"人员：{len(people.people):,} 人", created["people"])

        created["posts"] = sync_posts(people, person_ids, org_ids)
        progress.step(5, f"职务：{len(people.posts):,} 个", created["posts"])

        logins, account_created = sync_accounts(person_ids, people.accounts)
        created.update(account_created)
        progress.step(6, f"账号：{len(logins)} 个演示账号", account_created["users"])

        for n, part in enumerate(parts, start=CORE_STEPS + 1):
            created[part.key] = part.func()
            progress.step(n, part.label, created[part.key])

        after = demo_counts()
        summary = DemoSummary(counts=after, created=created, logins=logins)
        if summary.created_total:
            changes = {
                "created": {k: v for k, v in created.items() if v},
                "before": before,
                "after": after,
            }
            audit_record(
                actor=None, action="demo.load", object_repr="市中区演示数据", changes=changes
            )
    return summary
