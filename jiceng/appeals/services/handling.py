"""The appeal's transitions after intake. Each one locks the row, asks the model's guard,
changes the row, and writes an AppealEvent and an audit row in one transaction; a refusal
raises before anything is written."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from jiceng.core.audit import audit_record
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import Person

from .. import conf, sla
from ..errors import AlreadyClaimed, IllegalTransition
from ..models import (
    Appeal,
    Attachment,
    NotificationKind,
    Rating,
    Result,
    Status,
)
from ..permissions import can
from ..selectors import (
    chief_steward_for,
    dispatch_choices,
    duty_steward_for,
    shared_stewards_for,
)
from .common import SYSTEM, lock, person_name, record, snapshot
from .intake import apply_deadlines, check_photos, policy_unit
from .notify import notify, users_of_people


def _refused(appeal: Appeal, verb: str) -> IllegalTransition:
    return IllegalTransition(f"诉求当前为“{appeal.get_status_display()}”，不能{verb}。")


def _require_owner(row: Appeal, by, verb: str) -> int:
    person_id = getattr(by, "person_id", None)
    if person_id is None or row.owner_id != person_id:
        raise PermissionDenied(f"只有当前承办人（{person_name(row.owner_id)}）可以{verb}。")
    return person_id


def _perform(
    appeal: Appeal,
    *,
    by,
    action: str,
    check: Callable[[Appeal], None],
    change: Callable[[Appeal], None],
    note: str = "",
    public: bool = True,
    data: dict | None = None,
    photos=(),
    now=None,
) -> Appeal:
    checked = check_photos(photos) if photos else []
    with transaction.atomic():
        row = lock(appeal)
        check(row)
        before, from_status = snapshot(row), row.status
        change(row)
        row.save()
        event = record(
            appeal=row,
            by=by,
            action=action,
            before=before,
            from_status=from_status,
            note=note,
            public=public,
            data=data,
            at=now,
        )
        _attach(row, event, checked)
    return row


def _attach(appeal, event, photos) -> None:
    from django.core.files.base import ContentFile

    for photo in photos:
        att = Attachment(appeal=appeal, event=event, ext=photo.ext, size=len(photo.data))
        att.file.save(f"photo.{photo.ext}", ContentFile(photo.data), save=False)
        att.save()


def appeal_claim(*, appeal: Appeal, by) -> Appeal:
    """A steward takes an appeal waiting in the pool. The row lock makes one claimant win;
    every other is told who holds it."""
    person_id = getattr(by, "person_id", None)
    if person_id is None or not can(by, "claim", appeal):
        raise PermissionDenied("您不能认领该诉求。")

    def check(row):
        if row.owner_id == person_id:
            raise IllegalTransition("您已是该诉求的承办人。")
        if row.owner_id is not None:
            holder = person_name(row.owner_id)
            raise AlreadyClaimed(f"该诉求已由 {holder} 承办，不能重复认领。", holder=holder)
        if not row.can_claim():
            raise _refused(row, "认领")

    def change(row):
        row.owner_id = person_id
        row.status = Status.ACCEPTED

    return _perform(
        appeal,
        by=by,
        action="claim",
        check=check,
        change=change,
        note="认领并接单",
        data={"owner": person_id},
    )


def appeal_dispatch(*, appeal: Appeal, steward: Person, by, note: str = "") -> Appeal:
    """Dispatch, or re-dispatch, to a grid steward or 总管家 of the appeal's community."""
    if not can(by, "dispatch", appeal):
        raise PermissionDenied("只有总管家、社区或街道工作人员可以派单。")
    if not dispatch_choices(user=by, appeal=appeal).filter(pk=steward.pk).exists():
        raise ValidationFailed(
            f"{steward.name} 不是该社区在岗的管家，不能派给他/她。", field="steward"
        )

    def check(row):
        if not row.can_dispatch():
            raise _refused(row, "派单")
        if row.owner_id == steward.pk and row.status in (Status.DISPATCHED, Status.REOPENED):
            raise IllegalTransition(f"该诉求已派给 {steward.name}。")

    def change(row):
        row.owner_id = steward.pk
        row.handed_by = None
        row.status = Status.DISPATCHED

    with transaction.atomic():
        row = _perform(
            appeal,
            by=by,
            action="dispatch",
            check=check,
            change=change,
            note=note or f"派单至 {steward.name}",
            data={"owner": steward.pk},
        )
        notify(
            appeal=row,
            kind=NotificationKind.DISPATCHED,
            user_ids=users_of_people([steward.pk]),
            text=f"新派单 {row.code}：{row.title}",
        )
    return row


