"""The internal executive briefing (DOCX, two pages): who is in the room and what to ask for.

Written for our executive sponsor, from the INTERNAL account: candid about stances, risks and
money. Page 1 is who is in the room and the key numbers, page 2 what to say and ask.
:func:`plan_briefing` says what goes in (pure); :func:`fit_pages` trims the longest lists until
each page fits by font metrics, replacing what it removes with a counted pointer ("4 more
risks: see the account plan"), so the briefing never runs past two pages and nothing
disappears silently (an account with hardly any data gets one page, not a blank half page);
:class:`BriefingDrawer` writes it with the render toolkit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from docx.shared import Pt

from kamdocs.builders.ebr.facts import (
    EVENTS,
    ReviewYear,
    Trend,
    bridge_of,
    goal_state,
    knows,
    meetings_in,
    next_goals,
    next_window,
    our_sponsors,
    qbrs_planned,
    trends,
)
from kamdocs.builders.qbr.facts import is_open_goal
from kamdocs.builders.qbr.slides import Gap
from kamdocs.builders.qbr.words import listing, plural
from kamdocs.config import Settings
from kamdocs.formatting import format_date, format_money, format_percent
from kamdocs.model import Account, RenewalStatus, Stakeholder
from kamdocs.render.docx import Document
from kamdocs.render.geometry import EMU_PER_CM, EMU_PER_PT
from kamdocs.render.palette import Palette
from kamdocs.render.tables import Column, Row, TableSpec, column_widths, render_docx_table
from kamdocs.render.text import Font, line_pitch_pt, wrap_lines, xml_safe

#: Where the full lists are, for the pointer that replaces trimmed items.
FULL_LISTS = "the account plan"

# --------------------------------------------------------------------------- plan


#: Longest free text (a risk's mitigation, a change) a bullet or a table cell shows in full.
ITEM_CHARS = 260
CELL_CHARS = 150


def clip(text: str, limit: int) -> str:
    """``text`` on one line; past ``limit`` characters it ends with a visible pointer to the
    full text (two pages cannot hold a several-paragraph mitigation plan)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    head = flat[: cut if cut > limit // 2 else limit].rstrip(" ,;:.")
    return f"{head}\u2026 (full text in {FULL_LISTS})"


@dataclass(frozen=True)
class Item:
    """A bullet; ``lead`` is printed bold before the text (clipped to :data:`ITEM_CHARS`)."""

    text: str
    lead: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", clip(self.text, ITEM_CHARS))


@dataclass(frozen=True)
class Grid:
    """A table: (header, right-aligned?, minimum width in cm) per column; None = missing."""

    columns: tuple[tuple[str, bool, float], ...]
    rows: tuple[tuple[str | None, ...], ...]

    def __post_init__(self) -> None:
        rows = tuple(tuple(None if c is None else clip(c, CELL_CHARS) for c in row)
                     for row in self.rows)
        object.__setattr__(self, "rows", rows)


@dataclass(frozen=True)
class Part:
    """One section: a heading, an optional lead sentence, a table and/or bullets."""

    title: str
    lead: str = ""
    grid: Grid | None = None
    items: tuple[Item, ...] = ()
    #: What one row/item is, for the pointer ("risk" -> "3 more risks: see ...").
    noun: str = "item"
    #: Rows/items that may never be trimmed away.
    keep: int = 1
    #: Rows (grid) or items left out to fit the page; the pointer says how many.
    hidden: int = 0
    #: A line after the table/bullets (who attends from our side, a note on a column).
    after: str = ""

    @property
    def trimmable(self) -> int:
        count = len(self.grid.rows) if self.grid is not None else len(self.items)
        return count - self.keep

    def trim(self) -> Part:
        """One row/item fewer (the last: lists are ordered most important first)."""
        if self.grid is not None:
            grid = dataclasses.replace(self.grid, rows=self.grid.rows[:-1])
            return dataclasses.replace(self, grid=grid, hidden=self.hidden + 1)
        return dataclasses.replace(self, items=self.items[:-1], hidden=self.hidden + 1)

    @property
    def pointer(self) -> str:
        if not self.hidden:
            return ""
        return f"{plural(self.hidden, 'more ' + self.noun)}: see {FULL_LISTS}."


@dataclass(frozen=True)
class Briefing:
    title: str
    subtitle: str
    #: Page 1 (who and the numbers) and page 2 (what to say).
    pages: tuple[tuple[Part, ...], tuple[Part, ...]]
    #: Start page 2 on a new page; False when everything fits on one page.
    breaks: bool = True


# --------------------------------------------------------------------------- words


@dataclass(frozen=True)
class Say:
    """Full amounts and dates in the configured locale (Word tables show money in full)."""

    settings: Settings

    def money(self, amount: object) -> str | None:
        return None if amount is None else format_money(amount, self.settings)  # type: ignore[arg-type]

    def date(self, day: date | None) -> str | None:
        return None if day is None else format_date(day, self.settings)

    def percent(self, share: float | None, signed: bool = False) -> str | None:
        return None if share is None else format_percent(share, self.settings, signed=signed)


def _who(s: Stakeholder) -> str:
    return s.name + (f" ({s.title})" if s.title else "")


def _stance(s: Stakeholder, account: Account) -> str | None:
    if s.stance:
        return s.stance
    return "Detractor" if s.id in account.relationships.detractors else None


#: What a buying role usually weighs, when the contact owns no objective of their own.
_ROLE_CARES = {
    "economic buyer": "return on the spend; renewal terms",
    "decision maker": "outcomes for their area",
    "technical buyer": "integration, security, reliability",
    "influencer": "their team's results",
    "user": "day-to-day usability",
    "gatekeeper": "process and compliance",
}


def cares_about(s: Stakeholder, account: Account) -> str | None:
    """The objective they own (first open one), else what their buying role weighs."""
    owned = [g for g in account.goals if (g.owner or "").startswith(s.name)]
    owned.sort(key=lambda g: (not is_open_goal(g), g.target_date or date.max, g.name))
    if owned:
        return owned[0].name
    role = (s.buying_role or "").strip().lower()
    if role in _ROLE_CARES:
        return _ROLE_CARES[role] + (f" ({s.department})" if s.department and role in (
            "decision maker", "influencer") else "")
    return f"{s.department} outcomes" if s.department else None


def attendees(account: Account) -> tuple[Stakeholder, ...]:
    """Who from the customer matters in an executive review: executives and key stakeholders,
    most influential first (else the top of the org chart)."""
    people = [s for s in account.stakeholders if s.is_executive or s.is_key]
    if not people:
        top = min((s.depth for s in account.stakeholders), default=0)
        people = [s for s in account.stakeholders if s.depth == top]
    return tuple(sorted(people, key=lambda s: (-(s.influence or 0), not s.is_executive,
                                               s.depth, s.name, s.id)))


# --------------------------------------------------------------------------- sections


def key_numbers(account: Account, year: ReviewYear, say: Say,
                found: tuple[Trend, ...]) -> Part:
    revenue, renewal, ws = account.revenue, account.renewal, account.whitespace
    pairs: list[tuple[str, str | None]] = []
    annual = say.money(revenue.current_annual)
    pairs.append(("Annual revenue", annual and annual + (f" ({revenue.basis})"
                                                         if revenue.basis else "")))
    pairs.append(("Growth year on year", say.percent(revenue.growth, signed=True)))
    bridge = bridge_of(account)
    if bridge is not None:
        moves = "; ".join(f"{name.replace('_', ' ')} {'+' if v > 0 else ''}{say.money(v)}"
                          for name, v in bridge.moves)
        pairs.append(("ARR bridge", f"{say.money(bridge.start)} to {say.money(bridge.end)}"
                      + (f" ({moves})" if moves else " (no change)")))
    else:
        pairs.append(("ARR bridge", None))
    pairs.append(("Won, last 12 months", say.money(revenue.won_12m)))
    pairs.append(("Open pipeline", say.money(revenue.open_pipeline)))
    renewal_text = None
    if renewal.date is not None:
        renewal_text = f"{say.date(renewal.date)}: {renewal.status.value}"
        if renewal.opportunity_amount is not None:
            renewal_text += f", opportunity {say.money(renewal.opportunity_amount)}"
    pairs.append(("Renewal", renewal_text))
    retention = None
    if renewal.retention is not None:
        retention = (f"{say.percent(renewal.retention)} vs {say.percent(renewal.retention_target)}"
                     " target" if renewal.retention_target is not None
                     else say.percent(renewal.retention))
    elif renewal.date is not None and renewal.retention_target is not None:
        retention = f"no renewal amount yet (target {say.percent(renewal.retention_target)})"
    pairs.append(("Retention", retention))
    whitespace = None
    if ws.total_whitespace is not None:
        whitespace = say.money(ws.total_whitespace)
        if ws.candidates:
            whitespace += (f"; {plural(len(ws.candidates), 'candidate')}, top "
                           f"{ws.candidates[0].product}")
    pairs.append(("Whitespace", whitespace))
    health = account.health
    pairs.append(("Health", None if health.status is None else (
        health.status.value.capitalize()
        + (f": {listing(list(health.drivers), 2)}" if health.drivers else ""))))
    tiering = account.tiering
    tier = None
    if tiering.current_tier is not None:
        tier = f"Tier {tiering.current_tier}"
        if tiering.is_change and tiering.proposed_tier is not None:
            tier += f"; the review proposes Tier {tiering.proposed_tier}"
    pairs.append(("Tier", tier))
    rel = account.relationships
    pairs.append(("Relationship quality", None if rel.quality is None else (
        f"{rel.quality:.0f} of 100; {plural(len(rel.champions), 'champion')}, "
        f"{plural(len(rel.detractors), 'detractor')}")))
    kpis = [t for t in found if not t.is_sla and t.is_met is not None]
    slas = [t for t in found if t.is_sla and t.is_met is not None]
    measured = []
    if kpis:
        measured.append(f"{sum(1 for t in kpis if t.is_met)} of {plural(len(kpis), 'KPI')} "
                        "on target")
    if slas:
        measured.append(f"{sum(1 for t in slas if t.is_met)} of {plural(len(slas), 'SLA')} "
                        "met all year")
    pairs.append((f"KPIs and SLAs, {year.label}", "; ".join(measured) or None))
    if all(v is None for _, v in pairs):
        return Part("Key numbers", lead="No revenue, renewal, whitespace, health or KPI data "
                    "on record: Asset, Opportunity, Contract, Whitespace_Potential__c and "
                    "KPI_Measurement__c rows would fill these figures.", noun="figure", keep=0)
    rows = []
    for n in range(0, len(pairs), 2):
        (a, va), (b, vb) = pairs[n], pairs[n + 1] if n + 1 < len(pairs) else ("", "")
        rows.append((a, va, b, vb))
    grid = Grid((("Figure", False, 2.6), ("Value", False, 4.4), ("Figure", False, 2.6),
                 ("Value", False, 4.4)), tuple(rows))
    return Part("Key numbers", grid=grid, noun="figure", keep=len(rows))


def room(account: Account, say: Say, company: str) -> Part:
    people = attendees(account)
    stale = set(account.relationships.stale_key_stakeholders)
    rows = []
    for s in people:
        role = ", ".join(p for p in (s.buying_role, f"influence {s.influence} of 5"
                                     if s.influence is not None else None) if p) or None
        last = say.date(s.last_contact)
        if s.id in stale:
            last = (last + " (stale)") if last else "none (stale)"
        rows.append((_who(s), role, _stance(s, account),
                     s.access.description if s.access is not None else None, last,
                     cares_about(s, account)))
    ours = our_sponsors(account)
    after = ("From " + company + ": " + listing([f"{s.person.name} ({s.role})" for s in ours],
                                                 6) + ".") if ours else (
        f"No executive sponsor or key account manager on record at {company}.")
    if not rows:
        return Part("Who is in the room", lead=f"No contacts of {account.name} on record: "
                    "the briefing cannot say who attends (Contact rows would).", after=after,
                    noun="attendee", keep=0)
    grid = Grid((("Attendee", False, 3.2), ("Role", False, 2.2), ("Stance", False, 1.5),
                 ("Access path", False, 3.0), ("Last contact", False, 1.9),
                 ("Cares about", False, 3.0)), tuple(rows))
    who = plural(len(rows), "executive or key stakeholder", "executives and key stakeholders")
    lead = (f"{who} of {account.name}, most influential first. \u201cCares about\u201d is the "
            "objective they own, else what their buying role weighs.")
    return Part("Who is in the room", lead=lead, grid=grid, noun="attendee", keep=2,
                after=after)


def history(account: Account, year: ReviewYear, say: Say) -> Part:
    items: list[Item] = []
    qbrs = meetings_in(account.meetings, "QBR", year)
    ebrs = meetings_in(account.meetings, "EBR", year)
    planned = qbrs_planned(account, year)
    if not knows(account, EVENTS):
        reviews = "unknown: the input has no Event table (QBR and EBR meetings)"
    else:
        reviews = (f"{len(qbrs)} of {plural(planned, 'planned QBR')} held" if planned
                   else plural(len(qbrs), "QBR") + " held")
        if qbrs:
            reviews += f" ({listing([say.date(m.date) or '' for m in qbrs], 4)})"
        reviews += "; " + (f"EBR on {listing([say.date(m.date) or '' for m in ebrs], 2)}"
                           if ebrs else "no EBR in the period")
    items.append(Item(reviews + ".", f"Reviews in {year.label}: "))
    changes = account.changes
    if changes is not None and changes.previous_as_of is not None:
        if changes.items:
            for change in changes.items:
                items.append(Item(change.text, f"Since {say.date(changes.previous_as_of)} "
                                               f"({change.area}): "))
        else:
            items.append(Item(f"Nothing changed since the review of "
                               f"{say.date(changes.previous_as_of)}.", "Changes: "))
        if changes.refresh_relationship_map:
            items.append(Item("the customer's leadership changed: refresh the relationship map "
                              "before the meeting.", "Leadership: "))
    else:
        items.append(Item("no earlier review to compare with.",
                          "Changes: "))
    rel = account.relationships
    if rel.quality is not None:
        items.append(Item(f"{rel.quality:.0f} of 100"
                          + (f" ({'; '.join(rel.quality_drivers)})."
                             if rel.quality_drivers else "."), "Relationship quality: "))
    by_id = {s.id: s for s in account.stakeholders}
    champions = [_who(by_id[i]) for i in rel.champions if i in by_id]
    if champions:
        items.append(Item(listing(champions, 4) + ".", "Champions: "))
    detractors = [_who(by_id[i]) for i in rel.detractors if i in by_id]
    if detractors:
        items.append(Item(listing(detractors, 4) + ".", "Detractors: "))
    stale = [_who(by_id[i]) for i in rel.stale_key_stakeholders if i in by_id]
    if stale:
        items.append(Item(listing(stale, 3) + ": call before the meeting.",
                          "No recent contact: "))
    if rel.is_single_threaded:
        items.append(Item("one relationship carries the account; ask for a second senior "
                          "contact.", "Single-threaded: "))
    return Part(f"Relationship history and changes in {year.label}", items=tuple(items),
                noun="history line", keep=1)


def sensitivities(account: Account, year: ReviewYear, say: Say,
                  found: tuple[Trend, ...]) -> Part:
    items: list[Item] = []
    renewal = account.renewal
    if renewal.status in (RenewalStatus.MISSING, RenewalStatus.LATE, RenewalStatus.LAPSED):
        items.append(Item(f"{say.date(renewal.date)} is {renewal.status.value}"
                          + (f"; propose \u201c{renewal.proposed_name}\u201d for "
                             f"{say.money(renewal.proposed_amount)}" if renewal.proposed_name
                             else "") + ".", "Renewal: "))
    # Most important first (trimming to the page removes from the end): high-severity risks,
    # detractors in the room and missed SLAs before medium and low risks.
    open_risks = [r for r in account.risks
                  if (r.status or "").strip().lower() not in ("closed", "resolved")]
    risk_items = []
    for r in open_risks:
        detail = "; ".join(p for p in ((r.mitigation or "").strip().rstrip("."),
                                       f"owner {r.owner}" if r.owner else None) if p)
        shared = "" if r.is_customer_visible else " (internal)"
        risk_items.append((r, Item(r.name + shared + (f": {detail}" if detail else "") + ".",
                                   f"{r.severity or 'Unrated'} risk: ")))
    items += [item for r, item in risk_items if (r.severity or "").lower() == "high"]
    for s in attendees(account):
        if (_stance(s, account) or "").lower() == "detractor":
            via = s.access.description if s.access is not None else "none"
            items.append(Item(f"{_who(s)}; access {via}. Meet them before the review.",
                              "Detractor in the room: "))
    for t in found:
        if t.is_sla and t.is_met is False:
            items.append(Item(f"{t.name} missed in {t.periods_judged - t.periods_met} of "
                              f"{plural(t.periods_judged, 'period')}; expect it to come up.",
                              "SLA: "))
    items += [item for r, item in risk_items if (r.severity or "").lower() != "high"]
    overdue = account.action_summary.overdue
    if overdue:
        items.append(Item(f"{plural(overdue, 'action')} past due "
                          f"({account.action_summary.open} open).", "Execution: "))
    if not items:
        items.append(Item("no open risk, missed SLA, detractor or late renewal on record.",
                          "None recorded: "))
    return Part("Risks and sensitivities", items=tuple(items), noun="risk", keep=2)


def our_asks(account: Account, year: ReviewYear, say: Say, found: tuple[Trend, ...]) -> Part:
    rows: list[tuple[str | None, ...]] = []
    people = attendees(account)
    buyers = [s for s in account.stakeholders
              if (s.buying_role or "").lower() == "economic buyer"]
    missed_sla = next((t for t in found if t.is_sla and t.is_met is False), None)
    missed_kpi = next((t for t in found if not t.is_sla and t.is_met is False), None)
    best = max((t for t in found if not t.is_sla and t.is_improvement),
               key=lambda t: (t.movement, t.name), default=None)
    renewal = account.renewal
    first, last = next_window(account.as_of)
    if renewal.date is not None and first <= renewal.date <= last:
        amount = renewal.opportunity_amount or account.revenue.current_annual
        ask = f"Commit to renew by {say.date(renewal.date)}" + (
            f" at {say.money(amount)} or more" if amount is not None else "")
        against = [s for s in buyers if (_stance(s, account) or "").lower()
                   in ("detractor", "skeptic")]
        if against:
            worry = missed_sla.name if missed_sla else (missed_kpi.name if missed_kpi
                                                        else "value for money")
            expect = (f"Push-back from {listing([_who(s) for s in against], 2)}"
                      f" ({_stance(against[0], account)}), citing {worry}.")
        elif buyers:
            expect = (f"{listing([_who(s) for s in buyers], 2)} "
                      f"({_stance(buyers[0], account) or 'stance unknown'}): likely yes once "
                      "value is shown.")
        else:
            expect = "No economic buyer on record: ask who signs."
        ready = []
        if best is not None:
            ready.append(f"{best.name} improvement")
        if missed_sla is not None:
            ready.append(f"the fix plan for {missed_sla.name}")
        rows.append((ask, expect, listing(ready, 2) or "the year's results"))
    candidates = account.whitespace.candidates
    if candidates:
        cell = candidates[0]
        where = " / ".join(p for p in (cell.business_unit, cell.region) if p)
        ask = (f"Sponsor {cell.product}" + (f" in {where}" if where else "")
               + (f" ({say.money(cell.uncovered)} uncovered)" if cell.uncovered else ""))
        expect = ("An opportunity is already open: expect a timing question."
                  if cell.open_pipeline else "Budget and priority questions.")
        held = sorted({h.product for h in account.holdings if h.is_active})
        rows.append((ask, expect, "a pilot proposal" + (
            f" building on {listing(held, 2)}" if held else "")))
    unreached = [s for s in people if (s.influence or 0) >= 4
                 and (s.access is None or s.access.kind == "none")]
    if unreached:
        target = unreached[0]
        rows.append((f"An introduction to {_who(target)}",
                     "A yes if the sponsor sees a reason to meet.",
                     (f"the outcome {target.name} cares about: "
                      f"{cares_about(target, account) or 'to be found out'}")))
    for g in next_goals(account.goals, year):
        if goal_state(g) == "at risk" and g.is_customer_visible:
            rows.append((f"An executive owner for \u201c{g.name}\u201d",
                         "Agreement if we bring a recovery plan.",
                         f"a recovery plan with dates (owner today: {g.owner or 'none'})"))
            break
    if not rows:
        return Part("Our asks and the answers to expect",
                    lead="No renewal, expansion candidate or access gap calls for an ask this "
                    "year: use the meeting to learn next year's priorities.", keep=0,
                    noun="ask")
    grid = Grid((("Our ask", False, 4.5), ("Answer to expect", False, 5.5),
                 ("Have ready", False, 4.0)), tuple(rows))
    return Part("Our asks and the answers to expect", grid=grid, noun="ask", keep=1)


def avoid(account: Account) -> Part:
    items: list[Item] = []
    hidden_risks = [r.name for r in account.risks if not r.is_customer_visible
                    and (r.status or "").strip().lower() not in ("closed", "resolved")]
    for name in hidden_risks:
        items.append(Item(f"\u201c{name}\u201d (internal risk).", "Do not raise: "))
    if account.tiering.is_change:
        items.append(Item("the tier review or any change of tier.", "Do not mention: "))
    if account.renewal.status in (RenewalStatus.MISSING, RenewalStatus.LATE):
        items.append(Item("the renewal late or overdue; ask about their timeline instead.",
                          "Do not call: "))
    if account.relationships.detractors or any(s.stance for s in account.stakeholders):
        items.append(Item("stances, influence scores or who is a detractor.",
                          "Do not name: "))
    if account.whitespace.total_whitespace or account.revenue.open_pipeline:
        items.append(Item("whitespace, pipeline, margin or retention figures: the customer "
                          "deck shows none.", "Do not quote: "))
    hidden_goals = [g.name for g in account.goals if not g.is_customer_visible
                    and is_open_goal(g)]
    for name in hidden_goals:
        items.append(Item(f"our own goal \u201c{name}\u201d.", "Do not mention: "))
    if account.health.status is not None and account.health.status.value != "green":
        items.append(Item(f"the account's health ({account.health.status.value}); speak to "
                          "the specific fixes.", "Do not describe: "))
    if not items:
        items.append(Item("internal figures or stances: nothing else is sensitive on record.",
                          "Do not quote: "))
    return Part("What to avoid saying", items=tuple(items), noun="caution", keep=2)


def gaps_part(gaps: Sequence[Gap]) -> Part | None:
    if not gaps:
        return None
    items = tuple(Item(f"{g.reason}.", f"{g.section}: ") for g in gaps)
    return Part("Left out of the customer deck for lack of data", items=items,
                noun="missing section", keep=len(items))


def plan_briefing(account: Account, year: ReviewYear, settings: Settings, *, company: str,
                  gaps: Sequence[Gap] = ()) -> Briefing:
    """What the two pages say, from the INTERNAL account (before fitting to the pages)."""
    say = Say(settings)
    found = trends(account.kpis, year)
    sponsors = [s for s in our_sponsors(account) if "executive sponsor" in s.role.lower()]
    reader = f" · for {sponsors[0].person.name}" if sponsors else ""
    subtitle = (f"Executive business review {year.label} · as of "
                f"{say.date(account.as_of)}{reader}")
    page1 = (key_numbers(account, year, say, found), room(account, say, company))
    page2 = [history(account, year, say), sensitivities(account, year, say, found),
             our_asks(account, year, say, found), avoid(account)]
    missing = gaps_part(gaps)
    if missing is not None:
        page2.append(missing)
    return Briefing(f"Executive briefing: {account.name}", subtitle, (page1, tuple(page2)))


# --------------------------------------------------------------------------- fitting


@dataclass(frozen=True)
class Metrics:
    """Sizes of the briefing's text, in points, and the page's usable box."""

    width_emu: int
    height_pt: float
    font: Font = field(default_factory=Font)
    body_pt: float = 11.0
    table_pt: float = 9.0
    heading_pt: float = 13.0
    title_pt: float = 20.0
    subtitle_pt: float = 11.0
    #: Word's "multiple" line spacing of the Normal style.
    spacing: float = 1.1
    after_pt: float = 4.0
    bullet_after_pt: float = 2.0
    heading_before_pt: float = 8.0
    bullet_indent_emu: int = int(0.635 * EMU_PER_CM)
    #: Word and LibreOffice lay text out on device pixels and add cell borders: keep room.
    safety: float = 0.96

    def lines(self, text: str, size: float, width: int, bold: bool = False) -> int:
        font = self.font.with_bold() if bold else self.font
        return max(1, len(wrap_lines(text, font, size, width)))

    def paragraph(self, text: str, size: float, width: int, bold: bool = False,
                  after: float | None = None) -> float:
        return (self.lines(text, size, width, bold) * line_pitch_pt(self.font, size, self.spacing)
                + (self.after_pt if after is None else after))


def table_spec(grid: Grid, metrics: Metrics, palette: Palette) -> TableSpec:
    return TableSpec(
        columns=tuple(Column(xml_safe(h), "number" if right else "text",
                             int(cm * EMU_PER_CM)) for h, right, cm in grid.columns),
        rows=tuple(Row(tuple(None if c is None else xml_safe(c) for c in row))
                   for row in grid.rows),
        font=metrics.font, size_pt=metrics.table_pt, palette=palette, max_rows_per_page=None,
    )


def table_height(spec: TableSpec, metrics: Metrics) -> float:
    """Points the table takes in Word: wrapped lines per row at the table's size."""
    widths = column_widths(spec, metrics.width_emu)
    pad = spec.insets.left + spec.insets.right
    pitch = line_pitch_pt(spec.font, spec.size_pt, metrics.spacing)
    bold = spec.font.with_bold()
    header = max(len(wrap_lines(c.header, bold, spec.size_pt, w - pad))
                 for c, w in zip(spec.columns, widths, strict=True))
    total = header * pitch + 1.0
    for row in spec.rows:
        lines = max(max(1, len(wrap_lines(c or "\u2014", spec.font, spec.size_pt, w - pad)))
                    for c, w in zip(row.cells, widths, strict=True))
        total += lines * pitch + 1.0  # + the rule between rows
    if spec.has_missing:
        total += line_pitch_pt(spec.font, 10.0, metrics.spacing) + metrics.after_pt
    return total


def part_height(part: Part, metrics: Metrics, palette: Palette) -> float:
    width = metrics.width_emu
    height = metrics.heading_before_pt + metrics.paragraph(
        part.title, metrics.heading_pt, width, bold=True)
    if part.lead:
        height += metrics.paragraph(part.lead, metrics.body_pt, width)
    if part.grid is not None and part.grid.rows:
        height += table_height(table_spec(part.grid, metrics, palette), metrics) + \
            metrics.after_pt
    for item in part.items:
        height += metrics.paragraph(item.lead + item.text, metrics.body_pt,
                                    width - metrics.bullet_indent_emu,
                                    after=metrics.bullet_after_pt)
    for line in (part.pointer, part.after):
        if line:
            height += metrics.paragraph(line, metrics.body_pt, width)
    return height


def fit_pages(briefing: Briefing, metrics: Metrics, palette: Palette) -> Briefing:
    """Trim the longest lists until each page fits its box (with a safety margin); each part
    then says how many rows or items it left out and where they are."""
    budget = metrics.height_pt * metrics.safety
    head = (metrics.paragraph(briefing.title, metrics.title_pt, metrics.width_emu, True)
            + metrics.paragraph(briefing.subtitle, metrics.subtitle_pt, metrics.width_emu))
    everything = head + sum(part_height(p, metrics, palette)
                            for page in briefing.pages for p in page)
    if everything <= budget:
        # A short briefing is one page: no blank half page before the talking points.
        return dataclasses.replace(briefing, breaks=False)
    pages = []
    for number, parts in enumerate(briefing.pages):
        parts = list(parts)
        top = head if number == 0 else 0.0
        heights = [part_height(p, metrics, palette) for p in parts]
        while top + sum(heights) > budget:
            # Trim where the most can go; ties: the later (less important) part.
            candidates = [(p.trimmable, i) for i, p in enumerate(parts) if p.trimmable > 0]
            if not candidates:
                break
            _, index = max(candidates)
            parts[index] = parts[index].trim()
            heights[index] = part_height(parts[index], metrics, palette)
        pages.append(tuple(parts))
    return dataclasses.replace(briefing, pages=(pages[0], pages[1]))


# --------------------------------------------------------------------------- drawing


class BriefingDrawer:
    """Writes a fitted :class:`Briefing` into a Word document with the render toolkit."""

    def __init__(self, doc: Document, metrics: Metrics, palette: Palette) -> None:
        self.doc = doc
        self.metrics = metrics
        self.palette = palette

    def draw(self, briefing: Briefing) -> bytes:
        m = self.metrics
        title = self.doc.paragraph(xml_safe(briefing.title), "Title")
        self._size(title, m.title_pt, after=m.after_pt)
        subtitle = self.doc.paragraph(xml_safe(briefing.subtitle), "Subtitle")
        self._size(subtitle, m.subtitle_pt, after=m.after_pt)
        for number, parts in enumerate(briefing.pages):
            for n, part in enumerate(parts):
                heading = self.part(part)
                if number == 1 and n == 0 and briefing.breaks:
                    # The second page starts here whatever the first page's length.
                    heading.paragraph_format.page_break_before = True
        return self.doc.to_bytes()

    @staticmethod
    def _size(paragraph, size: float, *, after: float | None = None,
              before: float | None = None) -> None:
        for run in paragraph.runs:
            run.font.size = Pt(size)
        if after is not None:
            paragraph.paragraph_format.space_after = Pt(after)
        if before is not None:
            paragraph.paragraph_format.space_before = Pt(before)

    def part(self, part: Part):
        m = self.metrics
        heading = self.doc.heading(xml_safe(part.title), 1)
        self._size(heading, m.heading_pt, after=m.after_pt, before=m.heading_before_pt)
        if part.lead:
            self._size(self.doc.paragraph(xml_safe(part.lead)), m.body_pt, after=m.after_pt)
        if part.grid is not None and part.grid.rows:
            spec = table_spec(part.grid, m, self.palette)
            render_docx_table(self.doc.doc, spec, m.width_emu, style=self.doc.table_style)
        for item in part.items:
            paragraph = self.doc.paragraph(xml_safe(item.text), "List Bullet",
                                           bold_lead=xml_safe(item.lead))
            self._size(paragraph, m.body_pt, after=m.bullet_after_pt)
        for line in (part.pointer, part.after):
            if line:
                self._size(self.doc.paragraph(xml_safe(line)), m.body_pt, after=m.after_pt)
        return heading


def page_metrics(doc: Document) -> Metrics:
    return Metrics(width_emu=doc.content_width, height_pt=doc.content_height / EMU_PER_PT)


__all__ = ["Briefing", "BriefingDrawer", "fit_pages", "page_metrics", "plan_briefing"]
