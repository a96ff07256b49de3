"""Intake: every channel (resident page, staff form, rider report, API) comes through
``appeal_submit``, which validates, routes, sets the clocks and dispatches."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jiceng.core.audit import AuditEntry, audit_record_many, changes_between
from jiceng.core.badinput import check_coordinate, check_text
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.images import check_image, read_upload
from jiceng.core.models import Person
from jiceng.core.ratelimit import check_key

from .. import conf, sla
from ..lookups import active_endpoints, duty_on, policy_table
from ..models import (
    Appeal,
    AppealEvent,
    Attachment,
    Category,
    Channel,
    Kind,
    NotificationKind,
    SlaPolicy,
    SlaUnit,
    Status,
    Urgency,
)
from ..permissions import can
from ..selectors import root_area, sla_policy_for
from ..signals import AppealChange, send_changes
from .common import SYSTEM, actor_name, snapshot
from .notify import notify_many

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
STAFF_CHANNELS = {Channel.WINDOW, Channel.PHONE, Channel.HOTLINE, Channel.VISIT}
PUBLIC_CHANNELS = {Channel.WECHAT, Channel.WEB}


@dataclass(frozen=True)
class Photo:
    data: bytes
    ext: str


def check_photos(files) -> list[Photo]:
    """Each upload read and decoded by Pillow: its content, not its name, says it is an
    image. Raises ValidationFailed for too many, too large or not an image."""
    files = [f for f in (files or []) if f]
    if len(files) > conf.get("MAX_PHOTOS"):
        raise ValidationFailed(f"最多上传 {conf.get('MAX_PHOTOS')} 张照片。", field="photos")
    limit = conf.get("MAX_PHOTO_BYTES")
    photos = []
    for i, f in enumerate(files, 1):
        data = read_upload(f, max_bytes=limit)
        image = check_image(data, field="photos", label=f"第 {i} 张照片", max_bytes=limit)
        photos.append(Photo(image.data, image.ext))
    return photos


def rate_limit_check(*, ip: str | None, phone: str) -> None:
    """Count one submission per IP and per phone (the shared limiter); refuse past the limit.
    Called before anything is written, so a refused submission creates nothing."""
    window = conf.get("RATE_LIMIT_WINDOW_SECONDS")
    keys = []
    if ip:
        keys.append((f"appeals.submit:ip:{ip}", conf.get("RATE_LIMIT_PER_IP")))
    if phone:
        keys.append((f"appeals.submit:phone:{phone}", conf.get("RATE_LIMIT_PER_PHONE")))
    for key, limit in keys:
        check_key(
            key,
            limit=limit,
            window=window,
            message="提交过于频繁，请稍后再试；紧急情况请直接拨打社区电话或 12345。",
        )


def _fallback_policy() -> SlaPolicy:
    unit, response, resolve = conf.get("FALLBACK_SLA")
    return SlaPolicy(
        unit=SlaUnit(unit),
        response_limit=response,
        resolve_limit=resolve,
        warn_share=0.8,
        supervise_share=1.5,
    )


def _policy_from(table: dict, category: Category | None, urgency: str) -> SlaPolicy | None:
    paths = category.ancestor_paths() if category is not None else []
    for path in [*paths, None]:
        if (path, urgency) in table:
            return table[(path, urgency)]
    return None


def apply_deadlines(appeal: Appeal, start: datetime, *, policies: dict | None = None) -> None:
    if policies is None:
        policy = sla_policy_for(category=appeal.category, urgency=appeal.urgency)
    else:
        policy = _policy_from(policies, appeal.category, appeal.urgency)
    appeal.sla_policy = policy
    for field, value in sla.deadlines(policy or _fallback_policy(), start).items():
        setattr(appeal, field, value)


def policy_unit(appeal: Appeal) -> str:
    return (appeal.sla_policy or _fallback_policy()).unit


def _validate(*, kind, channel, description, phone, anonymous, resident_name, urgency, by):
    if kind not in Kind.values:
        raise ValidationFailed("请选择诉求类型（咨询、求助、投诉、举报或建议）。", field="kind")
    if channel not in Channel.values:
        raise ValidationFailed("渠道无效。", field="channel")
    if urgency not in Urgency.values:
        raise ValidationFailed("紧急程度无效。", field="urgency")
    text = (description or "").strip()
    if len(text) < 5:
        raise ValidationFailed("请把问题描述清楚（至少 5 个字）。", field="description")
    if len(text) > 2000:
        raise ValidationFailed("问题描述不能超过 2000 字。", field="description")
    if phone and not PHONE_RE.match(phone):
        raise ValidationFailed("手机号应为 11 位数字，以 1 开头。", field="phone")
    if not anonymous and channel in PUBLIC_CHANNELS and not phone:
        raise ValidationFailed("请留下手机号以便管家联系您，或选择匿名提交。", field="phone")
    if len(resident_name or "") > 50:
        raise ValidationFailed("姓名不能超过 50 个字。", field="resident_name")
    if channel in STAFF_CHANNELS and (by is None or not can(by, "intake")):
        raise PermissionDenied("您的角色不能录入该渠道的诉求。")
    if channel == Channel.RIDER and (by is None or not can(by, "rider_report")):
        raise PermissionDenied("只有骑士网格员可以上报。")
    return text


@dataclass
class Submission:
    """One appeal as taken on any channel, before validation."""

    kind: str
    channel: str
    description: str
    address: str = ""
    lng: float | None = None
    lat: float | None = None
    resident_name: str = ""
    phone: str = ""
    anonymous: bool = False
    category: Category | None = None
    urgency: str = Urgency.NORMAL
    title: str = ""
    photos: tuple = ()


def appeal_submit(
    *,
    by,
    kind: str,
    channel: str,
    description: str,
    address: str = "",
    lng: float | None = None,
    lat: float | None = None,
    resident_name: str = "",
    phone: str = "",
    anonymous: bool = False,
    category: Category | None = None,
    urgency: str = Urgency.NORMAL,
    title: str = "",
    photos=(),
    client_ip: str | None = None,
    rate_limited: bool = False,
    now: datetime | None = None,
) -> Appeal:
    """Take one appeal on any channel. ``by`` is the staff account or None for a resident.

    Routes the address or location to a grid; dispatches to the grid's on-duty steward,
    else the community's 总管家 (属地兜底); with nobody found the appeal waits in the pool
    of its area. A submission nothing can place still lands on the district, never lost.
    Raises ValidationFailed/RateLimited/PermissionDenied and then creates nothing.
    """
    submission = Submission(
        kind=kind,
        channel=channel,
        description=description,
        address=address,
        lng=lng,
        lat=lat,
        resident_name=resident_name,
        phone=phone,
        anonymous=anonymous,
        category=category,
        urgency=urgency,
        title=title,
        photos=tuple(photos or ()),
    )
    return appeal_submit_many(
        by=by, submissions=[submission], client_ip=client_ip, rate_limited=rate_limited, now=now
    )[0]


TEXT_FIELDS = (
    ("description", "问题描述"),
    ("address", "地址"),
    ("resident_name", "称呼"),
    ("phone", "手机号"),
    ("title", "标题"),
)


def _prepare(by, s: Submission) -> tuple[Submission, list[Photo]]:
    for field, label in TEXT_FIELDS:
        check_text(getattr(s, field), field=field, label=label)
    check_coordinate(s.lng, field="location", label="位置经度", low=-180, high=180)
    check_coordinate(s.lat, field="location", label="位置纬度", low=-90, high=90)
    phone = re.sub(r"[\s-]", "", s.phone or "")
    name = s.resident_name
    if s.anonymous:
        name, phone = "", ""
    text = _validate(
        kind=s.kind,
        channel=s.channel,
        description=s.description,
        phone=phone,
        anonymous=s.anonymous,
        resident_name=name,
        urgency=s.urgency,
        by=by,
    )
    if (
        s.lng is not None
        and s.lat is not None
        and not (-180 <= s.lng <= 180 and -90 <= s.lat <= 90)
    ):
        raise ValidationFailed("位置坐标无效。", field="location")
    checked = check_photos(s.photos)
    clean = Submission(
        kind=s.kind,
        channel=s.channel,
        description=text,
        address=(s.address or "").strip()[:200],
        lng=s.lng,
        lat=s.lat,
        resident_name=(name or "").strip()[:50],
        phone=phone,
        anonymous=s.anonymous,
        category=s.category,
        urgency=s.urgency,
        title=(s.title or text[:30]).strip()[:100],
    )
    return clean, checked


def _owners(found: list, on) -> list[Person | None]:
    """The steward each routed appeal goes to: the grid's roster (its backup when the
    steward is away), else the steward routing found (grid steward or 总管家)."""
    duty = duty_on(on)
    owners = []
    for f in found:
        roster = duty.rosters.get(f.grid.pk) if f.grid is not None else None
        options = roster if roster else (f.steward,)
        owners.append(next((p for p in options if p is not None and p.pk not in duty.away), None))
    return owners


def appeal_submit_many(
    *,
    by,
    submissions: list[Submission],
    client_ip: str | None = None,
    rate_limited: bool = False,
    now: datetime | None = None,
) -> list[Appeal]:
    """Take several appeals (a batch from the API or a 12345 transfer file) in one
    transaction: all are validated first, and one refusal creates none of them. Each
    appeal gets the same rows as a single submission: its submit (and dispatch) events,
    their audit rows, and its owner's notification."""
    from ..routing import route

    prepared = [_prepare(by, s) for s in submissions]
    if rate_limited:
        for s, _ in prepared:
            rate_limit_check(ip=client_ip, phone=s.phone)
    found = [route(address=s.address, lng=s.lng, lat=s.lat) for s, _ in prepared]
    fallback = root_area() if any(f.area is None for f in found) else None
    if fallback is None and any(f.area is None for f in found):
        raise ValidationFailed("系统尚未配置区域，暂时无法受理。")
    now = now or timezone.now()
    owners = _owners(found, timezone.localdate(now))
    policies = policy_table()
    # Read before the transaction, where it can be kept for the notifications inside it.
    active_endpoints()
    created_by = by if getattr(by, "is_authenticated", False) else None
    appeals = []
    for (s, _), f, owner in zip(prepared, found, owners, strict=True):
        appeal = Appeal(
            kind=s.kind,
            channel=s.channel,
            category=s.category,
            urgency=s.urgency,
            title=s.title,
            description=s.description,
            address=s.address,
            address_normalized=(f.normalized or "")[:200],
            lng=s.lng,
            lat=s.lat,
            area=f.area or fallback,
            grid=f.grid,
            routing_method=f.method or "",
            routing_confidence=f.confidence or 0,
            resident_name=s.resident_name,
            phone=s.phone,
            anonymous=s.anonymous,
            submitted_at=now,
            created_by=created_by,
        )
        apply_deadlines(appeal, now, policies=policies)
        if owner is not None:
            appeal.status, appeal.owner = Status.DISPATCHED, owner
        appeals.append(appeal)
    with transaction.atomic():
        Appeal.objects.bulk_create(appeals)
        events, audits = [], []
        for appeal in appeals:
            submitted = {**snapshot(appeal), "status": Status.SUBMITTED, "owner_id": None}
            events.append(
                AppealEvent(
                    appeal=appeal,
                    at=now,
                    actor=created_by,
                    actor_name=actor_name(by),
                    action="submit",
                    from_status="",
                    to_status=Status.SUBMITTED,
                    note=f"经{appeal.get_channel_display()}提交",
                    data={"method": appeal.routing_method, "confidence": appeal.routing_confidence},
                )
            )
            audits.append(AuditEntry(by, "appeals.submit", appeal, {}, appeal.code))
            if appeal.owner_id is not None:
                events.append(
                    AppealEvent(
                        appeal=appeal,
                        at=now,
                        actor_name=actor_name(SYSTEM),
                        action="dispatch",
                        from_status=Status.SUBMITTED,
                        to_status=Status.DISPATCHED,
                        note=f"自动派单至 {appeal.owner.name}",
                        data={"owner": appeal.owner_id, "auto": True},
                    )
                )
                audits.append(
                    AuditEntry(
                        SYSTEM,
                        "appeals.dispatch",
                        appeal,
                        changes_between(submitted, snapshot(appeal)),
                        appeal.code,
                    )
                )
        AppealEvent.objects.bulk_create(events)
        audit_record_many(audits)
        for appeal, (_, checked) in zip(appeals, prepared, strict=True):
            for photo in checked:
                att = Attachment(appeal=appeal, ext=photo.ext, size=len(photo.data))
                att.file.save(f"photo.{photo.ext}", ContentFile(photo.data), save=False)
                att.save()
        send_changes([AppealChange(appeal=a, before=None, action="submit") for a in appeals])
        notify_many(
            kind=NotificationKind.DISPATCHED,
            items=[(a, a.owner_id, f"新诉求 {a.code}：{a.title}") for a in appeals if a.owner_id],
        )
    return appeals
