"""Text measured with real font metrics, wrapped, fitted into boxes and written into slides.

PowerPoint applies "shrink text on overflow" only when someone edits the text, and LibreOffice
not at all, so we decide the size ourselves: measure with the advances of the template's font
(or its metric-compatible twin: Calibri -> Carlito, Arial -> Liberation Sans, ...), wrap to the
box, pick the largest size whose lines fit, and write that size on every run. Text that does not
fit even at the minimum size is returned as ``overflow_text`` for the caller to continue on the
next slide or in the notes: it is never cut silently.

Widths are design advances (no hinting, no kerning: kerning only narrows text, so we err on the
safe side). Characters the font lacks are measured in Noto Sans CJK, then DejaVu Sans (Arabic,
Hebrew, symbols), then as 0.6 em. Right-to-left text stays in logical order: order does not
change a line's width, and PowerPoint and Word apply the bidi algorithm when they draw it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font, LoadFlags
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.text.text import TextFrame
from pptx.util import Emu, Pt

from kamdocs.render.geometry import EMU_PER_INCH, EMU_PER_PT, Box
from kamdocs.render.palette import TEXT

#: Office fonts and the metric-compatible families LibreOffice substitutes for them.
METRIC_TWINS: dict[str, str] = {
    "calibri": "Carlito",
    "arial": "Liberation Sans",
    "helvetica": "Liberation Sans",
    "times new roman": "Liberation Serif",
    "times": "Liberation Serif",
    "courier new": "Liberation Mono",
    "cambria": "Caladea",
}
#: Measured when a family and its twin are both missing (a user's brand font we do not have).
SUBSTITUTE_FAMILY = "Carlito"
#: Where characters the font lacks are measured, in order.
FALLBACK_FAMILIES: tuple[str, ...] = ("Noto Sans CJK JP", "DejaVu Sans")
#: Width of a character no installed font has, in em.
UNKNOWN_ADVANCE_EM = 0.6
#: Lines are wrapped to this share of the inner width: Office and LibreOffice lay text out on
#: device pixels and can need a hair more than the design advances add up to.
WIDTH_SAFETY = 0.98


@dataclass(frozen=True, slots=True)
class Font:
    """A font as a document names it (the template's family, not the file we measure)."""

    family: str = "Calibri"
    bold: bool = False
    italic: bool = False

    def with_bold(self, bold: bool = True) -> Font:
        return Font(self.family, bold, self.italic)


DEFAULT_FONT = Font()


@dataclass(frozen=True, slots=True)
class Insets:
    """Text frame margins in EMU; defaults are PowerPoint's (0.1 in sides, 0.05 in top/bottom)."""

    left: int = EMU_PER_INCH // 10
    top: int = EMU_PER_INCH // 20
    right: int = EMU_PER_INCH // 10
    bottom: int = EMU_PER_INCH // 20

    @classmethod
    def uniform(cls, emu: int) -> Insets:
        return cls(emu, emu, emu, emu)


@dataclass(frozen=True, slots=True)
class FontFile:
    """The file a :class:`Font` is measured with."""

    path: str
    family: str
    #: True when the file is the font itself or its metric twin (widths are exact).
    is_exact: bool


# --- font files and glyph advances ---------------------------------------------------------


@functools.cache
def _installed() -> dict[tuple[str, bool, bool], str]:
    """(family lower-cased, bold, italic) -> font file, from matplotlib's font list."""
    best: dict[tuple[str, bool, bool], tuple[tuple[bool, int, str], str]] = {}
    for entry in font_manager.fontManager.ttflist:
        weight = entry.weight if isinstance(entry.weight, int) else 400
        bold = weight >= 600
        key = (entry.name.lower(), bold, entry.style in ("italic", "oblique"))
        # System files before matplotlib's bundled copies, the standard weight before light or
        # condensed cuts, then the file name so the choice is the same on every run.
        rank = ("mpl-data" in entry.fname, abs(weight - (700 if bold else 400)), entry.fname)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, entry.fname)
    return {key: fname for key, (_, fname) in best.items()}


