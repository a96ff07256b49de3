"""Walk every URL of the platform as every role and as an anonymous visitor.

For each route the walk fills its parameters twice: with a row inside the account's scope
and with a row of the other street, as each app's ``tests/walk.py`` says. In-scope pages
answer, out-of-scope detail pages answer 404 (or 403), no page shows a row of the other
street, and denied writes leave the database unchanged.

The role matrix (jiceng/core/access.py) drives it: every route belongs to a module of the
matrix (or is one of the account's own pages), and a route of a module closed to the role
is denied (403/404/405) and shows no row of either street, whatever its parameters. The
same holds for every registered export and for the API's write with the account's token.
The walk counts the requests it tried out of the role's reach (``OUT_OF_REACH``).
"""

import importlib
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jiceng.core import access
from jiceng.core.exports import registered_exports
from jiceng.core.models import Area, AuditEvent, ExportJob, Person, Post
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


# Rows of street A that a role whose module is closed must not see either.
IN_SCOPE_PEOPLE = ("王睦和", "李网格")
DENIED = (401, 403, 404, 405)  # 401: the API wants its token, not a session
# role -> requests the walk tried out of that role's reach (a closed module, or a row of
# the other street); every one of them was denied and showed nothing, or the walk failed.
OUT_OF_REACH: dict[str, int] = {}


def _reach(role, name: str) -> str | None:
    """The role's reach over the route's module (``"own-pages"`` for its own pages)."""
    module = access.module_of_route(name)
    if module is None:
        return "own-pages"
    return access.reach(role, module.key)


def _count(role, n: int = 1) -> None:
    OUT_OF_REACH[str(role)] = OUT_OF_REACH.get(str(role), 0) + n


def test_every_route_belongs_to_a_module_of_the_matrix():
    public = _public_routes()
    loose = [
        name
        for name, _, _ in ROUTES
        if access.module_of_route(name) is None
        and name not in access.COMMON_ROUTES
        and name not in public
    ]
    assert not loose, f"add these routes to a module of jiceng/core/access.py: {loose}"


def test_every_export_belongs_to_a_module_of_the_matrix():
    for module in _walk_modules():
        app = module.__name__.split(".")[1]
        try:
            importlib.import_module(f"jiceng.{app}.exports")
        except ModuleNotFoundError:
            continue
    loose = [e.key for e in registered_exports() if access.module_of_export(e.key) is None]
    assert not loose, f"add these exports to a module of jiceng/core/access.py: {loose}"


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
        reach = _reach(role, name)
        if reach is None and name not in _public_routes():
            # The matrix closes the module to the role: denied, and nothing shows.
            _count(role)
            assert status in DENIED, f"{url} as {role}: {status}, module closed to the role"
            body = response.content.decode(errors="replace")
            leaked = [n for n in (*hidden, *IN_SCOPE_PEOPLE) if n in body]
            assert not leaked, f"{url} as {role} (module closed) shows {leaked}"
            continue
        if has_params and not in_scope and not sees_street_b:
            _count(role)
            assert status in DENIED, f"{url} as {role}: {status} out of scope"
        if has_params and in_scope and reach is not None and status != 405:
            assert status in (200, 403), f"{url} as {role}: {status} in scope"
        if status == 200 and not sees_street_b:
            body = response.content.decode()
            leaked = [n for n in hidden if n in body]
            assert not leaked, f"{url} as {role} shows {leaked}"
    if role is not None:
        print(f"\nwalk: {role}: {OUT_OF_REACH.get(str(role), 0)} requests out of reach, 0 leaks")


@pytest.mark.parametrize("role", list(Role))
def test_every_export_follows_the_matrix(client, world, role):
    """An export of a module closed to the role is refused before any row is read."""
    test_every_export_belongs_to_a_module_of_the_matrix()
    client.force_login(world.users[role])
    refused = 0
    for export in registered_exports():
        module = access.module_of_export(export.key)
        if access.reach(role, module.key) is not None:
            continue
        response = client.post(reverse("core:list_export", args=[export.key]))
        assert response.status_code == 403, f"export {export.key} as {role}"
        refused += 1
    assert not AuditEvent.objects.filter(action__endswith=".export").exists()
    assert not ExportJob.objects.exists()
    print(f"\nexports: {role}: {refused} refused, 0 leaks")


@pytest.mark.parametrize("role", list(Role))
def test_the_api_takes_appeals_only_from_roles_the_matrix_lets_use_it(client, world, role):
    from jiceng.appeals.models import ApiToken, Appeal
    from jiceng.appeals.services.tokens import token_hash

    key = f"walk-{role}"
    ApiToken.objects.create(
        name="走查令牌", user=world.users[role], key_hash=token_hash(key), prefix=key[:8]
    )
    response = client.post(
        "/api/v1/appeals",
        data=json.dumps(
            {"kind": "help", "description": "走查：楼道灯坏了", "address": "纬二路小区"}
        ),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    if access.reach(role, "api") is None:
        assert response.status_code == 403, f"API as {role}: {response.status_code}"
        assert not Appeal.objects.exists()
    else:
        assert response.status_code == 201, f"API as {role}: {response.content!r}"


def test_the_sidebar_shows_only_modules_the_matrix_opens(rf, world):
    from jiceng.core.context_processors import sidebar_entries

    for role in Role:
        user = world.users[role]
        for entry in sidebar_entries():
            module = access.module_of_route(entry.url_name)
            if module is None or not entry.visible(user):
                continue
            assert access.reach(role, module.key) is not None, f"{entry.key} shown to {role}"


def test_docs_carry_the_matrix():
    docs = (Path(__file__).resolve().parents[3] / "docs" / "scope.md").read_text()
    assert access.markdown_table() in docs, (
        "docs/scope.md differs from jiceng/core/access.py: paste `manage.py access_matrix`"
    )


@pytest.mark.parametrize("role", [None, *Role])
def test_writes_out_of_scope_or_without_right_change_nothing(client, world, role):
    if role is not None:
        client.force_login(world.users[role])
    before = _snapshot()
    public = _public_routes()
    for name, url, _, in_scope in _urls(world, role):
        closed = role is not None and _reach(role, name) is None and name not in public
        if in_scope and role in BUSINESS_ROLES and not closed:
            continue
        if name in {"core:login", "core:logout", "core:password_change"}:
            continue
        response = client.post(url, {"code": world.community_b1.code, "name": "改名"})
        assert response.status_code < 500, f"POST {url} as {role}"
        if closed:
            _count(role)
            assert response.status_code in DENIED, f"POST {url} as {role}: module closed"
    if role != Role.DISTRICT_ADMIN:
        assert _snapshot() == before
