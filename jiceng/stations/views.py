"""The stations pages: staff lists and forms for warm stations and riders, the monthly
leaderboard, the rider's own page, and the public station finder with its check-in.
Thin: parse, ask, call one service or selector, render."""

import re
from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from jiceng.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from jiceng.core.masking import mask_phone
from jiceng.core.net import client_ip
from jiceng.core.ratelimit import RateLimited, check_request, too_many
from jiceng.core.views.base import AppView, error_response, form_error, paginate, safe_next

from . import selectors, services
from .forms import (
    AppointForm,
    EndAppointmentForm,
    RecognitionForm,
    RiderForm,
    StationForm,
    rider_filters,
    station_filters,
)
from .models import Amenity, Platform
from .permissions import can

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _parse_month(text: str | None) -> date:
    m = MONTH_RE.match(text or "")
    if m and 1 <= int(m[2]) <= 12 and 2000 <= int(m[1]) <= 2100:
        return date(int(m[1]), int(m[2]), 1)
    return timezone.localdate().replace(day=1)


class StaffView(AppView):
    denied_message = "您的角色不能查看暖心驿站与骑士信息。"

    def allowed(self, user) -> bool:
        return can(user, "view")


class EditorView(StaffView):
    denied_message = "只有区、街道、社区工作人员可以登记和修改。"

    def allowed(self, user) -> bool:
        return can(user, "edit_some")


# ---- stations ----------------------------------------------------------------------------


class StationListView(StaffView):
    def get(self, request):
        filters = station_filters(request.GET)
        page = paginate(request, selectors.station_list_visible_to(user=request.user, **filters))
        return render(
            request,
            "stations/station_list.html",
            {
                "page": page,
                "filters": filters,
                "streets": selectors.street_choices_for_stations(user=request.user),
                "now": timezone.now(),
                "can_edit": can(request.user, "edit_some"),
                "tab": "stations",
            },
        )


class StationDetailView(StaffView):
    def get(self, request, pk):
        station = selectors.station_get_for(user=request.user, pk=pk)
        days = selectors.station_checkin_days(station=station)
        return render(
            request,
            "stations/station_detail.html",
            {
                "station": station,
                "days": days,
                "total_anonymous": sum(d[1] for d in days),
                "total_riders": sum(d[2] for d in days),
                "open_now": station.is_open_at(timezone.now()),
                "can_edit": can(request.user, "edit_station", station),
                "masked_phone": mask_phone(station.phone),
                "tab": "stations",
            },
        )


class StationFormMixin:
    def _form(self, request, data=None, initial=None):
        areas = selectors.place_choices(user=request.user)
        return StationForm(data, areas=areas, initial=initial)

    def _data(self, form) -> services.StationData:
        d = form.cleaned_data
        return services.StationData(
            name=d["name"],
            address=d["address"],
            lng=d["lng"],
            lat=d["lat"],
            hours=form.hours(),
            amenities=d["amenities"],
            host_name=d["host_name"],
            public_phone=d["public_phone"],
            contact_name=d["contact_name"],
            phone=d["phone"],
            note=d["note"],
            active=d["active"],
        )

    def _page(self, request, form, station=None, status=200):
        return render(
            request,
            "stations/station_form.html",
            {"form": form, "station": station, "tab": "stations"},
            status=status,
        )


class StationCreateView(StationFormMixin, EditorView):
    def get(self, request):
        return self._page(request, self._form(request, initial={"active": True}))

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                station = services.station_create(
                    by=request.user,
                    area=selectors.area_by_code(code=form.cleaned_data["area"]),
                    data=self._data(form),
                )
            except ApplicationError as e:
                form_error(form, e)
            else:
                messages.success(request, f"已登记驿站“{station.name}”。")
                return redirect(reverse("stations:station_detail", kwargs={"pk": station.pk}))
        return self._page(request, form, status=400)


class StationUpdateView(StationFormMixin, StaffView):
    def _station(self, request, pk):
        station = selectors.station_get_for(user=request.user, pk=pk)
        if not can(request.user, "edit_station", station):
            raise PermissionDenied("您不能修改该驿站。")
        return station

    def get(self, request, pk):
        station = self._station(request, pk)
        initial = {
            "name": station.name,
            "area": station.area.code,
            "address": station.address,
            "lng": station.lng,
            "lat": station.lat,
            "host_name": station.host_name,
            "public_phone": station.public_phone,
            "contact_name": station.contact_name,
            "phone": station.phone,
            "amenities": station.amenities,
            "note": station.note,
            "active": station.active,
            **{f"hours_{i}": h for i, h in enumerate((station.hours or [])[:7])},
        }
        return self._page(request, self._form(request, initial=initial), station)

    def post(self, request, pk):
        station = self._station(request, pk)
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                services.station_update(
                    by=request.user,
                    station=station,
                    area=selectors.area_by_code(code=form.cleaned_data["area"]),
                    data=self._data(form),
                )
            except ApplicationError as e:
                form_error(form, e)
            else:
                messages.success(request, "已保存。")
                return redirect(reverse("stations:station_detail", kwargs={"pk": station.pk}))
        return self._page(request, form, station, status=400)


