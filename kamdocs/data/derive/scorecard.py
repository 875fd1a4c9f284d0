"""The review of step 9: the scorecard, the health status and the roster recommendation.

These read the assembled account (every other derivation already applied), so each line
states numbers the documents also show. Thresholds are the constants below and are
documented in docs/analytics.md ("Review scorecard", "Health", "Roster").
"""

from __future__ import annotations

from kamdocs.config import Settings
from kamdocs.formatting import format_date, format_money, format_number, format_percent
from kamdocs.model import (
    Account,
    Health,
    RagStatus,
    RenewalStatus,
    RosterRecommendation,
    Scorecard,
)

#: Goal statuses (case-insensitive) that count as achieved.
ACHIEVED_STATUSES = ("Achieved", "Completed", "Complete", "Done", "Met")
#: Growth year on year: from 0 green; from -10 % amber; below red.
GROWTH_AMBER = -0.10
#: Actions: red when at least OVERDUE_RED are overdue and they are at least OVERDUE_SHARE_RED
#: of the open ones; on-time rate green from 80 %, red below 50 %.
OVERDUE_RED, OVERDUE_SHARE_RED = 3, 0.25
ON_TIME_GREEN, ON_TIME_RED = 0.8, 0.5
#: Share of KPIs and SLAs met: green from 80 %, amber from 50 %.
KPI_GREEN, KPI_AMBER = 0.8, 0.5
#: Relationship quality (0-100): green from 70, amber from 40.
QUALITY_GREEN, QUALITY_AMBER = 70.0, 40.0
#: Opportunities materialised: green from half won, amber when any.
MATERIALISED_GREEN = 0.5

RENEWAL_RAG = {
    RenewalStatus.RENEWED: RagStatus.GREEN,
    RenewalStatus.COVERED: RagStatus.GREEN,
    RenewalStatus.NOT_IN_WINDOW: RagStatus.GREEN,
    RenewalStatus.MISSING: RagStatus.AMBER,
    RenewalStatus.LATE: RagStatus.RED,
    RenewalStatus.LAPSED: RagStatus.RED,
}

Line = tuple[str, str, RagStatus | None]


def derive_scorecard(
    account: Account, settings: Settings, previous: Account | None = None
) -> tuple[Scorecard, Health]:
    """The scorecard lines, health and roster recommendation of ``account``."""
    health = derive_health(account, settings)
    lines = (
        _value(account, settings),
        _plan_progress(account, settings),
        _materialised(account, previous, settings),
        _kpis(account),
        _relationships(account, settings),
        _renewal(account, settings),
        _cadence(account, settings),
    )
    roster, reason = _roster(account, health, settings)
    return Scorecard(lines=lines, roster=roster, roster_reason=reason), health


def _value(account: Account, settings: Settings) -> Line:
    question = "Value and profitability"
    revenue = account.revenue
    if revenue.current_annual is None:
        return question, "No revenue data (Asset, Opportunity)", None
    parts = [f"Annual revenue {format_money(revenue.current_annual, settings)} ({revenue.basis})"]
    rag = None
    if revenue.growth is not None:
        parts.append(f"{format_percent(revenue.growth, settings, signed=True)} year on year")
        rag = _rag_above(revenue.growth, 0.0, GROWTH_AMBER)
    else:
        parts.append("no prior-year figure to compare")
    if revenue.margin is not None:
        parts.append(f"margin {format_percent(revenue.margin, settings)}")
    return question, "; ".join(parts), rag


def is_achieved(status: str | None) -> bool:
    return (status or "").strip().casefold() in {a.casefold() for a in ACHIEVED_STATUSES}


def _plan_progress(account: Account, settings: Settings) -> Line:
    question = "Plan progress"
    summary = account.action_summary
    goals = account.goals
    if not goals and not account.actions:
        return question, "No goals or actions recorded (Account_Goal__c, Task)", None
    parts = []
    if goals:
        achieved = sum(is_achieved(g.status) for g in goals)
        parts.append(f"{achieved} of {len(goals)} goals achieved")
    if account.actions:
        if summary.on_time_rate is not None:
            # Rounded as every document rounds it (half up: 62.5% is 63%, never 62%).
            parts.append(f"{format_percent(summary.on_time_rate, settings)} of last quarter's "
                         "actions done on time")
        parts.append(f"{summary.overdue} overdue of {summary.open} open actions")
    rate = summary.on_time_rate
    if _overdue_is_red(summary.overdue, summary.open) or (rate is not None and rate < ON_TIME_RED):
        rag = RagStatus.RED
    elif summary.overdue == 0 and (rate is None or rate >= ON_TIME_GREEN):
        rag = RagStatus.GREEN
    else:
        rag = RagStatus.AMBER
    return question, "; ".join(parts), rag


