"""Writes of projects: registration, status, milestones and their progress, notes and
photos. Each change also appends an entry to the project's timeline (``ProjectEvent``)."""

import uuid
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.clean import clean_choice, clean_date, clean_text
from jiceng.core.errors import ValidationFailed
from jiceng.core.images import check_image, read_upload
from jiceng.core.models import Area

from ..models import (
    FirstSecretary,
    IncomeModel,
    Milestone,
    Project,
    ProjectEvent,
    ProjectEventKind,
    ProjectPhoto,
    ProjectStatus,
    Supporter,
)
from .common import clean_money, require, require_village

MAX_MILESTONE_DEPTH = 3
PROJECT_FIELDS = (
    "name",
    "partner",
    "supporter",
    "first_secretary",
    "introduced_on",
    "investment",
    "income_contribution",
    "model",
    "description",
)


def _event(project: Project, kind: str, text: str, *, by, on: date | None = None) -> None:
    ProjectEvent.objects.create(
        project=project,
        kind=kind,
        text=text[:300],
        happened_on=on or timezone.localdate(),
        actor=by if getattr(by, "is_authenticated", False) else None,
    )


def _project_values(
    *,
    area: Area,
    name,
    partner,
    supporter: Supporter | None,
    first_secretary: FirstSecretary | None,
    introduced_on,
    investment,
    income_contribution,
    model,
    description,
) -> dict:
    introduced_on = clean_date(introduced_on, field="introduced_on", label="引进日期")
    if first_secretary is not None:
        if first_secretary.area_id != area.pk:
            raise ValidationFailed("引进项目的第一书记须派驻在本村。", field="first_secretary")
        if not first_secretary.starts_on <= introduced_on <= first_secretary.term_end:
            raise ValidationFailed("引进日期须在该第一书记的任期之内。", field="introduced_on")
    return {
        "name": clean_text(name, field="name", label="项目名称", max_length=100),
        "partner": clean_text(
            partner, field="partner", label="合作方", max_length=100, required=False
        ),
        "supporter": supporter,
        "first_secretary": first_secretary,
        "introduced_on": introduced_on,
        "investment": clean_money(investment, field="investment", label="投资额", required=False)
        or Decimal(0),
        "income_contribution": clean_money(
            income_contribution, field="income_contribution", label="年增收", required=False
        )
        or Decimal(0),
        "model": clean_choice(model, IncomeModel, field="model", label="发展模式", required=False),
        "description": clean_text(
            description, field="description", label="简介", max_length=500, required=False
        ),
    }


def project_create(
    *,
    by,
    area: Area,
    name: str,
    introduced_on: date,
    partner: str = "",
    supporter: Supporter | None = None,
    first_secretary: FirstSecretary | None = None,
    investment=0,
    income_contribution=0,
    model: str = "",
    description: str = "",
    status: str = ProjectStatus.PLANNED,
) -> Project:
    require_village(area)
    require(by, "edit_project", area, "您无权为该村登记项目。")
    values = _project_values(
        area=area,
        name=name,
        partner=partner,
        supporter=supporter,
        first_secretary=first_secretary,
        introduced_on=introduced_on,
        investment=investment,
        income_contribution=income_contribution,
        model=model,
        description=description,
    )
    status = clean_choice(status, ProjectStatus, field="status", label="状态")
    with transaction.atomic():
        Area.objects.select_for_update().get(pk=area.pk)
        if Project.objects.filter(area=area, name=values["name"]).exists():
            raise ValidationFailed(f"{area.name} 已有名为“{values['name']}”的项目。", field="name")
        project = Project.objects.create(area=area, status=status, **values)
        _event(
            project,
            ProjectEventKind.CREATED,
            f"登记项目“{project.name}”",
            by=by,
            on=project.introduced_on,
        )
        audit_record(
            actor=by,
            action="rural.project_create",
            obj=project,
            changes=changes_between({}, {**values, "area": area.code, "status": status}),
        )
    return project


