"""Writes of secondment: batches, secondees, the mentor's task list, the study plan and
the reviews."""

from datetime import date

from django.db import transaction

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.clean import clean_text
from jiceng.core.errors import ValidationFailed
from jiceng.core.models import Area, AreaKind, Person, Post, PostTitle

from ..models import (
    MentorTask,
    MentorTaskKind,
    ReviewStage,
    Secondee,
    SecondeeStatus,
    SecondmentBatch,
    SecondmentReview,
    StudyItem,
    WorkStatus,
)
from ..models.secondment import SECONDEE_TITLES
from .common import check_score, check_year, require, today

CN_NUMBERS = "零一二三四五六七八九十"


def batch_name(year: int, number: int) -> str:
    ordinal = CN_NUMBERS[number] if number <= 10 else str(number)
    return f"{year}年度第{ordinal}批区内挂职交流"


def batch_create(
    *,
    by,
    year: int,
    number: int,
    area: Area,
    starts_on: date,
    ends_on: date,
    plan_document: str = "",
    name: str = "",
) -> SecondmentBatch:
    require(by, "organize_in", area, "您无权在该区域组织挂职交流。")
    if area.kind not in (AreaKind.DISTRICT, AreaKind.STREET):
        raise ValidationFailed("挂职交流由区或街道组织，请选择区或街道。", field="area")
    year = check_year(year)
    if number < 1:
        raise ValidationFailed("批次应为正整数。", field="number")
    if ends_on < starts_on:
        raise ValidationFailed("结束日期不能早于开始日期。", field="ends_on")
    if SecondmentBatch.objects.filter(area=area, year=year, number=number).exists():
        raise ValidationFailed(f"{year}年度第{number}批已存在。", field="number")
    values = {
        "year": year,
        "number": number,
        "name": clean_text(name, field="name", label="名称", max_length=100, required=False)
        or batch_name(year, number),
        "area": area,
        "plan_document": clean_text(
            plan_document, field="plan_document", label="工作方案", max_length=200, required=False
        ),
        "starts_on": starts_on,
        "ends_on": ends_on,
    }
    with transaction.atomic():
        batch = SecondmentBatch.objects.create(**values)
        audit_record(
            actor=by, action="cadres.batch_create", obj=batch, changes=changes_between({}, values)
        )
    return batch


def _home_post(person: Person, on: date) -> Post:
    posts = (
        Post.objects.current(on)
        .filter(person=person, title__in=SECONDEE_TITLES, area__kind=AreaKind.COMMUNITY)
        .select_related("area")
        .order_by("title", "id")  # community_deputy < community_secretary: prefer secretary
    )
    by_title = {p.title: p for p in posts}
    post = by_title.get(PostTitle.COMMUNITY_SECRETARY) or by_title.get(PostTitle.COMMUNITY_DEPUTY)
    if post is None:
        raise ValidationFailed(
            f"{person.name}在挂职开始时不是社区党组织书记或专职副书记，不能参加本批挂职。",
            field="person",
        )
    return post


