"""Numbers, money, percentages and dates as the locale writes them, and chart format codes.

Text comes from babel (CLDR data). Missing values become an em dash, never ``nan``, ``None`` or
``0``; tables add :data:`MISSING_NOTE` once. Chart data labels and axes need Excel format codes
instead of text: :meth:`NumberStyle.chart_format` picks one unit for a whole chart (``$1.2M``,
``$350K``) so every label of a chart is abbreviated the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_symbol,
)

EM_DASH = "\u2014"
#: The footnote a table with any missing value carries once.
MISSING_NOTE = f"{EM_DASH} no data provided"

Number = int | float | Decimal

_SCALES = ((1_000_000_000, 3), (1_000_000, 2), (1_000, 1))


def _last_zero_with_decimal(pattern: str) -> str:
    """``#,##0 %`` -> ``#,##0.# %``: an optional decimal (4.5 %, but 3 %), first sub-pattern."""
    head = pattern.split(";")[0]
    index = head.rfind("0")
    return head if index < 0 else head[: index + 1] + ".#" + head[index + 1 :]


def _quoted(text: str) -> str:
    """Literal text for an Excel format code (quotes doubled, wrapped in quotes)."""
    return '"' + text.replace('"', '""') + '"' if text else ""


@dataclass(frozen=True, slots=True)
class NumberStyle:
    """How one document writes numbers: a CLDR locale and the ISO currency of its amounts."""

    locale: str = "en_US"
    currency: str = "USD"

    # --- text -----------------------------------------------------------------------------

    def number(self, value: Number | None, decimals: int = 0) -> str:
        if value is None:
            return EM_DASH
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def money(self, value: Number | None, short: bool = False) -> str:
        """Full (``$1,234,567``, Word tables) or abbreviated (``$1.2M``, slides)."""
        if value is None:
            return EM_DASH
        if short:
            return format_compact_currency(
                value, self.currency, locale=self.locale, fraction_digits=1
            )
        pattern = Locale.parse(self.locale).currency_formats["standard"].pattern
        pattern = re.sub(r"\.0+", "", pattern.split(";")[0])
        return format_currency(
            value, self.currency, format=pattern, locale=self.locale, currency_digits=False
        )

    def compact(self, value: Number | None) -> str:
        """A plain number abbreviated as the locale does (``1.2M``, ``1,2 Mio.``)."""
        if value is None:
            return EM_DASH
        return format_compact_decimal(value, locale=self.locale, fraction_digits=1)

    def percent(self, fraction: Number | None) -> str:
        """``0.123`` -> ``12%``; under 10 % one decimal when it is not zero (``4.5%``, ``3%``)."""
        if fraction is None:
            return EM_DASH
        pattern = Locale.parse(self.locale).percent_formats[None].pattern
        if 0 < abs(fraction) < Decimal("0.1"):
            pattern = _last_zero_with_decimal(pattern)
        return format_percent(fraction, format=pattern, locale=self.locale)

    def delta_percent(self, fraction: Number | None) -> str:
        """Signed change: ``+12%``, ``-3%``, ``0%``."""
        if fraction is None:
            return EM_DASH
        text = self.percent(fraction)
        return "+" + text if fraction > 0 else text

    def delta_points(self, points: Number | None) -> str:
        """Signed change in percentage points: ``+4 pts``, ``-3 pts``."""
        if points is None:
            return EM_DASH
        text = self.number(points, 0 if float(points).is_integer() else 1)
        return ("+" + text if points > 0 else text) + " pts"

    def date(self, value: date | None) -> str:
        """The locale's medium date (``15 Nov 2026`` in en_GB, ``Nov 15, 2026`` in en_US)."""
        if value is None:
            return EM_DASH
        return format_date(value, format="medium", locale=self.locale)

    # --- chart format codes ---------------------------------------------------------------

    def _unit_suffix(self, power: int) -> str | None:
        """The locale's short word for 10**(3*power) (``K``, ``M``, `` Mio.``), if it has one.

        None when the locale writes that magnitude in full (German thousands) or abbreviates
        by a unit Excel's thousands commas cannot express (Japanese 万 = 10**4).
        """
        formats = Locale.parse(self.locale).compact_decimal_formats.get("short", {})
        forms = formats.get("other") or formats.get("one") or {}
        key = 10 ** (3 * power)
        pattern = getattr(forms.get(str(key)), "pattern", None) if forms else None
        if not pattern or pattern == "0":
            return None
        digits = re.search(r"0+", pattern)
        if digits is None or digits.start() > 0 and pattern[: digits.start()].strip("'"):
            return None  # a word before the number: not expressible after an Excel number
        if key // 10 ** (len(digits.group()) - 1) != key:
            return None
        word = pattern[digits.end() :].replace("'", "")
        return word if word.strip() else None

    def chart_format(
        self, values: Iterable[Number | None], kind: str = "number", exact: bool = False
    ) -> str:
        """An Excel format code for every label and axis of one chart.

        ``kind`` is ``"number"``, ``"money"`` (the document currency) or ``"percent"`` (values
        are fractions). One unit for the whole chart, from its largest absolute value.
        ``exact`` picks the largest unit that shows every value without rounding (waterfalls:
        the labels must add up, so $1,000K + $400K - $150K ... rather than $1.0M + $0.4M ...).
        """
        if kind == "percent":
            return "0%"
        present = [abs(Decimal(str(v))) for v in values if v is not None]
        largest = max(present, default=Decimal(0))
        body, suffix = "#,##0", ""
        for threshold, power in _SCALES:
            word = self._unit_suffix(power)
            step = Decimal(threshold) / (10 if power >= 2 else 1)
            if exact and any(v % step for v in present):
                continue
            if largest >= threshold and word is not None:
                body = "#,##0" + (".0" if power >= 2 else "") + "," * power
                suffix = word
                break
        if kind != "money":
            return body + _quoted(suffix)
        symbol = get_currency_symbol(self.currency, locale=self.locale)
        pattern = Locale.parse(self.locale).currency_formats["standard"].pattern.split(";")[0]
        if pattern.strip().startswith("\u00a4"):
            gap = " " if re.match(r"\u00a4\s", pattern.strip()) else ""
            return _quoted(symbol + gap) + body + _quoted(suffix)
        return body + _quoted(suffix + "\u00a0" + symbol)
