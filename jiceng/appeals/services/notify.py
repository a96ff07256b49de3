"""Staff notifications: the in-app inbox and outbound webhooks sent after commit."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from jiceng.core.models import RoleAssignment, User
from jiceng.core.roles import Role

from ..lookups import active_endpoints
from ..models import (
    Appeal,
    DeliveryStatus,
    Notification,
    WebhookDelivery,
)


def users_of_people(person_ids: Iterable[int | None]) -> list[int]:
    ids = [p for p in person_ids if p]
    if not ids:
        return []
    return list(User.objects.filter(person_id__in=ids, is_active=True).values_list("pk", flat=True))


def street_supervisors(street_code: str) -> list[int]:
    """Accounts of street staff whose scope holds the street (督办 goes to them)."""
    codes = [street_code[:n] for n in (6, 9) if len(street_code) >= n]
    return list(
        RoleAssignment.objects.active()
        .filter(role=Role.STREET_STAFF, area__code__in=codes)
        .values_list("user_id", flat=True)
        .distinct()
    )


def notify(*, appeal: Appeal, kind: str, user_ids: Iterable[int], text: str) -> int:
    """Inbox rows for the users, and one webhook delivery per active endpoint, sent after
    the caller's transaction commits (a rolled-back change notifies nobody)."""
    user_ids = list(dict.fromkeys(user_ids))
    if not user_ids:
        return 0
    rows = Notification.objects.bulk_create(
        [Notification(recipient_id=u, kind=kind, appeal=appeal, text=text) for u in user_ids]
    )
    endpoints = active_endpoints()
    if endpoints:
        payload = {"kind": kind, "code": appeal.code, "text": text, "users": user_ids}
        deliveries = WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(endpoint_id=e, payload=payload, next_attempt_at=timezone.now())
                for e in endpoints
            ]
        )
        ids = [d.pk for d in deliveries]
        transaction.on_commit(lambda: _enqueue(ids))
    return len(rows)


def _enqueue(delivery_ids: list[int]) -> None:
    from ..tasks import deliver_webhook

    for pk in delivery_ids:
        deliver_webhook.enqueue(pk)


def webhook_retry_due(*, now=None) -> int:
    """Re-enqueue pending deliveries whose backoff has passed (the sweep calls this)."""
    now = now or timezone.now()
    ids = list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, attempts__gt=0, next_attempt_at__lte=now
        ).values_list("pk", flat=True)[:500]
    )
    _enqueue(ids)
    return len(ids)


def notifications_mark_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notify_many(*, kind: str, items: list[tuple[Appeal, int, str]]) -> int:
    """Inbox rows (and webhook deliveries) for many (appeal, person id, text) at once."""
    if not items:
        return 0
    users: dict[int, list[int]] = {}
    for user_id, person_id in User.objects.filter(
        person_id__in={p for _, p, _ in items}, is_active=True
    ).values_list("pk", "person_id"):
        users.setdefault(person_id, []).append(user_id)
    rows = [
        Notification(recipient_id=u, kind=kind, appeal=appeal, text=text)
        for appeal, person_id, text in items
        for u in users.get(person_id, [])
    ]
    Notification.objects.bulk_create(rows)
    endpoints = active_endpoints()
    if endpoints and rows:
        deliveries = WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(
                    endpoint_id=e,
                    next_attempt_at=timezone.now(),
                    payload={
                        "kind": kind,
                        "code": n.appeal.code,
                        "text": n.text,
                        "users": [n.recipient_id],
                    },
                )
                for n in rows
                for e in endpoints
            ]
        )
        ids = [d.pk for d in deliveries]
        transaction.on_commit(lambda: _enqueue(ids))
    return len(rows)
