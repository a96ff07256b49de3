"""Loading the rural demo rows planned in ``plan.py``."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q

from jiceng.core.demo.areas import DISTRICT_CODE
from jiceng.core.demo.common import REFERENCE_DATE, chunked
from jiceng.core.demo.party import (
    CONSORTIUM_FOUNDED,
    CONSORTIUM_NAME,
    CONSORTIUM_STRONG,
    CONSORTIUM_WEAK,
)
from jiceng.core.demo.people import FIRST_SECRETARY_VILLAGE
from jiceng.core.models import Area, AreaKind, Person, Post, PostTitle, User
from jiceng.core.services import post_create
from jiceng.party.models import PartyOrg, PartyOrgKind

from ..models import (
    AllianceMember,
    AttendanceStatus,
    CollectiveIncome,
    Contribution,
    FirstSecretary,
    Milestone,
    Pairing,
    PairingKind,
    Project,
    ProjectEvent,
    ProjectEventKind,
    ProjectStatus,
    ServiceAlliance,
    Supporter,
    TrainingAttendance,
    TrainingSession,
    Village,
)
from .plan import (
    CONSORTIUM_PROJECTS,
    CONTRIBUTIONS,
    PROJECT_NAMES,
    RNG,
    SUPPORTERS,
    TRAINING_TOPICS,
    DispatchPlan,
    RuralPlan,
    VillageUnit,
    money,
    plan_rural,
    training_days,
)

BATCH = 1000
ALLIANCES = (
    ("党家片区第一书记服务联盟", "370103021", date(2022, 5, 20), "玉符河沿线村抱团发展生态农业"),
    ("陡沟片区第一书记服务联盟", "370103022", date(2022, 5, 26), "对接红盟兴业党建联合体联产项目"),
    (
        "南部山区片区第一书记服务联盟",
        DISTRICT_CODE,
        date(2022, 6, 8),
        "十六里河、兴隆两街道山区村联学联建",
    ),
)
ALLIANCE_STREETS = {
    "党家片区第一书记服务联盟": ("370103021",),
    "陡沟片区第一书记服务联盟": ("370103022",),
    "南部山区片区第一书记服务联盟": ("370103019", "370103020"),
}
MILESTONES = (
    ("前期谋划", 1, (("可行性论证", 1), ("村民代表会议表决", 1))),
    ("建设实施", 3, (("主体施工", 2), ("设备安装调试", 1))),
    ("投产运营", 2, ()),
)


def _villages() -> list[VillageUnit]:
    rows = (
        Area.objects.subtree(DISTRICT_CODE)
        .filter(kind=AreaKind.VILLAGE)
        .values_list("code", "name", "parent__code", "households")
        .order_by("code")
    )
    return [VillageUnit(c, n, p, h or 500) for c, n, p, h in rows]


def _sync_villages(plan: RuralPlan, areas: dict[str, Area]) -> int:
    present = set(Village.objects.filter(area__in=areas.values()).values_list("area_id", flat=True))
    rows = [
        Village(
            area=areas[p.code],
            population=p.population,
            land_area_mu=p.land_area_mu,
            arable_land_mu=p.arable_land_mu,
            demonstration_level=p.demonstration_level,
            demonstration_year=p.demonstration_year,
        )
        for p in plan.profiles
        if areas[p.code].pk not in present
    ]
    Village.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _sync_incomes(plan: RuralPlan, areas: dict[str, Area]) -> int:
    present = set()
    for chunk in chunked([a.pk for a in areas.values()]):
        present.update(
            CollectiveIncome.objects.filter(area_id__in=chunk).values_list(
                "area_id", "year", "source"
            )
        )
    rows = [
        CollectiveIncome(
            area=areas[line.code],
            year=line.year,
            source=line.source,
            model=line.model,
            amount=line.amount,
        )
        for line in plan.incomes
        if (areas[line.code].pk, line.year, line.source) not in present
    ]
    CollectiveIncome.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _sync_supporters() -> tuple[dict[str, Supporter], int]:
    codes = {code or DISTRICT_CODE for _, _, code, _, _ in SUPPORTERS}
    areas = {a.code: a for a in Area.objects.filter(code__in=codes)}
    found = {s.name: s for s in Supporter.objects.filter(name__in=[s[0] for s in SUPPORTERS])}
    created = 0
    for name, kind, code, contact, note in SUPPORTERS:
        if name not in found:
            found[name] = Supporter.objects.create(
                name=name,
                kind=kind,
                area=areas[code or DISTRICT_CODE],
                contact_name=contact,
                note=note,
            )
            created += 1
    return found, created


# ---- first secretaries ----------------------------------------------------------------------


def _candidates() -> list[tuple[Person, date]]:
    """Street staff without a login, with the day their staff post began (their only post
    in the core demo), in a stable order."""
    with_login = set(User.objects.filter(person__isnull=False).values_list("person_id", flat=True))
    posts = (
        Post.objects.filter(title=PostTitle.STREET_STAFF, area__code__startswith=DISTRICT_CODE)
        .select_related("person", "area")
        .order_by("area__code", "starts_on", "person__name", "person__id_number_index")
    )
    return [(p.person, p.starts_on) for p in posts if p.person_id not in with_login]


def _dispatch_people(plan: RuralPlan) -> dict[int, Person]:
    rng = random.Random(f"{RNG}:people")
    candidates = _candidates()
    taken: set[int] = set()
    chosen = {}
    for d in plan.dispatches:
        if d.code == FIRST_SECRETARY_VILLAGE:
            post = (
                Post.objects.filter(
                    title=PostTitle.FIRST_SECRETARY, area__code=FIRST_SECRETARY_VILLAGE
                )
                .select_related("person")
                .order_by("starts_on", "id")
                .first()
            )
            chosen[d.index] = post.person
            continue
        # Only someone in post before the dispatch, so that no earlier post looks like a
        # promotion.
        pool = [p for p, since in candidates if since < d.starts_on and p.pk not in taken]
        person = rng.choice(pool)
        taken.add(person.pk)
        chosen[d.index] = person
    return chosen


def _sync_dispatches(
    plan: RuralPlan, areas: dict[str, Area]
) -> tuple[dict[int, FirstSecretary], int]:
    """A dispatch's natural key is its village and start day. People are drawn only when
    the plan's dispatches are not all there yet: later demo parts create accounts for some
    street staff, which would change the draw on a second run."""
    present = {
        (f.area_id, f.starts_on): f
        for f in FirstSecretary.objects.filter(
            area__in=[areas[d.code] for d in plan.dispatches]
        ).select_related("person__area")
    }
    keys = {d.index: (areas[d.code].pk, d.starts_on) for d in plan.dispatches}
    if all(k in present for k in keys.values()):
        people = {i: present[k].person for i, k in keys.items()}
    else:
        people = _dispatch_people(plan)
    created = 0
    dispatches = {}
    orgs = {
        o.area_id: o
        for o in PartyOrg.objects.filter(kind=PartyOrgKind.WORKING_COMMITTEE).select_related("area")
    }
    for d in plan.dispatches:
        village = areas[d.code]
        row = present.get(keys[d.index])
        person = row.person if row else people[d.index]
        if row is None:
            unit = "市中区委组织部" if person.area_id == village.pk else f"{person.area.name}办事处"
            row = FirstSecretary.objects.create(
                person=person,
                area=village,
                sending_unit=unit,
                starts_on=d.starts_on,
                ends_on=d.ends_on,
            )
            created += 1
        dispatches[d.index] = row
        if not Post.objects.filter(
            person=person, title=PostTitle.FIRST_SECRETARY, area=village
        ).exists():
            post_create(
                by=None,
                person=person,
                title=PostTitle.FIRST_SECRETARY,
                area=village,
                starts_on=d.starts_on,
                ends_on=d.ends_on,
            )
            created += 1
        if d.promoted_on is not None:
            created += _promote(person, d, orgs)
    return dispatches, created


def _promote(person: Person, d: DispatchPlan, orgs: dict[int, PartyOrg]) -> int:
    """A later post: member of the working committee of the person's street (or of the
    village's street when the person belongs to the village)."""
    street_id = person.area_id if person.area.kind == AreaKind.STREET else person.area.parent_id
    org = orgs[street_id]
    if Post.objects.filter(person=person, title=PostTitle.ORG_MEMBER, party_org=org).exists():
        return 0
    post_create(
        by=None,
        person=person,
        title=PostTitle.ORG_MEMBER,
        party_org=org,
        starts_on=d.promoted_on,
    )
    return 1


