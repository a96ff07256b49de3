"""Reads that one page needs: a round's panel and entries, a judge's sheets, an entry's
sheets for the admin."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from jiceng.core.models import User

from .. import scoring
from ..conflicts import judge_streets_by_user, street_names
from ..models import (
    Contest,
    Criterion,
    Entry,
    Round,
    RoundEntry,
    ScoreSheet,
    SheetStatus,
)
from ..permissions import is_contest_admin
from .access import _sheet_qs, entry_list_visible_to
from .ranking import ranking_visible_to
from .rubric import criteria_of, total_of


@dataclass
class JudgeRow:
    judge: User
    streets: list[str]
    assigned: int = 0
    submitted: int = 0
    recused: list[Entry] = field(default_factory=list)


def round_panel(*, user, rnd: Round) -> list[JudgeRow]:
    """The round's judges with their streets, progress and the entries they stand aside
    from (contest admins only)."""
    if not is_contest_admin(user, rnd.contest):
        return []
    panel = list(rnd.panel.select_related("judge__person").order_by("id"))
    streets = judge_streets_by_user([p.judge_id for p in panel])
    names = street_names({s for codes in streets.values() for s in codes})
    counts = defaultdict(lambda: [0, 0])
    for judge_id, status in ScoreSheet.objects.filter(round_entry__round=rnd).values_list(
        "judge_id", "status"
    ):
        counts[judge_id][0] += 1
        counts[judge_id][1] += status == SheetStatus.SUBMITTED
    entries = [re.entry for re in rnd.round_entries.select_related("entry__village")]
    rows = []
    for p in panel:
        codes = streets.get(p.judge_id, set())
        rows.append(
            JudgeRow(
                judge=p.judge,
                streets=[names.get(c, c) for c in sorted(codes)],
                assigned=counts[p.judge_id][0],
                submitted=counts[p.judge_id][1],
                recused=[e for e in entries if e.street_code in codes],
            )
        )
    return rows


def round_entries_of(*, user, rnd: Round) -> list[RoundEntry]:
    """The round's entries the user may see, in order of presentation, with how many of
    their sheets are submitted."""
    return list(
        rnd.round_entries.filter(entry__in=entry_list_visible_to(user=user, contest=rnd.contest))
        .select_related("entry__village__parent", "entry__presenter_person", "entry__presenter_org")
        .annotate(
            sheet_count=Count("sheets"),
            submitted_count=Count("sheets", filter=Q(sheets__status=SheetStatus.SUBMITTED)),
        )
        .order_by("sequence")
    )


def entries_not_in_round(*, user, rnd: Round) -> list[Entry]:
    if not is_contest_admin(user, rnd.contest):
        return []
    return list(
        rnd.contest.entries.exclude(round_entries__round=rnd)
        .select_related("village")
        .order_by("number")
    )


def round_entry_sheets(*, user, round_entry: RoundEntry) -> list[ScoreSheet]:
    """Every sheet of a round entry with its scores (contest admins only)."""
    if not is_contest_admin(user, round_entry.round.contest):
        return []
    return list(
        round_entry.sheets.select_related("judge__person")
        .prefetch_related("scores", "corrections__by")
        .order_by("judge__username")
    )


@dataclass
class SheetRow:
    sheet: ScoreSheet
    total: scoring.Decimal | None


def judge_sheets(*, user) -> list[tuple[Round, list[SheetRow]]]:
    """The user's own sheets grouped by round, newest contest first, with their totals."""
    sheets = list(
        _sheet_qs()
        .filter(judge=user)
        .prefetch_related("scores")
        .order_by(
            "-round_entry__round__contest__year",
            "round_entry__round__contest_id",
            "round_entry__round__sequence",
            "round_entry__sequence",
        )
    )
    weights = _weights_by_contest({s.round_entry.round.contest_id for s in sheets})
    groups: dict[int, tuple[Round, list[SheetRow]]] = {}
    for s in sheets:
        rnd = s.round_entry.round
        w = weights.get(rnd.contest_id, {})
        values = {sc.criterion_id: sc.value for sc in s.scores.all()}
        total = scoring.sheet_total(values, w) if w and set(w) <= set(values) else None
        groups.setdefault(rnd.pk, (rnd, []))[1].append(SheetRow(s, total))
    # Rounds taking scores first, then the latest contest and round.
    return sorted(
        groups.values(),
        key=lambda g: (not g[0].accepts_scores, -g[0].contest.year, -g[0].sequence),
    )


def _weights_by_contest(contest_ids) -> dict[int, dict[int, scoring.Decimal]]:
    out: dict[int, dict[int, scoring.Decimal]] = defaultdict(dict)
    for cid, pk, weight in Criterion.objects.filter(contest_id__in=contest_ids).values_list(
        "contest_id", "pk", "weight"
    ):
        out[cid][pk] = weight
    return out


