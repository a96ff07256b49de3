"""Account management by the security administrator (三员分立): accounts, role assignments,
passwords and login lockouts. Nothing here shows business data beyond the names of the
areas and organizations that role assignments are scoped to."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import account_proposals, selectors, services
from ..errors import ApplicationError, PermissionDenied, ValidationFailed
from ..forms import (
    AccountCreateForm,
    PasswordPairForm,
    PersonLookupForm,
    RoleAssignForm,
    RoleEndForm,
    SearchForm,
)
from ..models import ProposalStatus
from ..permissions import can
from ..roles import Role
from ..second_factor import confirmed_device
from .base import AppView, paginate


class AccountAdminView(AppView):
    denied_message = "只有安全管理员可以管理账号。"

    def allowed(self, user) -> bool:
        return can(user, "manage_accounts")


def _status(error: ApplicationError) -> int:
    return 403 if isinstance(error, PermissionDenied) else 400


def _pending_message(proposal) -> str:
    what = proposal.get_kind_display()
    if proposal.role:
        what = _("授予“%(role)s”角色") % {"role": proposal.get_role_display()}
    decider = account_proposals.COUNTERPART[Role(proposal.proposer_role)].label
    return _("三员分立：%(what)s已提交申请，须由%(decider)s审批后生效。") % {
        "what": what,
        "decider": decider,
    }


class AccountListView(AccountAdminView):
    def get(self, request):
        form = SearchForm(request.GET)
        accounts = selectors.account_list_for_admin(user=request.user, text=form.text())
        return render(
            request,
            "core/account_list.html",
            {
                "form": form,
                "accounts": paginate(request, accounts),
                "today": timezone.localdate(),
            },
        )


class AccountCreateView(AccountAdminView):
    """The form, a person lookup that shows the one match masked (``op=lookup``), and the
    creation itself."""

    template_name = "core/account_create.html"

    def get(self, request):
        return render(request, self.template_name, {"form": AccountCreateForm()})

    def post(self, request):
        if request.POST.get("op") == "lookup":
            return self._lookup(request)
        form = AccountCreateForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = form.cleaned_data
        # Every problem is reported at once: when the person or the scope cannot be found,
        # the account's own fields are checked too before answering.
        problems: list[tuple[str | None, str]] = []
        status = 400
        person = area = org = None
        try:
            person = self._person(request, form) if form.wants_person() else None
        except ValidationFailed as e:
            problems.append((e.field, e.message))
        if data["role"]:
            try:
                area, org = selectors.role_scope_lookup(
                    user=request.user, area_code=data["area_code"], party_org=data["party_org"]
                )
            except ValidationFailed as e:
                problems.append((e.field, e.message))
        if problems:
            problems += services.account_problems(
                username=data["username"],
                full_name=data["full_name"],
                password=data["password"],
                person=person,
            )
        else:
            try:
                account = services.account_create(
                    by=request.user,
                    username=data["username"],
                    full_name=data["full_name"],
                    password=data["password"],
                    person=person,
                    role=data["role"],
                    area=area,
                    party_org=org,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                )
            except ApplicationError as e:
                problems = e.extra.get("problems") or [(e.field, e.message)]
                status = _status(e)
        if problems:
            for field, message in problems:
                form.add_error(field if field in form.fields else None, message)
            return render(request, self.template_name, {"form": form}, status=status)
        messages.success(
            request,
            _("已创建账号 %(username)s。账号持有人首次登录时须修改初始密码。")
            % {"username": account.username},
        )
        if pending := account.change_proposals.filter(status=ProposalStatus.PENDING).first():
            messages.info(request, _pending_message(pending))
        return redirect("core:account_detail", pk=account.pk)

    @staticmethod
    def _person(request, form):
        data = form.cleaned_data
        return selectors.account_person_lookup(
            user=request.user,
            id_number=data["person_id_number"],
            name=data["person_name"],
            area_code=data["person_area_code"],
        )

    def _lookup(self, request):
        """Show whom the person fields name, creating nothing. The other fields come back
        as typed (passwords excepted), unchecked: they were not submitted yet."""
        kept = {
            name: value
            for name, value in request.POST.items()
            if name in AccountCreateForm.base_fields and not name.startswith("password")
        }
        context = {"form": AccountCreateForm(initial=kept)}
        lookup = PersonLookupForm(request.POST)
        if not lookup.is_valid():
            context["lookup_error"] = next(e for errs in lookup.errors.values() for e in errs)
        elif not lookup.wants_person():
            context["lookup_error"] = _("请先填写身份证号码，或姓名和所属区域编码。")
        else:
            try:
                context["match"] = self._person(request, lookup)
            except ApplicationError as e:
                context["lookup_error"] = e.message
        status = 400 if "lookup_error" in context else 200
        return render(request, self.template_name, context, status=status)


class AccountDetailView(AccountAdminView):
    def get(self, request, pk):
        account = selectors.account_get_for(user=request.user, pk=pk)
        return account_page(request, account)


def account_page(
    request,
    account,
    *,
    status: int = 200,
    role_form=None,
    password_form=None,
    end_error: tuple[int, str] | None = None,
    error: str = "",
):
    """The account page, with a refused action's form and message where it was made."""
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    assignments = list(account.role_assignments.all())
    for a in assignments:
        # The end form proposes the earliest last day the service accepts.
        a.end_default = max(d for d in (yesterday, a.starts_on) if d is not None)
    return render(
        request,
        "core/account_detail.html",
        {
            "account": account,
            "assignments": assignments,
            "today": today,
            "is_self": account.pk == request.user.pk,
            "has_second_factor": confirmed_device(user=account) is not None,
            "role_form": role_form or RoleAssignForm(),
            "password_form": password_form or PasswordPairForm(),
            "end_error": end_error,
            "error": error,
            "proposals": account_proposals.account_proposals_of(user=request.user, account=account),
            "privileged": account_proposals.is_privileged(account, assignments),
        },
        status=status,
    )


