"""Regenerate the default brand masters in kamdocs/templates/default/ (run, then commit them).

    python scripts/make_templates.py

Starts from python-pptx's and python-docx's own templates and rewrites their masters, layouts,
theme and styles with lxml so that the result follows ../shared/DESIGN.md: 16:9 slides on the
0.5 in grid with NAMED layouts, Calibri, the brand colour plus the Okabe-Ito accents; an
A4 document with 2.5 cm margins, numbered headings that keep with the next paragraph, a table
style, cover styles, header and footer. The bytes are deterministic (render/package.py), so
running the script twice changes nothing in git.
"""

from __future__ import annotations

import io
import sys
import tomllib
from copy import deepcopy
from datetime import date
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml as docx_parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kamdocs.render.geometry import EMU_PER_INCH, SLIDE_HEIGHT, SLIDE_WIDTH  # noqa: E402
from kamdocs.render.package import CoreProperties, normalize  # noqa: E402
from kamdocs.render.wordmark import wordmark  # noqa: E402
from kamdocs.writer import write_atomic  # noqa: E402

OUT = ROOT / "kamdocs" / "templates" / "default"
BRAND = tomllib.loads((OUT / "brand.toml").read_text(encoding="utf-8"))
PRIMARY = BRAND["colors"]["primary"].lstrip("#").upper()
TEXT = BRAND["colors"]["text"].lstrip("#").upper()
MUTED = BRAND["colors"]["muted"].lstrip("#").upper()
RULE = BRAND["colors"]["rule"].lstrip("#").upper()
ZEBRA = BRAND["colors"]["zebra"].lstrip("#").upper()
ACCENTS = [c.lstrip("#").upper() for c in BRAND["colors"]["accents"]]
FONT = BRAND["fonts"]["body"]
HEADING_FONT = BRAND["fonts"]["heading"]
#: Templates carry no date of their own; a fixed one keeps the bytes stable.
STAMP = date(2026, 1, 1)

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = f'xmlns:a="{A}" xmlns:r="{R}" xmlns:p="{P}"'

IN = EMU_PER_INCH
MARGIN = IN // 2
CONTENT_W = SLIDE_WIDTH - 2 * MARGIN
# The DESIGN.md grid, top to bottom (EMU).
LABEL = (MARGIN, MARGIN, CONTENT_W, int(0.30 * IN))
TITLE = (MARGIN, int(0.80 * IN), CONTENT_W, int(1.00 * IN))
BODY = (MARGIN, int(1.95 * IN), CONTENT_W, int(4.55 * IN))
FOOTER_TOP = int(6.65 * IN)
FOOTER_H = SLIDE_HEIGHT - MARGIN - FOOTER_TOP
GAP = int(0.25 * IN)


# --------------------------------------------------------------------------- theme


def _theme(xml: bytes, name: str) -> bytes:
    root = etree.fromstring(xml)
    root.set("name", name)
    scheme = root.find(f"{{{A}}}themeElements/{{{A}}}clrScheme")
    scheme.set("name", name)
    colours = {
        "dk1": TEXT, "lt1": "FFFFFF", "dk2": PRIMARY, "lt2": ZEBRA,
        **{f"accent{i + 1}": c for i, c in enumerate(ACCENTS[:6])},
        "hlink": ACCENTS[0], "folHlink": ACCENTS[3],
    }
    for slot, value in colours.items():
        el = scheme.find(f"{{{A}}}{slot}")
        for child in list(el):
            el.remove(child)
        etree.SubElement(el, f"{{{A}}}srgbClr", val=value)
    fonts = root.find(f"{{{A}}}themeElements/{{{A}}}fontScheme")
    fonts.set("name", name)
    for which, face in (("majorFont", HEADING_FONT), ("minorFont", FONT)):
        group = fonts.find(f"{{{A}}}{which}")
        group.find(f"{{{A}}}latin").set("typeface", face)
        # Script fallbacks name Windows-only fonts; LibreOffice picks installed ones instead.
        for script_font in group.findall(f"{{{A}}}font"):
            group.remove(script_font)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --------------------------------------------------------------------------- slides