@dataclass
class BulkOutcome:
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def appeal_bulk_dispatch(*, appeals: list[Appeal], steward: Person, by) -> BulkOutcome:
    """Re-dispatch each appeal on its own; one refusal does not undo the others."""
    outcome = BulkOutcome()
    for appeal in appeals:
        try:
            appeal_dispatch(appeal=appeal, steward=steward, by=by, note="批量改派")
        except (IllegalTransition, PermissionDenied, ValidationFailed) as e:
            outcome.refused.append((appeal.code, e.message))
        else:
            outcome.done.append(appeal.code)
    return outcome


def appeal_accept(*, appeal: Appeal, by) -> Appeal:
    def check(row):
        _require_owner(row, by, "接单")
        if not row.can_accept(by.person_id):
            raise _refused(row, "接单")

    def change(row):
        row.status = Status.ACCEPTED

    return _perform(appeal, by=by, action="accept", check=check, change=change, note="已接单")


def appeal_contact(*, appeal: Appeal, by, note: str = "") -> Appeal:
    """The owner reached the resident: the response clock stops."""
    now = timezone.now()

    def check(row):
        _require_owner(row, by, "联系诉求人")
        if not row.can_contact(by.person_id):
            raise _refused(row, "记录联系")

    def change(row):
        row.contacted_at = now
        row.status = Status.IN_PROGRESS

    return _perform(
        appeal,
        by=by,
        action="contact",
        check=check,
        change=change,
        note=note or "已联系诉求人，正在办理",
        now=now,
    )


def appeal_note(*, appeal: Appeal, by, note: str, public: bool = False, photos=()) -> Appeal:
    note = (note or "").strip()
    if not note:
        raise ValidationFailed("请填写说明。", field="note")
    if not can(by, "note", appeal):
        raise PermissionDenied("您不能为该诉求添加记录。")

    def check(row):
        if not row.can_note():
            raise _refused(row, "添加记录")

    return _perform(
        appeal,
        by=by,
        action="note",
        check=check,
        change=lambda row: None,
        note=note[:2000],
        public=public,
        photos=photos,
    )


def appeal_add_info(*, appeal: Appeal, note: str, photos=()) -> Appeal:
    """The resident adds information on the tracking page (the code is their key)."""
    note = (note or "").strip()
    if len(note) < 2:
        raise ValidationFailed("请填写补充内容。", field="note")

    def check(row):
        if row.status in (Status.CLOSED, Status.REJECTED):
            raise _refused(row, "补充信息")

    return _perform(
        appeal,
        by=None,
        action="add_info",
        check=check,
        change=lambda row: None,
        note=note[:2000],
        photos=photos,
    )


