"""The demo's people and their posts.

Every street has a 党工委书记 and a few staff; every community a secretary (usually also the
总管家), a deputy, a director, workers, one 网格管家 per grid and a few 共享管家; every village
a secretary and a director (the same person in most villages: 一肩挑) and two or three
committee members, who double as the village's grid stewards. The five villages of the
玉符泉源 joint committee all have 一肩挑 and young teams (average age under 45 on the
reference date). ID numbers are valid GB 11643 numbers (see ``region_code``), consistent
with the birth date and sex, and are stored only encrypted with their blind index.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from stdnum.cn import ric

from ..crypto import blind_index, encrypt
from ..models import Area, AreaKind, Education, Person, PoliticalStatus, Post, PostTitle
from .areas import DISTRICT_CODE, AreaPlan, Unit
from .common import BATCH_SIZE, REFERENCE_DATE, SEED, chunked, existing
from .names import person_name
from .party import (
    CONSORTIUM_FOUNDED,
    CONSORTIUM_STRONG,
    JOINT_FOUNDED,
    JOINT_VILLAGES,
    PartyPlan,
)

# The steward model (总管家—网格管家—共享管家) started on this day; steward posts begin then
# or later.
STEWARDS_FROM = date(2022, 3, 1)
# The 2021 elections of community and village committees (村“两委”换届).
ELECTION = (date(2021, 1, 10), date(2021, 4, 30))
FIRST_SECRETARY_VILLAGE = "370103021210"  # 土屋村
FIRST_SECRETARY_FROM = date(2023, 3, 15)
DEMO_STREET = "370103003"  # 杆石桥街道
DEMO_COMMUNITY = "370103003001"  # 春元里社区
DEMO_GRID = DEMO_COMMUNITY + "001"
DISTRICT_CODE_SINCE = 1983
CITY_CODE = "370100"  # 济南市

MOBILE_PREFIXES = tuple(
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 "
    "159 166 173 175 176 177 178 180 181 182 183 185 186 187 188 189 191 198 199".split()
)


@dataclass(frozen=True)
class Profile:
    ages: tuple[int, int]
    male_share: float
    member_share: float
    education: tuple[tuple[str, int], ...]


E = Education
PROFILES = {
    "street_secretary": Profile(
        (42, 56), 0.75, 1.0, ((E.MASTER, 4), (E.BACHELOR, 5), (E.COLLEGE, 1))
    ),
    "street_staff": Profile((25, 50), 0.5, 0.8, ((E.MASTER, 2), (E.BACHELOR, 6), (E.COLLEGE, 2))),
    "community_secretary": Profile(
        (36, 55), 0.4, 1.0, ((E.MASTER, 1), (E.BACHELOR, 5), (E.COLLEGE, 4))
    ),
    "community_deputy": Profile(
        (30, 48), 0.35, 1.0, ((E.MASTER, 1), (E.BACHELOR, 6), (E.COLLEGE, 3))
    ),
    "community_director": Profile((32, 55), 0.35, 0.85, ((E.BACHELOR, 5), (E.COLLEGE, 5))),
    "community_worker": Profile((24, 45), 0.3, 0.55, ((E.BACHELOR, 6), (E.COLLEGE, 4))),
    "grid_steward": Profile((24, 50), 0.4, 0.5, ((E.BACHELOR, 4), (E.COLLEGE, 5), (E.SENIOR, 1))),
    "shared_steward": Profile(
        (25, 66), 0.55, 0.35, ((E.BACHELOR, 1), (E.COLLEGE, 3), (E.SENIOR, 4), (E.JUNIOR, 2))
    ),
    "village_secretary": Profile(
        (40, 62), 0.9, 1.0, ((E.BACHELOR, 1), (E.COLLEGE, 4), (E.SENIOR, 4), (E.JUNIOR, 2))
    ),
    "village_director": Profile(
        (35, 60), 0.85, 0.7, ((E.COLLEGE, 3), (E.SENIOR, 5), (E.JUNIOR, 2))
    ),
    "village_member": Profile((30, 58), 0.6, 0.6, ((E.COLLEGE, 3), (E.SENIOR, 4), (E.JUNIOR, 3))),
    # 玉符泉源: every age at most 46 (members at most 44), so a team's mean is under 45.
    "joint_secretary": Profile(
        (33, 46), 0.85, 1.0, ((E.BACHELOR, 4), (E.COLLEGE, 5), (E.SENIOR, 1))
    ),
    "joint_member": Profile((28, 44), 0.55, 0.7, ((E.BACHELOR, 3), (E.COLLEGE, 5), (E.SENIOR, 2))),
    "first_secretary": Profile((30, 42), 0.7, 1.0, ((E.MASTER, 5), (E.BACHELOR, 5))),
}
ONE_SHOULDER_SHARE = 0.85


@dataclass
class PersonRow:
    id_number: str
    name: str
    sex: str
    birth_date: date
    phone: str
    education: str
    political_status: str
    party_joined_on: date | None
    area_code: str


@dataclass
class PostRow:
    id_number: str
    title: str
    area_code: str | None
    org_path: str | None
    starts_on: date


@dataclass
class PeoplePlan:
    people: list[PersonRow] = field(default_factory=list)
    posts: list[PostRow] = field(default_factory=list)
    # demo login role -> ID number of the person behind it
    accounts: dict[str, str] = field(default_factory=dict)


def region_code(born: date) -> str:
    """The address code of an ID number for someone born on ``born``.

    python-stdnum (which ``normalize_id_number`` uses) accepts a county's code only for
    births in the years the code existed, and its table dates 市中区 (370103) from 1983;
    older residents get 济南市 (370100), which it accepts for every year, so that every
    demo number can be saved again through the services.
    """
    return DISTRICT_CODE if born.year >= DISTRICT_CODE_SINCE else CITY_CODE


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


class _Generator:
    """Draws people; ID numbers and phones are unique across the whole plan."""

    def __init__(self, plan: PeoplePlan):
        self.plan = plan
        self.ids: set[str] = set()
        self.phones: set[str] = set()

    def person(self, rng: random.Random, profile: str, area_code: str) -> PersonRow:
        p = PROFILES[profile]
        age = rng.randint(*p.ages)
        male = rng.random() < p.male_share
        earliest = add_years(REFERENCE_DATE, -age - 1) + timedelta(days=1)
        born = _between(rng, earliest, add_years(REFERENCE_DATE, -age))
        joined = None
        status = PoliticalStatus.MASSES
        if rng.random() < p.member_share:
            # A post that requires membership goes to someone with years in the party.
            latest = min(age - 3, 35) if p.member_share == 1.0 else min(age - 1, 40)
            joined = add_years(born, rng.randint(19, max(19, latest)))
            joined += timedelta(days=rng.randint(0, 300))
            joined = min(joined, REFERENCE_DATE)
            status = (
                PoliticalStatus.PROBATIONARY
                if joined > REFERENCE_DATE - timedelta(days=365)
                else PoliticalStatus.MEMBER
            )
        elif age < 28 and rng.random() < 0.5:
            status = PoliticalStatus.LEAGUE
        levels, weights = zip(*p.education, strict=True)
        education = rng.choices(levels, weights=weights)[0]
        row = PersonRow(
            id_number=self._id_number(rng, born, male),
            name=person_name(rng, male=male, birth_year=born.year),
            sex="M" if male else "F",
            birth_date=born,
            phone=self._phone(rng),
            education=education,
            political_status=status,
            party_joined_on=joined,
            area_code=area_code,
        )
        self.plan.people.append(row)
        return row

    def _id_number(self, rng: random.Random, born: date, male: bool) -> str:
        # The 17th digit is odd for a man and even for a woman (GB 11643).
        seq = rng.randrange(0, 499) * 2 + (1 if male else 2)
        region = region_code(born)
        while True:
            body = f"{region}{born:%Y%m%d}{seq:03d}"
            # calc_check_digit drops the last character: it expects a placeholder there.
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.ids:
                self.ids.add(number)
                return number
            seq = (seq + 2) % 1000 or (1 if male else 2)

    def _phone(self, rng: random.Random) -> str:
        while True:
            phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def post(
        self,
        person: PersonRow,
        title: str,
        starts_on: date,
        *,
        area: str | None = None,
        org: str | None = None,
    ) -> None:
        self.plan.posts.append(PostRow(person.id_number, title, area, org, starts_on))


def _elected(rng: random.Random) -> date:
    """Most committee posts began at the 2021 elections; some later, filling a vacancy."""
    if rng.random() < 0.8:
        return _between(rng, *ELECTION)
    return _between(rng, ELECTION[1], REFERENCE_DATE)


def _steward_from(rng: random.Random) -> date:
    if rng.random() < 0.7:
        return STEWARDS_FROM
    return _between(rng, STEWARDS_FROM, REFERENCE_DATE)


def _plan_street(gen: _Generator, street_code: str, org_path: str) -> None:
    rng = random.Random(f"{SEED}:people:{street_code}")
    secretary = gen.person(rng, "street_secretary", street_code)
    gen.post(
        secretary,
        PostTitle.STREET_SECRETARY,
        _between(rng, date(2021, 1, 1), date(2023, 12, 31)),
        area=street_code,
        org=org_path,
    )
    for i in range(rng.randint(3, 5)):
        staff = gen.person(rng, "street_staff", street_code)
        gen.post(
            staff,
            PostTitle.STREET_STAFF,
            _between(rng, date(2021, 1, 1), date(2024, 3, 31)),
            area=street_code,
        )
        if street_code == DEMO_STREET and i == 0:
            gen.plan.accounts["street_staff"] = staff.id_number


def _plan_community(gen: _Generator, unit: Unit, org_path: str, grids: list[str]) -> None:
    rng = random.Random(f"{SEED}:people:{unit.code}")
    code = unit.code
    secretary = gen.person(rng, "community_secretary", code)
    gen.post(secretary, PostTitle.COMMUNITY_SECRETARY, _elected(rng), area=code, org=org_path)
    deputy = gen.person(rng, "community_deputy", code)
    gen.post(deputy, PostTitle.COMMUNITY_DEPUTY, _elected(rng), area=code, org=org_path)
    director = gen.person(rng, "community_director", code)
    gen.post(director, PostTitle.COMMUNITY_DIRECTOR, _elected(rng), area=code)
    chief = secretary if rng.random() < 0.85 else deputy
    gen.post(chief, PostTitle.CHIEF_STEWARD, STEWARDS_FROM, area=code)
    for _ in range(rng.randint(3, 6)):
        worker = gen.person(rng, "community_worker", code)
        gen.post(
            worker,
            PostTitle.COMMUNITY_WORKER,
            _between(rng, date(2021, 1, 1), REFERENCE_DATE),
            area=code,
        )
    stewards = []
    for grid in grids:
        steward = gen.person(rng, "grid_steward", grid)
        gen.post(steward, PostTitle.GRID_STEWARD, _steward_from(rng), area=grid)
        stewards.append(steward)
    shared = []
    for i in range(rng.randint(2, 5)):
        grid = grids[i % len(grids)]
        helper = gen.person(rng, "shared_steward", grid)
        gen.post(helper, PostTitle.SHARED_STEWARD, _steward_from(rng), area=grid)
        shared.append((grid, helper))
    if code == DEMO_COMMUNITY:
        gen.plan.accounts["chief_steward"] = chief.id_number
        gen.plan.accounts["community_staff"] = director.id_number
        gen.plan.accounts["grid_steward"] = stewards[0].id_number
        gen.plan.accounts["shared_steward"] = next(h.id_number for g, h in shared if g == DEMO_GRID)


def _plan_village(
    gen: _Generator,
    unit: Unit,
    org_path: str,
    grids: list[str],
    joint_path: str,
    consortium_path: str,
) -> None:
    rng = random.Random(f"{SEED}:people:{unit.code}")
    code = unit.code
    joint = code in JOINT_VILLAGES
    secretary = gen.person(rng, "joint_secretary" if joint else "village_secretary", code)
    elected = _elected(rng)
    gen.post(secretary, PostTitle.VILLAGE_SECRETARY, elected, area=code, org=org_path)
    if joint or rng.random() < ONE_SHOULDER_SHARE:
        # 一肩挑: elected director at the same election.
        gen.post(secretary, PostTitle.VILLAGE_DIRECTOR, elected, area=code)
    else:
        director = gen.person(rng, "village_director", code)
        gen.post(director, PostTitle.VILLAGE_DIRECTOR, _elected(rng), area=code)
    members = [
        gen.person(rng, "joint_member" if joint else "village_member", code)
        for _ in range(rng.randint(2, 3))
    ]
    for member in members:
        gen.post(member, PostTitle.VILLAGE_COMMITTEE_MEMBER, _elected(rng), area=code)
    # In a village the committee members are the grid stewards; a grid left over gets its own.
    for i, grid in enumerate(grids):
        steward = members[i] if i < len(members) else gen.person(rng, "grid_steward", grid)
        gen.post(steward, PostTitle.GRID_STEWARD, _steward_from(rng), area=grid)
    if code == JOINT_VILLAGES[0]:
        gen.post(secretary, PostTitle.ORG_SECRETARY, JOINT_FOUNDED, org=joint_path)
    if code == CONSORTIUM_STRONG[0]:
        gen.post(secretary, PostTitle.ORG_SECRETARY, CONSORTIUM_FOUNDED, org=consortium_path)
    if code == FIRST_SECRETARY_VILLAGE:
        first = gen.person(rng, "first_secretary", code)
        gen.post(first, PostTitle.FIRST_SECRETARY, FIRST_SECRETARY_FROM, area=code, org=org_path)
        gen.plan.accounts["first_secretary"] = first.id_number


def plan_people(
    streets: list[Area], units: list[Unit], areas: AreaPlan, party: PartyPlan
) -> PeoplePlan:
    plan = PeoplePlan()
    gen = _Generator(plan)
    grids: dict[str, list[str]] = {}
    for grid in areas.grids:
        grids.setdefault(grid.parent_code, []).append(grid.code)
    for street in streets:
        _plan_street(gen, street.code, party.leading[street.code])
    for unit in units:
        if unit.kind == AreaKind.COMMUNITY:
            _plan_community(gen, unit, party.leading[unit.code], grids[unit.code])
        else:
            _plan_village(
                gen,
                unit,
                party.leading[unit.code],
                grids[unit.code],
                party.joint_path,
                party.consortium_path,
            )
    return plan


def sync_people(plan: PeoplePlan) -> tuple[dict[str, int], int]:
    """Create the missing people, found by the blind index of their ID number. Returns
    (ID number -> person id of every planned person, how many were created)."""
    index = {row.id_number: blind_index(row.id_number) for row in plan.people}
    found = existing(Person, "id_number_index", index.values())
    areas = existing(Area, "code", {r.area_code for r in plan.people})
    missing = [
        Person(
            name=r.name,
            sex=r.sex,
            birth_date=r.birth_date,
            phone=r.phone,
            id_number_encrypted=encrypt(r.id_number),
            id_number_index=index[r.id_number],
            education=r.education,
            political_status=r.political_status,
            party_joined_on=r.party_joined_on,
            area_id=areas[r.area_code],
        )
        for r in plan.people
        if index[r.id_number] not in found
    ]
    Person.objects.bulk_create(missing, batch_size=BATCH_SIZE)
    if missing:
        found = existing(Person, "id_number_index", index.values())
    return {number: found[ix] for number, ix in index.items()}, len(missing)


def sync_posts(plan: PeoplePlan, person_ids: dict[str, int], org_ids: dict[str, int]) -> int:
    """Create the missing posts, found by person, title, area and organization."""
    areas = existing(Area, "code", {p.area_code for p in plan.posts if p.area_code})
    present = set()
    for chunk in chunked(sorted(set(person_ids.values()))):
        present.update(
            Post.objects.filter(person_id__in=chunk).values_list(
                "person_id", "title", "area_id", "party_org_id"
            )
        )
    posts = []
    for p in plan.posts:
        key = (person_ids[p.id_number], p.title, areas.get(p.area_code), org_ids.get(p.org_path))
        if key not in present:
            present.add(key)
            posts.append(
                Post(
                    person_id=key[0],
                    title=p.title,
                    area_id=key[2],
                    party_org_id=key[3],
                    starts_on=p.starts_on,
                )
            )
    Post.objects.bulk_create(posts, batch_size=BATCH_SIZE)
    return len(posts)
