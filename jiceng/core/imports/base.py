"""Rosters arrive from spreadsheets: the import registry, templates, row checks, all-or-nothing
writes and the error file.

An importer describes its columns and two callables::

    register_import(ImportSpec(
        key="appeals.duty_roster", title="值班安排", fields=(Field("grid", "网格编码", True), ...),
        check=check_rows,   # (by, rows: list[ImportRow]) -> plan; adds problems to the rows
        write=write_plan,   # (by, plan) -> rows written; inside the import's transaction
        allowed=lambda user: ...,
    ))

``import_run`` reads the upload safely (``reader.read_workbook``), maps the header to the
fields, parses each cell by its field's type, lets the importer check every row against the
database and the user's scope, and writes only when no row has a problem — in one
transaction with one audit row ``<app>.import``. Otherwise nothing is written and the
report lists every failing row with its reasons, plus an error file: the input rows with a
错误原因 column, which the user can correct and upload again.
"""

import importlib
import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..audit import audit_record
from ..errors import NotFound, PermissionDenied, ValidationFailed
from ..excel import HEADER_FILL, HEADER_FONT, escape_cell, unescape_cell, xlsx_bytes
from ..exports import export_root
from ..masking import mask_id_number, mask_phone
from ..models import ExportJob, ExportStatus
from .reader import Sheet, read_workbook

ERROR_HEADER = "错误原因"
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
TEMPLATE_ROWS = 2000  # rows that the template's list validations cover


@dataclass(frozen=True)
class Field:
    key: str
    header: str
    required: bool = False
    kind: str = "text"  # text | date | int
    hint: str = ""
    example: str = ""
    choices: tuple[str, ...] = ()
    max_length: int = 100


