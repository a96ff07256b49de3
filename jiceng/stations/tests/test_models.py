from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from jiceng.stations.models import WarmStation

SH = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    # 2024-07-01 is a Monday.
    return datetime(2024, 7, day, hour, minute, tzinfo=SH)


@pytest.mark.parametrize(
    ("hours", "moment", "expected"),
    [
        (["08:00-20:00"] * 7, at(1, 8), True),
        (["08:00-20:00"] * 7, at(1, 20), False),
        (["08:00-20:00"] * 7, at(1, 7, 59), False),
        (["00:00-24:00"] * 7, at(1, 23, 59), True),
        (["08:00-20:00"] * 5 + ["", ""], at(6, 12), False),  # Saturday closed
        (["20:00-02:00"] + [""] * 6, at(1, 23), True),  # Monday night
        (["20:00-02:00"] + [""] * 6, at(2, 1, 30), True),  # runs into Tuesday
        (["20:00-02:00"] + [""] * 6, at(2, 2), False),
        (["20:00-02:00"] + [""] * 6, at(1, 1), False),  # Sunday had no night span
    ],
)
def test_open_now_follows_the_weekday_hours_in_shanghai_time(hours, moment, expected):
    assert WarmStation(hours=hours).is_open_at(moment) is expected


def test_open_now_converts_utc_to_shanghai():
    station = WarmStation(hours=["08:00-20:00"] * 7)
    # 00:30 UTC is 08:30 in Shanghai.
    assert station.is_open_at(datetime(2024, 7, 1, 0, 30, tzinfo=ZoneInfo("UTC")))
    assert not station.is_open_at(datetime(2024, 7, 1, 12, 30, tzinfo=ZoneInfo("UTC")))
