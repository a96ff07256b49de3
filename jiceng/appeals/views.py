"""The appeals' pages: staff queue, appeal page and its actions, intake forms, inbox, and
the resident's public pages (submit, track, add information, rate). Thin: parse, ask,
call one service or selector, render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from jiceng.core.errors import (
    ApplicationError,
    NotFound,
    PermissionDenied,
    RateLimited,
    ValidationFailed,
)
from jiceng.core.net import client_ip
from jiceng.core.ratelimit import limit_view
from jiceng.core.views.base import AppView, error_response, paginate, safe_next

from . import conf, selectors, services
from .forms import (
    ActionForm,
    QueueFilterForm,
    ResidentAppealForm,
    RiderReportForm,
    StaffAppealForm,
    TrackInfoForm,
    TrackRateForm,
)
from .models import Appeal, Channel, Kind, Rating, Result, Status
from .permissions import can

QUEUES = [
    ("mine", "我的待办"),
    ("grids", "我的网格"),
    ("community", "本社区/辖区"),
    ("pool", "待派单"),
    ("overdue", "已超期"),
    ("supervised", "督办中"),
]


def _photos(request) -> list:
    return request.FILES.getlist("photos")


class AppealsView(AppView):
    denied_message = "您的角色不能使用接诉即办。"

    def allowed(self, user) -> bool:
        return can(user, "view")


class QueueView(AppealsView):
    def get(self, request):
        form = QueueFilterForm(request.GET)
        form.is_valid()
        data = form.cleaned_data
        queue = request.GET.get("queue") or ("mine" if request.user.person_id else "all")
        if queue not in dict(QUEUES):
            queue = "all"
        status = 200
        try:
            qs = selectors.appeal_list_visible_to(
                user=request.user,
                queue="" if queue == "all" else queue,
                text=data.get("q", ""),
                status=data.get("status", ""),
                kind=data.get("kind", ""),
            )
        except RateLimited as e:
            form.add_error("q", e.message)
            qs, status = Appeal.objects.none(), 429
        page = paginate(request, qs)
        stewards = []
        if can(request.user, "bulk_dispatch") and request.user.person_id:
            area = selectors.area_of_person(person_id=request.user.person_id)
            stewards = list(selectors.stewards_under(area=area)) if area else []
        return render(
            request,
            "appeals/queue.html",
            {
                "page": page,
                "form": form,
                "queue": queue,
                "queues": QUEUES if can(request.user, "view_area_queues") else QUEUES[:1],
                "now": timezone.now(),
                "stewards": stewards,
                "can_intake": can(request.user, "intake"),
                "can_report": can(request.user, "rider_report"),
                "unread": selectors.unread_count(user=request.user),
            },
            status=status,
        )


class AppealDetailView(AppealsView):
    def get(self, request, pk):
        appeal = selectors.appeal_get_for(user=request.user, pk=pk)
        return render(request, "appeals/detail.html", self.context(request, appeal))

    @staticmethod
    def context(request, appeal) -> dict:
        user = request.user
        person_id = user.person_id
        owner = appeal.is_owned_by(person_id)
        actions = {
            "claim": appeal.can_claim() and can(user, "claim", appeal),
            "accept": owner and appeal.can_accept(person_id),
            "contact": owner and appeal.can_contact(person_id),
            "pause": owner and appeal.can_pause(person_id),
            "resume": owner and appeal.can_resume(person_id),
            "resolve": owner and appeal.can_resolve(person_id),
            "hand": owner and appeal.can_hand_to_shared(person_id),
            "reject": appeal.can_reject() and can(user, "reject", appeal),
            "dispatch": appeal.can_dispatch() and can(user, "dispatch", appeal),
            "note": appeal.can_note() and can(user, "note", appeal),
            "callback": appeal.can_rate() and can(user, "callback", appeal),
            "reopen": can(user, "callback", appeal)
            and appeal.can_reopen(timezone.now(), conf.get("REOPEN_WINDOW_DAYS")),
        }
        return {
            "appeal": appeal,
            "events": selectors.appeal_events(appeal=appeal),
            "escalations": selectors.appeal_escalations(appeal=appeal),
            "clocks": selectors.appeal_clocks(appeal=appeal),
            "actions": actions,
            "any_action": any(actions.values()),
            "dispatch_choices": selectors.dispatch_choices(user=user, appeal=appeal)
            if actions["dispatch"]
            else [],
            "shared_choices": selectors.shared_stewards_for(appeal=appeal)
            if actions["hand"]
            else [],
            "can_reveal_phone": bool(appeal.phone) and can(user, "reveal_phone", appeal),
            "results": Result.choices,
            "ratings": [c for c in Rating.choices if c[0] != Rating.UNRATED],
        }


@method_decorator(never_cache, name="dispatch")
class AppealPhoneRevealView(AppealsView):
    """POST: the resident's phone in clear with a 拨打 link, for the handling steward."""

    http_method_names = ["post"]

    def post(self, request, pk):
        appeal = selectors.appeal_get_for(user=request.user, pk=pk)
        try:
            phone = services.appeal_reveal_phone(appeal=appeal, by=request.user)
        except ValidationFailed as e:
            return error_response(request, 400, e.message)
        return render(request, "appeals/_phone_revealed.html", {"phone": phone})


