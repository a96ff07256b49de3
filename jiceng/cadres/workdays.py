"""Chinese working days (法定节假日 and 调休 make-up Saturdays/Sundays) for the publicity
period. ``chinesecalendar`` holds the State Council's published schedule; a year it does not
hold yet cannot be counted, and the caller is told so rather than given a guess."""

from datetime import date, timedelta

from chinese_calendar import is_workday

from jiceng.core.errors import ValidationFailed


def _is_workday(day: date) -> bool:
    try:
        return is_workday(day)
    except NotImplementedError:
        raise ValidationFailed(
            f"{day.year}年的法定节假日安排尚未收录，无法按工作日计算公示期。",
            field="publicity_starts_on",
        ) from None


def working_days(start: date, count: int) -> tuple[date, date]:
    """The first and the last of ``count`` working days counted from ``start``: ``start``
    itself counts when it is a working day, else the period begins on the next one."""
    if count < 1:
        raise ValidationFailed("公示期至少为 1 个工作日。", field="publicity_days")
    day, seen, first = start, 0, None
    while True:
        if _is_workday(day):
            seen += 1
            first = first or day
            if seen == count:
                return first, day
        day += timedelta(days=1)


def working_days_between(start: date, end: date) -> int:
    """How many working days lie in [start, end] (0 when end is before start)."""
    n, day = 0, start
    while day <= end:
        n += _is_workday(day)
        day += timedelta(days=1)
    return n
