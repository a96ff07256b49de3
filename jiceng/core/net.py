"""The client's IP address for rate limits, django-axes and the audit log, behind trusted
proxies.

Each proxy appends the address it received the request from to ``X-Forwarded-For``, so
with N trusted proxies in front of the application (``JICENG_TRUSTED_PROXIES``) the client
is the N-th address counted from the right of ``X-Forwarded-For`` + ``REMOTE_ADDR``. The
entries left of it were written by the client and can be anything: they are never read.
With no trusted proxy, or a header shorter than the trusted chain (the request did not come
through every proxy), the header is ignored and ``REMOTE_ADDR`` is the client.

The header is believed only when the request really came through the proxies: ``REMOTE_ADDR``
and every hop between it and the client must lie in ``JICENG_TRUSTED_PROXY_NETWORKS``
(loopback and private ranges unless the site names its proxies). A client that reaches the
application directly from elsewhere and writes the header itself is known by ``REMOTE_ADDR``.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

DEFAULT_PROXY_NETWORKS = (
    "127.0.0.0/8",
    "::1/128",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "fc00::/7",
)


def trusted_proxies() -> int:
    return max(0, int(getattr(settings, "JICENG_TRUSTED_PROXIES", 0) or 0))


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(n.strip(), strict=False) for n in spec if n.strip())


def _proxy_networks() -> tuple:
    spec = getattr(settings, "JICENG_TRUSTED_PROXY_NETWORKS", None) or DEFAULT_PROXY_NETWORKS
    if isinstance(spec, str):
        spec = spec.split(",")
    return _networks(tuple(spec))


def _address(value: str):
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_proxy(value: str) -> bool:
    address = _address(value)
    return address is not None and any(address in n for n in _proxy_networks())


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = trusted_proxies()
    if not trusted:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [h.strip() for h in header.split(",") if h.strip()]
    if len(hops) < trusted:
        return remote
    proxies = [remote, *hops[len(hops) - trusted + 1 :]]
    if not all(_is_proxy(p) for p in proxies):
        return remote
    candidate = hops[-trusted]
    return candidate if _address(candidate) is not None else remote
