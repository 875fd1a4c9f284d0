"""The plan's words: the locale's number and date formats, brand snippets, small phrases."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from kamdocs.config import Settings
from kamdocs.formatting import (
    format_date,
    format_money,
    format_number,
    format_percent,
    format_points,
)
from kamdocs.model import Action, ActionStatus, Kpi, RenewalStatus, Stakeholder, WhitespaceCell
from kamdocs.render.snippets import Snippets


class Words:
    """The configured locale's formats, plus the sentence snippets brand owners may reword."""

    def __init__(self, settings: Settings, snippets: Snippets) -> None:
        self.settings = settings
        self.snippets = snippets

    def money(self, value: Decimal) -> str:
        return format_money(value, self.settings)

    def percent(self, value: float) -> str:
        return format_percent(value, self.settings)

    def signed_percent(self, value: float) -> str:
        return format_percent(value, self.settings, signed=True)

    def number(self, value: float) -> str:
        """A measured value with only the decimals it has (99.95, 80, 2.5), at most two."""
        decimals = next(d for d in (0, 1, 2) if round(value, d) == round(value, 2))
        return format_number(value, self.settings, decimals)

    def points(self, value: float) -> str:
        decimals = next(d for d in (0, 1, 2) if round(value, d) == round(value, 2))
        return format_points(value, self.settings, decimals)

    def date(self, value: date) -> str:
        return format_date(value, self.settings)

    def snippet(self, name: str, **values: object) -> str:
        """The brand's sentence ``text/<name>.j2`` rendered with ``values``."""
        return one_stop(self.snippets.render(name, **values))

    def score(self, value: float) -> str:
        """A whitespace score: always one decimal, so a column of scores lines up (2.0, 1.5)."""
        return format_number(round(value, 1), self.settings, 1)

    def measure(self, value: float, unit: str | None) -> str:
        """A KPI value as recorded, with its unit: "62.1%", "24.5 hours", "1,084"."""
        return with_unit(self.number(value), unit)

    def change(self, kpi: Kpi) -> str | None:
        """The change since the previous period in the KPI's unit, and whether it is better:
        "-3.3 pts (worse)", "-0.8 hours (better)", "0"."""
        if kpi.change is None:
            return None
        unit = "pts" if (kpi.unit or "").strip() == "%" else kpi.unit
        text = with_unit(self.points(kpi.change), unit)
        if round(kpi.change, 2) == 0:
            return text
        better = (kpi.change > 0) == kpi.higher_is_better
        return f"{text} ({'better' if better else 'worse'})"


# --------------------------------------------------------------------------- phrases

DONE_WORDS = {"done", "achieved", "completed", "complete", "closed", "met"}
HIGH_WORDS = {"high", "critical"}
#: The roles every key account should have; a team role counts when it starts with one
#: ("Customer Success Manager" is customer success).
CORE_ROLES = ("Key Account Manager", "Executive Sponsor", "Sales Engineer", "Customer Success")

#: Units that only name what is counted: the number says it alone ("1,084", not "1,084 count").
_BARE_UNITS = {"count", "number", "#", "score", "ratio", "index"}

#: The renewal status as a sentence says it.
RENEWAL_PHRASES = {
    RenewalStatus.NO_DATE: "no renewal date",
    RenewalStatus.NOT_IN_WINDOW: "not yet in the renewal window",
    RenewalStatus.COVERED: "in the renewal window, opportunity open",
    RenewalStatus.MISSING: "in the renewal window, no opportunity yet",
    RenewalStatus.LATE: "late, no renewal opportunity yet",
    RenewalStatus.RENEWED: "renewed",
    RenewalStatus.LAPSED: "lapsed without a renewal",
}

#: The renewal status as a table value (the phrase above goes in the detail column).
RENEWAL_SHORT = {
    RenewalStatus.NO_DATE: "No date",
    RenewalStatus.NOT_IN_WINDOW: "Not in window",
    RenewalStatus.COVERED: "Covered",
    RenewalStatus.MISSING: "Missing",
    RenewalStatus.LATE: "Late",
    RenewalStatus.RENEWED: "Renewed",
    RenewalStatus.LAPSED: "Lapsed",
}


def one_stop(text: str) -> str:
    """``text`` without the doubled full stop of a name that ends in one ("Acme Ltd..")."""
    return re.sub(r"(?<=\w)\.\.(?!\.)", ".", text)


def with_unit(number: str, unit: str | None) -> str:
    unit = (unit or "").strip()
    if not unit or unit.lower() in _BARE_UNITS:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


def status_word(value: str) -> str:
    """A status in sentence case, like every status cell of the plan: "Not Started" ->
    "Not started", "active" -> "Active", "in progress" -> "In progress"."""
    words = value.split(" ")
    if len(words) > 1 and all(w[:1].isupper() for w in words if w):
        # A Title Case picklist value: keep only the first capital.
        words = [words[0], *(w.lower() for w in words[1:])]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def or_none(value: str | None) -> str | None:
    return value if value not in (None, "") else None


def who(s: Stakeholder) -> str:
    return f"{s.name} ({s.title})" if s.title else s.name


def money_or_none(w: Words, value: Decimal | None) -> str | None:
    return w.money(value) if value is not None else None


def date_or_none(w: Words, value: date | None) -> str | None:
    return w.date(value) if value is not None else None


def share(probability: float) -> float:
    """A probability as a share: Salesforce writes 0-100, the model may hold 0-1."""
    return probability / 100 if probability > 1 else probability


def coverage_word(cell: WhitespaceCell) -> str | None:
    """Whether open pipeline covers the cell: "Yes", "Partly" (some pipeline), "No"."""
    if cell.is_covered is None:
        return None
    if cell.is_covered:
        return "Yes"
    return "Partly" if (cell.open_pipeline or 0) > 0 else "No"


def action_status(action: Action) -> str:
    if action.is_overdue:
        days = action.days_overdue
        return f"Overdue by {days} day{'s' if days != 1 else ''}"
    if action.status is ActionStatus.DONE:
        return "Done"
    return "Due soon" if action.is_due_soon else status_word(action.raw_status or "open")


def count(n: int, noun: str) -> str:
    """ "1 action", "3 actions" (nouns here all take a plain -s plural)."""
    return f"{n} {noun}{'s' if n != 1 else ''}"

