"""Portfolio reports as tables, and their safe CSV / XLSX bytes (nothing here writes files).

A :class:`Report` is a title, typed columns and rows of plain values (``Decimal`` money,
``date``, ``int``, ``float`` shares, ``bool``, ``str``, ``None`` = missing). The command line
prints it, ``-o`` writes it, the batch puts it in ``portfolio.xlsx``:

    tier_report(portfolio)                     the tier list, changes first
    renewal_report(portfolio)                  renewal status of every account
    expansion_report(portfolio)                expansion candidates, best score first
    action_report(portfolio, overdue_only=False, owner=None)
    csv_bytes(report) -> bytes                 UTF-8, header row, CRLF, formula-safe
    xlsx_bytes(reports, as_of, company) -> bytes   one sheet per report, typed cells,
                                               frozen header, filters, formula-safe,
                                               byte-identical for the same input

Salesforce Data Loader files (``Id``/``AccountId`` ... columns, dates YYYY-MM-DD, amounts
with two decimals):

    salesforce_tier_update(portfolio) -> bytes         Id, Account_Tier__c (changes only)
    salesforce_renewal_insert(portfolio, settings)     missing renewal opportunities
    salesforce_expansion_insert(portfolio, settings)   one opportunity per candidate

Formula safety: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading apostrophe (OWASP "CSV injection"), in every CSV and XLSX we write,
Data Loader files included. Numbers and dates are written as numbers and dates, never as
text, so a negative amount stays a number.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kamdocs.config import Settings
from kamdocs.data import schemas as s
from kamdocs.model import Account, Portfolio, RenewalStatus

TEXT, MONEY, DATE, INT, SHARE, NUMBER, BOOL = (
    "text", "money", "date", "int", "share", "number", "bool",
)
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
#: Excel's limit on a sheet name, and the characters it refuses in one.
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
#: Expansion opportunities are proposed to close this many days after as_of.
EXPANSION_CLOSE_DAYS = 90


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT


@dataclass(frozen=True)
class Report:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]

    def records(self) -> list[dict[str, Any]]:
        """Rows as {column name: value} (for JSON output)."""
        names = [c.name for c in self.columns]
        return [dict(zip(names, row, strict=True)) for row in self.rows]


def safe_text(value: str) -> str:
    """``value`` made inert for a spreadsheet: a leading formula character gets an apostrophe."""
    return "'" + value if value.startswith(_DANGEROUS) else value


# --------------------------------------------------------------------------- reports


def tier_report(portfolio: Portfolio) -> Report:
    columns = (
        Column("Account Id"), Column("Account"), Column("Current tier", INT),
        Column("Proposed tier", INT), Column("Change", BOOL), Column("Score", NUMBER),
        Column("Rank", INT), Column("Annual revenue", MONEY), Column("Strategic value", INT),
        Column("Whitespace", MONEY), Column("Reason"),
    )
    accounts = sorted(portfolio.accounts, key=lambda a: (
        not a.tiering.is_change, a.tiering.rank or 0, a.id))
    rows = tuple(
        (a.id, a.name, a.tiering.current_tier, a.tiering.proposed_tier, a.tiering.is_change,
         a.tiering.score, a.tiering.rank, a.revenue.current_annual, a.strategic_value,
         a.whitespace.total_whitespace, a.tiering.reason)
        for a in accounts
    )
    return Report("Tiers", columns, rows)


_RENEWAL_URGENCY = {
    RenewalStatus.LATE: 0, RenewalStatus.MISSING: 1, RenewalStatus.LAPSED: 2,
    RenewalStatus.COVERED: 3, RenewalStatus.NOT_IN_WINDOW: 4, RenewalStatus.RENEWED: 5,
    RenewalStatus.NO_DATE: 6,
}


def renewal_report(portfolio: Portfolio) -> Report:
    columns = (
        Column("Account Id"), Column("Account"), Column("Renewal date", DATE),
        Column("Source"), Column("Status"), Column("Window opens", DATE),
        Column("Late from", DATE), Column("Renewal opportunity"),
        Column("Renewal amount", MONEY), Column("Annual revenue", MONEY),
        Column("Retention", SHARE), Column("Meets target", BOOL), Column("Proposed name"),
        Column("Proposed close date", DATE), Column("Proposed amount", MONEY),
    )
    accounts = sorted(portfolio.accounts, key=lambda a: (
        _RENEWAL_URGENCY[a.renewal.status], a.renewal.date or date.max, a.name, a.id))
    rows = tuple(
        (a.id, a.name, r.date, r.source, r.status.value, r.window_opens, r.window_late,
         r.opportunity_id, r.opportunity_amount, a.revenue.current_annual, r.retention,
         r.meets_target, r.proposed_name, r.proposed_close_date, r.proposed_amount)
        for a in accounts
        for r in (a.renewal,)
    )
    return Report("Renewals", columns, rows)


def expansion_report(portfolio: Portfolio) -> Report:
    columns = (
        Column("Account Id"), Column("Account"), Column("Product"), Column("Business unit"),
        Column("Region"), Column("Use case"), Column("Whitespace", MONEY),
        Column("Open pipeline", MONEY), Column("Uncovered", MONEY), Column("Score", NUMBER),
    )
    found = [(a, cell) for a in portfolio.accounts for cell in a.whitespace.candidates]
    found.sort(key=lambda pair: (-(pair[1].score or 0.0), pair[0].id, pair[1].product))
    rows = tuple(
        (a.id, a.name, c.product, c.business_unit, c.region, c.use_case, c.whitespace,
         c.open_pipeline, c.uncovered, c.score)
        for a, c in found
    )
    return Report("Expansion", columns, rows)


def action_report(
    portfolio: Portfolio, overdue_only: bool = False, owner: str | None = None
) -> Report:
    """Actions of every account: overdue first (most days first), then by due date."""
    columns = (
        Column("Account Id"), Column("Account"), Column("Action"), Column("Owner"),
        Column("Due", DATE), Column("Status"), Column("Overdue", BOOL),
        Column("Days overdue", INT), Column("Priority"), Column("Success measure"),
        Column("Escalation path"), Column("Data gaps"),
    )
    wanted = owner.strip().casefold() if owner else None
    found = []
    for account in portfolio.accounts:
        for action in account.actions:
            if overdue_only and not action.is_overdue:
                continue
            if wanted is not None and not _is_owner(action.owner, wanted):
                continue
            found.append((account, action))
    found.sort(key=lambda pair: (
        not pair[1].is_overdue, -pair[1].days_overdue, pair[1].status.value != "open",
        pair[1].due or date.max, pair[0].id, pair[1].id))
    rows = tuple(
        (a.id, a.name, x.subject, x.owner.name if x.owner else None, x.due, x.status.value,
         x.is_overdue, x.days_overdue, x.priority, x.success_measure, x.escalation_path,
         "; ".join(x.data_gaps) or None)
        for a, x in found
    )
    return Report("Actions", columns, rows)


def _is_owner(person: Any, wanted: str) -> bool:
    return person is not None and wanted in (person.name.casefold(), person.id.casefold())


def action_owners(portfolio: Portfolio) -> list[str]:
    """Every action owner's name, sorted (for "unknown owner" messages)."""
    names = {x.owner.name for a in portfolio.accounts for x in a.actions if x.owner}
    return sorted(names, key=str.casefold)


