"""The URL × role walk of the foundation, over the party app's routes only, plus the
party's own rows in the snapshot: every page answers in scope, refuses out of scope, shows
no row of the other street, and junk writes change nothing."""

import pytest

from jiceng.core.roles import BUSINESS_ROLES, Role
from jiceng.core.tests import test_url_walk as walk
from jiceng.party.models import (
    Activity,
    DemonstrationPoint,
    Organization,
    Participation,
    PlanMeasure,
    ServiceCenter,
)


def party_urls(world, role):
    return [u for u in walk._urls(world, role) if u[0].startswith("party:")]


def snapshot():
    return (
        walk._snapshot(),
        [
            list(m.objects.order_by("pk").values())
            for m in (
                Organization,
                DemonstrationPoint,
                PlanMeasure,
                ServiceCenter,
                Activity,
                Participation,
            )
        ],
    )


@pytest.mark.parametrize("role", [None, *Role])
def test_party_pages_show_only_rows_in_scope(client, world, role):
    if role is not None:
        client.force_login(world.users[role])
    sees_street_b = role == Role.DISTRICT_ADMIN
    hidden = walk._out_of_scope_names(world)
    urls = party_urls(world, role)
    assert len({u[0] for u in urls}) >= 25
    for name, url, has_params, in_scope in urls:
        response = client.get(url)
        status = response.status_code
        assert status < 500, f"{url} as {role}: {status}"
        if role is None:
            if name not in walk._public_routes():
                assert status == 302 and response.url.startswith("/login/"), url
            continue
        if has_params and not in_scope and not sees_street_b:
            assert status in (404, 403, 405), f"{url} as {role}: {status} out of scope"
        if has_params and in_scope and role in BUSINESS_ROLES and status != 405:
            assert status in (200, 403), f"{url} as {role}: {status} in scope"
        if status == 200 and not sees_street_b:
            body = response.content.decode()
            leaked = [n for n in hidden if n in body]
            assert not leaked, f"{url} as {role} shows {leaked}"


@pytest.mark.parametrize("role", [None, *Role])
def test_party_junk_writes_out_of_scope_change_nothing(client, world, role):
    if role is not None:
        client.force_login(world.users[role])
    urls = party_urls(world, role)
    before = snapshot()
    for _name, url, _, in_scope in urls:
        if in_scope and role in BUSINESS_ROLES:
            continue
        response = client.post(url, {"code": world.community_b1.code, "name": "改名"})
        assert response.status_code < 500, f"POST {url} as {role}"
    if role != Role.DISTRICT_ADMIN:
        assert snapshot() == before
