"""The appeals' tunables, each overridable in settings as ``JICENG_APPEALS_<NAME>``."""

from django.conf import settings

DEFAULTS = {
    # 不满意 within this many days of resolution reopens the appeal.
    "REOPEN_WINDOW_DAYS": 7,
    # A resolved appeal nobody rated closes as 未评价 after this many days.
    "CLOSE_UNRATED_AFTER_DAYS": 7,
    # The resident page: submissions per IP and per phone within the window.
    "RATE_LIMIT_PER_IP": 10,
    "RATE_LIMIT_PER_PHONE": 5,
    "RATE_LIMIT_WINDOW_SECONDS": 3600,
    "MAX_PHOTOS": 3,
    "MAX_PHOTO_BYTES": 5 * 1024 * 1024,
    # Webhook deliveries: attempts and the first backoff (doubling each time).
    "WEBHOOK_ATTEMPTS": 5,
    "WEBHOOK_BACKOFF_SECONDS": 30,
    # How long a process keeps the SLA policies, duty rosters and webhook endpoints it read
    # (``lookups``): the longest another process's edit of them takes to apply.
    "LOOKUP_CACHE_SECONDS": 15,
    # Used when no SLA policy matches: (unit, response limit, resolution limit).
    "FALLBACK_SLA": ("workdays", 1, 5),
}


def get(name: str):
    return getattr(settings, f"JICENG_APPEALS_{name}", DEFAULTS[name])