def _sp(shape_id: int, name: str, ph: str, box: tuple[int, int, int, int], body: str,
        lst: str = "", text: str = "", para: str = "") -> str:
    x, y, cx, cy = box
    para = para or (
        f'<a:p><a:r><a:rPr lang="en-US"/><a:t>{text}</a:t></a:r></a:p>' if text else
        '<a:p><a:endParaRPr lang="en-US"/></a:p>'
    )
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr>'
        f'<a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>'
        f"<p:txBody>{body}<a:lstStyle>{lst}</a:lstStyle>{para}</p:txBody></p:sp>"
    )


def _body_pr(anchor: str = "t") -> str:
    # Autofit off: text is fitted by font metrics when written (render/text.py).
    return (f'<a:bodyPr vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" '
            f'rtlCol="0" anchor="{anchor}"><a:noAutofit/></a:bodyPr>')


def _size_lst(size_pt: float, colour: str, bold: bool = False, align: str = "l") -> str:
    b = ' b="1"' if bold else ""
    return (f'<a:lvl1pPr algn="{align}"><a:defRPr sz="{int(size_pt * 100)}"{b}><a:solidFill>'
            f'<a:srgbClr val="{colour}"/></a:solidFill></a:defRPr></a:lvl1pPr>')


def _footer_shapes(first_id: int) -> list[str]:
    """Marking (left), as-of and data source (middle), slide number (right)."""
    # The marking is short; as-of date and data source ("As of Nov 23, 2026 · Source: ...")
    # need most of the line.
    marking_w = int(4.0 * IN)
    number_w = int(0.5 * IN)
    date_left = MARGIN + marking_w + GAP
    return [
        _sp(first_id, "Footer Placeholder", '<p:ph type="ftr" sz="quarter" idx="11"/>',
            (MARGIN, FOOTER_TOP, marking_w, FOOTER_H), _body_pr("b"),
            _size_lst(9, MUTED)),
        _sp(first_id + 1, "Date Placeholder", '<p:ph type="dt" sz="half" idx="10"/>',
            (date_left, FOOTER_TOP, SLIDE_WIDTH - MARGIN - number_w - GAP - date_left, FOOTER_H),
            _body_pr("b"), _size_lst(9, MUTED, align="r")),
        _sp(first_id + 2, "Slide Number Placeholder", '<p:ph type="sldNum" sz="quarter" idx="12"/>',
            (SLIDE_WIDTH - MARGIN - int(0.5 * IN), FOOTER_TOP, int(0.5 * IN), FOOTER_H),
            _body_pr("b"), _size_lst(9, MUTED, align="r"),
            para='<a:p><a:fld id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" type="slidenum">'
                 '<a:rPr lang="en-US"/><a:t>&lt;#&gt;</a:t></a:fld></a:p>'),
    ]


def _rule(shape_id: int, y: int, colour: str, height: int = 9525) -> str:
    """A thin decorative rule (not a placeholder)."""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="Rule {shape_id}"/><p:cNvSpPr/><p:nvPr/>'
        f'</p:nvSpPr><p:spPr><a:xfrm><a:off x="{MARGIN}" y="{y}"/><a:ext cx="{CONTENT_W}" '
        f'cy="{height}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill>'
        f'<a:srgbClr val="{colour}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr></p:sp>'
    )


def _band(shape_id: int) -> str:
    """The brand band on title and section slides: a block at the left edge of the slide."""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="Brand band"/><p:cNvSpPr/><p:nvPr/>'
        f'</p:nvSpPr><p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{int(0.25 * IN)}" '
        f'cy="{SLIDE_HEIGHT}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:srgbClr val="{PRIMARY}"/></a:solidFill><a:ln><a:noFill/></a:ln>'
        "</p:spPr></p:sp>"
    )


def _label(shape_id: int, box: tuple[int, int, int, int] = LABEL) -> str:
    return _sp(shape_id, "Section Label", '<p:ph type="body" sz="quarter" idx="13"/>', box,
               _body_pr("b"), _size_lst(12, PRIMARY, bold=True).replace(
                   "<a:defRPr", '<a:buNone/><a:defRPr'), text="Section label")


def _title(shape_id: int, box: tuple[int, int, int, int] = TITLE, size: float = 28,
           ph: str = '<p:ph type="title"/>') -> str:
    return _sp(shape_id, "Title", ph, box, _body_pr("t"), _size_lst(size, PRIMARY),
               text="Click to edit title")


def _content(shape_id: int, idx: int, box: tuple[int, int, int, int], name: str) -> str:
    return _sp(shape_id, name, f'<p:ph idx="{idx}"/>', box, _body_pr("t"), "",
               text="Click to add content")


