"""The same account tasks on a Dask distributed cluster (``--executor dask``).

Workers return the bytes of each document to the client, which writes them into the
output folder exactly as a local run does. No shared file system is needed and the
manifest has one writer; the price is that every document crosses the network once.

On each Dask worker a :class:`KamdocsWorkerPlugin` keeps one
:class:`~kamdocs.batch.worker.WorkerState` per worker thread (builders are not meant to be
shared between threads), so libraries and templates load once per thread, not per account.

Isolation on a cluster: an exception fails only its item (same code as local). A time
limit is enforced per account inside the task: each document builds in a helper thread;
when the account's deadline passes, its remaining items fail with the stack of the hung
thread, and that thread's builders are dropped. Python cannot kill a thread, so the hung
thread lives on until the worker restarts. Memory is bounded by Dask itself (start
workers with ``--memory-limit``): a task that kills its worker ends as ``KilledWorker``,
reported as that account's failure.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
import time
import traceback
from collections.abc import Iterator, Sequence
from typing import Any

from distributed import Client, KilledWorker, as_completed, get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from kamdocs.batch.worker import (
    AccountTask,
    ItemOutcome,
    WorkerSetup,
    WorkerState,
    snapshot_json,
)
from kamdocs.errors import UsageError
from kamdocs.model import Audience

PLUGIN_NAME = "kamdocs-batch"


class KamdocsWorkerPlugin(WorkerPlugin):
    """Registered on every worker of the cluster; holds the per-thread builder states."""

    name = PLUGIN_NAME

    def __init__(self, worker_setup: WorkerSetup, warm: tuple[tuple[str, Audience], ...]) -> None:
        self.worker_setup = worker_setup
        self.warm = warm
        self._local = threading.local()
        self._address = ""

    def __getstate__(self) -> dict[str, Any]:
        return {"worker_setup": self.worker_setup, "warm": self.warm}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["worker_setup"], state["warm"])  # type: ignore[misc]

    def setup(self, worker: Any) -> None:
        self._address = str(worker.address)

    def state(self) -> WorkerState:
        state = getattr(self._local, "state", None)
        if state is None:
            name = f"dask-{self._address}-{threading.get_ident()}"
            state = WorkerState(self.worker_setup, name)
            state.warm_up(self.warm)
            self._local.state = state
        return state

    def forget_state(self) -> None:
        """Drop this thread's builders (after a hung build kept using them)."""
        self._local.state = None


def build_on_worker(task: AccountTask, timeout: float | None) -> list[ItemOutcome]:
    """The Dask task: build one account's items on this worker, within the time limit."""
    plugin = get_worker().plugins[PLUGIN_NAME]
    state = plugin.state()
    deadline = time.monotonic() + timeout if timeout else None
    outcomes = []
    for kind, audience in task.items:
        if deadline is None:
            outcomes.append(state.build_item(task.account, kind, audience))
            continue
        remaining = deadline - time.monotonic()
        outcome = _build_with_deadline(state, task, kind, audience, remaining, timeout)
        if outcome.error is not None and outcome.error.startswith("timed out"):
            plugin.forget_state()
            state = plugin.state()
        outcomes.append(outcome)
    if task.snapshot and outcomes:
        outcomes[-1] = dataclasses.replace(outcomes[-1], snapshot=snapshot_json(task.account))
    return outcomes


def _build_with_deadline(
    state: WorkerState, task: AccountTask, kind: str, audience: Audience, remaining: float,
    timeout: float | None,
) -> ItemOutcome:
    result: list[ItemOutcome] = []
    thread = threading.Thread(
        target=lambda: result.append(state.build_item(task.account, kind, audience)),
        name=f"kamdocs-{task.account.id}-{kind}", daemon=True,
    )
    start = time.monotonic()
    thread.start()
    thread.join(max(remaining, 0.0))
    if result:
        return result[0]
    frame = sys._current_frames().get(thread.ident or 0)
    stack = "".join(traceback.format_stack(frame)) if frame is not None else None
    return ItemOutcome(
        account_id=task.account.id, kind=kind, audience=audience,
        error=f"timed out after {timeout:g} s (the hung thread stays on {state.name} "
              "until that worker restarts)",
        traceback=stack, duration=time.monotonic() - start, worker=state.name,
    )


class DaskExecutor:
    """Submit account tasks to a cluster, a bounded number in flight; yield outcomes."""

    def __init__(
        self,
        setup: WorkerSetup,
        scheduler: str | None,
        timeout: float | None,
        warm: tuple[tuple[str, Audience], ...],
        client: Any = None,
    ) -> None:
        self.setup = setup
        self.scheduler = scheduler
        self.timeout = timeout
        self.warm = warm
        self.client = client
        self.worker_peaks: dict[str, float] = {}

    def run(self, tasks: Sequence[AccountTask]) -> Iterator[ItemOutcome]:
        if not tasks:
            return
        client = self.client
        own = client is None
        if own:
            try:
                client = Client(self.scheduler, timeout="30s")
            except (OSError, TimeoutError) as exc:
                raise UsageError(f"cannot reach the Dask scheduler {self.scheduler}: {exc}") \
                    from None
        try:
            client.register_plugin(KamdocsWorkerPlugin(self.setup, self.warm), name=PLUGIN_NAME)
            threads = sum(client.nthreads().values()) or 1
            # A bounded window: 50,000 accounts are not all serialised up front.
            window = max(8, 4 * threads)
            queue = list(reversed(tasks))
            pending: dict[Any, AccountTask] = {}
            completed = as_completed()
            while queue and len(pending) < window:
                self._submit(client, queue.pop(), pending, completed)
            for future in completed:
                task = pending.pop(future)
                yield from self._outcomes(future, task)
                if queue:
                    self._submit(client, queue.pop(), pending, completed)
        finally:
            if own:
                client.close()

    def _submit(self, client: Any, task: AccountTask, pending: dict[Any, AccountTask],
                completed: Any) -> None:
        future = client.submit(build_on_worker, task, self.timeout, pure=False)
        pending[future] = task
        completed.add(future)

    def _outcomes(self, future: Any, task: AccountTask) -> Iterator[ItemOutcome]:
        try:
            outcomes = future.result()
        except KilledWorker as exc:
            reason = f"the Dask worker running it died ({exc})"
            for kind, audience in task.items:
                yield ItemOutcome(account_id=task.account.id, kind=kind, audience=audience,
                                  error=reason, worker="dask")
            return
        for outcome in outcomes:
            self.worker_peaks[outcome.worker] = max(
                self.worker_peaks.get(outcome.worker, 0.0), outcome.peak_rss_mb
            )
            yield outcome
