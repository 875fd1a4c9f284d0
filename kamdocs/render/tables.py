"""Tables from plain cells: widths from content, row heights from wrapped text, pages that fit.

:func:`layout_table` measures every cell once, gives each column a width between its longest
word and its longest line (never below the column's minimum), wraps every cell to compute row
heights, and cuts the rows into pages that fit a box with the header repeated. A row taller than
a page continues on the next page: text is never cut. The caller turns pages into slides
(``page.title_suffix`` = " (cont.)", ``page.label`` = "rows 21-40 of 300").

:func:`render_pptx_table` draws one page as a native PowerPoint table with every size written
explicitly; :func:`render_docx_table` writes the whole table into Word (which pages it), with the
header row repeated on each page and rows kept whole. Missing cells show an em dash and the
table gets the footnote "— no data provided" once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from docx.oxml import parse_xml as docx_parse_xml
from docx.shared import Pt as DocxPt
from docx.table import Table as DocxTable
from pptx.dml.color import RGBColor
from pptx.oxml import parse_xml as pptx_parse_xml
from pptx.util import Emu, Pt

from kamdocs.render.geometry import EMU_PER_INCH, EMU_PER_PT, Box
from kamdocs.render.numbers import EM_DASH, MISSING_NOTE
from kamdocs.render.palette import WHITE, Palette
from kamdocs.render.text import (
    DEFAULT_FONT,
    WIDTH_SAFETY,
    Font,
    Insets,
    line_pitch_pt,
    width_em,
    wrap_lines,
    xml_safe,
)

Cell = str | None

#: PowerPoint's built-in "No Style, No Grid": every fill and rule comes from us.
NO_STYLE_TABLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
FOOTNOTE_PT = 10.0
_TWIPS_PER_EMU = 1 / 635
_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its header, whether it holds numbers (right-aligned), its minimum width."""

    header: str
    kind: str = "text"  # "text" or "number"
    min_width: int = EMU_PER_INCH * 6 // 10

    @property
    def align(self) -> str:
        return "right" if self.kind == "number" else "left"


@dataclass(frozen=True, slots=True)
class Row:
    """One row of cells (None = missing). ``bold`` for totals; ``fill`` highlights the row
    (say why in a cell too: colour is never the only signal)."""

    cells: tuple[Cell, ...]
    bold: bool = False
    fill: str | None = None
    #: Per cell fill and text colours (heat-tables); None entries keep the row's.
    cell_fills: tuple[str | None, ...] | None = None
    cell_colours: tuple[str | None, ...] | None = None


@dataclass(frozen=True)
class TableSpec:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    font: Font = DEFAULT_FONT
    #: DESIGN.md: 11-12 pt on slides.
    size_pt: float = 11.0
    palette: Palette = field(default_factory=Palette)
    #: Header row in the brand colour with white bold text; False = bold text with a rule.
    header_fill: bool = True
    zebra: bool = True
    insets: Insets = field(
        default_factory=lambda: Insets(
            EMU_PER_INCH * 6 // 100, EMU_PER_INCH * 3 // 100,
            EMU_PER_INCH * 6 // 100, EMU_PER_INCH * 3 // 100,
        )
    )
    #: DESIGN.md: about 12 rows on a slide; None = as many as fit.
    max_rows_per_page: int | None = 12
    #: Stretch columns to the box width when the content is narrower.
    fill_width: bool = True

    def __post_init__(self) -> None:
        rows = tuple(r if isinstance(r, Row) else Row(tuple(r)) for r in self.rows)
        for number, row in enumerate(rows, 1):
            if len(row.cells) != len(self.columns):
                raise ValueError(
                    f"table row {number} has {len(row.cells)} cells for {len(self.columns)} columns"
                )
        object.__setattr__(self, "rows", rows)

    @property
    def has_missing(self) -> bool:
        return any(c is None for row in self.rows for c in row.cells)


@dataclass(frozen=True, slots=True)
class PageRow:
    """A row on a page: the source row (0-based), its text, and whether it continues one."""

    index: int
    cells: tuple[str, ...]
    height: int
    continued: bool = False


