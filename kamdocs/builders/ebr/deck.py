"""How the executive deck is drawn: :class:`EbrContent` -> slides on the brand master.

Table and bullet slides are drawn exactly as the QBR draws them (:class:`QbrDeck`: tables laid
out by font metrics, one page on the slide and the whole table in the appendix with a pointer),
so the two customer decks look alike. This module adds what only the EBR has: a grid of KPI
trend charts, the ARR waterfall with the bridge in words, and the two columns of asks.
"""

from __future__ import annotations

from dataclasses import replace

from pptx.dml.color import RGBColor
from pptx.util import Emu, Pt

from kamdocs.builders.ebr.slides import EbrContent, EbrSlide, TrendChart
from kamdocs.builders.qbr.deck import CAPTION_HEIGHT, GAP, Placement, QbrDeck
from kamdocs.builders.qbr.slides import SlidePlan, TablePlan
from kamdocs.render.charts import ChartKind, ChartSpec, Series
from kamdocs.render.charts import render_pptx as draw_chart
from kamdocs.render.geometry import EMU_PER_INCH, Box
from kamdocs.render.palette import WHITE, Status, mix
from kamdocs.render.tables import TableSpec
from kamdocs.render.text import Insets, fill_frame, fit, xml_safe

#: Status words and what they stand for (the word is always printed; colour adds to it).
_STATUS_WORDS = (("met", Status.MET), ("achieved", Status.MET), ("on track", Status.MET),
                 ("missed", Status.MISSED), ("past due", Status.MISSED),
                 ("at risk", Status.AT_RISK), ("due soon", Status.AT_RISK))
#: Width of the bridge-in-words panel beside the waterfall.
SUMMARY_WIDTH = int(3.2 * EMU_PER_INCH)
COLUMN_MAX_PT, COLUMN_MIN_PT = 18.0, 12.0
#: Executive slides carry few rows: tables at the top of DESIGN.md's 11-12 pt range.
TABLE_PT = 12.0
BULLET_INDENT = int(0.5 * EMU_PER_INCH)


def status_of(cell: str | None) -> Status | None:
    text = (cell or "").strip().lower()
    for word, status in _STATUS_WORDS:
        if text.startswith(word):
            return status
    return None