# ---- projects -------------------------------------------------------------------------------


def _months(since: date) -> float:
    return (REFERENCE_DATE - since).days / 30.4


def _project_state(introduced_on: date) -> tuple[str, dict[str, int]]:
    months = _months(introduced_on)
    progress = {
        "可行性论证": 100 if months >= 1 else 60,
        "村民代表会议表决": 100 if months >= 2 else 0,
        "主体施工": max(0, min(100, round((months - 2) * 12))),
        "设备安装调试": max(0, min(100, round((months - 8) * 20))),
        "投产运营": max(0, min(100, round((months - 12) * 25))),
    }
    if progress["投产运营"] >= 50:
        return ProjectStatus.OPERATING, progress
    if months >= 2:
        return ProjectStatus.BUILDING, progress
    return ProjectStatus.PLANNED, progress


def _create_project(
    *, area, name, partner, supporter, dispatch, introduced_on, model, money_drawn
) -> int:
    """Create the project with its milestones and timeline. ``money_drawn`` is
    (investment, income contribution), drawn by the caller whether or not the project
    exists, so that the random sequence does not depend on the database."""
    status, progress = _project_state(introduced_on)
    investment, income = money_drawn
    project = Project.objects.create(
        area=area,
        name=name,
        partner=partner,
        supporter=supporter,
        first_secretary=dispatch,
        introduced_on=introduced_on,
        investment=investment,
        income_contribution=income,
        model=model,
        status=status,
        description=f"{area.name}{name}项目，总投资 {investment / 10_000:.0f} 万元。",
    )
    rows = 1
    for position, (title, weight, children) in enumerate(MILESTONES, start=1):
        own = progress.get(title, 0)
        parent = Milestone.objects.create(
            project=project,
            name=title,
            weight=weight,
            position=position,
            progress=own,
            planned_on=introduced_on + timedelta(days=120 * position),
            done_on=introduced_on + timedelta(days=420) if not children and own == 100 else None,
        )
        rows += 1
        for child_position, (child, child_weight) in enumerate(children, start=1):
            value = progress[child]
            Milestone.objects.create(
                project=project,
                parent=parent,
                name=child,
                weight=child_weight,
                position=child_position,
                progress=value,
                done_on=introduced_on + timedelta(days=40 * child_position * position)
                if value == 100
                else None,
            )
            rows += 1
    events = [(introduced_on, ProjectEventKind.CREATED, f"登记项目“{name}”")]
    if status != ProjectStatus.PLANNED:
        events.append(
            (introduced_on + timedelta(days=61), ProjectEventKind.STATUS, "状态：谋划中 → 建设中")
        )
    if status == ProjectStatus.OPERATING:
        events.append(
            (
                introduced_on + timedelta(days=420),
                ProjectEventKind.STATUS,
                "状态：建设中 → 已投运",
            )
        )
    done = Milestone.objects.filter(project=project, done_on__isnull=False).order_by("done_on")
    events += [(m.done_on, ProjectEventKind.PROGRESS, f"节点“{m.name}”完成") for m in done]
    for day, kind, text in events:
        ProjectEvent.objects.create(project=project, happened_on=day, kind=kind, text=text)
    return rows + len(events)


