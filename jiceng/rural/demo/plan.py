"""The rural demo's plan: pure functions of the demo district's villages and a fixed seed.

Targets (the article's figures, DESIGN §5), produced by the rows and read back by the
indicator code, never stored as figures:
- 陡沟街道 2023: of its 23 villages, 16 with a collective income of at least 50万 and 10
  of at least 100万 (tiers below);
- twelve first secretaries in two batches; their villages' income in 2024 exceeds the year
  before their dispatch by amounts that average exactly 4万; 23 projects brought in; 5 of
  them take a later post;
- 玉符泉源: 3 of its 5 villages are demonstration villages (``DEMONSTRATION``).
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from jiceng.core.demo.common import SEED
from jiceng.core.demo.party import (
    CONSORTIUM_STRONG,
    CONSORTIUM_WEAK,
    DOUGOU_STREET,
    JOINT_VILLAGES,
)
from jiceng.core.demo.people import FIRST_SECRETARY_FROM, FIRST_SECRETARY_VILLAGE

from ..models import DemonstrationLevel, IncomeModel

RNG = f"{SEED}:rural"
YEARS = (2021, 2022, 2023, 2024)
TARGET_YEAR = 2023
HALF_MILLION = Decimal(500_000)
MILLION = Decimal(1_000_000)
CENT = Decimal("0.01")

# 陡沟 2023: how many villages fall in each tier (10 + 6 = 16 at or above 50万).
DOUGOU_TIERS = {"million": 10, "half": 6, "below": 7}
TIER_RANGES = {
    "million": (1_050_000, 2_400_000),
    "half": (540_000, 940_000),
    "below": (160_000, 460_000),
    "weak": (56_000, 88_000),
}

# Small mountain villages whose income stays under the weak-village floor (10万) of 2023.
STRUGGLING = ("370103019207", "370103019213", "370103020201")

# First secretaries: two batches of six; the 土屋 secretary of the core demo opens batch B.
BATCH_A = (date(2022, 4, 6), date(2024, 4, 5))
BATCH_B = (FIRST_SECRETARY_FROM, date(2025, 3, 14))
# How many villages of each street get one (土屋 comes on top for 党家).
SECRETARY_STREETS = {
    "370103021": 2,  # 党家
    DOUGOU_STREET: 3,
    "370103019": 3,  # 十六里河
    "370103020": 3,  # 兴隆
}
# Income change of each dispatch's village from the year before dispatch to 2024 (元):
# twelve amounts whose mean is exactly 40,000.
INCREASES = (
    52_300,
    36_800,
    45_500,
    28_700,
    61_200,
    33_500,
    41_800,
    24_600,
    49_900,
    38_700,
    30_400,
    36_600,
)
PROJECTS_PER_DISPATCH = (2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1)  # 23 in all
PROMOTED = (0, 1, 3, 4, 7)  # dispatch indexes whose person takes a later post
PROMOTION_DAYS = (
    date(2023, 9, 12),
    date(2024, 1, 8),
    date(2023, 12, 20),
    date(2024, 3, 4),
    date(2024, 5, 17),
)

# Demonstration villages named in the plan; the other villages are drawn.
DEMONSTRATION = {
    JOINT_VILLAGES[0]: (DemonstrationLevel.PROVINCE, 2022),  # 西渴马东村
    JOINT_VILLAGES[1]: (DemonstrationLevel.CITY, 2023),  # 土屋村
    JOINT_VILLAGES[4]: (DemonstrationLevel.DISTRICT, 2022),  # 宅科村
    CONSORTIUM_STRONG[0]: (DemonstrationLevel.PROVINCE, 2021),  # 大庙屯村
    CONSORTIUM_STRONG[1]: (DemonstrationLevel.CITY, 2022),  # 新平村
}

SOURCES = {
    IncomeModel.ASSET: ("集体资产入股分红", "闲置校舍盘活经营", "集体林地承包收益"),
    IncomeModel.LAND: ("土地流转服务费", "土地托管服务收益", "高标准农田经营收益"),
    IncomeModel.INDUSTRY: ("特色种植合作社分红", "农产品加工收益", "乡村旅游经营收益"),
    IncomeModel.PROPERTY: ("标准厂房租赁", "沿街商铺租赁", "仓储用房租赁"),
    IncomeModel.SERVICE: ("农机作业服务", "物业保洁服务", "劳务服务收入"),
}

PROJECT_NAMES = (
    ("高效设施蔬菜大棚", IncomeModel.INDUSTRY),
    ("乡村民宿改造运营", IncomeModel.ASSET),
    ("农产品电商直播间", IncomeModel.SERVICE),
    ("屋顶分布式光伏", IncomeModel.ASSET),
    ("樱桃采摘园", IncomeModel.INDUSTRY),
    ("土地托管服务中心", IncomeModel.LAND),
    ("冷链仓储中心", IncomeModel.PROPERTY),
    ("研学实践基地", IncomeModel.INDUSTRY),
    ("村集体标准厂房", IncomeModel.PROPERTY),
    ("农机社会化服务队", IncomeModel.SERVICE),
    ("食用菌种植基地", IncomeModel.INDUSTRY),
    ("中药材种植示范田", IncomeModel.LAND),
    ("红色文旅研学线路", IncomeModel.INDUSTRY),
    ("小麦良种繁育基地", IncomeModel.LAND),
    ("村级物业服务公司", IncomeModel.SERVICE),
    ("闲置宅基地盘活", IncomeModel.ASSET),
)

SUPPORTERS = (
    # name, kind, registering area ("" = the district), contact, note
    ("济南玉符河生态农业有限公司", "enterprise", "370103021", "周经理", "玉符河畔生态种植与采摘"),
    ("山东鲁中蔬菜产业有限公司", "enterprise", DOUGOU_STREET, "刘经理", "设施蔬菜种植与收购"),
    ("济南泉城冷链物流有限公司", "enterprise", "", "陈经理", "农产品冷链仓储与配送"),
    ("济南兴隆文旅发展有限公司", "enterprise", "370103020", "马经理", "乡村旅游与研学"),
    ("市中区青年企业家协会", "group", "", "王会长", "组织会员企业结对联村"),
    ("市中区慈善总会", "group", "", "孙秘书长", "助学助困与村级公益"),
    ("市中区农业农村局", "institution", "", "农经科", "农业技术指导与项目扶持"),
    ("市中区商务局", "institution", "", "流通科", "农产品消费帮扶"),
)
CONSORTIUM_PROJECTS = (
    (CONSORTIUM_STRONG[0], "普罗旺斯西红柿种植", "山东鲁中蔬菜产业有限公司", IncomeModel.INDUSTRY),
    (CONSORTIUM_STRONG[1], "果蔬大棚联营", "山东鲁中蔬菜产业有限公司", IncomeModel.INDUSTRY),
    (CONSORTIUM_STRONG[2], "采摘研学联产", "济南兴隆文旅发展有限公司", IncomeModel.INDUSTRY),
)
CONTRIBUTIONS = (
    ("funds", "村级产业发展资金"),
    ("project", "引进合作项目"),
    ("goods", "捐赠农资和办公设备"),
    ("skills", "农技专家驻村指导"),
    ("sales", "组织职工食堂采购农产品"),
    ("jobs", "吸纳村民就近务工"),
)
TRAINING_FIRST = date(2022, 4, 14)
TRAINING_LAST = date(2024, 6, 27)
TRAINING_TOPICS = (
    "乡村振兴政策解读",
    "村级集体经济发展路径",
    "基层党组织建设实务",
    "“千万工程”经验学习",
    "农村集体资产管理",
    "项目谋划与招商引资",
    "矛盾纠纷化解",
    "农村电商与直播带货",
    "“赋能思享论坛”交流",
)


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class VillageUnit:
    code: str
    name: str
    street_code: str
    households: int


@dataclass
class IncomeLine:
    code: str
    year: int
    source: str
    model: str
    amount: Decimal


@dataclass
class ProfileRow:
    code: str
    population: int
    land_area_mu: Decimal
    arable_land_mu: Decimal
    demonstration_level: str = ""
    demonstration_year: int | None = None


@dataclass
class DispatchPlan:
    index: int
    code: str
    starts_on: date
    ends_on: date
    increase: Decimal
    projects: int
    promoted_on: date | None


@dataclass
class RuralPlan:
    profiles: list[ProfileRow] = field(default_factory=list)
    incomes: list[IncomeLine] = field(default_factory=list)
    totals: dict[tuple[str, int], Decimal] = field(default_factory=dict)
    dispatches: list[DispatchPlan] = field(default_factory=list)
    tiers: dict[str, str] = field(default_factory=dict)


def _between(rng: random.Random, low: int, high: int) -> Decimal:
    return money(rng.uniform(low, high))


def _dougou_tiers(rng: random.Random, codes: list[str]) -> dict[str, str]:
    """陡沟's villages by 2023 tier: the consortium's strong villages lead, its weak ones
    trail, the rest are drawn."""
    weak = [c for c in codes if c in CONSORTIUM_WEAK]
    strong = [c for c in codes if c in CONSORTIUM_STRONG]
    rest = [c for c in codes if c not in weak and c not in strong]
    rng.shuffle(rest)
    tiers = {c: "million" for c in strong} | {c: "weak" for c in weak}
    need_million = DOUGOU_TIERS["million"] - len(strong)
    need_half = DOUGOU_TIERS["half"]
    for c in rest[:need_million]:
        tiers[c] = "million"
    for c in rest[need_million : need_million + need_half]:
        tiers[c] = "half"
    for c in rest[need_million + need_half :]:
        tiers[c] = "below"
    return tiers


def _growth_series(rng: random.Random, level_2023: Decimal) -> dict[int, Decimal]:
    growth = rng.uniform(0.03, 0.14)
    series = {}
    for year in YEARS:
        jitter = 1 + rng.uniform(-0.02, 0.02) if year != TARGET_YEAR else 1
        series[year] = money(float(level_2023) * (1 + growth) ** (year - TARGET_YEAR) * jitter)
    return series


def _split(rng: random.Random, code: str, totals: dict[int, Decimal]) -> list[IncomeLine]:
    """Each year's total over two to four sources of the village (fixed across years)."""
    models = rng.sample(list(SOURCES), k=rng.randint(2, 4))
    sources = [(m, rng.choice(SOURCES[m])) for m in models]
    weights = [rng.uniform(1, 4) for _ in sources]
    lines = []
    for year, total in totals.items():
        shares = [w * rng.uniform(0.92, 1.08) for w in weights]
        parts = [money(total * Decimal(s / sum(shares))) for s in shares[:-1]]
        parts.append(total - sum(parts))
        lines += [
            IncomeLine(code, year, source, model.value, amount)
            for (model, source), amount in zip(sources, parts, strict=True)
        ]
    return lines


