"""On PostgreSQL the database itself refuses to change or remove audit rows, whatever the
application's code does (the ORM guard of ``AuditEvent`` only stops honest code)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from jiceng.core.audit import audit_record, audit_verify
from jiceng.core.audit_integrity import audit_archive, audit_checkpoint
from jiceng.core.models import AuditCheckpoint, AuditEvent
from jiceng.testing import POSTGRES_ONLY

pytestmark = POSTGRES_ONLY


def _raw(statement: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, list(params))


def test_update_of_an_audit_row_is_refused_by_the_database():
    row = audit_record(actor=None, action="test.write")
    with pytest.raises(DatabaseError, match="审计日志只能追加"):
        _raw("UPDATE core_auditevent SET actor_name = 'x' WHERE id = %s", [row.id])
    assert AuditEvent.objects.get(id=row.id).actor_name == "系统"
    assert audit_verify() is None


def test_delete_of_an_audit_row_is_refused_even_with_the_archive_setting():
    row = audit_record(actor=None, action="test.write")
    with pytest.raises(DatabaseError, match="审计日志只能追加"):
        _raw("DELETE FROM core_auditevent WHERE id = %s", [row.id])
    with pytest.raises(DatabaseError, match="审计日志只能追加"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jiceng.audit_archive = 'on'")
            cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [row.id])
    assert AuditEvent.objects.filter(id=row.id).exists()


def test_checkpoints_cannot_be_changed_or_removed():
    audit_record(actor=None, action="test.write")
    checkpoint = audit_checkpoint()
    with pytest.raises(DatabaseError, match="只能追加"):
        _raw("UPDATE core_auditcheckpoint SET row_count = 0 WHERE id = %s", [checkpoint.id])
    with pytest.raises(DatabaseError, match="只能追加"):
        _raw("DELETE FROM core_auditcheckpoint")
    assert AuditCheckpoint.objects.get().row_count == 1


def test_the_archive_command_is_the_one_path_that_removes_old_rows(tmp_path):
    old = timezone.now() - timedelta(days=400)
    with mock.patch("jiceng.core.audit.timezone.now", return_value=old):
        audit_record(actor=None, action="test.old")
    audit_record(actor=None, action="test.new")
    assert audit_archive(older_than_days=180, out_dir=tmp_path).rows == 1
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["test.new"]
    assert audit_verify(archive_dir=tmp_path) is None
