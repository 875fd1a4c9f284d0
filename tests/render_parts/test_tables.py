"""Tables: widths from content, pages that fit, continuation labels, PPTX and DOCX output."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamdocs.render import tables as tables_module
from kamdocs.render.geometry import Box, inches
from kamdocs.render.numbers import EM_DASH, MISSING_NOTE
from kamdocs.render.tables import (
    Column,
    Row,
    TableSpec,
    column_widths,
    layout_table,
    render_docx_table,
    render_pptx_table,
)
from kamdocs.render.text import wrap_lines

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BOX = Box(inches(0.5), inches(1.4), inches(12.33), inches(5.4))
COLUMNS = (Column("Action", min_width=inches(2)), Column("Owner"), Column("Value", "number"))


def _actions(count: int) -> TableSpec:
    rows = tuple(
        Row((f"Follow up {i} with procurement", "Jane Doe" if i % 7 else None, f"${i:,}"))
        for i in range(1, count + 1)
    )
    return TableSpec(COLUMNS, rows)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_300_rows_page_into_slides_of_at_most_12_rows_each_fitting_the_box() -> None:
    layout = layout_table(_actions(300), BOX)
    assert len(layout.pages) == 25  # 300 / 12
    shown = [r.index for page in layout.pages for r in page.rows]
    assert shown == list(range(300))
    for page in layout.pages:
        assert len(page.rows) <= 12
        assert page.height + layout.footnote_height <= BOX.height
    assert layout.pages[1].label == "rows 13\u201324 of 300"
    assert layout.pages[0].title_suffix == "" and layout.pages[1].title_suffix == " (cont.)"


def test_without_a_row_limit_pages_are_filled_by_height() -> None:
    spec = TableSpec(COLUMNS, _actions(300).rows, max_rows_per_page=None)
    layout = layout_table(spec, BOX)
    # Each row is one line: 11 pt x 1.22 plus 0.06 in of margins.
    row = layout.pages[0].rows[0].height
    room = BOX.height - layout.header_height - layout.footnote_height
    assert len(layout.pages[0].rows) == room // row


def test_columns_get_their_minimum_and_short_columns_stay_on_one_line() -> None:
    spec = TableSpec(
        (Column("Note", min_width=inches(1)), Column("Due"), Column("Amount", "number")),
        (Row(("word " * 200, "Nov 15, 2026", "$1,234,567")),),
    )
    widths = column_widths(spec, inches(8))
    assert sum(widths) == inches(8)
    assert widths[0] >= inches(1)
    layout = layout_table(spec, Box(0, 0, inches(8), inches(6)))
    # The date and the amount got their whole line: their cells wrap to one line.
    inner = [w - spec.insets.left - spec.insets.right for w in widths]
    assert len(wrap_lines("Nov 15, 2026", spec.font, spec.size_pt, inner[1])) == 1
    assert len(wrap_lines("$1,234,567", spec.font, spec.size_pt, inner[2])) == 1
    assert layout.widths == widths


def test_a_row_taller_than_a_page_continues_on_the_next_page_without_losing_text() -> None:
    note = "Escalation history " * 400
    spec = TableSpec(COLUMNS, (Row((note, "Jane", "$1")), Row(("Short", "Ann", "$2"))))
    layout = layout_table(spec, Box(0, 0, inches(6), inches(3)))
    fragments = [r for page in layout.pages for r in page.rows if r.index == 0]
    assert len(fragments) > 1 and fragments[1].continued
    assert _squash("".join(f.cells[0] for f in fragments)) == _squash(note)
    assert all(page.height <= inches(3) for page in layout.pages)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.lists(
        st.tuples(
            st.text(alphabet=st.sampled_from(list("ab c数\n")), max_size=300),
            st.one_of(st.none(), st.text(alphabet="xyz ", max_size=20)),
        ),
        min_size=1, max_size=30,
    )
)
def test_every_cell_survives_paging_in_full(cells: list[tuple[str, str | None]]) -> None:
    spec = TableSpec(
        (Column("Text"), Column("Other")), tuple(Row(c) for c in cells), max_rows_per_page=5
    )
    layout = layout_table(spec, Box(0, 0, inches(4), inches(2.5)))
    for index, (text, other) in enumerate(cells):
        fragments = [r for p in layout.pages for r in p.rows if r.index == index]
        assert _squash("".join(f.cells[0] for f in fragments)) == _squash(text)
        assert fragments[0].cells[1] == (EM_DASH if other is None else other)


def test_pptx_page_is_a_native_table_with_header_sizes_alignment_and_footnote(
    new_slide, reopen_pptx
) -> None:
    layout = layout_table(_actions(30), BOX)
    prs, slide = new_slide()
    render_pptx_table(slide, layout, layout.pages[1], BOX)
    shapes = reopen_pptx(prs).slides[0].shapes
    table = shapes[0].table
    rows = list(table.rows)
    assert len(rows) == 13
    header = [c.text for c in rows[0].cells]
    assert header == ["Action", "Owner", "Value"]
    first = [c.text for c in rows[1].cells]
    assert first == ["Follow up 13 with procurement", "Jane Doe", "$13"]
    missing = [c.text for c in rows[2].cells]  # row 14 has no owner
    assert missing[1] == EM_DASH
    tbl = table._tbl
    assert {r.get("sz") for r in tbl.iter(f"{A}rPr")} == {"1100"}
    value_cells = [tr.tc_lst[2] for tr in tbl.tr_lst]
    assert {p.find(f"{A}pPr").get("algn") for tc in value_cells for p in tc.iter(f"{A}p")} == {"r"}
    assert [c.width for c in table.columns] == list(layout.widths)
    assert [r.height for r in rows] == [layout.header_height] + [
        r.height for r in layout.pages[1].rows
    ]
    header_fill = tbl.tr_lst[0].tc_lst[0].find(f"{A}tcPr/{A}solidFill/{A}srgbClr").get("val")
    assert header_fill == "1F3A5F"
    notes = [s for s in shapes if s.has_text_frame and s.text_frame.text == MISSING_NOTE]
    assert len(notes) == 1
    assert notes[0].top + notes[0].height <= BOX.bottom


def test_docx_table_repeats_its_header_keeps_rows_whole_and_uses_the_template_style(
    reopen_docx,
) -> None:
    document = Document()
    spec = _actions(300)
    render_docx_table(document, spec, inches(6.3), style="Table Grid")
    reopened = reopen_docx(document)
    table = reopened.tables[0]
    trs = table._tbl.tr_lst
    assert len(trs) == 301
    assert trs[0].trPr.find(f"{W}tblHeader") is not None
    assert all(tr.trPr.find(f"{W}cantSplit") is not None for tr in trs)
    assert all(tr.trPr.find(f"{W}tblHeader") is None for tr in trs[1:])
    assert table.style.name == "Table Grid"
    grid = [int(g.get(f"{W}w")) for g in table._tbl.tblGrid.iter(f"{W}gridCol")]
    assert abs(sum(grid) - inches(6.3) / 635) <= 3
    last_cell = trs[1].tc_lst[2]
    assert last_cell.find(f".//{W}jc").get(f"{W}val") == "right"
    assert trs[7].tc_lst[1].xpath("string(.)") == EM_DASH
    assert reopened.paragraphs[-1].text == MISSING_NOTE


def test_docx_table_without_a_template_style_draws_its_own_header() -> None:
    document = Document()
    render_docx_table(document, _actions(3), inches(6), style="No Such Style")
    tbl = document.tables[0]._tbl
    assert tbl.tblPr.find(f"{W}tblStyle") is None
    shading = tbl.tr_lst[0].tc_lst[0].find(f".//{W}shd").get(f"{W}fill")
    assert shading == "1F3A5F"


def test_tables_module_never_walks_cells_with_table_cell() -> None:
    # STYLE.md: table.cell(r, c) in a loop is quadratic.
    tree = ast.parse(Path(tables_module.__file__).read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "cell"]
    assert calls == []


def test_rows_must_match_the_columns() -> None:
    with pytest.raises(ValueError, match="row 1 has 1 cells for 3 columns"):
        TableSpec(COLUMNS, (Row(("only one",)),))


def test_a_header_without_fill_is_bold_with_a_rule_under_it(new_slide) -> None:
    spec = TableSpec(COLUMNS, _actions(2).rows, header_fill=False)
    layout = layout_table(spec, BOX)
    _, slide = new_slide()
    tbl = render_pptx_table(slide, layout, layout.pages[0], BOX).table._tbl
    header = tbl.tr_lst[0].tc_lst[0]
    assert header.find(f"{A}tcPr/{A}lnB") is not None
    assert header.find(f"{A}tcPr/{A}noFill") is not None
    assert {r.get("b") for r in header.iter(f"{A}rPr")} == {"1"}
    assert tbl.tr_lst[1].tc_lst[0].find(f"{A}tcPr/{A}lnB") is None
