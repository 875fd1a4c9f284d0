"""A local batch worker process: ``python -m kamdocs.batch.child FD``.

FD is this end of a socket pair to the parent (:mod:`kamdocs.batch.pool`). The first
message is the parent's ``sys.path``, the second a
:class:`~kamdocs.batch.worker.WorkerStart`; then ("task", AccountTask) until
("stop",) or the parent goes away. Replies: ("ready", peak MB) once set up, ("item",
ItemOutcome) per document, ("done", peak MB) per account, ("fatal", error) when the set-up
fails for a reason that no account can fix (a broken template).
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import signal
import sys
from multiprocessing.connection import Connection

from kamdocs.batch.worker import (
    AccountTask,
    WorkerStart,
    WorkerState,
    limit_memory,
    peak_rss_mb,
)
from kamdocs.errors import KamdocsError, RenderError


def main(fd: int) -> None:
    conn = Connection(fd)
    # The parent decides about Ctrl-C; a worker must not die half-way through a message.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        # The parent's import path, so plugins and builders importable there import here.
        parent_path: tuple[str, ...] = conn.recv()
        sys.path[:] = list(dict.fromkeys([*parent_path, *sys.path]))
        start: WorkerStart = conn.recv()
    except (EOFError, OSError):
        return
    _die_with_parent(start.parent_pid)
    stack_fd = os.open(start.stack_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    if hasattr(signal, "SIGUSR1"):
        faulthandler.register(signal.SIGUSR1, file=stack_fd, all_threads=True)
    try:
        state = WorkerState(start.setup, start.name)
        state.warm_up(start.warm)
    except KamdocsError as exc:
        try:
            conn.send(("fatal", exc))
        except (pickle.PicklingError, TypeError, AttributeError):  # an error that cannot pickle
            conn.send(("fatal", RenderError(str(exc))))
        return
    limit_memory(start.setup.memory_limit_mb)
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


if __name__ == "__main__":
    main(int(sys.argv[1]))
