"""The audit log as an auditor reads it: Chinese actions, objects, fields and values;
filters by person, action and date; links; the Excel export says the same."""

from datetime import timedelta
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from jiceng.core import audit_labels
from jiceng.core.audit import audit_record, changes_between
from jiceng.core.models import AuditEvent
from jiceng.core.roles import Role


def _page(client, world, **params):
    client.force_login(world.users[Role.AUDITOR])
    response = client.get(reverse("core:audit_list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_login_is_shown_as_a_chinese_action_not_its_code(client, world):
    client.post(reverse("core:login"), {"username": "t_street_staff", "password": "wrong-password"})
    page = _page(client, world)
    assert "登录失败" in page
    assert ">auth.login_failed<" not in page


def test_appeal_escalation_reads_as_supervision_with_chinese_field_and_values(client, world):
    from jiceng.appeals.tests.factories import AppealFactory

    appeal = AppealFactory(area=world.grid_a1)
    audit_record(
        actor=world.users[Role.STREET_STAFF],
        action="appeals.escalate",
        obj=appeal,
        changes=changes_between(
            {"supervised": False, "status": "in_progress"},
            {"supervised": True, "status": "in_progress"},
        ),
        object_repr=appeal.code,
    )
    page = _page(client, world)
    assert "升级督办" in page
    assert "诉求" in page  # the object's kind
    assert "supervised" not in page
    assert "False → True" not in page
    assert "否 → 是" in page


def test_object_is_named_by_its_kind_and_offers_its_whole_history(client, world):
    person = world.people_a[0]
    from jiceng.core.services import person_reveal

    person_reveal(by=world.users[Role.COMMUNITY_STAFF], person=person, field="phone")
    page = _page(client, world)
    assert "core.person#" not in page
    assert "人员" in page and "查看字段</span>：手机号" in page
    history = f"?object=core.person%23{person.pk}"
    assert history in page
    page = _page(client, world, object=f"core.person#{person.pk}")
    assert "查看明文" in page
    assert "登录" not in page.split("<tbody>")[1]


def test_status_choice_and_foreign_key_show_labels_and_names(world):
    from jiceng.appeals.tests.factories import AppealFactory

    appeal = AppealFactory(area=world.grid_a1)
    owner = world.people_a[0]
    row = audit_record(
        actor=None,
        action="appeals.dispatch",
        obj=appeal,
        changes=changes_between(
            {"status": "submitted", "owner_id": None},
            {"status": "dispatched", "owner_id": owner.pk},
        ),
    )
    (line,) = audit_labels.describe([row], user=world.users[Role.AUDITOR])
    assert line.action == "派单"
    texts = {c.field: (c.before, c.after) for c in line.changes}
    assert texts["状态"] == ("待派单", "已派单")
    assert ("（空）", owner.name) in texts.values()


def test_unregistered_action_shows_its_code():
    assert audit_labels.action_label("nobody.did_this") == "nobody.did_this"


def test_filter_by_action_words_person_and_dates(client, world):
    street = world.users[Role.STREET_STAFF]
    community = world.users[Role.COMMUNITY_STAFF]
    audit_record(actor=street, action="auth.login")
    audit_record(actor=community, action="auth.logout")
    today = timezone.localdate()

    page = _page(client, world, action="退出")
    body = page.split("<tbody>")[1]
    assert "退出登录" in body and ">登录<" not in body

    page = _page(client, world, actor=community.first_name or community.username)
    assert street.username not in page.split("<tbody>")[1]

    page = _page(client, world, since=today.isoformat(), until=today.isoformat())
    assert "退出登录" in page
    page = _page(client, world, until=(today - timedelta(days=1)).isoformat())
    assert "没有符合条件的审计记录" in page


def test_bad_date_range_is_refused_in_chinese_and_shows_no_rows(client, world):
    audit_record(actor=world.users[Role.STREET_STAFF], action="auth.login")
    page = _page(client, world, since="2026-12-05", until="2026-12-01")
    assert "起始日期不能晚于截止日期" in page
    assert "<tbody>" not in page
    page = _page(client, world, since="明天")
    assert "起始日期无效" in page


def test_account_link_is_followed_only_by_who_may_open_it(world):
    target = world.users[Role.STREET_STAFF]
    row = audit_record(actor=None, action="account.unlock", obj=target)
    (line,) = audit_labels.describe([row], user=world.users[Role.AUDITOR])
    assert line.url == ""
    assert line.kind == "账号"
    (line,) = audit_labels.describe([row], user=world.users[Role.SECURITY_ADMIN])
    assert line.url == reverse("core:account_detail", args=[target.pk])


def test_excel_export_has_chinese_actions_and_changes_and_follows_filters(client, world):
    audit_record(
        actor=world.users[Role.STREET_STAFF],
        action="auth.login",
    )
    audit_record(
        actor=world.users[Role.COMMUNITY_STAFF],
        action="person.update",
        obj=world.people_a[0],
        changes=changes_between({"name": "甲"}, {"name": "乙"}),
    )
    client.force_login(world.users[Role.AUDITOR])
    response = client.post(reverse("core:list_export", args=["core.audit"]) + "?action=修改")
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(BytesIO(response.content)).worksheets[0].values)
    header, body = rows[0], rows[1:]
    assert "动作" in header and "对象类型" in header
    assert len(body) == 1
    cells = dict(zip(header, body[0], strict=True))
    assert cells["动作"] == "修改人员"
    assert cells["对象类型"] == "人员"
    assert cells["变更"] == "姓名：甲 → 乙"
    assert AuditEvent.objects.filter(action="core.export").exists()


@pytest.mark.parametrize("query", ["since=坏日期", "object=<script>"])
def test_export_with_a_bad_filter_is_refused(client, world, query):
    client.force_login(world.users[Role.AUDITOR])
    before = AuditEvent.objects.count()
    response = client.post(reverse("core:list_export", args=["core.audit"]) + "?" + query)
    assert response.status_code != 200 or "spreadsheet" not in response.get("Content-Type", "")
    assert AuditEvent.objects.filter(action="core.export").count() == 0
    assert AuditEvent.objects.count() == before


def test_a_role_grant_names_the_role_by_its_label(world):
    from jiceng.core.models import RoleAssignment

    grant = RoleAssignment.objects.filter(user=world.users[Role.STREET_STAFF]).first()
    row = audit_record(
        actor=None,
        action="account.role_assign",
        obj=grant,
        changes=changes_between({"role": None}, {"role": Role.STREET_STAFF.value}),
    )
    (line,) = audit_labels.describe([row], user=world.users[Role.AUDITOR])
    assert line.action == "授予角色"
    (change,) = line.changes
    assert change.after == Role.STREET_STAFF.label
