"""No oracle on masked numbers (issue 17, finding 3): searching people by a full phone or
ID number is open only to roles that may reveal numbers, limited per user and audited;
roles that may not reveal see the birth year only beside a masked ID number."""

from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse

from jiceng.core import ratelimit
from jiceng.core.identifier_search import classify
from jiceng.core.models import AuditEvent
from jiceng.core.roles import Role

SEARCH_ACTION = "person.search_by_identifier"
# Business roles that may not reveal numbers and still see people of street A's grid.
# Roles that read the people register but may not reveal numbers (the rider and the judge
# do not read the register at all: see test_least_privilege).
NON_REVEAL_ROLES = [Role.GRID_STEWARD, Role.CHIEF_STEWARD]


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def resident(world):
    """李网格, living in grid A1-1, born 1987-09-29."""
    person = world.people_a[1]
    person.birth_date = date(1987, 9, 29)
    person.save(update_fields=["birth_date"])
    return person


def people_page(client, q):
    return client.get(reverse("core:person_list"), {"q": q})


def searches():
    return AuditEvent.objects.filter(action=SEARCH_ACTION)


@pytest.mark.parametrize("role", NON_REVEAL_ROLES)
@pytest.mark.parametrize("field", ["id_number", "phone"])
def test_a_role_without_reveal_rights_cannot_find_a_person_by_number(
    client, world, resident, role, field
):
    client.force_login(world.users[role])
    response = people_page(client, getattr(resident, field))
    page = response.content.decode()
    assert response.status_code == 403
    assert resident.name not in page
    assert reverse("core:person_detail", args=[resident.pk]) not in page
    assert "按手机号或身份证号查询仅限有权查看完整号码的角色" in page
    assert not searches().exists()


@pytest.mark.parametrize("role", NON_REVEAL_ROLES)
def test_a_role_without_reveal_rights_still_finds_people_by_name(client, world, resident, role):
    client.force_login(world.users[role])
    response = people_page(client, "网格")
    assert response.status_code == 200
    assert reverse("core:person_detail", args=[resident.pk]) in response.content.decode()


@pytest.mark.parametrize(
    "text",
    ["3701 0319 8709 2981 02", "138-0000-0001", "+86 138 0000 0001", "1380000", "8102"],
)
def test_a_number_written_with_separators_or_in_part_is_refused_too(client, world, text):
    client.force_login(world.users[Role.GRID_STEWARD])
    response = people_page(client, text)
    assert response.status_code == 403
    assert not searches().exists()


def test_a_reveal_role_finds_a_person_by_id_number_and_the_search_is_audited(
    client, world, resident
):
    staff = world.users[Role.COMMUNITY_STAFF]
    client.force_login(staff)
    response = people_page(client, resident.id_number)
    assert response.status_code == 200
    assert reverse("core:person_detail", args=[resident.pk]) in response.content.decode()
    row = searches().get()
    assert row.actor == staff
    assert row.changes["kind"] == [None, "id_number"]
    # The kind of number, never the number.
    stored = f"{row.changes} {row.object_repr}"
    assert resident.id_number not in stored and resident.id_number[-4:] not in stored


def test_a_reveal_role_finds_by_phone_only_within_its_reveal_scope(client, world):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    outside = world.people_b[0]
    response = people_page(client, outside.phone)
    assert response.status_code == 200
    assert outside.name not in response.content.decode()
    assert searches().get().changes["kind"] == [None, "phone"]


def test_a_reveal_role_cannot_search_by_part_of_a_number(client, world, resident):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = people_page(client, resident.id_number[:10])
    assert response.status_code == 400
    assert "不能按部分号码查询" in response.content.decode()
    assert not searches().exists()


def test_searches_by_number_are_limited_per_user(client, world, resident, settings):
    settings.JICENG_IDENTIFIER_SEARCH_LIMIT = 3
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    for _ in range(3):
        assert people_page(client, resident.phone).status_code == 200
    response = people_page(client, resident.id_number)
    page = response.content.decode()
    assert response.status_code == 429
    assert "按号码查询过于频繁" in page
    assert reverse("core:person_detail", args=[resident.pk]) not in page
    assert searches().count() == 3
    # Names are not limited, and another user has a count of its own.
    assert people_page(client, "网格").status_code == 200
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    assert people_page(client, resident.phone).status_code == 200