def _layouts() -> list[tuple[str, str, list[str]]]:
    """(name, layout type, shapes) of every layout, in master order."""
    half = (CONTENT_W - GAP) // 2
    left = (BODY[0], BODY[1], half, BODY[3])
    right = (BODY[0] + half + GAP, BODY[1], half, BODY[3])
    cover_title = (int(1.0 * IN), int(2.3 * IN), SLIDE_WIDTH - int(1.5 * IN), int(1.6 * IN))
    cover_sub = (int(1.0 * IN), int(4.1 * IN), SLIDE_WIDTH - int(1.5 * IN), int(1.2 * IN))
    section_title = (int(1.0 * IN), int(2.8 * IN), SLIDE_WIDTH - int(1.5 * IN), int(1.4 * IN))
    footer = _footer_shapes(20)
    rule = _rule(30, FOOTER_TOP - int(0.08 * IN), RULE)
    return [
        ("Title", "title", [
            _band(2),
            _title(3, cover_title, 36, '<p:ph type="ctrTitle"/>').replace('anchor="t"',
                                                                           'anchor="b"'),
            _sp(4, "Subtitle", '<p:ph type="subTitle" idx="1"/>', cover_sub, _body_pr("t"),
                _size_lst(18, MUTED).replace("<a:defRPr", "<a:buNone/><a:defRPr"),
                text="Subtitle"),
            *footer,
        ]),
        ("Section", "secHead", [
            _band(2), _label(3, (IN, int(2.4 * IN), SLIDE_WIDTH - int(1.5 * IN), LABEL[3])),
            _title(4, section_title, 32), *footer,
        ]),
        ("Title and Content", "obj", [
            _label(2), _title(3), _content(4, 1, BODY, "Content Placeholder"), rule, *footer,
        ]),
        ("Title Only", "titleOnly", [_label(2), _title(3), rule, *footer]),
        ("Two Content", "twoObj", [
            _label(2), _title(3), _content(4, 1, left, "Left Content Placeholder"),
            _content(5, 2, right, "Right Content Placeholder"), rule, *footer,
        ]),
        ("Appendix", "obj", [
            _label(2), _title(3), _content(4, 1, BODY, "Content Placeholder"), rule, *footer,
        ]),
        ("Blank", "blank", [*footer]),
    ]


def _tree(shapes: list[str]) -> str:
    return (
        '<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
        '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
        '<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>' + "".join(shapes) + "</p:spTree>"
    )


def _text_styles() -> str:
    def level(i: int, size: int, bullet: bool) -> str:
        indent = 228600 * i
        bullet_xml = ('<a:buFont typeface="Arial"/><a:buChar char="&#8226;"/>' if bullet
                      else "<a:buNone/>")
        mar = f' marL="{indent + 228600}" indent="-228600"' if bullet else f' marL="{indent}"'
        return (f'<a:lvl{i + 1}pPr{mar} algn="l" rtl="0"><a:spcBef><a:spcPts val="600"/>'
                f'</a:spcBef>{bullet_xml}<a:defRPr sz="{size}"><a:solidFill><a:schemeClr '
                'val="tx1"/></a:solidFill><a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/>'
                '<a:cs typeface="+mn-cs"/></a:defRPr></a:lvl' f"{i + 1}pPr>")

    body = "".join(level(i, s, i > 0) for i, s in enumerate((1600, 1600, 1400, 1400, 1400)))
    other = ('<a:lvl1pPr algn="l"><a:defRPr sz="1400"><a:solidFill><a:schemeClr val="tx1"/>'
             '</a:solidFill><a:latin typeface="+mn-lt"/></a:defRPr></a:lvl1pPr>')
    return (
        '<p:txStyles><p:titleStyle><a:lvl1pPr algn="l" rtl="0"><a:lnSpc><a:spcPct val="95000"/>'
        '</a:lnSpc><a:spcBef><a:spcPct val="0"/></a:spcBef><a:buNone/><a:defRPr sz="2800" '
        f'b="0"><a:solidFill><a:srgbClr val="{PRIMARY}"/></a:solidFill><a:latin '
        'typeface="+mj-lt"/><a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/></a:defRPr>'
        f"</a:lvl1pPr></p:titleStyle><p:bodyStyle>{body}</p:bodyStyle>"
        f"<p:otherStyle>{other}</p:otherStyle></p:txStyles>"
    )


