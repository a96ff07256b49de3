"""Fixed-window rate limits kept in Django's cache, so every process behind the load
balancer counts together (Redis in production; the local-memory cache of development is
per process).

    if not hit(f"person-search:{user.pk}", limit=20, window=3600):
        raise RateLimited("...")

``hit`` counts one attempt and answers whether it is still within the limit.
"""

import time

from django.core.cache import cache

_PREFIX = "ratelimit"


def _window_key(key: str, window: int, now: float) -> str:
    return f"{_PREFIX}:{key}:{int(now // window)}"


def hit(key: str, limit: int, window: int) -> bool:
    """Count one attempt under ``key``; True while at most ``limit`` attempts fell in the
    current window of ``window`` seconds, False once the limit is passed.

    Windows are aligned to multiples of ``window`` since the epoch; a refused attempt
    counts too, so hammering does not shorten the wait."""
    if limit <= 0:
        return False
    cache_key = _window_key(key, window, time.time())
    # add() is atomic on Redis and in local memory; incr() too.
    if cache.add(cache_key, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window + 1)
        count = 1
    return count <= limit


def remaining_seconds(window: int) -> int:
    """Seconds until the current window ends (for "try again in N minutes")."""
    return int(window - time.time() % window) or window
