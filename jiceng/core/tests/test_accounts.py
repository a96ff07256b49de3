"""Account management by the security administrator: each action works and is audited, is
refused to every other role and changes nothing then, and keeps to 三员分立."""

import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jiceng.conftest import PASSWORD
from jiceng.core.account_proposals import account_proposal_approve
from jiceng.core.models import AuditEvent, ProposalKind, ProposalStatus, RoleAssignment, User
from jiceng.core.roles import Role
from jiceng.core.tests.factories import PersonFactory, RoleAssignmentFactory, UserFactory

NEW_PASSWORD = "Reset#2025ab"
# Queries every page of the security administrator costs before its own: session, user,
# role assignments (scope) and the session save (savepoint, update, release). The layout's
# area switcher is not shown to system roles.
BASE_QUERIES = 6


def login(client, world, role=Role.SECURITY_ADMIN):
    client.force_login(world.users[role])
    return world.users[role]


def html(response) -> str:
    return response.content.decode()


def snapshot():
    """What a refused action must leave as it was. A lookup of the person to link is a
    read, audited even when the form is refused, so its audit rows are not counted."""
    return (
        list(User.objects.order_by("id").values()),
        list(RoleAssignment.objects.order_by("id").values()),
        list(
            AuditEvent.objects.exclude(action="account.person_lookup")
            .order_by("id")
            .values_list("id", flat=True)
        ),
        list(AccessAttempt.objects.order_by("id").values_list("id", "failures_since_start")),
    )


def approve(world, proposal):
    """A district administrator approves the security administrator's proposal."""
    approver = world.users[Role.DISTRICT_ADMIN]
    account_proposal_approve(by=approver, proposal=proposal)
    return approver


def audit_rows(action, obj):
    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk))


def fail_login(username, times=5):
    """Post wrong passwords from a fresh browser until django-axes locks the username."""
    browser = Client()
    for _ in range(times):
        response = browser.post(reverse("core:login"), {"username": username, "password": "x"})
    return response


def log_in(username, password):
    browser = Client()
    response = browser.post(reverse("core:login"), {"username": username, "password": password})
    return browser, response


@pytest.fixture
def target(world):
    """The account the actions are taken on: the grid steward's."""
    return world.users[Role.GRID_STEWARD]


def create_data(**overrides):
    data = {
        "op": "create",
        "username": "zhang.san",
        "full_name": "张三（大观园街道）",
        "password": "Kaihu#2025x",
        "password_confirm": "Kaihu#2025x",
        "role": "",
        "area_code": "",
        "party_org": "",
        "starts_on": "",
        "ends_on": "",
    }
    return {**data, **overrides}


# ---- the list -------------------------------------------------------------------------------


def test_account_list_shows_roles_person_and_states(client, world, target):
    person = PersonFactory(name="王网格", area=world.grid_a1)
    User.objects.filter(pk=target.pk).update(person=person)
    today = timezone.localdate()
    RoleAssignmentFactory(
        user=target,
        role=Role.CHIEF_STEWARD,
        area=world.community_a1,
        starts_on=today - timedelta(days=90),
        ends_on=today - timedelta(days=30),
    )
    fail_login(target.username)
    login(client, world)
    page = html(client.get(reverse("core:account_list")))
    row = page.split(f">{target.username}</a>")[1].split("</tr>")[0]
    assert "王网格" in row
    assert "网格管家 · 睦和苑社区第一网格" in row
    assert "<s>总管家 · 睦和苑社区</s>" in row and "已结束" in row
    assert "已锁定" in row
    assert reverse("core:account_create") in page


def test_account_list_search_by_username_or_display_name(client, world):
    UserFactory(username="li.si", first_name="李四（杆石桥）")
    login(client, world)
    page = html(client.get(reverse("core:account_list"), {"q": "李四"}))
    assert "li.si" in page and "t_grid_steward" not in page


def test_account_list_leaves_out_superusers_for_the_security_admin(client, world):
    User.objects.create_superuser("root", password=PASSWORD)
    login(client, world)
    assert ">root</a>" not in html(client.get(reverse("core:account_list")))


