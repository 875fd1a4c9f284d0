"""The base every document builder fills in: a fixed sequence with one hook.

``Builder.build`` applies the audience filter before any hook sees an account, so no
builder can forget it (STYLE.md: the Sphinx builder pattern). A builder returns bytes in
:class:`Artifact` objects; it never decides where files go (the writer does).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import ClassVar, final

from kamdocs.audience import view_for
from kamdocs.config import Settings
from kamdocs.errors import UsageError
from kamdocs.model import Account, Audience, Portfolio


@dataclass(frozen=True)
class BuildOptions:
    """Everything a builder needs besides the account. Plain values only."""

    settings: Settings
    audience: Audience
    as_of: date
    #: A user's brand file (.pptx or .docx), None = the default brand in the package.
    template: Path | None = None
    #: Also produce a PDF through LibreOffice.
    pdf: bool = False
    #: For the QBR: the fiscal quarter label to report on ("2026-Q3"), None = from as_of.
    quarter: str | None = None
    #: For the EBR: the year to review, None = the year ending at as_of.
    year: int | None = None

    @property
    def logo(self) -> Path | None:
        """Our company's logo from config ``templates.logo`` (relative to the config file,
        else to the working folder), None when none is configured."""
        configured = self.settings.templates.logo
        if not configured:
            return None
        base = self.settings.path.parent if self.settings.path is not None else Path.cwd()
        return base / configured


@dataclass(frozen=True)
class PortfolioContext:
    """What a builder may know of the portfolio beyond one account (never other accounts)."""

    company: str
    currency: str
    locale: str
    source: str
    as_of: date
    input_hashes: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, portfolio: Portfolio) -> PortfolioContext:
        """The context of ``portfolio``: its portfolio-wide facts, none of its accounts."""
        return cls(company=portfolio.company, currency=portfolio.currency,
                   locale=portfolio.locale, source=portfolio.source, as_of=portfolio.as_of,
                   input_hashes=portfolio.input_hashes)


@dataclass(frozen=True)
class Artifact:
    """One produced file. ``pack`` groups the files of one folder (the EBR pack)."""

    account_id: str
    account_name: str
    kind: str
    audience: Audience
    #: File name inside the pack folder ("acme_ebr-deck_2026-11-23.pptx"), None for a single
    #: document.
    member: str | None
    suffix: str
    data: bytes
    #: What the file is for, for manifests ("executive deck", "briefing").
    role: str = ""
    #: Non-fatal problems (e.g. PDF conversion failed): the command exits 1.
    problems: tuple[str, ...] = field(default=())


class Builder(ABC):
    #: Chosen on the command line: ``kamdocs build qbr``.
    name: ClassVar[str]
    #: The audience used when the user does not choose one.
    default_audience: ClassVar[Audience]
    #: The audiences this builder can produce.
    audiences: ClassVar[tuple[Audience, ...]] = (Audience.INTERNAL, Audience.CUSTOMER)
    #: True when one account gives a folder of files (the EBR pack).
    is_pack: ClassVar[bool] = False

    def __init__(self, options: BuildOptions) -> None:
        if options.audience not in self.audiences:
            allowed = ", ".join(a.value for a in self.audiences)
            raise UsageError(f"{self.name} is built for {allowed}, not {options.audience.value}")
        self.options = options

    @final
    def build(self, portfolio: Portfolio, accounts: Iterable[Account]) -> Iterator[Artifact]:
        context = PortfolioContext.of(portfolio)
        self.prepare(context)
        for account in accounts:
            yield from self.render(view_for(account, self.options.audience), context)

    def prepare(self, context: PortfolioContext) -> None:
        """Once per run, before any account: load and check templates."""

    @abstractmethod
    def render(self, account: Account, context: PortfolioContext) -> list[Artifact]:
        """The documents of one account, already filtered for the audience."""