def _materialised(account: Account, previous: Account | None, settings: Settings) -> Line:
    question = "Opportunities materialised"
    won_now = {o.id for o in account.opportunities if o.is_won}
    if previous is None:
        won_recent = [
            o for o in account.opportunities
            if o.is_won and o.close_date is not None
            and 0 <= (account.as_of - o.close_date).days <= 365
        ]
        total = account.revenue.won_12m
        return question, (
            f"No earlier review to compare; {len(won_recent)} won in the last 12 months"
            + (f" ({format_money(total, settings)})" if total is not None else "")
        ), None
    was_open = [o for o in previous.opportunities if not o.is_closed]
    opened_won = sum(o.id in won_now for o in was_open)
    candidates = previous.whitespace.candidates
    since = [
        o for o in account.opportunities
        if o.is_won and o.close_date is not None and o.close_date > previous.as_of
    ]
    cells_won = sum(any(_covers(o, c.product, c.business_unit) for o in since) for c in candidates)
    total = len(was_open) + len(candidates)
    text = (f"Of the review on {format_date(previous.as_of, settings)}: {opened_won} of "
            f"{len(was_open)} open opportunities won; {cells_won} of {len(candidates)} "
            "expansion candidates won")
    if not total:
        return question, text, None
    share = (opened_won + cells_won) / total
    rag = (RagStatus.GREEN if share >= MATERIALISED_GREEN
           else RagStatus.AMBER if share > 0 else RagStatus.RED)
    return question, text, rag


def _covers(opportunity: object, product: str, business_unit: str | None) -> bool:
    """Whether a won opportunity is the sale of a whitespace cell (product, BU)."""
    names = {p.casefold() for p in opportunity.products}
    if opportunity.product_family:
        names.add(opportunity.product_family.casefold())
    same_bu = (opportunity.business_unit is None or business_unit is None
               or opportunity.business_unit.casefold() == business_unit.casefold())
    return product.casefold() in names and same_bu


def _kpis(account: Account) -> Line:
    question = "KPIs and SLAs met"
    summary = account.kpi_summary
    total = summary.kpis_total + summary.slas_total
    if not total:
        return question, "No KPI or SLA results with targets (KPI_Measurement__c)", None
    parts = []
    if summary.kpis_total:
        parts.append(f"{summary.kpis_met} of {summary.kpis_total} KPIs met")
    if summary.slas_total:
        parts.append(f"{summary.slas_met} of {summary.slas_total} SLAs met")
    share = (summary.kpis_met + summary.slas_met) / total
    return question, "; ".join(parts), _rag_above(share, KPI_GREEN, KPI_AMBER)


def _relationships(account: Account, settings: Settings) -> Line:
    question = "Relationship quality"
    summary = account.relationships
    if summary.quality is None:
        return question, "No contacts recorded (Contact)", None
    text = (f"{_points(summary.quality, settings)}/100: "
            f"{_plural(len(summary.champions), 'champion')}, "
            f"{_plural(len(summary.detractors), 'detractor')}, "
            f"{summary.key_direct_count} of {summary.key_count} key stakeholders reached directly"
            + ("; single-threaded" if summary.is_single_threaded else ""))
    return question, text, _rag_above(summary.quality, QUALITY_GREEN, QUALITY_AMBER)


def _renewal(account: Account, settings: Settings) -> Line:
    question = "Renewal"
    renewal = account.renewal
    if renewal.date is None:
        return question, "No renewal date (Account.Renewal_Date__c, Contract)", None
    text = f"{format_date(renewal.date, settings)}: {renewal.status.value}"
    if renewal.retention is not None:
        text += (f"; retention {format_percent(renewal.retention, settings)} vs target "
                 f"{format_percent(renewal.retention_target, settings)}")
    rag = RENEWAL_RAG.get(renewal.status)
    if renewal.meets_target is False and rag is RagStatus.GREEN:
        rag = RagStatus.AMBER
    return question, text, rag


def _cadence(account: Account, settings: Settings) -> Line:
    question = "QBR cadence"
    cadence = account.cadence
    if "Event" in account.missing_data:
        return question, "No meetings provided (Event)", None
    if cadence.last_qbr is None:
        return question, "No QBR held", RagStatus.RED if cadence.is_qbr_overdue else None
    text = f"Last QBR {format_date(cadence.last_qbr, settings)}"
    if cadence.next_qbr_due is not None:
        text += f"; next due {format_date(cadence.next_qbr_due, settings)}"
    if cadence.is_qbr_overdue:
        text += " (overdue)"
    text += f"; {cadence.qbrs_held_12m} of {cadence.qbrs_planned_12m} planned held in 12 months"
    return question, text, RagStatus.AMBER if cadence.is_qbr_overdue else RagStatus.GREEN


def _points(value: float, settings: Settings) -> str:
    # Half up, as every figure in the documents (Python's own round() is half-even).
    return format_number(value, settings)


def _overdue_is_red(overdue: int, open_count: int) -> bool:
    return overdue >= OVERDUE_RED and overdue >= OVERDUE_SHARE_RED * open_count


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def _rag_above(value: float, green: float, amber: float) -> RagStatus:
    if value >= green:
        return RagStatus.GREEN
    return RagStatus.AMBER if value >= amber else RagStatus.RED