def _secretary_villages(rng: random.Random, villages: list[VillageUnit], tiers) -> list[str]:
    """The villages that get a first secretary (weaker ones), in a fixed order."""
    chosen = []
    for street, count in SECRETARY_STREETS.items():
        pool = sorted(
            v.code
            for v in villages
            if v.street_code == street
            and v.code not in JOINT_VILLAGES
            and v.code not in CONSORTIUM_STRONG
            and tiers.get(v.code, "below") in ("below", "weak")
        )
        chosen += sorted(rng.sample(pool, count))
    return chosen


def plan_rural(villages: list[VillageUnit]) -> RuralPlan:
    rng = random.Random(RNG)
    plan = RuralPlan()
    dougou = sorted(v.code for v in villages if v.street_code == DOUGOU_STREET)
    plan.tiers = _dougou_tiers(rng, dougou)
    secretary_codes = _secretary_villages(rng, villages, plan.tiers)

    # Dispatches: batch A takes the first six villages, batch B 土屋 and the next five.
    codes = secretary_codes[:6] + [FIRST_SECRETARY_VILLAGE] + secretary_codes[6:11]
    for i, code in enumerate(codes):
        starts_on, ends_on = BATCH_A if i < 6 else BATCH_B
        promoted = PROMOTION_DAYS[PROMOTED.index(i)] if i in PROMOTED else None
        plan.dispatches.append(
            DispatchPlan(
                i,
                code,
                starts_on,
                ends_on,
                Decimal(INCREASES[i]),
                PROJECTS_PER_DISPATCH[i],
                promoted,
            )
        )
    by_code = {d.code: d for d in plan.dispatches}

    for v in sorted(villages, key=lambda v: v.code):
        vrng = random.Random(f"{RNG}:{v.code}")
        if v.code in by_code:
            d = by_code[v.code]
            base_year = d.starts_on.year - 1
            low, high = (150_000, 330_000) if v.street_code == DOUGOU_STREET else (120_000, 420_000)
            base = _between(vrng, low, high)
            end = base + d.increase
            series = {}
            for year in YEARS:
                if year <= base_year:
                    series[year] = money(base * Decimal(1 - 0.04 * (base_year - year)))
                elif year == 2024:
                    series[year] = end
                else:
                    step = Decimal((year - base_year) / (2024 - base_year))
                    series[year] = money(base + d.increase * step * Decimal("0.8"))
        elif v.street_code == DOUGOU_STREET:
            series = _growth_series(vrng, _between(vrng, *TIER_RANGES[plan.tiers[v.code]]))
        elif v.code in STRUGGLING:
            series = _growth_series(vrng, _between(vrng, *TIER_RANGES["weak"]))
        else:
            level = Decimal(round(vrng.lognormvariate(12.9, 0.7), 2))
            series = _growth_series(vrng, min(max(level, Decimal(58_000)), Decimal(2_600_000)))
        plan.totals.update({(v.code, y): t for y, t in series.items()})
        plan.incomes += _split(vrng, v.code, series)

        demonstration = DEMONSTRATION.get(v.code)
        draw = vrng.random()
        if demonstration is None and v.code not in JOINT_VILLAGES and draw < 0.14:
            demonstration = (
                vrng.choice([DemonstrationLevel.CITY, DemonstrationLevel.DISTRICT]),
                vrng.randint(2019, 2023),
            )
        land = _between(vrng, 900, 6_500)
        plan.profiles.append(
            ProfileRow(
                code=v.code,
                population=round(v.households * vrng.uniform(2.4, 3.1)),
                land_area_mu=land,
                arable_land_mu=money(land * Decimal(vrng.uniform(0.3, 0.7))),
                demonstration_level=demonstration[0] if demonstration else "",
                demonstration_year=demonstration[1] if demonstration else None,
            )
        )
    return plan


def training_days() -> list[date]:
    days, day = [], TRAINING_FIRST
    while day <= TRAINING_LAST:
        days.append(day)
        day += timedelta(days=14)
    return days
