import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiceng.core.audit import audit_record, audit_verify, changes_between
from jiceng.core.models import AreaKind, AuditEvent
from jiceng.core.roles import Role
from jiceng.core.services import area_update, person_create
from jiceng.core.tests.tamper import sql


def _three_rows(world):
    admin = world.users[Role.DISTRICT_ADMIN]
    area_update(by=admin, area=world.grid_a1, name="睦和苑一网格", households=410, address="")
    person_create(
        by=admin,
        name="孙新人",
        area=world.grid_a1,
        phone="13912345678",
        id_number="370103198506150028",
    )
    area_update(by=admin, area=world.grid_a1, name="睦和苑第一网格", households=400, address="")
    return list(AuditEvent.objects.order_by("id"))


def test_service_writes_record_actor_action_changes_and_ip(world):
    rows = _three_rows(world)
    first = rows[0]
    assert first.actor == world.users[Role.DISTRICT_ADMIN]
    assert first.action == "area.update"
    assert first.object_id == str(world.grid_a1.pk)
    assert first.changes["name"] == ["睦和苑社区第一网格", "睦和苑一网格"]


def test_audit_changes_mask_personal_numbers(world):
    rows = _three_rows(world)
    created = next(r for r in rows if r.action == "person.create")
    assert created.changes["phone"] == [None, "139****5678"]
    assert created.changes["id_number"] == [None, "3701**********0028"]
    assert "370103198506150028" not in str(created.changes)


def test_intact_chain_verifies(world):
    _three_rows(world)
    assert audit_verify() is None
    call_command("audit_verify")


def test_editing_a_row_behind_the_application_breaks_the_chain_at_that_row(world):
    rows = _three_rows(world)
    tampered = rows[1]
    sql("UPDATE core_auditevent SET actor_name = %s WHERE id = %s", ["某人", tampered.id])
    broken = audit_verify()
    assert broken is not None and broken.row_id == tampered.id
    with pytest.raises(CommandError, match=f"第 {tampered.id} 条"):
        call_command("audit_verify")


def test_deleting_a_row_breaks_the_chain_at_the_next_row(world):
    rows = _three_rows(world)
    sql("DELETE FROM core_auditevent WHERE id = %s", [rows[1].id])
    assert audit_verify().row_id == rows[2].id


def test_audit_rows_cannot_be_changed_through_the_orm(world):
    row = audit_record(actor=None, action="test.write")
    row.action = "test.other"
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=row.pk).update(action="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        row.delete()


def test_changes_between_lists_only_changed_fields():
    assert changes_between({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": ["2", "3"]}
    assert changes_between({}, {"kind": AreaKind.GRID}) == {"kind": [None, "grid"]}


def test_logins_logouts_and_failures_are_audited(client, world):
    user = world.users[Role.COMMUNITY_STAFF]
    client.post("/login/", {"username": user.username, "password": "wrong-password"})
    client.post("/login/", {"username": user.username, "password": "Jiceng@2024"})
    client.post("/logout/")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["auth.login_failed", "auth.login", "auth.logout"]
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.object_repr == user.username
    assert "wrong-password" not in str(failed.changes)
    assert audit_verify() is None
