"""A process pool over accounts that survives its workers: hangs, crashes, memory blow-ups.

``concurrent.futures.ProcessPoolExecutor`` breaks as a whole when one worker dies, and
cannot kill a hung task. This pool owns its processes: each worker talks to the parent
over its own pipe, gets one account at a time, and sends back each item as soon as it is
built. The parent watches a deadline per account: when it passes, it asks the worker for
the stacks of its threads (``faulthandler`` on SIGUSR1, so even a worker stuck in C code
answers), kills it, reports the account's remaining items as failed with that stack as the
traceback, and starts a replacement. A worker that dies (segfault, OOM killer) is reported
and replaced the same way; a MemoryError inside a worker fails only that item (the worker's
address space is capped, see :func:`kamdocs.batch.worker.limit_memory`) and the worker is
replaced after the account, since a process that ran out of memory is not trusted again.

Workers are started with ``spawn`` (no fork of a parent that holds the whole portfolio
and possibly threads) and import the heavy libraries once, in their set-up.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from kamdocs.batch.worker import (
    AccountTask,
    ItemOutcome,
    WorkerSetup,
    WorkerState,
    limit_memory,
    peak_rss_mb,
)
from kamdocs.errors import KamdocsError, RenderError
from kamdocs.model import Audience

#: How long a new worker may take to import its libraries and load the templates.
STARTUP_TIMEOUT = 180.0
#: How long the parent waits for a signalled worker to write its stacks.
STACK_WAIT = 1.0


@dataclass
class _Worker:
    name: str
    process: multiprocessing.process.BaseProcess
    conn: Connection
    stack_file: Path
    started: float
    ready: bool = False
    task: AccountTask | None = None
    remaining: list[tuple[str, Audience]] = field(default_factory=list)
    assigned: float = 0.0
    deadline: float = 0.0
    tainted: bool = False
    peak_mb: float = 0.0


class LocalPool:
    """Run account tasks on ``jobs`` worker processes; yields each item's outcome."""

    def __init__(
        self,
        setup: WorkerSetup,
        jobs: int,
        timeout: float | None,
        warm: tuple[tuple[str, Audience], ...] = (),
    ) -> None:
        self.setup = setup
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.warm = warm
        #: Peak resident memory (MB) of every worker this pool started, by worker name.
        self.worker_peaks: dict[str, float] = {}
        self._context = multiprocessing.get_context("spawn")
        self._count = 0

    def run(self, tasks: Sequence[AccountTask]) -> Iterator[ItemOutcome]:
        queue = deque(tasks)
        if not queue:
            return
        stack_dir = Path(tempfile.mkdtemp(prefix="kamdocs-batch-"))
        workers = [self._start(stack_dir) for _ in range(min(self.jobs, len(queue)))]
        try:
            while queue or any(w.task is not None for w in workers):
                for worker in workers:
                    if worker.ready and worker.task is None and queue:
                        self._assign(worker, queue.popleft())
                yield from self._step(workers, stack_dir)
        finally:
            for worker in workers:
                self._stop(worker)
            for path in stack_dir.iterdir():
                path.unlink()
            stack_dir.rmdir()

    # ----------------------------------------------------------------- one turn

    def _step(self, workers: list[_Worker], stack_dir: Path) -> Iterator[ItemOutcome]:
        now = time.monotonic()
        deadlines = [w.deadline for w in workers if w.task is not None]
        deadlines += [w.started + STARTUP_TIMEOUT for w in workers if not w.ready]
        wait_for = max(0.0, min([*deadlines, now + 1.0]) - now)
        handles: list[object] = [w.conn for w in workers]
        handles += [w.process.sentinel for w in workers]
        ready = set(wait(handles, timeout=wait_for))  # type: ignore[arg-type]
        for index, worker in enumerate(list(workers)):
            replacement: _Worker | None = None
            if worker.conn in ready or worker.process.sentinel in ready:
                replacement = yield from self._receive(worker, stack_dir)
            elif worker.task is not None and time.monotonic() > worker.deadline:
                yield from self._time_out(worker)
                replacement = self._start(stack_dir)
            elif not worker.ready and time.monotonic() > worker.started + STARTUP_TIMEOUT:
                raise RenderError(
                    f"a batch worker did not start within {STARTUP_TIMEOUT:.0f} s"
                )
            if replacement is not None:
                self._stop(worker)
                workers[index] = replacement

    def _receive(self, worker: _Worker, stack_dir: Path) -> Iterator[ItemOutcome]:
        """Handle every message the worker has sent; a replacement if it must be replaced."""
        try:
            while worker.conn.poll():
                message = worker.conn.recv()
                kind = message[0]
                if kind == "ready":
                    worker.ready = True
                    self._note_peak(worker, message[1])
                elif kind == "item":
                    outcome: ItemOutcome = message[1]
                    worker.remaining.remove((outcome.kind, outcome.audience))
                    worker.tainted |= outcome.worker_tainted
                    self._note_peak(worker, outcome.peak_rss_mb)
                    yield outcome
                elif kind == "done":
                    worker.task = None
                    self._note_peak(worker, message[1])
                    if worker.tainted:
                        return self._start(stack_dir)
                elif kind == "fatal":
                    raise message[1]
        except (EOFError, OSError):
            pass
        if worker.process.is_alive():
            return None
        worker.process.join(5)
        code = worker.process.exitcode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit {code}"
        if worker.task is None and worker.ready:
            # Died between accounts: nothing lost, replace it.
            return self._start(stack_dir)
        if not worker.ready:
            raise RenderError(f"a batch worker died while starting ({how})")
        yield from self._fail_remaining(worker, f"worker process died ({how})", None)
        return self._start(stack_dir)

    def _time_out(self, worker: _Worker) -> Iterator[ItemOutcome]:
        stacks = self._stacks(worker)
        worker.process.kill()
        worker.process.join(5)
        reason = f"timed out after {self.timeout:g} s (worker killed and replaced)"
        yield from self._fail_remaining(worker, reason, stacks)

    def _fail_remaining(
        self, worker: _Worker, reason: str, trace: str | None
    ) -> Iterator[ItemOutcome]:
        task = worker.task
        assert task is not None
        elapsed = time.monotonic() - worker.assigned
        for kind, audience in worker.remaining:
            yield ItemOutcome(
                account_id=task.account.id, kind=kind, audience=audience, error=reason,
                traceback=trace, duration=elapsed, worker=worker.name,
                peak_rss_mb=worker.peak_mb,
            )
        worker.remaining = []
        worker.task = None

    def _stacks(self, worker: _Worker) -> str | None:
        """Ask the worker for the stacks of its threads; None if it cannot answer."""
        if not hasattr(signal, "SIGUSR1"):
            return None
        try:
            os.kill(worker.process.pid or 0, signal.SIGUSR1)
        except OSError:
            return None
        # The handler writes from C in one go; wait until the file stops growing.
        end = time.monotonic() + STACK_WAIT
        text = ""
        while time.monotonic() < end:
            time.sleep(0.05)
            latest = worker.stack_file.read_text(encoding="utf-8", errors="replace")
            if latest and latest == text:
                break
            text = latest
        return text.strip() or None

    # ----------------------------------------------------------------- workers

    def _start(self, stack_dir: Path) -> _Worker:
        self._count += 1
        name = f"local-{self._count}"
        stack_file = stack_dir / f"{name}.stack"
        parent_conn, child_conn = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_worker_main,
            args=(child_conn, self.setup, name, str(stack_file), self.warm, os.getpid()),
            name=f"kamdocs-batch-{name}",
            daemon=True,
        )
        process.start()
        child_conn.close()
        return _Worker(name, process, parent_conn, stack_file, time.monotonic())

    def _assign(self, worker: _Worker, task: AccountTask) -> None:
        worker.task = task
        worker.remaining = list(task.items)
        worker.assigned = time.monotonic()
        worker.deadline = worker.assigned + (self.timeout or float("inf"))
        worker.conn.send(("task", task))

    def _stop(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            try:
                worker.conn.send(("stop",))
            except OSError:
                pass
            worker.process.join(2)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(5)
        worker.conn.close()
        worker.process.close()

    def _note_peak(self, worker: _Worker, peak: float) -> None:
        worker.peak_mb = max(worker.peak_mb, peak)
        self.worker_peaks[worker.name] = worker.peak_mb


# --------------------------------------------------------------------------- child side


def _worker_main(
    conn: Connection,
    setup: WorkerSetup,
    name: str,
    stack_file: str,
    warm: tuple[tuple[str, Audience], ...],
    parent_pid: int,
) -> None:
    """The worker process: set up once, then build accounts until told to stop."""
    # The parent decides about Ctrl-C; a worker must not die half-way through a message.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent_pid)
    # One worker per core: numerical libraries must not start a thread per core each.
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    stack_fd = os.open(stack_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    if hasattr(signal, "SIGUSR1"):
        faulthandler.register(signal.SIGUSR1, file=stack_fd, all_threads=True)
    try:
        state = WorkerState(setup, name)
        state.warm_up(warm)
    except KamdocsError as exc:
        try:
            conn.send(("fatal", exc))
        except (pickle.PicklingError, TypeError, AttributeError):  # an error that cannot pickle
            conn.send(("fatal", RenderError(str(exc))))
        return
    limit_memory(setup.memory_limit_mb)
    conn.send(("ready", peak_rss_mb()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if message[0] != "task":
            return
        task: AccountTask = message[1]
        for outcome in state.build(task):
            conn.send(("item", outcome))
        conn.send(("done", peak_rss_mb()))


def _die_with_parent(parent_pid: int) -> None:
    """Linux: the kernel kills this worker when the parent dies (e.g. ``kill -9``)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
        except (OSError, AttributeError):
            return
    if os.getppid() != parent_pid:
        os._exit(0)  # the parent died before the request took effect
