"""Colours of the default brand, the Okabe-Ito data palette, status colours and WCAG contrast.

Colours are plain ``"RRGGBB"`` strings (no ``#``), the form python-pptx's ``RGBColor.from_string``
and OOXML attributes take. :class:`Palette` defaults mirror ``templates/default/brand.toml``;
:meth:`Palette.from_brand` builds one from a brand's ``[colors]`` table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

#: Okabe & Ito (2008), colour-blind safe, in the order series receive them. Black is left out:
#: it reads as text, not data.
OKABE_ITO: tuple[str, ...] = (
    "0072B2",  # blue
    "E69F00",  # orange
    "009E73",  # bluish green
    "CC79A7",  # reddish purple
    "56B4E9",  # sky blue
    "D55E00",  # vermilion
    "F0E442",  # yellow
)
BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILION, YELLOW = OKABE_ITO

WHITE = "FFFFFF"
TEXT = "222222"
#: Greys, dark to light: secondary text, totals, rules and borders, zebra and panels.
GREY_DARK = "5F6B7A"
GREY = "8C96A3"
GREY_RULE = "BFC5CC"
GREY_LIGHT = "E3E6EA"
GREY_ZEBRA = "F2F4F7"
BRAND = "1F3A5F"


def _hex(value: str) -> str:
    """``"#1f3a5f"`` or ``"1F3A5F"`` -> ``"1F3A5F"``; anything else is a ValueError."""
    text = value.strip().lstrip("#").upper()
    if len(text) != 6 or any(c not in "0123456789ABCDEF" for c in text):
        raise ValueError(f"not an RRGGBB colour: {value!r}")
    return text


@dataclass(frozen=True, slots=True)
class Palette:
    """The colours one document is drawn with."""

    brand: str = BRAND
    text: str = TEXT
    muted: str = GREY_DARK
    rule: str = GREY_RULE
    zebra: str = GREY_ZEBRA
    data: tuple[str, ...] = OKABE_ITO

    @classmethod
    def from_brand(cls, colors: Mapping[str, object]) -> Palette:
        """From a brand.toml ``[colors]`` table (primary, text, muted, rule, zebra, accents)."""
        default = cls()
        accents = colors.get("accents")
        data = (
            tuple(_hex(str(c)) for c in accents)
            if isinstance(accents, (list, tuple)) and accents
            else default.data
        )

        def pick(key: str, fallback: str) -> str:
            value = colors.get(key)
            return _hex(value) if isinstance(value, str) else fallback

        return cls(
            brand=pick("primary", default.brand),
            text=pick("text", default.text),
            muted=pick("muted", default.muted),
            rule=pick("rule", default.rule),
            zebra=pick("zebra", default.zebra),
            data=data,
        )

    def series_colours(self, names: Iterable[str]) -> dict[str, str]:
        """Give each series name a data colour, in order of first appearance.

        Call once per document with every series name it will chart, and pass the result to
        every chart: the same series then keeps the same colour across the whole document.
        Past the palette's length colours repeat (a chart should not need 8 series).
        """
        assigned: dict[str, str] = {}
        for name in names:
            if name not in assigned:
                assigned[name] = self.data[len(assigned) % len(self.data)]
        return assigned


class Status(StrEnum):
    """Met / at risk / missed: always drawn with its word, never by colour alone."""

    MET = "met"
    AT_RISK = "at risk"
    MISSED = "missed"

    @property
    def colour(self) -> str:
        return _STATUS_COLOURS[self]

    @property
    def label(self) -> str:
        """The word printed beside or instead of the colour (Carlito has no check marks)."""
        return _STATUS_LABELS[self]


_STATUS_COLOURS = {Status.MET: GREEN, Status.AT_RISK: ORANGE, Status.MISSED: VERMILION}
_STATUS_LABELS = {Status.MET: "Met", Status.AT_RISK: "At risk", Status.MISSED: "Missed"}


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an RRGGBB colour (0 = black, 1 = white)."""
    rgb = _hex(colour)
    r, g, b = (int(rgb[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio, from 1 (same colour) to 21 (black on white)."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_on(background: str, dark: str = TEXT, light: str = WHITE) -> str:
    """The text colour (``dark`` or ``light``) with the higher contrast on ``background``."""
    if contrast_ratio(dark, background) >= contrast_ratio(light, background):
        return dark
    return light


def mix(colour: str, other: str, share: float) -> str:
    """``colour`` blended toward ``other`` by ``share`` (0 = colour, 1 = other), in sRGB."""
    a, b = _hex(colour), _hex(other)
    share = min(1.0, max(0.0, share))
    channels = (
        round(int(a[i : i + 2], 16) * (1 - share) + int(b[i : i + 2], 16) * share)
        for i in (0, 2, 4)
    )
    return "".join(f"{c:02X}" for c in channels)