def test_the_export_refuses_a_number_from_a_role_without_reveal_rights(client, world, resident):
    client.force_login(world.users[Role.GRID_STEWARD])
    response = client.post(
        reverse("core:list_export", args=["core.people"]) + f"?q={resident.id_number}"
    )
    assert response.status_code == 400
    assert "按手机号或身份证号查询仅限" in response.content.decode()
    assert not AuditEvent.objects.filter(action="core.export").exists()


# ---- the birth date beside a masked ID number -------------------------------------------


def test_person_page_shows_only_the_birth_year_to_a_role_without_reveal_rights(
    client, world, resident
):
    client.force_login(world.users[Role.GRID_STEWARD])
    page = client.get(reverse("core:person_detail", args=[resident.pk])).content.decode()
    assert "1987年" in page
    assert "1987年9月29日" not in page and "09-29" not in page and "9月29日" not in page


def test_person_page_shows_the_full_birth_date_to_a_reveal_role(client, world, resident):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    page = client.get(reverse("core:person_detail", args=[resident.pk])).content.decode()
    assert "1987年9月29日" in page


@pytest.mark.parametrize(
    ("role", "shown"), [(Role.GRID_STEWARD, False), (Role.COMMUNITY_STAFF, True)]
)
def test_people_list_shows_the_full_birth_date_only_to_reveal_roles(
    client, world, resident, role, shown
):
    client.force_login(world.users[role])
    page = people_page(client, "").content.decode()
    assert ("1987年9月29日" in page) is shown
    assert "1987" in page


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.GRID_STEWARD, "1987年"), (Role.COMMUNITY_STAFF, date(1987, 9, 29))],
)
def test_people_export_has_the_full_birth_date_only_for_reveal_roles(
    client, world, resident, role, expected
):
    client.force_login(world.users[role])
    response = client.post(reverse("core:list_export", args=["core.people"]))
    rows = list(openpyxl.load_workbook(BytesIO(response.content)).worksheets[0].values)
    column = rows[0].index("出生日期")
    row = next(r for r in rows[1:] if r[0] == resident.name)
    value = row[column]
    assert (value.date() if hasattr(value, "date") else value) == expected


# ---- the account's "link person" lookup ------------------------------------------------


def test_link_person_lookup_by_id_number_is_audited_without_the_number(client, world, resident):
    admin = world.users[Role.SECURITY_ADMIN]
    client.force_login(admin)
    response = client.post(
        reverse("core:account_create"), {"op": "lookup", "person_id_number": resident.id_number}
    )
    assert response.status_code == 200 and resident.name in response.content.decode()
    row = AuditEvent.objects.get(action="account.person_lookup")
    assert row.actor == admin and row.object_id == str(resident.pk)
    assert row.changes["kind"] == [None, "id_number"]
    assert resident.id_number not in f"{row.changes} {row.object_repr}"


def test_link_person_lookup_is_limited(client, world, resident, settings):
    settings.JICENG_IDENTIFIER_SEARCH_LIMIT = 2
    client.force_login(world.users[Role.SECURITY_ADMIN])
    data = {"op": "lookup", "person_id_number": resident.id_number}
    for _ in range(2):
        assert client.post(reverse("core:account_create"), data).status_code == 200
    response = client.post(reverse("core:account_create"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "按号码查询过于频繁" in page and resident.name not in page
    assert AuditEvent.objects.filter(action="account.person_lookup").count() == 2


# ---- the pieces ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("王睦和", None),
        ("张3", None),
        ("13800000001", "phone"),
        ("+86 138-0000-0001", "phone"),
        ("370103198709298102", "id_number"),
        ("37010319870929810x", "id_number"),
        ("370103870929810", "id_number"),
        ("1380000", "partial"),
    ],
)
def test_classify_tells_names_from_numbers(text, kind):
    assert classify(text)[0] == kind


def test_rate_limit_counts_per_key_within_the_window(db, monkeypatch):
    cache.clear()
    now = [7200.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    assert [ratelimit.hit("k", 2, 60) for _ in range(3)] == [True, True, False]
    assert ratelimit.hit("other", 2, 60)
    now[0] += 60
    assert ratelimit.hit("k", 2, 60)
