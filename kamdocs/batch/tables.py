"""The batch's own sheets of portfolio.xlsx, as :class:`kamdocs.exports.Report` tables.

Tiers, renewals and expansion candidates come from :mod:`kamdocs.exports` as they are
(the same tables as ``kamdocs tier/renewals/expansion``); this module adds the overdue
actions grouped by owner, the QBR/EBR cadence and the build results. Rows are plain typed
values (str, int, float, Decimal, date, bool, None for missing) in a documented order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kamdocs.batch.manifest import FAILED, ItemRecord
from kamdocs.batch.select import account_tier
from kamdocs.exports import BOOL, DATE, INT, Column, Report
from kamdocs.model import Account, RejectedAccount


def overdue_by_owner(accounts: Sequence[Account]) -> Report:
    """Overdue actions by owner (no owner last), most days overdue first, then account, id."""
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
    return Report("Overdue actions by owner", (
        Column("Owner"), Column("Account Id"), Column("Account"), Column("Action"),
        Column("Due", DATE), Column("Days overdue", INT), Column("Priority"),
        Column("Success measure"), Column("Escalation path"), Column("Task Id"),
    ), tuple(rows))


def cadence(accounts: Sequence[Account]) -> Report:
    """Accounts with an overdue QBR or EBR first, then by tier (none last), then id."""
    rows = []
    for a in accounts:
        c = a.cadence
        rows.append((
            a.id, a.name, account_tier(a), c.last_qbr, c.next_qbr_due, c.is_qbr_overdue,
            c.qbrs_held_12m, c.qbrs_planned_12m, c.last_ebr, c.next_ebr_due, c.is_ebr_overdue,
        ))
    rows.sort(key=lambda r: (not (r[5] or r[10]), r[2] if r[2] is not None else 99, r[0]))
    return Report("QBR and EBR cadence", (
        Column("Account Id"), Column("Account"), Column("Tier", INT),
        Column("Last QBR", DATE), Column("Next QBR due", DATE), Column("QBR overdue", BOOL),
        Column("QBRs held (12 months)", INT), Column("QBRs planned (12 months)", INT),
        Column("Last EBR", DATE), Column("Next EBR due", DATE), Column("EBR overdue", BOOL),
    ), tuple(rows))


def build_results(records: Sequence[ItemRecord], rejected: Sequence[RejectedAccount]) -> Report:
    """Every item's final state by account, document, audience; then rejected accounts.

    "built" covers items built in this run and items verified and kept from an earlier
    one: the sheet describes the folder, so an interrupted-then-resumed run and an
    uninterrupted one give the same sheet.
    """
    rows: list[tuple[str | date | None, ...]] = []
    for r in sorted(records, key=lambda r: (r.account_id, r.kind, r.audience)):
        status = "failed" if r.status == FAILED else "built"
        reason = r.error if r.status == FAILED else "; ".join(r.problems) or None
        rows.append((r.account_id, r.account_name, r.kind, r.audience, status, r.output_path,
                     r.output_hash, reason))
    for bad in sorted(rejected, key=lambda b: b.id):
        rows.append((bad.id, bad.name, None, None, "rejected", None, None,
                     "; ".join(bad.reasons)))
    return Report("Build results", (
        Column("Account Id"), Column("Account"), Column("Document"), Column("Audience"),
        Column("Status"), Column("File"), Column("SHA-256"), Column("Reason"),
    ), tuple(rows))
