"""What the rural dashboard shows beyond the registered figures: the same ledger facts
broken down by street (or by village) and by year, from the same selectors."""

from dataclasses import dataclass

from jiceng.core.models import Area, AreaKind

from .villages import IncomeFacts, village_income_matrix, village_list_visible_to


@dataclass(frozen=True)
class BreakdownRow:
    area: Area
    facts: IncomeFacts


def income_breakdown(*, user, under: Area, year: int | None) -> list[BreakdownRow]:
    """Per street of a district, per village of a street (two queries)."""
    villages = list(village_list_visible_to(user=user, under=under).select_related("parent"))
    matrix = village_income_matrix(user=user, under=under, years=[year]) if year else {}
    groups: dict[int, tuple[Area, list[Area]]] = {}
    for village in villages:
        key = village.parent if under.kind == AreaKind.DISTRICT else village
        groups.setdefault(key.pk, (key, []))[1].append(village)
    rows = []
    for area, members in groups.values():
        totals = {v.pk: matrix[v.pk][year] for v in members if year in matrix.get(v.pk, {})}
        rows.append(BreakdownRow(area, IncomeFacts(year, len(members), totals)))
    return rows


def income_trend(*, user, under: Area, years: list[int]) -> list[IncomeFacts]:
    """The ledger facts of each year, oldest first (two queries)."""
    villages = village_list_visible_to(user=user, under=under).count()
    matrix = village_income_matrix(user=user, under=under, years=years)
    return [
        IncomeFacts(y, villages, {a: m[y] for a, m in matrix.items() if y in m})
        for y in sorted(years)
    ]
