"""The appeals' own refusals; each carries a Chinese message shown as it is."""

from jiceng.core.errors import ApplicationError
from jiceng.core.ratelimit import RateLimited  # noqa: F401  (the one limiter's refusal)


class IllegalTransition(ApplicationError):
    """The appeal is not in a state that allows this action; nothing was changed."""


class AlreadyClaimed(IllegalTransition):
    """Somebody else holds the appeal; ``holder`` says who."""

    def __init__(self, message: str, *, holder: str):
        super().__init__(message, extra={"holder": holder})
        self.holder = holder


class IdempotencyConflict(ApplicationError):
    """The Idempotency-Key was used before with a different request body."""
