"""Relationship / org maps: a tidy tree layout of the reports-to forest, paged to fit a box.

Layout (deterministic, in EMU): a person whose reports are all leaves gets them stacked in
columns under them (the usual org-chart compaction, so 80 contacts fit on a few slides);
otherwise the reports' subtrees sit side by side and the manager is centred over them, joined by
orthogonal "bus" lines. A tree too big for the box is cut at the deepest level that fits: cut
people carry "→ p. N" and their team continues on page N under "↑ p. M". Contacts without a
known manager are gathered into a grid. Separate trees share pages (shelf packing). Text stays
at 10 pt or more: a map splits rather than shrinks, and a name or title too long for its box is
shortened with "…" and given in full in ``page.notes`` for the speaker notes.

Drawn as native PowerPoint shapes (rounded boxes; elbow connectors glued to the boxes, so a box
moved in PowerPoint keeps its lines; dotted access paths routed around the boxes, with an
arrowhead; a key) or, for Word, as a PNG from the same geometry through matplotlib's ``Figure``
(no pyplot, no mathtext, fixed DPI, no metadata).
"""

from __future__ import annotations

import functools
import io
import itertools
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from matplotlib import rcParams as mpl_rc
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg, get_hinting_flag
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle
from PIL import Image

try:  # matplotlib >= 3.10; older ones draw text only through renderer.draw_text
    from matplotlib.ft2font import RenderMode

    _RENDER_NORMAL: Any = RenderMode.NORMAL
except ImportError:  # pragma: no cover - depends on the installed matplotlib
    _RENDER_NORMAL = None
from pptx.oxml import parse_xml

from kamdocs.render.geometry import EMU_PER_INCH, EMU_PER_PT, Box, inches
from kamdocs.render.palette import GREY, ORANGE, WHITE, Palette
from kamdocs.render.text import (
    DEFAULT_FONT,
    Font,
    Measured,
    line_pitch_pt,
    measure,
    resolve_font,
    xml_safe,
)

ELLIPSIS = "\u2026"
#: matplotlib picks glyphs from the first family that has them (CJK from Noto, Arabic and
#: Hebrew from DejaVu). It does not shape Arabic: letters show unjoined.
PNG_FAMILIES = ("Carlito", "Liberation Sans", "Noto Sans CJK JP", "DejaVu Sans")


@dataclass(frozen=True, slots=True)
class OrgNode:
    """One person. ``badge`` is the internal line (stance, influence, access owner) and
    ``badge_colour`` its colour stripe: give a colour only with a badge word."""

    id: str
    parent_id: str | None
    name: str
    title: str = ""
    badge: str = ""
    badge_colour: str | None = None


@dataclass(frozen=True, slots=True)
class AccessEdge:
    """A dotted "access path" from the person who gives access to the person reached."""

    source_id: str
    target_id: str


@dataclass(frozen=True)
class OrgStyle:
    box_width: int = inches(1.55)
    box_height: int = inches(0.76)
    gap_x: int = inches(0.16)
    gap_y: int = inches(0.3)
    #: Vertical gap between stacked reports, and how far they sit right of their spine.
    stack_gap: int = inches(0.1)
    stack_indent: int = inches(0.2)
    max_pt: float = 11.0
    #: DESIGN.md: never below 10 pt on a slide.
    min_pt: float = 10.0
    key_pt: float = 10.0
    font: Font = DEFAULT_FONT
    palette: Palette = field(default_factory=Palette)
    stripe: int = inches(0.06)
    inset: int = inches(0.04)
    #: What one page of the map is called in markers ("→ p. 3") and notes ("on page 3"): a
    #: map printed as pictures inside a longer document says "part", not the document's page.
    page_abbr: str = "p."
    page_word: str = "page"


@dataclass(frozen=True, slots=True)
class PlacedBox:
    node_id: str
    box: Box
    size_pt: float
    #: Paragraphs as drawn: (text, role) with role in name / title / badge / marker.
    lines: tuple[tuple[str, str], ...]
    badge_colour: str | None


@dataclass(frozen=True, slots=True)
class Segment:
    x1: int
    y1: int
    x2: int
    y2: int
    #: "reports" (solid) or "access" (dotted, arrow at the second point).
    kind: str = "reports"


@dataclass(frozen=True, slots=True)
class Link:
    """A line between two boxes of a page, by index in ``OrgPage.boxes``: "reports" joins a
    manager's bottom to a report's top, "stacked" joins it to the left side of a report stacked
    in a column (along the column's spine), "access" is a dotted access path, source to target.
    """

    source: int
    target: int
    kind: str = "reports"


@dataclass(frozen=True)
class OrgPage:
    number: int
    total: int
    boxes: tuple[PlacedBox, ...]
    segments: tuple[Segment, ...]
    key: tuple[tuple[str, str | None, str], ...]  # (kind, colour, label)
    key_box: Box
    #: The box the page was laid out in (the PNG covers exactly this area).
    area: Box
    #: Full texts that were shortened, continuations and access paths to other pages.
    notes: tuple[str, ...]
    alt_text: str
    #: Which boxes the lines join (``segments`` is their drawn geometry for the PNG).
    links: tuple[Link, ...] = ()


# --- tree and block layout --------------------------------------------------------------------


def _forest(nodes: Sequence[OrgNode]) -> tuple[list[str], dict[str, list[str]]]:
    """Roots and children in input order; unknown parents and cycles make roots."""
    ids = [n.id for n in nodes]
    if len(set(ids)) != len(ids):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"org map: duplicate ids {dupes}")
    parent = {n.id: n.parent_id for n in nodes}
    known = set(ids)
    for node in nodes:
        if parent[node.id] not in known or parent[node.id] == node.id:
            parent[node.id] = None
    # Break cycles deterministically: walk up from each node; a repeat cuts at the first node
    # of the cycle met in input order.
    for node in nodes:
        seen, current = [], node.id
        while current is not None and current not in seen:
            seen.append(current)
            current = parent[current]
        if current is not None:  # cycle: make its earliest member (input order) a root
            cycle = seen[seen.index(current) :]
            first = min(cycle, key=ids.index)
            parent[first] = None
    children: dict[str, list[str]] = {i: [] for i in ids}
    roots = []
    for i in ids:
        if parent[i] is None:
            roots.append(i)
        else:
            children[parent[i]].append(i)  # type: ignore[index]
    return roots, children


@dataclass
class _Block:
    width: int
    height: int
    root_center: int
    #: (id, x, y, width) relative to the block's top-left.
    boxes: list[tuple[str, int, int, int]]
    lines: list[tuple[int, int, int, int]]
    #: Reports drawn in stacked columns (joined at their left side, not their top).
    stacked: list[str] = field(default_factory=list)

    def shifted(self, dx: int, dy: int) -> _Block:
        return _Block(
            self.width, self.height, self.root_center + dx,
            [(i, x + dx, y + dy, w) for i, x, y, w in self.boxes],
            [(a + dx, b + dy, c + dx, d + dy) for a, b, c, d in self.lines],
            list(self.stacked),
        )


def _visible(node: str, children: dict[str, list[str]], cut: set[str]) -> list[str]:
    return [] if node in cut else children.get(node, [])


