"""三员分立 that holds: account changes that need a second person.

Granting a business role, restoring (re-activating) an account that holds one, and
resetting the password of a privileged account would let one administrator make an
account that reads business data and log in with it. So the security administrator
proposes and a district administrator decides, or the reverse; nobody decides their own
proposal or a change to their own account, and only the decision performs the change.
Each step is audited (``account.proposal_create`` / ``_approve`` / ``_reject`` /
``_withdraw``, plus the change itself as ``account.role_assign`` and so on).

The superuser (the system administrator of 三员分立, who holds the database anyway) acts
directly. Demo loaders use the internal ``user_create``/``role_assign`` of
``jiceng.core.services``, which accept no acting user at all.

Services (writes) first, then the selectors (reads) of the proposal pages.
"""

from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .audit import audit_record, changes_between
from .errors import NotFound, PermissionDenied, ValidationFailed
from .models import (
    PROPOSAL_TTL,
    AccountChangeProposal,
    Area,
    AreaKind,
    ProposalKind,
    ProposalStatus,
    RoleAssignment,
    User,
)
from .roles import BUSINESS_ROLES, SYSTEM_ROLES, Role
from .scope import scope_of

# Who proposes in which role, and who must then decide.
COUNTERPART = {Role.SECURITY_ADMIN: Role.DISTRICT_ADMIN, Role.DISTRICT_ADMIN: Role.SECURITY_ADMIN}


# ---- rules ------------------------------------------------------------------------------


def acts_alone(by) -> bool:
    """The superuser's changes need no second person (and a loader's, with no user)."""
    return by is None or by.is_superuser


def proposer_role_of(user) -> str | None:
    """The role in which ``user`` takes part in proposals: security or district admin."""
    if user is None or user.is_superuser:
        return None
    scope = scope_of(user)
    for role in (Role.SECURITY_ADMIN, Role.DISTRICT_ADMIN):
        if scope.has_role(role):
            return role
    return None


def proposer_role_label(user) -> str:
    if user is not None and user.is_superuser:
        return "超级管理员"
    role = proposer_role_of(user)
    return Role(role).label if role else ""


def may_take_part(user) -> bool:
    return bool(user is not None and (user.is_superuser or proposer_role_of(user)))


def is_privileged(account: User, assignments=None) -> bool:
    """Holds (now or later) a system role, or a business role over the whole district:
    resetting such an account's password needs a second person. ``assignments`` are the
    account's role assignments with their areas, when the caller has them loaded."""
    today = timezone.localdate()
    if assignments is None:
        assignments = RoleAssignment.objects.filter(user=account).select_related("area")
    for a in assignments:
        if a.ends_on and a.ends_on < today:
            continue
        if a.role in SYSTEM_ROLES:
            return True
        if a.area_id and a.area.kind == AreaKind.DISTRICT:
            return True
    return False


def activation_needs_approval(account: User) -> bool:
    """Re-activating gives back every role the account still holds: a business role or a
    privileged one makes that a restoring of rights."""
    today = timezone.localdate()
    held = RoleAssignment.objects.filter(user=account).exclude(ends_on__lt=today)
    return held.filter(role__in=BUSINESS_ROLES).exists() or is_privileged(account)


def password_reset_needs_approval(account: User) -> bool:
    return is_privileged(account)


def role_grant_needs_approval(role: str) -> bool:
    return role in BUSINESS_ROLES


def _require_proposer(by, account: User) -> str:
    role = proposer_role_of(by)
    if role is None:
        raise PermissionDenied("只有安全管理员或区级管理员可以提交账号变更申请。")
    if by.pk == account.pk:
        raise PermissionDenied("不能给自己的账号授予角色或提交变更申请：须由其他管理员办理。")
    if account.is_superuser:
        raise PermissionDenied("超级管理员账号只能由超级管理员管理。")
    return role


def _require_decider(by, proposal: AccountChangeProposal) -> None:
    if by is None:
        raise PermissionDenied("审批须由登录的管理员进行。")
    if by.pk == proposal.proposed_by_id:
        raise PermissionDenied("不能审批自己提交的申请：须由另一名管理员审批。")
    if by.pk == proposal.account_id:
        raise PermissionDenied("不能审批对自己账号的变更。")
    if by.is_superuser:
        return
    wanted = COUNTERPART[Role(proposal.proposer_role)]
    if not scope_of(by).has_role(wanted):
        raise PermissionDenied(
            f"该申请由{Role(proposal.proposer_role).label}提交，须由{wanted.label}审批。"
        )


def _pending_same(account: User, kind: str, **fields) -> bool:
    return AccountChangeProposal.objects.filter(
        account=account, kind=kind, status=ProposalStatus.PENDING, **fields
    ).exists()


