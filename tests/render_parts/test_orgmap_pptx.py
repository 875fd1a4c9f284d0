"""Relationship map in PPTX: every line is a connector glued to its two boxes, drawn where the
glue says it starts and ends, between the boxes and never through one.

The drawn path of a connector is worked out here from the DrawingML spec (ECMA-376 preset
``bentConnectorN`` paths, flips and rotation about the frame's centre), independently of how
the renderer encodes it; connection sites of a ``roundRect`` are the spec's ``cxnLst``.
"""

from __future__ import annotations

import itertools
import math
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from kamdocs.render.geometry import EMU_PER_INCH, SLIDE_HEIGHT, SLIDE_WIDTH, Box, inches
from kamdocs.render.orgmap import AccessEdge, OrgNode, OrgPage, layout_org, render_pptx_org

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
BODY = Box(inches(0.5), inches(1.3), inches(12.33), inches(5.5))
TOP, LEFT, BOTTOM, RIGHT = 0, 1, 2, 3

Point = tuple[float, float]


@dataclass
class Connector:
    name: str
    begin: tuple[int, int]  # (shape id, connection site)
    end: tuple[int, int]
    path: list[Point]
    preset: str
    dotted: bool
    arrow: bool


def _frame(xfrm) -> Box:
    off, ext = xfrm.find(f"{A}off"), xfrm.find(f"{A}ext")
    return Box(int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))


def _boxes_by_id(group) -> dict[int, tuple[str, Box]]:
    """Every person box under the map group: shape id -> (name on its first line, frame).
    Groups must map their children 1:1 (child frame = frame) for these to be slide places."""
    found = {}
    for element in group.iter(f"{P}grpSp"):
        xfrm = element.find(f"{P}grpSpPr/{A}xfrm")
        ch_off, ch_ext = xfrm.find(f"{A}chOff"), xfrm.find(f"{A}chExt")
        frame = _frame(xfrm)
        assert (int(ch_off.get("x")), int(ch_off.get("y"))) == (frame.left, frame.top)
        assert (int(ch_ext.get("cx")), int(ch_ext.get("cy"))) == (frame.width, frame.height)
    for sp in group.iter(f"{P}sp"):
        geometry = sp.find(f"{P}spPr/{A}prstGeom")
        if geometry is None or geometry.get("prst") != "roundRect":
            continue
        c_nv_pr = sp.find(f"{P}nvSpPr/{P}cNvPr")
        first_line = "".join(t.text or "" for t in sp.find(f"{P}txBody/{A}p").iter(f"{A}t"))
        found[int(c_nv_pr.get("id"))] = (first_line, _frame(sp.find(f"{P}spPr/{A}xfrm")))
    return found


def _site(box: Box, site: int) -> Point:
    """roundRect's connection sites: top, left, bottom, right middles (ECMA-376 cxnLst)."""
    return {
        TOP: (box.left + box.width / 2, box.top),
        LEFT: (box.left, box.top + box.height / 2),
        BOTTOM: (box.left + box.width / 2, box.bottom),
        RIGHT: (box.right, box.top + box.height / 2),
    }[site]


def _preset_path(preset: str, w: float, h: float, adj: list[float]) -> list[Point]:
    """The path of an elbow connector preset in its own frame (presetShapeDefinitions.xml)."""
    if preset == "bentConnector2":
        return [(0, 0), (w, 0), (w, h)]
    if preset == "bentConnector3":
        x1 = w * adj[0]
        return [(0, 0), (x1, 0), (x1, h), (w, h)]
    if preset == "bentConnector4":
        x1, y2 = w * adj[0], h * adj[1]
        return [(0, 0), (x1, 0), (x1, y2), (w, y2), (w, h)]
    if preset == "bentConnector5":
        x1, y2, x3 = w * adj[0], h * adj[1], w * adj[2]
        return [(0, 0), (x1, 0), (x1, y2), (x3, y2), (x3, h), (w, h)]
    if preset == "straightConnector1":
        return [(0, 0), (w, h)]
    raise AssertionError(f"not a connector preset: {preset}")


