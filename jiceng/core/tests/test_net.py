"""The resident page's per-IP limit behind reverse proxies (JICENG_TRUSTED_PROXIES)."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from jiceng.core.net import client_ip

DATA = {"kind": "help", "description": "楼道灯坏了一个月了", "anonymous": "on"}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _ip(settings, trusted, remote, forwarded=None):
    settings.JICENG_TRUSTED_PROXIES = trusted
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        # No trusted proxy: the header is the client's own words and changes nothing.
        (0, "203.0.113.9", "1.2.3.4", "203.0.113.9"),
        (0, "203.0.113.9", None, "203.0.113.9"),
        # One proxy (nginx appends $remote_addr): the rightmost entry is the client, and a
        # forged entry the client put in front of it is ignored.
        (1, "10.0.0.2", "198.51.100.7", "198.51.100.7"),
        (1, "10.0.0.2", "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        # Two proxies (a load balancer, then nginx): skip the load balancer's hop.
        (2, "10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.1", "198.51.100.7"),
        (2, "10.0.0.2", "2001:db8::5,10.0.0.1", "2001:db8::5"),
        # The request did not pass every trusted proxy, or the hop is not an address.
        (2, "10.0.0.2", "198.51.100.7", "10.0.0.2"),
        (1, "10.0.0.2", "", "10.0.0.2"),
        (1, "10.0.0.2", "1.2.3.4, not-an-ip", "10.0.0.2"),
        # Direct access from outside the proxies' networks: the header is the client's own
        # words, whatever JICENG_TRUSTED_PROXIES says (finding 7).
        (1, "203.0.113.9", "198.51.100.7", "203.0.113.9"),
        (2, "203.0.113.9", "1.2.3.4, 198.51.100.7, 10.0.0.1", "203.0.113.9"),
        # A hop that should be the load balancer is an outside address: not believed.
        (2, "10.0.0.2", "1.2.3.4, 198.51.100.7, 203.0.113.50", "10.0.0.2"),
    ],
)
def test_client_ip_takes_only_the_trusted_hops(settings, trusted, remote, forwarded, expected):
    assert _ip(settings, trusted, remote, forwarded) == expected


def test_the_proxies_networks_can_be_named(settings):
    settings.JICENG_TRUSTED_PROXY_NETWORKS = ["192.0.2.10/32"]
    assert _ip(settings, 1, "192.0.2.10", "198.51.100.7") == "198.51.100.7"
    assert _ip(settings, 1, "10.0.0.2", "198.51.100.7") == "10.0.0.2"
