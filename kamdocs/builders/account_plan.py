"""The account plan (DOCX): what each section of a key account plan says, in domain terms.

The plan is first laid out as plain blocks (:func:`plan_document`: sections of sentences,
key figures, tables, charts, a heat-table and a map), then drawn by the render toolkit
(:class:`AccountPlanBuilder`). Planning is pure, so tests can check the words and numbers
without opening Word; drawing knows nothing of the domain.

Two audiences: the internal plan (candid: health, tier, relationships, whitespace amounts,
internal risks, scorecard, changes) and the joint plan shared with the customer ("Prepared
for <customer>"): it only ever sees ``audience.view_for(account, CUSTOMER)``, and leaves out
whole sections whose content is internal rather than printing them empty.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from kamdocs.builders.base import Artifact, Builder, PortfolioContext
from kamdocs.builders.registry import register
from kamdocs.config import Settings
from kamdocs.errors import RenderError
from kamdocs.formatting import (
    format_date,
    format_money,
    format_number,
    format_percent,
    format_points,
)
from kamdocs.model import (
    Account,
    Action,
    ActionStatus,
    Audience,
    Kpi,
    RagStatus,
    RenewalStatus,
    Stakeholder,
    WhitespaceCell,
)
from kamdocs.render.charts import ChartSpec, Series
from kamdocs.render.charts import render_docx as render_docx_chart
from kamdocs.render.convert import to_pdf
from kamdocs.render.docx import Document, DocumentInfo
from kamdocs.render.geometry import EMU_PER_CM, EMU_PER_PT, Box, inches
from kamdocs.render.heat import HeatSpec, render_docx_heat
from kamdocs.render.lookup import load_template, text_folders
from kamdocs.render.numbers import NumberStyle
from kamdocs.render.orgmap import AccessEdge, OrgNode, OrgStyle, layout_org, render_png_org
from kamdocs.render.package import CoreProperties
from kamdocs.render.palette import GREEN, VERMILION, Palette
from kamdocs.render.snippets import Snippets
from kamdocs.render.tables import Column as TableColumn
from kamdocs.render.tables import Row, TableSpec, render_docx_table
from kamdocs.render.text import xml_safe

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

# --------------------------------------------------------------------------- blocks

Align = Literal["left", "right"]

#: Shown in place of a missing value; a footnote under the table explains it once.
DASH = "\u2014"
NO_DATA_NOTE = f"{DASH} no data provided"


@dataclass(frozen=True)
class Text:
    """A paragraph. ``role``: lead (the section's message), body, note, warning, missing."""

    text: str
    #: "labelled": the words before the first ": " are printed bold.
    role: Literal["lead", "body", "note", "warning", "missing", "quote", "labelled"] = "body"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    header: str
    align: Align = "left"
    #: Smallest width in cm; the rest is shared out by content.
    min_cm: float = 1.5


@dataclass(frozen=True)
class Grid:
    """A table. ``None`` in a cell is a missing value (drawn as an em dash + footnote)."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str | None, ...], ...]
    caption: str = ""
    #: Row indexes drawn highlighted (overdue actions), always with a word in the row too.
    emphasis: tuple[int, ...] = ()
    #: Last row is a totals row (bold).
    has_total: bool = False


@dataclass(frozen=True)
class Facts:
    """Key figures: (label, value, note) lines; value None = missing."""

    rows: tuple[tuple[str, str | None, str], ...]


@dataclass(frozen=True)
class ChartBlock:
    """A native chart: ``kind`` as render.charts understands it; values None = missing."""

    kind: str
    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    alt_text: str
    #: "money" (the document currency), "percent" (fractions) or "number".
    unit: Literal["money", "percent", "number"] = "number"
    targets: tuple[float | None, ...] | None = None
    #: Categories are periods: keep their order.
    is_time: bool = False
    #: What would fill the chart when it has no data ("Opportunity (closed won)").
    missing: str = ""


@dataclass(frozen=True)
class HeatBlock:
    """Whitespace product x business unit: amounts (None = no cell), negative = above potential."""

    #: The table's message, printed as its caption.
    title: str
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    values: tuple[tuple[Decimal | None, ...], ...]


@dataclass(frozen=True)
class MapNode:
    id: str
    parent_id: str | None
    name: str
    title: str
    #: The internal line under the name: stance word, influence, who reaches them.
    badge: str
    #: "champion", "detractor" or "" (the colour of the badge stripe, with its word).
    stance: str
    #: The contact through whom our side reaches this one (dotted line), if any.
    via_id: str | None = None


@dataclass(frozen=True)
class MapBlock:
    """The relationship map: a reports-to forest drawn as a picture."""

    nodes: tuple[MapNode, ...]
    alt_text: str


Block = Text | Bullets | Grid | Facts | ChartBlock | HeatBlock | MapBlock


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]
    level: int = 1
    children: tuple[Section, ...] = ()


@dataclass(frozen=True)
class PlanDocument:
    #: The document's title (core properties): "Account plan: Acme Corp".
    title: str
    #: Cover: the account name, big, then the subtitle ("Account plan").
    cover_title: str
    subtitle: str
    marking: str
    #: Cover lines: (label, value).
    cover: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    appendix: tuple[Section, ...]


# --------------------------------------------------------------------------- words


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


#: Columns per chart: DESIGN.md allows 12 labelled points, but on a portrait page more than
#: 8 columns slant their names until the plot is unreadable.
_CHART_POINTS = 8

# Rows shown inside a section before the list moves to the appendix (with a count).
LIMITS = {
    "actions": 25,
    "stakeholders": 25,
    "holdings": 20,
    "kpis": 20,
    "goals": 20,
    "risks": 15,
    "opportunities": 15,
    "whitespace_cells": 0,  # cells always go to the appendix; the section shows the heat-table
    "changes": 30,
    # Contacts drawn in the relationships section; a larger map goes to the appendix.
    "map": 30,
}

# What fills an empty section, named the way the user's export names it.
FILLED_BY = {
    "holdings": "Asset records (product, Business_Unit__c, Region__c, Annual_Value__c)",
    "revenue": "closed-won Opportunity records (Amount, CloseDate)",
    "pipeline": "open Opportunity records (StageName, Amount)",
    "kpis": "KPI_Measurement__c records (Actual__c, Target__c)",
    "goals": "Account_Goal__c records",
    "objectives": "Account_Plan__c.Customer_Objectives__c",
    "stakeholders": "Contact records (Title, ReportsToId, Influence__c, Stance__c)",
    "team": "AccountTeamMember records (UserId, TeamMemberRole)",
    "whitespace": "Whitespace_Potential__c records (Product__c, Business_Unit__c, Potential__c)",
    "risks": "Account_Risk__c records",
    "actions": "Task records on the account (Subject, ActivityDate, OwnerId, Status)",
    "renewal": "Account.Renewal_Date__c or a Contract with an EndDate",
    "opportunities": "open Opportunity records",
    "scorecard": "the derived review (needs revenue, KPIs, actions and contacts)",
    "narrative": "Account_Plan__c.Executive_Summary__c",
}


def _or_none(value: str | None) -> str | None:
    return value if value not in (None, "") else None


# --------------------------------------------------------------------------- the plan


def plan_document(account: Account, *, company: str, words: Words) -> PlanDocument:
    """Lay out the whole plan for ``account`` (already filtered for its audience)."""
    return _Planner(account, words).document(company=company)


class _Planner:
    """Builds each section from one account; one instance per document."""

    def __init__(self, account: Account, words: Words) -> None:
        self.account = account
        self.w = words
        self.is_internal = account.audience is Audience.INTERNAL
        self.appendix: list[Section] = []

    # ------------------------------------------------------------------ frame

    def document(self, *, company: str) -> PlanDocument:
        a = self.account
        audience = a.audience.value
        subtitle = self.w.snippet("plan_cover_subtitle", audience=audience)
        if self.is_internal:
            marking = self.w.snippet("marking_internal_document")
        else:
            marking = self.w.snippet("marking_customer", customer=a.name)
        title = f"{subtitle}: {a.name}"
        sections = tuple(
            s
            for s in (
                self.executive_summary(),
                self.current_state(),
                self.goals(),
                self.relationships(),
                self.whitespace(),
                self.risks(),
                self.action_plan(),
                self.renewal(),
                self.scorecard() if self.is_internal else None,
                self.changes() if self.is_internal else None,
            )
            if s is not None
        )
        return PlanDocument(
            title=title,
            cover_title=a.name,
            subtitle=subtitle,
            marking=marking,
            cover=self.cover(company),
            sections=tuple(_fold_section(s) for s in sections),
            appendix=tuple(_fold_section(s) for s in self.appendix),
        )

    def cover(self, company: str) -> tuple[tuple[str, str], ...]:
        a = self.account
        lines = [("Account", a.name), ("As of", self.w.date(a.as_of))]
        if a.owner is not None:
            lines.append(("Account owner", a.owner.name))
        if self.is_internal and a.tiering.current_tier is not None:
            lines.append(("Tier", f"Tier {a.tiering.current_tier}"))
        lines.append(("Prepared by", company))
        return tuple(lines)

    def _missing(self, what: str) -> Text:
        return Text(self.w.snippet("plan_missing", source=FILLED_BY[what]), "missing")

    def _to_appendix(self, title: str, grid: Grid, shown: int, noun: str) -> tuple[Grid, Text]:
        """Keep the first ``shown`` rows here, the complete list in a new appendix section."""
        letter = chr(ord("A") + len(self.appendix))
        total = len(grid.rows)
        full = Grid(grid.columns, grid.rows, f"All {total} {noun}", grid.emphasis, grid.has_total)
        self.appendix.append(Section(title[:1].upper() + title[1:], (full,)))
        emphasis = tuple(i for i in grid.emphasis if i < shown)
        head = Grid(grid.columns, grid.rows[:shown], grid.caption, emphasis)
        pointer = f"{shown} of {total} {noun} shown; all {total} in appendix {letter}."
        return head, Text(pointer, "note")

    def _limited(self, title: str, grid: Grid, limit: int, noun: str) -> tuple[Block, ...]:
        if len(grid.rows) <= limit:
            return (grid,)
        if limit == 0:
            letter = chr(ord("A") + len(self.appendix))
            self.appendix.append(Section(title[:1].upper() + title[1:], (grid,)))
            return (Text(f"All {len(grid.rows)} {noun} are listed in appendix {letter}.", "note"),)
        return self._to_appendix(title, grid, limit, noun)

    # ------------------------------------------------------------------ 1. summary

    def executive_summary(self) -> Section:
        a = self.account
        blocks: list[Block] = [Text(self.summary_sentence(), "lead")]
        # The KAM's own words first (Account_Plan__c), then the figures they rest on.
        if self.is_internal:
            if a.plan.executive_summary:
                blocks.append(Text(a.plan.executive_summary, "quote"))
            else:
                blocks.append(self._missing("narrative"))
            if a.plan.strategy:
                blocks.append(Text(f"Strategy: {a.plan.strategy}", "labelled"))
        if a.plan.value_proposition:
            blocks.append(
                Text(f"What we bring to {a.name}: {a.plan.value_proposition}", "labelled")
            )
        blocks.append(Facts(self.key_figures()))
        return Section("Executive summary", tuple(blocks))

    def summary_sentence(self) -> str:
        """The plan's message in one or two sentences, from the numbers."""
        a, w = self.account, self.w
        rev = a.revenue
        parts: list[str] = []
        if rev.current_annual is not None:
            growth = ""
            if rev.growth is not None:
                growth = f" ({w.signed_percent(rev.growth)} year on year)"
            if self.is_internal:
                parts.append(f"{a.name} brings {w.money(rev.current_annual)} a year{growth}")
            else:
                parts.append(f"our partnership covers {w.money(rev.current_annual)} a year{growth}")
        kpi = a.kpi_summary
        if kpi.kpis_total or kpi.slas_total:
            parts.append(
                f"{kpi.kpis_met} of {kpi.kpis_total} KPIs and {kpi.slas_met} of "
                f"{kpi.slas_total} SLAs met"
            )
        if self.is_internal and a.health.status is not None:
            why = f" ({', '.join(a.health.drivers[:2])})" if a.health.drivers else ""
            parts.append(f"health is {a.health.status.value}{why}")
        open_ = sum(1 for x in a.actions if x.status is ActionStatus.OPEN)
        overdue = sum(1 for x in a.actions if x.is_overdue)
        if open_:
            noun = "action" if self.is_internal else "joint action"
            parts.append(f"{_count(open_, noun)} open, {overdue} overdue")
        if a.renewal.date is not None:
            parts.append(f"renewal due {w.date(a.renewal.date)}")
        if not parts:
            return (
                f"The data holds little about {a.name} yet: every section below names the "
                "records that would fill it."
            )
        sentence = "; ".join(parts)
        return sentence[0].upper() + sentence[1:] + "."

    def key_figures(self) -> tuple[tuple[str, str | None, str], ...]:
        a, w = self.account, self.w
        rev = a.revenue
        rows: list[tuple[str, str | None, str]] = []
        basis = {"assets": "active assets", "closed-won 12 months": "closed-won, last 12 months"}
        label = "Annual revenue" if self.is_internal else "Annual value"
        rows.append(
            (
                label,
                w.money(rev.current_annual) if rev.current_annual is not None else None,
                basis.get(rev.basis or "", rev.basis or ""),
            )
        )
        rows.append(
            (
                "Growth year on year",
                w.signed_percent(rev.growth) if rev.growth is not None else None,
                f"prior year {w.money(rev.prior_annual)}" if rev.prior_annual is not None else "",
            )
        )
        if self.is_internal:
            t = a.tiering
            tier = f"Tier {t.current_tier}" if t.current_tier is not None else None
            note = t.reason or ""
            if t.is_change and t.proposed_tier is not None:
                note = f"proposed Tier {t.proposed_tier}; {note}".rstrip("; ")
            rows.append(("Tier", tier, note))
            h = a.health
            rows.append(
                (
                    "Health",
                    h.status.value.capitalize() if h.status is not None else None,
                    "; ".join(h.drivers),
                )
            )
        renewal = None
        note = ""
        if a.renewal.date is not None:
            renewal = w.date(a.renewal.date)
            if self.is_internal:
                note = a.renewal.status.value
        rows.append(("Renewal date", renewal, note))
        if self.is_internal:
            ws = a.whitespace.total_whitespace
            rows.append(("Total whitespace", w.money(ws) if ws is not None else None, ""))
            pipe = a.revenue.open_pipeline
            rows.append(("Open pipeline", w.money(pipe) if pipe is not None else None, ""))
            if a.revenue.margin is not None:
                # Only some exports carry a margin; a row of dashes would be noise.
                rows.append(("Margin", w.percent(a.revenue.margin), "internal only"))
        else:
            k = a.kpi_summary
            if k.kpis_total or k.slas_total:
                rows.append(("KPIs met", f"{k.kpis_met} of {k.kpis_total}", ""))
                rows.append(("SLAs met", f"{k.slas_met} of {k.slas_total}", ""))
        overdue = sum(1 for x in a.actions if x.is_overdue)
        open_ = sum(1 for x in a.actions if x.status is ActionStatus.OPEN)
        label = "Overdue actions" if self.is_internal else "Joint actions overdue"
        value = f"{overdue} of {open_} open" if a.actions else None
        rows.append((label, value, "" if a.actions else "no Task records"))
        c = a.cadence
        notes = []
        if c.next_qbr_scheduled is not None:
            nxt: str | None = w.date(c.next_qbr_scheduled)
            notes.append("scheduled")
        else:
            nxt = w.date(c.next_qbr_due) if c.next_qbr_due is not None else None
            if c.is_qbr_overdue:
                notes.append("OVERDUE, not yet scheduled")
            elif nxt is not None:
                notes.append("due, not yet scheduled")
        if c.last_qbr is not None:
            notes.append(f"last held {w.date(c.last_qbr)}")
        rows.append(("Next QBR", nxt, "; ".join(notes)))
        return tuple(rows)

    # ------------------------------------------------------------------ 2. current state

    def current_state(self) -> Section:
        children = [self._holdings(), self._revenue_chart()]
        if self.is_internal:
            children.append(self._pipeline_chart())
        children.append(self._kpis())
        lead = self.current_state_sentence()
        return Section("Current state", (Text(lead, "lead"),), children=tuple(children))

    def current_state_sentence(self) -> str:
        a, w = self.account, self.w
        active = [h for h in a.holdings if h.is_active]
        units = sorted({h.business_unit for h in active if h.business_unit})
        regions = sorted({h.region for h in active if h.region})
        if not active:
            return f"{a.name} holds no active products in the data."
        text = (
            f"{a.name} holds {len(active)} active product{'s' if len(active) != 1 else ''}"
            f" across {len(units)} business unit{'s' if len(units) != 1 else ''}"
            f" and {len(regions)} region{'s' if len(regions) != 1 else ''}"
        )
        quarters = a.revenue.by_quarter
        if quarters:
            total = sum((q.value for q in quarters), Decimal(0))
            text += (
                f"; closed-won {w.money(total)} over the last {len(quarters)} quarters"
            )
        return text + "."

    def _holdings(self) -> Section:
        a, w = self.account, self.w
        if not a.holdings:
            return Section("Products held", (self._missing("holdings"),), level=2)
        cols = (
            Column("Product", min_cm=3.0),
            Column("Business unit"),
            Column("Region"),
            Column("Use case"),
            Column("Status"),
            Column("Annual value", "right", 2.2),
        )
        ordered = sorted(
            a.holdings,
            key=lambda h: (h.business_unit or "\uffff", h.region or "\uffff", h.product, h.id),
        )
        rows = tuple(
            (
                h.product,
                _or_none(h.business_unit),
                _or_none(h.region),
                _or_none(h.use_case),
                "active" if h.is_active else (h.status or "inactive"),
                w.money(h.annual_value) if h.annual_value is not None else None,
            )
            for h in ordered
        )
        total = sum((h.annual_value or Decimal(0) for h in a.holdings if h.is_active), Decimal(0))
        grid = Grid(cols, rows, "Products held, by business unit and region")
        blocks = self._limited("products held", grid, LIMITS["holdings"], "products")
        summary = self._holdings_by_unit()
        return Section(
            "Products held",
            (*blocks, summary, Text(f"Active annual value: {w.money(total)}.", "note")),
            level=2,
        )

    def _holdings_by_unit(self) -> Grid:
        """Active products per business unit x region (count), a compact view of the estate."""
        a = self.account
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for h in a.holdings:
            if h.is_active:
                counts[(h.business_unit or DASH, h.region or DASH)] += 1
        regions = sorted({r for _, r in counts})
        units = sorted({u for u, _ in counts})
        cols = (Column("Business unit", min_cm=3.0),) + tuple(
            Column(r, "right") for r in regions
        )
        rows = tuple(
            (u, *(str(counts[(u, r)]) if counts.get((u, r)) else "0" for r in regions))
            for u in units
        )
        return Grid(cols, rows, "Active products by business unit and region (count)")

    def _revenue_chart(self) -> Section:
        a, w = self.account, self.w
        quarters = a.revenue.by_quarter
        title = "Closed-won revenue by quarter" if self.is_internal else "Investment by quarter"
        if not quarters or all(q.value == 0 for q in quarters):
            return Section(title, (self._missing("revenue"),), level=2)
        values = tuple(float(q.value) for q in quarters)
        best = max(quarters, key=lambda q: (q.value, q.period_end))
        total = sum((q.value for q in quarters), Decimal(0))
        message = (
            f"{w.money(total)} closed won over {len(quarters)} quarters; "
            f"highest in {best.label} ({w.money(best.value)})"
        )
        chart = ChartBlock(
            kind="column",
            title=f"Closed won by quarter, {self.w.settings.locale.currency}",
            categories=tuple(q.label for q in quarters),
            series=(("Closed won", values),),
            alt_text=f"Column chart: {message}.",
            unit="money",
            is_time=True,
            missing=FILLED_BY["revenue"],
        )
        return Section(title, (Text(message + ".", "lead"), chart), level=2)

    def _pipeline_chart(self) -> Section:
        a, w = self.account, self.w
        stages = a.revenue.pipeline_by_stage
        title = "Open pipeline by stage"
        if not stages:
            return Section(title, (self._missing("pipeline"),), level=2)
        total = sum((amount for _, amount in stages), Decimal(0))
        largest = max(stages, key=lambda s: s[1])
        message = (
            f"{w.money(total)} open pipeline in {len(stages)} stages; most in "
            f"{largest[0]} ({w.money(largest[1])})"
        )
        chart = ChartBlock(
            kind="bar",
            title=f"Open pipeline by stage, {self.w.settings.locale.currency}",
            categories=tuple(s for s, _ in stages),
            series=(("Open pipeline", tuple(float(v) for _, v in stages)),),
            alt_text=f"Bar chart: {message}.",
            unit="money",
            # Stages keep the order of the sales process, like a time axis.
            is_time=True,
            missing=FILLED_BY["pipeline"],
        )
        return Section(title, (Text(message + ".", "lead"), chart), level=2)

    def _kpis(self) -> Section:
        a = self.account
        title = "KPI and SLA attainment"
        if not a.kpis:
            return Section(title, (self._missing("kpis"),), level=2)
        k = a.kpi_summary
        missed = [x for x in a.kpis if x.is_met is False]
        message = f"{k.kpis_met} of {k.kpis_total} KPIs and {k.slas_met} of {k.slas_total} SLAs met"
        if missed:
            names = ", ".join(x.name for x in missed[:3])
            more = f" and {len(missed) - 3} more" if len(missed) > 3 else ""
            message += f"; missed: {names}{more}"
        cols = (
            Column("Measure", min_cm=3.5),
            Column("Kind"),
            Column("Latest", "right"),
            Column("Target", "right"),
            Column("Attainment", "right"),
            Column("Status"),
            Column("Change", "right"),
        )
        rows = tuple(self._kpi_row(x) for x in a.kpis)
        missed_rows = tuple(i for i, x in enumerate(a.kpis) if x.is_met is False)
        grid = Grid(cols, rows, "Each measure in its latest period", missed_rows)
        blocks: list[Block] = [Text(message + ".", "lead")]
        blocks += self._limited("KPI and SLA results", grid, LIMITS["kpis"], "measures")
        blocks += self._kpi_charts()
        return Section(title, tuple(blocks), level=2)

    def _kpi_value(self, kpi: Kpi, value: float | None) -> str | None:
        if value is None:
            return None
        unit = kpi.unit or ""
        if unit == "%":
            return f"{self.w.number(value)} %"
        return f"{self.w.number(value)} {unit}".strip()

    def _kpi_row(self, kpi: Kpi) -> tuple[str | None, ...]:
        latest = kpi.latest
        status = {True: "met", False: "MISSED", None: None}[kpi.is_met]
        change = self.w.points(kpi.change) if kpi.change is not None else None
        return (
            kpi.name,
            kpi.kind,
            self._kpi_value(kpi, latest.actual if latest else None),
            self._kpi_value(kpi, latest.target if latest else None),
            self.w.percent(kpi.attainment) if kpi.attainment is not None else None,
            status,
            change,
        )

    def _kpi_charts(self) -> list[Block]:
        """One attainment chart per kind (KPIs, SLAs): few enough columns to read their names."""
        charts: list[Block] = []
        for kind in sorted({x.kind for x in self.account.kpis}):
            measured = [x for x in self.account.kpis if x.kind == kind and x.attainment is not None]
            if not measured:
                continue
            shown = measured
            title = f"{kind} attainment, % of target"
            if len(measured) > _CHART_POINTS:
                # Readable columns need few points: show the measures furthest below target.
                shown = sorted(measured, key=lambda x: (x.attainment, x.name))[:_CHART_POINTS]
                title += f": the {len(shown)} lowest of {len(measured)} (all in the table)"
            missed = [x.name for x in shown if x.is_met is False]
            alt = f"Column chart of {kind} attainment against target: {len(shown)} shown"
            alt += f", {len(missed)} missed" + (f" ({', '.join(missed)})" if missed else "")
            charts.append(
                ChartBlock(
                    kind="kpi_attainment",
                    title=title,
                    categories=tuple(x.name for x in shown),
                    series=(("Attainment", tuple(x.attainment or 0.0 for x in shown)),),
                    targets=tuple(1.0 for _ in shown),
                    alt_text=alt + ".",
                    unit="percent",
                    missing=FILLED_BY["kpis"],
                )
            )
        return charts

    # ------------------------------------------------------------------ 3. goals

    def goals(self) -> Section:
        a, w = self.account, self.w
        blocks: list[Block] = []
        if a.plan.customer_objectives:
            blocks.append(
                Text(f"{a.name}'s objectives: {a.plan.customer_objectives}", "labelled")
            )
        else:
            blocks.append(self._missing("objectives"))
        if not a.goals:
            blocks.append(self._missing("goals"))
            return Section("Goals and objectives", tuple(blocks))
        due = [g for g in a.goals if g.target_date is not None and g.target_date < a.as_of]
        open_late = [g for g in due if (g.status or "").lower() not in _DONE_WORDS]
        lead = f"{len(a.goals)} goal{'s' if len(a.goals) != 1 else ''} agreed"
        if open_late:
            lead += f"; {len(open_late)} past target date and not yet achieved"
        blocks.insert(0, Text(lead + ".", "lead"))
        cols = (
            Column("Goal", min_cm=3.5),
            Column("Description", min_cm=4.0),
            Column("Target date", "right"),
            Column("Status"),
            Column("Owner"),
        )
        rows = []
        emphasis = []
        for i, g in enumerate(a.goals):
            status = _or_none(g.status)
            if g in open_late:
                status = f"{status or 'open'}, PAST TARGET DATE"
                emphasis.append(i)
            rows.append(
                (
                    g.name,
                    _or_none(g.description),
                    w.date(g.target_date) if g.target_date else None,
                    status,
                    _or_none(g.owner),
                )
            )
        grid = Grid(cols, tuple(rows), "Goals with target dates", tuple(emphasis))
        blocks += self._limited("goals", grid, LIMITS["goals"], "goals")
        return Section("Goals and objectives", tuple(blocks))

    # ------------------------------------------------------------------ 4. relationships

    def relationships(self) -> Section:
        if not self.is_internal:
            return Section("Our joint team", self._team_blocks())
        a = self.account
        blocks: list[Block] = []
        if not a.stakeholders:
            blocks.append(self._missing("stakeholders"))
            return Section(
                "Relationships", tuple(blocks), children=(self._team_section(),)
            )
        blocks.append(Text(self.relationship_sentence(), "lead"))
        blocks += self.relationship_warnings()
        if len(a.stakeholders) <= LIMITS["map"]:
            blocks.append(self._map())
        else:
            # A big org chart takes several pages: keep the section readable.
            letter = chr(ord("A") + len(self.appendix))
            self.appendix.append(Section("Relationship map", (self._map(),)))
            blocks.append(
                Text(f"The relationship map of all {len(a.stakeholders)} contacts is in "
                     f"appendix {letter}.", "note")
            )
        children = (
            Section("Coverage", (Facts(self._coverage_figures()),), level=2),
            Section("Stakeholders", self._stakeholder_blocks(), level=2),
            self._team_section(),
        )
        return Section("Relationships", tuple(blocks), children=children)

    def relationship_sentence(self) -> str:
        a, w = self.account, self.w
        r = a.relationships
        text = f"{len(a.stakeholders)} contacts mapped"
        if r.key_count:
            text += (
                f"; {r.key_direct_count} of {r.key_count} key stakeholders reached directly"
            )
            if r.coverage is not None:
                text += f" ({w.percent(r.coverage)} coverage)"
        else:
            text += "; no key stakeholder identified"
        if r.quality is not None:
            text += f"; relationship quality {w.number(round(r.quality))} of 100"
        return text + "."

    def relationship_warnings(self) -> list[Block]:
        a = self.account
        r = a.relationships
        by_id = {s.id: s for s in a.stakeholders}
        out: list[Block] = []
        w = self.w
        if r.is_single_threaded:
            text = w.snippet("plan_single_threaded", account=a.name)
            out.append(Text(f"Warning: {text}", "warning"))
        if r.detractors:
            named = [_who(by_id[i]) for i in r.detractors if i in by_id]
            text = w.snippet("plan_detractors", count=len(named), names="; ".join(named))
            out.append(Text(f"Warning: {text}", "warning"))
        if r.stale_key_stakeholders:
            named = [_who(by_id[i]) for i in r.stale_key_stakeholders if i in by_id]
            text = w.snippet("plan_stale", count=len(named), names="; ".join(named),
                             days=w.settings.relationships.stale_days)
            out.append(Text(f"Warning: {text}", "warning"))
        return out

    def _coverage_figures(self) -> tuple[tuple[str, str | None, str], ...]:
        a, w = self.account, self.w
        r = a.relationships
        by_id = {s.id: s for s in a.stakeholders}
        champions = "; ".join(_who(by_id[i]) for i in r.champions if i in by_id)
        return (
            ("Contacts mapped", str(len(a.stakeholders)), ""),
            ("Executives", str(sum(1 for s in a.stakeholders if s.is_executive)), ""),
            ("Key stakeholders", str(r.key_count), ""),
            ("Reached directly", str(r.key_direct_count), "key stakeholders"),
            ("Coverage", w.percent(r.coverage) if r.coverage is not None else None, ""),
            ("Champions", str(len(r.champions)), champions),
            ("Detractors", str(len(r.detractors)), ""),
            (
                "Relationship quality",
                f"{w.number(round(r.quality))} of 100" if r.quality is not None else None,
                "; ".join(r.quality_drivers),
            ),
        )

    def _map(self) -> MapBlock:
        a = self.account
        r = a.relationships
        champions, detractors = set(r.champions), set(r.detractors)
        nodes = []
        known = {s.id for s in a.stakeholders}
        for s in a.stakeholders:
            stance = (
                "champion" if s.id in champions else "detractor" if s.id in detractors else ""
            )
            parts = [s.stance or stance.capitalize()]
            if s.influence is not None:
                parts.append(f"infl. {s.influence}")
            access = s.access
            if access is not None and access.kind == "direct" and access.owner is not None:
                parts.append(access.owner.name)
            via = access.via_contact_id if access is not None else None
            nodes.append(
                MapNode(
                    s.id, s.reports_to_id, s.name, s.title or "",
                    " \u00b7 ".join(p for p in parts if p), stance,
                    via if via in known else None,
                )
            )
        roots = sum(1 for s in a.stakeholders if s.depth == 0)
        alt = (
            f"Relationship map: {len(nodes)} contacts in {roots} reporting line"
            f"{'s' if roots != 1 else ''}; {len(champions)} champion"
            f"{'s' if len(champions) != 1 else ''}, {len(detractors)} detractor"
            f"{'s' if len(detractors) != 1 else ''}; {r.key_direct_count} of {r.key_count} key "
            "stakeholders reached directly."
        )
        return MapBlock(tuple(nodes), alt)

    def _stakeholder_blocks(self) -> tuple[Block, ...]:
        a, w = self.account, self.w
        cols = (
            Column("Name", min_cm=3.0),
            Column("Title", min_cm=3.0),
            Column("Buying role"),
            Column("Influence", "right", 1.6),
            Column("Stance"),
            Column("Access path", min_cm=3.5),
            Column("Last contact", "right"),
        )
        # Key people first: the map shows the hierarchy, the table shows who matters most.
        ordered = sorted(
            a.stakeholders,
            key=lambda s: (not s.is_key, -(s.influence or 0), s.depth, s.name, s.id),
        )
        rows = []
        emphasis = []
        for i, s in enumerate(ordered):
            stance = _or_none(s.stance)
            if s.is_stale:
                stance = f"{stance or DASH}; NO RECENT CONTACT"
                emphasis.append(i)
            rows.append(
                (
                    s.name,
                    _or_none(s.title),
                    _or_none(s.buying_role),
                    str(s.influence) if s.influence is not None else None,
                    stance,
                    s.access.description if s.access else None,
                    w.date(s.last_contact) if s.last_contact else None,
                )
            )
        grid = Grid(cols, tuple(rows), "Stakeholders, key people first", tuple(emphasis))
        return self._limited("stakeholders", grid, LIMITS["stakeholders"], "stakeholders")

    def _team_blocks(self) -> tuple[Block, ...]:
        a = self.account
        if not a.team:
            return (self._missing("team"),)
        cols = (Column("Role", min_cm=3.5), Column("Name", min_cm=3.0), Column("Title"),
                Column("Email", min_cm=4.0))
        rows = tuple(
            (m.role, m.user.name, _or_none(m.user.title), _or_none(m.user.email)) for m in a.team
        )
        roles = {m.role for m in a.team}
        missing = [r for r in _CORE_ROLES if r not in roles]
        blocks: list[Block] = [Grid(cols, rows, "Account team and roles")]
        if missing and self.is_internal:
            blocks.append(
                Text(f"Warning: no {', no '.join(r.lower() for r in missing)} assigned.",
                     "warning")
            )
        return tuple(blocks)

    def _team_section(self) -> Section:
        return Section("Our account team", self._team_blocks(), level=2)

    # ------------------------------------------------------------------ 5. whitespace

    def whitespace(self) -> Section | None:
        a, w = self.account, self.w
        ws = a.whitespace
        if not self.is_internal:
            if not ws.candidates:
                return None
            cols = (Column("Product", min_cm=3.0), Column("Business unit"), Column("Region"),
                    Column("Use case"))
            rows = tuple(
                (c.product, _or_none(c.business_unit), _or_none(c.region), _or_none(c.use_case))
                for c in ws.candidates
            )
            lead = w.snippet("plan_explore", count=len(rows), account=a.name)
            return Section(
                "Opportunities to explore together",
                (Text(lead, "lead"), Grid(cols, rows, "Areas to explore together")),
            )
        if not ws.cells:
            return Section("Whitespace", (self._missing("whitespace"),))
        blocks: list[Block] = [Text(self.whitespace_sentence(), "lead"), self._heat()]
        above = [c for c in ws.cells if c.is_above_potential]
        if above:
            blocks.append(
                Text(
                    f"{len(above)} cell{'s are' if len(above) != 1 else ' is'} above potential "
                    "(current spend exceeds the estimated potential): shown in grey; revisit "
                    "the potential estimate.",
                    "note",
                )
            )
        children = [
            Section("Totals by region and use case", self._ws_totals(), level=2),
            Section("Top expansion candidates", self._candidates(), level=2),
        ]
        cells = self._ws_cells()
        blocks += self._limited("whitespace cells", cells, LIMITS["whitespace_cells"],
                                "whitespace cells")
        return Section("Whitespace", tuple(blocks), children=tuple(children))

    def whitespace_sentence(self) -> str:
        a, w = self.account, self.w
        ws = a.whitespace
        total = ws.total_whitespace if ws.total_whitespace is not None else Decimal(0)
        text = f"{w.money(total)} of whitespace across {len(ws.cells)} product cells"
        if ws.candidates:
            top = ws.candidates[0]
            where = " / ".join(x for x in (top.business_unit, top.region) if x)
            uncovered = w.money(top.uncovered) if top.uncovered is not None else DASH
            text += f"; the best candidate is {top.product}"
            text += f" in {where}" if where else ""
            text += f" ({uncovered} not yet covered by pipeline)"
        else:
            text += "; no cell qualifies as an expansion candidate"
        return text + "."

    def _heat(self) -> HeatBlock:
        ws = self.account.whitespace
        totals: dict[tuple[str, str], Decimal] = {}
        for c in ws.cells:
            if c.whitespace is None:
                continue
            key = (c.product, c.business_unit or DASH)
            totals[key] = totals.get(key, Decimal(0)) + c.whitespace
        products = sorted({p for p, _ in totals})
        units = sorted({u for _, u in totals})
        values = tuple(tuple(totals.get((p, u)) for u in units) for p in products)
        title = f"Whitespace by product and business unit ({len(products)} x {len(units)})"
        best = max(totals.items(), key=lambda kv: (kv[1], kv[0]), default=None)
        if best is not None and best[1] > 0:
            title += f": largest {best[0][0]} in {best[0][1]} ({self.w.money(best[1])})"
        return HeatBlock(title, tuple(products), tuple(units), values)

    def _ws_totals(self) -> tuple[Block, ...]:
        ws, w = self.account.whitespace, self.w
        blocks: list[Block] = []
        for noun, pairs in (("Region", ws.by_region), ("Use case", ws.by_use_case)):
            if not pairs:
                blocks.append(Text(f"No whitespace cell names a {noun.lower()}.", "missing"))
                continue
            ordered = sorted(pairs, key=lambda p: (-p[1], p[0]))
            rows = [(name or DASH, w.money(v)) for name, v in ordered]
            rows.append(("Total", w.money(sum((v for _, v in pairs), Decimal(0)))))
            blocks.append(
                Grid(
                    (Column(noun, min_cm=4.0), Column("Whitespace", "right", 3.0)),
                    tuple(rows),
                    f"Whitespace by {noun.lower()}",
                    has_total=True,
                )
            )
        return tuple(blocks)

    def _candidates(self) -> tuple[Block, ...]:
        ws, w = self.account.whitespace, self.w
        if not ws.candidates:
            return (Text("No cell has enough uncovered whitespace to be a candidate.", "note"),)
        cols = (
            Column("Product", min_cm=3.0),
            Column("Business unit"),
            Column("Region"),
            Column("Whitespace", "right"),
            Column("Open pipeline", "right"),
            Column("Score", "right", 1.4),
            Column("Covered by pipeline"),
        )
        rows = tuple(
            (
                c.product,
                _or_none(c.business_unit),
                _or_none(c.region),
                _money_or_none(w, c.whitespace),
                _money_or_none(w, c.open_pipeline),
                w.number(round(c.score, 1)) if c.score is not None else None,
                _coverage_word(c),
            )
            for c in ws.candidates
        )
        return (Grid(cols, rows, "Top expansion candidates by score"),)

    def _ws_cells(self) -> Grid:
        ws, w = self.account.whitespace, self.w
        cols = (
            Column("Product", min_cm=3.0),
            Column("Business unit"),
            Column("Region"),
            Column("Use case"),
            Column("Current", "right"),
            Column("Potential", "right"),
            Column("Whitespace", "right"),
            Column("Score", "right", 1.4),
        )
        rows = tuple(
            (
                c.product,
                _or_none(c.business_unit),
                _or_none(c.region),
                _or_none(c.use_case),
                _money_or_none(w, c.current),
                _money_or_none(w, c.potential),
                _money_or_none(w, c.whitespace)
                + (" (above potential)" if c.is_above_potential and c.whitespace is not None
                   else "") if c.whitespace is not None else None,
                w.number(round(c.score, 1)) if c.score is not None else None,
            )
            for c in ws.cells
        )
        return Grid(cols, rows, "Whitespace cells by score")

    # ------------------------------------------------------------------ 6. risks

    def risks(self) -> Section | None:
        a = self.account
        title = "Risks" if self.is_internal else "Shared risks"
        blocks: list[Block] = []
        if not a.risks:
            if not self.is_internal:
                return None
            blocks.append(self._missing("risks"))
        else:
            high = [r for r in a.risks if (r.severity or "").lower() in _HIGH_WORDS]
            lead = f"{len(a.risks)} risk{'s' if len(a.risks) != 1 else ''} on the register"
            lead += f", {len(high)} of high severity" if high else ", none of high severity"
            blocks.append(Text(lead + ".", "lead"))
            cols = (
                Column("Risk", min_cm=3.5),
                Column("Severity"),
                Column("Likelihood"),
                Column("Mitigation", min_cm=4.0),
                Column("Owner"),
                Column("Status"),
            )
            rows = tuple(
                (
                    r.name,
                    _or_none(r.severity),
                    _or_none(r.likelihood),
                    _or_none(r.mitigation),
                    _or_none(r.owner),
                    _or_none(r.status),
                )
                for r in a.risks
            )
            emphasis = tuple(i for i, r in enumerate(a.risks) if r in high)
            blocks += self._limited("risks", Grid(cols, rows, "Risk register", emphasis),
                                    LIMITS["risks"], "risks")
        children = (Section("Escalation plan", self.escalation(), level=2),) if (
            self.is_internal
        ) else ()
        return Section(title, tuple(blocks), children=children)

    def in_danger(self) -> list[str]:
        """Why the account is in danger (empty when it is not)."""
        a = self.account
        reasons = []
        if a.health.status is RagStatus.RED:
            reasons.append("health is red")
        if a.renewal.status in (RenewalStatus.LATE, RenewalStatus.LAPSED):
            reasons.append(f"renewal {a.renewal.status.value}")
        if a.renewal.meets_target is False:
            reasons.append("retention below target")
        if a.relationships.is_single_threaded and a.relationships.detractors:
            reasons.append("single-threaded with detractors")
        return reasons

    def escalation(self) -> tuple[Block, ...]:
        a = self.account
        roles = {m.role: m.user.name for m in a.team}
        kam = roles.get("Key Account Manager") or (a.owner.name if a.owner else None)
        sponsor = roles.get("Executive Sponsor")
        reasons = self.in_danger()
        text = self.w.snippet("plan_escalation", kam=kam or "not assigned",
                              sponsor=sponsor or "not assigned")
        steps = [line.strip() for line in text.splitlines() if line.strip()]
        if reasons:
            lead = f"The account is in danger ({'; '.join(reasons)}): escalate now."
            return (Text(lead, "warning"), Bullets(tuple(steps)))
        lead = (
            "The account is not in danger today. If it becomes so (health red, renewal late, "
            "retention below target), escalate along this path:"
        )
        return (Text(lead), Bullets(tuple(steps)))

    # ------------------------------------------------------------------ 7. actions

    def action_plan(self) -> Section:
        a, w = self.account, self.w
        title = "Action plan" if self.is_internal else "Joint action plan"
        if not a.actions:
            return Section(title, (self._missing("actions"),))
        blocks: list[Block] = [Text(self.action_sentence(), "lead")]
        cols = (
            Column("What", min_cm=3.5),
            Column("Due", "right"),
            Column("Owner"),
            Column("Success measure", min_cm=3.0),
            Column("Status"),
            Column("Escalation path"),
        )
        rows = []
        emphasis = []
        for i, x in enumerate(a.actions):
            rows.append(
                (
                    x.subject,
                    w.date(x.due) if x.due else None,
                    x.owner.name if x.owner else None,
                    _or_none(x.success_measure),
                    _action_status(x),
                    _or_none(x.escalation_path),
                )
            )
            if x.is_overdue:
                emphasis.append(i)
        grid = Grid(cols, tuple(rows), "Actions, overdue first", tuple(emphasis))
        blocks += self._limited("action plan", grid, LIMITS["actions"], "actions")
        children: list[Section] = []
        if self.is_internal:
            children.append(Section("Actions by owner", self._by_owner(), level=2))
            children.append(Section("Data gaps", self._gaps(), level=2))
        return Section(title, tuple(blocks), children=tuple(children))

    def action_sentence(self) -> str:
        a, w = self.account, self.w
        open_ = [x for x in a.actions if x.status is ActionStatus.OPEN]
        overdue = [x for x in a.actions if x.is_overdue]
        text = f"{_count(len(open_), 'open action')}"
        if overdue:
            oldest = max(x.days_overdue for x in overdue)
            text += f", {len(overdue)} overdue (oldest by {oldest} day{'s' if oldest != 1 else ''})"
        else:
            text += ", none overdue"
        soon = sum(1 for x in a.actions if x.is_due_soon)
        if soon:
            text += f", {soon} due soon"
        if self.is_internal and a.action_summary.on_time_rate is not None:
            text += f"; {w.percent(a.action_summary.on_time_rate)} of last quarter's done on time"
        return text + "."

    def _by_owner(self) -> tuple[Block, ...]:
        s = self.account.action_summary
        if not s.by_owner:
            return (Text("No open action has an owner.", "note"),)
        rows = tuple((name, str(n_open), str(n_late)) for name, n_open, n_late in s.by_owner)
        cols = (Column("Owner", min_cm=4.0), Column("Open", "right"), Column("Overdue", "right"))
        return (Grid(cols, rows, "Open and overdue actions per owner"),)

    def _gaps(self) -> tuple[Block, ...]:
        a = self.account
        gapped = [x for x in a.actions if x.data_gaps]
        if not gapped:
            return (Text("Every action has an owner, a due date and a success measure.", "note"),)
        counts: dict[str, int] = defaultdict(int)
        for x in gapped:
            for gap in x.data_gaps:
                counts[gap] += 1
        summary = "; ".join(f"{n} with {gap}" for gap, n in sorted(counts.items(),
                                                                   key=lambda kv: (-kv[1], kv[0])))
        blocks: list[Block] = [
            Text(f"{len(gapped)} of {len(a.actions)} actions have data gaps: {summary}.",
                 "warning")
        ]
        cols = (Column("Action", min_cm=5.0), Column("Gaps", min_cm=5.0))
        rows = tuple((x.subject, ", ".join(x.data_gaps)) for x in gapped)
        blocks += self._limited("actions with data gaps", Grid(cols, rows, "Actions with gaps"),
                                LIMITS["actions"], "actions with gaps")
        return tuple(blocks)

    # ------------------------------------------------------------------ 8. renewal

    def renewal(self) -> Section:
        a, w = self.account, self.w
        r = a.renewal
        title = "Renewal and expansion" if self.is_internal else "Renewal"
        blocks: list[Block] = []
        if r.date is None:
            blocks.append(self._missing("renewal"))
        else:
            source = {"account": "account renewal date", "contract": "contract end date"}
            rows: list[tuple[str, str | None, str]] = [
                ("Renewal date", w.date(r.date), source.get(r.source or "", r.source or "")),
            ]
            if self.is_internal:
                rows += [
                    ("Window opens", _date_or_none(w, r.window_opens), "opportunity should exist"),
                    ("Late from", _date_or_none(w, r.window_late), ""),
                    ("Status", r.status.value, ""),
                    (
                        "Renewal opportunity",
                        _money_or_none(w, r.opportunity_amount)
                        if r.opportunity_id else "none",
                        r.opportunity_id or "",
                    ),
                    (
                        "Retention",
                        w.percent(r.retention) if r.retention is not None else None,
                        f"target {w.percent(r.retention_target)}"
                        if r.retention_target is not None else "",
                    ),
                ]
            blocks.append(Text(self.renewal_sentence(), "lead"))
            blocks.append(Facts(tuple(rows)))
            if self.is_internal and r.proposed_name:
                when = f", closing {w.date(r.proposed_close_date)}" if r.proposed_close_date else ""
                blocks.append(
                    Text(
                        f"Action: create the renewal opportunity \u201c{r.proposed_name}\u201d"
                        f"{when}.",
                        "warning",
                    )
                )
        blocks += self._opportunities()
        return Section(title, tuple(blocks))

    def renewal_sentence(self) -> str:
        a, w = self.account, self.w
        r = a.renewal
        assert r.date is not None
        days = (r.date - a.as_of).days
        when = f"in {days} days" if days >= 0 else f"{-days} days ago"
        text = f"Renewal {w.date(r.date)} ({when})"
        if self.is_internal:
            text += f": {r.status.value}"
            if r.retention is not None and r.retention_target is not None:
                verdict = "meets" if r.meets_target else "below"
                text += (
                    f"; retention {w.percent(r.retention)} {verdict} the "
                    f"{w.percent(r.retention_target)} target"
                )
        return text + "."

    def _opportunities(self) -> list[Block]:
        a, w = self.account, self.w
        if self.is_internal:
            opps = [o for o in a.opportunities if not o.is_closed]
            if not opps:
                return [Text("No open opportunity on the account.", "note")]
            cols = (
                Column("Opportunity", min_cm=4.0),
                Column("Type"),
                Column("Stage"),
                Column("Close date", "right"),
                Column("Amount", "right"),
                Column("Probability", "right"),
            )
            rows = tuple(
                (
                    o.name,
                    _or_none(o.type),
                    o.stage,
                    _date_or_none(w, o.close_date),
                    _money_or_none(w, o.amount),
                    w.percent(_share(o.probability)) if o.probability is not None else None,
                )
                for o in opps
            )
            total = sum((o.amount or Decimal(0) for o in opps), Decimal(0))
            lead = Text(
                f"{len(opps)} open opportunit{'ies' if len(opps) != 1 else 'y'} worth "
                f"{w.money(total)}.",
            )
            grid = Grid(cols, rows, "Open opportunities by close date")
            return [lead, *self._limited("open opportunities", grid, LIMITS["opportunities"],
                                         "opportunities")]
        won = [o for o in a.opportunities if o.is_won]
        if not won:
            return []
        lead = Text(f"{_count(len(won), 'project')} delivered together so far.")
        cols = (Column("Delivered", min_cm=4.0), Column("Product family"),
                Column("Closed", "right"))
        rows = tuple(
            (o.name, _or_none(o.product_family), _date_or_none(w, o.close_date)) for o in won
        )
        grid = Grid(cols, rows, "What we have delivered together")
        return [lead, *self._limited("delivered", grid, LIMITS["opportunities"], "deliveries")]

    # ------------------------------------------------------------------ 9. scorecard

    def scorecard(self) -> Section:
        sc = self.account.scorecard
        if not sc.lines:
            return Section("Review scorecard", (self._missing("scorecard"),))
        reds = sum(1 for *_, rag in sc.lines if rag is RagStatus.RED)
        greens = sum(1 for *_, rag in sc.lines if rag is RagStatus.GREEN)
        lead = f"{greens} of {len(sc.lines)} review questions green, {reds} red"
        if sc.roster is not None:
            lead += f"; recommendation: {sc.roster.value}"
        cols = (Column("Question", min_cm=4.0), Column("Answer", min_cm=6.0), Column("Status"))
        rows = tuple(
            (q, answer, rag.value.capitalize() if rag is not None else None)
            for q, answer, rag in sc.lines
        )
        blocks: list[Block] = [Text(lead + ".", "lead"), Grid(cols, rows, "Review scorecard")]
        if sc.roster is not None:
            reason = f": {sc.roster_reason}" if sc.roster_reason else ""
            blocks.append(Text(f"Roster recommendation: {sc.roster.value}{reason}."))
        return Section("Review scorecard", tuple(blocks))

    # ------------------------------------------------------------------ 10. changes

    def changes(self) -> Section:
        a, w = self.account, self.w
        title = "Changes since the last review"
        ch = a.changes
        if ch is None:
            return Section(title, (Text(w.snippet("plan_no_review", account=a.name), "note"),))
        since = f" since {w.date(ch.previous_as_of)}" if ch.previous_as_of else ""
        blocks: list[Block] = []
        if not ch.items:
            blocks.append(Text(f"Nothing changed{since}.", "lead"))
        else:
            blocks.append(
                Text(f"{len(ch.items)} change{'s' if len(ch.items) != 1 else ''}{since}.",
                     "lead")
            )
            rows = tuple((c.area, c.text) for c in ch.items)
            grid = Grid((Column("Area", min_cm=2.5), Column("Change", min_cm=9.0)), rows,
                        "Changes since the last review")
            blocks += self._limited("changes", grid, LIMITS["changes"], "changes")
        if ch.refresh_relationship_map:
            blocks.append(
                Text(
                    "The customer's leadership changed: refresh the relationship map.",
                    "warning",
                )
            )
        return Section(title, tuple(blocks))


# --------------------------------------------------------------------------- long text

#: A cell longer than this would make a row taller than a page: its full text moves to a
#: numbered note under the table and the cell keeps its opening words and the note number.
LONG_CELL = 160
_PREVIEW = 60


def _preview(text: str, limit: int = _PREVIEW) -> str:
    """The opening words of ``text`` (at most ``limit`` characters, whole words)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(",;:.") + "\u2026"


def _fold_grid(grid: Grid) -> tuple[Block, ...]:
    """``grid`` with over-long cells shortened to a pointer, then one note per long cell."""
    notes: list[Block] = []
    rows = []
    for row in grid.rows:
        cells: list[str | None] = []
        for i, cell in enumerate(row):
            if cell is None or len(cell) <= LONG_CELL:
                cells.append(cell)
                continue
            number = len(notes) + 1
            cells.append(f"{_preview(cell)} (note {number})")
            owner = _preview(row[0] or "", 40) if i else "row"
            notes.append(
                Text(f"Note {number} ({grid.columns[i].header.lower()}, {owner}): {cell}",
                     "labelled")
            )
        rows.append(tuple(cells))
    if not notes:
        return (grid,)
    folded = dataclasses.replace(grid, rows=tuple(rows))
    return (folded, *notes)


def _fold_section(section: Section) -> Section:
    blocks: list[Block] = []
    for block in section.blocks:
        blocks.extend(_fold_grid(block) if isinstance(block, Grid) else (block,))
    children = tuple(_fold_section(c) for c in section.children)
    return dataclasses.replace(section, blocks=tuple(blocks), children=children)


# --------------------------------------------------------------------------- helpers

_DONE_WORDS = {"done", "achieved", "completed", "complete", "closed", "met"}
_HIGH_WORDS = {"high", "critical"}
_CORE_ROLES = ("Key Account Manager", "Executive Sponsor", "Sales Engineer", "Customer Success")


def _who(s: Stakeholder) -> str:
    return f"{s.name} ({s.title})" if s.title else s.name


def _money_or_none(w: Words, value: Decimal | None) -> str | None:
    return w.money(value) if value is not None else None


def _date_or_none(w: Words, value: date | None) -> str | None:
    return w.date(value) if value is not None else None


def _share(probability: float) -> float:
    """A probability as a share: Salesforce writes 0-100, the model may hold 0-1."""
    return probability / 100 if probability > 1 else probability


def _coverage_word(cell: WhitespaceCell) -> str | None:
    if cell.is_covered is None:
        return None
    return "yes, fully" if cell.is_covered else "no"


def _action_status(action: Action) -> str:
    if action.is_overdue:
        days = action.days_overdue
        return f"OVERDUE by {days} day{'s' if days != 1 else ''}"
    if action.status is ActionStatus.DONE:
        return "done"
    return "due soon" if action.is_due_soon else (action.raw_status or "open")


def _count(n: int, noun: str) -> str:
    """ "1 action", "3 actions" (nouns here all take a plain -s plural)."""
    return f"{n} {noun}{'s' if n != 1 else ''}"


# --------------------------------------------------------------------------- drawing

#: Highlight of rows that need attention (overdue, missed); the row also says it in words.
_ATTENTION_FILL = "FBE3D6"
_TABLE_PT = 9.5
_GAP = 6 * EMU_PER_PT
_CHART_HEIGHT = 7 * EMU_PER_CM
_BAR_PITCH = EMU_PER_CM * 6 // 10


class _Drawer:
    """Draws a :class:`PlanDocument` with the render toolkit; knows nothing of accounts."""

    def __init__(self, doc: Document, palette: Palette, numbers: NumberStyle,
                 money: Callable[[Decimal], str]) -> None:
        self.doc = doc
        self.palette = palette
        self.numbers = numbers
        self.money = money
        self.width = doc.content_width
        self.colours: dict[str, str] = {}
        self._after_table = False

    def draw(self, plan: PlanDocument) -> bytes:
        names = [n for s in _walk(plan.sections + plan.appendix) for b in s.blocks
                 if isinstance(b, ChartBlock) for n, _ in b.series]
        self.colours = self.palette.series_colours(names)
        self.doc.add_cover(plan.cover_title, plan.subtitle, plan.cover)
        self.doc.add_contents()
        for section in plan.sections:
            self.section(section, 1)
        for section in plan.appendix:
            self.doc.appendix(section.title)
            for block in section.blocks:
                self.block(block)
        return self.doc.to_bytes()

    def section(self, section: Section, level: int) -> None:
        self.doc.heading(section.title, min(level, 3))
        for block in section.blocks:
            self.block(block)
        for child in section.children:
            self.section(child, level + 1)

    def block(self, block: Block) -> None:
        doc = self.doc
        after_table = self._after_table
        self._after_table = isinstance(block, Grid | Facts | HeatBlock)
        if isinstance(block, Text | Bullets):
            first = self.text(block)
            if after_table:
                # A paragraph straight under a table reads as part of it: give it air.
                first.paragraph_format.space_before = _GAP
        elif isinstance(block, Facts):
            self.table(
                (Column("Key figure", min_cm=3.5), Column("Value", "right", 2.5),
                 Column("Detail", min_cm=5.0)),
                [(label, value, note or "") for label, value, note in block.rows],
            )
        elif isinstance(block, Grid):
            if block.caption:
                doc.caption(xml_safe(block.caption)).paragraph_format.keep_with_next = True
            self.table(block.columns, block.rows, block.emphasis,
                       bold_last=block.has_total)
        elif isinstance(block, ChartBlock):
            self.chart(block)
        elif isinstance(block, HeatBlock):
            self.heat(block)
        elif isinstance(block, MapBlock):
            self.map(block)

    def text(self, block: Text | Bullets) -> Paragraph:
        """Draw a paragraph or a list; returns the first paragraph."""
        doc = self.doc
        if isinstance(block, Bullets):
            return doc.bullets([xml_safe(item) for item in block.items])[0]
        text = xml_safe(block.text)
        if block.role == "lead":
            return doc.paragraph(bold_lead=text)
        if block.role in ("warning", "labelled"):
            lead, _, rest = text.partition(": ")
            return doc.paragraph(rest, bold_lead=f"{lead}: ") if rest else doc.paragraph(
                bold_lead=text)
        if block.role == "missing":
            paragraph = doc.paragraph(text)
            paragraph.runs[-1].italic = True
            return paragraph
        if block.role == "note":
            return doc.source_note(text)
        if block.role == "quote":
            return doc.paragraph(text, "Quote")
        return doc.paragraph(text)

    def table(self, columns: Sequence[Column], rows: Sequence[tuple[str | None, ...]],
              emphasis: Sequence[int] = (), bold_last: bool = False) -> None:
        highlighted = set(emphasis)
        spec = TableSpec(
            columns=tuple(
                TableColumn(xml_safe(c.header), "number" if c.align == "right" else "text",
                            int(c.min_cm * EMU_PER_CM))
                for c in columns
            ),
            rows=tuple(
                Row(
                    tuple(None if v is None else xml_safe(v) for v in row),
                    bold=bold_last and i == len(rows) - 1,
                    fill=_ATTENTION_FILL if i in highlighted else None,
                )
                for i, row in enumerate(rows)
            ),
            size_pt=_TABLE_PT,
            palette=self.palette,
            max_rows_per_page=None,
        )
        render_docx_table(self.doc.doc, spec, self.width, style=self.doc.table_style)

    def chart(self, block: ChartBlock) -> None:
        values = [v for _, vs in block.series for v in vs]
        spec = ChartSpec(
            kind=block.kind,
            title=xml_safe(block.title),
            categories=tuple(xml_safe(c) for c in block.categories),
            series=tuple(
                Series(xml_safe(name), values_, self.colours.get(name))
                for name, values_ in block.series
            ),
            number_format=self.numbers.chart_format(values, block.unit),
            targets=block.targets,
            alt_text=xml_safe(block.alt_text),
            is_time=block.is_time,
            missing=block.missing,
            palette=self.palette,
        )
        horizontal = block.kind in ("bar", "stacked_bar")
        height = _CHART_HEIGHT
        if horizontal:
            # One bar per category: grow with the categories, up to most of a page.
            height = min(max(height, len(block.categories) * _BAR_PITCH + 2 * EMU_PER_CM),
                         self.doc.content_height * 3 // 4)
        else:
            # Long category names are drawn slanted under the columns: give them the room
            # (about 1.2 mm of height per character of the longest name).
            longest = max((len(c) for c in block.categories), default=0)
            if longest > 12:
                height += min(longest, 60) * EMU_PER_CM * 12 // 100
        paragraph = self.doc.paragraph()
        render_docx_chart(paragraph, spec, self.width, height)

    def heat(self, block: HeatBlock) -> None:
        self.doc.caption(xml_safe(block.title)).paragraph_format.keep_with_next = True
        spec = HeatSpec(
            row_header="Product",
            rows=tuple(xml_safe(x) for x in block.row_labels),
            columns=tuple(xml_safe(x) for x in block.column_labels),
            values=block.values,
            format=lambda v: self.money(Decimal(str(v))),
            legend_title="Whitespace",
            size_pt=_TABLE_PT,
            palette=self.palette,
        )
        render_docx_heat(self.doc.doc, spec, self.width)

    def map(self, block: MapBlock) -> None:
        nodes = tuple(
            OrgNode(
                id=n.id, parent_id=n.parent_id, name=xml_safe(n.name), title=xml_safe(n.title),
                badge=xml_safe(n.badge), badge_colour=_STANCE_COLOURS.get(n.stance),
            )
            for n in block.nodes
        )
        access = tuple(AccessEdge(n.via_id, n.id) for n in block.nodes if n.via_id)
        area = Box(0, 0, self.width, self.doc.content_height * 17 // 20)
        legend = tuple((colour, stance) for stance, colour in _STANCE_COLOURS.items())
        style = dataclasses.replace(_MAP_STYLE_WORD, palette=self.palette)
        pages = layout_org(nodes, area, access=access, style=style, legend=legend)
        if len(pages) == 1 and pages[0].boxes:
            # A small map: lay it out again in just the height it uses, so the picture does
            # not carry most of a blank page with it.
            page = pages[0]
            used = max(b.box.bottom for b in page.boxes) - area.top
            key = page.area.bottom - page.key_box.top
            tight = Box(area.left, area.top, area.width, min(area.height, used + key + style.gap_y))
            retry = layout_org(nodes, tight, access=access, style=style, legend=legend)
            if len(retry) == 1:
                pages = retry
        for number, page in enumerate(pages, 1):
            alt = block.alt_text if number == 1 else ""
            alt = f"{alt} {page.alt_text}".strip()
            caption = "Relationship map"
            if len(pages) > 1:
                caption += f", part {number} of {len(pages)}"
            self.doc.caption(caption).paragraph_format.keep_with_next = True
            png = render_png_org(page, style)
            self.doc.picture(png, page.area.width, page.area.height, xml_safe(alt))
            # Names shortened in the boxes, and links between parts, in full.
            for note in page.notes:
                self.doc.source_note(xml_safe(note))


#: Printed pages are read closer than slides: 8-9 pt text (legible in print) fits more people
#: on a page than the slide map's 10-11 pt.
_MAP_STYLE_WORD = OrgStyle(
    box_width=inches(1.45), box_height=inches(0.8), gap_x=inches(0.1), gap_y=inches(0.25),
    max_pt=9.0, min_pt=8.0, key_pt=8.0,
)
_STANCE_COLOURS = {"champion": GREEN, "detractor": VERMILION}


def _walk(sections: Sequence[Section]) -> list[Section]:
    out: list[Section] = []
    for section in sections:
        out.append(section)
        out.extend(_walk(section.children))
    return out


# --------------------------------------------------------------------------- the builder

#: Variables each sentence snippet may use (checked before any account renders).
SNIPPETS: dict[str, set[str]] = {
    "plan_cover_subtitle": {"audience"},
    "marking_internal_document": set(),
    "marking_customer": {"customer"},
    "footer_as_of": {"as_of"},
    "footer_source": {"data_source"},
    "plan_missing": {"source"},
    "plan_single_threaded": {"account"},
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
        logo = None
        if settings.templates.logo:
            base = settings.path.parent if settings.path is not None else Path.cwd()
            logo = base / settings.templates.logo
        self.template = load_template("account_plan", self.options.template, logo=logo)
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
        data = _Drawer(doc, self.palette, self.numbers, words.money).draw(plan)
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
