"""The core's pages. Each view parses its input, asks ``can``, calls selectors or one
service and renders; the scope lives in the selectors, never here."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from . import indicator_registry, selectors, services
from .audit import audit_verify
from .context_processors import CURRENT_AREA_SESSION_KEY
from .errors import NotFound, PermissionDenied, ValidationFailed
from .forms import (
    AreaSwitchForm,
    AuditFilterForm,
    ChinesePasswordChangeForm,
    LoginForm,
    PersonFilterForm,
    SearchForm,
)
from .models import CODE_LENGTH, AreaKind
from .permissions import can

PAGE_SIZE = 50
# A compound may hold many buildings; the lazy tree shows this many, the detail page pages.
TREE_CHILDREN_LIMIT = 200


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def error_response(request, status: int, message: str):
    if is_htmx(request):
        return render(request, "core/_error_fragment.html", {"message": message}, status=status)
    return render(request, f"{status}.html", {"message": message}, status=status)


class AppView(LoginRequiredMixin, View):
    """Login required; ``allowed`` is asked before anything is read; the application's
    errors become Chinese 404/403/400 pages (or fragments for htmx requests)."""

    denied_message = "您的角色无权访问此页面。"

    def allowed(self, user) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            if not self.allowed(request.user):
                raise PermissionDenied(_(self.denied_message))
            return super().dispatch(request, *args, **kwargs)
        except NotFound as e:
            return error_response(request, 404, e.message)
        except PermissionDenied as e:
            return error_response(request, 403, e.message)


class BusinessView(AppView):
    """Pages of business data: closed to the audit and security administrators."""

    denied_message = "审计管理员和安全管理员不能查看业务数据。"

    def allowed(self, user) -> bool:
        return can(user, "view_business")


# ---- accounts -----------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    form_class = ChinesePasswordChangeForm
    success_url = reverse_lazy("core:password_change_done")

    def form_valid(self, form):
        try:
            services.user_password_change(
                by=self.request.user,
                user=self.request.user,
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationFailed as e:
            form.add_error("new_password1", e.message)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, self.request.user)
        return redirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "core/password_change_done.html"


# ---- home ---------------------------------------------------------------------------------


class HomeView(AppView):
    def get(self, request):
        user = request.user
        context = {
            "business": can(user, "view_business"),
            "auditor": can(user, "view_audit"),
            "security": can(user, "manage_accounts"),
        }
        if context["business"]:
            area = selectors.area_current_for(
                user=user, code=request.session.get(CURRENT_AREA_SESSION_KEY)
            )
            context["area"] = area
            if area is not None:
                context["breadcrumbs"] = selectors.area_breadcrumbs(user=user, area=area)
                context["shortcuts"] = list(
                    selectors.area_children_visible_to(user=user, area=area)[:24]
                )
            context["my_posts"] = list(selectors.post_list_of_user(user=user))
        if context["auditor"]:
            context["recent_audit"] = list(selectors.audit_list_visible_to(user=user)[:10])
        if context["security"]:
            context["accounts"] = selectors.account_summary(user=user)
        return render(request, "core/home.html", context)


# ---- areas --------------------------------------------------------------------------------


class AreaTreeView(BusinessView):
    def get(self, request):
        form = SearchForm(request.GET)
        text = form.text()
        results = (
            list(selectors.area_search_visible_to(user=request.user, text=text)) if text else []
        )
        roots = list(selectors.area_tree_roots(user=request.user))
        return render(
            request,
            "core/area_tree.html",
            {
                "roots": roots,
                "single_root": len(roots) == 1,
                "form": form,
                "text": text,
                "results": results,
            },
        )


class AreaChildrenView(BusinessView):
    def get(self, request, code):
        area = selectors.area_get_for(user=request.user, code=code)
        children = selectors.area_children_visible_to(user=request.user, area=area)
        return render(
            request,
            "core/_area_nodes.html",
            {
                "areas": children[:TREE_CHILDREN_LIMIT],
                "parent": area,
                "limit": TREE_CHILDREN_LIMIT,
            },
        )


class AreaDetailView(BusinessView):
    def get(self, request, code):
        user = request.user
        area = selectors.area_get_for(user=user, code=code)
        has_grids = area.kind in (AreaKind.COMMUNITY, AreaKind.VILLAGE)
        return render(
            request,
            "core/area_detail.html",
            {
                "area": area,
                "breadcrumbs": selectors.area_breadcrumbs(user=user, area=area),
                "children": paginate(
                    request, selectors.area_children_visible_to(user=user, area=area)
                ),
                "has_grids": has_grids,
                "stewards": (
                    selectors.grid_stewards_by_area(user=user, area=area) if has_grids else {}
                ),
                "posts": list(selectors.post_list_for_area(user=user, area=area)),
            },
        )


# The core's indicators that count areas of one kind: on the page of an area of that kind
# or lower they are always 0 or 1 ("街道数" of a community), so the page leaves them out.
AREA_COUNT_INDICATORS = {
    "streets": AreaKind.STREET,
    "communities": AreaKind.COMMUNITY,
    "villages": AreaKind.VILLAGE,
    "grids": AreaKind.GRID,
}


def shows_below(key: str, area) -> bool:
    kind = AREA_COUNT_INDICATORS.get(key)
    return kind is None or CODE_LENGTH[kind] > len(area.code)


class AreaIndicatorsView(BusinessView):
    """The registry's figures for one area, as a fragment the pages load after themselves
    (a district's figures count many rows; the page does not wait for them)."""

    def get(self, request, code):
        area = selectors.area_get_for(user=request.user, code=code)
        figures = indicator_registry.compute(
            area=area,
            period=indicator_registry.Period.parse(None),
            user=request.user,
            keys=[i.key for i in indicator_registry.indicators() if shows_below(i.key, area)],
        )
        return render(request, "core/_indicators.html", {"area": area, "figures": figures})


class AreaSwitchView(BusinessView):
    http_method_names = ["post"]

    def post(self, request):
        form = AreaSwitchForm(request.POST)
        target = request.POST.get("next") or ""
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("core:home")
        if not form.is_valid():
            messages.error(request, _("区域编码无效，未切换。"))
            return redirect(target)
        try:
            area = selectors.area_get_for(user=request.user, code=form.cleaned_data["code"])
        except NotFound:
            messages.error(request, _("所选区域不在您的管辖范围内，未切换。"))
            return redirect(target)
        request.session[CURRENT_AREA_SESSION_KEY] = area.code
        messages.success(request, _("已切换到 %(name)s。") % {"name": area.name})
        return redirect(target)


# ---- people -------------------------------------------------------------------------------


class PersonListView(BusinessView):
    def get(self, request):
        user = request.user
        form = PersonFilterForm(request.GET)
        people = None
        area = None
        if form.is_valid():
            if code := form.cleaned_data["area"]:
                try:
                    area = selectors.area_get_for(user=user, code=code)
                except NotFound as e:
                    form.add_error("area", e.message)
        if form.is_valid():
            people = paginate(
                request,
                selectors.person_list_visible_to(
                    user=user, under=area, text=form.cleaned_data["q"]
                ),
            )
        return render(
            request,
            "core/person_list.html",
            {
                "form": form,
                "people": people,
                "area": area,
                "area_choices": selectors.area_filter_choices(user=user),
            },
        )


class PersonDetailView(BusinessView):
    def get(self, request, pk):
        person = selectors.person_get_for(user=request.user, pk=pk)
        return render(
            request,
            "core/person_detail.html",
            {
                "person": person,
                "posts": person.posts.all(),
                "can_reveal": can(request.user, "reveal_pii", person),
            },
        )


@method_decorator(never_cache, name="dispatch")
class PersonRevealView(BusinessView):
    http_method_names = ["post"]

    def post(self, request, pk, field):
        person = selectors.person_get_for(user=request.user, pk=pk)
        if not can(request.user, "reveal_pii", person):
            raise PermissionDenied(_("您的角色无权查看完整的个人信息。"))
        try:
            value = services.person_reveal(by=request.user, person=person, field=field)
        except ValidationFailed as e:
            return error_response(request, 400, e.message)
        return render(request, "core/_revealed.html", {"value": value, "field": field})


# ---- system administration -------------------------------------------------------------


class AuditListView(AppView):
    denied_message = "只有审计管理员可以查看审计日志。"

    def allowed(self, user) -> bool:
        return can(user, "view_audit")

    def get(self, request):
        form = AuditFilterForm(request.GET)
        filters = form.cleaned_data if form.is_valid() else {}
        rows = selectors.audit_list_visible_to(
            user=request.user,
            action=filters.get("action", "").strip(),
            actor=filters.get("actor", "").strip(),
        )
        return render(
            request, "core/audit_list.html", {"form": form, "rows": paginate(request, rows)}
        )


class AuditVerifyView(AuditListView):
    http_method_names = ["post"]

    def post(self, request):
        broken = audit_verify()
        if is_htmx(request):
            return render(request, "core/_audit_verify.html", {"broken": broken, "ran": True})
        if broken is None:
            messages.success(request, _("审计日志哈希链校验通过，未发现篡改。"))
        else:
            messages.error(
                request,
                _("审计日志第 %(id)s 行校验失败：%(reason)s")
                % {"id": broken.row_id, "reason": broken.reason},
            )
        return redirect("core:audit_list")


class AccountListView(AppView):
    denied_message = "只有安全管理员可以管理账号。"

    def allowed(self, user) -> bool:
        return can(user, "manage_accounts")

    def get(self, request):
        form = SearchForm(request.GET)
        accounts = selectors.account_rows_visible_to(user=request.user, text=form.text())
        return render(
            request,
            "core/account_list.html",
            {
                "form": form,
                "accounts": paginate(request, accounts),
                "summary": selectors.account_summary(user=request.user),
            },
        )


# ---- error pages ----------------------------------------------------------------------


def page_not_found(request, exception=None):
    return render(request, "404.html", {}, status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", {}, status=403)
