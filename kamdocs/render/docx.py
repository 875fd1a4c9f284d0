"""Document scaffolding over python-docx: cover, contents, numbered headings, header/footer.

A builder writes sections in domain order; :class:`Document` gives them the brand's styles and
does the parts every document shares::

    doc = Document(load_template("account_plan"), DocumentInfo(...), core)
    doc.add_cover("Acme Corp", "Account plan", [("As of", "23 Nov 2026"), ("Owner", "Sam Lee")])
    doc.add_contents()
    doc.heading("Executive summary")            # "1", bookmarked, keep-with-next
    doc.paragraph("Revenue grew 12 % ...")
    doc.appendix("All actions")                 # "Appendix A: All actions"
    data = doc.to_bytes()                       # contents filled, deterministic bytes

The contents list is FILLED when the file is generated (entries hyperlinked to the headings'
bookmarks) so Word never asks to "update fields"; the footer's "Page X of Y" uses PAGE and
NUMPAGES fields, which every reader computes while laying out pages, without a prompt.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx import Document as open_document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Emu
from docx.text.paragraph import Paragraph

from kamdocs.errors import TemplateError
from kamdocs.render.lookup import Template, master_memo
from kamdocs.render.package import CoreProperties, normalize_entries

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WNS = f'xmlns:w="{_W}"'
#: Territories that use US Letter; everyone else uses A4.
_LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "PR", "GT", "CR"})
_LETTER = (Cm(21.59), Cm(27.94))
_A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.5)
TABLE_STYLE = "Kamdocs Table"
_APPENDIX_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What the header and footer of every page say."""

    #: "Internal - confidential" or "Prepared for <customer>".
    marking: str
    #: The as-of date, formatted by the caller ("As of 23 Nov 2026").
    as_of: str
    #: "Source: Salesforce export".
    source: str = ""
    #: Shown at the right of the header (the account name).
    header_title: str = ""
    #: CLDR locale ("en_US", "de_DE"): Letter or A4.
    locale: str = "en_US"


@dataclass(frozen=True, slots=True)
class ContentsEntry:
    level: int
    number: str
    text: str
    bookmark: str


def page_size_for(locale: str) -> tuple[Emu, Emu]:
    """(width, height) of the paper the locale uses: Letter in the Americas' Letter countries."""
    territory = locale.replace("-", "_").split("_")[-1].upper() if "_" in locale.replace(
        "-", "_") else ""
    return _LETTER if territory in _LETTER_TERRITORIES else _A4


