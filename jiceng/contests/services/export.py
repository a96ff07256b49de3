"""The results of a round as an Excel workbook (audited: an export is a disclosure).

Every cell goes through ``jiceng.core.excel.escape_cell``, so a project title like
``=HYPERLINK(...)`` arrives as text (DESIGN §6).
"""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from jiceng.core.audit import audit_record
from jiceng.core.errors import PermissionDenied
from jiceng.core.excel import HEADER_FILL, escape_cell

from ..models import Round, SheetStatus
from ..permissions import is_contest_admin
from ..selectors import criteria_of, export_sheets, ranking_visible_to, round_ranking


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list], first: bool = False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for row in rows:
        ws.append([escape_cell(v) for v in row])
    for i, name in enumerate(header, start=1):
        width = max([len(str(name)) * 2] + [len(str(r[i - 1] or "")) * 2 for r in rows[:200]])
        ws.column_dimensions[get_column_letter(i)].width = min(max(width, 8), 60)
    ws.freeze_panes = "A2"
    return ws


def ranking_export(*, by, rnd: Round) -> tuple[str, bytes]:
    """(file name, xlsx bytes) of the round's ranking as ``by`` may see it; admins also get
    every sheet (评分明细). Audited."""
    if not ranking_visible_to(user=by, rnd=rnd):
        raise PermissionDenied("您无权导出本轮成绩。")
    contest = rnd.contest
    ranking = round_ranking(user=by, rnd=rnd)
    tie_label = f"同分比较（{ranking.tie_break.name}）" if ranking.tie_break else "同分比较"
    header = [
        "名次",
        "编号",
        "项目名称",
        "参赛主体",
        "参赛单位/人",
        "所在村",
        "所属街道",
        "有效评委数",
        "最终得分",
        tie_label,
        "说明",
        "奖项" if rnd.is_final else "晋级",
    ]
    rows = []
    for r in ranking.rows:
        s = r.standing
        note = []
        if s.tied:
            note.append("并列")
        if s.split_by_tie_break and not s.tied:
            note.append("同分，按同分比较项排序")
        if r.submitted >= 5:
            note.append("去掉一个最高分和一个最低分")
        rows.append(
            [
                s.rank,
                r.entry.number,
                r.entry.title,
                r.entry.get_presenter_kind_display(),
                r.entry.presenter,
                r.entry.village.name,
                r.entry.village.parent.name if r.entry.village.parent else "",
                f"{r.submitted}/{r.expected}",
                s.score,
                s.tie_break,
                "；".join(note),
                s.award,
            ]
        )
    wb = Workbook()
    _sheet(wb, "排名", header, rows, first=True)
    detail_count = 0
    if is_contest_admin(by, contest):
        criteria = criteria_of(contest)
        detail_header = ["出场顺序", "编号", "项目名称", "评委", "状态"]
        detail_header += [f"{c.name}（×{c.weight:g}）" for c in criteria] + ["合计"]
        detail = []
        for sheet in export_sheets(user=by, rnd=rnd):
            values = {sc.criterion_id: sc.value for sc in sheet.scores.all()}
            total = (
                sum(c.weight * values[c.pk] for c in criteria)
                if all(c.pk in values for c in criteria)
                else None
            )
            detail.append(
                [
                    sheet.round_entry.sequence,
                    sheet.round_entry.entry.number,
                    sheet.round_entry.entry.title,
                    sheet.judge.display_name,
                    sheet.get_status_display(),
                    *[values.get(c.pk) for c in criteria],
                    total if sheet.status == SheetStatus.SUBMITTED else None,
                ]
            )
        _sheet(wb, "评分明细", detail_header, detail)
        detail_count = len(detail)
    buffer = BytesIO()
    wb.save(buffer)
    audit_record(
        actor=by,
        action="contests.export",
        obj=rnd,
        changes={"rows": [None, len(rows)], "sheets": [None, detail_count]},
    )
    filename = f"{contest.year}年{contest.name}-{rnd.name}-成绩.xlsx"
    return filename, buffer.getvalue()
