"""What every appeal service shares: the row lock, the event row and the audit row."""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.errors import NotFound
from jiceng.core.models import Person

from ..models import Appeal, AppealEvent
from ..signals import AppealChange, send_changes

# The fields whose change the audit log records for an appeal.
TRACKED = (
    # The rollups' key (the three rates count each appeal under these; see stats/).
    "submitted_at",
    "area_id",
    "category_id",
    "channel",
    "response_due_at",
    "status",
    "owner_id",
    "handed_by_id",
    "contacted_at",
    "paused_at",
    "paused_seconds",
    "resolve_due_at",
    "resolved_at",
    "result",
    "rating",
    "reopen_count",
    "supervised",
    "escalation_level",
    "priority",
    "closed_at",
)


# The actor of automatic steps (auto-dispatch, the SLA sweep): logged as 系统.
SYSTEM = AnonymousUser()


def snapshot(appeal: Appeal) -> dict:
    return {f: getattr(appeal, f) for f in TRACKED}


def lock(appeal: Appeal) -> Appeal:
    """The appeal re-read under its row lock. Precondition: inside ``transaction.atomic``."""
    try:
        return Appeal.objects.select_for_update().select_related("area").get(pk=appeal.pk)
    except Appeal.DoesNotExist:
        raise NotFound("诉求不存在。") from None


def actor_name(by) -> str:
    if by is None:
        return "诉求人"
    if not getattr(by, "is_authenticated", False):
        return "系统"
    return by.display_name


def person_name(person_id: int | None) -> str:
    if person_id is None:
        return "—"
    return Person.objects.filter(pk=person_id).values_list("name", flat=True).first() or "—"


def record(
    *,
    appeal: Appeal,
    by,
    action: str,
    before: dict,
    from_status: str,
    note: str = "",
    public: bool = True,
    data: dict | None = None,
    at=None,
) -> AppealEvent:
    """Write the event and the audit row of one change. Caller holds the row lock."""
    event = AppealEvent.objects.create(
        appeal=appeal,
        at=at or timezone.now(),
        actor=by if getattr(by, "is_authenticated", False) else None,
        actor_name=actor_name(by),
        action=action,
        from_status=from_status,
        to_status=appeal.status,
        note=note,
        public=public,
        data=data or {},
    )
    audit_record(
        actor=by,
        action=f"appeals.{action}",
        obj=appeal,
        changes=changes_between(before, snapshot(appeal)),
        object_repr=appeal.code,
    )
    send_changes([AppealChange(appeal=appeal, before=before, action=action)])
    return event