# --------------------------------------------------------------------------- Salesforce


def _loader_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return csv_bytes(Report("", tuple(Column(h) for h in header), tuple(map(tuple, rows))))


def _tier_value(tier: int) -> str:
    return s.TIERS[tier - 1]


def salesforce_tier_update(portfolio: Portfolio) -> bytes:
    """Data Loader update: Id, Account_Tier__c for every account whose tier changes."""
    rows = [
        (a.id, _tier_value(a.tiering.proposed_tier))
        for a in portfolio.accounts
        if a.tiering.is_change and a.tiering.proposed_tier is not None
    ]
    return _loader_csv((s.ID, s.ACCOUNT_TIER), rows)


_INSERT_HEADER = (s.ACCOUNT_ID, s.NAME, s.TYPE, s.STAGE_NAME, s.CLOSE_DATE, s.AMOUNT, s.OWNER_ID)


def renewal_opportunities(portfolio: Portfolio, settings: Settings) -> list[tuple[Any, ...]]:
    """Insert rows for the renewal opportunities that are missing (or late)."""
    options = settings.opportunities
    return [
        (a.id, a.renewal.proposed_name, options.renewal_type, options.new_stage,
         a.renewal.proposed_close_date, a.renewal.proposed_amount,
         a.owner.id if a.owner else None)
        for a in portfolio.accounts
        if a.renewal.proposed_name is not None
    ]


