"""A contest's entries as a spreadsheet (see ``jiceng.core.exports``); the ranking of a
round has its own export (``services.export``)."""

from jiceng.core.errors import NotFound, ValidationFailed
from jiceng.core.exports import Column, ListExport, register_export

from . import selectors
from .permissions import can


def _entries(*, user, params):
    raw = params.get("contest", "")
    if not raw.isdigit():
        raise ValidationFailed("请从大赛页面导出参赛项目。", field="contest")
    try:
        contest = selectors.contest_get_for(user=user, pk=int(raw))
    except NotFound as e:
        raise ValidationFailed(e.message, field="contest") from None
    return selectors.entry_list_visible_to(user=user, contest=contest)


register_export(
    ListExport(
        key="contests.entries",
        title="参赛项目",
        columns=(
            Column("编号", lambda e: e.number),
            Column("项目名称", lambda e: e.title),
            Column("参赛主体", lambda e: e.get_presenter_kind_display()),
            Column("参赛单位/人", lambda e: e.presenter),
            Column("所在村", lambda e: e.village.name),
            Column("街道", lambda e: e.village.parent.name if e.village.parent else ""),
            Column("大赛", lambda e: str(e.contest)),
        ),
        rows=_entries,
        allowed=lambda user: can(user, "view_module"),
    )
)
