"""Pages of the audit administrator (三员分立); the security administrator's are in
``accounts``."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import audit_labels, selectors
from ..audit import audit_verify
from ..forms import AuditFilterForm
from ..permissions import can
from .base import (
    AppView,
    is_htmx,
    paginate,
)


class AuditListView(AppView):
    denied_message = "只有审计管理员可以查看审计日志。"

    def allowed(self, user) -> bool:
        return can(user, "view_audit")

    def get(self, request):
        form = AuditFilterForm(request.GET)
        if form.is_valid():
            rows = selectors.audit_list_visible_to(user=request.user, **form.filters())
        else:
            # A filter that cannot be read shows its message and no rows, never the whole log.
            rows = selectors.audit_list_visible_to(user=request.user).none()
        page = paginate(request, rows)
        context = {
            "form": form,
            "rows": page,
            "lines": audit_labels.describe(page.object_list, user=request.user),
            "action_choices": audit_labels.action_choices(),
            "object_kind": audit_labels.object_kind(form.filters().get("object_type", "")),
            "filtered": any(form.filters().values()),
        }
        return render(request, "core/audit_list.html", context)


class AuditVerifyView(AuditListView):
    http_method_names = ["post"]

    def post(self, request):
        broken = audit_verify()
        if is_htmx(request):
            return render(request, "core/_audit_verify.html", {"broken": broken, "ran": True})
        if broken is None:
            messages.success(request, _("审计日志哈希链校验通过，未发现篡改。"))
        else:
            messages.error(
                request,
                _("审计日志第 %(id)s 行校验失败：%(reason)s")
                % {"id": broken.row_id, "reason": broken.reason},
            )
        return redirect("core:audit_list")
