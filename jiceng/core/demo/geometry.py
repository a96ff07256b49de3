"""Where the demo's areas lie: boundaries for the district, streets, communities, villages
and grids, points for compounds and buildings, and the other names residents use for
compounds (AreaAlias rows).

The district is a convex outline of Shizhong's real extent (WGS-84, lng 116.90-117.05,
lat 36.50-36.68). Each street's cell is its Voronoi cell around a seed near its real
place (the old town in the north, 党家, 陡沟, 十六里河 and 兴隆 in the south), clipped to
the outline; each street's cell is split the same way among its communities and villages
(communities to the north, villages to the south), and each of those among its grids. A
Voronoi cell clipped to a convex polygon is convex, so every cell is one convex polygon,
the children of a cell tile it exactly and no two cells overlap. Every seed comes from a
generator seeded with the unit's code, so the geometry is the same on every run.
"""

import random
from dataclasses import dataclass, field

import shapely
from shapely.geometry import MultiPoint, Polygon, mapping

from ..models import Area, AreaAlias, AreaKind
from .areas import DISTRICT_CODE, DISTRICT_NAME, AreaPlan, Unit
from .common import BATCH_SIZE, SEED, chunked

# Points are rounded to about 1 cm; polygons keep every digit, so that cells cut from the
# two sides of one edge meet exactly rather than overlap by a rounding error.
DIGITS = 7
# Shizhong's outline, roughly: 经一路 and the railway in the north, the hills of 党家 and
# 兴隆 in the south.
OUTLINE = (
    (116.935, 36.676),
    (116.975, 36.679),
    (117.025, 36.673),
    (117.046, 36.655),
    (117.049, 36.620),
    (117.047, 36.585),
    (117.033, 36.545),
    (117.005, 36.505),
    (116.965, 36.501),
    (116.933, 36.520),
    (116.906, 36.555),
    (116.901, 36.600),
    (116.912, 36.640),
    (116.922, 36.664),
)
# Seeds near each street's real place, by the street code's last three digits.
STREET_SEEDS = {
    "002": (116.998, 36.664),  # 大观园
    "003": (117.010, 36.654),  # 杆石桥
    "004": (117.010, 36.643),  # 四里村
    "006": (116.985, 36.664),  # 魏家庄
    "008": (116.988, 36.645),  # 二七
    "009": (116.998, 36.632),  # 七里山
    "010": (117.014, 36.631),  # 六里山
    "012": (117.022, 36.619),  # 舜玉路
    "014": (117.022, 36.667),  # 泺源
    "015": (116.962, 36.648),  # 王官庄
    "016": (117.036, 36.633),  # 舜耕
    "017": (116.945, 36.660),  # 白马山
    "018": (116.982, 36.618),  # 七贤
    "019": (117.010, 36.595),  # 十六里河
    "020": (117.037, 36.585),  # 兴隆
    "021": (116.965, 36.560),  # 党家
    "022": (116.925, 36.600),  # 陡沟
}
# A building stands within about 60 m of its compound's point.
BUILDING_SPREAD = 0.0006


@dataclass
class GeometryPlan:
    boundaries: dict[str, dict] = field(default_factory=dict)  # code -> GeoJSON Polygon
    points: dict[str, tuple[float, float]] = field(default_factory=dict)  # code -> (lng, lat)
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (compound code, alias)


def _points_in(
    rng: random.Random, polygon: Polygon, count: int, near: tuple[float, float] | None = None
) -> list[tuple[float, float]]:
    """``count`` points inside ``polygon``: anywhere in it, or within ``BUILDING_SPREAD`` of
    ``near`` (falling back to ``near`` itself). One vectorised containment test per batch."""
    if near is not None:
        xs = [round(near[0] + rng.uniform(-1, 1) * BUILDING_SPREAD, DIGITS) for _ in range(count)]
        ys = [round(near[1] + rng.uniform(-1, 1) * BUILDING_SPREAD, DIGITS) for _ in range(count)]
        inside = shapely.contains_xy(polygon, xs, ys)
        return [(x, y) if ok else near for x, y, ok in zip(xs, ys, inside, strict=True)]
    minx, miny, maxx, maxy = polygon.bounds
    found: list[tuple[float, float]] = []
    for _ in range(50):
        batch = 4 * (count - len(found))
        xs = [round(rng.uniform(minx, maxx), DIGITS) for _ in range(batch)]
        ys = [round(rng.uniform(miny, maxy), DIGITS) for _ in range(batch)]
        inside = shapely.contains_xy(polygon, xs, ys)
        found += [(x, y) for x, y, ok in zip(xs, ys, inside, strict=True) if ok]
        if len(found) >= count:
            return found[:count]
    point = polygon.representative_point()
    return (found + [(round(point.x, DIGITS), round(point.y, DIGITS))] * count)[:count]


def _split(rng: random.Random, cell: Polygon, count: int, relax: int = 1) -> list[Polygon]:
    """``count`` convex cells tiling ``cell``, north to south by their seeds."""
    if count == 1:
        return [cell]
    shapely.prepare(cell)
    seeds = _points_in(rng, cell, count)
    for _ in range(relax + 1):
        regions = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=cell, ordered=True)
        cells = [region.intersection(cell) for region in regions.geoms]
        # Lloyd relaxation: seeds move to their cell's centroid, so cells even out.
        seeds = [(c.centroid.x, c.centroid.y) for c in cells]
    order = sorted(range(count), key=lambda i: (-seeds[i][1], seeds[i][0]))
    return [cells[i] for i in order]


