"""Every read of the stations app. Staff reads are filtered by the acting user's scope;
the public finder reads only active stations and only their public fields."""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from jiceng.core.errors import NotFound
from jiceng.core.models import Area, AreaKind
from jiceng.core.scope import scope_of

from .models import (
    CheckIn,
    GridAppointment,
    PointsEntry,
    Recognition,
    Rider,
    WarmStation,
    month_start,
    next_month,
)
from .permissions import STAFF_ROLES

EARTH_RADIUS_KM = 6371.0088
PUBLIC_LIMIT = 10


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


# ---- scope -------------------------------------------------------------------------------


def _station_q(user) -> Q:
    scope = scope_of(user)
    q = scope.areas_q("area__code", STAFF_ROLES)
    # A grid steward also sees the stations of the community their grid belongs to.
    parents = [c[:12] for c in scope.area_codes(STAFF_ROLES) if len(c) > 12]
    if parents:
        q |= Q(area__code__in=parents)
    return q


def _rider_q(user) -> Q:
    scope = scope_of(user)
    appointed = GridAppointment.objects.current().filter(scope.areas_q("grid__code", STAFF_ROLES))
    return scope.areas_q("area__code", STAFF_ROLES) | Q(pk__in=appointed.values("rider_id"))


def place_choices(*, user, roles=None) -> QuerySet:
    """Streets, communities and villages in the user's editing scope, for the area pickers."""
    from jiceng.core.roles import EDITOR_ROLES

    scope = scope_of(user)
    return (
        Area.objects.filter(scope.areas_q("code", roles or EDITOR_ROLES))
        .filter(kind__in=[AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.VILLAGE])
        .only("code", "name", "kind")
        .order_by("code")
    )


def area_by_code(*, code: str) -> Area | None:
    return Area.objects.filter(code=(code or "").strip()).first()


# ---- stations ----------------------------------------------------------------------------


def station_list_visible_to(
    *, user, text: str = "", street: str = "", active: str = "", on: date | None = None
) -> QuerySet:
    on = on or timezone.localdate()
    qs = WarmStation.objects.filter(_station_q(user)).select_related("area", "area__parent")
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(address__icontains=text))
    if street:
        qs = qs.filter(area__code__startswith=street)
    if active in ("1", "0"):
        qs = qs.filter(active=active == "1")
    return qs.annotate(
        checkins_today=Count("checkins", filter=Q(checkins__day=on)),
    ).order_by("area__code", "name")


def station_get_for(*, user, pk: int) -> WarmStation:
    station = (
        WarmStation.objects.filter(_station_q(user)).select_related("area").filter(pk=pk).first()
    )
    if station is None:
        raise NotFound("没有找到该驿站，或它不在您的管辖范围内。")
    return station


def station_checkin_days(*, station: WarmStation, days: int = 14, on: date | None = None) -> list:
    """(day, anonymous visits, rider check-ins) for each of the last ``days`` days."""
    on = on or timezone.localdate()
    start = on - timedelta(days=days - 1)
    rows = (
        CheckIn.objects.filter(station=station, day__gte=start, day__lte=on)
        .values("day")
        .annotate(
            anonymous=Count("id", filter=Q(rider__isnull=True)),
            riders=Count("id", filter=Q(rider__isnull=False)),
        )
    )
    found = {r["day"]: (r["anonymous"], r["riders"]) for r in rows}
    return [(d, *found.get(d, (0, 0))) for d in (on - timedelta(days=i) for i in range(days))]


def street_choices_for_stations(*, user) -> QuerySet:
    scope = scope_of(user)
    return (
        Area.objects.filter(kind=AreaKind.STREET)
        .filter(
            scope.areas_q("code", STAFF_ROLES)
            | Q(code__in=[c[:9] for c in scope.area_codes(STAFF_ROLES)])
        )
        .order_by("code")
    )


# ---- the public finder -------------------------------------------------------------------


@dataclass(frozen=True)
class NearStation:
    station: WarmStation
    distance_km: float | None
    open_now: bool
    hours_today: str

    @property
    def distance_text(self) -> str:
        if self.distance_km is None:
            return ""
        if self.distance_km < 1:
            return f"{round(self.distance_km * 1000 / 10) * 10:.0f} 米"
        return f"{self.distance_km:.1f} 公里"


