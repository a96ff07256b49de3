"""Pages of the organizations register, the coverage and the demonstration points."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiceng.core import selectors as core_selectors
from jiceng.core.errors import NotFound, PermissionDenied, ValidationFailed
from jiceng.core.views.base import paginate

from .. import filters
from ..forms.organizations import MeasureForm, MeasureProgressForm, OrganizationForm, PointForm
from ..models import DemoLevel, OrganizationKind, PartyStatus
from ..permissions import can
from ..selectors import organizations as selectors
from ..selectors.orgs import party_org_visible_ids
from ..services import organizations as services
from .base import PartyView, area_from_query, year_from_query

# ---- the register -------------------------------------------------------------------------


class OrganizationListView(PartyView):
    def get(self, request):
        user = request.user
        area = area_from_query(request)
        g = request.GET
        chosen = filters.organization_filters(g)
        orgs = selectors.organization_list_visible_to(user=user, under=area, **chosen)
        kind = g.get("kind", "")
        described = [
            filters.GROUP_LABELS.get(kind) or dict(OrganizationKind.choices).get(kind, ""),
            dict(PartyStatus.choices).get(chosen["status"], ""),
            selectors.GAPS.get(chosen["gap"], ""),
            {True: "按规定覆盖", False: "未按规定覆盖"}.get(chosen["covered"], ""),
        ]
        return render(
            request,
            "party/organization_list.html",
            {
                "page": paginate(request, orgs),
                "area": area,
                "described": [d for d in described if d],
                "kinds": [*filters.GROUP_LABELS.items(), *OrganizationKind.choices],
                "statuses": PartyStatus.choices,
                "gaps": selectors.GAPS.items(),
                "filters": g,
                "can_create": can(user, "create_some_organization"),
            },
        )


class OrganizationDetailView(PartyView):
    def get(self, request, pk):
        user = request.user
        org = selectors.organization_get_for(user=user, pk=pk)
        return render(
            request,
            "party/organization_detail.html",
            {
                "org": org,
                "compounds": org.compounds.all(),
                "points": org.demonstration_points.all(),
                "threshold": selectors.OWN_BRANCH_THRESHOLD,
                "party_org_visible": bool(party_org_visible_ids(user=user, ids=[org.party_org_id])),
                "can_edit": can(user, "edit_organization", org),
                "can_designate": can(user, "designate_point"),
            },
        )


def _branches(request, org=None) -> list:
    """The branches the form offers; an organization's current one stays on offer even
    where the editor cannot see it, so saving other facts never drops it."""
    branches = list(selectors.branch_choices_for(user=request.user))
    if org is not None and org.party_org_id and org.party_org not in branches:
        branches.append(org.party_org)
    return branches


def _resolve_form(request, form, *, branches) -> tuple:
    """(area, party_org, compounds) named by a valid form, errors added to it where a code
    or choice is unknown or outside the user's editable scope (then area is None)."""
    user = request.user
    data = form.cleaned_data
    area = party_org = None
    try:
        area = core_selectors.area_editable_get_for(user=user, code=data["area"].strip())
    except NotFound as e:
        form.add_error("area", e.message)
    if data["party_org"]:
        party_org = next((b for b in branches if str(b.pk) == data["party_org"]), None)
    codes = data["compounds"]
    found, missing = core_selectors.area_list_by_codes_editable_by(user=user, codes=codes)
    if missing:
        form.add_error(
            "compounds",
            _("以下小区编码不存在或不在您可编辑的范围内：%(codes)s")
            % {"codes": "、".join(missing)},
        )
    by_code = {a.code: a for a in found}
    compounds = [by_code[c] for c in codes if c in by_code]
    return (None if form.errors else area), party_org, compounds


