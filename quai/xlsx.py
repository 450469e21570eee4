"""The one way Quai writes XLSX: typed cells staff can sort and filter in Excel and LibreOffice.

- Dates are date cells, date-times are date-time cells in Europe/Paris (a spreadsheet has no time
  zones), amounts and counts are numbers — never text that sorts "10" before "9".
- Number formats are stored the way the file format wants them (`#,##0.00 "€"`: comma for
  grouping, point for decimals); a French Excel or LibreOffice shows them as `1 000,00 €` and
  `31/12/2026`.
- Text is written as an explicit text cell: a value starting with `=`, `+`, `-` or `@` is never run
  as a formula, and it stays readable (no apostrophe prefix — that is only for CSV, see
  quai.exports.neutralise).
- Header row in bold, frozen, with an autofilter; column widths from the header and the first rows.
- Write-only workbook: rows stream to a temporary file, so a 100 000-row export stays small in memory.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

TEXT = "text"
DATE = "date"
DATETIME = "datetime"
AMOUNT = "amount"  # euros, two decimals
NUMBER = "number"  # a measure with two decimals (hours, rates)
INTEGER = "integer"

NUMBER_FORMATS = {
    DATE: "DD/MM/YYYY",
    DATETIME: "DD/MM/YYYY HH:MM",
    AMOUNT: '#,##0.00\\ "€"',
    NUMBER: "#,##0.00",
    INTEGER: "#,##0",
}
MIN_WIDTH, MAX_WIDTH = 8, 60
DEFAULT_WIDTHS = {DATE: 12, DATETIME: 17, AMOUNT: 13, NUMBER: 10, INTEGER: 9}
WIDTH_SAMPLE_ROWS = 200
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXCEL_MAX_TEXT = 32_767


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = TEXT
    width: float | None = None  # in characters; None: from the title and the first rows

    def __post_init__(self):
        if self.kind not in (TEXT, *NUMBER_FORMATS):
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]


def _text(value) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:EXCEL_MAX_TEXT]


def _typed(kind: str, value):
    """The value as the cell type of its column; None for an empty cell."""
    if value is None or value == "":
        return None
    if kind == DATE:
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if isinstance(value, datetime.date):
            return value
    elif kind == DATETIME:
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        if isinstance(value, datetime.date):
            return datetime.datetime.combine(value, datetime.time())
    elif kind in (AMOUNT, NUMBER, INTEGER):
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return value
    else:
        return _text(value)
    raise TypeError(f"a {kind} column got {type(value).__name__} {value!r}")


def _cell(sheet, column: Column, value):
    value = _typed(column.kind, value)
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    if column.kind == TEXT:
        cell.data_type = "s"  # explicit text: never a formula, whatever it starts with
        if "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    else:
        cell.number_format = NUMBER_FORMATS[column.kind]
    return cell


def _width(column: Column, values: list) -> float:
    if column.width is not None:
        return column.width
    longest = len(column.title) + 2  # room for the autofilter's arrow
    if column.kind == TEXT:
        for value in values:
            if value not in (None, ""):
                longest = max(longest, max(len(part) for part in str(value).split("\n")))
    else:
        longest = max(longest, DEFAULT_WIDTHS[column.kind])
    return float(min(max(longest + 1, MIN_WIDTH), MAX_WIDTH))


def write_sheet(workbook: Workbook, sheet: Sheet) -> None:
    worksheet = workbook.create_sheet(_text(sheet.title)[:31])
    rows = iter(sheet.rows)
    first_rows = list(islice(rows, WIDTH_SAMPLE_ROWS))
    for index, column in enumerate(sheet.columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = _width(column, [row[index - 1] for row in first_rows])
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(worksheet, value=_text(column.title))
        cell.data_type, cell.font = "s", bold
        header.append(cell)
    worksheet.append(header)
    count = 1
    try:
        for row in chain(first_rows, rows):
            worksheet.append([_cell(worksheet, column, value) for column, value in zip(sheet.columns, row, strict=True)])
            count += 1
    except Exception:
        worksheet.close()  # finish the temporary file before the error goes up
        raise
    worksheet.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{count}"


def xlsx_bytes(*sheets: Sheet) -> bytes:
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        write_sheet(workbook, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(*sheets: Sheet, filename: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(*sheets), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
