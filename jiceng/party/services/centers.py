"""Writes of service centers, activities, sign-ups and check-ins (each audited)."""

import secrets
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import Area, Person
from jiceng.core.roles import EDITOR_ROLES
from jiceng.core.scope import scope_of

from ..models import (
    Activity,
    ActivityKind,
    CheckinMethod,
    Organization,
    Participation,
    PartyOrg,
    ServiceCenter,
)
from ..permissions import can
from ..selectors.centers import checkin_is_open

MAX_FLOOR_SPACE = Decimal("999999.9")


def _clean_center(
    *, name: str, address: str, floor_space, facilities: str, opening_hours: str
) -> dict:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("中心名称不能为空。", field="name")
    if len(name) > 100:
        raise ValidationFailed("中心名称不能超过 100 个字。", field="name")
    try:
        space = Decimal(str(floor_space if floor_space is not None else 0))
    except InvalidOperation:
        raise ValidationFailed("面积应为数字。", field="floor_space") from None
    if not Decimal(0) <= space <= MAX_FLOOR_SPACE:
        raise ValidationFailed("面积应在 0 到 999999.9 平方米之间。", field="floor_space")
    lines = [line.strip() for line in (facilities or "").splitlines() if line.strip()]
    return {
        "name": name,
        "address": (address or "").strip()[:200],
        "floor_space": space.quantize(Decimal("0.1")),
        "facilities": "\n".join(lines),
        "opening_hours": (opening_hours or "").strip()[:100],
    }


def center_create(
    *,
    by,
    name: str,
    area: Area,
    address: str = "",
    floor_space=0,
    facilities: str = "",
    opening_hours: str = "",
    party_org: PartyOrg | None = None,
) -> ServiceCenter:
    if by is not None and not scope_of(by).covers_area(area.code, EDITOR_ROLES):
        raise PermissionDenied("您无权在该区域登记党群服务中心。")
    data = _clean_center(
        name=name,
        address=address,
        floor_space=floor_space,
        facilities=facilities,
        opening_hours=opening_hours,
    )
    with transaction.atomic():
        center = ServiceCenter.objects.create(area=area, party_org=party_org, **data)
        audit_record(
            actor=by,
            action="party.center.create",
            obj=center,
            changes=changes_between(
                {}, {**data, "area": area.code, "party_org": party_org.name if party_org else None}
            ),
        )
    return center


def center_update(
    *,
    by,
    center: ServiceCenter,
    name: str,
    address: str = "",
    floor_space=0,
    facilities: str = "",
    opening_hours: str = "",
) -> ServiceCenter:
    if by is not None and not can(by, "edit_center", center):
        raise PermissionDenied("您无权修改该党群服务中心。")
    data = _clean_center(
        name=name,
        address=address,
        floor_space=floor_space,
        facilities=facilities,
        opening_hours=opening_hours,
    )
    with transaction.atomic():
        locked = ServiceCenter.objects.select_for_update().get(pk=center.pk)
        before = {k: getattr(locked, k) for k in data}
        for key, value in data.items():
            setattr(locked, key, value)
        locked.save()
        audit_record(
            actor=by,
            action="party.center.update",
            obj=locked,
            changes=changes_between(before, data),
        )
    return locked


def _new_checkin_code() -> str:
    for _ in range(50):
        code = f"{secrets.randbelow(10**6):06d}"
        if not Activity.objects.filter(checkin_code=code).exists():
            return code
    raise ValidationFailed("暂时无法生成签到码，请稍后再试。")