def _organization_form_page(request, form, *, org=None):
    title = _("编辑：%(name)s") % {"name": org.name} if org else _("登记两新组织")
    return render(
        request,
        "party/organization_form.html",
        {
            "form": form,
            "title": title,
            "submit_label": _("保存") if org else _("登记"),
            "cancel_url": org.get_absolute_url() if org else reverse("party:organization_list"),
            "area_choices": core_selectors.area_code_choices(
                user=request.user, near=org.area if org else None
            ),
        },
        status=400 if form.errors else 200,
    )


def _save_organization(request, form, *, branches, org=None):
    area, party_org, compounds = _resolve_form(request, form, branches=branches)
    if area is None:
        return None
    data = form.cleaned_data
    fields = {
        "name": data["name"],
        "kind": data["kind"],
        "credit_code": data["credit_code"],
        "area": area,
        "address": data["address"],
        "employees": data["employees"],
        "full_members": data["full_members"],
        "party_org": party_org,
        "compounds": compounds,
    }
    try:
        if org is None:
            return services.organization_create(by=request.user, **fields)
        return services.organization_update(by=request.user, organization=org, **fields)
    except ValidationFailed as e:
        form.apply_error(e)
        return None


class OrganizationCreateView(PartyView):
    def allowed(self, user) -> bool:
        return can(user, "create_some_organization")

    def get(self, request):
        form = OrganizationForm(branches=_branches(request))
        return _organization_form_page(request, form)

    def post(self, request):
        branches = _branches(request)
        form = OrganizationForm(request.POST, branches=branches)
        if form.is_valid() and (org := _save_organization(request, form, branches=branches)):
            messages.success(request, _("已登记%(name)s。") % {"name": org.name})
            return redirect(org)
        return _organization_form_page(request, form)


def editable_organization(request, pk):
    org = selectors.organization_get_for(user=request.user, pk=pk)
    if not can(request.user, "edit_organization", org):
        raise PermissionDenied(_("您的角色无权编辑该组织。"))
    return org


class OrganizationEditView(PartyView):
    def get(self, request, pk):
        org = editable_organization(request, pk)
        form = OrganizationForm(
            branches=_branches(request, org),
            initial={
                "name": org.name,
                "kind": org.kind,
                "credit_code": org.credit_code,
                "area": org.area.code,
                "address": org.address,
                "employees": org.employees,
                "full_members": org.full_members,
                "party_org": org.party_org_id or "",
                "compounds": "\n".join(a.code for a in org.compounds.all()),
            },
        )
        return _organization_form_page(request, form, org=org)

    def post(self, request, pk):
        org = editable_organization(request, pk)
        branches = _branches(request, org)
        form = OrganizationForm(request.POST, branches=branches)
        if form.is_valid() and _save_organization(request, form, branches=branches, org=org):
            messages.success(
                request, _("已保存%(name)s的信息。") % {"name": form.cleaned_data["name"]}
            )
            return redirect(org)
        return _organization_form_page(request, form, org=org)


# ---- coverage -----------------------------------------------------------------------------


class CoverageView(PartyView):
    def get(self, request):
        user = request.user
        area = area_from_query(request)
        rows, total = selectors.coverage_by_street(user=user, under=area)
        return render(
            request,
            "party/coverage.html",
            {
                "area": area,
                "rows": rows,
                "total": total,
                "threshold": selectors.OWN_BRANCH_THRESHOLD,
            },
        )


# ---- demonstration points -----------------------------------------------------------------


class PointListView(PartyView):
    def get(self, request):
        user = request.user
        area = area_from_query(request)
        level = request.GET.get("level", "")
        year = year_from_query(request.GET.get("year", ""))
        points = selectors.point_list_with_progress(user=user, under=area, level=level, year=year)
        return render(
            request,
            "party/point_list.html",
            {
                "area": area,
                "points": paginate(request, points),
                "counts": selectors.point_counts(user=user, under=area),
                "level": level if level in DemoLevel.values else "",
                "level_label": dict(DemoLevel.choices).get(level, ""),
                "year": year,
                "levels": DemoLevel.choices,
            },
        )


