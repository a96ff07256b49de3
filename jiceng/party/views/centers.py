"""Pages of the party-mass service centers: venues, activities with sign-up and check-in,
participation statistics, and the public check-in page a member opens from the QR link or
by typing the activity's code."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from jiceng.core import selectors as core_selectors
from jiceng.core.errors import NotFound, PermissionDenied, ValidationFailed
from jiceng.core.masking import mask_phone
from jiceng.core.net import client_ip
from jiceng.core.qr import qr_svg
from jiceng.core.ratelimit import exceeded, record
from jiceng.core.views.base import paginate

from ..forms.centers import ActivityForm, CenterForm, CheckinCodeForm, CheckinForm, SignupForm
from ..models import CheckinMethod
from ..permissions import can
from ..selectors import centers as selectors
from ..selectors.organizations import organization_list_visible_to
from ..services import centers as services
from .base import PartyView, area_from_query, year_from_query


class CenterListView(PartyView):
    def get(self, request):
        user = request.user
        area = area_from_query(request)
        return render(
            request,
            "party/center_list.html",
            {
                "area": area,
                "centers": selectors.center_list_visible_to(user=user, under=area),
                "can_create": can(user, "create_some_organization"),
            },
        )


def _center_form_page(request, form, *, center=None):
    return render(
        request,
        "party/center_form.html",
        {
            "form": form,
            "title": _("编辑：%(name)s") % {"name": center.name}
            if center
            else _("登记党群服务中心"),
            "submit_label": _("保存") if center else _("登记"),
            "cancel_url": center.get_absolute_url() if center else reverse("party:center_list"),
            "area_choices": core_selectors.area_code_choices(user=request.user)
            if center is None
            else None,
        },
        status=400 if form.errors else 200,
    )


def _center_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "address": data["address"],
        "floor_space": data["floor_space"],
        "facilities": data["facilities"],
        "opening_hours": data["opening_hours"],
    }


class CenterCreateView(PartyView):
    def allowed(self, user) -> bool:
        return can(user, "create_some_organization")

    def get(self, request):
        return _center_form_page(request, CenterForm(creating=True))

    def post(self, request):
        form = CenterForm(request.POST, creating=True)
        if form.is_valid():
            try:
                area = core_selectors.area_editable_get_for(
                    user=request.user, code=form.cleaned_data["area"].strip()
                )
                center = services.center_create(by=request.user, area=area, **_center_fields(form))
            except (NotFound, ValidationFailed) as e:
                form.add_error(getattr(e, "field", None) or "area", e.message)
            else:
                messages.success(request, _("已登记%(name)s。") % {"name": center.name})
                return redirect(center)
        return _center_form_page(request, form)


def editable_center(request, pk):
    center = selectors.center_get_for(user=request.user, pk=pk)
    if not can(request.user, "edit_center", center):
        raise PermissionDenied(_("您的角色无权管理该党群服务中心。"))
    return center


class CenterEditView(PartyView):
    def get(self, request, pk):
        center = editable_center(request, pk)
        form = CenterForm(
            creating=False,
            initial={
                "name": center.name,
                "address": center.address,
                "floor_space": center.floor_space,
                "facilities": center.facilities,
                "opening_hours": center.opening_hours,
            },
        )
        return _center_form_page(request, form, center=center)

    def post(self, request, pk):
        center = editable_center(request, pk)
        form = CenterForm(request.POST, creating=False)
        if form.is_valid():
            try:
                services.center_update(by=request.user, center=center, **_center_fields(form))
            except ValidationFailed as e:
                form.apply_error(e)
            else:
                messages.success(request, _("已保存%(name)s的信息。") % {"name": center.name})
                return redirect(center)
        return _center_form_page(request, form, center=center)


class CenterDetailView(PartyView):
    def get(self, request, pk):
        user = request.user
        center = selectors.center_get_for(user=user, pk=pk)
        return render(
            request,
            "party/center_detail.html",
            {
                "center": center,
                "activities": paginate(request, selectors.activity_list_for_center(center=center)),
                "can_edit": can(user, "edit_center", center),
            },
        )


class ActivityCreateView(PartyView):
    def get(self, request, pk):
        center = editable_center(request, pk)
        return self.page(request, center, ActivityForm())

    def post(self, request, pk):
        center = editable_center(request, pk)
        form = ActivityForm(request.POST)
        if form.is_valid():
            try:
                activity = services.activity_create(
                    by=request.user, center=center, **form.cleaned_data
                )
            except ValidationFailed as e:
                form.apply_error(e)
            else:
                messages.success(request, _("已发布活动%(title)s。") % {"title": activity.title})
                return redirect(activity)
        return self.page(request, center, form)

    def page(self, request, center, form):
        return render(
            request,
            "party/activity_form.html",
            {
                "form": form,
                "center": center,
                "title": _("在%(name)s发布活动") % {"name": center.name},
                "submit_label": _("发布"),
                "cancel_url": center.get_absolute_url(),
            },
            status=400 if form.errors else 200,
        )


def _signup_organizations(request, activity):
    """The organizations a member may sign up for: those registered under the center's
    street that the user can see."""
    street = (
        core_selectors.area_list_visible_to(user=request.user)
        .filter(code=activity.center.area.code[:9])
        .first()
    )
    return organization_list_visible_to(user=request.user, under=street or activity.center.area)


class ActivityDetailView(PartyView):
    def get(self, request, pk):
        user = request.user
        activity = selectors.activity_get_for(user=user, pk=pk)
        can_manage = can(user, "manage_activity", activity)
        participations = list(selectors.participation_list(activity=activity))
        link = request.build_absolute_uri(
            reverse("party:checkin", kwargs={"token": selectors.checkin_token(activity)})
        )
        return render(
            request,
            "party/activity_detail.html",
            {
                "activity": activity,
                "participations": participations,
                "attended": sum(1 for p in participations if p.attended_at),
                "can_manage": can_manage,
                "checkin_link": link if can_manage else "",
                "checkin_qr": qr_svg(link, title="扫码签到") if can_manage else "",
                "checkin_state": selectors.checkin_state(activity),
                "signup_form": SignupForm(organizations=_signup_organizations(request, activity))
                if can_manage
                else None,
            },
        )


class ActivitySignupView(PartyView):
    http_method_names = ["post"]

    def post(self, request, pk):
        user = request.user
        activity = selectors.activity_get_for(user=user, pk=pk)
        if not can(user, "manage_activity", activity):
            raise PermissionDenied(_("您的角色无权为该活动登记报名。"))
        orgs = _signup_organizations(request, activity)
        form = SignupForm(request.POST, organizations=orgs)
        if not form.is_valid():
            messages.error(request, next(iter(form.errors.values()))[0])
            return redirect(activity)
        try:
            person = selectors.signup_person_for(user=user, phone=form.cleaned_data["phone"])
            org_pk = form.cleaned_data["organization"]
            organization = orgs.filter(pk=org_pk).first() if org_pk else None
            services.participation_signup(
                by=user, activity=activity, person=person, organization=organization
            )
        except (NotFound, ValidationFailed) as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("已为%(name)s报名。") % {"name": person.name})
        return redirect(activity)


class ActivityCheckinView(PartyView):
    """Staff mark a signed-up member present (``pk`` is the participation)."""

    http_method_names = ["post"]

    def post(self, request, pk, participation):
        user = request.user
        activity = selectors.activity_get_for(user=user, pk=pk)
        if not can(user, "manage_activity", activity):
            raise PermissionDenied(_("您的角色无权为该活动签到。"))
        p = selectors.participation_get_for(user=user, activity=activity, pk=participation)
        services.participation_checkin(by=user, participation=p, method=CheckinMethod.STAFF)
        messages.success(request, _("%(name)s已签到。") % {"name": p.person.name})
        return redirect(activity)


class ParticipationStatsView(PartyView):
    def get(self, request):
        user = request.user
        area = area_from_query(request)
        year = year_from_query(request.GET.get("year", ""))
        people = list(selectors.participation_by_person(user=user, under=area, year=year))
        for p in people:
            p["phone_masked"] = mask_phone(p.pop("person__phone") or "")
        return render(
            request,
            "party/participation.html",
            {
                "area": area,
                "year": year,
                "by_organization": selectors.participation_by_organization(
                    user=user, under=area, year=year
                ),
                "by_person": people,
            },
        )


# ---- the public check-in page ---------------------------------------------------------------


def _throttled(request) -> bool:
    return exceeded("party.checkin_failure", client_ip(request))


def _count_failure(request) -> None:
    record("party.checkin_failure", client_ip(request))


class CheckinView(View):
    """Opened without login from the activity's QR link (``token``) or after typing its
    six-digit code. Shows the activity's title, place and time only."""

    def get(self, request, token=""):
        return self.handle(request, token, submitted=False)

    def post(self, request, token=""):
        return self.handle(request, token, submitted=True)

    def handle(self, request, token, *, submitted):
        code_form = CheckinCodeForm(request.POST if submitted and not token else None)
        code = ""
        if not token and submitted and code_form.is_valid():
            code = code_form.cleaned_data["code"]
        if not token and not code:
            return render(request, "party/checkin.html", {"code_form": code_form})
        if _throttled(request):
            return render(
                request,
                "party/checkin.html",
                {"code_form": code_form, "error": _("尝试次数过多，请 10 分钟后再试。")},
                status=429,
            )
        try:
            activity = selectors.activity_for_checkin(token=token, code=code)
        except NotFound as e:
            _count_failure(request)
            return render(
                request,
                "party/checkin.html",
                {"code_form": code_form, "error": e.message},
                status=404,
            )
        form = CheckinForm(request.POST if submitted and "phone" in request.POST else None)
        context = {
            "activity": activity,
            "form": form,
            "code": code,
            "state": selectors.checkin_state(activity),
        }
        if form.is_bound and form.is_valid():
            try:
                services.checkin_by_phone(
                    activity=activity,
                    phone=form.cleaned_data["phone"],
                    method=CheckinMethod.LINK if token else CheckinMethod.CODE,
                )
            except ValidationFailed as e:
                _count_failure(request)
                context["error"] = e.message
                return render(request, "party/checkin.html", context, status=400)
            context["done"] = True
        return render(request, "party/checkin.html", context)
