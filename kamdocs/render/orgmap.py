"""Relationship / org maps: a tidy tree layout of the reports-to forest, paged to fit a box.

Layout (deterministic, in EMU): a person whose reports are all leaves gets them stacked in
columns under them (the usual org-chart compaction, so 80 contacts fit on a few slides);
otherwise the reports' subtrees sit side by side and the manager is centred over them, joined by
orthogonal "bus" lines. A tree too big for the box is cut at the deepest level that fits: cut
people carry "→ p. N" and their team continues on page N under "↑ p. M". Contacts without a
known manager are gathered into a grid. Separate trees share pages (shelf packing). Text stays
at 10 pt or more: a map splits rather than shrinks, and a name or title too long for its box is
shortened with "…" and given in full in ``page.notes`` for the speaker notes.

Drawn as native PowerPoint shapes (rounded boxes, straight connectors, dotted access paths with
an arrowhead, a key) or, for Word, as a PNG from the same geometry through matplotlib's
``Figure`` (no pyplot, no mathtext, fixed DPI, no metadata).
"""

from __future__ import annotations

import io
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle
from pptx.oxml import parse_xml

from kamdocs.render.geometry import EMU_PER_INCH, EMU_PER_PT, Box, inches
from kamdocs.render.palette import GREY, ORANGE, WHITE, Palette
from kamdocs.render.text import (
    DEFAULT_FONT,
    Font,
    line_pitch_pt,
    measure,
    resolve_font,
    wrap,
    xml_safe,
)

