"""Writing spreadsheets that are safe to open (DESIGN §6).

Text that a spreadsheet would read as a formula (starting with = + - @, or with a tab or
carriage return that some readers strip first) gets a leading apostrophe, so a name like
``=HYPERLINK(...)`` arrives as text. Every string cell written through this module is escaped.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="B3141C")
HEADER_FONT = Font(bold=True, color="FFFFFF")
# Excel refuses sheet titles longer than 31 characters or holding any of these.
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def escape_cell(value):
    """The value as it is safe to write into a cell: formula-like text gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_cell(text: str) -> str:
    """Text as it was typed, from a cell that ``escape_cell`` wrote (the importers' inverse)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def cell_value(value):
    """A Python value as a spreadsheet cell holds it: escaped text, naive local datetimes
    (openpyxl refuses aware ones), choices and model rows as their text."""
    if value is None or isinstance(value, bool | int | float | date):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    if hasattr(value, "as_tuple"):  # Decimal
        return value
    return escape_cell(str(value))


def safe_sheet_title(title: str) -> str:
    return (title.translate(_SHEET_TITLE_FORBIDDEN) or "Sheet1")[:31]


def write_sheet(ws, *, headers: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Append a bold header row and ``rows`` (every cell through ``cell_value``) to a
    write-only worksheet; returns the number of data rows written."""
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(ws, value=escape_cell(str(text)))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        header_cells.append(cell)
    for i, text in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(len(str(text)) * 2 + 4, 12), 40)
    ws.freeze_panes = "A2"
    ws.append(header_cells)
    count = 0
    for row in rows:
        ws.append([cell_value(v) for v in row])
        count += 1
    return count


def xlsx_bytes(
    *, headers: Sequence[str], rows: Iterable[Sequence], sheet_title: str = "Sheet1"
) -> tuple[bytes, int]:
    """(xlsx bytes, number of data rows) of one sheet, written streaming (write-only)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=safe_sheet_title(sheet_title))
    count = write_sheet(ws, headers=headers, rows=rows)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), count


def content_disposition(filename: str) -> str:
    """An attachment header that carries a Chinese file name (RFC 6266 / 5987) with an ASCII
    fallback for old clients."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    ascii_stem = "".join(c for c in stem if c.isascii() and c.isprintable() and c not in '"\\;')
    ascii_name = f"{ascii_stem.strip() or 'export'}{dot}{ext}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def xlsx_file_response(*, filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(
    *,
    filename: str,
    headers: list[str],
    rows: Iterable[Sequence],
    sheet_title: str = "Sheet1",
) -> HttpResponse:
    """A download of one sheet: ``headers`` in bold, then ``rows``; every string escaped."""
    content, count = xlsx_bytes(headers=headers, rows=rows, sheet_title=sheet_title)
    response = xlsx_file_response(filename=filename, content=content)
    response.row_count = count
    return response