def _connectors(group) -> list[Connector]:
    found = []
    for cxn in group.iter(f"{P}cxnSp"):
        name = cxn.find(f"{P}nvCxnSpPr/{P}cNvPr").get("name")
        locks = cxn.find(f"{P}nvCxnSpPr/{P}cNvCxnSpPr")
        start, end = locks.find(f"{A}stCxn"), locks.find(f"{A}endCxn")
        if name.startswith("Key line"):
            assert start is None and end is None  # the key's samples float free
            continue
        assert start is not None and end is not None, f"{name} is not glued"
        xfrm = cxn.find(f"{P}spPr/{A}xfrm")
        frame = _frame(xfrm)
        geometry = cxn.find(f"{P}spPr/{A}prstGeom")
        guides = {g.get("name"): int(g.get("fmla").split()[1]) / 100_000
                  for g in geometry.iter(f"{A}gd")}
        adj = [guides.get(f"adj{i}", 0.5) for i in (1, 2, 3)]
        local = _preset_path(geometry.get("prst"), frame.width, frame.height, adj)
        cx, cy = frame.width / 2, frame.height / 2
        angle = math.radians(int(xfrm.get("rot", "0")) / 60_000)
        path = []
        for x, y in local:
            if xfrm.get("flipH") in ("1", "true"):
                x = frame.width - x
            if xfrm.get("flipV") in ("1", "true"):
                y = frame.height - y
            # Rotation is clockwise on the page (y grows downwards), about the frame's centre.
            dx, dy = x - cx, y - cy
            x = cx + dx * math.cos(angle) - dy * math.sin(angle)
            y = cy + dx * math.sin(angle) + dy * math.cos(angle)
            path.append((frame.left + x, frame.top + y))
        line = cxn.find(f"{P}spPr/{A}ln")
        found.append(Connector(
            name, (int(start.get("id")), int(start.get("idx"))),
            (int(end.get("id")), int(end.get("idx"))), path, geometry.get("prst"),
            line.find(f"{A}prstDash") is not None, line.find(f"{A}tailEnd") is not None,
        ))
    return found


def _legs(path: list[Point]) -> list[tuple[Point, Point]]:
    return [(a, b) for a, b in itertools.pairwise(path) if a != b]


def _through(a: Point, b: Point, box: Box) -> bool:
    """Does the leg a-b pass through the inside of the box (touching an edge is not)?"""
    slack = 2  # EMU of rounding in the adjust values
    return (min(a[0], b[0]) < box.right - slack and max(a[0], b[0]) > box.left + slack
            and min(a[1], b[1]) < box.bottom - slack and max(a[1], b[1]) > box.top + slack)


def _near(p: Point, q: Point) -> bool:
    return abs(p[0] - q[0]) <= 2 and abs(p[1] - q[1]) <= 2


def _map_group(new_slide, reopen_pptx, page: OrgPage):
    prs, slide = new_slide()
    render_pptx_org(slide, page)
    group, = reopen_pptx(prs).slides[0].shapes
    return group._element


def _check_drawn_where_glued(connector: Connector, boxes: dict[int, tuple[str, Box]]) -> None:
    """The path starts and ends on the glued sites, bends only at right angles, and never goes
    through a box."""
    (begin_id, begin_site), (end_id, end_site) = connector.begin, connector.end
    assert begin_id in boxes and end_id in boxes, "glued to something that is not a person"
    assert _near(connector.path[0], _site(boxes[begin_id][1], begin_site)), connector
    assert _near(connector.path[-1], _site(boxes[end_id][1], end_site)), connector
    for a, b in _legs(connector.path):
        assert abs(a[0] - b[0]) < 1 or abs(a[1] - b[1]) < 1, f"diagonal leg in {connector}"
        for name, box in boxes.values():
            assert not _through(a, b, box), f"{connector.name} goes through {name}"


def test_each_reports_to_line_is_an_elbow_glued_from_the_managers_bottom_to_the_report(
    new_slide, reopen_pptx
) -> None:
    # M leads A and B; A has one report; B has two reports without teams, stacked in a column
    # (so joined at their left side); X has no manager and no line.
    nodes = [OrgNode("m", None, "M"), OrgNode("a", "m", "A"), OrgNode("b", "m", "B"),
             OrgNode("a1", "a", "A1"), OrgNode("b1", "b", "B1"), OrgNode("b2", "b", "B2"),
             OrgNode("x", None, "X")]
    page, = layout_org(nodes, BODY)
    group = _map_group(new_slide, reopen_pptx, page)
    boxes = _boxes_by_id(group)
    connectors = _connectors(group)
    glued = {(boxes[c.begin[0]][0], c.begin[1], boxes[c.end[0]][0], c.end[1])
             for c in connectors}
    assert glued == {("M", BOTTOM, "A", TOP), ("M", BOTTOM, "B", TOP), ("A", BOTTOM, "A1", TOP),
                     ("B", BOTTOM, "B1", LEFT), ("B", BOTTOM, "B2", LEFT)}
    assert len(connectors) == 5
    for connector in connectors:
        assert connector.name.startswith("Reports to")
        assert connector.preset.startswith("bentConnector")  # an elbow, rerouted by PowerPoint
        assert not connector.dotted and not connector.arrow
        _check_drawn_where_glued(connector, boxes)


