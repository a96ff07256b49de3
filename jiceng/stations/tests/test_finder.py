"""The public station finder: no login, phone width, nearest first, nothing private."""

import re

import pytest
from django.urls import reverse

from jiceng.stations.models import CheckIn
from jiceng.stations.selectors import haversine_km
from jiceng.stations.tests.factories import StationFactory


@pytest.fixture
def stations(world):
    near = StationFactory(
        area=world.community_a1,
        name="纬二路暖心驿站",
        lng=116.9936,
        lat=36.6762,
        contact_name="秦联络",
        phone="13912345678",
        public_phone="0531-86001234",
        amenities=["ac", "water", "medicine"],
    )
    far = StationFactory(
        area=world.community_b1,
        name="春元里暖心驿站",
        lng=117.0300,
        lat=36.6400,
        contact_name="韩私密",
        phone="13887654321",
    )
    closed = StationFactory(
        area=world.community_b1,
        name="夜不开驿站",
        lng=116.9937,
        lat=36.6763,
        hours=[""] * 6 + ["08:00-09:00"],
    )
    hidden = StationFactory(
        area=world.community_a1, name="已停用驿站", active=False, lng=116.9936, lat=36.6762
    )
    return near, far, closed, hidden


def test_haversine_is_about_right():
    # One degree of latitude is ~111.2 km.
    assert abs(haversine_km(36.0, 117.0, 37.0, 117.0) - 111.2) < 0.3


def test_finder_lists_nearest_open_stations_first_without_login(client, stations):
    near, far, closed, hidden = stations
    response = client.get(reverse("stations:finder"), {"lat": "36.6760", "lng": "116.9930"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="viewport" content="width=device-width' in body
    names = re.findall(r'<h2 class="station-name">([^<]+)</h2>', body)
    # The closed station is nearer than the far one, but open ones come first.
    assert names[:2] == [near.name, far.name] and names[-1] == closed.name
    assert hidden.name not in body
    assert "开放中" in body and "米" in body and "公里" in body
    assert f"geo:{near.lat},{near.lng}" in body
    assert "应急药品" in body and "空调" in body


def test_finder_reveals_nothing_private(client, stations, world):
    body = client.get(
        reverse("stations:finder"), {"lat": "36.67", "lng": "116.99"}
    ).content.decode()
    assert "0531-86001234" in body  # the public service number only
    for private in ("13912345678", "13887654321", "139****5678", "秦联络", "韩私密"):
        assert private not in body
    assert not re.search(r"(?<!\w)1[3-9]\d{9}(?!\w)", body)
    for person in [*world.people_a, *world.people_b]:
        assert person.name not in body


def test_finder_falls_back_to_a_street_picker(client, stations, world):
    page = client.get(reverse("stations:finder")).content.decode()
    assert "选择所在街道" in page and world.street_b.name in page
    body = client.get(reverse("stations:finder"), {"street": world.street_b.code}).content.decode()
    assert "春元里暖心驿站" in body and "纬二路暖心驿站" not in body


def test_finder_refuses_a_nonsense_location(client, stations):
    body = client.get(reverse("stations:finder"), {"lat": "abc", "lng": "999"}).content.decode()
    assert "位置无效" in body and "station-name" not in body


def test_finder_is_rate_limited_per_address(client, stations, settings):
    settings.JICENG_RATE_LIMITS = {"stations.finder": (3, 600)}
    codes = [client.get(reverse("stations:finder")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_anonymous_check_in_counts_without_personal_data(client, stations):
    near = stations[0]
    response = client.post(reverse("stations:checkin", kwargs={"pk": near.pk}))
    assert response.status_code == 302
    row = CheckIn.objects.get()
    assert row.station == near and row.rider is None
    assert {f.name for f in CheckIn._meta.fields} == {"id", "station", "rider", "day", "at"}


def test_anonymous_check_ins_are_rate_limited(client, stations, settings):
    settings.JICENG_RATE_LIMITS = {"stations.checkin": (2, 3600)}
    url = reverse("stations:checkin", kwargs={"pk": stations[0].pk})
    codes = [client.post(url).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert CheckIn.objects.count() == 2


def test_check_in_at_an_inactive_station_is_refused(client, stations):
    response = client.post(reverse("stations:checkin", kwargs={"pk": stations[3].pk}))
    assert response.status_code == 404 and not CheckIn.objects.exists()


def test_finder_query_count_is_pinned(client, stations, django_assert_max_num_queries):
    StationFactory.create_batch(20, area=stations[0].area)
    with django_assert_max_num_queries(6):
        client.get(reverse("stations:finder"), {"lat": "36.67", "lng": "116.99"})
