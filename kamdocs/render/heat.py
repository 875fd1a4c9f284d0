"""Heat-tables (whitespace by product x business unit): a native table shaded light to dark.

Each cell prints its amount (readable in greyscale and for colour-blind readers), its fill comes
from a single-hue scale of five steps from zero to the largest value, and its text switches
between dark and white for a contrast of at least 4.5:1. Negative cells ("current above
potential") take a distinct neutral and a note; missing cells an em dash and the table footnote.
A legend names the range of each step. Too many rows or columns continue on further pages, the
row labels repeated on each.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from docx.oxml import parse_xml
from docx.shared import Pt as DocxPt
from docx.shared import RGBColor as DocxRGB
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Emu, Pt

from kamdocs.render.geometry import EMU_PER_INCH, EMU_PER_PT, Box
from kamdocs.render.palette import BLUE, WHITE, Palette, mix, readable_text_on
from kamdocs.render.tables import (
    FOOTNOTE_PT,
    Column,
    Row,
    TableLayout,
    TablePage,
    TableSpec,
    layout_table,
    render_docx_table,
    render_pptx_table,
)
from kamdocs.render.text import DEFAULT_FONT, Font, line_pitch_pt, measure, xml_safe

Number = int | float | Decimal

#: Shares of white (positive) or black (negative) mixed into the hue, light to dark. Chosen so
#: dark or white text reaches 4.5:1 on every step with the default blue (tested).
_STEPS = (("white", 0.88), ("white", 0.68), ("white", 0.45), ("hue", 0.0), ("black", 0.35))
NEGATIVE_FILL = "D9D4C7"
NEGATIVE_NOTE = "Grey cells: current revenue above the potential (negative whitespace)."
LEGEND_PT = 10.0


def _default_format(value: Number) -> str:
    return f"{value:,.0f}"


@dataclass(frozen=True)
class HeatSpec:
    """Values by row (e.g. product) and column (e.g. business unit); None = missing."""

    row_header: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[Number | None, ...], ...]
    #: Text of one value ("$350K"): NumberStyle.money(short=True) on slides, full in Word.
    format: Callable[[Number], str] = _default_format
    legend_title: str = "Whitespace"
    negative_note: str = NEGATIVE_NOTE
    hue: str = BLUE
    font: Font = DEFAULT_FONT
    size_pt: float = 11.0
    palette: Palette = field(default_factory=Palette)
    max_rows_per_page: int = 12
    #: Value columns per page (the row label column comes on top): DESIGN.md's 7 columns.
    max_columns_per_page: int = 6

    def __post_init__(self) -> None:
        # NaN and infinities are missing values, shown as an em dash like None.
        clean = tuple(
            tuple(v if v is None or math.isfinite(float(v)) else None for v in row)
            for row in self.values
        )
        object.__setattr__(self, "values", clean)
        if len(self.values) != len(self.rows):
            raise ValueError(
                f"heat-table has {len(self.values)} value rows for {len(self.rows)} rows"
            )
        for name, row in zip(self.rows, self.values, strict=True):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"heat-table row {name!r} has {len(row)} values for {len(self.columns)} columns"
                )

    @property
    def largest(self) -> float:
        return max(
            (float(v) for row in self.values for v in row if v is not None and v > 0),
            default=0.0,
        )

    @property
    def has_negative(self) -> bool:
        return any(v is not None and v < 0 for row in self.values for v in row)


def scale(hue: str = BLUE) -> tuple[str, ...]:
    """The five fills, light to dark."""
    ends = {"white": WHITE, "black": "000000"}
    return tuple(hue if kind == "hue" else mix(hue, ends[kind], share) for kind, share in _STEPS)


def step_of(value: float, largest: float, steps: int = len(_STEPS)) -> int:
    """Which step (0 = lightest) a non-negative value falls in: equal ranges from 0 to max."""
    if largest <= 0:
        return 0
    return min(steps - 1, math.floor(value / largest * steps))


def cell_style(spec: HeatSpec, value: Number | None) -> tuple[str | None, str | None]:
    """(fill, text colour) of one cell; (None, None) for a missing value."""
    if value is None:
        return None, None
    if value < 0:
        return NEGATIVE_FILL, readable_text_on(NEGATIVE_FILL, spec.palette.text)
    fill = scale(spec.hue)[step_of(float(value), spec.largest)]
    return fill, readable_text_on(fill, spec.palette.text)


def legend_entries(spec: HeatSpec) -> tuple[tuple[str, str], ...]:
    """(fill, label) per step, plus the negative neutral when any cell is negative."""
    largest = spec.largest
    fills = scale(spec.hue)
    entries = []
    for i, fill in enumerate(fills):
        low, high = largest * i / len(fills), largest * (i + 1) / len(fills)
        entries.append((fill, f"{spec.format(low)}\u2013{spec.format(high)}"))
    if spec.has_negative:
        entries.append((NEGATIVE_FILL, "below 0"))
    return tuple(entries)


def _table(spec: HeatSpec, columns: range, page_rows: int | None = None) -> TableSpec:
    table_rows = []
    for r in range(len(spec.rows)):
        values = [spec.values[r][c] for c in columns]
        styles = [cell_style(spec, v) for v in values]
        table_rows.append(
            Row(
                cells=(spec.rows[r], *(None if v is None else spec.format(v) for v in values)),
                cell_fills=(None, *(s[0] for s in styles)),
                cell_colours=(None, *(s[1] for s in styles)),
            )
        )
    return TableSpec(
        columns=(
            Column(spec.row_header, min_width=EMU_PER_INCH),
            *(Column(spec.columns[c], "number") for c in columns),
        ),
        rows=tuple(table_rows),
        font=spec.font,
        size_pt=spec.size_pt,
        palette=spec.palette,
        zebra=False,
        max_rows_per_page=spec.max_rows_per_page if page_rows is None else page_rows or None,
    )


@dataclass(frozen=True)
class HeatPage:
    number: int
    table: TableLayout
    page: TablePage
    #: 0-based value columns on this page.
    columns: range
    total_columns: int

    @property
    def label(self) -> str:
        """``rows 1-12 of 40, columns 7-10 of 10`` (columns only when they page too)."""
        text = self.page.label
        if len(self.columns) < self.total_columns:
            first, last = self.columns.start + 1, self.columns.stop
            text += f", columns {first}\u2013{last} of {self.total_columns}"
        return text

    @property
    def title_suffix(self) -> str:
        return " (cont.)" if self.number > 1 else ""


@dataclass(frozen=True, slots=True)
class _LegendItem:
    line: int
    left: int  # from the box's left edge
    fill: str | None
    label: str
    label_width: int


def _swatch(spec: HeatSpec) -> int:
    return round(LEGEND_PT * 1.2 * EMU_PER_PT)


def _legend_items(spec: HeatSpec, width: int) -> list[_LegendItem]:
    """Swatches and labels in reading order, wrapped onto further lines within ``width``."""
    items: list[_LegendItem] = []
    line, left = 0, 0
    entries = [(None, spec.legend_title + ":"), *legend_entries(spec)]
    for fill, label in entries:
        label_width = measure(label, spec.font, LEGEND_PT) + 4 * EMU_PER_PT
        needed = (_swatch(spec) + 3 * EMU_PER_PT if fill else 0) + label_width
        if left and left + needed > width:
            line, left = line + 1, 0
        items.append(_LegendItem(line, left, fill, label, label_width))
        left += needed + 8 * EMU_PER_PT
    return items


def legend_height(spec: HeatSpec, width: int) -> int:
    """Room the legend (and the negative-cell note) takes under the table, in EMU."""
    pitch = line_pitch_pt(spec.font, LEGEND_PT) * EMU_PER_PT
    lines = _legend_items(spec, width)[-1].line + 1 + (1 if spec.has_negative else 0)
    return round((pitch + 2 * EMU_PER_PT) * lines + 4 * EMU_PER_PT)


def _balanced(count: int, limit: int) -> int:
    """Items per page so ``count`` items fill ceil(count / limit) pages evenly."""
    pages = max(1, math.ceil(count / limit))
    return max(1, math.ceil(count / pages))


def layout_heat(spec: HeatSpec, box: Box) -> tuple[HeatPage, ...]:
    """Pages of rows x column groups that fit ``box`` with the legend under the table."""
    table_box = Box(box.left, box.top, box.width, box.height - legend_height(spec, box.width))
    count = len(spec.columns)
    # Balanced groups: 10 columns at 6 a page make 5 + 5, not 6 + 4; rows likewise.
    per_page = _balanced(count, max(1, spec.max_columns_per_page))
    groups = [range(i, min(i + per_page, count)) for i in range(0, max(count, 1), per_page)]
    rows_per_page = _balanced(len(spec.rows), max(1, spec.max_rows_per_page))
    pages: list[HeatPage] = []
    for columns in groups:
        layout = layout_table(_table(spec, columns, rows_per_page), table_box)
        for page in layout.pages:
            pages.append(HeatPage(len(pages) + 1, layout, page, columns, count))
    return tuple(pages)


def render_pptx_heat(slide: Any, page: HeatPage, box: Box, spec: HeatSpec) -> Any:
    """Draw one heat page in ``box``: the table, then the legend (and note) under it."""
    frame = render_pptx_table(slide, page.table, page.page, box)
    footnote = page.table.footnote_height if page.page.has_missing else 0
    top = box.top + page.page.height + footnote + 4 * EMU_PER_PT
    swatch = _swatch(spec)
    pitch = round(line_pitch_pt(spec.font, LEGEND_PT) * EMU_PER_PT)
    step = pitch + 2 * EMU_PER_PT
    items = _legend_items(spec, box.width)
    for item in items:
        left, y = box.left + item.left, top + item.line * step
        if item.fill is not None:
            shape = slide.shapes.add_shape(
                MSO_SHAPE.RECTANGLE, Emu(left), Emu(y), Emu(swatch), Emu(pitch)
            )
            shape.fill.solid()
            shape.fill.fore_color.rgb = RGBColor.from_string(item.fill)
            shape.line.color.rgb = RGBColor.from_string(spec.palette.rule)
            shape.line.width = Pt(0.5)
            shape.shadow.inherit = False
            shape.name = f"Legend swatch {shape.shape_id}"
            left += swatch + 3 * EMU_PER_PT
        label = slide.shapes.add_textbox(Emu(left), Emu(y), Emu(item.label_width), Emu(pitch))
        _legend_text(label, item.label, spec)
    if spec.has_negative:
        y = top + (items[-1].line + 1) * step
        width = min(measure(spec.negative_note, spec.font, LEGEND_PT) + 4 * EMU_PER_PT, box.width)
        note = slide.shapes.add_textbox(Emu(box.left), Emu(y), Emu(width), Emu(pitch))
        _legend_text(note, spec.negative_note, spec)
    return frame


def _legend_text(shape: Any, text: str, spec: HeatSpec) -> None:
    frame = shape.text_frame
    frame.word_wrap = False
    frame.margin_left = frame.margin_right = Emu(0)
    frame.margin_top = frame.margin_bottom = Emu(0)
    run = frame.paragraphs[0].add_run()
    run.text = xml_safe(text)
    run.font.size = Pt(LEGEND_PT)
    run.font.name = spec.font.family
    run.font.color.rgb = RGBColor.from_string(spec.palette.muted)
    shape.name = f"Legend {shape.shape_id}"


def render_docx_heat(container: Any, spec: HeatSpec, width: int, max_columns: int = 8,
                     *, keep_together: bool = False) -> None:
    """The whole heat-table in Word (split into consecutive tables past ``max_columns`` value
    columns), then the legend as a one-row table and the note for negative cells.
    ``keep_together``: each table stays on one page (see ``render_docx_table``)."""
    count = len(spec.columns)
    for start in range(0, max(count, 1), max_columns):
        columns = range(start, min(start + max_columns, count))
        render_docx_table(container, _table(spec, columns, page_rows=0), width,
                          keep_together=keep_together)
    entries = [(None, spec.legend_title + ":"), *legend_entries(spec)]
    legend = container.add_table(rows=1, cols=len(entries))
    cells = legend.rows[0].cells  # once per row (STYLE.md: no table.cell(r, c) in loops)
    for cell, (fill, label) in zip(cells, entries, strict=True):
        _docx_legend_cell(cell, label, fill, spec)
    if spec.has_negative:
        paragraph = container.add_paragraph()
        run = paragraph.add_run(xml_safe(spec.negative_note))
        run.font.size = DocxPt(FOOTNOTE_PT)
        run.font.color.rgb = DocxRGB.from_string(spec.palette.muted)


def _docx_legend_cell(cell: Any, label: str, fill: str | None, spec: HeatSpec) -> None:
    if fill:
        cell._tc.get_or_add_tcPr().append(
            parse_xml(
                '<w:shd xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                f'w:val="clear" w:color="auto" w:fill="{fill}"/>'
            )
        )
    run = cell.paragraphs[0].add_run(xml_safe(label))
    run.font.size = DocxPt(FOOTNOTE_PT)
    colour = readable_text_on(fill, spec.palette.text) if fill else spec.palette.muted
    run.font.color.rgb = DocxRGB.from_string(colour)
