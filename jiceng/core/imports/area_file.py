"""Importing the area tree from a file: the official 统计用区划代码 lists as published, or a
generic sheet (编码, 名称, 类型, 上级编码, 户数) as CSV or XLSX.

An import is all or nothing. Every row is checked first and every problem is reported with
its line in the file (the header is line 1); only a file without a single problem is
written, parents before children, in one transaction with one audit row. Rows are matched
to the database by code, so importing the same file again changes nothing.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..audit import audit_record
from ..errors import ValidationFailed
from ..models import Area, AreaKind
from ..permissions import can
from ..services import area_problems
from .table import TableLimits, folded, header_key, read_table, text
from .table import code as code_cell

# The official lists are large: the whole country's villages fit in these limits.
LIMITS = TableLimits(
    max_file_bytes=20 * 1024 * 1024, max_unpacked_bytes=200 * 1024 * 1024, max_rows=200_000
)
MAX_HOUSEHOLDS = 2_147_483_647  # the largest PositiveIntegerField value on PostgreSQL
QUERY_CHUNK = 500  # codes per "IN (...)", far below SQLite's limit on query parameters

ACTION = "area.import"


@dataclass(frozen=True)
class AreaRow:
    """One area as read from a file.

    ``kind`` is an ``AreaKind`` value when the cell was recognised and the cell's own text
    otherwise (validation then reports it). ``problems`` are what was wrong with the cells
    themselves, found while reading (a households cell that is not a number, ...).
    """

    line: int
    code: str
    name: str
    kind: str
    parent_code: str
    households: int | None = None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowError:
    line: int
    code: str
    reason: str


@dataclass
class ImportResult:
    created: int
    unchanged: int
    updated: int
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# ---- reading --------------------------------------------------------------------------

KIND_ALIASES = {
    **{kind.value: kind.value for kind in AreaKind},
    **{kind.label: kind.value for kind in AreaKind},
    "小区/楼院": AreaKind.COMPOUND.value,
    "楼院": AreaKind.COMPOUND.value,
    "居委会": AreaKind.COMMUNITY.value,
    "居委会(社区)": AreaKind.COMMUNITY.value,
    "社区居委会": AreaKind.COMMUNITY.value,
    "村委会": AreaKind.VILLAGE.value,
    "村委会(村)": AreaKind.VILLAGE.value,
    "行政村": AreaKind.VILLAGE.value,
}

# Header cells are compared lower-cased, without spaces or underscores.
GENERIC_COLUMNS = {
    "code": ("编码", "区域编码", "code"),
    "name": ("名称", "区域名称", "name"),
    "kind": ("类型", "区域类型", "kind"),
    "parent_code": ("上级编码", "上级区域编码", "parentcode"),
    "households": ("户数", "households"),
}
REQUIRED_GENERIC = ("code", "name", "kind", "parent_code")
STREETS_COLUMNS = {"code", "name", "areacode"}
VILLAGES_COLUMNS = {"code", "name", "streetcode", "kind"}

EXPECTED_HEADERS = (
    "通用格式“编码,名称,类型,上级编码[,户数]”（或英文 code,name,kind,parent_code[,households]）；"
    "或统计用区划代码街道文件“code,name,areaCode,provinceCode,cityCode”；"
    "或村级文件“code,name,streetCode,streetName,areaCode,cityCode,provinceCode,kind”"
)


def _kind(value) -> str:
    text = folded(value)
    return KIND_ALIASES.get(text.lower(), text)


def _households(value) -> tuple[int | None, str | None]:
    text = folded(value).replace(",", "")
    if not text:
        return None, None
    if re.fullmatch(r"\d+(\.0*)?", text):
        return int(text.split(".")[0]), None
    return None, f"户数“{text}”须为非负整数"


def _short_name(name: str, kind: str) -> str:
    """The committee's name without the word for committee: 春元里社区居民委员会 → 春元里社区,
    党家庄东村村民委员会 → 党家庄东村. A bare place name gets its kind's word back
    (谷庄居民委员会 → 谷庄社区, 瓦峪沟村民委员会 → 瓦峪沟村)."""
    if kind == AreaKind.COMMUNITY:
        suffixes, word, kept = ("居民委员会", "居委会"), "社区", ("社区", "居")
    elif kind == AreaKind.VILLAGE:
        suffixes, word, kept = ("村民委员会", "村委会"), "村", ("村",)
    else:
        return name
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            base = name[: -len(suffix)]
            return base if base.endswith(kept) else base + word
    return name


def _layout(header: list) -> tuple[str, dict[str, int]]:
    """The file's format and the column index of each field, read off the header row."""
    index: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = header_key(cell)
        if key:
            index.setdefault(key, i)
    if VILLAGES_COLUMNS <= index.keys():
        columns = {"code": "code", "name": "name", "kind": "kind", "parent_code": "streetcode"}
        return "villages", {f: index[c] for f, c in columns.items()}
    if STREETS_COLUMNS <= index.keys():
        columns = {"code": "code", "name": "name", "parent_code": "areacode"}
        return "streets", {f: index[c] for f, c in columns.items()}
    found = {}
    for name, aliases in GENERIC_COLUMNS.items():
        for alias in aliases:
            if alias in index:
                found[name] = index[alias]
                break
    missing = [n for n in REQUIRED_GENERIC if n not in found]
    if not missing:
        return "generic", found
    shown = ",".join(text(c) for c in header if text(c)) or "（空）"
    message = f"无法识别表头“{shown}”。"
    if found:
        labels = {n: aliases[0] for n, aliases in GENERIC_COLUMNS.items()}
        message += f"缺少列：{'、'.join(labels[n] for n in missing)}。"
    raise ValidationFailed(f"{message}表头应为：{EXPECTED_HEADERS}。", field="file")


