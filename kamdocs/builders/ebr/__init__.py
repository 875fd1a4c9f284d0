"""The executive business review pack (issue 8): deck, briefing, PDF and manifest.

``kamdocs build ebr DATA ACCOUNT [--year 2026 | --as-of DATE] [--pdf]`` writes one folder:

- the executive deck (PPTX, CUSTOMER-facing): the year in review, value against objectives,
  KPI trends, the ARR bridge, the partnership scorecard, the year ahead, the asks of both
  sides and the executive sponsors (:mod:`.slides` says what, :mod:`.deck` draws it);
- the executive briefing (DOCX, INTERNAL, two pages) for our executive sponsor
  (:mod:`.briefing`);
- the deck as PDF with ``--pdf`` (a failed conversion is a problem: exit 1, the rest stays);
- ``manifest.json`` (:mod:`.manifest`).

The pack mixes audiences, so the builder is registered for the INTERNAL audience (Builder.build
hands it the internal account) and makes the customer view itself: :meth:`EbrBuilder.render`
calls ``view_for(account, CUSTOMER)`` and gives the deck code that view only, and the deck's
planner refuses any account not filtered for the customer.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from kamdocs.audience import view_for
from kamdocs.builders.base import Artifact, Builder, PortfolioContext
from kamdocs.builders.ebr.briefing import BriefingDrawer, fit_pages, page_metrics, plan_briefing
from kamdocs.builders.ebr.deck import EbrDeck
from kamdocs.builders.ebr.facts import ReviewYear, review_year
from kamdocs.builders.ebr.manifest import PackFile, manifest_json
from kamdocs.builders.ebr.slides import EbrContent, plan_deck
from kamdocs.builders.qbr.deck import palette_of
from kamdocs.builders.qbr.words import Words
from kamdocs.builders.registry import register
from kamdocs.errors import RenderError, TemplateError
from kamdocs.model import Account, Audience
from kamdocs.render.convert import DEFAULT_TIMEOUT, to_pdf
from kamdocs.render.docx import Document, DocumentInfo
from kamdocs.render.lookup import Template, load_template, text_folders
from kamdocs.render.numbers import NumberStyle
from kamdocs.render.package import CoreProperties
from kamdocs.render.pptx import DeckInfo
from kamdocs.render.snippets import Snippets
from kamdocs.render.text import Font, xml_safe
from kamdocs.writer import slugify

#: Snippets this builder renders, with the variables each may use.
SNIPPETS: dict[str, set[str]] = {
    "ebr_cover_title": {"customer", "company"},
    "ebr_cover_subtitle": {"year", "period", "as_of"},
    "ebr_agenda_title": {"year"},
    "ebr_fills": {"section"},
    "marking_customer": {"customer"},
    "marking_internal_document": set(),
    "footer_as_of": {"as_of"},
    "footer_source": {"data_source"},
}
_DECK_SUFFIXES = (".pptx", ".potx", ".ppsx")
_DOCUMENT_SUFFIXES = (".docx", ".dotx")
MANIFEST = "manifest.json"


@register
class EbrBuilder(Builder):
    """``kamdocs build ebr``: the executive review pack (one folder per account)."""

    name: ClassVar[str] = "ebr"
    default_audience: ClassVar[Audience] = Audience.INTERNAL
    #: The pack holds a customer deck and an internal briefing: the builder receives the
    #: internal account and filters the deck's view itself (see the module docstring).
    audiences: ClassVar[tuple[Audience, ...]] = (Audience.INTERNAL,)
    is_pack: ClassVar[bool] = True
    #: Seconds the PDF conversion may take before it counts as failed.
    pdf_timeout: ClassVar[float] = DEFAULT_TIMEOUT

    def prepare(self, context: PortfolioContext) -> None:
        """Load and check both brand masters, the snippets and the review period once."""
        settings = self.options.settings
        logo, company = self.options.logo, context.company
        user = self.options.template
        deck_file = document_file = None
        if user is not None:
            suffix = Path(user).suffix.lower()
            if suffix in _DECK_SUFFIXES:
                deck_file = user
            elif suffix in _DOCUMENT_SUFFIXES:
                document_file = user
            else:
                raise TemplateError(f"{user}: an EBR template is a .pptx (the deck) or a .docx "
                                    "(the briefing)")
        self.deck_template: Template = load_template(
            "ebr", deck_file, layouts=settings.templates.layouts, logo=logo, company=company)
        self.briefing_template: Template = load_template("briefing", document_file, logo=logo,
                                                         company=company)
        self.snippets = Snippets(text_folders(self.deck_template if deck_file else
                                              self.briefing_template))
        for name, fields in SNIPPETS.items():
            self.snippets.check(fields, [name])
        self.year: ReviewYear = review_year(self.options.year, self.options.as_of,
                                            settings.locale.fiscal_year_start_month)
        self.words = Words(settings)
        self.numbers = NumberStyle(settings.locale.locale, settings.locale.currency)

    # ------------------------------------------------------------------ content

    def deck_content(self, shared: Account, context: PortfolioContext) -> EbrContent:
        """What the executive deck says (no drawing), from the CUSTOMER view only."""
        year, w = self.year, self.words
        content = plan_deck(shared, year, w, company=context.company,
                            fill=lambda section: self.snippets.render("ebr_fills",
                                                                      section=section))
        values = {"customer": shared.name, "company": context.company, "year": year.label,
                  "period": f"{w.date(year.start)} to {w.date(year.end)}",
                  "as_of": w.date(shared.as_of)}
        return replace(
            content,
            title=self.snippets.render("ebr_cover_title", customer=values["customer"],
                                       company=values["company"]),
            subtitle=self.snippets.render("ebr_cover_subtitle", year=values["year"],
                                          period=values["period"], as_of=values["as_of"]),
            agenda_title=self.snippets.render("ebr_agenda_title", year=values["year"]),
        )

    # ------------------------------------------------------------------ rendering

    def render(self, account: Account, context: PortfolioContext) -> list[Artifact]:
        if account.audience is not Audience.INTERNAL:
            raise RenderError("the EBR pack is built from the internal account")
        shared = view_for(account, Audience.CUSTOMER)
        content = self.deck_content(shared, context)
        deck = self.draw_deck(shared, content, context)
        briefing = self.draw_briefing(account, content, context)
        slug = slugify(account.name)
        stamp = account.as_of.isoformat()
        files = [PackFile(f"{slug}_ebr-deck_{stamp}.pptx", "executive deck", Audience.CUSTOMER,
                          deck),
                 PackFile(f"{slug}_ebr-briefing_{stamp}.docx", "executive briefing",
                          Audience.INTERNAL, briefing)]
        problems: tuple[str, ...] = ()
        if self.options.pdf:
            try:
                pdf = to_pdf(deck, ".pptx", timeout=self.pdf_timeout,
                             name=f"{account.id} executive deck")
            except RenderError as exc:
                # The deck and the briefing are good: keep them and report the PDF.
                problems = (f"PDF of the executive deck not produced: {exc.message}",)
            else:
                files.append(PackFile(f"{slug}_ebr-deck_{stamp}.pdf", "executive deck (PDF)",
                                      Audience.CUSTOMER, pdf))
        manifest = manifest_json(
            account_id=account.id, account_name=account.name, as_of=account.as_of,
            period=(self.year.label, self.year.start, self.year.end), company=context.company,
            source=context.source, input_hashes=context.input_hashes, files=files,
            problems=problems)
        artifacts = [self._artifact(account, f, problems if f.role == "executive deck" else ())
                     for f in files]
        artifacts.append(self._artifact(
            account, PackFile(MANIFEST, "manifest", Audience.INTERNAL, manifest), ()))
        return artifacts

    def _artifact(self, account: Account, file: PackFile, problems: tuple[str, ...]
                  ) -> Artifact:
        return Artifact(account_id=account.id, account_name=account.name, kind=self.name,
                        audience=file.audience, member=file.name,
                        suffix=Path(file.name).suffix, data=file.data, role=file.role,
                        problems=problems)

    def draw_deck(self, shared: Account, content: EbrContent, context: PortfolioContext
                  ) -> bytes:
        """The customer deck's bytes; ``shared`` is the customer view (its name, as-of)."""
        settings = self.options.settings
        info = DeckInfo(
            marking=self.snippets.render("marking_customer", customer=shared.name),
            as_of=self.snippets.render("footer_as_of", as_of=self.words.date(shared.as_of)),
            source=self.snippets.render("footer_source",
                                        data_source=settings.company.data_source),
        )
        core = CoreProperties(
            title=xml_safe(f"{content.title}: {content.subtitle}"), author=context.company,
            as_of=shared.as_of, subject=f"Executive business review {self.year.label}",
            keywords="EBR")
        drawer = EbrDeck(self.deck_template, info, core, self.numbers)
        slides = len(content.slides)
        drawer.draw_deck(content, cover_notes=(
            f"{slides} topics for {self.year.label}; the agenda follows. Numbers cover "
            f"{self.words.date(self.year.start)} to {self.words.date(self.year.end)}."))
        return drawer.to_bytes()

    def draw_briefing(self, account: Account, content: EbrContent,
                      context: PortfolioContext) -> bytes:
        """The internal two-page briefing's bytes, from the internal ``account``."""
        settings = self.options.settings
        plan = plan_briefing(account, self.year, settings, company=context.company,
                             gaps=content.gaps)
        info = DocumentInfo(
            marking=self.snippets.render("marking_internal_document"),
            as_of=self.snippets.render("footer_as_of", as_of=self.words.date(account.as_of)),
            source=self.snippets.render("footer_source",
                                        data_source=settings.company.data_source),
            header_title=xml_safe(account.name),
            locale=settings.locale.locale,
        )
        core = CoreProperties(title=xml_safe(plan.title), author=context.company,
                              as_of=account.as_of,
                              subject=f"Executive briefing, EBR {self.year.label}",
                              keywords="EBR briefing internal")
        doc = Document(self.briefing_template, info, core)
        metrics = replace(page_metrics(doc), font=Font(self.briefing_template.brand.body_font))
        palette = palette_of(self.briefing_template)
        return BriefingDrawer(doc, metrics, palette).draw(fit_pages(plan, metrics, palette))


__all__ = ["EbrBuilder", "plan_deck", "review_year"]