@dataclass
class ImportRow:
    line: int
    values: dict  # field key -> parsed value ("" / None when empty)
    raw: list  # the cells as read, for the error file
    problems: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ImportSpec:
    key: str  # "<app>.<name>"
    title: str
    description: str
    fields: tuple[Field, ...]
    check: Callable  # (*, by, rows) -> plan
    write: Callable  # (*, by, plan) -> int
    allowed: Callable  # user -> bool
    order: int = 100  # place on the import page

    @property
    def app(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def action(self) -> str:
        return f"{self.app}.import"

    @property
    def headers(self) -> list[str]:
        return [f.header for f in self.fields]


@dataclass(frozen=True)
class RowFailure:
    line: int
    values: list  # the row's cells as shown on the page (phone and ID numbers masked)
    reason: str


# Columns whose cells the page shows masked, as every page shows these numbers; the error
# file keeps them whole, for the user to correct their own file.
_MASKED_HEADERS = (("手机", mask_phone), ("电话", mask_phone), ("身份证", mask_id_number))


def _shown(header: list[str], values: list) -> list:
    shown = list(values)
    for i, text in enumerate(header[: len(shown)]):
        for word, mask in _MASKED_HEADERS:
            if word in text and shown[i] not in (None, ""):
                shown[i] = mask(_text(shown[i]))
                break
    return shown


@dataclass
class ImportReport:
    rows: int
    written: int = 0
    failures: list[RowFailure] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    error_job: ExportJob | None = None

    @property
    def ok(self) -> bool:
        return not self.failures


_IMPORTS: dict[str, ImportSpec] = {}


def register_import(spec: ImportSpec) -> ImportSpec:
    if not _KEY_RE.match(spec.key):
        raise ValueError(f"import key {spec.key!r} must look like 'app.name'")
    _IMPORTS[spec.key] = spec
    return spec


def import_get(key: str) -> ImportSpec:
    if not _KEY_RE.match(key or ""):
        raise NotFound("没有这个导入。")
    if key not in _IMPORTS:
        try:
            importlib.import_module(f"jiceng.{key.split('.', 1)[0]}.imports")
        except ModuleNotFoundError:
            pass
    try:
        return _IMPORTS[key]
    except KeyError:
        raise NotFound("没有这个导入。") from None


def imports_for(user) -> list[ImportSpec]:
    for app in ("core", "appeals"):
        try:
            importlib.import_module(f"jiceng.{app}.imports")
        except ModuleNotFoundError:
            continue
    return [s for s in sorted(_IMPORTS.values(), key=lambda s: (s.order, s.key)) if s.allowed(user)]


# ---- parsing cells ----------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"), None)
_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = text.replace("（必填）", "").replace("(必填)", "").replace("*", "")
    return re.sub(r"\s+", "", text)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return unescape_cell(str(value).translate(_INVISIBLE).strip())


def _parse(f: Field, value) -> tuple[object, str | None]:
    """(parsed value, problem) of one cell for field ``f``."""
    if f.kind == "date":
        if value is None or (isinstance(value, str) and not value.strip()):
            return None, None
        if isinstance(value, datetime):
            return value.date(), None
        if isinstance(value, date):
            return value, None
        if isinstance(value, str) and (
            m := _DATE_RE.match(unicodedata.normalize("NFKC", value).strip())
        ):
            try:
                return date(int(m[1]), int(m[2]), int(m[3])), None
            except ValueError:
                pass
        return None, f"{f.header}“{_text(value)}”不是有效日期（应为 2024-03-01 格式）"
    if f.kind == "int":
        text = unicodedata.normalize("NFKC", _text(value)).replace(",", "")
        if not text:
            return None, None
        if re.fullmatch(r"\d+", text) and int(text) <= 2_147_483_647:
            return int(text), None
        return None, f"{f.header}“{text}”须为非负整数"
    if isinstance(value, float) and not value.is_integer():
        return None, f"{f.header}“{value}”应为文本，请将该列设为文本格式后重新填写"
    if isinstance(value, int | float) and abs(value) >= 1e15:
        return None, f"{f.header}超过 15 位却保存为数字，Excel 已丢失末几位；请设为文本格式后重填"
    text = _text(value)
    if len(text) > f.max_length:
        return None, f"{f.header}超过 {f.max_length} 个字"
    if f.choices and text and text not in f.choices:
        return None, f"{f.header}“{text}”无效，应为：{'、'.join(f.choices)}"
    return text, None


def _columns(spec: ImportSpec, sheet: Sheet) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, text in enumerate(sheet.header):
        key = _header_key(text)
        if key:
            index.setdefault(key, i)
    found = {
        f.key: index[_header_key(f.header)] for f in spec.fields if _header_key(f.header) in index
    }
    missing = [f.header for f in spec.fields if f.required and f.key not in found]
    if missing:
        raise ValidationFailed(
            f"表头缺少必填列：{'、'.join(missing)}。请下载模板，在第一行保留模板的表头。",
            field="file",
        )
    return found


def _rows(spec: ImportSpec, sheet: Sheet, columns: dict[str, int]) -> list[ImportRow]:
    rows = []
    for sheet_row in sheet.rows:
        cells = sheet_row.cells
        raw = [c.value for c in cells]
        row = ImportRow(line=sheet_row.line, values={}, raw=raw)
        for f in spec.fields:
            i = columns.get(f.key)
            cell = cells[i] if i is not None and i < len(cells) else None
            if cell is not None and cell.formula:
                row.fail(f"{f.header}是公式（{cell.value}），不会计算；请改为直接填写值")
                row.values[f.key] = None if f.kind != "text" else ""
                continue
            value, problem = _parse(f, cell.value if cell else None)
            if problem:
                row.fail(problem)
            elif f.required and value in (None, ""):
                row.fail(f"{f.header}不能为空")
            row.values[f.key] = value if value is not None or f.kind != "text" else ""
        rows.append(row)
    return rows


# ---- running ----------------------------------------------------------------------------


def import_run(*, by, key: str, upload) -> ImportReport:
    """Check every row of ``upload`` and, when none has a problem, write them all.

    Raises ``PermissionDenied`` for a user the importer refuses and ``ValidationFailed`` for
    a file that cannot be read (format, size, zip bomb, merged cells, header); problems of
    single rows come back in the report, with nothing written."""
    spec = import_get(key)
    if not spec.allowed(by):
        raise PermissionDenied("您的角色无权导入此名单。")
    sheet = read_workbook(upload)
    columns = _columns(spec, sheet)
    rows = _rows(spec, sheet, columns)
    header = [h or get_column_letter(i + 1) for i, h in enumerate(sheet.header)]
    report = ImportReport(rows=len(rows), header=header)
    # A ValidationFailed raised while writing (a concurrent change) rolls everything back.
    with transaction.atomic():
        plan = spec.check(by=by, rows=rows)
        if all(r.ok for r in rows):
            report.written = spec.write(by=by, plan=plan)
            audit_record(
                actor=by,
                action=spec.action,
                object_repr=f"{spec.title}：{getattr(upload, 'name', '')}"[:200],
                changes={"rows": [None, report.written], "import": [None, spec.key]},
            )
            return report
    report.failures = [
        RowFailure(line=r.line, values=_shown(header, r.raw), reason="；".join(r.problems))
        for r in rows
        if r.problems
    ]
    report.error_job = _error_file(by=by, spec=spec, header=header, rows=rows)
    return report


def _error_file(*, by, spec: ImportSpec, header: list[str], rows: list[ImportRow]) -> ExportJob:
    """The input rows with a 错误原因 column, kept for a day as the user's own download."""
    width = max([len(header), *(len(r.raw) for r in rows)])
    full_header = list(header) + [""] * (width - len(header)) + [ERROR_HEADER]

    def cells():
        for r in rows:
            yield [*r.raw, *[None] * (width - len(r.raw)), "；".join(r.problems)]

    content, _ = xlsx_bytes(headers=full_header, rows=cells(), sheet_title=spec.title)
    root = export_root()
    root.mkdir(parents=True, exist_ok=True)
    relative = f"{uuid.uuid4().hex}.xlsx"
    (root / relative).write_bytes(content)
    now = timezone.now()
    return ExportJob.objects.create(
        requester=by,
        key=spec.key,
        title=f"{spec.title}导入错误报告",
        status=ExportStatus.DONE,
        total_rows=len(rows),
        progress_rows=len(rows),
        file=relative,
        filename=f"{spec.title}-错误报告-{timezone.localdate():%Y%m%d}.xlsx",
        finished_at=now,
    )


# ---- the template -----------------------------------------------------------------------


def template_bytes(spec: ImportSpec) -> bytes:
    """The import template: the data sheet (headers, a hint on each header, list validations
    for fields with choices, text format for code-like columns) and a 填写说明 sheet with an
    example row."""
    wb = Workbook()
    ws = wb.active
    ws.title = spec.title[:31]
    for i, f in enumerate(spec.fields, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i, value=f.header + ("*" if f.required else ""))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        hint = f.hint or ("必填" if f.required else "选填")
        cell.comment = Comment(f"{'必填。' if f.required else ''}{hint}", "基层治理平台")
        ws.column_dimensions[letter].width = max(12, min(len(f.header) * 3 + 4, 30))
        rng = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        if f.choices:
            dv = DataValidation(
                type="list", formula1='"' + ",".join(f.choices) + '"', allow_blank=not f.required
            )
            dv.error, dv.errorTitle = f"请从下拉列表中选择{f.header}", "输入无效"
            dv.prompt, dv.promptTitle = hint, f.header
            ws.add_data_validation(dv)
            dv.add(rng)
        elif f.kind == "date":
            dv = DataValidation(type="date", operator="greaterThan", formula1="1")
            dv.error, dv.errorTitle = "请填写日期，如 2024-03-01", "日期无效"
            dv.prompt, dv.promptTitle = hint, f.header
            ws.add_data_validation(dv)
            dv.add(rng)
        if f.kind == "text":
            for row in range(2, 202):
                ws.cell(row=row, column=i).number_format = "@"
    ws.freeze_panes = "A2"
    guide = wb.create_sheet("填写说明")
    guide.append([spec.title, spec.description])
    guide.append([])
    guide.append(["列", "是否必填", "说明", "示例"])
    for c in guide[3]:
        c.font = Font(bold=True)
    for f in spec.fields:
        guide.append(
            [
                escape_cell(f.header),
                "必填" if f.required else "选填",
                escape_cell(f.hint),
                escape_cell(f.example),
            ]
        )
    guide.append([])
    guide.append(
        [
            "规则",
            "整表校验通过才会写入；有任何一行出错则不写入，并给出带“错误原因”列的错误报告。"
            "请勿合并单元格、勿使用公式；编码、手机号、身份证号请按文本填写。",
        ]
    )
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 60
    guide.column_dimensions["D"].width = 24
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def example_row(spec: ImportSpec) -> list[str]:
    return [f.example for f in spec.fields]