class AppealActionView(AppealsView):
    """POST one action on the appeal page; the outcome is a message on the same page."""

    def post(self, request, pk, action):
        appeal = selectors.appeal_get_for(user=request.user, pk=pk)
        form = ActionForm(request.POST)
        form.is_valid()
        d = form.cleaned_data
        by = request.user
        try:
            match action:
                case "claim":
                    services.appeal_claim(appeal=appeal, by=by)
                case "accept":
                    services.appeal_accept(appeal=appeal, by=by)
                case "contact":
                    services.appeal_contact(appeal=appeal, by=by, note=d.get("note") or "")
                case "note":
                    services.appeal_note(
                        appeal=appeal,
                        by=by,
                        note=d.get("note") or "",
                        public=bool(d.get("public")),
                        photos=_photos(request),
                    )
                case "pause":
                    services.appeal_pause(appeal=appeal, by=by, reason=d.get("reason") or "")
                case "resume":
                    services.appeal_resume(appeal=appeal, by=by)
                case "resolve":
                    services.appeal_resolve(
                        appeal=appeal,
                        by=by,
                        result=d.get("result") or "",
                        explanation=d.get("explanation") or "",
                        photos=_photos(request),
                    )
                case "reject":
                    services.appeal_reject(appeal=appeal, by=by, reason=d.get("reason") or "")
                case "dispatch":
                    steward = (
                        selectors.dispatch_choices(user=by, appeal=appeal)
                        .filter(pk=d.get("steward"))
                        .first()
                    )
                    if steward is None:
                        raise ValidationFailed("请选择要派给的管家。", field="steward")
                    services.appeal_dispatch(appeal=appeal, steward=steward, by=by)
                case "hand":
                    shared = (
                        selectors.shared_stewards_for(appeal=appeal)
                        .filter(pk=d.get("steward"))
                        .first()
                    )
                    if shared is None:
                        raise ValidationFailed("请选择共享管家。", field="steward")
                    services.appeal_hand_to_shared(appeal=appeal, by=by, shared=shared)
                case "callback":
                    services.appeal_rate(
                        appeal=appeal, by=by, rating=d.get("rating") or "", note=d.get("note") or ""
                    )
                case "reopen":
                    services.appeal_reopen(appeal=appeal, by=by, reason=d.get("reason") or "")
                case _:
                    raise NotFound("没有这个操作。")
        except (PermissionDenied, NotFound):
            raise
        except ApplicationError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, "操作成功。")
        return redirect(reverse("appeals:detail", kwargs={"pk": appeal.pk}))


class BulkDispatchView(AppealsView):
    def allowed(self, user) -> bool:
        return can(user, "bulk_dispatch")

    def post(self, request):
        ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()][:200]
        appeals = list(selectors.appeal_list_visible_to(user=request.user).filter(pk__in=ids))
        person_id = request.user.person_id
        area = selectors.area_of_person(person_id=person_id) if person_id else None
        steward = None
        if area is not None and (request.POST.get("steward") or "").isdigit():
            steward = (
                selectors.stewards_under(area=area).filter(pk=int(request.POST["steward"])).first()
            )
        if steward is None or not appeals:
            messages.error(request, "请勾选诉求并选择要改派的管家。")
        else:
            out = services.appeal_bulk_dispatch(appeals=appeals, steward=steward, by=request.user)
            messages.success(request, f"已改派 {len(out.done)} 件。")
            for code, why in out.refused:
                messages.warning(request, f"{code}：{why}")
        return redirect(safe_next(request, reverse("appeals:queue")))


def _intake_error(form, e: ApplicationError) -> None:
    form.add_error(e.field if e.field in form.fields else None, e.message)


class StaffIntakeView(AppealsView):
    def allowed(self, user) -> bool:
        return can(user, "intake")

    def get(self, request):
        return self.page(request, StaffAppealForm(initial={"channel": Channel.WINDOW}))

    def post(self, request):
        form = StaffAppealForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            category = (
                selectors.category_choices().filter(pk=d["category"]).first()
                if d.get("category")
                else None
            )
            try:
                appeal = services.appeal_submit(
                    by=request.user,
                    kind=d["kind"],
                    channel=d["channel"],
                    description=d["description"],
                    address=d["address"],
                    lng=d["lng"],
                    lat=d["lat"],
                    resident_name=d["resident_name"],
                    phone=d["phone"],
                    anonymous=d["anonymous"],
                    category=category,
                    urgency=d["urgency"],
                    photos=_photos(request),
                )
            except ApplicationError as e:
                _intake_error(form, e)
            else:
                messages.success(request, f"已受理，编号 {appeal.code}。")
                if (
                    selectors.appeal_list_visible_to(user=request.user)
                    .filter(pk=appeal.pk)
                    .exists()
                ):
                    return redirect(appeal.get_absolute_url())
                return redirect(reverse("appeals:queue"))
        return self.page(request, form)

    def page(self, request, form):
        return render(
            request,
            "appeals/staff_new.html",
            {
                "form": form,
                "categories": selectors.category_choices(),
                "kinds": Kind.choices,
            },
        )


