"""Monthly rankings with the change from last month, the briefing page and its XLSX, and
what each role may see of them."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiceng.appeals.models import Rating, Result, Status
from jiceng.appeals.stats.maintain import rollups_rebuild
from jiceng.appeals.stats.rankings import ranking
from jiceng.appeals.tests.factories import AppealFactory
from jiceng.core.models import Area, AreaKind
from jiceng.core.roles import Role
from jiceng.core.tests.factories import AreaFactory

TZ = ZoneInfo("Asia/Shanghai")


def good(area, month, **kw):
    at = datetime(2026, month, 3, 9, tzinfo=TZ)
    values = dict(
        area=area,
        submitted_at=at,
        status=Status.CLOSED,
        contacted_at=at,
        response_due_at=at,
        resolved_at=at,
        result=Result.SOLVED,
        rating=Rating.SATISFIED,
    )
    values.update(kw)
    return AppealFactory(**values)


def poor(area, month):
    return good(area, month, contacted_at=None, result=Result.UNSOLVED, rating=Rating.UNSATISFIED)


@pytest.fixture
def months(world, settings):
    """September: street B ahead of street A. October: street A ahead; 测试村 nothing.
    Two appeals an area: every area with appeals is ranked (minimum volume 1)."""
    settings.JICENG_RATES = {"min_volume": 1}
    third = AreaFactory(
        code="370103004", name='=HYPERLINK("x")街道', kind=AreaKind.STREET, parent=world.district
    )
    good(world.grid_a1, 9), poor(world.grid_a1, 9)
    good(world.grid_b1, 9)
    good(world.grid_a1, 10), good(world.grid_a1, 10)
    good(world.grid_b1, 10), poor(world.grid_b1, 10)
    good(third, 10), poor(third, 10)  # ties with street B
    rollups_rebuild()
    return world


def test_streets_ranked_with_ties_and_change_from_last_month(months):
    rows = ranking(
        user=months.users[Role.DISTRICT_ADMIN],
        area=months.district,
        month=date(2026, 10, 1),
        kind="street",
    )
    got = [(r.area.name, r.rank, r.previous_rank, r.change) for r in rows]
    assert got == [
        ("大观园街道", 1, 2, 1),
        ("杆石桥街道", 2, 1, -1),
        ('=HYPERLINK("x")街道', 2, None, None),
    ]
    assert rows[0].composite == 100


def test_community_user_ranks_only_their_community(months):
    staff = months.users[Role.COMMUNITY_STAFF]
    rows = ranking(user=staff, area=months.district, month=date(2026, 10, 1), kind="community")
    assert [r.area.name for r in rows] == ["睦和苑社区"]
    assert ranking(user=staff, area=months.district, month=date(2026, 10, 1), kind="street") == []


def test_rankings_page_shows_dashes_for_nothing_to_rate_and_pins_queries(
    months, client, django_assert_max_num_queries
):
    client.force_login(months.users[Role.DISTRICT_ADMIN])
    url = reverse("appeals:rankings")
    with django_assert_max_num_queries(16):
        page = client.get(url, {"month": "2026-10", "kind": "community"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "睦和苑社区" in html and "春元里社区" in html
    row = html[html.index("测试村") :].split("</tr>")[0]
    assert "—" in row and "0%" not in row


def test_rankings_page_for_a_street_user_hides_the_other_street(months, client):
    client.force_login(months.users[Role.STREET_STAFF])
    page = client.get(reverse("appeals:rankings"), {"month": "2026-10"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "睦和苑社区" in html and "春元里" not in html and "杆石桥" not in html


def test_rankings_page_refuses_a_bad_month_in_chinese(months, client):
    client.force_login(months.users[Role.DISTRICT_ADMIN])
    page = client.get(reverse("appeals:rankings"), {"month": "2026-13"})
    assert page.status_code == 400 and "格式不对" in page.content.decode()
    page = client.get(reverse("appeals:rankings"), {"kind": "building"})
    assert page.status_code == 400 and "排名对象" in page.content.decode()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SECURITY_ADMIN, Role.RIDER, Role.JUDGE])
def test_roles_without_an_area_view_are_refused(months, client, role):
    client.force_login(months.users[role])
    for url in (
        reverse("appeals:rankings"),
        reverse("appeals:briefing"),
        reverse("appeals:briefing_xlsx", kwargs={"month": "2026-10"}),
    ):
        assert client.get(url).status_code == 403


def test_briefing_page_and_xlsx_agree_and_escape_formulas(
    months, client, django_assert_max_num_queries
):
    client.force_login(months.users[Role.DISTRICT_ADMIN])
    with django_assert_max_num_queries(24):
        page = client.get(reverse("appeals:briefing"), {"month": "2026-10"})
    html = page.content.decode()
    assert page.status_code == 200 and "工作通报" in html and "@media print" not in html
    assert "共受理群众诉求 <strong>6</strong> 件" in html
    resp = client.get(reverse("appeals:briefing_xlsx", kwargs={"month": "2026-10"}))
    assert resp.status_code == 200
    wb = load_workbook(BytesIO(resp.content))
    assert wb.sheetnames == ["概况", "街道排名", "社区（村）排名", "网格排名"]
    summary = {r[0]: r[1:] for r in wb["概况"].iter_rows(min_row=2, values_only=True)}
    assert summary["响应率"] == ("66.7%", 4, 6)
    streets = list(wb["街道排名"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in streets] == ["大观园街道", "杆石桥街道", '\'=HYPERLINK("x")街道']
    assert streets[0][4] == "100.0%" and streets[0][15] == "↑1"
    assert streets[1][15] == "↓1"
    villages = list(wb["社区（村）排名"].iter_rows(min_row=2, values_only=True))
    assert ("测试村", "—") == (villages[-1][1], villages[-1][4])
    assert Area.objects.filter(name__startswith="=").count() == 1


def test_briefing_xlsx_of_a_street_user_holds_only_their_street(months, client):
    client.force_login(months.users[Role.STREET_STAFF])
    resp = client.get(reverse("appeals:briefing_xlsx", kwargs={"month": "2026-10"}))
    wb = load_workbook(BytesIO(resp.content))
    cells = {str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row}
    assert "大观园街道" in cells and "睦和苑社区第一网格" in cells
    assert not [c for c in cells if "杆石桥" in c or "春元里" in c or "HYPERLINK" in c]
    bad = client.get(reverse("appeals:briefing_xlsx", kwargs={"month": "2026-13"}))
    assert bad.status_code == 400 and "格式不对" in bad.content.decode()


def test_an_area_below_the_minimum_volume_is_listed_as_insufficient_not_ranked(
    months, settings, client
):
    """One satisfied resident must not put a community first at 100 分."""
    settings.JICENG_RATES = {"min_volume": 2}
    good(months.grid_b1, 10)  # 春元里: three appeals; 睦和苑: two; the new one: one
    lone = AreaFactory(
        code="370103003099", name="孤例社区", kind=AreaKind.COMMUNITY, parent=months.street_b
    )
    good(lone, 10)
    rollups_rebuild()
    rows = ranking(
        user=months.users[Role.DISTRICT_ADMIN],
        area=months.district,
        month=date(2026, 10, 1),
        kind="community",
    )
    got = {r.area.name: (r.rank, r.insufficient) for r in rows}
    assert got["睦和苑社区"] == (1, False) and got["春元里社区"] == (2, False)
    assert got["孤例社区"] == (None, True) and got["测试村"] == (None, False)
    assert [r.area.name for r in rows][-2:] == ["孤例社区", "测试村"]

    client.force_login(months.users[Role.DISTRICT_ADMIN])
    html = client.get(reverse("appeals:rankings"), {"month": "2026-10", "kind": "community"})
    row = html.content.decode().split("孤例社区")[0].rsplit("<tr>", 1)[1]
    assert "样本不足" in row


def test_rates_config_refuses_a_negative_minimum_volume(settings):
    from django.core.exceptions import ImproperlyConfigured

    from jiceng.appeals.stats.config import rates_config

    settings.JICENG_RATES = {"min_volume": -1}
    with pytest.raises(ImproperlyConfigured):
        rates_config()


@pytest.fixture
def many_grids(world, settings):
    """Twelve grids of 睦和苑 with October scores 100, 95, … and September's order reversed."""
    settings.JICENG_RATES = {"min_volume": 1, "briefing_top_n": 3}
    grids = [
        AreaFactory(
            code=f"370103002003{n:03d}",
            name=f"测试网格{n:02d}",
            kind=AreaKind.GRID,
            parent=world.community_a1,
        )
        for n in range(101, 113)
    ]
    for n, grid in enumerate(grids):
        for month, poor_ones in ((10, n), (9, len(grids) - 1 - n)):
            for _ in range(12 - poor_ones):
                good(grid, month)
            for _ in range(poor_ones):
                poor(grid, month)
    rollups_rebuild()
    return grids