# ---- create ---------------------------------------------------------------------------------


def test_security_admin_creates_an_account_with_person_and_first_role(client, world):
    admin = login(client, world)
    person = world.people_a[0]
    response = client.post(
        reverse("core:account_create"),
        create_data(
            person_id_number=person.id_number,
            role=Role.COMMUNITY_STAFF,
            area_code=world.community_a1.code,
        ),
    )
    user = User.objects.get(username="zhang.san")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:account_detail", args=[user.pk])
    assert user.first_name == "张三（大观园街道）" and user.person == person
    assert user.check_password("Kaihu#2025x")
    assert user.password_changed_at is None
    # 三员分立: the business role waits for a district administrator's approval.
    assert not user.role_assignments.exists()
    proposal = user.change_proposals.get(status=ProposalStatus.PENDING)
    approve(world, proposal)
    ra = user.role_assignments.get()
    assert (ra.role, ra.area, ra.party_org) == (Role.COMMUNITY_STAFF, world.community_a1, None)
    created = audit_rows("account.create", user).get()
    assert created.actor == admin
    assert created.changes["username"] == [None, "zhang.san"]
    assert created.changes["person"] == [None, str(person.pk)]
    assert created.changes["password"] == [None, "******"]
    assigned = audit_rows("account.role_assign", ra).get()
    assert assigned.changes["role"] == [None, Role.COMMUNITY_STAFF]
    assert assigned.changes["area"] == [None, str(world.community_a1.pk)]
    logged = json.dumps([created.changes, assigned.changes], ensure_ascii=False)
    assert "Kaihu#2025x" not in logged and user.password not in logged


def test_new_account_must_change_its_password_at_first_login(client, world):
    login(client, world)
    client.post(reverse("core:account_create"), create_data())
    browser, response = log_in("zhang.san", "Kaihu#2025x")
    assert response.status_code == 302
    response = browser.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"] == reverse("core:password_change")
    page = html(browser.get(reverse("core:password_change")))
    assert "由管理员设置" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": "ab"}, "用户名须为 3–150 位"),
        ({"username": "t_grid_steward"}, "已被使用"),
        ({"username": "T_Grid_Steward"}, "已被使用"),
        ({"full_name": ""}, "请填写显示名称"),
        ({"password": "short", "password_confirm": "short"}, "密码"),
        ({"password": "83920174655", "password_confirm": "83920174655"}, "密码只包含数字"),
        ({"password_confirm": "Other#2025x"}, "两次输入的密码不一致"),
        ({"role": Role.COMMUNITY_STAFF}, "须且只能填写一项"),
        ({"role": Role.COMMUNITY_STAFF, "area_code": "370103999"}, "区域编码 370103999 不存在"),
        ({"person_id_number": "110101199003071234"}, "未找到该身份证号码"),
        ({"person_name": "王睦和"}, "同时填写姓名和所属区域编码"),
    ],
)
def test_create_with_bad_input_shows_chinese_message_and_creates_nothing(
    client, world, overrides, message
):
    login(client, world)
    before = snapshot()
    response = client.post(reverse("core:account_create"), create_data(**overrides))
    assert response.status_code == 400
    assert message in html(response)
    assert "账号未创建" in html(response)
    assert snapshot() == before


def test_create_reports_every_problem_at_once(client, world):
    login(client, world)
    before = snapshot()
    data = create_data(
        username="t_grid_steward",
        password="12345678",
        password_confirm="12345678",
        person_name="查无此人",
        person_area_code=world.street_a.code,
        role=Role.STREET_STAFF,
        area_code="370103999",
    )
    page = html(client.post(reverse("core:account_create"), data))
    for message in ("已被使用", "密码只包含数字", "没有名为“查无此人”的人员", "370103999 不存在"):
        assert message in page
    assert snapshot() == before


