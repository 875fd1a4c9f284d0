"""Relationship maps: tidy layout, paging by subtree, legible text, PPTX shapes, PNG."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pptx.enum.shapes import MSO_SHAPE_TYPE

from kamdocs.render.geometry import (
    EMU_PER_INCH,
    EMU_PER_PT,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    Box,
    inches,
)
from kamdocs.render.orgmap import (
    AccessEdge,
    OrgNode,
    OrgStyle,
    layout_org,
    render_png_org,
    render_pptx_org,
)
from kamdocs.render.text import line_pitch_pt, measure

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
BODY = Box(inches(0.5), inches(1.3), inches(12.33), inches(5.5))
STYLE = OrgStyle()
NAMES = (
    "Anna Smith", "山田 太郎", "محمد العلي", "דוד כהן", "Łukasz Kowalski-Nowak", "Zoë $5 O'Neil",
)
TITLES = ("Chief Executive Officer", "VP Engineering", "Head of IT",
          "Director of Procurement and Vendor Management", "Analyst")


def _org(count: int = 80) -> list[OrgNode]:
    """A deterministic customer org: a CEO, 6 VPs, directors, managers, then loose contacts."""
    nodes = [OrgNode("n0", None, "Maria Rodriguez", "Chief Executive Officer",
                     "Champion \u00b7 influence 5", "009E73")]
    parents, n = ["n0"], 1
    for depth, fan in enumerate((6, 3, 3)):
        level = []
        for parent in parents:
            for _ in range(fan):
                if n >= count - 4:
                    break
                badge = ("Detractor \u00b7 influence 2", "D55E00") if n % 5 == 0 else ("", None)
                nodes.append(OrgNode(f"n{n}", parent, f"{NAMES[n % len(NAMES)]} {n}",
                                     TITLES[(n + depth) % len(TITLES)], *badge))
                level.append(f"n{n}")
                n += 1
        parents = level
    while n < count:
        nodes.append(OrgNode(f"n{n}", None, f"Loose contact {n}", "Consultant"))
        n += 1
    return nodes


def _overlap(a: Box, b: Box) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def test_80_people_all_appear_on_pages_whose_boxes_never_overlap() -> None:
    nodes = _org(80)
    pages = layout_org(nodes, BODY, style=STYLE)
    assert len(pages) > 1 and all(p.total == len(pages) for p in pages)
    assert {b.node_id for p in pages for b in p.boxes} == {n.id for n in nodes}
    for page in pages:
        area = Box(BODY.left, BODY.top, BODY.width, BODY.height - page.key_box.height)
        for i, first in enumerate(page.boxes):
            assert area.contains(first.box), first.node_id
            for second in page.boxes[i + 1 :]:
                assert not _overlap(first.box, second.box), (first.node_id, second.node_id)
        for s in page.segments:
            assert BODY.left <= min(s.x1, s.x2) and max(s.x1, s.x2) <= BODY.right
            assert BODY.top <= min(s.y1, s.y2) and max(s.y1, s.y2) <= area.bottom


def test_text_in_every_box_fits_at_ten_points_or_more() -> None:
    for page in layout_org(_org(80), BODY, style=STYLE):
        for placed in page.boxes:
            assert placed.size_pt >= 10
            inner_w = placed.box.width - STYLE.stripe - 2 * STYLE.inset
            inner_h = placed.box.height - 2 * STYLE.inset
            pitch = line_pitch_pt(STYLE.font, placed.size_pt) * EMU_PER_PT
            assert len(placed.lines) * pitch <= inner_h
            for text, role in placed.lines:
                font = STYLE.font.with_bold() if role == "name" else STYLE.font
                assert measure(text, font, placed.size_pt) <= inner_w, text


def test_a_cut_team_points_to_the_page_where_it_continues_under_its_manager() -> None:
    pages = layout_org(_org(80), BODY, style=STYLE)
    markers = 0
    for page in pages:
        for placed in page.boxes:
            for text, role in placed.lines:
                found = re.fullmatch(r"\u2192 (?:p\. (\d+)|this page)", text)
                if role == "marker" and found:
                    markers += 1
                    target = pages[int(found.group(1) or page.number) - 1]
                    again = [b for b in target.boxes if b.node_id == placed.node_id]
                    assert any(t.startswith("\u2191 ") for b in again for t, _ in b.lines)
    assert markers > 0


def test_reports_that_are_all_leaves_are_stacked_under_their_manager() -> None:
    nodes = [OrgNode("m", None, "Manager"), OrgNode("a", "m", "A"), OrgNode("b", "m", "B")]
    page = layout_org(nodes, BODY, style=STYLE)[0]
    boxes = {b.node_id: b.box for b in page.boxes}
    pitch = STYLE.box_height + STYLE.stack_gap
    assert boxes["a"].left == boxes["m"].left + STYLE.stack_indent
    assert boxes["a"].top == boxes["m"].top + STYLE.box_height + STYLE.gap_y
    assert boxes["b"].top == boxes["a"].top + pitch
    assert len(page.segments) == 3  # the spine and one stub per report


def test_a_manager_is_centred_over_the_teams_below() -> None:
    nodes = [OrgNode("m", None, "M"), OrgNode("a", "m", "A"), OrgNode("a1", "a", "A1"),
             OrgNode("b", "m", "B"), OrgNode("b1", "b", "B1")]
    boxes = {b.node_id: b.box for b in layout_org(nodes, BODY, style=STYLE)[0].boxes}

    def centre(box: Box) -> int:
        return box.left + box.width // 2

    assert abs(centre(boxes["m"]) - (centre(boxes["a"]) + centre(boxes["b"])) // 2) <= 1
    assert boxes["b"].left - boxes["a"].right == STYLE.gap_x


def test_cycles_unknown_managers_and_self_reports_still_draw_everyone() -> None:
    nodes = [OrgNode("a", "b", "A"), OrgNode("b", "a", "B"), OrgNode("c", "ghost", "C"),
             OrgNode("d", "d", "D")]
    pages = layout_org(nodes, BODY, style=STYLE)
    assert sorted(b.node_id for p in pages for b in p.boxes) == ["a", "b", "c", "d"]


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate ids"):
        layout_org([OrgNode("a", None, "A"), OrgNode("a", None, "B")], BODY)


def test_a_name_too_long_for_its_box_is_shortened_and_given_in_full_in_the_notes() -> None:
    name = "Maximiliana Theodora Wilhelmina von Hohenzollern-Sigmaringen " * 2
    page = layout_org([OrgNode("x", None, name, "Chief Executive Officer")], BODY)[0]
    shown = [t for t, role in page.boxes[0].lines if role == "name"]
    assert shown[-1].endswith("\u2026")
    assert any(name.strip() in note for note in page.notes)


def _all_shapes(shapes) -> list:
    """Shapes of a group and of the groups inside it (a person with a badge is a group)."""
    found = []
    for shape in shapes:
        found.append(shape)
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            found.extend(_all_shapes(shape.shapes))
    return found


def test_pptx_map_is_native_shapes_inside_the_slide_with_dotted_access_paths(
    new_slide, reopen_pptx
) -> None:
    nodes = _org(40)
    access = (AccessEdge("n1", "n2"),)
    pages = layout_org(nodes, BODY, style=STYLE, access=access,
                       legend=(("009E73", "champion"), ("D55E00", "detractor")))
    prs, slide = new_slide()
    render_pptx_org(slide, pages[0], STYLE)
    group, = reopen_pptx(prs).slides[0].shapes
    assert group._element.nvGrpSpPr.cNvPr.get("descr") == pages[0].alt_text
    assert pages[0].alt_text.startswith("Relationship map, page 1 of")
    shapes = _all_shapes(group.shapes)
    slide_box = Box(0, 0, SLIDE_WIDTH, SLIDE_HEIGHT)
    assert slide_box.contains(Box(group.left, group.top, group.width, group.height))
    for shape in shapes:
        assert slide_box.contains(Box(shape.left, shape.top, shape.width, shape.height))
    ids = [s.shape_id for s in shapes] + [group.shape_id]
    assert len(ids) == len(set(ids))
    people = [s for s in shapes if re.fullmatch(r"Person \d+", s.name)]
    assert len(people) == len(pages[0].boxes)
    assert all(s._element.nvSpPr.cNvPr.get("descr") for s in people)
    sizes = {r.font.size.pt for s in people for p in s.text_frame.paragraphs for r in p.runs}
    assert min(sizes) >= 10
    dotted = [s for s in shapes if s.name.startswith("Access path")]
    assert len(dotted) == 1
    line = dotted[0]._element.spPr.find(f"{A}ln")
    assert line.find(f"{A}prstDash").get("val") == "sysDot"
    assert line.find(f"{A}tailEnd").get("type") == "triangle"
    samples = [s.name for s in shapes if s.name.startswith("Key line")]
    assert [name.split(" ")[2:4] for name in samples] == [["reports", "to"], ["access", "path"]]
    key_labels = {s.text_frame.text for s in shapes if s.name.startswith("Key ")
                  and s.has_text_frame}
    assert {"reports to", "access path", "champion", "detractor"} <= key_labels


def test_png_has_the_page_size_and_is_the_same_bytes_every_time() -> None:
    page = layout_org(_org(20), BODY, style=STYLE)[0]
    first, second = render_png_org(page, STYLE, dpi=50), render_png_org(page, STYLE, dpi=50)
    assert first == second
    assert first.startswith(b"\x89PNG") and b"Software" not in first and b"matplotlib" not in first
    width, height = Image.open(io.BytesIO(first)).size
    margin = 4 * EMU_PER_PT  # two points each side
    assert abs(width - (BODY.width + margin) / EMU_PER_INCH * 50) <= 1
    assert abs(height - (BODY.height + margin) / EMU_PER_INCH * 50) <= 1


def test_dollar_signs_in_names_are_text_not_mathtext() -> None:
    # With mathtext on, "$\\frac{" would raise a parse error.
    page = layout_org([OrgNode("x", None, "Pay $\\frac{1}{2}$ now", "CFO $$")], BODY)[0]
    assert render_png_org(page, dpi=30).startswith(b"\x89PNG")


def test_contacts_without_a_manager_form_a_grid_without_lines() -> None:
    nodes = [OrgNode(f"x{i}", None, f"Contact {i}") for i in range(10)]
    page, = layout_org(nodes, BODY, style=STYLE)
    assert len(page.boxes) == 10 and page.segments == ()


@settings(max_examples=40, deadline=None)
@given(parents=st.lists(st.integers(min_value=-1, max_value=40), min_size=1, max_size=40))
def test_any_reports_to_links_draw_everyone_once_per_unit_without_crashing(
    parents: list[int],
) -> None:
    # Arbitrary links: unknown managers, self-reports, cycles of any length.
    nodes = [
        OrgNode(f"p{i}", None if p < 0 else f"p{p}", f"Person {i}", "Title")
        for i, p in enumerate(parents)
    ]
    pages = layout_org(nodes, BODY, style=STYLE)
    assert {b.node_id for page in pages for b in page.boxes} == {n.id for n in nodes}
    for page in pages:
        for i, first in enumerate(page.boxes):
            for second in page.boxes[i + 1 :]:
                assert not _overlap(first.box, second.box)
