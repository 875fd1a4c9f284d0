"""How the plan is drawn: blocks -> Word through the render toolkit; knows nothing of accounts."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from kamdocs.builders.account_plan.blocks import (
    Block,
    Bullets,
    ChartBlock,
    Column,
    Facts,
    Grid,
    HeatBlock,
    MapBlock,
    PlanDocument,
    Section,
    Text,
)
from kamdocs.render.charts import ChartSpec, Series
from kamdocs.render.charts import render_docx as render_docx_chart
from kamdocs.render.docx import Document
from kamdocs.render.geometry import EMU_PER_CM, EMU_PER_INCH, EMU_PER_PT, Box, inches
from kamdocs.render.heat import HeatSpec, render_docx_heat
from kamdocs.render.numbers import NumberStyle
from kamdocs.render.orgmap import AccessEdge, OrgNode, OrgStyle, layout_org, render_png_org
from kamdocs.render.palette import GREEN, VERMILION, Palette
from kamdocs.render.tables import Column as TableColumn
from kamdocs.render.tables import (
    Row,
    TableSpec,
    column_widths,
    layout_table,
    render_docx_table,
)
from kamdocs.render.text import DEFAULT_FONT, WIDTH_SAFETY, measure, xml_safe

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

#: Highlight of rows that need attention (overdue, missed); the row also says it in words.
_ATTENTION_FILL = "FBE3D6"
_TABLE_PT = 9.5
_GAP = 6 * EMU_PER_PT
_CHART_HEIGHT = 7 * EMU_PER_CM
_BAR_PITCH = EMU_PER_CM * 6 // 10


class PlanDrawer:
    """Draws a :class:`PlanDocument` with the render toolkit; knows nothing of accounts."""

    def __init__(self, doc: Document, palette: Palette, numbers: NumberStyle,
                 money: Callable[[Decimal], str]) -> None:
        self.doc = doc
        self.palette = palette
        self.numbers = numbers
        self.money = money
        self.width = doc.content_width
        self.colours: dict[str, str] = {}
        self._after_table = False

    def draw(self, plan: PlanDocument) -> bytes:
        names = [n for s in _walk(plan.sections + plan.appendix) for b in s.blocks
                 if isinstance(b, ChartBlock) for n, _ in b.series]
        self.colours = self.palette.series_colours(names)
        self.doc.add_cover(plan.cover_title, plan.subtitle, plan.cover)
        self.doc.add_contents()
        for section in plan.sections:
            self.section(section, 1)
        for section in plan.appendix:
            self.doc.appendix(section.title)
            self.blocks(section.blocks)
        return self.doc.to_bytes()

    def section(self, section: Section, level: int) -> None:
        self.doc.heading(section.title, min(level, 3))
        self.blocks(section.blocks, then_child=bool(section.children))
        for child in section.children:
            self.section(child, level + 1)

    def blocks(self, blocks: Sequence[Block], then_child: bool = False) -> None:
        # A section's opening sentence before its first subsection goes with it: the
        # subsection's heading keeps with its own content in turn.
        last: Block | None = _SUBSECTION if then_child else None
        for block, following in zip(blocks, (*blocks[1:], last), strict=True):
            self.block(block, following)

    def block(self, block: Block, following: Block | None = None) -> None:
        doc = self.doc
        after_table = self._after_table
        self._after_table = isinstance(block, Grid | Facts | HeatBlock)
        if isinstance(block, Text | Bullets):
            paragraphs = self.text(block)
            if after_table:
                # A paragraph straight under a table reads as part of it: give it air.
                paragraphs[0].paragraph_format.space_before = _GAP
            # A section's message (its lead) never ends a page either, whatever follows it.
            lead = isinstance(block, Text) and block.role == "lead" and following is not None
            if lead or isinstance(following, _INTRODUCED) or following is _SUBSECTION:
                # The sentence that introduces a table or chart goes with it: never the
                # heading and its message at a page bottom with the table overleaf. (Not
                # before a map: a map fills a page, and would pull its warnings along.)
                paragraphs[-1].paragraph_format.keep_with_next = True
        elif isinstance(block, Facts):
            self.table(
                (Column("Key figure", min_cm=3.5), Column("Value", "right", 2.5),
                 Column("Detail", min_cm=5.0)),
                [(label, value, note or "") for label, value, note in block.rows],
            )
        elif isinstance(block, Grid):
            if block.caption:
                doc.caption(xml_safe(block.caption)).paragraph_format.keep_with_next = True
            self.table(block.columns, block.rows, block.emphasis,
                       bold_last=block.has_total)
        elif isinstance(block, ChartBlock):
            self.chart(block)
        elif isinstance(block, HeatBlock):
            self.heat(block)
        elif isinstance(block, MapBlock):
            self.map(block)

    def text(self, block: Text | Bullets) -> list[Paragraph]:
        """Draw a paragraph or a list; returns its paragraphs."""
        doc = self.doc
        if isinstance(block, Bullets):
            return list(doc.bullets([xml_safe(item) for item in block.items]))
        return [self.paragraph(block)]

    def paragraph(self, block: Text) -> Paragraph:
        doc = self.doc
        text = xml_safe(block.text)
        if block.role == "lead":
            return doc.paragraph(bold_lead=text)
        if block.role in ("warning", "labelled"):
            lead, _, rest = text.partition(": ")
            return doc.paragraph(rest, bold_lead=f"{lead}: ") if rest else doc.paragraph(
                bold_lead=text)
        if block.role == "missing":
            paragraph = doc.paragraph(text)
            paragraph.runs[-1].italic = True
            return paragraph
        if block.role == "note":
            return doc.source_note(text)
        if block.role == "quote":
            return doc.paragraph(text, "Quote")
        return doc.paragraph(text)

    def table(self, columns: Sequence[Column], rows: Sequence[tuple[str | None, ...]],
              emphasis: Sequence[int] = (), bold_last: bool = False) -> None:
        highlighted = set(emphasis)
        cells = [tuple(None if v is None else xml_safe(v) for v in row) for row in rows]
        body = tuple(
            Row(row, bold=bold_last and i == len(rows) - 1,
                fill=_ATTENTION_FILL if i in highlighted else None)
            for i, row in enumerate(cells)
        )

        def spec_with(least: Sequence[int]) -> TableSpec:
            return TableSpec(
                columns=tuple(
                    TableColumn(xml_safe(c.header), "number" if c.align == "right" else "text",
                                width)
                    for c, width in zip(columns, least, strict=True)
                ),
                rows=body, size_pt=_TABLE_PT, palette=self.palette, max_rows_per_page=None,
            )

        least = [self._min_width(c, [row[i] for row in cells]) for i, c in enumerate(columns)]
        spec = spec_with(least)
        if any(w < m for w, m in zip(column_widths(spec, self.width), least, strict=True)):
            # Too many wide values for the page: the columns would all be squeezed and break
            # their words ("Influenc-e"); keep the plain minimums instead.
            spec = spec_with([int(c.min_cm * EMU_PER_CM) for c in columns])
        render_docx_table(self.doc.doc, spec, self.width, style=self.doc.table_style,
                          keep_together=self._is_short(spec))

    def _is_short(self, spec: TableSpec) -> bool:
        """Whether the table takes at most half a page: short enough to move whole to the next
        page rather than leave a row or two behind (a longer one repeats its header instead;
        keeping it whole could push it, and its heading, onto a page of its own)."""
        if len(spec.rows) > _KEEP_TOGETHER_ROWS:
            return False
        half_page = Box(0, 0, self.width, self.doc.content_height // 2)
        return len(layout_table(spec, half_page).pages) == 1

    def _min_width(self, column: Column, cells: Sequence[str | None]) -> int:
        """The column's minimum; right-aligned columns (dates, amounts, counts) also get the
        width of their longest value, so "Nov 12, 2026" never breaks over two lines."""
        least = int(column.min_cm * EMU_PER_CM)
        if column.align != "right":
            return least
        longest = max((measure(c, DEFAULT_FONT, _TABLE_PT) for c in cells if c), default=0)
        need = int(longest / WIDTH_SAFETY * _RENDER_SLACK) + _CELL_PADDING
        return max(least, min(need, _MAX_UNBROKEN))

    def chart(self, block: ChartBlock) -> None:
        values = [v for _, vs in block.series for v in vs]
        number_format = self.numbers.chart_format(values, block.unit)
        if block.unit == "money" and any(v == 0 for v in values):
            # A scaled money format shows an empty quarter as "$0K": write it as "$0".
            number_format = _with_plain_zero(number_format)
        # Attainment bars are status colours (met green, missed vermilion), whatever the
        # position of the series among the document's other charts.
        kpi = block.kind == "kpi_attainment"
        spec = ChartSpec(
            kind=block.kind,
            title=xml_safe(block.title),
            categories=tuple(xml_safe(c) for c in block.categories),
            series=tuple(
                Series(xml_safe(name), values_, GREEN if kpi else self.colours.get(name),
                       labels=not kpi)
                for name, values_ in block.series
            ),
            number_format=number_format,
            targets=block.targets,
            alt_text=xml_safe(block.alt_text),
            is_time=block.is_time,
            missing=block.missing,
            palette=self.palette,
        )
        horizontal = block.kind in ("bar", "stacked_bar")
        height = _CHART_HEIGHT
        if horizontal:
            # One bar per category: grow with the categories, up to most of a page.
            height = min(max(height, len(block.categories) * _BAR_PITCH + 2 * EMU_PER_CM),
                         self.doc.content_height * 3 // 4)
        else:
            # Long category names are drawn slanted under the columns: give them the room
            # (about 1.2 mm of height per character of the longest name).
            longest = max((len(c) for c in block.categories), default=0)
            if longest > 12:
                height += min(longest, 60) * EMU_PER_CM * 12 // 100
        paragraph = self.doc.paragraph()
        render_docx_chart(paragraph, spec, self.width, height)

    def heat(self, block: HeatBlock) -> None:
        self.doc.caption(xml_safe(block.title)).paragraph_format.keep_with_next = True
        spec = HeatSpec(
            row_header="Product",
            rows=tuple(xml_safe(x) for x in block.row_labels),
            columns=tuple(xml_safe(x) for x in block.column_labels),
            values=block.values,
            format=lambda v: self.money(Decimal(str(v))),
            legend_title="Whitespace",
            size_pt=_TABLE_PT,
            palette=self.palette,
        )
        # One line per product: a heat-table of up to 15 products stays on one page.
        render_docx_heat(self.doc.doc, spec, self.width,
                         keep_together=len(block.row_labels) <= _KEEP_TOGETHER_ROWS)

    def map(self, block: MapBlock) -> None:
        nodes = tuple(
            OrgNode(
                id=n.id, parent_id=n.parent_id, name=xml_safe(n.name), title=xml_safe(n.title),
                badge=xml_safe(n.badge), badge_colour=_STANCE_COLOURS.get(n.stance),
            )
            for n in block.nodes
        )
        access = tuple(AccessEdge(n.via_id, n.id) for n in block.nodes if n.via_id)
        # Room on the page for the picture and, above it, an appendix heading and the caption
        # (a picture too tall for them moved alone to the next page, leaving both behind).
        area = Box(0, 0, self.width, self.doc.content_height * _MAP_SHARE // 100)
        legend = tuple((colour, stance) for stance, colour in _STANCE_COLOURS.items())
        style = dataclasses.replace(_MAP_STYLE_WORD, palette=self.palette)
        pages = layout_org(nodes, area, access=access, style=style, legend=legend)
        if len(pages) == 1 and pages[0].boxes:
            # A small map: lay it out again in just the height it uses, so the picture does
            # not carry most of a blank page with it.
            page = pages[0]
            used = max(b.box.bottom for b in page.boxes) - area.top
            key = page.area.bottom - page.key_box.top
            tight = Box(area.left, area.top, area.width, min(area.height, used + key + style.gap_y))
            retry = layout_org(nodes, tight, access=access, style=style, legend=legend)
            if len(retry) == 1:
                pages = retry
        for number, page in enumerate(pages, 1):
            alt = block.alt_text if number == 1 else ""
            alt = f"{alt} {page.alt_text}".strip()
            caption = "Relationship map"
            if len(pages) > 1:
                caption += f", part {number} of {len(pages)}"
            self.doc.caption(caption).paragraph_format.keep_with_next = True
            png = render_png_org(page, style)
            self.doc.picture(png, page.area.width, page.area.height, xml_safe(alt))
            # Names shortened in the boxes, and links between parts, in full.
            for note in page.notes:
                self.doc.source_note(xml_safe(note))


#: Printed pages are read closer than slides: 8-9 pt text (legible in print) fits more people
#: on a page than the slide map's 10-11 pt.
_MAP_STYLE_WORD = OrgStyle(
    box_width=inches(1.45), box_height=inches(0.8), gap_x=inches(0.1), gap_y=inches(0.25),
    max_pt=9.0, min_pt=8.0, key_pt=8.0,
    # Each page of the map is one picture, captioned "part N of M", inside a longer document.
    page_abbr="part", page_word="part",
)
_STANCE_COLOURS = {"champion": GREEN, "detractor": VERMILION}

#: Stands for the heading of the first subsection after a section's own blocks.
_SUBSECTION = Text("", "lead")
#: Share of the text height a map picture may take.
_MAP_SHARE = 78
#: Blocks a paragraph introduces (and keeps with): tables and charts.
_INTRODUCED = (Grid, Facts, ChartBlock, HeatBlock)
#: Tables of more rows are never kept whole (no need to measure them).
_KEEP_TOGETHER_ROWS = 15
#: Table cell side insets (render.tables' default, 0.06 in each side) plus a hair.
_CELL_PADDING = EMU_PER_INCH * 13 // 100
#: LibreOffice sets Carlito a little wider than its metrics; no value is wider than this.
_RENDER_SLACK = 1.04
_MAX_UNBROKEN = 5 * EMU_PER_CM


def _with_plain_zero(code: str) -> str:
    """A scaled Excel format code ("$"#,##0,"K") with a zero section that reads "$0"."""
    match = re.fullmatch(r"(.*?)(#,##0(?:\.0+)?)(,+)(.*)", code)
    if match is None or ";" in code:
        return code  # unscaled: zero already reads "$0"
    prefix, _, _, suffix = match.groups()
    # A currency written after the number keeps its place: "0 €" (the scale word goes).
    after = '"' + suffix[suffix.index("\u00a0"):] if "\u00a0" in suffix else ""
    return f"{code};-{code};{prefix}0{after}"


def _walk(sections: Sequence[Section]) -> list[Section]:
    out: list[Section] = []
    for section in sections:
        out.append(section)
        out.extend(_walk(section.children))
    return out


