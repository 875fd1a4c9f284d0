"""What each slide of the executive deck says: generated titles, tables, charts, notes.

:func:`plan_deck` takes the CUSTOMER view of the account (it refuses anything else) and returns
an :class:`EbrContent`; drawing is :mod:`.deck`'s job. One message per slide, said in the
title; every number in a title is computed here from the same facts as the slide's body.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kamdocs.builders.ebr.facts import (
    BRIDGE_STEPS,
    EVENTS,
    Bridge,
    Delivery,
    ReviewYear,
    Trend,
    bridge_of,
    delivery,
    goal_state,
    knows,
    meetings_in,
    next_goals,
    next_window,
    our_sponsors,
    qbrs_planned,
    their_executives,
    trends,
    year_goals,
)
from kamdocs.builders.qbr.slides import Col, Gap, TablePlan
from kamdocs.builders.qbr.words import Words, listing, plural, sentence
from kamdocs.formatting import format_date, format_money, quarter_label
from kamdocs.model import Account, Audience, Goal

#: KPIs charted on the trend slide (side by side, tall enough to read a trend); all of them
#: are in the appendix table.
TRENDS_PER_SLIDE = 3
#: Bullets per column on the asks slide (DESIGN.md: at most 6 bullets on a slide); the rest
#: go to the appendix with a pointer.
ASKS_PER_SIDE = 3

# --------------------------------------------------------------------------- plans


@dataclass(frozen=True)
class TrendChart:
    """One KPI over the year: a line of actuals and a line of targets."""

    name: str
    title: str
    categories: tuple[str, ...]
    actual: tuple[float, ...]
    target: tuple[float | None, ...]
    #: Decimals the values need (0-2): the chart's number format.
    decimals: int
    alt_text: str


@dataclass(frozen=True)
class WaterfallPlan:
    """The ARR bridge: start, signed moves, end (start + moves == end, exactly)."""

    title: str
    categories: tuple[str, ...]
    values: tuple[Decimal, ...]
    alt_text: str
    #: The bridge in words, one line each, beside the chart.
    summary: tuple[str, ...]


@dataclass(frozen=True)
class AskColumn:
    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Overflow:
    """A slide shows part of a list; the whole list is an appendix table."""

    #: What the slide shows, in words ("4 of 7 KPIs charted").
    shown: str
    title: str
    table: TablePlan


@dataclass(frozen=True)
class EbrSlide:
    """One main slide in domain terms: bullets, a table, trend charts, a waterfall or two
    columns of asks."""

    key: str
    #: The short section label above the title; also the agenda entry.
    label: str
    title: str
    notes: str = ""
    bullets: tuple[str, ...] = ()
    table: TablePlan | None = None
    trends: tuple[TrendChart, ...] = ()
    waterfall: WaterfallPlan | None = None
    columns: tuple[AskColumn, ...] = ()
    overflow: Overflow | None = None


@dataclass(frozen=True)
class EbrContent:
    """Everything the executive deck says, before drawing."""

    title: str
    subtitle: str
    agenda_title: str
    slides: tuple[EbrSlide, ...]
    #: Appendix tables that are always there: (title, table).
    appendix: tuple[tuple[str, TablePlan], ...]
    #: Sections left out for lack of data, and what would fill them (for the briefing).
    gaps: tuple[Gap, ...]


# --------------------------------------------------------------------------- words


def value(w: Words, number: float | None, unit: str | None) -> str:
    """A KPI value as the QBR writes it ("62.1%", "24.5 hours", "$127.64"); a bare count or
    score has no unit word."""
    return w.kpi(number, unit)


def change_text(w: Words, change: float, unit: str | None) -> str:
    """A signed change in the KPI's unit; a change of a percentage is in points."""
    unit = (unit or "").strip()
    text = value(w, change, "pts" if unit == "%" else unit)
    return f"+{text}" if change > 0 else text


def full_money(w: Words, amount: Decimal, signed: bool = False) -> str:
    """Money in full ("$1,222,100"), as exact chart labels show it."""
    text = format_money(amount, w.settings)
    return f"+{text}" if signed and amount > 0 else text


def signed_money(w: Words, amount: Decimal) -> str:
    text = w.money(amount)
    return f"+{text}" if amount > 0 else text


