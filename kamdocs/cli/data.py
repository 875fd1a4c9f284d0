"""Command: ``kamdocs validate DATA`` checks an input and reports every problem, located."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import click

from kamdocs.cli import main
from kamdocs.config import find_config, load_settings
from kamdocs.data.loading import LoadedTables, read_tables
from kamdocs.errors import EXIT_INPUT, EXIT_OK, InputErrors, Problem, Severity

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@main.command("validate")
@click.argument("data")
@click.option("--config", "config_path", default=None, metavar="FILE",
              help="Config file (default: kamdocs.toml beside DATA).")
@click.option("--strict", is_flag=True, help="Count warnings as errors (exit 3).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report for machines.")
@click.option("--verbose", "-v", is_flag=True, help="Also list ignored columns and files.")
@click.pass_context
def validate(ctx: click.Context, data: str, config_path: str | None, strict: bool,
             as_json: bool, verbose: bool) -> None:
    """Check DATA (a CSV or Parquet folder, an .xlsx workbook or a database URL).

    Prints every problem as file:row:column: message (value), then a summary. Exit 0 when
    clean or only warnings, 3 when there are errors (with --strict: warnings too).
    """
    settings = load_settings(find_config(data, config_path))
    try:
        loaded: LoadedTables | None = read_tables(data, settings)
        problems = loaded.problems
    except InputErrors as exc:
        loaded = None
        problems = exc.problems
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    failed = loaded is None or errors > 0 or (strict and warnings > 0)
    if as_json:
        click.echo(json.dumps(_report(loaded, problems, errors, warnings, failed),
                              indent=2, sort_keys=True, ensure_ascii=False))
    else:
        for line in _lines(loaded, problems, errors, warnings, verbose):
            click.echo(line)
    ctx.exit(EXIT_INPUT if failed else EXIT_OK)


def _shown(text: str) -> str:
    """Control characters and line breaks as escapes, so one problem stays one line."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


def problem_line(problem: Problem) -> str:
    """``file:row:column: severity: reason (value)`` on one line."""
    place = ":".join(str(p) for p in (problem.file, problem.row, problem.column) if p is not None)
    value = f" ({_shown(problem.value)})" if problem.value not in (None, "") else ""
    return f"{place}: {problem.severity.value}: {_shown(problem.reason)}{value}"


def _lines(loaded: LoadedTables | None, problems: Iterable[Problem], errors: int, warnings: int,
           verbose: bool) -> Iterable[str]:
    yield from (problem_line(p) for p in problems)
    if loaded is None:
        yield ""
        yield f"Input rejected: nothing could be loaded ({errors} error(s), {warnings} warning(s))."
        return
    if errors or warnings:
        yield ""
    yield f"Source: {loaded.source_description}"
    yield "Rows loaded (deleted rows dropped):"
    width = max(len(name) for name in loaded.tables)
    for name, frame in loaded.tables.items():
        yield f"  {name:<{width}}  {len(frame):>8}  ({loaded.deleted_dropped.get(name, 0)})"
    if loaded.rejected_tables:
        yield "Tables not loaded:"
        for name, reasons in loaded.rejected_tables.items():
            yield f"  {name}: {'; '.join(reasons)}"
    if loaded.absent:
        yield f"Not in the input: {', '.join(loaded.absent)}"
    yield f"Accounts rejected: {len(loaded.rejected)}"
    for account, reasons in loaded.rejected.items():
        yield f"  {account}: {_shown(reasons[0])}" + (
            f" (+{len(reasons) - 1} more)" if len(reasons) > 1 else "")
    if verbose:
        if loaded.ignored_sources:
            yield f"Ignored files/tables: {', '.join(loaded.ignored_sources)}"
        for name, columns in loaded.ignored_columns.items():
            yield f"Ignored columns of {name}: {', '.join(columns)}"
    yield f"{errors} error(s), {warnings} warning(s)."


def _report(loaded: LoadedTables | None, problems: Iterable[Problem], errors: int,
            warnings: int, failed: bool) -> dict[str, object]:
    report: dict[str, object] = {
        "ok": not failed,
        "input_rejected": loaded is None,
        "errors": errors,
        "warnings": warnings,
        "problems": [
            {"file": p.file, "row": p.row, "column": p.column, "severity": p.severity.value,
             "reason": p.reason, "value": p.value, "account_id": p.account_id}
            for p in problems
        ],
    }
    if loaded is not None:
        report.update(
            source=loaded.source_description,
            rows={name: len(frame) for name, frame in loaded.tables.items()},
            deleted_dropped=loaded.deleted_dropped,
            rejected_accounts={k: list(v) for k, v in loaded.rejected.items()},
            rejected_tables={k: list(v) for k, v in loaded.rejected_tables.items()},
            absent=list(loaded.absent),
            ignored_columns={k: list(v) for k, v in loaded.ignored_columns.items()},
            ignored_sources=list(loaded.ignored_sources),
            input_hashes=loaded.input_hashes,
        )
    return report
