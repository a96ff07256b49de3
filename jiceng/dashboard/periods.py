"""The cockpit's period picker: a month, a quarter or a year, as a core ``Period``."""

import calendar
import re
from datetime import date, timedelta

from jiceng.core.errors import ValidationFailed
from jiceng.core.indicator_registry import Period

# How the volume chart buckets its daily rows for each length of period.
BUCKET_DAY, BUCKET_WEEK, BUCKET_MONTH = "day", "week", "month"
CHOICE_MONTHS = 12
CHOICE_QUARTERS = 4
CHOICE_YEARS = 2


def month_period(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(f"{year}-{month:02d}", date(year, month, 1), date(year, month, last))


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    last_day = calendar.monthrange(year, first + 2)[1]
    return Period(f"{year}-Q{quarter}", date(year, first, 1), date(year, first + 2, last_day))


def year_period(year: int) -> Period:
    return Period(str(year), date(year, 1, 1), date(year, 12, 31))


def parse_period(text: str) -> Period:
    """``YYYY-MM``, ``YYYY-Qn`` or ``YYYY``; anything else is a ValidationFailed."""
    text = (text or "").strip()
    if (m := re.fullmatch(r"(\d{4})-(\d{2})", text)) and 1 <= int(m[2]) <= 12:
        return month_period(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text, flags=re.IGNORECASE):
        return quarter_period(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})", text):
        return year_period(int(m[1]))
    raise ValidationFailed(
        f"统计期“{text}”格式不对，应为 2024-05（月）、2024-Q2（季度）或 2024（年）。",
        field="period",
    )


def period_title(period: Period) -> str:
    if m := re.fullmatch(r"(\d{4})-(\d{2})", period.label):
        return f"{m[1]}年{int(m[2])}月"
    if m := re.fullmatch(r"(\d{4})-Q(\d)", period.label):
        return f"{m[1]}年第{'一二三四'[int(m[2]) - 1]}季度"
    return f"{period.label}年"


def bucket_of(period: Period) -> str:
    days = (period.end - period.start).days + 1
    if days <= 31:
        return BUCKET_DAY
    if days <= 92:
        return BUCKET_WEEK
    return BUCKET_MONTH


def bucket_start(day: date, bucket: str) -> date:
    if bucket == BUCKET_WEEK:
        return day - timedelta(days=day.weekday())
    if bucket == BUCKET_MONTH:
        return day.replace(day=1)
    return day


def bucket_label(day: date, bucket: str) -> str:
    if bucket == BUCKET_MONTH:
        return f"{day.month}月"
    if bucket == BUCKET_WEEK:
        return f"{day.month}/{day.day}起"
    return f"{day.month}/{day.day}"


def buckets(period: Period) -> list[date]:
    """The first day of every bucket of the period, in order."""
    bucket = bucket_of(period)
    out, day = [], bucket_start(period.start, bucket)
    while day <= period.end:
        out.append(day)
        if bucket == BUCKET_DAY:
            day += timedelta(days=1)
        elif bucket == BUCKET_WEEK:
            day += timedelta(days=7)
        else:
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


def period_choices(latest: date) -> list[tuple[str, list[tuple[str, str]]]]:
    """The picker's groups, most recent first, ending at the month of ``latest``."""
    months, y, m = [], latest.year, latest.month
    for _ in range(CHOICE_MONTHS):
        p = month_period(y, m)
        months.append((p.label, period_title(p)))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    quarters, y, q = [], latest.year, (latest.month - 1) // 3 + 1
    for _ in range(CHOICE_QUARTERS):
        p = quarter_period(y, q)
        quarters.append((p.label, period_title(p)))
        y, q = (y, q - 1) if q > 1 else (y - 1, 4)
    years = [(str(latest.year - i), f"{latest.year - i}年") for i in range(CHOICE_YEARS)]
    return [("按月", months), ("按季度", quarters), ("按年", years)]