def test_dengbao_profile_asks_three_character_classes_of_an_initial_password(
    client, world, settings
):
    settings.JICENG_PASSWORD_PROFILE = "dengbao"
    login(client, world)
    before = snapshot()
    data = create_data(password="kaihuzhanghao", password_confirm="kaihuzhanghao")
    response = client.post(reverse("core:account_create"), data)
    assert "至少三类" in html(response)
    assert snapshot() == before


def test_a_person_already_linked_to_an_account_cannot_be_linked_again(client, world, target):
    person = world.people_a[1]
    User.objects.filter(pk=target.pk).update(person=person)
    login(client, world)
    before = snapshot()
    response = client.post(
        reverse("core:account_create"), create_data(person_id_number=person.id_number)
    )
    assert response.status_code == 400
    assert f"已关联账号 {target.username}" in html(response)
    assert snapshot() == before


# ---- person lookup --------------------------------------------------------------------------


def test_person_lookup_by_id_number_shows_only_the_match_masked(client, world):
    login(client, world)
    wang = world.people_a[0]
    before = snapshot()
    response = client.post(
        reverse("core:account_create"),
        create_data(op="lookup", person_id_number=wang.id_number.lower()),
    )
    page = html(response)
    assert response.status_code == 200
    match = page.split('id="person-match"')[1].split("</div>\n          {%")[0]
    assert "王睦和" in match and wang.id_number_masked in match
    assert "创建账号时将关联此人" in match
    assert wang.id_number not in match and wang.phone not in page
    assert page.count(wang.id_number) == 1  # only as typed, in its box
    assert "李网格" not in page  # the other person of the area is not listed
    assert 'value="zhang.san"' in page  # the rest of the form comes back as typed
    assert "Kaihu#2025x" not in page
    assert snapshot() == before


def test_person_lookup_by_name_and_area_code(client, world):
    login(client, world)
    response = client.post(
        reverse("core:account_create"),
        create_data(op="lookup", person_name="李网格", person_area_code=world.grid_a1.code),
    )
    assert response.status_code == 200
    assert "李网格" in html(response) and world.people_a[1].id_number_masked in html(response)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"person_name": "王睦和", "person_area_code": "370103002"}, "没有名为“王睦和”的人员"),
        ({"person_name": "同名", "person_area_code": "370103002003"}, "有多名“同名”"),
        ({}, "请先填写身份证号码"),
    ],
)
def test_person_lookup_refuses_a_partial_or_ambiguous_answer(client, world, fields, message):
    PersonFactory(name="同名", area=world.community_a1)
    PersonFactory(name="同名", area=world.community_a1)
    login(client, world)
    response = client.post(reverse("core:account_create"), create_data(op="lookup", **fields))
    assert response.status_code == 400
    assert message in html(response)
    assert "同名</strong>" not in html(response)


# ---- role assignments -----------------------------------------------------------------------


