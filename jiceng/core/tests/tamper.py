"""What an attacker with the database owner's rights does to the audit tables: raw SQL,
with the append-only triggers switched off first on PostgreSQL (an owner may do that; the
application's role in production may not, see docs/operations.md)."""

from contextlib import contextmanager

from django.db import connection

from jiceng.core.audit import GENESIS, row_hash
from jiceng.core.models import AuditEvent

_GUARDED = ("core_auditevent", "core_auditcheckpoint", "core_auditarchivesegment")


@contextmanager
def triggers_off():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in _GUARDED:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                for table in _GUARDED:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def sql(statement: str, params=()) -> None:
    with triggers_off() as cursor:
        cursor.execute(statement, list(params))


def rewrite_and_rechain(row_id: int, **fields) -> None:
    """Change one row and recompute its hash and every later row's, so the chain fits."""
    rows = list(AuditEvent.objects.filter(id__gte=row_id).order_by("id"))
    before = AuditEvent.objects.filter(id__lt=row_id).order_by("-id").first()
    prev = before.hash if before else GENESIS
    with triggers_off() as cursor:
        for row in rows:
            if row.id == row_id:
                for name, value in fields.items():
                    setattr(row, name, value)
            row.prev_hash = prev
            row.hash = prev = row_hash(row)
            cursor.execute(
                "UPDATE core_auditevent SET actor_name = %s, action = %s, prev_hash = %s, "
                "hash = %s WHERE id = %s",
                [row.actor_name, row.action, row.prev_hash, row.hash, row.id],
            )