def _facts(p: AccountChangeProposal) -> dict:
    """What the audit row says of a proposal (the password only as masked)."""
    facts = {"kind": p.kind, "account": p.account_id, "status": p.status}
    if p.kind == ProposalKind.ROLE_GRANT:
        facts.update(
            role=p.role,
            area=p.area,
            party_org=p.party_org,
            starts_on=p.starts_on,
            ends_on=p.ends_on,
        )
    if p.kind == ProposalKind.PASSWORD_RESET:
        facts["password"] = p.password_hash
    return facts


# ---- services ---------------------------------------------------------------------------


def account_role_grant_propose(
    *,
    by,
    account: User,
    role: str,
    area: Area | None = None,
    party_org=None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    reason: str = "",
) -> AccountChangeProposal:
    """Propose giving ``account`` a business role; a second administrator decides."""
    from .services import _check_role_assignment

    proposer_role = _require_proposer(by, account)
    if role in SYSTEM_ROLES:
        raise ValidationFailed(
            "审计管理员、安全管理员角色由安全管理员直接授予，无需申请。", field="role"
        )
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=account.pk)
        _check_role_assignment(
            by=by,
            user=locked,
            role=role,
            area=area,
            party_org=party_org,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        if _pending_same(
            locked, ProposalKind.ROLE_GRANT, role=role, area=area, party_org=party_org
        ):
            raise ValidationFailed("已有相同角色和范围的授权申请在等待审批。", field="role")
        return _create(
            by=by,
            proposer_role=proposer_role,
            account=locked,
            kind=ProposalKind.ROLE_GRANT,
            reason=reason,
            role=role,
            area=area,
            party_org=party_org,
            starts_on=starts_on,
            ends_on=ends_on,
        )


def account_activate_propose(*, by, account: User, reason: str = "") -> AccountChangeProposal:
    """Propose re-activating an account that would get back a business or privileged
    role."""
    proposer_role = _require_proposer(by, account)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=account.pk)
        if locked.is_active:
            raise ValidationFailed("该账号已是启用状态。", field="is_active")
        if _pending_same(locked, ProposalKind.ACTIVATE):
            raise ValidationFailed("恢复该账号的申请已在等待审批。", field="is_active")
        return _create(
            by=by,
            proposer_role=proposer_role,
            account=locked,
            kind=ProposalKind.ACTIVATE,
            reason=reason,
        )


def account_password_reset_propose(
    *, by, account: User, new_password: str, reason: str = ""
) -> AccountChangeProposal:
    """Propose the password ``new_password`` for a privileged account. Only its hash is
    kept; once approved, the holder must change it at the next login."""
    from .services import _validated_password

    proposer_role = _require_proposer(by, account)
    _validated_password(new_password, account, "password")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=account.pk)
        if _pending_same(locked, ProposalKind.PASSWORD_RESET):
            raise ValidationFailed(
                "重置该账号密码的申请已在等待审批，请先撤回或等待审批结果。", field="password"
            )
        return _create(
            by=by,
            proposer_role=proposer_role,
            account=locked,
            kind=ProposalKind.PASSWORD_RESET,
            reason=reason,
            password_hash=make_password(new_password),
        )


def _create(*, by, proposer_role: str, account: User, kind: str, reason: str, **fields):
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise ValidationFailed("申请理由不能超过 200 个字。", field="reason")
    proposal = AccountChangeProposal.objects.create(
        kind=kind,
        account=account,
        reason=reason,
        proposed_by=by,
        proposer_role=proposer_role,
        **fields,
    )
    audit_record(
        actor=by,
        action="account.proposal_create",
        obj=proposal,
        changes=changes_between({}, {**_facts(proposal), "reason": reason}),
    )
    return proposal


def _locked_pending(proposal: AccountChangeProposal) -> AccountChangeProposal:
    locked = (
        AccountChangeProposal.objects.select_for_update(of=("self",))
        .select_related("account", "area", "party_org")
        .get(pk=proposal.pk)
    )
    if locked.status != ProposalStatus.PENDING:
        raise ValidationFailed(f"该申请已{locked.get_status_display()}，不能再次处理。")
    return locked


