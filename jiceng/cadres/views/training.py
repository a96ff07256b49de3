"""Training pages: programmes, sessions with attendance, hours per person and misses."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.selectors import person_get_for
from jiceng.core.views.base import paginate

from .. import selectors, services
from ..forms import AttendanceForm, EnrolForm, ProgrammeForm, SessionForm
from ..models import AttendanceStatus
from ..permissions import can
from .base import ActionView, CadresView, CreateView, area_choices, year_param


class ProgrammeListView(CadresView):
    def get(self, request):
        user = request.user
        year = year_param(request, None)
        return render(
            request,
            "cadres/programme_list.html",
            {
                "programmes": paginate(
                    request, selectors.programme_list_visible_to(user=user, year=year)
                ),
                "year": year,
                "years": selectors.training_years_for(user=user),
                "can_organize": can(user, "organize"),
            },
        )


class ProgrammeCreateView(CreateView):
    title = "新建培训项目"
    intro = "区或街道举办的培训项目，如“经纬雁阵”社区书记能力提升培训。"
    back_url_name = "cadres:programme_list"

    def make_form(self, request, data=None):
        form = ProgrammeForm(data, initial={"year": timezone.localdate().year})
        area_choices(form, "area", selectors.organizer_area_choices(user=request.user))
        return form

    def perform(self, user, form):
        d = form.cleaned_data
        return services.programme_create(
            by=user,
            name=d["name"],
            year=d["year"],
            area=form.areas[d["area"]],
            organizer=d["organizer"],
            audience=d["audience"],
            description=d["description"],
            signup_closes_on=d["signup_closes_on"],
        )


class ProgrammeDetailView(CadresView):
    def get(self, request, pk):
        user = request.user
        programme = selectors.programme_get_for(user=user, pk=pk)
        manager = can(user, "manage_programme", programme)
        today = timezone.localdate()
        enrolments = paginate(request, selectors.enrolment_list_for(user=user, programme=programme))
        own = getattr(user, "person_id", None)
        enrol_form = None
        if programme.signup_open(today) or manager:
            candidates = selectors.enrolment_candidates_for(user=user, programme=programme)
            if candidates:
                enrol_form = EnrolForm()
                enrol_form.fields["people"].choices = [
                    (str(p.person_id), f"{p.person.name}（{p.area.name}·{p.get_title_display()}）")
                    for p in candidates
                ]
        return render(
            request,
            "cadres/programme_detail.html",
            {
                "programme": programme,
                "sessions": list(selectors.session_list_for(user=user, programme=programme)),
                "enrolments": enrolments,
                "manager": manager,
                "session_form": SessionForm(initial={"held_on": today}) if manager else None,
                "enrol_form": enrol_form,
                "can_self_enrol": bool(own)
                and programme.signup_open(today)
                and not selectors.is_enrolled(programme=programme, person_id=own),
                "today": today,
            },
        )


class SessionCreateView(ActionView):
    action = "manage_programme"
    form_class = SessionForm
    success = "已添加课程。"

    def target(self, user, pk):
        return selectors.programme_get_for(user=user, pk=pk)

    def perform(self, user, programme, form):
        services.session_create(by=user, programme=programme, **form.cleaned_data)


class EnrolView(CadresView):
    """Sign up the chosen people, or (``self=1``) the user themselves."""

    http_method_names = ["post"]

    def post(self, request, pk):
        user = request.user
        programme = selectors.programme_get_for(user=user, pk=pk)
        if request.POST.get("self"):
            if not getattr(user, "person_id", None):
                raise PermissionDenied(_("您的账号未关联人员信息，不能本人报名。"))
            people = [user.person]
        else:
            ids = [i for i in request.POST.getlist("people") if i.isdigit()]
            people = [person_get_for(user=user, pk=int(i)) for i in ids]
        if not people:
            messages.error(request, _("请选择报名人员。"))
            return redirect(programme.get_absolute_url())
        done = []
        for person in people:
            try:
                services.enrolment_create(by=user, programme=programme, person=person)
            except ValidationFailed as e:
                messages.error(request, e.message)
            else:
                done.append(person.name)
        if done:
            messages.success(request, _("已报名：%(names)s") % {"names": "、".join(done)})
        return redirect(programme.get_absolute_url())


class SessionDetailView(CadresView):
    def get(self, request, pk):
        user = request.user
        session = selectors.session_get_for(user=user, pk=pk)
        rows = selectors.session_attendance_for(user=user, session=session)
        manager = can(user, "manage_programme", session.programme)
        return render(
            request,
            "cadres/session_detail.html",
            {
                "session": session,
                "programme": session.programme,
                "rows": rows,
                "manager": manager,
                "held": session.held_on <= timezone.localdate(),
                "statuses": AttendanceStatus.choices,
                "counts": {
                    label: sum(1 for r in rows if r.status == value)
                    for value, label in AttendanceStatus.choices
                },
                "unrecorded": sum(1 for r in rows if r.status is None),
            },
        )


class AttendanceRecordView(ActionView):
    action = "manage_programme"
    success = "考勤已保存。"

    def target(self, user, pk):
        session = selectors.session_get_for(user=user, pk=pk)
        self.session = session
        return session.programme

    def make_form(self, request, programme):
        ids = [
            e.pk for e in selectors.session_attendance_for(user=request.user, session=self.session)
        ]
        return AttendanceForm(request.POST, enrolment_ids=ids)

    def back(self, programme):
        return self.session.get_absolute_url()

    def perform(self, user, programme, form):
        services.attendance_record(by=user, session=self.session, statuses=form.statuses())


class TrainingHoursView(CadresView):
    """Hours per person in a year, or (``view=missed``) who missed which session."""

    def get(self, request):
        user = request.user
        years = selectors.training_years_for(user=user)
        year = year_param(request, years[0] if years else timezone.localdate().year)
        missed = request.GET.get("view") == "missed"
        rows = (
            selectors.attendance_missed_for(user=user, year=year)
            if missed
            else selectors.training_hours_by_person(user=user, year=year)
        )
        return render(
            request,
            "cadres/training_hours.html",
            {"year": year, "years": years, "missed": missed, "rows": paginate(request, rows)},
        )


class TrainingHoursExportView(CadresView):
    """The hours per person of a year as a CSV file, within scope; the export is audited."""

    def get(self, request):
        user = request.user
        years = selectors.training_years_for(user=user)
        year = year_param(request, years[0] if years else timezone.localdate().year)
        content = services.training_hours_export(
            by=user, year=year, rows=selectors.training_hours_by_person(user=user, year=year)
        )
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f"attachment; filename=training-hours-{year}.csv"
        return response
