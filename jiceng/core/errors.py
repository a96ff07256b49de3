"""Errors that services raise for the user: the message is Chinese and shown as it is."""


class ApplicationError(Exception):
    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}


class ValidationFailed(ApplicationError):
    """Input that breaks a rule; nothing was changed."""


class PermissionDenied(ApplicationError):
    """The acting user may not do this; nothing was changed."""


class NotFound(ApplicationError):
    """No such row within the acting user's scope (or at all: the two are not told apart)."""


class RateLimited(ValidationFailed):
    """Too many attempts of this kind in the current window; nothing was done. A
    ``ValidationFailed`` so every form and page shows it as such; views may answer 429
    (``jiceng.core.ratelimit.too_many``) with ``Retry-After: retry_after``."""

    def __init__(
        self,
        message: str = "访问过于频繁，请稍后再试。",
        *,
        field: str | None = None,
        retry_after: int = 60,
        extra: dict | None = None,
    ):
        super().__init__(message, field=field, extra=extra)
        self.retry_after = retry_after
