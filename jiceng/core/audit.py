"""The hash-chained audit log: appending a row and verifying the chain.

Each row's hash is a digest (SHA-256, or SM3 under the 国密 scheme: ``hash_alg`` says which)
over the previous row's hash and a canonical JSON of the row's own fields. Appends are
serialized (an advisory lock on PostgreSQL; SQLite has a single writer), so the chain is a
line, never a tree. Checkpoints of the chain's head, archiving and the full verification
live in ``audit_integrity``.
"""

import json
from dataclasses import dataclass
from datetime import UTC

from django.db import connection, transaction
from django.utils import timezone

from .context import current_ip
from .crypto import chain_hash_algorithm, digest
from .masking import mask_id_number, mask_phone
from .models import AuditEvent

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x4A4943454E47  # "JICENG"

# Fields whose values never enter the log in clear.
PII_MASKERS = {
    "phone": mask_phone,
    "id_number": mask_id_number,
    "password": lambda v: "******" if v else "",
}


def _text(value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


def changes_between(before: dict, after: dict) -> dict:
    """Field -> [before, after] for every field whose value differs, PII masked."""
    diff = {}
    for field in sorted(set(before) | set(after)):
        old, new = _text(before.get(field)), _text(after.get(field))
        if old != new:
            mask = PII_MASKERS.get(field)
            if mask:
                old = mask(old) if old else old
                new = mask(new) if new else new
            diff[field] = [old, new]
    return diff


def _canonical(row: AuditEvent) -> bytes:
    payload = {
        "at": row.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": row.actor_id,
        "actor_name": row.actor_name,
        "ip": row.ip,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "object_repr": row.object_repr,
        "changes": row.changes,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def row_hash(row: AuditEvent) -> str:
    return digest(row.prev_hash.encode() + _canonical(row), row.hash_alg or "sha256")


def lock_chain() -> None:
    """Serialize with every append (caller is inside a transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])


def _chain_head_hash() -> str:
    """The hash the next row links to: the last live row's, else the last archived row's
    (everything archived), else the genesis. One query: appends are on every write path."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE("
            "(SELECT hash FROM core_auditevent ORDER BY id DESC LIMIT 1),"
            "(SELECT last_hash FROM core_auditarchivesegment ORDER BY last_id DESC LIMIT 1))"
        )
        head = cursor.fetchone()[0]
    return head or GENESIS


@dataclass(frozen=True)
class AuditEntry:
    """One row to append: what ``audit_record`` takes, for appending many at once."""

    actor: object
    action: str
    obj: object = None
    changes: dict | None = None
    object_repr: str | None = None


def audit_record_many(entries: list[AuditEntry], *, ip: str | None = None) -> list[AuditEvent]:
    """Append rows to the chain under one lock and with one INSERT, in the given order.

    Runs in the caller's transaction when there is one, so a rolled-back change leaves no
    audit row behind.
    """
    if not entries:
        return []
    with transaction.atomic():
        lock_chain()
        prev = _chain_head_hash()
        algorithm = chain_hash_algorithm()
        ip = ip if ip is not None else (current_ip() or "")
        at = timezone.now()
        rows = []
        for e in entries:
            actor = e.actor if getattr(e.actor, "is_authenticated", False) else None
            obj = e.obj
            row = AuditEvent(
                at=at,
                actor=actor,
                actor_name=(actor.get_username() if actor else "系统"),
                ip=ip,
                action=e.action,
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
                object_repr=(e.object_repr if e.object_repr is not None else str(obj or ""))[:200],
                # Round-trip through JSON so the hash sees what the database gives back.
                changes=json.loads(json.dumps(e.changes or {}, ensure_ascii=False)),
                prev_hash=prev,
                hash_alg=algorithm,
            )
            row.hash = prev = row_hash(row)
            rows.append(row)
        return AuditEvent.objects.bulk_create(rows)


def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    changes: dict | None = None,
    object_repr: str | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one row to the chain (see ``audit_record_many``)."""
    entry = AuditEntry(actor, action, obj, changes, object_repr)
    return audit_record_many([entry], ip=ip)[0]


@dataclass(frozen=True)
class ChainBreak:
    row_id: int
    reason: str


def audit_verify(*, archive_dir=None) -> ChainBreak | None:
    """The first place where the chain, its checkpoints or its archive do not fit, or None
    (see ``audit_integrity.chain_verify``)."""
    from .audit_integrity import chain_verify

    return chain_verify(archive_dir=archive_dir)