class Document:
    """A Word document opened from a brand master, its body emptied."""

    def __init__(self, template: Template, info: DocumentInfo, core: CoreProperties) -> None:
        if template.kind != "docx":
            raise TemplateError(f"{template.source}: a document needs a .docx template")
        self.template = template
        self.info = info
        self.core = core
        self.doc: DocxDocument = open_document(io.BytesIO(template.data))
        # Style names and ids are facts of the master: looked up once per master.
        facts = master_memo("docx styles", template.data)
        if "names" not in facts:
            facts["names"] = frozenset(s.name for s in self.doc.styles)
        self._styles: frozenset[str] = facts["names"]
        self._style_ids: dict[str, str] = facts.setdefault("ids", {})
        self._tabs_to_clear: dict[tuple[str, int], tuple[int, ...]] = facts.setdefault(
            "tabs", {})
        self._clear_body()
        self._setup_page()
        self._numbers = [0, 0, 0]
        self._appendices = 0
        self._bookmarks = 0
        self._entries: list[ContentsEntry] = []
        self._contents_anchor: Paragraph | None = None
        self._numbered_styles = self._styles_with_numbering()
        self.table_style = TABLE_STYLE if TABLE_STYLE in self._styles else "Table Grid"

    # ------------------------------------------------------------------ set-up

    def _clear_body(self) -> None:
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)

    def _setup_page(self) -> None:
        section = self.doc.sections[-1]
        section.page_width, section.page_height = page_size_for(self.info.locale)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, MARGIN)
        settings = self.doc.settings.element
        # updateFields makes Word ask to update fields on open: the contents are already filled.
        for flag in settings.findall(qn("w:updateFields")):
            settings.remove(flag)
        self._write_header_footer()

    @property
    def content_width(self) -> int:
        """Usable width between the margins, in EMU (for charts and tables)."""
        section = self.doc.sections[-1]
        return int(section.page_width - section.left_margin - section.right_margin)

    @property
    def content_height(self) -> int:
        section = self.doc.sections[-1]
        return int(section.page_height - section.top_margin - section.bottom_margin)

    def _styles_with_numbering(self) -> set[str]:
        numbered = set()
        for level in (1, 2, 3):
            name = f"Heading {level}"
            if name not in self._styles:
                continue
            style = self.doc.styles[name]
            while style is not None:
                ppr = style.element.pPr
                if ppr is not None and ppr.find(qn("w:numPr")) is not None:
                    numbered.add(name)
                    break
                style = style.base_style
        return numbered

    def _style(self, name: str, fallback: str = "Normal") -> str:
        return name if name in self._styles else fallback

    def _add_paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        """``doc.add_paragraph`` with the style id looked up once per name: python-docx scans
        every style of the template on each call (milliseconds per paragraph)."""
        paragraph = self.doc.add_paragraph(text)
        if style:
            paragraph._p.style = self._style_id(style)
        return paragraph

    def _style_id(self, name: str) -> str:
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        return self._style_ids[name]

    # ------------------------------------------------------------------ header and footer

    def _write_header_footer(self) -> None:
        width = self.content_width
        for section in self.doc.sections:
            section.header.is_linked_to_previous = False
            section.footer.is_linked_to_previous = False
            header = section.header
            _keep_only_pictures(header)
            paragraph = self._story_paragraph(header, "Header", width)
            marking = paragraph.add_run(self.info.marking)
            marking.bold = True
            if self.info.header_title:
                paragraph.add_run("\t" + self.info.header_title)
            footer = section.footer
            _keep_only_pictures(footer)
            paragraph = self._story_paragraph(footer, "Footer", width)
            left = " · ".join(t for t in (self.info.as_of, self.info.source) if t)
            paragraph.add_run(left + "\tPage ")
            paragraph._p.append(_field("PAGE", "1"))
            paragraph.add_run(" of ")
            paragraph._p.append(_field("NUMPAGES", "1"))

    def _story_paragraph(self, story: Any, style: str, width: int) -> Paragraph:
        """A paragraph of style ``style`` (else Normal) at the end of a header or footer, with
        one right tab at ``width``: the style's own tab stops are cleared (Word's Header style
        has a centre tab that would catch the text first)."""
        name = self._style(style)
        paragraph = story.add_paragraph()
        paragraph._p.style = self._style_id(name)
        key = (name, width)
        if key not in self._tabs_to_clear:
            positions: list[int] = []
            found = self.doc.styles[name]
            while found is not None:
                positions += [stop.position for stop in found.paragraph_format.tab_stops
                              if stop.position != width]
                found = found.base_style
            self._tabs_to_clear[key] = tuple(positions)
        stops = paragraph.paragraph_format.tab_stops
        for position in self._tabs_to_clear[key]:
            stops.add_tab_stop(position, WD_TAB_ALIGNMENT.CLEAR)
        stops.add_tab_stop(Emu(width), WD_TAB_ALIGNMENT.RIGHT)
        return paragraph

    # ------------------------------------------------------------------ cover and contents

    def add_cover(self, title: str, subtitle: str, details: Sequence[tuple[str, str]] = (),
                  *, logo: bool = True) -> None:
        """Cover page: logo, title (the account), subtitle (the document), details
        (as-of, owner, tier, ...) and the marking; then a page break."""
        if logo and self.template.brand.logo:
            picture = self.doc.add_paragraph()
            run = picture.add_run()
            run.add_picture(io.BytesIO(self.template.brand.logo), width=Cm(5))
            # The logo is the document author's (the template keeps no other company's).
            _set_alt_text(run, f"{self.core.author or self.template.brand.name} logo")
            picture.paragraph_format.space_after = Cm(3)
        self._add_paragraph(title, style=self._style("Title"))
        self._add_paragraph(subtitle, style=self._style("Subtitle"))
        for label, value in details:
            paragraph = self._add_paragraph(style=self._style("Cover Detail"))
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
        marking = self._add_paragraph(self.info.marking, style=self._style("Marking"))
        marking.paragraph_format.space_before = Cm(1)
        self.page_break()

    def add_contents(self, title: str = "Contents") -> None:
        """Reserve the place of the contents list; it is filled in :meth:`to_bytes`."""
        heading = self._add_paragraph(title, style=self._style("TOC Heading", "Heading 1"))
        # "TOC Heading" is based on Heading 1 and would inherit its number.
        _no_numbering(heading)
        self._contents_anchor = heading
        self.page_break()

    def _fill_contents(self) -> None:
        if self._contents_anchor is None:
            return
        anchor = self._contents_anchor
        for entry in self._entries:
            style = self._style(f"TOC {entry.level}")
            paragraph = Paragraph(parse_xml(f"<w:p {_WNS}/>"), anchor._parent)
            paragraph._p.style = self._style_id(style)
            label = f"{entry.number}  {entry.text}" if entry.number else entry.text
            link = parse_xml(
                f'<w:hyperlink {_WNS} w:anchor="{entry.bookmark}" w:history="1"><w:r><w:t '
                f'xml:space="preserve">{_escape(label)}</w:t></w:r></w:hyperlink>'
            )
            paragraph._p.append(link)
            anchor._p.addnext(paragraph._p)
            anchor = paragraph
        self._contents_anchor = None

    @property
    def contents(self) -> tuple[ContentsEntry, ...]:
        return tuple(self._entries)

    # ------------------------------------------------------------------ body

    def heading(self, text: str, level: int = 1) -> Paragraph:
        """A numbered heading (1, 1.1, 1.1.1) that keeps with the next paragraph and is
        listed in the contents."""
        if level not in (1, 2, 3):
            raise ValueError(f"heading level must be 1-3, not {level}")
        if self._appendices:
            number = self._appendix_number(level)
        else:
            self._numbers[level - 1] += 1
            for deeper in range(level, 3):
                self._numbers[deeper] = 0
            number = ".".join(str(n) for n in self._numbers[:level])
        style = self._style(f"Heading {level}")
        shown = text
        if self._appendices or style not in self._numbered_styles:
            # Appendices are lettered; a brand whose headings are not numbered gets the number
            # in the text, so the contents and the heading always agree.
            shown = f"{number}  {text}" if number else text
        paragraph = self._add_paragraph(style=style)
        if self._appendices and style in self._numbered_styles:
            _no_numbering(paragraph)
        paragraph.paragraph_format.keep_with_next = True
        bookmark = self._bookmark(paragraph, shown)
        self._entries.append(ContentsEntry(level, number, text, bookmark))
        return paragraph

    def _appendix_number(self, level: int) -> str:
        letter = _APPENDIX_LETTERS[(self._appendices - 1) % len(_APPENDIX_LETTERS)]
        if level == 1:
            return ""
        self._numbers[level - 1] += 1
        for deeper in range(level, 3):
            self._numbers[deeper] = 0
        return letter + ".".join(str(n) for n in self._numbers[1:level])

    def appendix(self, title: str) -> Paragraph:
        """"Appendix A: <title>" on a new page; later headings number A1, A1.1."""
        self._appendices += 1
        self._numbers = [0, 0, 0]
        letter = _APPENDIX_LETTERS[(self._appendices - 1) % len(_APPENDIX_LETTERS)]
        self.page_break()
        return self.heading(f"Appendix {letter}: {title}", 1)

    @property
    def appendix_letter(self) -> str | None:
        """The letter of the current appendix, for pointers ("all 300 in appendix B")."""
        if not self._appendices:
            return None
        return _APPENDIX_LETTERS[(self._appendices - 1) % len(_APPENDIX_LETTERS)]

    def paragraph(self, text: str = "", style: str | None = None, *, bold_lead: str = ""
                  ) -> Paragraph:
        """A body paragraph; ``bold_lead`` is a bold run before the text ("Risk: ...")."""
        paragraph = self._add_paragraph(style=self._style(style or "Normal"))
        if bold_lead:
            paragraph.add_run(bold_lead).bold = True
        if text:
            paragraph.add_run(text)
        return paragraph

    def bullets(self, items: Sequence[str], style: str = "List Bullet") -> list[Paragraph]:
        return [self._add_paragraph(item, style=self._style(style)) for item in items]

    def picture(self, data: bytes, width: int, height: int, alt_text: str) -> Paragraph:
        """An inline picture (PNG/JPEG bytes) of ``width`` x ``height`` EMU, with alt text."""
        paragraph = self.doc.add_paragraph()
        run = paragraph.add_run()
        run.add_picture(io.BytesIO(data), width=Emu(width), height=Emu(height))
        _set_alt_text(run, alt_text)
        return paragraph

    def caption(self, text: str) -> Paragraph:
        return self._add_paragraph(text, style=self._style("Caption"))

    def source_note(self, text: str) -> Paragraph:
        return self._add_paragraph(text, style=self._style("Source Note", "Caption"))

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _bookmark(self, paragraph: Paragraph, text: str) -> str:
        self._bookmarks += 1
        name = f"_Toc{self._bookmarks:08d}"
        ident = self._bookmarks
        paragraph._p.append(parse_xml(f'<w:bookmarkStart {_WNS} w:id="{ident}" w:name="{name}"/>'))
        paragraph.add_run(text)
        paragraph._p.append(parse_xml(f'<w:bookmarkEnd {_WNS} w:id="{ident}"/>'))
        return name

    # ------------------------------------------------------------------ output

    def to_bytes(self) -> bytes:
        """The finished document (contents filled), deterministic for the same content."""
        self._fill_contents()
        # The parts as python-docx would zip them, handed straight to normalize_entries: saving
        # the zip first and reading it back cost a deflate and an inflate of every part.
        package = self.doc.part.package
        parts = list(package.iter_parts())
        entries = {
            CONTENT_TYPES_URI.membername: _ContentTypesItem.from_parts(parts).blob,
            PACKAGE_URI.rels_uri.membername: package.rels.xml,
        }
        for part in parts:
            entries[part.partname.membername] = part.blob
            if len(part.rels):
                entries[part.partname.rels_uri.membername] = part.rels.xml
        return normalize_entries(entries, self.core)