def _block(
    node: str, children: dict[str, list[str]], cut: set[str], style: OrgStyle, room: int
) -> _Block:
    """Lay out ``node``'s visible subtree with at most ``room`` EMU of height available."""
    bw, bh = style.box_width, style.box_height
    kids = _visible(node, children, cut)
    if not kids:
        return _Block(bw, bh, bw // 2, [(node, 0, 0, bw)], [])
    top = bh + style.gap_y
    bus = bh + style.gap_y // 2
    if len(kids) > 1 and not any(_visible(k, children, cut) for k in kids):
        # Stacked columns of leaf reports, each joined to a spine on its left.
        pitch = bh + style.stack_gap
        per_column = max(1, (room - top + style.stack_gap) // pitch)
        columns = math.ceil(len(kids) / per_column)
        per_column = math.ceil(len(kids) / columns)  # balance the columns
        boxes = [(node, 0, 0, bw)]
        lines = []
        spine0 = style.stack_indent // 2
        for j in range(columns):
            group = kids[j * per_column : (j + 1) * per_column]
            left = j * (bw + style.gap_x)
            spine = left + style.stack_indent // 2
            for i, kid in enumerate(group):
                y = top + i * pitch
                boxes.append((kid, left + style.stack_indent, y, bw - style.stack_indent))
                lines.append((spine, y + bh // 2, left + style.stack_indent, y + bh // 2))
            last = top + (len(group) - 1) * pitch + bh // 2
            lines.append((spine, bh if j == 0 else bus, spine, last))
        if columns > 1:
            lines.append((spine0, bus, (columns - 1) * (bw + style.gap_x) + spine0, bus))
        height = top + per_column * pitch - style.stack_gap
        width = columns * bw + (columns - 1) * style.gap_x
        return _Block(width, height, bw // 2, boxes, lines, list(kids))
    blocks, x = [], 0
    for kid in kids:
        block = _block(kid, children, cut, style, room - top).shifted(x, top)
        blocks.append(block)
        x += block.width + style.gap_x
    total = x - style.gap_x
    first, last = blocks[0].root_center, blocks[-1].root_center
    center = (first + last) // 2
    boxes = [(node, center - bw // 2, 0, bw)]
    lines = [(center, bh, center, bus if len(kids) > 1 else top)]
    if len(kids) > 1:
        lines.append((first, bus, last, bus))
        lines.extend((b.root_center, bus, b.root_center, top) for b in blocks)
    stacked = []
    for block in blocks:
        boxes.extend(block.boxes)
        lines.extend(block.lines)
        stacked.extend(block.stacked)
    # Child blocks were shifted down by ``top``, but their heights are their own.
    height = top + max(b.height for b in blocks)
    return _Block(max(total, bw), height, center, boxes, lines, stacked)


def _grid(ids: list[str], style: OrgStyle, columns: int) -> _Block:
    """People with no known manager, in rows (no lines: there is no reporting line to draw)."""
    bw, bh = style.box_width, style.box_height
    boxes = []
    for n, node in enumerate(ids):
        row, col = divmod(n, columns)
        boxes.append((node, col * (bw + style.gap_x), row * (bh + style.stack_gap), bw))
    rows = math.ceil(len(ids) / columns)
    used = min(columns, len(ids))
    return _Block(
        used * bw + (used - 1) * style.gap_x, rows * bh + (rows - 1) * style.stack_gap,
        bw // 2, boxes, [],
    )


@dataclass
class _Unit:
    root: str
    block: _Block
    cut: list[str]
    is_continuation: bool = False
    repeats_root: bool = False


def _depths(root: str, children: dict[str, list[str]]) -> dict[str, int]:
    depths, queue = {root: 0}, deque([root])
    while queue:
        node = queue.popleft()
        for kid in children.get(node, []):
            depths[kid] = depths[node] + 1
            queue.append(kid)
    return depths


def _split(
    root: str, children: dict[str, list[str]], style: OrgStyle, width: int, height: int,
    continuation: bool,
) -> list[_Unit]:
    """The unit(s) showing ``root``'s tree: whole if it fits, else cut at the deepest level
    that fits, else the root with its reports in chunks (root repeated)."""

    def fits(block: _Block) -> bool:
        return block.width <= width and block.height <= height

    depths = _depths(root, children)
    deepest = max(depths.values())
    for level in range(deepest, 0, -1):
        cut = {n for n, d in depths.items() if d == level and children.get(n)}
        block = _block(root, children, cut, style, height)
        if fits(block):
            order = [b[0] for b in block.boxes if b[0] in cut]
            return [_Unit(root, block, order, continuation)]
    kids = children[root]
    bw, bh = style.box_width, style.box_height
    per_column = max(1, (height - bh - style.gap_y + style.stack_gap) // (bh + style.stack_gap))
    columns = max(1, (width + style.gap_x) // (bw + style.gap_x))
    capacity = max(1, per_column * columns)
    units = []
    for start in range(0, len(kids), capacity):
        chunk = kids[start : start + capacity]
        local = {root: chunk}
        block = _block(root, local, set(), style, height)
        cut = [k for k in chunk if children.get(k)]
        units.append(_Unit(root, block, cut, continuation or start > 0, start > 0))
    return units


# --- paging and text ---------------------------------------------------------------------------


def _box_text(
    node: OrgNode, width: int, style: OrgStyle, marker: str
) -> tuple[float, tuple[tuple[str, str], ...], bool]:
    """Fit name, title, badge and marker into a box: (size, paragraphs, shortened?)."""
    inner_w = width - style.stripe - 2 * style.inset
    inner_h = style.box_height - 2 * style.inset
    bold = style.font.with_bold()
    parts = [(node.name, "name"), (node.title, "title"), (node.badge, "badge"), (marker, "marker")]
    # Each text is split and measured once, then wrapped at every size tried.
    measured = [(Measured(xml_safe(text), bold if role == "name" else style.font), role)
                for text, role in parts if text]

    def fitted(size: float) -> list[tuple[str, str]] | None:
        count = sum(text.count(size, inner_w) for text, _ in measured)
        if count * line_pitch_pt(style.font, size) * EMU_PER_PT > inner_h:
            return None
        return [(line.text, role) for text, role in measured for line in text.lines(size, inner_w)]

    # The largest size in half points from max_pt down to min_pt at which everything fits:
    # most boxes fit at max_pt. Fitting only gets easier as the size falls (narrower words
    # wrap to no more lines, and lines are closer), so for the others a binary search finds
    # the same size as trying each in turn.
    sizes = [style.max_pt - 0.5 * i
             for i in range(int((style.max_pt - style.min_pt) / 0.5 + 1e-9) + 1)]
    lines = fitted(sizes[0])
    if lines is not None:
        return sizes[0], tuple(lines), False
    low, high, best = 1, len(sizes) - 1, None
    while low <= high:
        middle = (low + high) // 2
        lines = fitted(sizes[middle])
        if lines is None:
            low = middle + 1
        else:
            best, high = (sizes[middle], lines), middle - 1
    if best is not None:
        return best[0], tuple(best[1]), False
    # Shorten at the minimum size: the marker and badge keep one line each, the name up to
    # two, the title what is left; every shortened text is reported in the page notes.
    size = style.min_pt
    capacity = int(inner_h // (line_pitch_pt(style.font, size) * EMU_PER_PT))
    budget = {"marker": 1, "badge": 1}
    reserved = sum(budget[r] for _, r in measured if r in budget)
    has_title = any(r == "title" for _, r in measured)
    budget["name"] = max(1, min(2, capacity - reserved - (1 if has_title else 0)))
    budget["title"] = max(0, capacity - reserved - budget["name"])
    lines = []
    for text, role in measured:
        wrapped = [line.text for line in text.lines(size, inner_w)]
        keep = wrapped[: budget[role]]
        if len(wrapped) > len(keep) and keep:
            keep[-1] = _with_ellipsis(keep[-1], text.font, size, inner_w)
        lines += [(line, role) for line in keep]
    return size, tuple(lines[:capacity]), True


def _with_ellipsis(line: str, font: Font, size: float, width: int) -> str:
    text = line.rstrip()
    while text and measure(text + ELLIPSIS, font, size) > width * 0.98:
        text = text[:-1].rstrip()
    return text + ELLIPSIS


def _key(
    style: OrgStyle, has_access: bool, has_marker: bool,
    legend: Sequence[tuple[str, str]],
) -> list[tuple[str, str | None, str]]:
    items: list[tuple[str, str | None, str]] = [("line", None, "reports to")]
    if has_access:
        items.append(("dotted", ORANGE, "access path"))
    if has_marker:
        abbr, word = style.page_abbr, style.page_word
        key = (f"\u2192 {abbr} N: team continues on {word} N;  "
               f"\u2191 {abbr} N: manager is on {word} N")
        items.append(("text", None, key))
    items.extend(("swatch", colour, label) for colour, label in legend)
    return items


def _key_height(style: OrgStyle, items: list[tuple[str, str | None, str]], width: int) -> int:
    pitch = line_pitch_pt(style.font, style.key_pt) * EMU_PER_PT
    lines, x = 1, 0
    for _, _, label in items:
        need = inches(0.4) + measure(label, style.font, style.key_pt) + inches(0.2)
        if x and x + need > width:
            lines, x = lines + 1, 0
        x += need
    return round(lines * pitch + inches(0.12))


def layout_org(
    nodes: Sequence[OrgNode],
    box: Box,
    *,
    access: Sequence[AccessEdge] = (),
    style: OrgStyle | None = None,
    legend: Sequence[tuple[str, str]] = (),
) -> tuple[OrgPage, ...]:
    """Pages of the map in ``box`` (a slide's body, or a Word page's text area).

    ``legend`` lists (colour, meaning) for badge stripes ("009E73", "champion") and goes in the
    key with the line styles.
    """
    style = style or OrgStyle()
    by_id = {n.id: n for n in nodes}
    roots, children = _forest(nodes)
    if not nodes:
        return ()
    key_items = _key(style, bool(access), True, legend)
    key_h = _key_height(style, key_items, box.width)
    width, height = box.width, box.height - key_h
    if style.box_width > width or style.box_height > height:
        raise ValueError("org map: the box is smaller than one person's box")

    units: list[_Unit] = []
    queue = deque((r, False) for r in roots if children[r])
    while queue:
        root, continuation = queue.popleft()
        for unit in _split(root, children, style, width, height, continuation):
            units.append(unit)
            queue.extend((c, True) for c in unit.cut)
    singles = [r for r in roots if not children[r]]
    columns = max(1, (width + style.gap_x) // (style.box_width + style.gap_x))
    rows = max(1, (height + style.stack_gap) // (style.box_height + style.stack_gap))
    for start in range(0, len(singles), columns * rows):
        chunk = singles[start : start + columns * rows]
        units.append(_Unit(chunk[0], _grid(chunk, style, columns), []))

    # Shelf packing: units left to right, shelves top to bottom. Each unit goes on the first
    # page with room left on its open shelf or below it (a small tree fills the hole a big one
    # left, instead of taking a page of its own); a continuation never goes before the page
    # of the person whose team it continues.
    placed: list[list[tuple[_Unit, int, int]]] = []
    shelves: list[list[int]] = []  # per page: x, y and height of its open shelf
    first_page: dict[str, int] = {}
    gap = 2 * style.gap_x
    for unit in units:
        w, h = unit.block.width, unit.block.height
        earliest = first_page.get(unit.root, 0) if unit.is_continuation else 0
        for index in range(earliest, len(placed) + 1):
            if index == len(placed):
                placed.append([])
                shelves.append([0, 0, 0])
            x, y, shelf = shelves[index]
            if x and x + w > width:
                x, y, shelf = 0, y + shelf + style.gap_y, 0
            if placed[index] and y + h > height:
                continue
            placed[index].append((unit, x, y))
            shelves[index] = [x + w + gap, y, max(shelf, h)]
            for node_id, *_ in unit.block.boxes:
                first_page.setdefault(node_id, index)
            break

    page_of_root: dict[str, int] = {}
    page_of_node: dict[str, int] = {}
    for number, page in enumerate(placed, 1):
        for unit, _, _ in page:
            if unit.is_continuation and not unit.repeats_root:
                page_of_root.setdefault(unit.root, number)
            for node_id, *_ in unit.block.boxes:
                page_of_node.setdefault(node_id, number)
    parent_of = {kid: p for p, kids in children.items() for kid in kids}

    pages = []
    total = len(placed)
    for number, page in enumerate(placed, 1):
        content_w = max(ux + u.block.width for u, ux, _ in page)
        offset = (width - content_w) // 2
        boxes, segments, notes, links = [], [], [], []
        seen: dict[str, int] = {}  # node id -> index of its first box on the page
        for unit, ux, uy in page:
            ox, oy = box.left + offset + ux, box.top + uy
            in_unit: dict[str, int] = {}
            for node_id, bx, by, bw in unit.block.boxes:
                node = by_id[node_id]
                marker = ""
                if node_id in unit.cut and node_id in page_of_root:
                    target = page_of_root[node_id]
                    marker = "\u2192 " + _where(target, number, style)
                    notes.append(f"{node.name}: team continues on {style.page_word} {target}.")
                elif node_id == unit.root and unit.repeats_root:
                    marker = "(cont.)"
                elif node_id == unit.root and unit.is_continuation and node_id in parent_of:
                    manager = parent_of[node_id]
                    target = page_of_node.get(manager, number)
                    marker = "\u2191 " + _where(target, number, style)
                    notes.append(f"{node.name} reports to {by_id[manager].name} "
                                 f"({style.page_word} {target}).")
                size, lines, shortened = _box_text(node, bw, style, marker)
                if shortened:
                    full = " \u2014 ".join(t for t in (node.name, node.title, node.badge) if t)
                    notes.append(f"In full: {full}")
                placed_box = PlacedBox(
                    node_id, Box(ox + bx, oy + by, bw, style.box_height), size, lines,
                    node.badge_colour,
                )
                in_unit[node_id] = len(boxes)
                seen.setdefault(node_id, len(boxes))
                boxes.append(placed_box)
            segments.extend(
                Segment(ox + a, oy + b, ox + c, oy + d) for a, b, c, d in unit.block.lines
            )
            # A person appears once per unit, under their manager when the manager is in it.
            stacked = set(unit.block.stacked)
            for node_id, index in in_unit.items():
                manager = parent_of.get(node_id)
                if manager in in_unit:
                    kind = "stacked" if node_id in stacked else "reports"
                    links.append(Link(in_unit[manager], index, kind))
        for edge in access:
            if edge.source_id not in by_id or edge.target_id not in by_id:
                continue
            source, target = seen.get(edge.source_id), seen.get(edge.target_id)
            if source is not None and target is not None:
                segments.append(_access_segment(boxes[source].box, boxes[target].box))
                if source != target:
                    links.append(Link(source, target, "access"))
                else:
                    notes.append(f"Access path from {by_id[edge.source_id].name} to themselves.")
            elif source is not None or target is not None:
                # One end is on this page; say where the other one is.
                away = edge.target_id if source is not None else edge.source_id
                notes.append(
                    f"Access path: {by_id[edge.source_id].name} \u2192 "
                    f"{by_id[edge.target_id].name} ({by_id[away].name} is on "
                    f"{style.page_word} {page_of_node.get(away)})."
                )
        has_marker = any(line[1] == "marker" for b in boxes for line in b.lines)
        page_key = _key(style, any(s.kind == "access" for s in segments), has_marker, legend)
        key_box = Box(box.left, box.bottom - key_h, box.width, key_h)
        names = ", ".join(by_id[u.root].name for u, _, _ in page[:3])
        alt = (
            f"Relationship map, {style.page_word} {number} of {total}: {len(boxes)} people"
            + (f"; trees headed by {names}" if names else "")
            + (f"; {sum(1 for s in segments if s.kind == 'access')} access paths" if access else "")
            + "."
        )
        pages.append(
            OrgPage(
                number, total, tuple(boxes), tuple(segments), tuple(page_key), key_box, box,
                tuple(dict.fromkeys(notes)), alt, tuple(links),
            )
        )
    return tuple(pages)


def _where(page: int, current: int, style: OrgStyle) -> str:
    return f"this {style.page_word}" if page == current else f"{style.page_abbr} {page}"


def _access_segment(source: Box, target: Box) -> Segment:
    """An access path as a straight line between facing edges of two boxes, arrow at the
    target: the page's segment for it (both renderers draw the routed path of
    :func:`page_routes` instead)."""
    sx, sy = source.left + source.width // 2, source.top + source.height // 2
    tx, ty = target.left + target.width // 2, target.top + target.height // 2
    if abs(tx - sx) * source.height >= abs(ty - sy) * source.width:
        sx = source.right if tx > sx else source.left
        tx = target.left if tx > sx else target.right
    else:
        sy = source.bottom if ty > sy else source.top
        ty = target.top if ty > sy else target.bottom
    return Segment(sx, sy, tx, ty, "access")


# --- PPTX ---------------------------------------------------------------------------------------

_P_NS = (
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
)


def _attr(text: str) -> str:
    return escape(xml_safe(text), {'"': "&quot;"})


def _solid(colour: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'


def _colours(style: OrgStyle) -> dict[str, str]:
    palette = style.palette
    return {"name": palette.text, "title": palette.muted, "badge": palette.text,
            "marker": palette.brand}


def _box_xml(shape_id: int, placed: PlacedBox, style: OrgStyle, descr: str) -> str:
    box, font = placed.box, _attr(style.font.family)
    size = round(placed.size_pt * 100)
    pitch = round(line_pitch_pt(style.font, placed.size_pt) * 100)
    colours = _colours(style)
    paragraphs = []
    for text, role in placed.lines:
        bold = int(role == "name")
        rpr = (
            f'lang="en-US" sz="{size}" b="{bold}" dirty="0">{_solid(colours[role])}'
            f'<a:latin typeface="{font}"/><a:ea typeface="{font}"/><a:cs typeface="{font}"/>'
        )
        paragraphs.append(
            f'<a:p><a:pPr algn="l"><a:lnSpc><a:spcPts val="{pitch}"/></a:lnSpc>'
            '<a:spcBef><a:spcPts val="0"/></a:spcBef><a:spcAft><a:spcPts val="0"/></a:spcAft>'
            f"</a:pPr><a:r><a:rPr {rpr}</a:rPr><a:t>{escape(text)}</a:t></a:r></a:p>"
        )
    left_inset = style.stripe + style.inset
    return (
        f'<p:sp {_P_NS}><p:nvSpPr><p:cNvPr id="{shape_id}" name="Person {shape_id}" '
        f'descr="{_attr(descr)}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>'
        f'<a:xfrm><a:off x="{box.left}" y="{box.top}"/><a:ext cx="{box.width}" '
        f'cy="{box.height}"/></a:xfrm><a:prstGeom prst="roundRect"><a:avLst>'
        '<a:gd name="adj" fmla="val 8000"/></a:avLst></a:prstGeom>'
        f'{_solid(WHITE)}<a:ln w="9525">{_solid(style.palette.rule)}</a:ln></p:spPr>'
        f'<p:txBody><a:bodyPr wrap="square" lIns="{left_inset}" tIns="{style.inset}" '
        f'rIns="{style.inset}" bIns="{style.inset}" anchor="t"><a:noAutofit/></a:bodyPr>'
        f'<a:lstStyle/>{"".join(paragraphs)}</p:txBody></p:sp>'
    )


def _stripe_xml(shape_id: int, placed: PlacedBox, style: OrgStyle) -> str:
    box = placed.box
    inset = style.inset // 2
    return (
        f'<p:sp {_P_NS}><p:nvSpPr><p:cNvPr id="{shape_id}" name="Badge {shape_id}"/>'
        "<p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>"
        f'<a:xfrm><a:off x="{box.left + inset}" y="{box.top + inset}"/>'
        f'<a:ext cx="{style.stripe}" cy="{box.height - 2 * inset}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{_solid(placed.badge_colour or GREY)}'
        "<a:ln><a:noFill/></a:ln></p:spPr></p:sp>"
    )


def _key_line_xml(shape_id: int, segment: Segment) -> str:
    """A sample line in the key (not glued to anything)."""
    left, right = min(segment.x1, segment.x2), max(segment.x1, segment.x2)
    top, bottom = min(segment.y1, segment.y2), max(segment.y1, segment.y2)
    flip = ""
    if segment.x2 < segment.x1:
        flip += ' flipH="1"'
    if segment.y2 < segment.y1:
        flip += ' flipV="1"'
    if segment.kind == "access":
        line = (
            f'<a:ln w="15875">{_solid(ORANGE)}<a:prstDash val="sysDot"/>'
            '<a:tailEnd type="triangle" w="med" len="med"/></a:ln>'
        )
        name = "Key line, access path"
    else:
        line = f'<a:ln w="12700">{_solid(GREY)}</a:ln>'
        name = "Key line, reports to"
    return (
        f'<p:cxnSp {_P_NS}><p:nvCxnSpPr><p:cNvPr id="{shape_id}" name="{name} {shape_id}"/>'
        "<p:cNvCxnSpPr/><p:nvPr/></p:nvCxnSpPr><p:spPr>"
        f'<a:xfrm{flip}><a:off x="{left}" y="{top}"/><a:ext cx="{right - left}" '
        f'cy="{bottom - top}"/></a:xfrm><a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
        f"{line}</p:spPr></p:cxnSp>"
    )


def _text_xml(shape_id: int, box: Box, text: str, style: OrgStyle) -> str:
    font = _attr(style.font.family)
    size = round(style.key_pt * 100)
    return (
        f'<p:sp {_P_NS}><p:nvSpPr><p:cNvPr id="{shape_id}" name="Key {shape_id}"/>'
        '<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr>'
        f'<a:xfrm><a:off x="{box.left}" y="{box.top}"/><a:ext cx="{box.width}" '
        f'cy="{box.height}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        '<a:noFill/></p:spPr><p:txBody><a:bodyPr wrap="none" lIns="0" tIns="0" rIns="0" '
        'bIns="0" anchor="ctr"><a:noAutofit/></a:bodyPr><a:lstStyle/><a:p><a:r>'
        f'<a:rPr lang="en-US" sz="{size}" dirty="0">{_solid(style.palette.muted)}'
        f'<a:latin typeface="{font}"/><a:ea typeface="{font}"/><a:cs typeface="{font}"/>'
        f"</a:rPr><a:t>{escape(xml_safe(text))}</a:t></a:r></a:p></p:txBody></p:sp>"
    )


def key_layout(page: OrgPage, style: OrgStyle) -> list[tuple[str, str | None, str, Box, Box]]:
    """Where each key item's sample and label go: (kind, colour, label, sample, label box)."""
    pitch = round(line_pitch_pt(style.font, style.key_pt) * EMU_PER_PT)
    x, y = page.key_box.left, page.key_box.top + inches(0.06)
    sample_w = inches(0.3)
    placed = []
    for kind, colour, label in page.key:
        label_w = measure(label, style.font, style.key_pt) + inches(0.04)
        need = (0 if kind == "text" else sample_w + inches(0.06)) + label_w + inches(0.2)
        if x > page.key_box.left and x + need > page.key_box.right:
            x, y = page.key_box.left, y + pitch
        sample = Box(x, y, 0 if kind == "text" else sample_w, pitch)
        label_left = x + (0 if kind == "text" else sample_w + inches(0.06))
        placed.append((kind, colour, label, sample, Box(label_left, y, label_w, pitch)))
        x += need
    return placed


# --- PPTX connectors ----------------------------------------------------------------------------

#: Connection sites of a ``roundRect`` box, numbered as in the DrawingML preset and python-pptx's
#: ``begin_connect``: the middles of the top, left, bottom and right sides.
_TOP, _LEFT, _BOTTOM, _RIGHT = 0, 1, 2, 3
#: The way a line leaves each site.
_OUTWARD = {_TOP: (0, -1), _LEFT: (-1, 0), _BOTTOM: (0, 1), _RIGHT: (1, 0)}
#: An access path may take this many candidate routes into account (cheapest first): a bound
#: on the time spent on a page where no route avoids every box.
_MAX_ROUTES_TRIED = 400

Point = tuple[int, int]


def _site(box: Box, site: int) -> Point:
    if site == _TOP:
        return box.left + box.width // 2, box.top
    if site == _LEFT:
        return box.left, box.top + box.height // 2
    if site == _BOTTOM:
        return box.left + box.width // 2, box.bottom
    return box.right, box.top + box.height // 2


@dataclass(frozen=True, slots=True)
class _Route:
    """An orthogonal path from a connection site of one box to a site of another."""

    points: tuple[Point, ...]
    begin_site: int
    end_site: int


@dataclass(frozen=True, slots=True)
class _Geometry:
    """A connector as DrawingML draws it: a preset (``bentConnectorN``, or
    ``straightConnector1``) stretched over ``frame`` (the box of its end points), mirrored by the
    flips, bends placed by ``adjust`` (in 1/100000 of the frame's width or height)."""

    preset: str
    frame: Box
    flip_h: bool
    flip_v: bool
    adjust: tuple[int, ...]


def _reports_route(manager: Box, report: Box, stacked: bool, style: OrgStyle) -> _Route:
    """The layout's own line: down to the bus half-way to the reports, across, down into the
    report's top; a stacked report is reached along its column's spine, into its left side."""
    x0, y0 = _site(manager, _BOTTOM)
    bus = y0 + style.gap_y // 2
    if stacked:
        x1, y1 = _site(report, _LEFT)
        spine = report.left - style.stack_indent // 2
        return _Route(((x0, y0), (x0, bus), (spine, bus), (spine, y1), (x1, y1)), _BOTTOM, _LEFT)
    x1, y1 = _site(report, _TOP)
    return _Route(((x0, y0), (x0, bus), (x1, bus), (x1, y1)), _BOTTOM, _TOP)


def _straight(begin: Point, end: Point) -> _Geometry:
    (x0, y0), (x1, y1) = begin, end
    frame = Box(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0))
    return _Geometry("straightConnector1", frame, x1 < x0, y1 < y0, ())


def _elbow(points: Sequence[Point]) -> _Geometry | None:
    """Encode an orthogonal path as an elbow connector; None when no preset draws it.

    ``bentConnectorN`` is N segments, the first horizontal. A path that starts vertically gets
    a zero-length horizontal first segment rather than PowerPoint's 90-degree rotation: a
    rotated frame is the transposed box, which for a long connector lies partly off the slide
    and misleads every tool that reads a shape's place from its offset and size. A path whose
    ends are level but which bends away and back (a U) has no encoding: its frame is flat.
    """
    corners = [points[0]]
    for point in points[1:]:
        last = corners[-1]
        if point[0] != last[0] and point[1] != last[1]:
            raise ValueError(f"org map: route {points} is not orthogonal")
        if point == last:
            continue
        if len(corners) > 1:
            before = corners[-2]
            same_line = before[0] == last[0] == point[0] or before[1] == last[1] == point[1]
            if same_line:
                forward = (last[0] - before[0]) * (point[0] - last[0]) + (
                    last[1] - before[1]) * (point[1] - last[1])
                if forward < 0:  # doubles back on itself
                    return None
                corners[-1] = point
                continue
        corners.append(point)
    if len(corners) < 2:
        return None
    if corners[0][0] == corners[1][0]:  # starts vertically
        corners.insert(0, corners[0])
    if len(corners) == 2:  # one horizontal segment; the vertical one after it is empty
        corners.append(corners[-1])
    count = len(corners) - 1
    if count > 5:
        return None
    (x0, y0), (x1, y1) = corners[0], corners[-1]
    width, height = abs(x1 - x0), abs(y1 - y0)
    sign_x, sign_y = (-1 if x1 < x0 else 1), (-1 if y1 < y0 else 1)
    adjust = []
    for k in range(1, count - 1):
        # The bends alternate: odd ones sit along the frame's width, even ones along its height.
        if k % 2:
            offset, span = (corners[k][0] - x0) * sign_x, width
        else:
            offset, span = (corners[k][1] - y0) * sign_y, height
        if span == 0 and offset:
            return None
        adjust.append(round(offset * 100_000 / span) if span else 0)
    frame = Box(min(x0, x1), min(y0, y1), width, height)
    return _Geometry(f"bentConnector{count}", frame, x1 < x0, y1 < y0, tuple(adjust))


def _crosses(a: Point, b: Point, box: tuple[int, int, int, int]) -> bool:
    """Does the segment a-b pass through the inside of (left, top, right, bottom)?"""
    left, top, right, bottom = box
    return (min(a[0], b[0]) < right and max(a[0], b[0]) > left
            and min(a[1], b[1]) < bottom and max(a[1], b[1]) > top)


def _runs_along(a: Point, b: Point, line: tuple[Point, Point], near: int) -> bool:
    """Does the segment a-b run on top of (within ``near`` of, side by side with) ``line``?"""
    c, d = line
    if a[1] == b[1] and c[1] == d[1]:  # both horizontal
        return (abs(a[1] - c[1]) < near
                and min(max(a[0], b[0]), max(c[0], d[0]))
                - max(min(a[0], b[0]), min(c[0], d[0])) > near)
    if a[0] == b[0] and c[0] == d[0]:  # both vertical
        return (abs(a[0] - c[0]) < near
                and min(max(a[1], b[1]), max(c[1], d[1]))
                - max(min(a[1], b[1]), min(c[1], d[1])) > near)
    return False


def _access_route(
    source: int, target: int, boxes: Sequence[Box], lines: Sequence[tuple[Point, Point]],
    bounds: Box, style: OrgStyle,
) -> _Route | None:
    """The elbow route from box ``source`` to box ``target`` that crosses fewest boxes, then
    runs along fewest lines already drawn, then is shortest (a bend costs a quarter inch).

    Routes leave and enter at side middles and turn in channels just outside the boxes' edges
    (half the gap between stacked boxes above and below, half the column gap beside), never on
    the buses and spines of the reporting lines, and stay within ``bounds``. None when no
    route fits (then a straight line is drawn).
    """
    first, last = boxes[source], boxes[target]
    near_y, near_x = style.stack_gap // 2, style.gap_x // 2
    rows = sorted({y for b in boxes for y in (b.top - near_y, b.bottom + near_y)})
    rows = [y for y in rows if bounds.top <= y <= bounds.bottom]
    cols = sorted({x for b in boxes for x in (b.left - near_x, b.right + near_x)})
    cols = [x for x in cols if bounds.left <= x <= bounds.right]
    least = near_y  # the first and last legs: room for the arrowhead
    candidates: list[tuple[int, int, _Route]] = []
    for start in (_BOTTOM, _TOP, _RIGHT, _LEFT):
        (x0, y0), (dx0, dy0) = _site(first, start), _OUTWARD[start]
        for end in (_TOP, _BOTTOM, _LEFT, _RIGHT):
            (x1, y1), (dx1, dy1) = _site(last, end), _OUTWARD[end]
            paths: list[tuple[Point, ...]] = []
            if dy0 and dy1:  # out of a top or bottom, across a row channel, into one
                paths = [((x0, y0), (x0, y), (x1, y), (x1, y1)) for y in rows
                         if (y - y0) * dy0 >= least and (y - y1) * dy1 >= least]
            elif dx0 and dx1:  # out of a side, along a column channel, into a side
                paths = [((x0, y0), (x, y0), (x, y1), (x1, y1)) for x in cols
                         if (x - x0) * dx0 >= least and (x - x1) * dx1 >= least]
            elif dy0:  # out of a top or bottom, into a side: straight there, or via a row
                if (y1 - y0) * dy0 >= least and (x0 - x1) * dx1 >= least:
                    paths.append(((x0, y0), (x0, y1), (x1, y1)))
                beside = x1 + dx1 * near_x
                paths += [((x0, y0), (x0, y), (beside, y), (beside, y1), (x1, y1)) for y in rows
                          if (y - y0) * dy0 >= least and bounds.left <= beside <= bounds.right]
            else:  # out of a side, into a top or bottom: straight there, or via a row
                if (x1 - x0) * dx0 >= least and (y0 - y1) * dy1 >= least:
                    paths.append(((x0, y0), (x1, y0), (x1, y1)))
                beside = x0 + dx0 * near_x
                paths += [((x0, y0), (beside, y0), (beside, y), (x1, y), (x1, y1)) for y in rows
                          if (y - y1) * dy1 >= least and bounds.left <= beside <= bounds.right]
            for path in paths:
                legs = list(itertools.pairwise(path))
                length = sum(abs(b[0] - a[0]) + abs(b[1] - a[1]) for a, b in legs)
                bends = sum(1 for a, b, c in zip(path, path[1:], path[2:], strict=False)
                            if a != b and b != c and (a[0] == b[0]) != (b[0] == c[0]))
                cost = length + bends * inches(0.25)
                candidates.append((cost, len(candidates), _Route(path, start, end)))
    candidates.sort(key=lambda item: item[:2])
    margin = min(near_x, near_y) // 2
    obstacles = [
        (b.left, b.top, b.right, b.bottom) if i in (source, target)
        else (b.left - margin, b.top - margin, b.right + margin, b.bottom + margin)
        for i, b in enumerate(boxes)
    ]
    near = max(1, near_y // 2)
    best: tuple[int, int, int] | None = None
    chosen: _Route | None = None
    encodable = (item for item in candidates if _elbow(item[2].points) is not None)
    for cost, _, route in itertools.islice(encodable, _MAX_ROUTES_TRIED):
        legs = list(itertools.pairwise(route.points))
        limit = best[0] if best else len(boxes) * len(legs)
        crossings = 0
        for a, b in legs:
            crossings += sum(1 for box in obstacles if _crosses(a, b, box))
            if crossings > limit:
                break
        if crossings > limit:
            continue
        overlaps = sum(1 for a, b in legs for line in lines if _runs_along(a, b, line, near))
        score = (crossings, overlaps, cost)
        if best is None or score < best:
            best, chosen = score, route
            if score[:2] == (0, 0):
                break  # the cheapest clean route: candidates come cheapest first
    return chosen


def page_routes(page: OrgPage, style: OrgStyle) -> list[_Route]:
    """The route of each of ``page.links``, the same in PPTX and PNG: reporting lines from
    the manager's bottom; access paths around the boxes (:func:`_access_route`), each avoiding
    the lines already drawn; straight between facing sides when no elbow route fits."""
    boxes = [placed.box for placed in page.boxes]
    reports = [
        _reports_route(boxes[link.source], boxes[link.target], link.kind == "stacked", style)
        for link in page.links if link.kind != "access"
    ]
    drawn = [(a, b) for route in reports for a, b in itertools.pairwise(route.points)]
    content = Box(page.area.left, page.area.top, page.area.width,
                  page.key_box.top - page.area.top)
    routes, pending = [], iter(reports)
    for link in page.links:
        if link.kind != "access":
            routes.append(next(pending))
            continue
        # _access_route gives only routes an elbow connector can draw, or None when no
        # channel fits (or a custom style has degenerate gaps): then a straight line between
        # the facing sides.
        found = _access_route(link.source, link.target, boxes, drawn, content, style)
        if found is None:
            found = _facing_route(boxes[link.source], boxes[link.target])
        drawn.extend(itertools.pairwise(found.points))
        routes.append(found)
    return routes


def _facing_route(source: Box, target: Box) -> _Route:
    """Straight from the side of ``source`` facing ``target`` to the side facing back."""
    sx, sy = source.left + source.width // 2, source.top + source.height // 2
    tx, ty = target.left + target.width // 2, target.top + target.height // 2
    if abs(tx - sx) * source.height >= abs(ty - sy) * source.width:
        begin, end = (_RIGHT, _LEFT) if tx >= sx else (_LEFT, _RIGHT)
    else:
        begin, end = (_BOTTOM, _TOP) if ty >= sy else (_TOP, _BOTTOM)
    return _Route((_site(source, begin), _site(target, end)), begin, end)


def _connector_xml(
    shape_id: int, name: str, route: _Route, geometry: _Geometry, begin_id: int, end_id: int,
    access: bool,
) -> str:
    frame = geometry.frame
    flip = (' flipH="1"' if geometry.flip_h else "") + (' flipV="1"' if geometry.flip_v else "")
    guides = "".join(
        f'<a:gd name="adj{i}" fmla="val {value}"/>' for i, value in enumerate(geometry.adjust, 1)
    )
    if access:
        line = (
            f'<a:ln w="15875">{_solid(ORANGE)}<a:prstDash val="sysDot"/>'
            '<a:tailEnd type="triangle" w="med" len="med"/></a:ln>'
        )
    else:
        line = f'<a:ln w="12700">{_solid(GREY)}</a:ln>'
    return (
        f'<p:cxnSp {_P_NS}><p:nvCxnSpPr><p:cNvPr id="{shape_id}" name="{name} {shape_id}"/>'
        f'<p:cNvCxnSpPr><a:stCxn id="{begin_id}" idx="{route.begin_site}"/>'
        f'<a:endCxn id="{end_id}" idx="{route.end_site}"/></p:cNvCxnSpPr><p:nvPr/>'
        f'</p:nvCxnSpPr><p:spPr><a:xfrm{flip}><a:off x="{frame.left}" y="{frame.top}"/>'
        f'<a:ext cx="{frame.width}" cy="{frame.height}"/></a:xfrm>'
        f'<a:prstGeom prst="{geometry.preset}"><a:avLst>{guides}</a:avLst></a:prstGeom>'
        f"{line}</p:spPr></p:cxnSp>"
    )


def _person_xml(first_id: int, placed: PlacedBox, style: OrgStyle) -> tuple[str, int, int]:
    """(XML, id of the box the lines are glued to, ids used). A badge stripe is grouped with its
    box, so a person moved in PowerPoint takes the stripe along."""
    descr = " \u2014 ".join(text for text, _ in placed.lines)
    if not placed.badge_colour:
        return _box_xml(first_id, placed, style, descr), first_id, 1
    box = placed.box
    frame = (
        f'<a:off x="{box.left}" y="{box.top}"/><a:ext cx="{box.width}" cy="{box.height}"/>'
        f'<a:chOff x="{box.left}" y="{box.top}"/><a:chExt cx="{box.width}" cy="{box.height}"/>'
    )
    xml = (
        f'<p:grpSp {_P_NS}><p:nvGrpSpPr><p:cNvPr id="{first_id}" name="Person group {first_id}"/>'
        f'<p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm>{frame}</a:xfrm></p:grpSpPr>'
        f"{_box_xml(first_id + 1, placed, style, descr)}{_stripe_xml(first_id + 2, placed, style)}"
        "</p:grpSp>"
    )
    return xml, first_id + 1, 3


def render_pptx_org(slide: Any, page: OrgPage, style: OrgStyle | None = None) -> Any:
    """Add the page to a python-pptx slide as one group of native shapes; returns the group.

    The group's description is ``page.alt_text``. Inside: the lines first (under the boxes),
    each an elbow connector glued to its two boxes (reports to: manager's bottom middle to the
    report's top middle, or left middle when stacked; access paths: dotted, with an arrowhead,
    routed around the boxes), then the boxes (a box with a badge stripe is a group of the two),
    then the key. Shapes are written as XML in one go: python-pptx's per-shape API would cost
    ~40 ms for 80 people.
    """
    style = style or OrgStyle()
    tree = slide.shapes._spTree
    ids = [int(v) for v in tree.xpath("//@id") if str(v).isdigit()]
    first_id = max(ids, default=1) + 1
    # People take their ids after the connectors, which are drawn first but name their ids.
    next_id = first_id + len(page.links)
    people, glue = [], []
    for placed in page.boxes:
        xml, box_id, used = _person_xml(next_id, placed, style)
        people.append(xml)
        glue.append(box_id)
        next_id += used
    parts = []
    for offset, (link, found) in enumerate(zip(page.links, page_routes(page, style),
                                               strict=True)):
        access = link.kind == "access"
        # A two-point route is the straight fallback; an elbow a degenerate style cannot
        # encode is drawn straight too, still glued to both boxes.
        geometry = _elbow(found.points) if len(found.points) > 2 else None
        if geometry is None:
            geometry = _straight(found.points[0], found.points[-1])
        parts.append(_connector_xml(
            first_id + offset, "Access path" if access else "Reports to", found, geometry,
            glue[link.source], glue[link.target], access,
        ))
    parts.extend(people)
    for kind, colour, label, sample, label_box in key_layout(page, style):
        mid = sample.top + sample.height // 2
        if kind in ("line", "dotted"):
            segment = Segment(
                sample.left, mid, sample.right, mid, "access" if kind == "dotted" else "reports"
            )
            parts.append(_key_line_xml(next_id, segment))
            next_id += 1
        elif kind == "swatch":
            swatch = PlacedBox("", Box(sample.left, sample.top, sample.width, sample.height),
                               style.key_pt, (), colour)
            parts.append(_stripe_xml(next_id, swatch, OrgStyle(stripe=sample.width, inset=0)))
            next_id += 1
        parts.append(_text_xml(next_id, label_box, label, style))
        next_id += 1
    # One group, so the map moves as one and carries the map's alt text; its child frame
    # equals its frame, so every child sits exactly where it was laid out.
    area = page.area
    frame = (
        f'<a:off x="{area.left}" y="{area.top}"/><a:ext cx="{area.width}" cy="{area.height}"/>'
        f'<a:chOff x="{area.left}" y="{area.top}"/><a:chExt cx="{area.width}" '
        f'cy="{area.height}"/>'
    )
    group = parse_xml(
        f'<p:grpSp {_P_NS}><p:nvGrpSpPr><p:cNvPr id="{next_id}" name="Relationship map '
        f'{page.number}" descr="{_attr(page.alt_text)}"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
        f"<p:grpSpPr><a:xfrm>{frame}</a:xfrm></p:grpSpPr>{''.join(parts)}</p:grpSp>"
    )
    tree.append(group)
    return slide.shapes[len(slide.shapes) - 1]


# --- PNG (Word, PDF, HTML) ----------------------------------------------------------------------


def render_png_org(page: OrgPage, style: OrgStyle | None = None, dpi: int = 200) -> bytes:
    """The page drawn by matplotlib at its real size (so 10 pt stays 10 pt when placed at the
    box's size), as PNG bytes without metadata: same inputs, same bytes."""
    style = style or OrgStyle()
    # A hair of margin so the outermost box borders are not clipped by the image edge.
    area = page.area.inset(-2 * EMU_PER_PT)
    left, top, right, bottom = area.left, area.top, area.right, area.bottom
    width_in, height_in = (right - left) / EMU_PER_INCH, (bottom - top) / EMU_PER_INCH
    figure = Figure(figsize=(width_in, height_in), dpi=dpi)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(left, right)
    axes.set_ylim(bottom, top)  # y grows downwards, as on a slide
    axes.set_axis_off()
    # matplotlib knows files, not Office names: draw with the face we measured with.
    measured = resolve_font(style.font).family
    families = list(dict.fromkeys([measured, *PNG_FAMILIES]))
    colours = _colours(style)

    def hex_(colour: str) -> str:
        return "#" + colour

    for segment in page.segments:
        if segment.kind != "access":
            axes.add_artist(Line2D(
                (segment.x1, segment.x2), (segment.y1, segment.y2), linewidth=1.0,
                color=hex_(GREY), solid_capstyle="butt",
            ))
    # Access paths take the PPTX's routes around the boxes: dotted legs, arrow on the last.
    access_style = {"linestyle": (0, (1, 1.5)), "linewidth": 1.25, "color": hex_(ORANGE)}
    for link, route in zip(page.links, page_routes(page, style), strict=True):
        if link.kind != "access":
            continue
        *legs, last = itertools.pairwise(route.points)
        for (x0, y0), (x1, y1) in legs:
            axes.add_artist(Line2D((x0, x1), (y0, y1), solid_capstyle="butt", **access_style))
        axes.add_patch(FancyArrowPatch(last[0], last[1], arrowstyle="-|>", mutation_scale=10,
                                       shrinkA=0, shrinkB=0, **access_style))
    radius = min(style.box_height, style.box_width) * 0.08
    fonts: dict[tuple[float, bool], FontProperties] = {}
    lines: list[tuple[float, float, str, FontProperties, tuple[float, ...]]] = []
    for placed in page.boxes:
        box = placed.box
        # add_artist, not add_patch: the limits are fixed, so the per-patch data-limit update
        # of add_patch is wasted work (a tenth of the drawing time).
        axes.add_artist(FancyBboxPatch(
            (box.left, box.top), box.width, box.height,
            boxstyle=f"round,pad=0,rounding_size={radius}", linewidth=0.75,
            edgecolor=hex_(style.palette.rule), facecolor="white",
        ))
        if placed.badge_colour:
            inset = style.inset // 2
            axes.add_artist(Rectangle(
                (box.left + inset, box.top + inset), style.stripe, box.height - 2 * inset,
                linewidth=0, facecolor=hex_(placed.badge_colour),
            ))
        pitch = line_pitch_pt(style.font, placed.size_pt) * EMU_PER_PT
        x = box.left + style.stripe + style.inset
        for i, (text, role) in enumerate(placed.lines):
            baseline = box.top + style.inset + i * pitch + placed.size_pt * EMU_PER_PT * 0.95
            key = (placed.size_pt, role == "name")
            if key not in fonts:
                fonts[key] = FontProperties(
                    family=families, size=placed.size_pt, weight="bold" if key[1] else "normal")
            lines.append((x, baseline, text, fonts[key], to_rgba(hex_(colours[role]))))
    axes.add_artist(_TextLines(lines, axes.transData))
    for kind, colour, label, sample, label_box in key_layout(page, style):
        mid = sample.top + sample.height // 2
        if kind == "line":
            axes.add_line(Line2D((sample.left, sample.right), (mid, mid), linewidth=1.0,
                                 color=hex_(GREY)))
        elif kind == "dotted":
            axes.add_line(Line2D((sample.left, sample.right), (mid, mid), linewidth=1.25,
                                 color=hex_(ORANGE), linestyle=(0, (1, 1.5))))
        elif kind == "swatch" and colour:
            axes.add_patch(Rectangle((sample.left, sample.top), sample.width, sample.height,
                                     linewidth=0, facecolor=hex_(colour)))
        axes.text(label_box.left, mid, label, fontsize=style.key_pt, family=families,
                  color=hex_(style.palette.muted), va="center", ha="left", parse_math=False)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    # The figure is opaque white: RGB loses nothing. A map has a few colours and their
    # anti-aliasing ramps: a 64-colour palette (fast octree, deterministic) looks the same,
    # and with zlib's fastest level it is a third quicker to encode than RGB and less than
    # half the size (no text chunks: no metadata).
    rgb = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw",
                           "RGBA", 0, 1).convert("RGB")
    buffer = io.BytesIO()
    rgb.quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(
        buffer, format="png", compress_level=1, dpi=(dpi, dpi))
    return buffer.getvalue()


class _TextLines(Artist):
    """The text lines of the boxes, each drawn from the left end of its baseline.

    Equivalent to one ``Text(x, y, s, va="baseline", ha="left")`` per line, pixel for pixel
    (a single left/baseline-aligned line is drawn at its anchor: its metrics do not move it),
    without the Text artist's layout pass, and with each glyph rasterised once per page and
    sub-pixel position instead of once per occurrence: text is most of a map's drawing time.
    """

    zorder = 3  # as Text

    def __init__(self, lines: list[tuple[float, float, str, FontProperties, tuple[float, ...]]],
                 transform: Any) -> None:
        super().__init__()
        #: (x, baseline y) in data units, text, font, RGBA colour.
        self.lines = lines
        self.set_transform(transform)

    def draw(self, renderer: Any) -> None:
        trans = self.get_transform()
        height = renderer.get_canvas_width_height()[1]
        gc = renderer.new_gc()
        gc.set_antialiased(mpl_rc["text.antialiased"])
        glyphs = _GlyphCache(renderer)
        for x, y, text, font, colour in self.lines:
            gc.set_foreground(colour, isRGBA=True)
            px, py = trans.transform((x, y))
            if not glyphs.draw(gc, px, height - py, text, font):
                renderer.draw_text(gc, px, height - py, text, font, 0, ismath=False, mtext=None)
        gc.restore()
        self.stale = False


class _GlyphCache:
    """Draws text lines through the Agg renderer's own glyph steps (matplotlib >= 3.11:
    ``FT2Font._layout`` then one ``_render_glyph`` per glyph), remembering each word's layout
    and each glyph's bitmap at its sub-pixel position (:func:`_shaped`, :func:`_glyph`), so a
    repeat costs a copy. The result is the renderer's own, bit for bit; with another
    matplotlib, :meth:`draw` says no and the caller uses ``renderer.draw_text``."""

    def __init__(self, renderer: Any) -> None:
        self.renderer = renderer
        self.flags = get_hinting_flag()
        agg = getattr(renderer, "_renderer", None)
        self.blit = getattr(agg, "draw_text_image", None)

    def draw(self, gc: Any, x: float, y: float, text: str, prop: FontProperties) -> bool:
        renderer = self.renderer
        if _RENDER_NORMAL is None or self.blit is None or not gc.get_antialiased():
            return False
        if not hasattr(renderer, "_prepare_font"):
            return False
        font = renderer._prepare_font(prop)  # sets the size _shaped lays out at
        if not hasattr(font, "_layout") or not hasattr(font, "_render_glyph"):
            return False
        size, dpi, top = prop.get_size_in_points(), renderer.dpi, renderer.height
        try:
            # Every glyph is prepared before any is drawn: should these private steps of
            # matplotlib change shape, nothing is half drawn and the caller draws the line.
            bitmaps = []
            for face, glyph, gx, gy in _line_glyphs(font, size, dpi, self.flags, text):
                # FreeType positions in 26.6 fixed point; a glyph's bitmap depends only on
                # the fraction, the whole pixels shift it.
                ox = round(0x40 * (x + gx))
                oy = round(0x40 * (top - y + gy))
                bitmap = _glyph(face, size, dpi, self.flags, glyph, ox & 63, oy & 63)
                bitmaps.append((bitmap, ox >> 6, oy >> 6))
        except (AttributeError, TypeError, ValueError):
            return False
        for (buffer, left, glyph_top), px, py in bitmaps:
            self.blit(buffer, left + px, int(top) - (glyph_top + py) + buffer.shape[0], 0, gc)
        return True


_Glyphs = tuple[tuple[Any, int, float, float], ...]


def _line_glyphs(font: Any, size: float, dpi: float, flags: Any, text: str) -> _Glyphs:
    """Glyphs of one line with their offsets from its start: (face, glyph, x, y)."""
    if not all(ord(c) < 0x0590 or 0x2000 <= ord(c) < 0x2070 for c in text):
        # Scripts that shape or reorder across words (Hebrew, Arabic, CJK...): whole line.
        return _shaped(font, size, dpi, flags, text)
    # Latin, Greek, Cyrillic: a line is its words one after the other, each followed by a
    # space whose advance is the font's (the same offsets as laying out the whole line; a
    # test checks it), so the words of names and titles repeated across pages are laid out once.
    out: list[tuple[Any, int, float, float]] = []
    x = 0.0
    words = text.split(" ")
    space = _shaped(font, size, dpi, flags, "  ")[1][2]
    for n, word in enumerate(words):
        chunk = word if n == len(words) - 1 else word + " "
        items = _shaped(font, size, dpi, flags, chunk) if chunk else ()
        out.extend((face, glyph, x + gx, gy) for face, glyph, gx, gy in items)
        if chunk != word:
            x += items[-1][2] + space
    return tuple(out)


# Memos of pure steps, keyed by the FreeType face object itself (matplotlib keeps one per
# thread), bounded: the layout of a text and the bitmap of a glyph never change for a face.
@functools.lru_cache(maxsize=16384)
def _shaped(font: Any, size: float, dpi: float, flags: Any, text: str) -> _Glyphs:
    """``FT2Font._layout`` of ``text`` (the caller has set the font's size to ``size``)."""
    return tuple(
        (item.ft_object, item.glyph_index, item.x, item.y)
        for item in font._layout(text, flags=flags, features=None, language=None)
    )


@functools.lru_cache(maxsize=32768)
def _glyph(face: Any, size: float, dpi: float, flags: Any, glyph: int, fx: int,
           fy: int) -> tuple[Any, int, int]:
    """The bitmap of ``glyph`` drawn at the sub-pixel offset (fx, fy)/64, as the Agg
    renderer draws it: (alpha buffer, left, top) in whole pixels."""
    face.set_size(size, dpi)
    face._set_transform([[0x10000, 0], [0, 0x10000]], [fx, fy])
    bitmap = face._render_glyph(glyph, flags, _RENDER_NORMAL)
    return bitmap.buffer, bitmap.left, bitmap.top
