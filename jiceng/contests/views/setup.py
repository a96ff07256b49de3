"""Contest pages: the list, a contest's overview, its set-up, entries and rounds."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiceng.core.errors import ApplicationError, NotFound, PermissionDenied

from .. import selectors, services
from ..forms import (
    AwardBandForm,
    ContestForm,
    CriterionForm,
    EntryForm,
    PickForm,
    RoundForm,
    RoundStatusForm,
    TieBreakForm,
)
from ..models import PresenterKind, RoundStatus
from ..permissions import can
from .common import ContestsView, flash_error, form_error

NOT_ADMIN = "只有大赛管理员（区级管理员）可以管理大赛。"


class ContestListView(ContestsView):
    def get(self, request):
        user = request.user
        contests = list(selectors.contest_list_visible_to(user=user))
        return render(
            request,
            "contests/home.html",
            {
                "contests": contests,
                "my_rounds": selectors.judge_sheets(user=user) if can(user, "judge") else [],
                "can_create": can(user, "create_contest"),
            },
        )


class ContestCreateView(ContestsView):
    def allowed(self, user) -> bool:
        return can(user, "create_contest")

    def _render(self, request, form, status=200):
        areas = selectors.admin_areas(user=request.user)
        return render(
            request, "contests/contest_form.html", {"form": form, "areas": areas}, status=status
        )

    def get(self, request):
        return self._render(request, ContestForm())

    def post(self, request):
        form = ContestForm(request.POST)
        areas = {a.code: a for a in selectors.admin_areas(user=request.user)}
        area = areas.get(request.POST.get("area", "")) or next(iter(areas.values()), None)
        if not form.is_valid() or area is None:
            if area is None:
                form.add_error(None, _("您的管辖范围内没有可主办大赛的区域。"))
            return self._render(request, form, 400)
        try:
            contest = services.contest_create(by=request.user, area=area, **form.cleaned_data)
        except ApplicationError as e:
            form_error(form, e)
            return self._render(request, form, 400)
        messages.success(request, _("已创建大赛，请设置评分细则、轮次和奖项。"))
        return redirect("contests:contest_setup", pk=contest.pk)


class ContestDetailView(ContestsView):
    def get(self, request, pk):
        user = request.user
        contest = selectors.contest_get_for(user=user, pk=pk)
        is_admin = can(user, "manage", contest)
        criteria = selectors.criteria_of(contest)
        rounds = selectors.rounds_with_progress(user=user, contest=contest)
        return render(
            request,
            "contests/contest_detail.html",
            {
                "contest": contest,
                "is_admin": is_admin,
                "criteria": criteria,
                "full_marks": selectors.full_marks(criteria),
                "bands": selectors.award_band_rows(selectors.award_bands_of(contest)),
                "rounds": rounds,
                "entries": list(selectors.entry_list_visible_to(user=user, contest=contest)),
                "is_judge": can(user, "judge"),
            },
        )


class ContestSetupView(ContestsView):
    """The rubric, the tie-break, the rounds and the awards: one page, one POST per form."""

    FORMS = {
        "criterion_add": CriterionForm,
        "round_add": RoundForm,
        "band_add": AwardBandForm,
    }

    def _contest(self, request, pk):
        contest = selectors.contest_get_for(user=request.user, pk=pk)
        if not can(request.user, "manage", contest):
            raise PermissionDenied(_(NOT_ADMIN))
        return contest

    def _render(self, request, contest, bound=None, status=200):
        forms = {name: cls(prefix=name) for name, cls in self.FORMS.items()}
        if bound is not None:
            forms[bound[0]] = bound[1]
        criteria = selectors.criteria_of(contest)
        return render(
            request,
            "contests/contest_setup.html",
            {
                "contest": contest,
                "criteria": criteria,
                "full_marks": selectors.full_marks(criteria),
                "bands": selectors.award_band_rows(selectors.award_bands_of(contest)),
                "rounds": list(contest.rounds.order_by("sequence")),
                "forms": forms,
            },
            status=status,
        )

    def get(self, request, pk):
        return self._render(request, self._contest(request, pk))

    def post(self, request, pk):
        contest = self._contest(request, pk)
        action = request.POST.get("action", "")
        by = request.user
        try:
            if action in self.FORMS:
                form = self.FORMS[action](request.POST, prefix=action)
                if not form.is_valid():
                    return self._render(request, contest, (action, form), 400)
                data = form.cleaned_data
                try:
                    if action == "criterion_add":
                        services.criterion_add(by=by, contest=contest, **data)
                        messages.success(request, _("已添加评分项“%s”。") % data["name"])
                    elif action == "round_add":
                        services.round_add(by=by, contest=contest, **data)
                        messages.success(request, _("已添加轮次“%s”。") % data["name"])
                    else:
                        services.award_band_add(by=by, contest=contest, **data)
                        messages.success(request, _("已添加奖项“%s”。") % data["name"])
                except ApplicationError as e:
                    form_error(form, e)
                    return self._render(request, contest, (action, form), 400)
            elif action == "criterion_delete":
                criterion = selectors.criterion_of(contest=contest, pk=_pick(request))
                services.criterion_delete(by=by, criterion=criterion)
                messages.success(request, _("已删除评分项“%s”。") % criterion.name)
            elif action == "band_delete":
                band = selectors.award_band_of(contest=contest, pk=_pick(request))
                services.award_band_delete(by=by, band=band)
                messages.success(request, _("已删除奖项“%s”。") % band.name)
            elif action == "tie_break":
                form = TieBreakForm(request.POST)
                pick = form.cleaned_data["criterion"] if form.is_valid() else None
                criterion = selectors.criterion_of(contest=contest, pk=pick) if pick else None
                services.tie_break_set(by=by, contest=contest, criterion=criterion)
                messages.success(request, _("已设置同分比较项。"))
            else:
                messages.error(request, _("未知的操作。"))
                return self._render(request, contest, status=400)
        except NotFound as e:
            flash_error(request, e)
            return self._render(request, contest, status=404)
        except ApplicationError as e:
            flash_error(request, e)
            return self._render(request, contest, status=400)
        return redirect("contests:contest_setup", pk=contest.pk)


def _pick(request) -> int:
    form = PickForm(request.POST)
    if not form.is_valid():
        raise NotFound(_("请选择一项。"))
    return form.cleaned_data["pick"]


class EntryCreateView(ContestsView):
    def _contest(self, request, pk):
        contest = selectors.contest_get_for(user=request.user, pk=pk)
        if not can(request.user, "manage", contest):
            raise PermissionDenied(_(NOT_ADMIN))
        return contest

    def _render(self, request, contest, form, status=200):
        return render(
            request,
            "contests/entry_form.html",
            {
                "contest": contest,
                "form": form,
                "kinds": PresenterKind.choices,
                "secretaries": selectors.first_secretary_choices(contest=contest),
                "orgs": list(selectors.village_org_choices(contest=contest)),
                "villages": list(selectors.village_choices(contest=contest)),
            },
            status=status,
        )

    def get(self, request, pk):
        contest = self._contest(request, pk)
        return self._render(
            request, contest, EntryForm(initial={"presenter_kind": PresenterKind.FIRST_SECRETARY})
        )

    def post(self, request, pk):
        contest = self._contest(request, pk)
        form = EntryForm(request.POST)
        if not form.is_valid():
            return self._render(request, contest, form, 400)
        data = form.cleaned_data
        try:
            choices = selectors.entry_form_rows(
                contest=contest,
                person_id=data["presenter_person"],
                org_id=data["presenter_org"],
                village_code=data["village"],
            )
            entry = services.entry_create(
                by=request.user,
                contest=contest,
                presenter_kind=data["presenter_kind"],
                title=data["title"],
                summary=data["summary"],
                presenter_name=data["presenter_name"],
                **choices,
            )
        except ApplicationError as e:
            form_error(form, e)
            return self._render(request, contest, form, 400)
        messages.success(request, _("已登记参赛项目 %s。") % entry)
        return redirect("contests:contest_detail", pk=contest.pk)


class RoundDetailView(ContestsView):
    """A round's management page: status, the judges' panel with their streets and
    recusals, the entries with their scoring progress, advancing to the next round."""

    def _round(self, request, pk):
        rnd = selectors.round_get_for(user=request.user, pk=pk)
        if not can(request.user, "manage", rnd.contest):
            raise PermissionDenied(_("只有大赛管理员可以管理轮次；成绩请查看排名页。"))
        return rnd

    def _render(self, request, rnd, status=200):
        user = request.user
        panel = selectors.round_panel(user=user, rnd=rnd)
        on_panel = {row.judge.pk for row in panel}
        return render(
            request,
            "contests/round_detail.html",
            {
                "round": rnd,
                "contest": rnd.contest,
                "panel": panel,
                "round_entries": selectors.round_entries_of(user=user, rnd=rnd),
                "judge_choices": [
                    j
                    for j in selectors.judge_choices(user=user, contest=rnd.contest)
                    if j.pk not in on_panel
                ],
                "entry_choices": selectors.entries_not_in_round(user=user, rnd=rnd),
                "statuses": RoundStatus.choices,
                "next_round": selectors.next_round(rnd=rnd),
            },
            status=status,
        )

    def get(self, request, pk):
        return self._render(request, self._round(request, pk))

    def post(self, request, pk):
        rnd = self._round(request, pk)
        by = request.user
        action = request.POST.get("action", "")
        try:
            if action == "status":
                form = RoundStatusForm(request.POST)
                if not form.is_valid():
                    raise NotFound(_("状态无效。"))
                rnd = services.round_status_set(by=by, rnd=rnd, status=form.cleaned_data["status"])
                messages.success(request, _("本轮状态已改为“%s”。") % rnd.get_status_display())
            elif action == "judge_add":
                judge = selectors.judge_choice(user=by, contest=rnd.contest, pk=_pick(request))
                _row, recused = services.round_judge_add(by=by, rnd=rnd, judge=judge)
                text = _("已将%s加入评委组。") % judge.display_name
                if recused:
                    text += _("按回避规定，不评审本街道的项目：%s。") % "、".join(
                        f"{e.number:02d} {e.title}" for e in recused
                    )
                messages.success(request, text)
            elif action == "entry_add":
                entry = selectors.entry_of(contest=rnd.contest, pk=_pick(request))
                services.round_entry_add(by=by, rnd=rnd, entry=entry)
                messages.success(request, _("已将项目 %s 加入本轮。") % entry)
            elif action == "advance":
                added = services.round_advance(by=by, rnd=rnd)
                messages.success(request, _("已将 %d 个项目晋级下一轮。") % len(added))
            else:
                messages.error(request, _("未知的操作。"))
                return self._render(request, rnd, 400)
        except NotFound as e:
            flash_error(request, e)
            return self._render(request, rnd, 404)
        except ApplicationError as e:
            flash_error(request, e)
            return self._render(request, rnd, 400)
        return redirect("contests:round_detail", pk=rnd.pk)


class EntryDetailView(ContestsView):
    """An entry: for the admin every sheet (and assignments); for staff its results; for a
    judge only a link to their own sheet."""

    def _render(self, request, entry, status=200):
        user = request.user
        is_admin = can(user, "manage", entry.contest)
        rounds = []
        for re in selectors.entry_round_entries(entry=entry):
            sheets = selectors.round_entry_sheets(user=user, round_entry=re) if is_admin else []
            rounds.append(
                {
                    "round_entry": re,
                    "sheets": selectors.sheet_rows(sheets, contest=entry.contest),
                    "judges": selectors.assignable_judges(user=user, round_entry=re),
                }
            )
        return render(
            request,
            "contests/entry_detail.html",
            {
                "entry": entry,
                "contest": entry.contest,
                "is_admin": is_admin,
                "rounds": rounds if is_admin else [],
                "criteria": selectors.criteria_of(entry.contest) if is_admin else [],
                "results": selectors.entry_results(user=user, entry=entry),
                "my_sheets": selectors.own_sheets_of_entry(user=user, entry=entry),
            },
            status=status,
        )

    def get(self, request, pk):
        return self._render(request, selectors.entry_get_for(user=request.user, pk=pk))

    def post(self, request, pk):
        entry = selectors.entry_get_for(user=request.user, pk=pk)
        if not can(request.user, "manage", entry.contest):
            raise PermissionDenied(_(NOT_ADMIN))
        action = request.POST.get("action", "")
        try:
            if action == "assign":
                re = selectors.round_entry_of(entry=entry, pk=request.POST.get("round_entry"))
                judge = selectors.judge_choice(
                    user=request.user, contest=entry.contest, pk=_pick(request)
                )
                services.sheet_assign(by=request.user, round_entry=re, judge=judge)
                messages.success(request, _("已分派%s评审该项目。") % judge.display_name)
            elif action == "unassign":
                sheet = selectors.sheet_get_for(user=request.user, pk=_pick(request))
                if sheet.round_entry.entry_id != entry.pk:
                    raise NotFound(_("评分表不属于该项目。"))
                services.sheet_unassign(by=request.user, sheet=sheet)
                messages.success(request, _("已撤销%s的评审分派。") % sheet.judge.display_name)
            else:
                messages.error(request, _("未知的操作。"))
                return self._render(request, entry, 400)
        except NotFound as e:
            flash_error(request, e)
            return self._render(request, entry, 404)
        except ApplicationError as e:
            flash_error(request, e)
            return self._render(request, entry, 400)
        return redirect("contests:entry_detail", pk=entry.pk)
