"""The data workbook embedded in a native chart: the numbers PowerPoint's and Word's "Edit data"
open.

python-pptx writes it through XlsxWriter, a third of a small chart's drawing time. A chart's
workbook is one sheet of a few cells, so we write that SpreadsheetML package directly, in the
layout python-pptx's chart XML refers to (``Sheet1``: categories in column A from row 2, one
column per series from column B, the series name in row 1). Strings are inline, numbers plain;
fixed zip timestamps and entry order make it byte-stable.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_CONTENT_TYPES = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
#: The smallest style sheet Excel accepts: one font, the two required fills, one border.
_STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    "</cellStyleXfs>"
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
#: Zip entries carry this fixed time (the earliest a zip can hold): same data, same bytes.
_EPOCH = (1980, 1, 1, 0, 0, 0)


def column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based column index: 0 -> "A", 26 -> "AA"."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _text_cell(ref: str, text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def _number_cell(ref: str, value: float | None) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""  # an empty cell: Excel and the chart both read it as missing
    return f'<c r="{ref}"><v>{float(value)!r}</v></c>'


def category_workbook(categories: Sequence[str],
                      series: Sequence[tuple[str, Sequence[float | None]]]) -> bytes:
    """The .xlsx bytes of a category chart's data: names in row 1, categories in column A."""
    rows = ["<row r=\"1\">" + "".join(
        _text_cell(f"{column_letter(1 + i)}1", name) for i, (name, _) in enumerate(series))
        + "</row>"]
    for r, category in enumerate(categories, start=2):
        cells = [_text_cell(f"A{r}", str(category))]
        cells += [_number_cell(f"{column_letter(1 + i)}{r}",
                               values[r - 2] if r - 2 < len(values) else None)
                  for i, (_, values) in enumerate(series)]
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet = (_HEAD + f'<worksheet xmlns="{_MAIN}"><sheetData>{"".join(rows)}</sheetData>'
             "</worksheet>")
    parts = (
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _ROOT_RELS),
        ("xl/workbook.xml", _WORKBOOK),
        ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
        ("xl/styles.xml", _STYLES),
        ("xl/worksheets/sheet1.xml", sheet),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in parts:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, xml.encode("utf-8"))
    return buffer.getvalue()
