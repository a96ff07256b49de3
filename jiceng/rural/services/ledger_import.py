"""Importing collective income ledger lines from an XLSX or CSV file, all or nothing.

Files are read by the core's import pipeline (``jiceng.core.imports.table``), like the
official area lists: size, unpacked-size and zip-ratio limits, defusedxml, old .xls
refused, CSV in UTF-8 or GBK, line numbers counted with the header as line 1. Every row is
checked first and every problem reported with its line; only a file without a single problem is
written, in one transaction with one audit row. Lines are matched by (village, year,
source): an existing line is updated, a new one created, an identical one left alone.
"""

import re
import tempfile
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from jiceng.core.audit import audit_record
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.excel import unescape_cell
from jiceng.core.imports.area_file import ImportResult, RowError
from jiceng.core.imports.table import TableLimits, folded, header_key, read_table, text
from jiceng.core.imports.table import code as code_cell
from jiceng.core.models import Area, AreaKind

from ..excel import HEADERS
from ..models import CollectiveIncome, IncomeModel
from ..permissions import can
from .common import FIRST_LEDGER_YEAR, MAX_MONEY

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_LEDGER_ROWS = 10_000
LIMITS = TableLimits(
    max_file_bytes=20 * 1024 * 1024,
    max_unpacked_bytes=200 * 1024 * 1024,
    max_rows=MAX_LEDGER_ROWS * 2,  # blank lines between rows; data rows are counted below
)
ACTION = "rural.ledger_import"
QUERY_CHUNK = 500  # values per "IN (...)", far below SQLite's limit on query parameters

# Header cells are compared as the core's importer does: NFKC-folded (full-width brackets
# become ASCII), lower-cased, without spaces or underscores.
COLUMNS = {
    "code": ("村编码", "区划代码", "编码", "code"),
    "name": ("村名称", "村名", "name"),
    "year": ("年度", "年份", "year"),
    "source": ("收入来源", "来源", "source"),
    "model": ("发展模式", "经营模式", "模式", "model"),
    "amount": ("金额(元)", "金额", "收入(元)", "amount"),
    "note": ("备注", "note"),
}
REQUIRED = ("code", "year", "source", "model", "amount")
MODEL_ALIASES = {
    **{m.value: m.value for m in IncomeModel},
    **{m.label: m.value for m in IncomeModel},
    **{m.label.removesuffix("型"): m.value for m in IncomeModel},
}


@dataclass(frozen=True)
class LedgerRow:
    line: int
    code: str
    name: str
    year: int | None
    source: str
    model: str | None
    amount: Decimal | None
    note: str
    problems: tuple[str, ...] = ()


# ---- reading ------------------------------------------------------------------------------


def _layout(header: list) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = header_key(cell)
        if key:
            index.setdefault(key, i)
    found = {}
    for name, aliases in COLUMNS.items():
        for alias in aliases:
            if header_key(alias) in index:
                found[name] = index[header_key(alias)]
                break
    missing = [n for n in REQUIRED if n not in found]
    if missing:
        labels = {n: aliases[0] for n, aliases in COLUMNS.items()}
        shown = ",".join(text(c) for c in header if text(c)) or "（空）"
        raise ValidationFailed(
            f"无法识别表头“{shown}”：缺少列 {'、'.join(labels[n] for n in missing)}。"
            f"请使用下载的模板，表头应为：{'、'.join(HEADERS)}。",
            field="file",
        )
    return found


def _year(value) -> tuple[int | None, str | None]:
    text = folded(value).removesuffix("年").strip()
    if not text:
        return None, "年度不能为空"
    if not re.fullmatch(r"\d{4}(\.0*)?", text):
        return None, f"年度“{text}”须为四位数字，如 2023"
    year = int(text[:4])
    last = timezone.localdate().year
    if not FIRST_LEDGER_YEAR <= year <= last:
        return None, f"年度 {year} 须在 {FIRST_LEDGER_YEAR}–{last} 之间"
    return year, None


def _model(value) -> tuple[str | None, str | None]:
    text = folded(value)
    if not text:
        return None, "发展模式不能为空"
    model = MODEL_ALIASES.get(text) or MODEL_ALIASES.get(text.lower())
    if model is None:
        return None, f"发展模式“{text}”无效，应为 {'、'.join(IncomeModel.labels)} 之一"
    return model, None


