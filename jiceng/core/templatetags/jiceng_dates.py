"""One Chinese date format for the whole platform (a template builtin: no ``{% load %}``).

``12月4日`` for a day of the current year, ``2025年12月4日`` for any other year, with
``14:30`` after it where the time matters. "This year" is the local year of the request's
day, so a page never shows a year a reader does not need, and never hides one they do.
"""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


def _day(value: date, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if value.year == today.year:
        return f"{value.month}月{value.day}日"
    return f"{value.year}年{value.month}月{value.day}日"


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def cn_date(value, today: date | None = None) -> str:
    """A date (or the day of a datetime): ``12月4日`` this year, ``2025年12月4日`` otherwise."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    if not isinstance(value, date):
        return str(value)
    return _day(value, today)


@register.filter
def cn_datetime(value, today: date | None = None) -> str:
    """A moment: ``12月4日 14:30`` this year, ``2025年12月4日 14:30`` otherwise."""
    if not value:
        return ""
    if not isinstance(value, datetime):
        return cn_date(value, today)
    value = _local(value)
    return f"{_day(value.date(), today)} {value:%H:%M}"


def _span(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{max(minutes, 1)}分钟"
    hours = minutes // 60
    if hours < 48:
        return f"{hours}小时"
    return f"{hours // 24}天"


@register.filter
def due_label(value, now: datetime | None = None) -> str:
    """A deadline as a phone card says it: ``剩5小时`` or ``已超期2天`` (empty without one)."""
    if not isinstance(value, datetime):
        return ""
    now = now or timezone.now()
    seconds = (value - now).total_seconds()
    if seconds < 0:
        return f"已超期{_span(-seconds)}"
    return f"剩{_span(seconds)}"
