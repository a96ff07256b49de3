"""The resident page's per-IP limit behind reverse proxies (JICENG_TRUSTED_PROXIES)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from jiceng.appeals.models import Appeal

DATA = {"kind": "help", "description": "楼道灯坏了一个月了", "anonymous": "on"}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _post(client, forwarded):
    return client.post(
        reverse("appeals:resident_new"),
        DATA,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_a_trusted_proxy_each_resident_has_their_own_limit(
    client, world, stewards, settings
):
    settings.JICENG_TRUSTED_PROXIES = 1
    settings.JICENG_APPEALS_RATE_LIMIT_PER_IP = 2
    for _ in range(2):
        assert _post(client, "198.51.100.7").status_code == 302
    refused = _post(client, "198.51.100.7")
    assert refused.status_code == 429 and "频繁" in refused.content.decode()
    # Another resident behind the same proxy is not held back by the first one's count,
    assert _post(client, "198.51.100.8").status_code == 302
    # and a forged first hop does not reset the first resident's count.
    assert _post(client, "1.2.3.4, 198.51.100.7").status_code == 429
    assert Appeal.objects.count() == 3


def test_a_forged_header_without_trusted_proxies_changes_nothing(client, world, stewards, settings):
    settings.JICENG_TRUSTED_PROXIES = 0
    settings.JICENG_APPEALS_RATE_LIMIT_PER_IP = 2
    for forged in ("198.51.100.1", "198.51.100.2"):
        assert _post(client, forged).status_code == 302
    refused = _post(client, "198.51.100.3")
    assert refused.status_code == 429 and "频繁" in refused.content.decode()
    assert Appeal.objects.count() == 2
