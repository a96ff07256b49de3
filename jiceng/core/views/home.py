"""The home page of each role: its work first (the blocks the apps register in
``jiceng.core.workbench``), then the figures of its themes for the chosen period."""

from datetime import date

from django.shortcuts import render
from django.utils import timezone

from .. import access, indicator_registry, selectors, workbench
from ..context_processors import CURRENT_AREA_SESSION_KEY
from ..errors import ValidationFailed
from ..indicator_registry import Period
from ..permissions import can
from .areas import shows_below
from .base import AppView, BusinessView, error_response


def _month_before(day: date) -> date:
    return date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1)


def default_period(today: date | None = None, *, themes=None) -> Period:
    """The last complete month: a month still running shows a few days' figures. Figures
    of yearly ledgers alone (a first secretary's 乡村振兴) open on all time, which the ledger
    reads as its latest year with data (the cards say "最新年度")."""
    today = today or timezone.localdate()
    if themes == ["乡村振兴"]:
        return Period.parse(None)
    return Period.parse(f"{_month_before(today):%Y-%m}")


def period_choices(today: date | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The picker's groups: the last twelve months, four quarters, three years, all time."""
    today = today or timezone.localdate()
    months, day = [], today.replace(day=1)
    for _ in range(12):
        months.append(Period.parse(f"{day:%Y-%m}"))
        day = _month_before(day)
    quarter = (today.month - 1) // 3 + 1
    quarters, year = [], today.year
    for _ in range(4):
        quarters.append(Period.parse(f"{year}-Q{quarter}"))
        quarter, year = (quarter - 1, year) if quarter > 1 else (4, year - 1)
    years = [Period.parse(str(today.year - n)) for n in range(3)]
    return [
        ("月", [(p.label, p.title) for p in months]),
        ("季度", [(p.label, p.title) for p in quarters]),
        ("年", [(p.label, p.title) for p in years]),
        ("累计", [("all", "累计（全部时间）")]),
    ]


def parse_home_period(text: str | None, *, themes=None) -> Period:
    if not text:
        return default_period(themes=themes)
    if text == "all":
        return Period.parse(None)
    return Period.parse(text)


def themed_figures(*, user, area, period: Period) -> list[dict]:
    """The figures of the user's themes that apply to ``area``, grouped by theme."""
    themes = workbench.themes_for(user)
    chosen = [
        i for i in indicator_registry.applicable(area, themes=themes) if shows_below(i.key, area)
    ]
    figures = indicator_registry.compute(
        area=area, period=period, user=user, keys=[i.key for i in chosen]
    )
    groups = []
    for theme in themes:
        items = {k: f for k, f in figures.items() if f["theme"] == theme}
        if items:
            groups.append({"theme": theme, "figures": items})
    return groups


class HomeView(AppView):
    def get(self, request):
        user = request.user
        context = {
            "business": can(user, "view_business"),
            "auditor": can(user, "view_audit"),
            "security": can(user, "manage_accounts"),
            # A judge, a rider or a shared steward: modules of its own rows only.
            "own_work": any(can(user, "read", m) for m in access.MODULE_KEYS),
        }
        if context["business"]:
            area = selectors.area_current_for(
                user=user, code=request.session.get(CURRENT_AREA_SESSION_KEY)
            )
            context["area"] = area
            if area is not None:
                context["blocks"] = workbench.blocks_for(user=user, area=area)
                context["themes"] = workbench.themes_for(user)
                themes = context["themes"]
                try:
                    period = parse_home_period(request.GET.get("period"), themes=themes)
                except ValidationFailed as e:
                    context["period_error"] = e.message
                    period = default_period(themes=themes)
                context["period"] = period
                context["period_value"] = "all" if period.is_all_time else period.label
                context["period_choices"] = period_choices()
                context["breadcrumbs"] = selectors.area_breadcrumbs(user=user, area=area)
                if context["themes"]:
                    context["shortcuts"] = list(
                        selectors.area_children_visible_to(user=user, area=area)[:24]
                    )
            context["my_posts"] = list(selectors.post_list_of_user(user=user))
        elif context["own_work"]:
            # A judge, a rider or a shared steward reads no area: only its own work's blocks.
            context["blocks"] = workbench.blocks_for(user=user, area=None)
        if context["auditor"]:
            context["recent_audit"] = list(selectors.audit_list_visible_to(user=user)[:10])
        if context["security"]:
            context["accounts"] = selectors.account_summary(user=user)
        return render(request, "core/home.html", context)


class HomeFiguresView(BusinessView):
    """The home's figures for the current area and the chosen period, as a fragment the
    page loads after itself (a district's figures count many rows)."""

    def get(self, request):
        user = request.user
        area = selectors.area_current_for(
            user=user, code=request.session.get(CURRENT_AREA_SESSION_KEY)
        )
        try:
            period = parse_home_period(request.GET.get("period"), themes=workbench.themes_for(user))
        except ValidationFailed as e:
            return error_response(request, 400, e.message)
        groups = themed_figures(user=user, area=area, period=period) if area else []
        return render(
            request,
            "core/_home_figures.html",
            {"area": area, "period": period, "groups": groups},
        )
