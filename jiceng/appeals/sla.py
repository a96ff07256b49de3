"""SLA clocks: limits in hours or in Chinese working days, and the pause that stops them.

A working-day limit counts only the time that falls on working days (local time): every
working day contributes its whole 24 hours, weekends and official holidays contribute
nothing, and the make-up Saturdays and Sundays of 调休 count as working days. So "1 working
day" from Friday 15:00 ends on Monday 15:00, and from Saturday 10:00 on Tuesday 00:00.

``chinese_calendar`` knows the State Council's schedule year by year; for a year it does
not know yet, weekdays are taken as working days.
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import chinese_calendar
from django.utils import timezone

from .models import SlaPolicy, SlaUnit

DAY = 86400


@lru_cache(maxsize=8192)
def is_workday(d: date) -> bool:
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError:
        return d.weekday() < 5


def _local(dt: datetime) -> datetime:
    return timezone.localtime(dt)


def _midnight(d: date, tz) -> datetime:
    return datetime.combine(d, time.min, tzinfo=tz)


def workday_seconds_between(start: datetime, end: datetime) -> float:
    """Seconds of working-day time in [start, end)."""
    if end <= start:
        return 0.0
    start, end = _local(start), _local(end)
    tz = start.tzinfo
    total = 0.0
    day = start.date()
    while day <= end.date():
        lo = max(start, _midnight(day, tz))
        hi = min(end, _midnight(day + timedelta(days=1), tz))
        if hi > lo and is_workday(day):
            total += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return total


def workday_add(start: datetime, seconds: float) -> datetime:
    """The moment when ``seconds`` of working-day time have passed since ``start``."""
    start = _local(start)
    tz = start.tzinfo
    remaining = float(seconds)
    cursor = start
    # A year of holidays is at most ~120 days off in a row; guard against a bad calendar.
    for _ in range(3660):
        day = cursor.date()
        day_end = _midnight(day + timedelta(days=1), tz)
        if is_workday(day):
            available = (day_end - cursor).total_seconds()
            if remaining <= available:
                return cursor + timedelta(seconds=remaining)
            remaining -= available
        cursor = day_end
    raise ValueError("时限超出可计算范围")


def add(start: datetime, amount: float, unit: str) -> datetime:
    if unit == SlaUnit.WORKDAYS:
        return workday_add(start, amount * DAY)
    return start + timedelta(hours=amount)


def clock_seconds(start: datetime, end: datetime, unit: str) -> float:
    """How much of the limit's clock ran between two moments."""
    if unit == SlaUnit.WORKDAYS:
        return workday_seconds_between(start, end)
    return max(0.0, (end - start).total_seconds())


def shift(moment: datetime, seconds: float, unit: str) -> datetime:
    """``moment`` moved later by ``seconds`` of clock time."""
    if unit == SlaUnit.WORKDAYS:
        return workday_add(moment, seconds)
    return moment + timedelta(seconds=seconds)


def deadlines(policy: SlaPolicy, start: datetime) -> dict[str, datetime]:
    """The four moments an appeal's sweep looks at, from its policy and start."""
    unit = policy.unit
    response = float(policy.response_limit)
    resolve = float(policy.resolve_limit)
    return {
        "response_due_at": add(start, response, unit),
        "resolve_due_at": add(start, resolve, unit),
        "warn_at": add(start, resolve * float(policy.warn_share), unit),
        "supervise_at": add(start, resolve * float(policy.supervise_share), unit),
    }
