"""Every ``next`` the platform honours stays on the site: a path, never a host or scheme."""

import pytest

from jiceng.conftest import PASSWORD
from jiceng.core.roles import Role
from jiceng.core.views.base import safe_url
from jiceng.stations.tests.factories import StationFactory

ELSEWHERE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "///evil.example/",
    "http://testserver/people/",  # same host, but absolute: only paths are honoured
    "javascript:alert(1)",
    "evil.example",
    " //evil.example/",
    "/\t/evil.example/",
    "\x01//evil.example/",
]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_safe_url_refuses_anything_but_a_path_on_this_site(target):
    assert safe_url(target, "/home/") == "/home/"


@pytest.mark.parametrize("target", ["/people/", "/people/?q=%E7%8E%8B&page=2", "/a/b#c"])
def test_safe_url_keeps_a_path_on_this_site(target):
    assert safe_url(target, "/home/") == target


@pytest.mark.parametrize("target", ELSEWHERE)
def test_login_does_not_follow_next_off_site(client, world, target):
    user = world.users[Role.DISTRICT_ADMIN]
    response = client.post(
        "/login/", {"username": user.username, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.url == "/"


def test_login_follows_next_on_site(client, world):
    user = world.users[Role.DISTRICT_ADMIN]
    response = client.post(
        "/login/", {"username": user.username, "password": PASSWORD, "next": "/people/"}
    )
    assert response.url == "/people/"


def test_login_page_does_not_carry_an_off_site_next_into_its_form(client, world):
    response = client.get("/login/", {"next": "http://testserver/people/"})
    assert 'name="next" value=""' in response.content.decode()


@pytest.mark.parametrize("target", ELSEWHERE)
def test_logout_does_not_follow_next_off_site(client, world, target):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    response = client.post("/logout/", {"next": target})
    assert response.status_code == 302
    assert response.url == "/login/"


@pytest.mark.parametrize("target", ["https://evil.example/", "http://testserver/people/"])
def test_area_switch_does_not_follow_next_off_site(client, world, target):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    response = client.post("/areas/switch/", {"code": world.street_a.code, "next": target})
    assert response.status_code == 302
    assert response.url == "/"


def test_area_switch_returns_to_the_page_it_was_used_on(client, world):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    response = client.post("/areas/switch/", {"code": world.street_a.code, "next": "/people/"})
    assert response.url == "/people/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_bulk_dispatch_does_not_follow_next_off_site(client, world, target):
    client.force_login(world.users[Role.CHIEF_STEWARD])
    response = client.post("/appeals/bulk-dispatch/", {"next": target})
    assert response.status_code == 302
    assert response.url == "/appeals/"


def test_bulk_dispatch_returns_to_the_filtered_queue(client, world):
    client.force_login(world.users[Role.CHIEF_STEWARD])
    response = client.post("/appeals/bulk-dispatch/", {"next": "/appeals/?queue=overdue"})
    assert response.url == "/appeals/?queue=overdue"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/people/"])
def test_station_checkin_returns_only_to_the_finder(client, world, target):
    station = StationFactory(area=world.community_a1)
    response = client.post(f"/stations/near/{station.pk}/checkin/", {"next": target})
    assert response.status_code == 302
    assert response.url == "/stations/near/"


@pytest.mark.parametrize("target", ["https://evil.example/", "http://testserver/areas/"])
def test_person_form_cancel_links_only_on_site(client, world, target):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    response = client.get("/people/new/", {"next": target})
    assert response.status_code == 200
    assert response.context["cancel_url"] == "/people/"
