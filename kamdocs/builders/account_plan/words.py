"""The plan's words: the locale's number and date formats, brand snippets, small phrases."""

from __future__ import annotations

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
from kamdocs.model import Action, ActionStatus, Stakeholder, WhitespaceCell
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
        return self.snippets.render(name, **values)


# --------------------------------------------------------------------------- phrases

DONE_WORDS = {"done", "achieved", "completed", "complete", "closed", "met"}
HIGH_WORDS = {"high", "critical"}
CORE_ROLES = ("Key Account Manager", "Executive Sponsor", "Sales Engineer", "Customer Success")


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
    if cell.is_covered is None:
        return None
    return "yes, fully" if cell.is_covered else "no"


def action_status(action: Action) -> str:
    if action.is_overdue:
        days = action.days_overdue
        return f"OVERDUE by {days} day{'s' if days != 1 else ''}"
    if action.status is ActionStatus.DONE:
        return "done"
    return "due soon" if action.is_due_soon else (action.raw_status or "open")


def count(n: int, noun: str) -> str:
    """ "1 action", "3 actions" (nouns here all take a plain -s plural)."""
    return f"{n} {noun}{'s' if n != 1 else ''}"

