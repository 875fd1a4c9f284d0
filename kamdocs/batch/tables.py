"""The portfolio's tables, as typed rows: one definition for portfolio.xlsx and index.html.

Each function takes model objects (never frames) and returns a :class:`Sheet`: column
labels with a type, and rows of plain typed values (str, int, float, Decimal, date, bool,
None for missing). Sort orders are stable and documented per sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kamdocs.batch.manifest import FAILED, ItemRecord
from kamdocs.batch.select import account_tier
from kamdocs.model import Account, RejectedAccount

Cell = str | int | float | Decimal | date | bool | None

TEXT, MONEY, INT, NUMBER, PERCENT, DATE, BOOL = (
    "text", "money", "int", "number", "percent", "date", "bool",
)


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]


def tiers_sheet(accounts: Sequence[Account], currency: str) -> Sheet:
    """Tier changes first, then by proposed tier, score (high first), id."""
    rows = []
    for a in accounts:
        t = a.tiering
        rows.append((
            a.id, a.name, t.current_tier, t.proposed_tier, t.is_change, t.score,
            t.revenue_rank, a.revenue.current_annual, t.reason,
        ))
    rows.sort(key=lambda r: (not r[4], _last(r[3]), -(r[5] or 0.0), r[0]))
    return Sheet("Tiers", (
        Column("Account Id"), Column("Account"), Column("Current tier", INT),
        Column("Proposed tier", INT), Column("Tier change", BOOL), Column("Score", NUMBER),
        Column("Revenue rank", INT), Column(f"Annual revenue ({currency})", MONEY),
        Column("Reason"),
    ), tuple(rows))


def renewals_sheet(accounts: Sequence[Account], currency: str) -> Sheet:
    """By renewal date (accounts without one last), then id."""
    rows = []
    for a in accounts:
        r = a.renewal
        rows.append((
            a.id, a.name, r.date, r.source, r.status.value if r.status else None,
            r.window_opens, r.window_late, r.opportunity_id, r.opportunity_amount,
            r.retention, r.retention_target, r.meets_target, r.proposed_name,
            r.proposed_close_date,
        ))
    rows.sort(key=lambda r: (r[2] is None, r[2] or date.min, r[0]))
    return Sheet("Renewals", (
        Column("Account Id"), Column("Account"), Column("Renewal date", DATE),
        Column("Date from"), Column("Status"), Column("Window opens", DATE),
        Column("Late from", DATE), Column("Renewal opportunity"),
        Column(f"Renewal amount ({currency})", MONEY), Column("Retention", PERCENT),
        Column("Retention target", PERCENT), Column("Meets target", BOOL),
        Column("Proposed opportunity"), Column("Proposed close date", DATE),
    ), tuple(rows))


def expansion_sheet(accounts: Sequence[Account], currency: str) -> Sheet:
    """Every expansion candidate: by score (high first), then account id, product."""
    rows = []
    for a in accounts:
        for c in a.whitespace.candidates:
            rows.append((
                a.id, a.name, c.product, c.business_unit, c.region, c.use_case,
                c.current, c.potential, c.whitespace, c.open_pipeline, c.uncovered, c.score,
                c.is_covered,
            ))
    rows.sort(key=lambda r: (-(r[11] or 0.0), r[0], r[2], r[3] or "", r[4] or "", r[5] or ""))
    return Sheet("Expansion candidates", (
        Column("Account Id"), Column("Account"), Column("Product"), Column("Business unit"),
        Column("Region"), Column("Use case"), Column(f"Current ({currency})", MONEY),
        Column(f"Potential ({currency})", MONEY), Column(f"Whitespace ({currency})", MONEY),
        Column(f"Open pipeline ({currency})", MONEY), Column(f"Uncovered ({currency})", MONEY),
        Column("Score", NUMBER), Column("Covered by pipeline", BOOL),
    ), tuple(rows))


def overdue_sheet(accounts: Sequence[Account]) -> Sheet:
    """Overdue actions by owner (no owner last), most days overdue first, then id."""
    rows = []
    for a in accounts:
        for action in a.actions:
            if not action.is_overdue:
                continue
            owner = action.owner.name if action.owner else None
            rows.append((
                owner, a.id, a.name, action.subject, action.due, action.days_overdue,
                action.priority, action.success_measure, action.escalation_path, action.id,
            ))
    rows.sort(key=lambda r: (r[0] is None, r[0] or "", -r[5], r[1], r[9]))
    return Sheet("Overdue actions", (
        Column("Owner"), Column("Account Id"), Column("Account"), Column("Action"),
        Column("Due", DATE), Column("Days overdue", INT), Column("Priority"),
        Column("Success measure"), Column("Escalation path"), Column("Task Id"),
    ), tuple(rows))


def cadence_sheet(accounts: Sequence[Account]) -> Sheet:
    """Overdue reviews first, then by tier (none last), then id."""
    rows = []
    for a in accounts:
        c = a.cadence
        rows.append((
            a.id, a.name, account_tier(a), c.last_qbr, c.next_qbr_due, c.is_qbr_overdue,
            c.qbrs_held_12m, c.qbrs_planned_12m, c.last_ebr, c.next_ebr_due, c.is_ebr_overdue,
        ))
    rows.sort(key=lambda r: (not (r[5] or r[10]), _last(r[2]), r[0]))
    return Sheet("QBR-EBR cadence", (
        Column("Account Id"), Column("Account"), Column("Tier", INT),
        Column("Last QBR", DATE), Column("Next QBR due", DATE), Column("QBR overdue", BOOL),
        Column("QBRs held (12 months)", INT), Column("QBRs planned (12 months)", INT),
        Column("Last EBR", DATE), Column("Next EBR due", DATE), Column("EBR overdue", BOOL),
    ), tuple(rows))


def results_sheet(
    records: Sequence[ItemRecord], rejected: Sequence[RejectedAccount]
) -> Sheet:
    """Every item's final state, by account, document, audience; then rejected accounts.

    "built" covers items built in this run and items verified and kept from an earlier
    one: the sheet describes the folder, so an interrupted-then-resumed run and an
    uninterrupted one give the same sheet.
    """
    rows: list[tuple[Cell, ...]] = []
    for r in sorted(records, key=lambda r: (r.account_id, r.kind, r.audience)):
        status = "failed" if r.status == FAILED else "built"
        reason = r.error if r.status == FAILED else "; ".join(r.problems) or None
        rows.append((
            r.account_id, r.account_name, r.kind, r.audience, status, r.output_path,
            r.output_hash, reason,
        ))
    for bad in sorted(rejected, key=lambda b: b.id):
        rows.append((bad.id, bad.name, None, None, "rejected", None, None,
                     "; ".join(bad.reasons)))
    return Sheet("Build results", (
        Column("Account Id"), Column("Account"), Column("Document"), Column("Audience"),
        Column("Status"), Column("File"), Column("SHA-256"), Column("Reason"),
    ), tuple(rows))


def _last(value: int | None) -> int:
    return value if value is not None else 1_000_000
