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

Workers are fresh interpreters (``python -m kamdocs.batch.child``) talking over a socket
pair: no fork of a parent that holds the whole portfolio and possibly threads, and, unlike
multiprocessing's ``spawn``, no re-import of the caller's ``__main__`` (a script without an
``if __name__ == "__main__"`` guard works). They import the heavy libraries once, in their
set-up. A worker notices its parent's death (the socket closes; on Linux the kernel also
kills it) and exits.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from kamdocs.batch.worker import AccountTask, ItemOutcome, WorkerSetup, WorkerStart
from kamdocs.errors import RenderError
from kamdocs.model import Audience

#: How long a new worker may take to import its libraries and load the templates.
STARTUP_TIMEOUT = 180.0
#: How long the parent waits for a signalled worker to write its stacks.
STACK_WAIT = 1.0


@dataclass
class _Worker:
    name: str
    process: subprocess.Popen[bytes]
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

    def is_alive(self) -> bool:
        return self.process.poll() is None


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
        self._count = 0

    def run(self, tasks: Sequence[AccountTask]) -> Iterator[ItemOutcome]:
        queue = deque(tasks)
        if not queue:
            return
        stack_dir = Path(tempfile.mkdtemp(prefix="kamdocs-batch-"))
        workers: list[_Worker] = []
        try:
            while queue or any(w.task is not None for w in workers):
                # Start (or replace) workers only while there is work for them.
                busy = sum(1 for w in workers if w.task is not None)
                while len(workers) < min(self.jobs, len(queue) + busy):
                    workers.append(self._start(stack_dir))
                for worker in workers:
                    if worker.ready and worker.task is None and queue:
                        self._assign(worker, queue.popleft())
                yield from self._step(workers)
        finally:
            for worker in workers:
                self._ask_to_stop(worker)
            for worker in workers:
                self._stop(worker)
            for path in stack_dir.iterdir():
                path.unlink()
            stack_dir.rmdir()

    # ----------------------------------------------------------------- one turn

    def _step(self, workers: list[_Worker]) -> Iterator[ItemOutcome]:
        """Wait for messages or a deadline; retire workers that died, hung or are tainted."""
        now = time.monotonic()
        deadlines = [w.deadline for w in workers if w.task is not None]
        deadlines += [w.started + STARTUP_TIMEOUT for w in workers if not w.ready]
        wait_for = max(0.0, min([*deadlines, now + 1.0]) - now)
        # A dead worker's socket closes, so its connection turns readable (EOF) too.
        ready = set(wait([w.conn for w in workers], timeout=wait_for))
        for worker in list(workers):
            retire = False
            if worker.conn in ready:
                retire = yield from self._receive(worker)
            elif worker.task is not None and time.monotonic() > worker.deadline:
                yield from self._time_out(worker)
                retire = True
            elif not worker.ready and time.monotonic() > worker.started + STARTUP_TIMEOUT:
                raise RenderError(
                    f"a batch worker did not start within {STARTUP_TIMEOUT:.0f} s"
                )
            if retire:
                self._stop(worker)
                workers.remove(worker)

    def _receive(self, worker: _Worker) -> Generator[ItemOutcome, None, bool]:
        """Handle every message the worker has sent; True when it must be retired."""
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
                        return True
                elif kind == "fatal":
                    raise message[1]
            return False
        except (EOFError, OSError):
            pass  # the socket closed: the worker is gone or going
        try:
            code = worker.process.wait(10)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            code = worker.process.wait()
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit {code}"
        if worker.task is None and worker.ready:
            return True  # died between accounts: nothing lost
        if not worker.ready:
            raise RenderError(f"a batch worker died while starting ({how})")
        yield from self._fail_remaining(worker, f"worker process died ({how})", None)
        return True

    def _time_out(self, worker: _Worker) -> Iterator[ItemOutcome]:
        stacks = self._stacks(worker)
        worker.process.kill()
        worker.process.wait()
        reason = f"timed out after {self.timeout:g} s (worker killed and replaced)"
        yield from self._fail_remaining(worker, reason, stacks)

    def _fail_remaining(
        self, worker: _Worker, reason: str, trace: str | None
    ) -> Iterator[ItemOutcome]:
        task = worker.task
        assert task is not None
        elapsed = time.monotonic() - worker.assigned
        # Items are built in order: the first one left is the one that was running.
        follow = f"not built: the account's {worker.remaining[0][0]} {reason}" \
            if worker.remaining else reason
        for index, (kind, audience) in enumerate(worker.remaining):
            yield ItemOutcome(
                account_id=task.account.id, kind=kind, audience=audience,
                error=follow if index else reason, traceback=None if index else trace,
                duration=0.0 if index else elapsed, worker=worker.name,
                peak_rss_mb=worker.peak_mb,
            )
        worker.remaining = []
        worker.task = None

    def _stacks(self, worker: _Worker) -> str | None:
        """Ask the worker for the stacks of its threads; None if it cannot answer."""
        if not hasattr(signal, "SIGUSR1"):
            return None
        try:
            os.kill(worker.process.pid, signal.SIGUSR1)
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
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        # The worker must find this very kamdocs before it is told the parent's sys.path
        # (a source checkout that is not installed, a zipapp...).
        package_root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_root, env.get("PYTHONPATH", "")) if p
        )
        # One worker per core: numerical libraries must not start a thread per core each.
        for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(variable, "1")
        with theirs:
            process = subprocess.Popen(
                [sys.executable, "-m", "kamdocs.batch.child", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=env,
            )
        conn = Connection(ours.detach())
        # The import path first: the start message holds classes the worker must import.
        conn.send(tuple(sys.path))
        conn.send(WorkerStart(
            setup=self.setup, name=name, stack_file=str(stack_file), warm=self.warm,
            parent_pid=os.getpid(),
        ))
        return _Worker(name, process, conn, stack_file, time.monotonic())

    def _assign(self, worker: _Worker, task: AccountTask) -> None:
        worker.task = task
        worker.remaining = list(task.items)
        worker.assigned = time.monotonic()
        worker.deadline = worker.assigned + (self.timeout or float("inf"))
        worker.conn.send(("task", task))

    def _ask_to_stop(self, worker: _Worker) -> None:
        if worker.is_alive() and not worker.conn.closed:
            try:
                worker.conn.send(("stop",))
            except OSError:
                pass  # already gone

    def _stop(self, worker: _Worker) -> None:
        self._ask_to_stop(worker)
        if worker.is_alive():
            try:
                worker.process.wait(5)
            except subprocess.TimeoutExpired:
                pass
        if worker.is_alive():
            worker.process.kill()
        worker.process.wait()
        if not worker.conn.closed:
            worker.conn.close()

    def _note_peak(self, worker: _Worker, peak: float) -> None:
        worker.peak_mb = max(worker.peak_mb, peak)
        self.worker_peaks[worker.name] = worker.peak_mb
