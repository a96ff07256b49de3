"""What every appeal service shares: the row lock, the event row and the audit row."""

import json
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.utils import timezone

from jiceng.core.audit import _PG_LOCK_KEY, GENESIS, audit_record, changes_between, row_hash
from jiceng.core.context import current_ip
from jiceng.core.errors import NotFound
from jiceng.core.models import AuditEvent, Person

from ..models import Appeal, AppealEvent

# The fields whose change the audit log records for an appeal.
TRACKED = (
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
    return event


@dataclass(frozen=True)
class AuditEntry:
    actor: object
    action: str
    obj: object
    changes: dict
    object_repr: str


def audit_record_many(entries: list[AuditEntry]) -> None:
    """Append several rows to the audit chain with one lock and one INSERT: the same rows,
    hashes and chain ``audit_record`` would write one by one (a bulk intake writes
    hundreds). Runs in the caller's transaction."""
    if not entries:
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        prev = prev or GENESIS
        ip = current_ip() or ""
        at = timezone.now()
        rows = []
        for e in entries:
            actor = e.actor if getattr(e.actor, "is_authenticated", False) else None
            row = AuditEvent(
                at=at,
                actor=actor,
                actor_name=actor.get_username() if actor else "系统",
                ip=ip,
                action=e.action,
                object_type=e.obj._meta.label_lower,
                object_id=str(e.obj.pk),
                object_repr=e.object_repr[:200],
                changes=json.loads(json.dumps(e.changes, ensure_ascii=False)),
                prev_hash=prev,
            )
            row.hash = prev = row_hash(row)
            rows.append(row)
        AuditEvent.objects.bulk_create(rows)
