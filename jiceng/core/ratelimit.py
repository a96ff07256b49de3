"""The one rate limiter of every public and API entry.

Counts live in the database (``RateLimitCounter``): one row per key and fixed window,
incremented by a single ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (SQLite ≥ 3.35 and
PostgreSQL alike), so every web process on every machine shares them and a restart keeps
them. Keys name the client by ``jiceng.core.net.client_ip`` (the trusted hop, never an
address the client wrote itself).

Rules have a name, a limit and a window; the defaults below can be changed per site with
``JICENG_RATE_LIMITS = {"api": (600, 60), ...}``. A refusal is ``RateLimited`` (a Chinese
message): pages answer it with ``too_many`` (HTTP 429), the API with JSON 429.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.db import connection
from django.shortcuts import render
from django.utils import timezone
from ninja.throttling import BaseThrottle

from .errors import RateLimited
from .net import client_ip

GENERIC_MESSAGE = "访问过于频繁，请稍后再试。"


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    window: int  # seconds
    message: str = GENERIC_MESSAGE


# name: (limit, window seconds, message)
DEFAULT_RULES: dict[str, tuple[int, int, str]] = {
    # Every API and Open311 request, per client address.
    "api": (600, 60, "接口调用过于频繁，请稍后再试。"),
    # Bearer tokens that match no active token, per client address: stops token guessing.
    "api.bad_token": (20, 600, "无效令牌的尝试次数过多，请稍后再试。"),
    # Password logins per client address (django-axes also locks username + address).
    "login": (30, 600, "登录尝试过于频繁，请 10 分钟后再试。"),
    # The second-factor step per account: 6-digit codes must not be guessed.
    "otp.verify": (10, 600, "验证码尝试次数过多，请 10 分钟后再试。"),
    # The resident's tracking-code lookup and tracking pages, per client address.
    "appeals.track": (60, 600, "查询过于频繁，请稍后再试。"),
    # The public station finder, per client address.
    "stations.finder": (120, 600, GENERIC_MESSAGE),
    # Anonymous warm-station check-ins, per client address and station.
    "stations.checkin": (20, 3600, "签到过于频繁，请稍后再试。"),
    # Wrong activity check-in codes or links, per client address.
    "party.checkin_failure": (20, 600, "尝试次数过多，请 10 分钟后再试。"),
    # People searches of a staff account (the register's search box).
    "people.search": (120, 600, "搜索过于频繁，请稍后再试。"),
}


def rule(name: str) -> Rule:
    limit, window, message = DEFAULT_RULES[name]
    override = getattr(settings, "JICENG_RATE_LIMITS", {}).get(name)
    if override:
        limit, window = override[0], override[1]
    return Rule(name, int(limit), int(window), message)


def _bucket(key: str, window: int, now: float) -> tuple[str, datetime]:
    start = int(now // window) * window
    return f"{key}@{window}:{start}"[:200], datetime.fromtimestamp(start + window, tz=UTC)


_UPSERT = (
    "INSERT INTO core_ratelimitcounter (key, hits, expires_at) VALUES (%s, 1, %s) "
    "ON CONFLICT (key) DO UPDATE SET hits = core_ratelimitcounter.hits + 1 RETURNING hits"
)


def count_hit(key: str, *, window: int, now: float | None = None) -> int:
    """Count one event for ``key`` in the current window; return the window's count so far.

    One statement, atomic on its own; inside a caller's transaction that later rolls back
    the hit is undone with it (the refused request's own hit, which changes nothing)."""
    bucket, expires = _bucket(key, window, time.time() if now is None else now)
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [bucket, expires])
        return int(cursor.fetchone()[0])


def hit(key: str, limit: int, window: int) -> bool:
    """Count one attempt under ``key``; True while at most ``limit`` attempts fell in the
    current window of ``window`` seconds, False once the limit is passed (a refused attempt
    counts too, so hammering does not shorten the wait)."""
    if limit <= 0:
        return False
    return count_hit(key, window=window) <= limit


def remaining_seconds(window: int) -> int:
    """Seconds until the current window ends (for "try again in N minutes")."""
    return int(window - time.time() % window) or window