def make_deck(name: str, subject: str) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    master = prs.slide_master
    theme = master.part.part_related_by(RT.THEME)
    theme._blob = _theme(theme.blob, BRAND["name"])
    layouts = _layouts()
    layout_parts = [layout.part for layout in master.slide_layouts]
    id_list = master._element.find(f"{{{P}}}sldLayoutIdLst")
    ids = list(id_list)
    for extra in ids[len(layouts):]:
        master.part.drop_rel(extra.get(f"{{{R}}}id"))
        id_list.remove(extra)
    for part, (layout_name, kind, shapes) in zip(layout_parts, layouts, strict=False):
        part._element = parse_xml(
            f'<p:sldLayout {NS} type="{kind}" preserve="1"><p:cSld name="{layout_name}">'
            f"{_tree(shapes)}</p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>"
            "</p:sldLayout>"
        )
    master_shapes = [
        _title(2), _content(3, 1, BODY, "Text Placeholder").replace('<p:ph idx="1"/>',
                                                                    '<p:ph type="body" idx="1"/>'),
        *_footer_shapes(4),
    ]
    new_master = parse_xml(
        f'<p:sldMaster {NS}><p:cSld><p:bg><p:bgPr><a:solidFill><a:srgbClr val="FFFFFF"/>'
        f"</a:solidFill><a:effectLst/></p:bgPr></p:bg>{_tree(master_shapes)}</p:cSld>"
        '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" '
        'accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" '
        'hlink="hlink" folHlink="folHlink"/>'
        f"</p:sldMaster>"
    )
    new_master.append(deepcopy(id_list))
    new_master.append(parse_xml(f"<p:root {NS}>{_text_styles()}</p:root>")[0])
    master.part._element = new_master
    buffer = io.BytesIO()
    prs.save(buffer)
    core = CoreProperties(title=name, subject=subject, author=BRAND["name"], as_of=STAMP)
    return normalize(buffer.getvalue(), core)


# --------------------------------------------------------------------------- document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WNS = f'xmlns:w="{W}"'
HEADING_NUM_ID = 90


def _numbering(document: docx.document.Document) -> None:
    """A multi-level list linked to Heading 1-3: 1 / 1.1 / 1.1.1."""
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:pStyle w:val="Heading{i + 1}"/><w:lvlText w:val="{fmt}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr></w:lvl>'
        for i, (fmt, indent) in enumerate((("%1", 432), ("%1.%2", 576), ("%1.%2.%3", 720)))
    )
    abstract = docx_parse_xml(
        f'<w:abstractNum {WNS} w:abstractNumId="{HEADING_NUM_ID}"><w:multiLevelType '
        f'w:val="multilevel"/>{levels}</w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(docx_parse_xml(
        f'<w:num {WNS} w:numId="{HEADING_NUM_ID}"><w:abstractNumId '
        f'w:val="{HEADING_NUM_ID}"/></w:num>'
    ))


def _font(style: docx.styles.style.BaseStyle, size: float, colour: str, bold: bool = False,
          italic: bool = False, face: str = FONT) -> None:
    style.font.name = face
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), face)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        rfonts.attrib.pop(qn(attr), None)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = RGBColor.from_string(colour)


def _table_style(document: docx.document.Document) -> None:
    styles = document.styles.element
    border = f'w:val="single" w:sz="4" w:space="0" w:color="{RULE}"'
    styles.append(docx_parse_xml(
        f'<w:style {WNS} w:type="table" w:customStyle="1" w:styleId="KamdocsTable">'
        '<w:name w:val="Kamdocs Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        '<w:qFormat/><w:pPr><w:spacing w:before="40" w:after="40"/></w:pPr>'
        '<w:rPr><w:sz w:val="20"/></w:rPr>'
        f'<w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblBorders><w:bottom {border}/>'
        f'<w:insideH {border}/></w:tblBorders><w:tblCellMar><w:left w:w="85" w:type="dxa"/>'
        '<w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{PRIMARY}"/></w:tcPr>'
        "</w:tblStylePr>"
        '<w:tblStylePr w:type="lastRow"><w:rPr><w:b/></w:rPr><w:tcPr><w:tcBorders>'
        f'<w:top w:val="single" w:sz="8" w:space="0" w:color="{TEXT}"/></w:tcBorders></w:tcPr>'
        "</w:tblStylePr>"
        '<w:tblStylePr w:type="band2Horz"><w:tcPr><w:shd w:val="clear" w:color="auto" '
        f'w:fill="{ZEBRA}"/></w:tcPr></w:tblStylePr></w:style>'
    ))


