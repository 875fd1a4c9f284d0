"""The portfolio-level files of a run: portfolio.xlsx, the Salesforce CSVs, index.html, log.

All are computed from the loaded portfolio and the manifest's final item states (never
from this run's counters), so an interrupted-then-resumed run writes the same bytes as an
uninterrupted one. Each file is written atomically through :mod:`kamdocs.writer`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from kamdocs.batch.manifest import FAILED, ItemRecord
from kamdocs.batch.report import report_html
from kamdocs.batch.salesforce import salesforce_files
from kamdocs.batch.tables import build_results, cadence, overdue_by_owner
from kamdocs.config import Settings
from kamdocs.exports import expansion_report, renewal_report, tier_report, xlsx_bytes
from kamdocs.model import Account, Portfolio, RejectedAccount
from kamdocs.writer import write_atomic

WORKBOOK = "portfolio.xlsx"
REPORT = "index.html"
LOG = "batch.log"


def write_reports(
    out: Path,
    portfolio: Portfolio,
    accounts: Sequence[Account],
    records: Sequence[ItemRecord],
    rejected: Sequence[RejectedAccount],
    settings: Settings,
) -> tuple[str, ...]:
    """Write every portfolio-level file; returns their paths relative to ``out``."""
    # The selected accounts only (--tier / --accounts), as the exports expect a portfolio.
    selected = dataclasses.replace(portfolio, accounts=tuple(accounts), rejected=tuple(rejected))
    sheets = (
        tier_report(selected),
        renewal_report(selected),
        expansion_report(selected),
        overdue_by_owner(accounts),
        cadence(accounts),
        build_results(records, rejected),
    )
    files: dict[str, bytes] = {
        WORKBOOK: xlsx_bytes(sheets, portfolio.as_of, portfolio.company),
    }
    files.update(salesforce_files(selected, settings))
    files[REPORT] = report_html(
        accounts, records, rejected, settings, company=portfolio.company,
        source=portfolio.source, as_of=portfolio.as_of,
    ).encode("utf-8")
    files[LOG] = failure_log(records, rejected).encode("utf-8")
    for name, data in files.items():
        write_atomic(out / name, data)
    return tuple(files)


def failure_log(records: Sequence[ItemRecord], rejected: Sequence[RejectedAccount]) -> str:
    """Every failed item with its reason and traceback, then every rejected account."""
    failed = [r for r in records if r.status == FAILED]
    lines = [
        f"kamdocs batch: {len(records) - len(failed)} of {len(records)} documents built, "
        f"{len(failed)} failed, {len(rejected)} accounts rejected by validation",
        "",
    ]
    for record in failed:
        lines += [
            f"FAILED {record.account_id} ({record.account_name}) {record.kind} "
            f"[{record.audience}]: {record.error}",
        ]
        if record.traceback:
            lines += ["    " + line for line in record.traceback.rstrip().splitlines()]
        lines.append("")
    for bad in rejected:
        lines.append(f"REJECTED {bad.id} ({bad.name or 'no name'}):")
        lines += [f"    {reason}" for reason in bad.reasons]
        lines.append("")
    return "\n".join(lines)
