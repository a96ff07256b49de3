"""The filters of the register and coverage pages, read from a query string. The pages and
their spreadsheet exports both read them here, so an export holds what the page shows."""

from django.http import QueryDict

from jiceng.core import selectors as core_selectors
from jiceng.core.errors import NotFound
from jiceng.core.models import Area

from .models import OrganizationKind

GROUP_KINDS = {
    "property": (OrganizationKind.PROPERTY,),
    "two_new": (OrganizationKind.ENTERPRISE, OrganizationKind.SOCIAL),
    **{k: (k,) for k in OrganizationKind.values},
}
GROUP_LABELS = {"property": "物业企业", "two_new": "两新组织（非公企业和社会组织）"}


def area_of(*, user, params: QueryDict) -> Area | None:
    """The ``area`` of the query string, within the user's scope (NotFound otherwise)."""
    code = params.get("area", "").strip()
    if not code:
        return None
    if not (code.isascii() and code.isdigit()):
        raise NotFound("区域不存在或不在您的管辖范围内。")
    return core_selectors.area_get_for(user=user, code=code)


def organization_filters(params: QueryDict) -> dict:
    """The keyword arguments of ``organization_list_visible_to`` the query string asks for."""
    return {
        "kinds": GROUP_KINDS.get(params.get("kind", "")),
        "status": params.get("status", ""),
        "gap": params.get("gap", ""),
        "covered": {"1": True, "0": False}.get(params.get("covered", "")),
        "text": params.get("q", "")[:50],
    }
