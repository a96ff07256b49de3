"""Service alliances of first secretaries and the supporters of villages."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from jiceng.core.errors import ApplicationError, NotFound, PermissionDenied
from jiceng.core.models import AreaKind
from jiceng.core.roles import EDITOR_ROLES

from .. import selectors, services
from ..forms import AllianceForm, AllianceMemberForm, ContributionForm, SupporterForm
from ..models import SupporterKind
from ..permissions import ORGANIZER_ROLES, can
from .base import RuralView, area_options, paginate, pick_area, require, run_service

# ---- alliances ----------------------------------------------------------------------------


class AllianceListView(RuralView):
    def get(self, request):
        return self.render_page(request)

    def render_page(self, request, form=None, status=200):
        user = request.user
        if form is None and can(user, "create_alliance"):
            form = self._form(request)
        return render(
            request,
            "rural/alliance_list.html",
            {
                "section": "alliances",
                "alliances": selectors.alliance_list_visible_to(user=user),
                "form": form,
            },
            status=status,
        )

    def post(self, request):
        require(request.user, "create_alliance", message="您的角色无权成立服务联盟。")
        form = self._form(request, request.POST)
        if form.is_valid():
            area = pick_area(
                request.user, form.cleaned_data["area"], ORGANIZER_ROLES, ["district", "street"]
            )
            alliance = run_service(
                request,
                form,
                lambda d: services.alliance_create(
                    by=request.user,
                    area=area,
                    name=d["name"],
                    founded_on=d["founded_on"],
                    description=d["description"],
                ),
                success="已成立服务联盟。",
            )
            if alliance is not None:
                return redirect(alliance.get_absolute_url())
        return self.render_page(request, form, status=400)

    @staticmethod
    def _form(request, data=None):
        form = AllianceForm(data)
        form.set_choices(
            "area", area_options(request.user, ORGANIZER_ROLES, ["district", "street"])
        )
        return form


class AllianceDetailView(RuralView):
    def get(self, request, pk):
        return self.render_page(request, pk)

    def render_page(self, request, pk, form=None, status=200):
        user = request.user
        alliance = selectors.alliance_get_for(user=user, pk=pk)
        members = list(selectors.alliance_members_visible(user=user, alliance=alliance))
        can_manage = can(user, "manage_alliance", alliance.area)
        if form is None and can_manage:
            form = self._form(request, alliance, members)
        return render(
            request,
            "rural/alliance_detail.html",
            {
                "section": "alliances",
                "alliance": alliance,
                "members": members,
                "hidden": alliance.member_count - len(members),
                "form": form if can_manage else None,
                "today": timezone.localdate(),
            },
            status=status,
        )

    @staticmethod
    def _form(request, alliance, members, data=None):
        taken = {m.first_secretary_id for m in members}
        options = [
            (d.pk, f"{d.person.name}（{d.area.name}，{d.starts_on:%Y-%m-%d} 起）")
            for d in selectors.first_secretary_list_visible_to(
                user=request.user, under=alliance.area
            ).order_by("area__code", "-starts_on")
            if d.pk not in taken
        ]
        form = AllianceMemberForm(data)
        form.set_choices("first_secretary", options)
        return form


class AllianceMemberView(RuralView):
    """POST ``action=add`` with a dispatch to add, ``action=remove`` with one to remove."""

    http_method_names = ["post"]

    def post(self, request, pk):
        user = request.user
        alliance = selectors.alliance_get_for(user=user, pk=pk)
        require(user, "manage_alliance", alliance.area, "您无权调整该服务联盟的成员。")
        if request.POST.get("action") == "remove":
            try:
                dispatch = selectors.first_secretary_get_for(
                    user=user, pk=int(request.POST.get("first_secretary", "0") or 0)
                )
                services.alliance_member_remove(by=user, alliance=alliance, dispatch=dispatch)
            except (NotFound, ValueError):
                messages.error(request, "未找到该成员。")
            except PermissionDenied:
                raise
            except ApplicationError as e:
                messages.error(request, e.message)
            else:
                messages.success(request, f"已将 {dispatch.person.name} 移出联盟。")
            return redirect(alliance.get_absolute_url())
        members = list(selectors.alliance_members_visible(user=user, alliance=alliance))
        form = AllianceDetailView._form(request, alliance, members, request.POST)
        if form.is_valid():
            dispatch = selectors.first_secretary_get_for(
                user=user, pk=int(form.cleaned_data["first_secretary"])
            )
            member = run_service(
                request,
                form,
                lambda d: services.alliance_member_add(
                    by=user,
                    alliance=alliance,
                    dispatch=dispatch,
                    is_leader=d["is_leader"],
                    joined_on=d["joined_on"],
                ),
                success=f"已将 {dispatch.person.name} 加入联盟。",
            )
            if member is not None:
                return redirect(alliance.get_absolute_url())
        return AllianceDetailView().render_page(request, pk, form=form, status=400)


# ---- supporters ---------------------------------------------------------------------------


class SupporterListView(RuralView):
    def get(self, request):
        return self.render_page(request)

    def render_page(self, request, form=None, status=200):
        user = request.user
        page = paginate(request, selectors.supporter_list_visible_to(user=user))
        totals = selectors.supporter_totals(user=user, supporters=list(page.object_list))
        if form is None and can(user, "create_supporter"):
            form = self._form(request)
        return render(
            request,
            "rural/supporter_list.html",
            {
                "section": "supporters",
                "page": page,
                "rows": [(s, totals.get(s.pk, (0, 0))) for s in page.object_list],
                "form": form,
            },
            status=status,
        )

    def post(self, request):
        require(request.user, "create_supporter", message="您的角色无权登记帮扶力量。")
        form = self._form(request, request.POST)
        if form.is_valid():
            area = pick_area(
                request.user, form.cleaned_data["area"], ORGANIZER_ROLES, ["district", "street"]
            )
            supporter = run_service(
                request,
                form,
                lambda d: services.supporter_create(
                    by=request.user,
                    area=area,
                    name=d["name"],
                    kind=d["kind"],
                    contact_name=d["contact_name"],
                    note=d["note"],
                ),
                success="已登记帮扶力量。",
            )
            if supporter is not None:
                return redirect(supporter.get_absolute_url())
        return self.render_page(request, form, status=400)

    @staticmethod
    def _form(request, data=None):
        form = SupporterForm(data, initial={"kind": SupporterKind.ENTERPRISE})
        form.set_choices(
            "area", area_options(request.user, ORGANIZER_ROLES, ["district", "street"])
        )
        return form


class SupporterDetailView(RuralView):
    def get(self, request, pk):
        return self.render_page(request, pk)

    def post(self, request, pk):
        user = request.user
        supporter = selectors.supporter_get_for(user=user, pk=pk)
        form = self._form(request, request.POST)
        if form.is_valid():
            village = pick_area(user, form.cleaned_data["area"], EDITOR_ROLES, ["village"])
            done = run_service(
                request,
                form,
                lambda d: services.contribution_add(
                    by=user,
                    supporter=supporter,
                    area=village,
                    kind=d["kind"],
                    description=d["description"],
                    given_on=d["given_on"],
                    amount=d["amount"],
                ),
                success="已登记帮扶记录。",
            )
            if done is not None:
                return redirect(supporter.get_absolute_url())
        return self.render_page(request, pk, form=form, status=400)

    def render_page(self, request, pk, form=None, status=200):
        user = request.user
        supporter = selectors.supporter_get_for(user=user, pk=pk)
        options = area_options(user, EDITOR_ROLES, [AreaKind.VILLAGE])
        if form is None and options:
            form = self._form(request)
        return render(
            request,
            "rural/supporter_detail.html",
            {
                "section": "supporters",
                "supporter": supporter,
                "contributions": supporter.visible_contributions,
                "projects": selectors.project_list_visible_to(user=user).filter(
                    supporter=supporter
                ),
                "form": form if options else None,
            },
            status=status,
        )

    @staticmethod
    def _form(request, data=None):
        form = ContributionForm(data)
        form.set_choices("area", area_options(request.user, EDITOR_ROLES, [AreaKind.VILLAGE]))
        return form