def count(key: str, *, window: int, now: float | None = None) -> int:
    """The current window's count for ``key`` without adding to it."""
    from .models import RateLimitCounter

    bucket, _ = _bucket(key, window, time.time() if now is None else now)
    row = RateLimitCounter.objects.filter(key=bucket).values_list("hits", flat=True).first()
    return row or 0


def check_key(key: str, *, limit: int, window: int, message: str = GENERIC_MESSAGE) -> None:
    """Count one event for ``key``; raise ``RateLimited`` once the window holds more than
    ``limit``. For limits an app configures itself (the resident page's per-phone limit)."""
    if count_hit(key, window=window) > limit:
        raise RateLimited(message, retry_after=window)


def check(name: str, ident: str, *, now: float | None = None) -> None:
    """Count one request of ``ident`` under rule ``name``; raise ``RateLimited`` past it."""
    r = rule(name)
    if count_hit(f"{r.name}:{ident}", window=r.window, now=now) > r.limit:
        raise RateLimited(r.message, retry_after=r.window)


def check_request(request, name: str, *, extra: str = "") -> None:
    """``check`` keyed on the request's trusted client address (plus ``extra``)."""
    ident = client_ip(request) or "-"
    check(name, f"{ident}:{extra}" if extra else ident)


def exceeded(name: str, ident: str, *, now: float | None = None) -> bool:
    """For failure counters: whether ``ident`` already used up rule ``name``."""
    r = rule(name)
    return count(f"{r.name}:{ident}", window=r.window, now=now) >= r.limit


def record(name: str, ident: str, *, now: float | None = None) -> None:
    """For failure counters: count one failure of ``ident`` under rule ``name``."""
    r = rule(name)
    count_hit(f"{r.name}:{ident}", window=r.window, now=now)


def too_many(request, error: RateLimited, template: str = "429.html", context=None):
    """The Chinese 429 page (or the caller's page with ``error`` in its context)."""
    response = render(
        request,
        template,
        {**(context or {}), "error": error.message, "message": error.message},
        status=429,
    )
    response["Retry-After"] = str(error.retry_after)
    return response


def limit_view(name: str, *, methods: tuple[str, ...] = ()):
    """Decorate a view function (or ``dispatch``) to count each request under ``name``
    (only requests of ``methods``, when given) and answer the 429 page past the limit."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            request = args[1] if len(args) > 1 and hasattr(args[1], "META") else args[0]
            if not methods or request.method in methods:
                try:
                    check_request(request, name)
                except RateLimited as e:
                    return too_many(request, e)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def purge_expired(*, now: datetime | None = None) -> int:
    """Delete the counters of windows that ended; idempotent (run hourly)."""
    from .models import RateLimitCounter

    deleted, _ = RateLimitCounter.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


# ---- the API (Django Ninja) ---------------------------------------------------------------


class ApiThrottle(BaseThrottle):
    """Ninja throttle over the same counters: every API and Open311 request is counted
    under rule ``api`` per trusted client address."""

    def __init__(self, name: str = "api"):
        self.name = name
        self.retry_after = 60

    def allow_request(self, request) -> bool:
        try:
            check_request(request, self.name)
        except RateLimited as e:
            self.retry_after = e.retry_after
            return False
        return True

    def wait(self) -> float | None:
        return self.retry_after


def api_rate_limited_response(api, request, error: RateLimited):
    """The API's 429: ``{"detail": "<Chinese message>", "field": null}``."""
    response = api.create_response(request, {"detail": error.message, "field": None}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


def install_api_handlers(api) -> None:
    """Answer the limiter's refusals (and Ninja's own throttle) as JSON 429 in Chinese."""
    from ninja.errors import Throttled

    @api.exception_handler(RateLimited)
    def _limited(request, exc):
        return api_rate_limited_response(api, request, exc)

    @api.exception_handler(Throttled)
    def _throttled(request, exc):
        wait = int(exc.wait or 60)
        return api_rate_limited_response(
            api, request, RateLimited(rule("api").message, retry_after=wait)
        )