def _public_stations() -> QuerySet:
    return WarmStation.objects.filter(active=True).only(
        "id", "name", "address", "lng", "lat", "hours", "amenities", "public_phone", "area_id"
    )


def public_stations_near(
    *, lat: float, lng: float, now: datetime | None = None, limit: int = PUBLIC_LIMIT
) -> list[NearStation]:
    """The active stations nearest to (lat, lng), open ones first, then by distance."""
    now = now or timezone.now()
    rows = [
        NearStation(s, haversine_km(lat, lng, s.lat, s.lng), s.is_open_at(now), s.hours_today(now))
        for s in _public_stations()
    ]
    rows.sort(key=lambda r: (not r.open_now, r.distance_km))
    return rows[:limit]


def public_stations_in(*, street: Area, now: datetime | None = None) -> list[NearStation]:
    now = now or timezone.now()
    rows = [
        NearStation(s, None, s.is_open_at(now), s.hours_today(now))
        for s in _public_stations().filter(area__code__startswith=street.code)
    ]
    rows.sort(key=lambda r: (not r.open_now, r.station.name))
    return rows


def public_streets() -> QuerySet:
    """Streets that have at least one active station, for the finder's picker."""
    codes = {
        c[:9] for c in WarmStation.objects.filter(active=True).values_list("area__code", flat=True)
    }
    return (
        Area.objects.filter(kind=AreaKind.STREET, code__in=codes)
        .only("code", "name")
        .order_by("code")
    )


def public_street(*, code: str) -> Area | None:
    return Area.objects.filter(kind=AreaKind.STREET, code=(code or "").strip()).first()


def public_station(*, pk: int) -> WarmStation:
    station = _public_stations().filter(pk=pk).first()
    if station is None:
        raise NotFound("没有找到该驿站。")
    return station


# ---- riders ------------------------------------------------------------------------------


def _current_grid(field: str):
    return Subquery(
        GridAppointment.objects.current()
        .filter(rider=OuterRef("pk"))
        .order_by("-starts_on")
        .values(field)[:1]
    )