@dataclass(frozen=True, slots=True)
class TablePage:
    number: int
    rows: tuple[PageRow, ...]
    #: 1-based source rows shown on this page, and the table's row count.
    first_row: int
    last_row: int
    total_rows: int
    header_height: int
    has_missing: bool

    @property
    def height(self) -> int:
        """Height of the table on this page (header included), in EMU."""
        return self.header_height + sum(r.height for r in self.rows)

    @property
    def label(self) -> str:
        """``rows 21-40 of 300`` (en dash), or ``row 3 of 300``."""
        if self.total_rows == 0:
            return "no rows"
        if self.first_row == self.last_row:
            return f"row {self.first_row} of {self.total_rows}"
        return f"rows {self.first_row}\u2013{self.last_row} of {self.total_rows}"

    @property
    def title_suffix(self) -> str:
        """`` (cont.)`` on every page after the first, for the slide title."""
        return " (cont.)" if self.number > 1 else ""


@dataclass(frozen=True)
class TableLayout:
    spec: TableSpec
    widths: tuple[int, ...]
    pages: tuple[TablePage, ...]
    header_height: int
    #: The footnote to print once under the table, or None.
    footnote: str | None
    footnote_height: int


# --- measuring and laying out -------------------------------------------------------------


def _text(cell: Cell) -> str:
    return EM_DASH if cell is None else cell


@dataclass(frozen=True, slots=True)
class _Metrics:
    """Every cell measured once (in em at 1 pt): its longest line and its longest word."""

    header_lines: tuple[float, ...]
    header_words: tuple[float, ...]
    #: [row][column]
    lines: tuple[tuple[float, ...], ...]
    words: tuple[tuple[float, ...], ...]


def _longest(font: Font, parts: list[str]) -> float:
    return max((width_em(part, font) for part in parts), default=0.0)


def _measure(spec: TableSpec) -> _Metrics:
    bold = spec.font.with_bold()
    lines, words = [], []
    for row in spec.rows:
        font = bold if row.bold else spec.font
        texts = [_text(c) for c in row.cells]
        lines.append(tuple(
            width_em(t, font) if "\n" not in t else _longest(font, t.splitlines())
            for t in texts
        ))
        words.append(tuple(_longest(font, t.split()) for t in texts))
    headers = [c.header for c in spec.columns]
    return _Metrics(
        tuple(_longest(bold, h.splitlines()) for h in headers),
        tuple(_longest(bold, h.split()) for h in headers),
        tuple(lines),
        tuple(words),
    )


def column_widths(spec: TableSpec, width: int, metrics: _Metrics | None = None) -> tuple[int, ...]:
    """Widths (EMU) summing to ``width`` (or less if not ``fill_width``) from the content.

    Each column gets at least its minimum and its longest word (capped at 40 % of the table),
    at most its longest line; between the two, columns are filled to a common level, so short
    columns keep their whole line and long text columns share the rest.
    """
    metrics = metrics or _measure(spec)
    pad = spec.insets.left + spec.insets.right
    scale = spec.size_pt * EMU_PER_PT / WIDTH_SAFETY
    most, least = [], []
    for c, column in enumerate(spec.columns):
        longest_line = max([metrics.header_lines[c], *(r[c] for r in metrics.lines)])
        longest_word = max([metrics.header_words[c], *(r[c] for r in metrics.words)])
        word = min(longest_word * scale + pad, width * 0.4)
        low = max(column.min_width, word)
        least.append(low)
        most.append(max(low, longest_line * scale + pad + 1))
    return _share(width, least, most, spec.fill_width)


