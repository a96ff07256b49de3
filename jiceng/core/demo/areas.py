"""The demo's area tree: the official divisions, then grids, compounds and buildings.

Down to community/village the rows come from the official files through the area
importer. Below that everything is generated: each community's households split into grids
of 300-500 households, each grid into one to three compounds named as residents name them
(春元里小区, 英雄山路12号院, 电业局宿舍, 阳光家园) and those into numbered buildings; each village
into one to three grids of 村民小组 or 自然村 (一组, 东庄) without buildings.

Every community or village draws from its own generator seeded with its code, so adding or
changing one unit does not reshuffle the others (beyond keeping compound names and street
addresses unique across the district).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from ..errors import ValidationFailed
from ..imports.area_file import import_area_file
from ..models import Area, AreaKind
from ..services import area_create
from .common import BATCH_SIZE, SEED, DemoError, bulk_create_missing, existing

DISTRICT_CODE = "370103"
DISTRICT_NAME = "市中区"
STREETS_FILE = "370103_streets.csv"
VILLAGES_FILE = "370103_villages.csv"

URBAN_GRID_HOUSEHOLDS = (300, 500)
# A community's households: 1,500-6,000, skewed low (mean about 2,800), which with the
# villages makes a district of about 450,000 households, as Shizhong's million people.
COMMUNITY_HOUSEHOLDS = (1500, 6000)
VILLAGE_HOUSEHOLDS = (180, 1400, 520)  # low, high, mode

# Roads of each street (by the street code's last three digits), for 号院 names and
# addresses. Old-town streets are built of courtyards and work-unit dormitories; the
# southern and western streets of newer estates.
STREET_ROADS = {
    "002": ("经二路", "经三路", "经四路", "纬一路", "纬二路", "纬三路", "纬四路", "小纬四路"),
    "003": ("经七路", "经八路", "纬十二路", "民生大街", "马鞍山路", "顺河街"),
    "004": ("英雄山路", "建设路", "玉函路", "经十一路", "马鞍山路"),
    "006": ("经一路", "经二路", "经三路", "纬二路", "纬三路", "麟祥街", "永庆街"),
    "008": ("建设路", "英雄山路", "二七新村南路", "郎茂山路", "梁庄大街"),
    "009": ("七里山路", "郎茂山路", "二七南路", "卧龙路"),
    "010": ("六里山路", "六里山南路", "七里山路", "八里洼路", "玉函路"),
    "012": ("舜玉路", "舜耕路", "玉函路", "二环南路"),
    "014": ("泺源大街", "共青团路", "青年西路", "饮虎池街", "永长街", "普利街"),
    "015": ("经十路", "阳光新路", "二环西路", "十里河路"),
    "016": ("舜耕路", "二环南路", "舜世路", "舜德路"),
    "017": ("二环西路", "经十路", "白马山南路"),
    "018": ("二环南路", "英雄山路", "九曲庄路", "土屋路"),
    "019": ("英雄山路", "二环南路", "兴济河路", "十六里河路"),
    "020": ("旅游路", "兴隆大街", "英雄山路"),
    "021": ("党杨路", "土屋路"),
    "022": ("腊山河西路", "陡沟大街"),
}
OLD_TOWN = frozenset({"002", "003", "004", "006", "008", "009", "010", "014"})

DORM_UNITS = tuple(
    """
    市政公司 电业局 粮食局 供销社 纺织厂 铁路局 邮电局 交通局 建工局 第一机床厂 化工厂
    轻工局 省建三公司 卫生局 商业局 自来水公司 煤气公司 机车厂 印刷厂 市一中 省立医院
    市中医院 铁路医院 山东师大 省话剧院 京剧院 日报社 省地矿局 水文局 气象局 粮校 财校
    法院 税务局
    """.split()
)
ESTATE_PREFIXES = tuple(
    """
    阳光 金色 锦绣 和谐 幸福 翡翠 泉城 玉泉 华润 中海 绿地 鲁能 世茂 恒大 龙湖 万科
    银座 山水 佳和 盛世 东方 金鼎 明珠 怡海 康桥 领秀 南山 泉景 嘉和 舜泰 千佛山 英郡
    鑫苑 绿城 保利 融创 建邦 重汽 万达 蓝石 泰和 兴福 玉兰 紫薇
    """.split()
)
ESTATE_SUFFIXES = tuple(
    "家园 花园 新城 雅苑 名苑 华庭 嘉园 公寓 山庄 名郡 佳苑 府 城 澜庭 壹号院".split()
)
# (households per building) by kind of compound.
BUILDING_SIZES = {
    "courtyard": (18, 48),
    "dorm": (18, 48),
    "home": (24, 72),
    "estate": (60, 150),
}
NUMERALS = tuple("一 二 三 四 五 六 七 八 九 十 十一 十二".split())
NATURAL_VILLAGES = tuple(
    """
    东庄 西庄 南庄 北庄 前街 后街 东岭 西岭 南坡 北坡 上庄 下庄 河东 河西 峪口 东沟
    西沟 老村 山前 山后
    """.split()
)


@dataclass
class Unit:
    """A community or village as the importer stored it."""

    code: str
    name: str
    kind: str
    street_code: str
    street_name: str


@dataclass
class Cell:
    code: str
    name: str
    kind: str
    parent_code: str
    households: int
    address: str = ""


@dataclass
class AreaPlan:
    unit_households: dict[str, int] = field(default_factory=dict)
    grids: list[Cell] = field(default_factory=list)
    compounds: list[Cell] = field(default_factory=list)
    buildings: list[Cell] = field(default_factory=list)


@dataclass
class _Names:
    """Compound names and street addresses already taken across the district, so that an
    address typed by a resident points at one compound only."""

    names: set[str] = field(default_factory=set)
    numbers: set[tuple[str, int]] = field(default_factory=set)

    def number(self, rng: random.Random, road: str) -> int:
        n = rng.randint(1, 260)
        while (road, n) in self.numbers:
            n = rng.randint(1, 400)
        self.numbers.add((road, n))
        return n


# ---- official divisions ------------------------------------------------------------------


def import_official() -> int:
    """The district (via ``area_create``), then the official streets and villages files
    (via the area importer). Returns how many rows were created."""
    folder = settings.SHARED_DATA_DIR / "divisions"
    paths = [folder / STREETS_FILE, folder / VILLAGES_FILE]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise DemoError(f"找不到区划文件：{'、'.join(missing)}")
    created = 0
    if not Area.objects.filter(code=DISTRICT_CODE).exists():
        area_create(by=None, code=DISTRICT_CODE, name=DISTRICT_NAME, kind=AreaKind.DISTRICT)
        created += 1
    for path in paths:
        try:
            result = import_area_file(path, by=None)
        except ValidationFailed as e:
            raise DemoError(f"无法导入 {path.name}：{e}") from e
        if result.errors:
            shown = "；".join(f"第 {e.line} 行 {e.code}：{e.reason}" for e in result.errors[:5])
            raise DemoError(f"导入 {path.name} 失败（{len(result.errors)} 处错误）：{shown}")
        created += result.created
    return created


def official_units() -> tuple[Area, list[Area], list[Unit]]:
    district = Area.objects.get(code=DISTRICT_CODE)
    streets = list(Area.objects.subtree(DISTRICT_CODE).of_kind(AreaKind.STREET).order_by("code"))
    names = {s.code: s.name for s in streets}
    units = [
        Unit(a.code, a.name, a.kind, a.code[:9], names.get(a.code[:9], ""))
        for a in Area.objects.subtree(DISTRICT_CODE)
        .of_kind(AreaKind.COMMUNITY, AreaKind.VILLAGE)
        .order_by("code")
    ]
    if not streets or not units:
        raise DemoError("区划导入后仍没有街道或社区，无法生成网格。")
    return district, streets, units


# ---- splitting households -----------------------------------------------------------------


def split(rng: random.Random, total: int, parts: int, jitter: float = 0.25) -> list[int]:
    """``parts`` positive integers summing to ``total``, each near the mean."""
    weights = [rng.uniform(1 - jitter, 1 + jitter) for _ in range(parts)]
    scale = total / sum(weights)
    sizes = [max(1, int(w * scale)) for w in weights]
    i = 0
    while sum(sizes) != total:
        step = 1 if sum(sizes) < total else -1
        if sizes[i % parts] + step >= 1:
            sizes[i % parts] += step
        i += 1
    return sizes


def split_bounded(rng: random.Random, total: int, low: int, high: int) -> list[int]:
    """Split ``total`` into parts each within [low, high]; needs total >= low."""
    least = -(-total // high)
    most = total // low
    parts = min(most, max(least, round(total / rng.uniform(380, 460))))
    sizes = []
    remaining = total
    for left in range(parts, 1, -1):
        lo = max(low, remaining - high * (left - 1))
        hi = min(high, remaining - low * (left - 1))
        size = max(lo, min(hi, round(remaining / left * rng.uniform(0.85, 1.15))))
        sizes.append(size)
        remaining -= size
    sizes.append(remaining)
    return sizes


# ---- naming -------------------------------------------------------------------------------


def _stem(name: str) -> str:
    for suffix in ("社区居委会", "社区", "居委会"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    if name.endswith("居") and len(name) > 2:
        return name[:-1]
    return name


def _home_estate(stem: str) -> str | None:
    """The compound a community is named after (春元里 → 春元里小区), if its name allows."""
    if stem.endswith("小区"):
        return stem
    if "第" in stem or stem.endswith("区"):
        return None
    if stem.endswith(("苑", "园", "府", "城", "都")):
        return stem
    return stem + "小区"


def _roads(unit: Unit) -> list[str]:
    roads = list(STREET_ROADS.get(unit.street_code[-3:], ("英雄山路",)))
    stem = _stem(unit.name)
    if stem.endswith(("路", "街", "巷")) and stem not in roads:
        roads.insert(0, stem)
    return roads


def _estate_parts(rng: random.Random, count: int) -> list[str]:
    """Suffixes of the parts of an estate that spans ``count`` compounds."""
    if count == 1:
        return [""]
    if count == 2:
        return list(rng.choice((("北区", "南区"), ("东区", "西区"), ("一期", "二期"))))
    if count == 4 and rng.random() < 0.5:
        return ["东区", "西区", "南区", "北区"]
    word = rng.choice(("区", "期")) if count <= 3 else "区"
    return [f"{n}{word}" for n in NUMERALS[:count]]


def _address(rng: random.Random, road: str, taken: _Names) -> str:
    return f"{DISTRICT_NAME}{road}{taken.number(rng, road)}号"


def _courtyard(rng: random.Random, roads: list[str], taken: _Names) -> tuple[str, str, str]:
    road = rng.choice(roads)
    n = taken.number(rng, road)
    name = f"{road}{n}号院"
    taken.names.add(name)
    return name, f"{DISTRICT_NAME}{road}{n}号", "courtyard"


def _dorm(rng: random.Random, roads: list[str], taken: _Names) -> tuple[str, str, str]:
    """A work unit's housing (电业局宿舍, 纬二路宿舍), else a courtyard when all are taken."""
    road = rng.choice(roads)
    unit = rng.choice(DORM_UNITS)
    for name in (f"{unit}{rng.choice(('宿舍', '家属院'))}", f"{road}宿舍", f"{unit}{road}宿舍"):
        if name not in taken.names:
            taken.names.add(name)
            return name, _address(rng, road, taken), "dorm"
    return _courtyard(rng, roads, taken)


