"""Background tasks of the core: each takes ids, loads, calls a service, and may run twice
safely."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


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
    """Seal the audit chain's head; a chain that no longer fits its last checkpoint is
    logged as an error and fails the task (visible in the task table), sealing nothing."""
    from .audit_integrity import AuditChainBroken, audit_checkpoint

    try:
        checkpoint = audit_checkpoint()
    except AuditChainBroken as e:
        logger.error("audit chain does not fit its last checkpoint: %s", e)
        raise
    return f"#{checkpoint.last_id}" if checkpoint else "unchanged"


@task()
def reap_lost_tasks() -> str:
    from .jobs import tasks_reap_lost

    outcome = tasks_reap_lost()
    return f"retried {len(outcome.retried)}, failed {len(outcome.failed)}"


@task()
def purge_rate_limits() -> int:
    from .ratelimit import purge_expired

    return purge_expired()