def _lookup(family: str, bold: bool, italic: bool) -> str | None:
    table = _installed()
    name = family.lower()
    keys = ((name, bold, italic), (name, bold, False), (name, False, italic), (name, False, False))
    for key in keys:
        if key in table:
            return table[key]
    return None


#: Near, not metric-compatible, stand-ins used when a family and its twin are both missing.
NEAREST: dict[str, str] = {"cambria": "Liberation Serif", "georgia": "Liberation Serif"}


@functools.cache
def resolve_font(font: Font) -> FontFile:
    """The file that measures ``font``: itself, its metric twin, or a stated substitute."""
    name = font.family.lower()
    candidates = (
        (font.family, True),
        (METRIC_TWINS.get(name), True),
        (NEAREST.get(name), False),
        (SUBSTITUTE_FAMILY, False),
        ("DejaVu Sans", False),
    )
    for family, exact in candidates:
        if family is None:
            continue
        path = _lookup(family, font.bold, font.italic)
        if path is not None:
            return FontFile(path, family, exact)
    raise LookupError(
        f"no font file to measure {font.family!r} with; install fonts-crosextra-carlito"
    )


class _Face:
    """One font file: which characters it has and their advances in em."""

    def __init__(self, path: str) -> None:
        self._font = FT2Font(path)
        self._codes = frozenset(self._font.get_charmap())
        self._units = float(self._font.units_per_EM)
        #: Natural line height (ascender + descender + line gap) in em: Office's "single".
        self.line_em = self._font.height / self._units

    def has(self, char: str) -> bool:
        return ord(char) in self._codes

    def own_advance(self, char: str) -> float:
        glyph = self._font.load_char(ord(char), LoadFlags.NO_SCALE | LoadFlags.NO_HINTING)
        return glyph.horiAdvance / self._units


class _Advances(dict[str, float]):
    """Character -> advance in em for one font and its fallbacks, filled on first use.

    A dict so that measuring is ``sum(map(table.__getitem__, text))``, at C speed once the
    characters are known. Mutable only as a memo of immutable font data (it lives in
    :func:`_advances`' cache and returns the same answer for the same character, always).
    """

    def __init__(self, face: _Face, fallbacks: tuple[_Face, ...]) -> None:
        super().__init__()
        self._face, self._fallbacks = face, fallbacks

    def __missing__(self, char: str) -> float:
        width = self._resolve(char)
        self[char] = width
        return width

    def _resolve(self, char: str) -> float:
        if char == "\t":
            return 4 * self[" "]
        if self._face.has(char):
            return self._face.own_advance(char)
        for face in self._fallbacks:
            if face.has(char):
                return face.own_advance(char)
        # Controls, zero-width joiners and combining marks take no room of their own.
        if ord(char) < 32 or char in "\u200b\u200c\u200d\u2060\ufeff":
            return 0.0
        return UNKNOWN_ADVANCE_EM


@functools.cache
def _face(path: str) -> _Face:
    return _Face(path)


@functools.cache
def _fallbacks(bold: bool) -> tuple[_Face, ...]:
    faces = []
    for family in FALLBACK_FAMILIES:
        path = _lookup(family, bold, False)
        if path is not None:
            faces.append(_face(path))
    return tuple(faces)


@functools.cache
def _advances(path: str, bold: bool) -> _Advances:
    return _Advances(_face(path), _fallbacks(bold))


def _table(font: Font) -> _Advances:
    return _advances(resolve_font(font).path, font.bold)


def width_em(text: str, font: Font = DEFAULT_FONT) -> float:
    """Width of one line of ``text`` in em (multiply by the size for points)."""
    return sum(map(_table(font).__getitem__, text))


def measure(text: str, font: Font = DEFAULT_FONT, size_pt: float = 14.0) -> int:
    """Width of ``text`` on one line, in EMU, at ``size_pt``."""
    return round(width_em(text, font) * size_pt * EMU_PER_PT)


