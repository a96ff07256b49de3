"""First secretaries: results of the district and of each secretary, dispatch and recall,
trainings with attendance, service alliances, and the supporters of villages."""

from django.shortcuts import redirect, render
from django.utils import timezone

from jiceng.core.errors import PermissionDenied
from jiceng.core.indicator_registry import Period, compute

from .. import selectors, services
from ..forms import (
    AttendanceForm,
    DispatchForm,
    RecallForm,
    TrainingForm,
)
from ..permissions import ORGANIZER_ROLES, can
from .base import (
    RuralView,
    area_options,
    looked_at_area,
    paginate,
    pick_area,
    require,
    run_service,
)

SECRETARY_KEYS = [
    "first_secretary_projects",
    "first_secretary_avg_income_increase",
    "first_secretaries_promoted",
]


# ---- dispatches and results ---------------------------------------------------------------


class SecretaryListView(RuralView):
    def get(self, request):
        user = request.user
        area = looked_at_area(request)
        if area is None:
            raise PermissionDenied("您的账号没有乡村振兴数据的管辖范围。")
        figures = compute(area=area, period=Period.parse(None), user=user, keys=SECRETARY_KEYS)
        page = paginate(
            request,
            selectors.first_secretary_list_visible_to(user=user, under=area).order_by(
                "-starts_on", "area__code"
            ),
        )
        dispatches = list(page.object_list)
        cap = selectors.latest_ledger_year(user=user, under=area)
        results = selectors.secretary_results(dispatches=dispatches, cap_year=cap)
        attendance = selectors.attendance_summary(dispatches=dispatches)
        return render(
            request,
            "rural/secretary_list.html",
            {
                "section": "secretaries",
                "area": area,
                "area_query": f"?area={area.code}",
                "figures": figures,
                "cap_year": cap,
                "page": page,
                "rows": [(r, attendance.get(r.dispatch.pk, (0, 0))) for r in results],
                "today": timezone.localdate(),
                "area_options": selectors.area_choices(user=user),
                "can_dispatch": can(user, "create_dispatch"),
            },
        )


class SecretaryCreateView(RuralView):
    def allowed(self, user) -> bool:
        return can(user, "create_dispatch")

    denied_message = "您的角色无权选派第一书记。"

    def get(self, request):
        return self._render(request, self._form(request))

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            area = pick_area(request.user, form.cleaned_data["area"], ORGANIZER_ROLES, ["village"])
            dispatch = run_service(
                request,
                form,
                lambda d: services.first_secretary_dispatch_by_id_number(
                    by=request.user,
                    name=d["name"],
                    id_number=d["id_number"],
                    phone=d["phone"],
                    area=area,
                    sending_unit=d["sending_unit"],
                    starts_on=d["starts_on"],
                    ends_on=d["ends_on"],
                ),
                success="已登记第一书记选派。",
            )
            if dispatch is not None:
                return redirect(dispatch.get_absolute_url())
        return self._render(request, form, status=400)

    @staticmethod
    def _form(request, data=None):
        form = DispatchForm(data)
        form.set_choices("area", area_options(request.user, ORGANIZER_ROLES, ["village"]))
        return form

    @staticmethod
    def _render(request, form, status=200):
        return render(
            request,
            "rural/form_page.html",
            {
                "section": "secretaries",
                "form": form,
                "title": "选派第一书记",
                "intro": "按身份证号识别人员：平台中尚无此人时，将以派驻村为所属区域登记。",
                "cancel": "rural:secretary_list",
            },
            status=status,
        )


class SecretaryDetailView(RuralView):
    def get(self, request, pk):
        return self.render_page(request, pk)

    def render_page(self, request, pk, recall_form=None, status=200):
        user = request.user
        dispatch = selectors.first_secretary_get_for(user=user, pk=pk)
        cap = selectors.latest_ledger_year(user=user, under=dispatch.area)
        (result,) = selectors.secretary_results(dispatches=[dispatch], cap_year=cap)
        ledger = selectors.village_income_matrix(
            user=user, under=dispatch.area, area_ids=[dispatch.area_id]
        ).get(dispatch.area_id, {})
        projects = selectors.projects_with_progress(
            selectors.project_list_visible_to(user=user).filter(first_secretary=dispatch)
        )
        attendance = dispatch.attendance.select_related("session__area").order_by(
            "-session__held_on"
        )
        can_manage = can(user, "manage_first_secretaries", dispatch.area)
        if recall_form is None and can_manage and dispatch.recalled_on is None:
            recall_form = RecallForm()
        present = sum(1 for a in attendance if a.status == "present")
        return render(
            request,
            "rural/secretary_detail.html",
            {
                "section": "secretaries",
                "dispatch": dispatch,
                "person": dispatch.person,
                "result": result,
                "ledger": sorted(ledger.items()),
                "ledger_max": max(ledger.values(), default=0),
                "projects": projects,
                "attendance": attendance,
                "present": present,
                "alliances": selectors.alliances_of(user=user, dispatch=dispatch),
                "status": dispatch.status_label(timezone.localdate()),
                "recall_form": recall_form if can_manage else None,
                "cap_year": cap,
            },
            status=status,
        )


