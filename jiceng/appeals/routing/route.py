"""Resolving an address or a location to its grid (the package docstring says how)."""

import re
from dataclasses import dataclass

from jiceng.core.addresses import normalize_address
from jiceng.core.models import Area, AreaKind, Person

from .index import (
    DERIVED,
    GRID_LENGTH,
    NAME,
    STREET_LENGTH,
    UNIT_LENGTH,
    Candidate,
    Index,
    get_index,
)

_BUILDING = re.compile(r"(\d+|[A-Z])号楼")
_ROAD_ENDINGS = frozenset("路街巷")

# Resolutions remembered per index: every compound key with every building is ~20k.
MEMO_LIMIT = 200_000
CONFIDENCE = {
    "building": 0.98,
    "compound": 0.95,
    "alias": 0.9,
    "point": 0.8,
    "community": 0.5,
    "street": 0.3,
    "none": 0.0,
}
# Taken off when the answer needed a guess: a name shared by several compounds settled by
# the street or community in the address or by the building number, or a hint that
# contradicts the match, or a location that lies in another grid.
AMBIGUITY_PENALTY = 0.1
CONFLICT_PENALTY = 0.2


@dataclass(frozen=True)
class RouteResult:
    area: Area | None  # the grid, else the community (属地兜底), else the street
    grid: Area | None
    steward: Person | None  # the grid's 网格管家, or for a community fallback its 总管家
    method: str  # building | compound | alias | point | community | street | none
    confidence: float  # 0..1
    normalized: str


def _resolve(
    index: Index,
    candidates: list[Candidate],
    building: str | None,
    units: tuple[str, ...],
    streets: tuple[str, ...],
) -> tuple[tuple[str, str, float] | None, str | None]:
    """From the candidates of one key, the building named after it and the hints:
    ((grid code, method, confidence), None) when they name one grid, else (None, the one
    community or village all candidates share, for the 属地兜底, or None)."""
    if len(candidates) == 1:  # the common case, kept short
        only = candidates[0]
        code = only.compound
        penalty = 0.0
        if (units and not code.startswith(units)) or (streets and not code.startswith(streets)):
            penalty = CONFLICT_PENALTY
        if building is not None and (code, building) in index.buildings:
            method = "building"
        else:
            method = "compound" if only.source == NAME else "alias"
        return (code[:GRID_LENGTH], method, round(CONFIDENCE[method] - penalty, 2)), None
    chosen = candidates
    penalty = 0.0
    for hints in (units, streets):
        if hints and len(chosen) > 1:
            narrowed = [c for c in chosen if c.compound.startswith(hints)]
            if narrowed and len(narrowed) < len(chosen):
                chosen = narrowed
                penalty = AMBIGUITY_PENALTY
    if building is not None:
        holders = [c for c in chosen if (c.compound, building) in index.buildings]
        if holders:
            if len(holders) < len(chosen):
                penalty = AMBIGUITY_PENALTY
            chosen = holders
        else:
            building = None
    grids = {c.compound[:GRID_LENGTH] for c in chosen}
    if len(grids) > 1:
        # A compound's own name outranks another's alias, an alias a derived name.
        best = min(c.source for c in chosen)
        preferred = [c for c in chosen if c.source == best]
        if len({c.compound[:GRID_LENGTH] for c in preferred}) == 1:
            chosen = preferred
            grids = {c.compound[:GRID_LENGTH] for c in chosen}
            penalty = AMBIGUITY_PENALTY
    if len(grids) != 1:
        shared = {c.compound[:UNIT_LENGTH] for c in chosen}
        return None, (shared.pop() if len(shared) == 1 else None)
    best = min(c.source for c in chosen)
    if building:
        method = "building"
    else:
        method = "compound" if best == NAME else "alias"
    if best >= DERIVED and len(chosen) > 1:
        penalty = max(penalty, AMBIGUITY_PENALTY)
    return (grids.pop(), method, round(CONFIDENCE[method] - penalty, 2)), None


