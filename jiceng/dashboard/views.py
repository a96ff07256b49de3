"""The cockpit's pages: the scoped dashboard, the big screen, and the JSON they draw from.

The pages carry no figures: their script fetches ``dashboard:data`` (every visible panel's
data for the area and period) and draws it with ECharts; the screen fetches it again
every minute.
"""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from jiceng.appeals.stats.selectors import last_day_with_appeals
from jiceng.core.context_processors import CURRENT_AREA_SESSION_KEY
from jiceng.core.errors import ValidationFailed
from jiceng.core.views.base import AppView

from . import selectors
from .panels import panels_for
from .periods import month_period, parse_period, period_choices, period_title
from .permissions import can

SCREEN_REFRESH_SECONDS = 60


class DashboardBaseView(AppView):
    denied_message = "审计管理员和安全管理员不能查看业务数据。"

    def allowed(self, user) -> bool:
        return can(user, "view")

    def area_and_period(self, request):
        """(area, period, latest day, error message): a bad period falls back to the
        default one and says why; an area outside the scope is a NotFound (404)."""
        user = request.user
        area = selectors.dashboard_area_for(
            user=user,
            code=request.GET.get("area"),
            current=request.session.get(CURRENT_AREA_SESSION_KEY),
        )
        if area is None:
            return None, None, None, ""
        today = timezone.localdate()
        latest = selectors.latest_appeal_day(user=user, area=area) or today
        # By default the last complete month with figures (as the rankings do): a month
        # still running shows rates of a few days; the picker still offers it.
        full = last_day_with_appeals(user=user, area=area, before=today.replace(day=1))
        default = full or latest
        error = ""
        period = month_period(default.year, default.month)
        if text := request.GET.get("period"):
            try:
                period = parse_period(text)
            except ValidationFailed as e:
                error = e.message
        return area, period, latest, error

    def page_context(self, request, *, screen: bool) -> dict:
        user = request.user
        area, period, latest, error = self.area_and_period(request)
        context = {"area": area, "period_error": error, "screen": screen}
        if area is None:
            return context
        choices = period_choices(latest)
        if not any(period.label == value for _, group in choices for value, _ in group):
            choices.insert(0, ("当前", [(period.label, period_title(period))]))
        query = urlencode(
            {"area": area.code, "period": period.label, **({"screen": 1} if screen else {})}
        )
        return context | {
            "period": period,
            "period_title": period_title(period),
            "period_choices": choices,
            "panels": panels_for(user, screen=screen),
            "data_url": f"{reverse('dashboard:data')}?{query}",
        }


class DashboardView(DashboardBaseView):
    def get(self, request):
        context = self.page_context(request, screen=False)
        if context["area"] is not None:
            context["area_choices"] = selectors.dashboard_area_choices(user=request.user)
            context["can_screen"] = can(request.user, "view_screen")
        return render(request, "dashboard/home.html", context)


class ScreenView(DashboardBaseView):
    denied_message = "大屏仅向区级管理员和街道工作人员开放。"

    def allowed(self, user) -> bool:
        return can(user, "view_screen")

    def get(self, request):
        context = self.page_context(request, screen=True)
        context["refresh_seconds"] = SCREEN_REFRESH_SECONDS
        return render(request, "dashboard/screen.html", context)


class PanelDataView(DashboardBaseView):
    """Every visible panel's data (or one, ``?panel=key``) as JSON."""

    def get(self, request):
        user = request.user
        area, period, _, error = self.area_and_period(request)
        if error:
            return JsonResponse({"error": error}, status=400)
        if area is None:
            return JsonResponse({"error": "您的账号没有分配管辖区域。"}, status=404)
        screen = request.GET.get("screen") == "1" and can(user, "view_screen")
        panels = panels_for(user, screen=screen)
        if key := request.GET.get("panel"):
            panels = [p for p in panels if p.key == key]
            if not panels:
                return JsonResponse({"error": "没有这个面板，或您的角色看不到它。"}, status=404)
        data = [
            {
                "key": p.key,
                "title": p.title,
                "data": p.build(user=user, area=area, period=period),
            }
            for p in panels
        ]
        return JsonResponse(
            {
                "area": {"code": area.code, "name": area.name},
                "period": {"label": period.label, "title": period_title(period)},
                "updated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
                "panels": data,
            },
            json_dumps_params={"ensure_ascii": False},
        )


class GridGeoView(DashboardBaseView):
    """The grid polygons under the area, for ``echarts.registerMap`` (cached per area)."""

    def get(self, request):
        user = request.user
        area = selectors.dashboard_area_for(
            user=user,
            code=request.GET.get("area"),
            current=request.session.get(CURRENT_AREA_SESSION_KEY),
        )
        if area is None:
            return JsonResponse({"type": "FeatureCollection", "features": []})
        response = JsonResponse(
            selectors.grid_geojson(user=user, area=area),
            json_dumps_params={"ensure_ascii": False},
        )
        response["Cache-Control"] = "private, max-age=3600"
        return response
