"""Excel files of the collective income ledger: the import template and the export.

openpyxl parses with defusedxml when it is installed (it is locked in the requirements),
so entity expansion and external entities in an uploaded workbook are refused. Text cells
that a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage
return) are written with a leading apostrophe, which the importer strips again.
"""

import io

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jiceng.core.excel import escape_cell

from .models import IncomeModel

HEADERS = ("村编码", "村名称", "年度", "收入来源", "发展模式", "金额(元)", "备注")
WIDTHS = (16, 16, 8, 24, 14, 16, 30)
TEMPLATE_ROWS = 2000


def _header(sheet) -> None:
    fill = PatternFill("solid", fgColor="B3141C")
    for column, (title, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = sheet.cell(row=1, column=column, value=title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def _bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_workbook(villages) -> bytes:
    """The import template: the ledger sheet (headers only, codes as text, a list for the
    model), a sheet of instructions and a sheet of the villages the user may fill in."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "收入台账"
    _header(sheet)
    for row in range(2, TEMPLATE_ROWS + 2):
        sheet.cell(row=row, column=1).number_format = "@"
    models = DataValidation(
        type="list",
        formula1='"' + ",".join(IncomeModel.labels) + '"',
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="发展模式",
        error="请从下拉列表中选择五种模式之一。",
    )
    models.add(f"E2:E{TEMPLATE_ROWS + 1}")
    sheet.add_data_validation(models)

    notes = workbook.create_sheet("填写说明")
    lines = [
        ("填写说明",),
        ("1. 每行登记一个村某年度的一项收入来源；同一村、同一年度、同一收入来源只能有一行。",),
        ("2. 村编码为 12 位统计用区划代码（见“村名录”），请以文本格式填写。",),
        ("   村名称可不填；填写则须与编码一致。",),
        ("3. 年度为四位数字，如 2023。",),
        ("4. 发展模式须为：" + "、".join(IncomeModel.labels) + "。",),
        ("5. 金额以“元”为单位，非负，最多两位小数；页面上以“万元”显示。",),
        ("6. 导入时逐行校验：任何一行有误，整个文件都不导入，并列出每一行的错误。",),
        ("7. 已存在的同村同年同来源记录将按文件内容更新。",),
    ]
    for line in lines:
        notes.append(line)
    notes.column_dimensions["A"].width = 100
    notes["A1"].font = Font(bold=True, size=13)

    directory = workbook.create_sheet("村名录")
    directory.append(("村编码", "村名称", "所属街道"))
    for village in villages:
        parent = village.parent.name if village.parent_id else ""
        directory.append((village.code, escape_cell(village.name), escape_cell(parent)))
    for column, width in zip("ABC", (16, 20, 20), strict=True):
        directory.column_dimensions[column].width = width
    return _bytes(workbook)


def ledger_workbook(rows) -> bytes:
    """Ledger lines (with their areas loaded) in the template's layout, ready to re-import."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "收入台账"
    _header(sheet)
    for r, row in enumerate(rows, start=2):
        values = (
            row.area.code,
            row.area.name,
            row.year,
            row.source,
            row.get_model_display(),
            row.amount,
            row.note,
        )
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=column, value=escape_cell(value))
            if column == 1:
                cell.number_format = "@"
            elif column == 6:
                cell.number_format = "#,##0.00"
    return _bytes(workbook)
