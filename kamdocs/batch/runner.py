"""One batch run: select, fingerprint, skip what is up to date, build the rest, report.

The parent process is the only writer: workers (local processes or Dask workers) return
bytes, the parent writes each item atomically, then commits it to the manifest. That
order is what makes a killed run safe to rerun: a file in the manifest is complete, a file
not in it is rebuilt, and finished items are verified by hash before being skipped.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from kamdocs import __version__
from kamdocs.batch import keys
from kamdocs.batch.manifest import BUILT, FAILED, SKIPPED, ItemRecord, Manifest, RunInfo
from kamdocs.batch.outputs import (
    WrittenItem,
    kind_label,
    remove_stale_temporaries,
    verify,
    write_item,
)
from kamdocs.batch.reports import write_reports
from kamdocs.batch.select import select_accounts
from kamdocs.batch.worker import (
    AccountTask,
    ItemOutcome,
    WorkerSetup,
    import_plugins,
    peak_rss_mb,
    snapshot_json,
)
from kamdocs.builders.base import Builder, PortfolioContext
from kamdocs.builders.registry import REGISTRY, get_builder
from kamdocs.config import Settings
from kamdocs.errors import RenderError, UsageError
from kamdocs.model import Account, Audience, Portfolio, RejectedAccount
from kamdocs.writer import Writer

EXECUTORS = ("local", "dask")


@dataclass(frozen=True)
class BatchRequest:
    """What to build and how. Empty tuples mean "all"."""

    out: Path
    #: Builder names; () = every registered builder.
    kinds: tuple[str, ...] = ()
    tiers: tuple[int, ...] = ()
    #: Account ids (15 or 18 characters) or exact names.
    accounts: tuple[str, ...] = ()
    #: () = each kind's default audience; otherwise every listed audience the kind supports.
    audiences: tuple[Audience, ...] = ()
    #: Worker processes; None = every core.
    jobs: int | None = None
    executor: str = "local"
    #: Dask scheduler address ("tcp://host:8786") for ``executor="dask"``.
    scheduler: str | None = None
    pdf: bool = False
    #: Rebuild every item, even those that are up to date.
    force: bool = False
    #: A folder with the user's masters, named as the default brand names them (qbr.pptx...).
    template_dir: Path | None = None
    #: Seconds one account may take (all its documents); None = no limit.
    timeout: float | None = 600.0
    #: Extra address space (MB) a local worker may use beyond its start-up size.
    memory_limit_mb: int | None = 4096
    #: Modules imported in the parent and every worker before builders are looked up.
    plugins: tuple[str, ...] = ()


@dataclass(frozen=True)
class Progress:
    """Where a run stands; sent after every item."""

    total: int
    done: int
    built: int
    skipped: int
    failed: int
    #: The item just finished ("0015g00000AbCdEAAV plan"), "" at the start.
    last: str = ""


@dataclass(frozen=True)
class BatchResult:
    run_id: int
    out: Path
    as_of: date
    #: Every item of the run, sorted by account, kind, audience.
    items: tuple[ItemRecord, ...]
    rejected: tuple[RejectedAccount, ...]
    #: Portfolio-level files written (relative to ``out``).
    reports: tuple[str, ...]
    duration: float
    parent_peak_mb: float
    #: (worker name, peak resident MB) of every worker started.
    worker_peaks: tuple[tuple[str, float], ...] = ()

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def failed(self) -> tuple[ItemRecord, ...]:
        return tuple(item for item in self.items if item.status == FAILED)

    @property
    def with_problems(self) -> tuple[ItemRecord, ...]:
        return tuple(item for item in self.items if item.problems)

    @property
    def exit_code(self) -> int:
        """0 when every selected account's documents exist, 1 otherwise (failed/rejected)."""
        return 1 if self.failed or self.rejected or self.with_problems else 0

    def summary(self) -> dict[str, Any]:
        """The ``--json`` summary."""
        return {
            "run_id": self.run_id,
            "out": str(self.out),
            "as_of": self.as_of.isoformat(),
            "items": len(self.items),
            "built": self.count(BUILT),
            "skipped": self.count(SKIPPED),
            "failed": self.count(FAILED),
            "rejected_accounts": len(self.rejected),
            "exit_code": self.exit_code,
            "duration_s": round(self.duration, 3),
            "parent_peak_mb": round(self.parent_peak_mb, 1),
            "worker_peak_mb": {name: round(mb, 1) for name, mb in self.worker_peaks},
            "failures": [
                {
                    "account_id": item.account_id, "account_name": item.account_name,
                    "kind": item.kind, "audience": item.audience, "reason": item.error,
                }
                for item in self.failed
            ],
            "problems": [
                {"account_id": item.account_id, "kind": item.kind, "problems": list(item.problems)}
                for item in self.with_problems
            ],
            "rejected": [
                {"account_id": r.id, "account_name": r.name, "reasons": list(r.reasons)}
                for r in self.rejected
            ],
            "reports": list(self.reports),
        }


