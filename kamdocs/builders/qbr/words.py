"""Numbers, dates and counts in words, through kamdocs.formatting (the configured locale)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from kamdocs.config import Settings
from kamdocs.formatting import (
    MISSING,
    format_date,
    format_money,
    format_number,
    format_percent,
    format_points,
)

if TYPE_CHECKING:
    from kamdocs.builders.qbr.facts import FiscalQuarter, KpiResult


# --------------------------------------------------------------------------- words


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``"1 KPI"``, ``"3 KPIs"``, ``"2 priorities"``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def tally(met: int, total: int, noun: str) -> str:
    """``"3 of 4 KPIs met"``, ``"all 4 KPIs met"``, ``"none of 3 SLAs met"``, ``"1 SLA missed"``."""
    if total == 1:
        return f"{plural(1, noun)} {'met' if met else 'missed'}"
    if met == total:
        return f"all {plural(total, noun)} met"
    if met == 0:
        return f"none of {plural(total, noun)} met"
    return f"{met} of {plural(total, noun)} met"


def sentence(text: str) -> str:
    """``text`` with its first letter capitalised (sentence case), the rest untouched."""
    return text[:1].upper() + text[1:]


def listing(names: list[str], limit: int = 3) -> str:
    """``"A"``, ``"A and B"``, ``"A, B and C"``, ``"A, B, C and 2 more"``."""
    shown = names[:limit]
    rest = len(names) - len(shown)
    if rest:
        return ", ".join(shown) + f" and {rest} more"
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


@dataclass(frozen=True)
class Words:
    """Numbers, dates and measures as the configured locale writes them (kamdocs.formatting)."""

    settings: Settings

    def date(self, day: date | None) -> str:
        return format_date(day, self.settings)

    def month(self, day: date) -> str:
        """"August 2026": the period a monthly measurement covers."""
        return format_date(day, self.settings, style="MMMM y")

    def money(self, amount: Decimal | None) -> str:
        return format_money(amount, self.settings, short=True)

    def money_as_charts(self, amount: Decimal | None) -> str:
        """Money abbreviated as the chart labels beside it are: "$192K", "$1.2M", "$831".

        :meth:`money` gives "$192.4K" next to a bar labelled "$192K", and "$830.84" in a
        column of thousands; one precision per magnitude reads as one set of numbers.
        """
        if amount is None:
            return MISSING
        size = abs(Decimal(str(amount)))
        if size >= 1_000_000:
            return format_money(amount, self.settings, short=True)
        if size >= 1_000:
            return format_money(amount, self.settings, short=True, short_digits=0)
        return format_money(amount, self.settings)

    def kpi(self, value: float | None, unit: str | None) -> str:
        """A KPI value as the customer reads it: :meth:`measure`, but an amount in the
        document's currency is money ("$127.64", not "127.64 USD") and a bare count or score
        carries no unit word ("1,084", not "1,084 count")."""
        if value is None:
            return MISSING
        unit = (unit or "").strip()
        if self._is_currency(unit):
            return format_money(value, self.settings, cents=_decimals(value) > 0)
        return self.measure(value, None if unit.lower() in _PLAIN_UNITS else unit)

    def _is_currency(self, unit: str) -> bool:
        return bool(unit) and unit.upper() == self.settings.locale.currency.upper()

    def percent(self, share: float | None) -> str:
        return format_percent(share, self.settings)

    def measure(self, value: float | None, unit: str | None) -> str:
        """A KPI value as recorded (up to two decimals, never rounded into a target) + unit."""
        if value is None:
            return MISSING
        text = format_number(value, self.settings, _decimals(value))
        return _with_unit(text, unit)

    def change(self, result: KpiResult) -> str:
        """Signed change vs the previous quarter in the KPI's unit, with better/worse in words."""
        change = result.change
        if change is None:
            return MISSING
        unit = (result.unit or "").strip()
        if self._is_currency(unit):
            text = format_money(change, self.settings, cents=_decimals(change) > 0)
            text = f"+{text}" if change > 0 else text
        else:
            text = format_points(change, self.settings, _decimals(change))
            text = _with_unit(text, "pts" if unit == "%" else
                              None if unit.lower() in _PLAIN_UNITS else unit)
        better = result.is_improvement
        return text if better is None else f"{text} ({'better' if better else 'worse'})"

    def period(self, day: date, result: KpiResult, quarter: FiscalQuarter) -> str:
        """How a measurement period reads: the month when measured several times in the
        quarter ("August 2026"), else the quarter itself ("2026-Q3")."""
        return self.month(day) if len(result.periods) > 1 else quarter.label

    def change_or_none(self, result: KpiResult) -> str | None:
        """:meth:`change` for a table cell: None (an em dash with a footnote) when unknown."""
        return None if result.change is None else self.change(result)


#: Units that only say "a number": the KPI's name says what is counted or scored.
_PLAIN_UNITS = frozenset({"count", "score", "number", "#"})


def _decimals(value: float) -> int:
    for decimals in (0, 1):
        if round(value, decimals) == round(value, 6):
            return decimals
    return 2


def _with_unit(text: str, unit: str | None) -> str:
    unit = (unit or "").strip()
    if not unit or text == MISSING:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


