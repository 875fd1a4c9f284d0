"""The facts of a quarter for one account: KPI/SLA results, what was delivered, what is open,
who should attend, what to watch. Pure functions of the (frozen) account; no drawing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kamdocs.builders.qbr.words import listing, plural
from kamdocs.formatting import add_months, quarter_bounds, quarter_label
from kamdocs.model import (
    Account,
    Action,
    ActionStatus,
    Goal,
    Kpi,
    Opportunity,
    Person,
    Stakeholder,
    TeamMember,
    WhitespaceCell,
)

# --------------------------------------------------------------------------- fiscal quarters


@dataclass(frozen=True, slots=True)
class FiscalQuarter:
    """A fiscal quarter as kamdocs.formatting names it ("2026-Q3") with its first/last day."""

    label: str
    start: date
    end: date
    start_month: int

    @classmethod
    def of(cls, day: date, start_month: int) -> FiscalQuarter:
        """The fiscal quarter containing ``day``."""
        label = quarter_label(day, start_month)
        first, last = quarter_bounds(label, start_month)
        return cls(label, first, last, start_month)

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def shift(self, quarters: int) -> FiscalQuarter:
        return FiscalQuarter.of(add_months(self.start, 3 * quarters), self.start_month)


def reported_quarter(label: str | None, as_of: date, start_month: int) -> FiscalQuarter:
    """The quarter a QBR reports on: the one asked for ("2026-Q3"; a bad label is a usage
    error), else the last one completed before ``as_of``."""
    if label is None:
        return FiscalQuarter.of(as_of, start_month).shift(-1)
    first, _ = quarter_bounds(label, start_month)
    return FiscalQuarter.of(first, start_month)


# --------------------------------------------------------------------------- facts of a quarter


@dataclass(frozen=True, slots=True)
class Measure:
    """One KPI/SLA measurement judged against its target."""

    period_end: date
    actual: float | None
    target: float | None
    is_met: bool | None


@dataclass(frozen=True, slots=True)
class KpiResult:
    """A KPI or SLA over the reported quarter."""

    name: str
    kind: str
    unit: str | None
    higher_is_better: bool
    #: The measurements inside the quarter, oldest first.
    periods: tuple[Measure, ...]
    #: The last measurement of the previous quarter (for "change vs last quarter").
    previous: Measure | None

    @property
    def latest(self) -> Measure:
        return self.periods[-1]

    @property
    def attainment(self) -> float | None:
        return attainment(self.latest.actual, self.latest.target, self.higher_is_better)

    @property
    def missed_periods(self) -> tuple[date, ...]:
        return tuple(m.period_end for m in self.periods if m.is_met is False)

    @property
    def is_met(self) -> bool | None:
        """KPIs: the quarter's last measurement. SLAs: every measured period (a guarantee)."""
        if self.kind == "SLA":
            judged = [m.is_met for m in self.periods if m.is_met is not None]
            return all(judged) if judged else None
        return self.latest.is_met

    @property
    def change(self) -> float | None:
        if self.previous is None or self.previous.actual is None or self.latest.actual is None:
            return None
        return self.latest.actual - self.previous.actual

    @property
    def is_improvement(self) -> bool | None:
        change = self.change
        if change is None or change == 0:
            return None
        return (change > 0) == self.higher_is_better


def is_met(actual: float | None, target: float | None, higher_is_better: bool) -> bool | None:
    if actual is None or target is None:
        return None
    return actual >= target if higher_is_better else actual <= target


def attainment(actual: float | None, target: float | None, higher_is_better: bool) -> float | None:
    """actual / target (target / actual when lower is better); None when undefined."""
    if actual is None or target is None:
        return None
    if higher_is_better:
        return actual / target if target else None
    if actual == 0:
        # Zero incidents against any target is full attainment, not a division by zero.
        return 1.0 if target >= 0 else None
    return target / actual


def kpi_results(kpis: tuple[Kpi, ...], quarter: FiscalQuarter) -> tuple[KpiResult, ...]:
    """Every KPI/SLA with at least one measurement in ``quarter``, in the model's order."""
    results = []
    for kpi in kpis:
        judged = tuple(
            Measure(m.period_end, m.actual, m.target,
                    is_met(m.actual, m.target, kpi.higher_is_better))
            for m in kpi.history
        )
        inside = tuple(m for m in judged if quarter.contains(m.period_end) and m.actual is not None)
        if not inside:
            continue
        before = [m for m in judged if m.period_end < quarter.start and m.actual is not None]
        previous = before[-1] if before and quarter.shift(-1).contains(before[-1].period_end) else None
        results.append(KpiResult(kpi.name, kpi.kind, kpi.unit, kpi.higher_is_better, inside,
                                 previous))
    return tuple(results)


@dataclass(frozen=True, slots=True)
class Milestone:
    """A dated line of a roadmap or timeline."""

    when: date | None
    what: str
    owner: str | None = None
    status: str | None = None


#: Goal statuses that mean the goal needs no more work (compared case-insensitively).
_CLOSED_GOAL_STATUSES = ("done", "complete", "completed", "achieved", "closed", "cancelled")