ProgressSink = Callable[[Progress], None]


def default_jobs() -> int:
    return os.cpu_count() or 1


def run(
    data: str | Path,
    settings: Settings,
    as_of: date,
    request: BatchRequest,
    *,
    progress: ProgressSink | None = None,
    client: Any = None,
) -> BatchResult:
    """Load and validate ``data`` once, then :func:`run_batch` it (what ``kamdocs batch`` does).

    The accounts' snapshots of the previous review (earlier runs into the same folder)
    go to the loader, which derives "changes since the last review" from them.
    """
    from kamdocs.batch.snapshots import previous_accounts
    from kamdocs.data import load_portfolio

    with Manifest(request.out) as manifest:
        previous = previous_accounts(manifest, as_of)
        portfolio = load_portfolio(data, config=settings, as_of=as_of, previous=previous or None)
        return run_batch(portfolio, settings, request, progress=progress, client=client,
                         manifest=manifest)


def run_batch(
    portfolio: Portfolio,
    settings: Settings,
    request: BatchRequest,
    *,
    progress: ProgressSink | None = None,
    client: Any = None,
    manifest: Manifest | None = None,
) -> BatchResult:
    """Build every selected item of ``portfolio`` into ``request.out``; see the module doc.

    ``client`` is an existing ``distributed.Client`` for ``executor="dask"`` (tests pass a
    LocalCluster's); without it one is opened on ``request.scheduler``. ``manifest`` is the
    folder's manifest when the caller holds it open already.
    """
    if manifest is None:
        with Manifest(request.out) as own:
            return run_batch(portfolio, settings, request, progress=progress, client=client,
                             manifest=own)
    started = time.monotonic()
    if request.executor not in EXECUTORS:
        raise UsageError(f"unknown executor {request.executor!r} (known: {', '.join(EXECUTORS)})")
    if request.executor == "dask" and client is None and not request.scheduler:
        raise UsageError("--executor dask needs --scheduler ADDRESS (tcp://host:8786)")
    import_plugins(request.plugins)
    builders = _builders(request.kinds)
    plan = _plan(builders, request.audiences)
    accounts, rejected = select_accounts(portfolio, request.tiers, request.accounts)
    out = request.out
    context = PortfolioContext.of(portfolio)
    templates = _templates(request.template_dir, builders)
    config_hash = keys.config_fingerprint(settings, context)
    template_hash = keys.template_fingerprint(request.template_dir, settings)
    code_hash = keys.code_fingerprint(builders.values())
    jobs = request.jobs or default_jobs()
    remove_stale_temporaries(out)
    run_id = manifest.start_run(RunInfo(
        as_of=portfolio.as_of, source=portfolio.source, kinds=tuple(builders),
        audiences=tuple(sorted({a.value for items in plan.values() for a in items})),
        executor=request.executor, jobs=jobs, forced=request.force,
        kamdocs_version=__version__, config_hash=config_hash, template_hash=template_hash,
    ))
    manifest.record_rejected(run_id, [(r.id, r.name, r.reasons) for r in rejected])
    session = _Session(
        out=out, manifest=manifest, run_id=run_id, builders=builders,
        as_of=portfolio.as_of, progress=progress,
    )
    try:
        fingerprints = _fingerprint(accounts)
        session.snapshots_due(accounts, fingerprints)
        tasks = session.plan(
            accounts, plan, fingerprints, request.force,
            base=dict(template_hash=template_hash, config_hash=config_hash,
                      code_hash=code_hash),
        )
        setup = WorkerSetup(
            settings=settings, context=context, builders=tuple(builders.items()),
            pdf=request.pdf, templates=templates,
            plugins=request.plugins, memory_limit_mb=request.memory_limit_mb,
        )
        warm = tuple(sorted({item for task in tasks for item in task.items}))
        worker_peaks = session.execute(
            _executor(request, setup, jobs, warm, client), tasks
        )
        records = tuple(manifest.items(run_id))
        reports = write_reports(out, portfolio, accounts, records, rejected, settings)
    except BaseException:
        manifest.finish_run(run_id, "interrupted", time.monotonic() - started)
        raise
    duration = time.monotonic() - started
    manifest.finish_run(run_id, "finished", duration)
    return BatchResult(
        run_id=run_id, out=out, as_of=portfolio.as_of, items=records,
        rejected=tuple(rejected), reports=reports, duration=duration,
        parent_peak_mb=peak_rss_mb(), worker_peaks=tuple(sorted(worker_peaks.items())),
    )


