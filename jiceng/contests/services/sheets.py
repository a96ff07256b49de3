"""Writes of score sheets: a judge saves a draft and submits; after that the sheet is
locked and only the contest admin changes it, giving a reason. Every write is audited
with the scores before and after."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from jiceng.core.audit import audit_record
from jiceng.core.errors import PermissionDenied, ValidationFailed

from ..models import Criterion, Score, ScoreSheet, SheetCorrection, SheetStatus
from ..permissions import can
from .assignments import conflict_reason

LOCKED_MESSAGE = "该评分表已提交并锁定，不能再修改；如需更正，请联系大赛管理员。"
REASON_MIN_LENGTH = 4

ScoreInput = Mapping[int, "str | Decimal | None"]


def plain(number: Decimal) -> str:
    """A number as people write it: 100, 85.5 (no exponent, no trailing zeros)."""
    return format(number.normalize(), "f")


def field_name(criterion: Criterion) -> str:
    """The form field of a criterion's score (also the key of its error)."""
    return f"c{criterion.pk}"


def parse_scores(
    criteria: list[Criterion], values: ScoreInput, *, require_all: bool
) -> dict[int, Decimal | None]:
    """Criterion id -> score (None when left blank), every value checked against its
    criterion's range. Raises ``ValidationFailed`` listing every problem; its ``extra``
    holds ``errors``: form field -> message."""
    parsed: dict[int, Decimal | None] = {}
    errors: dict[str, str] = {}
    for c in criteria:
        raw = values.get(c.pk)
        text = "" if raw is None else str(raw).strip()
        if not text:
            parsed[c.pk] = None
            if require_all:
                errors[field_name(c)] = f"“{c.name}”尚未打分。"
            continue
        try:
            number = Decimal(text)
        except InvalidOperation:
            errors[field_name(c)] = f"“{c.name}”的分数须为数字，您填写的是“{text[:20]}”。"
            continue
        if not number.is_finite():
            errors[field_name(c)] = f"“{c.name}”的分数须为数字，您填写的是“{text[:20]}”。"
        elif number < c.min_score or number > c.max_score:
            errors[field_name(c)] = (
                f"“{c.name}”的分数须在 {plain(c.min_score)}–{plain(c.max_score)} 分之间，"
                f"您填写的是 {plain(number)}。"
            )
        elif number != number.quantize(Decimal("0.1")):
            errors[field_name(c)] = f"“{c.name}”的分数最多保留一位小数。"
        else:
            parsed[c.pk] = number.quantize(Decimal("0.1"))
    if errors:
        raise ValidationFailed("；".join(errors.values()), extra={"errors": errors})
    return parsed


def _current(sheet: ScoreSheet) -> dict[int, Decimal]:
    return dict(sheet.scores.values_list("criterion_id", "value"))


def _changes(
    criteria: list[Criterion], before: dict[int, Decimal], after: dict[int, Decimal | None]
) -> dict:
    out = {}
    for c in criteria:
        old, new = before.get(c.pk), after.get(c.pk)
        if old != new:
            out[c.name] = [None if old is None else str(old), None if new is None else str(new)]
    return out


def _write(sheet: ScoreSheet, values: dict[int, Decimal | None]) -> None:
    existing = {s.criterion_id: s for s in sheet.scores.all()}
    for criterion_id, value in values.items():
        row = existing.get(criterion_id)
        if value is None:
            if row is not None:
                row.delete()
        elif row is None:
            Score.objects.create(sheet=sheet, criterion_id=criterion_id, value=value)
        elif row.value != value:
            row.value = value
            row.save(update_fields=["value"])


def _judge_may_write(by, sheet: ScoreSheet) -> list[Criterion]:
    """Checks common to saving and submitting; returns the rubric. Caller holds the lock."""
    if not can(by, "score", sheet):
        raise PermissionDenied("只有被分派的评委本人可以为该项目打分。")
    if sheet.status == SheetStatus.SUBMITTED:
        raise PermissionDenied(LOCKED_MESSAGE)
    rnd = sheet.round_entry.round
    if not rnd.accepts_scores:
        raise ValidationFailed(f"{rnd.name}当前{rnd.get_status_display()}，不能打分。")
    if reason := conflict_reason(by, sheet.round_entry.entry):
        raise PermissionDenied(reason)
    return list(rnd.contest.criteria.order_by("sequence", "id"))


def _locked_sheet(sheet: ScoreSheet) -> ScoreSheet:
    return (
        ScoreSheet.objects.select_for_update(of=("self",))
        .select_related("round_entry__round__contest", "round_entry__entry__village")
        .get(pk=sheet.pk)
    )


def sheet_save(*, by, sheet: ScoreSheet, values: ScoreInput) -> ScoreSheet:
    """Keep the judge's scores as a draft: blanks allowed, every score given in range."""
    with transaction.atomic():
        locked = _locked_sheet(sheet)
        criteria = _judge_may_write(by, locked)
        parsed = parse_scores(criteria, values, require_all=False)
        before = _current(locked)
        _write(locked, parsed)
        status_before = locked.status
        locked.status = SheetStatus.DRAFT
        locked.save(update_fields=["status", "updated_at"])
        changes = _changes(criteria, before, parsed)
        if status_before != locked.status:
            changes["status"] = [status_before, locked.status]
        audit_record(actor=by, action="contests.sheet_save", obj=locked, changes=changes)
    return locked


def sheet_submit(*, by, sheet: ScoreSheet, values: ScoreInput) -> ScoreSheet:
    """Submit the judge's scores (every criterion scored); the sheet is locked from then."""
    with transaction.atomic():
        locked = _locked_sheet(sheet)
        criteria = _judge_may_write(by, locked)
        parsed = parse_scores(criteria, values, require_all=True)
        before = _current(locked)
        _write(locked, parsed)
        changes = _changes(criteria, before, parsed)
        changes["status"] = [locked.status, SheetStatus.SUBMITTED]
        locked.status = SheetStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        audit_record(actor=by, action="contests.sheet_submit", obj=locked, changes=changes)
    return locked


def sheet_correct(*, by, sheet: ScoreSheet, values: ScoreInput, reason: str) -> ScoreSheet:
    """The contest admin changes a submitted sheet; the reason is kept with the change."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _locked_sheet(sheet)
        if not can(by, "correct", locked):
            raise PermissionDenied("只有大赛管理员可以更正已提交的评分。")
        if locked.status != SheetStatus.SUBMITTED:
            raise ValidationFailed("评委尚未提交该评分表，由评委本人填写，管理员不能代填。")
        if len(reason) < REASON_MIN_LENGTH:
            raise ValidationFailed(
                f"请填写更正原因（至少 {REASON_MIN_LENGTH} 个字）。",
                field="reason",
                extra={"errors": {"reason": f"请填写更正原因（至少 {REASON_MIN_LENGTH} 个字）。"}},
            )
        if len(reason) > 500:
            raise ValidationFailed("更正原因不能超过 500 个字。", field="reason")
        criteria = list(locked.round_entry.round.contest.criteria.order_by("sequence", "id"))
        parsed = parse_scores(criteria, values, require_all=True)
        before = _current(locked)
        changes = _changes(criteria, before, parsed)
        if not changes:
            raise ValidationFailed("分数没有变化，无需更正。")
        _write(locked, parsed)
        locked.save(update_fields=["updated_at"])
        SheetCorrection.objects.create(sheet=locked, by=by, reason=reason, changes=changes)
        audit_record(
            actor=by,
            action="contests.sheet_correct",
            obj=locked,
            changes={**changes, "reason": [None, reason]},
        )
    return locked
