"""``kamdocs check``: the linter for any .pptx/.docx we (or anyone) generated.

:func:`check_bytes` opens a package and returns located :class:`Finding` objects:

========================  ==================================================================
kind                      what
========================  ==================================================================
outside                   a shape beyond the slide (or an inline picture wider than the page)
overflow                  text taller than its box, measured with font metrics (render/text)
empty-placeholder         a placeholder with no content (PowerPoint shows "Click to add ...")
unresolved-template       ``{{``, ``{%`` or ``%}`` left in any text
missing-alt-text          a chart, picture or graphic frame without a description
missing-title             a slide (or a document) without a title
duplicate-title           two slides with the same title ("(cont.)" slides excepted)
missing-font              a font neither installed nor substituted by a metric twin
macro                     VBA project or macro-enabled content type
external-link             a relationship to an external target (linked data, not a hyperlink)
comment                   review comments left in the file
hidden                    a hidden slide, or hidden (vanished) text in a document
internal-value            an internal-only value of the account in a customer document
other-account             another account's name or id
========================  ==================================================================

The audience checks search EVERY part of the package: slides, notes, comments, charts and the
xlsx workbooks embedded behind them, docProps, alt text, hyperlinks, headers and footers.
What to search for comes from :func:`leak_terms`, which compares any two parallel dataclass
trees (the internal account and its customer view) without importing the model.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import posixpath
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from babel import Locale, numbers
from lxml import etree

from kamdocs.render import text as metrics
from kamdocs.render.geometry import EMU_PER_PT

KINDS = (
    "outside", "overflow", "empty-placeholder", "unresolved-template", "missing-alt-text",
    "missing-title", "duplicate-title", "missing-font", "macro", "external-link", "comment",
    "hidden", "internal-value", "other-account", "unreadable",
)
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
_NS = {"a": _A, "p": _P, "w": _W, "wp": _WP, "r": _R, "c": _C}
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_TEMPLATE_MARK = re.compile(r"\{\{|\{%|%\}|\}\}")
#: LibreOffice replaces these Office fonts with metric-compatible ones (same line breaks).
FONT_TWINS: Mapping[str, str] = {
    "calibri": "carlito", "cambria": "caladea", "arial": "liberation sans",
    "helvetica": "liberation sans", "times new roman": "liberation serif",
    "courier new": "liberation mono", "courier": "liberation mono",
    "arial narrow": "liberation sans narrow",
}
#: Symbol fonts LibreOffice maps to its bundled OpenSymbol (bullets in numbering.xml).
_SYMBOL_FONTS = frozenset({"symbol", "wingdings", "wingdings 2", "wingdings 3", "opensymbol"})
#: Slack before a measured text counts as overflowing (renderers differ by a hair).
_OVERFLOW_TOLERANCE = 1.02
#: python-pptx writes the image's file name as its description: that describes nothing.
_FILE_NAME = re.compile(r"^[\w\-. ]+\.(png|jpe?g|gif|bmp|tiff?|emf|wmf|svg)$", re.IGNORECASE)
_PARA_TAGS = frozenset({"p", "si", "is", "comment", "cm"})
_TEXT_ATTRS = ("descr", "title", "name", "tooltip")
_PLACEHOLDER_DEFAULT_PT = {"title": 28.0, "ctrTitle": 36.0, "subTitle": 18.0}
_BODY_DEFAULT_PT = 16.0
_TEXTBOX_DEFAULT_PT = 18.0
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True, slots=True)
class Finding:
    """One located problem: file, where in it (slide or part), which shape, what."""

    file: str
    where: str
    shape: str
    kind: str
    message: str

    def __str__(self) -> str:
        shape = f" [{self.shape}]" if self.shape else ""
        return f"{self.file}: {self.where}{shape}: {self.kind}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class LeakTerm:
    """Text that must not appear: an internal value (with the field it came from), or
    another account's name or id."""

    text: str
    kind: str
    reason: str


@dataclass
class _Package:
    name: str
    parts: dict[str, bytes]
    kind: str
    #: part name -> human location ("slide 3", "notes of slide 3", "chart on slide 3").
    locations: dict[str, str]
    #: (part, texts) of every XML part, read once (see :func:`_part_texts`).
    texts: list[tuple[str, list[str]]] = dataclasses.field(default_factory=list)


# --------------------------------------------------------------------------- entry points


def check_bytes(data: bytes, name: str, *, terms: Sequence[LeakTerm] = (),
                fonts: frozenset[str] | None = None) -> list[Finding]:
    """Every finding in one .pptx/.docx (given as bytes; ``name`` is how findings cite it)."""
    try:
        package = _open(data, name)
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        return [Finding(name, "file", "", "unreadable", f"not a .pptx/.docx ({exc})")]
    findings: list[Finding] = []
    try:
        findings += _package_findings(package)
        if package.kind == "pptx":
            findings += _pptx_findings(package)
        elif package.kind == "docx":
            findings += _docx_findings(package)
        findings += _font_findings(package, fonts if fonts is not None else installed_fonts())
        if terms:
            findings += _leak_findings(package, terms)
    except (KeyError, ValueError, TypeError, AttributeError, etree.XMLSyntaxError,
            zipfile.BadZipFile) as exc:
        # A damaged part: report the file as unreadable rather than half-checked.
        return [Finding(name, "file", "", "unreadable",
                        f"damaged package ({type(exc).__name__}: {exc})")]
    return findings


