"""The shape of a portfolio: plain, frozen, sorted, and nothing else.

Nothing here knows pandas, files or how a document is drawn. Every field is marked
customer-visible or internal with :func:`customer` / :func:`internal`; a field with no mark
is internal (deny by default), and ``audience.view_for`` blanks internal fields for a
customer audience. Internal fields therefore always have an "empty" value: ``None``, ``()``
or a summary object whose own fields are all internal.

Money is ``Decimal`` in the configured currency; a missing number is ``None``, never NaN.
Collections are tuples in a stable order (documented per field).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

VISIBILITY = "visibility"
CUSTOMER = "customer"
INTERNAL = "internal"


def customer(default: Any = dataclass, **kwargs: Any) -> Any:
    """A field the customer may see."""
    return _field(CUSTOMER, default, kwargs)


def internal(default: Any = dataclass, **kwargs: Any) -> Any:
    """A field only our own people may see (the default for unmarked fields too)."""
    return _field(INTERNAL, default, kwargs)


def _field(visibility: str, default: Any, kwargs: dict[str, Any]) -> Any:
    # ``dataclass`` is a sentinel for "no default": None and () are real defaults here.
    if default is not dataclass:
        kwargs["default"] = default
    return field(metadata={VISIBILITY: visibility}, **kwargs)


class Audience(str, Enum):
    INTERNAL = "internal"
    CUSTOMER = "customer"


class RagStatus(str, Enum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class ActionStatus(str, Enum):
    OPEN = "open"
    DONE = "done"


class RenewalStatus(str, Enum):
    NO_DATE = "no renewal date"
    NOT_IN_WINDOW = "not yet in window"
    COVERED = "in window, renewal opportunity open"
    MISSING = "in window, no renewal opportunity yet"
    LATE = "past the window, no renewal opportunity"
    RENEWED = "renewed"
    LAPSED = "lapsed"


class RosterRecommendation(str, Enum):
    KEEP = "keep"
    WATCH = "watch"
    MOVE_OUT = "move out of key accounts"
    #: A Tier 3 account whose score now ranks it among the key accounts.
    ADD = "add to key accounts"


# --------------------------------------------------------------------------- people


@dataclass(frozen=True, slots=True)
class Person:
    """Someone on our side (a Salesforce User)."""

    id: str = customer()
    name: str = customer()
    title: str | None = customer(None)
    email: str | None = customer(None)


@dataclass(frozen=True, slots=True)
class TeamMember:
    """Our account team: who owns what for this account. Sorted by role order, then name."""

    user: Person = customer()
    #: "Key Account Manager", "Executive Sponsor", "Sales Engineer", "Customer Success", ...
    role: str = customer()


@dataclass(frozen=True, slots=True)
class AccessPath:
    """How our side reaches a contact."""

    #: "direct", "indirect" or "none".
    kind: str = internal()
    #: Our person who reaches the contact (directly, or the owner of the intermediary).
    owner: Person | None = internal(None)
    owner_role: str | None = internal(None)
    #: For an indirect path: the nearest contact up or down the org chart with direct access.
    via_contact_id: str | None = internal(None)
    via_name: str | None = internal(None)
    via_title: str | None = internal(None)
    #: Ready-made wording: "direct (Sam Lee, KAM)", "via Dana Ruiz (VP IT), owner Sam Lee", "none".
    description: str = internal("none")


@dataclass(frozen=True, slots=True)
class Stakeholder:
    """A customer contact. Sorted by org-chart depth, then name, then id."""

    id: str = customer()
    name: str = customer()
    first_name: str | None = customer(None)
    last_name: str = customer("")
    title: str | None = customer(None)
    department: str | None = customer(None)
    email: str | None = customer(None)
    reports_to_id: str | None = customer(None)
    #: Depth in the customer's org chart (0 = a root of the reports-to forest).
    depth: int = customer(0)
    is_executive: bool = customer(False)
    buying_role: str | None = internal(None)
    influence: int | None = internal(None)
    stance: str | None = internal(None)
    engagement: str | None = internal(None)
    is_key: bool | None = internal(None)
    access: AccessPath | None = internal(None)
    last_contact: date | None = internal(None)
    #: Key stakeholder with no Task/Event within ``relationships.stale_days``.
    is_stale: bool | None = internal(None)
    #: Kept extra columns (config ``columns.keep``), by column name.
    extra: tuple[tuple[str, str], ...] = internal(())


@dataclass(frozen=True, slots=True)
class RelationshipSummary:
    key_count: int = internal(0)
    key_direct_count: int = internal(0)
    #: Share of key stakeholders with a direct access path (0..1), None without key stakeholders.
    coverage: float | None = internal(None)
    champions: tuple[str, ...] = internal(())  # stakeholder ids
    detractors: tuple[str, ...] = internal(())
    is_single_threaded: bool = internal(False)
    stale_key_stakeholders: tuple[str, ...] = internal(())
    contact_count: int = internal(0)
    #: Contacts with a direct access path (single-threaded when at most one).
    direct_count: int = internal(0)
    #: Relationship quality 0..100 (formula in README), None without contacts.
    quality: float | None = internal(None)
    quality_drivers: tuple[str, ...] = internal(())


# --------------------------------------------------------------------------- commerce


@dataclass(frozen=True, slots=True)
class Holding:
    """A product the customer holds (an Asset). Sorted by product, BU, region, id."""

    id: str = customer()
    product: str = customer()
    family: str | None = customer(None)
    business_unit: str | None = customer(None)
    region: str | None = customer(None)
    use_case: str | None = customer(None)
    status: str | None = customer(None)
    is_active: bool = customer(True)
    annual_value: Decimal | None = customer(None)
    start: date | None = customer(None)
    end: date | None = customer(None)


@dataclass(frozen=True, slots=True)
class Opportunity:
    """Sorted by close date, then id. Only won opportunities are customer-visible records."""

    id: str = customer()
    name: str = customer()
    stage: str = customer()
    close_date: date | None = customer(None)
    type: str | None = customer(None)
    is_closed: bool = customer(False)
    is_won: bool = customer(False)
    product_family: str | None = customer(None)
    business_unit: str | None = customer(None)
    #: Product names of its line items (OpportunityLineItem -> Product2), sorted.
    products: tuple[str, ...] = customer(())
    amount: Decimal | None = internal(None)
    probability: float | None = internal(None)
    forecast_category: str | None = internal(None)
    owner: Person | None = internal(None)
    is_renewal: bool = internal(False)
    is_expansion: bool = internal(False)


@dataclass(frozen=True, slots=True)
class QuarterValue:
    """One point of a time series: label "2026-Q3" (fiscal), period end, value."""

    label: str = customer()
    period_end: date = customer()
    value: Decimal = customer()


@dataclass(frozen=True, slots=True)
class ArrBridge:
    """Annual recurring revenue from the start to the end of a (fiscal) year.

    start + expansion + new_products - contraction - churn == end, exactly.
    """

    year: int = customer()
    start: Decimal = customer()
    expansion: Decimal = customer()
    new_products: Decimal = customer()
    contraction: Decimal = customer()
    churn: Decimal = customer()
    end: Decimal = customer()
    #: The bridge runs from ARR on ``period_start`` to ARR on ``period_end`` (= as_of).
    period_start: date | None = customer(None)
    period_end: date | None = customer(None)


@dataclass(frozen=True, slots=True)
class Revenue:
    """Our revenue from the account."""

    #: Current annual revenue: active Assets, else closed-won of the last 12 months.
    current_annual: Decimal | None = customer(None)
    #: "assets" or "closed-won 12 months" or None.
    basis: str | None = customer(None)
    #: The same measure one year before as_of; None if unknown.
    prior_annual: Decimal | None = customer(None)
    #: Growth year on year (0.12 = +12%), None when prior is missing or zero.
    growth: float | None = customer(None)
    #: Closed-won amount in the 12 months up to as_of.
    won_12m: Decimal | None = customer(None)
    #: Closed-won amount per fiscal quarter, last 12 quarters, oldest first.
    by_quarter: tuple[QuarterValue, ...] = customer(())
    #: Open pipeline amount (all open opportunities).
    open_pipeline: Decimal | None = internal(None)
    #: Open pipeline by stage, in the order stages appear in the data's stage progression.
    pipeline_by_stage: tuple[tuple[str, Decimal], ...] = internal(())
    arr_bridge: ArrBridge | None = customer(None)
    #: Margin, when the input provides one (never customer-visible).
    margin: float | None = internal(None)


# --------------------------------------------------------------------------- whitespace


@dataclass(frozen=True, slots=True)
class WhitespaceCell:
    """A (product, business unit, region, use case) cell. Sorted by score descending, then key."""

    product: str = customer()
    business_unit: str | None = customer(None)
    region: str | None = customer(None)
    use_case: str | None = customer(None)
    current: Decimal | None = internal(None)
    potential: Decimal | None = internal(None)
    #: potential - current; negative = "above potential".
    whitespace: Decimal | None = internal(None)
    is_above_potential: bool | None = internal(None)
    open_pipeline: Decimal | None = internal(None)
    #: whitespace - open pipeline (not below zero).
    uncovered: Decimal | None = internal(None)
    #: uncovered / the account's median won deal.
    score: float | None = internal(None)
    is_candidate: bool = customer(False)
    #: True when open pipeline already covers the whole whitespace.
    is_covered: bool | None = internal(None)


@dataclass(frozen=True, slots=True)
class WhitespaceSummary:
    cells: tuple[WhitespaceCell, ...] = customer(())
    candidates: tuple[WhitespaceCell, ...] = customer(())
    total_current: Decimal | None = internal(None)
    total_potential: Decimal | None = internal(None)
    #: Sum of positive whitespace.
    total_whitespace: Decimal | None = internal(None)
    by_product: tuple[tuple[str, Decimal], ...] = internal(())
    by_business_unit: tuple[tuple[str, Decimal], ...] = internal(())
    by_region: tuple[tuple[str, Decimal], ...] = internal(())
    by_use_case: tuple[tuple[str, Decimal], ...] = internal(())


# --------------------------------------------------------------------------- execution


@dataclass(frozen=True, slots=True)
class Action:
    """A Task on the account. Sorted: overdue first (most days overdue first), then open by due
    date, then done by completion/due date descending, then id."""

    id: str = customer()
    subject: str = customer()
    status: ActionStatus = customer()
    raw_status: str = customer("")
    due: date | None = customer(None)
    owner: Person | None = customer(None)
    priority: str | None = customer(None)
    description: str | None = customer(None)
    success_measure: str | None = customer(None)
    #: Who an unresolved action goes to: our internal chain of command, never shown to the
    #: customer.
    escalation_path: str | None = internal(None)
    is_overdue: bool = customer(False)
    days_overdue: int = customer(0)
    is_due_soon: bool = customer(False)
    is_customer_visible: bool = customer(False)
    #: "no owner", "no due date", "no success measure", "no escalation path (high priority)".
    data_gaps: tuple[str, ...] = internal(())
    contact_id: str | None = internal(None)
    #: When a done action was completed (Task.CompletedDateTime), None if unknown or open.
    completed: date | None = customer(None)


@dataclass(frozen=True, slots=True)
class ActionSummary:
    open: int = internal(0)
    done: int = internal(0)
    overdue: int = internal(0)
    due_soon: int = internal(0)
    #: (owner name, open, overdue), sorted by overdue desc, then name.
    by_owner: tuple[tuple[str, int, int], ...] = internal(())
    #: Share of actions due in the last quarter completed (by their due date), None if none due.
    on_time_rate: float | None = internal(None)
    with_data_gaps: int = internal(0)


@dataclass(frozen=True, slots=True)
class Meeting:
    """An Event: QBR, EBR or other. Sorted by date, then id."""

    id: str = customer()
    date: date = customer()
    #: "QBR", "EBR" or "other".
    kind: str = customer()
    subject: str = customer("")
    description: str | None = internal(None)


@dataclass(frozen=True, slots=True)
class Cadence:
    last_qbr: date | None = customer(None)
    next_qbr_due: date | None = customer(None)
    is_qbr_overdue: bool = customer(False)
    last_ebr: date | None = customer(None)
    next_ebr_due: date | None = customer(None)
    is_ebr_overdue: bool = customer(False)
    #: QBRs held in the 12 months up to as_of, and how many the tier's cadence plans.
    qbrs_held_12m: int = customer(0)
    qbrs_planned_12m: int = customer(0)
    #: The next QBR/EBR Event already in the calendar (dated after as_of), if any.
    next_qbr_scheduled: date | None = customer(None)
    next_ebr_scheduled: date | None = customer(None)
    #: The tier whose cadence applies (current Account_Tier__c, else the proposed tier).
    tier: int | None = internal(None)


@dataclass(frozen=True, slots=True)
class Contract:
    id: str = customer()
    start: date | None = customer(None)
    end: date | None = customer(None)
    status: str | None = customer(None)


@dataclass(frozen=True, slots=True)
class Renewal:
    date: date | None = customer(None)
    #: "account" (Renewal_Date__c) or "contract" (latest active Contract end).
    source: str | None = customer(None)
    window_opens: date | None = internal(None)
    window_late: date | None = internal(None)
    status: RenewalStatus = internal(RenewalStatus.NO_DATE)
    opportunity_id: str | None = internal(None)
    opportunity_amount: Decimal | None = internal(None)
    #: Renewal amount / current annual revenue.
    retention: float | None = internal(None)
    retention_target: float | None = internal(None)
    meets_target: bool | None = internal(None)
    #: Proposed name for a missing renewal opportunity: "Acme Corp - Renewal 2027-05".
    proposed_name: str | None = internal(None)
    proposed_close_date: date | None = internal(None)
    #: Proposed amount: the current annual revenue.
    proposed_amount: Decimal | None = internal(None)


@dataclass(frozen=True, slots=True)
class Goal:
    """Sorted by target date (missing last), then name."""

    id: str = customer()
    name: str = customer()
    description: str | None = customer(None)
    target_date: date | None = customer(None)
    status: str | None = customer(None)
    owner: str | None = customer(None)
    is_customer_visible: bool = customer(False)


@dataclass(frozen=True, slots=True)
class Risk:
    """Sorted by severity (high first), likelihood, name."""

    id: str = customer()
    name: str = customer()
    severity: str | None = customer(None)
    likelihood: str | None = customer(None)
    mitigation: str | None = customer(None)
    owner: str | None = customer(None)
    status: str | None = customer(None)
    is_customer_visible: bool = customer(False)


@dataclass(frozen=True, slots=True)
class KpiMeasurement:
    period_end: date = customer()
    actual: float | None = customer(None)
    target: float | None = customer(None)


@dataclass(frozen=True, slots=True)
class Kpi:
    """One KPI or SLA with its history (oldest first). Sorted by kind (KPI, SLA), then name."""

    name: str = customer()
    #: "KPI" or "SLA".
    kind: str = customer()
    unit: str | None = customer(None)
    higher_is_better: bool = customer(True)
    history: tuple[KpiMeasurement, ...] = customer(())
    latest: KpiMeasurement | None = customer(None)
    previous: KpiMeasurement | None = customer(None)
    #: actual / target (or target / actual when lower is better); None if either is missing.
    attainment: float | None = customer(None)
    is_met: bool | None = customer(None)
    #: latest.actual - previous.actual.
    change: float | None = customer(None)


@dataclass(frozen=True, slots=True)
class KpiSummary:
    kpis_total: int = customer(0)
    kpis_met: int = customer(0)
    slas_total: int = customer(0)
    slas_met: int = customer(0)
    #: slas_met / slas_total, None without SLAs.
    sla_share_met: float | None = customer(None)


@dataclass(frozen=True, slots=True)
class PlanText:
    """Account_Plan__c narrative."""

    executive_summary: str | None = internal(None)
    strategy: str | None = internal(None)
    value_proposition: str | None = customer(None)
    customer_objectives: str | None = customer(None)


# --------------------------------------------------------------------------- assessment


@dataclass(frozen=True, slots=True)
class Tiering:
    current_tier: int | None = internal(None)
    proposed_tier: int | None = internal(None)
    is_change: bool = internal(False)
    score: float | None = internal(None)
    #: (component, percentile rank 0..1): revenue, strategic, growth.
    components: tuple[tuple[str, float], ...] = internal(())
    #: "revenue rank 3 of 412; whitespace $4.1M"
    reason: str | None = internal(None)
    revenue_rank: int | None = internal(None)
    #: Position by score (1 = best) among ``portfolio_size`` ranked accounts.
    rank: int | None = internal(None)
    portfolio_size: int | None = internal(None)


@dataclass(frozen=True, slots=True)
class Health:
    status: RagStatus | None = internal(None)
    #: Each driver is one sentence: "2 actions overdue", "renewal in window, no renewal
    #: opportunity yet".
    drivers: tuple[str, ...] = internal(())


@dataclass(frozen=True, slots=True)
class Scorecard:
    """The review of step 9. Every line is (question, answer, rag or None)."""

    lines: tuple[tuple[str, str, RagStatus | None], ...] = internal(())
    roster: RosterRecommendation | None = internal(None)
    roster_reason: str | None = internal(None)


@dataclass(frozen=True, slots=True)
class Change:
    """One change since the previous review: area ("tier", "kpi", "stakeholder", ...), text."""

    area: str = internal()
    text: str = internal()


@dataclass(frozen=True, slots=True)
class Changes:
    previous_as_of: date | None = internal(None)
    items: tuple[Change, ...] = internal(())
    #: A customer leadership change: "refresh the relationship map".
    refresh_relationship_map: bool = internal(False)


# --------------------------------------------------------------------------- account


@dataclass(frozen=True, slots=True)
class Account:
    id: str = customer()
    name: str = customer()
    as_of: date = customer()
    industry: str | None = customer(None)
    country: str | None = customer(None)
    parent_id: str | None = internal(None)
    #: The customer's own annual revenue (Account.AnnualRevenue), a public figure.
    customer_annual_revenue: Decimal | None = customer(None)
    strategic_value: int | None = internal(None)
    owner: Person | None = customer(None)
    team: tuple[TeamMember, ...] = customer(())
    stakeholders: tuple[Stakeholder, ...] = customer(())
    relationships: RelationshipSummary = internal(default_factory=RelationshipSummary)
    holdings: tuple[Holding, ...] = customer(())
    opportunities: tuple[Opportunity, ...] = customer(())
    revenue: Revenue = customer(default_factory=Revenue)
    whitespace: WhitespaceSummary = customer(default_factory=WhitespaceSummary)
    actions: tuple[Action, ...] = customer(())
    action_summary: ActionSummary = internal(default_factory=ActionSummary)
    meetings: tuple[Meeting, ...] = customer(())
    cadence: Cadence = customer(default_factory=Cadence)
    contracts: tuple[Contract, ...] = customer(())
    renewal: Renewal = customer(default_factory=Renewal)
    goals: tuple[Goal, ...] = customer(())
    risks: tuple[Risk, ...] = customer(())
    kpis: tuple[Kpi, ...] = customer(())
    kpi_summary: KpiSummary = customer(default_factory=KpiSummary)
    plan: PlanText = customer(default_factory=PlanText)
    tiering: Tiering = internal(default_factory=Tiering)
    health: Health = internal(default_factory=Health)
    scorecard: Scorecard = internal(default_factory=Scorecard)
    changes: Changes | None = internal(None)
    #: Objects/fields absent from the input, e.g. ("Whitespace_Potential__c", "KPI_Measurement__c").
    missing_data: tuple[str, ...] = customer(())
    #: Kept extra Account columns (config ``columns.keep``), by column name.
    extra: tuple[tuple[str, str], ...] = internal(())
    #: The audience this object was filtered for (set by ``view_for``).
    audience: Audience = customer(Audience.INTERNAL)


@dataclass(frozen=True, slots=True)
class RejectedAccount:
    """An account whose rows had errors: the rest of the portfolio still loads."""

    id: str
    name: str | None
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Portfolio:
    as_of: date
    #: Our company name (config).
    company: str
    currency: str
    locale: str
    #: Human description of the input ("samples/ (CSV folder)").
    source: str
    #: Accounts sorted by id.
    accounts: tuple[Account, ...]
    rejected: tuple[RejectedAccount, ...] = ()
    #: Every warning found while loading, as text ("file:row:column: warning: ...").
    warnings: tuple[str, ...] = ()
    #: sha256 of each input file (name -> hex), for manifests.
    input_hashes: tuple[tuple[str, str], ...] = ()
