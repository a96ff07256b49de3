"""The three rates against hand-computed fixtures, their configurable parts, scope, and
the periods they are asked for."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiceng.appeals.models import Rating, Result, Status
from jiceng.appeals.stats import selectors
from jiceng.appeals.stats.maintain import rollups_rebuild
from jiceng.appeals.tests.factories import AppealFactory, CategoryFactory
from jiceng.core.errors import ValidationFailed
from jiceng.core.indicator_registry import Period
from jiceng.core.roles import Role

TZ = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 10, 5, 10, 0, tzinfo=TZ)
H = timedelta(hours=1)
OCTOBER = Period.parse("2026-10")


def appeal(area, *, at=AT, **kw):
    values = dict(
        area=area,
        submitted_at=at,
        status=Status.CLOSED,
        response_due_at=at + 2 * H,
        resolve_due_at=at + 48 * H,
    )
    values.update(kw)
    return AppealFactory(**values)


@pytest.fixture
def october(world):
    """Six appeals of grid A1 received on 5 October, one of street B, one in September."""
    g = world.grid_a1
    done = dict(status=Status.CLOSED, resolved_at=AT + 24 * H)
    appeal(g, contacted_at=AT + H, result=Result.SOLVED, rating=Rating.SATISFIED, **done)
    appeal(g, contacted_at=AT + 3 * H, result=Result.PARTLY, rating=Rating.BASIC, **done)
    appeal(g, contacted_at=AT + H, result=Result.UNSOLVED, rating=Rating.UNSATISFIED, **done)
    # Reopened, escalated by the sweep, not yet contacted again.
    appeal(
        g,
        status=Status.REOPENED,
        owner=world.people_a[1],
        reopen_count=1,
        escalation_level=1,
        priority=True,
    )
    appeal(g, status=Status.REJECTED, reject_reason="不属于本辖区")
    # Paused two hours; resolved within the limit the pause extended, not the original.
    appeal(
        g,
        contacted_at=AT + H,
        paused_seconds=7200,
        result=Result.SOLVED,
        rating=Rating.UNRATED,
        status=Status.CLOSED,
        resolved_at=AT + 47 * H,
    )
    appeal(world.grid_b1, contacted_at=AT + H, result=Result.SOLVED, resolved_at=AT + 2 * H)
    appeal(g, at=AT - timedelta(days=30), contacted_at=AT + H)
    rollups_rebuild()
    return world


def admin(world):
    return world.users[Role.DISTRICT_ADMIN]


def test_three_rates_match_the_hand_count(october):
    r = selectors.rates_for(user=admin(october), area=october.street_a, period=OCTOBER)
    assert (r.received, r.responded_in_time, r.should_resolve, r.resolved) == (6, 3, 5, 2)
    assert (r.rated, r.satisfied, r.basic_satisfied, r.unsatisfied) == (3, 1, 1, 1)
    assert (r.reopened, r.overdue) == (1, 1)
    assert r.response_rate == Decimal("0.5000")
    assert r.resolution_rate == Decimal("0.4000")
    assert r.satisfaction_rate == Decimal("0.6667")  # 基本满意 counted whole by default
    # 0.1 × 0.5 + 0.45 × 0.4 + 0.45 × 0.6667 = 0.530015
    assert r.composite_score == Decimal("53.00")


def test_basic_share_partly_and_paused_switches(october, settings):
    settings.JICENG_RATES = {
        "basic_share": "0.5",
        "partly_counts": True,
        "exclude_paused": False,
        "response_weight": 0,
        "resolution_weight": 1,
        "satisfaction_weight": 1,
    }
    r = selectors.rates_for(user=admin(october), area=october.grid_a1, period=OCTOBER)
    assert r.resolved == 3 and r.resolution_rate == Decimal("0.6000")
    assert r.satisfaction_rate == Decimal("0.5000")  # (1 + 0.5 × 1) / 3
    assert r.overdue == 2  # the paused appeal missed the limit without its pause
    assert r.composite_score == Decimal("55.00")  # (0.6 + 0.5) / 2


def test_rates_with_nothing_to_rate_are_none_not_zero(october):
    nothing = selectors.rates_for(
        user=admin(october), area=october.street_a, period=Period.parse("2026-08")
    )
    assert nothing.received == 0
    assert nothing.response_rate is nothing.resolution_rate is nothing.satisfaction_rate is None
    assert nothing.composite_score is None
    unrated = selectors.rates_for(user=admin(october), area=october.street_b, period=OCTOBER)
    assert unrated.rated == 0 and unrated.satisfaction_rate is None
    # Scored on the two rates there are: (0.1 × 1 + 0.45 × 1) / 0.55
    assert unrated.composite_score == Decimal("100.00")


def test_community_user_sees_only_their_community(october):
    staff = october.users[Role.COMMUNITY_STAFF]  # 睦和苑社区 (street A)
    whole = selectors.rates_for(user=staff, area=october.district, period=OCTOBER)
    assert whole.received == 6  # street B's appeal is not counted
    rows = selectors.rates_by_child(user=staff, area=october.district, period=OCTOBER)
    assert rows == []  # no street is wholly theirs
    rows = selectors.rates_by_child(
        user=staff, area=october.district, period=OCTOBER, kind="community"
    )
    assert [a.name for a, _ in rows] == ["睦和苑社区"]
    assert (
        selectors.rates_for(
            user=october.users[Role.AUDITOR], area=october.district, period=OCTOBER
        ).received
        == 0
    )


def test_rates_by_child_counts_each_street_and_leaves_empty_ones_blank(october):
    rows = selectors.rates_by_child(user=admin(october), area=october.district, period=OCTOBER)
    assert [(a.name, r.received) for a, r in rows] == [("大观园街道", 6), ("杆石桥街道", 1)]
    grids = selectors.rates_by_child(
        user=admin(october), area=october.district, period=OCTOBER, kind="grid"
    )
    assert [(a.name, r.received) for a, r in grids] == [
        ("睦和苑社区第一网格", 6),
        ("春元里社区第一网格", 1),
    ]
    villages = selectors.rates_by_child(user=admin(october), area=october.street_b, period=OCTOBER)
    assert [(a.name, r.received, r.response_rate) for a, r in villages] == [
        ("春元里社区", 1, Decimal("1.0000")),
        ("测试村", 0, None),
    ]


def test_volume_categories_and_hot_spots(world):
    water = CategoryFactory(name="供水", path="101")
    for day in (1, 2, 2):
        appeal(world.grid_a1, at=datetime(2026, 10, day, 9, tzinfo=TZ), category=water)
    appeal(world.grid_a1, at=datetime(2026, 10, 2, 9, tzinfo=TZ), channel="phone")
    appeal(world.grid_a1, at=datetime(2026, 9, 30, 9, tzinfo=TZ), channel="phone")
    rollups_rebuild()
    user = admin(world)
    series = selectors.volume_series(
        user=user, area=world.district, start=date(2026, 10, 1), end=date(2026, 10, 31)
    )
    assert series == [
        {"day": date(2026, 10, 1), "key": "网站", "count": 1},
        {"day": date(2026, 10, 2), "key": "电话", "count": 1},
        {"day": date(2026, 10, 2), "key": "网站", "count": 2},
    ]
    period = Period.parse("2026-10-01..2026-10-02")
    assert selectors.category_totals(user=user, area=world.district, period=period) == [
        ("供水", 3),
        ("未分类", 1),
    ]
    spots = selectors.hot_spots(user=user, area=world.district, period=period)
    assert spots[0] == {
        "kind": "grid",
        "label": "睦和苑社区第一网格",
        "count": 4,
        "previous": 1,
        "rise": 3,
    }
    assert {"kind": "category", "label": "供水", "count": 3, "previous": 0, "rise": 3} in spots
    assert all(s["label"] != "未分类" for s in spots)  # 1 against 1: no rise


def test_selectors_never_read_the_appeals_table(october):
    user = admin(october)
    with CaptureQueriesContext(connection) as ctx:
        selectors.rates_for(user=user, area=october.district, period=OCTOBER)
        selectors.rates_by_child(user=user, area=october.district, period=OCTOBER)
        selectors.rates_by_child(user=user, area=october.district, period=OCTOBER, kind="grid")
        selectors.volume_series(
            user=user, area=october.district, start=date(2026, 10, 1), end=date(2026, 10, 31)
        )
        selectors.category_totals(user=user, area=october.district, period=OCTOBER)
        selectors.hot_spots(user=user, area=october.district, period=OCTOBER)
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "appeals_appealrollup" in sql
    assert '"appeals_appeal"' not in sql and "appeals_appeal " not in sql


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024-q4", date(2024, 10, 1), date(2024, 12, 31)),
        ("2024-01-01..2024-03-31", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024-02-29..2024-02-29", date(2024, 2, 29), date(2024, 2, 29)),
    ],
)
def test_period_accepts_quarters_and_custom_ranges(text, start, end):
    p = Period.parse(text)
    assert (p.start, p.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-Q5", "格式不对"),
        ("2024-03-31..2024-01-01", "起始日期晚于截止日期"),
        ("2023-02-29..2023-03-01", "日期不存在"),
        ("2024-01-01..", "格式不对"),
    ],
)
def test_period_refuses_bad_text_in_chinese(text, message):
    with pytest.raises(ValidationFailed, match=message):
        Period.parse(text)


def test_registered_indicators_carry_the_counts_behind_each_rate(october):
    from jiceng.core.indicator_registry import compute

    keys = ["response_rate", "resolution_rate", "satisfaction_rate", "composite_score"]
    got = compute(area=october.street_a, period=OCTOBER, user=admin(october), keys=keys)
    assert (got["response_rate"]["numerator"], got["response_rate"]["denominator"]) == (3, 6)
    assert got["resolution_rate"]["value"] == Decimal("0.4000")
    assert (got["resolution_rate"]["numerator"], got["resolution_rate"]["denominator"]) == (2, 5)
    assert got["satisfaction_rate"]["numerator"] == 2 and got["satisfaction_rate"]["unit"] == "%"
    assert got["composite_score"]["value"] == Decimal("53.00")
    empty = compute(area=october.street_a, period=Period.parse("2026-08"), user=admin(october))
    assert empty["satisfaction_rate"]["value"] is None
