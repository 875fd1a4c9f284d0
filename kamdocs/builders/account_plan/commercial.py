"""Sections 5 and 8 of the plan: whitespace, renewal and expansion."""

from __future__ import annotations

from decimal import Decimal

from kamdocs.builders.account_plan.blocks import (
    DASH,
    Block,
    Column,
    Facts,
    Grid,
    HeatBlock,
    Section,
    Text,
)
from kamdocs.builders.account_plan.parts import LIMITS, PlanParts
from kamdocs.builders.account_plan.words import (
    RENEWAL_PHRASES,
    RENEWAL_SHORT,
    count,
    coverage_word,
    date_or_none,
    money_or_none,
    or_none,
    share,
)


class CommercialSections(PlanParts):
    """Where the account can grow and when it renews."""

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
                (c.product, or_none(c.business_unit), or_none(c.region), or_none(c.use_case))
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
                    # The heat-table's key explains the grey; this says what to do about it.
                    f"{len(above)} cell{'s are' if len(above) != 1 else ' is'} above potential "
                    "(current spend exceeds the estimated potential): revisit "
                    f"{'these estimates' if len(above) != 1 else 'its estimate'}.",
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
                or_none(c.business_unit),
                or_none(c.region),
                money_or_none(w, c.whitespace),
                money_or_none(w, c.open_pipeline),
                w.score(c.score) if c.score is not None else None,
                coverage_word(c),
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
                or_none(c.business_unit),
                or_none(c.region),
                or_none(c.use_case),
                money_or_none(w, c.current),
                money_or_none(w, c.potential),
                money_or_none(w, c.whitespace)
                + (" (above potential)" if c.is_above_potential and c.whitespace is not None
                   else "") if c.whitespace is not None else None,
                w.score(c.score) if c.score is not None else None,
            )
            for c in ws.cells
        )
        return Grid(cols, rows, "Whitespace cells by score")

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
                    ("Window opens", date_or_none(w, r.window_opens), "opportunity should exist"),
                    ("Late from", date_or_none(w, r.window_late), ""),
                    ("Status", RENEWAL_SHORT[r.status], RENEWAL_PHRASES[r.status]),
                    (
                        "Renewal opportunity",
                        money_or_none(w, r.opportunity_amount)
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
                worth = f" for {w.money(r.proposed_amount)}" if r.proposed_amount else ""
                blocks.append(
                    Text(
                        f"Action: create the renewal opportunity \u201c{r.proposed_name}\u201d"
                        f"{worth}{when}.",
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
            text += f": {RENEWAL_PHRASES[r.status]}"
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
                    or_none(o.type),
                    o.stage,
                    date_or_none(w, o.close_date),
                    money_or_none(w, o.amount),
                    w.percent(share(o.probability)) if o.probability is not None else None,
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
        # A renewal keeps what was delivered; it is not a project of its own.
        won = [o for o in a.opportunities if o.is_won and (o.type or "").lower() != "renewal"]
        if not won:
            return []
        lead = Text(f"{count(len(won), 'project')} delivered together so far.")
        cols = (Column("Delivered", min_cm=4.0), Column("Product family"),
                Column("Closed", "right"))
        rows = tuple(
            (o.name, or_none(o.product_family), date_or_none(w, o.close_date)) for o in won
        )
        grid = Grid(cols, rows, "What we have delivered together")
        return [lead, *self._limited("delivered", grid, LIMITS["opportunities"], "deliveries")]