def line_pitch_pt(font: Font = DEFAULT_FONT, size_pt: float = 14.0, spacing: float = 1.0) -> float:
    """Distance between baselines in points: the font's natural line height x ``spacing``.

    :func:`fill_frame` writes this as an exact line spacing, so PowerPoint, Word and LibreOffice
    all stack lines at the height we computed.
    """
    return round(_face(resolve_font(font).path).line_em * size_pt * spacing, 2)


# --- wrapping --------------------------------------------------------------------------------

_CJK = (
    "\u1100-\u11ff\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u33ff"
    "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\U00020000-\U0003ffff"
)
#: Closing punctuation that must not start a line (kinsoku): kept with the character before it.
_NO_LINE_START = "、。，．・：；？！）」』】〉》〕］｝ー…‥ぁぃぅぇぉっゃゅょァィゥェォッャュョ"
#: A line may break after every token: a run of spaces, one CJK character (with the closing
#: punctuation after it), a word with the hyphens that end it ("long-" | "term"), or a
#: hyphen-led word ("-5", kept whole so a minus sign never ends a line). Every character
#: belongs to exactly one token.
_TOKEN = re.compile(
    rf"\s+|[{_CJK}][{_NO_LINE_START}]*|[^\s{_CJK}\-]+-*|-+[^\s{_CJK}\-]*"
)
_PARAGRAPH_BREAK = re.compile(r"\r\n|[\n\r\v\f\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class Line:
    """One wrapped line and where it sits in the original text (``text[start:end]``)."""

    text: str
    start: int
    end: int
    #: True for the first line of a paragraph (paragraph spacing goes before it).
    starts_paragraph: bool = False


#: A token of a paragraph: (start, end, width in em, is it spaces?).
_Token = tuple[int, int, float, bool]


def _tokens(paragraph: str, advance: Any) -> tuple[_Token, ...]:
    """The break opportunities of ``paragraph`` (see ``_TOKEN``), each measured once."""
    return tuple(
        (match.start(), match.end(), sum(map(advance, token)), token.isspace())
        for match in _TOKEN.finditer(paragraph)
        for token in (match.group(),)
    )


def _fill(
    paragraph: str, tokens: tuple[_Token, ...], limit: float, advance: Any
) -> list[tuple[int, int]]:
    """Greedy line filling in em units; spaces at a line end hang past the edge, as in Office.
    The lines as (start, end) in ``paragraph``."""
    spans: list[tuple[int, int]] = []
    start: int | None = None  # start of the current line in ``paragraph``
    end = 0
    width = 0.0
    pending = 0.0  # spaces since the last word: they count only if a word follows on this line
    for token_start, token_end, token_width, space in tokens:
        if space:
            if start is None and not spans:
                # Spaces that open a paragraph take room on its first line.
                start = end = token_start
            if start is not None:
                pending += token_width
            continue
        if start is not None and width + pending + token_width <= limit:
            width, end, pending = width + pending + token_width, token_end, 0.0
            continue
        if start is not None and end > start:
            spans.append((start, end))
            start, pending = None, 0.0
        lead = pending if start is not None else 0.0
        if lead + token_width <= limit:
            start = token_start if start is None else start
            width, end, pending = lead + token_width, token_end, 0.0
            continue
        # A token wider than a line: break it between characters, dropping none.
        if start is None or lead >= limit:
            start, lead = token_start, 0.0
        width = lead
        for i in range(token_start, token_end):
            w = advance(paragraph[i])
            if width + w > limit and i > start:
                spans.append((start, i))
                start, width = i, 0.0
            width += w
        end, pending = token_end, 0.0
    if start is not None and (end > start or not spans):
        spans.append((start, max(end, start)))
    if not spans:
        spans.append((0, 0))
    return spans


def paragraphs(text: str) -> list[tuple[str, int]]:
    """Split on any line or paragraph break; each paragraph with its offset in ``text``."""
    result, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        result.append((text[start : match.start()], start))
        start = match.end()
    result.append((text[start:], start))
    return result


class Measured:
    """``text`` split at its break opportunities and measured once in ``font``: wrapping it at
    many sizes or widths (fitting a box) then costs only the line filling."""

    __slots__ = ("_advance", "_paragraphs", "font", "text")

    def __init__(self, text: str, font: Font = DEFAULT_FONT) -> None:
        self.text, self.font = text, font
        self._advance = _table(font).__getitem__
        self._paragraphs = [
            (paragraph, offset, _tokens(paragraph, self._advance))
            for paragraph, offset in paragraphs(text)
        ]

    def lines(self, size_pt: float, width_emu: int) -> list[Line]:
        """The text wrapped into lines no wider than ``width_emu`` at ``size_pt``."""
        limit = max(width_emu, 0) * WIDTH_SAFETY / (size_pt * EMU_PER_PT)
        lines: list[Line] = []
        for paragraph, offset, tokens in self._paragraphs:
            spans = _fill(paragraph, tokens, limit, self._advance)
            lines.extend(
                Line(paragraph[a:b], offset + a, offset + b, starts_paragraph=(i == 0))
                for i, (a, b) in enumerate(spans)
            )
        return lines

    def count(self, size_pt: float, width_emu: int) -> int:
        """How many lines :meth:`lines` would give, without making them."""
        limit = max(width_emu, 0) * WIDTH_SAFETY / (size_pt * EMU_PER_PT)
        return sum(len(_fill(paragraph, tokens, limit, self._advance))
                   for paragraph, _, tokens in self._paragraphs)


def wrap_lines(text: str, font: Font, size_pt: float, width_emu: int) -> list[Line]:
    """Wrap ``text`` into lines no wider than ``width_emu``, with their offsets in ``text``."""
    return Measured(text, font).lines(size_pt, width_emu)


def wrap(
    text: str, font: Font = DEFAULT_FONT, size_pt: float = 14.0, width_emu: int = 0
) -> list[str]:
    """Wrap ``text`` to ``width_emu``: at spaces and after hyphens, between CJK characters, and
    inside words too long for a line. Explicit line breaks start new lines."""
    return [line.text for line in wrap_lines(text, font, size_pt, width_emu)]


# --- fitting ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fit:
    """The outcome of :func:`fit`: what to write, at which size, and what did not fit."""

    size_pt: float
    lines: tuple[str, ...]
    fits: bool
    #: Text that did not fit even at the minimum size ("" when ``fits``): continue it elsewhere.
    overflow_text: str
    #: What goes into the box: the whole text, or the part that fits plus ``marker``.
    text: str
    font: Font = DEFAULT_FONT
    line_spacing: float = 1.0
    insets: Insets = field(default_factory=Insets)
    space_after_pt: float = 0.0
    #: Height the lines take, insets included, in EMU.
    height: int = 0

    @property
    def pitch_pt(self) -> float:
        return line_pitch_pt(self.font, self.size_pt, self.line_spacing)


def _sizes(max_pt: float, min_pt: float) -> list[float]:
    """Whole points from max to min, then half points below 12 pt where a point matters more."""
    sizes, size = [], float(max_pt)
    while size > min_pt + 1e-9:
        sizes.append(size)
        size = size - (0.5 if size <= 12 else 1.0)
    sizes.append(float(min_pt))
    return sizes


def _height(lines: list[Line], pitch_pt: float, space_after_pt: float) -> float:
    """Points taken by ``lines``: one pitch per line, plus the gap between paragraphs."""
    gaps = sum(1 for line in lines[1:] if line.starts_paragraph)
    return len(lines) * pitch_pt + gaps * space_after_pt


def text_height(
    text: str,
    width_emu: int,
    font: Font = DEFAULT_FONT,
    size_pt: float = 14.0,
    line_spacing: float = 1.0,
    insets: Insets | None = None,
) -> int:
    """Height in EMU that ``text`` wrapped to ``width_emu`` (outer width) needs, insets included."""
    insets = insets or Insets()
    inner = width_emu - insets.left - insets.right
    lines = wrap_lines(text, font, size_pt, inner)
    pitch = line_pitch_pt(font, size_pt, line_spacing)
    return round(len(lines) * pitch * EMU_PER_PT) + insets.top + insets.bottom


def fit(
    text: str,
    box: Box,
    font: Font = DEFAULT_FONT,
    max_pt: float = 28.0,
    min_pt: float = 10.0,
    line_spacing: float = 1.0,
    *,
    insets: Insets | None = None,
    space_after_pt: float = 0.0,
    max_lines: int | None = None,
    indent: int = 0,
    marker: str = "",
) -> Fit:
    """The largest size from ``max_pt`` down to ``min_pt`` at which ``text`` fits ``box``.

    ``box`` is the outer frame; ``insets`` (PowerPoint's defaults if None) are taken off it.
    ``max_lines`` caps the line count (titles: 2). ``indent`` narrows every line (bullets).
    When even ``min_pt`` does not fit, the lines that fit are kept (ending at a word break where
    possible) followed by ``marker`` (e.g. " (continued on next slide)"), and the rest is
    returned in ``overflow_text``.
    """
    insets = insets or Insets()
    inner_w = box.width - insets.left - insets.right - indent
    inner_h_pt = (box.height - insets.top - insets.bottom) / EMU_PER_PT

    measured = Measured(text, font)

    def attempt(candidate: str, size: float) -> tuple[list[Line], float, bool]:
        source = measured if candidate == text else Measured(candidate, font)
        lines = source.lines(size, inner_w)
        pitch = line_pitch_pt(font, size, line_spacing)
        height = _height(lines, pitch, space_after_pt)
        ok = height <= inner_h_pt + 1e-6 and (max_lines is None or len(lines) <= max_lines)
        return lines, height, ok

    def result(
        candidate: str, size: float, lines: list[Line], height: float, ok: bool, rest: str
    ) -> Fit:
        return Fit(
            size_pt=size,
            lines=tuple(line.text for line in lines),
            fits=ok,
            overflow_text=rest,
            text=candidate,
            font=font,
            line_spacing=line_spacing,
            insets=insets,
            space_after_pt=space_after_pt,
            height=round(height * EMU_PER_PT) + insets.top + insets.bottom,
        )

    # Wrapped lines need at least (width of the non-space characters / line width) lines:
    # sizes where even that lower bound is too tall are skipped without wrapping. Spaces are
    # left out because those at line ends take no room.
    total_em = width_em("".join(text.split()), font)
    line_em = line_pitch_pt(font, 1.0, line_spacing)
    inner_w_pt = max(inner_w, 1) * WIDTH_SAFETY / EMU_PER_PT
    for size in _sizes(max_pt, min_pt):
        if total_em * size * size * line_em / inner_w_pt > inner_h_pt + 1e-6 and size > min_pt:
            continue
        lines, height, ok = attempt(text, size)
        if ok:
            return result(text, size, lines, height, True, "")

    # Not even min_pt fits: keep the lines that do, and hand back the rest.
    size = float(min_pt)
    lines = measured.lines(size, inner_w)
    pitch = line_pitch_pt(font, size, line_spacing)
    room = max_lines if max_lines is not None else len(lines)
    keep = 0
    for count in range(1, min(room, len(lines)) + 1):
        if _height(lines[:count], pitch, space_after_pt) > inner_h_pt + 1e-6:
            break
        keep = count
    cut = lines[keep - 1].end if keep else 0
    while True:
        kept = text[:cut].rstrip()
        candidate = kept + marker if kept else marker.strip()
        cand_lines, height, ok = attempt(candidate, size)
        if ok or cut == 0:
            rest = text[len(kept) :].lstrip()
            if not kept and not ok:
                candidate, cand_lines, height = "", [], 0.0
            return result(candidate, size, cand_lines, height, False, rest)
        # Step back one word (or one character inside an over-long word) and try again.
        space = text.rfind(" ", 0, len(kept))
        cut = space if space > 0 else len(kept) - 1


# --- writing into python-pptx ----------------------------------------------------------------

_ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}
_TXBODY_NS = (
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
)
_ANCHOR = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}


