"""Content-Security-Policy with a per-response nonce, and the headers Django does not set.

Scripts run only from the site's own static files or from an inline ``<script>`` carrying
this response's nonce (``<script nonce="{{ csp_nonce }}">``); inline event handlers
(``onclick=``), ``javascript:`` URLs and ``eval`` are refused, so a name that slipped
through unescaped cannot run. Django's ``SecurityMiddleware`` and ``XFrameOptionsMiddleware``
already send ``X-Content-Type-Options``, ``Referrer-Policy``, ``Cross-Origin-Opener-Policy``
and ``X-Frame-Options``; this adds the policy, ``Permissions-Policy`` and
``Cross-Origin-Resource-Policy``.

Styles: ``<style>`` elements need the nonce too (``style-src-elem``), but ``style=""``
attributes stay allowed (``style-src-attr``): the templates size bars with them and
ECharts writes its tooltips with them. ``'unsafe-inline'`` in ``style-src`` only reaches
browsers too old to know the two finer directives, which would otherwise lose every style
attribute; browsers that know them ignore ``style-src`` for elements and attributes.

Django 5.2 has no CSP support of its own; when the project moves to Django 6, its
``SECURE_CSP`` setting and middleware can replace this module (templates keep the same
variable, ``csp_nonce``).
"""

import secrets

from django.conf import settings

NONCE = "'nonce'"  # stands for this response's nonce in a directive's sources

DEFAULT_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'", NONCE],
    "style-src": ["'self'", "'unsafe-inline'"],
    "style-src-elem": ["'self'", NONCE],
    "style-src-attr": ["'unsafe-inline'"],
    # data: for Bootstrap's inline SVG icons (select arrows, close buttons).
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Geolocation for the resident's intake page and the station finder; nothing else.
DEFAULT_PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "camera=()",
        "geolocation=(self)",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "payment=()",
        "usb=()",
    ]
)


def policy_header(nonce: str) -> str:
    policy = getattr(settings, "JICENG_CSP", DEFAULT_POLICY)
    parts = []
    for directive, sources in policy.items():
        values = [f"'nonce-{nonce}'" if s == NONCE else s for s in sources]
        parts.append(" ".join([directive, *values]))
    return "; ".join(parts)


class ContentSecurityPolicyMiddleware:
    """Gives each request a fresh nonce (``request.csp_nonce``) and every response the
    policy and headers, unless a view set its own ``Content-Security-Policy``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(18)
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", policy_header(request.csp_nonce))
        response.headers.setdefault(
            "Permissions-Policy",
            getattr(settings, "JICENG_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY),
        )
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


def csp(request) -> dict:
    """Template context: ``csp_nonce`` for the rare inline ``<script>`` or ``<style>``."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
