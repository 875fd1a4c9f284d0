"""Sections 1-3 of the plan: executive summary, current state, goals and objectives."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from kamdocs.builders.account_plan.blocks import (
    DASH,
    Block,
    ChartBlock,
    Column,
    Facts,
    Grid,
    Section,
    Text,
)
from kamdocs.builders.account_plan.parts import (
    CHART_POINTS,
    FILLED_BY,
    LIMITS,
    LONG_CHART_NAME,
    PlanParts,
)
from kamdocs.builders.account_plan.words import (
    DONE_WORDS,
    RENEWAL_PHRASES,
    count,
    or_none,
    status_word,
)
from kamdocs.model import ActionStatus, Kpi


class StateSections(PlanParts):
    """Where the account stands: summary, products, revenue, pipeline, KPIs, goals."""

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
        # What the first sentence already says, so the health drivers do not repeat it.
        told: set[str] = {"revenue"} if rev.growth is not None else set()
        if kpi.kpis_total or kpi.slas_total:
            parts.append(
                f"{kpi.kpis_met} of {kpi.kpis_total} KPIs and {kpi.slas_met} of "
                f"{kpi.slas_total} SLAs met"
            )
            told.add("kpi")
        open_ = sum(1 for x in a.actions if x.status is ActionStatus.OPEN)
        overdue = sum(1 for x in a.actions if x.is_overdue)
        if open_:
            noun = "action" if self.is_internal else "joint action"
            parts.append(f"{count(open_, noun)} open, {overdue or 'none'} overdue")
            told.add("action")
        r = a.renewal
        if r.date is not None:
            when = "due" if r.date >= a.as_of else "date was"
            status = f" ({RENEWAL_PHRASES[r.status]})" if self.is_internal else ""
            parts.append(f"renewal {when} {w.date(r.date)}{status}")
            told.add("renewal")
        if not parts:
            if not self.is_internal:
                return (
                    f"This joint plan with {a.name} is at an early stage: its sections fill "
                    "in as we agree objectives and actions together."
                )
            return (
                f"The data holds little about {a.name} yet: every section below names the "
                "records that would fill it."
            )
        sentence = "; ".join(parts)
        sentence = sentence[0].upper() + sentence[1:] + "."
        if self.is_internal and a.health.status is not None:
            drivers = [d for d in a.health.drivers if not _says(d, told)]
            why = f" ({'; '.join(drivers[:2])})" if drivers else ""
            sentence += f" Health is {a.health.status.value}{why}."
        return sentence

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
                rank = (f" (score rank {t.rank} of {t.portfolio_size})"
                        if t.rank is not None and t.portfolio_size else "")
                note = f"proposed Tier {t.proposed_tier}{rank}; {note}".rstrip("; ")
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
                note = RENEWAL_PHRASES[a.renewal.status]
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
        missing = "no Task records" if self.is_internal else "none recorded yet"
        rows.append((label, value, "" if a.actions else missing))
        c = a.cadence
        notes = []
        if c.next_qbr_scheduled is not None:
            nxt: str | None = w.date(c.next_qbr_scheduled)
            notes.append("scheduled")
            if c.is_qbr_overdue and c.next_qbr_due is not None and self.is_internal:
                # Booked, but late: the cadence was missed all the same.
                notes.append(f"overdue since {w.date(c.next_qbr_due)}")
        else:
            nxt = w.date(c.next_qbr_due) if c.next_qbr_due is not None else None
            if c.is_qbr_overdue:
                notes.append("overdue, not yet scheduled")
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
            verb = "closed won" if self.is_internal else "invested"
            text += f"; {w.money(total)} {verb} over the last {len(quarters)} quarters"
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
                or_none(h.business_unit),
                or_none(h.region),
                or_none(h.use_case),
                "Active" if h.is_active else status_word(h.status or "inactive"),
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
        # The customer reads what they invested; "closed won" is our sales pipeline's word.
        verb = "Closed won" if self.is_internal else "Invested"
        message = (
            f"{w.money(total)} {verb.lower()} over {len(quarters)} quarters; "
            f"highest in {best.label} ({w.money(best.value)})"
        )
        chart = ChartBlock(
            kind="column",
            title=f"{verb} by quarter, {self.w.settings.locale.currency}",
            # The quarter still running is not a poor quarter: say it is partial.
            categories=tuple(
                f"{q.label} (to date)" if q.period_end > a.as_of else q.label for q in quarters
            ),
            series=((verb, values),),
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
        # Missed measures first: a table too long for the section keeps them here.
        kpis = sorted(a.kpis, key=lambda x: x.is_met is not False)
        rows = tuple(self._kpi_row(x) for x in kpis)
        missed_rows = tuple(i for i, x in enumerate(kpis) if x.is_met is False)
        grid = Grid(cols, rows, "Each measure in its latest period", missed_rows)
        blocks: list[Block] = [Text(message + ".", "lead")]
        blocks += self._limited("KPI and SLA results", grid, LIMITS["kpis"], "measures")
        blocks += self._kpi_charts()
        return Section(title, tuple(blocks), level=2)

    def _kpi_value(self, kpi: Kpi, value: float | None) -> str | None:
        return None if value is None else self.w.measure(value, kpi.unit)

    def _kpi_row(self, kpi: Kpi) -> tuple[str | None, ...]:
        latest = kpi.latest
        status = {True: "Met", False: "Missed", None: None}[kpi.is_met]
        change = self.w.change(kpi)
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
            met = sum(1 for x in measured if x.is_met)
            title = f"{kind} attainment, % of target: {met} of {len(measured)} met"
            # Long names slant under eight columns until the plot is a strip: with long names,
            # four wide columns, whose names wrap on a few lines instead.
            longest = max(len(x.name) for x in measured) + len(": 100% (missed)")
            points = CHART_POINTS if longest <= LONG_CHART_NAME else CHART_POINTS // 2
            if len(measured) > points:
                # Readable columns need few points: show the measures furthest below target.
                shown = sorted(measured, key=lambda x: (x.attainment, x.name))[:points]
                title += f"; the {len(shown)} lowest shown (every measure is in the table)"
            missed = [x.name for x in shown if x.is_met is False]
            alt = f"Column chart of {kind} attainment against target: {len(shown)} shown"
            alt += f", {len(missed)} missed" + (f" ({', '.join(missed)})" if missed else "")
            charts.append(
                ChartBlock(
                    kind="kpi_attainment",
                    title=title,
                    # The value goes with the name: a label over the bar would sit on the
                    # target marker whenever a measure is just short of its target.
                    categories=tuple(
                        f"{x.name}: {self.w.percent(x.attainment or 0.0)}" for x in shown
                    ),
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
        open_late = [g for g in due if (g.status or "").lower() not in DONE_WORDS]
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
            status = status_word(g.status) if g.status else None
            if g in open_late:
                status = f"{status or 'Open'} (past target date)"
                emphasis.append(i)
            rows.append(
                (
                    g.name,
                    or_none(g.description),
                    w.date(g.target_date) if g.target_date else None,
                    status,
                    or_none(g.owner),
                )
            )
        grid = Grid(cols, tuple(rows), "Goals with target dates", tuple(emphasis))
        blocks += self._limited("goals", grid, LIMITS["goals"], "goals")
        return Section("Goals and objectives", tuple(blocks))


#: Words that show a health driver repeats a topic the summary has stated already.
_TOPICS = {"revenue": ("revenue",), "kpi": ("kpi", "sla"), "action": ("action",),
           "renewal": ("renewal",)}


def _says(driver: str, told: set[str]) -> bool:
    """Whether the health ``driver`` ("revenue -19% year on year") repeats a told topic."""
    lowered = driver.lower()
    return any(word in lowered for topic in told for word in _TOPICS[topic])