def fill_frame(
    target: Any,
    fitted: Fit,
    *,
    colour: str = TEXT,
    align: str = "left",
    anchor: str = "top",
    set_family: bool = True,
) -> None:
    """Write ``fitted.text`` into a python-pptx shape or text frame, exactly as it was fitted.

    Autofit off, word wrap on, the fitted insets, an exact line spacing, and the size, weight
    and colour set on every run, so the file looks the same in PowerPoint, Word and LibreOffice
    before anyone edits it. ``set_family=False`` leaves the family to the placeholder/theme.
    """
    frame = target.text_frame if hasattr(target, "text_frame") else target
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = _ANCHOR[anchor]
    insets = fitted.insets
    frame.margin_left, frame.margin_top = Emu(insets.left), Emu(insets.top)
    frame.margin_right, frame.margin_bottom = Emu(insets.right), Emu(insets.bottom)
    texts = [paragraph_text for paragraph_text, _ in paragraphs(fitted.text)]
    first = frame._txBody.p_lst
    if len(first) == 1 and len(first[0]) == 0 and not first[0].attrib:
        # A fresh frame: each paragraph is a copy of one made by the slow path below.
        prototype = _paragraph_prototype(
            align, fitted.pitch_pt, fitted.space_after_pt, fitted.size_pt, fitted.font.bold,
            fitted.font.italic, colour, fitted.font.family if set_family else None)
        body = frame._txBody
        body.remove(first[0])
        for paragraph_text in texts:
            paragraph = parse_xml(prototype)
            paragraph.r_lst[0].text = paragraph_text
            body.append(paragraph)
        return
    _fill_paragraphs(frame, texts, fitted, colour, align, set_family)