def _share(width: int, least: list[float], most: list[float], fill: bool) -> tuple[int, ...]:
    """Water-filling: every column reaches a common level, clamped to [least, most].

    Narrow columns (dates, amounts, ids) thus get their whole line and stay on one line; wide
    text columns share what is left equally. Extra room, when filling, goes in proportion.
    """
    if sum(most) <= width:
        widths = most if not fill else [m + (width - sum(most)) * m / sum(most) for m in most]
    elif sum(least) >= width:
        widths = [lo * width / sum(least) for lo in least]
    else:
        low, high = 0.0, float(max(most))
        for _ in range(60):
            level = (low + high) / 2
            total = sum(min(m, max(lo, level)) for lo, m in zip(least, most, strict=True))
            low, high = (level, high) if total < width else (low, level)
        widths = [min(m, max(lo, low)) for lo, m in zip(least, most, strict=True)]
    result = [int(w) for w in widths]
    if fill or sum(most) > width:
        result[-1] += width - sum(result)
    return tuple(result)


def _cell_lines(text: str, width: int, font: Font, size: float, single_em: float) -> int:
    inner_em = width * WIDTH_SAFETY / (size * EMU_PER_PT)
    if single_em <= inner_em and "\n" not in text:
        return 1  # fits on one line: no need to wrap
    return len(wrap_lines(text, font, size, width))