def is_open_goal(goal: Goal) -> bool:
    return (goal.status or "").strip().lower() not in _CLOSED_GOAL_STATUSES


def action_status_word(action: Action) -> str:
    """An open action's status in our words ("Past due (3 days)", "Due soon", "Open"), the
    same on every slide, never the CRM's own ("Waiting on someone else")."""
    if action.is_overdue:
        return f"Past due ({plural(action.days_overdue, 'day')})"
    if action.is_due_soon:
        return "Due soon"
    return "Open"


def _completed_in(action: Action, quarter: FiscalQuarter) -> bool:
    if action.status is not ActionStatus.DONE:
        return False
    # Without a completion date the due date is the best evidence of when it was delivered.
    return quarter.contains(action.completed or action.due)


@dataclass(frozen=True)
class MeetingFacts:
    """What the customer sees in the room, computed from the customer view of the account."""

    quarter: FiscalQuarter
    account: Account
    kpis: tuple[KpiResult, ...]
    slas: tuple[KpiResult, ...]
    #: KPI/SLA names with history but no measurement in the quarter.
    unmeasured: tuple[str, ...]
    delivered: tuple[Action, ...]
    won: tuple[Opportunity, ...]
    open_items: tuple[Action, ...]
    priorities: tuple[Goal, ...]
    milestones: tuple[Milestone, ...]
    growth: tuple[WhitespaceCell, ...]
    products_held: tuple[str, ...]
    our_team: tuple[TeamMember, ...]
    their_team: tuple[Stakeholder, ...]

    @property
    def next_quarter(self) -> FiscalQuarter:
        return self.quarter.shift(1)


def meeting_facts(shared: Account, quarter: FiscalQuarter) -> MeetingFacts:
    """The facts of the meeting slides; ``shared`` must be the customer view of the account."""
    results = kpi_results(shared.kpis, quarter)
    measured = {r.name for r in results}
    following = quarter.shift(1)
    open_items = tuple(a for a in shared.actions if a.status is ActionStatus.OPEN)
    # A missed goal is looked back on, not carried into next quarter's priorities.
    priorities = tuple(g for g in shared.goals if is_open_goal(g)
                       and (g.status or "").strip().lower() != "missed")
    milestones = [
        Milestone(a.due, a.subject, a.owner.name if a.owner else None, action_status_word(a))
        for a in open_items
        if following.contains(a.due) and not a.is_overdue
    ]
    if following.contains(shared.renewal.date):
        milestones.append(Milestone(shared.renewal.date, "Contract renewal date"))
    if following.contains(shared.cadence.next_qbr_due):
        milestones.append(Milestone(shared.cadence.next_qbr_due, "Next quarterly business review"))
    if following.contains(shared.cadence.next_ebr_due):
        milestones.append(Milestone(shared.cadence.next_ebr_due, "Next executive business review"))
    our_team = list(shared.team)
    if shared.owner is not None and all(m.user.id != shared.owner.id for m in our_team):
        our_team.insert(0, TeamMember(shared.owner, "Account Owner"))
    return MeetingFacts(
        quarter=quarter,
        account=shared,
        kpis=tuple(r for r in results if r.kind != "SLA"),
        slas=tuple(r for r in results if r.kind == "SLA"),
        unmeasured=tuple(k.name for k in shared.kpis if k.history and k.name not in measured),
        delivered=tuple(a for a in shared.actions if _completed_in(a, quarter)),
        won=tuple(o for o in shared.opportunities if o.is_won and quarter.contains(o.close_date)),
        open_items=open_items,
        priorities=priorities,
        milestones=tuple(sorted(milestones, key=lambda m: (m.when or date.max, m.what))),
        growth=shared.whitespace.candidates,
        products_held=tuple(dict.fromkeys(h.product for h in shared.holdings if h.is_active)),
        our_team=tuple(our_team),
        their_team=shared.stakeholders,
    )


def renewal_timeline(shared: Account, quarter: FiscalQuarter) -> tuple[Milestone, ...]:
    """The dates of the contract cycle the customer may see (no amounts, no internal status)."""
    lines: list[Milestone] = []
    renewal = shared.renewal.date
    current = [c for c in shared.contracts if c.end is None or c.end >= quarter.start]
    for n, contract in enumerate(current, start=1):
        which = f"Contract {n} of {len(current)}" if len(current) > 1 else "Contract"
        if contract.start is not None:
            lines.append(Milestone(contract.start, f"{which} started"))
        if contract.end is not None:
            ends = f"{which} ends" + ("; renewal date" if contract.end == renewal else "")
            lines.append(Milestone(contract.end, ends))
    if renewal is not None and all(c.end != renewal for c in current):
        lines.append(Milestone(renewal, "Renewal date"))
    if lines:
        lines.append(Milestone(shared.as_of, "This review"))
    for day, what in (
        (shared.cadence.next_qbr_due, "Next quarterly business review due"),
        (shared.cadence.next_ebr_due, "Next executive business review due"),
    ):
        if lines and day is not None and day > shared.as_of:
            lines.append(Milestone(day, what))
    return tuple(sorted(lines, key=lambda m: (m.when or date.max, m.what)))


