"""Assessment pages: schemes with their criteria and scores, and the 头雁 roster."""

from django.shortcuts import render
from django.utils import timezone

from .. import selectors, services
from ..forms import AssessmentForm, CriterionForm, SchemeForm, choices_of
from ..models import AssessmentTerm, grade_for
from ..models.assessment import AUDIENCE_TITLES
from ..permissions import can
from .base import ActionView, CreateView, PersonnelView, area_choices, year_param


class SchemeListView(PersonnelView):
    def get(self, request):
        user = request.user
        return render(
            request,
            "cadres/scheme_list.html",
            {
                "schemes": list(selectors.scheme_list_visible_to(user=user)),
                "can_organize": can(user, "organize"),
            },
        )


class SchemeCreateView(CreateView):
    title = "新建考评方案"
    intro = "考评项目在方案下逐项设置；设定头雁分数线的方案按年度总分产生头雁名单。"
    back_url_name = "cadres:scheme_list"

    def allowed(self, user) -> bool:
        return can(user, "organize") and can(user, "view_personnel")

    def make_form(self, request, data=None):
        form = SchemeForm(data)
        area_choices(form, "area", selectors.organizer_area_choices(user=request.user))
        return form

    def perform(self, user, form):
        d = form.cleaned_data
        return services.scheme_create(by=user, **{**d, "area": form.areas[d["area"]]})


def _assessment_form(user, scheme, data=None) -> AssessmentForm:
    form = AssessmentForm(
        data,
        criteria=scheme.criteria.all(),
        initial={"year": timezone.localdate().year, "term": AssessmentTerm.ANNUAL},
    )
    posts = list(selectors.people_holding(user=user, titles=AUDIENCE_TITLES[scheme.audience]))
    posts = [p for p in posts if can(user, "assess_in", p.area)]
    form.fields["person_post"].choices = choices_of(
        posts, lambda p: f"{p.person.name}（{p.area.name}·{p.get_title_display()}）"
    )
    form.posts = {str(p.pk): p for p in posts}
    return form


class SchemeDetailView(PersonnelView):
    def get(self, request, pk):
        user = request.user
        scheme = selectors.scheme_get_for(user=user, pk=pk)
        criteria = list(scheme.criteria.all())
        full = sum((c.max_score for c in criteria), 0)
        year = year_param(request, None)
        assessments = list(selectors.assessment_list_for(user=user, scheme=scheme, year=year)[:300])
        for a in assessments:
            by_criterion = {s.criterion_id: s.score for s in a.scores.all()}
            a.score_cells = [by_criterion.get(c.pk) for c in criteria]
            a.grade = grade_for(a.total, full).label if full else "—"
            a.is_leader = (
                scheme.leader_threshold is not None
                and a.term == AssessmentTerm.ANNUAL
                and a.total >= scheme.leader_threshold
            )
        manager = can(user, "manage_scheme", scheme)
        assess_form = _assessment_form(user, scheme) if criteria else None
        return render(
            request,
            "cadres/scheme_detail.html",
            {
                "scheme": scheme,
                "criteria": criteria,
                "full": full,
                "assessments": assessments,
                "year": year,
                "manager": manager,
                "criterion_form": CriterionForm()
                if manager and not scheme.assessment_count
                else None,
                "assess_form": assess_form
                if assess_form is not None and assess_form.fields["person_post"].choices
                else None,
            },
        )


class CriterionAddView(ActionView):
    action = "manage_scheme"
    form_class = CriterionForm
    success = "已增加考评项目。"

    def allowed(self, user) -> bool:
        return can(user, "view_personnel")

    def target(self, user, pk):
        return selectors.scheme_get_for(user=user, pk=pk)

    def perform(self, user, scheme, form):
        services.criterion_add(by=user, scheme=scheme, **form.cleaned_data)


class AssessmentRecordView(ActionView):
    """Scores one person; the service asks whether the user may assess in their community."""

    success = "考评结果已保存。"

    def allowed(self, user) -> bool:
        return can(user, "view_personnel")

    def target(self, user, pk):
        return selectors.scheme_get_for(user=user, pk=pk)

    def make_form(self, request, scheme):
        return _assessment_form(request.user, scheme, request.POST)

    def perform(self, user, scheme, form):
        d = form.cleaned_data
        post = form.posts[d["person_post"]]
        services.assessment_record(
            by=user,
            scheme=scheme,
            person=post.person,
            year=d["year"],
            term=d["term"],
            scores=form.scores(),
            comment=d["comment"],
        )


class LeaderRosterView(PersonnelView):
    """头雁名单: derived from the annual assessments, never entered by hand."""

    def get(self, request):
        user = request.user
        years = selectors.assessment_years_for(user=user)
        year = year_param(request, years[0] if years else timezone.localdate().year)
        roster = list(selectors.leader_roster(user=user, year=year))
        mentors = selectors.mentor_person_ids(person_ids=[a.person_id for a in roster])
        for a in roster:
            a.is_mentor = a.person_id in mentors
        return render(
            request,
            "cadres/leader_roster.html",
            {"roster": roster, "year": year, "years": years},
        )