def _area_row(layout: str, columns: dict[str, int], line: int, cells: list) -> AreaRow:
    def cell(name):
        i = columns.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    code, code_problem = code_cell(cell("code"))
    parent_code, parent_problem = code_cell(cell("parent_code"))
    name = text(cell("name"))
    households, households_problem = None, None
    if layout == "streets":
        kind = AreaKind.STREET.value
    else:
        kind = _kind(cell("kind"))
    if layout == "villages":
        name = _short_name(name, kind)
    if layout == "generic":
        households, households_problem = _households(cell("households"))
    problems = (code_problem, parent_problem, households_problem)
    return AreaRow(
        line=line,
        code=code,
        name=name,
        kind=kind,
        parent_code=parent_code,
        households=households,
        problems=tuple(p for p in problems if p),
    )


def read_area_file(path: Path) -> list[AreaRow]:
    """The rows of a CSV (UTF-8 or GBK) or XLSX file (its first sheet).

    The format is told by the header, the first non-blank row; blank rows are skipped.
    Raises ``ValidationFailed`` for a file that cannot be read at all (unknown header,
    encoding, size); problems of single rows are left for ``validate_area_rows``.
    """
    path = Path(path)
    rows: list[AreaRow] = []
    layout = None
    for line, cells in read_table(path, LIMITS):
        if not any(text(c) for c in cells):
            continue
        if layout is None:
            layout, columns = _layout(list(cells))
            continue
        rows.append(_area_row(layout, columns, line, list(cells)))
    if layout is None:
        raise ValidationFailed(f"文件为空。表头应为：{EXPECTED_HEADERS}。", field="file")
    return rows


# ---- validating -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Stored:
    id: int
    code: str
    name: str
    kind: str
    parent_code: str | None
    depth: int
    households: int | None


@dataclass
class _Plan:
    errors: list[RowError]
    creates: list[AreaRow]
    updates: list[tuple[_Stored, AreaRow]]
    unchanged: int

    def result(self) -> ImportResult:
        if self.errors:
            return ImportResult(created=0, unchanged=0, updated=0, errors=self.errors)
        return ImportResult(
            created=len(self.creates), unchanged=self.unchanged, updated=len(self.updates)
        )


def _stored_areas(rows: list[AreaRow], *, lock: bool) -> dict[str, _Stored]:
    """The saved areas that the rows name, as their code or as their parent, by code."""
    codes = sorted({c for row in rows for c in (row.code, row.parent_code) if c})
    queryset = Area.objects.order_by("code")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    found = {}
    for start in range(0, len(codes), QUERY_CHUNK):
        chunk = codes[start : start + QUERY_CHUNK]
        values = queryset.filter(code__in=chunk).values(
            "id", "code", "name", "kind", "depth", "households", parent_code=F("parent__code")
        )
        found.update((v["code"], _Stored(**v)) for v in values)
    return found


def _permission_problem(by, row: AreaRow, current: _Stored | None) -> str | None:
    """Why ``by`` may not write this row, as ``area_create``/``area_update`` decide; the
    system (``by`` None) may write anything. A code is its own path, so the policy can be
    asked about rows that are not saved yet."""
    if by is None:
        return None
    if current is not None:
        if not can(by, "edit_area", Area(code=row.code)):
            return f"您无权修改区域 {row.code}"
    elif not row.parent_code:
        if not getattr(by, "is_superuser", False):
            return "只有超级管理员可以新增区"
    elif not can(by, "edit_area", Area(code=row.parent_code)):
        return f"您无权在区域 {row.parent_code} 下新增区域"
    return None


def _row_problems(
    row: AreaRow, *, first_line: int, kinds: dict[str, str], stored: dict[str, _Stored]
) -> list[str]:
    if row.code and first_line != row.line:
        return [f"编码 {row.code} 与第 {first_line} 行重复"]
    problems = list(row.problems)
    if not row.kind:
        problems.append("类型不能为空")
    else:
        parent = stored.get(row.parent_code)
        parent_kind = kinds.get(row.parent_code) or (parent.kind if parent else None)
        problems += area_problems(
            code=row.code,
            name=row.name,
            kind=row.kind,
            parent=None,
            parent_code=row.parent_code or None,
            parent_kind=parent_kind,
        )
    if row.households is not None and not 0 <= row.households <= MAX_HOUSEHOLDS:
        problems.append(f"户数“{row.households}”须为非负整数")
    current = stored.get(row.code)
    if current is not None and (
        current.kind != row.kind or (current.parent_code or "") != row.parent_code
    ):
        label = AreaKind(current.kind).label
        was = f"现为{label}，上级 {current.parent_code or '无'}"
        problems.append(f"编码 {row.code} 已存在且类型/上级不同（{was}）")
    return problems


