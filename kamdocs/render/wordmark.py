"""A placeholder logo: a colour block and the company's name, as a PNG.

The default brand's logo and the demo portfolio's are drawn with it, so that a document never
shows a logo naming a company other than the one the config names. Drawn with matplotlib's
``Figure`` at a fixed size and DPI, without metadata: the same name gives the same bytes.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle


def wordmark(name: str, colour: str, text_colour: str, *, family: str = "Carlito") -> bytes:
    """PNG bytes of a ``colour`` block followed by ``name`` in ``text_colour`` ("#RRGGBB")."""
    figure = Figure(figsize=(2.4, 0.6), dpi=100)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    axes.add_patch(Rectangle((0.0, 0.1), 0.22, 0.8, color=colour))
    axes.text(0.27, 0.5, name, va="center", ha="left", fontsize=13, color=text_colour,
              family=family, parse_math=False)
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None}, transparent=True)
    return buffer.getvalue()
