"""Secondment pages: batches with progress, one secondee's mentor list, study plan and
reviews."""

from django.shortcuts import render
from django.utils import timezone

from jiceng.core.models import PostTitle

from .. import selectors, services
from ..forms import (
    BatchForm,
    MentorTaskForm,
    MentorTaskUpdateForm,
    ReviewForm,
    SecondeeForm,
    StudyItemForm,
    StudyItemUpdateForm,
    choices_of,
)
from ..models.secondment import SECONDEE_TITLES, ReviewStage, WorkStatus
from ..permissions import can
from .base import ActionView, CadresView, CreateView, area_choices


class BatchListView(CadresView):
    def get(self, request):
        user = request.user
        return render(
            request,
            "cadres/batch_list.html",
            {
                "batches": list(selectors.batch_list_visible_to(user=user)),
                "can_organize": can(user, "organize"),
            },
        )


class BatchCreateView(CreateView):
    title = "新建挂职批次"
    intro = "如《关于开展2024年度城市社区党组织书记及专职副书记区内挂职交流的工作方案》确定的批次。"
    back_url_name = "cadres:batch_list"

    def make_form(self, request, data=None):
        form = BatchForm(data, initial={"year": timezone.localdate().year})
        area_choices(form, "area", selectors.organizer_area_choices(user=request.user))
        return form

    def perform(self, user, form):
        d = form.cleaned_data
        return services.batch_create(by=user, **{**d, "area": form.areas[d["area"]]})


def _secondee_form(user, batch, data=None) -> SecondeeForm:
    """The form with its pickers: secretaries and deputies of the batch's area not in it yet,
    and the host communities' secretaries as mentors (头雁 marked)."""
    taken = {s.person_id for s in batch.secondees.all()}
    people = [
        p
        for p in selectors.people_holding(
            user=user, titles=SECONDEE_TITLES, under=batch.area, on=batch.starts_on
        )
        if p.person_id not in taken
    ]
    mentors = list(
        selectors.people_holding(
            user=user,
            titles=[PostTitle.COMMUNITY_SECRETARY],
            under=batch.area,
            on=batch.starts_on,
        )
    )
    leaders = selectors.leader_person_ids(person_ids=[m.person_id for m in mentors])
    form = SecondeeForm(data)
    form.fields["person_post"].choices = choices_of(
        people, lambda p: f"{p.person.name}（{p.area.name}·{p.get_title_display()}）"
    )
    form.fields["mentor_post"].choices = choices_of(
        mentors,
        lambda p: (
            f"{p.area.name} · 导师 {p.person.name}" + ("（头雁）" if p.person_id in leaders else "")
        ),
    )
    form.posts = {str(p.pk): p for p in people + mentors}
    return form


class BatchDetailView(CadresView):
    def get(self, request, pk):
        user = request.user
        batch = selectors.batch_get_for(user=user, pk=pk)
        secondees = selectors.secondee_list_for_batch(user=user, batch=batch)
        manager = can(user, "manage_batch", batch)
        return render(
            request,
            "cadres/batch_detail.html",
            {
                "batch": batch,
                "secondees": secondees,
                "leaders": selectors.leader_person_ids(person_ids=[s.mentor_id for s in secondees]),
                "overall": round(sum(s.progress for s in secondees) / len(secondees))
                if secondees
                else 0,
                "midterm_done": sum(1 for s in secondees if s.midterm_score is not None),
                "final_done": sum(1 for s in secondees if s.final_score is not None),
                "manager": manager,
                "form": _secondee_form(user, batch) if manager else None,
            },
        )


class SecondeeAddView(ActionView):
    action = "manage_batch"
    success = "已添加挂职人员。"

    def target(self, user, pk):
        return selectors.batch_get_for(user=user, pk=pk)

    def make_form(self, request, batch):
        return _secondee_form(request.user, batch, request.POST)

    def perform(self, user, batch, form):
        person_post = form.posts[form.cleaned_data["person_post"]]
        mentor_post = form.posts[form.cleaned_data["mentor_post"]]
        services.secondee_add(
            by=user,
            batch=batch,
            person=person_post.person,
            host_area=mentor_post.area,
            mentor=mentor_post.person,
            focus=form.cleaned_data["focus"],
        )