def test_security_admin_assigns_a_role_scoped_to_a_party_org_with_dates(client, world, target):
    admin = login(client, world)
    today = timezone.localdate()
    org = world.orgs_a[1]
    response = client.post(
        reverse("core:account_role_assign", args=[target.pk]),
        {
            "role": Role.FIRST_SECRETARY,
            "party_org": org.name,
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert not target.role_assignments.filter(role=Role.FIRST_SECRETARY).exists()
    approver = approve(world, target.change_proposals.get())
    ra = target.role_assignments.get(role=Role.FIRST_SECRETARY)
    assert (ra.party_org, ra.area, ra.starts_on) == (org, None, today)
    row = audit_rows("account.role_assign", ra).get()
    assert row.actor == approver
    assert audit_rows("account.proposal_create", target.change_proposals.get()).get().actor == admin
    assert row.changes["party_org"] == [None, str(org.pk)]
    assert row.changes["ends_on"] == [None, (today + timedelta(days=365)).isoformat()]
    page = html(client.get(reverse("core:account_detail", args=[target.pk])))
    assert "第一书记" in page and org.path in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"area_code": "370103002", "starts_on": "2030-05-01", "ends_on": "2030-04-30"},
            "截止日期不能早于起始日期",
        ),
        ({"area_code": "370103002", "party_org": "00010001"}, "须且只能填写一项"),
        ({}, "须且只能填写一项"),
        ({"area_code": "370103777"}, "区域编码 370103777 不存在"),
        ({"party_org": "99999999"}, "没有编码或全称为“99999999”的党组织"),
        ({"area_code": "370103002", "ends_on": "2020-01-01"}, "截止日期不能早于今天"),
        ({"area_code": "370103002", "starts_on": "2025-13-01"}, "日期格式应为"),
        (
            {"area_code": "370103002001001", "role": Role.GRID_STEWARD},
            "区域编码 370103002001001 不存在",
        ),
        ({"area_code": "370103002003001", "role": Role.GRID_STEWARD}, "相同角色和范围"),
        ({"area_code": "370103", "role": Role.AUDITOR}, "三员分立"),
        ({"area_code": "370103002", "role": ""}, "请选择角色"),
    ],
)
def test_invalid_role_assignment_is_refused_with_a_chinese_message(
    client, world, target, data, message
):
    login(client, world)
    before = snapshot()
    response = client.post(
        reverse("core:account_role_assign", args=[target.pk]),
        {"role": Role.STREET_STAFF, **data},
    )
    assert response.status_code == 400
    assert message in html(response)
    assert snapshot() == before


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDITOR, Role.DISTRICT_ADMIN])
def test_security_admin_cannot_grant_a_role_to_themselves(client, world, role):
    admin = login(client, world)
    before = snapshot()
    response = client.post(
        reverse("core:account_role_assign", args=[admin.pk]),
        {"role": role, "area_code": world.district.code},
    )
    assert response.status_code == 403
    assert "不能给自己的账号授予角色" in html(response)
    assert snapshot() == before


def test_security_admin_is_offered_no_change_of_their_own_account(client, world):
    admin = login(client, world)
    page = html(client.get(reverse("core:account_detail", args=[admin.pk])))
    for name in ("account_role_assign", "account_deactivate", "account_password_reset"):
        assert f'action="{reverse(f"core:{name}", args=[admin.pk])}"' not in page
    assert "/end/" not in page
    assert "不能变更自己账号的权限" in page