# --------------------------------------------------------------------------- planning


def _builders(kinds: Sequence[str]) -> dict[str, type[Builder]]:
    names = tuple(kinds) or REGISTRY.names()
    if not names:
        raise UsageError("no document builders are installed")
    return {name: get_builder(name) for name in dict.fromkeys(names)}


def _plan(
    builders: dict[str, type[Builder]], audiences: Sequence[Audience]
) -> dict[str, tuple[Audience, ...]]:
    """Kind -> the audiences to build it for."""
    plan: dict[str, tuple[Audience, ...]] = {}
    for kind, cls in builders.items():
        if not audiences:
            plan[kind] = (cls.default_audience,)
            continue
        chosen = tuple(a for a in cls.audiences if a in audiences)
        if not chosen:
            allowed = ", ".join(a.value for a in cls.audiences)
            raise UsageError(f"{kind} is built for {allowed}, not "
                             f"{', '.join(a.value for a in audiences)}")
        plan[kind] = chosen
    return plan


def _templates(
    template_dir: Path | None, builders: dict[str, type[Builder]]
) -> tuple[tuple[str, Path | None], ...]:
    """Kind -> the user's master in ``template_dir`` (named as the default brand names it)."""
    if template_dir is None:
        return ()
    if not template_dir.is_dir():
        from kamdocs.errors import TemplateNotFound

        raise TemplateNotFound(f"{template_dir}: template folder not found")
    from kamdocs.render.lookup import MASTERS

    chosen = []
    for kind in builders:
        if kind in MASTERS:
            candidate = template_dir / MASTERS[kind][0]
            chosen.append((kind, candidate if candidate.is_file() else None))
    return tuple(chosen)


def _fingerprint(accounts: Sequence[Account]) -> dict[str, str]:
    """Account id -> input hash (the model's fingerprint)."""
    return {account.id: keys.account_fingerprint(account) for account in accounts}