class SecondeeDetailView(CadresView):
    """Open to the secondee and the mentor themselves whatever their role: the selector
    decides who sees the page."""

    def allowed(self, user) -> bool:
        return True

    def get(self, request, pk):
        user = request.user
        secondee = selectors.secondee_get_for(user=user, pk=pk)
        today = timezone.localdate()
        tasks = list(secondee.mentor_tasks.all())
        items = list(secondee.study_items.all())
        reviews = list(secondee.reviews.all())
        edit_tasks = can(user, "edit_mentor_tasks", secondee)
        edit_study = can(user, "edit_study_plan", secondee)
        review = can(user, "review_secondee", secondee)
        done_stages = {r.stage for r in reviews}
        review_form = None
        if review and len(done_stages) < len(ReviewStage.values):
            review_form = ReviewForm(
                initial={
                    "reviewed_on": today,
                    "stage": ReviewStage.FINAL
                    if ReviewStage.MIDTERM in done_stages
                    else ReviewStage.MIDTERM,
                }
            )
        for row in tasks + items:
            row.overdue = row.is_overdue(today)
        tasks_done = sum(1 for t in tasks if t.status == WorkStatus.DONE)
        items_done = sum(1 for i in items if i.status == WorkStatus.DONE)
        return render(
            request,
            "cadres/secondee_detail.html",
            {
                "secondee": secondee,
                "batch": secondee.batch,
                "tasks": tasks,
                "items": items,
                "reviews": reviews,
                "tasks_done": tasks_done,
                "items_done": items_done,
                "tasks_pct": round(100 * tasks_done / len(tasks)) if tasks else 0,
                "items_pct": round(100 * items_done / len(items)) if items else 0,
                "mentor_is_leader": bool(
                    selectors.leader_person_ids(person_ids=[secondee.mentor_id])
                ),
                "is_self": getattr(user, "person_id", None) == secondee.person_id,
                "is_mentor": getattr(user, "person_id", None) == secondee.mentor_id,
                "edit_tasks": edit_tasks,
                "edit_study": edit_study,
                "task_form": MentorTaskForm(initial={"due_on": secondee.ends_on})
                if edit_tasks
                else None,
                "task_update_form": MentorTaskUpdateForm() if edit_tasks else None,
                "study_form": StudyItemForm(initial={"due_on": secondee.ends_on})
                if edit_study
                else None,
                "study_update_form": StudyItemUpdateForm() if edit_study else None,
                "review_form": review_form,
                "today": today,
            },
        )


class SecondeeActionView(ActionView):
    """Writes on a secondee's page: the secondee and the mentor may make them without a
    business role; the policy (``action``) decides."""

    def allowed(self, user) -> bool:
        return True


class PlanItemAddView(SecondeeActionView):
    """Add a line to one of the secondee's plans (``anchor`` is the plan's place on the page)."""

    anchor: str

    def target(self, user, pk):
        return selectors.secondee_get_for(user=user, pk=pk)

    def back(self, secondee):
        return secondee.get_absolute_url() + self.anchor


class PlanItemUpdateView(SecondeeActionView):
    """Move a line of one of the secondee's plans along."""

    anchor: str

    def subject(self, item):
        return item.secondee

    def back(self, item):
        return item.secondee.get_absolute_url() + self.anchor


class MentorTaskAddView(PlanItemAddView):
    action = "edit_mentor_tasks"
    form_class = MentorTaskForm
    success = "已加入帮带清单。"
    anchor = "#mentor-tasks"

    def perform(self, user, secondee, form):
        services.mentor_task_add(by=user, secondee=secondee, **form.cleaned_data)


class MentorTaskUpdateView(PlanItemUpdateView):
    action = "edit_mentor_tasks"
    form_class = MentorTaskUpdateForm
    success = "帮带任务进度已更新。"
    anchor = "#mentor-tasks"

    def target(self, user, pk):
        return selectors.mentor_task_get_for(user=user, pk=pk)

    def perform(self, user, task, form):
        services.mentor_task_update(by=user, task=task, **form.cleaned_data)


class StudyItemAddView(PlanItemAddView):
    action = "edit_study_plan"
    form_class = StudyItemForm
    success = "已加入学习计划。"
    anchor = "#study-plan"

    def perform(self, user, secondee, form):
        services.study_item_add(by=user, secondee=secondee, **form.cleaned_data)


class StudyItemUpdateView(PlanItemUpdateView):
    action = "edit_study_plan"
    form_class = StudyItemUpdateForm
    success = "学习计划进度已更新。"
    anchor = "#study-plan"

    def target(self, user, pk):
        return selectors.study_item_get_for(user=user, pk=pk)

    def perform(self, user, item, form):
        services.study_item_update(by=user, item=item, **form.cleaned_data)


class ReviewRecordView(SecondeeActionView):
    action = "review_secondee"
    form_class = ReviewForm
    success = "考核结果已录入。"

    def target(self, user, pk):
        return selectors.secondee_get_for(user=user, pk=pk)

    def back(self, secondee):
        return secondee.get_absolute_url() + "#reviews"

    def perform(self, user, secondee, form):
        services.review_record(by=user, secondee=secondee, **form.cleaned_data)