def _draw_money(rng: random.Random) -> tuple[Decimal, Decimal]:
    return money(rng.randint(30, 600) * 10_000), money(rng.randint(2, 30) * 10_000)


def _sync_projects(
    plan: RuralPlan,
    areas: dict[str, Area],
    dispatches: dict[int, FirstSecretary],
    supporters: dict[str, Supporter],
) -> int:
    rng = random.Random(f"{RNG}:projects")
    names = list(PROJECT_NAMES)
    present = set(Project.objects.filter(area__in=areas.values()).values_list("area_id", "name"))
    supporter_list = [supporters[s[0]] for s in SUPPORTERS]
    created = 0
    for d in plan.dispatches:
        dispatch = dispatches[d.index]
        last = min(dispatch.ends_on, REFERENCE_DATE)
        picks = rng.sample(names, d.projects)
        for name, model in picks:
            span = (last - dispatch.starts_on).days
            introduced_on = dispatch.starts_on + timedelta(days=rng.randint(30, span - 20))
            supporter = rng.choice(supporter_list) if rng.random() < 0.5 else None
            partner = supporter.name if supporter else f"{areas[d.code].name}股份经济合作社"
            drawn = _draw_money(rng)
            if (dispatch.area_id, name) in present:
                continue
            created += _create_project(
                area=areas[d.code],
                name=name,
                partner=partner,
                supporter=supporter,
                dispatch=dispatch,
                introduced_on=introduced_on,
                model=model,
                money_drawn=drawn,
            )
    for code, name, supporter_name, model in CONSORTIUM_PROJECTS:
        drawn = _draw_money(rng)
        if (areas[code].pk, name) in present:
            continue
        created += _create_project(
            area=areas[code],
            name=name,
            partner=supporter_name,
            supporter=supporters[supporter_name],
            dispatch=None,
            introduced_on=CONSORTIUM_FOUNDED + timedelta(days=45),
            model=model,
            money_drawn=drawn,
        )
    return created