# --------------------------------------------------------------------------- health


def derive_health(account: Account, settings: Settings) -> Health:
    """Green / amber / red from the warning signs below; the drivers say which fired."""
    red: list[str] = []
    amber: list[str] = []
    good: list[str] = []
    renewal = account.renewal
    if renewal.date is not None:
        rag = RENEWAL_RAG.get(renewal.status)
        text = f"renewal {renewal.status.value} ({format_date(renewal.date, settings)})"
        {RagStatus.RED: red, RagStatus.AMBER: amber}.get(rag, good).append(text)
    actions = account.action_summary
    if account.actions:
        overdue = actions.overdue
        text = f"{_plural(overdue, 'action')} overdue of {actions.open} open"
        if _overdue_is_red(overdue, actions.open):
            red.append(text)
        else:
            (amber if overdue else good).append(text)
    relations = account.relationships
    if relations.quality is not None:
        text = f"relationship quality {_points(relations.quality, settings)}/100"
        rag = _rag_above(relations.quality, QUALITY_GREEN, QUALITY_AMBER)
        {RagStatus.RED: red, RagStatus.AMBER: amber}.get(rag, good).append(text)
        if relations.is_single_threaded:
            amber.append("single-threaded: at most one contact with direct access")
        key_detractors = [
            s.name for s in account.stakeholders if s.is_key and s.id in relations.detractors
        ]
        if key_detractors:
            amber.append(f"key stakeholder detractor: {', '.join(key_detractors)}")
        if relations.stale_key_stakeholders:
            count = len(relations.stale_key_stakeholders)
            amber.append(f"{count} key stakeholder{'s' * (count != 1)} not contacted in "
                         f"{settings.relationships.stale_days} days")
    kpis = account.kpi_summary
    assessed = kpis.kpis_total + kpis.slas_total
    if assessed:
        share = (kpis.kpis_met + kpis.slas_met) / assessed
        text = f"{kpis.kpis_met + kpis.slas_met} of {assessed} KPIs/SLAs met"
        rag = _rag_above(share, KPI_GREEN, KPI_AMBER)
        {RagStatus.RED: red, RagStatus.AMBER: amber}.get(rag, good).append(text)
    growth = account.revenue.growth
    if growth is not None:
        text = f"revenue {format_percent(growth, settings, signed=True)} year on year"
        rag = _rag_above(growth, 0.0, GROWTH_AMBER)
        {RagStatus.RED: red, RagStatus.AMBER: amber}.get(rag, good).append(text)
    if account.cadence.is_qbr_overdue:
        amber.append("QBR overdue" if account.cadence.last_qbr else "no QBR held")
    if red:
        return Health(status=RagStatus.RED, drivers=tuple(red + amber))
    if amber:
        return Health(status=RagStatus.AMBER, drivers=tuple(amber))
    if good:
        return Health(status=RagStatus.GREEN, drivers=tuple(good))
    return Health(status=None, drivers=("not enough data to assess health",))


# --------------------------------------------------------------------------- roster


def _roster(
    account: Account, health: Health, settings: Settings
) -> tuple[RosterRecommendation | None, str]:
    tiering = account.tiering
    proposed = tiering.proposed_tier
    current = tiering.current_tier if tiering.current_tier is not None else proposed
    if proposed is None:
        return None, "not ranked"
    rank = f"rank {tiering.rank} of {tiering.portfolio_size}"
    if current == 3 and proposed == 3:
        return None, f"Tier 3 ({rank}): not on the key account roster"
    if current == 3:
        return RosterRecommendation.ADD, f"score now ranks it Tier {proposed} ({rank})"
    weak = []
    growth = account.revenue.growth
    if growth is not None and growth < 0:
        weak.append(f"revenue {format_percent(growth, settings, signed=True)} year on year")
    if account.renewal.status in (RenewalStatus.LAPSED, RenewalStatus.LATE):
        weak.append(f"renewal {account.renewal.status.value}")
    quality = account.relationships.quality
    if quality is not None and quality < QUALITY_AMBER:
        weak.append(f"relationship quality {_points(quality, settings)}/100")
    if proposed == 3 and weak:
        return RosterRecommendation.MOVE_OUT, (
            f"score ranks it Tier 3 ({rank}) and " + "; ".join(weak)
        )
    watch = []
    if proposed == 3:
        watch.append(f"score ranks it Tier 3 ({rank})")
    elif proposed > current:
        watch.append(f"score ranks it Tier {proposed}, down from Tier {current} ({rank})")
    if health.status is RagStatus.RED:
        watch.append("health red: " + "; ".join(health.drivers[:3]))
    watch.extend(w for w in weak if w not in " ".join(watch))
    if watch:
        return RosterRecommendation.WATCH, "; ".join(watch)
    status = health.status.value if health.status else "not assessed"
    return RosterRecommendation.KEEP, f"ranks Tier {proposed} ({rank}); health {status}"

