"""The period picker's parsing and the volume chart's buckets."""

from datetime import date

import pytest

from jiceng.core.errors import ValidationFailed
from jiceng.dashboard.periods import (
    BUCKET_DAY,
    BUCKET_MONTH,
    BUCKET_WEEK,
    bucket_of,
    buckets,
    parse_period,
    period_choices,
    period_title,
)


@pytest.mark.parametrize(
    ("text", "start", "end", "title"),
    [
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
        ("2024-Q3", date(2024, 7, 1), date(2024, 9, 30), "2024年第三季度"),
        ("2024-q4", date(2024, 10, 1), date(2024, 12, 31), "2024年第四季度"),
        ("2023", date(2023, 1, 1), date(2023, 12, 31), "2023年"),
    ],
)
def test_month_quarter_and_year_parse(text, start, end, title):
    period = parse_period(text)
    assert (period.start, period.end, period_title(period)) == (start, end, title)


@pytest.mark.parametrize("text", ["2024-13", "2024-Q5", "24", "上个月", ""])
def test_a_bad_period_is_refused_in_chinese(text):
    with pytest.raises(ValidationFailed, match="统计期"):
        parse_period(text)


def test_buckets_follow_the_length_of_the_period():
    month, quarter, year = parse_period("2024-05"), parse_period("2024-Q2"), parse_period("2024")
    assert (bucket_of(month), bucket_of(quarter), bucket_of(year)) == (
        BUCKET_DAY,
        BUCKET_WEEK,
        BUCKET_MONTH,
    )
    assert len(buckets(month)) == 31
    assert buckets(quarter)[0] == date(2024, 4, 1)  # a Monday
    assert buckets(year) == [date(2024, m, 1) for m in range(1, 13)]


def test_choices_end_at_the_latest_month():
    groups = dict(period_choices(date(2024, 3, 9)))
    assert groups["按月"][0] == ("2024-03", "2024年3月")
    assert groups["按月"][-1] == ("2023-04", "2023年4月")
    assert groups["按季度"][0] == ("2024-Q1", "2024年第一季度")
    assert groups["按年"] == [("2024", "2024年"), ("2023", "2023年")]
