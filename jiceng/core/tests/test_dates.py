"""One Chinese date format: the year only where it is not this year; deadline labels."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from jiceng.core.templatetags.jiceng_dates import cn_date, cn_datetime, due_label

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 12, 4), "12月4日"),
        (date(2026, 1, 9), "1月9日"),
        (date(2025, 12, 4), "2025年12月4日"),
        (date(2024, 6, 30), "2024年6月30日"),
        (None, ""),
    ],
)
def test_cn_date_shows_the_year_only_outside_this_year(value, expected):
    assert cn_date(value, TODAY) == expected


def test_cn_datetime_is_local_time_with_minutes():
    # 2025-12-31 17:30 UTC is 2026-01-01 01:30 in Shanghai: this year, without the year.
    moment = datetime(2025, 12, 31, 17, 30, tzinfo=ZoneInfo("UTC"))
    assert cn_datetime(moment, TODAY) == "1月1日 01:30"
    assert cn_datetime(datetime(2024, 6, 3, 9, 5, tzinfo=SHANGHAI), TODAY) == "2024年6月3日 09:05"


def test_filters_are_builtins_of_every_template():
    rendered = Template("{{ d|cn_date }}").render(Context({"d": date(2019, 3, 8)}))
    assert rendered == "2019年3月8日"


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(minutes=20), "剩20分钟"),
        (timedelta(hours=5, minutes=10), "剩5小时"),
        (timedelta(days=3, hours=1), "剩3天"),
        (-timedelta(hours=2), "已超期2小时"),
        (-timedelta(days=2, hours=3), "已超期2天"),
    ],
)
def test_due_label_counts_down_and_says_overdue(delta, expected):
    now = datetime(2026, 12, 4, 9, 0, tzinfo=SHANGHAI)
    assert due_label(now + delta, now) == expected
