"""The publicity period counts Chinese working days: holidays are skipped and the 调休
make-up Saturdays and Sundays count."""

from datetime import date

import pytest

from jiceng.cadres.workdays import working_days, working_days_between
from jiceng.core.errors import ValidationFailed


@pytest.mark.parametrize(
    ("start", "days", "first", "last"),
    [
        # An ordinary week.
        (date(2024, 5, 13), 5, date(2024, 5, 13), date(2024, 5, 17)),
        # 端午 2024: Monday 10 June is a holiday.
        (date(2024, 6, 5), 5, date(2024, 6, 5), date(2024, 6, 12)),
        # 国庆 2024: 1–7 October off; Saturday 12 October is a make-up working day.
        (date(2024, 9, 30), 5, date(2024, 9, 30), date(2024, 10, 11)),
        (date(2024, 10, 10), 3, date(2024, 10, 10), date(2024, 10, 12)),
        # Starting on a holiday: the period begins on the first working day after it.
        (date(2024, 10, 3), 1, date(2024, 10, 8), date(2024, 10, 8)),
        # 春节 2024: Sunday 4 February and Sunday 18 February were working days.
        (date(2024, 2, 2), 2, date(2024, 2, 2), date(2024, 2, 4)),
        (date(2024, 2, 10), 1, date(2024, 2, 18), date(2024, 2, 18)),
        # A weekend start without make-up work.
        (date(2024, 6, 1), 1, date(2024, 6, 3), date(2024, 6, 3)),
    ],
)
def test_working_days_skip_holidays_and_count_make_up_days(start, days, first, last):
    assert working_days(start, days) == (first, last)


def test_working_days_between_counts_make_up_saturday():
    # 8–12 October 2024: Tuesday to Saturday, all working days.
    assert working_days_between(date(2024, 10, 8), date(2024, 10, 12)) == 5
    assert working_days_between(date(2024, 10, 1), date(2024, 10, 7)) == 0
    assert working_days_between(date(2024, 10, 9), date(2024, 10, 8)) == 0


def test_a_year_without_a_published_schedule_is_refused_not_guessed():
    with pytest.raises(ValidationFailed, match="法定节假日安排尚未收录"):
        working_days(date(2031, 1, 6), 5)


def test_at_least_one_working_day():
    with pytest.raises(ValidationFailed):
        working_days(date(2024, 5, 13), 0)
