"""The contest's arithmetic: sheet totals, the trimmed mean, ranks with ties, awards.

Pure functions over plain values, so the rules can be read and tested without a database.

- A sheet's total is Σ weight × score over the rubric.
- An entry's score is the mean of its judges' submitted totals; when at least
  ``TRIM_MIN_JUDGES`` judges have submitted, the single highest and the single lowest
  total are dropped first (去掉一个最高分和一个最低分). The score is rounded half up to two
  decimals, as it is announced, and ranks compare the rounded scores.
- Entries with the same score are ordered by the tie-break criterion: the mean of that
  criterion's scores over the same sheets the score kept, rounded the same way, higher
  first. Entries still equal share the rank (并列, "1, 2, 2, 4").
- Awards go by rank bands; a band covers ranks up to its ``up_to_rank``, so tied entries
  share the award of their common rank.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TRIM_MIN_JUDGES = 5
PLACES = Decimal("0.01")


def announced(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def sheet_total(values: Mapping[int, Decimal], weights: Mapping[int, Decimal]) -> Decimal:
    """Σ weight × score over the criteria ``weights`` (criterion id -> weight)."""
    return sum((weights[c] * values[c] for c in weights), Decimal(0))


@dataclass(frozen=True)
class Trimmed:
    score: Decimal | None
    kept: tuple[int, ...]  # indexes of the totals that count
    dropped_high: int | None = None
    dropped_low: int | None = None


def trimmed_mean(totals: Sequence[Decimal]) -> Trimmed:
    """The announced mean of ``totals`` without the highest and the lowest one when there
    are at least ``TRIM_MIN_JUDGES`` of them (one of each, even when several are equal)."""
    if not totals:
        return Trimmed(None, ())
    order = sorted(range(len(totals)), key=lambda i: (totals[i], i))
    if len(totals) >= TRIM_MIN_JUDGES:
        low, high = order[0], order[-1]
        kept = tuple(sorted(order[1:-1]))
    else:
        low = high = None
        kept = tuple(range(len(totals)))
    mean = sum((totals[i] for i in kept), Decimal(0)) / len(kept)
    return Trimmed(announced(mean), kept, high, low)


def kept_mean(values: Sequence[Decimal], kept: Iterable[int]) -> Decimal | None:
    kept = list(kept)
    if not kept:
        return None
    return announced(sum((values[i] for i in kept), Decimal(0)) / len(kept))


@dataclass
class Standing:
    """One entry's place in a round. ``key`` identifies the entry to the caller."""

    key: int
    score: Decimal | None
    tie_break: Decimal | None = None
    rank: int | None = None
    tied: bool = False  # shares its rank with another entry
    split_by_tie_break: bool = False  # same score as a neighbour, ordered by the tie-break
    award: str = ""
    extra: dict = field(default_factory=dict)


def rank(standings: list[Standing]) -> list[Standing]:
    """Rank in place and return the standings best first; unscored entries come last
    without a rank, in the order given."""
    scored = [s for s in standings if s.score is not None]
    unscored = [s for s in standings if s.score is None]
    minus_inf = Decimal("-Infinity")
    scored.sort(key=lambda s: (-s.score, -(s.tie_break if s.tie_break is not None else minus_inf)))
    previous = None
    for position, s in enumerate(scored, start=1):
        key = (s.score, s.tie_break)
        if previous is not None and key == (previous.score, previous.tie_break):
            s.rank = previous.rank
            s.tied = previous.tied = True
        else:
            s.rank = position
        previous = s
    by_score: dict[Decimal, list[Standing]] = {}
    for s in scored:
        by_score.setdefault(s.score, []).append(s)
    for group in by_score.values():
        if len({s.tie_break for s in group}) > 1:
            for s in group:
                s.split_by_tie_break = True
    return scored + unscored


def award_for(position: int | None, bands: Sequence[tuple[str, int | None]]) -> str:
    """The award of a rank: ``bands`` are (name, up_to_rank) with the open band last."""
    if position is None:
        return ""
    for name, up_to in bands:
        if up_to is None or position <= up_to:
            return name
    return ""