def _estate_name(rng: random.Random, taken: _Names) -> str:
    while True:
        name = rng.choice(ESTATE_PREFIXES) + rng.choice(ESTATE_SUFFIXES)
        if name not in taken.names:
            return name


def _old_town_names(
    rng: random.Random, count: int, home: str | None, roads: list[str], taken: _Names
) -> list[tuple[str, str, str]]:
    """Courtyards and dormitories, with the community's namesake and a small estate now and
    then."""
    names = []
    if home and rng.random() < 0.7:
        road = rng.choice(roads)
        parts = _estate_parts(rng, min(count, rng.choice((1, 1, 2, 3))))
        names += [(home + part, _address(rng, road, taken), "home") for part in parts]
        taken.names.update(name for name, _, _ in names)
    while len(names) < count:
        draw = rng.choices((_courtyard, _dorm, None), weights=(50, 30, 20))[0]
        if draw is None:
            name = _estate_name(rng, taken)
            taken.names.add(name)
            names.append((name, _address(rng, rng.choice(roads), taken), "estate"))
        else:
            names.append(draw(rng, roads, taken))
    return names


def _new_town_names(
    rng: random.Random, count: int, home: str | None, roads: list[str], taken: _Names
) -> list[tuple[str, str, str]]:
    """Estates built in phases, each spanning several compounds (阳光舜城一区…四区), and now
    and then a resettlement courtyard."""
    names = []
    bases = [home] if home else []
    while len(names) < count:
        if rng.random() < 0.12:
            names.append(_courtyard(rng, roads, taken))
            continue
        base = bases.pop(0) if bases else _estate_name(rng, taken)
        taken.names.add(base)
        road = rng.choice(roads)
        size = min(count - len(names), rng.choice((1, 2, 2, 3, 4, 5, 6)))
        style = "home" if base == home else "estate"
        for part in _estate_parts(rng, size):
            names.append((base + part, _address(rng, road, taken), style))
            taken.names.add(base + part)
    return names