def _point_codes(index: Index, lng: float, lat: float) -> tuple[str | None, str | None]:
    """(grid code, community or village code) whose boundary holds the point."""
    from shapely import Point

    grids, grid_codes, units, unit_codes = index.spatial()
    point = Point(lng, lat)
    grid = unit = None
    if grid_codes:
        hits = grids.query(point, predicate="intersects")
        if len(hits):
            grid = min(grid_codes[i] for i in hits)
    if grid is None and unit_codes:
        hits = units.query(point, predicate="intersects")
        if len(hits):
            unit = min(unit_codes[i] for i in hits)
    return grid, unit


def _result(index: Index, code: str, method: str, confidence: float, normalized: str):
    target = index.targets.get(code)
    if target is None:
        area = index.areas.get(code)
        if area is None:
            return RouteResult(None, None, None, "none", 0.0, normalized)
        grid = area if area.kind == AreaKind.GRID else None
        steward = index.stewards.get(code) if len(code) in (GRID_LENGTH, UNIT_LENGTH) else None
        target = index.targets[code] = (area, grid, steward)
    area, grid, steward = target
    return RouteResult(area, grid, steward, method, round(max(confidence, 0.05), 2), normalized)


def route(*, address: str = "", lng: float | None = None, lat: float | None = None) -> RouteResult:
    """Route one appeal by its address text and/or its location (WGS-84 degrees)."""
    index = get_index()
    text = normalize_address(address)
    matches = index.scan(text) if text else []

    units: list[str] = []
    streets: list[str] = []
    hint_spans = []
    for start, end, key in matches:
        hint = index.hints.get(key)
        if hint is not None and key not in index.compounds:
            hint_spans.append((start, end))
            kind, code = hint
            (streets if kind == AreaKind.STREET else units).append(code)
    if hint_spans:
        kept, last = [], 0
        for start, end in hint_spans:
            kept.append(text[last:start])
            last = end
        kept.append(text[last:])
        normalized = "".join(kept)
    else:
        normalized = text
    for unit in units:
        if unit[:STREET_LENGTH] not in streets:
            streets.append(unit[:STREET_LENGTH])
    unit_hints, street_hints = tuple(units), tuple(streets)

    fallback_unit = None
    for _, end, key in matches:
        candidates = index.compounds.get(key)
        if not candidates or text[end : end + 1] in _ROAD_ENDINGS:
            continue  # a name followed by 路 or 街 is a road's (英雄山 in 英雄山路)
        rest = text[end:]
        building = _BUILDING.search(rest).group(0) if "号楼" in rest else None
        memo = (key, building, unit_hints, street_hints)
        resolved = index.resolved.get(memo)
        if resolved is None:
            resolved = _resolve(index, candidates, building, unit_hints, street_hints)
            if len(index.resolved) < MEMO_LIMIT:
                index.resolved[memo] = resolved
        found, shared_unit = resolved
        if found is not None:
            grid, method, confidence = found
            if lng is not None and lat is not None:
                point_grid, _ = _point_codes(index, lng, lat)
                if point_grid is not None and point_grid != grid:
                    confidence -= AMBIGUITY_PENALTY
            return _result(index, grid, method, confidence, normalized)
        fallback_unit = fallback_unit or shared_unit

    point_unit = None
    if lng is not None and lat is not None:
        point_grid, point_unit = _point_codes(index, lng, lat)
        if point_grid is not None:
            confidence = CONFIDENCE["point"]
            if units and point_grid[:UNIT_LENGTH] not in units:
                confidence -= CONFLICT_PENALTY
            return _result(index, point_grid, "point", confidence, normalized)

    unit = units[0] if units else fallback_unit or point_unit
    if unit is not None:
        confidence = CONFIDENCE["community"] - (0 if units else AMBIGUITY_PENALTY)
        return _result(index, unit, "community", confidence, normalized)
    if streets:
        return _result(index, streets[0], "street", CONFIDENCE["street"], normalized)
    return RouteResult(None, None, None, "none", 0.0, normalized)
