"""Selection pages: rounds with their rules, posts, applications, screening reasons,
scores, ranking per post, the publicity period and the appointment."""

from django.shortcuts import render
from django.utils import timezone

from .. import selectors, services
from ..forms import (
    ApplicationForm,
    AppointForm,
    PublicizeForm,
    RoundForm,
    ScoreForm,
    SelectionPostForm,
    choices_of,
)
from ..models import ApplicationStatus, RoundStatus
from ..permissions import can
from ..screening import full_years
from ..workdays import working_days_between
from .base import ActionView, CreateView, PersonnelView, area_choices


class RoundListView(PersonnelView):
    def get(self, request):
        user = request.user
        return render(
            request,
            "cadres/round_list.html",
            {
                "rounds": list(selectors.round_list_visible_to(user=user)),
                "can_organize": can(user, "organize"),
            },
        )


class RoundCreateView(CreateView):
    title = "新建择优选配"
    intro = "按“人岗相适”原则设定报考资格条件和成绩权重；年龄、党龄和工作年限按基准日计算。"
    back_url_name = "cadres:round_list"

    def allowed(self, user) -> bool:
        return can(user, "organize") and can(user, "view_personnel")

    def make_form(self, request, data=None):
        form = RoundForm(data, initial={"year": timezone.localdate().year})
        area_choices(form, "area", selectors.organizer_area_choices(user=request.user))
        return form

    def perform(self, user, form):
        d = form.cleaned_data
        return services.round_create(by=user, **{**d, "area": form.areas[d["area"]]})


def _applicant_facts(application, reference_date) -> None:
    """What the screening looked at, for the table (counted on the round's base date)."""
    person = application.person
    application.age = full_years(person.birth_date, reference_date) if person.birth_date else None
    application.party_years = (
        full_years(person.party_joined_on, reference_date) if person.party_joined_on else None
    )
    started = application.community_work_started_on
    application.community_years = full_years(started, reference_date) if started else None


NOT_ELIGIBLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.INELIGIBLE)


def _ranking_order(application):
    """Ranked first by rank, then the eligible not yet ranked by score, then the rest."""
    if application.rank is not None:
        group = 0
    elif application.status in NOT_ELIGIBLE:
        group = 2
    else:
        group = 1
    return (
        group,
        application.rank or 0,
        -(application.total_score or 0),
        application.person.name,
        application.pk,
    )


class RoundDetailView(PersonnelView):
    def get(self, request, pk):
        user = request.user
        selection = selectors.round_get_for(user=user, pk=pk)
        posts = list(selectors.selection_post_list_for(user=user, selection=selection))
        applications = list(selectors.application_list_for(user=user, selection=selection))
        for a in applications:
            _applicant_facts(a, selection.reference_date)
        by_post = {p.pk: [] for p in posts}
        for a in sorted(applications, key=_ranking_order):
            by_post.setdefault(a.post_id, []).append(a)
        manager = can(user, "manage_round", selection)
        today = timezone.localdate()
        context = {
            "selection": selection,
            "posts": [(p, by_post.get(p.pk, [])) for p in posts],
            "applications": applications,
            "ineligible": [a for a in applications if a.status == ApplicationStatus.INELIGIBLE],
            "eligible_count": sum(1 for a in applications if a.status not in NOT_ELIGIBLE),
            "manager": manager,
            "today": today,
            "statuses": RoundStatus,
        }
        if selection.publicity_starts_on:
            context["publicity_calendar_days"] = (
                selection.publicity_ends_on - selection.publicity_starts_on
            ).days + 1
            context["publicity_days_left"] = (
                working_days_between(today, selection.publicity_ends_on)
                if selection.status == RoundStatus.PUBLICITY
                and selection.publicity_starts_on <= today <= selection.publicity_ends_on
                else None
            )
        if manager:
            post_form = SelectionPostForm()
            area_choices(
                post_form, "area", selectors.community_choices(user=user, under=selection.area)
            )
            application_form = ApplicationForm()
            application_form.fields["post"].choices = choices_of(posts, str)
            context.update(
                post_form=post_form,
                application_form=application_form,
                score_form=ScoreForm(),
                publicize_form=PublicizeForm(initial={"starts_on": today}),
                appoint_form=AppointForm(initial={"on": today}),
                can_appoint=selection.can_appoint(today),
            )
        return render(request, "cadres/round_detail.html", context)


class RoundActionView(ActionView):
    action = "manage_round"

    def allowed(self, user) -> bool:
        return can(user, "view_personnel")

    def target(self, user, pk):
        return selectors.round_get_for(user=user, pk=pk)


class SelectionPostAddView(RoundActionView):
    form_class = SelectionPostForm
    success = "已增加选配岗位。"

    def make_form(self, request, selection):
        form = SelectionPostForm(request.POST)
        area_choices(
            form, "area", selectors.community_choices(user=request.user, under=selection.area)
        )
        return form

    def perform(self, user, selection, form):
        d = form.cleaned_data
        services.selection_post_add(
            by=user,
            selection=selection,
            area=form.areas[d["area"]],
            title=d["title"],
            positions=d["positions"],
            term_ends_on=d["term_ends_on"],
        )


class ApplicationSubmitView(RoundActionView):
    success = "报名已登记。"

    def make_form(self, request, selection):
        form = ApplicationForm(request.POST)
        self.posts = {
            str(p.pk): p
            for p in selectors.selection_post_list_for(user=request.user, selection=selection)
        }
        form.fields["post"].choices = [(k, str(p)) for k, p in self.posts.items()]
        return form

    def perform(self, user, selection, form):
        d = form.cleaned_data
        services.application_submit(
            by=user,
            post=self.posts[d["post"]],
            person=selectors.person_find_for(user=user, text=d["person"]),
            community_work_started_on=d["community_work_started_on"],
            has_disciplinary_record=d["has_disciplinary_record"],
            record_note=d["record_note"],
        )


class NoInputForm:
    """The form of a button that sends nothing but the CSRF token."""

    def __init__(self, data=None):
        self.cleaned_data = {}

    def is_valid(self) -> bool:
        return True


class RoundScreenView(RoundActionView):
    form_class = NoInputForm
    success = "资格审查已完成，未通过者的原因已逐条列出。"

    def perform(self, user, selection, form):
        services.round_screen(by=user, selection=selection)


class RoundRankView(RoundActionView):
    form_class = NoInputForm
    success = "已按综合成绩排名，并确定拟任人选。"

    def perform(self, user, selection, form):
        services.round_rank(by=user, selection=selection)


class RoundPublicizeView(RoundActionView):
    form_class = PublicizeForm
    success = "已发布公示。"

    def perform(self, user, selection, form):
        services.round_publicize(
            by=user, selection=selection, starts_on=form.cleaned_data["starts_on"]
        )


class RoundAppointView(RoundActionView):
    form_class = AppointForm
    success = "已任命，新职务已记入人员档案。"

    def perform(self, user, selection, form):
        services.round_appoint(by=user, selection=selection, on=form.cleaned_data["on"])


class ApplicationScoreView(ActionView):
    action = "manage_round"
    form_class = ScoreForm
    success = "成绩已录入。"

    def allowed(self, user) -> bool:
        return can(user, "view_personnel")

    def target(self, user, pk):
        return selectors.application_get_for(user=user, pk=pk)

    def subject(self, application):
        return application.round

    def back(self, application):
        return application.round.get_absolute_url() + f"#post-{application.post_id}"

    def perform(self, user, application, form):
        services.application_score(by=user, application=application, **form.cleaned_data)