def test_lines_to_reports_side_by_side_share_one_bus_half_way_down(
    new_slide, reopen_pptx
) -> None:
    nodes = [OrgNode("m", None, "M"), OrgNode("a", "m", "A"), OrgNode("b", "m", "B"),
             OrgNode("a1", "a", "A1"), OrgNode("b1", "b", "B1")]
    page, = layout_org(nodes, BODY)
    group = _map_group(new_slide, reopen_pptx, page)
    boxes = _boxes_by_id(group)
    manager = next(box for name, box in boxes.values() if name == "M")
    reports = [c for c in _connectors(group) if boxes[c.begin[0]][0] == "M"]
    assert len(reports) == 2
    gap = min(boxes[c.end[0]][1].top for c in reports) - manager.bottom
    for connector in reports:
        across = [a for a, b in _legs(connector.path) if abs(a[1] - b[1]) < 1]
        assert len(across) == 1 and abs(across[0][1] - (manager.bottom + gap / 2)) <= 2


def test_an_access_path_is_a_dotted_glued_connector_that_goes_around_a_box_in_its_way(
    new_slide, reopen_pptx
) -> None:
    # Three people without managers sit in one row: a straight line from the first to the
    # third would go through the second.
    nodes = [OrgNode(f"x{i}", None, f"X{i}") for i in range(3)]
    page, = layout_org(nodes, BODY, access=(AccessEdge("x0", "x2"),))
    group = _map_group(new_slide, reopen_pptx, page)
    boxes = _boxes_by_id(group)
    row = sorted((box.left, name) for name, box in boxes.values())
    assert [name for _, name in row] == ["X0", "X1", "X2"]
    assert len({box.top for _, box in boxes.values()}) == 1
    path, = _connectors(group)
    assert path.name.startswith("Access path") and path.dotted and path.arrow
    assert (boxes[path.begin[0]][0], boxes[path.end[0]][0]) == ("X0", "X2")
    _check_drawn_where_glued(path, boxes)
    # It stays on the slide body (the row is at the body's top, so it goes round below).
    assert all(BODY.left <= x <= BODY.right and BODY.top <= y <= BODY.bottom
               for x, y in path.path)


def _org(count: int) -> list[OrgNode]:
    """A CEO, 6 VPs, 3 directors each, 3 managers each (cut to count), then loose contacts."""
    nodes = [OrgNode("n0", None, "Maria Rodriguez", "Chief Executive Officer", "Champion",
                     "009E73")]
    parents, n = ["n0"], 1
    for fan in (6, 3, 3):
        level = []
        for parent in parents:
            for _ in range(fan):
                if n < count - 4:
                    badge = ("Detractor", "D55E00") if n % 5 == 0 else ("", None)
                    nodes.append(OrgNode(f"n{n}", parent, f"Person {n}", "Director", *badge))
                    level.append(f"n{n}")
                    n += 1
        parents = level
    nodes += [OrgNode(f"n{i}", None, f"Person {i}", "Consultant") for i in range(n, count)]
    return nodes


def test_an_80_person_map_has_every_reporting_line_glued_and_no_line_through_a_box(
    new_slide, add_slide, reopen_pptx
) -> None:
    nodes = _org(80)
    name_of = {n.id: n.name for n in nodes}
    parent = {n.name: name_of.get(n.parent_id or "") for n in nodes}
    access = tuple(AccessEdge(a, b) for a, b in (
        ("n1", "n2"), ("n1", "n6"), ("n3", "n0"), ("n7", "n12"), ("n8", "n20"), ("n30", "n31")))
    pages = layout_org(nodes, BODY, access=access)
    prs, slide = new_slide()
    for number, page in enumerate(pages):
        render_pptx_org(slide if number == 0 else add_slide(prs), page)
    reopened = reopen_pptx(prs)
    slide_box = Box(0, 0, SLIDE_WIDTH, SLIDE_HEIGHT)
    access_drawn = 0
    for page, drawn in zip(pages, reopened.slides):
        group, = drawn.shapes
        boxes = _boxes_by_id(group._element)
        assert len(boxes) == len(page.boxes)
        incoming: dict[int, list[str]] = {}
        for connector in _connectors(group._element):
            _check_drawn_where_glued(connector, boxes)
            xs, ys = [x for x, _ in connector.path], [y for _, y in connector.path]
            assert slide_box.contains(Box(round(min(xs)), round(min(ys)),
                                          round(max(xs) - min(xs)), round(max(ys) - min(ys))))
            if connector.dotted:
                access_drawn += 1
                continue
            incoming.setdefault(connector.end[0], []).append(boxes[connector.begin[0]][0])
        names_here = {name for name, _ in boxes.values()}
        for shape_id, (name, box) in boxes.items():
            placed = next(b for b in page.boxes if b.box == box)
            # The head of a team continued from elsewhere ("↑ p. 1", "(cont.)") has no line in.
            continues = any(text.startswith("\u2191") or text == "(cont.)"
                            for text, _ in placed.lines)
            if parent[name] in names_here and not continues:
                assert incoming.get(shape_id) == [parent[name]], name
            else:
                assert shape_id not in incoming, name
    on_one_page = sum(
        1 for e in access if any({e.source_id, e.target_id} <= {b.node_id for b in p.boxes}
                                 for p in pages)
    )
    assert access_drawn == on_one_page > 0


