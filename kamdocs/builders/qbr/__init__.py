"""The quarterly business review deck (PPTX), customer and internal versions (issue 7).

``kamdocs build qbr DATA ACCOUNT [--audience customer|internal] [--quarter 2026-Q3]``.

Three steps, each in its own module:

- :mod:`.facts`: the facts of the reported quarter (pure functions of the account);
- :mod:`.slides`: what each slide says (generated titles, tables, charts, notes);
- :mod:`.deck`: how it is drawn on the brand master (kamdocs.render).

The customer deck is built from ``view_for(account, CUSTOMER)`` (``Builder.build`` applies it).
The meeting slides of the internal deck are built from the customer view too, so the KAM
rehearses exactly what the customer will see; only the preparation slides and the
"Internal only" part of the speaker notes read internal fields.

A section without data is left out and the agenda follows (the customer never sees an empty
or "no data" slide in a deck presented to them); the internal deck lists every section left
out and the object/field that would fill it, so the KAM can fix the data before the meeting.
"""

from __future__ import annotations

from typing import ClassVar

from kamdocs.builders.base import Artifact, Builder, PortfolioContext
from kamdocs.builders.qbr.deck import QbrDeck
from kamdocs.builders.qbr.facts import FiscalQuarter, reported_quarter
from kamdocs.builders.qbr.slides import QbrContent, plan_content
from kamdocs.builders.qbr.words import Words
from kamdocs.builders.registry import register
from kamdocs.errors import RenderError
from kamdocs.model import Account, Audience
from kamdocs.render.convert import to_pdf
from kamdocs.render.lookup import Template, load_template, text_folders
from kamdocs.render.numbers import NumberStyle
from kamdocs.render.package import CoreProperties
from kamdocs.render.pptx import DeckInfo
from kamdocs.render.snippets import Snippets

#: The snippets this builder renders, and every variable they may use.
SNIPPETS = ("qbr_title", "qbr_cover_subtitle", "qbr_agenda_title", "qbr_fills",
            "marking_customer", "marking_internal_deck", "footer_as_of", "footer_source")
SNIPPET_FIELDS = frozenset({"customer", "company", "quarter", "next_quarter", "as_of",
                            "internal", "section", "data_source"})


@register
class QbrBuilder(Builder):
    name: ClassVar[str] = "qbr"
    default_audience: ClassVar[Audience] = Audience.CUSTOMER
    audiences: ClassVar[tuple[Audience, ...]] = (Audience.CUSTOMER, Audience.INTERNAL)

    def prepare(self, context: PortfolioContext) -> None:
        """Load and check the brand master and the text snippets once per run."""
        settings = self.options.settings
        self.template: Template = load_template(
            "qbr", self.options.template, layouts=settings.templates.layouts,
            logo=self.options.logo, company=context.company)
        self.snippets = Snippets(text_folders(self.template))
        self.snippets.check(set(SNIPPET_FIELDS), names=SNIPPETS)
        self.quarter: FiscalQuarter = reported_quarter(
            self.options.quarter, self.options.as_of, settings.locale.fiscal_year_start_month)
        self.words = Words(settings)
        self.numbers = NumberStyle(settings.locale.locale, settings.locale.currency)

    def content(self, account: Account, context: PortfolioContext) -> QbrContent:
        """What the deck of ``account`` says (no drawing): for tests and other outputs."""
        internal = account.audience is Audience.INTERNAL
        company = context.company
        values = {
            "customer": account.name, "company": company, "quarter": self.quarter.label,
            "next_quarter": self.quarter.shift(1).label, "internal": internal,
            "as_of": self.words.date(account.as_of),
        }

        def fill(section: str) -> str:
            return self.snippets.render("qbr_fills", section=section)

        content = plan_content(account, self.quarter, self.words, company, fill)
        return _with_cover(content, self.snippets, values)

    def render(self, account: Account, context: PortfolioContext) -> list[Artifact]:
        content = self.content(account, context)
        internal = account.audience is Audience.INTERNAL
        marking = (self.snippets.render("marking_internal_deck") if internal
                   else self.snippets.render("marking_customer", customer=account.name))
        info = DeckInfo(
            marking=marking,
            as_of=self.snippets.render("footer_as_of", as_of=self.words.date(account.as_of)),
            source=self.snippets.render("footer_source",
                                        data_source=self.options.settings.company.data_source),
        )
        core = CoreProperties(
            title=f"{content.title}: {content.subtitle}",
            author=context.company,
            as_of=account.as_of,
            subject=f"Quarterly business review {self.quarter.label}",
            keywords="QBR",
        )
        deck = QbrDeck(self.template, info, core, self.numbers,
                       logo_alt_text=self._logo_alt_text(context))
        deck.draw(content, notes_cover=_cover_notes(content, internal))
        data = deck.to_bytes()
        artifacts = [self._artifact(account, ".pptx", data)]
        if self.options.pdf:
            try:
                artifacts.append(self._artifact(account, ".pdf", to_pdf(data, ".pptx")))
            except RenderError as exc:
                artifacts[0] = self._artifact(account, ".pptx", data,
                                              problems=(f"PDF not produced: {exc}",))
        return artifacts

    def _logo_alt_text(self, context: PortfolioContext) -> str | None:
        """Alt text of the logo on the cover, or None when the brand has no logo of ours."""
        return f"{context.company} logo" if self.template.brand.logo else None

    def _artifact(self, account: Account, suffix: str, data: bytes,
                  problems: tuple[str, ...] = ()) -> Artifact:
        return Artifact(
            account_id=account.id, account_name=account.name, kind=self.name,
            audience=self.options.audience, member=None, suffix=suffix, data=data,
            role="QBR deck" if suffix == ".pptx" else "QBR deck (PDF)", problems=problems,
        )


def _with_cover(content: QbrContent, snippets: Snippets, values: dict[str, object]
                ) -> QbrContent:
    from dataclasses import replace

    return replace(
        content,
        title=snippets.render("qbr_title", **values),
        subtitle=snippets.render("qbr_cover_subtitle", **values),
        agenda_title=snippets.render("qbr_agenda_title", **values),
    )


def _cover_notes(content: QbrContent, internal: bool) -> str:
    sections = len(content.meeting)
    notes = f"{sections} topics for the meeting; the agenda follows."
    if internal:
        notes += (f" Internal only: {len(content.preparation)} preparation slides first; "
                  f"{len(content.gaps)} sections left out for lack of data.")
    return notes


__all__ = ["FiscalQuarter", "QbrBuilder", "plan_content", "reported_quarter"]
