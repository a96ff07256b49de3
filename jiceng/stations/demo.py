"""The demo's warm stations and riders (issue 6, items 5–7).

Three stations in each of the 17 streets, each placed at a compound of one of the street's
communities (so its point lies inside the street), hosted by a community service center,
a petrol station, a bank branch, a delivery depot or a supermarket. About 130 riders of
美团, 饿了么 and others, all but a few appointed 兼职网格员 of a grid of their street, the
demo login ``rider`` among them in 春元里社区第1网格. Eleven riders have accounts and report
problems through the appeal service (``appeal_submit``, channel rider) in the grid each
serves, whose steward resolves most of them through the appeal services: the points then follow
from the appeals' signal like any rider's. Recognitions of the first half of 2024 and two
weeks of check-ins complete the picture.

Everything is drawn from generators seeded per street or rider, and looked up by natural
keys (station: area and name; rider: phone; report: its rider's account), so a second run
creates nothing. Reports are few (a few dozen) because each goes through the services.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from jiceng.core.demo.areas import DISTRICT_CODE
from jiceng.core.demo.common import SEED
from jiceng.core.demo.names import given_name, surname
from jiceng.core.demo.people import DEMO_GRID
from jiceng.core.models import Area, AreaKind, RoleAssignment, User
from jiceng.core.roles import Role
from jiceng.core.services import role_assign, user_create

from .models import Amenity, CheckIn, GridAppointment, Platform, Recognition, Rider, WarmStation

STATIONS_PER_STREET = 3
RIDERS_PER_STREET = (7, 8)
UNAPPOINTED = 6
ACCOUNT_RIDERS = 10  # besides the demo login ``rider``
PASSWORD = "Jiceng@2024"
CHECKIN_DAYS = 14

HOSTS = [
    ("{c}党群服务中心", "{c}党群服务中心暖心驿站", True),
    ("中国石化{r}加油站", "中国石化{r}加油站爱心驿站", False),
    ("济南农商银行{r}支行", "农商银行{r}支行暖心驿站", False),
    ("美团外卖{r}站点", "{r}骑手之家", False),
    ("银座超市{r}店", "银座{r}店暖心驿站", False),
    ("{c}物业服务中心", "{c}红色物业暖心驿站", True),
]
HOURS = [
    ["00:00-24:00"] * 7,
    ["08:30-20:30"] * 5 + ["09:00-18:00"] * 2,
    ["07:00-22:00"] * 7,
    ["10:00-22:00"] * 7,
    ["08:00-18:00"] * 5 + ["", ""],
]
OPTIONAL = [Amenity.AIR_CONDITIONING, Amenity.MEDICINE, Amenity.CHARGER, Amenity.MICROWAVE]
REPORTS = [
    ("纬二路口窨井盖破损下陷，电动车经过很危险", "solved"),
    ("小区东门路灯不亮好几天了，晚上送餐看不清台阶", "solved"),
    ("楼道里堆放大量纸箱杂物，堵住消防通道", "solved"),
    ("路边共享单车乱停，占了盲道和非机动车道", "partly"),
    ("小区北侧树枝折断挂在电线上，有掉落风险", "solved"),
    ("单元门禁坏了一直敞开，陌生人随意进出", "partly"),
    ("背街小巷有一处污水外溢，气味很大", "solved"),
    ("一位独居老人多次点餐未取，敲门无人应答，请社区看看", "solved"),
    ("人行道地砖松动翘起，雨天踩上去溅水", "partly"),
    ("电动车在楼道内充电，飞线从窗户拉出", "solved"),
    ("垃圾桶满溢未清运，周边散落垃圾", "solved"),
    ("路口红绿灯倒计时不显示", "unsolved"),
]
EXPLANATIONS = {
    "solved": "已联系相关单位现场处置完毕，感谢骑士的发现。",
    "partly": "已做临时处置，彻底整改已列入维修计划，网格持续跟进。",
    "unsolved": "涉及交警部门职责，已转交相关部门，社区跟进。",
}
CITATIONS = [
    "及时上报井盖破损隐患，避免了安全事故。",
    "发现独居老人异常并报告社区，老人得到及时救助。",
    "积极参与网格巡查，上报问题数量居全区前列。",
    "暴雨中协助疏导交通，主动上报积水点位。",
]


def _phone(rng: random.Random, taken: set[str]) -> str:
    while True:
        phone = f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"
        if phone not in taken:
            taken.add(phone)
            return phone


def _stem(name: str) -> str:
    for suffix in ("社区", "街道", "村"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _road(address: str) -> str:
    """The road of a compound's address (市中区纬二路41号 -> 纬二路)."""
    text = address.removeprefix("市中区")
    for end in ("路", "街", "巷", "道"):
        if end in text:
            return text[: text.index(end) + 1]
    return text[:4]


