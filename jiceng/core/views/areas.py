"""The area tree, area pages, the area switcher and indicators."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import indicator_registry, selectors, services
from ..context_processors import CURRENT_AREA_SESSION_KEY
from ..errors import NotFound, PermissionDenied, ValidationFailed
from ..forms import (
    AreaChildForm,
    AreaEditForm,
    AreaSwitchForm,
    PostCreateForm,
    SearchForm,
)
from ..models import CODE_LENGTH, AreaKind
from ..permissions import can
from .base import (
    TREE_CHILDREN_LIMIT,
    BusinessView,
    error_response,
    paginate,
    safe_next,
)


class AreaTreeView(BusinessView):
    module = "areas"

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
    module = "areas"

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
    module = "areas"

    def get(self, request, code):
        user = request.user
        area = selectors.area_get_for(user=user, code=code)
        has_grids = area.kind in (AreaKind.COMMUNITY, AreaKind.VILLAGE)
        can_edit = can(user, "edit_area", area)
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
                "can_edit": can_edit,
                "child_kinds": (
                    [(k, AreaKind(k).label) for k in services.area_child_kinds(area.kind)]
                    if can_edit
                    else []
                ),
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

    module = "areas"

    def get(self, request, code):
        area = selectors.area_get_for(user=request.user, code=code)
        try:
            period = indicator_registry.Period.parse(request.GET.get("period") or None)
        except ValidationFailed as e:
            return error_response(request, 400, e.message)
        figures = indicator_registry.compute(
            area=area,
            period=period,
            user=request.user,
            keys=[i.key for i in indicator_registry.applicable(area) if shows_below(i.key, area)],
        )
        return render(request, "core/_indicators.html", {"area": area, "figures": figures})


# The switcher's choice of the whole scope (a user with more than one root area).
ALL_AREAS = "all"


class AreaSwitchView(BusinessView):
    module = "areas"
    http_method_names = ["post"]

    def post(self, request):
        form = AreaSwitchForm(request.POST)
        target = safe_next(request, reverse("core:home"))
        if not form.is_valid():
            messages.error(request, _("区域编码无效，未切换。"))
            return redirect(target)
        if form.cleaned_data["code"] == ALL_AREAS:
            request.session.pop(CURRENT_AREA_SESSION_KEY, None)
            messages.success(request, _("已切换到全部管辖范围。"))
            return redirect(target)
        try:
            area = selectors.area_get_in_whole_scope(
                user=request.user, code=form.cleaned_data["code"]
            )
        except NotFound:
            messages.error(request, _("所选区域不在您的管辖范围内，未切换。"))
            return redirect(target)
        request.session[CURRENT_AREA_SESSION_KEY] = area.code
        messages.success(request, _("已切换到 %(name)s。") % {"name": area.name})
        return redirect(target)


# ---- editing ----------------------------------------------------------------------------


def editable_area(request, code):
    """The area with this code: 404 outside the user's scope, 403 where they may not edit."""
    area = selectors.area_get_for(user=request.user, code=code)
    if not can(request.user, "edit_area", area):
        raise PermissionDenied(_("您的角色无权编辑该区域。"))
    return area


class AreaEditView(BusinessView):
    module = "areas"

    def get(self, request, code):
        area = editable_area(request, code)
        form = AreaEditForm(
            initial={"name": area.name, "households": area.households, "address": area.address}
        )
        return self.page(request, area, form)

    def post(self, request, code):
        area = editable_area(request, code)
        form = AreaEditForm(request.POST)
        if form.is_valid():
            try:
                area = services.area_update(by=request.user, area=area, **form.cleaned_data)
            except ValidationFailed as e:
                form.apply_error(e)
            else:
                messages.success(request, _("已保存%(name)s的信息。") % {"name": area.name})
                return redirect(area)
        return self.page(request, area, form)

    def page(self, request, area, form):
        return render(
            request,
            "core/area_form.html",
            {
                "area": area,
                "form": form,
                "breadcrumbs": selectors.area_breadcrumbs(user=request.user, area=area),
                "title": _("编辑%(kind)s：%(name)s")
                % {"kind": area.get_kind_display(), "name": area.name},
                "submit_label": _("保存"),
                "cancel_url": area.get_absolute_url(),
            },
        )


