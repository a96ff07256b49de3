"""Working-day deadlines across the 2024–2026 holidays and 调休 make-up days."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from jiceng.appeals import sla
from jiceng.appeals.models import SlaPolicy, SlaUnit

TZ = ZoneInfo("Asia/Shanghai")
DAY = 86400


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # An ordinary week: Friday afternoon + 1 working day ends on Monday afternoon.
        ("2024-06-14 15:00", 1, "2024-06-17 15:00"),
        # 2024 Spring Festival: 10–17 Feb off, Sunday 18 Feb a make-up working day.
        ("2024-02-08 12:00", 2, "2024-02-18 12:00"),
        # Sunday 4 Feb 2024 is a make-up working day.
        ("2024-02-03 10:00", 1, "2024-02-05 00:00"),
        # 2024 National Day: 1–7 Oct off.
        ("2024-09-30 15:00", 1, "2024-10-08 15:00"),
        # Saturday 12 Oct 2024 is a make-up working day, Sunday 13 is not.
        ("2024-10-11 12:00", 2, "2024-10-14 12:00"),
        # Sunday 26 Jan 2025 is a make-up working day; a Saturday start waits for it.
        ("2025-01-25 09:00", 1, "2025-01-27 00:00"),
        # 2025 Spring Festival: 28 Jan – 4 Feb off.
        ("2025-01-27 08:00", 1, "2025-02-05 08:00"),
        # 2025 National Day and Mid-Autumn: 1–8 Oct off.
        ("2025-09-30 12:00", 1, "2025-10-09 12:00"),
        # Saturday 11 Oct 2025 is a make-up working day.
        ("2025-10-10 20:00", 1, "2025-10-11 20:00"),
        # 2026 New Year: 1–3 Jan off, Sunday 4 Jan a make-up working day.
        ("2025-12-31 18:00", 1, "2026-01-04 18:00"),
        # 2026 Spring Festival: Saturday 14 Feb works, 15–23 Feb off.
        ("2026-02-13 18:00", 1, "2026-02-14 18:00"),
        ("2026-02-14 18:00", 1, "2026-02-24 18:00"),
        # Five working days over a normal weekend.
        ("2026-03-02 09:00", 5, "2026-03-09 09:00"),
    ],
)
def test_working_day_deadline(start, days, due):
    assert sla.add(at(start), days, SlaUnit.WORKDAYS) == at(due)


def test_hours_run_through_weekends_and_holidays():
    assert sla.add(at("2024-10-01 10:00"), 24, SlaUnit.HOURS) == at("2024-10-02 10:00")


def test_working_time_between_skips_holidays_and_counts_make_up_days():
    # Tuesday 30 Sep 2025 12:00 to Saturday 11 Oct 2025 12:00: 12 h on the 30th, nothing on
    # 1–8 Oct, full days 9 and 10 Oct, 12 h of the make-up Saturday.
    seconds = sla.workday_seconds_between(at("2025-09-30 12:00"), at("2025-10-11 12:00"))
    assert seconds == 12 * 3600 + 2 * DAY + 12 * 3600


def test_adding_what_was_measured_gives_back_the_end():
    start, end = at("2024-02-07 09:30"), at("2024-02-19 17:45")
    seconds = sla.workday_seconds_between(start, end)
    assert sla.workday_add(start, seconds) == end


def test_a_year_the_calendar_does_not_know_counts_weekdays(monkeypatch):
    def unknown(day):
        raise NotImplementedError

    monkeypatch.setattr(sla.chinese_calendar, "is_workday", unknown)
    sla.is_workday.cache_clear()
    monkeypatch.setattr(sla, "is_workday", sla.is_workday.__wrapped__)
    assert sla.add(at("2031-01-03 10:00"), 1, SlaUnit.WORKDAYS) == at("2031-01-06 10:00")


def test_deadlines_put_warning_before_resolution_before_supervision():
    policy = SlaPolicy(
        unit=SlaUnit.WORKDAYS,
        response_limit=Decimal(1),
        resolve_limit=Decimal(5),
        warn_share=Decimal("0.8"),
        supervise_share=Decimal("1.5"),
    )
    d = sla.deadlines(policy, at("2024-09-27 10:00"))
    assert d["response_due_at"] == at("2024-09-29 10:00")  # Sunday 29 Sep is a make-up day
    assert d["response_due_at"] < d["warn_at"] < d["resolve_due_at"] < d["supervise_at"]
    assert d["resolve_due_at"] == at("2024-10-10 10:00")
