"""Walk every URL of the platform as every role and as an anonymous visitor.

For each route the walk fills its parameters twice: with rows inside the account's scope and
with rows of the other street. In-scope pages answer, out-of-scope detail pages answer 404,
no page shows a row of the other street, and denied writes leave the database unchanged.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from jiceng.core.models import Area, AuditEvent, Person, Post
from jiceng.core.roles import BUSINESS_ROLES, Role
from jiceng.party.models import PartyOrg

SKIPPED_PREFIXES = ("admin/", "static/", "media/")
# Rows of street B (杆石桥) in the `world` fixture that only district-wide roles may see.
OUT_OF_SCOPE_NAMES = ("赵春元", "钱村民", "春元里社区", "杆石桥街道党工委", "测试村")
PUBLIC_ROUTES = {"core:login"}


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


def _fill(route: str, name: str, values: dict) -> str | None:
    """The URL of ``route`` with each <converter:param> replaced by ``values``."""
    import re

    def replace(match):
        param = match.group(2)
        key = "org" if (param == "pk" and name.startswith("party:")) else param
        if values.get(key) is None:
            raise LookupError
        return str(values[key])

    try:
        return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", replace, route)
    except LookupError:
        return None


def _snapshot():
    return (
        list(Area.objects.order_by("id").values()),
        list(Person.objects.order_by("id").values()),
        list(Post.objects.order_by("id").values()),
        list(PartyOrg.objects.order_by("id").values()),
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
    )


def _in_scope(world, role):
    # grid_a1 and its steward lie under every business role's scope in the fixture.
    org = (
        world.orgs_a[1]
        if role not in {Role.GRID_STEWARD, Role.SHARED_STEWARD, Role.RIDER}
        else None
    )
    return {
        "code": world.grid_a1.code,
        "pk": world.people_a[1].pk,
        "org": org and org.pk,
        "field": "phone",
    }


def _out_of_scope(world):
    return {
        "code": world.community_b1.code,
        "pk": world.people_b[0].pk,
        "org": world.orgs_b[1].pk,
        "field": "phone",
    }


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
    for name, route, _ in ROUTES:
        for values, in_scope in ((_in_scope(world, role), True), (_out_of_scope(world), False)):
            url = _fill(route, name, values)
            if url is None:
                continue
            response = client.get(url)
            status = response.status_code
            assert status < 500, f"{url} as {role}: {status}"
            if role is None:
                if name not in PUBLIC_ROUTES:
                    assert status in (302, 405), f"{url} answered {status} to an anonymous"
                    if status == 302:
                        assert response.url.startswith("/login/")
                continue
            has_params = "<" in route
            if has_params and not in_scope and not sees_street_b:
                assert status in (404, 403, 405), f"{url} as {role}: {status} out of scope"
            if has_params and in_scope and role in BUSINESS_ROLES and status != 405:
                assert status in (200, 403), f"{url} as {role}: {status} in scope"
            if status == 200 and not sees_street_b:
                body = response.content.decode()
                leaked = [n for n in OUT_OF_SCOPE_NAMES if n in body]
                assert not leaked, f"{url} as {role} shows {leaked}"


@pytest.mark.parametrize("role", [None, *Role])
def test_writes_out_of_scope_or_without_right_change_nothing(client, world, role):
    if role is not None:
        client.force_login(world.users[role])
    before = _snapshot()
    for name, route, _ in ROUTES:
        if name in {"core:login", "core:logout", "core:password_change"}:
            continue
        url = _fill(route, name, _out_of_scope(world))
        if url is None:
            continue
        response = client.post(url, {"code": world.community_b1.code, "name": "改名"})
        assert response.status_code < 500, f"POST {url} as {role}"
    if role != Role.DISTRICT_ADMIN:
        assert _snapshot() == before
