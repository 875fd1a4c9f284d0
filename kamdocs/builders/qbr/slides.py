"""What each slide says: generated titles, tables, charts and talking points, in domain terms."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from kamdocs.audience import view_for
from kamdocs.builders.qbr.facts import (
    CUSTOMER_SUCCESS,
    FiscalQuarter,
    MeetingFacts,
    action_status_word,
    customer_attendees,
    is_open_goal,
    meeting_facts,
    our_attendees,
    renewal_timeline,
    room_risks,
)
from kamdocs.builders.qbr.words import Words, listing, plural, sentence, tally
from kamdocs.model import (
    Account,
    ActionStatus,
    Audience,
    Opportunity,
    RenewalStatus,
    Stakeholder,
)

# --------------------------------------------------------------------------- slide plans


@dataclass(frozen=True, slots=True)
class Col:
    """A table column: header, right-aligned numbers or left-aligned text, minimum width."""

    header: str
    numeric: bool = False
    min_inches: float = 1.0


@dataclass(frozen=True)
class TablePlan:
    """A table as the audience reads it: cells already worded, how it pages, what it counts."""

    columns: tuple[Col, ...]
    #: Cells as shown; None is a missing value (an em dash with a footnote, never blank).
    rows: tuple[tuple[str | None, ...], ...]
    #: What one row is, for "rows 13-24 of 300 open items" ("open item", "KPI").
    noun: str
    noun_plural: str | None = None
    #: None: pages continue on "(cont.)" slides. A title: the slide shows the first page and a
    #: pointer, and the whole table goes to the appendix under that title.
    appendix: str | None = None
    #: The column holding a status word (met / missed / past due), coloured and in words.
    status_column: int | None = None
    #: Rows per slide when fewer than fit (a chart shares the slide); None = as many as fit.
    rows_per_page: int | None = None
    #: Indexes of group heading rows, drawn bold ("Northwind Analytics: 4 people").
    bold_rows: frozenset[int] = frozenset()

    @property
    def size(self) -> int:
        """How many records the table lists (group heading rows are not records)."""
        return len(self.rows) - len(self.bold_rows)

    def count(self, n: int | None = None) -> str:
        """``"300 open items"``: ``n`` (default: all) records in words."""
        return plural(self.size if n is None else n, self.noun, self.noun_plural)


@dataclass(frozen=True)
class ChartPlan:
    """A native chart: attainment bars with the 100 % target, or bars of amounts."""

    kind: str
    title: str
    categories: tuple[str, ...]
    values: tuple[float | None, ...]
    series_name: str
    #: "percent" (values are fractions) or "money".
    number_kind: str
    alt_text: str
    #: Per category: the target (attainment charts: 1.0) and whether it was missed.
    targets: tuple[float | None, ...] = ()
    missed: tuple[bool, ...] = ()


@dataclass(frozen=True)
class SlidePlan:
    """One slide (or a run of continuation slides) in domain terms."""

    key: str
    #: The short section label above the title; also the agenda entry.
    label: str
    title: str
    notes: str = ""
    bullets: tuple[str, ...] = ()
    table: TablePlan | None = None
    chart: ChartPlan | None = None
    #: A second column of bullets beside the table, under its own heading.
    aside_heading: str | None = None
    aside: tuple[str, ...] = ()
    #: Preparation slides of the internal deck: not on the meeting agenda.
    is_preparation: bool = False


@dataclass(frozen=True)
class Gap:
    """A section left out for lack of data, and what would fill it."""

    section: str
    reason: str


@dataclass(frozen=True)
class QbrContent:
    """Everything the deck says, before drawing."""

    #: The internal deck's preparation slides (empty for the customer).
    preparation: tuple[SlidePlan, ...]
    #: The meeting, as the customer sees it: the summary first, then each section with data.
    meeting: tuple[SlidePlan, ...]
    #: Sections left out for lack of data (internal deck only; the customer deck just omits).
    gaps: tuple[Gap, ...]
    #: Set by the builder from snippets: cover title and subtitle, agenda title.
    title: str = ""
    subtitle: str = ""
    agenda_title: str = ""


#: KPIs on one KPI slide (chart above, table below); more continue on one "(cont.)" slide,
#: or, beyond two slides, go to the appendix in full.
KPIS_PER_SLIDE = 5


def _status_word(value: bool | None) -> str | None:
    return None if value is None else ("Met" if value else "Missed")


def kpi_slide(facts: MeetingFacts, w: Words) -> SlidePlan | None:
    results = facts.kpis
    if not results:
        return None
    q = facts.quarter.label
    judged = [r for r in results if r.is_met is not None]
    met = [r for r in judged if r.is_met]
    missed = [r.name for r in judged if not r.is_met]
    if not judged:
        title = f"{plural(len(results), 'KPI')} measured in {q}; none has a target yet"
    elif len(judged) == 1:
        verb = "met its target" if met else "missed its target"
        title = f"{judged[0].name} {verb} in {q}"
    else:
        title = sentence(tally(len(met), len(judged), "KPI")) + f" in {q}"
        if met and missed:
            title += (f"; missed: {listing(missed, 2)}" if len(missed) <= 2
                      else f"; {len(missed)} missed")
    # Furthest from target first: the ones to discuss lead the table and the chart.
    ordered = sorted(results, key=lambda r: (r.attainment is None, r.attainment or 0.0, r.name))
    previous = facts.quarter.shift(-1).label
    table = TablePlan(
        columns=(Col("KPI", min_inches=2.0), Col("Actual", True), Col("Target", True),
                 Col("Status", min_inches=0.8), Col(f"Change vs {previous}", True, 1.4)),
        rows=tuple(
            (r.name, w.kpi(r.latest.actual, r.unit), w.kpi(r.latest.target, r.unit),
             _status_word(r.is_met) or "No target", w.change_or_none(r))
            for r in ordered
        ),
        noun="KPI",
        appendix="KPIs vs targets",
        status_column=3,
        rows_per_page=KPIS_PER_SLIDE,
    )
    charted = [r for r in ordered if r.attainment is not None]
    chart = None
    if charted:
        chart = ChartPlan(
            kind="kpi_attainment",
            title=f"Attainment vs target, {q} (target = 100%)",
            categories=tuple(r.name for r in charted),
            values=tuple(r.attainment for r in charted),
            series_name="Attainment",
            number_kind="percent",
            targets=tuple(1.0 for _ in charted),
            missed=tuple(r.is_met is False for r in charted),
            alt_text=(f"Bar chart: {len(met)} of {len(judged)} KPIs met in {q}; "
                      + "; ".join(f"{r.name} {w.percent(r.attainment)} of target"
                                  for r in charted[:6])),
        )
    best = max((r for r in results if r.is_improvement), default=None,
               key=lambda r: abs(r.change or 0.0) / max(abs(r.latest.target or 1.0), 1e-9))
    notes = [f"Lead with the {len(met)} KPIs met." if met else
             "Open with where we stand against each target."]
    if missed:
        notes.append(f"For {listing(missed, 3)}: state the gap to target and the agreed next "
                     "step with its owner and date.")
    if best is not None:
        notes.append(f"{best.name} improved from {w.kpi(best.previous.actual, best.unit)} "
                     f"to {w.kpi(best.latest.actual, best.unit)} since {previous}.")
    unjudged = len(results) - len(judged)
    if unjudged:
        notes.append(f"{plural(unjudged, 'KPI')} without a target: agree one today.")
    return SlidePlan("kpis", "Value delivered: KPIs", title, " ".join(notes),
                     table=table, chart=chart)


def sla_slide(facts: MeetingFacts, w: Words) -> SlidePlan | None:
    results = facts.slas
    if not results:
        return None
    q = facts.quarter
    judged = [r for r in results if r.is_met is not None]
    missed = [r for r in judged if not r.is_met]
    if not judged:
        title = f"{plural(len(results), 'SLA')} measured in {q.label}; none has a target yet"
    elif not missed:
        title = sentence(tally(len(judged), len(judged), "SLA")) + f" in every period of {q.label}"
    elif len(judged) == 1:
        only = judged[0]
        title = f"{only.name} SLA missed in " + (
            listing([w.period(d, only, q) for d in only.missed_periods], 2)
            if len(only.periods) > 1 else q.label)
    else:
        title = sentence(tally(len(judged) - len(missed), len(judged), "SLA")) + f" in {q.label}"
        if len(missed) == 1:
            only = missed[0]
            if len(only.periods) > 1:
                months = [w.period(d, only, q) for d in only.missed_periods]
                title += f"; {only.name} missed in {listing(months, 2)}"
            else:
                title += f"; {only.name} missed"
        elif len(missed) == 2:
            title += f"; missed: {listing([r.name for r in missed])}"
        else:
            title += f"; {len(missed)} missed"
    rows = []
    for r in results:
        periods_met = sum(1 for m in r.periods if m.is_met)
        periods_judged = sum(1 for m in r.periods if m.is_met is not None)
        rows.append((
            r.name,
            w.kpi(r.latest.target, r.unit),
            w.kpi(r.latest.actual, r.unit),
            f"{periods_met} of {periods_judged}" if periods_judged else None,
            listing([w.period(d, r, q) for d in r.missed_periods], 3) or
            ("none" if periods_judged else None),
            _status_word(r.is_met) or "No target",
        ))
    table = TablePlan(
        columns=(Col("SLA", min_inches=2.2), Col("Target", True), Col("Latest", True),
                 Col("Periods met", True, 1.1), Col("Missed in", min_inches=1.6),
                 Col("Status", min_inches=0.8)),
        rows=tuple(rows), noun="SLA", appendix="SLA performance", status_column=5,
    )
    notes = ("SLAs are commitments: a single missed period counts as missed for the quarter. "
             + (f"For {listing([r.name for r in missed], 3)}: name the cause, the fix and the "
                "date it holds from." if missed else "Thank the teams that kept every SLA."))
    return SlidePlan("slas", "SLA performance", title, notes, table=table)


def delivered_slide(facts: MeetingFacts, w: Words) -> SlidePlan | None:
    if not facts.delivered and not facts.won:
        return None
    q = facts.quarter.label
    parts = []
    if facts.delivered:
        parts.append(f"{plural(len(facts.delivered), 'action')} completed together")
    if facts.won:
        parts.append(f"{plural(len(facts.won), 'agreement')} signed")
    title = " and ".join(parts) + f" in {q}"
    # One list in date order: an agreement signed in July sits among July's deliveries.
    dated = [
        ((a.completed or a.due or date.min, 0, a.id),
         (w.date(a.completed or a.due), a.subject, a.owner.name if a.owner else None,
          a.success_measure))
        for a in facts.delivered
    ]
    dated += [
        ((o.close_date or date.min, 1, o.id),
         (w.date(o.close_date), f"Agreement signed: {agreement_label(o)}", None, None))
        for o in facts.won
    ]
    rows = [row for _, row in sorted(dated, key=lambda item: item[0])]
    table = TablePlan(
        columns=(Col("Date", min_inches=1.2), Col("What we delivered", min_inches=3.5),
                 Col("Owner", min_inches=1.5), Col("Measure of success", min_inches=2.5)),
        rows=tuple(rows), noun="delivered item", appendix="Delivered together",
    )
    first = facts.delivered[0].subject if facts.delivered else facts.won[0].name
    notes = (f"Walk through what changed for the customer, starting with: {first}. "
             "Ask which of these mattered most to their teams.")
    return SlidePlan("delivered", "Delivered together", title, notes, table=table)


def agreement_label(opportunity: Opportunity) -> str:
    """What a signed agreement covers, in the customer's words: its products ("Connect API
    Gateway (Finance)", "renewal of 5 products"), else the agreement's name; never the sales
    type (upsell, cross-sell), which is our word, not theirs."""
    products = list(opportunity.products)
    if (opportunity.type or "").strip().lower() == "renewal":
        return "renewal" + (f" of {plural(len(products), 'product')}" if len(products) > 1
                            else f" of {products[0]}" if products else "")
    if products:
        return listing(products, 2) + (f" ({opportunity.business_unit})"
                                       if opportunity.business_unit else "")
    return opportunity.name


def open_items_slide(facts: MeetingFacts, w: Words) -> SlidePlan | None:
    items = facts.open_items
    if not items:
        return None
    overdue = [a for a in items if a.is_overdue]
    high = [a for a in items if not a.is_overdue and (a.priority or "").lower() == "high"]
    title = f"{plural(len(items), 'open item')}"
    if overdue:
        title += (f"; {len(overdue)} past due {'needs' if len(overdue) == 1 else 'need'} "
                  "a decision today")
    elif high:
        title += f", none past due; {len(high)} high priority to confirm"
    else:
        title += ", none past due"

    table = TablePlan(
        columns=(Col("Open item", min_inches=4.0), Col("Owner", min_inches=1.6),
                 Col("Due", min_inches=1.2), Col("Status", min_inches=1.4),
                 Col("Priority", min_inches=0.9)),
        rows=tuple((a.subject, a.owner.name if a.owner else None,
                    w.date(a.due) if a.due else None, action_status_word(a), a.priority)
                   for a in items),
        noun="open item", appendix="Open items", status_column=3,
    )
    notes = ("Agree an owner and a date for every item before moving on. "
             + (f"Start with the {len(overdue)} past due: ask what would unblock each."
                if overdue else "Confirm the due dates still hold."))
    return SlidePlan("open_items", "Open items and decisions", title, notes, table=table)


def roadmap_slide(facts: MeetingFacts, w: Words) -> SlidePlan | None:
    if not facts.priorities and not facts.milestones:
        return None
    n = facts.next_quarter.label
    parts = []
    if facts.priorities:
        parts.append(plural(len(facts.priorities), "joint priority", "joint priorities"))
    if facts.milestones:
        parts.append(plural(len(facts.milestones), "milestone"))
    title = f"{n}: " + " and ".join(parts)
    next_qbr = facts.account.cadence.next_qbr_due
    if next_qbr is not None and next_qbr > facts.account.as_of:
        title += f"; next review by {w.date(next_qbr)}"
    rows = [("Priority", g.name, w.date(g.target_date) if g.target_date else None, g.owner,
             g.status) for g in facts.priorities]
    rows += [("Milestone", m.what, w.date(m.when), m.owner, m.status) for m in facts.milestones]
    table = TablePlan(
        columns=(Col("Type", min_inches=1.0), Col("Priority or milestone", min_inches=4.0),
                 Col("By", min_inches=1.2), Col("Owner", min_inches=1.5),
                 Col("Status", min_inches=1.0)),
        rows=tuple(rows), noun="priority or milestone", noun_plural="priorities and milestones",
        appendix="Priorities and roadmap",
    )
    notes = (f"Agree the priorities for {n} and who owns each; "
             "confirm that the milestones and dates still work for the customer.")
    return SlidePlan("roadmap", "Priorities and roadmap", title, notes, table=table)


def growth_slide(facts: MeetingFacts, w: Words, company: str) -> SlidePlan | None:
    cells = facts.growth
    if not cells:
        return None
    top = cells[0]
    focus = top.product + (f" for {top.use_case}" if top.use_case else "")
    title = f"{plural(len(cells), 'area')} to grow together, starting with {focus}"
    rows = tuple((c.product, c.use_case, c.business_unit, c.region) for c in cells)
    table = TablePlan(
        columns=(Col("Product", min_inches=2.5), Col("Use case", min_inches=2.5),
                 Col("Business unit", min_inches=2.0), Col("Region", min_inches=1.5)),
        rows=rows, noun="area", appendix="Opportunities to grow together",
    )
    held = facts.products_held
    notes = ("Frame each area as a question about the customer's goals, not a pitch. "
             + (f"Build on what they already use: {listing(list(held), 3)}."
                if held else "")).strip()
    aside = tuple(held[:6]) if held else ()
    return SlidePlan("growth", "Growing together", title, notes, table=table,
                     aside_heading=f"In use today with {company}" if aside else None,
                     aside=aside + ((f"and {len(held) - 6} more",) if len(held) > 6 else ()))


def renewal_slide(facts: MeetingFacts, w: Words) -> SlidePlan | None:
    lines = renewal_timeline(facts.account, facts.quarter)
    if not lines:
        return None
    renewal = facts.account.renewal.date
    ends = [m.when for m in lines if m.what.startswith("Contract") and "ends" in m.what]
    if renewal is not None and renewal < facts.account.as_of:
        title = f"The renewal date, {w.date(renewal)}, has passed: let us agree the next term"
    elif renewal is not None:
        title = f"Our agreement renews on {w.date(renewal)}"
    else:
        title = f"The current contract runs until {w.date(max(ends))}" if ends else \
            "Contract timeline"
    next_qbr = facts.account.cadence.next_qbr_due
    if next_qbr is not None and next_qbr > facts.account.as_of:
        title += f"; next review due by {w.date(next_qbr)}"
    table = TablePlan(
        columns=(Col("Date", min_inches=1.6), Col("Milestone", min_inches=5.0)),
        rows=tuple((w.date(m.when), m.what) for m in lines),
        noun="date", appendix="Renewal timeline",
    )
    notes = ("Dates only: confirm the renewal date and what each side must complete "
             "before it.")
    return SlidePlan("renewal", "Renewal timeline", title, notes, table=table)


def teams_slide(facts: MeetingFacts, company: str) -> SlidePlan | None:
    ours, theirs = facts.our_team, facts.their_team
    if not ours and not theirs:
        return None
    customer = facts.account.name
    sides = [f"{plural(n, 'person', 'people')} at {name}"
             for n, name in ((len(ours), company), (len(theirs), customer)) if n]
    title = "Working together: " + " and ".join(sides)
    rows: list[tuple[str | None, ...]] = []
    bold: list[int] = []
    for name, members in ((company, [(m.user.name, m.role, m.user.title) for m in ours]),
                          (customer, [(s.name, s.title, s.department) for s in theirs])):
        if members:
            bold.append(len(rows))
            rows.append((f"{name}: {plural(len(members), 'person', 'people')}", "", ""))
            rows += members
    table = TablePlan(
        columns=(Col("Name", min_inches=3.0), Col("Role", min_inches=3.5),
                 Col("Title or department", min_inches=2.0)),
        rows=tuple(rows), noun="person", noun_plural="people", appendix="Both account teams",
        bold_rows=frozenset(bold),
    )
    notes = "Confirm who is the day-to-day contact on each side and who joins the next review."
    return SlidePlan("teams", "Our teams", title, notes, table=table)


def headlines(facts: MeetingFacts, w: Words) -> tuple[str, ...]:
    """Three to five headline results, in words generated from the numbers, most telling first."""
    q, n = facts.quarter.label, facts.next_quarter.label
    lines: list[str] = []
    judged = [r for r in facts.kpis if r.is_met is not None]
    if judged:
        met = sum(1 for r in judged if r.is_met)
        line = sentence(tally(met, len(judged), "KPI")) + f" in {q}"
        improved = [r for r in judged if r.is_improvement]
        if improved:
            best = max(improved, key=lambda r: (r.attainment or 0.0, r.name))
            line += (f"; {best.name} improved from {w.kpi(best.previous.actual, best.unit)}"
                     f" to {w.kpi(best.latest.actual, best.unit)}")
        lines.append(line)
    slas = [r for r in facts.slas if r.is_met is not None]
    if slas:
        missed = [r for r in slas if not r.is_met]
        if not missed:
            lines.append(sentence(tally(len(slas), len(slas), "SLA"))
                         + f" in every period of {q}")
        elif len(missed) == 1:
            worst = missed[0]
            months = listing([w.period(d, worst, facts.quarter) for d in worst.missed_periods], 2)
            lines.append(sentence(tally(len(slas) - len(missed), len(slas), "SLA"))
                         + f"; {worst.name} missed in {months}")
        else:
            # Naming one of several misses would read as if it were the only one.
            lines.append(sentence(tally(len(slas) - len(missed), len(slas), "SLA"))
                         + f"; missed: {listing([r.name for r in missed], 2)}")
    if facts.delivered:
        latest = max(facts.delivered, key=lambda a: (a.completed or a.due or date.min, a.id))
        lines.append(f"{plural(len(facts.delivered), 'action')} completed together"
                     + (f", including {latest.subject}" if len(facts.delivered) > 1
                        else f": {latest.subject}"))
    if facts.won:
        names = [agreement_label(o) for o in facts.won]
        lines.append(f"{plural(len(facts.won), 'agreement')} signed: "
                     f"{listing(list(dict.fromkeys(names)), 2)}")
    if facts.open_items:
        overdue = sum(1 for a in facts.open_items if a.is_overdue)
        lines.append(f"{plural(len(facts.open_items), 'open item')} to review together"
                     + (f"; {overdue} past due {'needs' if overdue == 1 else 'need'} a "
                        "decision" if overdue else ""))
    if facts.priorities:
        lines.append(f"{plural(len(facts.priorities), 'joint priority', 'joint priorities')} "
                     f"proposed for {n}")
    if facts.growth:
        lines.append(f"{plural(len(facts.growth), 'area')} identified to grow together")
    renewal = facts.account.renewal.date
    if renewal is not None and renewal > facts.account.as_of:
        lines.append(f"Our agreement renews on {w.date(renewal)}")
    if len(lines) < 3:
        if not facts.kpis and not facts.slas:
            lines.append(f"No KPI or SLA results recorded for {q} yet: "
                         "today we agree which ones we report on")
        lines.append(f"Agree the priorities, owners and dates for {n}")
    if len(lines) < 3:
        next_qbr = facts.account.cadence.next_qbr_due
        lines.append("Set the date of the next review" + (
            f" (due by {w.date(next_qbr)})" if next_qbr and next_qbr > facts.account.as_of
            else ""))
    return tuple(lines[:5])


def summary_slide(facts: MeetingFacts, w: Words) -> SlidePlan:
    q = facts.quarter.label
    parts = []
    judged = [r for r in facts.kpis if r.is_met is not None]
    if judged:
        parts.append(tally(sum(1 for r in judged if r.is_met), len(judged), "KPI"))
    slas = [r for r in facts.slas if r.is_met is not None]
    if slas:
        met = sum(1 for r in slas if r.is_met)
        parts.append(tally(met, len(slas), "SLA"))
    if facts.delivered:
        parts.append(f"{plural(len(facts.delivered), 'action')} delivered together")
    if facts.won:
        parts.append(f"{plural(len(facts.won), 'agreement')} signed")
    title = (f"{q} at a glance: " + ", ".join(parts[:3]) if parts
             else f"{q} review: agreeing how we measure success together")
    notes = ("Three minutes: the results first, then what we ask of each other today. "
             "Every number here is on the following slides.")
    return SlidePlan("summary", "Executive summary", title, notes, bullets=headlines(facts, w))


# --------------------------------------------------------------------------- internal slides

PREPARATION = "Preparation (internal)"


def prep_slide(account: Account, facts: MeetingFacts, w: Words) -> SlidePlan | None:
    attendees = customer_attendees(account)
    if not attendees:
        return None
    detractors = set(account.relationships.detractors)

    def stance(s: Stakeholder) -> str | None:
        return s.stance or ("Detractor" if s.id in detractors else None)

    champions = sum(1 for s in attendees if (stance(s) or "").lower() == "champion")
    against = sum(1 for s in attendees if (stance(s) or "").lower() == "detractor")
    no_access = sum(1 for s in attendees if s.access is None or s.access.kind == "none")
    parts = [plural(champions, "champion")] if champions else []
    if against:
        parts.append(plural(against, "detractor"))
    title = f"{plural(len(attendees), 'customer attendee')}"
    title += (": " + ", ".join(parts)) if parts else ""
    if no_access:
        title += f"; {no_access} without an access path"
    stale = set(account.relationships.stale_key_stakeholders)
    rows = tuple(
        (
            s.name + (f", {s.title}" if s.title else ""),
            s.buying_role,
            stance(s),
            str(s.influence) + " of 5" if s.influence is not None else None,
            s.access.description if s.access is not None else None,
            (w.date(s.last_contact) + (" (stale)" if s.id in stale else ""))
            if s.last_contact else ("none recorded" if s.id in stale else None),
        )
        for s in attendees
    )
    table = TablePlan(
        columns=(Col("Attendee", min_inches=2.4), Col("Buying role", min_inches=1.2),
                 Col("Stance", min_inches=0.9), Col("Influence", True, 0.9),
                 Col("Access path", min_inches=2.0), Col("Last contact", min_inches=1.2)),
        rows=rows, noun="attendee",
    )
    ours = our_attendees(account, facts, attendees)
    aside = tuple(f"{a.person.name} ({a.role}): {a.reason}" for a in ours)
    notes = ("Brief every attendee from our side on the stance and the last contact of the "
             "people they own. " + (f"{plural(against, 'detractor')} attending: meet them "
                                    "beforehand." if against else ""))
    return SlidePlan("prep", PREPARATION, title, notes.strip(), table=table,
                     aside_heading="Who attends from our side", aside=aside,
                     is_preparation=True)


def risks_slide(account: Account, facts: MeetingFacts, w: Words) -> SlidePlan | None:
    risks = room_risks(account, facts, customer_attendees(account))
    if not risks:
        return None
    high = [r for r in risks if (r.severity or "").lower() == "high"]
    title = f"{plural(len(risks), 'risk')} to handle in the room"
    if high:
        title += f"; {len(high)} high, starting with {high[0].risk}"
    handling = [_in_brief(r.handling) for r in risks]
    table = TablePlan(
        columns=(Col("Risk", min_inches=3.2), Col("Severity", min_inches=0.9),
                 Col("How to handle it", min_inches=3.6), Col("Owner", min_inches=1.4)),
        rows=tuple((r.risk, r.severity, brief, r.owner)
                   for r, (brief, _) in zip(risks, handling, strict=True)),
        noun="risk",
    )
    notes = "Decide before the meeting who answers each risk if it comes up; never improvise."
    for r, (_, shortened) in zip(risks, handling, strict=True):
        if shortened:
            notes += f"\nHow to handle {r.risk}, in full: {r.handling}"
    return SlidePlan("risks", PREPARATION, title, notes, table=table, is_preparation=True)


#: A table cell says this much of a long text; the rest is in the speaker notes.
BRIEF_CHARS = 240
IN_FULL_MARKER = " (in full in the notes)"


def _in_brief(text: str | None) -> tuple[str | None, bool]:
    """A long text's first paragraph, cut at a sentence or word end within
    :data:`BRIEF_CHARS` and marked, and whether it was shortened: one risk's nine-paragraph
    mitigation would otherwise fill four slides of the preparation deck."""
    if text is None:
        return None, False
    first = text.strip().split("\n")[0].strip()
    if first == text.strip() and len(first) <= BRIEF_CHARS:
        return text, False
    if len(first) > BRIEF_CHARS:
        cut = first[:BRIEF_CHARS]
        end = max(cut.rfind(". "), cut.rfind("; "))
        space = cut.rfind(" ")
        first = (cut[: end + 1] if end > BRIEF_CHARS // 2
                 else (cut[:space] if space > 0 else cut).rstrip(",;:"))
    return first + IN_FULL_MARKER, True


def expansion_slide(account: Account, w: Words) -> SlidePlan | None:
    ws = account.whitespace
    cells = ws.candidates
    if not cells and not ws.total_whitespace:
        return None
    total = w.money_as_charts(ws.total_whitespace)
    if cells:
        top = cells[0]
        where = " / ".join(p for p in (top.business_unit, top.region) if p)
        title = (f"{total} whitespace; the ask: {top.product}"
                 + (f" in {where}" if where else "")
                 + f", {w.money_as_charts(top.uncovered)} not yet in pipeline")
    else:
        title = f"{total} whitespace, but no cell large enough to ask for now"
    rows = tuple(
        (c.product, " / ".join(p for p in (c.business_unit, c.region, c.use_case) if p) or None,
         w.money_as_charts(c.whitespace),
         w.money_as_charts(c.open_pipeline) if c.open_pipeline else "none",
         w.money_as_charts(c.uncovered))
        for c in cells
    )
    table = TablePlan(
        columns=(Col("Candidate", min_inches=2.2), Col("Where", min_inches=3.0),
                 Col("Whitespace", True, 1.2), Col("Open pipeline", True, 1.3),
                 Col("Uncovered", True, 1.2)),
        rows=rows, noun="candidate",
    ) if rows else None
    chart = ChartPlan(
        kind="bar",
        title="Uncovered whitespace by candidate",
        categories=tuple(c.product + (f" ({c.business_unit})" if c.business_unit else "")
                         for c in cells),
        values=tuple(float(c.uncovered) if c.uncovered is not None else None for c in cells),
        series_name="Uncovered whitespace",
        number_kind="money",
        alt_text=f"Bar chart: uncovered whitespace by candidate; total whitespace {total}; "
                 + "; ".join(f"{c.product} {w.money_as_charts(c.uncovered)}"
                             for c in cells[:5]),
        # One bar compares nothing: the table row says it all.
    ) if len(cells) > 1 else None
    notes = (f"Total whitespace {total} (potential {w.money_as_charts(ws.total_potential)} "
             f"minus current {w.money_as_charts(ws.total_current)}). "
             + (f"Make one ask only: {cells[0].product}; never show amounts to the customer."
                if cells else "No ask this quarter: listen for new needs."))
    if table is None and ws.by_product:
        # No candidate to ask for: where the whitespace is, so the KAM can listen for it.
        table = TablePlan(columns=(Col("Product", min_inches=3.0),
                                   Col("Whitespace", True, 1.5)),
                          rows=tuple((p, w.money_as_charts(v)) for p, v in ws.by_product),
                          noun="product")
    bullets = () if table is not None else (
        f"Total whitespace {total}; no cell has enough uncovered whitespace for an ask.",)
    return SlidePlan("expansion", PREPARATION, title, notes, table=table, chart=chart,
                     bullets=bullets, is_preparation=True)


def renewal_status_slide(account: Account, w: Words) -> SlidePlan | None:
    r = account.renewal
    if r.date is None:
        return None
    when = w.date(r.date)
    status = r.status
    if status is RenewalStatus.COVERED:
        title = f"Renewal on {when} is covered"
    elif status is RenewalStatus.MISSING:
        title = f"Renewal on {when} has no opportunity yet: create it now"
    elif status is RenewalStatus.LATE:
        title = f"Renewal on {when} is late: no opportunity inside the window"
    elif status is RenewalStatus.NOT_IN_WINDOW:
        title = f"Renewal on {when}; the window opens on {w.date(r.window_opens)}"
    elif status is RenewalStatus.RENEWED:
        title = f"Renewed for the term starting {when}"
    elif status is RenewalStatus.LAPSED:
        title = f"Contract lapsed on {when} without a renewal"
    else:
        title = f"Renewal on {when}"
    if r.retention is not None and r.retention_target is not None:
        verdict = "meets" if r.meets_target else "below"
        title += (f"; retention {w.percent(r.retention)}, {verdict} the "
                  f"{w.percent(r.retention_target)} target")
    rows = [
        ("Renewal date", when + (f" (from {r.source})" if r.source else "")),
        ("Status", status.value),
        ("Window opens", w.date(r.window_opens) if r.window_opens else None),
        ("Late from", w.date(r.window_late) if r.window_late else None),
        ("Renewal opportunity", w.money_as_charts(r.opportunity_amount) if r.opportunity_id
         else "none"),
        ("Retention", w.percent(r.retention) if r.retention is not None else None),
        ("Retention target", w.percent(r.retention_target)
         if r.retention_target is not None else None),
    ]
    if r.proposed_name:
        rows.append(("Proposed opportunity", (f"{r.proposed_name}, close by "
                                             f"{w.date(r.proposed_close_date)}")))
    table = TablePlan(columns=(Col("Renewal", min_inches=2.4),
                               Col("Status, dates and amounts", min_inches=5.0)),
                      rows=tuple(rows), noun="line")
    notes = ("Do not negotiate the renewal in the QBR; use it to confirm value and the "
             "timeline, then follow up with the economic buyer.")
    return SlidePlan("renewal_status", PREPARATION, title, notes, table=table,
                     is_preparation=True)


def health_slide(account: Account, w: Words) -> SlidePlan | None:
    health, changes = account.health, account.changes
    if health.status is None and not (changes and changes.items):
        # Not assessed and nothing changed: nothing to prepare from (the gap list says why).
        return None
    status = health.status.value if health.status is not None else "not assessed"
    title = f"Health {status}"
    if health.drivers:
        title += f": {health.drivers[0]}"
    if changes is not None and changes.previous_as_of is not None:
        title += (f"; {plural(len(changes.items), 'change')} since "
                  f"{w.date(changes.previous_as_of)}")
    else:
        title += "; no earlier review to compare"
    rows: list[tuple[str | None, ...]] = [("Health driver", d) for d in health.drivers]
    if changes is not None:
        rows += [(f"Change: {c.area}", c.text) for c in changes.items]
        if changes.refresh_relationship_map:
            rows.append(("Relationship map", "Customer leadership changed: refresh the map"))
    last_qbr = account.cadence.last_qbr
    notes = (f"Last QBR held on {w.date(last_qbr)}." if last_qbr else "No earlier QBR on record.")
    table = TablePlan(columns=(Col("Area", min_inches=1.8), Col("What we know", min_inches=6.0)),
                      rows=tuple(rows), noun="line") if rows else None
    return SlidePlan("health", PREPARATION, title, notes, table=table,
                     bullets=() if rows else (f"Health {status}; nothing changed on record.",),
                     is_preparation=True)


def internal_notes(key: str, account: Account, facts: MeetingFacts, w: Words) -> str:
    """Candid talking points for a meeting slide of the internal deck ("" when none)."""
    points: list[str] = []
    if key == "summary":
        if account.health.status is not None:
            driver = f" ({account.health.drivers[0]})" if account.health.drivers else ""
            points.append(f"Health is {account.health.status.value}{driver}.")
        if account.whitespace.candidates:
            points.append(f"The ask this time: {account.whitespace.candidates[0].product}.")
    elif key in ("kpis", "slas"):
        results = facts.kpis if key == "kpis" else facts.slas
        missed = [r.name for r in results if r.is_met is False]
        success = [m.user.name for m in account.team if CUSTOMER_SUCCESS in m.role.lower()]
        if missed:
            points.append(f"Missed: {listing(missed, 3)}."
                          + (f" {success[0]} answers for delivery." if success else ""))
    elif key == "open_items":
        overdue_owners = [(name, late) for name, _, late in account.action_summary.by_owner
                          if late]
        if overdue_owners:
            points.append("Past due by owner: " + ", ".join(
                f"{name} {late}" for name, late in overdue_owners[:3]) + ".")
        hidden = sum(1 for a in account.actions
                     if a.status is ActionStatus.OPEN and not a.is_customer_visible)
        if hidden:
            points.append(f"{plural(hidden, 'internal open item')} not shown to the customer.")
    elif key == "roadmap":
        hidden = sum(1 for g in account.goals if not g.is_customer_visible and is_open_goal(g))
        if hidden:
            points.append(f"{plural(hidden, 'internal goal')} not shown to the customer.")
    elif key == "growth":
        for cell in account.whitespace.candidates[:2]:
            points.append(f"{cell.product}: {w.money_as_charts(cell.uncovered)} uncovered "
                          "whitespace.")
    elif key == "renewal":
        r = account.renewal
        points.append(f"Renewal status: {r.status.value}"
                      + (f"; retention {w.percent(r.retention)}" if r.retention is not None else "")
                      + ".")
    elif key == "teams":
        rel = account.relationships
        if rel.is_single_threaded:
            points.append("Single-threaded: use this slide to ask for a second contact.")
        if rel.detractors:
            names = [s.name for s in account.stakeholders if s.id in set(rel.detractors)]
            points.append(f"Detractors: {listing(names, 3)}.")
    return " ".join(points)


def plan_content(account: Account, quarter: FiscalQuarter, w: Words, company: str,
                 fill: Callable[[str], str]) -> QbrContent:
    """Every slide of the deck for ``account`` (already filtered for the audience).

    ``fill(section)`` says what data would fill a section left out (the qbr_fills snippet).
    """
    is_internal = account.audience is Audience.INTERNAL
    facts = meeting_facts(view_for(account, Audience.CUSTOMER), quarter)
    sections: list[tuple[str, SlidePlan | None]] = [
        ("kpis", kpi_slide(facts, w)),
        ("slas", sla_slide(facts, w)),
        ("delivered", delivered_slide(facts, w)),
        ("open_items", open_items_slide(facts, w)),
        ("roadmap", roadmap_slide(facts, w)),
        ("growth", growth_slide(facts, w, company)),
        ("renewal", renewal_slide(facts, w)),
        ("teams", teams_slide(facts, company)),
    ]
    meeting = [summary_slide(facts, w), *(plan for _, plan in sections if plan is not None)]
    gaps = [Gap(_SECTION_NAMES[key], fill(key)) for key, plan in sections if plan is None]
    preparation: list[SlidePlan] = []
    if is_internal:
        meeting = [
            dataclasses.replace(plan, notes=_join_notes(
                plan.notes, internal_notes(plan.key, account, facts, w)))
            for plan in meeting
        ]
        internal = [
            ("prep", prep_slide(account, facts, w)),
            ("risks", risks_slide(account, facts, w)),
            ("expansion", expansion_slide(account, w)),
            ("renewal_status", renewal_status_slide(account, w)),
            ("health", health_slide(account, w)),
        ]
        preparation = [plan for _, plan in internal if plan is not None]
        gaps = [Gap(_SECTION_NAMES[key], fill(key)) for key, plan in internal
                if plan is None] + gaps
    return QbrContent(tuple(preparation), tuple(meeting), tuple(gaps) if is_internal else ())


def _join_notes(shared: str, internal_text: str) -> str:
    if not internal_text:
        return shared
    return f"{shared}\nInternal only: {internal_text}"


_SECTION_NAMES: Mapping[str, str] = MappingProxyType({
    "kpis": "KPIs vs targets",
    "slas": "SLA performance",
    "delivered": "Delivered together",
    "open_items": "Open items and decisions",
    "roadmap": "Priorities and roadmap",
    "growth": "Opportunities to grow together",
    "renewal": "Renewal timeline",
    "teams": "Both account teams",
    "prep": "Preparation: attendees",
    "risks": "Risks to handle in the room",
    "expansion": "Whitespace and the expansion ask",
    "renewal_status": "Renewal status and retention",
    "health": "Health and changes since the last review",
})
