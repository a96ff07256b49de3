import pytest
from django.db import connection

from jiceng.core.crypto import blind_index
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import Area, AreaKind, AuditEvent, Person
from jiceng.core.permissions import can
from jiceng.core.roles import Role
from jiceng.core.services import (
    area_create,
    area_update,
    person_create,
    person_reveal,
    person_update,
)

GOOD_ID = "370103198506150028"


def _snapshot():
    return (
        list(Area.objects.order_by("id").values()),
        list(Person.objects.order_by("id").values()),
        AuditEvent.objects.count(),
    )


def test_id_number_is_stored_encrypted_never_in_clear(world):
    admin = world.users[Role.DISTRICT_ADMIN]
    person = person_create(by=admin, name="周明", area=world.community_a1, id_number=GOOD_ID)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_person WHERE id = %s", [person.pk])
        raw = " ".join(str(v) for v in cursor.fetchone())
    assert GOOD_ID not in raw
    assert GOOD_ID[-8:] not in raw
    assert Person.objects.get(pk=person.pk).id_number == GOOD_ID


def test_blind_index_finds_a_person_by_exact_id_number(world):
    admin = world.users[Role.DISTRICT_ADMIN]
    person = person_create(by=admin, name="周明", area=world.community_a1, id_number=GOOD_ID)
    assert Person.objects.get(id_number_index=blind_index(GOOD_ID.lower())) == person


def test_id_number_and_phone_are_masked(world):
    person = world.people_a[0]
    assert person.phone_masked == f"{person.phone[:3]}****{person.phone[-4:]}"
    assert person.id_number_masked.startswith("3701")
    assert person.id_number_masked[4:14] == "*" * 10


@pytest.mark.parametrize(
    ("id_number", "phone"),
    [
        ("370103198506150029", ""),  # wrong check digit
        ("370103198513150028", ""),  # month 13
        ("37010319850615001", ""),  # 17 digits
        ("", "1381234567"),  # 10-digit phone
        ("", "23812345678"),  # not a mobile prefix
    ],
)
def test_bad_personal_numbers_are_refused_and_nothing_changes(world, id_number, phone):
    admin = world.users[Role.DISTRICT_ADMIN]
    before = _snapshot()
    with pytest.raises(ValidationFailed) as err:
        person_create(
            by=admin, name="吴错", area=world.community_a1, id_number=id_number, phone=phone
        )
    assert err.value.message
    assert _snapshot() == before


def test_birth_date_and_sex_come_from_the_id_number(world):
    admin = world.users[Role.DISTRICT_ADMIN]
    person = person_create(by=admin, name="郑好", area=world.community_a1, id_number=GOOD_ID)
    assert str(person.birth_date) == "1985-06-15"
    assert person.sex == "F"  # the 17th digit is even for women


def test_duplicate_id_number_is_refused(world):
    admin = world.users[Role.DISTRICT_ADMIN]
    person_create(by=admin, name="周明", area=world.community_a1, id_number=GOOD_ID)
    with pytest.raises(ValidationFailed, match="已登记"):
        person_create(by=admin, name="周明二", area=world.community_b1, id_number=GOOD_ID)


@pytest.mark.parametrize("role", [Role.GRID_STEWARD, Role.RIDER, Role.AUDITOR, Role.JUDGE])
def test_denied_writes_change_nothing(world, role):
    user = world.users[role]
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        area_update(by=user, area=world.grid_a1, name="改名", households=1, address="")
    with pytest.raises(PermissionDenied):
        person_create(by=user, name="某某", area=world.grid_a1)
    with pytest.raises(PermissionDenied):
        person_update(by=user, person=world.people_a[1], name="改名")
    assert _snapshot() == before


def test_street_staff_cannot_write_in_another_street(world):
    user = world.users[Role.STREET_STAFF]
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        area_create(
            by=user,
            code="370103003001002",
            name="新网格",
            kind=AreaKind.GRID,
            parent=world.community_b1,
        )
    assert _snapshot() == before


def test_area_create_checks_code_and_parent_kind(world):
    admin = world.users[Role.DISTRICT_ADMIN]
    with pytest.raises(ValidationFailed, match="15 位"):
        area_create(
            by=admin,
            code="3701030020030",
            name="短码网格",
            kind=AreaKind.GRID,
            parent=world.community_a1,
        )
    with pytest.raises(ValidationFailed, match="上级应为"):
        area_create(
            by=admin, code="370103002003", name="网格", kind=AreaKind.GRID, parent=world.street_a
        )
    grid = area_create(
        by=admin,
        code="370103002003002",
        name="睦和苑社区第二网格",
        kind=AreaKind.GRID,
        parent=world.community_a1,
    )
    assert grid.depth == world.community_a1.depth + 1


def test_reveal_is_allowed_to_community_staff_and_audited(world):
    person = world.people_a[0]
    user = world.users[Role.COMMUNITY_STAFF]
    assert person_reveal(by=user, person=person, field="phone") == person.phone
    row = AuditEvent.objects.get(action="person.reveal")
    assert row.actor == user and row.object_id == str(person.pk)


def test_reveal_is_refused_to_a_grid_steward_without_audit_row(world):
    person = world.people_a[1]
    user = world.users[Role.GRID_STEWARD]
    assert not can(user, "reveal_pii", person)
    with pytest.raises(PermissionDenied):
        person_reveal(by=user, person=person, field="id_number")
    assert not AuditEvent.objects.filter(action="person.reveal").exists()