@dataclass
class Neighbours:
    previous: int | None
    next: int | None
    next_unfinished: int | None


def sheet_neighbours(*, sheet: ScoreSheet) -> Neighbours:
    """The judge's sheets before and after this one in the round's order, and the next one
    still to be submitted (ids)."""
    ids = list(
        ScoreSheet.objects.filter(
            judge_id=sheet.judge_id, round_entry__round=sheet.round_entry.round
        )
        .order_by("round_entry__sequence")
        .values_list("pk", "status")
    )
    order = [pk for pk, _ in ids]
    here = order.index(sheet.pk)
    after = ids[here + 1 :] + ids[:here]
    unfinished = [pk for pk, status in after if status != SheetStatus.SUBMITTED]
    return Neighbours(
        previous=order[here - 1] if here > 0 else None,
        next=order[here + 1] if here + 1 < len(order) else None,
        next_unfinished=unfinished[0] if unfinished else None,
    )


@dataclass
class RoundRow:
    round: Round
    expected: int
    submitted: int
    entries: int
    shows_ranking: bool

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.expected) if self.expected else 0


def rounds_with_progress(*, user, contest: Contest) -> list[RoundRow]:
    """The contest's rounds with their scoring progress (counts only, no scores)."""
    rounds = list(
        contest.rounds.annotate(
            expected=Count("round_entries__sheets"),
            submitted=Count(
                "round_entries__sheets",
                filter=Q(round_entries__sheets__status=SheetStatus.SUBMITTED),
            ),
            entry_count=Count("round_entries", distinct=True),
        ).order_by("sequence")
    )
    return [
        RoundRow(r, r.expected, r.submitted, r.entry_count, ranking_visible_to(user=user, rnd=r))
        for r in rounds
    ]


@dataclass
class AdminSheetRow:
    sheet: ScoreSheet
    streets: list[str]
    values: list
    total: scoring.Decimal | None
    dropped: str = ""  # 最高分 / 最低分: the total the trimmed mean leaves out


def sheet_rows(sheets: list[ScoreSheet], *, contest: Contest) -> list[AdminSheetRow]:
    """Sheets (already loaded for the admin) with their values, totals and judges' streets."""
    if not sheets:
        return []
    criteria = criteria_of(contest)
    streets = judge_streets_by_user({s.judge_id for s in sheets})
    names = street_names({c for codes in streets.values() for c in codes})
    rows = []
    for s in sheets:
        values = {sc.criterion_id: sc.value for sc in s.scores.all()}
        rows.append(
            AdminSheetRow(
                sheet=s,
                streets=[names.get(c, c) for c in sorted(streets.get(s.judge_id, ()))],
                values=[values.get(c.pk) for c in criteria],
                total=total_of(values, criteria),
            )
        )
    # The same sheets, in the same order, as ``round_ranking`` trims.
    counted = sorted(
        (r for r in rows if r.sheet.status == SheetStatus.SUBMITTED and r.total is not None),
        key=lambda r: r.sheet.pk,
    )
    trimmed = scoring.trimmed_mean([r.total for r in counted])
    if trimmed.dropped_high is not None:
        counted[trimmed.dropped_high].dropped = "最高分"
        counted[trimmed.dropped_low].dropped = "最低分"
    return rows


def assignable_judges(*, user, round_entry: RoundEntry) -> list[User]:
    """Judges of the round's panel not yet assigned to this entry (admins only). Judges of
    the entry's street are listed too: the service refuses them and says why."""
    if not is_contest_admin(user, round_entry.round.contest):
        return []
    assigned = set(round_entry.sheets.values_list("judge_id", flat=True))
    return [
        p.judge
        for p in round_entry.round.panel.select_related("judge__person").order_by("id")
        if p.judge_id not in assigned
    ]


def own_sheets_of_entry(*, user, entry: Entry) -> list[ScoreSheet]:
    return list(
        ScoreSheet.objects.filter(judge=user, round_entry__entry=entry)
        .select_related("round_entry__round")
        .order_by("round_entry__round__sequence")
    )


def corrections_of(*, user, sheet: ScoreSheet) -> list:
    """The admin's corrections of a sheet, for the admin and the sheet's own judge."""
    if sheet.judge_id != user.pk and not is_contest_admin(user, sheet.round_entry.round.contest):
        return []
    return list(sheet.corrections.select_related("by__person"))


def sheet_values(*, sheet: ScoreSheet) -> dict[int, scoring.Decimal]:
    return dict(sheet.scores.values_list("criterion_id", "value"))
