"""Sending one webhook delivery, with exponential backoff on failure."""

import hashlib
import hmac
import json
import urllib.request
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .. import conf
from ..models import DeliveryStatus, WebhookDelivery

TIMEOUT_SECONDS = 5


def _post(url: str, body: bytes, signature: str) -> None:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Jiceng-Signature": signature},
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        if response.status >= 300:
            raise OSError(f"HTTP {response.status}")


def webhook_deliver(*, delivery_id: int, post=None) -> str:
    """Send a pending delivery once. Idempotent: a sent or failed delivery is left alone,
    and the row lock keeps two workers from sending the same one at once."""
    post = post or _post
    with transaction.atomic():
        d = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if d is None:
            return "skipped"
        body = json.dumps(d.payload, ensure_ascii=False, sort_keys=True).encode()
        signature = hmac.new(d.endpoint.secret.encode(), body, hashlib.sha256).hexdigest()
        d.attempts += 1
        try:
            post(d.endpoint.url, body, signature)
        except Exception as e:  # noqa: BLE001 — any failure of the far end is retried
            d.last_error = str(e)[:300]
            if d.attempts >= conf.get("WEBHOOK_ATTEMPTS"):
                d.status = DeliveryStatus.FAILED
                d.next_attempt_at = None
            else:
                backoff = conf.get("WEBHOOK_BACKOFF_SECONDS") * 2 ** (d.attempts - 1)
                d.next_attempt_at = timezone.now() + timedelta(seconds=backoff)
        else:
            d.status = DeliveryStatus.SENT
            d.next_attempt_at = None
            d.last_error = ""
        d.save()
        return d.status
