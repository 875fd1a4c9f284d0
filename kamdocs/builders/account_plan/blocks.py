"""The plan's vocabulary: plain blocks (sentences, key figures, tables, charts, a heat-table,
a map) grouped in sections, and the long-cell rule that keeps every table row on one page.

Blocks say what goes where in domain-free terms; :mod:`.drawing` turns them into Word.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Align = Literal["left", "right"]

#: Shown in place of a missing value; a footnote under the table explains it once.
DASH = "\u2014"
NO_DATA_NOTE = f"{DASH} no data provided"


@dataclass(frozen=True)
class Text:
    """A paragraph. ``role``: lead (the section's message), body, note, warning, missing."""

    text: str
    #: "labelled": the words before the first ": " are printed bold.
    role: Literal["lead", "body", "note", "warning", "missing", "quote", "labelled"] = "body"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    header: str
    align: Align = "left"
    #: Smallest width in cm; the rest is shared out by content.
    min_cm: float = 1.5


@dataclass(frozen=True)
class Grid:
    """A table. ``None`` in a cell is a missing value (drawn as an em dash + footnote)."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str | None, ...], ...]
    caption: str = ""
    #: Row indexes drawn highlighted (overdue actions), always with a word in the row too.
    emphasis: tuple[int, ...] = ()
    #: Last row is a totals row (bold).
    has_total: bool = False


@dataclass(frozen=True)
class Facts:
    """Key figures: (label, value, note) lines; value None = missing."""

    rows: tuple[tuple[str, str | None, str], ...]


@dataclass(frozen=True)
class ChartBlock:
    """A native chart: ``kind`` as render.charts understands it; values None = missing."""

    kind: str
    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    alt_text: str
    #: "money" (the document currency), "percent" (fractions) or "number".
    unit: Literal["money", "percent", "number"] = "number"
    targets: tuple[float | None, ...] | None = None
    #: Categories are periods: keep their order.
    is_time: bool = False
    #: What would fill the chart when it has no data ("Opportunity (closed won)").
    missing: str = ""


@dataclass(frozen=True)
class HeatBlock:
    """Whitespace product x business unit: amounts (None = no cell), negative = above potential."""

    #: The table's message, printed as its caption.
    title: str
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    values: tuple[tuple[Decimal | None, ...], ...]


@dataclass(frozen=True)
class MapNode:
    id: str
    parent_id: str | None
    name: str
    title: str
    #: The internal line under the name: stance word, influence, who reaches them.
    badge: str
    #: "champion", "detractor" or "" (the colour of the badge stripe, with its word).
    stance: str
    #: The contact through whom our side reaches this one (dotted line), if any.
    via_id: str | None = None


@dataclass(frozen=True)
class MapBlock:
    """The relationship map: a reports-to forest drawn as a picture."""

    nodes: tuple[MapNode, ...]
    alt_text: str


Block = Text | Bullets | Grid | Facts | ChartBlock | HeatBlock | MapBlock


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]
    level: int = 1
    children: tuple[Section, ...] = ()


@dataclass(frozen=True)
class PlanDocument:
    #: The document's title (core properties): "Account plan: Acme Corp".
    title: str
    #: Cover: the account name, big, then the subtitle ("Account plan").
    cover_title: str
    subtitle: str
    marking: str
    #: Cover lines: (label, value).
    cover: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    appendix: tuple[Section, ...]

# --------------------------------------------------------------------------- long text

#: A cell longer than this would make a row taller than a page: its full text moves to a
#: numbered note under the table and the cell keeps its opening words and the note number.
LONG_CELL = 160
_PREVIEW = 60


def _preview(text: str, limit: int = _PREVIEW) -> str:
    """The opening words of ``text`` (at most ``limit`` characters, whole words)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(",;:.") + "\u2026"


def fold_grid(grid: Grid) -> tuple[Block, ...]:
    """``grid`` with over-long cells shortened to a pointer, then one note per long cell."""
    notes: list[Block] = []
    rows = []
    for row in grid.rows:
        cells: list[str | None] = []
        for i, cell in enumerate(row):
            if cell is None or len(cell) <= LONG_CELL:
                cells.append(cell)
                continue
            number = len(notes) + 1
            cells.append(f"{_preview(cell)} (note {number})")
            owner = _preview(row[0] or "", 40) if i else "row"
            notes.append(
                Text(f"Note {number} ({grid.columns[i].header.lower()}, {owner}): {cell}",
                     "labelled")
            )
        rows.append(tuple(cells))
    if not notes:
        return (grid,)
    folded = dataclasses.replace(grid, rows=tuple(rows))
    return (folded, *notes)


def fold_section(section: Section) -> Section:
    blocks: list[Block] = []
    for block in section.blocks:
        blocks.extend(fold_grid(block) if isinstance(block, Grid) else (block,))
    children = tuple(fold_section(c) for c in section.children)
    return dataclasses.replace(section, blocks=tuple(blocks), children=children)

