"""Reading an uploaded workbook safely, before any row is looked at.

- openpyxl parses the workbook's XML with defusedxml when it is installed (it is locked in
  the requirements); without it entity-expansion and external-entity attacks would pass, so
  the reader refuses to run.
- An .xlsx is a zip archive whose parts may expand a thousandfold: the archive's declared
  sizes and compression ratios are checked before openpyxl unpacks anything (Python's
  zipfile never inflates a part beyond its declared size).
- Formulas are never evaluated: the workbook is read with ``data_only=False``, so a formula
  cell is seen as a formula and reported, never computed; text that merely looks like a
  formula ("=1+1" typed as text) is kept as text.
- Merged cells, too many rows, old .xls files and other formats are refused with a Chinese
  message.
"""

import io
import zipfile
from dataclasses import dataclass

import openpyxl
from django.conf import settings
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.xml import DEFUSEDXML

from ..errors import ValidationFailed

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# Real sheets compress 5–30 times; a part that claims far more is a bomb.
MAX_RATIO = 200
RATIO_CHECKED_ABOVE = 1024 * 1024  # bytes unpacked; tiny parts may compress very well
MAX_PARTS = 500
MAX_ROWS = 5_000
MAX_COLUMNS = 40


def limit(name: str, default: int) -> int:
    return getattr(settings, f"JICENG_IMPORT_{name}", default)


@dataclass(frozen=True)
class Cell:
    value: object  # None, str, int, float, date/datetime, bool
    formula: bool = False


@dataclass(frozen=True)
class SheetRow:
    line: int  # the row's number in the sheet (the header is usually line 1)
    cells: tuple[Cell, ...]

    @property
    def blank(self) -> bool:
        return all(_blank(c.value) and not c.formula for c in self.cells)


@dataclass(frozen=True)
class Sheet:
    header: tuple[str, ...]
    header_line: int
    rows: tuple[SheetRow, ...]  # blank rows already left out


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def require_defusedxml() -> None:
    if not DEFUSEDXML:
        raise ValidationFailed("服务器缺少 defusedxml，为安全起见暂停 Excel 导入。", field="file")


def check_archive(source, *, max_unpacked: int | None = None) -> None:
    """Refuse an .xlsx (bytes or a path) whose zip parts are too many, too large unpacked or
    compressed at a bomb's ratio, before openpyxl unpacks anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except zipfile.BadZipFile:
        raise ValidationFailed(
            "无法读取该文件：不是有效的 Excel（.xlsx）文件。", field="file"
        ) from None
    with archive:
        parts = archive.infolist()
    if len(parts) > limit("MAX_PARTS", MAX_PARTS):
        raise ValidationFailed("该 Excel 文件内部结构异常（部件过多），拒绝读取。", field="file")
    unpacked = sum(p.file_size for p in parts)
    if max_unpacked is None:
        max_unpacked = limit("MAX_UNPACKED_BYTES", MAX_UNPACKED_BYTES)
    if unpacked > max_unpacked:
        raise ValidationFailed(
            f"该 Excel 文件解压后约 {unpacked / 2**20:.0f} MB，超过 {max_unpacked // 2**20} MB "
            "上限，疑似压缩炸弹，拒绝读取。",
            field="file",
        )
    for part in parts:
        if part.file_size > RATIO_CHECKED_ABOVE and (
            part.compress_size == 0 or part.file_size / part.compress_size > MAX_RATIO
        ):
            raise ValidationFailed(
                "该 Excel 文件的压缩比异常（疑似压缩炸弹），拒绝读取。", field="file"
            )


def _cell(cell) -> Cell:
    value = cell.value
    if isinstance(value, ArrayFormula | DataTableFormula) or cell.data_type == "f":
        text = value.text if isinstance(value, ArrayFormula) else str(value)
        return Cell(value=text, formula=True)
    return Cell(value=value)


def read_workbook(upload) -> Sheet:
    """The first sheet of an uploaded .xlsx, its header (the first non-blank row) and its
    non-blank rows. Raises ``ValidationFailed`` for a file that cannot be read safely."""
    require_defusedxml()
    if upload is None:
        raise ValidationFailed("请选择要上传的 Excel 文件。", field="file")
    max_bytes = limit("MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationFailed(
            f"文件大小 {upload.size / 2**20:.1f} MB，超过 {max_bytes // 2**20} MB 上限。",
            field="file",
        )
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationFailed(f"文件超过 {max_bytes // 2**20} MB 上限。", field="file")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationFailed(
            "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 后上传。", field="file"
        )
    if not data.startswith(b"PK\x03\x04"):
        raise ValidationFailed(
            "无法读取该文件：请上传 Excel（.xlsx）文件，可先下载模板填写。", field="file"
        )
    check_archive(data)
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=False, data_only=False, keep_links=False
        )
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ValidationFailed(
            "无法读取该文件：不是有效的 Excel（.xlsx）文件。", field="file"
        ) from None
    try:
        return _sheet(workbook.worksheets[0])
    finally:
        workbook.close()


def _sheet(ws) -> Sheet:
    max_rows = limit("MAX_ROWS", MAX_ROWS)
    if ws.max_row > max_rows + 1 and _last_nonblank_row(ws) > max_rows + 1:
        raise ValidationFailed(
            f"表格超过 {max_rows} 行数据，拒绝导入；请拆分为多个文件分批导入。", field="file"
        )
    if merged := sorted(str(r) for r in ws.merged_cells.ranges):
        shown = "、".join(merged[:3]) + ("等" if len(merged) > 3 else "")
        raise ValidationFailed(
            f"表格含合并单元格（{shown}），请取消合并、每行每列各填一个值后重新上传。",
            field="file",
        )
    header: tuple[str, ...] | None = None
    header_line = 0
    rows: list[SheetRow] = []
    columns = min(ws.max_column or 1, limit("MAX_COLUMNS", MAX_COLUMNS))
    for line, cells in enumerate(ws.iter_rows(max_col=columns), start=1):
        row = SheetRow(line=line, cells=tuple(_cell(c) for c in cells))
        if row.blank:
            continue
        if header is None:
            header = tuple("" if c.value is None else str(c.value).strip() for c in row.cells)
            header_line = line
            continue
        rows.append(row)
    if header is None:
        raise ValidationFailed("表格是空的：请在模板第一行表头下逐行填写。", field="file")
    if not rows:
        raise ValidationFailed("表格只有表头，没有数据行。", field="file")
    if len(rows) > max_rows:
        raise ValidationFailed(
            f"表格超过 {max_rows} 行数据，拒绝导入；请拆分为多个文件分批导入。", field="file"
        )
    return Sheet(header=header, header_line=header_line, rows=tuple(rows))


def _last_nonblank_row(ws) -> int:
    """Sheets saved by some tools declare formatting far below the data; count real rows."""
    last = 0
    for line, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if any(not _blank(v) for v in values):
            last = line
    return last
