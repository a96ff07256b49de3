"""A real ``db_worker`` process killed with SIGKILL in the middle of an export: its task is
left RUNNING, the sweep sees the heartbeat stop and queues it again, a new worker finishes
the file. PostgreSQL only: the worker process must reach the test database."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jiceng.core.exports import export_job_path
from jiceng.core.jobs import stale_seconds, tasks_reap_lost
from jiceng.core.models import ExportJob, ExportStatus, TaskHeartbeat
from jiceng.core.tasks import run_export_job
from jiceng.core.tests.factories import UserFactory
from jiceng.core.tests.slow_export import ROWS
from jiceng.testing import POSTGRES_ONLY

pytestmark = POSTGRES_ONLY

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The worker: the project's settings pointed at the test database, the slow export
# registered, progress written every 20 rows, then the real db_worker command.
WORKER = """
import sys
import django
django.setup()
from django.conf import settings
settings.JICENG_EXPORT_ROOT = sys.argv[1]
import jiceng.core.exports
jiceng.core.exports.PROGRESS_EVERY = 20
import jiceng.core.tests.slow_export
jiceng.core.tests.slow_export.register()
from django.core.management import call_command
call_command("db_worker", *sys.argv[2:])
"""


def _worker(export_root: Path, *, delay: float, batch: bool, log: Path) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "JICENG_FIELD_KEY": settings.JICENG_FIELD_KEY,
        "JICENG_TASK_HEARTBEAT_SECONDS": "0.2",
        "JICENG_TEST_EXPORT_DELAY": str(delay),
    }
    args = ["--no-reload", "--no-startup-delay", "--interval", "0.2"]
    if batch:
        args.append("--batch")
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(export_root), *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def _wait_for(condition, *, seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("waited too long")
        time.sleep(0.1)


def test_an_export_whose_worker_is_killed_is_retried_by_the_sweep_and_finished(tmp_path):
    job = ExportJob.objects.create(
        requester=UserFactory(), key="core.slow_test", title="慢速导出", total_rows=ROWS
    )
    with override_settings(TASKS=DB_TASKS):
        run_export_job.enqueue(job.pk)
    task = DBTaskResult.objects.get()

    worker = _worker(tmp_path, delay=0.05, batch=False, log=tmp_path / "worker1.log")
    try:
        _wait_for(lambda: ExportJob.objects.get(pk=job.pk).progress_rows >= 20)
        first_beat = TaskHeartbeat.objects.get(task_id=task.pk).beat_at
        _wait_for(lambda: TaskHeartbeat.objects.get(task_id=task.pk).beat_at > first_beat)
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == "RUNNING"  # what a dead worker leaves behind
    assert job.status == ExportStatus.RUNNING and 0 < job.percent < 100
    assert tasks_reap_lost().retried == []  # its last beat is still fresh

    later = timezone.now() + timedelta(seconds=stale_seconds() + 1)
    assert tasks_reap_lost(now=later).retried == [task.pk]
    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == "READY"
    assert job.status == ExportStatus.QUEUED and job.error == "后台进程中断，正在重新生成。"

    worker = _worker(tmp_path, delay=0, batch=True, log=tmp_path / "worker2.log")
    assert worker.wait(timeout=120) == 0, (tmp_path / "worker2.log").read_text()
    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == "SUCCESSFUL" and len(task.worker_ids) == 2
    assert job.status == ExportStatus.DONE and job.total_rows == ROWS and job.error == ""
    with override_settings(JICENG_EXPORT_ROOT=tmp_path):
        assert export_job_path(job) is not None
    assert not TaskHeartbeat.objects.exists()