def secondee_add(
    *,
    by,
    batch: SecondmentBatch,
    person: Person,
    host_area: Area,
    mentor: Person,
    focus: str = "",
) -> Secondee:
    """Add a community secretary or deputy to the batch. The mentor must be the host
    community's secretary when the batch starts (the article's 优秀社区书记)."""
    require(by, "manage_batch", batch, "您无权调整该批次的挂职人员。")
    home = _home_post(person, batch.starts_on)
    if host_area.kind != AreaKind.COMMUNITY or not host_area.code.startswith(batch.area.code):
        raise ValidationFailed(f"挂职社区应为{batch.area.name}的社区。", field="host_area")
    if host_area.pk == home.area_id:
        raise ValidationFailed("挂职社区不能是本人所在社区。", field="host_area")
    if mentor.pk == person.pk:
        raise ValidationFailed("导师不能是挂职人员本人。", field="mentor")
    is_host_secretary = (
        Post.objects.current(batch.starts_on)
        .filter(person=mentor, title=PostTitle.COMMUNITY_SECRETARY, area=host_area)
        .exists()
    )
    if not is_host_secretary:
        raise ValidationFailed(f"导师应为{host_area.name}的社区党组织书记。", field="mentor")
    values = {
        "person": person,
        "home_area": home.area,
        "home_title": home.title,
        "host_area": host_area,
        "mentor": mentor,
        "starts_on": batch.starts_on,
        "ends_on": batch.ends_on,
        "focus": (focus or "").strip(),
    }
    with transaction.atomic():
        SecondmentBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.secondees.filter(person=person).exists():
            raise ValidationFailed(f"{person.name}已在本批挂职人员中。", field="person")
        if batch.secondees.filter(mentor=person).exists():
            raise ValidationFailed(f"{person.name}是本批的导师，不能同时挂职。", field="person")
        secondee = Secondee.objects.create(batch=batch, **values)
        audit_record(
            actor=by,
            action="cadres.secondee_add",
            obj=secondee,
            changes=changes_between({}, {"batch": batch, **values}),
        )
    return secondee


def _check_due(secondee: Secondee, due_on: date) -> None:
    if not secondee.starts_on <= due_on <= secondee.ends_on:
        raise ValidationFailed(
            f"完成时限应在挂职期内（{secondee.starts_on:%Y-%m-%d} 至 "
            f"{secondee.ends_on:%Y-%m-%d}）。",
            field="due_on",
        )


def _plan_item_add(*, by, secondee: Secondee, model, values: dict, duplicate: str, action: str):
    """Add a line to one of the secondee's plans; the caller has checked the permission."""
    _check_due(secondee, values["due_on"])
    with transaction.atomic():
        Secondee.objects.select_for_update().get(pk=secondee.pk)
        if model.objects.filter(secondee=secondee, title=values["title"]).exists():
            raise ValidationFailed(duplicate, field="title")
        item = model.objects.create(secondee=secondee, **values)
        audit_record(
            actor=by,
            action=action,
            obj=item,
            changes=changes_between({}, {"secondee": secondee, **values}),
        )
    return item


def _plan_item_update(*, by, item, status: str, note: str, completed_on: date | None, action: str):
    """Move a plan line along; one marked done needs its note (the model's ``note_field``)."""
    if status not in WorkStatus.values:
        raise ValidationFailed("进度无效。", field="status")
    note = (note or "").strip()
    if status == WorkStatus.DONE:
        if not note:
            raise ValidationFailed(
                f"标记为已完成时须填写{item.note_label}。", field=item.note_field
            )
        completed_on = completed_on or today()
        if completed_on < item.secondee.starts_on:
            raise ValidationFailed("完成日期不能早于挂职开始日期。", field="completed_on")
    else:
        completed_on = None
    fields = ("status", item.note_field, "completed_on")
    with transaction.atomic():
        locked = type(item).objects.select_for_update().get(pk=item.pk)
        before = {f: getattr(locked, f) for f in fields}
        for field, value in zip(fields, (status, note, completed_on), strict=True):
            setattr(locked, field, value)
        locked.save(update_fields=[*fields, "updated_at"])
        audit_record(
            actor=by,
            action=action,
            obj=locked,
            changes=changes_between(before, {f: getattr(locked, f) for f in fields}),
        )
    return locked


def mentor_task_add(
    *,
    by,
    secondee: Secondee,
    title: str,
    due_on: date,
    kind: str = MentorTaskKind.TASK,
    description: str = "",
) -> MentorTask:
    require(by, "edit_mentor_tasks", secondee, "只有导师和组织部门可以制定帮带清单。")
    title = clean_text(title, field="title", label="帮带内容", max_length=200)
    if kind not in MentorTaskKind.values:
        raise ValidationFailed("类别无效。", field="kind")
    return _plan_item_add(
        by=by,
        secondee=secondee,
        model=MentorTask,
        values={"kind": kind, "title": title, "description": description.strip(), "due_on": due_on},
        duplicate="帮带清单中已有该项内容。",
        action="cadres.mentor_task_add",
    )