@functools.lru_cache(maxsize=512)
def _paragraph_prototype(align: str, pitch_pt: float, space_after_pt: float, size_pt: float,
                         bold: bool, italic: bool, colour: str, family: str | None) -> bytes:
    """The XML of one paragraph (with one empty run) exactly as :func:`_fill_paragraphs`
    writes it through python-pptx, which takes ~0.3 ms a paragraph."""
    body = parse_xml(f"<p:txBody {_TXBODY_NS}><a:bodyPr/><a:lstStyle/><a:p/></p:txBody>")
    frame = TextFrame(body, None)
    fitted = Fit(size_pt=size_pt, lines=(), fits=True, overflow_text="", text="",
                 font=Font(family or "", bold, italic), space_after_pt=space_after_pt)
    _fill_paragraphs(frame, [""], fitted, colour, align, family is not None, pitch_pt)
    return etree.tostring(body.p_lst[0])


def _fill_paragraphs(frame: Any, texts: list[str], fitted: Fit, colour: str, align: str,
                     set_family: bool, pitch_pt: float | None = None) -> None:
    pitch = Pt(fitted.pitch_pt if pitch_pt is None else pitch_pt)
    rgb = RGBColor.from_string(colour)
    for i, paragraph_text in enumerate(texts):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = _ALIGN[align]
        paragraph.line_spacing = pitch
        paragraph.space_before = Pt(0)
        paragraph.space_after = Pt(fitted.space_after_pt)
        run = paragraph.add_run()
        run.text = paragraph_text
        font = run.font
        font.size = Pt(fitted.size_pt)
        font.bold = fitted.font.bold
        font.italic = fitted.font.italic
        font.color.rgb = rgb
        if set_family:
            font.name = fitted.font.family


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with characters XML 1.0 cannot hold shown as U+FFFD (visible, never dropped)."""
    return _XML_ILLEGAL.sub("\ufffd", text)


#: The earlier name of :func:`fill_frame`, kept for callers written against it.
write_text = fill_frame