def _amount(value) -> tuple[Decimal | None, str | None]:
    if isinstance(value, bool):
        return None, "金额须为数字"
    if isinstance(value, int | float):
        text = repr(value) if isinstance(value, float) else str(value)
    else:
        text = folded(value).replace(",", "").replace("，", "")
    if not text:
        return None, "金额不能为空"
    if "万" in text:
        return None, f"金额“{text}”须以“元”为单位填写数字，不要写“万”"
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None, f"金额“{text}”须为数字（单位：元）"
    if not amount.is_finite():
        return None, f"金额“{text}”须为数字（单位：元）"
    if amount < 0:
        return None, f"金额 {text} 不能为负数"
    if amount > MAX_MONEY:
        return None, f"金额 {text} 过大"
    if amount != amount.quantize(Decimal("0.01")):
        return None, f"金额 {text} 最多保留两位小数"
    return amount.quantize(Decimal("0.01")), None


def _ledger_row(columns: dict[str, int], line: int, cells: list) -> LedgerRow:
    def cell(name):
        i = columns.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    code, code_problem = code_cell(cell("code"))
    year, year_problem = _year(cell("year"))
    model, model_problem = _model(cell("model"))
    amount, amount_problem = _amount(cell("amount"))
    source = unescape_cell(text(cell("source")))
    note = unescape_cell(text(cell("note")))
    problems = [p for p in (code_problem, year_problem, model_problem, amount_problem) if p]
    if not source:
        problems.append("收入来源不能为空")
    elif len(source) > 100:
        problems.append("收入来源超过 100 个字")
    if len(note) > 200:
        problems.append("备注超过 200 个字")
    return LedgerRow(
        line=line,
        code=code,
        name=unescape_cell(text(cell("name"))),
        year=year,
        source=source,
        model=model,
        amount=amount,
        note=note,
        problems=tuple(problems),
    )


def read_ledger_file(path: Path) -> list[LedgerRow]:
    """The rows of the file's first sheet (or the CSV); blank rows are skipped.

    Raises ``ValidationFailed`` for a file that cannot be read at all."""
    rows: list[LedgerRow] = []
    columns = None
    try:
        for line, cells in read_table(Path(path), LIMITS):
            if not any(text(c) for c in cells):
                continue
            if columns is None:
                columns = _layout(list(cells))
                continue
            if len(rows) >= MAX_LEDGER_ROWS:
                raise ValidationFailed(
                    f"文件超过 {MAX_LEDGER_ROWS} 行数据，请拆分后分批导入。", field="file"
                )
            rows.append(_ledger_row(columns, line, list(cells)))
    except (ValueError, KeyError, zipfile.BadZipFile):
        # A sheet that fails while it is read row by row (defusedxml refuses entities and
        # DTDs with a ValueError; a damaged archive member raises the others).
        raise ValidationFailed(
            "无法读取该 Excel 文件（不是有效的 .xlsx）。", field="file"
        ) from None
    if columns is None:
        raise ValidationFailed(f"文件为空。表头应为：{'、'.join(HEADERS)}。", field="file")
    return rows


# ---- validating and writing ---------------------------------------------------------------


@dataclass
class _Plan:
    errors: list[RowError]
    creates: list[CollectiveIncome]
    updates: list[CollectiveIncome]
    unchanged: int


def _chunks(values: list):
    for start in range(0, len(values), QUERY_CHUNK):
        yield values[start : start + QUERY_CHUNK]


def _areas(rows: list[LedgerRow], *, lock: bool) -> dict[str, Area]:
    codes = sorted({r.code for r in rows if r.code})
    qs = Area.objects.filter(kind=AreaKind.VILLAGE).order_by("code")
    if lock:
        qs = qs.select_for_update()
    found = {}
    for chunk in _chunks(codes):
        found.update((a.code, a) for a in qs.filter(code__in=chunk))
    return found


def _stored(areas: dict[str, Area], rows: list[LedgerRow], *, lock: bool) -> dict:
    ids = sorted(a.pk for a in areas.values())
    years = sorted({r.year for r in rows if r.year})
    qs = CollectiveIncome.objects.filter(year__in=years).order_by("pk")
    if lock:
        qs = qs.select_for_update()
    stored = {}
    for chunk in _chunks(ids):
        for row in qs.filter(area_id__in=chunk):
            stored[(row.area_id, row.year, row.source)] = row
    return stored