def test_security_admin_cannot_end_their_own_role(client, world):
    admin = login(client, world)
    ra = admin.role_assignments.get()
    before = snapshot()
    response = client.post(
        reverse("core:account_role_end", args=[admin.pk, ra.pk]),
        {"ends_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
    assert "不能结束自己账号的角色" in html(response)
    assert snapshot() == before


def test_ending_a_role_keeps_the_row_and_takes_the_scope_away(client, world, target):
    login(client, world)
    ra = target.role_assignments.get()
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("core:account_role_end", args=[target.pk, ra.pk]),
        {"ends_on": yesterday.isoformat()},
    )
    assert response.status_code == 302
    ra.refresh_from_db()
    assert ra.ends_on == yesterday
    assert RoleAssignment.objects.filter(pk=ra.pk).exists()
    row = audit_rows("account.role_end", ra).get()
    assert row.changes == {"ends_on": [None, yesterday.isoformat()]}
    steward = Client()
    steward.force_login(target)
    assert steward.get(reverse("core:area_tree")).status_code == 403
    page = html(client.get(reverse("core:account_detail", args=[target.pk])))
    assert "已结束" in page
    assert reverse("core:account_role_end", args=[target.pk, ra.pk]) not in page


@pytest.mark.parametrize(
    ("starts_ago", "ends_on_ago", "message"),
    [
        (30, 10, "不能早于昨天"),
        (-5, 0, "不能早于起始日期"),
        (None, None, "请填写最后有效日期"),
    ],
)
def test_ending_a_role_does_not_rewrite_the_past(
    client, world, target, starts_ago, ends_on_ago, message
):
    today = timezone.localdate()
    ra = target.role_assignments.get()
    if starts_ago is not None:
        RoleAssignment.objects.filter(pk=ra.pk).update(starts_on=today - timedelta(starts_ago))
    login(client, world)
    before = snapshot()
    ends_on = "" if ends_on_ago is None else (today - timedelta(ends_on_ago)).isoformat()
    response = client.post(
        reverse("core:account_role_end", args=[target.pk, ra.pk]), {"ends_on": ends_on}
    )
    assert response.status_code == 400
    assert message in html(response)
    assert snapshot() == before


def test_an_ended_role_cannot_be_ended_again(client, world, target):
    ra = target.role_assignments.get()
    ended = timezone.localdate() - timedelta(days=3)
    RoleAssignment.objects.filter(pk=ra.pk).update(ends_on=ended)
    login(client, world)
    before = snapshot()
    response = client.post(
        reverse("core:account_role_end", args=[target.pk, ra.pk]),
        {"ends_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert "已经结束" in html(response)
    assert snapshot() == before


def test_a_role_of_another_account_cannot_be_ended_through_this_one(client, world, target):
    other = world.users[Role.COMMUNITY_STAFF].role_assignments.get()
    login(client, world)
    before = snapshot()
    response = client.post(
        reverse("core:account_role_end", args=[target.pk, other.pk]),
        {"ends_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
    assert snapshot() == before


# ---- deactivate, activate -------------------------------------------------------------------


def test_deactivated_account_is_logged_out_and_cannot_log_in(client, world, target):
    admin = login(client, world)
    steward = Client()
    steward.force_login(target)
    response = client.post(reverse("core:account_deactivate", args=[target.pk]))
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_active is False
    row = audit_rows("account.deactivate", target).get()
    assert row.actor == admin and row.changes == {"is_active": ["True", "False"]}
    assert steward.get(reverse("core:home")).status_code == 302  # the session is gone
    browser, response = log_in(target.username, PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in browser.session


def test_reactivated_account_logs_in_again(client, world, target):
    User.objects.filter(pk=target.pk).update(is_active=False)
    login(client, world)
    response = client.post(reverse("core:account_activate", args=[target.pk]))
    assert response.status_code == 302
    target.refresh_from_db()
    # The grid steward holds a business role: restoring it needs a second person.
    assert target.is_active is False
    approve(world, target.change_proposals.get(kind=ProposalKind.ACTIVATE))
    target.refresh_from_db()
    assert target.is_active is True
    assert audit_rows("account.activate", target).get().changes == {"is_active": ["False", "True"]}
    _, response = log_in(target.username, PASSWORD)
    assert response.status_code == 302


def test_security_admin_cannot_deactivate_themselves(client, world):
    admin = login(client, world)
    before = snapshot()
    response = client.post(reverse("core:account_deactivate", args=[admin.pk]))
    assert response.status_code == 403
    assert "不能停用自己的账号" in html(response)
    assert snapshot() == before


def test_activating_an_active_account_changes_nothing(client, world, target):
    login(client, world)
    before = snapshot()
    response = client.post(reverse("core:account_activate", args=[target.pk]))
    assert response.status_code == 400
    assert "已是启用状态" in html(response)
    assert snapshot() == before


# ---- password reset -------------------------------------------------------------------------


def test_password_reset_ends_sessions_and_forces_a_change_at_next_login(client, world, target):
    admin = login(client, world)
    steward = Client()
    steward.force_login(target)
    response = client.post(
        reverse("core:account_password_reset", args=[target.pk]),
        {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD) and target.password_changed_at is None
    row = audit_rows("account.password_reset", target).get()
    assert row.actor == admin
    assert row.changes["password"] == ["******", "******"]
    assert NEW_PASSWORD not in json.dumps(row.changes) and target.password not in str(row.changes)
    # The open session ended with the old password.
    assert steward.get(reverse("core:home"))["Location"].startswith(reverse("core:login"))
    # Logging in with the new password leads to the change page, and nowhere else.
    browser, response = log_in(target.username, NEW_PASSWORD)
    assert response.status_code == 302
    for url in (reverse("core:home"), reverse("core:area_tree")):
        response = browser.get(url)
        assert response["Location"] == reverse("core:password_change")
    response = browser.post(
        reverse("core:password_change"),
        {
            "old_password": NEW_PASSWORD,
            "new_password1": "Mine#2025only",
            "new_password2": "Mine#2025only",
        },
    )
    assert response.status_code == 302
    assert browser.get(reverse("core:home")).status_code == 200


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short", "short", "密码"),
        (NEW_PASSWORD, "Other#2025x", "两次输入的密码不一致"),
        ("", "", "请填写密码"),
    ],
)
def test_password_reset_with_bad_password_changes_nothing(
    client, world, target, password, confirm, message
):
    login(client, world)
    before = snapshot()
    response = client.post(
        reverse("core:account_password_reset", args=[target.pk]),
        {"password": password, "password_confirm": confirm},
    )
    assert response.status_code == 400
    assert message in html(response)
    assert snapshot() == before


def test_security_admin_cannot_reset_their_own_password_here(client, world):
    admin = login(client, world)
    before = snapshot()
    response = client.post(
        reverse("core:account_password_reset", args=[admin.pk]),
        {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_user_with_a_stamped_password_is_not_sent_to_the_change_page(client, world, target):
    client.force_login(target)
    assert client.get(reverse("core:home")).status_code == 200


# ---- lockout --------------------------------------------------------------------------------


def test_unlock_clears_the_lockout(client, world, target):
    assert fail_login(target.username).status_code == 429
    _, response = log_in(target.username, PASSWORD)
    assert response.status_code == 429
    admin = login(client, world)
    page = html(client.get(reverse("core:account_detail", args=[target.pk])))
    assert "已锁定" in page and reverse("core:account_unlock", args=[target.pk]) in page
    response = client.post(reverse("core:account_unlock", args=[target.pk]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=target.username).exists()
    row = audit_rows("account.unlock", target).get()
    assert row.actor == admin
    # Five failures locked it; the refused right password counted as a sixth.
    assert row.changes == {"failed_logins": ["6", "0"], "locked": ["True", "False"]}
    _, response = log_in(target.username, PASSWORD)
    assert response.status_code == 302


def test_unlocking_an_account_that_is_not_locked_changes_nothing(client, world, target):
    fail_login(target.username, times=2)
    login(client, world)
    before = snapshot()
    response = client.post(reverse("core:account_unlock", args=[target.pk]))
    assert response.status_code == 400
    assert "该账号未被锁定" in html(response)
    assert snapshot() == before


# ---- who may do it ------------------------------------------------------------------------


def _create(world, target):
    return reverse("core:account_create"), create_data()


def _role_assign(world, target):
    url = reverse("core:account_role_assign", args=[target.pk])
    return url, {"role": Role.STREET_STAFF, "area_code": world.street_a.code}


def _role_end(world, target):
    ra = target.role_assignments.get()
    url = reverse("core:account_role_end", args=[target.pk, ra.pk])
    return url, {"ends_on": timezone.localdate().isoformat()}


def _deactivate(world, target):
    return reverse("core:account_deactivate", args=[target.pk]), {}


def _activate(world, target):
    User.objects.filter(pk=target.pk).update(is_active=False)
    return reverse("core:account_activate", args=[target.pk]), {}


def _password_reset(world, target):
    url = reverse("core:account_password_reset", args=[target.pk])
    return url, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}


def _unlock(world, target):
    fail_login(target.username)
    return reverse("core:account_unlock", args=[target.pk]), {}


ACTIONS = {
    "account.create": _create,
    "account.role_assign": _role_assign,
    "account.role_end": _role_end,
    "account.deactivate": _deactivate,
    "account.activate": _activate,
    "account.password_reset": _password_reset,
    "account.unlock": _unlock,
}


# Actions that, on the grid steward's account, only propose the change (三员分立).
PROPOSED = {"account.role_assign", "account.activate"}


@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_by_the_security_admin_writes_one_audit_row(client, world, target, action):
    url, data = ACTIONS[action](world, target)
    admin = login(client, world)
    response = client.post(url, data)
    assert response.status_code == 302
    rows = AuditEvent.objects.filter(
        action="account.proposal_create" if action in PROPOSED else action
    )
    assert rows.count() == 1 and rows.get().actor == admin
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", [Role.DISTRICT_ADMIN, Role.COMMUNITY_STAFF, Role.AUDITOR])
def test_each_action_is_403_for_other_roles_and_changes_nothing(
    client, world, target, role, action
):
    url, data = ACTIONS[action](world, target)
    login(client, world, role)
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 403
    assert "只有安全管理员可以管理账号" in html(response)
    assert snapshot() == before


@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_sends_an_anonymous_visitor_to_login(client, world, target, action):
    url, data = ACTIONS[action](world, target)
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))
    assert snapshot() == before


@pytest.mark.parametrize("name", ["core:account_create", "core:account_detail"])
@pytest.mark.parametrize("role", [Role.DISTRICT_ADMIN, Role.COMMUNITY_STAFF, Role.AUDITOR])
def test_account_pages_are_403_for_other_roles(client, world, target, role, name):
    login(client, world, role)
    args = [target.pk] if name == "core:account_detail" else []
    response = client.get(reverse(name, args=args))
    assert response.status_code == 403
    assert target.username not in html(response)


def test_superuser_accounts_are_out_of_the_security_admins_reach(client, world):
    root = User.objects.create_superuser(
        "root", password=PASSWORD, password_changed_at=timezone.now()
    )
    login(client, world)
    before = snapshot()
    assert client.get(reverse("core:account_detail", args=[root.pk])).status_code == 404
    response = client.post(reverse("core:account_deactivate", args=[root.pk]))
    assert response.status_code == 404
    response = client.post(
        reverse("core:account_password_reset", args=[root.pk]),
        {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_superuser_may_manage_accounts_and_grant_system_roles(client, world, target):
    root = User.objects.create_superuser(
        "root", password=PASSWORD, password_changed_at=timezone.now()
    )
    client.force_login(root)
    account = UserFactory(username="new.auditor")
    response = client.post(
        reverse("core:account_role_assign", args=[account.pk]),
        {"role": Role.AUDITOR, "area_code": world.district.code},
    )
    assert response.status_code == 302
    assert account.role_assignments.get().role == Role.AUDITOR
    assert client.post(reverse("core:account_deactivate", args=[target.pk])).status_code == 302


# ---- query counts ---------------------------------------------------------------------------


@pytest.fixture
def many_accounts(world):
    """Accounts with persons, area and party-org roles, ended roles and lockouts, so an
    N+1 on any of them would add queries."""
    today = timezone.localdate()
    for i in range(20):
        user = UserFactory(username=f"acc{i:02d}", first_name=f"账号{i}")
        if i % 2:
            user.person = PersonFactory(name=f"人员{i}", area=world.grid_a1)
            user.save(update_fields=["person"])
        RoleAssignmentFactory(user=user, role=Role.GRID_STEWARD, area=world.grid_a1)
        RoleAssignmentFactory(
            user=user,
            role=Role.COMMUNITY_STAFF,
            party_org=world.orgs_a[1],
            ends_on=today - timedelta(days=1),
        )
    for i in range(3):
        fail_login(f"acc{i:02d}")
    return world


def test_account_list_query_count(client, many_accounts, django_assert_max_num_queries):
    login(client, many_accounts)
    # count, page (with persons and lock states), role assignments
    with django_assert_max_num_queries(BASE_QUERIES + 3):
        response = client.get(reverse("core:account_list"))
    page = html(response)
    assert "acc19" in page and "人员19" in page and "睦和苑社区党委" in page
    assert page.count("已锁定</span>") == 3


def test_account_page_query_count(client, many_accounts, django_assert_max_num_queries):
    login(client, many_accounts)
    account = User.objects.get(username="acc01")
    # the account (with person and lock state), its role assignments, its proposals,
    # its authenticator
    with django_assert_max_num_queries(BASE_QUERIES + 4):
        response = client.get(reverse("core:account_detail", args=[account.pk]))
    page = html(response)
    assert "人员1" in page and "睦和苑社区党委" in page and "已锁定" in page
