"""CPU time of drawing the relationship-map PNGs of the sample plans (render_png_org).

    python benchmarks/orgmap_png.py [--data samples] [--accounts 8] [--repeat 5]

Builds the internal plan of the first ``--accounts`` sample accounts once, keeping every map
page the plan draws, then draws those pages ``--repeat`` times and prints the best CPU time
per page (warm process: fonts loaded, word layouts and glyphs remembered).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kamdocs import load_portfolio
from kamdocs.builders.account_plan import drawing
from kamdocs.builders.base import BuildOptions
from kamdocs.builders.registry import get_builder
from kamdocs.config import find_config, load_settings
from kamdocs.model import Audience
from kamdocs.render.orgmap import render_png_org

AS_OF = date(2026, 11, 23)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "samples"))
    parser.add_argument("--accounts", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    settings = load_settings(find_config(args.data, None))
    portfolio = load_portfolio(args.data, config=settings, as_of=AS_OF)
    builder = get_builder("plan")(BuildOptions(settings, Audience.INTERNAL, AS_OF))
    pages: list[tuple[Any, Any]] = []

    def keep(page: Any, style: Any) -> bytes:
        pages.append((page, style))
        return render_png_org(page, style)

    drawing.render_png_org = keep  # the plan's drawing module calls it by this name
    for account in portfolio.accounts[: args.accounts]:
        list(builder.build(portfolio, [account]))
    drawing.render_png_org = render_png_org

    best = float("inf")
    for _ in range(args.repeat):
        started = time.process_time()
        for page, style in pages:
            render_png_org(page, style)
        best = min(best, time.process_time() - started)
    boxes = sum(len(page.boxes) for page, _ in pages)
    print(f"{len(pages)} map pages, {boxes} people, from {args.accounts} sample plans")
    print(f"render_png_org: {best / len(pages) * 1000:.1f} ms CPU per page (best of "
          f"{args.repeat})")


if __name__ == "__main__":
    main()
