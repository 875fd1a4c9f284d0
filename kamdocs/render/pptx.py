"""Deck scaffolding over python-pptx: slides from NAMED layouts, titles, footers, notes.

A builder says what goes on a slide; :class:`Deck` gives it a slide from the brand master with
the title fitted, the section label, the footer (marking, as-of date and data source, slide
number) and speaker notes already in place, and the :class:`~kamdocs.render.geometry.Box` of
the body for charts and tables. At :meth:`Deck.to_bytes` every placeholder nobody filled is
removed and the package is made deterministic (render/package.py)::

    deck = Deck(load_template("qbr"), DeckInfo(marking="Prepared for Acme", ...), core)
    s = deck.add_slide("content", "9 of 11 KPIs met; uptime SLA missed in August",
                       label="Value delivered", notes="Open with the uptime miss.")
    draw_chart(s.slide, s.body, spec)           # render/charts.py
    deck.add_agenda()                           # from the slides actually present
    data = deck.to_bytes()

Layouts are found by name through the role -> name mapping (brand.toml ``[layouts]``,
overridden by config ``templates.layouts``), never by position (STYLE.md).
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.oxml import serialize_part_xml
from pptx.opc.packuri import PACKAGE_URI, PackURI
from pptx.opc.serialized import _ContentTypesItem
from pptx.oxml import parse_xml
from pptx.parts.image import Image
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.presentation import Presentation as PresentationObject
from pptx.slide import Slide, SlideLayout
from pptx.util import Pt

from kamdocs.errors import TemplateError
from kamdocs.render.geometry import EMU_PER_INCH, MARGIN, Box
from kamdocs.render.lookup import Template, master_memo
from kamdocs.render.package import CoreProperties, normalize_entries
from kamdocs.render.text import Fit, Font, Insets, fit, xml_safe
from kamdocs.render.text import write_text as write_fitted

#: The roles a builder asks for; brand.toml maps each to a layout name.
ROLES = ("title", "section", "content", "title_only", "two_content", "appendix", "blank")
CONTINUED = " (cont.)"
TITLE_MAX_PT = 28.0
TITLE_MIN_PT = 20.0
TITLE_MAX_LINES = 2
#: The section label placeholder of our layouts (a body placeholder with this idx).
LABEL_IDX = 13
_FOOTER_TYPES = (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.SLIDE_NUMBER)
_TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
_XMLNS = " ".join(f'xmlns:{k}="{v}"' for k, v in _NS.items())
#: A fixed field id: PowerPoint wants a GUID here, and a random one would break determinism.
_SLIDENUM_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
_NO_INSETS = Insets(0, 0, 0, 0)
_FOOTER_FALLBACK_HEIGHT = int(0.35 * EMU_PER_INCH)
_P = f"{{{_NS['p']}}}"
#: Shape elements of a slide's tree that are placeholders when they hold a p:ph.
_PH = etree.XPath("./*/p:nvPr/p:ph", namespaces=_NS)
_TEXTS = etree.XPath(".//a:t/text()", namespaces=_NS)
_NOTES_NAME = re.compile(r"^/ppt/notesSlides/notesSlide(\d+)\.xml$")


@dataclass(frozen=True)
class _LayoutStart:
    """What every new slide of one layout starts as, learnt from its first slide: python-pptx
    clones the layout's placeholders and resolves their inherited geometry one attribute
    lookup at a time (~1.5 ms a slide); the result is the same for every slide of a layout."""

    #: The cloned placeholder elements of a new slide, in tree order (copied, never used).
    placeholders: tuple[Any, ...]
    body: Box
    bodies: tuple[Box, ...]
    #: Position of the title / section label among ``placeholders``, or None.
    title_at: int | None
    title_box: Box | None
    label_at: int | None
    #: Footer placeholders of the layout: (type, p:ph attributes, name).
    footers: tuple[tuple[Any, str, str], ...]


@dataclass(frozen=True, slots=True)
class DeckInfo:
    """What every slide's footer says."""

    #: "Internal - do not send" or "Prepared for <customer>".
    marking: str
    #: The as-of date, formatted by the caller in the locale ("As of 23 Nov 2026").
    as_of: str
    #: Where the numbers come from ("Source: Salesforce export").
    source: str = ""


