"""The backup and the restore drill on a small database (PostgreSQL only: pg_dump)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from jiceng.core.audit import audit_record
from jiceng.core.audit_integrity import audit_checkpoint
from jiceng.core.backups import DUMP, MANIFEST, MEDIA
from jiceng.core.models import AuditEvent
from jiceng.core.tests.tamper import sql
from jiceng.testing import POSTGRES_ONLY

pytestmark = POSTGRES_ONLY


@pytest.fixture
def small_site(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "brands").mkdir(parents=True)
    (settings.MEDIA_ROOT / "brands" / "logo.png").write_bytes(b"\x89PNG fake")
    (settings.MEDIA_ROOT / "exports").mkdir()
    (settings.MEDIA_ROOT / "exports" / "old.xlsx").write_bytes(b"expiring export")
    for i in range(5):
        audit_record(actor=None, action="test.write", object_repr=f"第{i}条")
    audit_checkpoint()
    return tmp_path


def _databases() -> set[str]:
    """The drill databases of these tests (others share the server and come and go)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'jiceng_ops_drill_%'")
        return {row[0] for row in cursor.fetchall()}


def _backup(tmp_path) -> str:
    out = StringIO()
    call_command("backup_db", "--out", str(tmp_path / "backups"), stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_a_backup_with_its_manifest_restores_in_a_drill_that_verifies_the_audit_chain(
    small_site,
):
    target = _backup(small_site)
    manifest = json.loads(
        (small_site / "backups" / target.rsplit("/", 1)[-1] / MANIFEST).read_text()
    )
    assert set(manifest["files"]) == {DUMP, MEDIA}
    assert manifest["media_files"] == 1  # the expiring export is left out
    assert manifest["audit"]["rows"] == 5 and manifest["dump_entries"] > 50
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())

    out = StringIO()
    call_command("restore_drill", target, "--database", "jiceng_ops_drill_t1", stdout=out)
    text = out.getvalue()
    assert "审计日志完整" in text and "1 个检查点均相符" in text
    assert "恢复演练通过：审计日志 5 条，附件 1 个" in text
    assert "jiceng_ops_drill_t1" not in _databases()  # the drill database is gone again


def test_the_drill_refuses_a_changed_dump_and_creates_nothing(small_site):
    target = _backup(small_site)
    dump = f"{target}/{DUMP}"
    with open(dump, "r+b") as f:
        f.seek(200)
        f.write(b"\x00\x01\x02")
    with pytest.raises(CommandError, match="SHA-256 与清单不符"):
        call_command("restore_drill", target, "--database", "jiceng_ops_drill_t2")
    assert "jiceng_ops_drill_t2" not in _databases()


def test_the_drill_fails_when_the_backed_up_audit_chain_was_truncated(small_site):
    last = AuditEvent.objects.order_by("-id").first()
    sql("DELETE FROM core_auditevent WHERE id = %s", [last.id])
    target = _backup(small_site)
    with pytest.raises(CommandError, match="末尾的记录被删除"):
        call_command("restore_drill", target, "--database", "jiceng_ops_drill_t3")
    assert "jiceng_ops_drill_t3" not in _databases()
