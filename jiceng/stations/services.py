"""Every write of the stations app: keyword-only, permission checked, validated, in one
transaction with its audit row. A refused call raises and changes nothing."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from jiceng.core import ratelimit
from jiceng.core.audit import audit_record, changes_between
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import Area, AreaKind, Person, RoleAssignment, User
from jiceng.core.roles import Role

from .models import (
    HOURS_RE,
    Amenity,
    CheckIn,
    GridAppointment,
    Platform,
    PointsEntry,
    Recognition,
    Rider,
    WarmStation,
    month_start,
    parse_span,
)
from .permissions import can

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
PUBLIC_PHONE_RE = re.compile(r"^[\d-]{7,20}$")
# Points for a rider's report, by the appeal's result (未解决 earns nothing).
POINTS_BY_RESULT = {"solved": 10, "partly": 5}
# Check-ins: one per rider per station and day; anonymous ones limited per IP (the core
# limiter's rule "stations.checkin").
# Shizhong district and surroundings: a coordinate outside this box is a typing error.
LNG_RANGE = (116.0, 118.0)
LAT_RANGE = (36.0, 37.5)


# ---- stations ----------------------------------------------------------------------------


@dataclass
class StationData:
    name: str
    address: str
    lng: float | None
    lat: float | None
    hours: list[str]
    amenities: list[str]
    host_name: str = ""
    public_phone: str = ""
    contact_name: str = ""
    phone: str = ""
    note: str = ""
    active: bool = True


STATION_FIELDS = (
    "name",
    "area_id",
    "address",
    "lng",
    "lat",
    "hours",
    "amenities",
    "host_name",
    "public_phone",
    "contact_name",
    "phone",
    "note",
    "active",
)


def _station_snapshot(s: WarmStation) -> dict:
    return {f: getattr(s, f) for f in STATION_FIELDS}


def _clean_station(data: StationData) -> StationData:
    name = (data.name or "").strip()
    if not 2 <= len(name) <= 100:
        raise ValidationFailed("请填写驿站名称（2 至 100 字）。", field="name")
    address = (data.address or "").strip()
    if not 4 <= len(address) <= 200:
        raise ValidationFailed("请填写驿站地址（4 至 200 字）。", field="address")
    if data.lng is None or data.lat is None:
        raise ValidationFailed("请填写驿站的经纬度，骑士按位置查找驿站。", field="lng")
    if not (LNG_RANGE[0] <= data.lng <= LNG_RANGE[1] and LAT_RANGE[0] <= data.lat <= LAT_RANGE[1]):
        raise ValidationFailed(
            "经纬度不在本区范围内，请检查（经度约 117，纬度约 36.6）。", field="lng"
        )
    hours = [
        (h or "").strip().replace("：", ":").replace("—", "-").replace(" ", "") for h in data.hours
    ]
    if len(hours) != 7:
        raise ValidationFailed("开放时间应逐日填写（周一至周日）。", field="hours")
    for i, h in enumerate(hours):
        if h and not HOURS_RE.match(h):
            raise ValidationFailed(
                f"第 {i + 1} 天的开放时间“{h}”格式不对，应如 08:00-20:00，休息日留空。",
                field="hours",
            )
        try:
            span = parse_span(h)
        except ValueError:
            raise ValidationFailed(f"开放时间“{h}”无效。", field="hours") from None
        if span and span[0] == span[1]:
            raise ValidationFailed(f"开放时间“{h}”的开始与结束相同。", field="hours")
    if not hours or not any(hours):
        raise ValidationFailed("请至少填写一天的开放时间。", field="hours")
    unknown = set(data.amenities) - set(Amenity.values)
    if unknown:
        raise ValidationFailed("服务设施无效。", field="amenities")
    if data.public_phone and not PUBLIC_PHONE_RE.match(data.public_phone.strip()):
        raise ValidationFailed("对外服务电话应为数字（可含 -）。", field="public_phone")
    phone = re.sub(r"[\s-]", "", data.phone or "")
    if phone and not PHONE_RE.match(phone):
        raise ValidationFailed("联系人手机号应为 11 位数字，以 1 开头。", field="phone")
    return StationData(
        name=name,
        address=address,
        lng=round(float(data.lng), 6),
        lat=round(float(data.lat), 6),
        hours=hours,
        amenities=[a for a in Amenity.values if a in set(data.amenities)],
        host_name=(data.host_name or "").strip()[:100],
        public_phone=(data.public_phone or "").strip(),
        contact_name=(data.contact_name or "").strip()[:50],
        phone=phone,
        note=(data.note or "").strip()[:200],
        active=bool(data.active),
    )


def _check_place(by, area: Area | None) -> Area:
    if area is None:
        raise ValidationFailed("请选择所在区域。", field="area")
    if not can(by, "place_in", area):
        raise PermissionDenied("该区域不在您的管辖范围内，或不是街道、社区、村或网格。")
    return area


def station_create(*, by, area: Area | None, data: StationData) -> WarmStation:
    area = _check_place(by, area)
    clean = _clean_station(data)
    with transaction.atomic():
        if WarmStation.objects.filter(area=area, name=clean.name).exists():
            raise ValidationFailed("该区域已有同名驿站。", field="name")
        station = WarmStation.objects.create(area=area, **clean.__dict__)
        audit_record(
            actor=by,
            action="stations.station_create",
            obj=station,
            changes=changes_between({}, _station_snapshot(station)),
            object_repr=station.name,
        )
    return station


def station_update(
    *, by, station: WarmStation, area: Area | None, data: StationData
) -> WarmStation:
    if not can(by, "edit_station", station):
        raise PermissionDenied("您不能修改该驿站。")
    area = _check_place(by, area)
    clean = _clean_station(data)
    with transaction.atomic():
        row = WarmStation.objects.select_for_update().get(pk=station.pk)
        if WarmStation.objects.filter(area=area, name=clean.name).exclude(pk=row.pk).exists():
            raise ValidationFailed("该区域已有同名驿站。", field="name")
        before = _station_snapshot(row)
        row.area = area
        for field, value in clean.__dict__.items():
            setattr(row, field, value)
        row.save()
        audit_record(
            actor=by,
            action="stations.station_update",
            obj=row,
            changes=changes_between(before, _station_snapshot(row)),
            object_repr=row.name,
        )
    return row


def station_checkin(
    *, user, station: WarmStation, client_ip: str | None = None, now: datetime | None = None
) -> CheckIn:
    """Count one visit. A logged-in rider checks in once per station and day (a second one
    returns the first); anyone else leaves only a count, nothing that names them, and is
    rate-limited by address (the core limiter's counters, never in the check-in table)."""
    from .selectors import rider_of_user

    now = now or timezone.now()
    day = timezone.localdate(now)
    if not station.active:
        raise ValidationFailed("该驿站已停用。")
    rider = rider_of_user(user=user) if can(user, "rider_self") else None
    if rider is not None:
        with transaction.atomic():
            Rider.objects.select_for_update().filter(pk=rider.pk).first()
            done = CheckIn.objects.filter(station=station, rider=rider, day=day).first()
            if done is not None:
                return done
            checkin = CheckIn.objects.create(station=station, rider=rider, day=day, at=now)
            audit_record(
                actor=user,
                action="stations.checkin",
                obj=checkin,
                changes={"station": [None, station.name]},
                object_repr=station.name,
            )
        return checkin
    if client_ip:
        ratelimit.check("stations.checkin", client_ip)
    return CheckIn.objects.create(station=station, rider=None, day=day, at=now)


# ---- riders ------------------------------------------------------------------------------


RIDER_FIELDS = ("name", "phone", "platform", "area_id", "person_id", "user_id", "active")


def _rider_snapshot(r: Rider) -> dict:
    return {f: getattr(r, f) for f in RIDER_FIELDS}


def _rider_account(username: str) -> User | None:
    username = (username or "").strip()
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if (
        user is None
        or not RoleAssignment.objects.active().filter(user=user, role=Role.RIDER).exists()
    ):
        raise ValidationFailed(f"账号“{username}”不存在或不是骑士网格员账号。", field="username")
    return user


def _clean_rider(*, name: str, phone: str, platform: str) -> tuple[str, str, str]:
    name = (name or "").strip()
    if not 2 <= len(name) <= 50:
        raise ValidationFailed("请填写骑士姓名（2 至 50 字）。", field="name")
    phone = re.sub(r"[\s-]", "", phone or "")
    if not PHONE_RE.match(phone):
        raise ValidationFailed("手机号应为 11 位数字，以 1 开头。", field="phone")
    if platform not in Platform.values:
        raise ValidationFailed("请选择平台（美团、饿了么或其他）。", field="platform")
    return name, phone, platform


def rider_register(
    *,
    by,
    area: Area | None,
    name: str,
    phone: str,
    platform: str,
    person: Person | None = None,
    username: str = "",
) -> Rider:
    """Register a rider. The rider's account (role rider) is linked when given, else the
    account of the same person when there is one."""
    area = _check_place(by, area)
    name, phone, platform = _clean_rider(name=name, phone=phone, platform=platform)
    account = _rider_account(username)
    if account is None and person is not None:
        account = User.objects.filter(person=person, role_assignments__role=Role.RIDER).first()
    with transaction.atomic():
        if Rider.objects.filter(phone=phone).exists():
            raise ValidationFailed("该手机号已登记为骑士。", field="phone")
        if account is not None and Rider.objects.filter(user=account).exists():
            raise ValidationFailed("该账号已关联其他骑士。", field="username")
        try:
            with transaction.atomic():
                rider = Rider.objects.create(
                    area=area,
                    name=name,
                    phone=phone,
                    platform=platform,
                    person=person,
                    user=account,
                )
        except IntegrityError:
            raise ValidationFailed("该手机号或账号已登记。", field="phone") from None
        audit_record(
            actor=by,
            action="stations.rider_register",
            obj=rider,
            changes=changes_between({}, _rider_snapshot(rider)),
            object_repr=rider.name,
        )
    return rider


def rider_update(
    *,
    by,
    rider: Rider,
    area: Area | None,
    name: str,
    phone: str,
    platform: str,
    active: bool,
    username: str = "",
) -> Rider:
    """Edit a rider; an empty ``phone`` keeps the number on file (it is never shown in clear)."""
    if not can(by, "edit_rider", rider):
        raise PermissionDenied("您不能修改该骑士的信息。")
    area = _check_place(by, area)
    name, phone, platform = _clean_rider(name=name, phone=phone or rider.phone, platform=platform)
    account = _rider_account(username) if username else None
    with transaction.atomic():
        row = Rider.objects.select_for_update().get(pk=rider.pk)
        if Rider.objects.filter(phone=phone).exclude(pk=row.pk).exists():
            raise ValidationFailed("该手机号已登记为骑士。", field="phone")
        if account is not None and Rider.objects.filter(user=account).exclude(pk=row.pk).exists():
            raise ValidationFailed("该账号已关联其他骑士。", field="username")
        before = _rider_snapshot(row)
        row.area, row.name, row.phone, row.platform, row.active = (
            area,
            name,
            phone,
            platform,
            active,
        )
        if account is not None:
            row.user = account
        row.save()
        audit_record(
            actor=by,
            action="stations.rider_update",
            obj=row,
            changes=changes_between(before, _rider_snapshot(row)),
            object_repr=row.name,
        )
    return row


def rider_appoint(
    *, by, rider: Rider, grid: Area | None, starts_on: date | None
) -> GridAppointment:
    """Appoint the rider 兼职网格员 of ``grid`` from ``starts_on``; an open appointment to
    another grid ends the day before."""
    if grid is None or grid.kind != AreaKind.GRID:
        raise ValidationFailed("请选择网格。", field="grid")
    if not can(by, "appoint_to", grid):
        raise PermissionDenied("该网格不在您的管辖范围内。")
    if starts_on is None:
        raise ValidationFailed("请填写聘任日期。", field="starts_on")
    if starts_on > timezone.localdate() + timedelta(days=31):
        raise ValidationFailed("聘任日期不能晚于一个月之后。", field="starts_on")
    with transaction.atomic():
        row = Rider.objects.select_for_update().get(pk=rider.pk)
        if not row.active:
            raise ValidationFailed("该骑士已不在册，不能聘任。")
        open_one = GridAppointment.objects.filter(rider=row, ends_on__isnull=True).first()
        if open_one is not None:
            if open_one.grid_id == grid.pk:
                raise ValidationFailed("该骑士已是此网格的兼职网格员。", field="grid")
            if open_one.starts_on >= starts_on:
                raise ValidationFailed("聘任日期应晚于现任聘任的起始日期。", field="starts_on")
            open_one.ends_on = starts_on - timedelta(days=1)
            open_one.save(update_fields=["ends_on"])
            audit_record(
                actor=by,
                action="stations.appointment_end",
                obj=open_one,
                changes={"ends_on": [None, open_one.ends_on.isoformat()]},
                object_repr=f"{row.name} {open_one.grid.name}",
            )
        appointment = GridAppointment.objects.create(rider=row, grid=grid, starts_on=starts_on)
        audit_record(
            actor=by,
            action="stations.appoint",
            obj=appointment,
            changes={"grid": [None, grid.code], "starts_on": [None, starts_on.isoformat()]},
            object_repr=f"{row.name} {grid.name}",
        )
    return appointment


def appointment_end(*, by, appointment: GridAppointment, ends_on: date | None) -> GridAppointment:
    if not can(by, "end_appointment", appointment):
        raise PermissionDenied("您不能解聘该网格的兼职网格员。")
    if ends_on is None:
        raise ValidationFailed("请填写解聘日期。", field="ends_on")
    with transaction.atomic():
        row = (
            GridAppointment.objects.select_for_update()
            .select_related("grid", "rider")
            .get(pk=appointment.pk)
        )
        if row.ends_on is not None:
            raise ValidationFailed("该聘任已结束。")
        if ends_on < row.starts_on:
            raise ValidationFailed("解聘日期不能早于聘任日期。", field="ends_on")
        row.ends_on = ends_on
        row.save(update_fields=["ends_on"])
        audit_record(
            actor=by,
            action="stations.appointment_end",
            obj=row,
            changes={"ends_on": [None, ends_on.isoformat()]},
            object_repr=f"{row.rider.name} {row.grid.name}",
        )
    return row


# ---- points and recognition --------------------------------------------------------------


def rider_report_confirm(*, by, appeal) -> PointsEntry | None:
    """Grant the points of a rider's report whose appeal was resolved 解决 or 部分解决.

    Idempotent per appeal (a unique row per appeal): a second call, a reopened and again
    resolved appeal, or two concurrent calls grant nothing more. Returns the entry, or None
    when the appeal earns nothing (not a rider report, unresolved, or no rider on file).
    ``by`` None is the system (the appeals' signal, inside the appeal's transaction).
    """
    from jiceng.appeals.models import Channel

    if by is not None and not can(by, "confirm_report", appeal):
        raise PermissionDenied("您不能确认该上报。")
    points = POINTS_BY_RESULT.get(appeal.result)
    if appeal.channel != Channel.RIDER or points is None or appeal.created_by_id is None:
        return None
    rider = Rider.objects.filter(user_id=appeal.created_by_id).first()
    if rider is None:
        return None
    with transaction.atomic():
        existing = PointsEntry.objects.filter(appeal=appeal).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                entry = PointsEntry.objects.create(
                    rider=rider,
                    appeal=appeal,
                    points=points,
                    reason=f"上报 {appeal.code} 经核实{appeal.get_result_display()}",
                    earned_on=timezone.localdate(appeal.resolved_at or timezone.now()),
                )
        except IntegrityError:
            return PointsEntry.objects.get(appeal=appeal)
        audit_record(
            actor=by,
            action="stations.points_grant",
            obj=entry,
            changes={"points": [None, str(points)], "appeal": [None, appeal.code]},
            object_repr=f"{rider.name} {appeal.code}",
        )
    return entry


def recognition_award(
    *, by, rider: Rider, month: date | None, title: str = "月度之星", citation: str = ""
) -> Recognition:
    if not can(by, "recognize", rider):
        raise PermissionDenied("您不能表彰该骑士。")
    if month is None:
        raise ValidationFailed("请选择表彰月份。", field="month")
    month = month_start(month)
    if month > month_start(timezone.localdate()):
        raise ValidationFailed("不能表彰尚未到来的月份。", field="month")
    title = (title or "").strip() or "月度之星"
    if len(title) > 30:
        raise ValidationFailed("称号不能超过 30 字。", field="title")
    citation = (citation or "").strip()
    if len(citation) > 200:
        raise ValidationFailed("事迹不能超过 200 字。", field="citation")
    with transaction.atomic():
        Rider.objects.select_for_update().filter(pk=rider.pk).first()
        if Recognition.objects.filter(rider=rider, month=month, title=title).exists():
            raise ValidationFailed(f"该骑士已获得{month:%Y年%m月}“{title}”。", field="month")
        row = Recognition.objects.create(
            rider=rider, month=month, title=title, citation=citation, awarded_by=by
        )
        audit_record(
            actor=by,
            action="stations.recognition_award",
            obj=row,
            changes={"title": [None, title], "month": [None, month.isoformat()]},
            object_repr=f"{rider.name} {row}",
        )
    return row
