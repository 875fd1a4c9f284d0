"""Every drawing part opens in LibreOffice: a PPTX and a DOCX holding all of them convert to PDF
with their text in it (chart titles and labels, table cells, heat amounts, org map names)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation

from kamdocs.render.charts import ChartSpec, Series, render_docx, render_pptx
from kamdocs.render.geometry import SLIDE_HEIGHT, SLIDE_WIDTH, Box, inches
from kamdocs.render.heat import HeatSpec, layout_heat, render_docx_heat, render_pptx_heat
from kamdocs.render.orgmap import OrgNode, layout_org, render_pptx_org
from kamdocs.render.tables import (
    Column,
    Row,
    TableSpec,
    layout_table,
    render_docx_table,
    render_pptx_table,
)

pytestmark = pytest.mark.libreoffice

BODY = Box(inches(0.5), inches(1.0), inches(12.33), inches(6.0))
SPECS = (
    ChartSpec("bar", "Bar of products", ("Alpha", "Beta"), (Series("ARR", (3, 5)),)),
    ChartSpec("stacked_column", "Stacked by region", ("EMEA", "APAC"),
              (Series("New", (1, 2)), Series("Upsell", (2, 1)))),
    ChartSpec("line", "Line by quarter", ("Q1", "Q2", "Q3"), (Series("Uptime", (1, 2, 3)),),
              is_time=True),
    ChartSpec("doughnut", "Doughnut of stages", ("Won", "Lost"), (Series("Deals", (3, 1)),)),
    ChartSpec("waterfall", "Waterfall bridge", ("Start", "Up", "Down", "End"),
              (Series("ARR", (100, 40, -15, 125)),)),
    ChartSpec("kpi_attainment", "KPI attainment", ("Uptime", "NPS"),
              (Series("Actual", (0.9, 1.1)),), "0%", targets=(1.0, 1.0)),
)
TABLE = TableSpec(
    (Column("Action"), Column("Value", "number")),
    tuple(Row((f"Follow up {i}", f"${i},000")) for i in range(1, 41)),
)
HEAT = HeatSpec("Product", ("Storage", "Compute"), ("Retail", "Logistics"),
                ((900.0, 120.0), (-20.0, 0.0)), format=lambda v: f"{v:,.0f} k")
PEOPLE = (OrgNode("a", None, "Maria Rodriguez", "CEO"), OrgNode("b", "a", "山田 太郎", "CFO"),
          OrgNode("c", "a", "محمد العلي", "CTO"))


def _blank(prs: Presentation):
    layout = next(lo for lo in prs.slide_layouts if lo.name == "Blank")
    return prs.slides.add_slide(layout)


def test_a_deck_with_every_part_converts_and_keeps_its_text(tmp_path: Path, to_pdf, pdf_text):
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    for spec in SPECS:
        render_pptx(_blank(prs), spec, BODY)
    layout = layout_table(TABLE, BODY)
    for page in layout.pages:
        render_pptx_table(_blank(prs), layout, page, BODY)
    for page in layout_heat(HEAT, BODY):
        render_pptx_heat(_blank(prs), page, BODY, HEAT)
    for page in layout_org(PEOPLE, BODY):
        render_pptx_org(_blank(prs), page)
    path = tmp_path / "parts.pptx"
    prs.save(path)
    text = pdf_text(to_pdf(path))
    for spec in SPECS:
        assert spec.title in text
    for expected in ("Follow up 40", "$40,000", "900 k", "Maria Rodriguez", "山田 太郎", "+40"):
        assert expected in text, expected


def test_a_document_with_charts_tables_and_heat_converts(tmp_path: Path, to_pdf, pdf_text):
    document = Document()
    for spec in SPECS:
        render_docx(document, spec, inches(6), inches(3))
    render_docx_table(document, TABLE, inches(6))
    render_docx_heat(document, HEAT, inches(6))
    path = tmp_path / "parts.docx"
    document.save(path)
    text = pdf_text(to_pdf(path))
    for spec in SPECS:
        assert spec.title in text
    assert "Follow up 40" in text and "900 k" in text
