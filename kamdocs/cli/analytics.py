"""Commands over the KAM analytics: ``model``, ``tier``, ``renewals``, ``expansion``,
``actions``, ``review``.

Each loads the portfolio (``--config``, ``--as-of``: the flag, else the config's ``as_of``,
else today's date - the only clock in kamdocs), prints a readable table, ``--json`` prints
machine-readable JSON instead, and ``-o FILE`` writes the table as .csv or .xlsx (by suffix,
formula-safe; ``model`` writes .json). Exit codes: 0 ok, 2 usage, 3 input rejected.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from kamdocs import exports
from kamdocs.audience import view_for
from kamdocs.cli import main
from kamdocs.config import Settings
from kamdocs.data import load_portfolio, resolve_settings
from kamdocs.errors import UsageError
from kamdocs.exports import Report
from kamdocs.formatting import (
    MISSING,
    format_date,
    format_money,
    format_number,
    format_percent,
)
from kamdocs.model import Account, Audience, Portfolio
from kamdocs.pipeline import find_account, read_previous, review_account
from kamdocs.serialize import canonical_json, dumps_account, to_data
from kamdocs.writer import write_atomic

_NUMERIC = {exports.MONEY, exports.INT, exports.SHARE, exports.NUMBER}


# --------------------------------------------------------------------------- shared options


def _common(command: Callable[..., Any]) -> Callable[..., Any]:
    """DATA, --config, --as-of, --json, -o: the options every analytics command takes."""
    decorators = [
        click.argument("data"),
        click.option("--config", "config_path", default=None, metavar="FILE",
                     help="Config file (default: kamdocs.toml beside DATA)."),
        click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
                     default=None, metavar="YYYY-MM-DD",
                     help="Review date (default: the config's as_of, else today)."),
        click.option("--json", "as_json", is_flag=True, help="Print JSON for machines."),
        click.option("-o", "--output", default=None, metavar="FILE",
                     help="Also write the table to FILE (.csv or .xlsx)."),
    ]
    return functools.reduce(lambda f, d: d(f), reversed(decorators), command)


def _load(data: str, config_path: str | None, as_of: datetime | None) -> tuple[Portfolio, Settings]:
    settings = resolve_settings(data, config_path)
    # The command line is the one place allowed to read the clock.
    when = as_of.date() if as_of else settings.as_of or date.today()
    return load_portfolio(data, config=settings, as_of=when), settings


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _cell(value: Any, kind: str, settings: Settings) -> str:
    if value is None:
        return MISSING
    if kind == exports.MONEY:
        return format_money(value, settings)
    if kind == exports.DATE:
        return format_date(value, settings)
    if kind == exports.SHARE:
        return format_percent(value, settings)
    if kind == exports.NUMBER:
        return format_number(value, settings, 2)
    if kind == exports.INT:
        return format_number(value, settings)
    if kind == exports.BOOL:
        return "yes" if value else "no"
    return str(value)


def _print_report(report: Report, settings: Settings, caption: str = "") -> None:
    table = Table(title=report.title, caption=caption or None, show_lines=False)
    for column in report.columns:
        table.add_column(column.name, justify="right" if column.kind in _NUMERIC else "left",
                         overflow="fold")
    for row in report.rows:
        table.add_row(*(_cell(v, c.kind, settings) for v, c in zip(row, report.columns,
                                                                    strict=True)))
    _console().print(table)


def _write(output: str, reports: list[Report], portfolio: Portfolio) -> None:
    path = Path(output)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if len(reports) != 1:
            raise UsageError(f"{output}: this command writes several tables; use .xlsx")
        data = exports.csv_bytes(reports[0])
    elif suffix == ".xlsx":
        data = exports.xlsx_bytes(reports, portfolio.as_of, portfolio.company)
    else:
        raise UsageError(f"{output}: write .csv or .xlsx (by the file's suffix)")
    write_atomic(path, data)
    rows = sum(len(r.rows) for r in reports)
    click.echo(f"Wrote {path} ({rows} rows)", err=True)


def _write_loader_file(path: str, data: bytes, rows: int, what: str) -> None:
    write_atomic(Path(path), data)
    click.echo(f"Wrote {path} ({rows} {what})", err=True)


def _check_loader_path(path: str | None) -> None:
    # Checked before loading, so a typo fails fast rather than after the whole load.
    if path is not None and Path(path).suffix.lower() != ".csv":
        raise UsageError(f"{path}: a Data Loader file is a .csv")


def _finish(report: Report, portfolio: Portfolio, settings: Settings, as_json: bool,
            output: str | None, caption: str) -> None:
    if as_json:
        click.echo(canonical_json({
            "as_of": portfolio.as_of.isoformat(), "rows": to_data(report.records()),
            "summary": caption,
        }), nl=False)
    else:
        _print_report(report, settings, caption)
    if output:
        _write(output, [report], portfolio)


def _check_rejected(portfolio: Portfolio) -> str:
    count = len(portfolio.rejected)
    return f"; {count} account(s) rejected by validation (kamdocs validate)" if count else ""


# --------------------------------------------------------------------------- commands


@main.command("model")
@_common
@click.argument("account")
@click.option("--audience", type=click.Choice([a.value for a in Audience]), default="internal",
              show_default=True, help="Print the view this audience may see.")
@click.option("--previous", default=None, metavar="FILE",
              help="A model JSON of an earlier review: adds the changes since then.")
def model_command(data: str, config_path: str | None, as_of: datetime | None, as_json: bool,
                  output: str | None, account: str, audience: str, previous: str | None) -> None:
    """One account's model: DATA, then ACCOUNT (an Id, 15 or 18 characters, or an exact name).

    --json prints the canonical model JSON that --previous reads back next quarter.
    """
    portfolio, settings = _load(data, config_path, as_of)
    found = find_account(portfolio, account)
    if previous:
        found = review_account(found, settings, read_previous(previous))
    shown = view_for(found, Audience(audience))
    text = dumps_account(shown)
    if output:
        if Path(output).suffix.lower() != ".json":
            raise UsageError(f"{output}: the model is written as .json")
        write_atomic(Path(output), text.encode("utf-8"))
        click.echo(f"Wrote {output}", err=True)
    if as_json:
        click.echo(text, nl=False)
    elif not output:
        _print_account(shown, settings)


def _print_account(account: Account, settings: Settings) -> None:
    table = Table(title=f"{account.name} ({account.id}) as of "
                        f"{format_date(account.as_of, settings)}", show_header=False)
    table.add_column("Figure")
    table.add_column("Value", overflow="fold")
    revenue = account.revenue
    rows = [
        ("Owner", account.owner.name if account.owner else MISSING),
        ("Tier (current / proposed)",
         f"{account.tiering.current_tier or MISSING} / {account.tiering.proposed_tier or MISSING}"),
        ("Annual revenue", (f"{format_money(revenue.current_annual, settings)}"
                            f" ({revenue.basis or 'no data'})")),
        ("Growth", format_percent(revenue.growth, settings, signed=True)),
        ("Open pipeline", format_money(revenue.open_pipeline, settings)),
        ("Whitespace", format_money(account.whitespace.total_whitespace, settings)),
        ("Renewal", (f"{format_date(account.renewal.date, settings)}: "
                     f"{account.renewal.status.value}")),
        ("Health", account.health.status.value if account.health.status else MISSING),
        ("Stakeholders", str(len(account.stakeholders))),
        ("Actions (open / overdue)",
         f"{account.action_summary.open} / {account.action_summary.overdue}"),
        ("KPIs met", f"{account.kpi_summary.kpis_met} of {account.kpi_summary.kpis_total}"),
        ("Next QBR due", format_date(account.cadence.next_qbr_due, settings)),
    ]
    for name, value in rows:
        table.add_row(name, value)
    _console().print(table)
    if account.missing_data:
        click.echo("Not in the input: " + ", ".join(account.missing_data))


@main.command("tier")
@_common
@click.option("--salesforce-update", "salesforce_update", default=None, metavar="FILE",
              help="Write a Data Loader update CSV (Id, Account_Tier__c) of the changes.")
def tier_command(data: str, config_path: str | None, as_of: datetime | None, as_json: bool,
                 output: str | None, salesforce_update: str | None) -> None:
    """The tier list with score and reason, accounts whose tier changes first."""
    _check_loader_path(salesforce_update)
    portfolio, settings = _load(data, config_path, as_of)
    report = exports.tier_report(portfolio)
    changes = sum(a.tiering.is_change for a in portfolio.accounts)
    sizes = [sum(a.tiering.proposed_tier == t for a in portfolio.accounts) for t in (1, 2, 3)]
    caption = (f"{len(portfolio.accounts)} accounts; {changes} tier change(s); proposed "
               f"Tier 1: {sizes[0]}, Tier 2: {sizes[1]}, Tier 3: {sizes[2]}"
               + _check_rejected(portfolio))
    _finish(report, portfolio, settings, as_json, output, caption)
    if salesforce_update:
        _write_loader_file(salesforce_update, exports.salesforce_tier_update(portfolio),
                           changes, "tier updates")


@main.command("renewals")
@_common
@click.option("--salesforce-insert", "salesforce_insert", default=None, metavar="FILE",
              help="Write a Data Loader insert CSV of the missing renewal opportunities.")
def renewals_command(data: str, config_path: str | None, as_of: datetime | None, as_json: bool,
                     output: str | None, salesforce_insert: str | None) -> None:
    """Renewal status of every account, most urgent first."""
    _check_loader_path(salesforce_insert)
    portfolio, settings = _load(data, config_path, as_of)
    report = exports.renewal_report(portfolio)
    missing = len(exports.renewal_opportunities(portfolio, settings))
    caption = (f"{len(portfolio.accounts)} accounts; {missing} renewal opportunit"
               f"{'y' if missing == 1 else 'ies'} missing" + _check_rejected(portfolio))
    _finish(report, portfolio, settings, as_json, output, caption)
    if salesforce_insert:
        _write_loader_file(salesforce_insert,
                           exports.salesforce_renewal_insert(portfolio, settings), missing,
                           "renewal opportunities")


@main.command("expansion")
@_common
@click.option("--salesforce-insert", "salesforce_insert", default=None, metavar="FILE",
              help="Write a Data Loader insert CSV with one opportunity per candidate.")
def expansion_command(data: str, config_path: str | None, as_of: datetime | None,
                      as_json: bool, output: str | None, salesforce_insert: str | None) -> None:
    """Expansion candidates across the portfolio, best score first."""
    _check_loader_path(salesforce_insert)
    portfolio, settings = _load(data, config_path, as_of)
    report = exports.expansion_report(portfolio)
    total = sum((c.uncovered or 0) for a in portfolio.accounts for c in a.whitespace.candidates)
    caption = (f"{len(report.rows)} candidates in {len(portfolio.accounts)} accounts; "
               f"uncovered whitespace {format_money(total, settings)}"
               + _check_rejected(portfolio))
    _finish(report, portfolio, settings, as_json, output, caption)
    if salesforce_insert:
        _write_loader_file(salesforce_insert,
                           exports.salesforce_expansion_insert(portfolio, settings),
                           len(report.rows), "expansion opportunities")


@main.command("actions")
@_common
@click.option("--overdue", is_flag=True, help="Only overdue actions.")
@click.option("--owner", default=None, metavar="NAME", help="Only this owner's actions "
              "(name or user Id, case-insensitive).")
def actions_command(data: str, config_path: str | None, as_of: datetime | None, as_json: bool,
                    output: str | None, overdue: bool, owner: str | None) -> None:
    """The action list for a weekly review: overdue first."""
    portfolio, settings = _load(data, config_path, as_of)
    if owner and not exports.action_report(portfolio, owner=owner).rows:
        known = exports.action_owners(portfolio)
        raise UsageError(f"no actions owned by {owner!r}; owners: {', '.join(known) or 'none'}")
    report = exports.action_report(portfolio, overdue_only=overdue, owner=owner)
    overdue_count = sum(1 for row in report.rows if row[6])
    caption = (f"{len(report.rows)} action(s), {overdue_count} overdue"
               + _check_rejected(portfolio))
    _finish(report, portfolio, settings, as_json, output, caption)


@main.command("review")
@_common
@click.argument("account")
@click.option("--previous", default=None, metavar="FILE",
              help="The account's model JSON of the last review (kamdocs model --json).")
def review_command(data: str, config_path: str | None, as_of: datetime | None, as_json: bool,
                   output: str | None, account: str, previous: str | None) -> None:
    """The review of one account: scorecard, health, roster and changes since --previous."""
    portfolio, settings = _load(data, config_path, as_of)
    found = find_account(portfolio, account)
    if previous:
        found = review_account(found, settings, read_previous(previous))
    reports = _review_reports(found)
    if as_json:
        click.echo(canonical_json({
            "account": {"id": found.id, "name": found.name},
            "as_of": found.as_of.isoformat(),
            "scorecard": to_data(found.scorecard),
            "health": to_data(found.health),
            "changes": to_data(found.changes),
        }), nl=False)
    else:
        console = _console()
        health = found.health
        status = health.status.value if health.status else "not assessed"
        console.print(f"[bold]{found.name}[/bold] ({found.id}), as of "
                      f"{format_date(found.as_of, settings)}: health {status.upper()}")
        for driver in health.drivers:
            console.print(f"  - {driver}")
        roster = found.scorecard.roster.value if found.scorecard.roster else "none"
        console.print(f"Roster: {roster} ({found.scorecard.roster_reason})")
        for report in reports:
            _print_report(report, settings)
        if found.changes is None:
            console.print("No earlier review given (--previous FILE): no changes listed.")
    if output:
        _write(output, reports if Path(output).suffix.lower() == ".xlsx" else reports[:1],
               portfolio)


def _review_reports(account: Account) -> list[Report]:
    card = Report(
        "Scorecard",
        (exports.Column("Question"), exports.Column("Answer"), exports.Column("Status")),
        tuple((q, a, rag.value if rag else None) for q, a, rag in account.scorecard.lines),
    )
    reports = [card]
    if account.changes is not None:
        reports.append(Report(
            "Changes",
            (exports.Column("Area"), exports.Column("Change")),
            tuple((c.area, c.text) for c in account.changes.items),
        ))
    return reports
