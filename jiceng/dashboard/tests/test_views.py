"""The cockpit's pages and JSON: scope, roles, periods, pinned query counts."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from jiceng.core.roles import Role

from .conftest import STREET_B_TEXTS


def _data(client, **params) -> tuple[int, dict]:
    response = client.get(reverse("dashboard:data"), params)
    return response.status_code, json.loads(response.content.decode())


def _panels(payload: dict) -> dict:
    return {p["key"]: p["data"] for p in payload["panels"]}


def test_a_community_users_dashboard_and_panels_hold_only_their_community(client, world, cockpit):
    client.force_login(world.users[Role.COMMUNITY_STAFF])

    page = client.get(reverse("dashboard:home"))
    status, payload = _data(client, period=cockpit.month)
    geo = client.get(reverse("dashboard:geo")).content.decode()

    assert page.status_code == 200 and status == 200
    body = page.content.decode()
    assert "睦和苑社区" in body
    texts = json.dumps(payload, ensure_ascii=False) + geo
    assert payload["area"]["name"] == "睦和苑社区"
    panels = _panels(payload)
    assert panels["appeal_rates"]["items"][0] == {"label": "受理诉求", "value": 4, "unit": "件"}
    assert "DASHA00001" in json.dumps(panels["appeal_overdue"], ensure_ascii=False)
    assert "睦和苑社区第一网格" in geo
    leaked = [t for t in STREET_B_TEXTS if t in body or t in texts]
    assert not leaked


def test_each_panel_alone_holds_only_the_users_scope(client, world, cockpit):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    _, payload = _data(client, period=cockpit.month)
    for key in _panels(payload):
        status, one = _data(client, period=cockpit.month, panel=key)
        assert status == 200
        text = json.dumps(one, ensure_ascii=False)
        assert [p["key"] for p in one["panels"]] == [key]
        assert not [t for t in STREET_B_TEXTS if t in text], key


def test_the_district_sees_both_streets(client, world, cockpit):
    """The counterpart of the scope test: the texts it looks for do show when in scope."""
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    _, payload = _data(client, period=cockpit.month)
    text = json.dumps(payload, ensure_ascii=False)
    panels = _panels(payload)
    assert panels["appeal_rates"]["items"][0]["value"] == 5
    assert "杆石桥街道" in text and "赵春元" in text and "DASHB00001" in text
    assert "春元里专属分类" in text


def test_an_area_outside_the_scope_is_not_found(client, world, cockpit):
    client.force_login(world.users[Role.STREET_STAFF])
    for name in ("dashboard:home", "dashboard:data", "dashboard:geo"):
        response = client.get(reverse(name), {"area": world.street_b.code})
        assert response.status_code == 404, name
        assert "杆石桥街道" not in response.content.decode()


def test_the_area_picker_offers_only_the_scope(client, world, cockpit):
    client.force_login(world.users[Role.STREET_STAFF])
    body = client.get(reverse("dashboard:home")).content.decode()
    assert f'value="{world.street_a.code}"' in body
    assert f'value="{world.community_a1.code}"' in body
    assert f'value="{world.community_b1.code}"' not in body


def test_the_default_period_is_the_latest_month_with_appeals(client, world, cockpit):
    client.force_login(world.users[Role.STREET_STAFF])
    page = client.get(reverse("dashboard:home"))
    assert page.context["period"].label == cockpit.month
    assert "2024年5月" in page.content.decode()


def test_a_month_still_running_is_offered_but_not_the_default(client, world, cockpit):
    from jiceng.appeals.services import appeal_submit

    appeal_submit(
        by=None,
        kind="help",
        channel="web",
        description="今天刚报的楼道灯问题",
        address="纬二路小区1号楼",
        anonymous=True,
    )
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    page = client.get(reverse("dashboard:home"))
    this_month = timezone.localdate().strftime("%Y-%m")
    assert page.context["period"].label == cockpit.month
    assert f'value="{this_month}"' in page.content.decode()


def test_a_bad_period_is_answered_in_chinese_and_falls_back(client, world, cockpit):
    client.force_login(world.users[Role.STREET_STAFF])
    status, payload = _data(client, period="2024-13")
    page = client.get(reverse("dashboard:home"), {"period": "2024-13"})

    assert status == 400
    assert "统计期" in payload["error"]
    assert page.status_code == 200
    assert "格式不对" in page.content.decode()
    assert page.context["period"].label == cockpit.month


def test_a_quarter_and_a_year_are_periods_too(client, world, cockpit):
    client.force_login(world.users[Role.STREET_STAFF])
    for period in ("2024-Q2", "2024"):
        status, payload = _data(client, period=period)
        assert status == 200
        assert _panels(payload)["appeal_rates"]["items"][0]["value"] == 4
    _, empty_month = _data(client, period="2024-06")
    volume = _panels(empty_month)["appeal_volume"]
    assert volume == {"kind": "empty", "message": "本期暂无诉求数据"}


def test_the_volume_chart_stacks_channels_by_day(client, world, cockpit):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    _, payload = _data(client, period=cockpit.month)
    option = _panels(payload)["appeal_volume"]["option"]
    assert len(option["xAxis"]["data"]) == 31
    series = {s["name"]: s["data"] for s in option["series"]}
    assert sum(series["网站"]) == 3 and sum(series["电话"]) == 1
    assert series["电话"][9] == 1  # 10 May


def test_the_grid_map_counts_appeals_per_grid(client, world, cockpit):
    client.force_login(world.users[Role.STREET_STAFF])
    _, payload = _data(client, period=cockpit.month)
    data = _panels(payload)["appeal_grid_map"]
    assert data["kind"] == "map"
    assert data["option"]["series"][0]["data"] == [
        {"name": world.grid_a1.code, "value": 4, "title": "睦和苑社区第一网格"}
    ]
    geo = client.get(data["geo_url"]).json()
    assert [f["properties"]["name"] for f in geo["features"]] == [world.grid_a1.code]


def test_the_workload_panel_counts_open_appeals_per_steward(client, world, cockpit):
    client.force_login(world.users[Role.STREET_STAFF])
    _, payload = _data(client, period=cockpit.month)
    option = _panels(payload)["appeal_workload"]["option"]
    assert option["yAxis"]["data"] == ["李网格"]
    assert [s["data"] for s in option["series"]] == [[4], [1]]


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SECURITY_ADMIN])
def test_system_roles_get_no_dashboard(client, world, cockpit, role):
    client.force_login(world.users[role])
    for name in ("dashboard:home", "dashboard:screen", "dashboard:data", "dashboard:geo"):
        response = client.get(reverse(name))
        assert response.status_code == 403, name
    home = client.get(reverse("core:home")).content.decode()
    assert 'data-nav="dashboard"' not in home


def test_business_roles_find_the_dashboard_in_the_sidebar(client, world):
    client.force_login(world.users[Role.GRID_STEWARD])
    body = client.get(reverse("core:home")).content.decode()
    assert 'data-nav="dashboard"' in body and "驾驶舱" in body


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.DISTRICT_ADMIN, 200),
        (Role.STREET_STAFF, 200),
        (Role.COMMUNITY_STAFF, 403),
        (Role.GRID_STEWARD, 403),
        (Role.JUDGE, 403),
    ],
)
def test_the_big_screen_is_for_the_district_and_streets(client, world, cockpit, role, status):
    client.force_login(world.users[role])
    assert client.get(reverse("dashboard:screen")).status_code == status


def test_the_screen_data_holds_only_panels_with_a_slot(client, world, cockpit):
    client.force_login(world.users[Role.STREET_STAFF])
    _, payload = _data(client, period=cockpit.month, screen=1)
    keys = {p["key"] for p in payload["panels"]}
    assert "appeal_grid_map" in keys
    assert "brands_echelons" not in keys


def test_a_grid_stewards_dashboard_has_no_rankings(client, world, cockpit):
    client.force_login(world.users[Role.GRID_STEWARD])
    _, payload = _data(client, period=cockpit.month)
    panels = _panels(payload)
    assert payload["area"]["code"] == world.grid_a1.code
    assert "appeal_rates_by_area" not in panels
    assert panels["appeal_rates"]["items"][0]["value"] == 4


# ---- pinned query counts ------------------------------------------------------------------


def test_query_count_of_the_dashboard_page(client, world, cockpit, django_assert_max_num_queries):
    client.force_login(world.users[Role.STREET_STAFF])
    with django_assert_max_num_queries(14):  # +1: the last complete month with figures
        assert client.get(reverse("dashboard:home")).status_code == 200


def test_query_count_of_the_screen(client, world, cockpit, django_assert_max_num_queries):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    with django_assert_max_num_queries(9):
        assert client.get(reverse("dashboard:screen")).status_code == 200


def test_query_count_of_the_panel_data(client, world, cockpit, django_assert_max_num_queries):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    with django_assert_max_num_queries(35):
        status, _ = _data(client, period=cockpit.month)
    assert status == 200
