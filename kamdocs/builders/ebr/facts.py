"""The facts of one account's year for the executive review: pure functions of the account.

Everything here reads the frozen model and returns plain values; nothing is drawn. The deck
is built from facts of the CUSTOMER view only; the briefing also reads internal fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from kamdocs.builders.qbr.facts import Measure, is_met, is_open_goal
from kamdocs.errors import RenderError, UsageError
from kamdocs.formatting import add_months, fiscal_quarter, quarter_bounds
from kamdocs.model import (
    Account,
    Action,
    ActionStatus,
    ArrBridge,
    Goal,
    Kpi,
    Meeting,
    Person,
    Stakeholder,
    TeamMember,
)

# --------------------------------------------------------------------------- the year


@dataclass(frozen=True, slots=True)
class ReviewYear:
    """The period an EBR reviews: a fiscal year (or its part up to as_of), or the 12 months
    ending at as_of. ``start`` and ``end`` are both inside the period."""

    #: "2026" (a complete fiscal year, or the 12 months ending in it), "2026 to date".
    label: str
    start: date
    end: date
    fiscal_year: int
    #: The whole period lies before as_of (False for a fiscal year still running).
    is_complete: bool
    #: The 12 months ending at as_of (the default), not a fiscal year.
    is_trailing: bool

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    @property
    def months(self) -> int:
        """Whole months the period covers (12 for a year; fewer for a year to date)."""
        after = self.end + timedelta(days=1)
        return max(1, (after.year - self.start.year) * 12 + after.month - self.start.month)


def review_year(year: int | None, as_of: date, start_month: int) -> ReviewYear:
    """The period to review: fiscal ``year`` (cut at ``as_of`` while it runs), or by default
    the 12 months ending at ``as_of``; a year that starts after ``as_of`` is a usage error."""
    if year is None:
        start = add_months(as_of, -12) + timedelta(days=1)
        fiscal, _ = fiscal_quarter(as_of, start_month)
        return ReviewYear(str(fiscal), start, as_of, fiscal, True, True)
    first, _ = quarter_bounds(f"{year}-Q1", start_month)
    _, last = quarter_bounds(f"{year}-Q4", start_month)
    if first > as_of:
        raise UsageError(f"fiscal year {year} starts on {first.isoformat()}, after the as-of "
                         f"date {as_of.isoformat()}: choose an earlier --year or a later --as-of")
    complete = last <= as_of
    label = str(year) if complete else f"{year} to date"
    return ReviewYear(label, first, min(last, as_of), year, complete, False)


# --------------------------------------------------------------------------- KPIs over the year


@dataclass(frozen=True, slots=True)
class Trend:
    """One KPI or SLA over the year: its measurements in the year and the one before it."""

    name: str
    kind: str
    unit: str | None
    higher_is_better: bool
    #: Measurements inside the year with an actual value, oldest first (never empty).
    points: tuple[Measure, ...]
    #: The last measurement before the year: where the year started from.
    opening: Measure | None

    @property
    def latest(self) -> Measure:
        return self.points[-1]

    @property
    def first(self) -> Measure:
        """Where the year started: the value before it, else the year's first value."""
        return self.opening or self.points[0]

    @property
    def is_sla(self) -> bool:
        return self.kind == "SLA"

    @property
    def target(self) -> float | None:
        return self.latest.target

    @property
    def periods_judged(self) -> int:
        return sum(1 for m in self.points if m.is_met is not None)

    @property
    def periods_met(self) -> int:
        return sum(1 for m in self.points if m.is_met)

    @property
    def is_met(self) -> bool | None:
        """KPIs: on target at the year's last measurement. SLAs: every period of the year
        (an SLA is a guarantee; one missed period misses it)."""
        if self.is_sla:
            return self.periods_met == self.periods_judged if self.periods_judged else None
        return self.latest.is_met

    @property
    def change(self) -> float | None:
        """Latest minus the year's starting value; None with a single measurement."""
        if self.first is self.latest or self.first.actual is None:
            return None
        return self.latest.actual - self.first.actual  # type: ignore[operator]

    @property
    def is_improvement(self) -> bool | None:
        change = self.change
        if change is None or change == 0:
            return None
        return (change > 0) == self.higher_is_better

    @property
    def movement(self) -> float:
        """How far the KPI moved over the year relative to its target (for ranking)."""
        change = self.change
        if change is None:
            return 0.0
        scale = abs(self.target) if self.target else abs(self.first.actual or 1.0) or 1.0
        return abs(change) / scale


