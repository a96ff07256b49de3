"""The request that is being served, for the audit log's IP column."""

from contextvars import ContextVar

_ip: ContextVar[str | None] = ContextVar("jiceng_ip", default=None)


def current_ip() -> str | None:
    return _ip.get()


def set_current_ip(ip: str | None):
    return _ip.set(ip)


def reset_current_ip(token) -> None:
    _ip.reset(token)