def _streets() -> list[Area]:
    return list(
        Area.objects.filter(kind=AreaKind.STREET, code__startswith=DISTRICT_CODE).order_by("code")
    )


def _stations(street: Area) -> list[WarmStation]:
    rng = random.Random(f"{SEED}:stations:{street.code}")
    communities = list(Area.objects.filter(kind=AreaKind.COMMUNITY, parent=street).order_by("code"))
    compounds = {}
    for c in Area.objects.filter(
        kind=AreaKind.COMPOUND, code__startswith=street.code, lng__isnull=False
    ).order_by("code"):
        compounds.setdefault(c.code[:12], []).append(c)
    communities = [c for c in communities if c.code in compounds]
    rows = []
    for i, community in enumerate(
        rng.sample(communities, min(STATIONS_PER_STREET, len(communities)))
    ):
        compound = rng.choice(compounds[community.code])
        host, name, public = HOSTS[(i * 2 + rng.randrange(len(HOSTS))) % len(HOSTS)]
        fill = {"c": community.name, "r": _road(compound.address)}
        amenities = [Amenity.WATER, Amenity.TOILET] + rng.sample(OPTIONAL, rng.randint(2, 4))
        rows.append(
            WarmStation(
                name=name.format(**fill),
                area=community,
                address=f"{compound.address}（{compound.name}旁）",
                lng=round(compound.lng, 6),
                lat=round(compound.lat, 6),
                hours=rng.choice(HOURS),
                amenities=[a for a in Amenity.values if a in amenities],
                host_name=host.format(**fill),
                public_phone=f"0531-8{rng.randrange(10**6, 10**7)}" if public else "",
                contact_name=surname(rng)
                + given_name(rng, male=rng.random() < 0.5, birth_year=1980),
                phone=f"139{rng.randrange(10**8):08d}",
            )
        )
    return rows


def _riders(street: Area, taken: set[str]) -> list[tuple[Rider, Area | None, date]]:
    rng = random.Random(f"{SEED}:riders:{street.code}")
    grids = list(
        Area.objects.filter(kind=AreaKind.GRID, code__startswith=street.code)
        .select_related("parent")
        .order_by("code")
    )
    rows = []
    for _ in range(rng.randint(*RIDERS_PER_STREET)):
        grid = rng.choice(grids)
        male = rng.random() < 0.85
        born = rng.randint(1985, 2002)
        platform = rng.choices(Platform.values, [45, 40, 15])[0]
        rider = Rider(
            name=surname(rng) + given_name(rng, male=male, birth_year=born),
            phone=_phone(rng, taken),
            platform=platform,
            area=grid.parent,
        )
        starts = date(2023, 3, 1) + timedelta(days=rng.randrange(450))
        rows.append((rider, grid, starts))
    return rows


def _sync_stations() -> int:
    created = 0
    for street in _streets():
        for s in _stations(street):
            if not WarmStation.objects.filter(area=s.area, name=s.name).exists():
                s.save()
                created += 1
    return created


def _sync_riders() -> tuple[int, list[Rider]]:
    taken: set[str] = set()
    planned = []
    for street in _streets():
        planned += _riders(street, taken)
    rng = random.Random(f"{SEED}:riders:unappointed")
    streets = _streets()
    for _ in range(UNAPPOINTED):
        street = rng.choice(streets)
        community = Area.objects.filter(parent=street, kind=AreaKind.COMMUNITY).order_by("code")
        rider = Rider(
            name=surname(rng) + given_name(rng, male=True, birth_year=rng.randint(1990, 2003)),
            phone=_phone(rng, taken),
            platform=rng.choice(Platform.values),
            area=rng.choice(list(community)),
        )
        planned.append((rider, None, None))
    demo_grid = Area.objects.select_related("parent").get(code=DEMO_GRID)
    demo_user = User.objects.filter(username="rider").first()
    rng = random.Random(f"{SEED}:riders:demo")
    planned.append(
        (
            Rider(
                name="刘子轩",
                phone=_phone(rng, taken),
                platform=Platform.MEITUAN,
                area=demo_grid.parent,
                user=demo_user,
            ),
            demo_grid,
            date(2023, 9, 1),
        )
    )
    present = set(Rider.objects.filter(phone__in=taken).values_list("phone", flat=True))
    created = 0
    riders = []
    for rider, grid, starts in planned:
        if rider.phone in present:
            riders.append(Rider.objects.get(phone=rider.phone))
            continue
        if rider.user is not None and Rider.objects.filter(user=rider.user).exists():
            rider.user = None
        rider.save()
        created += 1
        if grid is not None:
            GridAppointment.objects.create(rider=rider, grid=grid, starts_on=starts)
            created += 1
        riders.append(rider)
    return created, riders