def rider_list_visible_to(
    *, user, text: str = "", platform: str = "", appointed: str = "", on: date | None = None
) -> QuerySet:
    qs = Rider.objects.filter(_rider_q(user)).select_related("area")
    if text:
        qs = qs.filter(name__icontains=text)
    if platform:
        qs = qs.filter(platform=platform)
    current = GridAppointment.objects.current(on).values("rider_id")
    if appointed == "1":
        qs = qs.filter(pk__in=current)
    elif appointed == "0":
        qs = qs.exclude(pk__in=current)
    return qs.annotate(
        grid_name=_current_grid("grid__name"),
        grid_since=_current_grid("starts_on"),
        points_total=Coalesce(
            Subquery(
                PointsEntry.objects.filter(rider=OuterRef("pk"))
                .values("rider")
                .annotate(s=Sum("points"))
                .values("s")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    ).order_by("area__code", "name", "id")


def rider_get_for(*, user, pk: int) -> Rider:
    rider = (
        Rider.objects.filter(_rider_q(user)).select_related("area", "user").filter(pk=pk).first()
    )
    if rider is None:
        raise NotFound("没有找到该骑士，或其不在您的管辖范围内。")
    return rider


def rider_of_user(*, user) -> Rider | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Rider.objects.filter(user=user, active=True).select_related("area").first()


def rider_appointments(*, rider: Rider) -> QuerySet:
    return rider.appointments.select_related("grid", "grid__parent").order_by("-starts_on", "-id")


def rider_points(*, rider: Rider) -> QuerySet:
    return rider.points.select_related("appeal").order_by("-earned_on", "-id")


def rider_points_total(*, rider: Rider) -> int:
    return rider.points.aggregate(s=Sum("points"))["s"] or 0


def rider_recognitions(*, rider: Rider) -> QuerySet:
    return rider.recognitions.order_by("-month", "-id")


def rider_reports(*, viewer, rider: Rider) -> QuerySet:
    """The rider's reports (appeals of channel rider they submitted) that ``viewer`` may see."""
    from jiceng.appeals.models import Channel
    from jiceng.appeals.selectors import appeal_list_visible_to

    if rider.user_id is None:
        return appeal_list_visible_to(user=viewer).none()
    return appeal_list_visible_to(user=viewer).filter(
        created_by_id=rider.user_id, channel=Channel.RIDER
    )


def grid_choices(*, user) -> QuerySet:
    from .permissions import APPOINT_ROLES

    scope = scope_of(user)
    return (
        Area.objects.filter(kind=AreaKind.GRID)
        .filter(scope.areas_q("code", APPOINT_ROLES))
        .select_related("parent")
        .order_by("code")
    )


def grid_by_code(*, code: str) -> Area | None:
    return Area.objects.filter(kind=AreaKind.GRID, code=(code or "").strip()).first()


def appointment_get_for(*, user, pk: int) -> GridAppointment:
    appointment = (
        GridAppointment.objects.filter(rider__in=Rider.objects.filter(_rider_q(user)))
        .select_related("grid", "rider")
        .filter(pk=pk)
        .first()
    )
    if appointment is None:
        raise NotFound("没有找到该聘任记录，或其不在您的管辖范围内。")
    return appointment


# ---- leaderboard and indicators ----------------------------------------------------------


@dataclass(frozen=True)
class LeaderRow:
    rank: int
    rider: Rider
    points: int
    reports: int


def leaderboard(*, user, month: date, limit: int = 50) -> list[LeaderRow]:
    """Riders in scope ranked by points earned in ``month``; equal points share a rank."""
    start = month_start(month)
    rows = (
        Rider.objects.filter(_rider_q(user))
        .filter(points__earned_on__gte=start, points__earned_on__lt=next_month(start))
        .annotate(month_points=Sum("points__points"), month_reports=Count("points"))
        .select_related("area")
        .order_by("-month_points", "name", "id")[:limit]
    )
    result, rank, last = [], 0, None
    for i, r in enumerate(rows, 1):
        if r.month_points != last:
            rank, last = i, r.month_points
        result.append(LeaderRow(rank, r, r.month_points, r.month_reports))
    return result


def stars_of_month(*, user, month: date) -> QuerySet:
    return Recognition.objects.filter(
        month=month_start(month), rider__in=Rider.objects.filter(_rider_q(user))
    ).select_related("rider", "rider__area")


def appointed_riders_under(*, user, area: Area, on: date | None = None) -> QuerySet:
    """Riders with a current appointment to a grid under ``area`` that ``user`` may see."""
    current = GridAppointment.objects.current(on).filter(grid__code__startswith=area.code)
    return Rider.objects.filter(_rider_q(user), active=True, pk__in=current.values("rider_id"))


def stations_under(*, user, area: Area) -> QuerySet:
    return WarmStation.objects.filter(
        _station_q(user), active=True, area__code__startswith=area.code
    )


def points_under(*, user, area: Area, period) -> int:
    """Points granted in ``period`` for reports on appeals under ``area``, whoever the rider:
    the figure of an area is the same for everyone whose scope covers it (a rider living in
    another community still earned them here); nothing for anyone else."""
    if not scope_of(user).covers_area(area.code, STAFF_ROLES):
        return 0
    qs = PointsEntry.objects.filter(appeal__area__code__startswith=area.code)
    if not period.is_all_time:
        qs = qs.filter(earned_on__gte=period.start, earned_on__lte=period.end)
    return qs.aggregate(s=Sum("points"))["s"] or 0


# ---- the rider's home page ---------------------------------------------------------------


def rider_home_point(*, rider: Rider) -> tuple[float, float] | None:
    """(lat, lng) where the rider works: the first located place (compound or building) of
    their current grid, else of their own area; None when neither has one."""
    current = (
        GridAppointment.objects.current()
        .filter(rider=rider)
        .select_related("grid")
        .order_by("-starts_on")
        .first()
    )
    codes = ([current.grid.code] if current else []) + [rider.area.code]
    for code in codes:
        place = (
            Area.objects.filter(code__startswith=code, lat__isnull=False, lng__isnull=False)
            .order_by("code")
            .only("lat", "lng")
            .first()
        )
        if place is not None:
            return place.lat, place.lng
    return None


def nearest_open_station(*, rider: Rider, now: datetime | None = None) -> NearStation | None:
    """The station nearest to where the rider works that is open now (else the nearest)."""
    point = rider_home_point(rider=rider)
    if point is None:
        return None
    near = public_stations_near(lat=point[0], lng=point[1], now=now, limit=1)
    return near[0] if near else None


def rider_points_since(*, rider: Rider, since: date) -> int:
    return rider.points.filter(earned_on__gte=since).aggregate(s=Sum("points"))["s"] or 0
