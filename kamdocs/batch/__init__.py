"""The portfolio batch: every selected account's documents in one resumable, isolated run.

Public API::

    from kamdocs.batch import BatchRequest, run, run_batch
    request = BatchRequest(out=Path("out"), kinds=("plan", "qbr"), jobs=2)
    result = run("data/", settings, as_of, request)        # load once, then build
    result = run_batch(portfolio, settings, request)       # an already loaded portfolio
    result.exit_code, result.summary()

Modules: :mod:`~kamdocs.batch.runner` (orchestration), :mod:`~kamdocs.batch.pool` (local
process pool: timeouts, crashes, memory), :mod:`~kamdocs.batch.cluster` (Dask),
:mod:`~kamdocs.batch.worker` (what runs in a worker), :mod:`~kamdocs.batch.manifest`
(SQLite), :mod:`~kamdocs.batch.keys` (incremental fingerprints),
:mod:`~kamdocs.batch.outputs` (paths, atomic writes, verification), and the portfolio files:
:mod:`~kamdocs.batch.tables`, :mod:`~kamdocs.batch.workbook`, :mod:`~kamdocs.batch.report`,
:mod:`~kamdocs.batch.salesforce`, :mod:`~kamdocs.batch.reports`. See docs/batch.md.
"""

from __future__ import annotations

import importlib
from typing import Any

# Names -> defining module, imported on first use: a worker process starts with
# ``python -m kamdocs.batch.child``, which imports this package first, and must not pay
# for openpyxl, jinja2 and the rest of the parent's side.
_EXPORTS = {
    "BUILT": "manifest", "FAILED": "manifest", "MANIFEST_NAME": "manifest",
    "SKIPPED": "manifest", "ItemRecord": "manifest", "Manifest": "manifest",
    "BatchRequest": "runner", "BatchResult": "runner", "Progress": "runner",
    "default_jobs": "runner", "run": "runner", "run_batch": "runner",
    "read_account_keys": "select",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'kamdocs.batch' has no attribute {name!r}")
    return getattr(importlib.import_module(f"kamdocs.batch.{_EXPORTS[name]}"), name)