def account_proposal_approve(
    *, by, proposal: AccountChangeProposal, note: str = ""
) -> AccountChangeProposal:
    """Approve and perform the change, under the proposal's and the account's row locks;
    a proposal older than ``PROPOSAL_TTL`` or no longer valid (the role is held by now,
    the account already active) is refused and stays pending."""
    from .services import _check_role_assignment, _role_assignment_write

    _require_decider(by, proposal)
    with transaction.atomic():
        locked = _locked_pending(proposal)
        if locked.is_expired():
            raise ValidationFailed(
                f"该申请已超过 {PROPOSAL_TTL.days} 天未审批，已失效；请驳回后重新申请。"
            )
        account = User.objects.select_for_update().get(pk=locked.account_id)
        match locked.kind:
            case ProposalKind.ROLE_GRANT:
                _check_role_assignment(
                    by=by,
                    user=account,
                    role=locked.role,
                    area=locked.area,
                    party_org=locked.party_org,
                    starts_on=locked.starts_on,
                    ends_on=locked.ends_on,
                )
                _role_assignment_write(
                    by=by,
                    user=account,
                    role=locked.role,
                    area=locked.area,
                    party_org=locked.party_org,
                    starts_on=locked.starts_on,
                    ends_on=locked.ends_on,
                )
            case ProposalKind.ACTIVATE:
                if account.is_active:
                    raise ValidationFailed("该账号已是启用状态，无需恢复；请驳回该申请。")
                account.is_active = True
                account.save(update_fields=["is_active"])
                audit_record(
                    actor=by,
                    action="account.activate",
                    obj=account,
                    changes=changes_between({"is_active": False}, {"is_active": True}),
                )
            case ProposalKind.PASSWORD_RESET:
                before = {"password": account.password}
                account.password = locked.password_hash
                account.password_changed_at = None
                account.save(update_fields=["password", "password_changed_at"])
                audit_record(
                    actor=by,
                    action="account.password_reset",
                    obj=account,
                    changes=changes_between(before, {"password": account.password}),
                )
        return _decide(by=by, proposal=locked, status=ProposalStatus.APPROVED, note=note)


def account_proposal_reject(
    *, by, proposal: AccountChangeProposal, note: str = ""
) -> AccountChangeProposal:
    _require_decider(by, proposal)
    with transaction.atomic():
        locked = _locked_pending(proposal)
        return _decide(by=by, proposal=locked, status=ProposalStatus.REJECTED, note=note)


def account_proposal_withdraw(*, by, proposal: AccountChangeProposal) -> AccountChangeProposal:
    if by is None or by.pk != proposal.proposed_by_id:
        raise PermissionDenied("只有申请人可以撤回申请。")
    with transaction.atomic():
        locked = _locked_pending(proposal)
        return _decide(by=by, proposal=locked, status=ProposalStatus.WITHDRAWN, note="")


def _decide(*, by, proposal: AccountChangeProposal, status: str, note: str):
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationFailed("审批意见不能超过 200 个字。", field="note")
    before = _facts(proposal)
    proposal.status = status
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    proposal.password_hash = ""  # a decided proposal keeps no password
    proposal.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "password_hash"]
    )
    action = {
        ProposalStatus.APPROVED: "account.proposal_approve",
        ProposalStatus.REJECTED: "account.proposal_reject",
        ProposalStatus.WITHDRAWN: "account.proposal_withdraw",
    }[status]
    audit_record(
        actor=by,
        action=action,
        obj=proposal,
        changes=changes_between(
            {"status": before["status"]}, {"status": status, "note": note or None}
        ),
    )
    return proposal


# ---- selectors --------------------------------------------------------------------------


def account_proposal_list_visible_to(*, user, status: str = "") -> QuerySet:
    """Every proposal, for the two administrators who take part (no business data: an
    account, a role and the name of its scope)."""
    if not may_take_part(user):
        raise PermissionDenied("只有安全管理员或区级管理员可以查看账号变更申请。")
    qs = AccountChangeProposal.objects.select_related(
        "account", "area", "party_org", "proposed_by", "decided_by"
    )
    if status:
        if status not in ProposalStatus.values:
            raise ValidationFailed("状态无效。", field="status")
        qs = qs.filter(status=status)
    return qs.order_by("-proposed_at", "-id")


def account_proposal_get_for(*, user, pk: int) -> AccountChangeProposal:
    proposal = account_proposal_list_visible_to(user=user).filter(pk=pk).first()
    if proposal is None:
        raise NotFound("该申请不存在。")
    return proposal


def account_proposals_of(*, user, account: User, limit: int = 20) -> list:
    """The latest proposals on one account, for its page."""
    return list(account_proposal_list_visible_to(user=user).filter(account=account)[:limit])


def may_decide(user, proposal: AccountChangeProposal) -> bool:
    try:
        _require_decider(user, proposal)
    except PermissionDenied:
        return False
    return proposal.status == ProposalStatus.PENDING


def account_for_proposal(*, user, username: str) -> User:
    """The account a district administrator names by its exact username (no browsing)."""
    if not may_take_part(user):
        raise PermissionDenied("只有安全管理员或区级管理员可以提交账号变更申请。")
    username = (username or "").strip()
    account = (
        User.objects.filter(username__iexact=username, is_superuser=False).first()
        if username
        else None
    )
    if account is None:
        raise ValidationFailed(f"没有用户名为“{username}”的账号。", field="username")
    return account