def _plan(rows: list[AreaRow], stored: dict[str, _Stored], *, by) -> _Plan:
    rows = sorted(rows, key=lambda r: r.line)
    # A parent may stand anywhere in the file, after its children too.
    first_line: dict[str, int] = {}
    kinds: dict[str, str] = {}
    for row in rows:
        if row.code and row.code not in first_line:
            first_line[row.code], kinds[row.code] = row.line, row.kind
    plan = _Plan(errors=[], creates=[], updates=[], unchanged=0)
    for row in rows:
        problems = _row_problems(
            row, first_line=first_line.get(row.code, row.line), kinds=kinds, stored=stored
        )
        current = stored.get(row.code)
        if not problems and (denied := _permission_problem(by, row, current)):
            problems.append(denied)
        if problems:
            plan.errors.append(RowError(line=row.line, code=row.code, reason="；".join(problems)))
        elif current is None:
            plan.creates.append(row)
        elif current.name != row.name.strip() or (
            row.households is not None and row.households != current.households
        ):
            plan.updates.append((current, row))
        else:
            plan.unchanged += 1
    return plan


def plan_area_rows(rows: list[AreaRow], *, by) -> list[RowError]:
    """What is wrong with ``rows`` as ``by`` would write them, the saved rows they name
    locked until the caller's transaction ends (the Excel import's check step)."""
    return _plan(rows, _stored_areas(rows, lock=True), by=by).errors


def validate_area_rows(rows: list[AreaRow]) -> list[RowError]:
    """Every problem of every row, in line order; empty when the rows can be imported."""
    rows = list(rows)
    return _plan(rows, _stored_areas(rows, lock=False), by=None).errors


# ---- writing --------------------------------------------------------------------------


def _write(plan: _Plan, stored: dict[str, _Stored]) -> None:
    """Insert level by level, so that every parent has its id before its children.

    A parent's code is a strict prefix of its child's (``area_problems`` made sure), so
    ordering by code length puts parents first."""
    saved = {code: (s.id, s.depth) for code, s in stored.items()}
    levels: dict[int, list[AreaRow]] = defaultdict(list)
    for row in plan.creates:
        levels[len(row.code)].append(row)
    for length in sorted(levels):
        areas = []
        for row in sorted(levels[length], key=lambda r: r.code):
            parent_id, parent_depth = saved[row.parent_code] if row.parent_code else (None, -1)
            areas.append(
                Area(
                    code=row.code,
                    name=row.name.strip(),
                    kind=row.kind,
                    parent_id=parent_id,
                    depth=parent_depth + 1,
                    households=row.households,
                )
            )
        Area.objects.bulk_create(areas, batch_size=1000)
        if any(a.pk is None for a in areas):  # a backend that cannot return ids from bulk inserts
            ids = dict(
                Area.objects.filter(code__in=[a.code for a in areas]).values_list("code", "id")
            )
            for a in areas:
                a.pk = ids[a.code]
        saved.update((a.code, (a.pk, a.depth)) for a in areas)
    now = timezone.now()
    changed = [
        Area(
            pk=current.id,
            name=row.name.strip(),
            updated_at=now,
            households=row.households if row.households is not None else current.households,
        )
        for current, row in plan.updates
    ]
    Area.objects.bulk_update(changed, ["name", "households", "updated_at"], batch_size=1000)


def import_area_rows(
    rows: list[AreaRow], *, by=None, source: str = "", dry_run: bool = False
) -> ImportResult:
    """Import the rows all or nothing; with ``dry_run`` only check and count them.

    Rows already saved with the same code, kind and parent are left alone or, when their
    name or households differ, updated; an empty households cell keeps the saved value.
    The saved rows are locked while the file is checked and written, so a concurrent edit
    cannot slip between the two. One audit row records the counts, and only when something
    changed.
    """
    rows = list(rows)
    try:
        with transaction.atomic():
            stored = _stored_areas(rows, lock=not dry_run)
            plan = _plan(rows, stored, by=by)
            result = plan.result()
            if result.errors or dry_run or not (plan.creates or plan.updates):
                return result
            _write(plan, stored)
            audit_record(
                actor=by,
                action=ACTION,
                object_repr=source,
                changes={"created": [None, result.created], "updated": [None, result.updated]},
            )
            return result
    except IntegrityError:
        raise ValidationFailed(
            "写入时编码冲突（可能有人同时新增了相同编码的区域），未写入任何数据，请重新导入。",
            field="file",
        ) from None


def import_area_file(path: Path, *, by=None, dry_run: bool = False) -> ImportResult:
    path = Path(path)
    return import_area_rows(read_area_file(path), by=by, source=path.name, dry_run=dry_run)
