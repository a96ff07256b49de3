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
