"""The appeals queue as a spreadsheet (see ``jiceng.core.exports``): the page's selector
with the page's queue and filters. Like the queue page it carries no resident's name or
phone number."""

from jiceng.core.exports import Column, ListExport, register_export

from .forms import QueueFilterForm
from .permissions import can
from .selectors import appeal_list_visible_to

QUEUE_KEYS = {"mine", "grids", "community", "pool", "overdue", "supervised"}


def _queue(*, user, params):
    form = QueueFilterForm(params)
    form.is_valid()
    data = form.cleaned_data
    queue = params.get("queue") or ("mine" if user.person_id else "all")
    if queue not in QUEUE_KEYS:
        queue = "all"
    return appeal_list_visible_to(
        user=user,
        queue="" if queue == "all" else queue,
        text=data.get("q", ""),
        status=data.get("status", ""),
        kind=data.get("kind", ""),
    )


register_export(
    ListExport(
        key="appeals.queue",
        title="诉求清单",
        columns=(
            Column("编号", lambda a: a.code),
            Column("类型", lambda a: a.get_kind_display()),
            Column("诉求", lambda a: a.title),
            Column("渠道", lambda a: a.get_channel_display()),
            Column("分类", lambda a: a.category.name if a.category else ""),
            Column("属地", lambda a: a.area.name),
            Column("承办人", lambda a: a.owner.name if a.owner else "待派单"),
            Column("状态", lambda a: a.get_status_display()),
            Column("提交时间", lambda a: a.submitted_at),
            Column("办结时限", lambda a: a.resolve_due_at),
            Column("优先", lambda a: "是" if a.priority else ""),
            Column("督办", lambda a: "是" if a.supervised else ""),
        ),
        rows=_queue,
        allowed=lambda user: can(user, "view"),
    )
)
