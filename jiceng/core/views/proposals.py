"""Account change proposals (三员分立): the list of proposals with their decisions, the
form on which a district administrator proposes (the security administrator proposes from
the account pages), and approving, rejecting or withdrawing one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import account_proposals as proposals
from .. import selectors
from ..errors import ApplicationError, PermissionDenied, ValidationFailed
from ..forms import ProposalCreateForm, ProposalDecisionForm
from ..models import ProposalKind, ProposalStatus
from .base import AppView, form_error, paginate


class ProposalView(AppView):
    denied_message = "只有安全管理员或区级管理员可以处理账号变更申请。"

    def allowed(self, user) -> bool:
        return proposals.may_take_part(user)


class ProposalListView(ProposalView):
    def get(self, request):
        return proposal_list_page(request)


def proposal_list_page(request, *, status: int = 200, error: str = ""):
    """The proposals of one status (pending by default; ``?status=all`` for every one),
    with a refused decision's message above them."""
    shown = request.GET.get("status", ProposalStatus.PENDING)
    if shown not in ProposalStatus.values:
        shown = "all"
    rows = proposals.account_proposal_list_visible_to(
        user=request.user, status="" if shown == "all" else shown
    )
    page = paginate(request, rows)
    for p in page:
        p.may_decide = proposals.may_decide(request.user, p)
        p.may_withdraw = p.status == ProposalStatus.PENDING and p.proposed_by_id == request.user.pk
    return render(
        request,
        "core/proposal_list.html",
        {
            "proposals": page,
            "shown": shown,
            "statuses": ProposalStatus.choices,
            "error": error,
            "role_label": proposals.proposer_role_label(request.user),
        },
        status=status,
    )


class ProposalCreateView(ProposalView):
    template_name = "core/proposal_form.html"

    def get(self, request):
        form = ProposalCreateForm(initial={"username": request.GET.get("username", "")})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = ProposalCreateForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = form.cleaned_data
        try:
            account = proposals.account_for_proposal(user=request.user, username=data["username"])
            match data["kind"]:
                case ProposalKind.ROLE_GRANT:
                    area, org = selectors.role_scope_lookup(
                        user=request.user,
                        area_code=data["area_code"],
                        party_org=data["party_org"],
                    )
                    proposals.account_role_grant_propose(
                        by=request.user,
                        account=account,
                        role=data["role"],
                        area=area,
                        party_org=org,
                        starts_on=data["starts_on"],
                        ends_on=data["ends_on"],
                        reason=data["reason"],
                    )
                case ProposalKind.ACTIVATE:
                    proposals.account_activate_propose(
                        by=request.user, account=account, reason=data["reason"]
                    )
                case ProposalKind.PASSWORD_RESET:
                    if not proposals.password_reset_needs_approval(account):
                        raise ValidationFailed(
                            "该账号不是特权账号，其密码由安全管理员直接重置，无需申请。",
                            field="kind",
                        )
                    proposals.account_password_reset_propose(
                        by=request.user,
                        account=account,
                        new_password=data["password"],
                        reason=data["reason"],
                    )
        except ApplicationError as e:
            form_error(form, e)
            status = 403 if isinstance(e, PermissionDenied) else 400
            return render(request, self.template_name, {"form": form}, status=status)
        messages.success(request, _("申请已提交，须由另一名管理员审批后生效。"))
        return redirect("core:proposal_list")


class ProposalDecideView(ProposalView):
    """POST approve / reject (with a note) / withdraw; a refusal is shown above the list
    and nothing changes."""

    http_method_names = ["post"]

    def post(self, request, pk, decision):
        proposal = proposals.account_proposal_get_for(user=request.user, pk=pk)
        form = ProposalDecisionForm(request.POST)
        what = f"{proposal.get_kind_display()} · {proposal.account.username}"
        try:
            if not form.is_valid():
                raise ValidationFailed("审批意见不能超过 200 个字。", field="note")
            note = form.cleaned_data["note"]
            if decision == "approve":
                proposals.account_proposal_approve(by=request.user, proposal=proposal, note=note)
                done = _("已批准并生效：%(what)s。")
            elif decision == "reject":
                proposals.account_proposal_reject(by=request.user, proposal=proposal, note=note)
                done = _("已驳回：%(what)s。")
            else:
                proposals.account_proposal_withdraw(by=request.user, proposal=proposal)
                done = _("已撤回：%(what)s。")
        except (ValidationFailed, PermissionDenied) as e:
            status = 403 if isinstance(e, PermissionDenied) else 400
            return proposal_list_page(request, status=status, error=e.message)
        messages.success(request, done % {"what": what})
        return redirect("core:proposal_list")
