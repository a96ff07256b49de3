"""Walk every URL of the platform as every role and as an anonymous visitor.

For each route the walk fills its parameters twice: with a row inside the account's scope
and with a row of the other street, as each app's ``tests/walk.py`` says. In-scope pages
answer, out-of-scope detail pages answer 404 (or 403), no page shows a row of the other
street, and denied writes leave the database unchanged.
"""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from jiceng.core.models import Area, AuditEvent, Person, Post
from jiceng.core.roles import BUSINESS_ROLES, Role
from jiceng.party.models import PartyOrg

SKIPPED_PREFIXES = ("admin/", "static/", "media/")


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            route = prefix + str(entry.pattern)
            if not route.startswith(SKIPPED_PREFIXES):
                yield f"{namespace}:{entry.name}", route, entry.pattern.converters


ROUTES = sorted(_walk(get_resolver()))


def _walk_modules():
    for config in apps.get_app_configs():
        if config.name.startswith("jiceng."):
            try:
                yield importlib.import_module(f"{config.name}.tests.walk")
            except ModuleNotFoundError:
                continue


def _walk_params(world) -> dict:
    params = {}
    for module in _walk_modules():
        params.update(module.walk_params(world))
    return params


def _public_routes() -> set[str]:
    """Routes open without login: the login page and what apps list in ``PUBLIC_ROUTES``."""
    return {"core:login"} | {r for m in _walk_modules() for r in getattr(m, "PUBLIC_ROUTES", ())}


def _out_of_scope_names(world) -> list[str]:
    return [n for m in _walk_modules() for n in m.out_of_scope_names(world)]


def _fill(route: str, values: dict | None) -> str | None:
    """The URL of ``route`` with each <converter:param> replaced from ``values``."""
    if values is None:
        return None
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def _urls(world, role):
    """(route name, url, has parameters?, in scope?) for every route; parameterised routes
    twice."""
    params = _walk_params(world)
    for name, route, _ in ROUTES:
        if "<" not in route:
            yield name, "/" + route, False, True
            continue
        assert name in params, f"{name} has parameters: add it to its app's tests/walk.py"
        in_scope, out_of_scope = params[name]
        for values, inside in ((in_scope(role), True), (out_of_scope, False)):
            url = _fill(route, values)
            if url is not None:
                yield name, url, True, inside


def _snapshot():
    return (
        list(Area.objects.order_by("id").values()),
        list(Person.objects.order_by("id").values()),
        list(Post.objects.order_by("id").values()),
        list(PartyOrg.objects.order_by("id").values()),
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
    )


def test_the_walk_covers_the_pages_of_the_shell():
    names = {name for name, _, _ in ROUTES}
    assert {
        "core:home",
        "core:area_tree",
        "core:area_detail",
        "core:person_list",
        "core:person_detail",
        "party:org_tree",
        "party:org_detail",
    } <= names


@pytest.mark.parametrize("role", [None, *Role])
def test_every_url_shows_only_rows_in_scope(client, world, role):
    if role is not None:
        client.force_login(world.users[role])
    sees_street_b = role == Role.DISTRICT_ADMIN
    hidden = _out_of_scope_names(world)
    for name, url, has_params, in_scope in _urls(world, role):
        response = client.get(url)
        status = response.status_code
        assert status < 500, f"{url} as {role}: {status}"
        if role is None:
            if name not in _public_routes():
                assert status in (302, 405), f"{url} answered {status} to an anonymous"
                if status == 302:
                    assert response.url.startswith("/login/")
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
def test_writes_out_of_scope_or_without_right_change_nothing(client, world, role):
    if role is not None:
        client.force_login(world.users[role])
    before = _snapshot()
    for name, url, _, in_scope in _urls(world, role):
        if in_scope and role in BUSINESS_ROLES:
            continue
        if name in {"core:login", "core:logout", "core:password_change"}:
            continue
        response = client.post(url, {"code": world.community_b1.code, "name": "改名"})
        assert response.status_code < 500, f"POST {url} as {role}"
    if role != Role.DISTRICT_ADMIN:
        assert _snapshot() == before
