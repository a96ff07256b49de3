"""The foundation's URL × role walk, over the cadres routes only: it runs whatever state the
other apps' walk parameters are in (the full walk is jiceng/core/tests/test_url_walk.py)."""

import re

import pytest

from jiceng.core import access
from jiceng.core.roles import BUSINESS_ROLES, Role
from jiceng.core.tests import walk as core_walk
from jiceng.core.tests.test_url_walk import ROUTES, _snapshot

from . import walk

CADRES_ROUTES = [(name, route) for name, route, _ in ROUTES if name.startswith("cadres:")]


def _fill(route: str, values: dict) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def _urls(world, role):
    params = walk.walk_params(world)
    for name, route in CADRES_ROUTES:
        if "<" not in route:
            yield name, "/" + route, False, True
            continue
        assert name in params, f"{name} has parameters: add it to jiceng/cadres/tests/walk.py"
        in_scope, out_of_scope = params[name]
        for values, inside in ((in_scope(role), True), (out_of_scope, False)):
            if values is not None:
                yield name, _fill(route, values), True, inside


def test_every_parameterised_cadres_route_has_walk_parameters(world):
    params = walk.walk_params(world)
    with_params = {name for name, route in CADRES_ROUTES if "<" in route}
    assert with_params == set(params)


@pytest.mark.parametrize("role", [None, *Role])
def test_cadres_pages_show_only_rows_in_scope(client, world, role):
    if role is not None:
        client.force_login(world.users[role])
    sees_street_b = role == Role.DISTRICT_ADMIN
    hidden = walk.out_of_scope_names(world) + core_walk.out_of_scope_names(world)
    for _name, url, has_params, in_scope in _urls(world, role):
        response = client.get(url)
        status = response.status_code
        assert status < 500, f"{url} as {role}: {status}"
        if role is None:
            assert status in (302, 405), f"{url} answered {status} to an anonymous"
            continue
        if has_params and not in_scope and not sees_street_b:
            assert status in (404, 403, 405), f"{url} as {role}: {status} out of scope"
        if has_params and in_scope and access.reach(role, "cadres") and status != 405:
            assert status in (200, 403), f"{url} as {role}: {status} in scope"
        if status == 200 and not sees_street_b:
            body = response.content.decode()
            leaked = [n for n in hidden if n in body]
            assert not leaked, f"{url} as {role} shows {leaked}"


def _cadres_snapshot():
    from django.apps import apps

    return [
        list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("cadres").get_models()
    ]


@pytest.mark.parametrize("role", [None, *Role])
def test_cadres_writes_out_of_scope_or_without_right_change_nothing(client, world, role):
    if role is not None:
        client.force_login(world.users[role])
    urls = list(_urls(world, role))
    before = (_snapshot(), _cadres_snapshot())
    for _name, url, _, in_scope in urls:
        if in_scope and role in BUSINESS_ROLES:
            continue
        response = client.post(url, {"code": world.community_b1.code, "name": "改名"})
        assert response.status_code < 500, f"POST {url} as {role}"
        if role is not None and role != Role.DISTRICT_ADMIN:
            assert response.status_code in (403, 404, 405), f"POST {url} as {role}"
    if role != Role.DISTRICT_ADMIN:
        assert (_snapshot(), _cadres_snapshot()) == before
