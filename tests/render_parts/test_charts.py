"""Native charts in PPTX and DOCX: types, order, values, colours, labels, axes, alt text."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from docx import Document
from lxml import etree
from pptx.enum.chart import XL_CHART_TYPE

from kamdocs.render.charts import (
    ChartSpec,
    Series,
    chart_xml,
    format_like,
    render_docx,
    render_pptx,
)
from kamdocs.render.geometry import Box, inches
from kamdocs.render.palette import GREEN, GREY, OKABE_ITO, VERMILION

NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
BOX = Box(inches(0.5), inches(1.5), inches(8), inches(5))
PRODUCTS = ("Storage", "Analytics", "Compute", "Support")


def _draw(new_slide, reopen_pptx, spec: ChartSpec):
    prs, slide = new_slide()
    render_pptx(slide, spec, BOX)
    return reopen_pptx(prs).slides[0].shapes[0]


def _ser_colour(ser) -> str | None:
    found = ser.find("c:spPr/a:solidFill/a:srgbClr", NS)
    return None if found is None else found.get("val")


def _values(ser) -> list[float | None]:
    count = int(ser.find("c:val/c:numRef/c:numCache/c:ptCount", NS).get("val"))
    values: list[float | None] = [None] * count
    for pt in ser.findall("c:val/c:numRef/c:numCache/c:pt", NS):
        values[int(pt.get("idx"))] = float(pt.find("c:v", NS).text)
    return values


def _categories(space) -> list[str]:
    return [v.text for v in space.find(".//c:ser", NS).findall("c:cat//c:pt/c:v", NS)]


def test_bar_chart_sorts_by_value_largest_on_top_with_labels_and_no_value_axis(
    new_slide, reopen_pptx
) -> None:
    spec = ChartSpec("bar", "ARR by product, $", PRODUCTS,
                     (Series("ARR", (350, 1200, 2400, 90)),), "#,##0",
                     alt_text="Bar: compute leads")
    frame = _draw(new_slide, reopen_pptx, spec)
    chart = frame.chart
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    space = chart._chartSpace
    # python-pptx draws the first category at the bottom: smallest first means largest on top.
    assert _categories(space) == ["Support", "Storage", "Analytics", "Compute"]
    assert _values(space.find(".//c:ser", NS)) == [90, 350, 1200, 2400]
    labels = space.find(".//c:ser/c:dLbls", NS)
    assert labels.find("c:showVal", NS).get("val") == "1"
    assert labels.find("c:numFmt", NS).get("formatCode") == "#,##0"
    assert space.find(".//c:valAx/c:delete", NS).get("val") in (None, "1", "true")
    assert space.find(".//c:valAx/c:scaling/c:min", NS).get("val") == "0.0"
    assert _ser_colour(space.find(".//c:ser", NS)) == OKABE_ITO[0]
    assert frame._element.nvGraphicFramePr.cNvPr.get("descr") == "Bar: compute leads"
    assert space.find(".//c:view3D", NS) is None and space.find(".//c:bar3DChart", NS) is None


def test_time_categories_keep_their_order_and_series_keep_given_colours(
    new_slide, reopen_pptx
) -> None:
    spec = ChartSpec(
        "column", "Revenue by quarter", ("Q1", "Q2", "Q3", "Q4"),
        (Series("2025", (4, 3, 2, 1), "CC79A7"), Series("2026", (1, None, 3, 4), "56B4E9")),
        is_time=True,
    )
    space = _draw(new_slide, reopen_pptx, spec).chart._chartSpace
    assert _categories(space) == ["Q1", "Q2", "Q3", "Q4"]
    sers = space.findall(".//c:ser", NS)
    assert [_ser_colour(s) for s in sers] == ["CC79A7", "56B4E9"]
    # A missing value is a gap, not a zero.
    assert _values(sers[1]) == [1, None, 3, 4]
    assert space.find(".//c:legend", NS) is not None


def test_more_than_twelve_points_show_a_value_axis_with_light_gridlines_and_no_labels(
    new_slide, reopen_pptx
) -> None:
    months = tuple(f"2026-{m:02d}" for m in range(1, 14))
    spec = ChartSpec("line", "Tickets", months, (Series("Tickets", tuple(range(13))),),
                     is_time=True)
    space = _draw(new_slide, reopen_pptx, spec).chart._chartSpace
    assert space.find(".//c:lineChart", NS) is not None
    assert space.find(".//c:ser/c:dLbls/c:showVal", NS).get("val") == "0"
    assert space.find(".//c:valAx/c:delete", NS).get("val") == "0"
    grid = space.find(".//c:valAx/c:majorGridlines/c:spPr/a:ln/a:solidFill/a:srgbClr", NS)
    assert grid is not None and grid.get("val") == "D9DDE2"


def test_category_with_no_values_says_so(new_slide, reopen_pptx) -> None:
    spec = ChartSpec("column", "ARR", ("A", "B"), (Series("ARR", (5, None)),))
    space = _draw(new_slide, reopen_pptx, spec).chart._chartSpace
    assert _categories(space) == ["A", "B (no data)"]


def test_stacked_chart_labels_are_centred_with_readable_text(new_slide, reopen_pptx) -> None:
    spec = ChartSpec("stacked_column", "Pipeline", ("EMEA", "APAC"),
                     (Series("New", (3, 1)), Series("Upsell", (1, 2))))
    space = _draw(new_slide, reopen_pptx, spec).chart._chartSpace
    assert space.find(".//c:grouping", NS).get("val") == "stacked"
    first = space.find(".//c:ser/c:dLbls", NS)
    assert first.find("c:dLblPos", NS).get("val") == "ctr"
    # White text on the blue segments (contrast 5.2:1; dark text would be 3.6:1).
    colour = first.find("c:txPr//a:defRPr/a:solidFill/a:srgbClr", NS).get("val")
    assert colour == "FFFFFF"


def test_doughnut_shows_shares_with_a_colour_per_slice(new_slide, reopen_pptx) -> None:
    spec = ChartSpec("doughnut", "Pipeline by stage", ("Won", "Open", "Lost"),
                     (Series("Pipeline", (50, 30, 20)),))
    space = _draw(new_slide, reopen_pptx, spec).chart._chartSpace
    assert space.find(".//c:doughnutChart", NS) is not None
    fills = [p.find("c:spPr/a:solidFill/a:srgbClr", NS).get("val")
             for p in space.findall(".//c:dPt", NS)]
    assert fills == list(OKABE_ITO[:3])
    assert space.find(".//c:ser/c:dLbls/c:showPercent", NS).get("val") == "1"


def test_doughnut_rejects_negative_shares() -> None:
    with pytest.raises(ValueError, match="negative"):
        chart_xml(ChartSpec("doughnut", "x", ("a", "b"), (Series("s", (1, -1)),)))


def test_waterfall_colours_increases_green_decreases_vermilion_totals_grey(
    new_slide, reopen_pptx
) -> None:
    spec = ChartSpec(
        "waterfall", "ARR bridge", ("Start", "Expansion", "Churn", "End"),
        (Series("ARR", (Decimal(1000), Decimal(400), Decimal(-150), Decimal(1250))),),
        '"$"#,##0',
    )
    space = _draw(new_slide, reopen_pptx, spec).chart._chartSpace
    sers = {s.find("c:tx//c:v", NS).text: s for s in space.findall(".//c:ser", NS)}
    assert _values(sers["(base)"]) == [None, 1000, 1250, None]
    assert _values(sers["Total"]) == [1000, None, None, 1250]
    assert _values(sers["Increase"]) == [None, 400, None, None]
    assert _values(sers["Decrease"]) == [None, None, 150, None]
    assert _ser_colour(sers["Increase"]) == GREEN
    assert _ser_colour(sers["Decrease"]) == VERMILION
    assert _ser_colour(sers["Total"]) == GREY
    assert sers["(base)"].find("c:spPr/a:noFill", NS) is not None
    # Every visible bar is labelled, with the sign of its change.
    down = sers["Decrease"].find("c:dLbls/c:numFmt", NS).get("formatCode")
    assert down.startswith('"\u2212$"')
    assert sers["(base)"].find("c:dLbls/c:showVal", NS).get("val") == "0"


def test_waterfall_bar_crossing_zero_gets_one_label_with_the_whole_change(
    new_slide, reopen_pptx
) -> None:
    spec = ChartSpec("waterfall", "Margin", ("Start", "Cost", "End"),
                     (Series("Margin", (100, -250, -150)),))
    space = _draw(new_slide, reopen_pptx, spec).chart._chartSpace
    sers = {s.find("c:tx//c:v", NS).text: s for s in space.findall(".//c:ser", NS)}
    # 100 -> -150: 100 above zero and 150 below it, labelled once as -250.
    assert _values(sers["Decrease"])[1] == 100
    assert _values(sers["Decrease (below zero)"])[1] == -150
    label = sers["Decrease"].find("c:dLbls/c:dLbl/c:tx//a:t", NS).text
    assert label == "\u2212250"
    assert sers["Decrease (below zero)"].find("c:dLbls/c:dLbl/c:delete", NS) is not None


def test_waterfall_whose_changes_do_not_add_up_is_refused() -> None:
    spec = ChartSpec("waterfall", "ARR", ("Start", "Up", "End"), (Series("ARR", (100, 50, 160)),))
    with pytest.raises(ValueError, match="add up to 150"):
        chart_xml(spec)


def test_kpi_chart_shows_targets_as_markers_and_names_missed_kpis(new_slide, reopen_pptx) -> None:
    spec = ChartSpec(
        "kpi_attainment", "KPI attainment", ("Uptime", "Response time", "NPS"),
        (Series("Actual", (0.98, 1.1, 1.05)),), "0%", targets=(1.0, 1.0, 1.0),
        higher_is_better=(True, False, True),
    )
    space = _draw(new_slide, reopen_pptx, spec).chart._chartSpace
    # Sorted by attainment; uptime is below its target, response time above its ceiling.
    assert _categories(space) == ["Response time (missed)", "NPS", "Uptime (missed)"]
    bar = space.find(".//c:barChart/c:ser", NS)
    missed = {int(p.find("c:idx", NS).get("val")): p.find(".//a:srgbClr", NS).get("val")
              for p in bar.findall("c:dPt", NS)}
    assert missed == {0: VERMILION, 2: VERMILION}
    target = space.find(".//c:lineChart/c:ser", NS)
    assert _values(target) == [1.0, 1.0, 1.0]
    assert target.find("c:marker/c:symbol", NS).get("val") == "dash"
    assert target.find("c:spPr/a:ln/a:noFill", NS) is not None


def test_chart_xml_carries_only_the_given_values() -> None:
    spec = ChartSpec("column", "ARR", ("A", "B", "C"), (Series("ARR", (11, 22, 33)),))
    blob, workbook = chart_xml(spec)
    numbers = {float(v.text) for v in etree.fromstring(blob).iterfind(".//c:numCache/c:pt/c:v", NS)}
    assert numbers == {11, 22, 33}
    sheet = openpyxl.load_workbook(io.BytesIO(workbook)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert sorted(cells, key=str) == sorted(["ARR", "A", "B", "C", 11, 22, 33], key=str)


def test_same_spec_gives_the_same_chart_xml() -> None:
    spec = ChartSpec("bar", "ARR", PRODUCTS, (Series("ARR", (1, 2, 3, 4)),))
    assert chart_xml(spec)[0] == chart_xml(spec)[0]


def test_empty_chart_becomes_a_panel_naming_the_missing_field(new_slide, reopen_pptx) -> None:
    spec = ChartSpec("bar", "Pipeline by stage", ("Prospecting",), (Series("Amount", (None,)),),
                     missing="No open Opportunity rows (Opportunity.Amount, StageName)")
    shape = _draw(new_slide, reopen_pptx, spec)
    assert not shape.has_chart
    assert "No open Opportunity rows (Opportunity.Amount, StageName)" in shape.text_frame.text
    assert BOX.contains(Box(shape.left, shape.top, shape.width, shape.height))
    assert "No data" in shape._element.nvSpPr.cNvPr.get("descr")


def test_docx_chart_is_a_related_chart_part_with_its_workbook(reopen_docx) -> None:
    document = Document()
    spec = ChartSpec("column", "ARR", ("A", "B"), (Series("ARR", (7, 9)),),
                     alt_text="Column chart: B leads with 9")
    render_docx(document, spec, inches(6), inches(3))
    render_docx(document, spec, inches(6), inches(3))
    reopened = reopen_docx(document)
    buffer = io.BytesIO()
    reopened.save(buffer)
    package = zipfile.ZipFile(buffer)
    names = package.namelist()
    assert {"word/charts/chart1.xml", "word/charts/chart2.xml"} <= set(names)
    rels = package.read("word/_rels/document.xml.rels").decode()
    assert rels.count("relationships/chart") == 2
    body = etree.fromstring(package.read("word/document.xml"))
    inlines = body.findall(".//wp:inline", NS)
    assert len(inlines) == 2
    assert inlines[0].find("wp:docPr", NS).get("descr") == "Column chart: B leads with 9"
    assert inlines[0].find("wp:extent", NS).get("cx") == str(inches(6))
    ids = {i.find("wp:docPr", NS).get("id") for i in inlines}
    assert len(ids) == 2
    chart_rels = package.read("word/charts/_rels/chart1.xml.rels").decode()
    assert "relationships/package" in chart_rels
    chart = etree.fromstring(package.read("word/charts/chart1.xml"))
    assert chart.find("c:externalData", NS) is not None
    xlsx = next(n for n in names if n.startswith("word/embeddings/") and n.endswith(".xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(package.read(xlsx))).active
    # Sorted by value, as drawn.
    assert [r for r in sheet.iter_rows(values_only=True)] == [(None, "ARR"), ("B", 9), ("A", 7)]
    content_types = package.read("[Content_Types].xml").decode()
    assert "drawingml.chart+xml" in content_types


def test_docx_without_data_gets_a_bordered_no_data_paragraph(reopen_docx) -> None:
    document = Document()
    spec = ChartSpec("line", "Revenue by quarter", ("Q1",), (Series("Revenue", (None,)),),
                     missing="No closed-won Opportunity rows (Opportunity.CloseDate)")
    render_docx(document, spec, inches(6), inches(3))
    paragraph = reopen_docx(document).paragraphs[-1]
    assert "Opportunity.CloseDate" in paragraph.text
    assert paragraph._p.pPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pBdr"
    ) is not None


def test_labels_for_crossing_bars_follow_the_chart_format() -> None:
    assert format_like(-250_000, '"$"#,##0,"K"', sign=True) == "\u2212$250K"
    assert format_like(1_250_000, '#,##0.0,," Mio. €"') == "1.3 Mio. €"


def test_a_series_of_the_wrong_length_names_the_chart_and_series() -> None:
    with pytest.raises(ValueError, match="'ARR'.*'Plan' has 1 values for 2 categories"):
        ChartSpec("bar", "ARR", ("A", "B"), (Series("Plan", (1,)),))


def test_nan_and_infinite_values_count_as_missing(new_slide, reopen_pptx) -> None:
    spec = ChartSpec("bar", "ARR", ("A", "B"), (Series("ARR", (float("nan"), float("inf"))),),
                     missing="No ARR (Account.AnnualRevenue)")
    assert not spec.has_data
    shape = _draw(new_slide, reopen_pptx, spec)
    assert "Account.AnnualRevenue" in shape.text_frame.text
