"""Heat-tables: single-hue steps, readable text, negatives, legend, paging."""

from __future__ import annotations

from docx import Document

from kamdocs.render.geometry import Box, inches
from kamdocs.render.heat import (
    NEGATIVE_FILL,
    HeatSpec,
    cell_style,
    layout_heat,
    legend_entries,
    render_docx_heat,
    render_pptx_heat,
    scale,
    step_of,
)
from kamdocs.render.numbers import EM_DASH, NumberStyle
from kamdocs.render.palette import contrast_ratio, relative_luminance

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BOX = Box(inches(0.5), inches(1.4), inches(12.33), inches(5.4))


def _spec(rows: int = 3, columns: int = 3) -> HeatSpec:
    values = tuple(
        tuple(float((r * columns + c) * 100) for c in range(columns)) for r in range(rows)
    )
    return HeatSpec(
        "Product", tuple(f"Product {r}" for r in range(rows)),
        tuple(f"BU {c}" for c in range(columns)), values, format=lambda v: f"${v:,.0f}",
    )


def test_steps_split_zero_to_the_largest_value_into_five_equal_ranges() -> None:
    # Largest 1000: 0-199 lightest, 200-399 second, ..., 800-1000 darkest.
    assert [step_of(v, 1000) for v in (0, 199, 200, 599, 800, 1000)] == [0, 0, 1, 2, 4, 4]


def test_every_step_has_text_at_aa_contrast_and_darkens_monotonically() -> None:
    fills = scale()
    spec = _spec()
    for fill in fills:
        text = cell_style(spec, spec.largest * fills.index(fill) / len(fills))[1]
        assert contrast_ratio(text, fill) >= 4.5, fill
    luminance = [relative_luminance(f) for f in fills]
    assert luminance == sorted(luminance, reverse=True)  # readable in greyscale too


def test_negative_cells_take_the_neutral_and_missing_cells_none() -> None:
    spec = _spec()
    assert cell_style(spec, -5)[0] == NEGATIVE_FILL
    assert cell_style(spec, None) == (None, None)


def test_legend_names_each_range_and_the_negative_neutral() -> None:
    spec = HeatSpec("P", ("a",), ("x", "y"), ((1000.0, -10.0),), format=lambda v: f"{v:.0f}")
    labels = [label for _, label in legend_entries(spec)]
    assert labels == ["0\u2013200", "200\u2013400", "400\u2013600", "600\u2013800",
                      "800\u20131000", "below 0"]


def test_pptx_heat_prints_every_amount_with_its_fill_and_a_legend(new_slide, reopen_pptx) -> None:
    spec = HeatSpec(
        "Product", ("Storage", "Compute"), ("Retail", "Logistics"),
        ((900.0, None), (-20.0, 0.0)), format=NumberStyle().money,
    )
    page = layout_heat(spec, BOX)[0]
    prs, slide = new_slide()
    render_pptx_heat(slide, page, BOX, spec)
    shapes = reopen_pptx(prs).slides[0].shapes
    table = shapes[0].table
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows == [["Product", "Retail", "Logistics"], ["Storage", "$900", EM_DASH],
                    ["Compute", "-$20", "$0"]]
    tbl = table._tbl

    def fill(r: int, c: int) -> str | None:
        found = tbl.tr_lst[r].tc_lst[c].find(f"{A}tcPr/{A}solidFill/{A}srgbClr")
        return None if found is None else found.get("val")

    assert fill(1, 1) == scale()[4]
    assert fill(2, 1) == NEGATIVE_FILL
    assert fill(2, 2) == scale()[0]
    assert fill(1, 2) is None
    white = tbl.tr_lst[1].tc_lst[1].find(f".//{A}rPr/{A}solidFill/{A}srgbClr").get("val")
    assert white == "FFFFFF"
    texts = [s.text_frame.text for s in shapes if s.has_text_frame]
    assert "Whitespace:" in texts and "below 0" in texts
    assert any("negative whitespace" in t for t in texts)
    for shape in shapes:
        assert BOX.contains(Box(shape.left, shape.top, shape.width, shape.height)), shape.name


def test_wide_and_long_heat_tables_page_by_rows_and_columns_with_labels() -> None:
    spec = _spec(rows=15, columns=10)
    pages = layout_heat(spec, BOX)
    assert [p.label for p in pages] == [
        "rows 1\u20138 of 15, columns 1\u20135 of 10",
        "rows 9\u201315 of 15, columns 1\u20135 of 10",
        "rows 1\u20138 of 15, columns 6\u201310 of 10",
        "rows 9\u201315 of 15, columns 6\u201310 of 10",
    ]
    # The row labels repeat on every page.
    assert all(p.table.spec.columns[0].header == "Product" for p in pages)


def test_docx_heat_is_one_table_plus_a_legend_row(reopen_docx) -> None:
    document = Document()
    spec = _spec(rows=4, columns=3)
    render_docx_heat(document, spec, inches(6))
    tables = reopen_docx(document).tables
    assert len(tables) == 2
    heat, legend = tables
    assert len(heat.rows) == 5
    darkest = heat._tbl.tr_lst[4].tc_lst[3].find(f".//{W}shd").get(f"{W}fill")
    assert darkest == scale()[4]
    assert [c.text for c in legend.rows[0].cells][0] == "Whitespace:"


def test_nan_cells_are_missing_not_a_crash() -> None:
    spec = HeatSpec("P", ("a",), ("x", "y"), ((float("nan"), 5.0),))
    assert cell_style(spec, spec.values[0][0]) == (None, None)
    assert layout_heat(spec, BOX)[0].page.has_missing