def _sync_accounts(riders: list[Rider]) -> int:
    """Accounts (role rider, scoped to their grid) for the first appointed riders."""
    created = 0
    appointed = [r for r in riders if r.user_id is None and r.appointments.exists()]
    for i, rider in enumerate(appointed[:ACCOUNT_RIDERS], start=1):
        username = f"rider{i:02d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(by=None, username=username, password=PASSWORD, full_name=rider.name)
            grid = rider.appointments.select_related("grid").first().grid
            role_assign(by=None, user=user, role=Role.RIDER, area=grid)
            created += 2
        if not Rider.objects.filter(user=user).exists():
            Rider.objects.filter(pk=rider.pk).update(user=user)
            created += 1
    return created


def _sync_reports() -> int:
    """Reports of the riders with accounts, made and handled through the appeal services."""
    from jiceng.appeals.models import Channel, Kind
    from jiceng.appeals.selectors import appeal_list_visible_to
    from jiceng.appeals.services import (
        Submission,
        appeal_accept,
        appeal_contact,
        appeal_resolve,
        appeal_submit_many,
    )

    created = 0
    for rider in Rider.objects.filter(user__isnull=False).select_related("user").order_by("id"):
        user = rider.user
        if not RoleAssignment.objects.active().filter(user=user, role=Role.RIDER).exists():
            continue
        mine = appeal_list_visible_to(user=user).filter(created_by=user, channel=Channel.RIDER)
        if mine.exists():
            continue
        # Each rider reports in the grid they serve, not all in the demo grid.
        appointment = rider.appointments.select_related("grid").order_by("starts_on").first()
        grid_code = appointment.grid.code if appointment else DEMO_GRID
        compounds = list(
            Area.objects.filter(kind=AreaKind.COMPOUND, code__startswith=grid_code).order_by("code")
        )
        if not compounds:
            continue
        rng = random.Random(f"{SEED}:reports:{rider.phone}")
        picks = rng.sample(REPORTS, rng.randint(2, 5))
        submissions = [
            Submission(
                kind=Kind.REPORT,
                channel=Channel.RIDER,
                description=text,
                address=rng.choice(compounds).address,
                anonymous=True,
            )
            for text, _ in picks
        ]
        appeals = appeal_submit_many(by=user, submissions=submissions)
        created += len(appeals)
        for appeal, (_, result) in zip(appeals, picks, strict=True):
            owner = (
                User.objects.filter(person_id=appeal.owner_id).first() if appeal.owner_id else None
            )
            if owner is None or rng.random() < 0.25:
                continue  # left in the steward's queue
            appeal = appeal_accept(appeal=appeal, by=owner)
            appeal = appeal_contact(appeal=appeal, by=owner)
            appeal_resolve(appeal=appeal, by=owner, result=result, explanation=EXPLANATIONS[result])
    return created


def _sync_recognitions() -> int:
    admin = User.objects.filter(username="district_admin").first()
    rng = random.Random(f"{SEED}:recognitions")
    riders = list(Rider.objects.filter(appointments__isnull=False).distinct().order_by("phone"))
    created = 0
    for month in range(1, 7):
        for rider in rng.sample(riders, 3):
            row, new = Recognition.objects.get_or_create(
                rider=rider,
                month=date(2024, month, 1),
                title="月度之星",
                defaults={"citation": rng.choice(CITATIONS), "awarded_by": admin},
            )
            created += new
    return created


def _sync_checkins() -> int:
    """Two weeks of visits up to today, for stations that have none yet."""
    today = timezone.localdate()
    riders = list(Rider.objects.filter(user__isnull=False).order_by("id"))
    rows = []
    for station in WarmStation.objects.filter(checkins__isnull=True).order_by("id"):
        rng = random.Random(f"{SEED}:checkins:{station.area.code}:{station.name}")
        for back in range(CHECKIN_DAYS):
            day = today - timedelta(days=back)
            rows += [CheckIn(station=station, day=day) for _ in range(rng.randint(2, 14))]
            for rider in riders:
                if rng.random() < 0.03:
                    rows.append(CheckIn(station=station, rider=rider, day=day))
    CheckIn.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def load_stations_demo() -> int:
    created = _sync_stations()
    n, riders = _sync_riders()
    created += n
    created += _sync_accounts(riders)
    created += _sync_reports()
    created += _sync_recognitions()
    created += _sync_checkins()
    return created