@dataclass
class _Session:
    out: Path
    manifest: Manifest
    run_id: int
    builders: dict[str, type[Builder]]
    as_of: date
    progress: ProgressSink | None
    _pending: dict[tuple[str, str, str], ItemRecord] = field(default_factory=dict)
    _writers: dict[str, Writer] = field(default_factory=dict)
    #: Accounts whose snapshot for this as-of date is missing or outdated, with its hash.
    _snapshots: dict[str, tuple[Account, str]] = field(default_factory=dict)
    _counts: dict[str, int] = field(default_factory=lambda: {BUILT: 0, SKIPPED: 0, FAILED: 0})
    _total: int = 0

    def plan(
        self,
        accounts: Sequence[Account],
        plan: dict[str, tuple[Audience, ...]],
        fingerprints: dict[str, str],
        force: bool,
        base: dict[str, str],
    ) -> list[AccountTask]:
        """Record up-to-date items as skipped; the tasks for everything else."""
        latest = {} if force else self.manifest.latest_built_all()
        tasks = []
        skipped = []
        for account in accounts:
            todo = []
            for kind, audiences in plan.items():
                for audience in audiences:
                    record = ItemRecord(
                        account_id=account.id, account_name=account.name, kind=kind,
                        audience=audience.value, item_key="", status="",
                        input_hash=fingerprints[account.id], kamdocs_version=__version__,
                        as_of=self.as_of.isoformat(), **base,
                    )
                    record = dataclasses.replace(record, item_key=_key(record))
                    before = latest.get((account.id, kind, audience.value))
                    if (
                        before is not None and before.item_key == record.item_key
                        and verify(self.out, before.files)
                    ):
                        skipped.append(dataclasses.replace(
                            before, status=SKIPPED, duration=0.0, worker=None,
                            error=None, traceback=None, account_name=account.name,
                        ))
                    else:
                        self._pending[(account.id, kind, audience.value)] = record
                        todo.append((kind, audience))
            if todo:
                tasks.append(AccountTask(account, tuple(todo),
                                         snapshot=account.id in self._snapshots))
        self._total = len(skipped) + len(self._pending)
        self.manifest.record_many(self.run_id, skipped)
        self._counts[SKIPPED] = len(skipped)
        self._report("")
        return tasks

    def snapshots_due(self, accounts: Sequence[Account], fingerprints: dict[str, str]) -> None:
        """Note the accounts whose model differs from the snapshot stored for this date."""
        stored = self.manifest.snapshot_hashes(self.as_of)
        self._snapshots = {
            a.id: (a, fingerprints[a.id])
            for a in accounts if stored.get(a.id) != fingerprints[a.id]
        }

    def execute(self, outcomes: _Executor, tasks: list[AccountTask]) -> dict[str, float]:
        building = {task.account.id for task in tasks}
        # Snapshots of accounts with nothing to build are made here; workers make the others
        # (serialising takes longer than a rerun's whole check of an account).
        self._store_snapshots([i for i in self._snapshots if i not in building])
        for outcome in outcomes.run(tasks):
            self._finish(outcome)
            if outcome.snapshot is not None and outcome.account_id in self._snapshots:
                _account, digest = self._snapshots.pop(outcome.account_id)
                self.manifest.store_snapshots(
                    self.run_id, self.as_of, [(outcome.account_id, digest, outcome.snapshot)]
                )
        # Accounts whose worker died before sending the snapshot: made here.
        self._store_snapshots(list(self._snapshots))
        return dict(outcomes.worker_peaks)

    def _store_snapshots(self, account_ids: list[str]) -> None:
        due = [self._snapshots.pop(i) for i in account_ids if i in self._snapshots]
        if due:
            self.manifest.store_snapshots(self.run_id, self.as_of, [
                (account.id, digest, snapshot_json(account)) for account, digest in due
            ])

    def _finish(self, outcome: ItemOutcome) -> None:
        key = (outcome.account_id, outcome.kind, outcome.audience.value)
        record = self._pending.pop(key)
        cls = self.builders[outcome.kind]
        status, error, trace = BUILT, outcome.error, outcome.traceback
        written: WrittenItem | None = None
        if outcome.is_ok:
            try:
                written = write_item(
                    self._writers, self.out, outcome.artifacts, kind=record.kind,
                    label=kind_label(record.kind, outcome.audience, cls.default_audience),
                    as_of=self.as_of, is_pack=cls.is_pack,
                )
            except (RenderError, UsageError) as exc:
                error, trace = str(exc), None
        if error is not None:
            status = FAILED
        problems = tuple(p for a in outcome.artifacts for p in a.problems)
        final = dataclasses.replace(
            record, status=status, error=error, traceback=trace, problems=problems,
            output_path=written.output_path if written else None,
            output_hash=written.output_hash if written else None,
            files=written.files if written else (),
            duration=outcome.duration, worker=outcome.worker,
            worker_peak_mb=outcome.peak_rss_mb,
        )
        self.manifest.record(self.run_id, final)
        self._counts[status] += 1
        self._report(f"{record.account_name} {record.kind}")

    def _report(self, last: str) -> None:
        if self.progress is None:
            return
        self.progress(Progress(
            total=self._total, done=sum(self._counts.values()), built=self._counts[BUILT],
            skipped=self._counts[SKIPPED], failed=self._counts[FAILED], last=last,
        ))


def _key(record: ItemRecord) -> str:
    return keys.ItemKey(
        input_hash=record.input_hash, template_hash=record.template_hash,
        config_hash=record.config_hash, code_hash=record.code_hash,
        version=record.kamdocs_version, kind=record.kind, audience=record.audience,
        as_of=date.fromisoformat(record.as_of),
    ).key


class _Executor(Protocol):
    """Runs account tasks somewhere and yields each item's outcome as it arrives."""

    worker_peaks: dict[str, float]

    def run(self, tasks: Sequence[AccountTask]) -> Iterator[ItemOutcome]: ...


def _executor(
    request: BatchRequest,
    setup: WorkerSetup,
    jobs: int,
    warm: tuple[tuple[str, Audience], ...],
    client: Any,
) -> _Executor:
    if request.executor == "dask":
        try:
            from kamdocs.batch.cluster import DaskExecutor
        except ImportError as exc:
            raise UsageError(
                f"--executor dask needs Dask distributed ({exc.name} is missing): "
                "pip install 'kamdocs[dask]'"
            ) from None

        return DaskExecutor(setup, request.scheduler, request.timeout, warm, client)
    from kamdocs.batch.pool import LocalPool

    return LocalPool(setup, jobs, request.timeout, warm)
