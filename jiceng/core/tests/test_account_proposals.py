"""三员分立 that holds (issue 17, finding 4): the security administrator alone can no
longer make an account that reads business data. Granting a business role, restoring an
account and resetting a privileged account's password need a second administrator of
the other kind; nobody decides their own proposal or a change to their own account."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jiceng.conftest import PASSWORD
from jiceng.core import account_proposals as proposals
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import (
    AccountChangeProposal,
    AuditEvent,
    ProposalKind,
    ProposalStatus,
    RoleAssignment,
    User,
)
from jiceng.core.roles import Role
from jiceng.core.services import role_assign, user_create
from jiceng.core.tests.factories import RoleAssignmentFactory, UserFactory

NEW_PASSWORD = "Reset#2025ab"


def html(response) -> str:
    return response.content.decode()


def snapshot():
    """What a refused decision must leave as it was (logging in is not a change)."""
    return (
        list(User.objects.order_by("id").values("id", "password", "is_active")),
        list(RoleAssignment.objects.order_by("id").values()),
        list(AccountChangeProposal.objects.order_by("id").values()),
        list(
            AuditEvent.objects.exclude(action__startswith="auth.")
            .order_by("id")
            .values_list("id", flat=True)
        ),
    )


@pytest.fixture
def security_admin(world):
    return world.users[Role.SECURITY_ADMIN]


@pytest.fixture
def district_admin(world):
    return world.users[Role.DISTRICT_ADMIN]


@pytest.fixture
def target(world):
    return world.users[Role.GRID_STEWARD]


def grant(by, account, world, role=Role.STREET_STAFF):
    return proposals.account_role_grant_propose(
        by=by, account=account, role=role, area=world.street_a
    )


def decide(client, user, proposal, decision="approve", note=""):
    client.force_login(user)
    return client.post(reverse(f"core:proposal_{decision}", args=[proposal.pk]), {"note": note})


# ---- finding 4: one person alone ------------------------------------------------------


def test_security_admin_alone_cannot_create_a_district_admin_that_reads_business_data(
    client, world, security_admin
):
    client.force_login(security_admin)
    response = client.post(
        reverse("core:account_create"),
        {
            "op": "create",
            "username": "rogue",
            "full_name": "临时账号",
            "password": "Kaihu#2025x",
            "password_confirm": "Kaihu#2025x",
            "role": Role.DISTRICT_ADMIN,
            "area_code": world.district.code,
        },
    )
    assert response.status_code == 302
    rogue = User.objects.get(username="rogue")
    assert not rogue.role_assignments.exists()
    assert rogue.change_proposals.get().status == ProposalStatus.PENDING
    # Logged in with it (its password changed as asked), it reads no business data.
    User.objects.filter(pk=rogue.pk).update(password_changed_at=timezone.now())
    client.force_login(User.objects.get(pk=rogue.pk))
    response = client.get(reverse("core:person_list"))
    assert response.status_code == 403
    assert world.people_a[0].name not in html(response)


def test_security_admin_alone_cannot_reset_a_district_admins_password(
    client, world, security_admin, district_admin
):
    client.force_login(security_admin)
    response = client.post(
        reverse("core:account_password_reset", args=[district_admin.pk]),
        {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    district_admin.refresh_from_db()
    assert district_admin.check_password(PASSWORD)
    assert not district_admin.check_password(NEW_PASSWORD)
    proposal = district_admin.change_proposals.get()
    assert proposal.kind == ProposalKind.PASSWORD_RESET
    assert NEW_PASSWORD not in proposal.password_hash


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SECURITY_ADMIN])
def test_resetting_a_system_administrators_password_needs_a_second_person(
    client, world, security_admin, role
):
    other = UserFactory(username=f"other_{role}")
    RoleAssignmentFactory(user=other, role=role, area=world.district)
    client.force_login(security_admin)
    client.post(
        reverse("core:account_password_reset", args=[other.pk]),
        {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    other.refresh_from_db()
    assert not other.check_password(NEW_PASSWORD)
    assert other.change_proposals.filter(kind=ProposalKind.PASSWORD_RESET).exists()


def test_a_grid_stewards_password_is_still_reset_directly(client, world, security_admin, target):
    client.force_login(security_admin)
    client.post(
        reverse("core:account_password_reset", args=[target.pk]),
        {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)
    assert not target.change_proposals.exists()


def test_a_system_role_is_still_granted_directly(client, world, security_admin):
    account = UserFactory(username="new_auditor")
    client.force_login(security_admin)
    response = client.post(
        reverse("core:account_role_assign", args=[account.pk]),
        {"role": Role.AUDITOR, "area_code": world.district.code},
    )
    assert response.status_code == 302
    assert account.role_assignments.get().role == Role.AUDITOR


def test_the_services_refuse_a_business_role_without_a_proposal(world, security_admin, target):
    from jiceng.core.services import account_activate, account_role_assign

    before = snapshot()
    with pytest.raises(PermissionDenied, match="三员分立"):
        account_role_assign(
            by=security_admin, user=target, role=Role.STREET_STAFF, area=world.street_a
        )
    User.objects.filter(pk=target.pk).update(is_active=False)
    target.refresh_from_db()
    with pytest.raises(PermissionDenied, match="三员分立"):
        account_activate(by=security_admin, user=target)
    assert snapshot()[1:] == before[1:]


def test_the_loaders_internal_path_accepts_no_acting_user(world, security_admin):
    with pytest.raises(PermissionDenied):
        user_create(by=security_admin, username="via_old_api", password="Kaihu#2025x")
    account = user_create(by=None, username="loader_made", password="Kaihu#2025x")
    with pytest.raises(PermissionDenied):
        role_assign(by=security_admin, user=account, role=Role.JUDGE, area=world.district)
    assert not account.role_assignments.exists()


# ---- deciding ---------------------------------------------------------------------------


def test_district_admin_approves_and_the_role_takes_effect(
    client, world, security_admin, district_admin, target
):
    proposal = grant(security_admin, target, world)
    response = decide(client, district_admin, proposal, note="依据区委组织部文件")
    assert response.status_code == 302
    ra = target.role_assignments.get(role=Role.STREET_STAFF)
    assert ra.area == world.street_a
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (ProposalStatus.APPROVED, district_admin)
    assert proposal.decision_note == "依据区委组织部文件"
    actions = list(
        AuditEvent.objects.filter(action__startswith="account.")
        .order_by("id")
        .values_list("action", "actor_id")
    )
    assert actions == [
        ("account.proposal_create", security_admin.pk),
        ("account.role_assign", district_admin.pk),
        ("account.proposal_approve", district_admin.pk),
    ]


def test_nobody_approves_their_own_proposal(client, world, security_admin, target):
    proposal = grant(security_admin, target, world)
    before = snapshot()
    response = decide(client, security_admin, proposal)
    assert response.status_code == 403
    assert "不能审批自己提交的申请" in html(response)
    assert snapshot() == before


def test_a_second_security_admin_cannot_approve_a_security_admins_proposal(
    client, world, security_admin, target
):
    colleague = UserFactory(username="second_security_admin")
    RoleAssignmentFactory(user=colleague, role=Role.SECURITY_ADMIN, area=world.district)
    proposal = grant(security_admin, target, world)
    before = snapshot()
    response = decide(client, colleague, proposal)
    assert response.status_code == 403
    assert "须由区级管理员审批" in html(response)
    assert snapshot() == before


def test_a_district_admin_cannot_approve_a_change_to_their_own_account(
    client, world, security_admin, district_admin
):
    proposal = proposals.account_password_reset_propose(
        by=security_admin, account=district_admin, new_password=NEW_PASSWORD
    )
    before = snapshot()
    response = decide(client, district_admin, proposal)
    assert response.status_code == 403
    assert "不能审批对自己账号的变更" in html(response)
    assert snapshot() == before


def test_the_reverse_district_admin_proposes_and_security_admin_approves(
    client, world, security_admin, district_admin, target
):
    client.force_login(district_admin)
    response = client.post(
        reverse("core:proposal_create"),
        {
            "username": target.username,
            "kind": ProposalKind.ROLE_GRANT,
            "role": Role.CHIEF_STEWARD,
            "area_code": world.community_a1.code,
            "reason": "总管家任命",
        },
    )
    assert response.status_code == 302
    proposal = target.change_proposals.get()
    assert proposal.proposer_role == Role.DISTRICT_ADMIN
    other_district_admin = UserFactory(username="second_district_admin")
    RoleAssignmentFactory(user=other_district_admin, role=Role.DISTRICT_ADMIN, area=world.district)
    assert decide(client, other_district_admin, proposal).status_code == 403
    assert not target.role_assignments.filter(role=Role.CHIEF_STEWARD).exists()
    assert decide(client, security_admin, proposal).status_code == 302
    assert target.role_assignments.filter(role=Role.CHIEF_STEWARD).exists()


def test_approved_password_reset_takes_effect_and_keeps_no_hash(
    client, world, security_admin, district_admin
):
    other = UserFactory(username="auditor_two")
    RoleAssignmentFactory(user=other, role=Role.AUDITOR, area=world.district)
    proposal = proposals.account_password_reset_propose(
        by=security_admin, account=other, new_password=NEW_PASSWORD
    )
    assert decide(client, district_admin, proposal).status_code == 302
    other.refresh_from_db()
    assert other.check_password(NEW_PASSWORD) and other.password_changed_at is None
    proposal.refresh_from_db()
    assert proposal.password_hash == ""
    row = AuditEvent.objects.get(action="account.password_reset", object_id=str(other.pk))
    assert row.actor == district_admin and other.password not in str(row.changes)


def test_restoring_an_account_with_a_business_role_needs_approval(
    client, world, security_admin, district_admin, target
):
    User.objects.filter(pk=target.pk).update(is_active=False)
    client.force_login(security_admin)
    client.post(reverse("core:account_activate", args=[target.pk]))
    target.refresh_from_db()
    assert target.is_active is False
    proposal = target.change_proposals.get(kind=ProposalKind.ACTIVATE)
    decide(client, district_admin, proposal)
    target.refresh_from_db()
    assert target.is_active is True


def test_rejected_proposal_changes_nothing_and_cannot_be_decided_again(
    client, world, security_admin, district_admin, target
):
    proposal = grant(security_admin, target, world)
    assert decide(client, district_admin, proposal, "reject", "无任职文件").status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert not target.role_assignments.filter(role=Role.STREET_STAFF).exists()
    assert AuditEvent.objects.filter(action="account.proposal_reject").count() == 1
    response = decide(client, district_admin, proposal)
    assert response.status_code == 400 and "已驳回" in html(response)
    assert not target.role_assignments.filter(role=Role.STREET_STAFF).exists()


def test_only_the_proposer_withdraws(client, world, security_admin, district_admin, target):
    proposal = grant(security_admin, target, world)
    assert decide(client, district_admin, proposal, "withdraw").status_code == 403
    assert decide(client, security_admin, proposal, "withdraw").status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


def test_an_expired_proposal_is_not_approved(client, world, security_admin, district_admin, target):
    proposal = grant(security_admin, target, world)
    AccountChangeProposal.objects.filter(pk=proposal.pk).update(
        proposed_at=timezone.now() - timedelta(days=8)
    )
    response = decide(client, district_admin, proposal)
    assert response.status_code == 400 and "已失效" in html(response)
    assert not target.role_assignments.filter(role=Role.STREET_STAFF).exists()


def test_a_second_identical_pending_proposal_is_refused(world, security_admin, target):
    grant(security_admin, target, world)
    with pytest.raises(ValidationFailed, match="等待审批"):
        grant(security_admin, target, world)


# ---- pages ------------------------------------------------------------------------------


def test_proposal_list_shows_the_pending_proposal_with_the_decision_buttons(
    client, world, security_admin, district_admin, target
):
    proposal = grant(security_admin, target, world)
    client.force_login(district_admin)
    page = html(client.get(reverse("core:proposal_list")))
    assert target.username in page and "街道工作人员" in page and world.street_a.name in page
    assert reverse("core:proposal_approve", args=[proposal.pk]) in page
    client.force_login(security_admin)
    page = html(client.get(reverse("core:proposal_list")))
    assert reverse("core:proposal_approve", args=[proposal.pk]) not in page
    assert reverse("core:proposal_withdraw", args=[proposal.pk]) in page


@pytest.mark.parametrize("role", [Role.COMMUNITY_STAFF, Role.AUDITOR, Role.GRID_STEWARD])
def test_other_roles_neither_see_nor_decide_proposals(client, world, security_admin, target, role):
    proposal = grant(security_admin, target, world)
    client.force_login(world.users[role])
    assert client.get(reverse("core:proposal_list")).status_code == 403
    before = snapshot()
    response = client.post(reverse("core:proposal_approve", args=[proposal.pk]))
    assert response.status_code == 403
    assert snapshot() == before


def test_proposal_form_refuses_an_unknown_account_in_chinese(client, world, district_admin):
    client.force_login(district_admin)
    before = snapshot()
    response = client.post(
        reverse("core:proposal_create"),
        {"username": "nobody", "kind": ProposalKind.ACTIVATE},
    )
    assert response.status_code == 400
    assert "没有用户名为“nobody”的账号" in html(response)
    assert snapshot() == before


def test_account_page_lists_the_accounts_proposals(client, world, security_admin, target):
    grant(security_admin, target, world)
    client.force_login(security_admin)
    page = html(client.get(reverse("core:account_detail", args=[target.pk])))
    assert "变更申请" in page and "待审批" in page
