import gzip
import json
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from jiceng.core.audit import audit_record, audit_verify
from jiceng.core.audit_integrity import (
    CHECKPOINT_FILE,
    AuditChainBroken,
    audit_archive,
    audit_checkpoint,
)
from jiceng.core.errors import ValidationFailed
from jiceng.core.models import AuditArchiveSegment, AuditCheckpoint, AuditEvent
from jiceng.core.tests.tamper import rewrite_and_rechain, sql

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def _append(n: int, *, at=None, action="test.write") -> list[AuditEvent]:
    rows = []
    for i in range(n):
        if at is None:
            rows.append(audit_record(actor=None, action=action, object_repr=f"第{i}条"))
        else:
            moment = at + timedelta(seconds=i)
            with mock.patch("jiceng.core.audit.timezone.now", return_value=moment):
                rows.append(audit_record(actor=None, action=action, object_repr=f"第{i}条"))
    return rows


def test_truncating_the_tail_after_a_checkpoint_is_caught():
    rows = _append(5)
    audit_checkpoint()
    sql("DELETE FROM core_auditevent WHERE id >= %s", [rows[3].id])
    broken = audit_verify()
    assert broken is not None and broken.row_id == rows[4].id
    assert "末尾的记录被删除" in broken.reason
    with pytest.raises(CommandError, match="末尾的记录被删除"):
        call_command("audit_verify")


def test_rewriting_a_row_and_recomputing_the_following_hashes_is_caught():
    rows = _append(5)
    audit_checkpoint()
    rewrite_and_rechain(rows[1].id, actor_name="某人")
    broken = audit_verify()
    assert broken is not None and broken.row_id == rows[4].id
    assert "改写" in broken.reason


def test_deleting_a_checkpointed_row_and_rechaining_is_caught_by_the_count():
    rows = _append(5)
    audit_checkpoint()
    sql("DELETE FROM core_auditevent WHERE id = %s", [rows[2].id])
    rewrite_and_rechain(rows[3].id)
    broken = audit_verify()
    assert broken is not None and broken.row_id == rows[4].id


def test_a_forged_checkpoint_is_caught():
    rows = _append(3)
    checkpoint = audit_checkpoint()
    sql(
        "INSERT INTO core_auditcheckpoint (at, last_id, row_count, head_hash, seal) "
        "VALUES (%s, %s, %s, %s, %s)",
        [NOW, rows[2].id, 3, "f" * 64, checkpoint.seal],
    )
    broken = audit_verify()
    assert broken is not None and "校验码不符" in broken.reason


def test_the_checkpoint_file_still_catches_truncation_when_database_checkpoints_are_gone(
    settings, tmp_path
):
    settings.JICENG_AUDIT_DIR = str(tmp_path)
    rows = _append(4)
    audit_checkpoint()
    line = json.loads((tmp_path / CHECKPOINT_FILE).read_text().splitlines()[-1])
    assert line["last_id"] == rows[3].id and line["row_count"] == 4
    sql("DELETE FROM core_auditcheckpoint")
    sql("DELETE FROM core_auditevent WHERE id = %s", [rows[3].id])
    broken = audit_verify()
    assert broken is not None and "文件检查点" in broken.reason


def test_a_checkpoint_is_taken_once_per_new_head_and_chains_on():
    _append(2)
    first = audit_checkpoint()
    assert audit_checkpoint() is None
    _append(3)
    second = audit_checkpoint()
    assert (first.row_count, second.row_count) == (2, 5)
    assert audit_verify() is None
    call_command("audit_verify")


def test_a_checkpoint_refuses_to_seal_a_chain_that_no_longer_fits_the_last_one():
    rows = _append(3)
    audit_checkpoint()
    rewrite_and_rechain(rows[1].id, actor_name="某人")
    _append(1)
    with pytest.raises(AuditChainBroken):
        audit_checkpoint()
    assert AuditCheckpoint.objects.count() == 1


def test_the_checkpoint_runs_as_a_periodic_job():
    from jiceng.core.periodic import periodic_jobs

    jobs = {j.name: j for j in periodic_jobs()}
    assert jobs["core.audit_checkpoint"].every_seconds == 300


def test_archiving_moves_old_rows_to_hashed_files_and_the_chain_still_verifies(tmp_path):
    old = _append(4, at=NOW - timedelta(days=400))
    recent = _append(2)
    audit_checkpoint()
    outcome = audit_archive(older_than_days=180, segment_rows=3, out_dir=tmp_path)
    assert outcome.rows == 4 and len(outcome.segments) == 2
    assert list(AuditEvent.objects.order_by("id").values_list("id", flat=True)) == [
        r.id for r in recent
    ]
    assert AuditArchiveSegment.objects.count() == 2
    assert audit_verify() is None
    assert audit_verify(archive_dir=tmp_path) is None
    call_command("audit_verify", "--archive", str(tmp_path))
    # A second run finds nothing more to archive; new rows chain on.
    assert audit_archive(older_than_days=180, out_dir=tmp_path).rows == 0
    _append(1)
    audit_checkpoint()
    assert audit_verify(archive_dir=tmp_path) is None
    assert old[0].id == outcome.segments[0].first_id


def test_a_changed_archive_file_is_caught_by_verify_with_archive(tmp_path):
    _append(3, at=NOW - timedelta(days=400))
    _append(1)
    segment = audit_archive(older_than_days=180, out_dir=tmp_path).segments[0]
    path = tmp_path / segment.file_name
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()
    row = json.loads(lines[1])
    row["actor_name"] = "某人"
    lines[1] = json.dumps(row, ensure_ascii=False, sort_keys=True)
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    assert audit_verify() is None  # the live part alone does not read the files
    broken = audit_verify(archive_dir=tmp_path)
    assert broken is not None and "SHA-256" in broken.reason


def test_archiving_everything_then_appending_continues_the_chain(tmp_path):
    _append(2, at=NOW - timedelta(days=400))
    audit_archive(older_than_days=180, out_dir=tmp_path)
    assert AuditEvent.objects.count() == 0
    row = audit_record(actor=None, action="test.after")
    assert row.prev_hash == AuditArchiveSegment.objects.get().last_hash
    assert audit_verify(archive_dir=tmp_path) is None


@pytest.mark.parametrize("days", [0, 30, 179])
def test_archiving_refuses_a_retention_under_180_days(days, tmp_path):
    _append(2, at=NOW - timedelta(days=400))
    with pytest.raises(ValidationFailed, match="至少保留 180 天"):
        audit_archive(older_than_days=days, out_dir=tmp_path)
    assert AuditEvent.objects.count() == 2
    assert AuditArchiveSegment.objects.count() == 0
    with pytest.raises(CommandError, match="至少保留 180 天"):
        call_command("audit_archive", "--days", str(days), "--out", str(tmp_path))


def test_the_periodic_checkpoint_fails_loudly_on_a_rewritten_chain(caplog):
    from jiceng.core.tasks import checkpoint_audit_chain

    rows = _append(3)
    assert checkpoint_audit_chain.call() == f"#{rows[2].id}"
    rewrite_and_rechain(rows[0].id, actor_name="某人")
    _append(1)
    with pytest.raises(AuditChainBroken):
        checkpoint_audit_chain.call()
    assert "does not fit its last checkpoint" in caplog.text
    assert AuditCheckpoint.objects.count() == 1
