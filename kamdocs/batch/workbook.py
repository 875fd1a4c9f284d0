"""portfolio.xlsx: one sheet per table, typed cells, frozen header, filters, formula-safe.

Typed: numbers are numbers (money with thousands separators, shares as percentages),
dates are dates, yes/no are booleans, missing is an empty cell (never "nan" or 0).
Formula-safe: every text cell is stored as a string, so a value such as ``=HYPERLINK(..)``
from a CRM field is shown as text and never evaluated. Deterministic: the package is
rewritten by :func:`kamdocs.render.package.normalize` with the as-of date as its time.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kamdocs.batch.tables import BOOL, DATE, INT, MONEY, NUMBER, PERCENT, Cell, Sheet
from kamdocs.render.package import CoreProperties, normalize

_FORMATS = {
    MONEY: "#,##0",
    INT: "0",
    NUMBER: "0.00",
    PERCENT: "0%",
    DATE: "yyyy-mm-dd",
}
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
#: Column width limits (characters): wide enough to read, never a screen wide.
_MIN_WIDTH, _MAX_WIDTH = 8, 60
#: Excel's hard limit of characters in one cell.
_CELL_LIMIT = 32767


def workbook_bytes(sheets: Sequence[Sheet], *, title: str, company: str, as_of: date) -> bytes:
    book = Workbook(write_only=True)
    for sheet in sheets:
        _add_sheet(book, sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    core = CoreProperties(title=title, author=company, as_of=as_of)
    return normalize(buffer.getvalue(), core)


def _add_sheet(book: Workbook, sheet: Sheet) -> None:
    ws: Worksheet = book.create_sheet(sheet.name[:31])
    widths = [len(c.label) + 2 for c in sheet.columns]
    for row in sheet.rows:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], len(_shown(value)) + 1)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = min(
            max(width, _MIN_WIDTH), _MAX_WIDTH
        )
    ws.freeze_panes = "A2"
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=column.label)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        header.append(cell)
    ws.append(header)
    for row in sheet.rows:
        ws.append([_cell(ws, value, column.kind) for value, column in
                   zip(row, sheet.columns, strict=True)])


def _cell(ws: Worksheet, value: Cell, kind: str) -> WriteOnlyCell | None:
    if value is None:
        return None
    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value=_within_limit(value))
        # openpyxl turns any string starting with "=" into a formula; a CRM value must
        # stay text whatever it starts with.
        cell.data_type = "s"
        return cell
    if kind == BOOL or isinstance(value, bool):
        return WriteOnlyCell(ws, value=bool(value))
    if isinstance(value, Decimal):
        value = float(value)
    cell = WriteOnlyCell(ws, value=value)
    number_format = _FORMATS.get(kind)
    if isinstance(value, date | datetime):
        number_format = _FORMATS[DATE]
    if number_format:
        cell.number_format = number_format
    return cell


def _within_limit(text: str) -> str:
    """Excel refuses longer cells; say how much is left out instead of cutting silently."""
    if len(text) <= _CELL_LIMIT:
        return text
    keep = _CELL_LIMIT - 80
    return f"{text[:keep]} [... {len(text) - keep} more characters in the source data]"


def _shown(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return "2026-12-31"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)