#: Styles the scaffolding uses; a brand file without one falls back to Normal.
REQUIRED_STYLES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3",
                   "Caption", "Header", "Footer", "TOC 1", "TOC 2", "TOC 3", "List Bullet",
                   TABLE_STYLE)


def required_styles(template: Template) -> dict[str, bool]:
    """Which of :data:`REQUIRED_STYLES` the template has."""
    document = open_document(io.BytesIO(template.data))
    names = {s.name for s in document.styles}
    return {name: name in names for name in REQUIRED_STYLES}


def _field(instruction: str, cached: str):  # noqa: ANN202 - an lxml element
    return parse_xml(
        f'<w:fldSimple {_WNS} w:instr=" {instruction} "><w:r><w:t>{cached}</w:t></w:r>'
        "</w:fldSimple>"
    )


def _no_numbering(paragraph: Paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    for old in ppr.findall(qn("w:numPr")):
        ppr.remove(old)
    ppr.insert(0, parse_xml(f'<w:numPr {_WNS}><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'))


def _keep_only_pictures(story) -> None:  # noqa: ANN001 - a python-docx header or footer
    """Empty a header/footer but keep a brand's logo (paragraphs holding a drawing)."""
    for paragraph in list(story.paragraphs):
        element = paragraph._p
        has_picture = (element.find(".//" + qn("w:drawing")) is not None
                       or element.find(".//" + qn("w:pict")) is not None)
        if not has_picture:
            element.getparent().remove(element)
    for table in list(story.tables):
        if table._tbl.find(".//" + qn("w:drawing")) is None:
            table._tbl.getparent().remove(table._tbl)


def _set_alt_text(run, text: str) -> None:  # noqa: ANN001
    for doc_pr in run._r.iter("{http://schemas.openxmlformats.org/drawingml/2006/"
                              "wordprocessingDrawing}docPr"):
        doc_pr.set("descr", text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
