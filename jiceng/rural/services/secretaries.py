"""Writes about first secretaries: dispatch and recall, trainings and attendance, service
alliances, and the supporters who help villages."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.clean import clean_choice, clean_date, clean_text
from jiceng.core.crypto import blind_index
from jiceng.core.errors import ValidationFailed
from jiceng.core.models import Area, AreaKind, Person, PoliticalStatus, Post, PostTitle
from jiceng.core.services import normalize_id_number, person_create, post_create, post_end

from ..models import (
    AllianceMember,
    AttendanceStatus,
    Contribution,
    ContributionKind,
    FirstSecretary,
    ServiceAlliance,
    Supporter,
    SupporterKind,
    TrainingAttendance,
    TrainingSession,
)
from .common import clean_money, require, require_village

MAX_TERM_YEARS = 5
TRAINING_INTERVAL = timedelta(days=14)
MAX_SCHEDULED = 52


# ---- dispatch and recall ------------------------------------------------------------------


def _overlapping(person: Person, starts_on: date, ends_on: date):
    return FirstSecretary.objects.filter(person=person, starts_on__lte=ends_on).filter(
        Q(recalled_on__gte=starts_on) | Q(recalled_on__isnull=True, ends_on__gte=starts_on)
    )


def first_secretary_dispatch(
    *, by, person: Person, area: Area, sending_unit: str, starts_on: date, ends_on: date
) -> FirstSecretary:
    """Send ``person`` to the village as first secretary and record the post."""
    require_village(area)
    require(by, "manage_first_secretaries", area, "您无权向该村选派第一书记。")
    sending_unit = clean_text(sending_unit, field="sending_unit", label="派出单位", max_length=100)
    clean_date(starts_on, field="starts_on", label="派驻日期")
    clean_date(ends_on, field="ends_on", label="任期届满日期")
    if ends_on <= starts_on:
        raise ValidationFailed("任期届满日期须晚于派驻日期。", field="ends_on")
    if ends_on > starts_on.replace(year=starts_on.year + MAX_TERM_YEARS):
        raise ValidationFailed(f"一届任期不应超过 {MAX_TERM_YEARS} 年。", field="ends_on")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if _overlapping(person, starts_on, ends_on).exists():
            raise ValidationFailed(
                f"{person.name} 在该期间已有第一书记任期，不能重复选派。", field="starts_on"
            )
        dispatch = FirstSecretary.objects.create(
            person=person,
            area=area,
            sending_unit=sending_unit,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        has_post = Post.objects.filter(
            person=person, title=PostTitle.FIRST_SECRETARY, area=area, starts_on=starts_on
        ).exists()
        if not has_post:
            post_create(
                by=by,
                person=person,
                title=PostTitle.FIRST_SECRETARY,
                area=area,
                starts_on=starts_on,
                ends_on=ends_on,
            )
        audit_record(
            actor=by,
            action="rural.first_secretary_dispatch",
            obj=dispatch,
            changes=changes_between(
                {},
                {
                    "person": person,
                    "area": area.code,
                    "sending_unit": sending_unit,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                },
            ),
        )
    return dispatch


def first_secretary_dispatch_by_id_number(
    *,
    by,
    name: str,
    id_number: str,
    phone: str = "",
    area: Area,
    sending_unit: str,
    starts_on: date,
    ends_on: date,
) -> FirstSecretary:
    """Dispatch the person with this ID number, registering them (at the village) first
    when the platform does not know them yet."""
    require_village(area)
    require(by, "manage_first_secretaries", area, "您无权向该村选派第一书记。")
    name = clean_text(name, field="name", label="姓名", max_length=50)
    number = normalize_id_number(id_number)
    if not number:
        raise ValidationFailed("请填写身份证号码。", field="id_number")
    with transaction.atomic():
        person = Person.objects.filter(id_number_index=blind_index(number)).first()
        if person is not None and person.name != name:
            raise ValidationFailed(
                "该身份证号码已登记，但姓名与填写的不符，请核对。", field="id_number"
            )
        if person is None:
            person = person_create(
                by=by,
                name=name,
                area=area,
                phone=phone,
                id_number=number,
                political_status=PoliticalStatus.MEMBER,
            )
        return first_secretary_dispatch(
            by=by,
            person=person,
            area=area,
            sending_unit=sending_unit,
            starts_on=starts_on,
            ends_on=ends_on,
        )


def first_secretary_recall(
    *, by, dispatch: FirstSecretary, recalled_on: date, reason: str
) -> FirstSecretary:
    require(by, "manage_first_secretaries", dispatch.area, "您无权召回该第一书记。")
    clean_date(recalled_on, field="recalled_on", label="召回日期")
    reason = clean_text(reason, field="reason", label="召回原因", max_length=200)
    with transaction.atomic():
        locked = FirstSecretary.objects.select_for_update().get(pk=dispatch.pk)
        if locked.recalled_on is not None:
            raise ValidationFailed("该第一书记已召回。", field="recalled_on")
        if not locked.starts_on <= recalled_on <= locked.ends_on:
            raise ValidationFailed("召回日期须在任期之内。", field="recalled_on")
        locked.recalled_on, locked.recall_reason = recalled_on, reason
        locked.save(update_fields=["recalled_on", "recall_reason", "updated_at"])
        post = (
            Post.objects.filter(
                person_id=locked.person_id, title=PostTitle.FIRST_SECRETARY, area_id=locked.area_id
            )
            .filter(starts_on__lte=recalled_on)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=recalled_on))
            .order_by("-starts_on")
            .first()
        )
        if post is not None:
            post_end(by=by, post=post, ends_on=recalled_on)
        audit_record(
            actor=by,
            action="rural.first_secretary_recall",
            obj=locked,
            changes=changes_between({}, {"recalled_on": recalled_on, "recall_reason": reason}),
        )
    return locked


# ---- trainings ----------------------------------------------------------------------------


def _organizer(area: Area, action: str, message: str, by) -> None:
    if area.kind not in (AreaKind.DISTRICT, AreaKind.STREET):
        raise ValidationFailed("组织单位须为区或街道。", field="area")
    require(by, action, area, message)


def training_sessions_schedule(
    *,
    by,
    area: Area,
    first_on: date,
    topic: str,
    location: str = "",
    hours: Decimal = Decimal(2),
    count: int = 1,
) -> list[TrainingSession]:
    """Schedule ``count`` sessions two weeks apart from ``first_on`` (每两周一次)."""
    _organizer(area, "manage_training", "您无权在该区域组织第一书记培训。", by)
    clean_date(first_on, field="first_on", label="培训日期")
    topic = clean_text(topic, field="topic", label="培训主题", max_length=100)
    location = clean_text(location, field="location", label="地点", max_length=100, required=False)
    if not 1 <= count <= MAX_SCHEDULED:
        raise ValidationFailed(f"一次最多安排 {MAX_SCHEDULED} 期培训。", field="count")
    hours = Decimal(hours)
    if not Decimal("0.5") <= hours <= Decimal(24):
        raise ValidationFailed("学时应在 0.5–24 之间。", field="hours")
    days = [first_on + TRAINING_INTERVAL * n for n in range(count)]
    with transaction.atomic():
        Area.objects.select_for_update().get(pk=area.pk)
        taken = set(
            TrainingSession.objects.filter(area=area, held_on__in=days).values_list(
                "held_on", flat=True
            )
        )
        if taken:
            shown = "、".join(f"{d:%Y-%m-%d}" for d in sorted(taken))
            raise ValidationFailed(f"{area.name} 在 {shown} 已安排培训。", field="first_on")
        sessions = [
            TrainingSession.objects.create(
                area=area, held_on=day, topic=topic, location=location, hours=hours
            )
            for day in days
        ]
        audit_record(
            actor=by,
            action="rural.training_schedule",
            obj=sessions[0],
            changes=changes_between(
                {},
                {"area": area.code, "topic": topic, "first_on": first_on, "count": count},
            ),
        )
    return sessions


def training_attendance_record(
    *, by, session: TrainingSession, statuses: dict[int, str], eligible: list[FirstSecretary]
) -> int:
    """Record attendance for dispatches among ``eligible`` (those the user sees and who
    were in office on the day: ``selectors.training_eligible``). Returns rows written."""
    require(by, "manage_training", session.area, "您无权登记该培训的出勤。")
    allowed = {d.pk for d in eligible}
    unknown = set(statuses) - allowed
    if unknown:
        raise ValidationFailed("出勤名单中有不在任或不在您管辖范围内的第一书记。", field="status")
    for status in statuses.values():
        clean_choice(status, AttendanceStatus, field="status", label="出勤情况")
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        current = {
            a.first_secretary_id: a
            for a in TrainingAttendance.objects.filter(session=locked, first_secretary__in=allowed)
        }
        changed = {}
        for dispatch_id, status in sorted(statuses.items()):
            row = current.get(dispatch_id)
            before = row.status if row else None
            if before == status:
                continue
            if row is None:
                TrainingAttendance.objects.create(
                    session=locked, first_secretary_id=dispatch_id, status=status
                )
            else:
                row.status = status
                row.save(update_fields=["status"])
            changed[str(dispatch_id)] = [before, status]
        if changed:
            audit_record(actor=by, action="rural.training_attendance", obj=locked, changes=changed)
    return len(changed)


# ---- alliances ----------------------------------------------------------------------------


def alliance_create(
    *, by, area: Area, name: str, founded_on: date | None = None, description: str = ""
) -> ServiceAlliance:
    _organizer(area, "manage_alliance", "您无权在该区域成立服务联盟。", by)
    name = clean_text(name, field="name", label="联盟名称", max_length=100)
    description = clean_text(
        description, field="description", label="工作内容", max_length=300, required=False
    )
    with transaction.atomic():
        if ServiceAlliance.objects.filter(name=name).exists():
            raise ValidationFailed(f"已有名为“{name}”的服务联盟。", field="name")
        alliance = ServiceAlliance.objects.create(
            area=area, name=name, founded_on=founded_on, description=description
        )
        audit_record(
            actor=by,
            action="rural.alliance_create",
            obj=alliance,
            changes=changes_between({}, {"area": area.code, "name": name}),
        )
    return alliance


def alliance_member_add(
    *,
    by,
    alliance: ServiceAlliance,
    dispatch: FirstSecretary,
    is_leader: bool = False,
    joined_on: date | None = None,
) -> AllianceMember:
    require(by, "manage_alliance", alliance.area, "您无权调整该服务联盟的成员。")
    if not dispatch.area.is_within(alliance.area.code):
        raise ValidationFailed("该第一书记派驻的村不在联盟片区内。", field="first_secretary")
    with transaction.atomic():
        locked = ServiceAlliance.objects.select_for_update().get(pk=alliance.pk)
        if AllianceMember.objects.filter(alliance=locked, first_secretary=dispatch).exists():
            raise ValidationFailed("该第一书记已是联盟成员。", field="first_secretary")
        if is_leader:
            AllianceMember.objects.filter(alliance=locked, is_leader=True).update(is_leader=False)
        member = AllianceMember.objects.create(
            alliance=locked, first_secretary=dispatch, is_leader=is_leader, joined_on=joined_on
        )
        audit_record(
            actor=by,
            action="rural.alliance_member_add",
            obj=locked,
            changes=changes_between({}, {"first_secretary": dispatch.pk, "is_leader": is_leader}),
        )
    return member


def alliance_member_remove(*, by, alliance: ServiceAlliance, dispatch: FirstSecretary) -> None:
    require(by, "manage_alliance", alliance.area, "您无权调整该服务联盟的成员。")
    with transaction.atomic():
        locked = ServiceAlliance.objects.select_for_update().get(pk=alliance.pk)
        deleted, _ = AllianceMember.objects.filter(
            alliance=locked, first_secretary=dispatch
        ).delete()
        if not deleted:
            raise ValidationFailed("该第一书记不是联盟成员。", field="first_secretary")
        audit_record(
            actor=by,
            action="rural.alliance_member_remove",
            obj=locked,
            changes=changes_between({"first_secretary": dispatch.pk}, {}),
        )


# ---- supporters ---------------------------------------------------------------------------


def supporter_create(
    *, by, area: Area, name: str, kind: str, contact_name: str = "", note: str = ""
) -> Supporter:
    _organizer(area, "manage_supporter", "您无权在该区域登记帮扶力量。", by)
    values = {
        "area": area,
        "name": clean_text(name, field="name", label="名称", max_length=100),
        "kind": clean_choice(kind, SupporterKind, field="kind", label="类型"),
        "contact_name": clean_text(
            contact_name, field="contact_name", label="联系人", max_length=50, required=False
        ),
        "note": clean_text(note, field="note", label="简介", max_length=300, required=False),
    }
    with transaction.atomic():
        if Supporter.objects.filter(name=values["name"]).exists():
            raise ValidationFailed(f"“{values['name']}”已登记。", field="name")
        supporter = Supporter.objects.create(**values)
        audit_record(
            actor=by,
            action="rural.supporter_create",
            obj=supporter,
            changes=changes_between({}, values),
        )
    return supporter


def contribution_add(
    *,
    by,
    supporter: Supporter,
    area: Area,
    kind: str,
    description: str,
    given_on: date,
    amount=None,
) -> Contribution:
    """Record what a supporter (the caller sees it) gives a village."""
    require_village(area)
    require(by, "record_contribution", area, "您无权为该村登记帮扶记录。")
    values = {
        "supporter": supporter,
        "area": area,
        "kind": clean_choice(kind, ContributionKind, field="kind", label="帮扶方式"),
        "description": clean_text(description, field="description", label="内容", max_length=200),
        "given_on": clean_date(given_on, field="given_on", label="日期"),
        "amount": clean_money(amount, field="amount", label="折合金额", required=False),
    }
    with transaction.atomic():
        contribution = Contribution.objects.create(**values)
        audit_record(
            actor=by,
            action="rural.contribution_add",
            obj=contribution,
            changes=changes_between({}, {**values, "area": area.code}),
        )
    return contribution
