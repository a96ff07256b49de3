"""What the rural pages share: the access rule, the area and year they look at, and the
way a form posts to a service."""

from django.contrib import messages
from django.utils import timezone

from jiceng.core.context_processors import CURRENT_AREA_SESSION_KEY
from jiceng.core.errors import ApplicationError, NotFound, PermissionDenied
from jiceng.core.views.base import AppView, paginate  # noqa: F401  (re-exported for views)

from .. import selectors
from ..permissions import can


class RuralView(AppView):
    denied_message = "您的角色无权查看乡村振兴数据。"

    def allowed(self, user) -> bool:
        return can(user, "view")


def looked_at_area(request):
    """The area from ``?area=``, else the one chosen in the top bar's switcher, within the
    user's rural scope (else the scope's first root)."""
    code = request.GET.get("area") or request.session.get(CURRENT_AREA_SESSION_KEY)
    return selectors.rural_area_for(user=request.user, code=code)


def looked_at_year(request, years: list[int]) -> int | None:
    """``?year=`` when the ledger has it, else the latest ledger year (else this year)."""
    try:
        wanted = int(request.GET.get("year", ""))
    except ValueError:
        wanted = None
    if wanted in years:
        return wanted
    return years[0] if years else timezone.localdate().year


def require(user, action: str, obj=None, message: str = "您无权执行此操作。") -> None:
    if not can(user, action, obj):
        raise PermissionDenied(message)


def run_service(request, form, call, *, success: str):
    """Call a service with the form's cleaned data; on an application error show it on the
    form and return None, else flash ``success`` and return the service's result."""
    try:
        result = call(form.cleaned_data)
    except PermissionDenied:
        raise
    except ApplicationError as e:
        form.apply_error(e)
        return None
    messages.success(request, success)
    return result


def area_options(user, roles, kinds) -> list[tuple[str, str]]:
    """(code, name) of the areas of ``kinds`` the user holds one of ``roles`` over."""
    return [(a.code, a.name) for a in selectors.area_choices(user=user, roles=roles, kinds=kinds)]


def pick_area(user, code: str, roles, kinds):
    """The area with ``code`` among those ``area_options`` offered."""
    area = selectors.area_choices(user=user, roles=roles, kinds=kinds).filter(code=code).first()
    if area is None:
        raise NotFound("所选区域不存在或不在您的管辖范围内。")
    return area
