import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from jiceng.core.periodic import PeriodicJob, due_jobs, periodic_jobs

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_sla_sweep_runs_every_minute():
    jobs = {j.name: j for j in periodic_jobs()}
    assert jobs["appeals.sla_sweep"].every_seconds == 60


def test_due_jobs_wait_for_their_interval():
    job = PeriodicJob("x", object(), 60)
    names = [j.name for j in due_jobs({}, 1000.0)]
    assert "appeals.sla_sweep" in names
    last = {j.name: 1000.0 for j in periodic_jobs()}
    assert due_jobs(last, 1059.0) == []
    assert "appeals.sla_sweep" in [j.name for j in due_jobs(last, 1060.0)]
    assert job.every_seconds == 60


# The worker closes its database connection after each task, as it should in production;
# only outside a test transaction can the test carry on after that.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_scheduler_puts_the_sweep_on_the_database_queue_and_the_worker_runs_it():
    call_command("scheduler", once=True)
    rows = DBTaskResult.objects.filter(task_path="jiceng.appeals.tasks.sweep")
    assert rows.count() == 1
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False)
    row = rows.get()
    assert row.status == "SUCCESSFUL"
    assert row.return_value["escalated"] == 0
