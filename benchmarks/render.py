"""Time the drawing parts of the render toolkit (warm process, median of several runs).

    python benchmarks/render.py [--runs 15]

Targets (issue 5): a native chart under 10 ms in PPTX and 20 ms in DOCX; a 300-row table
paged under 100 ms; an 80-person map laid out and drawn as shapes under 50 ms. The PNG of a
map page (for Word) is printed too: it has no target and is slower (matplotlib lays out each
text line). `kamdocs check` has its own script: benchmarks/render_check.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from docx import Document
from pptx import Presentation

from kamdocs.render.charts import ChartSpec, Series, render_docx, render_pptx
from kamdocs.render.geometry import SLIDE_HEIGHT, SLIDE_WIDTH, Box, inches
from kamdocs.render.heat import HeatSpec, layout_heat, render_pptx_heat
from kamdocs.render.numbers import NumberStyle
from kamdocs.render.orgmap import OrgNode, layout_org, render_png_org, render_pptx_org
from kamdocs.render.tables import (
    Column,
    Row,
    TableSpec,
    layout_table,
    render_docx_table,
    render_pptx_table,
)
from kamdocs.render.text import fit

BODY = Box(inches(0.5), inches(1.3), inches(12.33), inches(5.5))
DOCX_SIZE = (inches(6), inches(3.5))
STYLE = NumberStyle()
QUARTERS = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
CHARTS = {
    "bar": ChartSpec("bar", "ARR by product, $", ("Analytics", "Storage", "Compute", "Support"),
                     (Series("ARR", (1.2e6, 3.5e5, 2.4e6, 9e4)),),
                     STYLE.chart_format([2.4e6], "money")),
    "stacked_column": ChartSpec("stacked_column", "Pipeline by quarter", QUARTERS,
                                (Series("New", (1, 2, 3, 4)), Series("Upsell", (4, 3, 2, 1))),
                                is_time=True),
    "line": ChartSpec("line", "Uptime by month", tuple(f"M{i}" for i in range(1, 13)),
                      (Series("Uptime", tuple(0.99 + i / 1e4 for i in range(12))),), "0.0%",
                      is_time=True),
    "doughnut": ChartSpec("doughnut", "Pipeline by stage", ("Won", "Open", "Lost"),
                          (Series("Deals", (5, 3, 2)),)),
    "waterfall": ChartSpec("waterfall", "ARR bridge", ("Start", "Expansion", "Churn", "End"),
                           (Series("ARR", (1_000_000, 400_000, -150_000, 1_250_000)),),
                           STYLE.chart_format([1e6, 4e5, 1.5e5], "money", exact=True)),
    "kpi_attainment": ChartSpec("kpi_attainment", "KPI attainment", ("Uptime", "NPS", "CSAT"),
                                (Series("Actual", (0.98, 1.05, 1.0)),), "0%",
                                targets=(1.0, 1.0, 1.0)),
}


def median_ms(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """(median wall time, median CPU time of this process) in ms. CPU time is printed too
    because the machine is shared: under load, wall time says more about the neighbours."""
    action()  # warm: fonts, lxml parsers, matplotlib caches
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _deck():  # noqa: ANN202
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    return prs


def _slide(prs=None):  # noqa: ANN001, ANN202
    """A new blank slide: in ``prs``, else in a new deck (opening a deck costs ~7 ms, which is
    not the drawing's: timed parts pass a deck opened beforehand)."""
    prs = prs if prs is not None else _deck()
    layout = next(lo for lo in prs.slide_layouts if lo.name == "Blank")
    return prs.slides.add_slide(layout)


def actions_table() -> TableSpec:
    rows = tuple(
        Row((f"A-{i:04d}", f"Follow up with procurement on item {i} " * (1 + i % 4),
             "Jane Doe" if i % 9 else None, "Nov 15, 2026", STYLE.money(i * 1234), "Open"))
        for i in range(300)
    )
    return TableSpec((Column("Id"), Column("Action", min_width=inches(2)), Column("Owner"),
                      Column("Due"), Column("Value", "number"), Column("Status")), rows)


def org(count: int) -> list[OrgNode]:
    nodes = [OrgNode("n0", None, "Maria Rodriguez", "Chief Executive Officer", "Champion",
                     "009E73")]
    parents, n = ["n0"], 1
    for fan in (6, 3, 4):
        level = []
        for parent in parents:
            for _ in range(fan):
                if n < count:
                    nodes.append(OrgNode(f"n{n}", parent, f"Person {n} Surname",
                                         "Director of Procurement", "Neutral · influence 3"))
                    level.append(f"n{n}")
                    n += 1
        parents = level
    return nodes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    rows: list[tuple[str, float, float, str]] = []

    for kind, spec in CHARTS.items():
        slide, document = _slide(), Document()
        rows.append((f"chart {kind}, pptx",
                     *median_ms(lambda s=spec, on=slide: render_pptx(on, s, BODY), runs),
                     "< 10 ms"))

        rows.append((f"chart {kind}, docx",
                     *median_ms(lambda s=spec, d=document: render_docx(d, s, *DOCX_SIZE), runs),
                     "< 20 ms"))

    table = actions_table()
    rows.append(("table 300 rows, paged", *median_ms(lambda: layout_table(table, BODY), runs),
                 "< 100 ms"))
    layout = layout_table(table, BODY)
    slide = _slide()
    rows.append(("table, one page drawn in pptx",
                 *median_ms(lambda: render_pptx_table(slide, layout, layout.pages[0], BODY), runs),
                 ""))
    rows.append(("table 300 rows, whole docx table",
                 *median_ms(lambda: render_docx_table(Document(), table, inches(6.3)), runs), ""))

    heat = HeatSpec("Product", tuple(f"Product {i}" for i in range(12)),
                    tuple(f"BU {j}" for j in range(6)),
                    tuple(tuple(float(i * j * 1000) for j in range(6)) for i in range(12)),
                    format=lambda v: STYLE.money(v, short=True))

    heat_deck = _deck()

    def heat_page() -> None:
        pages = layout_heat(heat, BODY)
        render_pptx_heat(_slide(heat_deck), pages[0], BODY, heat)

    rows.append(("heat 12 x 6, laid out and drawn", *median_ms(heat_page, runs), ""))

    people = org(80)

    map_deck = _deck()

    def map_shapes() -> None:
        # As a builder draws it: every page of the map on a slide of its own.
        for page in layout_org(people, BODY):
            render_pptx_org(_slide(map_deck), page)

    rows.append(("org map 80 people, layout", *median_ms(lambda: layout_org(people, BODY), runs),
                 ""))
    rows.append(("org map 80 people, layout + shapes", *median_ms(map_shapes, runs), "< 50 ms"))
    pages = layout_org(people, BODY)
    rows.append(("org map, one page as PNG (150 dpi)",
                 *median_ms(lambda: render_png_org(pages[0], dpi=150), max(3, runs // 5)),
                 "no target"))
    title = "Renewal at risk: adoption fell in three business units while two sponsors left"
    rows.append(("fit a 2-line title", *median_ms(
        lambda: fit(title, Box(0, 0, inches(12.33), inches(1.1)), max_pt=28, min_pt=20,
                    max_lines=2), runs), ""))

    width = max(len(name) for name, *_ in rows)
    print(f"{'part (median of runs)':<{width}}  {'wall':>9}  {'cpu':>9}  target")
    for name, wall, cpu, target in rows:
        print(f"{name:<{width}}  {wall:7.2f}ms  {cpu:7.2f}ms  {target}")
    print(f"(the 80-person map took {len(pages)} slides; load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
