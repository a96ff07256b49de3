"""The demo's party organizations: the district committee, a 党工委 per street, a 党委 per
community, a 党支部 per village, the 玉符泉源 joint committee and the 红盟兴业 consortium.

Paths are fixed by the plan (the root is ``0001``; children are numbered in area-code
order), so a second run finds every organization by its path.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..models import PATH_STEP, Area, AreaKind, PartyOrg, PartyOrgKind
from .areas import Unit
from .common import BATCH_SIZE, SEED, DemoError, existing

ROOT_PATH = "1".zfill(PATH_STEP)
ROOT_NAME = "中共济南市市中区委员会"

DANGJIA_STREET = "370103021"
JOINT_COMMITTEE_NAME = "玉符泉源联合党委"
# The article's five villages, in its order: 西东 (西渴马东村), 土屋, 相家(庄), 寨而头, 宅科.
JOINT_VILLAGES = (
    "370103021209",
    "370103021210",
    "370103021211",
    "370103021213",
    "370103021212",
)
JOINT_FOUNDED = date(2021, 11, 18)

DOUGOU_STREET = "370103022"
CONSORTIUM_NAME = "红盟兴业党建联合体"
# Strong and weak villages paired in the consortium ("强村+弱村"); the first three hold the
# article's joint projects (大庙屯 tomatoes, 新平 greenhouses, 小庄 picking and study tours).
CONSORTIUM_STRONG = ("370103022209", "370103022214", "370103022219", "370103022208")
CONSORTIUM_WEAK = ("370103022217", "370103022218", "370103022220", "370103022222")
CONSORTIUM_FOUNDED = date(2022, 6, 28)


@dataclass
class OrgRow:
    path: str
    name: str
    kind: str
    area_code: str
    covered: list[str] = field(default_factory=list)
    founded_on: date | None = None

    @property
    def parent_path(self) -> str | None:
        return self.path[:-PATH_STEP] or None


@dataclass
class PartyPlan:
    orgs: list[OrgRow] = field(default_factory=list)
    # area code of a street, community or village -> path of the organization leading it
    leading: dict[str, str] = field(default_factory=dict)
    joint_path: str = ""
    consortium_path: str = ""


def _child(parent: str, n: int) -> str:
    return parent + str(n).zfill(PATH_STEP)


def _day(rng: random.Random, first_year: int, last_year: int) -> date:
    start = date(first_year, 1, 1)
    return start + timedelta(days=rng.randrange((date(last_year, 12, 31) - start).days))


def _unit_org(rng: random.Random, path: str, unit: Unit) -> OrgRow:
    if unit.kind == AreaKind.COMMUNITY:
        return OrgRow(
            path,
            f"中共{unit.name}委员会",
            PartyOrgKind.COMMITTEE,
            unit.code,
            [unit.code],
            _day(rng, 2001, 2016),
        )
    return OrgRow(
        path,
        f"中共{unit.name}支部委员会",
        PartyOrgKind.BRANCH,
        unit.code,
        [unit.code],
        _day(rng, 1950, 1985),
    )


def plan_party(district: Area, streets: list[Area], units: list[Unit]) -> PartyPlan:
    by_code = {u.code: u for u in units}
    street_codes = {s.code for s in streets}
    wanted = JOINT_VILLAGES + CONSORTIUM_STRONG + CONSORTIUM_WEAK
    missing = [c for c in wanted if c not in by_code]
    missing += [c for c in (DANGJIA_STREET, DOUGOU_STREET) if c not in street_codes]
    if missing:
        raise DemoError(f"区划中缺少联合党委或党建联合体所需的街道或村：{'、'.join(missing)}")

    rng = random.Random(f"{SEED}:party")
    plan = PartyPlan()
    plan.orgs.append(
        OrgRow(ROOT_PATH, ROOT_NAME, PartyOrgKind.COMMITTEE, district.code, [district.code])
    )
    for s, street in enumerate(streets, start=1):
        street_path = _child(ROOT_PATH, s)
        plan.leading[street.code] = street_path
        plan.orgs.append(
            OrgRow(
                street_path,
                f"中共{street.name}工作委员会",
                PartyOrgKind.WORKING_COMMITTEE,
                street.code,
                [street.code],
                _day(rng, 1985, 2012),
            )
        )
        seq = 0
        for unit in units:
            if unit.street_code == street.code and unit.code not in JOINT_VILLAGES:
                seq += 1
                plan.leading[unit.code] = _child(street_path, seq)
                plan.orgs.append(_unit_org(rng, plan.leading[unit.code], unit))
        if street.code == DANGJIA_STREET:
            # The five village branches sit under the joint committee that leads them.
            seq += 1
            plan.joint_path = _child(street_path, seq)
            plan.orgs.append(
                OrgRow(
                    plan.joint_path,
                    JOINT_COMMITTEE_NAME,
                    PartyOrgKind.JOINT_COMMITTEE,
                    street.code,
                    list(JOINT_VILLAGES),
                    JOINT_FOUNDED,
                )
            )
            for v, code in enumerate(JOINT_VILLAGES, start=1):
                plan.leading[code] = _child(plan.joint_path, v)
                plan.orgs.append(_unit_org(rng, plan.leading[code], by_code[code]))
        if street.code == DOUGOU_STREET:
            seq += 1
            plan.consortium_path = _child(street_path, seq)
            plan.orgs.append(
                OrgRow(
                    plan.consortium_path,
                    CONSORTIUM_NAME,
                    PartyOrgKind.CONSORTIUM,
                    street.code,
                    list(CONSORTIUM_STRONG + CONSORTIUM_WEAK),
                    CONSORTIUM_FOUNDED,
                )
            )
    return plan


def sync_party(plan: PartyPlan) -> tuple[dict[str, int], dict[str, int]]:
    """Create the missing organizations (parents first) and coverage links. Returns
    (path -> id of every planned organization, created counts)."""
    names = {o.path: o.name for o in plan.orgs}
    found = existing(PartyOrg, "path", names, "name")
    clashes = [f"{p}（{name}）" for p, (_, name) in found.items() if name != names[p]]
    if clashes:
        raise DemoError(f"党组织路径已被其他党组织占用：{'、'.join(sorted(clashes)[:5])}")
    ids = {path: pk for path, (pk, _) in found.items()}
    areas = existing(Area, "code", {c for o in plan.orgs for c in (o.area_code, *o.covered)})
    created = 0
    for length in sorted({len(o.path) for o in plan.orgs}):
        rows = [
            PartyOrg(
                path=o.path,
                name=o.name,
                kind=o.kind,
                area_id=areas[o.area_code],
                parent_id=ids.get(o.parent_path),
                founded_on=o.founded_on,
            )
            for o in plan.orgs
            if len(o.path) == length and o.path not in ids
        ]
        PartyOrg.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        created += len(rows)
        ids.update(existing(PartyOrg, "path", [r.path for r in rows]))

    through = PartyOrg.covered_areas.through
    links = {(ids[o.path], areas[c]) for o in plan.orgs for c in o.covered}
    present = set(
        through.objects.filter(partyorg_id__in=sorted(ids.values())).values_list(
            "partyorg_id", "area_id"
        )
    )
    new_links = [through(partyorg_id=o, area_id=a) for o, a in sorted(links - present)]
    through.objects.bulk_create(new_links, batch_size=BATCH_SIZE)
    return ids, {"party_orgs": created, "coverage": len(new_links)}