class SecretaryRecallView(RuralView):
    http_method_names = ["post"]

    def post(self, request, pk):
        dispatch = selectors.first_secretary_get_for(user=request.user, pk=pk)
        require(request.user, "manage_first_secretaries", dispatch.area, "您无权召回该第一书记。")
        form = RecallForm(request.POST)
        if form.is_valid():
            done = run_service(
                request,
                form,
                lambda d: services.first_secretary_recall(
                    by=request.user,
                    dispatch=dispatch,
                    recalled_on=d["recalled_on"],
                    reason=d["reason"],
                ),
                success=f"已召回 {dispatch.person.name}。",
            )
            if done is not None:
                return redirect(dispatch.get_absolute_url())
        return SecretaryDetailView().render_page(request, pk, recall_form=form, status=400)


# ---- trainings ----------------------------------------------------------------------------


class TrainingListView(RuralView):
    def get(self, request):
        return self.render_page(request)

    def render_page(self, request, form=None, status=200):
        user = request.user
        can_create = can(user, "create_training")
        if form is None and can_create:
            form = self._form(request)
        return render(
            request,
            "rural/training_list.html",
            {
                "section": "training",
                "page": paginate(request, selectors.training_list_visible_to(user=user)),
                "form": form,
            },
            status=status,
        )

    def post(self, request):
        require(request.user, "create_training", message="您的角色无权组织第一书记培训。")
        form = self._form(request, request.POST)
        if form.is_valid():
            area = pick_area(
                request.user, form.cleaned_data["area"], ORGANIZER_ROLES, ["district", "street"]
            )
            sessions = run_service(
                request,
                form,
                lambda d: services.training_sessions_schedule(
                    by=request.user,
                    area=area,
                    first_on=d["first_on"],
                    topic=d["topic"],
                    location=d["location"],
                    hours=d["hours"] if d["hours"] is not None else 2,
                    count=d["count"] or 1,
                ),
                success="已安排培训。",
            )
            if sessions is not None:
                return redirect(sessions[0].get_absolute_url())
        return self.render_page(request, form, status=400)

    @staticmethod
    def _form(request, data=None):
        form = TrainingForm(data, initial={"hours": 2, "count": 1})
        form.set_choices(
            "area", area_options(request.user, ORGANIZER_ROLES, ["district", "street"])
        )
        return form


class TrainingDetailView(RuralView):
    def get(self, request, pk):
        return self.render_page(request, pk)

    def post(self, request, pk):
        user = request.user
        session = selectors.training_get_for(user=user, pk=pk)
        require(user, "manage_training", session.area, "您无权登记该培训的出勤。")
        eligible = list(selectors.training_eligible(user=user, session=session))
        form = AttendanceForm(request.POST, dispatches=eligible)
        if form.is_valid():
            written = run_service(
                request,
                form,
                lambda d: services.training_attendance_record(
                    by=user, session=session, statuses=form.statuses(), eligible=eligible
                ),
                success="已保存出勤情况。",
            )
            if written is not None:
                return redirect(session.get_absolute_url())
        return self.render_page(request, pk, form=form, status=400)

    def render_page(self, request, pk, form=None, status=200):
        user = request.user
        session = selectors.training_get_for(user=user, pk=pk)
        rows = list(selectors.training_attendance_visible(user=user, session=session))
        can_record = can(user, "manage_training", session.area)
        if form is None and can_record:
            eligible = list(selectors.training_eligible(user=user, session=session))
            form = AttendanceForm(
                dispatches=eligible, current={r.first_secretary_id: r.status for r in rows}
            )
        return render(
            request,
            "rural/training_detail.html",
            {
                "section": "training",
                "session": session,
                "rows": rows,
                "form": form if can_record else None,
            },
            status=status,
        )