def target_text(trend: Trend, w: Words) -> str | None:
    """"at least 98%" / "at most 24 hours": the commitment an SLA or KPI states."""
    if trend.target is None:
        return None
    bound = "at least" if trend.higher_is_better else "at most"
    return f"{bound} {value(w, trend.target, trend.unit)}"


def period_label(day: date, w: Words, start_month: int, monthly: bool) -> str:
    """A measurement's period: the fiscal quarter, or the month for monthly series."""
    if monthly:
        return format_date(day, w.settings, style="MMM y")
    return quarter_label(day, start_month)


def _is_monthly(trend: Trend) -> bool:
    """Several measurements within one fiscal quarter: a monthly series."""
    quarters = {(d.period_end.year, (d.period_end.month - 1) // 3) for d in trend.points}
    return len(quarters) < len(trend.points)


def _decimals(values: list[float]) -> int:
    for decimals in (0, 1):
        if all(round(v, decimals) == round(v, 6) for v in values):
            return decimals
    return 2


#: The ARR bridge's moves in the customer's words: plain language, and none of the CRM's
#: own vocabulary (opportunity types such as "Expansion" are internal values).
MOVE_WORDS = {
    "expansion": "Growth in products held",
    "new_products": "New products",
    "contraction": "Reduction in products held",
    "churn": "Products ended",
}


def _status(met: bool | None) -> str:
    return "No target" if met is None else ("Met" if met else "Missed")


# --------------------------------------------------------------------------- slides


def review_slide(facts: YearFacts) -> EbrSlide:
    """The year in review: the headline outcomes, most telling first."""
    w, year = facts.words, facts.year
    parts: list[str] = []
    lines: list[str] = []
    bridge = facts.bridge
    if bridge is not None and (bridge.start or bridge.end):
        parts.append(arr_phrase(bridge, w))
        moves = [f"{MOVE_WORDS[name].lower()} {signed_money(w, amount)}"
                 for name, amount in bridge.moves]
        lines.append(sentence(arr_phrase(bridge, w, detail=True))
                     + (f": {listing(moves, 4)}" if moves else ""))
    kpis = [t for t in facts.trends if not t.is_sla and t.is_met is not None]
    if kpis:
        met = sum(1 for t in kpis if t.is_met)
        phrase = tally(met, len(kpis), "KPI", "on target")
        parts.append(phrase)
        best = best_improvement(facts.trends)
        line = f"{phrase} at the end of {year.label}"
        if best is not None:
            line += (f"; {best.name} improved from {value(w, best.first.actual, best.unit)} to "
                     f"{value(w, best.latest.actual, best.unit)}")
        lines.append(sentence(line))
    slas = [t for t in facts.trends if t.is_sla and t.is_met is not None]
    if slas:
        missed = [t for t in slas if not t.is_met]
        phrase = tally(len(slas) - len(missed), len(slas), "SLA", "met all year")
        parts.append(phrase)
        if missed:
            worst = max(missed, key=lambda t: (t.periods_judged - t.periods_met, t.name))
            lines.append(sentence(phrase) + f"; {worst.name} missed in "
                         f"{worst.periods_judged - worst.periods_met} of "
                         f"{plural(worst.periods_judged, 'period')}")
        else:
            lines.append(f"All {plural(len(slas), 'SLA')} met in every period of {year.label}")
    goals = facts.goals
    if goals:
        achieved = [g for g in goals if goal_state(g) == "achieved"]
        phrase = objectives_phrase(len(achieved), len(goals))
        parts.append(phrase)
        if len(goals) == 1:
            lines.append(f"Joint objective \u201c{goals[0].name}\u201d: "
                         f"{(goals[0].status or 'no status').lower()}")
        else:
            lines.append(sentence(phrase) + (f": {listing([g.name for g in achieved], 2)}"
                                             if achieved else ""))
    done = facts.delivery
    if done.due:
        lines.append(sentence(tally(len(done.delivered), len(done.due), "shared action",
                                    "delivered", scope=f" due in {year.label}"))
                     + f", {done.on_time} on time")
    if not parts and not lines:
        title = f"{year.label} in review: setting the baseline of our partnership"
        lines = ["Agree the objectives and KPIs we will report on together",
                 "Set the calendar of quarterly and executive reviews"]
    else:
        title = f"{year.label} in review: " + (" and ".join(parts[:2]) if parts
                                               else lines[0][:1].lower() + lines[0][1:])
    notes = (f"Two minutes. The period is {w.date(year.start)} to {w.date(year.end)}. "
             "Every number here is on the following slides; let the executives react to the "
             "headline before going into detail.")
    return EbrSlide("review", "Year in review", title, notes, bullets=tuple(lines[:5]))


def tally(done: int, total: int, noun: str, verb: str, *, scope: str = "") -> str:
    """"2 of 6 KPIs on target", "all 6 KPIs on target", "none of the 3 SLAs met all year",
    "the KPI not on target": a count that reads naturally at both ends."""
    if total == 1:
        return f"the {noun}{scope} {verb}" if done else f"the {noun}{scope} not {verb}"
    if done == total:
        return f"all {plural(total, noun)}{scope} {verb}"
    if done == 0:
        return f"none of the {plural(total, noun)}{scope} {verb}"
    return f"{done} of {plural(total, noun)}{scope} {verb}"


def objectives_phrase(achieved: int, total: int, label: str = "") -> str:
    """"2 of 6 joint objectives for 2026 achieved" (see :func:`tally`)."""
    return tally(achieved, total, "joint objective", "achieved",
                 scope=f" for {label}" if label else "")


def arr_phrase(bridge: Bridge, w: Words, *, detail: bool = False) -> str:
    """"Annual value up 47% to $312.2K" (detail: "Annual value grew from $212.5K to $312.2K,
    +47%"). The customer reads "annual value" (of the products they hold): ARR is our word."""
    start, end, growth = bridge.start, bridge.end, bridge.growth
    if not start:
        return (f"Annual value of {w.money(end)} built from new products" if end
                else "no annual value yet")
    if start == end:
        return f"Annual value steady at {w.money(end)}"
    if detail:
        verb = "grew" if end > start else "fell"
        return (f"Annual value {verb} from {w.money(start)} to {w.money(end)} "
                f"({'+' if end > start else ''}{w.percent(growth)})")
    return (f"Annual value {'up' if end > start else 'down'} {w.percent(abs(growth or 0.0))} "
            f"to {w.money(end)}")


def best_improvement(found: tuple[Trend, ...]) -> Trend | None:
    improved = [t for t in found if not t.is_sla and t.is_improvement]
    return max(improved, key=lambda t: (t.movement, t.name), default=None)


def objectives_slide(facts: YearFacts) -> EbrSlide | None:
    goals, w, year = facts.goals, facts.words, facts.year
    if not goals:
        return None
    states = [goal_state(g) for g in goals]
    if len(goals) == 1:
        state = "achieved" if states[0] == "achieved" else (
            "missed" if states[0] == "missed" else f"not yet achieved ({states[0]})")
        title = f"Our joint objective for {year.label} was {state}: {goals[0].name}"
    else:
        title = sentence(objectives_phrase(states.count("achieved"), len(goals), year.label))
        others = [(states.count(s), s) for s in ("on track", "at risk", "missed")
                  if states.count(s)]
        if others:
            title += "; " + ", ".join(f"{n} {s}" for n, s in others)
    table = TablePlan(
        columns=(Col("Objective", min_inches=4.2), Col("Due", min_inches=1.3),
                 Col("Owner", min_inches=2.2), Col("Status", min_inches=1.2)),
        rows=tuple((g.name, w.date(g.target_date) if g.target_date else None, g.owner,
                    g.status) for g in goals),
        noun="objective", appendix=f"Joint objectives for {year.label}", status_column=3,
    )
    objectives = facts.account.plan.customer_objectives
    notes = ((f"In their words: {objectives} " if objectives else "")
             + "For each objective not achieved, ask its owner for the next step and its date.")
    return EbrSlide("objectives", "Value against objectives", title, notes, table=table)


def trends_slide(facts: YearFacts, appendix_title: str) -> EbrSlide | None:
    w, year = facts.words, facts.year
    kpis = [t for t in facts.trends if not t.is_sla]
    if not kpis:
        return None
    judged = [t for t in kpis if t.is_met is not None]
    met = sum(1 for t in judged if t.is_met)
    best = best_improvement(facts.trends)
    if judged:
        title = sentence(tally(met, len(judged), "KPI", "on target")) + \
            f" at the end of {year.label}"
        if best is not None:
            title += (f"; {best.name} improved from {value(w, best.first.actual, best.unit)} "
                      f"to {value(w, best.latest.actual, best.unit)}")
    else:
        title = f"{plural(len(kpis), 'KPI')} measured in {year.label}; none has a target yet"
    # The KPIs that moved most against their target tell the year's story; ties by name.
    ranked = sorted(kpis, key=lambda t: (len(t.points) < 2, -t.movement, t.name))
    charted = ranked[:TRENDS_PER_SLIDE]
    charts = tuple(trend_chart(t, w, facts.start_month, year) for t in charted)
    overflow = None
    if len(kpis) > len(charted):
        overflow = Overflow(f"{len(charted)} of {plural(len(kpis), 'KPI')} charted",
                            appendix_title, facts.kpi_table)
    missed = [t.name for t in judged if not t.is_met]
    notes = (f"Each chart shows the KPI's values over {year.label} against its target. "
             + (f"Below target: {listing(missed, 3)}; state the gap and the agreed next step. "
                if missed else "Every KPI with a target ends the year on target. ")
             + ("All KPIs with start and end values are in the appendix." if overflow else ""))
    return EbrSlide("kpis", "KPIs over the year", title, notes.strip(), trends=charts,
                    overflow=overflow)


def trend_chart(trend: Trend, w: Words, start_month: int, year: ReviewYear) -> TrendChart:
    """The KPI from where the year started (the last value before it) to its end."""
    monthly = _is_monthly(trend)
    shown = ((trend.opening,) if trend.opening is not None else ()) + trend.points
    categories = tuple(period_label(m.period_end, w, start_month, monthly) for m in shown)
    actual = tuple(float(m.actual) for m in shown)  # type: ignore[arg-type]
    target = tuple(m.target for m in shown)
    present = list(actual) + [t for t in target if t is not None]
    unit = (trend.unit or "").strip()
    shown_unit = "" if unit.lower() == "count" else unit
    name = f"{trend.name} ({shown_unit})" if shown_unit else trend.name
    latest = value(w, trend.latest.actual, trend.unit)
    if trend.target is None:
        verdict = f"{latest}, no target"
    else:
        word = "on target" if trend.is_met else "below target"
        verdict = f"{latest} vs {value(w, trend.target, trend.unit)}, {word}"
    alt = (f"Line chart: {trend.name} over {year.label}, from "
           f"{value(w, trend.first.actual, trend.unit)} in {categories[0]} to {latest} in "
           f"{categories[-1]}" + (f"; target {value(w, trend.target, trend.unit)}, "
                                   f"{'met' if trend.is_met else 'missed'}"
                                   if trend.target is not None else "; no target"))
    return TrendChart(trend.name, f"{name}: {verdict}", categories, actual, target,
                      _decimals(present), alt)


def bridge_slide(facts: YearFacts) -> EbrSlide | None:
    bridge, w, year = facts.bridge, facts.words, facts.year
    if bridge is None or not (bridge.start or bridge.end):
        return None
    arr = bridge.arr
    start_label = f"Start, {w.date(arr.period_start)}" if arr.period_start else "Start"
    end_label = f"End, {w.date(arr.period_end)}" if arr.period_end else "End"
    title = sentence(arr_phrase(bridge, w))
    if bridge.moves:
        biggest = max(bridge.moves, key=lambda m: (abs(m[1]), m[0]))
        title += (f"; largest move: {MOVE_WORDS[biggest[0]].lower()} "
                  f"{signed_money(w, biggest[1])}")
    if bridge.zero and bridge.losses == 0 and bridge.gains > 0:
        title += "; nothing reduced or ended"
    categories = (start_label, *(MOVE_WORDS[name] for name, _ in bridge.moves), end_label)
    values = (arr.start, *(amount for _, amount in bridge.moves), arr.end)
    # The chart's labels are exact amounts (they must add up): the words beside it match them,
    # amount first so that a line never breaks inside "+$215,700".
    summary = [f"{full_money(w, arr.start)} at the start"]
    moved = dict(bridge.moves)
    summary += [f"{full_money(w, moved[name], signed=True)} {MOVE_WORDS[name].lower()}"
                if name in moved else f"{MOVE_WORDS[name]}: none" for name, _ in BRIDGE_STEPS]
    summary.append(f"{full_money(w, arr.end)} at the end")
    if bridge.growth is not None:
        summary.append(f"{full_money(w, bridge.change, signed=True)} in the year "
                       f"({'+' if bridge.change > 0 else ''}{w.percent(bridge.growth)})")
    alt = ("Waterfall chart: " + arr_phrase(bridge, w, detail=True) + "; "
           + "; ".join(f"{MOVE_WORDS[name].lower()} {signed_money(w, amount)}"
                       for name, amount in bridge.moves)).rstrip("; ")
    period = (f"{w.date(arr.period_start)} to {w.date(arr.period_end)}"
              if arr.period_start and arr.period_end else year.label)
    notes = (f"The annual value of the products held, {period}: what grew, "
             "what was added, what was reduced and what ended, product by product.")
    if arr.period_start and arr.period_end and (arr.period_start, arr.period_end) != (
            year.start, year.end) and not year.is_trailing:
        notes += f" The bridge covers {period}, not exactly fiscal {year.label}."
    plan = WaterfallPlan(f"Annual value of products held, {period}", categories, values, alt,
                         tuple(summary))
    return EbrSlide("bridge", "Revenue bridge", title, notes, waterfall=plan)


def scorecard_slide(facts: YearFacts) -> EbrSlide | None:
    w, year, account = facts.words, facts.year, facts.account
    rows: list[tuple[str | None, ...]] = []
    parts: list[str] = []
    slas = [t for t in facts.trends if t.is_sla]
    for t in slas:
        result = (f"met in {t.periods_met} of {plural(t.periods_judged, 'period')}"
                  if t.periods_judged else f"latest {value(w, t.latest.actual, t.unit)}")
        rows.append((f"SLA: {t.name}", target_text(t, w), result, _status(t.is_met)))
    judged = [t for t in slas if t.is_met is not None]
    if judged:
        parts.append(tally(sum(1 for t in judged if t.is_met), len(judged), "SLA",
                           "met all year"))
    held = len(meetings_in(account.meetings, "QBR", year))
    planned = qbrs_planned(account, year)
    if (held or planned) and knows(account, EVENTS):
        rows.append(("Quarterly business reviews", f"{planned} planned", f"{held} held",
                     "Met" if held >= planned else "Missed"))
        parts.append(tally(held, planned, "QBR", "held") if held <= planned
                     else f"{held} QBRs held ({planned} planned)")
    ebrs = meetings_in(account.meetings, "EBR", year)
    if ebrs:
        rows.append(("Executive business review", "1 a year",
                     "held " + listing([w.date(m.date) for m in ebrs], 2), "Met"))
    done = facts.delivery
    if done.due:
        late = [a for a in done.due if a.is_overdue]
        delivered_late = len(done.delivered) - done.on_time
        if len(done.delivered) < len(done.due):
            status = f"Past due ({len(late)})" if late else "Missed"
        else:
            # Delivered is not kept: a commitment is kept on its date.
            status = "Met" if not delivered_late else f"Delivered late ({delivered_late})"
        rows.append((f"Shared actions due in {year.label}", f"{len(done.due)} due",
                     f"{len(done.delivered)} delivered, {done.on_time} on time", status))
        parts.append(tally(done.on_time, len(done.due), "action", "delivered on time"))
    if not rows:
        return None
    title = "Partnership scorecard: " + ", ".join(parts[:3]) if parts else \
        "Partnership scorecard"
    table = TablePlan(
        columns=(Col("Commitment", min_inches=3.6), Col("Standard", min_inches=2.0),
                 Col(f"{year.label}", min_inches=2.6), Col("Status", min_inches=1.2)),
        rows=tuple(rows), noun="commitment", appendix="Partnership scorecard", status_column=3,
    )
    missed = [r[0] for r in rows
              if (r[3] or "").startswith(("Missed", "Past due", "Delivered late"))]
    notes = ("How both teams kept the partnership's commitments. "
             + (f"Own the misses first ({listing([str(m) for m in missed], 3)}): cause, fix and "
                "date." if missed else "Thank the teams: every commitment was kept."))
    return EbrSlide("scorecard", "Partnership scorecard", title, notes, table=table)


def roadmap_slide(facts: YearFacts) -> EbrSlide | None:
    w, account = facts.words, facts.account
    first, last = next_window(account.as_of)
    rows: list[tuple[date | None, str, str, str | None, str | None]] = []
    goals = next_goals(account.goals, facts.year)
    for g in goals:
        rows.append((g.target_date, "Joint objective", g.name, g.owner, g.status))
    renewal = account.renewal.date
    if renewal is not None and first <= renewal <= last:
        # "Renewal" is also CRM vocabulary (an opportunity type, a scorecard line) that the
        # audience check treats as internal: the customer reads "the agreement renews".
        rows.append((renewal, "Milestone", "Our agreement renews", None, None))
    cadence = account.cadence
    next_ebr = cadence.next_ebr_scheduled or cadence.next_ebr_due
    if next_ebr is not None and first <= next_ebr <= last:
        rows.append((next_ebr, "Review", "Next executive business review", None,
                     "Scheduled" if cadence.next_ebr_scheduled else "Due"))
    next_qbr = cadence.next_qbr_scheduled or (cadence.next_qbr_due if cadence.next_qbr_due
                                              and cadence.next_qbr_due >= first else None)
    if next_qbr is not None and first <= next_qbr <= last:
        rows.append((next_qbr, "Review", "Next quarterly business review", None,
                     "Scheduled" if cadence.next_qbr_scheduled else "Due"))
    if not rows:
        return None
    rows.sort(key=lambda r: (r[0] or date.max, r[1], r[2]))
    parts = []
    if goals:
        parts.append(plural(len(goals), "joint objective"))
    if renewal is not None and first <= renewal <= last:
        parts.append(f"agreement renews on {w.date(renewal)}")
    if next_ebr is not None and first <= next_ebr <= last:
        parts.append(f"next executive review by {w.date(next_ebr)}")
    title = "The year ahead: " + (", ".join(parts[:3]) if parts else
                                  plural(len(rows), "milestone"))
    table = TablePlan(
        columns=(Col("By", min_inches=1.3), Col("Type", min_inches=1.5),
                 Col("Objective or milestone", min_inches=4.2), Col("Owner", min_inches=2.0),
                 Col("Status", min_inches=1.1)),
        rows=tuple((w.date(d) if d else "no date set", kind, what, owner, status)
                   for d, kind, what, owner, status in rows),
        noun="objective or milestone", noun_plural="objectives and milestones",
        appendix="The year ahead",
    )
    notes = (f"The joint roadmap to {w.date(last)}. Confirm each objective's owner on both "
             "sides and the dates of the reviews where progress is reported.")
    return EbrSlide("roadmap", "Roadmap and joint objectives", title, notes, table=table)


def asks(facts: YearFacts) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(what we ask of the customer, what we commit to), most important first, generated from
    the customer-visible facts; several items of one kind make one line, so each side stays
    short enough for executives."""
    w, account, year = facts.words, facts.account, facts.year
    ours: list[str] = []
    theirs: list[str] = []
    first, last = next_window(account.as_of)
    renewal = account.renewal.date
    if renewal is not None and first <= renewal <= last:
        ours.append(f"Confirm how our agreement renews on {w.date(renewal)}: the decision "
                    "makers and the steps before it")
    at_risk = [g.name for g in next_goals(account.goals, year) if goal_state(g) == "at risk"]
    if at_risk:
        ours.append(f"An executive owner for {plural(len(at_risk), 'objective')} at risk: "
                    + listing([f"\u201c{name}\u201d" for name in at_risk], 2))
    candidates = account.whitespace.candidates
    if candidates:
        cell = candidates[0]
        where = " / ".join(p for p in (cell.business_unit, cell.region) if p)
        ours.append(f"A discovery session on {cell.product}" + (f" for {where}" if where else "")
                    + (f", then {plural(len(candidates) - 1, 'more area')} to explore"
                       if len(candidates) > 1 else ""))
    without_target = [t.name for t in facts.trends if t.target is None]
    if without_target:
        ours.append(f"Agree targets for {plural(len(without_target), 'KPI')} without one: "
                    f"{listing(without_target, 2)}")
    held = len(meetings_in(account.meetings, "QBR", year))
    planned = qbrs_planned(account, year)
    if planned and held < planned and knows(account, EVENTS):
        ours.append(f"Protect the quarterly review calendar ({held} of {planned} held in "
                    f"{year.label})")
    missed_slas = [t for t in facts.trends if t.is_sla and t.is_met is False]
    if len(missed_slas) == 1:
        t = missed_slas[0]
        theirs.append(f"Bring {t.name} back within its target ({target_text(t, w)}); "
                      f"missed in {t.periods_judged - t.periods_met} of "
                      f"{plural(t.periods_judged, 'period')}")
    elif missed_slas:
        theirs.append(f"Bring {plural(len(missed_slas), 'SLA')} back within target: "
                      + listing([t.name for t in missed_slas], 3))
    missed_kpis = [t for t in facts.trends if not t.is_sla and t.is_met is False]
    if len(missed_kpis) == 1:
        t = missed_kpis[0]
        theirs.append(f"A joint plan to take {t.name} from {value(w, t.latest.actual, t.unit)} "
                      f"to {value(w, t.target, t.unit)}")
    elif missed_kpis:
        theirs.append(f"Joint plans to bring {plural(len(missed_kpis), 'KPI')} to target: "
                      + listing([t.name for t in missed_kpis], 3))
    late = facts.delivery.past_due
    if late:
        worst = max(late, key=lambda a: (a.days_overdue, a.id))
        theirs.append(f"Close the {plural(len(late), 'past-due shared action')}, starting with "
                      f"\u201c{worst.subject}\u201d")
    if not any("executive sponsor" in s.role.lower() for s in our_sponsors(account)):
        theirs.append("A named executive sponsor for the year ahead")
    theirs.append("An executive review every year and quarterly reviews on the agreed calendar")
    return tuple(ours), tuple(theirs)


def asks_slide(facts: YearFacts, customer: str, company: str) -> EbrSlide:
    ours, theirs = asks(facts)
    if not ours:
        ours = ("Tell us which outcomes matter most for next year",)
    title = (f"{plural(len(ours), 'ask')} of {customer} and "
             f"{plural(len(theirs), 'commitment')} from {company}")
    overflow = None
    shown_ours, shown_theirs = ours[:ASKS_PER_SIDE], theirs[:ASKS_PER_SIDE]
    if len(ours) > ASKS_PER_SIDE or len(theirs) > ASKS_PER_SIDE:
        table = TablePlan(
            columns=(Col("From", min_inches=2.4), Col("Ask or commitment", min_inches=6.5)),
            rows=tuple([(f"Ask of {customer}", a) for a in ours]
                       + [(f"Commitment from {company}", c) for c in theirs]),
            noun="ask or commitment", noun_plural="asks and commitments",
        )
        overflow = Overflow(f"{len(shown_ours) + len(shown_theirs)} of "
                            f"{len(ours) + len(theirs)} shown", "Asks from both sides", table)
    columns = (AskColumn("What we ask of you", shown_ours),
               AskColumn("Our commitments to you", shown_theirs))
    notes = ("Make the asks explicit and get a yes, a no or an owner for each before the "
             "meeting ends; then confirm our commitments with dates.")
    return EbrSlide("asks", "Asks from both sides", title, notes, columns=columns,
                    overflow=overflow)


def sponsors_slide(facts: YearFacts, customer: str, company: str) -> EbrSlide | None:
    account = facts.account
    ours = our_sponsors(account)
    theirs = their_executives(account)
    if not ours and not theirs:
        return None
    executive = [s for s in ours if "executive sponsor" in s.role.lower()]
    if executive:
        title = f"Executive sponsors: {executive[0].person.name} for {company}"
    elif ours:
        # No executive sponsor on record: say who leads, never call them a sponsor.
        title = f"Account leadership: {ours[0].person.name} for {company}"
    else:
        title = f"Executive sponsors: {company}'s sponsor to be named"
    title += (f"; {plural(len(theirs), 'executive')} at {customer}" if theirs
              else f"; {customer}'s sponsor to be named")
    rows: list[tuple[str | None, ...]] = []
    bold: list[int] = []
    groups = ((company, [(s.person.name, s.role, s.person.title) for s in ours]),
              (customer, [(s.name, s.title, s.department) for s in theirs]))
    for name, members in groups:
        if members:
            bold.append(len(rows))
            rows.append((f"{name}: {plural(len(members), 'person', 'people')}", "", ""))
            rows += members
    table = TablePlan(
        columns=(Col("Name", min_inches=2.8), Col("Role or title", min_inches=3.6),
                 Col("Title or department", min_inches=2.4)),
        rows=tuple(rows), noun="person", noun_plural="people",
        appendix="Executive sponsors and leaders", bold_rows=frozenset(bold),
        # Two group headings besides the people: a typical 2 + 9 still fits on one slide.
        rows_per_page=14,
    )
    notes = ("Confirm each side's executive sponsor and how often they meet; agree who joins "
             "the next executive review.")
    return EbrSlide("sponsors", "Executive sponsors", title, notes, table=table)


# --------------------------------------------------------------------------- appendix tables


def kpi_table(found: tuple[Trend, ...], w: Words, year: ReviewYear) -> TablePlan:
    """Every KPI and SLA of the year: where it started, ended, its target and status."""
    rows = []
    for t in found:
        change = t.change
        rows.append((
            t.name, t.kind, value(w, t.first.actual, t.unit),
            value(w, t.latest.actual, t.unit),
            value(w, t.target, t.unit) if t.target is not None else None,
            None if change is None else change_text(w, change, t.unit),
            _status(t.is_met),
        ))
    return TablePlan(
        columns=(Col("KPI or SLA", min_inches=2.8), Col("Kind", min_inches=0.6),
                 Col("Start", True, 1.1), Col(f"End of {year.label}", True, 1.3),
                 Col("Target", True, 1.1), Col("Change", True, 1.0),
                 Col("Status", min_inches=1.0)),
        rows=tuple(rows), noun="KPI or SLA", noun_plural="KPIs and SLAs", status_column=6,
    )


# --------------------------------------------------------------------------- the deck


@dataclass(frozen=True)
class YearFacts:
    """The facts of the year every slide reads, computed once from the customer view."""

    account: Account
    year: ReviewYear
    words: Words
    start_month: int
    trends: tuple[Trend, ...]
    bridge: Bridge | None
    goals: tuple[Goal, ...]
    delivery: Delivery
    kpi_table: TablePlan


def year_facts(shared: Account, year: ReviewYear, words: Words) -> YearFacts:
    if shared.audience is not Audience.CUSTOMER:
        # The deck is shown to the customer: it must never be planned from internal data.
        raise ValueError("the EBR deck is planned from the customer view of the account only")
    start_month = words.settings.locale.fiscal_year_start_month
    found = trends(shared.kpis, year)
    return YearFacts(
        account=shared, year=year, words=words, start_month=start_month, trends=found,
        bridge=bridge_of(shared), goals=year_goals(shared.goals, year),
        delivery=delivery(shared.actions, year), kpi_table=kpi_table(found, words, year),
    )


#: Sections in deck order: (key, the name the briefing gives a section left out). The key is
#: also the ebr_fills snippet's section.
SECTIONS = (
    ("review", "Year in review"),
    ("objectives", "Value against objectives"),
    ("kpis", "KPIs over the year"),
    ("bridge", "Revenue bridge"),
    ("scorecard", "Partnership scorecard"),
    ("roadmap", "Roadmap and joint objectives"),
    ("asks", "Asks from both sides"),
    ("sponsors", "Executive sponsors"),
)


def plan_deck(shared: Account, year: ReviewYear, words: Words, *, company: str,
              fill: Callable[[str], str]) -> EbrContent:
    """Every slide of the executive deck, from the CUSTOMER view of the account.

    ``fill(section)`` says which data would fill a section left out (the ebr_fills snippet).
    Cover and agenda titles are set by the builder from snippets.
    """
    facts = year_facts(shared, year, words)
    customer = shared.name
    kpi_title = f"KPIs and SLAs over {year.label}"
    planned = {
        "review": review_slide(facts),
        "objectives": objectives_slide(facts),
        "kpis": trends_slide(facts, kpi_title),
        "bridge": bridge_slide(facts),
        "scorecard": scorecard_slide(facts),
        "roadmap": roadmap_slide(facts),
        "asks": asks_slide(facts, customer, company),
        "sponsors": sponsors_slide(facts, customer, company),
    }
    slides = tuple(s for key, _ in SECTIONS if (s := planned[key]) is not None)
    gaps = tuple(Gap(name, fill(key)) for key, name in SECTIONS if planned[key] is None)
    # The appendix holds the year's KPI and SLA table; lists that overflow a main slide are
    # added by the drawer. Delivered actions stay in the QBR decks: the executive deck gives
    # their count (scorecard) and would otherwise grow by a slide per 12 actions.
    appendix = ((kpi_title, facts.kpi_table),) if facts.trends else ()
    return EbrContent("", "", "", slides, appendix, gaps)


__all__ = ["EbrContent", "EbrSlide", "plan_deck", "year_facts"]