class PointDesignateView(PartyView):
    """Designate the organization ``pk`` as a demonstration point."""

    def allowed(self, user) -> bool:
        return can(user, "designate_point")

    def get(self, request, pk):
        org = selectors.organization_get_for(user=request.user, pk=pk)
        return self.page(request, org, PointForm(creating=True))

    def post(self, request, pk):
        org = selectors.organization_get_for(user=request.user, pk=pk)
        form = PointForm(request.POST, creating=True)
        if form.is_valid():
            try:
                point = services.point_designate(
                    by=request.user, organization=org, **form.cleaned_data
                )
            except ValidationFailed as e:
                form.apply_error(e)
            else:
                messages.success(request, _("已登记为%(point)s。") % {"point": point})
                return redirect(point)
        return self.page(request, org, form)

    def page(self, request, org, form):
        return render(
            request,
            "party/point_form.html",
            {
                "form": form,
                "org": org,
                "title": _("登记示范点：%(name)s") % {"name": org.name},
                "submit_label": _("登记"),
                "cancel_url": org.get_absolute_url(),
            },
            status=400 if form.errors else 200,
        )


class PointDetailView(PartyView):
    def get(self, request, pk):
        user = request.user
        point = selectors.point_get_for(user=user, pk=pk)
        measures = list(point.measures.all())
        return render(
            request,
            "party/point_detail.html",
            {
                "point": point,
                "measures": measures,
                "progress": selectors.plan_progress(measures),
                "can_edit": can(user, "edit_point", point),
                "can_edit_measures": can(user, "edit_measures", point),
                "measure_form": MeasureForm(),
            },
        )


class PointEditView(PartyView):
    def get(self, request, pk):
        point = self.editable(request, pk)
        form = PointForm(
            creating=False,
            initial={"year": point.year, "citation": point.citation, "plan_goal": point.plan_goal},
        )
        return self.page(request, point, form)

    def post(self, request, pk):
        point = self.editable(request, pk)
        form = PointForm(request.POST, creating=False)
        if form.is_valid():
            try:
                services.point_update(by=request.user, point=point, **form.cleaned_data)
            except ValidationFailed as e:
                form.apply_error(e)
            else:
                messages.success(request, _("已保存示范点信息。"))
                return redirect(point)
        return self.page(request, point, form)

    def editable(self, request, pk):
        point = selectors.point_get_for(user=request.user, pk=pk)
        if not can(request.user, "edit_point", point):
            raise PermissionDenied(_("只有区级管理员可以修改示范点命名。"))
        return point

    def page(self, request, point, form):
        return render(
            request,
            "party/point_form.html",
            {
                "form": form,
                "org": point.organization,
                "title": _("编辑示范点：%(point)s") % {"point": point},
                "submit_label": _("保存"),
                "cancel_url": point.get_absolute_url(),
            },
            status=400 if form.errors else 200,
        )


class MeasureAddView(PartyView):
    http_method_names = ["post"]

    def post(self, request, pk):
        point = selectors.point_get_for(user=request.user, pk=pk)
        form = MeasureForm(request.POST)
        if not form.is_valid():
            messages.error(request, next(iter(form.errors.values()))[0])
            return redirect(point)
        try:
            services.measure_add(by=request.user, point=point, **form.cleaned_data)
        except ValidationFailed as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("已添加措施。"))
        return redirect(point)


class MeasureProgressView(PartyView):
    http_method_names = ["post"]

    def post(self, request, pk):
        measure = selectors.measure_get_for(user=request.user, pk=pk)
        form = MeasureProgressForm(request.POST)
        percent = form.cleaned_data["percent"] if form.is_valid() else -1
        try:
            services.measure_progress(by=request.user, measure=measure, percent=percent)
        except ValidationFailed as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("已更新“%(title)s”的进度。") % {"title": measure.title})
        return redirect(measure.point)