def _sync_contributions(areas: dict[str, Area], supporters: dict[str, Supporter]) -> int:
    rng = random.Random(f"{RNG}:contributions")
    codes = sorted(areas)
    present = set(
        Contribution.objects.filter(supporter__in=supporters.values()).values_list(
            "supporter_id", "area_id", "given_on", "kind"
        )
    )
    created = 0
    for name, *_ in SUPPORTERS:
        supporter = supporters[name]
        street = supporter.area.code if supporter.area.kind == AreaKind.STREET else ""
        pool = [c for c in codes if c.startswith(street)] if street else codes
        for _ in range(rng.randint(2, 4)):
            code = rng.choice(pool)
            kind, text = rng.choice(CONTRIBUTIONS)
            given_on = date(2022, 1, 1) + timedelta(days=rng.randint(0, 900))
            amount = money(rng.randint(2, 80) * 10_000) if kind in ("funds", "goods") else None
            key = (supporter.pk, areas[code].pk, given_on, kind)
            if key in present:
                continue
            present.add(key)
            Contribution.objects.create(
                supporter=supporter,
                area=areas[code],
                kind=kind,
                amount=amount,
                description=text,
                given_on=given_on,
            )
            created += 1
    return created


# ---- trainings, alliances, pairings ---------------------------------------------------------


def _sync_trainings(dispatches: dict[int, FirstSecretary]) -> int:
    rng = random.Random(f"{RNG}:training")
    district = Area.objects.get(code=DISTRICT_CODE)
    days = training_days()
    sessions = {
        s.held_on: s for s in TrainingSession.objects.filter(area=district, held_on__in=days)
    }
    created = 0
    for n, day in enumerate(days):
        if day not in sessions:
            sessions[day] = TrainingSession.objects.create(
                area=district,
                held_on=day,
                topic=TRAINING_TOPICS[n % len(TRAINING_TOPICS)],
                location="市中区党群服务中心" if n % 3 else "区委党校",
                hours=Decimal(2),
            )
            created += 1
    present = set(
        TrainingAttendance.objects.filter(session__in=sessions.values()).values_list(
            "session_id", "first_secretary_id"
        )
    )
    rows = []
    for day in days:
        session = sessions[day]
        for d in sorted(dispatches.values(), key=lambda d: d.pk):
            draw = rng.random()
            if not d.in_office_on(day) or (session.pk, d.pk) in present:
                continue
            if draw < 0.9:
                status = AttendanceStatus.PRESENT
            elif draw < 0.97:
                status = AttendanceStatus.LEAVE
            else:
                status = AttendanceStatus.ABSENT
            rows.append(TrainingAttendance(session=session, first_secretary=d, status=status))
    TrainingAttendance.objects.bulk_create(rows, batch_size=BATCH)
    return created + len(rows)


