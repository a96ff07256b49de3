"""Pages of party organizations: the visible tree, one organization's facts, and the
forms that create and edit organizations."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiceng.core import selectors as core_selectors
from jiceng.core.errors import NotFound, PermissionDenied, ValidationFailed
from jiceng.core.scope import scope_of

from ..forms.orgs import PartyOrgForm
from ..permissions import can
from ..selectors import orgs as selectors
from ..services import orgs as services
from .base import PartyView


class PartyOrgTreeView(PartyView):
    def get(self, request):
        orgs = selectors.party_org_tree_visible_to(user=request.user)
        # Indent from the shallowest visible organization, not from the district's root.
        top = min((org.depth for org in orgs), default=0)
        for org in orgs:
            org.indent = org.depth - top
        return render(request, "party/org_tree.html", {"orgs": orgs})


class PartyOrgDetailView(PartyView):
    def get(self, request, pk):
        user = request.user
        org = selectors.party_org_get_for(user=user, pk=pk)
        scope = scope_of(user)
        covered = [
            {"area": area, "visible": scope.covers_for("party", area.code)}
            for area in org.covered_areas.all()
        ]
        return render(
            request,
            "party/org_detail.html",
            {
                "org": org,
                "parent_visible": bool(
                    selectors.party_org_visible_ids(user=user, ids=[org.parent_id])
                ),
                "children": org.children.all(),
                "covered": covered,
                "posts": org.posts.all(),
                "can_edit": can(user, "edit_org", org),
            },
        )


# ---- editing ----------------------------------------------------------------------------


def editable_org(request, pk):
    """The organization: 404 outside the user's scope, 403 where they may not edit it."""
    org = selectors.party_org_get_for(user=request.user, pk=pk)
    if not can(request.user, "edit_org", org):
        raise PermissionDenied(_("您的角色无权编辑该党组织。"))
    return org


def resolve_covered(request, form, *, known=()) -> list | None:
    """The areas whose codes the form lists, or None with the missing codes on the form.
    ``known`` areas (those covered already) resolve even where the user cannot see them,
    so keeping them unchanged is never an error."""
    known = {a.code: a for a in known}
    codes = form.cleaned_data["covered_areas"]
    found, missing = core_selectors.area_list_by_codes_editable_by(
        user=request.user, codes=[c for c in codes if c not in known]
    )
    found = {a.code: a for a in found}
    areas = [known.get(c) or found[c] for c in codes if c in known or c in found]
    if missing:
        form.add_error(
            "covered_areas",
            _("以下区域编码不存在或不在您可编辑的范围内：%(codes)s")
            % {"codes": "、".join(missing)},
        )
        return None
    return areas


def org_form_page(request, form, *, org, title, submit_label):
    return render(
        request,
        "party/org_form.html",
        {
            "org": org,
            "form": form,
            "title": title,
            "submit_label": submit_label,
            "cancel_url": org.get_absolute_url(),
            "area_choices": core_selectors.area_code_choices(user=request.user, near=org.area),
        },
    )


class PartyOrgChildCreateView(PartyView):
    """A new organization under ``pk``, based in an area the user may edit."""

    def get(self, request, pk):
        parent = editable_org(request, pk)
        form = PartyOrgForm(creating=True, initial={"area": parent.area.code})
        return self.page(request, parent, form)

    def post(self, request, pk):
        parent = editable_org(request, pk)
        form = PartyOrgForm(request.POST, creating=True)
        if form.is_valid():
            area = None
            try:
                area = core_selectors.area_editable_get_for(
                    user=request.user, code=form.cleaned_data["area"].strip()
                )
            except NotFound as e:
                form.add_error("area", e.message)
            covered = resolve_covered(request, form)
            if area is not None and covered is not None:
                data = form.cleaned_data
                try:
                    org = services.party_org_create(
                        by=request.user,
                        name=data["name"],
                        kind=data["kind"],
                        area=area,
                        parent=parent,
                        covered_areas=covered,
                        founded_on=data["founded_on"],
                    )
                except ValidationFailed as e:
                    form.apply_error(e)
                else:
                    messages.success(
                        request,
                        _("已在%(parent)s下新增%(name)s。")
                        % {"parent": parent.name, "name": org.name},
                    )
                    return redirect(org)
        return self.page(request, parent, form)

    def page(self, request, parent, form):
        return org_form_page(
            request,
            form,
            org=parent,
            title=_("在%(name)s下新增党组织") % {"name": parent.name},
            submit_label=_("新增"),
        )


class PartyOrgEditView(PartyView):
    def get(self, request, pk):
        org = editable_org(request, pk)
        form = PartyOrgForm(
            creating=False,
            initial={
                "name": org.name,
                "kind": org.kind,
                "covered_areas": "\n".join(a.code for a in org.covered_areas.all()),
            },
        )
        return self.page(request, org, form)

    def post(self, request, pk):
        org = editable_org(request, pk)
        form = PartyOrgForm(request.POST, creating=False)
        if form.is_valid():
            covered = resolve_covered(request, form, known=org.covered_areas.all())
            if covered is not None:
                data = form.cleaned_data
                try:
                    services.party_org_update(
                        by=request.user,
                        org=org,
                        name=data["name"],
                        kind=data["kind"],
                        covered_areas=covered,
                    )
                except ValidationFailed as e:
                    form.apply_error(e)
                else:
                    messages.success(request, _("已保存%(name)s的信息。") % {"name": data["name"]})
                    return redirect(org)
        return self.page(request, org, form)

    def page(self, request, org, form):
        return org_form_page(
            request,
            form,
            org=org,
            title=_("编辑党组织：%(name)s") % {"name": org.name},
            submit_label=_("保存"),
        )
