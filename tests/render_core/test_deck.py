"""Deck scaffolding: named layouts, fitted titles, footers, notes, agenda, no empty placeholders."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Inches

from kamdocs.errors import TemplateError
from kamdocs.render import text as metrics
from kamdocs.render.lookup import load_template
from kamdocs.render.package import CoreProperties
from kamdocs.render.pptx import Deck, DeckInfo
from kamdocs.writer import write_atomic


def _open(data: bytes):  # noqa: ANN202
    return Presentation(io.BytesIO(data))


def test_default_master_is_16_9_with_named_layouts_and_no_slides() -> None:
    prs = _open(load_template("qbr").data)
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5)) or (
        abs(prs.slide_width - Inches(13.333)) < Inches(0.01) and prs.slide_height == Inches(7.5))
    names = [layout.name for layout in prs.slide_layouts]
    assert names == ["Title", "Section", "Title and Content", "Title Only", "Two Content",
                     "Appendix", "Blank"]
    assert len(prs.slides) == 0
    assert prs.core_properties.author == "Northwind Analytics"


def test_default_master_placeholders_stay_inside_the_half_inch_margins() -> None:
    prs = _open(load_template("qbr").data)
    margin = Inches(0.5)
    for layout in prs.slide_layouts:
        for shape in layout.placeholders:
            assert shape.left >= margin, (layout.name, shape.name)
            assert shape.top >= margin, (layout.name, shape.name)
            assert shape.left + shape.width <= prs.slide_width - margin + 1, shape.name
            assert shape.top + shape.height <= prs.slide_height - margin + 1, shape.name


def test_slides_come_from_the_layout_of_their_role(deck_bytes: bytes) -> None:
    prs = _open(deck_bytes)
    assert [s.slide_layout.name for s in prs.slides] == ["Title", "Title and Content",
                                                         "Title Only"]
    assert [s.shapes.title.text_frame.text for s in prs.slides] == [
        "Acme Corp quarterly business review",
        "9 of 11 KPIs met; uptime SLA missed in August",
        "Renewal on 30 Jun 2027",
    ]


def test_every_slide_has_marking_date_source_and_its_number(deck_bytes: bytes) -> None:
    prs = _open(deck_bytes)
    for number, slide in enumerate(prs.slides, start=1):
        by_type = {s.placeholder_format.type: s for s in slide.placeholders}
        assert by_type[PP_PLACEHOLDER.FOOTER].text_frame.text == "Prepared for Acme Corp"
        date_text = by_type[PP_PLACEHOLDER.DATE].text_frame.text
        assert "As of 23 Nov 2026" in date_text and "Salesforce export" in date_text
        number_shape = by_type[PP_PLACEHOLDER.SLIDE_NUMBER]
        field = number_shape._element.find(".//{*}fld")
        assert field.get("type") == "slidenum"
        assert number_shape.text_frame.text == str(number)


def test_section_label_and_speaker_notes_are_written(deck_bytes: bytes) -> None:
    slide = _open(deck_bytes).slides[1]
    label = [s for s in slide.placeholders if s.placeholder_format.idx == 13]
    assert label[0].text_frame.text == "Value delivered"
    assert slide.notes_slide.notes_text_frame.text == "Open with the uptime miss."


def test_no_empty_placeholder_remains(deck_bytes: bytes) -> None:
    for slide in _open(deck_bytes).slides:
        for shape in slide.placeholders:
            assert shape.text_frame.text.strip(), (slide.shapes.title.text, shape.name)


def test_body_box_is_the_layouts_content_area(build_deck) -> None:  # noqa: ANN001
    deck = build_deck()
    content = deck.slides[1]
    # The default layout's body: 0.5 in from the left, 1.95 in from the top, 12.333 in wide.
    assert content.body.left == Inches(0.5)
    assert content.body.top == int(1.95 * 914_400)
    assert content.body.right == deck.prs.slide_width - Inches(0.5)
    two = deck.add_slide("two_content", "Two halves")
    assert len(two.bodies) == 2 and two.bodies[0].right < two.bodies[1].left


def test_agenda_lists_the_slides_actually_present(build_deck) -> None:  # noqa: ANN001
    deck = build_deck(titles=("Open items and decisions",))
    deck.add_slide("appendix", "All actions", label="Appendix A")
    agenda = deck.add_agenda()
    prs = _open(deck.to_bytes())
    assert prs.slides[1].shapes.title.text_frame.text == "Agenda"
    body = [s for s in prs.slides[1].placeholders if s.placeholder_format.idx == 1][0]
    # Labels where slides have them; the cover and the appendix are not agenda items.
    assert body.text_frame.text.split("\n") == ["Value delivered", "Renewal", "Extra"]
    assert agenda.in_agenda is False


def test_continuation_title_is_marked_once() -> None:
    assert Deck.continued("Open actions") == "Open actions (cont.)"
    assert Deck.continued("Open actions (cont.)") == "Open actions (cont.)"


def test_long_title_fits_two_lines_by_metrics_and_the_rest_goes_to_the_notes(build_deck) -> None:  # noqa: ANN001
    deck = build_deck()
    long_title = " ".join(["Renewal risk rises as the customer consolidates vendors"] * 5)
    assert len(long_title) > 200
    slide = deck.add_slide("content", long_title)
    prs = _open(deck.to_bytes())
    shape = prs.slides[-1].shapes.title
    run = shape.text_frame.paragraphs[0].runs[0]
    size = run.font.size.pt
    assert size == 20.0  # shrunk to the minimum before cutting
    shown = shape.text_frame.text
    assert shown.endswith("…")
    lines = metrics.wrap(shown, metrics.Font("Calibri"), size, shape.width)
    assert len(lines) <= 2
    assert slide.title_overflow and long_title.endswith(slide.title_overflow)
    notes = prs.slides[-1].notes_slide.notes_text_frame.text
    assert long_title in notes


def test_short_title_keeps_28_pt(deck_bytes: bytes) -> None:
    shape = _open(deck_bytes).slides[1].shapes.title
    assert shape.text_frame.paragraphs[0].runs[0].font.size.pt == 28.0


def test_missing_layout_names_the_layouts_the_file_has() -> None:
    template = load_template("qbr", layouts={"content": "Body Copy"})
    deck = Deck(template, DeckInfo("m", "d"), CoreProperties("t", "c", date(2026, 1, 1)))
    with pytest.raises(TemplateError) as caught:
        deck.add_slide("content", "x")
    message = caught.value.message
    assert "'Body Copy'" in message and "'Title and Content'" in message and "'Blank'" in message
    assert caught.value.exit_code == 4


def _user_brand(tmp_path: Path) -> Path:
    """A user's brand file: the default master with a renamed layout and a leftover slide."""
    prs = _open(load_template("qbr").data)
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Title and Content")
    layout._element.cSld.set("name", "Corporate Body")
    leftover = prs.slides.add_slide(layout)
    leftover.shapes.title.text = "DELETE ME example slide"
    buffer = io.BytesIO()
    prs.save(buffer)
    return write_atomic(tmp_path / "brand.pptx", buffer.getvalue())


def test_user_template_layouts_map_by_config_and_its_slides_are_removed(tmp_path: Path) -> None:
    template = load_template("qbr", _user_brand(tmp_path), layouts={"content": "Corporate Body"})
    deck = Deck(template, DeckInfo("Internal - do not send", "As of 1 Jan 2026"),
                CoreProperties("t", "Northwind Analytics", date(2026, 1, 1)))
    deck.add_slide("content", "Only slide")
    data = deck.to_bytes()
    prs = _open(data)
    assert [s.shapes.title.text_frame.text for s in prs.slides] == ["Only slide"]
    assert prs.slides[0].slide_layout.name == "Corporate Body"
    assert b"DELETE ME" not in b"".join(_parts_of(data).values())


def _parts_of(data: bytes) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def test_a_document_template_is_refused_for_a_deck() -> None:
    with pytest.raises(TemplateError, match="a .pptx is needed"):
        Deck(load_template("qbr", _docx_path()), DeckInfo("m", "d"),
             CoreProperties("t", "c", date(2026, 1, 1)))


def _docx_path() -> Path:
    import kamdocs

    return Path(kamdocs.__file__).parent / "templates" / "default" / "account_plan.docx"
