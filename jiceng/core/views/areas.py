"""The area tree, area pages, the area switcher and indicators."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .. import indicator_registry, selectors
from ..context_processors import CURRENT_AREA_SESSION_KEY
from ..errors import NotFound
from ..forms import (
    AreaSwitchForm,
    SearchForm,
)
from ..models import CODE_LENGTH, AreaKind
from .base import (
    TREE_CHILDREN_LIMIT,
    BusinessView,
    paginate,
)


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
