"""The rubric's arithmetic for pages: full marks, totals, shares, award bands in words."""

from .. import scoring
from ..models import (
    AwardBand,
    Contest,
    Criterion,
)


def criteria_of(contest: Contest) -> list[Criterion]:
    return list(contest.criteria.order_by("sequence", "id"))


def award_bands_of(contest: Contest) -> list[AwardBand]:
    return list(contest.award_bands.all())


def award_band_rows(bands: list[AwardBand]) -> list[tuple[AwardBand, str]]:
    """Each band with the ranks it covers in words: 第1名, 第2–3名, 第7名及以后."""
    rows, start = [], 1
    for band in bands:
        if band.up_to_rank is None:
            rows.append((band, f"第{start}名及以后"))
            continue
        label = f"第{start}名" if band.up_to_rank == start else f"第{start}–{band.up_to_rank}名"
        rows.append((band, label))
        start = band.up_to_rank + 1
    return rows


def full_marks(criteria: list[Criterion]):
    return sum((c.full_marks for c in criteria), scoring.Decimal(0))


def total_of(values: dict, criteria: list[Criterion]) -> scoring.Decimal | None:
    if not criteria or any(values.get(c.pk) is None for c in criteria):
        return None
    return scoring.sheet_total(values, {c.pk: c.weight for c in criteria})


def share_of(criterion: Criterion, criteria: list[Criterion]) -> int:
    """The criterion's share of full marks, in whole percent."""
    marks = full_marks(criteria)
    return round(criterion.full_marks * 100 / marks) if marks else 0
