"""Background tasks of the core: each takes ids, loads, calls a service, and may run twice
safely."""

from django_tasks import task


@task()
def run_export_job(job_id: int) -> str:
    from .exports import export_job_run

    return export_job_run(job_id=job_id)


@task()
def expire_exports() -> int:
    from .exports import export_jobs_expire

    return export_jobs_expire()


@task()
def checkpoint_audit_chain() -> str:
    from .audit_integrity import audit_checkpoint

    checkpoint = audit_checkpoint()
    return f"#{checkpoint.last_id}" if checkpoint else "unchanged"


@task()
def reap_lost_tasks() -> str:
    from .jobs import tasks_reap_lost

    outcome = tasks_reap_lost()
    return f"retried {len(outcome.retried)}, failed {len(outcome.failed)}"