class AreaChildCreateView(BusinessView):
    """A new area under ``code``; ``?kind=`` picks the kind where the parent allows two."""

    module = "areas"

    def get(self, request, code):
        parent, kinds = self.parent_and_kinds(request, code)
        kind = request.GET.get("kind")
        kind = kind if kind in kinds else kinds[0]
        form = AreaChildForm(
            parent=parent,
            kinds=kinds,
            initial={
                "kind": kind,
                "code": selectors.area_next_child_code(parent=parent, kind=kind),
            },
        )
        return self.page(request, parent, form, kind)

    def post(self, request, code):
        parent, kinds = self.parent_and_kinds(request, code)
        form = AreaChildForm(request.POST, parent=parent, kinds=kinds)
        if form.is_valid():
            data = form.cleaned_data
            try:
                child = services.area_create(
                    by=request.user,
                    code=data["code"],
                    name=data["name"],
                    kind=data["kind"],
                    parent=parent,
                    households=data["households"],
                    address=data["address"],
                )
            except ValidationFailed as e:
                # area_create reports every problem of the row in one message.
                for problem in e.message.split("；"):
                    form.add_error(None, problem)
            else:
                messages.success(
                    request,
                    _("已在%(parent)s下新增%(kind)s%(name)s（%(code)s）。")
                    % {
                        "parent": parent.name,
                        "kind": child.get_kind_display(),
                        "name": child.name,
                        "code": child.code,
                    },
                )
                return redirect(parent)
        return self.page(request, parent, form, form.data.get("kind") or kinds[0])

    def parent_and_kinds(self, request, code):
        parent = editable_area(request, code)
        kinds = services.area_child_kinds(parent.kind)
        if not kinds:
            raise NotFound(_("楼栋是区域树的最末一级，不能新增下级区域。"))
        return parent, kinds

    def page(self, request, parent, form, kind):
        label = AreaKind(kind).label if kind in AreaKind.values else _("下级区域")
        return render(
            request,
            "core/area_form.html",
            {
                "area": parent,
                "form": form,
                "creating": True,
                "breadcrumbs": selectors.area_breadcrumbs(user=request.user, area=parent),
                "title": _("在%(parent)s下新增%(kind)s") % {"parent": parent.name, "kind": label},
                "submit_label": _("新增"),
                "cancel_url": parent.get_absolute_url(),
            },
        )


class AreaPostCreateView(BusinessView):
    """A post held at this area, by a person chosen among those of the area."""

    module = "areas"

    def get(self, request, code):
        area = editable_area(request, code)
        form = PostCreateForm(people=self.people(request, area))
        return self.page(request, area, form)

    def post(self, request, code):
        area = editable_area(request, code)
        people = self.people(request, area)
        form = PostCreateForm(request.POST, people=people)
        if form.is_valid():
            data = form.cleaned_data
            person = next(p for p in people if str(p.pk) == data["person"])
            try:
                post = services.post_create(
                    by=request.user,
                    person=person,
                    title=data["title"],
                    area=area,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                )
            except ValidationFailed as e:
                form.apply_error(e)
            else:
                messages.success(
                    request,
                    _("已任命%(person)s为%(area)s%(title)s。")
                    % {
                        "person": person.name,
                        "area": area.name,
                        "title": post.get_title_display(),
                    },
                )
                return redirect(area)
        return self.page(request, area, form)

    def people(self, request, area):
        return list(selectors.person_choices_under(user=request.user, area=area))

    def page(self, request, area, form):
        return render(
            request,
            "core/post_form.html",
            {
                "area": area,
                "form": form,
                "breadcrumbs": selectors.area_breadcrumbs(user=request.user, area=area),
                "title": _("在%(area)s新增职务") % {"area": area.name},
                "cancel_url": area.get_absolute_url(),
                "submit_label": _("新增职务"),
            },
        )