def activity_create(
    *,
    by,
    center: ServiceCenter,
    title: str,
    kind: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    capacity: int | None = None,
    description: str = "",
    checkin_code: str | None = None,
) -> Activity:
    """A new activity of the center. ``checkin_code`` is for the demo's fixed codes; pages
    leave it to be drawn at random."""
    if by is not None and not can(by, "edit_center", center):
        raise PermissionDenied("您无权在该党群服务中心发布活动。")
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("活动名称不能为空。", field="title")
    if len(title) > 100:
        raise ValidationFailed("活动名称不能超过 100 个字。", field="title")
    if kind not in ActivityKind.values:
        raise ValidationFailed("请选择活动类型。", field="kind")
    if starts_at is None:
        raise ValidationFailed("请填写开始时间。", field="starts_at")
    if ends_at is None or ends_at <= starts_at:
        raise ValidationFailed("结束时间应晚于开始时间。", field="ends_at")
    if capacity is not None and not 1 <= capacity <= 100_000:
        raise ValidationFailed(
            "名额应为 1 到 100000 之间的整数，不限名额请留空。", field="capacity"
        )
    with transaction.atomic():
        locked = ServiceCenter.objects.select_for_update().get(pk=center.pk)
        activity = Activity.objects.create(
            center=locked,
            title=title,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            description=(description or "").strip(),
            checkin_code=checkin_code or _new_checkin_code(),
        )
        audit_record(
            actor=by,
            action="party.activity.create",
            obj=activity,
            changes=changes_between(
                {},
                {
                    "center": locked.name,
                    "title": title,
                    "kind": kind,
                    "starts_at": starts_at,
                    "ends_at": ends_at,
                    "capacity": capacity,
                },
            ),
        )
    return activity


def participation_signup(
    *,
    by,
    activity: Activity,
    person: Person,
    organization: Organization | None = None,
    at: datetime | None = None,
) -> Participation:
    """Sign ``person`` up; the activity's row lock keeps the capacity honest."""
    if by is not None and not can(by, "manage_activity", activity):
        raise PermissionDenied("您无权为该活动登记报名。")
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.participations.filter(person=person).exists():
            raise ValidationFailed(f"{person.name}已报名该活动。", field="phone")
        if locked.capacity is not None and locked.participations.count() >= locked.capacity:
            raise ValidationFailed(f"该活动名额（{locked.capacity} 人）已满。")
        p = Participation.objects.create(
            activity=locked,
            person=person,
            organization=organization,
            signed_up_at=at or timezone.now(),
        )
        audit_record(
            actor=by,
            action="party.activity.signup",
            obj=p,
            changes=changes_between(
                {},
                {
                    "person": person.name,
                    "organization": organization.name if organization else None,
                },
            ),
        )
    return p


def participation_checkin(
    *, by, participation: Participation, method: str = CheckinMethod.STAFF, at=None
) -> Participation:
    """Mark a signed-up member present. Staff may do so at any time (a paper list typed in
    afterwards); members themselves only while check-in is open. Checking in twice keeps
    the first time."""
    if method == CheckinMethod.STAFF:
        if by is not None and not can(by, "manage_activity", participation.activity):
            raise PermissionDenied("您无权为该活动签到。")
    elif not checkin_is_open(participation.activity, at):
        raise ValidationFailed("当前不在签到时间内（活动开始前 1 小时至活动结束）。")
    with transaction.atomic():
        locked = Participation.objects.select_for_update().get(pk=participation.pk)
        if locked.attended_at is not None:
            return locked
        locked.attended_at = at or timezone.now()
        locked.checkin_method = method
        locked.save(update_fields=["attended_at", "checkin_method"])
        audit_record(
            actor=by,
            action="party.activity.checkin",
            obj=locked,
            changes=changes_between({}, {"method": method, "attended_at": locked.attended_at}),
        )
    return locked


def checkin_by_phone(*, activity: Activity, phone: str, method: str) -> Participation:
    """A member checks in on the public page with the phone number they signed up with.
    The message is the same whether the number is unknown or not signed up, so the page
    tells a stranger nothing about who signed up."""
    phone = (phone or "").strip()
    if not (len(phone) == 11 and phone.isascii() and phone.isdigit()):
        raise ValidationFailed("请填写 11 位手机号。", field="phone")
    if not checkin_is_open(activity):
        raise ValidationFailed("当前不在签到时间内（活动开始前 1 小时至活动结束）。")
    p = activity.participations.filter(person__phone=phone).select_related("activity").first()
    if p is None:
        raise ValidationFailed("未找到该手机号的报名记录，请联系现场工作人员签到。", field="phone")
    return participation_checkin(by=None, participation=p, method=method)
