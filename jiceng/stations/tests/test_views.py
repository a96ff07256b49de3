"""Staff pages and services: scope, validation that changes nothing, audit, query counts."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jiceng.core.indicator_registry import Period
from jiceng.core.models import AuditEvent
from jiceng.core.roles import Role
from jiceng.stations.indicators import rider_grid_workers, warm_stations
from jiceng.stations.models import (
    CheckIn,
    GridAppointment,
    PointsEntry,
    Recognition,
    Rider,
    WarmStation,
)
from jiceng.stations.tests.factories import AppointmentFactory, RiderFactory, StationFactory

STATION_POST = {
    "name": "经四路暖心驿站",
    "address": "市中区经四路100号",
    "lng": "116.99",
    "lat": "36.66",
    "amenities": ["water", "ac"],
    "active": "on",
    **{f"hours_{i}": "08:00-20:00" for i in range(5)},
}


def _post(world, **over):
    return {**STATION_POST, "area": world.community_a1.code, **over}


def test_community_staff_creates_a_station_with_audit(client, world):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = client.post(reverse("stations:station_create"), _post(world))
    station = WarmStation.objects.get()
    assert response.status_code == 302
    assert station.hours == ["08:00-20:00"] * 5 + ["", ""]
    assert station.amenities == ["ac", "water"]
    assert AuditEvent.objects.filter(action="stations.station_create").count() == 1


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"hours_0": "8点到晚上"}, "格式不对"),
        ({"lng": "120.5"}, "不在本区范围内"),
        (
            {"hours_0": "", "hours_1": "", "hours_2": "", "hours_3": "", "hours_4": ""},
            "至少填写一天",
        ),
        ({"phone": "12345"}, "手机号"),
        ({"name": "站"}, "驿站名称"),
    ],
)
def test_bad_station_input_changes_nothing(client, world, over, message):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = client.post(reverse("stations:station_create"), _post(world, **over))
    assert response.status_code == 400 and message in response.content.decode()
    assert (
        not WarmStation.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="stations.").exists()
    )


def test_station_out_of_scope_cannot_be_created(client, world):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = client.post(
        reverse("stations:station_create"), _post(world, area=world.community_b1.code)
    )
    assert response.status_code == 400 and not WarmStation.objects.exists()


def test_station_update_is_audited_and_out_of_scope_404(client, world):
    a = StationFactory(area=world.community_a1)
    b = StationFactory(area=world.community_b1, name="春元里驿站")
    client.force_login(world.users[Role.STREET_STAFF])
    client.post(
        reverse("stations:station_update", kwargs={"pk": a.pk}), _post(world, name="改名驿站")
    )
    a.refresh_from_db()
    assert a.name == "改名驿站"
    assert AuditEvent.objects.filter(action="stations.station_update").exists()
    response = client.post(reverse("stations:station_update", kwargs={"pk": b.pk}), _post(world))
    b.refresh_from_db()
    assert response.status_code == 404 and b.name == "春元里驿站"


def test_grid_steward_sees_the_stations_of_their_community_read_only(client, world):
    a = StationFactory(area=world.community_a1)
    StationFactory(area=world.community_b1, name="春元里驿站")
    client.force_login(world.users[Role.GRID_STEWARD])
    body = client.get(reverse("stations:home")).content.decode()
    assert a.name in body and "春元里驿站" not in body and "新增驿站" not in body
    response = client.get(reverse("stations:station_update", kwargs={"pk": a.pk}))
    assert response.status_code == 403


def test_station_detail_counts_check_ins_per_day(client, world):
    station = StationFactory(area=world.community_a1)
    rider = RiderFactory(area=world.community_a1)
    today = timezone.localdate()
    CheckIn.objects.bulk_create(
        [CheckIn(station=station, day=today) for _ in range(3)]
        + [CheckIn(station=station, day=today, rider=rider)]
    )
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    page = client.get(
        reverse("stations:station_detail", kwargs={"pk": station.pk})
    ).content.decode()
    assert "骑士 1 人次，匿名 3 人次" in page


def test_station_list_query_count_is_pinned(client, world, django_assert_max_num_queries):
    StationFactory.create_batch(30, area=world.community_a1)
    client.force_login(world.users[Role.STREET_STAFF])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("stations:home"))
    assert response.content.decode().count('href="/stations/') >= 30


def test_rider_list_masks_phones_and_pins_queries(client, world, django_assert_max_num_queries):
    for i in range(30):
        r = RiderFactory(area=world.community_a1, phone=f"1770000{i:04d}")
        AppointmentFactory(rider=r, grid=world.grid_a1, starts_on=date(2024, 1, 1))
    RiderFactory(area=world.community_b1, name="春元里骑士")
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    with django_assert_max_num_queries(12):
        body = client.get(reverse("stations:rider_list")).content.decode()
    assert "177****0001" in body and "17700000001" not in body and "春元里骑士" not in body


def test_grid_steward_sees_riders_appointed_to_their_grid(client, world):
    r = RiderFactory(area=world.community_b1, name="跨区骑士")
    AppointmentFactory(rider=r, grid=world.grid_a1, starts_on=date(2024, 1, 1))
    client.force_login(world.users[Role.GRID_STEWARD])
    assert "跨区骑士" in client.get(reverse("stations:rider_list")).content.decode()


def test_register_rider_links_account_and_refuses_duplicates(client, world):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    data = {
        "name": "黄骑士",
        "phone": "139 0000 1111",
        "platform": "eleme",
        "area": world.community_a1.code,
        "username": world.users[Role.RIDER].username,
    }
    assert client.post(reverse("stations:rider_create"), data).status_code == 302
    rider = Rider.objects.get()
    assert rider.phone == "13900001111" and rider.user == world.users[Role.RIDER]
    response = client.post(reverse("stations:rider_create"), {**data, "username": ""})
    assert "已登记" in response.content.decode() and Rider.objects.count() == 1
    response = client.post(
        reverse("stations:rider_create"),
        {**data, "phone": "13900002222", "username": world.users[Role.JUDGE].username},
    )
    assert "不是骑士网格员账号" in response.content.decode() and Rider.objects.count() == 1


def test_appointment_moves_a_rider_and_counts_in_the_indicator(client, world):
    rider = RiderFactory(area=world.community_a1)
    other = RiderFactory(area=world.community_a1)  # registered, never appointed
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    url = reverse("stations:rider_appoint", kwargs={"pk": rider.pk})
    client.post(url, {"grid": world.grid_a1.code, "starts_on": "2024-03-01"})
    assert GridAppointment.objects.get().grid == world.grid_a1
    # A grid out of scope is refused and nothing changes.
    client.post(url, {"grid": world.grid_b1.code, "starts_on": "2024-05-01"})
    assert GridAppointment.objects.count() == 1
    admin = world.users[Role.DISTRICT_ADMIN]
    assert rider_grid_workers(area=world.district, period=Period("all"), user=admin).value == 1
    assert rider_grid_workers(area=world.street_b, period=Period("all"), user=admin).value == 0
    assert (
        rider_grid_workers(area=world.district, period=Period.parse("2024-02"), user=admin).value
        == 0
    )
    appointment = GridAppointment.objects.get()
    client.post(
        reverse("stations:appointment_end", kwargs={"pk": appointment.pk}),
        {"ends_on": "2024-04-30"},
    )
    assert rider_grid_workers(area=world.district, period=Period("all"), user=admin).value == 0
    assert (
        rider_grid_workers(area=world.district, period=Period.parse("2024-04"), user=admin).value
        == 1
    )
    assert other.appointments.count() == 0


def test_warm_stations_indicator_counts_active_stations_in_scope(world):
    StationFactory(area=world.community_a1)
    StationFactory(area=world.community_b1)
    StationFactory(area=world.community_a1, active=False)
    admin = world.users[Role.DISTRICT_ADMIN]
    assert warm_stations(area=world.district, period=Period("all"), user=admin).value == 2
    street = world.users[Role.STREET_STAFF]
    assert warm_stations(area=world.district, period=Period("all"), user=street).value == 1


def _points(rider, n, points, appeals):
    for appeal in appeals[:n]:
        PointsEntry.objects.create(
            rider=rider, appeal=appeal, points=points, reason="测试", earned_on=date(2024, 5, 10)
        )


@pytest.fixture
def appeals(world):
    from jiceng.appeals.services import appeal_submit

    return [
        appeal_submit(
            by=None,
            kind="report",
            channel="wechat",
            description=f"测试上报第{i}件事",
            address="纬二路小区",
            anonymous=True,
        )
        for i in range(6)
    ]


def test_leaderboard_ranks_riders_in_scope_with_ties(
    client, world, appeals, django_assert_max_num_queries
):
    a1 = RiderFactory(area=world.community_a1, name="甲骑士")
    a2 = RiderFactory(area=world.community_a1, name="乙骑士")
    a3 = RiderFactory(area=world.community_a1, name="丙骑士")
    b = RiderFactory(area=world.community_b1, name="春元里骑士")
    _points(a1, 2, 10, appeals[0:2])
    _points(a2, 2, 10, appeals[2:4])
    _points(a3, 1, 5, appeals[4:5])
    _points(b, 1, 10, appeals[5:6])
    client.force_login(world.users[Role.STREET_STAFF])
    with django_assert_max_num_queries(12):
        body = client.get(reverse("stations:leaderboard"), {"month": "2024-05"}).content.decode()
    assert "春元里骑士" not in body
    assert body.count('class="rank rank-1"') == 2 and 'class="rank rank-3"' in body
    assert body.index("甲骑士") < body.index("丙骑士")
    assert (
        "暂无骑士获得积分"
        in client.get(reverse("stations:leaderboard"), {"month": "2024-06"}).content.decode()
    )


def test_recognition_is_listed_on_the_riders_page_once(client, world):
    rider = RiderFactory(area=world.community_a1, user=world.users[Role.RIDER])
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    url = reverse("stations:recognition_award", kwargs={"pk": rider.pk})
    client.post(url, {"month": "2024-05", "title": "月度之星", "citation": "上报井盖隐患"})
    client.post(url, {"month": "2024-05", "title": "月度之星"})
    assert Recognition.objects.count() == 1
    client.force_login(world.users[Role.RIDER])
    assert "2024年5月月度之星" in client.get(reverse("stations:me")).content.decode()


def test_rider_checks_in_once_a_day_with_audit(client, world):
    station = StationFactory(area=world.community_a1)
    RiderFactory(area=world.community_a1, user=world.users[Role.RIDER])
    client.force_login(world.users[Role.RIDER])
    url = reverse("stations:checkin", kwargs={"pk": station.pk})
    client.post(url)
    client.post(url)
    row = CheckIn.objects.get()
    assert row.rider.user == world.users[Role.RIDER]
    assert AuditEvent.objects.filter(action="stations.checkin").count() == 1


def test_exports_are_scoped_masked_and_audited(client, world):
    StationFactory(area=world.community_a1, name="=HYPERLINK(1)")
    StationFactory(area=world.community_b1, name="春元里驿站")
    RiderFactory(area=world.community_a1, phone="17712345678")
    client.force_login(world.users[Role.STREET_STAFF])
    wb = load_workbook(
        BytesIO(
            client.post(reverse("core:list_export", kwargs={"key": "stations.stations"})).content
        )
    )
    names = [r[0] for r in wb.active.iter_rows(min_row=2, values_only=True)]
    assert names == ["'=HYPERLINK(1)"]
    wb = load_workbook(
        BytesIO(client.post(reverse("core:list_export", kwargs={"key": "stations.riders"})).content)
    )
    rows = list(wb.active.iter_rows(min_row=2, values_only=True))
    assert rows[0][1] == "177****5678"
    assert AuditEvent.objects.filter(action="stations.export").count() == 2


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.RIDER, Role.SHARED_STEWARD, Role.JUDGE])
def test_non_staff_roles_cannot_open_the_staff_pages(client, world, role):
    client.force_login(world.users[role])
    assert client.get(reverse("stations:home")).status_code == 403
    assert client.get(reverse("stations:rider_list")).status_code == 403
