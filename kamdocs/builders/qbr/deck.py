"""How the QBR is drawn: slide plans -> slides on the brand master, through kamdocs.render.

Placement is decided before anything is drawn (tables are laid out by font metrics, which is
pure), so the agenda and the appendix pointers are known when the first slide is added: a
table too long for its slide shows its first page with "12 of 300 open items shown; all in
appendix A2", and the appendix repeats it in full over "(cont.)" slides with "rows 13-24 of 300".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace

from pptx.util import Emu

from kamdocs.builders.qbr.slides import ChartPlan, Col, QbrContent, SlidePlan, TablePlan
from kamdocs.builders.qbr.words import plural
from kamdocs.render.charts import CHART_FONT_PT, MISSED_WORD, ChartSpec, Series
from kamdocs.render.charts import render_pptx as draw_chart
from kamdocs.render.geometry import EMU_PER_INCH, Box
from kamdocs.render.lookup import Template
from kamdocs.render.numbers import NumberStyle
from kamdocs.render.package import CoreProperties
from kamdocs.render.palette import WHITE, Palette, Status, mix
from kamdocs.render.pptx import Deck, DeckInfo, DeckSlide
from kamdocs.render.tables import (
    Column,
    Row,
    TableLayout,
    TablePage,
    TableSpec,
    layout_table,
)
from kamdocs.render.tables import render_pptx_table as draw_table
from kamdocs.render.text import Font, Insets, fill_frame, fit, wrap_lines

#: Room under the table for "rows 13-24 of 300" or the appendix pointer.
CAPTION_HEIGHT = int(0.3 * EMU_PER_INCH)
GAP = int(0.25 * EMU_PER_INCH)
#: Width of the side column (our attendees, products in use) beside a table.
ASIDE_WIDTH = int(3.6 * EMU_PER_INCH)
#: Pages a meeting table may take before the rest goes to the appendix.
MAX_MEETING_PAGES = 2
#: The KPI chart keeps at least this height above its table.
MIN_CHART_HEIGHT = int(2.4 * EMU_PER_INCH)
BODY_MAX_PT, BODY_MIN_PT = 18.0, 14.0
ASIDE_MAX_PT, ASIDE_MIN_PT = 14.0, 11.0
CAPTION_PT = 10.0
#: KPI names under a chart's bars wrap to at most this many lines (more squeezes the bars).
MAX_CATEGORY_LINES = 2
#: Fewest KPIs on one chart when their names are long.
MIN_KPIS_PER_CHART = 3
#: Share of a category's width its label is measured against: LibreOffice wraps at about 0.9
#: of it; the rest is a margin for renderers that wrap earlier.
CATEGORY_LABEL_SHARE = 0.75
#: The logo on the cover: its height, and its room above the title.
LOGO_HEIGHT = int(0.6 * EMU_PER_INCH)
LOGO_WIDTH = int(3.0 * EMU_PER_INCH)
#: Status words and the status they stand for (the word is always printed; colour adds to it).
_STATUS_WORDS = (("met", Status.MET), ("missed", Status.MISSED), ("past due", Status.MISSED),
                 ("due soon", Status.AT_RISK), ("delivered late", Status.AT_RISK))


def palette_of(template: Template) -> Palette:
    brand = template.brand
    return Palette.from_brand({"primary": brand.primary, "text": brand.text,
                               "muted": brand.muted, "rule": brand.rule, "zebra": brand.zebra,
                               "accents": list(brand.accents)})


@dataclass(frozen=True)
class Placement:
    """Where one plan's parts go on its slide, and its table laid out in pages."""

    plan: SlidePlan
    table_box: Box | None
    chart_box: Box | None
    aside_box: Box | None
    layout: TableLayout | None
    #: The table continues in the appendix (the slide shows its first page only).
    to_appendix: bool


