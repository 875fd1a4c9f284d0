"""What runs inside a worker: build the items of one account and return their bytes.

Workers never write files and never touch the manifest: they return ``ItemOutcome``
objects (artifact bytes or an error with its traceback) and the parent, the only writer,
puts them on disk. The same code runs in a local process pool and on a Dask worker.

A worker is set up once (:class:`WorkerState`): it imports the builder modules and any
plugins, creates one builder per (kind, audience) and calls its ``prepare`` once, so the
heavy libraries and the templates are loaded once per worker, not once per account.
"""

from __future__ import annotations

import dataclasses
import importlib
import resource
import sys
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kamdocs.audience import view_for
from kamdocs.builders.base import Artifact, Builder, BuildOptions, PortfolioContext
from kamdocs.builders.registry import get_builder
from kamdocs.config import Settings
from kamdocs.model import Account, Audience


@dataclass(frozen=True)
class WorkerSetup:
    """Everything a worker needs besides the accounts. Plain, picklable values."""

    settings: Settings
    context: PortfolioContext
    #: kind -> builder class (pickled by reference: a worker imports only the builders it
    #: runs, not every registered one).
    builders: tuple[tuple[str, type[Builder]], ...] = ()
    pdf: bool = False
    #: kind -> the user's brand file for it (None = the default brand).
    templates: tuple[tuple[str, Path | None], ...] = ()
    #: Modules imported before builders are looked up (they register extra builders).
    plugins: tuple[str, ...] = ()
    #: Address-space limit per worker above its size after start-up; None = no limit.
    memory_limit_mb: int | None = None


@dataclass(frozen=True)
class WorkerStart:
    """The first message a local worker process receives."""

    setup: WorkerSetup
    name: str
    #: Where the worker writes its threads' stacks when asked (SIGUSR1).
    stack_file: str
    #: (kind, audience) builders to create before the first account.
    warm: tuple[tuple[str, Audience], ...]
    parent_pid: int


@dataclass(frozen=True)
class AccountTask:
    """The items of one account still to build."""

    account: Account
    items: tuple[tuple[str, Audience], ...]
    #: Also return the account's canonical model JSON (its snapshot for the next review):
    #: serialising is costly and the parent would otherwise do it for every account.
    snapshot: bool = False


@dataclass(frozen=True)
class ItemOutcome:
    account_id: str
    kind: str
    audience: Audience
    artifacts: tuple[Artifact, ...] = ()
    #: One line: "ValueError: bad KPI unit"; None when built.
    error: str | None = None
    traceback: str | None = None
    duration: float = 0.0
    worker: str = ""
    peak_rss_mb: float = 0.0
    #: True when the worker should be replaced after this item (e.g. after a MemoryError).
    worker_tainted: bool = field(default=False, compare=False)
    #: On the account's last item, when asked: the account's snapshot JSON.
    snapshot: str | None = None

    @property
    def is_ok(self) -> bool:
        return self.error is None


def import_plugins(plugins: tuple[str, ...]) -> None:
    for module in plugins:
        importlib.import_module(module)


class WorkerState:
    """One worker's builders, created on first use and kept for the worker's life."""

    def __init__(self, setup: WorkerSetup, name: str) -> None:
        import_plugins(setup.plugins)
        self.setup = setup
        self.name = name
        self._builders: dict[tuple[str, Audience], Builder] = {}

    def builder(self, kind: str, audience: Audience) -> Builder:
        key = (kind, audience)
        if key not in self._builders:
            cls = dict(self.setup.builders).get(kind) or get_builder(kind)
            template = dict(self.setup.templates).get(kind)
            options = BuildOptions(
                settings=self.setup.settings,
                audience=audience,
                as_of=self.setup.context.as_of,
                template=template,
                pdf=self.setup.pdf,
            )
            builder = cls(options)
            builder.prepare(self.setup.context)
            self._builders[key] = builder
        return self._builders[key]

    def warm_up(self, kinds: tuple[tuple[str, Audience], ...]) -> None:
        """Create the builders now, so that template errors show before any account."""
        for kind, audience in kinds:
            self.builder(kind, audience)

    def build(self, task: AccountTask) -> Iterator[ItemOutcome]:
        """Each item of the task, built or failed; one failure never stops the others."""
        last = len(task.items) - 1
        for index, (kind, audience) in enumerate(task.items):
            outcome = self.build_item(task.account, kind, audience)
            if index == last and task.snapshot:
                outcome = dataclasses.replace(outcome, snapshot=snapshot_json(task.account))
            yield outcome

    def build_item(self, account: Account, kind: str, audience: Audience) -> ItemOutcome:
        start = time.perf_counter()
        try:
            builder = self.builder(kind, audience)
            # What Builder.build does for each account, without calling prepare() again
            # per account: the audience filter comes first, then render.
            artifacts = tuple(builder.render(view_for(account, audience), self.setup.context))
        except MemoryError:
            limit = self.setup.memory_limit_mb
            reason = (f"memory limit exceeded (MemoryError; workers may use {limit} MB)"
                      if limit else "out of memory (MemoryError)")
            return self._failed(account, kind, audience, start, reason, tainted=True)
        # The isolation boundary of the batch: whatever goes wrong in one document (a bug
        # in a builder, data no validation foresaw) is reported for that item, with its
        # traceback, and every other item still builds. Nothing is swallowed: the error
        # goes to the manifest, the log and the exit code.
        except Exception as exc:  # noqa: BLE001
            reason = f"{type(exc).__name__}: {exc}"
            return self._failed(account, kind, audience, start, reason)
        foreign = [a for a in artifacts if a.account_id != account.id]
        if foreign:
            return self._failed(
                account, kind, audience, start,
                f"builder returned a document of another account ({foreign[0].account_id})",
            )
        return ItemOutcome(
            account_id=account.id, kind=kind, audience=audience, artifacts=artifacts,
            duration=time.perf_counter() - start, worker=self.name, peak_rss_mb=peak_rss_mb(),
        )

    def _failed(
        self, account: Account, kind: str, audience: Audience, start: float, reason: str,
        *, tainted: bool = False,
    ) -> ItemOutcome:
        return ItemOutcome(
            account_id=account.id, kind=kind, audience=audience, error=reason,
            traceback="".join(traceback.format_exc()), duration=time.perf_counter() - start,
            worker=self.name, peak_rss_mb=peak_rss_mb(), worker_tainted=tainted,
        )


def snapshot_json(account: Account) -> str:
    from kamdocs.serialize import dumps_account

    return dumps_account(account)


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB.

    Linux: VmHWM, which starts afresh at exec; ``ru_maxrss`` would also count the copy of
    the parent the worker was forked from. Elsewhere ru_maxrss (macOS reports bytes).
    """
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def current_vm_bytes() -> int | None:
    """This process's virtual size now (Linux), the base of the address-space limit."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return None


def limit_memory(limit_mb: int | None) -> None:
    """Cap this process's address space at its current size + ``limit_mb``.

    An allocation past the cap raises MemoryError in the item that made it (reported with
    its traceback) instead of letting the machine swap or the OOM killer pick a victim.
    """
    if limit_mb is None or not hasattr(resource, "RLIMIT_AS"):
        return
    base = current_vm_bytes()
    if base is None:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = base + limit_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