def _street_cells(street_codes: list[str]) -> dict[str, Polygon]:
    outline = Polygon(OUTLINE).convex_hull
    rng = random.Random(f"{SEED}:geometry:streets")
    seeds = []
    for code in street_codes:
        seed = STREET_SEEDS.get(code[-3:])
        seeds.append(seed or _points_in(rng, outline, 1)[0])
    regions = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=outline, ordered=True)
    return {
        code: region.intersection(outline)
        for code, region in zip(street_codes, regions.geoms, strict=True)
    }


def _compound_aliases(plan: AreaPlan, rng: random.Random) -> list[tuple[str, str]]:
    """春元里 for 春元里小区; 纬二路12号院 for a dormitory at 纬二路12号; a work unit's name
    for some courtyards (电业局宿舍 for 纬二路12号院)."""
    from .areas import DORM_UNITS

    taken = {c.name for c in plan.compounds}
    aliases = []
    for compound in plan.compounds:
        name = compound.name
        street_address = compound.address.removeprefix(DISTRICT_NAME)
        if name.endswith("小区") and len(name) >= 4:
            aliases.append((compound.code, name[:-2]))
        elif name.endswith(("宿舍", "家属院")) and street_address.endswith("号"):
            aliases.append((compound.code, street_address + "院"))
        elif name.endswith("号院") and rng.random() < 0.3:
            alias = rng.choice(DORM_UNITS) + rng.choice(("宿舍", "家属院"))
            if alias not in taken:
                taken.add(alias)
                aliases.append((compound.code, alias))
    return aliases


def plan_geometry(street_codes: list[str], units: list[Unit], plan: AreaPlan) -> GeometryPlan:
    geo = GeometryPlan()
    streets = _street_cells(street_codes)
    outline = Polygon(OUTLINE).convex_hull
    geo.boundaries[DISTRICT_CODE] = mapping(outline)

    grids_of: dict[str, list[str]] = {}
    for grid in plan.grids:
        grids_of.setdefault(grid.parent_code, []).append(grid.code)
    compounds_of: dict[str, list[str]] = {}
    for compound in plan.compounds:
        compounds_of.setdefault(compound.parent_code, []).append(compound.code)
    buildings_of: dict[str, list[str]] = {}
    for building in plan.buildings:
        buildings_of.setdefault(building.parent_code, []).append(building.code)

    units_of: dict[str, list[Unit]] = {}
    for unit in units:
        units_of.setdefault(unit.street_code, []).append(unit)
    for street_code, street_cell in streets.items():
        geo.boundaries[street_code] = mapping(street_cell)
        members = units_of.get(street_code, [])
        if not members:
            continue
        # Communities take the northern cells, villages the southern ones.
        members = sorted(members, key=lambda u: (u.kind != AreaKind.COMMUNITY, u.code))
        rng = random.Random(f"{SEED}:geometry:{street_code}")
        for unit, unit_cell in zip(members, _split(rng, street_cell, len(members)), strict=True):
            geo.boundaries[unit.code] = mapping(unit_cell)
            grid_codes = grids_of.get(unit.code, [])
            if not grid_codes:
                continue
            rng = random.Random(f"{SEED}:geometry:{unit.code}")
            for grid_code, grid_cell in zip(
                grid_codes, _split(rng, unit_cell, len(grid_codes)), strict=True
            ):
                geo.boundaries[grid_code] = mapping(grid_cell)
                shapely.prepare(grid_cell)
                compounds = compounds_of.get(grid_code, [])
                for compound_code, point in zip(
                    compounds, _points_in(rng, grid_cell, len(compounds)), strict=True
                ):
                    geo.points[compound_code] = point
                    buildings = buildings_of.get(compound_code, [])
                    geo.points.update(
                        zip(
                            buildings,
                            _points_in(rng, grid_cell, len(buildings), near=point),
                            strict=True,
                        )
                    )
    geo.aliases = _compound_aliases(plan, random.Random(f"{SEED}:geometry:aliases"))
    return geo


def apply_geometry(area: Area, geo: GeometryPlan) -> None:
    """Set the planned boundary or point on an unsaved row."""
    if area.code in geo.boundaries:
        area.boundary = geo.boundaries[area.code]
    elif area.code in geo.points:
        area.lng, area.lat = geo.points[area.code]


def sync_geometry(geo: GeometryPlan) -> int:
    """Give the planned boundary or point to every row of the district that has neither;
    rows that have one (planned or edited since) are left alone. Returns rows updated."""
    missing = list(
        Area.objects.subtree(DISTRICT_CODE)
        .filter(boundary__isnull=True, lng__isnull=True)
        .values_list("code", "pk")
    )
    rows = []
    for code, pk in missing:
        if code in geo.boundaries or code in geo.points:
            area = Area(pk=pk, code=code)
            apply_geometry(area, geo)
            rows.append(area)
    boundaries = [a for a in rows if a.boundary is not None]
    points = [a for a in rows if a.boundary is None]
    Area.objects.bulk_update(boundaries, ["boundary"], batch_size=BATCH_SIZE)
    Area.objects.bulk_update(points, ["lng", "lat"], batch_size=BATCH_SIZE)
    return len(rows)


def sync_aliases(geo: GeometryPlan) -> int:
    """Create the planned compound aliases that are missing; returns how many."""
    from jiceng.core.addresses import normalize_address

    codes = list(dict.fromkeys(code for code, _ in geo.aliases))
    ids = {}
    present = set()
    for chunk in chunked(codes):
        ids.update(Area.objects.filter(code__in=chunk).values_list("code", "pk"))
        present.update(
            AreaAlias.objects.filter(area__code__in=chunk).values_list("area__code", "alias")
        )
    rows = [
        AreaAlias(area_id=ids[code], alias=alias, normalized=normalize_address(alias))
        for code, alias in geo.aliases
        if code in ids and (code, alias) not in present
    ]
    AreaAlias.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)