def test_briefing_names_top_and_bottom_n_and_the_moves_and_stays_short(
    many_grids, world, client, django_assert_max_num_queries
):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    with django_assert_max_num_queries(24):
        page = client.get(reverse("appeals:briefing"), {"month": "2026-10"})
    html = page.content.decode()
    grids = html[html.index("网格</h2>") :]
    red = grids[grids.index("红榜") : grids.index("黑榜")]
    black = grids[grids.index("黑榜") : grids.index("进步最大")]
    assert [f"测试网格{n}" in red for n in (101, 102, 103, 104)] == [True, True, True, False]
    assert "测试网格112" in black and "测试网格110" in black and "测试网格109" not in black
    assert "测试网格101" in grids[grids.index("进步最大") : grids.index("退步最大")]
    # The page names 4 × 3 grids at most, never the whole table (that is the workbook's).
    assert html.count("测试网格") <= 12 and "rank-table" not in html
    resp = client.get(reverse("appeals:briefing_xlsx", kwargs={"month": "2026-10"}))
    sheet = load_workbook(BytesIO(resp.content))["网格排名"]
    assert sum(1 for r in sheet.iter_rows(min_row=2) if "测试网格" in str(r[1].value)) == 12


def test_grid_rankings_paginate(many_grids, world, client, settings):
    from jiceng.appeals.stats import views

    settings.JICENG_RATES = {"min_volume": 1}
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    old, views.RANKING_PAGE_SIZE = views.RANKING_PAGE_SIZE, 5
    try:
        first = client.get(reverse("appeals:rankings"), {"month": "2026-10", "kind": "grid"})
        third = client.get(
            reverse("appeals:rankings"), {"month": "2026-10", "kind": "grid", "page": 3}
        )
    finally:
        views.RANKING_PAGE_SIZE = old
    assert first.content.decode().count("测试网格") == 5 and "第 1/3 页" in first.content.decode()
    # 14 grids: the twelve, then the two of the world's without appeals this month.
    assert (
        third.content.decode().count("测试网格") == 2
        and "春元里社区第一网格" in third.content.decode()
    )
