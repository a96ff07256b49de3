"""Concurrent decisions on one proposal (PostgreSQL row locks): it is decided once."""

from jiceng.core import account_proposals as proposals
from jiceng.core.errors import ValidationFailed
from jiceng.core.models import AuditEvent, ProposalStatus
from jiceng.core.roles import Role
from jiceng.core.tests.factories import RoleAssignmentFactory, UserFactory
from jiceng.testing import POSTGRES_ONLY, errors_of, race

pytestmark = POSTGRES_ONLY


def test_two_administrators_approving_at_once_grant_the_role_once(world):
    target = world.users[Role.GRID_STEWARD]
    proposal = proposals.account_role_grant_propose(
        by=world.users[Role.SECURITY_ADMIN],
        account=target,
        role=Role.STREET_STAFF,
        area=world.street_a,
    )
    approvers = [world.users[Role.DISTRICT_ADMIN]]
    for n in range(3):
        user = UserFactory(username=f"district_admin_{n}")
        RoleAssignmentFactory(user=user, role=Role.DISTRICT_ADMIN, area=world.district)
        approvers.append(user)

    def approve(user):
        return lambda: proposals.account_proposal_approve(by=user, proposal=proposal)

    errors = errors_of(race(*(approve(u) for u in approvers)))
    assert len(errors) == 3 and all(isinstance(e, ValidationFailed) for e in errors)
    assert target.role_assignments.filter(role=Role.STREET_STAFF).count() == 1
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert AuditEvent.objects.filter(action="account.proposal_approve").count() == 1


def test_approving_and_rejecting_at_once_leave_one_decision(world):
    target = world.users[Role.GRID_STEWARD]
    proposal = proposals.account_role_grant_propose(
        by=world.users[Role.SECURITY_ADMIN],
        account=target,
        role=Role.STREET_STAFF,
        area=world.street_a,
    )
    other = UserFactory(username="district_admin_x")
    RoleAssignmentFactory(user=other, role=Role.DISTRICT_ADMIN, area=world.district)
    results = race(
        lambda: proposals.account_proposal_approve(
            by=world.users[Role.DISTRICT_ADMIN], proposal=proposal
        ),
        lambda: proposals.account_proposal_reject(by=other, proposal=proposal),
    )
    assert len(errors_of(results)) == 1
    proposal.refresh_from_db()
    granted = target.role_assignments.filter(role=Role.STREET_STAFF).exists()
    assert granted == (proposal.status == ProposalStatus.APPROVED)
