"""Shared pieces of the core's pages: the login-required base views, paging, errors."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from ..context_processors import CURRENT_AREA_SESSION_KEY
from ..errors import NotFound, PermissionDenied
from ..permissions import can
from ..scope import focus_on

PAGE_SIZE = 50
# A compound may hold many buildings; the lazy tree shows this many, the detail page pages.
TREE_CHILDREN_LIMIT = 200


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def form_error(form, error) -> None:
    """Attach a service's refusal (an ``ApplicationError``) to the form field it names, or
    to the whole form when the form has no such field."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def safe_next(request, fallback: str) -> str:
    """The ``next`` of the request (POST, else GET) when it is a path on this site, else
    ``fallback``. Only a relative URL passes: no scheme, no host (``//evil``, ``/\\evil``),
    no control characters, so a crafted link can never send a user elsewhere."""
    return safe_url(request.POST.get("next") or request.GET.get("next") or "", fallback)


def safe_url(target: str, fallback: str) -> str:
    if (
        target.startswith("/")
        and not any(ord(c) < 32 or ord(c) == 127 for c in target)
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None)
    ):
        return target
    return fallback


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
        # The area chosen in the top bar narrows every list, chart and export of the page;
        # a link to a row elsewhere in the user's scope (a notification) still opens.
        focus_on(request.user, request.session.get(CURRENT_AREA_SESSION_KEY))
        try:
            return self._checked_dispatch(request, *args, **kwargs)
        except NotFound as e:
            focused = getattr(request.user, "_jiceng_focus", None)
            if not focused or request.method not in ("GET", "HEAD"):
                return error_response(request, 404, e.message)
        focus_on(request.user, None)
        try:
            return self._checked_dispatch(request, *args, **kwargs)
        except NotFound as e:
            return error_response(request, 404, e.message)

    def _checked_dispatch(self, request, *args, **kwargs):
        try:
            if not self.allowed(request.user):
                raise PermissionDenied(_(self.denied_message))
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as e:
            return error_response(request, 403, e.message)


class BusinessView(AppView):
    """Pages of business data: closed to the audit and security administrators, and to
    the roles the matrix (jiceng/core/access.py) does not open ``module`` to."""

    denied_message = "您的角色不能查看业务数据：此模块不对您的角色开放。"
    # The role matrix's module these pages belong to; None: any area role.
    module: str | None = None

    def allowed(self, user) -> bool:
        if self.module is not None:
            return can(user, "read", self.module)
        return can(user, "view_business")


# ---- error pages ----------------------------------------------------------------------


def page_not_found(request, exception=None):
    return render(request, "404.html", {}, status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", {}, status=403)


SERVER_ERROR_HTML = (
    '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    '<title>系统繁忙</title></head><body style="font-family: sans-serif; padding: 2rem">'
    "<h1>系统繁忙，请稍后再试</h1><p>服务器处理请求时出错，已记录。请稍后刷新页面；"
    '如果一直出现，请联系本单位系统管理员。</p><p><a href="/">返回首页</a></p></body></html>'
)


def server_error(request):
    """The 500 page: ``500.html`` when the project has one, else a plain Chinese page.
    Renders without the request's context: whatever failed must not fail again here."""
    from django.http import HttpResponseServerError
    from django.template import loader

    try:
        body = loader.get_template("500.html").render()
    except Exception:  # no template, or one that needs what just broke
        body = SERVER_ERROR_HTML
    return HttpResponseServerError(body)