def layout_table(spec: TableSpec, box: Box) -> TableLayout:
    """Widths, row heights and pages for ``spec`` in ``box`` (the footnote's room included)."""
    metrics = _measure(spec)
    widths = column_widths(spec, box.width, metrics)
    font, size = spec.font, spec.size_pt
    bold = font.with_bold()
    pitch = line_pitch_pt(font, size) * EMU_PER_PT
    pad_w = spec.insets.left + spec.insets.right
    pad_h = spec.insets.top + spec.insets.bottom
    inner = [w - pad_w for w in widths]

    def height_of(lines: int) -> int:
        return round(lines * pitch) + pad_h

    header_lines = max(
        _cell_lines(col.header, inner[c], bold, size, metrics.header_lines[c])
        for c, col in enumerate(spec.columns)
    )
    header_height = height_of(header_lines)
    footnote = MISSING_NOTE if spec.has_missing else None
    footnote_height = (
        round(line_pitch_pt(font, FOOTNOTE_PT) * EMU_PER_PT) + EMU_PER_PT * 4 if footnote else 0
    )
    room = box.height - header_height - footnote_height
    max_lines = max(1, int((room - pad_h) // pitch))
    limit = spec.max_rows_per_page or len(spec.rows) or 1

    pages: list[TablePage] = []
    current: list[PageRow] = []
    used = 0

    def close_page() -> None:
        nonlocal current, used
        if not current:
            return
        indexes = [r.index for r in current]
        missing = any(
            spec.rows[r.index].cells[c] is None
            for r in current if not r.continued
            for c in range(len(spec.columns))
        )
        pages.append(
            TablePage(
                number=len(pages) + 1,
                rows=tuple(current),
                first_row=min(indexes) + 1,
                last_row=max(indexes) + 1,
                total_rows=len(spec.rows),
                header_height=header_height,
                has_missing=missing,
            )
        )
        current, used = [], 0

    for index, row in enumerate(spec.rows):
        texts = [_text(c) for c in row.cells]
        row_font = bold if row.bold else font
        counts = [
            _cell_lines(t, inner[c], row_font, size, metrics.lines[index][c])
            for c, t in enumerate(texts)
        ]
        continued = False
        while True:
            lines = max(counts)
            if lines <= max_lines:
                height = height_of(lines)
                if current and (used + height > room or len(current) >= limit):
                    close_page()
                current.append(PageRow(index, tuple(texts), height, continued))
                used += height
                break
            # Taller than a whole page: this page takes what fits, the rest continues.
            close_page()
            head, rest = _split_row(texts, inner, row_font, size, max_lines)
            current.append(PageRow(index, head, height_of(max_lines), continued))
            close_page()
            texts, continued = list(rest), True
            counts = [
                len(wrap_lines(t, row_font, size, inner[c])) if t else 1
                for c, t in enumerate(texts)
            ]
    close_page()
    if not pages:
        pages.append(TablePage(1, (), 0, 0, 0, header_height, False))
    return TableLayout(spec, widths, tuple(pages), header_height, footnote, footnote_height)


def _split_row(
    texts: Sequence[str], inner: Sequence[int], font: Font, size: float, max_lines: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Cut each cell after ``max_lines`` wrapped lines: (what fits, what continues)."""
    head, rest = [], []
    for c, text in enumerate(texts):
        lines = wrap_lines(text, font, size, inner[c])
        if len(lines) <= max_lines:
            head.append(text)
            rest.append("")
        else:
            cut = lines[max_lines - 1].end
            head.append(text[:cut].rstrip())
            rest.append(text[lines[max_lines].start :])
    return tuple(head), tuple(rest)


# --- PPTX ------------------------------------------------------------------------------------

_ALGN = {"left": "l", "right": "r", "center": "ctr"}
_A_NS = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'


def _pptx_cell(
    text: str, spec: TableSpec, align: str, bold: bool, colour: str, fill: str | None,
    pitch_cpt: int, rule: str | None = None,
) -> str:
    """One ``a:tc``: sizes, margins, spacing and colours all explicit (no table style)."""
    font = escape(xml_safe(spec.font.family), {'"': "&quot;"})
    size = round(spec.size_pt * 100)
    rpr = (
        f'lang="en-US" sz="{size}" b="{int(bold)}" dirty="0"><a:solidFill>'
        f'<a:srgbClr val="{colour}"/></a:solidFill><a:latin typeface="{font}"/>'
        f'<a:ea typeface="{font}"/><a:cs typeface="{font}"/>'
    )
    ppr = (
        f'<a:pPr algn="{_ALGN[align]}"><a:lnSpc><a:spcPts val="{pitch_cpt}"/></a:lnSpc>'
        '<a:spcBef><a:spcPts val="0"/></a:spcBef><a:spcAft><a:spcPts val="0"/></a:spcAft></a:pPr>'
    )
    paragraphs = []
    for part in xml_safe(text).split("\n"):
        run = f"<a:r><a:rPr {rpr}</a:rPr><a:t>{escape(part)}</a:t></a:r>" if part else ""
        paragraphs.append(f"<a:p>{ppr}{run}<a:endParaRPr {rpr}</a:endParaRPr></a:p>")
    insets = spec.insets
    fill_xml = f'<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>' if fill else "<a:noFill/>"
    if rule:  # the rule under a header that is bold rather than filled (a:lnB precedes fills)
        fill_xml = (
            f'<a:lnB w="{EMU_PER_PT}" cap="flat" cmpd="sng"><a:solidFill><a:srgbClr '
            f'val="{rule}"/></a:solidFill></a:lnB>{fill_xml}'
        )
    return (
        f'<a:tc><a:txBody><a:bodyPr wrap="square"/><a:lstStyle/>{"".join(paragraphs)}</a:txBody>'
        f'<a:tcPr marL="{insets.left}" marR="{insets.right}" marT="{insets.top}" '
        f'marB="{insets.bottom}" anchor="t">{fill_xml}</a:tcPr></a:tc>'
    )


def render_pptx_table(slide: Any, layout: TableLayout, page: TablePage, box: Box) -> Any:
    """Draw ``page`` of ``layout`` at the top-left of ``box``; returns the table's shape.

    The table XML is written in one piece (python-pptx's per-cell API costs ~0.3 ms a cell).
    The footnote (when the page shows a missing value) goes in a text box under the table.
    """
    spec = layout.spec
    palette = spec.palette
    # A one-cell frame (python-pptx builds its table cell by cell) whose table is replaced.
    frame = slide.shapes.add_table(
        1, 1, Emu(box.left), Emu(box.top), Emu(sum(layout.widths)), Emu(page.height))
    pitch = round(line_pitch_pt(spec.font, spec.size_pt) * 100)
    header_colour = WHITE if spec.header_fill else palette.text
    header_fill = palette.brand if spec.header_fill else None
    parts = [
        f'<a:tbl {_A_NS}><a:tblPr firstRow="1" bandRow="0"><a:tableStyleId>{NO_STYLE_TABLE}'
        "</a:tableStyleId></a:tblPr><a:tblGrid>",
        *(f'<a:gridCol w="{w}"/>' for w in layout.widths),
        f'</a:tblGrid><a:tr h="{page.header_height}">',
        *(
            _pptx_cell(
                col.header, spec, col.align, True, header_colour, header_fill, pitch,
                None if spec.header_fill else palette.text,
            )
            for col in spec.columns
        ),
        "</a:tr>",
    ]
    for page_row in page.rows:
        row = spec.rows[page_row.index]
        zebra = palette.zebra if spec.zebra and page_row.index % 2 == 1 else None
        parts.append(f'<a:tr h="{page_row.height}">')
        for c, text in enumerate(page_row.cells):
            fill = (row.cell_fills[c] if row.cell_fills else None) or row.fill or zebra
            colour = (row.cell_colours[c] if row.cell_colours else None) or palette.text
            parts.append(
                _pptx_cell(text, spec, spec.columns[c].align, row.bold, colour, fill, pitch)
            )
        parts.append("</a:tr>")
    parts.append("</a:tbl>")
    old = frame._element.graphic.graphicData.tbl
    old.addprevious(pptx_parse_xml("".join(parts)))
    old.getparent().remove(old)
    frame.name = f"Table {frame.shape_id}"
    if page.has_missing and layout.footnote:
        note = slide.shapes.add_textbox(
            Emu(box.left), Emu(box.top + page.height + EMU_PER_PT * 2),
            Emu(sum(layout.widths)), Emu(layout.footnote_height),
        )
        frame_ = note.text_frame
        frame_.word_wrap = True
        frame_.margin_left = frame_.margin_right = Emu(spec.insets.left)
        frame_.margin_top = frame_.margin_bottom = Emu(0)
        run = frame_.paragraphs[0].add_run()
        run.text = layout.footnote
        run.font.size = Pt(FOOTNOTE_PT)
        run.font.name = spec.font.family
        run.font.color.rgb = RGBColor.from_string(palette.muted)
        note.name = f"Table note {note.shape_id}"
    return frame


# --- DOCX ------------------------------------------------------------------------------------


def _docx_run(text: str, font: Font, size_pt: float, bold: bool, colour: str | None) -> str:
    # The family is written on every run: widths were measured with it, whatever the style says.
    family = escape(xml_safe(font.family), {'"': "&quot;"})
    props = (
        f'<w:rFonts w:ascii="{family}" w:hAnsi="{family}" w:cs="{family}"/>'
        + (f'<w:color w:val="{colour}"/>' if colour else "")
        + f'<w:sz w:val="{round(size_pt * 2)}"/>'
    )
    props += f'<w:szCs w:val="{round(size_pt * 2)}"/>'
    return (
        f"<w:r><w:rPr>{'<w:b/><w:bCs/>' if bold else ''}{props}</w:rPr>"
        f'<w:t xml:space="preserve">{escape(xml_safe(text))}</w:t></w:r>'
    )


def _docx_cell(
    text: str, width: int, align: str, font: Font, size: float, bold: bool, colour: str | None,
    fill: str | None, keep_next: bool = False,
) -> str:
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    jc = {"left": "left", "right": "right", "center": "center"}[align]
    keep = "<w:keepNext/>" if keep_next else ""
    paragraphs = "".join(
        f'<w:p><w:pPr>{keep}<w:spacing w:before="0" w:after="0"/><w:jc w:val="{jc}"/></w:pPr>'
        f"{_docx_run(part, font, size, bold, colour)}</w:p>"
        for part in text.split("\n")
    )
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{round(width * _TWIPS_PER_EMU)}" w:type="dxa"/>{shading}'
        f"</w:tcPr>{paragraphs}</w:tc>"
    )


def _style_id(styles: Any, name: str) -> str | None:
    """The id of the table style called ``name`` in the document, if it has one."""
    # Raw lxml: walking python-docx Style objects (enum parsing) costs milliseconds per table.
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for element in styles.element.iterchildren(f"{w}style"):
        if element.get(f"{w}type") != "table":
            continue
        label = element.find(f"{w}name")
        if label is not None and label.get(f"{w}val") == name:
            return element.get(f"{w}styleId")
    return None


def render_docx_table(
    container: Any, spec: TableSpec, width: int, style: str | None = None,
    *, keep_together: bool = False,
) -> DocxTable:
    """Append the whole table to ``container`` (document, cell, ...); Word pages it.

    Header row repeated on every page (``w:tblHeader``), rows never split (``w:cantSplit``),
    fixed column widths from the content, numbers right-aligned. ``style`` names a table style
    of the template to use when the document has it; otherwise our own header fill and rules.
    ``keep_together`` keeps a short table on one page (each row "keeps with next"): a five-row
    table should not leave its last row, or its totals, alone on the next page.
    """
    palette = spec.palette
    widths = column_widths(spec, width)
    paragraph = container.add_paragraph()
    styles = paragraph.part.package.main_document_part.styles
    style_id = _style_id(styles, style) if style else None
    size = spec.size_pt
    if style_id:
        table_style = f'<w:tblStyle w:val="{escape(style_id)}"/>'
        # LibreOffice ignores a table style's header text colour (white on the brand fill
        # showed as dark on dark): write the header's fill and colour explicitly too.
        borders = ""
        header_fill = palette.brand if spec.header_fill else None
        header_colour = WHITE if spec.header_fill else None
    else:
        table_style = ""
        rule = palette.rule
        borders = (
            "<w:tblBorders>"
            f'<w:top w:val="single" w:sz="4" w:space="0" w:color="{rule}"/>'
            f'<w:bottom w:val="single" w:sz="4" w:space="0" w:color="{rule}"/>'
            f'<w:insideH w:val="single" w:sz="2" w:space="0" w:color="{rule}"/>'
            "</w:tblBorders>"
        )
        header_fill = palette.brand if spec.header_fill else None
        header_colour = WHITE if spec.header_fill else palette.text
    margins = (
        "<w:tblCellMar>"
        f'<w:left w:w="{round(spec.insets.left * _TWIPS_PER_EMU)}" w:type="dxa"/>'
        f'<w:right w:w="{round(spec.insets.right * _TWIPS_PER_EMU)}" w:type="dxa"/>'
        "</w:tblCellMar>"
    )
    parts = [
        f"<w:tbl {_W_NS}><w:tblPr>{table_style}"
        f'<w:tblW w:w="{round(sum(widths) * _TWIPS_PER_EMU)}" w:type="dxa"/>{borders}'
        f'<w:tblLayout w:type="fixed"/>{margins}'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{round(w * _TWIPS_PER_EMU)}"/>' for w in widths),
        "</w:tblGrid>",
        "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
        *(
            _docx_cell(
                col.header, w, col.align, spec.font, size, True, header_colour, header_fill,
                keep_together and bool(spec.rows),
            )
            for col, w in zip(spec.columns, widths, strict=True)
        ),
        "</w:tr>",
    ]
    last = len(spec.rows) - 1
    for index, row in enumerate(spec.rows):
        zebra = palette.zebra if spec.zebra and not style_id and index % 2 == 1 else None
        keep = keep_together and index < last
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for c, (cell, col, w) in enumerate(zip(row.cells, spec.columns, widths, strict=True)):
            fill = (row.cell_fills[c] if row.cell_fills else None) or row.fill or zebra
            colour = (row.cell_colours[c] if row.cell_colours else None) or palette.text
            parts.append(
                _docx_cell(_text(cell), w, col.align, spec.font, size, row.bold, colour, fill,
                           keep)
            )
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    tbl = docx_parse_xml("".join(parts))
    paragraph._p.addprevious(tbl)
    if spec.has_missing:
        run = paragraph.add_run(MISSING_NOTE)
        run.font.size = DocxPt(FOOTNOTE_PT)
    else:
        paragraph._p.getparent().remove(paragraph._p)
    return DocxTable(tbl, paragraph._parent)
