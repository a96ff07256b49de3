"""A round's standings as a user may see them (``scoring`` does the arithmetic)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch

from .. import scoring
from ..models import (
    Criterion,
    Entry,
    Round,
    RoundEntry,
    Score,
    ScoreSheet,
    SheetStatus,
)
from ..permissions import is_contest_admin
from .access import _staff_entry_q
from .rubric import award_bands_of, criteria_of, full_marks


@dataclass
class RankingRow:
    round_entry: RoundEntry
    entry: Entry
    standing: scoring.Standing
    expected: int
    submitted: int

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.submitted == self.expected


@dataclass
class Ranking:
    round: Round
    rows: list[RankingRow]
    expected: int
    submitted: int
    entry_count: int
    tie_break: Criterion | None
    full_marks: scoring.Decimal
    advancing: int | None = None

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.submitted == self.expected

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.expected) if self.expected else 0


def round_ranking(*, user, rnd: Round, everyone: bool = False) -> Ranking:
    """The round's standings computed over all its entries, showing only the rows of the
    entries the user may see (a street sees its own entries with their overall ranks).
    ``everyone=True`` shows every row: for services and exports that checked already.

    Query count does not grow with entries or judges: the round entries, the sheets, the
    submitted scores, the rubric, the award bands and the visible entry ids.
    """
    contest = rnd.contest
    round_entries = list(
        rnd.round_entries.select_related(
            "entry__village__parent", "entry__presenter_person", "entry__presenter_org"
        ).order_by("sequence")
    )
    sheets = list(
        ScoreSheet.objects.filter(round_entry__round=rnd).values_list(
            "pk", "round_entry_id", "status"
        )
    )
    values: dict[int, dict[int, scoring.Decimal]] = defaultdict(dict)
    for sheet_id, criterion_id, value in Score.objects.filter(
        sheet__round_entry__round=rnd, sheet__status=SheetStatus.SUBMITTED
    ).values_list("sheet_id", "criterion_id", "value"):
        values[sheet_id][criterion_id] = value
    criteria = criteria_of(contest)
    weights = {c.pk: c.weight for c in criteria}
    tie_break = next((c for c in criteria if c.pk == contest.tie_break_criterion_id), None)

    expected: dict[int, int] = defaultdict(int)
    submitted_ids: dict[int, list[int]] = defaultdict(list)
    for sheet_id, re_id, status in sheets:
        expected[re_id] += 1
        if status == SheetStatus.SUBMITTED and set(weights) <= set(values[sheet_id]):
            submitted_ids[re_id].append(sheet_id)

    standings = []
    for re in round_entries:
        ids = sorted(submitted_ids[re.pk])
        totals = [scoring.sheet_total(values[i], weights) for i in ids]
        trimmed = scoring.trimmed_mean(totals)
        tb = None
        if tie_break is not None and trimmed.score is not None:
            tb = scoring.kept_mean([values[i][tie_break.pk] for i in ids], trimmed.kept)
        standings.append(
            scoring.Standing(
                key=re.pk,
                score=trimmed.score,
                tie_break=tb,
                extra={
                    "totals": totals,
                    "dropped_high": trimmed.dropped_high,
                    "dropped_low": trimmed.dropped_low,
                },
            )
        )
    ordered = scoring.rank(standings)
    complete = bool(sheets) and all(
        len(submitted_ids[re.pk]) == expected[re.pk] and expected[re.pk] for re in round_entries
    )
    advancing = None
    if complete and rnd.is_final:
        bands = [(b.name, b.up_to_rank) for b in award_bands_of(contest)]
        for s in ordered:
            s.award = scoring.award_for(s.rank, bands)
    elif complete and rnd.advance_count:
        advancing = rnd.advance_count
        for s in ordered:
            if s.rank is not None and s.rank <= rnd.advance_count:
                s.award = "晋级"

    by_pk = {re.pk: re for re in round_entries}
    if everyone or is_contest_admin(user, contest):
        visible = set(by_pk)
    else:
        visible = set(
            RoundEntry.objects.filter(_staff_entry_q(user, "entry__"), round=rnd).values_list(
                "pk", flat=True
            )
        )
    rows = [
        RankingRow(
            round_entry=by_pk[s.key],
            entry=by_pk[s.key].entry,
            standing=s,
            expected=expected[s.key],
            submitted=len(submitted_ids[s.key]),
        )
        for s in ordered
        if s.key in visible
    ]
    return Ranking(
        round=rnd,
        rows=rows,
        expected=len(sheets),
        submitted=sum(len(v) for v in submitted_ids.values()),
        entry_count=len(round_entries),
        tie_break=tie_break,
        full_marks=full_marks(criteria),
        advancing=advancing,
    )


def ranking_visible_to(*, user, rnd: Round) -> bool:
    """Whether the user may see the round's results: its admins and the staff who see at
    least one of its entries (a judge as such never does)."""
    if is_contest_admin(user, rnd.contest):
        return True
    return RoundEntry.objects.filter(_staff_entry_q(user, "entry__"), round=rnd).exists()


def entry_results(*, user, entry: Entry) -> list[tuple[Round, RankingRow | None]]:
    """The entry's row in each round it took part in, for those who may see results."""
    out = []
    for re in entry.round_entries.select_related("round__contest").order_by("round__sequence"):
        rnd = re.round
        if not ranking_visible_to(user=user, rnd=rnd):
            continue
        ranking = round_ranking(user=user, rnd=rnd)
        out.append((rnd, next((r for r in ranking.rows if r.round_entry.pk == re.pk), None)))
    return out


def export_sheets(*, user, rnd: Round) -> list[ScoreSheet]:
    """Every sheet of the round with scores, for the admin's export."""
    if not is_contest_admin(user, rnd.contest):
        return []
    return list(
        ScoreSheet.objects.filter(round_entry__round=rnd)
        .select_related("judge__person", "round_entry__entry")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.order_by("criterion__sequence"))
        )
        .order_by("round_entry__sequence", "judge__username")
    )