# ---- planning -----------------------------------------------------------------------------


def _plan_community(rng: random.Random, unit: Unit, plan: AreaPlan, taken: _Names) -> None:
    low, high = COMMUNITY_HOUSEHOLDS
    total = low + int((high - low) * rng.betavariate(1.4, 3.5))
    plan.unit_households[unit.code] = total
    roads = _roads(unit)
    old_town = unit.street_code[-3:] in OLD_TOWN
    home = _home_estate(_stem(unit.name))
    if home in taken.names:
        home = None
    per_grid = []
    for households in split_bounded(rng, total, *URBAN_GRID_HOUSEHOLDS):
        weights = (35, 45, 20) if old_town else (55, 35, 10)
        count = rng.choices((1, 2, 3), weights=weights)[0]
        per_grid.append(split(rng, households, count))
    count = sum(len(sizes) for sizes in per_grid)
    names = (_old_town_names if old_town else _new_town_names)(rng, count, home, roads, taken)
    names.reverse()
    for g, sizes in enumerate(per_grid, start=1):
        grid = Cell(
            f"{unit.code}{g:03d}", f"{unit.name}第{g}网格", AreaKind.GRID, unit.code, sum(sizes)
        )
        plan.grids.append(grid)
        for c, households in enumerate(sizes, start=1):
            name, address, style = names.pop()
            compound = Cell(
                f"{grid.code}{c:03d}", name, AreaKind.COMPOUND, grid.code, households, address
            )
            plan.compounds.append(compound)
            size = rng.randint(*BUILDING_SIZES[style])
            buildings = min(999, max(1, round(households / size)))
            for b, building_households in enumerate(split(rng, households, buildings), start=1):
                plan.buildings.append(
                    Cell(
                        f"{compound.code}{b:03d}",
                        f"{b}号楼",
                        AreaKind.BUILDING,
                        compound.code,
                        building_households,
                    )
                )


