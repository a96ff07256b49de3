"""Reading a CSV or XLSX file as (line, cells) rows, within limits, for the importers that
take whole files (the official area lists, the rural ledger).

CSV arrives in UTF-8, UTF-16 or GBK (GB18030) with ``,``, tab or ``;`` between cells; an
.xlsx goes through the same guards as uploaded workbooks (``reader``: defusedxml required,
zip parts checked for size and ratio before anything is unpacked). Old .xls files are
refused. Lines are counted with the header as line 1; blank rows are yielded too, so the
caller's line numbers match the file.
"""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import ValidationFailed
from .reader import check_archive, require_defusedxml

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"), None)


@dataclass(frozen=True)
class TableLimits:
    max_file_bytes: int
    max_unpacked_bytes: int
    max_rows: int
    max_columns: int = 64


def text(value) -> str:
    """A cell as trimmed text; Excel's integral floats lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).translate(_INVISIBLE).strip()


def folded(value) -> str:
    """Text for cells that hold digits or keywords: full-width forms folded (NFKC)."""
    return unicodedata.normalize("NFKC", text(value)).strip()


def code(value) -> tuple[str, str | None]:
    """A code cell as digits, and the problem if Excel stored a long code as a number."""
    if isinstance(value, float) and abs(value) >= 1e15:
        return text(value), (
            "编码超过 15 位却保存为数字，Excel 已丢失末几位；请将编码列设为文本格式后重新填写"
        )
    return re.sub(r"\s+", "", folded(value)), None


def header_key(value) -> str:
    """A header cell as compared: NFKC-folded, lower-cased, without spaces or underscores."""
    return re.sub(r"[\s_]", "", folded(value).lower())


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        # GB18030 is a superset of GBK, the encoding of CSV files that Excel saves in China.
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed(
        "无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV 文件。", field="file"
    )


def _csv_rows(data: bytes) -> Iterator[tuple[int, list]]:
    decoded = _decode(data)
    first = next((s for s in decoded.splitlines() if s.strip()), "")
    delimiter = max(",\t;", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter)
    while True:
        line = reader.line_num + 1  # a quoted cell may span lines: report where the row starts
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise ValidationFailed(f"第 {line} 行无法按 CSV 解析：{e}", field="file") from None
        yield line, cells


def _unreadable() -> ValidationFailed:
    return ValidationFailed("无法读取该 Excel 文件（不是有效的 .xlsx）。", field="file")


def _xlsx_rows(path: Path, limits: TableLimits) -> Iterator[tuple[int, list]]:
    require_defusedxml()
    if not zipfile.is_zipfile(path):
        raise _unreadable()
    check_archive(path, max_unpacked=limits.max_unpacked_bytes)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise _unreadable() from None
    try:
        sheet = workbook.worksheets[0]
        declared = sheet.max_row
        if declared is not None and declared > limits.max_rows + 1:
            raise too_many_rows(limits)
        # Some writers declare a wrong sheet size; read every row that is really there.
        sheet.reset_dimensions()
        try:
            yield from enumerate(
                sheet.iter_rows(max_col=limits.max_columns, values_only=True), start=1
            )
        except (KeyError, zipfile.BadZipFile, ValueError):
            raise _unreadable() from None
    finally:
        workbook.close()


def too_many_rows(limits: TableLimits) -> ValidationFailed:
    return ValidationFailed(
        f"文件超过 {limits.max_rows} 行，拒绝读取；请拆分后分批导入。", field="file"
    )


def read_table(path: Path, limits: TableLimits) -> Iterator[tuple[int, list]]:
    """(line, cells) for every row of the file, blank ones included, within ``limits``."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(8)
    except OSError:
        raise ValidationFailed(f"无法打开文件 {path}。", field="file") from None
    if size > limits.max_file_bytes:
        raise ValidationFailed(
            f"文件大小 {size / 2**20:.1f} MB，超过 {limits.max_file_bytes // 2**20} MB 上限；"
            "请拆分后分批导入。",
            field="file",
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationFailed(
            "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV。", field="file"
        )
    if head.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(path, limits)
    else:
        rows = _csv_rows(path.read_bytes())
    for line, cells in rows:
        if line > limits.max_rows + 1:
            raise too_many_rows(limits)
        yield line, cells
