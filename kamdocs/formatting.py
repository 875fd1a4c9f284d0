"""Numbers, money, percentages, dates and fiscal quarters as the configured locale writes them.

Every document, terminal table and generated sentence formats through this module, so
one config (``[locale] currency``, ``locale``, ``fiscal_year_start_month``) changes them
all. Babel (CLDR data) does the locale work; nothing here is hand-rolled per country.

API (``settings`` is a :class:`kamdocs.config.Settings`; a missing value -> :data:`MISSING`)::

    format_money(value, settings, short=False, cents=False) -> str
        full:  "$1,234,567" (en_US), "1.234.567 €" (de_DE); whole currency units unless cents
        short: "$1.2M", "$350K" (slides, sentences)
    format_number(value, settings, decimals=0) -> str          "1,234" / "1.234"
    format_percent(value, settings, signed=False) -> str       0.123 -> "12%", 0.05 -> "5.0%"
        no decimals from 10 % up, one below (DESIGN.md); signed=True gives "+12%" / "-3.0%"
    format_points(value, settings) -> str                      signed change: "+2.5", "-1"
    format_date(value, settings, style="medium") -> str        "Nov 15, 2026" / "15 Nov 2026"
    format_quarter(value, settings) -> str                     date -> fiscal label "2026-Q3"
    fiscal_quarter(value, start_month) -> (fiscal_year, quarter)
    quarter_label(value, start_month) -> "2026-Q3"
    quarter_bounds(label, start_month) -> (first day, last day)
    add_months(value, months) -> date                          end-of-month safe

Fiscal years are named after the calendar year in which they END (with a February start,
1 Feb 2026 - 31 Jan 2027 is fiscal 2027), Salesforce's "Fiscal Year is Based On: The Ending
Month". With the default January start the fiscal year is the calendar year.
"""

from __future__ import annotations

import calendar
import copy
import functools
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale, dates, numbers

from kamdocs.config import Settings
from kamdocs.errors import UsageError

#: What a missing value prints as (an em dash; documents add a footnote once per table).
MISSING = "\u2014"

_LABEL = re.compile(r"^(?:FY)?(\d{4})-?Q([1-4])$", re.IGNORECASE)


def _locale(settings: Settings) -> Locale:
    return _parsed_locale(settings.locale.locale)


@functools.cache
def _parsed_locale(name: str) -> Locale:
    # Parsing a locale is the slow part of every call; a locale's data never changes.
    return Locale.parse(name)


@functools.cache
def _pattern(locale: Locale, kind: str, digits: int) -> numbers.NumberPattern:
    formats = locale.currency_formats["standard"] if kind == "currency" else (
        locale.percent_formats[None])
    # A copy: babel may hand out one shared pattern object per format string.
    pattern = copy.copy(numbers.parse_pattern(formats))
    pattern.frac_prec = (digits, digits)
    return pattern


def _is_missing(value: object) -> bool:
    # NaN is the only value not equal to itself; it must never reach a document.
    return value is None or value != value  # noqa: PLR0124


def format_money(
    value: Decimal | float | None, settings: Settings, short: bool = False,
    cents: bool = False, *, short_digits: int = 1,
) -> str:
    """Money in the configured currency: full ("$1,234,567") or short ("$1.2M"); short with
    ``short_digits=0`` gives "$192K" where the default gives "$192.4K"."""
    if _is_missing(value):
        return MISSING
    locale = _locale(settings)
    currency = settings.locale.currency
    amount = Decimal(str(value))
    if short:
        return numbers.format_compact_currency(
            amount, currency, locale=locale, fraction_digits=short_digits
        )
    digits = 2 if cents else 0
    amount = amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    fast = _money_layout(settings.locale.locale, currency, digits)
    if fast is not None:
        return fast.apply(amount)
    return _babel_money(amount, locale, currency, digits)


def _babel_money(amount: Decimal, locale: Locale, currency: str, digits: int) -> str:
    return _pattern(locale, "currency", digits).apply(
        amount, locale, currency=currency, currency_digits=False
    )


class _MoneyLayout:
    """The locale's money layout learnt from babel once: sign and symbol around the digits,
    group and decimal marks. Babel's own formatting costs ~50 us a call, and a portfolio
    formats tens of thousands of amounts (reasons, scorecards, changes)."""

    def __init__(self, plus: tuple[str, str], minus: tuple[str, str], group: str,
                 decimal: str, digits: int) -> None:
        self.plus, self.minus, self.digits = plus, minus, digits
        self.marks = str.maketrans({",": group, ".": decimal})

    def apply(self, amount: Decimal) -> str:
        before, after = self.minus if amount < 0 else self.plus
        body = f"{abs(amount):,.{self.digits}f}".translate(self.marks)
        return f"{before}{body}{after}"


