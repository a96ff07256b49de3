"""The client's IP address for rate limits and the audit log, behind trusted proxies.

Each proxy appends the address it received the request from to ``X-Forwarded-For``, so
with N trusted proxies in front of the application (``JICENG_TRUSTED_PROXIES``) the client
is the N-th address counted from the right of ``X-Forwarded-For`` + ``REMOTE_ADDR``. The
entries left of it were written by the client and can be anything: they are never read.
With no trusted proxy, or a header shorter than the trusted chain (the request did not come
through every proxy), the header is ignored and ``REMOTE_ADDR`` is the client.
"""

import ipaddress

from django.conf import settings


def trusted_proxies() -> int:
    return max(0, int(getattr(settings, "JICENG_TRUSTED_PROXIES", 0) or 0))


def _valid(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = trusted_proxies()
    if not trusted:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [h.strip() for h in header.split(",") if h.strip()]
    if len(hops) < trusted:
        return remote
    candidate = hops[-trusted]
    return candidate if _valid(candidate) else remote