ELLIPSIS = "\u2026"
_MARKER_KEY = "\u2192 p. N: team continues on page N;  \u2191 p. N: manager is on page N"
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

    def shifted(self, dx: int, dy: int) -> _Block:
        return _Block(
            self.width, self.height, self.root_center + dx,
            [(i, x + dx, y + dy, w) for i, x, y, w in self.boxes],
            [(a + dx, b + dy, c + dx, d + dy) for a, b, c, d in self.lines],
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
        return _Block(width, height, bw // 2, boxes, lines)
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
    for block in blocks:
        boxes.extend(block.boxes)
        lines.extend(block.lines)
    # Child blocks were shifted down by ``top``, but their heights are their own.
    height = top + max(b.height for b in blocks)
    return _Block(max(total, bw), height, center, boxes, lines)


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
    parts = [(text, role) for text, role in parts if text]
    size = style.max_pt
    while size >= style.min_pt - 1e-9:
        lines = []
        for text, role in parts:
            font = bold if role == "name" else style.font
            lines += [(line, role) for line in wrap(xml_safe(text), font, size, inner_w)]
        if len(lines) * line_pitch_pt(style.font, size) * EMU_PER_PT <= inner_h:
            return size, tuple(lines), False
        size -= 0.5
    # Shorten at the minimum size: the marker and badge keep one line each, the name up to
    # two, the title what is left; every shortened text is reported in the page notes.
    size = style.min_pt
    capacity = int(inner_h // (line_pitch_pt(style.font, size) * EMU_PER_PT))
    budget = {"marker": 1, "badge": 1}
    reserved = sum(budget[r] for _, r in parts if r in budget)
    has_title = any(r == "title" for _, r in parts)
    budget["name"] = max(1, min(2, capacity - reserved - (1 if has_title else 0)))
    budget["title"] = max(0, capacity - reserved - budget["name"])
    lines = []
    for text, role in parts:
        font = bold if role == "name" else style.font
        wrapped = wrap(xml_safe(text), font, size, inner_w)
        keep = wrapped[: budget[role]]
        if len(wrapped) > len(keep) and keep:
            keep[-1] = _with_ellipsis(keep[-1], font, size, inner_w)
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
        items.append(("text", None, _MARKER_KEY))
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

    # Shelf packing: units left to right, shelves top to bottom, pages in order.
    placed: list[list[tuple[_Unit, int, int]]] = [[]]
    x = y = shelf = 0
    gap = 2 * style.gap_x
    for unit in units:
        w, h = unit.block.width, unit.block.height
        if x and x + w > width:
            x, y, shelf = 0, y + shelf + style.gap_y, 0
        if placed[-1] and y + h > height:
            placed.append([])
            x = y = shelf = 0
        placed[-1].append((unit, x, y))
        x += w + gap
        shelf = max(shelf, h)

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
        boxes, segments, notes, seen = [], [], [], {}
        for unit, ux, uy in page:
            ox, oy = box.left + offset + ux, box.top + uy
            for node_id, bx, by, bw in unit.block.boxes:
                node = by_id[node_id]
                marker = ""
                if node_id in unit.cut and node_id in page_of_root:
                    target = page_of_root[node_id]
                    marker = "\u2192 " + _where(target, number)
                    notes.append(f"{node.name}: team continues on page {target}.")
                elif node_id == unit.root and unit.repeats_root:
                    marker = "(cont.)"
                elif node_id == unit.root and unit.is_continuation and node_id in parent_of:
                    manager = parent_of[node_id]
                    target = page_of_node.get(manager, number)
                    marker = "\u2191 " + _where(target, number)
                    notes.append(f"{node.name} reports to {by_id[manager].name} (page {target}).")
                size, lines, shortened = _box_text(node, bw, style, marker)
                if shortened:
                    full = " \u2014 ".join(t for t in (node.name, node.title, node.badge) if t)
                    notes.append(f"In full: {full}")
                placed_box = PlacedBox(
                    node_id, Box(ox + bx, oy + by, bw, style.box_height), size, lines,
                    node.badge_colour,
                )
                boxes.append(placed_box)
                seen.setdefault(node_id, placed_box)
            segments.extend(
                Segment(ox + a, oy + b, ox + c, oy + d) for a, b, c, d in unit.block.lines
            )
        for edge in access:
            if edge.source_id not in by_id or edge.target_id not in by_id:
                continue
            source, target = seen.get(edge.source_id), seen.get(edge.target_id)
            if source and target:
                segments.append(_access_segment(source.box, target.box))
            elif source or target:
                notes.append(
                    f"Access path: {by_id[edge.source_id].name} \u2192 "
                    f"{by_id[edge.target_id].name} (pages {page_of_node.get(edge.source_id)} "
                    f"and {page_of_node.get(edge.target_id)})."
                )
        has_marker = any(line[1] == "marker" for b in boxes for line in b.lines)
        page_key = _key(style, any(s.kind == "access" for s in segments), has_marker, legend)
        key_box = Box(box.left, box.bottom - key_h, box.width, key_h)
        names = ", ".join(by_id[u.root].name for u, _, _ in page[:3])
        alt = (
            f"Relationship map, page {number} of {total}: {len(boxes)} people"
            + (f"; trees headed by {names}" if names else "")
            + (f"; {sum(1 for s in segments if s.kind == 'access')} access paths" if access else "")
            + "."
        )
        pages.append(
            OrgPage(
                number, total, tuple(boxes), tuple(segments), tuple(page_key), key_box, box,
                tuple(dict.fromkeys(notes)), alt,
            )
        )
    return tuple(pages)


def _where(page: int, current: int) -> str:
    return "this page" if page == current else f"p. {page}"


def _access_segment(source: Box, target: Box) -> Segment:
    """A straight dotted line between facing edges of two boxes, arrow at the target."""
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


def _line_xml(shape_id: int, segment: Segment, style: OrgStyle) -> str:
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
        name = "Access path"
    else:
        line = f'<a:ln w="12700">{_solid(GREY)}</a:ln>'
        name = "Reports to"
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


def render_pptx_org(slide: Any, page: OrgPage, style: OrgStyle | None = None) -> Any:
    """Add the page to a python-pptx slide as one group of native shapes; returns the group.

    The group's description is ``page.alt_text``. Inside: lines first (under the boxes), then
    boxes with their badge stripes, then the key. Shapes are written as XML in one go:
    python-pptx's per-shape API would cost ~40 ms for 80 people.
    """
    style = style or OrgStyle()
    tree = slide.shapes._spTree
    ids = [int(v) for v in tree.xpath("//@id") if str(v).isdigit()]
    next_id = max(ids, default=1) + 1
    parts = []
    for segment in page.segments:
        parts.append(_line_xml(next_id, segment, style))
        next_id += 1
    for placed in page.boxes:
        descr = " \u2014 ".join(text for text, _ in placed.lines)
        parts.append(_box_xml(next_id, placed, style, descr))
        next_id += 1
        if placed.badge_colour:
            parts.append(_stripe_xml(next_id, placed, style))
            next_id += 1
    for kind, colour, label, sample, label_box in key_layout(page, style):
        mid = sample.top + sample.height // 2
        if kind in ("line", "dotted"):
            segment = Segment(
                sample.left, mid, sample.right, mid, "access" if kind == "dotted" else "reports"
            )
            parts.append(_line_xml(next_id, segment, style))
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
        if segment.kind == "access":
            axes.add_patch(FancyArrowPatch(
                (segment.x1, segment.y1), (segment.x2, segment.y2), arrowstyle="-|>",
                mutation_scale=10, linestyle=(0, (1, 1.5)), linewidth=1.25,
                color=hex_(ORANGE), shrinkA=0, shrinkB=0,
            ))
        else:
            axes.add_line(Line2D(
                (segment.x1, segment.x2), (segment.y1, segment.y2), linewidth=1.0,
                color=hex_(GREY), solid_capstyle="butt",
            ))
    radius = min(style.box_height, style.box_width) * 0.08
    for placed in page.boxes:
        box = placed.box
        axes.add_patch(FancyBboxPatch(
            (box.left, box.top), box.width, box.height,
            boxstyle=f"round,pad=0,rounding_size={radius}", linewidth=0.75,
            edgecolor=hex_(style.palette.rule), facecolor="white",
        ))
        if placed.badge_colour:
            inset = style.inset // 2
            axes.add_patch(Rectangle(
                (box.left + inset, box.top + inset), style.stripe, box.height - 2 * inset,
                linewidth=0, facecolor=hex_(placed.badge_colour),
            ))
        pitch = line_pitch_pt(style.font, placed.size_pt) * EMU_PER_PT
        x = box.left + style.stripe + style.inset
        for i, (text, role) in enumerate(placed.lines):
            baseline = box.top + style.inset + i * pitch + placed.size_pt * EMU_PER_PT * 0.95
            axes.text(
                x, baseline, text, fontsize=placed.size_pt, family=families,
                fontweight="bold" if role == "name" else "normal", color=hex_(colours[role]),
                va="baseline", ha="left", parse_math=False,
            )
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
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
