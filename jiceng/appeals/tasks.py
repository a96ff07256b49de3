"""Background tasks: each takes ids, loads, calls a service, and may run twice safely."""

from django_tasks import task


@task()
def deliver_webhook(delivery_id: int) -> str:
    from .services.webhooks import webhook_deliver

    return webhook_deliver(delivery_id=delivery_id)


@task()
def sweep() -> dict:
    from .services.sweep import sla_sweep

    return sla_sweep().as_dict()
