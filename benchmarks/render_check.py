"""Time `kamdocs check` on a 20-slide deck (target: under 300 ms per deck, warm process).

    python benchmarks/render_check.py [--slides 20] [--runs 15]

Builds a deck with the scaffolding (titles, bullets, notes, a native chart and a table on
every other slide), then prints the median and worst time of check_bytes over the runs, with
and without the audience search (200 leak terms), and the time to build the deck itself.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE

from kamdocs.render.check import LeakTerm, check_bytes, installed_fonts
from kamdocs.render.lookup import load_template
from kamdocs.render.package import CoreProperties
from kamdocs.render.pptx import Deck, DeckInfo


def build(slides: int) -> bytes:
    deck = Deck(load_template("qbr"), DeckInfo("Prepared for Acme Corp", "As of 23 Nov 2026",
                                               "Source: Salesforce export"),
                CoreProperties("Acme QBR", "Northwind Analytics", date(2026, 11, 23)))
    deck.add_slide("title", "Acme Corp quarterly business review", subtitle="2026-Q4")
    for n in range(1, slides):
        slide = deck.add_slide("content", f"Finding {n}: uptime 99.{n} % against a 99.9 % target",
                               label=f"Section {n}", notes="Talking point. " * 20)
        if n % 2:
            slide.add_bullets([f"Point {i} about the quarter and what it means" for i in range(5)])
        else:
            data = CategoryChartData()
            data.categories = [f"Q{q}" for q in range(1, 5)]
            data.add_series("Revenue", (1.0, 2.0, 3.0, float(n)))
            box = slide.body.split_columns(2, 200_000)
            frame = slide.slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, box[0].left,
                                                 box[0].top, box[0].width, box[0].height, data)
            frame._element.nvGraphicFramePr.cNvPr.set("descr", "Column chart: revenue")
            table = slide.slide.shapes.add_table(8, 4, box[1].left, box[1].top, box[1].width,
                                                 box[1].width // 2).table
            for row in table.rows:
                for cell in row.cells:
                    cell.text = "Cell text 12,345"
    return deck.to_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slides", type=int, default=20)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    started = time.perf_counter()
    data = build(args.slides)
    built = time.perf_counter() - started
    fonts = installed_fonts()
    terms = [LeakTerm(f"Internal value number {i}", "internal-value", "bench") for i in range(200)]
    check_bytes(data, "warm-up.pptx", fonts=fonts)  # imports, font caches
    for label, kwargs in (("check (layout, text, fonts)", {"fonts": fonts}),
                          ("check + audience search (200 terms)", {"fonts": fonts,
                                                                    "terms": terms}),
                          ("check incl. fc-list lookup", {})):
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            findings = check_bytes(data, "bench.pptx", **kwargs)
            times.append(time.perf_counter() - t)
        sys.stdout.write(
            f"{label:38s} {args.slides} slides: median {statistics.median(times) * 1000:6.1f} ms"
            f", worst {max(times) * 1000:6.1f} ms, findings {len(findings)}\n"
        )
    sys.stdout.write(f"{'build the deck (scaffolding + charts)':38s} {built * 1000:6.1f} ms "
                     "(first, cold)\n")


if __name__ == "__main__":
    main()
