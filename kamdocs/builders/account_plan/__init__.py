"""The account plan (DOCX): what each section of a key account plan says, in domain terms.

The plan is first laid out as plain blocks (:func:`plan_document`: sections of sentences,
key figures, tables, charts, a heat-table and a map), then drawn by the render toolkit
(:class:`AccountPlanBuilder`). Planning is pure, so tests can check the words and numbers
without opening Word; drawing knows nothing of the domain.

Two audiences: the internal plan (candid: health, tier, relationships, whitespace amounts,
internal risks, scorecard, changes) and the joint plan shared with the customer ("Prepared
for <customer>"): it only ever sees ``audience.view_for(account, CUSTOMER)``, and leaves out
whole sections whose content is internal rather than printing them empty.

The package, in four steps:

- :mod:`.blocks`: the plan's vocabulary (sections of sentences, figures, tables, charts);
- :mod:`.words`: number, date and money formats, brand snippets and small phrases;
- :mod:`.content` (with :mod:`.state`, :mod:`.relationships`, :mod:`.execution`,
  :mod:`.commercial`): what each section says, from the account (pure);
- :mod:`.drawing`: how the blocks are drawn in Word with the render toolkit.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from kamdocs.builders.account_plan.blocks import (
    DASH,
    LONG_CELL,
    NO_DATA_NOTE,
    Block,
    Bullets,
    ChartBlock,
    Column,
    Facts,
    Grid,
    HeatBlock,
    MapBlock,
    MapNode,
    PlanDocument,
    Section,
    Text,
    fold_grid,
    fold_section,
)
from kamdocs.builders.account_plan.content import plan_document
from kamdocs.builders.account_plan.drawing import PlanDrawer
from kamdocs.builders.account_plan.parts import FILLED_BY, LIMITS
from kamdocs.builders.account_plan.words import Words
from kamdocs.builders.base import Artifact, Builder, PortfolioContext
from kamdocs.builders.registry import register
from kamdocs.errors import RenderError
from kamdocs.model import Account, Audience
from kamdocs.render.convert import to_pdf
from kamdocs.render.docx import Document, DocumentInfo
from kamdocs.render.lookup import load_template, text_folders
from kamdocs.render.numbers import NumberStyle
from kamdocs.render.package import CoreProperties
from kamdocs.render.palette import Palette
from kamdocs.render.snippets import Snippets
from kamdocs.render.text import xml_safe

#: Kept for callers of the single-module builder (tests fold cells directly).
_fold_grid = fold_grid

__all__ = [
    "DASH", "FILLED_BY", "LIMITS", "LONG_CELL", "NO_DATA_NOTE", "AccountPlanBuilder", "Block",
    "Bullets", "ChartBlock", "Column", "Facts", "Grid", "HeatBlock", "MapBlock", "MapNode",
    "PlanDocument", "Section", "Text", "Words", "fold_grid", "fold_section", "plan_document",
]

#: Variables each sentence snippet may use (checked before any account renders).
SNIPPETS: dict[str, set[str]] = {
    "plan_cover_subtitle": {"audience"},
    "marking_internal_document": set(),
    "marking_customer": {"customer"},
    "footer_as_of": {"as_of"},
    "footer_source": {"data_source"},
    "plan_missing": {"source"},
    "plan_missing_joint": {"what"},
    "plan_single_threaded": {"account", "direct"},
    "plan_detractors": {"count", "names"},
    "plan_stale": {"count", "names", "days"},
    "plan_escalation": {"kam", "sponsor"},
    "plan_no_review": {"account"},
    "plan_explore": {"count", "account"},
}


@register
class AccountPlanBuilder(Builder):
    """``kamdocs build plan``: the account plan as a Word document."""

    name: ClassVar[str] = "plan"
    default_audience: ClassVar[Audience] = Audience.INTERNAL
    audiences: ClassVar[tuple[Audience, ...]] = (Audience.INTERNAL, Audience.CUSTOMER)

    def prepare(self, context: PortfolioContext) -> None:
        settings = self.options.settings
        self.template = load_template("account_plan", self.options.template,
                                      logo=self.options.logo, company=context.company)
        brand = self.template.brand
        self.palette = Palette.from_brand(
            {"primary": brand.primary, "text": brand.text, "muted": brand.muted,
             "rule": brand.rule, "zebra": brand.zebra, "accents": list(brand.accents)}
        )
        self.numbers = NumberStyle(settings.locale.locale, settings.locale.currency)
        self.snippets = Snippets(text_folders(self.template))
        for name, fields in SNIPPETS.items():
            self.snippets.check(fields, [name])

    def render(self, account: Account, context: PortfolioContext) -> list[Artifact]:
        settings = self.options.settings
        words = Words(settings, self.snippets)
        source = settings.company.data_source
        plan = plan_document(account, company=context.company, words=words)
        info = DocumentInfo(
            marking=plan.marking,
            as_of=words.snippet("footer_as_of", as_of=words.date(account.as_of)),
            source=words.snippet("footer_source", data_source=source),
            # The customer's marking already names them ("Prepared for Acme").
            header_title=xml_safe(account.name) if account.audience is Audience.INTERNAL else "",
            locale=settings.locale.locale,
        )
        core = CoreProperties(
            title=xml_safe(plan.title),
            author=context.company,
            as_of=account.as_of,
            subject="Account plan" if account.audience is Audience.INTERNAL else
            "Joint account plan",
        )
        doc = Document(self.template, info, core)
        data = PlanDrawer(doc, self.palette, self.numbers, words.money).draw(plan)
        artifacts = [
            Artifact(account.id, account.name, self.name, account.audience, None, ".docx", data,
                     role="account plan")
        ]
        if self.options.pdf:
            try:
                pdf = to_pdf(data, ".docx", name=f"{account.id} plan")
            except RenderError as exc:
                # The Word file is still good: keep it and report the PDF as a problem.
                artifacts[0] = dataclasses.replace(artifacts[0], problems=(str(exc.message),))
            else:
                artifacts.append(
                    Artifact(account.id, account.name, self.name, account.audience, None,
                             ".pdf", pdf, role="account plan (PDF)")
                )
        return artifacts