def trends(kpis: tuple[Kpi, ...], year: ReviewYear) -> tuple[Trend, ...]:
    """Every KPI/SLA with at least one measurement in ``year``, in the model's order."""
    found = []
    for kpi in kpis:
        judged = [Measure(m.period_end, m.actual, m.target,
                          is_met(m.actual, m.target, kpi.higher_is_better))
                  for m in kpi.history if m.actual is not None]
        inside = tuple(m for m in judged if year.contains(m.period_end))
        if not inside:
            continue
        before = [m for m in judged if m.period_end < year.start]
        found.append(Trend(kpi.name, kpi.kind, kpi.unit, kpi.higher_is_better, inside,
                           before[-1] if before else None))
    return tuple(found)


def unmeasured(kpis: tuple[Kpi, ...], year: ReviewYear) -> tuple[str, ...]:
    """KPIs/SLAs on record with no measurement in ``year``."""
    measured = {t.name for t in trends(kpis, year)}
    return tuple(k.name for k in kpis if k.name not in measured)


# --------------------------------------------------------------------------- ARR bridge


#: The bridge's moves in the order the waterfall draws them: (ArrBridge field, sign). Each
#: document words them for its reader (the customer deck avoids CRM jargon).
BRIDGE_STEPS = (
    ("expansion", 1),
    ("new_products", 1),
    ("contraction", -1),
    ("churn", -1),
)


@dataclass(frozen=True, slots=True)
class Bridge:
    """The ARR bridge with its non-zero moves, signed: start + sum(moves) == end."""

    arr: ArrBridge
    #: (field, signed amount) of every move that is not zero, in drawing order.
    moves: tuple[tuple[str, Decimal], ...]
    #: Fields of the moves that were zero ("churn"), for the words ("no churn").
    zero: tuple[str, ...]

    @property
    def start(self) -> Decimal:
        return self.arr.start

    @property
    def end(self) -> Decimal:
        return self.arr.end

    @property
    def change(self) -> Decimal:
        return self.arr.end - self.arr.start

    @property
    def growth(self) -> float | None:
        return float(self.change / self.arr.start) if self.arr.start else None

    @property
    def gains(self) -> Decimal:
        return sum((v for _, v in self.moves if v > 0), Decimal(0))

    @property
    def losses(self) -> Decimal:
        return -sum((v for _, v in self.moves if v < 0), Decimal(0))


def bridge_of(account: Account) -> Bridge | None:
    """The account's ARR bridge, checked to add up exactly; None when the model has none."""
    arr = account.revenue.arr_bridge
    if arr is None:
        return None
    moves, zero = [], []
    for name, sign in BRIDGE_STEPS:
        amount = getattr(arr, name)
        if amount:
            moves.append((name, sign * amount))
        else:
            zero.append(name)
    total = arr.start + sum((v for _, v in moves), Decimal(0))
    if total != arr.end:
        # The data layer guarantees the identity; a bridge that does not add up must never
        # reach an executive as a chart.
        raise RenderError(f"{account.id} {account.name}: the ARR bridge does not add up "
                          f"(start {arr.start} + moves = {total}, end {arr.end})")
    return Bridge(arr, tuple(moves), tuple(zero))


# --------------------------------------------------------------------------- delivery


#: Goal statuses meaning "done" (compared case-insensitively).
ACHIEVED = ("achieved", "done", "complete", "completed")
MISSED_GOAL = ("missed", "cancelled")


def goal_state(goal: Goal) -> str:
    """"achieved", "missed", "at risk", "on track" or "open" (any other status)."""
    status = (goal.status or "").strip().lower()
    if status in ACHIEVED:
        return "achieved"
    if status in MISSED_GOAL:
        return "missed"
    if status in ("at risk", "off track", "behind"):
        return "at risk"
    if status in ("on track",):
        return "on track"
    return "open"