class EbrDeck(QbrDeck):
    """Draws an :class:`EbrContent` onto a deck from the EBR brand master."""

    def place(self, plan: SlidePlan, body: Box) -> Placement:
        """As the QBR places it, except that an executive slide never continues: a table
        longer than one slide shows its first page and the appendix holds it whole."""
        placed = super().place(plan, body)
        if placed.layout is None or plan.table is None or plan.table.appendix is None:
            return placed
        return replace(placed, to_appendix=len(placed.layout.pages) > 1)

    def table_spec(self, table: TablePlan) -> TableSpec:
        """The QBR's table, with the EBR's status words (achieved, on track, at risk) tinted."""
        spec = replace(super().table_spec(table), size_pt=TABLE_PT)
        if table.status_column is None:
            return spec
        column = table.status_column
        rows = []
        for row in spec.rows:
            status = status_of(row.cells[column])
            fills = row.cell_fills
            if status is not None:
                fills = tuple(mix(status.colour, WHITE, 0.78) if c == column else None
                              for c in range(len(row.cells)))
            rows.append(replace(row, cell_fills=fills))
        return replace(spec, rows=tuple(rows))

    # ------------------------------------------------------------------ the deck

    def draw_deck(self, content: EbrContent, cover_notes: str) -> None:
        appendix: list[tuple[str, str, TablePlan]] = []

        def reference(title: str, table: TablePlan) -> str:
            for ref, known, _ in appendix:
                if known == title:
                    return ref
            ref = f"A{len(appendix) + 1}"
            appendix.append((ref, title, table))
            return ref

        for title, table in content.appendix:
            reference(title, table)
        placements: dict[str, Placement] = {}
        refs: dict[str, str] = {}
        for slide in content.slides:
            if slide.table is not None:
                placed = self.place(_as_plan(slide), self.body)
                placements[slide.key] = placed
                if placed.to_appendix:
                    refs[slide.key] = reference(slide.table.appendix or slide.label, slide.table)
            if slide.overflow is not None:
                refs[slide.key] = reference(slide.overflow.title, slide.overflow.table)

        self.deck.add_slide("title", content.title, subtitle=content.subtitle, notes=cover_notes)
        agenda = [s.label for s in content.slides] + (["Appendix"] if appendix else [])
        self.bullet_slides("content", content.agenda_title, "Agenda",
                           tuple(dict.fromkeys(agenda)),
                           "One minute on the agenda; ask what the executives want to add.",
                           in_agenda=False)
        for slide in content.slides:
            ref = refs.get(slide.key)
            if slide.key in placements:
                self.draw_plan(placements[slide.key], ref)
            elif slide.trends:
                self.draw_trends(slide, ref)
            elif slide.waterfall is not None:
                self.draw_waterfall(slide)
            elif slide.columns:
                self.draw_columns(slide, ref)
            else:
                self.bullet_slides("content", slide.title, slide.label, slide.bullets,
                                   slide.notes)
        if appendix:
            self.draw_appendix(appendix)

    # ------------------------------------------------------------------ EBR slides

    def _pointer(self, slide: EbrSlide, ref: str | None) -> str:
        if slide.overflow is None or ref is None:
            return ""
        return (f"{slide.overflow.shown}; all {slide.overflow.table.count()}: "
                f"appendix {ref}")

    def draw_trends(self, slide: EbrSlide, ref: str | None) -> None:
        page = self.deck.add_slide("title_only", slide.title, label=slide.label,
                                   notes=slide.notes)
        caption = self._pointer(slide, ref)
        body = self.body
        area = Box(body.left, body.top, body.width, body.height - CAPTION_HEIGHT)
        # Side by side, each the full height: a trend needs height more than width.
        boxes = area.split_columns(max(1, len(slide.trends)), GAP)
        for chart, box in zip(slide.trends, boxes, strict=True):
            draw_chart(page.slide, self.trend_spec(chart), box)
        if caption:
            self.caption(page, caption)

    def trend_spec(self, chart: TrendChart) -> ChartSpec:
        number = "#,##0" + ("." + "0" * chart.decimals if chart.decimals else "")
        return ChartSpec(
            kind=ChartKind.LINE,
            title=xml_safe(chart.title),
            categories=tuple(xml_safe(c) for c in chart.categories),
            # The target is a reference line: its value is in the chart's title, so only the
            # actuals carry labels.
            series=(Series("Actual", chart.actual, self.palette.data[0]),
                    Series("Target", chart.target, self.palette.muted, labels=False)),
            number_format=number,
            alt_text=xml_safe(chart.alt_text),
            is_time=True,
            font=self.font,
            palette=self.palette,
        )

    def draw_waterfall(self, slide: EbrSlide) -> None:
        plan = slide.waterfall
        assert plan is not None
        page = self.deck.add_slide("title_only", slide.title, label=slide.label,
                                   notes=slide.notes)
        body = self.body
        chart_box = Box(body.left, body.top, body.width - SUMMARY_WIDTH - GAP, body.height)
        spec = ChartSpec(
            kind=ChartKind.WATERFALL,
            title=xml_safe(plan.title),
            categories=tuple(xml_safe(c) for c in plan.categories),
            series=(Series("Annual value", plan.values),),
            number_format=self.numbers.chart_format(plan.values, "money", exact=True),
            alt_text=xml_safe(plan.alt_text),
            is_time=True,
            font=self.font,
            palette=self.palette,
        )
        draw_chart(page.slide, spec, chart_box)
        panel = Box(chart_box.right + GAP, body.top + int(0.5 * EMU_PER_INCH), SUMMARY_WIDTH,
                    body.height - int(0.5 * EMU_PER_INCH))
        text = xml_safe("\n".join(plan.summary))
        fitted = fit(text, panel, self.font, max_pt=16, min_pt=12, insets=Insets.uniform(0),
                     space_after_pt=8, marker=" (continued in the notes)")
        shape = page.slide.shapes.add_textbox(Emu(panel.left), Emu(panel.top),
                                              Emu(panel.width), Emu(panel.height))
        shape.name = f"Bridge in words {shape.shape_id}"
        fill_frame(shape, fitted, colour=self.palette.text)
        if fitted.overflow_text:
            page.add_notes(f"Bridge (continued): {fitted.overflow_text}")

    def draw_columns(self, slide: EbrSlide, ref: str | None) -> None:
        page = self.deck.add_slide("two_content", slide.title, label=slide.label,
                                   notes=slide.notes)
        caption = self._pointer(slide, ref)
        for idx, column in enumerate(slide.columns, start=1):
            placeholder = page.body_placeholder(idx)
            if placeholder is None:
                box = page.bodies[min(idx, len(page.bodies)) - 1]
                placeholder = page.slide.shapes.add_textbox(
                    Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
            box = Box(placeholder.left, placeholder.top, placeholder.width, placeholder.height)
            if caption:
                # Leave the caption its own strip under the columns (all four set: a
                # placeholder that inherits its position would otherwise move to 0, 0).
                box = Box(box.left, box.top, box.width,
                          self.body.bottom - CAPTION_HEIGHT - box.top)
                placeholder.left, placeholder.top = Emu(box.left), Emu(box.top)
                placeholder.width, placeholder.height = Emu(box.width), Emu(box.height)
            text = xml_safe("\n".join((column.heading, *column.items)))
            fitted = fit(text, box, self.font, max_pt=COLUMN_MAX_PT, min_pt=COLUMN_MIN_PT,
                         insets=Insets.uniform(0), space_after_pt=8, indent=BULLET_INDENT,
                         marker=" (continued in the notes)")
            fill_frame(placeholder, fitted, colour=self.palette.text, set_family=False)
            for n, paragraph in enumerate(placeholder.text_frame.paragraphs):
                paragraph.level = 0 if n == 0 else 1
                if n == 0:
                    for run in paragraph.runs:
                        run.font.bold = True
                        run.font.color.rgb = RGBColor.from_string(self.palette.brand)
                        run.font.size = Pt(fitted.size_pt)
            if fitted.overflow_text:
                page.add_notes(f"{column.heading} (continued): {fitted.overflow_text}")
        if caption:
            self.caption(page, caption)


def _as_plan(slide: EbrSlide) -> SlidePlan:
    return SlidePlan(slide.key, slide.label, slide.title, slide.notes, bullets=slide.bullets,
                     table=slide.table)
