"""The judge's pages (made for a phone): their sheets, and one sheet to fill in. The
contest admin opens the same sheet page to read it and, once submitted, to correct it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiceng.core.errors import ApplicationError, PermissionDenied

from .. import selectors, services
from ..forms import CorrectionForm
from ..permissions import can
from .common import ContestsView


def _shown(value) -> str:
    """A score as the input shows it: a stored Decimal without trailing zeros, typed text
    as it was typed (so a refused value can be corrected in place)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return format(value.normalize(), "f")


class JudgingView(ContestsView):
    def allowed(self, user) -> bool:
        return can(user, "judge")

    denied_message = "只有评委可以查看评审任务。"

    def get(self, request):
        return render(
            request, "contests/judging.html", {"groups": selectors.judge_sheets(user=request.user)}
        )


class SheetView(ContestsView):
    def _render(self, request, sheet, *, values=None, errors=None, reason="", status=200):
        user = request.user
        contest = sheet.round_entry.round.contest
        criteria = selectors.criteria_of(contest)
        stored = selectors.sheet_values(sheet=sheet)
        shown = values if values is not None else {c.pk: stored.get(c.pk) for c in criteria}
        errors = errors or {}
        rows = [
            {
                "criterion": c,
                "field": services.field_name(c),
                "value": _shown(shown.get(c.pk)),
                "error": errors.get(services.field_name(c)),
                "share": selectors.share_of(c, criteria),
            }
            for c in criteria
        ]
        is_own = can(user, "score", sheet)
        neighbours = selectors.sheet_neighbours(sheet=sheet) if is_own else None
        return render(
            request,
            "contests/sheet.html",
            {
                "sheet": sheet,
                "entry": sheet.round_entry.entry,
                "round": sheet.round_entry.round,
                "contest": contest,
                "rows": rows,
                "full_marks": selectors.full_marks(criteria),
                "total": selectors.total_of(stored, criteria),
                "is_own": is_own,
                "editable": is_own
                and not sheet.is_locked
                and sheet.round_entry.round.accepts_scores,
                "can_correct": can(user, "correct", sheet) and sheet.is_locked,
                "corrections": selectors.corrections_of(user=user, sheet=sheet),
                "reason": reason,
                "reason_error": errors.get("reason"),
                "neighbours": neighbours,
            },
            status=status,
        )

    def get(self, request, pk):
        return self._render(request, selectors.sheet_get_for(user=request.user, pk=pk))

    def post(self, request, pk):
        user = request.user
        sheet = selectors.sheet_get_for(user=user, pk=pk)
        criteria = selectors.criteria_of(sheet.round_entry.round.contest)
        values = {c.pk: request.POST.get(services.field_name(c), "") for c in criteria}
        action = request.POST.get("action", "")
        reason = ""
        try:
            if action == "save":
                services.sheet_save(by=user, sheet=sheet, values=values)
                messages.success(request, _("已保存草稿，提交前仍可修改。"))
            elif action == "submit":
                services.sheet_submit(by=user, sheet=sheet, values=values)
                messages.success(
                    request,
                    _("已提交“%s”的评分，评分表已锁定。") % sheet.round_entry.entry.title,
                )
                following = selectors.sheet_neighbours(sheet=sheet).next_unfinished
                if following:
                    return redirect("contests:sheet_detail", pk=following)
                return redirect("contests:judging")
            elif action == "correct":
                form = CorrectionForm(request.POST)
                reason = form.cleaned_data["reason"] if form.is_valid() else ""
                services.sheet_correct(by=user, sheet=sheet, values=values, reason=reason)
                messages.success(request, _("已更正评分，更正原因已记录。"))
            else:
                raise PermissionDenied(_("未知的操作。"))
        except ApplicationError as e:
            errors = e.extra.get("errors", {})
            if not errors or e.field == "reason":
                messages.error(request, e.message)
            sheet = selectors.sheet_get_for(user=user, pk=pk)
            if isinstance(e, PermissionDenied):
                # Nothing was written: show what is stored, not what was refused.
                return self._render(request, sheet, status=403)
            return self._render(
                request, sheet, values=values, errors=errors, reason=reason, status=400
            )
        return redirect("contests:sheet_detail", pk=sheet.pk)