def form_refused(request, account, error: ApplicationError, **forms):
    """The account page after a service refused a form: a rule broken by the input is shown
    at its field; a refusal of the action itself (one's own account) above the page, as the
    page offers no such form then."""
    if isinstance(error, PermissionDenied):
        return account_page(request, account, status=403, error=error.message, **forms)
    for form in forms.values():
        form.apply_error(error)
    return account_page(request, account, status=400, **forms)


class AccountActionView(AccountAdminView):
    """A POST on one account; on refusal the account page shows why, and nothing changed."""

    http_method_names = ["post"]

    def post(self, request, pk, **kwargs):
        account = selectors.account_get_for(user=request.user, pk=pk)
        try:
            return self.act(request, account, **kwargs)
        except (ValidationFailed, PermissionDenied) as e:  # NotFound stays a 404
            return self.refused(request, account, e, **kwargs)

    def act(self, request, account, **kwargs):
        raise NotImplementedError

    def refused(self, request, account, error, **kwargs):
        return account_page(request, account, status=_status(error), error=error.message)

    def done(self, message: str, account):
        messages.success(self.request, message)
        return redirect("core:account_detail", pk=account.pk)


class AccountRoleAssignView(AccountActionView):
    def post(self, request, pk, **kwargs):
        self.form = RoleAssignForm(request.POST)
        return super().post(request, pk, **kwargs)

    def act(self, request, account):
        if not self.form.is_valid():
            return account_page(request, account, status=400, role_form=self.form)
        data = self.form.cleaned_data
        area, org = selectors.role_scope_lookup(
            user=request.user, area_code=data["area_code"], party_org=data["party_org"]
        )
        if account_proposals.role_grant_needs_approval(
            data["role"]
        ) and not account_proposals.acts_alone(request.user):
            proposal = account_proposals.account_role_grant_propose(
                by=request.user,
                account=account,
                role=data["role"],
                area=area,
                party_org=org,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
            return self.done(_pending_message(proposal), account)
        assignment = services.account_role_assign(
            by=request.user,
            user=account,
            role=data["role"],
            area=area,
            party_org=org,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )
        return self.done(
            _("已授予“%(role)s”角色。") % {"role": assignment.get_role_display()}, account
        )

    def refused(self, request, account, error):
        return form_refused(request, account, error, role_form=self.form)


class AccountRoleEndView(AccountActionView):
    def act(self, request, account, ra):
        assignment = selectors.account_role_assignment_get_for(
            user=request.user, account=account, pk=ra
        )
        form = RoleEndForm(request.POST)
        if not form.is_valid():
            message = " ".join(e for errors in form.errors.values() for e in errors)
            return account_page(request, account, status=400, end_error=(ra, message))
        services.account_role_end(
            by=request.user, assignment=assignment, ends_on=form.cleaned_data["ends_on"]
        )
        return self.done(
            _("已结束“%(role)s”角色，最后有效日期 %(date)s。")
            % {
                "role": assignment.get_role_display(),
                "date": form.cleaned_data["ends_on"].strftime("%Y-%m-%d"),
            },
            account,
        )

    def refused(self, request, account, error, ra):
        return account_page(request, account, status=_status(error), end_error=(ra, error.message))


class AccountDeactivateView(AccountActionView):
    def act(self, request, account):
        services.account_deactivate(by=request.user, user=account)
        return self.done(_("已停用账号 %(u)s。") % {"u": account.username}, account)


class AccountActivateView(AccountActionView):
    def act(self, request, account):
        if not account_proposals.acts_alone(
            request.user
        ) and account_proposals.activation_needs_approval(account):
            proposal = account_proposals.account_activate_propose(by=request.user, account=account)
            return self.done(_pending_message(proposal), account)
        services.account_activate(by=request.user, user=account)
        return self.done(_("已启用账号 %(u)s。") % {"u": account.username}, account)


class AccountPasswordResetView(AccountActionView):
    def post(self, request, pk, **kwargs):
        self.form = PasswordPairForm(request.POST)
        return super().post(request, pk, **kwargs)

    def act(self, request, account):
        if not self.form.is_valid():
            return account_page(request, account, status=400, password_form=self.form)
        if not account_proposals.acts_alone(
            request.user
        ) and account_proposals.password_reset_needs_approval(account):
            proposal = account_proposals.account_password_reset_propose(
                by=request.user, account=account, new_password=self.form.cleaned_data["password"]
            )
            return self.done(_pending_message(proposal), account)
        services.account_password_reset(
            by=request.user, user=account, new_password=self.form.cleaned_data["password"]
        )
        return self.done(
            _("已重置 %(u)s 的密码，其已登录的会话全部失效；下次登录时须修改密码。")
            % {"u": account.username},
            account,
        )

    def refused(self, request, account, error):
        return form_refused(request, account, error, password_form=self.form)


class AccountUnlockView(AccountActionView):
    def act(self, request, account):
        services.account_unlock(by=request.user, user=account)
        return self.done(_("已解除 %(u)s 的登录锁定。") % {"u": account.username}, account)