# ---- riders ------------------------------------------------------------------------------


class RiderListView(StaffView):
    def get(self, request):
        filters = rider_filters(request.GET)
        page = paginate(request, selectors.rider_list_visible_to(user=request.user, **filters))
        return render(
            request,
            "stations/rider_list.html",
            {
                "page": page,
                "filters": filters,
                "platforms": Platform.choices,
                "can_edit": can(request.user, "edit_some"),
                "tab": "riders",
            },
        )


def _rider_context(request, rider, *, viewer_is_rider=False) -> dict:
    user = request.user
    grids = selectors.grid_choices(user=user) if not viewer_is_rider else []
    return {
        "rider": rider,
        "masked_phone": mask_phone(rider.phone),
        "appointments": selectors.rider_appointments(rider=rider),
        "points": selectors.rider_points(rider=rider)[:50],
        "points_total": selectors.rider_points_total(rider=rider),
        "recognitions": selectors.rider_recognitions(rider=rider),
        "reports": selectors.rider_reports(viewer=user, rider=rider)[:20],
        "can_edit": not viewer_is_rider and can(user, "edit_rider", rider),
        "can_recognize": not viewer_is_rider and can(user, "recognize", rider),
        "can_appoint": not viewer_is_rider and bool(grids),
        "appoint_form": AppointForm(grids=grids, initial={"starts_on": timezone.localdate()})
        if grids
        else None,
        "recognition_form": RecognitionForm(
            initial={"month": f"{timezone.localdate():%Y-%m}", "title": "月度之星"}
        ),
        "end_form": EndAppointmentForm(initial={"ends_on": timezone.localdate()}),
        "viewer_is_rider": viewer_is_rider,
        "tab": "riders",
    }


class RiderDetailView(StaffView):
    def get(self, request, pk):
        rider = selectors.rider_get_for(user=request.user, pk=pk)
        return render(request, "stations/rider_detail.html", _rider_context(request, rider))


class RiderFormMixin:
    def _form(self, request, data=None, initial=None, editing=False):
        return RiderForm(
            data, areas=selectors.place_choices(user=request.user), initial=initial, editing=editing
        )

    def _page(self, request, form, rider=None, status=200):
        return render(
            request,
            "stations/rider_form.html",
            {"form": form, "rider": rider, "tab": "riders"},
            status=status,
        )


class RiderCreateView(RiderFormMixin, EditorView):
    def get(self, request):
        return self._page(request, self._form(request))

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                rider = services.rider_register(
                    by=request.user,
                    area=selectors.area_by_code(code=d["area"]),
                    name=d["name"],
                    phone=d["phone"],
                    platform=d["platform"],
                    username=d["username"],
                )
            except ApplicationError as e:
                form_error(form, e)
            else:
                messages.success(request, f"已登记骑士{rider.name}。")
                return redirect(reverse("stations:rider_detail", kwargs={"pk": rider.pk}))
        return self._page(request, form, status=400)


class RiderUpdateView(RiderFormMixin, StaffView):
    def _rider(self, request, pk):
        rider = selectors.rider_get_for(user=request.user, pk=pk)
        if not can(request.user, "edit_rider", rider):
            raise PermissionDenied("您不能修改该骑士的信息。")
        return rider

    def get(self, request, pk):
        rider = self._rider(request, pk)
        initial = {
            "name": rider.name,
            "platform": rider.platform,
            "area": rider.area.code,
            "username": rider.user.username if rider.user_id else "",
            "active": rider.active,
        }
        return self._page(request, self._form(request, initial=initial, editing=True), rider)

    def post(self, request, pk):
        rider = self._rider(request, pk)
        form = self._form(request, request.POST, editing=True)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.rider_update(
                    by=request.user,
                    rider=rider,
                    area=selectors.area_by_code(code=d["area"]),
                    name=d["name"],
                    phone=d["phone"],
                    platform=d["platform"],
                    active=d["active"],
                    username=d["username"],
                )
            except ApplicationError as e:
                form_error(form, e)
            else:
                messages.success(request, "已保存。")
                return redirect(reverse("stations:rider_detail", kwargs={"pk": rider.pk}))
        return self._page(request, form, rider, status=400)


class RiderActionView(StaffView):
    """POST one action from the rider page; the outcome is a message on that page."""

    def _back(self, rider):
        return redirect(reverse("stations:rider_detail", kwargs={"pk": rider.pk}))

    def _fail(self, request, rider, form=None, error: ApplicationError | None = None):
        text = (
            error.message if error else "；".join(e for errs in form.errors.values() for e in errs)
        )
        messages.error(request, text)
        return self._back(rider)


