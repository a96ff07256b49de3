"""Villages: the list, a village's profile with its ledger, and the ledger's Excel files."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from jiceng.core.errors import ApplicationError, PermissionDenied
from jiceng.core.roles import EDITOR_ROLES

from .. import excel, selectors, services
from ..forms import IncomeForm, LedgerImportForm, VillageProfileForm
from ..models import IncomeModel
from ..permissions import can
from .base import RuralView, looked_at_area, looked_at_year, paginate, require, run_service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class VillageListView(RuralView):
    def get(self, request):
        user = request.user
        area = looked_at_area(request)
        if area is None:
            raise PermissionDenied("您的账号没有乡村振兴数据的管辖范围。")
        years = selectors.ledger_years(user=user, under=area)
        year = looked_at_year(request, years)
        page = paginate(
            request,
            selectors.village_list_visible_to(user=user, under=area).select_related(
                "parent", "village_profile"
            ),
        )
        villages = list(page.object_list)
        ids = [v.pk for v in villages]
        teams = selectors.village_teams(user=user, on=timezone.localdate(), area_ids=ids)
        matrix = selectors.village_income_matrix(
            user=user, under=area, years=[year - 1, year], area_ids=ids
        )
        rows = []
        for v in villages:
            incomes = matrix.get(v.pk, {})
            rows.append(
                {
                    "area": v,
                    "profile": selectors.profile_of(v),
                    "team": teams.get(v.pk),
                    "income": incomes.get(year),
                    "previous": incomes.get(year - 1),
                }
            )
        return render(
            request,
            "rural/village_list.html",
            {
                "section": "villages",
                "area": area,
                "area_query": f"?area={area.code}",
                "years": years,
                "year": year,
                "page": page,
                "rows": rows,
                "area_options": selectors.area_choices(user=user),
                "can_import": can(user, "import_ledger"),
            },
        )


class VillageDetailView(RuralView):
    def get(self, request, code):
        return self.render_page(request, code)

    def render_page(self, request, code, income_form=None, status=200):
        user = request.user
        area = selectors.village_get_for(user=user, code=code)
        today = timezone.localdate()
        team = selectors.village_teams(user=user, on=today, area_ids=[area.pk]).get(area.pk)
        incomes = list(selectors.income_rows_of_village(user=user, area=area))
        years = sorted({r.year for r in incomes}, reverse=True)
        by_year = {y: [r for r in incomes if r.year == y] for y in years}
        totals = {y: sum(r.amount for r in rows) for y, rows in by_year.items()}
        ledger = [
            {
                "year": y,
                "rows": by_year[y],
                "total": totals[y],
                "change": totals[y] - totals[y - 1] if y - 1 in totals else None,
            }
            for y in years
        ]
        projects = selectors.projects_with_progress(
            selectors.project_list_visible_to(user=user, under=area)
        )
        can_edit = can(user, "edit_village", area)
        if income_form is None and can_edit:
            income_form = IncomeForm(initial={"year": today.year - 1})
        return render(
            request,
            "rural/village_detail.html",
            {
                "section": "villages",
                "area": area,
                "area_query": f"?area={area.parent.code}" if area.parent_id else "",
                "profile": selectors.profile_of(area),
                "team": team,
                "ledger": ledger,
                "models": IncomeModel.choices,
                "dispatches": selectors.first_secretary_list_visible_to(user=user, under=area),
                "projects": projects,
                "contributions": selectors.contribution_list_visible_to(user=user, under=area),
                "groups": selectors.group_list_visible_to(user=user).filter(covered_areas=area),
                "can_edit": can_edit,
                "can_add_project": can(user, "edit_project", area),
                "income_form": income_form,
            },
            status=status,
        )


class VillageEditView(RuralView):
    def dispatch_area(self, request, code):
        area = selectors.village_get_for(user=request.user, code=code)
        require(request.user, "edit_village", area, "您无权修改该村的档案。")
        return area

    def get(self, request, code):
        area = self.dispatch_area(request, code)
        profile = selectors.profile_of(area)
        initial = {"households": area.households}
        if profile is not None:
            initial.update(
                {
                    f: getattr(profile, f)
                    for f in (
                        "population",
                        "land_area_mu",
                        "arable_land_mu",
                        "demonstration_level",
                        "demonstration_year",
                        "note",
                    )
                }
            )
        return self._render(request, area, VillageProfileForm(initial=initial))

    def post(self, request, code):
        area = self.dispatch_area(request, code)
        form = VillageProfileForm(request.POST)
        if form.is_valid():
            done = run_service(
                request,
                form,
                lambda d: services.village_profile_save(
                    by=request.user,
                    area=area,
                    population=d["population"],
                    land_area_mu=d["land_area_mu"],
                    arable_land_mu=d["arable_land_mu"],
                    demonstration_level=d["demonstration_level"],
                    demonstration_year=d["demonstration_year"],
                    note=d["note"],
                    households=d["households"],
                ),
                success=f"已保存 {area.name} 的村庄档案。",
            )
            if done is not None:
                return redirect("rural:village_detail", code=area.code)
        return self._render(request, area, form, status=400)

    def _render(self, request, area, form, status=200):
        return render(
            request,
            "rural/village_edit.html",
            {"section": "villages", "area": area, "form": form},
            status=status,
        )


def _income_call(request, area=None, income=None):
    def call(d):
        fields = {
            "year": d["year"],
            "source": d["source"],
            "model": d["model"],
            "amount": d["amount"],
            "note": d["note"],
        }
        if income is None:
            return services.income_create(by=request.user, area=area, **fields)
        return services.income_update(by=request.user, income=income, **fields)

    return call


class IncomeCreateView(RuralView):
    http_method_names = ["post"]

    def post(self, request, code):
        area = selectors.village_get_for(user=request.user, code=code)
        require(request.user, "edit_village", area, "您无权登记该村的集体经济收入。")
        form = IncomeForm(request.POST)
        if form.is_valid():
            row = run_service(
                request, form, _income_call(request, area=area), success="已登记一条收入记录。"
            )
            if row is not None:
                return redirect("rural:village_detail", code=area.code)
        return VillageDetailView().render_page(request, code, income_form=form, status=400)


class IncomeEditView(RuralView):
    def get(self, request, pk):
        income = self._income(request, pk)
        form = IncomeForm(
            initial={
                "year": income.year,
                "source": income.source,
                "model": income.model,
                "amount": income.amount,
                "note": income.note,
            }
        )
        return self._render(request, income, form)

    def post(self, request, pk):
        income = self._income(request, pk)
        form = IncomeForm(request.POST)
        if form.is_valid():
            row = run_service(
                request, form, _income_call(request, income=income), success="已修改收入记录。"
            )
            if row is not None:
                return redirect("rural:village_detail", code=income.area.code)
        return self._render(request, income, form, status=400)

    @staticmethod
    def _income(request, pk):
        income = selectors.income_get_for(user=request.user, pk=pk)
        require(request.user, "edit_village", income.area, "您无权修改该村的集体经济收入。")
        return income

    @staticmethod
    def _render(request, income, form, status=200):
        return render(
            request,
            "rural/income_edit.html",
            {"section": "villages", "income": income, "area": income.area, "form": form},
            status=status,
        )


class IncomeDeleteView(RuralView):
    http_method_names = ["post"]

    def post(self, request, pk):
        income = selectors.income_get_for(user=request.user, pk=pk)
        try:
            services.income_delete(by=request.user, income=income)
        except PermissionDenied:
            raise
        except ApplicationError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, f"已删除 {income.year} 年“{income.source}”的记录。")
        return redirect("rural:village_detail", code=income.area.code)


class LedgerImportView(RuralView):
    def allowed(self, user) -> bool:
        return can(user, "import_ledger")

    denied_message = "您的角色无权导入集体经济收入台账。"

    def get(self, request):
        return self._render(request, LedgerImportForm())

    def post(self, request):
        form = LedgerImportForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            try:
                result = services.import_ledger_upload(
                    by=request.user,
                    upload=form.cleaned_data["file"],
                    dry_run=form.cleaned_data["dry_run"],
                )
            except PermissionDenied:
                raise
            except ApplicationError as e:
                form.apply_error(e)
        status = 200 if result is not None and result.ok else 400
        if result is not None and result.ok:
            verb = "校验通过，可以导入" if form.cleaned_data["dry_run"] else "导入完成"
            messages.success(
                request,
                f"{verb}：新增 {result.created} 条，更新 {result.updated} 条，"
                f"未变 {result.unchanged} 条。",
            )
        return self._render(request, form, result, status=status)

    @staticmethod
    def _render(request, form, result=None, status=200):
        return render(
            request,
            "rural/ledger_import.html",
            {
                "section": "villages",
                "form": form,
                "result": result,
                "area": looked_at_area(request),
            },
            status=status,
        )


class LedgerTemplateView(RuralView):
    """The import template, with the villages under the area that the user may fill in."""

    denied_message = "您的角色无权导入集体经济收入台账。"

    def allowed(self, user) -> bool:
        return can(user, "import_ledger")

    def get(self, request, code):
        area = selectors.area_get_visible(user=request.user, code=code)
        villages = (
            selectors.area_choices(user=request.user, roles=EDITOR_ROLES, kinds=("village",))
            .filter(code__startswith=area.code)
            .select_related("parent")
        )
        return _xlsx(excel.template_workbook(villages), "村集体经济收入台账导入模板.xlsx")


class LedgerExportView(RuralView):
    """The ledger lines under the area (one year with ``?year=``), as the import's layout."""

    def get(self, request, code):
        user = request.user
        area = selectors.area_get_visible(user=user, code=code)
        rows = selectors.income_list_visible_to(user=user, under=area).select_related("area")
        text = request.GET.get("year", "")
        year = int(text) if text.isdigit() else None
        if year is not None:
            rows = rows.filter(year=year)
        rows = rows.order_by("area__code", "-year", "source")
        data = services.ledger_export(by=user, area=area, rows=rows, year=year)
        suffix = f"{year}年" if year else "全部年度"
        return _xlsx(data, f"{area.name}村集体经济收入台账（{suffix}）.xlsx")