# --------------------------------------------------------------------------- internal facts


@dataclass(frozen=True, slots=True)
class OurAttendee:
    """Someone from our side who should be in the room, and why."""

    person: Person
    role: str
    reason: str


@dataclass(frozen=True, slots=True)
class RoomRisk:
    """A risk to handle in the room: what, how serious, how to handle it, who."""

    risk: str
    severity: str | None
    handling: str | None
    owner: str | None


_EXECUTIVE_SPONSOR = "executive sponsor"
_SALES_ENGINEER = "sales engineer"
CUSTOMER_SUCCESS = "customer success"
_KEY_ACCOUNT_MANAGER = "key account manager"


def customer_attendees(account: Account) -> tuple[Stakeholder, ...]:
    """Who should attend from the customer: key stakeholders, else executives, else the top
    of the org chart; most influential first."""
    people = [s for s in account.stakeholders if s.is_key]
    if not people:
        people = [s for s in account.stakeholders if s.is_executive]
    if not people:
        top = min((s.depth for s in account.stakeholders), default=0)
        people = [s for s in account.stakeholders if s.depth == top]
    return tuple(sorted(people, key=lambda s: (-(s.influence or 0), s.depth, s.name, s.id)))


def our_attendees(account: Account, meeting: MeetingFacts,
                  attendees: tuple[Stakeholder, ...]) -> tuple[OurAttendee, ...]:
    """Who should attend from our side, each with the reason, derived from the facts."""
    chosen: dict[str, OurAttendee] = {}

    def add(person: Person | None, role: str, reason: str) -> None:
        if person is not None and person.id not in chosen:
            chosen[person.id] = OurAttendee(person, role, reason)

    def by_role(word: str) -> list[TeamMember]:
        return [m for m in meeting.our_team if word in m.role.lower()]

    kams = by_role(_KEY_ACCOUNT_MANAGER) or by_role("account owner")
    for member in kams[:1]:
        add(member.user, member.role, "leads the review")
    executives = [s.name for s in attendees if s.is_executive]
    for member in by_role(_EXECUTIVE_SPONSOR):
        reason = f"peer for {listing(executives, 3)}" if executives else "executive sponsor"
        add(member.user, member.role, reason)
    for s in attendees:
        access = s.access
        if access is not None and access.owner is not None and access.kind != "none":
            role = access.owner_role or "relationship owner"
            add(access.owner, role, f"owns the relationship with {s.name}")
    if meeting.growth:
        for member in by_role(_SALES_ENGINEER)[:1]:
            add(member.user, member.role,
                f"{plural(len(meeting.growth), 'growth area')} to explore")
    missed = [r.name for r in (*meeting.kpis, *meeting.slas) if r.is_met is False]
    overdue = sum(1 for a in meeting.open_items if a.is_overdue)
    if missed or overdue:
        for member in by_role(CUSTOMER_SUCCESS)[:1]:
            why = f"{len(missed)} targets missed" if missed else f"{overdue} items past due"
            add(member.user, member.role, f"answers for delivery ({why})")
    return tuple(chosen.values())


def room_risks(account: Account, meeting: MeetingFacts,
               attendees: tuple[Stakeholder, ...]) -> tuple[RoomRisk, ...]:
    """Recorded open risks first, then the ones the numbers raise for this meeting."""
    risks = [
        RoomRisk(r.name, r.severity, r.mitigation, r.owner)
        for r in account.risks
        if (r.status or "").strip().lower() not in ("closed", "resolved")
    ]
    detractors = set(account.relationships.detractors)
    for s in attendees:
        if s.id in detractors or (s.stance or "").lower() == "detractor":
            via = s.access.description if s.access is not None else "none"
            risks.append(RoomRisk(
                f"Detractor in the room: {s.name}" + (f" ({s.title})" if s.title else ""),
                "High",
                f"Meet them before the review; access path: {via}",
                s.access.owner.name if s.access is not None and s.access.owner else None,
            ))
    for result in meeting.slas:
        if result.is_met is False:
            risks.append(RoomRisk(
                f"{result.name} SLA missed in {len(result.missed_periods)} of "
                f"{plural(len(result.periods), 'period')}",
                "High",
                "Acknowledge it first; bring the root cause and the fix with a date",
                None,
            ))
    overdue = [a for a in meeting.open_items if a.is_overdue]
    if overdue:
        worst = max(overdue, key=lambda a: a.days_overdue)
        risks.append(RoomRisk(
            f"{plural(len(overdue), 'shared open item')} past due "
            f"(longest {plural(worst.days_overdue, 'day')})",
            "Medium",
            "Agree a new date and owner for each before the meeting ends",
            worst.owner.name if worst.owner else None,
        ))
    stale = set(account.relationships.stale_key_stakeholders)
    for s in attendees:
        if s.id in stale:
            risks.append(RoomRisk(
                f"No contact with {s.name} recently",
                "Medium",
                "Call before the review; do not let the QBR be the first touch in months",
                s.access.owner.name if s.access is not None and s.access.owner else None,
            ))
    return tuple(risks)