class RiderAppointView(RiderActionView):
    def post(self, request, pk):
        rider = selectors.rider_get_for(user=request.user, pk=pk)
        grids = selectors.grid_choices(user=request.user)
        form = AppointForm(request.POST, grids=grids)
        if not form.is_valid():
            return self._fail(request, rider, form)
        try:
            services.rider_appoint(
                by=request.user,
                rider=rider,
                grid=selectors.grid_by_code(code=form.cleaned_data["grid"]),
                starts_on=form.cleaned_data["starts_on"],
            )
        except ApplicationError as e:
            return self._fail(request, rider, error=e)
        messages.success(request, "已聘任为兼职网格员。")
        return self._back(rider)


class AppointmentEndView(RiderActionView):
    def post(self, request, pk):
        appointment = selectors.appointment_get_for(user=request.user, pk=pk)
        form = EndAppointmentForm(request.POST)
        if not form.is_valid():
            return self._fail(request, appointment.rider, form)
        try:
            services.appointment_end(
                by=request.user, appointment=appointment, ends_on=form.cleaned_data["ends_on"]
            )
        except ApplicationError as e:
            return self._fail(request, appointment.rider, error=e)
        messages.success(request, "已解聘。")
        return self._back(appointment.rider)


class RecognitionAwardView(RiderActionView):
    def post(self, request, pk):
        rider = selectors.rider_get_for(user=request.user, pk=pk)
        form = RecognitionForm(request.POST)
        if not form.is_valid():
            return self._fail(request, rider, form)
        d = form.cleaned_data
        if not MONTH_RE.match(d["month"]):
            return self._fail(request, rider, error=ValidationFailed("月份格式不对。"))
        try:
            services.recognition_award(
                by=request.user,
                rider=rider,
                month=_parse_month(d["month"]),
                title=d["title"],
                citation=d["citation"],
            )
        except ApplicationError as e:
            return self._fail(request, rider, error=e)
        messages.success(request, "已表彰。")
        return self._back(rider)


class LeaderboardView(StaffView):
    def get(self, request):
        month = _parse_month(request.GET.get("month"))
        rows = selectors.leaderboard(user=request.user, month=month)
        return render(
            request,
            "stations/leaderboard.html",
            {
                "rows": rows,
                "month": month,
                "month_value": f"{month:%Y-%m}",
                "stars": selectors.stars_of_month(user=request.user, month=month),
                "tab": "leaderboard",
            },
        )


class RiderSelfView(AppView):
    denied_message = "只有骑士网格员有“我的积分”页面。"

    def allowed(self, user) -> bool:
        return can(user, "rider_self")

    def get(self, request):
        rider = selectors.rider_of_user(user=request.user)
        if rider is None:
            return render(request, "stations/rider_self.html", {"rider": None})
        context = _rider_context(request, rider, viewer_is_rider=True)
        return render(request, "stations/rider_self.html", context)


# ---- the public finder (no login) --------------------------------------------------------


def _coordinate(text, low, high) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None


class StationFinderView(View):
    """Nearest open stations by the phone's location (?lat=&lng=), else by street."""

    def get(self, request):
        try:
            check_request(request, "stations.finder")
        except RateLimited as e:
            return too_many(request, e, "stations/finder.html", {"streets": []})
        lat = _coordinate(request.GET.get("lat"), -90, 90)
        lng = _coordinate(request.GET.get("lng"), -180, 180)
        street = selectors.public_street(code=request.GET.get("street", ""))
        error = ""
        rows = []
        if lat is not None and lng is not None:
            rows = selectors.public_stations_near(lat=lat, lng=lng)
        elif street is not None:
            rows = selectors.public_stations_in(street=street)
        elif request.GET.get("lat") or request.GET.get("lng"):
            error = "位置无效，请选择所在街道。"
        return render(
            request,
            "stations/finder.html",
            {
                "rows": rows,
                "lat": lat,
                "lng": lng,
                "street": street,
                "streets": selectors.public_streets(),
                "error": error,
                "amenities": Amenity.choices,
                "is_rider": selectors.rider_of_user(user=request.user) is not None,
                "searched": bool(rows) or street is not None or lat is not None,
            },
        )


class StationCheckinView(View):
    def post(self, request, pk):
        try:
            station = selectors.public_station(pk=pk)
        except NotFound as e:
            return error_response(request, 404, e.message)
        try:
            services.station_checkin(
                user=request.user, station=station, client_ip=client_ip(request)
            )
        except RateLimited as e:
            return too_many(request, e)
        except ApplicationError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, f"已在“{station.name}”签到，欢迎歇脚！")
        finder = reverse("stations:finder")
        back = safe_next(request, finder)
        return redirect(back if back.startswith(finder) else finder)
