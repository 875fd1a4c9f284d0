"""The portfolio batch: every selected account's documents in one resumable, isolated run.

Public API::

    from kamdocs.batch import BatchRequest, run_batch
    result = run_batch(portfolio, settings, BatchRequest(out=Path("out"), kinds=("plan",)))
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

from kamdocs.batch.manifest import BUILT, FAILED, MANIFEST_NAME, SKIPPED, ItemRecord, Manifest
from kamdocs.batch.runner import BatchRequest, BatchResult, Progress, default_jobs, run_batch
from kamdocs.batch.select import read_account_keys

__all__ = [
    "BUILT", "FAILED", "MANIFEST_NAME", "SKIPPED", "BatchRequest", "BatchResult", "ItemRecord",
    "Manifest", "Progress", "default_jobs", "read_account_keys", "run_batch",
]
