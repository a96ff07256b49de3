"""Webhooks: sent after commit by a task, retried with backoff, failures kept for the admin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiceng.appeals import services
from jiceng.appeals.models import DeliveryStatus, Notification, WebhookDelivery, WebhookEndpoint
from jiceng.appeals.selectors import webhook_failures
from jiceng.appeals.services import webhooks
from jiceng.appeals.services.notify import webhook_retry_due
from jiceng.core.roles import Role


@pytest.fixture
def endpoint(db):
    return WebhookEndpoint.objects.create(
        name="短信网关", url="http://sms.invalid/hook", secret="s3cret"
    )


def submit():
    return services.appeal_submit(
        by=None,
        kind="help",
        channel="web",
        description="楼道灯坏了，晚上看不见",
        address="纬二路小区1号楼",
        phone="13800001111",
    )


def test_a_dispatch_notifies_the_inbox_and_queues_a_webhook_after_commit(
    world, stewards, endpoint, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(webhooks, "_post", lambda url, body, sig: sent.append((url, sig)))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        a = submit()
    assert Notification.objects.filter(appeal=a, recipient=stewards.grid_user).count() == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and not sent  # nothing before commit
    for callback in callbacks:
        callback()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and sent[0][0] == endpoint.url


def test_a_failing_gateway_is_retried_with_backoff_then_marked_failed(
    world, stewards, endpoint, settings
):
    settings.JICENG_APPEALS_WEBHOOK_ATTEMPTS = 3
    settings.JICENG_APPEALS_WEBHOOK_BACKOFF_SECONDS = 30

    def down(url, body, sig):
        raise OSError("connection refused")

    def next_attempt_after_a_failure():
        # The wait is counted from the failure, some moment between these two readings.
        before = timezone.now()
        outcome = webhooks.webhook_deliver(delivery_id=delivery.pk, post=down)
        after = timezone.now()
        delivery.refresh_from_db()
        return outcome, before, delivery.next_attempt_at, after

    delivery = WebhookDelivery.objects.create(endpoint=endpoint, payload={"x": 1})
    outcome, before, at, after = next_attempt_after_a_failure()
    assert outcome == "pending"
    assert before + timedelta(seconds=30) <= at <= after + timedelta(seconds=30)
    outcome, before, at, after = next_attempt_after_a_failure()
    assert before + timedelta(seconds=60) <= at <= after + timedelta(seconds=60)  # doubled
    assert webhooks.webhook_deliver(delivery_id=delivery.pk, post=down) == "failed"
    assert webhooks.webhook_deliver(delivery_id=delivery.pk, post=down) == "skipped"
    assert list(webhook_failures(user=world.users[Role.DISTRICT_ADMIN])) == [
        WebhookDelivery.objects.get()
    ]
    assert not webhook_failures(user=world.users[Role.COMMUNITY_STAFF]).exists()


def test_the_sweep_re_enqueues_deliveries_whose_backoff_passed(world, endpoint, monkeypatch):
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        payload={},
        attempts=1,
        next_attempt_at=timezone.now() - timedelta(seconds=1),
    )
    monkeypatch.setattr(webhooks, "_post", lambda url, body, sig: None)
    assert webhook_retry_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