def expansion_opportunities(portfolio: Portfolio, settings: Settings) -> list[tuple[Any, ...]]:
    """Insert rows for every expansion candidate, for its uncovered whitespace."""
    options = settings.opportunities
    close = portfolio.as_of + timedelta(days=EXPANSION_CLOSE_DAYS)
    return [
        (a.id, expansion_name(a, c.product, c.business_unit, c.region, c.use_case),
         options.expansion_type, options.new_stage, close, c.uncovered,
         a.owner.id if a.owner else None)
        for a in portfolio.accounts
        for c in a.whitespace.candidates
    ]


def expansion_name(account: Account, *dimensions: str | None) -> str:
    """"Acme Corp - Expansion Analytics (Finance, EMEA, Reporting)"."""
    product, *rest = dimensions
    detail = ", ".join(d for d in rest if d)
    return f"{account.name} - Expansion {product}" + (f" ({detail})" if detail else "")


def salesforce_renewal_insert(portfolio: Portfolio, settings: Settings) -> bytes:
    return _loader_csv(_INSERT_HEADER, renewal_opportunities(portfolio, settings))


def salesforce_expansion_insert(portfolio: Portfolio, settings: Settings) -> bytes:
    return _loader_csv(_INSERT_HEADER, expansion_opportunities(portfolio, settings))


# --------------------------------------------------------------------------- bytes


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return safe_text(str(value))


def csv_bytes(report: Report) -> bytes:
    """The report as UTF-8 CSV (no BOM), header row first, RFC 4180 CRLF line ends: with
    them the csv module quotes a field holding a lone CR too, which LF endings would not."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_text(c.name) for c in report.columns])
    for row in report.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")


_FORMATS = {MONEY: "#,##0.00", DATE: "yyyy-mm-dd", SHARE: "0.0%", NUMBER: "0.0000", INT: "0"}


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return safe_text(value)
    return value


def sheet_title(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters at most, no []:*?/\\)."""
    base = _SHEET_NAME.sub(" ", title).strip()[:31] or "Sheet"
    name, number = base, 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name.casefold())
    return name


def xlsx_bytes(reports: Sequence[Report], as_of: date, company: str = "") -> bytes:
    """One sheet per report; typed cells; frozen, bold, filtered header; identical bytes for
    identical input (core-property dates and zip timestamps are as_of)."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for report in reports:
        sheet = book.create_sheet(sheet_title(report.title, taken))
        sheet.append([safe_text(c.name) for c in report.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in report.rows:
            sheet.append([_xlsx_value(v) for v in row])
        widths = [len(c.name) for c in report.columns]
        for index, column in enumerate(report.columns, start=1):
            number_format = _FORMATS.get(column.kind)
            letter = get_column_letter(index)
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = number_format
            for row in report.rows[:200]:
                widths[index - 1] = max(widths[index - 1], len(_csv_cell(row[index - 1])))
            sheet.column_dimensions[letter].width = min(max(widths[index - 1] + 2, 8), 60)
        sheet.freeze_panes = "A2"
        last = get_column_letter(max(len(report.columns), 1))
        sheet.auto_filter.ref = f"A1:{last}{max(len(report.rows) + 1, 1)}"
    if not reports:
        book.create_sheet("Empty")
    stamp = datetime.combine(as_of, time())
    book.properties.creator = company or None
    book.properties.lastModifiedBy = company or None
    book.properties.created = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    return _pin_zip(buffer.getvalue(), stamp)


def _pin_zip(data: bytes, stamp: datetime) -> bytes:
    """The same zip with every entry dated ``stamp`` and the core properties' modified date
    set to it (openpyxl stamps both with the current time)."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            payload = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + iso.encode() + rb"\g<2>", payload,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, payload)
    return out.getvalue()
