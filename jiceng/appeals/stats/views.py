"""The rankings page and the monthly briefing (printable page and XLSX)."""

from datetime import date

from django.shortcuts import render
from django.utils import timezone

from jiceng.core.errors import NotFound, ValidationFailed
from jiceng.core.excel import xlsx_file_response
from jiceng.core.models import Area, AreaKind
from jiceng.core.scope import scope_of
from jiceng.core.views.base import AppView, paginate

from ..permissions import AREA_ROLES
from ..selectors import root_area
from .config import rates_config
from .rankings import KINDS, briefing, briefing_xlsx, parse_kind, parse_month, previous_month
from .rankings import ranking as ranking_of
from .selectors import can_view_stats, last_day_with_appeals

RANKING_PAGE_SIZE = 50


def _default_month(user, area) -> date:
    """The last complete month with appeals in the user's part of ``area`` (else last
    month): a ranking of a month nobody has filed in yet says nothing."""
    this_month = timezone.localdate().replace(day=1)
    day = last_day_with_appeals(user=user, area=area, before=this_month)
    return day.replace(day=1) if day else previous_month(this_month)


def _default_kind(user) -> str:
    """The level a user compares: streets for the district, communities for a street."""
    scope = scope_of(user)
    codes = scope.area_codes(AREA_ROLES)
    if scope.is_superuser or any(len(c) <= 6 for c in codes):
        return AreaKind.STREET
    if any(len(c) <= 9 for c in codes):
        return AreaKind.COMMUNITY
    return AreaKind.GRID


def _next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


class StatsView(AppView):
    denied_message = "只有区、街道、社区工作人员和管家可以查看三率排名。"

    def allowed(self, user) -> bool:
        return can_view_stats(user)

    def area(self):
        """The widest area the user sees whole: their street or community when the scope
        is one subtree, else the district (the selectors keep to the scope either way)."""
        scope = scope_of(self.request.user)
        codes = scope.area_codes(AREA_ROLES)
        if not scope.is_superuser and len(codes) == 1:
            own = Area.objects.filter(code=codes[0]).first()
            if own is not None:
                return own
        area = root_area()
        if area is None:
            raise NotFound("尚未建立区域。")
        return area


class RankingsView(StatsView):
    def get(self, request):
        area = self.area()
        default = _default_month(request.user, area)
        error = ""
        try:
            month = parse_month(request.GET.get("month"), default=default)
            kind = parse_kind(request.GET.get("kind"), default=_default_kind(request.user))
        except ValidationFailed as e:
            error, month, kind = e.message, default, _default_kind(request.user)
        rows = ranking_of(user=request.user, area=area, month=month, kind=kind)
        return render(
            request,
            "appeals/stats/rankings.html",
            {
                # A district has about a thousand grids: one page of them at a time.
                "page": paginate(request, rows, per_page=RANKING_PAGE_SIZE),
                "month": month,
                "kind": kind,
                "kinds": KINDS,
                "kind_label": KINDS[kind],
                "previous": previous_month(month),
                "next": _next_month(month),
                "config": rates_config(),
                "error": error,
            },
            status=400 if error else 200,
        )


class BriefingView(StatsView):
    def _briefing(self, request):
        area = self.area()
        text = request.GET.get("month")
        month = parse_month(text, default=None) if text else _default_month(request.user, area)
        return briefing(user=request.user, area=area, month=month)

    def get(self, request):
        try:
            b = self._briefing(request)
        except ValidationFailed as e:
            return render(request, "400.html", {"message": e.message}, status=400)
        config = rates_config()
        return render(
            request,
            "appeals/stats/briefing.html",
            {"b": b, "config": config, "n_text": f"{config.briefing_top_n}名"},
        )


class BriefingXlsxView(StatsView):
    def get(self, request, month: str):
        try:
            b = briefing(
                user=request.user, area=self.area(), month=parse_month(month, default=None)
            )
        except ValidationFailed as e:
            return render(request, "400.html", {"message": e.message}, status=400)
        return xlsx_file_response(
            filename=f"接诉即办三率通报-{b.month:%Y年%m月}.xlsx", content=briefing_xlsx(b)
        )