@functools.lru_cache(maxsize=64)
def _money_layout(locale_name: str, currency: str, digits: int) -> _MoneyLayout | None:
    """A fast layout equal to babel's output, or None (then babel formats every amount):
    only for 3-digit grouping, and only when it reproduces babel on a set of probes."""
    locale = _parsed_locale(locale_name)
    if _pattern(locale, "currency", digits).grouping != (3, 3):
        return None
    one = _babel_money(Decimal(7), locale, currency, 0)
    minus_one = _babel_money(Decimal(-7), locale, currency, 0)
    if one.count("7") != 1 or minus_one.count("7") != 1:
        return None
    symbols = locale.number_symbols["latn"]
    layout = _MoneyLayout(
        tuple(one.split("7")), tuple(minus_one.split("7")),  # type: ignore[arg-type]
        symbols["group"], symbols["decimal"], digits,
    )
    probes = ("0", "7", "-7", "999", "1000", "-1234.5", "1234567.89", "-98765432.1", "0.5")
    for probe in probes:
        amount = Decimal(probe).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        if layout.apply(amount) != _babel_money(amount, locale, currency, digits):
            return None
    return layout


def format_number(value: float | Decimal | None, settings: Settings, decimals: int = 0) -> str:
    """A plain number with the locale's separators and ``decimals`` fraction digits."""
    if _is_missing(value):
        return MISSING
    locale = _locale(settings)
    amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return numbers.format_decimal(
        amount, format="#,##0" + ("." + "0" * decimals if decimals else ""), locale=locale
    )


def format_percent(value: float | None, settings: Settings, signed: bool = False) -> str:
    """A share (0.12 = 12 %): no decimals from 10 % up, one decimal below (DESIGN.md)."""
    if _is_missing(value):
        return MISSING
    share = Decimal(str(value))
    digits = 0 if abs(share) >= Decimal("0.1") or share == 0 else 1
    share = share.quantize(Decimal(1).scaleb(-2 - digits), rounding=ROUND_HALF_UP)
    return _percent_text(share, digits, signed and share > 0, settings.locale.locale)


@functools.lru_cache(maxsize=8192)
def _percent_text(share: Decimal, digits: int, plus: bool, locale_name: str) -> str:
    # Rounded shares repeat a lot (a few thousand distinct values at most): format each once.
    locale = _parsed_locale(locale_name)
    text = _pattern(locale, "percent", digits).apply(share, locale)
    return locale.number_symbols["latn"]["plusSign"] + text if plus else text


def format_points(value: float | None, settings: Settings, decimals: int = 1) -> str:
    """A signed change in the measure's own unit: "+2.5", "-1.0", "0.0"."""
    if _is_missing(value):
        return MISSING
    text = format_number(value, settings, decimals)
    if Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals)) > 0:
        text = _locale(settings).number_symbols["latn"]["plusSign"] + text
    return text


def format_date(value: date | None, settings: Settings, style: str = "medium") -> str:
    """A date in the locale's ``style`` ("short", "medium", "long"): "15 Nov 2026" (en_GB)."""
    if value is None:
        return MISSING
    return _format_date(value, style, settings.locale.locale)


@functools.lru_cache(maxsize=4096)
def _format_date(value: date, style: str, locale: str) -> str:
    # A portfolio repeats the same few hundred dates (as_of, quarter ends, renewals).
    return dates.format_date(value, style, locale=_parsed_locale(locale))


def format_quarter(value: date | None, settings: Settings) -> str:
    """The fiscal quarter containing ``value``: "2026-Q3"."""
    if value is None:
        return MISSING
    return quarter_label(value, settings.locale.fiscal_year_start_month)


# --------------------------------------------------------------------------- calendar


def add_months(value: date, months: int) -> date:
    """``value`` moved by whole months, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    day = min(value.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def fiscal_quarter(value: date, start_month: int = 1) -> tuple[int, int]:
    """(fiscal year, quarter 1-4) of ``value``; the fiscal year is named by its end year."""
    offset = (value.month - start_month) % 12
    year = value.year if start_month == 1 or value.month < start_month else value.year + 1
    return year, offset // 3 + 1


def quarter_label(value: date, start_month: int = 1) -> str:
    year, quarter = fiscal_quarter(value, start_month)
    return f"{year}-Q{quarter}"


def quarter_bounds(label: str, start_month: int = 1) -> tuple[date, date]:
    """First and last day of a fiscal quarter label ("2026-Q3" or "FY2026Q3")."""
    match = _LABEL.match(label.strip())
    if not match:
        raise UsageError(f"not a quarter: {label!r} (expected a fiscal quarter like 2026-Q3)")
    year, quarter = int(match.group(1)), int(match.group(2))
    first_year = year if start_month == 1 else year - 1
    first = add_months(date(first_year, start_month, 1), 3 * (quarter - 1))
    last = add_months(first, 3)
    return first, date.fromordinal(last.toordinal() - 1)