def year_goals(goals: tuple[Goal, ...], year: ReviewYear) -> tuple[Goal, ...]:
    """Goals the year is judged on: due in the year, or due earlier and still open."""
    return tuple(
        g for g in goals
        if year.contains(g.target_date)
        or (is_open_goal(g) and g.target_date is not None and g.target_date < year.start)
    )


def next_goals(goals: tuple[Goal, ...], year: ReviewYear) -> tuple[Goal, ...]:
    """Open goals for the year ahead: due after the reviewed year, or without a date."""
    return tuple(g for g in goals if is_open_goal(g) and goal_state(g) != "missed"
                 and (g.target_date is None or g.target_date > year.end))


@dataclass(frozen=True, slots=True)
class Delivery:
    """Shared actions of the year: due in it, delivered (done), on time, still past due."""

    due: tuple[Action, ...]
    delivered: tuple[Action, ...]
    on_time: int
    past_due: tuple[Action, ...]
    #: Done actions completed in the year (whatever their due date), newest first.
    completed: tuple[Action, ...]


def delivery(actions: tuple[Action, ...], year: ReviewYear) -> Delivery:
    due = tuple(a for a in actions if year.contains(a.due))
    delivered = tuple(a for a in due if a.status is ActionStatus.DONE)
    # Without a completion date a done action cannot be judged late: count it on time.
    on_time = sum(1 for a in delivered if a.completed is None or a.due is None
                  or a.completed <= a.due)
    past_due = tuple(a for a in actions if a.status is ActionStatus.OPEN and a.is_overdue)
    completed = tuple(sorted(
        (a for a in actions if a.status is ActionStatus.DONE
         and year.contains(a.completed or a.due)),
        key=lambda a: (a.completed or a.due or date.min, a.id), reverse=True))
    return Delivery(due, delivered, on_time, past_due, completed)


#: Objects whose absence from the input makes a count unknown rather than zero, named as
#: ``account.missing_data`` names them (builders do not import kamdocs.data).
EVENTS = "Event"


def knows(account: Account, obj: str) -> bool:
    """The input had ``obj`` (an absent Event table means "QBRs held: unknown", not 0)."""
    return obj not in account.missing_data


def meetings_in(meetings: tuple[Meeting, ...], kind: str, year: ReviewYear) -> tuple[Meeting, ...]:
    return tuple(m for m in meetings if m.kind == kind and year.contains(m.date))


def qbrs_planned(account: Account, year: ReviewYear) -> int:
    """QBRs the cadence plans in the reviewed period (the 12-month plan, pro rata)."""
    per_year = account.cadence.qbrs_planned_12m
    if year.is_trailing:
        return per_year
    return round(per_year * year.months / 12)


# --------------------------------------------------------------------------- people


@dataclass(frozen=True, slots=True)
class Sponsor:
    """Someone on our side who leads the relationship: a person and their account role."""

    person: Person
    role: str


_SPONSOR_ROLES = ("executive sponsor", "key account manager", "account owner")


def our_sponsors(account: Account) -> tuple[Sponsor, ...]:
    """Our executive sponsor(s) first, then the key account manager, then the owner."""
    chosen: dict[str, Sponsor] = {}
    members = list(account.team)
    if account.owner is not None:
        members.append(TeamMember(account.owner, "Account Owner"))
    for wanted in _SPONSOR_ROLES:
        for member in members:
            if wanted in member.role.lower() and member.user.id not in chosen:
                chosen[member.user.id] = Sponsor(member.user, member.role)
    return tuple(chosen.values())


def their_executives(account: Account) -> tuple[Stakeholder, ...]:
    """The customer's executives, most senior (highest in the org chart) first."""
    return tuple(sorted((s for s in account.stakeholders if s.is_executive),
                        key=lambda s: (s.depth, s.name, s.id)))


def next_window(as_of: date) -> tuple[date, date]:
    """The year ahead of the review: the day after as_of to 12 months later."""
    return as_of + timedelta(days=1), add_months(as_of, 12)