def _paragraph_style(document: docx.document.Document, name: str, base: str = "Normal"
                     ) -> docx.styles.style.ParagraphStyle:
    try:
        return document.styles[name]
    except KeyError:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles[base]
        return style


def _header_footer(document: docx.document.Document) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = "Marking"
    header.style = document.styles["Header"]
    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    footer.text = "As of date - data source"


def make_document(name: str, subject: str) -> bytes:
    document = docx.Document()
    package = document.part.package
    # The python-docx template ships a customXml item; a brand master has no use for it.
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/customXml"):
            document.part.drop_rel(rel_id)
    del package
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    section.header_distance = section.footer_distance = Cm(1.25)
    theme = next(p for p in document.part.package.iter_parts()
                 if str(p.partname).startswith("/word/theme/"))
    theme._blob = _theme(theme.blob, BRAND["name"])

    styles = document.styles
    normal = styles["Normal"]
    _font(normal, 11, TEXT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    _numbering(document)
    for level, size in ((1, 16), (2, 13), (3, 11.5)):
        style = styles[f"Heading {level}"]
        _font(style, size, PRIMARY, bold=True, face=HEADING_FONT)
        fmt = style.paragraph_format
        fmt.keep_with_next = True
        fmt.keep_together = True
        fmt.space_before = Pt(18 if level == 1 else 12)
        fmt.space_after = Pt(6)
        ppr = style.element.get_or_add_pPr()
        for old in ppr.findall(qn("w:numPr")):
            ppr.remove(old)
        ppr.insert(0, docx_parse_xml(
            f'<w:numPr {WNS}><w:ilvl w:val="{level - 1}"/><w:numId w:val="{HEADING_NUM_ID}"/>'
            "</w:numPr>"
        ))
        # python-docx's template puts a border under Heading 1; our rule is the colour.
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)
    _font(styles["Title"], 28, PRIMARY, face=HEADING_FONT)
    for border in styles["Title"].element.get_or_add_pPr().findall(qn("w:pBdr")):
        border.getparent().remove(border)
    styles["Title"].paragraph_format.space_after = Pt(12)
    _font(styles["Subtitle"], 16, MUTED)
    _font(styles["Caption"], 9, MUTED, italic=True)
    _font(styles["Header"], 9, MUTED)
    _font(styles["Footer"], 9, MUTED)
    for level in (1, 2, 3):
        toc = _paragraph_style(document, f"TOC {level}")
        toc.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        toc.paragraph_format.space_after = Pt(3)
        _font(toc, 11, TEXT, bold=level == 1)
    for extra in ("Cover Detail", "Marking", "Source Note"):
        style = _paragraph_style(document, extra)
    _font(styles["Marking"], 10, PRIMARY, bold=True)
    _font(styles["Cover Detail"], 12, TEXT)
    _font(styles["Source Note"], 9, MUTED, italic=True)
    _table_style(document)
    _header_footer(document)
    # An empty body: the template holds styles, not content.
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    buffer = io.BytesIO()
    document.save(buffer)
    core = CoreProperties(title=name, subject=subject, author=BRAND["name"], as_of=STAMP)
    return normalize(buffer.getvalue(), core)


def make_logo() -> bytes:
    """A neutral placeholder logo: the brand colour block and a wordmark (PNG, no metadata)."""
    return wordmark(BRAND["name"], f"#{PRIMARY}", f"#{TEXT}")


def main() -> None:
    outputs = {
        "qbr.pptx": make_deck("Quarterly business review", "QBR master"),
        "ebr.pptx": make_deck("Executive business review", "EBR master"),
        "account_plan.docx": make_document("Account plan", "Account plan master"),
        "briefing.docx": make_document("Executive briefing", "Briefing master"),
        "logo.png": make_logo(),
    }
    for name, data in outputs.items():
        write_atomic(OUT / name, data)
        sys.stdout.write(f"{OUT / name}: {len(data):,} bytes\n")


if __name__ == "__main__":
    main()
