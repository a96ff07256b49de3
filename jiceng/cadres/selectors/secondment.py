"""Reads of secondment: batches, secondees with their progress, one secondee's page."""

from django.db.models import (
    DecimalField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from jiceng.core import tree
from jiceng.core.errors import NotFound
from jiceng.core.indicator_registry import Period
from jiceng.core.models import Area
from jiceng.core.scope import scope_of

from ..models import (
    MentorTask,
    ReviewStage,
    Secondee,
    SecondeeStatus,
    SecondmentBatch,
    SecondmentReview,
    StudyItem,
    WorkStatus,
)
from .common import count_of, own_person_q


def _secondee_q(user, prefix: str = "") -> Q:
    """Secondees hosted in or sent from the user's scope, and the user's own secondment or
    mentee."""
    scope = scope_of(user)
    return (
        scope.module_q("cadres", f"{prefix}host_area__code")
        | scope.module_q("cadres", f"{prefix}home_area__code")
        | own_person_q(user, f"{prefix}person_id")
        | own_person_q(user, f"{prefix}mentor_id")
    )


def batch_list_visible_to(*, user) -> QuerySet:
    visible = Secondee.objects.filter(batch=OuterRef("pk")).filter(_secondee_q(user))
    return (
        SecondmentBatch.objects.filter(
            scope_of(user).module_q("cadres", "area__code") | Q(Exists(visible))
        )
        .select_related("area")
        .annotate(
            secondee_count=count_of(
                Secondee, "batch", pk__in=Secondee.objects.filter(_secondee_q(user)).values("pk")
            )
        )
        .order_by("-year", "-number", "id")
    )


def batch_get_for(*, user, pk: int) -> SecondmentBatch:
    batch = batch_list_visible_to(user=user).filter(pk=pk).first()
    if batch is None:
        raise NotFound("挂职批次不存在或不在您的管辖范围内。")
    return batch


def _review_score(stage: str) -> Subquery:
    return Subquery(
        SecondmentReview.objects.filter(secondee=OuterRef("pk"), stage=stage).values("score")[:1],
        output_field=DecimalField(max_digits=4, decimal_places=1),
    )


def _with_progress(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        tasks_total=count_of(MentorTask, "secondee"),
        tasks_done=count_of(MentorTask, "secondee", status=WorkStatus.DONE),
        study_total=count_of(StudyItem, "secondee"),
        study_done=count_of(StudyItem, "secondee", status=WorkStatus.DONE),
        midterm_score=_review_score(ReviewStage.MIDTERM),
        final_score=_review_score(ReviewStage.FINAL),
    )


def secondee_list_for_batch(*, user, batch: SecondmentBatch) -> list[Secondee]:
    """Visible secondees of the batch with their task and study progress (``.progress`` in
    percent over both lists) and review scores."""
    rows = list(
        _with_progress(batch.secondees.filter(_secondee_q(user)))
        .select_related("person", "home_area", "host_area", "mentor")
        .order_by("host_area__code", "id")
    )
    for s in rows:
        total = s.tasks_total + s.study_total
        s.progress = round(100 * (s.tasks_done + s.study_done) / total) if total else 0
    return rows


def secondee_list_visible_to(
    *, user, under: Area | None = None, period: Period | None = None
) -> QuerySet:
    """Secondees the user may see; ``under`` keeps those hosted in that subtree and
    ``period`` those whose secondment overlaps it. Withdrawn secondments are left out."""
    qs = Secondee.objects.filter(_secondee_q(user)).exclude(status=SecondeeStatus.WITHDRAWN)
    if under is not None:
        qs = qs.filter(tree.subtree_q("host_area__code", under.code))
    if period is not None and not period.is_all_time:
        qs = qs.filter(starts_on__lte=period.end, ends_on__gte=period.start)
    return qs


def secondee_get_for(*, user, pk: int) -> Secondee:
    secondee = (
        Secondee.objects.filter(_secondee_q(user), pk=pk)
        .select_related("batch__area", "person", "home_area", "host_area", "mentor")
        .prefetch_related(
            Prefetch("mentor_tasks", queryset=MentorTask.objects.order_by("due_on", "id")),
            Prefetch("study_items", queryset=StudyItem.objects.order_by("due_on", "id")),
            Prefetch(
                "reviews",
                queryset=SecondmentReview.objects.select_related("reviewer").order_by(
                    "reviewed_on", "id"
                ),
            ),
        )
        .first()
    )
    if secondee is None:
        raise NotFound("挂职人员不存在或不在您的管辖范围内。")
    return secondee


def _plan_item_get_for(model, *, user, pk: int, missing: str):
    item = (
        model.objects.filter(pk=pk, secondee__in=Secondee.objects.filter(_secondee_q(user)))
        .select_related("secondee__host_area", "secondee__batch__area")
        .first()
    )
    if item is None:
        raise NotFound(missing)
    return item


def mentor_task_get_for(*, user, pk: int) -> MentorTask:
    return _plan_item_get_for(
        MentorTask, user=user, pk=pk, missing="帮带任务不存在或不在您的管辖范围内。"
    )


def study_item_get_for(*, user, pk: int) -> StudyItem:
    return _plan_item_get_for(
        StudyItem, user=user, pk=pk, missing="学习计划条目不存在或不在您的管辖范围内。"
    )


def mentor_person_ids(*, person_ids) -> set[int]:
    """Which of these people mentor a secondee now or did (a mark on the 头雁 roster)."""
    return set(
        Secondee.objects.filter(mentor_id__in=[p for p in person_ids if p])
        .exclude(status=SecondeeStatus.WITHDRAWN)
        .values_list("mentor_id", flat=True)
    )
