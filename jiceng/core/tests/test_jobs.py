from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jiceng.core.jobs import LOST_EXCEPTION, stale_seconds, tasks_reap_lost
from jiceng.core.models import ExportJob, ExportStatus, TaskHeartbeat
from jiceng.core.tasks import run_export_job
from jiceng.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _running_export(*, runs: int, started_ago: int, beat_ago: int | None):
    user = UserFactory()
    job = ExportJob.objects.create(
        requester=user,
        key="core.slow_test",
        title="慢速导出",
        total_rows=200,
        progress_rows=6,
        status=ExportStatus.RUNNING,
    )
    with override_settings(TASKS=DB_TASKS):
        result = run_export_job.enqueue(job.pk)
    now = timezone.now()
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING",
        started_at=now - timedelta(seconds=started_ago),
        worker_ids=[f"w{i}" for i in range(runs)],
    )
    if beat_ago is not None:
        TaskHeartbeat.objects.create(
            task_id=result.id,
            started_at=now - timedelta(seconds=started_ago),
            beat_at=now - timedelta(seconds=beat_ago),
        )
    return user, job, DBTaskResult.objects.get(pk=result.id)


def test_a_task_whose_heartbeat_stopped_is_queued_again_with_its_export():
    _, job, task = _running_export(runs=1, started_ago=600, beat_ago=stale_seconds() + 5)
    outcome = tasks_reap_lost()
    assert outcome.retried == [task.pk] and outcome.failed == []
    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == "READY" and task.started_at is None
    assert job.status == ExportStatus.QUEUED and job.progress_rows == 0
    assert job.error == "后台进程中断，正在重新生成。"
    assert not TaskHeartbeat.objects.exists()


def test_a_task_that_keeps_beating_is_left_alone_however_long_it_runs():
    _, job, task = _running_export(runs=1, started_ago=3600, beat_ago=5)
    assert tasks_reap_lost() == tasks_reap_lost().__class__([], [])
    task.refresh_from_db()
    job.refresh_from_db()
    assert (task.status, job.status) == ("RUNNING", ExportStatus.RUNNING)


def test_a_task_without_any_heartbeat_is_judged_by_its_start():
    _, _, fresh = _running_export(runs=1, started_ago=10, beat_ago=None)
    _, _, old = _running_export(runs=1, started_ago=stale_seconds() + 5, beat_ago=None)
    assert tasks_reap_lost().retried == [old.pk]
    fresh.refresh_from_db()
    assert fresh.status == "RUNNING"


def test_after_the_last_attempt_the_task_and_export_fail_visibly(client):
    user, job, task = _running_export(runs=3, started_ago=600, beat_ago=stale_seconds() + 5)
    outcome = tasks_reap_lost()
    assert outcome.failed == [task.pk]
    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path == LOST_EXCEPTION
    assert "工作进程在运行此任务时中断" in task.traceback
    assert job.status == ExportStatus.FAILED and job.finished_at is not None
    client.force_login(user)
    page = client.get(reverse("core:export_jobs")).content.decode()
    assert "失败" in page and "后台进程多次中断，导出未能完成" in page
    assert "生成中" not in page


def test_the_sweep_runs_every_minute():
    from jiceng.core.periodic import periodic_jobs

    jobs = {j.name: j for j in periodic_jobs()}
    assert jobs["core.reap_lost_tasks"].every_seconds == 60