def _sync_alliances(dispatches: dict[int, FirstSecretary]) -> int:
    areas = {a.code: a for a in Area.objects.filter(code__in=[a[1] for a in ALLIANCES])}
    created = 0
    for name, code, founded_on, description in ALLIANCES:
        alliance = ServiceAlliance.objects.filter(name=name).first()
        if alliance is None:
            alliance = ServiceAlliance.objects.create(
                name=name, area=areas[code], founded_on=founded_on, description=description
            )
            created += 1
        members = sorted(
            (d for d in dispatches.values() if d.area.code[:9] in ALLIANCE_STREETS[name]),
            key=lambda d: (d.starts_on, d.area.code),
        )
        present = set(
            AllianceMember.objects.filter(alliance=alliance).values_list(
                "first_secretary_id", flat=True
            )
        )
        for n, d in enumerate(members):
            if d.pk not in present:
                AllianceMember.objects.create(
                    alliance=alliance,
                    first_secretary=d,
                    is_leader=n == 0,
                    joined_on=max(d.starts_on, founded_on),
                )
                created += 1
    return created


def _sync_pairings(areas: dict[str, Area]) -> int:
    consortium = PartyOrg.objects.filter(name=CONSORTIUM_NAME, kind=PartyOrgKind.CONSORTIUM).first()
    if consortium is None:
        return 0
    members = sorted(CONSORTIUM_STRONG + CONSORTIUM_WEAK, key=lambda c: -areas[c].households)
    pairs = [
        (PairingKind.STRONG_WEAK, strong, weak, "联营项目带动、统一对接市场")
        for strong, weak in zip(CONSORTIUM_STRONG, CONSORTIUM_WEAK, strict=True)
    ] + [
        (PairingKind.BIG_SMALL, members[0], members[-1], "共享农机和仓储、联合用工"),
        (PairingKind.BIG_SMALL, members[1], members[-2], "共享农机和仓储、联合用工"),
    ]
    present = set(
        Pairing.objects.filter(group=consortium).values_list("kind", "leading_id", "paired_id")
    )
    created = 0
    for kind, leading, paired, note in pairs:
        key = (kind, areas[leading].pk, areas[paired].pk)
        if key in present or leading == paired:
            continue
        present.add(key)
        Pairing.objects.create(
            group=consortium,
            kind=kind,
            leading=areas[leading],
            paired=areas[paired],
            started_on=CONSORTIUM_FOUNDED + timedelta(days=14),
            note=note,
        )
        created += 1
    return created


def load_rural_demo() -> int:
    """Create what is missing of the rural demo; return how many rows were created."""
    villages = _villages()
    if not villages:
        return 0
    plan = plan_rural(villages)
    areas = {
        a.code: a
        for a in Area.objects.filter(
            Q(code__in=[v.code for v in villages]) | Q(kind=AreaKind.STREET)
        ).select_related("parent")
    }
    created = _sync_villages(plan, areas)
    created += _sync_incomes(plan, areas)
    supporters, n = _sync_supporters()
    created += n
    dispatches, n = _sync_dispatches(plan, areas)
    created += n
    created += _sync_projects(plan, areas, dispatches, supporters)
    created += _sync_contributions({c: a for c, a in areas.items() if len(c) == 12}, supporters)
    created += _sync_trainings(dispatches)
    created += _sync_alliances(dispatches)
    created += _sync_pairings(areas)
    return created