@dataclass
class DeckSlide:
    """A slide being built: the python-pptx slide plus what the scaffolding knows of it."""

    slide: Slide
    role: str
    title: str
    label: str | None
    #: Where content goes (the body placeholder's box, or the grid's body zone).
    body: Box
    #: The two halves of a "two_content" slide (else just ``(body,)``).
    bodies: tuple[Box, ...]
    #: The title text that did not fit in two lines at the minimum size (moved to the notes).
    title_overflow: str = ""
    notes_lines: list[str] = field(default_factory=list)
    #: False for slides the agenda must not list (title, agenda, appendix).
    in_agenda: bool = True

    def add_notes(self, text: str) -> None:
        """Append speaker notes (paragraphs separated by newlines)."""
        if text:
            self.notes_lines.append(text)

    def body_placeholder(self, idx: int = 1):  # noqa: ANN201 - python-pptx placeholder type
        """The body placeholder with ``idx`` (to write bullets into), or None."""
        for shape in self.slide.placeholders:
            if shape.placeholder_format.idx == idx:
                return shape
        return None

    def add_bullets(self, lines: Sequence[str | tuple[str, int]], idx: int = 1,
                    size_pt: float | None = None) -> None:
        """Write bullets (text, or (text, level)) into the body placeholder ``idx``."""
        placeholder = self.body_placeholder(idx)
        if placeholder is None:
            raise TemplateError(f"slide {self.title!r}: its layout has no body placeholder {idx}")
        frame = placeholder.text_frame
        frame.clear()
        for n, line in enumerate(lines):
            text, level = (line, 0) if isinstance(line, str) else line
            paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
            paragraph.level = level
            run = paragraph.add_run()
            run.text = text
            if size_pt is not None:
                run.font.size = Pt(size_pt)


