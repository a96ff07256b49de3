"""Writes of training: programmes, sessions, sign-up and attendance."""

import csv
import io
from collections import Counter
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.clean import clean_text
from jiceng.core.errors import ValidationFailed
from jiceng.core.excel import escape_cell
from jiceng.core.models import Area, AreaKind, Person

from ..models import (
    Attendance,
    AttendanceStatus,
    Audience,
    Enrolment,
    EnrolmentSource,
    TrainingProgramme,
    TrainingSession,
)
from ..permissions import can
from .common import check_score, check_year, require, today


def programme_create(
    *,
    by,
    name: str,
    year: int,
    area: Area,
    organizer: str,
    audience: str,
    description: str = "",
    signup_closes_on: date | None = None,
) -> TrainingProgramme:
    require(by, "organize_in", area, "您无权在该区域举办培训。")
    if area.kind not in (AreaKind.DISTRICT, AreaKind.STREET):
        raise ValidationFailed("培训由区或街道举办，请选择区或街道。", field="area")
    name = clean_text(name, field="name", label="培训项目名称", max_length=100)
    organizer = clean_text(organizer, field="organizer", label="主办单位", max_length=100)
    if audience not in Audience.values:
        raise ValidationFailed("培训对象无效。", field="audience")
    if TrainingProgramme.objects.filter(area=area, name=name).exists():
        raise ValidationFailed(f"{area.name}已有名为“{name}”的培训项目。", field="name")
    values = {
        "name": name,
        "year": check_year(year),
        "area": area,
        "organizer": organizer,
        "audience": audience,
        "description": (description or "").strip(),
        "signup_closes_on": signup_closes_on,
    }
    with transaction.atomic():
        programme = TrainingProgramme.objects.create(**values)
        audit_record(
            actor=by,
            action="cadres.programme_create",
            obj=programme,
            changes=changes_between({}, values),
        )
    return programme


def session_create(
    *,
    by,
    programme: TrainingProgramme,
    topic: str,
    held_on: date,
    place: str,
    trainer: str,
    hours,
) -> TrainingSession:
    require(by, "manage_programme", programme, "您无权为该培训项目安排课程。")
    topic = clean_text(topic, field="topic", label="课程主题", max_length=100)
    place = clean_text(place, field="place", label="地点", max_length=100)
    trainer = clean_text(trainer, field="trainer", label="授课人", max_length=100)
    hours = check_score(hours, field="hours", label="学时", maximum=Decimal("24"))
    if hours <= 0:
        raise ValidationFailed("学时应大于 0。", field="hours")
    if held_on.year != programme.year:
        raise ValidationFailed(f"课程日期应在项目年度（{programme.year}年）内。", field="held_on")
    if programme.sessions.filter(held_on=held_on, topic=topic).exists():
        raise ValidationFailed("同一天已有同名课程。", field="topic")
    values = {
        "topic": topic,
        "held_on": held_on,
        "place": place,
        "trainer": trainer,
        "hours": hours,
    }
    with transaction.atomic():
        TrainingProgramme.objects.select_for_update().get(pk=programme.pk)
        session = TrainingSession.objects.create(programme=programme, **values)
        audit_record(
            actor=by,
            action="cadres.session_create",
            obj=session,
            changes=changes_between({}, {"programme": programme, **values}),
        )
    return session


def enrolment_create(
    *, by, programme: TrainingProgramme, person: Person, on: date | None = None
) -> Enrolment:
    """Sign ``person`` up. A community signs up its people and anyone themselves, while
    sign-up is open; the programme's organizer may add people after it closes."""
    on = on or today()
    if by is not None and not can(by, "manage_programme", programme):
        require(by, "enrol_person", person, "您只能为本社区（村）人员或本人报名。")
        if not programme.signup_open(on):
            raise ValidationFailed(
                f"报名已于{programme.signup_closes_on:%Y-%m-%d}截止。", field="person"
            )
    self_signed = by is not None and getattr(by, "person_id", None) == person.pk
    with transaction.atomic():
        TrainingProgramme.objects.select_for_update().get(pk=programme.pk)
        if programme.enrolments.filter(person=person).exists():
            raise ValidationFailed(f"{person.name}已报名该培训。", field="person")
        enrolment = Enrolment.objects.create(
            programme=programme,
            person=person,
            area=person.area,
            enrolled_on=on,
            source=EnrolmentSource.SELF if self_signed else EnrolmentSource.STAFF,
        )
        audit_record(
            actor=by,
            action="cadres.enrolment_create",
            obj=enrolment,
            changes=changes_between(
                {}, {"programme": programme, "person": person, "area": person.area}
            ),
        )
    return enrolment


def attendance_record(
    *, by, session: TrainingSession, statuses: dict[int, str], on: date | None = None
) -> dict[str, int]:
    """Record attendance of the session: enrolment id -> status. Sign-ups not named keep
    what they had. Returns how many of each status the session now has."""
    require(by, "manage_programme", session.programme, "您无权登记该课程的考勤。")
    on = on or today()
    if session.held_on > on:
        raise ValidationFailed("课程尚未举行，不能登记考勤。", field="status")
    if any(s not in AttendanceStatus.values for s in statuses.values()):
        raise ValidationFailed("考勤状态无效。", field="status")
    with transaction.atomic():
        TrainingSession.objects.select_for_update().get(pk=session.pk)
        enrolled = set(
            session.programme.enrolments.filter(pk__in=statuses).values_list("pk", flat=True)
        )
        if enrolled != set(statuses):
            raise ValidationFailed("考勤名单中有未报名该培训的人员。", field="status")
        existing = {a.enrolment_id: a for a in session.attendance.select_for_update()}
        before = {str(k): a.status for k, a in existing.items() if k in statuses}
        new_rows, changed = [], []
        for enrolment_id, status in statuses.items():
            row = existing.get(enrolment_id)
            if row is None:
                new_rows.append(
                    Attendance(session=session, enrolment_id=enrolment_id, status=status)
                )
            elif row.status != status:
                row.status, row.updated_at = status, timezone.now()
                changed.append(row)
        Attendance.objects.bulk_create(new_rows)
        Attendance.objects.bulk_update(changed, ["status", "updated_at"])
        after = {str(k): s for k, s in statuses.items()}
        counts = Counter(session.attendance.values_list("status", flat=True))
        audit_record(
            actor=by,
            action="cadres.attendance_record",
            obj=session,
            changes=changes_between(before, after),
        )
    return {s: counts.get(s, 0) for s in AttendanceStatus.values}


def _cell(value) -> str:
    return escape_cell("" if value is None else str(value))


def training_hours_export(*, by, year: int, rows) -> str:
    """The hours-per-person table as CSV (UTF-8 with a BOM, so that Excel reads the Chinese),
    from rows the caller read through ``training_hours_by_person`` for ``by``. Audited."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["姓名", "所在区域", "年度", "学时", "出勤次数", "缺训次数"])
    count = 0
    for r in rows:
        writer.writerow(
            [
                _cell(r["enrolment__person__name"]),
                _cell(r["enrolment__area__name"]),
                year,
                r["hours"],
                r["attended"],
                r["missed"],
            ]
        )
        count += 1
    audit_record(
        actor=by,
        action="cadres.training_hours_export",
        object_repr=f"{year}年参训学时",
        changes={"year": [None, year], "rows": [None, count]},
    )
    return out.getvalue()