def mentor_task_update(
    *, by, task: MentorTask, status: str, evidence: str = "", completed_on: date | None = None
) -> MentorTask:
    """Move a task along; one marked done needs its evidence (佐证材料)."""
    require(by, "edit_mentor_tasks", task.secondee, "只有导师和组织部门可以更新帮带清单。")
    return _plan_item_update(
        by=by,
        item=task,
        status=status,
        note=evidence,
        completed_on=completed_on,
        action="cadres.mentor_task_update",
    )


def study_item_add(*, by, secondee: Secondee, title: str, due_on: date, gap: str = "") -> StudyItem:
    require(by, "edit_study_plan", secondee, "只有挂职人员本人和组织部门可以制定学习计划。")
    title = clean_text(title, field="title", label="学习任务", max_length=200)
    gap = clean_text(gap, field="gap", label="短板弱项", max_length=200, required=False)
    return _plan_item_add(
        by=by,
        secondee=secondee,
        model=StudyItem,
        values={"title": title, "gap": gap, "due_on": due_on},
        duplicate="学习计划中已有该项任务。",
        action="cadres.study_item_add",
    )


def study_item_update(
    *, by, item: StudyItem, status: str, reflection: str = "", completed_on: date | None = None
) -> StudyItem:
    """Move a study item along; one marked done needs the secondee's reflection."""
    require(by, "edit_study_plan", item.secondee, "只有挂职人员本人和组织部门可以更新学习计划。")
    return _plan_item_update(
        by=by,
        item=item,
        status=status,
        note=reflection,
        completed_on=completed_on,
        action="cadres.study_item_update",
    )


def review_record(
    *,
    by,
    secondee: Secondee,
    stage: str,
    reviewed_on: date,
    score,
    comment: str = "",
) -> SecondmentReview:
    """The mid-term or final review; the final one closes the secondment (已期满)."""
    require(by, "review_secondee", secondee, "只有组织该批挂职的部门可以考核。")
    if stage not in ReviewStage.values:
        raise ValidationFailed("考核阶段无效。", field="stage")
    points = check_score(score, field="score", label="得分")
    if not secondee.starts_on <= reviewed_on:
        raise ValidationFailed("考核日期不能早于挂职开始日期。", field="reviewed_on")
    if secondee.status == SecondeeStatus.WITHDRAWN:
        raise ValidationFailed("该挂职已中止，不再考核。", field="stage")
    with transaction.atomic():
        locked = Secondee.objects.select_for_update().get(pk=secondee.pk)
        done = dict(locked.reviews.values_list("stage", "reviewed_on"))
        if stage in done:
            raise ValidationFailed(f"已录入{ReviewStage(stage).label}。", field="stage")
        if stage == ReviewStage.FINAL:
            if ReviewStage.MIDTERM not in done:
                raise ValidationFailed("请先录入中期考核，再录入期满考核。", field="stage")
            if reviewed_on < done[ReviewStage.MIDTERM]:
                raise ValidationFailed("期满考核日期不能早于中期考核。", field="reviewed_on")
        review = SecondmentReview.objects.create(
            secondee=locked,
            stage=stage,
            reviewed_on=reviewed_on,
            score=points,
            comment=(comment or "").strip(),
            reviewer=by if getattr(by, "is_authenticated", False) else None,
        )
        if stage == ReviewStage.FINAL:
            locked.status = SecondeeStatus.COMPLETED
            locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=by,
            action="cadres.review_record",
            obj=review,
            changes=changes_between(
                {},
                {"secondee": locked, "stage": stage, "reviewed_on": reviewed_on, "score": points},
            ),
        )
    return review