def _plan(rows: list[LedgerRow], areas: dict[str, Area], stored: dict, *, by) -> _Plan:
    plan = _Plan(errors=[], creates=[], updates=[], unchanged=0)
    first_line: dict[tuple, int] = {}
    for row in sorted(rows, key=lambda r: r.line):
        problems = list(row.problems)
        area = areas.get(row.code)
        if not row.code:
            problems.insert(0, "村编码不能为空")
        elif area is None or (by is not None and not can(by, "edit_village", area)):
            problems.insert(0, f"村编码 {row.code} 不存在、不是村或不在您可编辑的范围内")
        elif row.name and row.name != area.name:
            problems.append(f"村名称“{row.name}”与编码 {row.code}（{area.name}）不符")
        key = (row.code, row.year, row.source)
        if area is not None and row.year and row.source:
            if key in first_line:
                problems.append(
                    f"与第 {first_line[key]} 行重复（同一村、年度、收入来源只能有一行）"
                )
            else:
                first_line[key] = row.line
        if problems:
            plan.errors.append(RowError(line=row.line, code=row.code, reason="；".join(problems)))
            continue
        current = stored.get((area.pk, row.year, row.source))
        if current is None:
            plan.creates.append(
                CollectiveIncome(
                    area=area,
                    year=row.year,
                    source=row.source,
                    model=row.model,
                    amount=row.amount,
                    note=row.note,
                )
            )
        elif (current.model, current.amount, current.note) != (row.model, row.amount, row.note):
            current.model, current.amount, current.note = row.model, row.amount, row.note
            plan.updates.append(current)
        else:
            plan.unchanged += 1
    return plan


def import_ledger_rows(
    rows: list[LedgerRow], *, by, source: str = "", dry_run: bool = False
) -> ImportResult:
    """Import the rows all or nothing (``by`` None: the system, allowed everything).

    The villages and the stored lines of the file's years are locked while the file is
    checked and written; one audit row records the counts when something changed."""
    rows = list(rows)
    try:
        with transaction.atomic():
            areas = _areas(rows, lock=not dry_run)
            stored = _stored(areas, rows, lock=not dry_run)
            plan = _plan(rows, areas, stored, by=by)
            if plan.errors:
                return ImportResult(created=0, unchanged=0, updated=0, errors=plan.errors)
            result = ImportResult(
                created=len(plan.creates), unchanged=plan.unchanged, updated=len(plan.updates)
            )
            if dry_run or not (plan.creates or plan.updates):
                return result
            CollectiveIncome.objects.bulk_create(plan.creates, batch_size=1000)
            now = timezone.now()
            for row in plan.updates:
                row.updated_at = now
            CollectiveIncome.objects.bulk_update(
                plan.updates, ["model", "amount", "note", "updated_at"], batch_size=1000
            )
            audit_record(
                actor=by,
                action=ACTION,
                object_repr=source[:200],
                changes={"created": [None, result.created], "updated": [None, result.updated]},
            )
            return result
    except IntegrityError:
        raise ValidationFailed(
            "写入时与他人同时登记的记录冲突，未写入任何数据，请重新导入。", field="file"
        ) from None


def import_ledger_file(path: Path, *, by, dry_run: bool = False) -> ImportResult:
    path = Path(path)
    return import_ledger_rows(read_ledger_file(path), by=by, source=path.name, dry_run=dry_run)


def import_ledger_upload(*, by, upload, dry_run: bool = False) -> ImportResult:
    """Import an uploaded file (a Django ``UploadedFile``) within the web upload limit."""
    if not can(by, "import_ledger"):
        raise PermissionDenied("您的角色无权导入集体经济收入台账。")
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationFailed("请上传 .xlsx 或 .csv 文件（可先下载模板）。", field="file")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationFailed(
            f"文件大小 {upload.size / 2**20:.1f} MB，超过 {MAX_UPLOAD_BYTES // 2**20} MB 上限。",
            field="file",
        )
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        rows = read_ledger_file(Path(tmp.name))
    return import_ledger_rows(rows, by=by, source=name, dry_run=dry_run)