def project_update(*, by, project: Project, **fields) -> Project:
    """Change the project's facts (any of ``PROJECT_FIELDS``); status has its own service."""
    require(by, "edit_project", project.area, "您无权修改该项目。")
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"unknown project fields {sorted(unknown)}")
    with transaction.atomic():
        locked = Project.objects.select_for_update().select_related("area").get(pk=project.pk)
        before = {f: getattr(locked, f) for f in PROJECT_FIELDS}
        values = _project_values(area=locked.area, **{**before, **fields})
        if (
            Project.objects.filter(area_id=locked.area_id, name=values["name"])
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise ValidationFailed(f"本村已有名为“{values['name']}”的项目。", field="name")
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save()
        changes = changes_between(before, values)
        if changes:
            _event(
                locked,
                ProjectEventKind.NOTE,
                "修改项目信息："
                + "、".join(str(Project._meta.get_field(f).verbose_name) for f in changes),
                by=by,
            )
        audit_record(actor=by, action="rural.project_update", obj=locked, changes=changes)
    return locked


def project_set_status(
    *, by, project: Project, status: str, on: date | None = None, note: str = ""
) -> Project:
    require(by, "edit_project", project.area, "您无权变更该项目的状态。")
    status = clean_choice(status, ProjectStatus, field="status", label="状态")
    note = clean_text(note, field="note", label="说明", max_length=200, required=False)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.status == status:
            raise ValidationFailed("项目已是该状态。", field="status")
        before = locked.status
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        text = f"状态：{ProjectStatus(before).label} → {ProjectStatus(status).label}"
        _event(locked, ProjectEventKind.STATUS, f"{text}。{note}" if note else text, by=by, on=on)
        audit_record(
            actor=by,
            action="rural.project_status",
            obj=locked,
            changes=changes_between({"status": before}, {"status": status}),
        )
    return locked


def project_note_add(*, by, project: Project, text: str, on: date | None = None) -> ProjectEvent:
    require(by, "edit_project", project.area, "您无权为该项目记录进展。")
    text = clean_text(text, field="text", label="进展内容", max_length=300)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        _event(locked, ProjectEventKind.NOTE, text, by=by, on=on)
        event = locked.events.order_by("-id").first()
        audit_record(
            actor=by, action="rural.project_note", obj=locked, changes={"text": [None, text]}
        )
    return event


# ---- milestones ---------------------------------------------------------------------------


def _weight(value) -> Decimal:
    try:
        weight = Decimal(str(value))
    except InvalidOperation:
        raise ValidationFailed("权重须为正数。", field="weight") from None
    if not weight.is_finite() or weight <= 0 or weight > 1000:
        raise ValidationFailed("权重须为 0–1000 之间的正数。", field="weight")
    if weight != weight.quantize(Decimal("0.01")):
        raise ValidationFailed("权重最多保留两位小数。", field="weight")
    return weight


def _depth(milestone: Milestone | None) -> int:
    depth = 0
    while milestone is not None:
        depth += 1
        milestone = milestone.parent
    return depth


def milestone_create(
    *,
    by,
    project: Project,
    name: str,
    weight=1,
    parent: Milestone | None = None,
    planned_on: date | None = None,
) -> Milestone:
    """Add a step. Under a parent that was a leaf, the parent's own progress stops
    counting: from now on it is the weighted mean of its children."""
    require(by, "edit_project", project.area, "您无权为该项目增加节点。")
    name = clean_text(name, field="name", label="节点名称", max_length=100)
    weight = _weight(weight)
    if parent is not None:
        if parent.project_id != project.pk:
            raise ValidationFailed("上级节点不属于该项目。", field="parent")
        if _depth(parent) >= MAX_MILESTONE_DEPTH:
            raise ValidationFailed(f"节点最多 {MAX_MILESTONE_DEPTH} 级。", field="parent")
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        siblings = Milestone.objects.filter(project=locked, parent=parent)
        position = (max(siblings.values_list("position", flat=True), default=0)) + 1
        milestone = Milestone.objects.create(
            project=locked,
            parent=parent,
            name=name,
            weight=weight,
            planned_on=planned_on,
            position=position,
        )
        where = f"（{parent.name} 之下）" if parent else ""
        _event(locked, ProjectEventKind.MILESTONE, f"新增节点“{name}”{where}，权重 {weight}", by=by)
        audit_record(
            actor=by,
            action="rural.milestone_create",
            obj=milestone,
            changes=changes_between(
                {}, {"name": name, "weight": weight, "parent": parent, "planned_on": planned_on}
            ),
        )
    return milestone


def milestone_set_progress(
    *, by, milestone: Milestone, progress: int, done_on: date | None = None
) -> Milestone:
    """Set a leaf's progress (0–100); 100 marks it done (on ``done_on``, else today)."""
    project = milestone.project
    require(by, "edit_project", project.area, "您无权更新该项目的进度。")
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ValidationFailed("进度须为 0–100 之间的整数。", field="progress")
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if Milestone.objects.filter(parent=locked).exists():
            raise ValidationFailed(
                "该节点有下级节点，其进度由下级节点按权重计算，请更新下级节点。",
                field="progress",
            )
        before = {"progress": locked.progress, "done_on": locked.done_on}
        locked.progress = progress
        locked.done_on = (done_on or timezone.localdate()) if progress == 100 else None
        locked.save(update_fields=["progress", "done_on"])
        after = {"progress": locked.progress, "done_on": locked.done_on}
        _event(
            project,
            ProjectEventKind.PROGRESS,
            f"节点“{locked.name}”进度 {before['progress']}% → {progress}%",
            by=by,
            on=locked.done_on,
        )
        audit_record(
            actor=by,
            action="rural.milestone_progress",
            obj=locked,
            changes=changes_between(before, after),
        )
    return locked


# ---- photos -------------------------------------------------------------------------------


def check_photo(data: bytes) -> tuple[str, str, int, int]:
    """(content type, extension with its dot, width, height) of a photo checked by content."""
    image = check_image(data, field="photo", label="照片")
    return image.content_type, f".{image.ext}", image.width, image.height


def project_photo_add(*, by, project: Project, upload, caption: str = "") -> ProjectPhoto:
    """Store a photo of the project under a random name, after ``check_photo``."""
    require(by, "edit_project", project.area, "您无权为该项目上传照片。")
    caption = clean_text(caption, field="caption", label="说明", max_length=100, required=False)
    if upload is None:
        raise ValidationFailed("请选择照片。", field="photo")
    data = read_upload(upload)
    content_type, extension, width, height = check_photo(data)
    stored = None
    try:
        with transaction.atomic():
            locked = Project.objects.select_for_update().get(pk=project.pk)
            photo = ProjectPhoto(
                project=locked,
                caption=caption,
                content_type=content_type,
                width=width,
                height=height,
                size=len(data),
                uploaded_by=by if getattr(by, "is_authenticated", False) else None,
            )
            photo.image.save(f"{uuid.uuid4().hex}{extension}", ContentFile(data), save=False)
            stored = photo.image.name
            photo.save()
            text = f"上传照片：{caption}" if caption else "上传照片"
            _event(locked, ProjectEventKind.PHOTO, text, by=by)
            audit_record(
                actor=by,
                action="rural.project_photo_add",
                obj=photo,
                changes=changes_between({}, {"caption": caption, "size": len(data)}),
            )
    except Exception:
        # Nothing was written to the database: leave no file behind either.
        if stored:
            photo.image.storage.delete(stored)
        raise
    return photo