def appeal_pause(*, appeal: Appeal, by, reason: str) -> Appeal:
    """Waiting on the resident or a third party: the resolution clock stops."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("挂起须填写原因。", field="reason")
    now = timezone.now()

    def check(row):
        _require_owner(row, by, "挂起")
        if not row.can_pause(by.person_id):
            raise _refused(row, "挂起")

    def change(row):
        row.status = Status.PAUSED
        row.paused_at = now
        row.pause_reason = reason[:200]

    return _perform(
        appeal, by=by, action="pause", check=check, change=change, note=f"挂起：{reason}", now=now
    )


def _resume_clocks(row: Appeal, now) -> None:
    """Move every clock still running later by the clock time the pause lasted."""
    unit = policy_unit(row)
    stopped = sla.clock_seconds(row.paused_at, now, unit)
    if row.resolve_due_at:
        row.resolve_due_at = sla.shift(row.resolve_due_at, stopped, unit)
    if row.warn_at and row.warned_at is None:
        row.warn_at = sla.shift(row.warn_at, stopped, unit)
    if row.supervise_at and not row.supervised:
        row.supervise_at = sla.shift(row.supervise_at, stopped, unit)
    if row.response_due_at and row.contacted_at is None:
        row.response_due_at = sla.shift(row.response_due_at, stopped, unit)
    row.paused_seconds += int((now - row.paused_at).total_seconds())
    row.paused_at = None
    row.pause_reason = ""


def appeal_resume(*, appeal: Appeal, by, note: str = "") -> Appeal:
    now = timezone.now()

    def check(row):
        _require_owner(row, by, "恢复办理")
        if not row.can_resume(by.person_id):
            raise _refused(row, "恢复办理")

    def change(row):
        _resume_clocks(row, now)
        row.status = Status.IN_PROGRESS

    return _perform(
        appeal, by=by, action="resume", check=check, change=change, note=note or "恢复办理", now=now
    )


def appeal_resolve(*, appeal: Appeal, by, result: str, explanation: str, photos=()) -> Appeal:
    explanation = (explanation or "").strip()
    if result not in Result.values:
        raise ValidationFailed("请选择办理结果（解决、部分解决或未解决）。", field="result")
    if len(explanation) < 2:
        raise ValidationFailed("请填写给诉求人的办理说明。", field="explanation")
    now = timezone.now()

    def check(row):
        _require_owner(row, by, "办结")
        if not row.can_resolve(by.person_id):
            raise _refused(row, "办结")

    def change(row):
        row.status = Status.RESOLVED
        row.resolved_at = now
        row.result = result
        row.explanation = explanation[:2000]

    return _perform(
        appeal,
        by=by,
        action="resolve",
        check=check,
        change=change,
        note=f"办结（{Result(result).label}）：{explanation}",
        now=now,
        data={"result": result},
        photos=photos,
    )


def appeal_reject(*, appeal: Appeal, by, reason: str) -> Appeal:
    """Not ours: returned with a reason (to be transferred to the body responsible)."""
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationFailed("退回须填写原因。", field="reason")
    if not can(by, "reject", appeal):
        raise PermissionDenied("您不能退回该诉求。")

    def check(row):
        if not row.can_reject():
            raise _refused(row, "退回")

    def change(row):
        row.status = Status.REJECTED
        row.reject_reason = reason[:200]
        row.closed_at = timezone.now()

    return _perform(
        appeal, by=by, action="reject", check=check, change=change, note=f"退回：{reason}"
    )


def appeal_hand_to_shared(*, appeal: Appeal, by, shared: Person, note: str = "") -> Appeal:
    """The grid steward hands the task to a 共享管家, who then owns it."""
    if not shared_stewards_for(appeal=appeal).filter(pk=shared.pk).exists():
        raise ValidationFailed(f"{shared.name} 不是该网格或社区的共享管家。", field="shared")

    def check(row):
        person_id = _require_owner(row, by, "转交")
        if not row.can_hand_to_shared(person_id):
            raise _refused(row, "转交共享管家")

    def change(row):
        row.handed_by_id = row.owner_id
        row.owner_id = shared.pk
        row.status = Status.DISPATCHED

    with transaction.atomic():
        row = _perform(
            appeal,
            by=by,
            action="hand",
            check=check,
            change=change,
            note=note or f"转交共享管家 {shared.name}",
            data={"owner": shared.pk},
        )
        notify(
            appeal=row,
            kind=NotificationKind.HANDED,
            user_ids=users_of_people([shared.pk]),
            text=f"网格管家转交任务 {row.code}：{row.title}",
        )
    return row


def _reopen(row: Appeal, now) -> Person | None:
    """Back to the same grid with priority: its on-duty steward, else whoever handled it."""
    target = duty_steward_for(grid=row.grid, on=timezone.localdate(now)) if row.grid_id else None
    target_id = target.pk if target else (row.handed_by_id or row.owner_id)
    if target_id is None:
        chief = chief_steward_for(area=row.area)
        target_id = chief.pk if chief else None
    if target_id is None:
        raise IllegalTransition("找不到可以承办重启诉求的管家。")
    row.owner_id = target_id
    row.handed_by = None
    row.status = Status.REOPENED
    row.priority = True
    row.reopen_count += 1
    row.resolved_at = None
    row.result = ""
    row.rating = ""
    row.rated_at = None
    row.closed_at = None
    row.contacted_at = None
    row.warned_at = None
    apply_deadlines(row, now)
    return target_id


def appeal_rate(*, appeal: Appeal, rating: str, by=None, note: str = "") -> Appeal:
    """The resident's rating on the tracking page (``by`` None), or a staff callback (回访).
    不满意 within the reopen window reopens the appeal to the same grid with priority."""
    if rating not in (Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED):
        raise ValidationFailed("请选择满意、基本满意或不满意。", field="rating")
    if by is not None and not can(by, "callback", appeal):
        raise PermissionDenied("您不能为该诉求记录回访评价。")
    now = timezone.now()
    window = conf.get("REOPEN_WINDOW_DAYS")

    def check(row):
        if not row.can_rate():
            raise _refused(row, "评价")

    def change(row):
        row.status = Status.RATED
        row.rating = rating
        row.rated_at = now

    label = "回访评价" if by is not None else "诉求人评价"
    with transaction.atomic():
        row = _perform(
            appeal,
            by=by,
            action="rate",
            check=check,
            change=change,
            now=now,
            note=f"{label}：{Rating(rating).label}{('，' + note) if note else ''}",
            data={"rating": rating},
        )
        if rating == Rating.UNSATISFIED and row.can_reopen(now, window):
            before, from_status = snapshot(row), row.status
            target = _reopen(row, now)
            row.save()
            record(
                appeal=row,
                by=SYSTEM,
                action="reopen",
                before=before,
                from_status=from_status,
                note="诉求人不满意，重启办理（优先）",
                at=now,
            )
            notify(
                appeal=row,
                kind=NotificationKind.REOPENED,
                user_ids=users_of_people([target]),
                text=f"诉求重启 {row.code}（不满意）",
            )
    return row


def appeal_reopen(*, appeal: Appeal, by, reason: str) -> Appeal:
    """A staff callback finds the problem unsolved within the window: reopen."""
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationFailed("重启须填写原因。", field="reason")
    if not can(by, "callback", appeal):
        raise PermissionDenied("您不能重启该诉求。")
    now = timezone.now()
    target = []

    def check(row):
        if not row.can_reopen(now, conf.get("REOPEN_WINDOW_DAYS")):
            raise _refused(row, "重启（或已超过重启期限）")

    def change(row):
        target.append(_reopen(row, now))

    with transaction.atomic():
        row = _perform(
            appeal,
            by=by,
            action="reopen",
            check=check,
            change=change,
            now=now,
            note=f"重启：{reason}",
        )
        notify(
            appeal=row,
            kind=NotificationKind.REOPENED,
            user_ids=users_of_people(target),
            text=f"诉求重启 {row.code}",
        )
    return row


def appeal_close_unrated(*, appeal: Appeal, now=None) -> Appeal:
    """Nobody rated it within the configured time: closed as 未评价 (the sweep calls this)."""
    now = now or timezone.now()

    def check(row):
        if not row.can_close_unrated(now, conf.get("CLOSE_UNRATED_AFTER_DAYS")):
            raise _refused(row, "按未评价关闭")

    def change(row):
        row.status = Status.CLOSED
        row.rating = Rating.UNRATED
        row.closed_at = now

    return _perform(
        appeal,
        by=SYSTEM,
        action="close",
        check=check,
        change=change,
        note="超过评价期限，按未评价关闭",
        now=now,
    )


def appeal_close_rated(*, appeal: Appeal, now=None) -> Appeal:
    """A rated appeal past its reopen window is closed (the sweep calls this)."""
    now = now or timezone.now()

    def check(row):
        if row.status != Status.RATED or row.can_reopen(now, conf.get("REOPEN_WINDOW_DAYS")):
            raise _refused(row, "关闭")

    def change(row):
        row.status = Status.CLOSED
        row.closed_at = now

    return _perform(
        appeal,
        by=SYSTEM,
        action="close",
        check=check,
        change=change,
        note="评价期满，办结归档",
        now=now,
    )


def appeal_reveal_phone(*, appeal: Appeal, by) -> str:
    """The resident's phone in clear, for the steward handling the appeal (who must call
    them: the response rate counts the first contact); each reveal is audited."""
    if not can(by, "reveal_phone", appeal):
        raise PermissionDenied("只有当前承办人可以查看诉求人的完整手机号。")
    if not appeal.phone:
        raise ValidationFailed("诉求人未留手机号。", field="phone")
    audit_record(
        actor=by, action="appeal.reveal_phone", obj=appeal, changes={"field": [None, "phone"]}
    )
    return appeal.phone
