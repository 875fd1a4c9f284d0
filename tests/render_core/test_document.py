"""Document scaffolding: cover, filled contents, numbered headings, header and footer."""

from __future__ import annotations

import io
import re

import docx
from docx.shared import Cm
from lxml import etree

from kamdocs.render.docx import page_size_for
from kamdocs.render.lookup import load_template

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _open(data: bytes):  # noqa: ANN202
    return docx.Document(io.BytesIO(data))


def test_master_has_the_brand_styles_a4_and_25mm_margins() -> None:
    document = _open(load_template("account_plan").data)
    names = {s.name for s in document.styles}
    assert {"Title", "Subtitle", "Caption", "Heading 1", "Heading 2", "Heading 3",
            "Kamdocs Table", "TOC 1"} <= names
    section = document.sections[0]
    # Word stores twips: a millimetre of slack covers the rounding.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == round(section.right_margin.mm) == 25
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size.pt) == ("Calibri", 11)
    for level in (1, 2, 3):
        style = document.styles[f"Heading {level}"]
        assert style.paragraph_format.keep_with_next is True
        assert style.element.pPr.find(f"{W}numPr") is not None, "headings are numbered"
    table = document.styles["Kamdocs Table"].element
    header = table.find(f"{W}tblStylePr[@{W}type='firstRow']")
    assert header.find(f"{W}tcPr/{W}shd").get(f"{W}fill") == "1F3A5F"
    assert table.find(f"{W}tblStylePr[@{W}type='band2Horz']") is not None


def test_cover_shows_account_document_details_and_marking(document_bytes: bytes) -> None:
    paragraphs = _open(document_bytes).paragraphs
    texts = [(p.style.name, p.text) for p in paragraphs if p.text]
    assert texts[0] == ("Title", "Acme Corp")
    assert texts[1] == ("Subtitle", "Account plan")
    assert ("Cover Detail", "Owner: Sam Lee") in texts
    assert ("Marking", "Internal - confidential") in texts
    logo = paragraphs[0]._p.find(".//{http://schemas.openxmlformats.org/drawingml/2006/"
                                 "wordprocessingDrawing}docPr")
    assert logo is not None and logo.get("descr")


def test_contents_are_filled_and_link_to_heading_bookmarks(document_bytes: bytes, unzip  # noqa: ANN001
                                                           ) -> None:
    body = etree.fromstring(unzip(document_bytes)["word/document.xml"])
    entries = [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle") is not None
               and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val", "").startswith("TOC")
               and p.find(f"{W}hyperlink") is not None]
    labels = ["".join(p.itertext()) for p in entries]
    assert labels == ["1  Executive summary", "1.1  Key figures", "2  Current state",
                      "2.1  Products held", "2.1.1  By region", "Appendix A: All actions",
                      "A1  Open actions"]
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    for entry in entries:
        assert entry.find(f"{W}hyperlink").get(f"{W}anchor") in bookmarks


def test_no_update_fields_prompt(document_bytes: bytes, unzip) -> None:  # noqa: ANN001
    settings = unzip(document_bytes)["word/settings.xml"]
    assert b"updateFields" not in settings
    assert b"TOC \\" not in unzip(document_bytes)["word/document.xml"]


def test_headings_keep_with_next_and_appendix_is_unnumbered(document_bytes: bytes) -> None:
    paragraphs = _open(document_bytes).paragraphs
    headings = [p for p in paragraphs if p.style.name.startswith("Heading")]
    assert all(p.paragraph_format.keep_with_next for p in headings)
    appendix = [p for p in headings if p.text.startswith("Appendix A")][0]
    num = appendix._p.pPr.find(f"{W}numPr/{W}numId")
    assert num.get(f"{W}val") == "0"
    assert [p.text for p in headings if p.style.name == "Heading 2"][-1] == "A1  Open actions"


def test_header_has_marking_and_footer_has_page_x_of_y(document_bytes: bytes) -> None:
    section = _open(document_bytes).sections[0]
    header = section.header.paragraphs[-1].text
    assert header == "Internal - confidential\tAcme Corp"
    footer = section.footer.paragraphs[-1]
    assert footer.text.startswith("As of 23 Nov 2026 · Source: Salesforce export\tPage ")
    fields = [f.get(f"{W}instr").strip() for f in footer._p.iter(f"{W}fldSimple")]
    assert fields == ["PAGE", "NUMPAGES"]


def test_paper_follows_the_locale(build_document) -> None:  # noqa: ANN001
    assert page_size_for("en_US") == (Cm(21.59), Cm(27.94))
    assert page_size_for("de_DE") == (Cm(21.0), Cm(29.7))
    letter = _open(build_document("en_US").to_bytes()).sections[0]
    assert round(letter.page_width.mm, 1) == 215.9


def test_core_properties_are_set_from_the_caller(document_bytes: bytes) -> None:
    core = _open(document_bytes).core_properties
    assert core.title == "Acme Corp account plan"
    assert core.author == core.last_modified_by == "Northwind Analytics"
    assert core.created.date().isoformat() == core.modified.date().isoformat() == "2026-11-23"
    assert core.revision == 1


def _user_document_brand(tmp_path):  # noqa: ANN001, ANN202
    """A user's Word brand: headings without automatic numbering, another theme colour."""
    from kamdocs.writer import write_atomic

    document = _open(load_template("account_plan").data)
    for level in (1, 2, 3):
        ppr = document.styles[f"Heading {level}"].element.pPr
        for num in ppr.findall(f"{W}numPr"):
            ppr.remove(num)
    theme = next(p for p in document.part.package.iter_parts()
                 if str(p.partname).startswith("/word/theme/"))
    theme._blob = re.sub(rb'(<a:dk2>\s*<a:srgbClr val=")1F3A5F', rb"\g<1>8B0000", theme.blob)
    assert b"8B0000" in theme._blob
    buffer = io.BytesIO()
    document.save(buffer)
    return write_atomic(tmp_path / "brand.docx", buffer.getvalue())


def test_user_brand_without_numbered_headings_gets_numbers_in_the_text(tmp_path) -> None:  # noqa: ANN001
    from datetime import date

    from kamdocs.render.docx import Document, DocumentInfo
    from kamdocs.render.package import CoreProperties

    template = load_template("account_plan", _user_document_brand(tmp_path))
    assert template.brand.primary == "#8B0000"
    assert template.brand.logo is None  # our logo never lands on someone else's brand
    document = Document(template, DocumentInfo("Internal - confidential", "As of 1 Jan 2026"),
                        CoreProperties("Plan", "Northwind Analytics", date(2026, 1, 1)))
    document.add_contents()
    document.heading("Summary")
    document.heading("Detail", 2)
    headings = [p.text for p in _open(document.to_bytes()).paragraphs
                if p.style.name.startswith("Heading")]
    assert headings == ["1  Summary", "1.1  Detail"]
    assert [(e.number, e.text) for e in document.contents] == [("1", "Summary"),
                                                               ("1.1", "Detail")]