def _plan_village(rng: random.Random, unit: Unit, plan: AreaPlan) -> None:
    total = int(rng.triangular(*VILLAGE_HOUSEHOLDS))
    plan.unit_households[unit.code] = total
    grids = 1 if total < 450 else 2 if total < 900 else 3
    numbered = rng.random() < 0.6
    naturals = rng.sample(NATURAL_VILLAGES, len(NATURAL_VILLAGES))
    place = 0
    for g, grid_households in enumerate(split(rng, total, grids, jitter=0.15), start=1):
        grid = Cell(
            f"{unit.code}{g:03d}",
            f"{unit.name}第{g}网格",
            AreaKind.GRID,
            unit.code,
            grid_households,
        )
        plan.grids.append(grid)
        groups = min(rng.randint(2, 4), max(1, grid_households // 40))
        for c, households in enumerate(split(rng, grid_households, groups), start=1):
            name = f"{NUMERALS[place]}组" if numbered else naturals[place]
            place += 1
            plan.compounds.append(
                Cell(
                    f"{grid.code}{c:03d}",
                    name,
                    AreaKind.COMPOUND,
                    grid.code,
                    households,
                    f"{DISTRICT_NAME}{unit.street_name}{unit.name}{name}",
                )
            )


def plan_areas(units: list[Unit]) -> AreaPlan:
    plan = AreaPlan()
    taken = _Names()
    for unit in units:
        rng = random.Random(f"{SEED}:area:{unit.code}")
        if unit.kind == AreaKind.COMMUNITY:
            _plan_community(rng, unit, plan, taken)
        else:
            _plan_village(rng, unit, plan)
    return plan


# ---- writing ------------------------------------------------------------------------------


def sync_areas(plan: AreaPlan, locate: Callable[[Area], None] | None = None) -> dict[str, int]:
    """Create the planned grids, compounds and buildings that are missing, and fill the
    household count of communities and villages that have none. ``locate`` sets the
    boundary or point of a new row before it is inserted. Returns created counts."""
    units = list(Area.objects.filter(code__in=plan.unit_households, households__isnull=True))
    for unit in units:
        unit.households = plan.unit_households[unit.code]
    Area.objects.bulk_update(units, ["households"], batch_size=BATCH_SIZE)

    created = {}
    parents = existing(Area, "code", plan.unit_households, "depth")
    for key, cells in (
        ("grids", plan.grids),
        ("compounds", plan.compounds),
        ("buildings", plan.buildings),
    ):
        rows = []
        for c in cells:
            parent_id, parent_depth = parents[c.parent_code]
            rows.append(
                Area(
                    code=c.code,
                    name=c.name,
                    kind=c.kind,
                    parent_id=parent_id,
                    depth=parent_depth + 1,
                    households=c.households,
                    address=c.address,
                )
            )
            if locate is not None:
                locate(rows[-1])
        created[key] = bulk_create_missing(Area, rows, "code")
        parents = existing(Area, "code", [c.code for c in cells], "depth")
    return created