class QbrDeck:
    """Draws a :class:`QbrContent` onto a deck from ``template``."""

    def __init__(self, template: Template, info: DeckInfo, core: CoreProperties,
                 numbers: NumberStyle, *, logo_alt_text: str | None = None) -> None:
        self.deck = Deck(template, info, core)
        self.palette = palette_of(template)
        self.font = Font(template.brand.body_font)
        self.numbers = numbers
        self.body = self.deck.body_zone()
        #: The brand's logo goes on the cover with this alt text (None: no logo).
        self.logo_alt_text = logo_alt_text

    # ------------------------------------------------------------------ placement

    def place(self, plan: SlidePlan, body: Box) -> Placement:
        table_area = Box(body.left, body.top, body.width, body.height - CAPTION_HEIGHT)
        table_box = chart_box = aside_box = None
        if plan.table is not None and plan.chart is not None and plan.key == "kpis":
            # Chart across the top (room for long KPI names), the table under it.
            return self._chart_over_table(plan, table_area)
        if plan.table is not None and plan.chart is not None:
            # Table on top, chart under it in the room the table leaves.
            table_box = table_area
        elif plan.table is not None and plan.aside:
            table_box, aside_box = _columns(table_area, None)
        elif plan.table is not None:
            table_box = table_area
        elif plan.chart is not None:
            chart_box = table_area
        layout = None
        to_appendix = False
        if plan.table is not None and table_box is not None:
            layout = layout_table(self.table_spec(plan.table), table_box)
            to_appendix = _goes_to_appendix(plan.table, layout)
            if plan.chart is not None and plan.key != "kpis":
                used = layout.pages[0].height + layout.footnote_height + GAP
                if table_area.height - used >= int(1.6 * EMU_PER_INCH):
                    chart_box = Box(table_area.left, table_area.top + used, table_area.width,
                                    table_area.height - used)
        return Placement(plan, table_box, chart_box, aside_box, layout, to_appendix)

    def _chart_over_table(self, plan: SlidePlan, area: Box) -> Placement:
        assert plan.table is not None
        if plan.chart is not None:
            per_chart = self._categories_per_chart(plan.chart, area.width,
                                                   plan.table.rows_per_page or 12)
            if per_chart < (plan.table.rows_per_page or 12):
                plan = dataclasses.replace(
                    plan, table=dataclasses.replace(plan.table, rows_per_page=per_chart))
        assert plan.table is not None
        low = area.top + MIN_CHART_HEIGHT + GAP
        room = Box(area.left, low, area.width, area.bottom - low)
        layout = layout_table(self.table_spec(plan.table), room)
        if len(layout.pages) == 2:
            # Two even pages rather than a full one and a lonely last KPI.
            even = dataclasses.replace(plan.table, rows_per_page=-(-len(plan.table.rows) // 2))
            balanced = layout_table(self.table_spec(even), room)
            layout = balanced if len(balanced.pages) == 2 else layout
        used = max(page.height for page in layout.pages) + layout.footnote_height
        table_box = Box(area.left, area.bottom - used, area.width, used)
        chart_box = Box(area.left, area.top, area.width, area.height - used - GAP)
        to_appendix = _goes_to_appendix(plan.table, layout)
        return Placement(plan, table_box, chart_box, None, layout, to_appendix)

    def _categories_per_chart(self, chart: ChartPlan, width: int, most: int) -> int:
        """How many bars one chart of ``width`` takes so that every category name (with its
        "(missed)") wraps to at most :data:`MAX_CATEGORY_LINES` lines: long KPI names on
        five bars wrap to three lines and squeeze the bars to slivers."""
        labels = [name + (f" ({MISSED_WORD})" if missed else "")
                  for name, missed in zip(chart.categories,
                                          chart.missed or (False,) * len(chart.categories),
                                          strict=True)]
        for count in range(most, MIN_KPIS_PER_CHART - 1, -1):
            room = int(width / min(count, max(len(labels), 1)) * CATEGORY_LABEL_SHARE)
            if all(len(wrap_lines(label, self.font, CHART_FONT_PT, room)) <= MAX_CATEGORY_LINES
                   for label in labels):
                return count
        return MIN_KPIS_PER_CHART

    def table_spec(self, table: TablePlan) -> TableSpec:
        rows = []
        for cells in table.rows:
            fills = None
            if table.status_column is not None:
                status = _status_of(cells[table.status_column])
                if status is not None:
                    fills = tuple(mix(status.colour, WHITE, 0.78)
                                  if c == table.status_column else None
                                  for c in range(len(cells)))
            rows.append(Row(tuple(cells), bold=len(rows) in table.bold_rows, cell_fills=fills))
        columns = tuple(Column(c.header, "number" if c.numeric else "text",
                               int(c.min_inches * EMU_PER_INCH)) for c in table.columns)
        return TableSpec(columns, tuple(rows), font=self.font, size_pt=11.0,
                         palette=self.palette, max_rows_per_page=table.rows_per_page or 12)

    # ------------------------------------------------------------------ drawing

    def draw(self, content: QbrContent, notes_cover: str) -> None:
        body = self.body
        placements = [self.place(p, body) for p in (*content.preparation, *content.meeting)]
        appendix: list[tuple[str, str, TablePlan]] = []
        refs: dict[int, str] = {}
        for n, placed in enumerate(placements):
            if placed.to_appendix and placed.plan.table is not None:
                ref = f"A{len(appendix) + 1}"
                refs[n] = ref
                appendix.append((ref, placed.plan.table.appendix or placed.plan.label,
                                 placed.plan.table))

        cover = self.deck.add_slide("title", content.title, subtitle=content.subtitle,
                                    notes=notes_cover)
        if self.logo_alt_text is not None:
            self.cover_logo(cover, self.logo_alt_text)
        meeting_start = len(content.preparation)
        for n, placed in enumerate(placements[:meeting_start]):
            self.draw_plan(placed, refs.get(n))
        if content.gaps:
            self.draw_gaps(content)
        agenda = tuple(dict.fromkeys([p.label for p in content.meeting]
                                     + (["Appendix"] if appendix else [])))
        # An agenda of one item says nothing: a deck with only the summary goes without one.
        if len(agenda) > 1:
            self.bullet_slides(
                "content", content.agenda_title, "Agenda", agenda,
                "Walk the agenda in one minute; ask what the customer wants to add.",
                in_agenda=False)
        for n, placed in enumerate(placements[meeting_start:], start=meeting_start):
            self.draw_plan(placed, refs.get(n))
        if appendix:
            self.draw_appendix(appendix)

    def draw_plan(self, placed: Placement, appendix_ref: str | None) -> None:
        plan = placed.plan
        in_agenda = not plan.is_preparation
        if placed.layout is None:
            if plan.chart is not None and placed.chart_box is not None:
                slide = self.deck.add_slide("title_only", plan.title, label=plan.label,
                                            notes=plan.notes, in_agenda=in_agenda)
                self.chart(slide, plan.chart, placed.chart_box, None)
            else:
                self.bullet_slides("content", plan.title, plan.label, plan.bullets, plan.notes,
                                   in_agenda=in_agenda)
            return
        table = plan.table
        assert table is not None and placed.table_box is not None
        pages = self._pages(placed)
        for n, (page_layout, page, box, offset) in enumerate(pages):
            first = n == 0
            title = plan.title if first else Deck.continued(plan.title)
            notes = plan.notes if first else f"Continued from the previous slide: {plan.title}"
            slide = self.deck.add_slide("title_only", title, label=plan.label, notes=notes,
                                        in_agenda=in_agenda and first)
            draw_table(slide.slide, page_layout, page, box)
            # A chart of the table's rows: on every page of the KPI table, once elsewhere.
            if placed.chart_box is not None and plan.chart is not None and (
                    first or plan.key == "kpis"):
                rows = {r.index for r in page.rows}
                self.chart(slide, plan.chart, placed.chart_box, rows)
            if placed.aside_box is not None and first:
                self.aside(slide, plan, placed.aside_box)
            if placed.to_appendix:
                shown = len({r.index for r in page.rows} - table.bold_rows)
                caption = (f"{shown} of {table.count()} shown; "
                           f"all {table.size}: appendix {appendix_ref}")
            elif len(pages) > 1:
                caption = _page_caption(table, page, offset)
            else:
                caption = ""
            if caption:
                self.caption(slide, caption)

    def _pages(self, placed: Placement) -> list[tuple[TableLayout, TablePage, Box, int]]:
        """The pages a placed table is drawn on: (layout, page, box, index of its first
        source row in the layout's rows).

        Pages continuing on "(cont.)" slides share the rows evenly (13 rows: 7 and 6, not 12
        and a lonely 1). A table that starts beside an aside column takes the whole width on
        its continuation slides, which have no aside.
        """
        layout, box = placed.layout, placed.table_box
        assert layout is not None and box is not None
        if placed.to_appendix:
            return [(layout, layout.pages[0], box, 0)]
        if placed.aside_box is None or len(layout.pages) == 1:
            layout = balanced(layout, box)
            return [(layout, page, box, 0) for page in layout.pages]
        first = layout.pages[0]
        if any(r.continued for page in layout.pages[:2] for r in page.rows):
            return [(layout, page, box, 0) for page in layout.pages]
        start = max(r.index for r in first.rows) + 1
        wide = Box(box.left, box.top, placed.aside_box.right - box.left, box.height)
        rest = balanced(layout_table(dataclasses.replace(
            layout.spec, rows=layout.spec.rows[start:]), wide), wide)
        return [(layout, first, box, 0)] + [(rest, page, wide, start) for page in rest.pages]

    def cover_logo(self, cover: DeckSlide, alt_text: str) -> None:
        """The brand's logo above the cover title, aligned with it."""
        title = cover.slide.shapes.title
        left = title.left if title is not None else self.body.left
        top = max(EMU_PER_INCH // 2, (title.top if title is not None else 0) - LOGO_HEIGHT
                  - 2 * GAP)
        self.deck.add_logo(cover, alt_text, Box(left, top, LOGO_WIDTH, LOGO_HEIGHT))

    def chart(self, slide: DeckSlide, plan: ChartPlan, box: Box, rows: set[int] | None) -> None:
        indexes = [i for i in range(len(plan.categories))
                   if (rows is None or i in rows) and plan.values[i] is not None]
        if not indexes:
            return
        values = tuple(plan.values[i] for i in indexes)
        spec = ChartSpec(
            kind=plan.kind,
            title=plan.title,
            categories=tuple(plan.categories[i] for i in indexes),
            series=(Series(plan.series_name, values),),
            number_format=self.numbers.chart_format(values, plan.number_kind),
            targets=tuple(plan.targets[i] for i in indexes) if plan.targets else None,
            alt_text=plan.alt_text,
            # The table beside it is ordered furthest from target first: keep the same order.
            sort=False,
            font=self.font,
            palette=self.palette,
        )
        draw_chart(slide.slide, spec, box)

    def aside(self, slide: DeckSlide, plan: SlidePlan, box: Box) -> None:
        heading_box = Box(box.left, box.top, box.width, int(0.45 * EMU_PER_INCH))
        heading = fit(plan.aside_heading or "", heading_box, self.font.with_bold(),
                      max_pt=14, min_pt=11, insets=Insets.uniform(0), max_lines=2)
        self._text_box(slide, heading_box, heading, "Aside heading", self.palette.brand)
        lines_box = Box(box.left, box.top + heading.height + int(0.1 * EMU_PER_INCH), box.width,
                        box.height - heading.height - int(0.1 * EMU_PER_INCH))
        text = "\n".join(plan.aside)
        fitted = fit(text, lines_box, self.font, max_pt=ASIDE_MAX_PT, min_pt=ASIDE_MIN_PT,
                     insets=Insets.uniform(0), space_after_pt=6,
                     marker=" (continued in the notes)")
        self._text_box(slide, lines_box, fitted, "Aside", self.palette.text)
        if fitted.overflow_text:
            slide.add_notes(f"{plan.aside_heading} (continued): {fitted.overflow_text}")

    def caption(self, slide: DeckSlide, text: str) -> None:
        body = self.body
        box = Box(body.left, body.bottom - CAPTION_HEIGHT + int(0.05 * EMU_PER_INCH), body.width,
                  CAPTION_HEIGHT - int(0.05 * EMU_PER_INCH))
        fitted = fit(text, box, self.font, max_pt=CAPTION_PT, min_pt=CAPTION_PT,
                     insets=Insets.uniform(0), max_lines=1)
        self._text_box(slide, box, fitted, "Caption", self.palette.muted, align="right")
        if fitted.overflow_text:
            slide.add_notes(text)

    def _text_box(self, slide: DeckSlide, box: Box, fitted: object, name: str, colour: str,
                  align: str = "left") -> None:
        shape = slide.slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width),
                                               Emu(box.height))
        shape.name = f"{name} {shape.shape_id}"
        fill_frame(shape, fitted, colour=colour, align=align)

    def bullet_slides(self, role: str, title: str, label: str, bullets: tuple[str, ...],
                      notes: str, *, in_agenda: bool = True) -> None:
        """Bullets in the body placeholder, fitted by metrics; what does not fit at the
        minimum size continues on a "(cont.)" slide."""
        remaining = list(bullets)
        first = True
        while remaining or first:
            slide = self.deck.add_slide(
                role, title if first else Deck.continued(title), label=label,
                notes=notes if first else f"Continued from the previous slide: {title}",
                in_agenda=in_agenda and first)
            placeholder = slide.body_placeholder(1)
            # The scaffolding measured the body placeholder already (inherited geometry
            # lookups are slow in python-pptx).
            box = slide.body
            shown, remaining = self._fit_bullets(remaining, box)
            if placeholder is None:
                placeholder = slide.slide.shapes.add_textbox(
                    Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
            fill_frame(placeholder, shown, colour=self.palette.text, set_family=False)
            for paragraph in placeholder.text_frame.paragraphs:
                paragraph.level = 1
            first = False

    def _fit_bullets(self, bullets: list[str], box: Box) -> tuple[object, list[str]]:
        """The largest run of whole bullets that fits ``box`` (a single bullet too long for a
        slide is split at the minimum size and continues)."""
        indent = int(0.5 * EMU_PER_INCH)
        if not bullets:
            return fit("", box, self.font, max_pt=BODY_MIN_PT, min_pt=BODY_MIN_PT), []
        for count in range(len(bullets), 0, -1):
            fitted = fit("\n".join(bullets[:count]), box, self.font, max_pt=BODY_MAX_PT,
                         min_pt=BODY_MIN_PT, insets=Insets.uniform(0), space_after_pt=10,
                         indent=indent)
            if fitted.fits:
                return fitted, bullets[count:]
        fitted = fit(bullets[0], box, self.font, max_pt=BODY_MIN_PT, min_pt=BODY_MIN_PT,
                     insets=Insets.uniform(0), indent=indent, marker=" (continued)")
        rest = [fitted.overflow_text] if fitted.overflow_text else []
        return fitted, rest + bullets[1:]

    def draw_gaps(self, content: QbrContent) -> None:
        table = TablePlan(
            columns=(Col("Section left out", min_inches=2.8),
                     Col("What would fill it", min_inches=6.0)),
            rows=tuple((g.section, g.reason) for g in content.gaps),
            noun="section",
        )
        title = (f"{plural(len(content.gaps), 'section')} left out of this deck for lack of "
                 "data")
        notes = ("These sections are not in the customer deck. Fill the data in the CRM before "
                 "the meeting if they matter for this account.")
        plan = SlidePlan("gaps", "Preparation (internal)", title, notes, table=table,
                         is_preparation=True)
        self.draw_plan(self.place(plan, self.body), None)

    def draw_appendix(self, appendix: list[tuple[str, str, TablePlan]]) -> None:
        entries = tuple(f"{ref}  {title}: {table.count()}" for ref, title, table in appendix)
        self.bullet_slides("content", f"Appendix: {plural(len(appendix), 'full table')}",
                           "Appendix", entries, "Reference only: not presented.",
                           in_agenda=True)
        for ref, title, table in appendix:
            full = replace(table, appendix=None, rows_per_page=None)
            plan = SlidePlan(f"appendix {ref}", f"Appendix {ref}", f"{ref} {title}: "
                             f"{full.count()}", f"Full table: {title}.", table=full,
                             is_preparation=True)
            placed = self.place(plan, self.body)
            self._draw_appendix_table(placed)

    def _draw_appendix_table(self, placed: Placement) -> None:
        plan = placed.plan
        layout, table = placed.layout, plan.table
        assert layout is not None and table is not None and placed.table_box is not None
        layout = balanced(layout, placed.table_box)
        for page in layout.pages:
            title = plan.title if page.number == 1 else Deck.continued(plan.title)
            slide = self.deck.add_slide("appendix", title, label=plan.label, notes=plan.notes,
                                        in_agenda=False)
            draw_table(slide.slide, layout, page, placed.table_box)
            if len(layout.pages) > 1:
                self.caption(slide, _page_caption(table, page))

    def to_bytes(self) -> bytes:
        return self.deck.to_bytes()


def balanced(layout: TableLayout, box: Box) -> TableLayout:
    """``layout`` with its rows spread evenly over the same number of pages: a last slide
    holding one row of 37 reads as a mistake. Unchanged when a row is split over pages or
    the even split would need another page."""
    pages = len(layout.pages)
    spec = layout.spec
    if pages < 2 or any(r.continued for page in layout.pages for r in page.rows):
        return layout
    per_page = -(-len(spec.rows) // pages)
    if per_page >= (spec.max_rows_per_page or len(spec.rows)):
        return layout
    even = layout_table(dataclasses.replace(spec, max_rows_per_page=per_page), box)
    return even if len(even.pages) == pages else layout


def _page_caption(table: TablePlan, page: TablePage, offset: int = 0) -> str:
    """``rows 13–24 of 300 open items``, counting records (not group heading rows);
    ``offset``: the index in ``table.rows`` of the page layout's first row."""
    bold = sorted(table.bold_rows)
    ordinals = sorted({r.index + offset - sum(1 for b in bold if b < r.index + offset) + 1
                       for r in page.rows if r.index + offset not in table.bold_rows})
    noun = table.noun_plural or table.noun + "s"
    if not ordinals:
        return ""
    first, last = ordinals[0], ordinals[-1]
    span = f"row {first}" if first == last else f"rows {first}\u2013{last}"
    return f"{span} of {table.size} {noun}"


def _goes_to_appendix(table: TablePlan, layout: TableLayout) -> bool:
    """A meeting table of up to two pages continues on a "(cont.)" slide; a longer one shows
    its first page and a pointer, and the appendix holds it in full."""
    return table.appendix is not None and len(layout.pages) > MAX_MEETING_PAGES


def _status_of(cell: str | None) -> Status | None:
    text = (cell or "").lower()
    for word, status in _STATUS_WORDS:
        if text.startswith(word):
            return status
    return None


def _columns(box: Box, left_share: float | None) -> tuple[Box, Box]:
    """Two boxes side by side: the left takes ``left_share`` of the width, else all but the
    aside column."""
    left_width = (int((box.width - GAP) * left_share) if left_share is not None
                  else box.width - GAP - ASIDE_WIDTH)
    left = Box(box.left, box.top, left_width, box.height)
    right = Box(box.left + left_width + GAP, box.top, box.width - left_width - GAP, box.height)
    return left, right

