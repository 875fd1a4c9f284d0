"""``kamdocs batch``: every selected account's documents, the portfolio report, resumable."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from kamdocs.cli import main
from kamdocs.errors import EXIT_FINDINGS, UsageError

#: Failures listed on the terminal; the rest are in OUT/batch.log and the manifest.
_SHOWN_FAILURES = 20


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def _tiers(value: str | None) -> tuple[int, ...]:
    tiers = []
    for part in _csv(value):
        word = part.lower().removeprefix("tier").strip()
        if word not in ("1", "2", "3"):
            raise UsageError(f"--tier takes 1, 2 or 3 (comma-separated), not {part!r}")
        tiers.append(int(word))
    return tuple(tiers)


def _as_of(value: str | None) -> date:
    if value is None:
        # The only place a batch reads the clock: the default as-of date is today.
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of must be YYYY-MM-DD, not {value!r}") from None


@main.command("batch")
@click.argument("data")
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (documents, manifest.sqlite, portfolio.xlsx, index.html).")
@click.option("--kinds", help="Documents to build, comma-separated (default: all: plan,qbr,ebr).")
@click.option("--tier", "tiers", help="Only accounts of these tiers, e.g. 1,2.")
@click.option("--accounts", help="A file with one account id or name per line, or ID,ID,...")
@click.option("--audience", help="internal, customer or both (comma-separated); "
              "default: each document's own audience.")
@click.option("--as-of", "as_of", help="Date the documents report on (YYYY-MM-DD; default today).")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Run on this machine or on a Dask cluster.")
@click.option("--scheduler", help="Dask scheduler address for --executor dask (tcp://host:8786).")
@click.option("--pdf", is_flag=True, help="Also produce a PDF of every document (LibreOffice).")
@click.option("--force", is_flag=True, help="Rebuild every document, even if up to date.")
@click.option("--template-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder with your masters, named like ours (qbr.pptx, account_plan.docx...).")
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
              help="Config file (default: kamdocs.toml beside DATA).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=600.0,
              show_default=True, help="Seconds one account may take before it is failed.")
@click.option("--memory-limit", type=click.IntRange(min=64), default=4096, show_default=True,
              help="MB a local worker may allocate beyond its start-up size.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@click.option("--plugin", "plugins", multiple=True, hidden=True, envvar="KAMDOCS_PLUGINS",
              help="Module to import first (registers extra builders); env KAMDOCS_PLUGINS.")
def batch(
    data: str, out: Path, kinds: str | None, tiers: str | None, accounts: str | None,
    audience: str | None, as_of: str | None, jobs: int | None, executor: str,
    scheduler: str | None, pdf: bool, force: bool, template_dir: Path | None,
    config: Path | None, timeout: float, memory_limit: int, as_json: bool,
    plugins: tuple[str, ...],
) -> None:
    """Build the documents of every account in DATA into OUT, resumably.

    Exit 0 when every selected account's documents exist, 1 when some failed or accounts
    were rejected (see OUT/batch.log and OUT/index.html), 3 when the input is rejected.
    """
    from kamdocs.batch import BatchRequest, read_account_keys, run
    from kamdocs.config import find_config, load_settings
    from kamdocs.model import Audience

    try:
        audiences = tuple(Audience(a) for a in _csv(audience))
    except ValueError:
        raise UsageError(f"--audience takes internal and/or customer, not {audience!r}") \
            from None
    request = BatchRequest(
        out=out, kinds=_csv(kinds), tiers=_tiers(tiers),
        accounts=read_account_keys(accounts) if accounts else (), audiences=audiences,
        jobs=jobs, executor=executor, scheduler=scheduler, pdf=pdf, force=force,
        template_dir=template_dir, timeout=timeout, memory_limit_mb=memory_limit,
        plugins=tuple(p for value in plugins for p in value.replace(",", " ").split()),
    )
    settings = load_settings(find_config(data, config))
    with _ProgressBar(enabled=not as_json) as progress:
        result = run(data, settings, _as_of(as_of), request, progress=progress.update)
    if as_json:
        click.echo(json.dumps(result.summary(), indent=2, ensure_ascii=False))
    else:
        _print_summary(result)
    if result.exit_code:
        click.get_current_context().exit(EXIT_FINDINGS)


class _ProgressBar:
    """A rich progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        from rich.console import Console

        self.console = Console(stderr=True)
        self.enabled = enabled and self.console.is_terminal
        self._progress = None
        self._task = None

    def __enter__(self) -> _ProgressBar:
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("[bold]documents"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[failed]} failed"),
                TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                console=self.console, transient=False,
            )
            self._progress.start()
            self._task = self._progress.add_task("batch", total=None, failed=0, rate="")
        return self

    def update(self, state: object) -> None:
        if self._progress is None or self._task is None:
            return
        from kamdocs.batch import Progress as BatchProgress

        assert isinstance(state, BatchProgress)
        task = self._progress.tasks[0]
        elapsed = task.elapsed or 0.0
        built = state.built + state.failed
        rate = f"{built / elapsed:.1f}/s" if elapsed > 0 and built else ""
        self._progress.update(self._task, total=state.total, completed=state.done,
                              failed=state.failed, rate=rate)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def _print_summary(result: object) -> None:
    from kamdocs.batch import BUILT, SKIPPED, BatchResult

    assert isinstance(result, BatchResult)
    click.echo(
        f"{result.count(BUILT)} built, {result.count(SKIPPED)} up to date, "
        f"{len(result.failed)} failed, {len(result.rejected)} accounts rejected "
        f"({result.duration:.1f} s) -> {result.out / 'index.html'}"
    )
    for item in result.failed[:_SHOWN_FAILURES]:
        click.echo(f"  failed: {item.account_id} {item.account_name} {item.kind} "
                   f"[{item.audience}]: {item.error}", err=True)
    for item in result.with_problems[:_SHOWN_FAILURES]:
        click.echo(f"  problem: {item.account_id} {item.kind}: {'; '.join(item.problems)}",
                   err=True)
    for bad in result.rejected[:_SHOWN_FAILURES]:
        click.echo(f"  rejected: {bad.id} {bad.name or ''}: {'; '.join(bad.reasons)}", err=True)
    if result.failed or result.rejected:
        click.echo(f"  details and tracebacks: {result.out / 'batch.log'}", err=True)