def test_a_badge_stripe_is_grouped_with_its_box_so_they_move_together(
    new_slide, reopen_pptx
) -> None:
    nodes = [OrgNode("m", None, "M", "CEO", "Champion", "009E73"), OrgNode("a", "m", "A")]
    page, = layout_org(nodes, BODY)
    group = _map_group(new_slide, reopen_pptx, page)
    person, = [g for g in group.iter(f"{P}grpSp") if g is not group]
    box, stripe = person.findall(f"{P}sp")
    assert box.find(f"{P}txBody") is not None
    assert stripe.find(f"{P}spPr/{A}solidFill/{A}srgbClr").get("val") == "009E73"
    assert _frame(person.find(f"{P}grpSpPr/{A}xfrm")) == _frame(box.find(f"{P}spPr/{A}xfrm"))
    box_id = int(box.find(f"{P}nvSpPr/{P}cNvPr").get("id"))
    line, = _connectors(group)
    assert line.begin == (box_id, BOTTOM)  # glued to the box, not the group or the stripe


def test_the_same_page_gives_the_same_xml_every_time(new_slide) -> None:
    page = layout_org(_org(40), BODY, access=(AccessEdge("n1", "n9"),))[0]
    first, second = new_slide()[1], new_slide()[1]
    render_pptx_org(first, page)
    render_pptx_org(second, page)
    assert first.shapes._spTree.xml == second.shapes._spTree.xml


@settings(max_examples=25, deadline=None)
@given(
    parents=st.lists(st.integers(min_value=-1, max_value=30), min_size=1, max_size=30),
    pairs=st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29)), max_size=6),
)
def test_any_forest_draws_every_line_from_glued_site_to_glued_site_inside_the_body(
    parents: list[int], pairs: list[tuple[int, int]],
) -> None:
    from pptx import Presentation

    nodes = [OrgNode(f"p{i}", None if p < 0 else f"p{p}", f"P{i}", "Title")
             for i, p in enumerate(parents)]
    access = [AccessEdge(f"p{a}", f"p{b}") for a, b in pairs if max(a, b) < len(nodes)]
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    blank = next(layout for layout in prs.slide_layouts if layout.name == "Blank")
    for page in layout_org(nodes, BODY, access=access):
        group = render_pptx_org(prs.slides.add_slide(blank), page)._element
        boxes = _boxes_by_id(group)
        connectors = _connectors(group)
        assert len(connectors) == len(page.links)
        for connector in connectors:
            (begin_id, begin_site), (end_id, end_site) = connector.begin, connector.end
            assert _near(connector.path[0], _site(boxes[begin_id][1], begin_site))
            assert _near(connector.path[-1], _site(boxes[end_id][1], end_site))
            for x, y in connector.path:
                assert BODY.left <= x <= BODY.right and BODY.top <= y <= BODY.bottom
            if not connector.dotted:  # reporting lines never go through a box
                for a, b in _legs(connector.path):
                    assert not any(_through(a, b, box) for _, box in boxes.values())


def test_libreoffice_draws_the_glued_line_between_manager_and_report(
    tmp_path: Path, new_slide, to_pdf
) -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("poppler (pdftoppm) is not installed")
    nodes = [OrgNode("m", None, "Manager"), OrgNode("a", "m", "Report")]
    page, = layout_org(nodes, BODY)
    prs, slide = new_slide()
    render_pptx_org(slide, page)
    path = tmp_path / "map.pptx"
    prs.save(path)
    dpi = 50
    subprocess.run([pdftoppm, "-png", "-r", str(dpi), "-singlefile", str(to_pdf(path)),
                    str(tmp_path / "map")], check=True, capture_output=True, timeout=60)
    image = Image.open(tmp_path / "map.png").convert("L")
    manager, report = (b.box for b in page.boxes)

    def pixel(x: float, y: float) -> tuple[int, int]:
        return round(x / EMU_PER_INCH * dpi), round(y / EMU_PER_INCH * dpi)

    x, y = pixel(manager.left + manager.width / 2, (manager.bottom + report.top) / 2)
    darkest = min(image.getpixel((x + dx, y)) for dx in range(-2, 3))
    assert darkest < 200, "no line drawn in the gap under the manager"
    x, y = pixel(manager.left - inches(0.3), (manager.bottom + report.top) / 2)
    assert image.getpixel((x, y)) > 240  # and the page is white beside it