class Deck:
    """A presentation opened from a brand master, with template slides removed."""

    def __init__(self, template: Template, info: DeckInfo, core: CoreProperties) -> None:
        if template.kind != "pptx":
            raise TemplateError(f"{template.source}: a deck needs a .pptx template")
        self.template = template
        self.info = info
        self.core = core
        self.prs: PresentationObject = Presentation(io.BytesIO(template.data))
        self._remove_template_slides()
        self._layouts = self._layouts_by_name()
        self.slides: list[DeckSlide] = []
        # What a layout's new slide starts as is a fact of the master: learnt once.
        self._starts: dict[str, _LayoutStart] = master_memo("layout starts", template.data)

    # ------------------------------------------------------------------ layouts

    def _layouts_by_name(self) -> dict[str, SlideLayout]:
        found: dict[str, SlideLayout] = {}
        for master in self.prs.slide_masters:
            for layout in master.slide_layouts:
                found.setdefault(layout.name, layout)
        return found

    def layout(self, role: str) -> SlideLayout:
        """The layout for ``role``; a TemplateError listing the file's layouts if missing."""
        name = self.template.brand.layouts.get(role)
        if name is None:
            raise TemplateError(
                f"{self.template.source}: no layout configured for role {role!r} "
                f"(set templates.layouts.{role}; roles: {', '.join(ROLES)})"
            )
        try:
            return self._layouts[name]
        except KeyError:
            have = ", ".join(repr(n) for n in self._layouts)
            raise TemplateError(
                f"{self.template.source}: no layout named {name!r} for role {role!r} "
                f"(the file has: {have}; map the role with templates.layouts.{role})"
            ) from None

    def _remove_template_slides(self) -> None:
        id_list = self.prs.slides._sldIdLst
        for slide_id in list(id_list):
            self.prs.part.drop_rel(slide_id.rId)
            id_list.remove(slide_id)

    # ------------------------------------------------------------------ slides

    def add_slide(self, role: str, title: str, *, label: str | None = None,
                  notes: str = "", subtitle: str | None = None,
                  in_agenda: bool | None = None) -> DeckSlide:
        """A new slide from the layout of ``role`` with title, label, footer and notes."""
        layout = self.layout(role)
        slide, start, shapes = self._new_slide(layout)
        deck_slide = DeckSlide(
            slide=slide, role=role, title=title, label=label, body=start.body,
            bodies=start.bodies,
            in_agenda=(role not in ("title", "appendix")) if in_agenda is None else in_agenda,
        )
        title_shape = shapes[start.title_at] if start.title_at is not None else None
        deck_slide.title_overflow = self._set_title(slide, title, role, title_shape,
                                                    start.title_box)
        if label:
            if start.label_at is not None:
                slide.shapes._shape_factory(shapes[start.label_at]).text_frame.text = label
            else:
                self._set_label(slide, label)
        if subtitle:
            self._set_subtitle(slide, subtitle)
        if deck_slide.title_overflow:
            deck_slide.add_notes(f"Full title: {title}")
        deck_slide.add_notes(notes)
        self._add_footer(slide, layout, start.footers)
        self.slides.append(deck_slide)
        return deck_slide

    def _new_slide(self, layout: SlideLayout) -> tuple[Slide, _LayoutStart, list[Any]]:
        """A slide of ``layout`` exactly as ``prs.slides.add_slide`` makes it, with the
        layout's facts and the slide's cloned placeholder elements (in tree order)."""
        key = str(layout.part.partname)
        start = self._starts.get(key)
        if start is None:
            slide = self.prs.slides.add_slide(layout)
            start = self._starts[key] = self._learn(slide, layout)
        else:
            prs_part = self.prs.part
            slide_part = SlidePart.new(prs_part._next_slide_partname, prs_part.package,
                                       layout.part)
            tree = slide_part._element.cSld.spTree
            for element in start.placeholders:
                tree.append(copy.deepcopy(element))
            self.prs.slides._sldIdLst.add_sldId(prs_part.relate_to(slide_part, RT.SLIDE))
            slide = slide_part.slide
        shapes = list(slide.shapes._spTree.iterchildren())[2:]
        return slide, start, shapes

    def _learn(self, slide: Slide, layout: SlideLayout) -> _LayoutStart:
        """The facts of ``layout`` from ``slide``, its first and still untouched slide."""
        shapes = list(slide.shapes._spTree.iterchildren())
        # python-pptx's new slide tree: p:nvGrpSpPr, p:grpSpPr, then one element per clone.
        assert [e.tag for e in shapes[:2]] == [_P + "nvGrpSpPr", _P + "grpSpPr"]
        placeholders = shapes[2:]
        body, bodies = self._body_boxes(slide)
        title_at = label_at = None
        title_box = None
        for n, element in enumerate(placeholders):
            found = _PH(element)
            if not found:
                continue
            idx = int(found[0].get("idx", "0"))
            # As python-pptx's shapes.title: the first placeholder with idx 0.
            if idx == 0 and title_at is None:
                shape = slide.shapes._shape_factory(element)
                title_at = n
                title_box = Box(shape.left, shape.top, shape.width, shape.height)
            if idx == LABEL_IDX and label_at is None:
                label_at = n
        footers = []
        for placeholder in layout.placeholders:
            kind = placeholder.placeholder_format.type
            if kind not in _FOOTER_TYPES:
                continue
            ph = placeholder._element.ph
            attrs = " ".join(f'{k}="{v}"' for k, v in sorted(ph.attrib.items()))
            footers.append((kind, attrs, placeholder.name))
        return _LayoutStart(
            placeholders=tuple(copy.deepcopy(e) for e in placeholders),
            body=body, bodies=bodies, title_at=title_at, title_box=title_box,
            label_at=label_at, footers=tuple(footers),
        )

    def add_agenda(self, title: str = "Agenda", *, position: int = 1, role: str = "content",
                   label: str | None = None) -> DeckSlide:
        """An agenda of the slides present (their section labels, else titles), inserted at
        ``position`` (0-based); call it after all other slides are added."""
        items: list[str] = []
        for s in self.slides:
            if not s.in_agenda:
                continue
            item = s.label or s.title.removesuffix(CONTINUED)
            if item not in items:
                items.append(item)
        agenda = self.add_slide(role, title, label=label, in_agenda=False)
        if agenda.body_placeholder(1) is not None:
            agenda.add_bullets(items)
        self.move_slide(len(self.slides) - 1, position)
        return agenda

    def add_logo(self, deck_slide: DeckSlide, alt_text: str, box: Box | None = None) -> Any:
        """The brand's logo on ``deck_slide``, as large as fits ``box`` with its proportions
        kept, at the box's top left, with ``alt_text``; None when the brand has no logo.

        ``box`` defaults to the grid's top-left corner (3 x 0.6 in). Whether the logo belongs
        on this document (the brand is the author's company) is the caller's decision.
        """
        logo = self.template.brand.logo
        if not logo:
            return None
        if box is None:
            box = Box(MARGIN, MARGIN, 3 * EMU_PER_INCH, int(0.6 * EMU_PER_INCH))
        width_px, height_px = Image.from_blob(logo).size
        scale = min(box.width / width_px, box.height / height_px)
        picture = deck_slide.slide.shapes.add_picture(
            io.BytesIO(logo), box.left, box.top, int(width_px * scale), int(height_px * scale))
        picture.name = "Logo"
        picture._element.nvPicPr.cNvPr.set("descr", xml_safe(alt_text))
        return picture

    def move_slide(self, old: int, new: int) -> None:
        id_list = self.prs.slides._sldIdLst
        element = list(id_list)[old]
        id_list.remove(element)
        id_list.insert(new, element)
        self.slides.insert(new, self.slides.pop(old))

    @staticmethod
    def continued(title: str) -> str:
        """The title of a continuation slide: "Open actions (cont.)" (never doubled)."""
        return title if title.endswith(CONTINUED) else title + CONTINUED

    # ------------------------------------------------------------------ parts of a slide

    def _body_boxes(self, slide: Slide) -> tuple[Box, tuple[Box, ...]]:
        boxes = []
        for shape in slide.placeholders:
            fmt = shape.placeholder_format
            if fmt.type in _TITLE_TYPES or fmt.type in _FOOTER_TYPES or fmt.idx == LABEL_IDX:
                continue
            if fmt.type == PP_PLACEHOLDER.SUBTITLE:
                continue
            boxes.append((fmt.idx, Box(shape.left, shape.top, shape.width, shape.height)))
        boxes.sort(key=lambda item: item[0])
        if not boxes:
            zone = self.body_zone()
            return zone, (zone,)
        found = tuple(box for _, box in boxes)
        union = Box(
            min(b.left for b in found), min(b.top for b in found),
            max(b.right for b in found) - min(b.left for b in found),
            max(b.bottom for b in found) - min(b.top for b in found),
        )
        return (found[0] if len(found) == 1 else union), found

    def body_zone(self) -> Box:
        """The grid's body zone of this deck's slide size (for layouts without a body)."""
        width, height = self.prs.slide_width, self.prs.slide_height
        top = int(1.95 * EMU_PER_INCH)
        bottom = height - MARGIN - int(0.5 * EMU_PER_INCH)
        return Box(MARGIN, top, width - 2 * MARGIN, bottom - top)

    def _set_title(self, slide: Slide, title: str, role: str, shape: Any = None,
                   box: Box | None = None) -> str:
        if shape is not None and box is not None:
            shape = slide.shapes._shape_factory(shape)
        else:
            shape = slide.shapes.title or self._add_title_placeholder(slide)
            box = Box(shape.left, shape.top, shape.width, shape.height)
        # Cover and section titles stand alone on their slide and may be larger.
        max_pt = {"title": 36.0, "section": 32.0}.get(role, TITLE_MAX_PT)
        fitted = fit_title(title, box, self.template.brand.heading_font, max_pt)
        write_fitted(shape, fitted, colour=self.template.brand.primary.lstrip("#"),
                   anchor="bottom" if role == "title" else "top", set_family=False)
        return fitted.overflow_text

    def _add_title_placeholder(self, slide: Slide):  # noqa: ANN202
        """A title for a layout without one (e.g. "Blank"): every slide needs a title for
        accessibility and the agenda; it sits where the master puts titles."""
        source = next((s for s in slide.slide_layout.slide_master.placeholders
                       if s.placeholder_format.type in _TITLE_TYPES), None)
        if source is None:
            raise TemplateError(f"{self.template.source}: the master has no title placeholder "
                                "(every slide needs a title)")
        box = Box(source.left, source.top, source.width, source.height)
        shape_id = slide.shapes._next_shape_id
        slide.shapes._spTree.append(parse_xml(
            f'<p:sp {_XMLNS}><p:nvSpPr><p:cNvPr id="{shape_id}" name="Title"/><p:cNvSpPr>'
            '<a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr>'
            f'<p:spPr><a:xfrm><a:off x="{box.left}" y="{box.top}"/><a:ext cx="{box.width}" '
            f'cy="{box.height}"/></a:xfrm></p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p/>'
            "</p:txBody></p:sp>"
        ))
        return slide.shapes.title

    def _set_label(self, slide: Slide, label: str) -> None:
        for shape in slide.placeholders:
            if shape.placeholder_format.idx == LABEL_IDX:
                shape.text_frame.text = label
                return
        # A brand master without a label placeholder shows no label: prefixing it to the
        # fitted title could overflow it. The agenda still uses the label.

    def _set_subtitle(self, slide: Slide, subtitle: str) -> None:
        for shape in slide.placeholders:
            if shape.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE:
                shape.text_frame.text = subtitle
                return
        for shape in slide.placeholders:
            if shape.placeholder_format.idx == 1:
                shape.text_frame.text = subtitle
                return

    def _add_footer(self, slide: Slide, layout: SlideLayout,
                    footers: Sequence[tuple[Any, str, str]] | None = None) -> None:
        """Footer, date and slide number on every slide (python-pptx does not copy them)."""
        number = len(self.prs.slides._sldIdLst)
        date_text = " · ".join(t for t in (self.info.as_of, self.info.source) if t)
        texts = {
            PP_PLACEHOLDER.FOOTER: self.info.marking,
            PP_PLACEHOLDER.DATE: date_text,
            PP_PLACEHOLDER.SLIDE_NUMBER: None,
        }
        present = set()
        muted = self.template.brand.muted.lstrip("#")
        if footers is None:
            footers = []
            for placeholder in layout.placeholders:
                kind = placeholder.placeholder_format.type
                if kind in texts:
                    ph = placeholder._element.ph
                    attrs = " ".join(f'{k}="{v}"' for k, v in sorted(ph.attrib.items()))
                    footers.append((kind, attrs, placeholder.name))
        # Shape ids run on from the largest in the slide (python-pptx's rule), one per footer.
        shape_id = slide.shapes._next_shape_id
        for kind, attrs, name in footers:
            present.add(kind)
            # Direct formatting: LibreOffice does not inherit footer styles from the layout.
            align = "l" if kind == PP_PLACEHOLDER.FOOTER else "r"
            rpr = (f'<a:rPr lang="en-US" sz="900"><a:solidFill><a:srgbClr val="{muted}"/>'
                   '</a:solidFill><a:latin typeface="+mn-lt"/></a:rPr>')
            paragraph = (
                f'<a:p><a:pPr algn="{align}"/><a:fld id="{_SLIDENUM_FIELD_ID}" type="slidenum">'
                f"{rpr}<a:t>{number}</a:t></a:fld></a:p>"
                if kind == PP_PLACEHOLDER.SLIDE_NUMBER else
                f'<a:p><a:pPr algn="{align}"/><a:r>{rpr}<a:t>{_escape(texts[kind])}</a:t></a:r>'
                "</a:p>"
            )
            slide.shapes._spTree.append(parse_xml(
                f"<p:sp {_XMLNS}><p:nvSpPr><p:cNvPr id=\"{shape_id}\" name=\"{name}\"/>"
                '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
                f"<p:nvPr><p:ph {attrs}/></p:nvPr></p:nvSpPr><p:spPr/>"
                f"<p:txBody><a:bodyPr/><a:lstStyle/>{paragraph}</p:txBody></p:sp>"
            ))
            shape_id += 1
        self._fallback_footer(slide, texts, present, number)

    def _fallback_footer(self, slide: Slide, texts: Mapping, present: set, number: int) -> None:
        """Text boxes in the grid's footer zone for a layout without footer placeholders."""
        width = self.prs.slide_width - 2 * MARGIN
        top = self.prs.slide_height - MARGIN - _FOOTER_FALLBACK_HEIGHT
        spots = {
            PP_PLACEHOLDER.FOOTER: (MARGIN, width // 2, "l", texts[PP_PLACEHOLDER.FOOTER]),
            PP_PLACEHOLDER.DATE: (MARGIN + width // 2, width // 2 - EMU_PER_INCH, "r",
                                  texts[PP_PLACEHOLDER.DATE]),
            PP_PLACEHOLDER.SLIDE_NUMBER: (MARGIN + width - EMU_PER_INCH // 2, EMU_PER_INCH // 2,
                                          "r", str(number)),
        }
        for kind, (left, box_width, align, text) in spots.items():
            if kind in present or not text:
                continue
            box = slide.shapes.add_textbox(left, top, box_width, _FOOTER_FALLBACK_HEIGHT)
            box.name = f"Footer {kind.name.lower()}"
            frame = box.text_frame
            frame.word_wrap = True
            frame.text = text
            frame.paragraphs[0].alignment = {"l": 1, "r": 3}[align]
            frame.paragraphs[0].runs[0].font.size = Pt(9)

    # ------------------------------------------------------------------ output

    def finish(self) -> None:
        """Write notes and remove every placeholder nobody filled (idempotent)."""
        notes = _NotesMaker(self.prs, self.template.data)
        for deck_slide in self.slides:
            if deck_slide.notes_lines:
                frame = _notes_text_frame(notes.notes_slide(deck_slide.slide))
                frame.text = "\n".join(deck_slide.notes_lines)
            remove_empty_placeholders(deck_slide.slide)

    def to_bytes(self) -> bytes:
        """The finished deck, deterministic for the same content and core properties."""
        self.finish()
        # The parts as python-pptx's save would zip them, without zipping and unzipping
        # them once more before normalize rewrites the package.
        package = self.prs.part.package
        parts = tuple(package.iter_parts())
        entries = {
            "[Content_Types].xml": serialize_part_xml(_ContentTypesItem.xml_for(parts)),
            PACKAGE_URI.rels_uri.membername: package._rels.xml,
        }
        for part in parts:
            entries[part.partname.membername] = part.blob
            if part._rels:
                entries[part.partname.rels_uri.membername] = part.rels.xml
        return normalize_entries(entries, self.core)


class _NotesMaker:
    """Notes slides as python-pptx's ``slide.notes_slide`` makes them, made faster.

    python-pptx clones the notes master's placeholders for every notes slide and finds the
    next free part name by walking every part of the package (~1.3 ms a slide). The first
    notes slide of a master is made by python-pptx; every later one (in this deck or the next
    deck on the same master) copies its pristine tree and takes the lowest free number from
    the names known, which is the name python-pptx would choose.
    """

    def __init__(self, prs: PresentationObject, master: bytes) -> None:
        self.prs = prs
        self.master = master
        self.used: set[int] | None = None

    def notes_slide(self, slide: Slide) -> Any:
        slide_part = slide.part
        try:
            return slide_part.part_related_by(RT.NOTES_SLIDE).notes_slide
        except KeyError:
            pass
        package = slide_part.package
        if self.used is None:
            self.used = set()
            for part in package.iter_parts():
                found = _NOTES_NAME.match(str(part.partname))
                if found:
                    self.used.add(int(found.group(1)))
        memo = master_memo("notes slide", self.master)
        prototype = memo.get("tree")
        if prototype is None:
            notes = slide.notes_slide
            memo["tree"] = copy.deepcopy(notes._element)
            found = _NOTES_NAME.match(str(notes.part.partname))
            if found:
                self.used.add(int(found.group(1)))
            return notes
        number = next(n for n in range(1, len(self.used) + 2) if n not in self.used)
        self.used.add(number)
        notes_part = NotesSlidePart(
            PackURI(f"/ppt/notesSlides/notesSlide{number}.xml"), CT.PML_NOTES_SLIDE, package,
            copy.deepcopy(prototype),
        )
        notes_part.relate_to(package.presentation_part.notes_master_part, RT.NOTES_MASTER)
        notes_part.relate_to(slide_part, RT.SLIDE)
        slide_part.relate_to(notes_part, RT.NOTES_SLIDE)
        return notes_part.notes_slide


def _notes_text_frame(notes: Any) -> Any:
    """python-pptx's ``notes.notes_text_frame`` (the first body placeholder's), found without
    building a shape object for every element of the tree."""
    for element in notes.shapes._spTree.iterchildren(_P + "sp"):
        found = _PH(element)
        if found and found[0].get("type") == "body":
            return notes.shapes._shape_factory(element).text_frame
    return notes.notes_text_frame


def open_layouts(template: Template) -> dict[str, str]:
    """Role -> layout name for every role the brand maps; a TemplateError for a missing one."""
    prs = Presentation(io.BytesIO(template.data))
    names = {layout.name for master in prs.slide_masters for layout in master.slide_layouts}
    found = {}
    for role in ROLES:
        name = template.brand.layouts.get(role)
        if name is None:
            continue
        if name not in names:
            have = ", ".join(repr(n) for n in sorted(names))
            raise TemplateError(
                f"{template.source}: no layout named {name!r} for role {role!r} "
                f"(the file has: {have}; map the role with templates.layouts.{role})"
            )
        found[role] = name
    return found


def remove_empty_placeholders(slide: Slide) -> None:
    """Drop placeholders without text or content: PowerPoint shows them as "Click to add"."""
    tree = slide.shapes._spTree
    for element in list(tree.iterchildren(_P + "sp")):
        # Graphic frames / pictures that replaced a placeholder carry content: keep them.
        if not _PH(element):
            continue
        # Text anywhere in its body that is not only white space (python-pptx's
        # text_frame.text.strip(), without building the text frame).
        if element.find(_P + "txBody") is not None and any(
                t.strip() for t in _TEXTS(element)):
            continue
        if element.find(".//a:fld", _NS) is not None:
            continue
        tree.remove(element)


def fit_title(title: str, box: Box, family: str, max_pt: float = TITLE_MAX_PT) -> Fit:
    """The title fitted by font metrics: 28 pt, shrinking to 20, at most two lines; beyond
    that the lines that fit end with " …" and the rest is in ``overflow_text``."""
    return fit(title, box, Font(family), max_pt, TITLE_MIN_PT, 1.0,
               insets=_NO_INSETS, max_lines=TITLE_MAX_LINES, marker=" …")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