class RiderReportView(AppealsView):
    def allowed(self, user) -> bool:
        return can(user, "rider_report")

    def get(self, request):
        return self.page(request, RiderReportForm())

    def post(self, request):
        form = RiderReportForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                appeal = services.appeal_submit(
                    by=request.user,
                    kind=Kind.REPORT,
                    channel=Channel.RIDER,
                    description=d["description"],
                    address=d["address"],
                    lng=d["lng"],
                    lat=d["lat"],
                    anonymous=True,
                    photos=_photos(request),
                )
            except ApplicationError as e:
                _intake_error(form, e)
            else:
                messages.success(request, f"已上报，编号 {appeal.code}，感谢您的发现！")
                return redirect(reverse("appeals:rider"))
        return self.page(request, form)

    def page(self, request, form):
        mine = selectors.appeal_list_visible_to(user=request.user).filter(created_by=request.user)[
            :20
        ]
        return render(request, "appeals/rider.html", {"form": form, "mine": mine})


class InboxView(AppealsView):
    def get(self, request):
        page = paginate(request, selectors.notifications_for(user=request.user))
        return render(
            request,
            "appeals/inbox.html",
            {
                "page": page,
                "failures": selectors.webhook_failures(user=request.user)[:50],
            },
        )

    def post(self, request):
        services.notifications_mark_read(user=request.user)
        return redirect(reverse("appeals:inbox"))


# ---- the resident's pages (no login) ---------------------------------------------------


class ResidentSubmitView(View):
    def get(self, request):
        return self.page(request, ResidentAppealForm())

    def post(self, request):
        form = ResidentAppealForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                appeal = services.appeal_submit(
                    by=None,
                    kind=d["kind"],
                    channel=Channel.WECHAT,
                    description=d["description"],
                    address=d["address"],
                    lng=d["lng"],
                    lat=d["lat"],
                    resident_name=d["resident_name"],
                    phone=d["phone"],
                    anonymous=d["anonymous"],
                    photos=_photos(request),
                    client_ip=client_ip(request),
                    rate_limited=True,
                )
            except RateLimited as e:
                _intake_error(form, e)
                return self.page(request, form, status=429)
            except ApplicationError as e:
                _intake_error(form, e)
            else:
                request.session["appeals_new_code"] = appeal.code
                return redirect(reverse("appeals:track", kwargs={"code": appeal.code}))
        return self.page(request, form, status=400 if request.method == "POST" else 200)

    def page(self, request, form, status=200):
        return render(request, "appeals/resident_new.html", {"form": form}, status=status)


class TrackLookupView(View):
    def get(self, request):
        code = (request.GET.get("code") or "").strip().upper()
        if code:
            return redirect(reverse("appeals:track", kwargs={"code": code}))
        return render(request, "appeals/track_lookup.html", {})


class TrackView(View):
    # The code is the key to the page: lookups are counted per client against guessing.
    @limit_view("appeals.track")
    def get(self, request, code):
        try:
            appeal = selectors.appeal_get_by_code(code=code)
        except NotFound as e:
            return render(
                request, "appeals/track_lookup.html", {"error": e.message, "code": code}, status=404
            )
        new = request.session.pop("appeals_new_code", None) == appeal.code
        return render(
            request,
            "appeals/track.html",
            {
                "appeal": appeal,
                "new": new,
                "events": selectors.appeal_events(appeal=appeal, public_only=True),
                "can_rate": appeal.can_rate(),
                "can_add": appeal.status not in (Status.CLOSED, Status.REJECTED),
            },
        )


class TrackActionView(View):
    action = ""

    @limit_view("appeals.track")
    def post(self, request, code):
        try:
            appeal = selectors.appeal_get_by_code(code=code)
        except NotFound as e:
            return error_response(request, 404, e.message)
        try:
            if self.action == "info":
                form = TrackInfoForm(request.POST, request.FILES)
                form.is_valid()
                services.appeal_add_info(
                    appeal=appeal, note=form.cleaned_data.get("note", ""), photos=_photos(request)
                )
                messages.success(request, "补充信息已提交，管家会看到。")
            else:
                form = TrackRateForm(request.POST)
                form.is_valid()
                services.appeal_rate(appeal=appeal, rating=form.cleaned_data.get("rating", ""))
                messages.success(request, "感谢您的评价！")
        except ApplicationError as e:
            messages.error(request, e.message)
        return redirect(reverse("appeals:track", kwargs={"code": appeal.code}))
