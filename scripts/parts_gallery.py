"""A deck of every drawing part, for looking at them: python scripts/parts_gallery.py OUT.pptx

A chart of each kind, a 300-row table (its first three slides and its last), a 200-character
title fitted to two lines, and an 80-person relationship map with CJK, Arabic and Hebrew names,
built from the same parts as ``benchmarks/render.py``. Render it to PNG pages with LibreOffice
(for example ``../shared/tools/preview -o DIR OUT.pptx``) and look.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from pptx import Presentation  # noqa: E402
from pptx.util import Emu  # noqa: E402

import render as parts  # noqa: E402  (benchmarks/render.py)
from kamdocs.render.charts import render_pptx  # noqa: E402
from kamdocs.render.geometry import SLIDE_HEIGHT, SLIDE_WIDTH, Box, inches  # noqa: E402
from kamdocs.render.orgmap import OrgNode, layout_org, render_pptx_org  # noqa: E402
from kamdocs.render.tables import layout_table, render_pptx_table  # noqa: E402
from kamdocs.render.text import fill_frame, fit  # noqa: E402

TITLE = ("Renewal at risk at Übersee & Partners <Global> Holdings: adoption fell in three "
         "business units while two executive sponsors left and the procurement review moved "
         "to Q2 2027, with the budget owner on leave")


def main(out: str) -> None:
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    blank_layout = next(lo for lo in prs.slide_layouts if lo.name == "Blank")

    def blank():  # noqa: ANN202
        return prs.slides.add_slide(blank_layout)

    for spec in parts.CHARTS.values():
        render_pptx(blank(), spec, parts.BODY)
    layout = layout_table(parts.actions_table(), parts.BODY)
    for page in (*layout.pages[:3], layout.pages[-1]):
        render_pptx_table(blank(), layout, page, parts.BODY)
    box = Box(inches(0.5), inches(0.4), inches(12.33), inches(1.1))
    shape = blank().shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width),
                                       Emu(box.height))
    fill_frame(shape, fit(TITLE, box, max_pt=28, min_pt=20, max_lines=2, marker=" ..."))
    people = list(parts.org(80))
    for index, (name, title, badge, colour) in enumerate((
            ("山田 太郎", "最高財務責任者", "Champion", "009E73"),
            ("محمد العلي", "مدير التقنية", "Detractor", "D55E00"),
            ("נועה כהן", "Director of Operations", "", None)), start=1):
        people[index] = OrgNode(people[index].id, people[index].parent_id, name, title, badge,
                                colour)
    for page in layout_org(people, parts.BODY):
        render_pptx_org(blank(), page)
    prs.save(out)
    print(f"{out}: {len(prs.slides)} slides")


if __name__ == "__main__":
    main(sys.argv[1])
