"""跨村联建 and consortia: their facts over member villages, and their pairings."""

from django.contrib import messages
from django.shortcuts import redirect, render

from jiceng.core.errors import ApplicationError, PermissionDenied

from .. import selectors, services
from ..forms import PairingEndForm, PairingForm
from ..permissions import can
from .base import RuralView, looked_at_year, require, run_service


def _year(request, user, villages) -> tuple[int, list[int]]:
    years = sorted(
        set(
            selectors.income_list_visible_to(user=user)
            .filter(area__in=[v.pk for v in villages])
            .order_by()
            .values_list("year", flat=True)
            .distinct()
        ),
        reverse=True,
    )
    return looked_at_year(request, years), years


class GroupListView(RuralView):
    def get(self, request):
        user = request.user
        groups = list(selectors.group_list_visible_to(user=user))
        years = selectors.ledger_years(user=user, under=None)
        year = looked_at_year(request, years)
        facts = selectors.groups_facts(user=user, groups=groups, year=year)
        return render(
            request,
            "rural/group_list.html",
            {
                "section": "groups",
                "rows": [(g, facts[g.pk]) for g in groups],
                "year": year,
                "years": years,
            },
        )


class GroupDetailView(RuralView):
    def get(self, request, pk):
        return self.render_page(request, pk)

    def render_page(self, request, pk, form=None, status=200):
        user = request.user
        group = selectors.group_get_for(user=user, pk=pk)
        villages, total = selectors.group_villages(user=user, group=group)
        year, years = _year(request, user, villages)
        facts = selectors.village_group_facts(user=user, villages=villages, total=total, year=year)
        can_pair = can(user, "manage_pairings", group)
        if form is None and can_pair:
            form = self._form(villages)
        return render(
            request,
            "rural/group_detail.html",
            {
                "section": "groups",
                "group": group,
                "facts": facts,
                "year": year,
                "years": years,
                "pairings": selectors.pairing_list_for(user=user, group=group),
                "form": form if can_pair else None,
                "end_form": PairingEndForm() if can_pair else None,
            },
            status=status,
        )

    @staticmethod
    def _form(villages, data=None):
        form = PairingForm(data)
        options = [(v.code, v.name) for v in villages]
        form.set_choices("leading", options)
        form.set_choices("paired", options)
        return form


class PairingCreateView(RuralView):
    http_method_names = ["post"]

    def post(self, request, pk):
        user = request.user
        group = selectors.group_get_for(user=user, pk=pk)
        require(user, "manage_pairings", group, "您无权为该联建组织安排结对。")
        villages, _ = selectors.group_villages(user=user, group=group)
        form = GroupDetailView._form(villages, request.POST)
        if form.is_valid():
            by_code = {v.code: v for v in villages}
            pairing = run_service(
                request,
                form,
                lambda d: services.pairing_create(
                    by=user,
                    group=group,
                    kind=d["kind"],
                    leading=by_code[d["leading"]],
                    paired=by_code[d["paired"]],
                    started_on=d["started_on"],
                    note=d["note"],
                ),
                success="已建立结对。",
            )
            if pairing is not None:
                return redirect("rural:group_detail", pk=group.pk)
        return GroupDetailView().render_page(request, pk, form=form, status=400)


class PairingEndView(RuralView):
    http_method_names = ["post"]

    def post(self, request, pk):
        user = request.user
        pairing = selectors.pairing_get_for(user=user, pk=pk)
        require(user, "manage_pairings", pairing.group, "您无权解除该结对。")
        form = PairingEndForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写有效的解除日期。")
        else:
            try:
                services.pairing_end(
                    by=user, pairing=pairing, ended_on=form.cleaned_data["ended_on"]
                )
            except PermissionDenied:
                raise
            except ApplicationError as e:
                messages.error(request, e.message)
            else:
                messages.success(request, "已解除结对。")
        return redirect("rural:group_detail", pk=pairing.group_id)