def installed_fonts() -> frozenset[str]:
    """Font families LibreOffice can use (fontconfig), lower-cased; empty if unknown."""
    executable = shutil.which("fc-list")
    if executable is not None:
        try:
            result = subprocess.run([executable, ":", "family"], capture_output=True,
                                    timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired):
            result = None
        if result is not None and result.returncode == 0:
            names = set()
            for line in result.stdout.decode("utf-8", "replace").splitlines():
                names.update(part.strip().lower() for part in line.split(",") if part.strip())
            return frozenset(names)
    from matplotlib import font_manager

    return frozenset(f.name.lower() for f in font_manager.fontManager.ttflist)


# --------------------------------------------------------------------------- package


def _open(data: bytes, name: str) -> _Package:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()
                 if not info.is_dir()}
    types = parts["[Content_Types].xml"]
    if b"presentationml" in types:
        kind = "pptx"
    elif b"wordprocessingml" in types:
        kind = "docx"
    else:
        raise ValueError("neither a presentation nor a Word document")
    return _Package(name, parts, kind, _locations(parts, kind))


def _rels_of(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _relationships(parts: Mapping[str, bytes], part: str) -> list[tuple[str, str, str, str]]:
    """(id, type, resolved target, mode) of ``part``'s relationships."""
    rels = parts.get(_rels_of(part))
    if rels is None:
        return []
    root = etree.fromstring(rels, _PARSER)
    found = []
    for rel in root:
        target = rel.get("Target", "")
        mode = rel.get("TargetMode", "Internal")
        if mode != "External":
            base = posixpath.dirname(part)
            target = posixpath.normpath(posixpath.join(base, target)).lstrip("/") if not \
                target.startswith("/") else target.lstrip("/")
        found.append((rel.get("Id", ""), rel.get("Type", ""), target, mode))
    return found


def _slide_order(parts: Mapping[str, bytes]) -> list[str]:
    presentation = "ppt/presentation.xml"
    if presentation not in parts:
        return []
    by_id = {rid: target for rid, _, target, _ in _relationships(parts, presentation)}
    root = etree.fromstring(parts[presentation], _PARSER)
    return [by_id[s.get(f"{{{_R}}}id")] for s in root.iterfind("p:sldIdLst/p:sldId", _NS)
            if s.get(f"{{{_R}}}id") in by_id]


def _locations(parts: Mapping[str, bytes], kind: str) -> dict[str, str]:
    places: dict[str, str] = {}
    if kind == "pptx":
        for number, slide in enumerate(_slide_order(parts), start=1):
            places[slide] = f"slide {number}"
            for _, rel_type, target, mode in _relationships(parts, slide):
                if mode == "External":
                    continue
                label = rel_type.rsplit("/", 1)[-1]
                if label in ("slideLayout",):
                    continue
                what = {"notesSlide": "notes", "comments": "comments"}.get(label, label)
                places.setdefault(target, f"slide {number} ({what})")
                for _, _, inner, inner_mode in _relationships(parts, target):
                    if inner_mode != "External":
                        places.setdefault(inner, f"slide {number} ({what} data)")
    else:
        for part in parts:
            if part.startswith("word/header"):
                places[part] = "header"
            elif part.startswith("word/footer"):
                places[part] = "footer"
            elif part == "word/document.xml":
                places[part] = "body"
        for part in [p for p in parts if p.startswith("word/charts/") and p.endswith(".xml")]:
            places.setdefault(part, "body (chart)")
            for _, _, inner, mode in _relationships(parts, part):
                if mode != "External":
                    places.setdefault(inner, "body (chart data)")
    for part in parts:
        places.setdefault(part, part)
    return places


def _package_findings(package: _Package) -> list[Finding]:
    findings = []
    types = package.parts["[Content_Types].xml"]
    for part in sorted(package.parts):
        lowered = part.lower()
        where = package.locations[part]
        if "vbaproject" in lowered:
            findings.append(Finding(package.name, where, "", "macro", f"VBA macros in {part}"))
        if lowered.endswith(".rels"):
            root = etree.fromstring(package.parts[part], _PARSER)
            source = _source_of_rels(part)
            for rel in root:
                if rel.get("TargetMode") == "External" and rel.get("Type") != _HYPERLINK:
                    findings.append(Finding(
                        package.name, package.locations.get(source, source), "",
                        "external-link",
                        f"{rel.get('Type', '').rsplit('/', 1)[-1]} linked to "
                        f"{rel.get('Target')}",
                    ))
        if _is_comment_part(lowered):
            count = _count_comments(package.parts[part])
            if count:
                findings.append(Finding(package.name, where, "", "comment",
                                        f"{count} review comment(s) in {part}"))
    if re.search(rb"macroEnabled", types, re.IGNORECASE):
        findings.append(Finding(package.name, "[Content_Types].xml", "", "macro",
                                "macro-enabled document type"))
    findings += _template_mark_findings(package)
    return findings


def _source_of_rels(rels: str) -> str:
    folder, base = posixpath.split(rels)
    return posixpath.join(posixpath.dirname(folder), base.removesuffix(".rels"))


def _is_comment_part(lowered: str) -> bool:
    return (lowered.startswith("ppt/comments/") or lowered == "word/comments.xml"
            or lowered.startswith("ppt/comments") and lowered.endswith(".xml")
            and "author" not in lowered)


def _count_comments(xml: bytes) -> int:
    root = etree.fromstring(xml, _PARSER)
    return sum(1 for el in root.iter() if isinstance(el.tag, str)
               and etree.QName(el).localname in ("cm", "comment"))


def _template_mark_findings(package: _Package) -> list[Finding]:
    findings = []
    for part, texts in _part_texts(package):
        for text in texts:
            if _TEMPLATE_MARK.search(text):
                findings.append(Finding(package.name, package.locations.get(part, part), "",
                                        "unresolved-template",
                                        f"template code left in text: {_excerpt(text)!r}"))
                break
    return findings


def _excerpt(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------- text of parts


def _part_texts(package: _Package) -> list[tuple[str, list[str]]]:
    """(part, texts) of every XML part, and of the parts of embedded workbooks (cached)."""
    if not package.texts:
        package.texts = list(_read_part_texts(package))
    return package.texts


def _read_part_texts(package: _Package) -> Iterator[tuple[str, list[str]]]:
    for part in sorted(package.parts):
        blob = package.parts[part]
        lowered = part.lower()
        if lowered.endswith((".xml", ".rels")):
            yield part, _texts(blob, lowered.endswith(".rels"))
        elif lowered.endswith((".xlsx", ".xlsm", ".docx", ".pptx")):
            try:
                with zipfile.ZipFile(io.BytesIO(blob)) as inner:
                    texts = []
                    for info in inner.infolist():
                        if info.filename.lower().endswith((".xml", ".rels")):
                            texts += _texts(inner.read(info),
                                            info.filename.lower().endswith(".rels"))
                yield part, texts
            except zipfile.BadZipFile:
                continue


def _texts(blob: bytes, is_rels: bool) -> list[str]:
    """The text a reader could see in one XML part: paragraphs joined run by run, loose text
    nodes (chart caches, docProps), alt text and names, relationship targets."""
    try:
        root = etree.fromstring(blob, _PARSER)
    except etree.XMLSyntaxError:
        return [blob.decode("utf-8", "replace")]
    if is_rels:
        return [rel.get("Target", "") for rel in root]
    texts: list[str] = []
    _collect_texts(root, texts)
    return [t for t in texts if t.strip()]


def _collect_texts(root: etree._Element, texts: list[str]) -> None:
    for el in root.iter():
        if isinstance(el.tag, str):
            for attr in _TEXT_ATTRS:
                value = el.get(attr)
                if value:
                    texts.append(value)
    _walk_text(root, texts)


def _walk_text(el: etree._Element, texts: list[str]) -> None:
    if not isinstance(el.tag, str):
        return
    if etree.QName(el).localname in _PARA_TAGS:
        # A paragraph's runs joined: a name may be split over two runs.
        texts.append("".join(el.itertext()))
        return
    if el.text and el.text.strip():
        texts.append(el.text)
    for child in el:
        _walk_text(child, texts)


# --------------------------------------------------------------------------- pptx


@dataclass(frozen=True, slots=True)
class _Geometry:
    left: int
    top: int
    width: int
    height: int


@dataclass
class _PlaceholderInfo:
    """What a slide placeholder inherits from its layout and master placeholder."""

    geometry: _Geometry | None = None
    #: bodyPr attributes (insets, wrap) and autofit child, nearest first.
    body: dict[str, str] = dataclasses.field(default_factory=dict)
    #: lstStyle default size per level (pt).
    sizes: dict[int, float] = dataclasses.field(default_factory=dict)


class _Inheritance:
    """Placeholder inheritance (slide -> layout -> master) read once per layout part."""

    def __init__(self, package: _Package) -> None:
        self.package = package
        self._cache: dict[str, dict[tuple[str, str], _PlaceholderInfo]] = {}
        self._roots: dict[str, etree._Element] = {}

    def root(self, part: str) -> etree._Element:
        if part not in self._roots:
            self._roots[part] = etree.fromstring(self.package.parts[part], _PARSER)
        return self._roots[part]

    def related(self, part: str, kind: str) -> str | None:
        for _, rel_type, target, mode in _relationships(self.package.parts, part):
            if mode != "External" and rel_type.endswith("/" + kind) and target in \
                    self.package.parts:
                return target
        return None

    def placeholders(self, layout: str | None) -> dict[tuple[str, str], _PlaceholderInfo]:
        """(key kind, key) -> info for a layout, merged with its master."""
        if layout is None:
            return {}
        if layout in self._cache:
            return self._cache[layout]
        master = self.related(layout, "slideMaster")
        master_phs = self._read(master) if master else {}
        merged: dict[tuple[str, str], _PlaceholderInfo] = {}
        for key, info in self._read(layout).items():
            base = master_phs.get(("type", _master_type(key, info)))
            merged[key] = _merge(info, base)
        for key, info in master_phs.items():
            merged.setdefault(key, info)
        self._cache[layout] = merged
        return merged

    def _read(self, part: str) -> dict[tuple[str, str], _PlaceholderInfo]:
        found: dict[tuple[str, str], _PlaceholderInfo] = {}
        for sp in self.root(part).iterfind(".//p:cSld/p:spTree/p:sp", _NS):
            ph = sp.find("p:nvSpPr/p:nvPr/p:ph", _NS)
            if ph is None:
                continue
            info = _PlaceholderInfo(geometry=_xfrm(sp.find("p:spPr/a:xfrm", _NS)))
            body = sp.find("p:txBody/a:bodyPr", _NS)
            if body is not None:
                info.body = dict(body.attrib)
                for child in body:
                    info.body["autofit"] = etree.QName(child).localname
            for level in range(1, 10):
                rpr = sp.find(f"p:txBody/a:lstStyle/a:lvl{level}pPr/a:defRPr", _NS)
                if rpr is not None and rpr.get("sz"):
                    info.sizes[level - 1] = int(rpr.get("sz")) / 100
            ph_type = ph.get("type", "obj")
            info.body["ph_type"] = ph_type
            if ph.get("idx") is not None:
                found.setdefault(("idx", ph.get("idx")), info)
            found.setdefault(("type", ph_type), info)
        return found


def _master_type(key: tuple[str, str], info: _PlaceholderInfo) -> str:
    ph_type = info.body.get("ph_type", "obj")
    return {"ctrTitle": "title", "subTitle": "body", "obj": "body"}.get(ph_type, ph_type)


def _merge(near: _PlaceholderInfo, far: _PlaceholderInfo | None) -> _PlaceholderInfo:
    if far is None:
        return near
    return _PlaceholderInfo(
        geometry=near.geometry or far.geometry,
        body={**far.body, **near.body},
        sizes={**far.sizes, **near.sizes},
    )


def _xfrm(xfrm: etree._Element | None) -> _Geometry | None:
    if xfrm is None:
        return None
    off, ext = xfrm.find("a:off", _NS), xfrm.find("a:ext", _NS)
    if off is None or ext is None:
        return None
    return _Geometry(int(off.get("x", 0)), int(off.get("y", 0)), int(ext.get("cx", 0)),
                     int(ext.get("cy", 0)))


def _slide_size(package: _Package) -> tuple[int, int]:
    root = etree.fromstring(package.parts["ppt/presentation.xml"], _PARSER)
    size = root.find("p:sldSz", _NS)
    return (int(size.get("cx")), int(size.get("cy"))) if size is not None else (0, 0)


def _pptx_findings(package: _Package) -> list[Finding]:
    width, height = _slide_size(package)
    inheritance = _Inheritance(package)
    theme_fonts = _theme_fonts(package)
    findings: list[Finding] = []
    titles: dict[str, int] = {}
    for number, part in enumerate(_slide_order(package.parts), start=1):
        where = f"slide {number}"
        root = inheritance.root(part)
        if root.get("show") in ("0", "false"):
            findings.append(Finding(package.name, where, "", "hidden", "hidden slide"))
        inherited = inheritance.placeholders(inheritance.related(part, "slideLayout"))
        tree = root.find("p:cSld/p:spTree", _NS)
        shapes = list(_shapes(tree, inherited, None)) if tree is not None else []
        title_shape = next((s for s in shapes if s.ph_type in ("title", "ctrTitle")), None)
        title = title_shape.text.strip() if title_shape is not None else ""
        if not title:
            findings.append(Finding(package.name, where, "", "missing-title",
                                    "slide has no title"))
        elif not title.endswith("(cont.)"):
            key = " ".join(title.split()).casefold()
            if key in titles:
                findings.append(Finding(package.name, where, title_shape.name, "duplicate-title",
                                        f"same title as slide {titles[key]}: {_excerpt(title)!r}"))
            else:
                titles[key] = number
        for shape in shapes:
            findings += _shape_findings(package.name, where, shape, width, height, theme_fonts)
    return findings


@dataclass
class _Shape:
    element: etree._Element
    tag: str
    name: str
    geometry: _Geometry | None
    ph_type: str | None
    info: _PlaceholderInfo | None

    @property
    def text(self) -> str:
        body = self.element.find("p:txBody", _NS)
        if body is None:
            return ""
        return "\n".join("".join(t.text or "" for t in p.iterfind(".//a:t", _NS))
                         for p in body.iterfind("a:p", _NS))


def _shapes(tree: etree._Element, inherited: Mapping[tuple[str, str], _PlaceholderInfo],
            transform: Callable[[_Geometry], _Geometry] | None) -> Iterator[_Shape]:
    for element in tree:
        if not isinstance(element.tag, str):
            continue
        tag = etree.QName(element).localname
        if tag not in ("sp", "pic", "graphicFrame", "grpSp", "cxnSp"):
            continue
        c_nv_pr = element.find("./*/p:cNvPr", _NS)
        name = c_nv_pr.get("name", "") if c_nv_pr is not None else ""
        ph = element.find("./*/p:nvPr/p:ph", _NS)
        info = None
        ph_type = None
        if ph is not None:
            ph_type = ph.get("type", "obj")
            info = inherited.get(("idx", ph.get("idx"))) if ph.get("idx") is not None else None
            info = info or inherited.get(("type", ph_type)) or inherited.get(
                ("type", _master_type(("type", ph_type), _PlaceholderInfo(body={
                    "ph_type": ph_type}))))
        if tag == "graphicFrame":
            geometry = _xfrm(element.find("p:xfrm", _NS))
        elif tag == "grpSp":
            geometry = _xfrm(element.find("p:grpSpPr/a:xfrm", _NS))
        else:
            geometry = _xfrm(element.find("p:spPr/a:xfrm", _NS))
        if geometry is None and info is not None:
            geometry = info.geometry
        if geometry is not None and transform is not None:
            geometry = transform(geometry)
        yield _Shape(element, tag, name, geometry, ph_type, info)
        if tag == "grpSp":
            yield from _shapes(element, {}, _group_transform(element, transform))


def _group_transform(group: etree._Element, outer: Callable[[_Geometry], _Geometry] | None
                     ) -> Callable[[_Geometry], _Geometry]:
    """Children of a group live in its child coordinate space (chOff/chExt)."""
    xfrm = group.find("p:grpSpPr/a:xfrm", _NS)
    off = _xfrm(xfrm) or _Geometry(0, 0, 1, 1)
    ch_off = xfrm.find("a:chOff", _NS) if xfrm is not None else None
    ch_ext = xfrm.find("a:chExt", _NS) if xfrm is not None else None
    cx0 = int(ch_off.get("x", 0)) if ch_off is not None else off.left
    cy0 = int(ch_off.get("y", 0)) if ch_off is not None else off.top
    cw = int(ch_ext.get("cx", 0)) if ch_ext is not None else off.width
    chh = int(ch_ext.get("cy", 0)) if ch_ext is not None else off.height
    sx = off.width / cw if cw else 1.0
    sy = off.height / chh if chh else 1.0

    def apply(child: _Geometry) -> _Geometry:
        # Group offsets are already in slide space (outer groups applied when read).
        return _Geometry(round(off.left + (child.left - cx0) * sx),
                         round(off.top + (child.top - cy0) * sy),
                         round(child.width * sx), round(child.height * sy))

    return apply


def _shape_findings(file: str, where: str, shape: _Shape, width: int, height: int,
                    theme_fonts: Mapping[str, str]) -> list[Finding]:
    findings = []
    geometry = shape.geometry
    if geometry is not None and width and height and shape.tag != "grpSp":
        g = geometry
        if g.left < 0 or g.top < 0 or g.left + g.width > width or g.top + g.height > height:
            findings.append(Finding(
                file, where, shape.name, "outside",
                f"shape at ({_inch(g.left)}, {_inch(g.top)}) size {_inch(g.width)} x "
                f"{_inch(g.height)} in extends beyond the {_inch(width)} x {_inch(height)} in "
                "slide",
            ))
    element = shape.element
    text = shape.text
    if shape.ph_type is not None and shape.tag == "sp":
        if not text.strip() and element.find(".//a:fld", _NS) is None:
            findings.append(Finding(file, where, shape.name, "empty-placeholder",
                                    "empty placeholder (shows 'Click to add ...' in PowerPoint)"))
    if shape.tag in ("pic", "graphicFrame"):
        is_table = element.find(".//a:tbl", _NS) is not None
        c_nv_pr = element.find("./*/p:cNvPr", _NS)
        descr = (c_nv_pr.get("descr") or "").strip() if c_nv_pr is not None else ""
        if not is_table and (not descr or _FILE_NAME.match(descr)):
            what = "picture" if shape.tag == "pic" else (
                "chart" if element.find(".//c:chart", _NS) is not None else "graphic frame")
            findings.append(Finding(file, where, shape.name, "missing-alt-text",
                                    f"{what} without alt text (description)"))
        if is_table and geometry is not None and height:
            findings += _table_overflow(file, where, shape, geometry, height, theme_fonts)
    if shape.tag == "sp" and text.strip() and geometry is not None:
        problem = _text_overflow(shape, geometry, theme_fonts, height)
        if problem:
            findings.append(Finding(file, where, shape.name, "overflow", problem))
    return findings


def _inch(emu: int) -> str:
    return f"{emu / 914_400:.2f}"


def _theme_fonts(package: _Package) -> dict[str, str]:
    """{"major": family, "minor": family} of the first theme."""
    themes = sorted(p for p in package.parts if "/theme/" in p and p.endswith(".xml"))
    fonts = {"major": "Calibri", "minor": "Calibri"}
    if themes:
        root = etree.fromstring(package.parts[themes[0]], _PARSER)
        for key, tag in (("major", "majorFont"), ("minor", "minorFont")):
            latin = root.find(f".//a:{tag}/a:latin", _NS)
            if latin is not None and latin.get("typeface"):
                fonts[key] = latin.get("typeface")
    return fonts


def _font_for(rpr: etree._Element | None, is_title: bool, theme_fonts: Mapping[str, str]
              ) -> metrics.Font:
    family = None
    bold = False
    if rpr is not None:
        latin = rpr.find("a:latin", _NS)
        if latin is not None:
            family = latin.get("typeface")
        bold = rpr.get("b") in ("1", "true")
    if not family or family.startswith("+"):
        key = "major" if (family or "").startswith("+mj") or (not family and is_title) else "minor"
        family = theme_fonts[key]
    return metrics.Font(family, bold)


def _length_pt(container: etree._Element | None, default: float, size: float) -> float:
    """A spacing element (a:lnSpc / a:spcBef / a:spcAft): points, or a share of the size."""
    if container is None:
        return default
    points = container.find("a:spcPts", _NS)
    if points is not None:
        return int(points.get("val", 0)) / 100
    percent = container.find("a:spcPct", _NS)
    if percent is not None:
        return -int(percent.get("val", 100_000)) / 100_000  # negative: a factor, see caller
    return default


def _text_overflow(shape: _Shape, geometry: _Geometry, theme_fonts: Mapping[str, str],
                   slide_height: int) -> str:
    """"" when the text fits its box, else what the measurement says."""
    body = shape.element.find("p:txBody/a:bodyPr", _NS)
    attrs = dict(shape.info.body) if shape.info is not None else {}
    if body is not None:
        attrs.update(body.attrib)
        for child in body:
            attrs["autofit"] = etree.QName(child).localname
    wraps = attrs.get("wrap") != "none"
    # "Resize shape to fit text": renderers grow the box, so only its new bottom can be wrong.
    grows = attrs.get("autofit") == "spAutoFit"
    scale = 1.0
    norm = body.find("a:normAutofit", _NS) if body is not None else None
    if norm is not None and norm.get("fontScale"):
        scale = int(norm.get("fontScale")) / 100_000
    left, right = int(attrs.get("lIns", 91_440)), int(attrs.get("rIns", 91_440))
    top, bottom = int(attrs.get("tIns", 45_720)), int(attrs.get("bIns", 45_720))
    inner_w = geometry.width - left - right
    inner_h = geometry.height - top - bottom
    if inner_w <= 0:
        return "no room for text (box narrower than its insets)"
    is_title = shape.ph_type in ("title", "ctrTitle")
    default_pt = (_PLACEHOLDER_DEFAULT_PT.get(shape.ph_type or "", _BODY_DEFAULT_PT)
                  if shape.ph_type else _TEXTBOX_DEFAULT_PT)
    needed_pt = 0.0
    widest = 0
    for paragraph in shape.element.iterfind("p:txBody/a:p", _NS):
        ppr = paragraph.find("a:pPr", _NS)
        level = int(ppr.get("lvl", 0)) if ppr is not None else 0
        runs = paragraph.findall("a:r", _NS) + paragraph.findall("a:fld", _NS)
        rpr = runs[0].find("a:rPr", _NS) if runs else paragraph.find("a:endParaRPr", _NS)
        inherited_pt = shape.info.sizes.get(level) if shape.info is not None else None
        size = (int(rpr.get("sz")) / 100 if rpr is not None and rpr.get("sz")
                else inherited_pt or default_pt) * scale
        font = _font_for(rpr, is_title, theme_fonts)
        text = "".join(t.text or "" for t in paragraph.iterfind(".//a:t", _NS))
        line = _length_pt(ppr.find("a:lnSpc", _NS) if ppr is not None else None, -1.0, size)
        pitch = line if line >= 0 else metrics.line_pitch_pt(font, size, -line)
        before = _length_pt(ppr.find("a:spcBef", _NS) if ppr is not None else None, 0.0, size)
        after = _length_pt(ppr.find("a:spcAft", _NS) if ppr is not None else None, 0.0, size)
        before = before if before >= 0 else -before * size
        after = after if after >= 0 else -after * size
        indent = int(ppr.get("marL", 0)) if ppr is not None else 0
        if wraps:
            lines = max(len(metrics.wrap(text, font, size, inner_w - indent)), 1)
        else:
            lines = 1
            widest = max(widest, metrics.measure(text, font, size))
        needed_pt += lines * pitch + before + after
    needed = needed_pt * EMU_PER_PT
    if grows:
        end = geometry.top + top + needed + bottom
        if slide_height and end > slide_height * _OVERFLOW_TOLERANCE:
            return (f"the box grows with its text to {(end - geometry.top) / 914_400:.2f} in "
                    f"and runs {(end - slide_height) / 914_400:.2f} in past the slide bottom")
        return ""
    if needed > inner_h * _OVERFLOW_TOLERANCE + EMU_PER_PT:
        return (f"text needs {needed / 914_400:.2f} in but the box holds "
                f"{max(inner_h, 0) / 914_400:.2f} in")
    if not wraps and widest > inner_w * _OVERFLOW_TOLERANCE:
        return (f"unwrapped text is {widest / 914_400:.2f} in wide in a "
                f"{inner_w / 914_400:.2f} in box")
    return ""


def _table_overflow(file: str, where: str, shape: _Shape, geometry: _Geometry,
                    slide_height: int, theme_fonts: Mapping[str, str]) -> list[Finding]:
    """A table's rows grow to fit their text: where would its bottom end?"""
    table = shape.element.find(".//a:tbl", _NS)
    widths = [int(c.get("w", 0)) for c in table.iterfind("a:tblGrid/a:gridCol", _NS)]
    total = 0
    for row in table.iterfind("a:tr", _NS):
        needed = int(row.get("h", 0))
        for cell, width in zip(row.iterfind("a:tc", _NS), widths, strict=False):
            text = "\n".join("".join(t.text or "" for t in p.iterfind(".//a:t", _NS))
                             for p in cell.iterfind("a:txBody/a:p", _NS))
            if not text.strip():
                continue
            rpr = cell.find(".//a:rPr", _NS)
            size = int(rpr.get("sz")) / 100 if rpr is not None and rpr.get("sz") else 18.0
            font = _font_for(rpr, False, theme_fonts)
            tc_pr = cell.find("a:tcPr", _NS)
            margins = {k: int(tc_pr.get(k)) for k in ("marL", "marR", "marT", "marB")
                       if tc_pr is not None and tc_pr.get(k) is not None}
            inner = width - margins.get("marL", 91_440) - margins.get("marR", 91_440)
            lines = sum(max(len(metrics.wrap(part, font, size, max(inner, 1))), 1)
                        for part in text.split("\n"))
            cell_height = (lines * metrics.line_pitch_pt(font, size) * EMU_PER_PT
                           + margins.get("marT", 45_720) + margins.get("marB", 45_720))
            needed = max(needed, int(cell_height))
        total += needed
    bottom = geometry.top + total
    if bottom > slide_height * _OVERFLOW_TOLERANCE:
        return [Finding(file, where, shape.name, "overflow",
                        f"table rows grow to {total / 914_400:.2f} in and run "
                        f"{(bottom - slide_height) / 914_400:.2f} in past the slide bottom")]
    return []


# --------------------------------------------------------------------------- docx


def _docx_findings(package: _Package) -> list[Finding]:
    findings = []
    document = package.parts.get("word/document.xml")
    if document is None:
        return [Finding(package.name, "file", "", "unreadable", "no word/document.xml")]
    core = package.parts.get("docProps/core.xml")
    title = ""
    if core is not None:
        element = etree.fromstring(core, _PARSER).find(
            "{http://purl.org/dc/elements/1.1/}title")
        title = (element.text or "").strip() if element is not None else ""
    if not title:
        findings.append(Finding(package.name, "docProps/core.xml", "", "missing-title",
                                "document has no title in its properties"))
    content_width = _docx_content_width(document)
    stories = sorted(p for p in package.parts if re.fullmatch(
        r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml", p))
    for part in stories:
        root = etree.fromstring(package.parts[part], _PARSER)
        where = package.locations.get(part, part)
        for doc_pr in root.iterfind(".//wp:docPr", _NS):
            if not (doc_pr.get("descr") or "").strip():
                findings.append(Finding(package.name, where, doc_pr.get("name", ""),
                                        "missing-alt-text",
                                        "picture or chart without alt text (description)"))
        for extent in root.iterfind(".//wp:inline/wp:extent", _NS):
            cx = int(extent.get("cx", 0))
            if content_width and cx > content_width * _OVERFLOW_TOLERANCE:
                doc_pr = extent.getparent().find("wp:docPr", _NS)
                findings.append(Finding(
                    package.name, where, doc_pr.get("name", "") if doc_pr is not None else "",
                    "outside", f"{_inch(cx)} in wide on a page {_inch(content_width)} in wide",
                ))
        hidden = [r for r in root.iterfind(".//w:r", _NS)
                  if r.find("w:rPr/w:vanish", _NS) is not None
                  and "".join(r.itertext()).strip()]
        if hidden:
            findings.append(Finding(package.name, where, "", "hidden",
                                    f"{len(hidden)} run(s) of hidden text, e.g. "
                                    f"{_excerpt(''.join(hidden[0].itertext()))!r}"))
        placeholders = root.findall(".//w:sdtPr/w:showingPlcHdr", _NS)
        if placeholders:
            findings.append(Finding(package.name, where, "", "empty-placeholder",
                                    f"{len(placeholders)} content control(s) showing "
                                    "placeholder text"))
    return findings


def _docx_content_width(document: bytes) -> int:
    root = etree.fromstring(document, _PARSER)
    sect = root.find(".//w:body/w:sectPr", _NS)
    if sect is None:
        return 0
    size = sect.find("w:pgSz", _NS)
    margins = sect.find("w:pgMar", _NS)
    if size is None or margins is None:
        return 0
    twips = int(size.get(f"{{{_W}}}w", 0)) - int(margins.get(f"{{{_W}}}left", 0)) - int(
        margins.get(f"{{{_W}}}right", 0))
    return twips * 635


# --------------------------------------------------------------------------- fonts


def _used_fonts(package: _Package) -> dict[str, str]:
    """Font family -> first part using it (theme fonts, explicit run fonts, styles)."""
    used: dict[str, str] = {}
    for part in sorted(package.parts):
        if not part.endswith(".xml") or "/embeddings/" in part:
            continue
        blob = package.parts[part]
        if b"typeface" not in blob and b"w:ascii" not in blob:
            continue
        root = etree.fromstring(blob, _PARSER)
        is_theme = "/theme/" in part
        for el in root.iter(f"{{{_A}}}latin"):
            face = el.get("typeface", "")
            if is_theme and etree.QName(el.getparent()).localname not in ("majorFont",
                                                                          "minorFont"):
                continue
            if face and not face.startswith("+"):
                used.setdefault(face, part)
        for el in root.iter(f"{{{_W}}}rFonts"):
            for attr in ("ascii", "hAnsi"):
                face = el.get(f"{{{_W}}}{attr}")
                if face:
                    used.setdefault(face, part)
    return used


def _font_findings(package: _Package, fonts: frozenset[str]) -> list[Finding]:
    if not fonts:
        return []
    findings = []
    for face, part in sorted(_used_fonts(package).items()):
        key = face.lower()
        if key in fonts or FONT_TWINS.get(key, "\0") in fonts or key in _SYMBOL_FONTS:
            continue
        findings.append(Finding(package.name, package.locations.get(part, part), "",
                                "missing-font",
                                f"font {face!r} is not installed and has no metric twin: "
                                "LibreOffice will substitute another and reflow the text"))
    return findings


# --------------------------------------------------------------------------- audience


def _leak_findings(package: _Package, terms: Sequence[LeakTerm]) -> list[Finding]:
    by_text: dict[str, list[LeakTerm]] = {}
    for term in terms:
        by_text.setdefault(_norm(term.text), []).append(term)
    if not by_text:
        return []
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(t) for t in sorted(by_text, key=len, reverse=True))
        + r")(?!\w)"
    )
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for part, texts in _part_texts(package):
        if "/theme/" in part:
            # Themes come from the brand template (theme, colour and font scheme names such
            # as "Northwind Analytics"), never from account data: no leak can be there.
            continue
        where = package.locations.get(part, part)
        for text in texts:
            for match in pattern.finditer(_norm(text)):
                for term in by_text[match.group(1)]:
                    key = (where, term.text)
                    if key in seen:
                        continue
                    seen.add(key)
                    findings.append(Finding(package.name, where, part, term.kind,
                                            f"{term.text!r} ({term.reason})"))
    return findings


def _norm(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split()).casefold()


def money_forms(locale: str, currency: str) -> Callable[[Decimal], tuple[str, ...]]:
    """How documents write an amount: full ("$1,234,567", with cents too), short ("$1.2M"),
    and the raw number chart caches and workbooks hold ("1234567")."""
    parsed = Locale.parse(locale)
    # parse_pattern caches its result: copy before changing the precision.
    whole = copy.copy(numbers.parse_pattern(parsed.currency_formats["standard"]))
    whole.frac_prec = (0, 0)
    cents = copy.copy(numbers.parse_pattern(parsed.currency_formats["standard"]))
    cents.frac_prec = (2, 2)

    def forms(value: Decimal) -> tuple[str, ...]:
        out = {
            whole.apply(value, parsed, currency=currency, currency_digits=False),
            cents.apply(value, parsed, currency=currency, currency_digits=False),
            numbers.format_compact_currency(value, currency, locale=parsed, fraction_digits=1),
        }
        if abs(value) >= 10_000:
            plain = format(value.normalize(), "f")
            out.add(plain.split(".")[0] if value == value.to_integral_value() else plain)
        return tuple(sorted(out))

    return forms


def _leaves(obj: Any, path: str) -> Iterator[tuple[str, Any]]:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from _leaves(getattr(obj, f.name), f"{path}.{f.name}" if path else f.name)
    elif isinstance(obj, tuple | list):
        for i, item in enumerate(obj):
            yield from _leaves(item, f"{path}[{i}]")
    elif obj is not None:
        yield path, obj


#: Fields that hold a CRM category ("Renewal", "Commit", "High", "On Track"): the same
#: words are ordinary English in a customer document, and alone they reveal nothing. The
#: sensitive categories (stance, buying role, engagement) are not listed: they stay searched.
_CATEGORY_FIELDS = frozenset({
    "stage", "type", "forecast_category", "raw_status", "status", "priority", "severity",
    "likelihood", "kind", "basis", "role", "owner_role",
})


def _is_category(path: str) -> bool:
    """True for a leaf such as ``opportunities[3].type`` or ``risks[0].severity``."""
    return path.rsplit(".", 1)[-1] in _CATEGORY_FIELDS


def _is_searchable(text: str) -> bool:
    """Long enough not to match by accident: 4+ characters, and a single word 6+."""
    stripped = text.strip()
    if len(stripped) < 4:
        return False
    if " " not in stripped and stripped.isalpha() and len(stripped) < 6:
        return False
    if " " not in stripped and stripped.isascii() and stripped.isalpha() and stripped.islower():
        # Lower-case single words are the model's vocabulary ("growth", "direct"), not data.
        return False
    return not stripped.replace(".", "").replace(",", "").isdigit() or len(stripped) >= 5


def _forms(value: Any, money: Callable[[Decimal], Iterable[str]]) -> tuple[str, ...]:
    if isinstance(value, bool | Enum | date | int | float):
        # Flags, enum words, dates and small numbers are shared with customer content too often
        # to prove anything; money is what leaks.
        return ()
    if isinstance(value, Decimal):
        return tuple(money(value)) if abs(value) >= 1000 else ()
    if isinstance(value, str):
        return (value.strip(),)
    return ()


def leak_terms(
    internal: Any,
    customer: Any | None,
    others: Iterable[tuple[str, str]] = (),
    *,
    money: Callable[[Decimal], Iterable[str]] = lambda value: (),
    allow: Iterable[str] = (),
) -> list[LeakTerm]:
    """What must not appear in this account's customer document, and in any of its documents.

    ``internal`` and ``customer`` are the account before and after the audience filter (any
    dataclass trees); every value present internally but not visible to the customer becomes
    an internal-value term, unless it is short/common (see :func:`_is_searchable`) or also
    customer-visible (equal to, or inside, a visible value). ``customer=None`` (an internal
    document) gives no internal-value terms. ``others`` are (id, name) of every OTHER account.
    ``allow`` lists text that may appear anyway (our company name, the marking).
    """
    visible: set[str] = {_norm(a) for a in allow if a}
    own: set[str] = set()
    if customer is not None:
        for _, value in _leaves(customer, ""):
            visible.update(_norm(f) for f in _forms(value, money))
    for _, value in _leaves(internal, ""):
        if isinstance(value, str):
            own.add(_norm(value))
    terms: list[LeakTerm] = []
    seen: set[str] = set()
    if customer is not None:
        visible_text = "\n".join(sorted(visible))
        for path, value in _leaves(internal, ""):
            if _is_category(path):
                continue
            for form in _forms(value, money):
                key = _norm(form)
                if (key in seen or key in visible or not _is_searchable(form)
                        or key in visible_text):
                    continue
                seen.add(key)
                terms.append(LeakTerm(form, "internal-value", f"internal field {path}"))
    own_text = "\n".join(sorted(own | visible))
    for account_id, name in others:
        for label, value in (("id", account_id), ("name", name)):
            if not value or not _is_searchable(value):
                continue
            key = _norm(value)
            # "Acme" as another account is no finding in the document of "Acme Europe".
            if key in seen or key in own_text:
                continue
            seen.add(key)
            terms.append(LeakTerm(value, "other-account", f"another account's {label}"))
            if label == "id" and len(value) == 18:
                # Exports mix 15- and 18-character ids for one record.
                short = value[:15]
                if _norm(short) not in seen:
                    seen.add(_norm(short))
                    terms.append(LeakTerm(short, "other-account", "another account's id"))
    return terms


def check_files(files: Sequence[tuple[str, bytes]], *, terms: Sequence[LeakTerm] = ()
                ) -> list[Finding]:
    """Findings of several files, fonts looked up once."""
    fonts = installed_fonts()
    findings: list[Finding] = []
    for name, data in files:
        findings += check_bytes(data, name, terms=terms, fonts=fonts)
    return findings


def document_as_of(data: bytes) -> date | None:
    """The as-of date a file was built for: our packages set created = as_of (package.py)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            core = archive.read("docProps/core.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    match = re.search(rb"<dcterms:created[^>]*>(\d{4}-\d{2}-\d{2})", core)
    return date.fromisoformat(match.group(1).decode()) if match else None
