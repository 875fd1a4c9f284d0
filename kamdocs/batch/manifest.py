"""The batch manifest: a SQLite database in the output folder.

Tables:

- ``runs``: one row per ``kamdocs batch`` run (as-of, kinds, executor, counts, status).
- ``items``: one row per item per run: account, kind, audience, the fingerprints of its
  key (input, template, config, code, version), output path and hash, the files written
  with their hashes, status (built, skipped, failed), error, traceback, duration.
- ``rejected``: accounts the loader rejected, per run, with the reasons.
- ``snapshots``: one canonical model JSON per account and as-of date (zlib-compressed);
  the next review's run derives "changes since the last review" from it.

Each item is committed as soon as its files are on disk, so a run killed at any point
leaves a manifest that tells exactly which files are complete. The database is opened in
exclusive locking mode: a second batch on the same folder fails at once instead of racing.
No wall-clock times are stored (runs are numbered; durations come from a monotonic clock).
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kamdocs.errors import UsageError

MANIFEST_NAME = "manifest.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY,
    as_of TEXT NOT NULL,
    source TEXT NOT NULL,
    kinds TEXT NOT NULL,
    audiences TEXT NOT NULL,
    executor TEXT NOT NULL,
    jobs INTEGER NOT NULL,
    forced INTEGER NOT NULL,
    kamdocs_version TEXT NOT NULL,
    config_hash TEXT NOT NULL,
    template_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    items_total INTEGER NOT NULL DEFAULT 0,
    built INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    duration REAL
);
CREATE TABLE IF NOT EXISTS items (
    run_id INTEGER NOT NULL REFERENCES runs(run_id),
    account_id TEXT NOT NULL,
    account_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    audience TEXT NOT NULL,
    item_key TEXT NOT NULL,
    input_hash TEXT NOT NULL,
    template_hash TEXT NOT NULL,
    config_hash TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    kamdocs_version TEXT NOT NULL,
    as_of TEXT NOT NULL,
    output_path TEXT,
    output_hash TEXT,
    files TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL,
    problems TEXT NOT NULL DEFAULT '[]',
    error TEXT,
    traceback TEXT,
    duration REAL NOT NULL DEFAULT 0,
    worker TEXT,
    worker_peak_mb REAL,
    PRIMARY KEY (run_id, account_id, kind, audience)
);
CREATE INDEX IF NOT EXISTS items_by_item ON items (account_id, kind, audience, status);
CREATE TABLE IF NOT EXISTS rejected (
    run_id INTEGER NOT NULL REFERENCES runs(run_id),
    account_id TEXT NOT NULL,
    account_name TEXT,
    reasons TEXT NOT NULL,
    PRIMARY KEY (run_id, account_id)
);
CREATE TABLE IF NOT EXISTS snapshots (
    account_id TEXT NOT NULL,
    as_of TEXT NOT NULL,
    run_id INTEGER NOT NULL,
    model_hash TEXT NOT NULL,
    model_json BLOB NOT NULL,
    PRIMARY KEY (account_id, as_of)
);
"""

#: Item states. "skipped" = up to date, verified by hash, not rebuilt in this run.
BUILT, SKIPPED, FAILED = "built", "skipped", "failed"


@dataclass(frozen=True)
class ItemRecord:
    """One item as the manifest knows it (one row of ``items``)."""

    account_id: str
    account_name: str
    kind: str
    audience: str
    item_key: str
    input_hash: str
    template_hash: str
    config_hash: str
    code_hash: str
    kamdocs_version: str
    as_of: str
    status: str
    #: Output folder-relative path of the document (or the pack folder); None when failed.
    output_path: str | None = None
    #: sha256 over ``files`` (path and hash of each file written for the item).
    output_hash: str | None = None
    files: tuple[tuple[str, str], ...] = ()
    problems: tuple[str, ...] = ()
    error: str | None = None
    traceback: str | None = None
    duration: float = 0.0
    worker: str | None = None
    worker_peak_mb: float | None = None

    @property
    def is_ok(self) -> bool:
        return self.status in (BUILT, SKIPPED)


@dataclass(frozen=True)
class RunInfo:
    as_of: date
    source: str
    kinds: tuple[str, ...]
    audiences: tuple[str, ...]
    executor: str
    jobs: int
    forced: bool
    kamdocs_version: str
    config_hash: str
    template_hash: str


class Manifest:
    """The open manifest of one output folder; use as a context manager."""

    def __init__(self, out: Path) -> None:
        self.path = out / MANIFEST_NAME
        out.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, one transaction per item.
        self._db = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            self._db.execute("PRAGMA locking_mode=EXCLUSIVE")
            self._db.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL survives a killed process (only an OS crash can lose the last
            # commits, and then the files are re-verified by hash anyway).
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            # Take the write lock now; exclusive mode keeps it until close.
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self._db.close()
            if "locked" in str(exc):
                raise UsageError(
                    f"{out}: another kamdocs batch is writing to this folder; wait for it"
                ) from None
            raise UsageError(f"{self.path}: not a usable manifest ({exc})") from None
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise UsageError(f"{self.path}: not a usable manifest ({exc})") from None

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._db.in_transaction:
            self._db.execute("COMMIT")
        self._db.close()

    # ----------------------------------------------------------------- runs

    def start_run(self, info: RunInfo) -> int:
        self._begin()
        cursor = self._db.execute(
            "INSERT INTO runs (as_of, source, kinds, audiences, executor, jobs, forced,"
            " kamdocs_version, config_hash, template_hash, status)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running')",
            (
                info.as_of.isoformat(), info.source, ",".join(info.kinds),
                ",".join(info.audiences), info.executor, info.jobs, int(info.forced),
                info.kamdocs_version, info.config_hash, info.template_hash,
            ),
        )
        self._db.execute("COMMIT")
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def finish_run(self, run_id: int, status: str, duration: float) -> None:
        self._begin()
        counts = dict(
            self._db.execute(
                "SELECT status, COUNT(*) FROM items WHERE run_id = ? GROUP BY status", (run_id,)
            ).fetchall()
        )
        rejected = self._db.execute(
            "SELECT COUNT(*) FROM rejected WHERE run_id = ?", (run_id,)
        ).fetchone()[0]
        self._db.execute(
            "UPDATE runs SET status = ?, items_total = ?, built = ?, skipped = ?, failed = ?,"
            " rejected = ?, duration = ? WHERE run_id = ?",
            (
                status, sum(counts.values()), counts.get(BUILT, 0), counts.get(SKIPPED, 0),
                counts.get(FAILED, 0), rejected, duration, run_id,
            ),
        )
        self._db.execute("COMMIT")

    def runs(self) -> list[dict[str, object]]:
        cursor = self._db.execute("SELECT * FROM runs ORDER BY run_id")
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # ----------------------------------------------------------------- items

    def record(self, run_id: int, item: ItemRecord) -> None:
        """Store one finished item (its files are already on disk) and commit."""
        self._begin()
        self._insert(run_id, item)
        self._db.execute("COMMIT")

    def _insert(self, run_id: int, item: ItemRecord) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO items (run_id, account_id, account_name, kind, audience,"
            " item_key, input_hash, template_hash, config_hash, code_hash, kamdocs_version,"
            " as_of, output_path, output_hash, files, status, problems, error, traceback,"
            " duration, worker, worker_peak_mb)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run_id, item.account_id, item.account_name, item.kind, item.audience,
                item.item_key, item.input_hash, item.template_hash, item.config_hash,
                item.code_hash, item.kamdocs_version, item.as_of, item.output_path,
                item.output_hash, json.dumps([list(f) for f in item.files]), item.status,
                json.dumps(list(item.problems)), item.error, item.traceback, item.duration,
                item.worker, item.worker_peak_mb,
            ),
        )

    def record_many(self, run_id: int, items: Iterable[ItemRecord]) -> None:
        """Store many items in one transaction (the skipped items of a rerun)."""
        self._begin()
        for item in items:
            self._insert(run_id, item)
        self._db.execute("COMMIT")

    def latest_built(self, account_id: str, kind: str, audience: str) -> ItemRecord | None:
        """The newest successful record of an item in any run, or None."""
        cursor = self._db.execute(
            "SELECT * FROM items WHERE account_id = ? AND kind = ? AND audience = ?"
            " AND status IN (?, ?) ORDER BY run_id DESC LIMIT 1",
            (account_id, kind, audience, BUILT, SKIPPED),
        )
        rows = list(self._rows(cursor))
        return rows[0] if rows else None

    def latest_built_all(self) -> dict[tuple[str, str, str], ItemRecord]:
        """The newest successful record of every item, in one query (reruns of big folders)."""
        cursor = self._db.execute(
            "SELECT i.* FROM items i JOIN (SELECT account_id, kind, audience,"
            " MAX(run_id) AS run_id FROM items WHERE status IN (?, ?)"
            " GROUP BY account_id, kind, audience) latest USING (account_id, kind, audience,"
            " run_id)",
            (BUILT, SKIPPED),
        )
        return {(r.account_id, r.kind, r.audience): r for r in self._rows(cursor)}

    def items(self, run_id: int) -> list[ItemRecord]:
        cursor = self._db.execute(
            "SELECT * FROM items WHERE run_id = ? ORDER BY account_id, kind, audience",
            (run_id,),
        )
        return list(self._rows(cursor))

    def _rows(self, cursor: sqlite3.Cursor) -> Iterator[ItemRecord]:
        names = [c[0] for c in cursor.description]
        for row in cursor.fetchall():
            values = dict(zip(names, row, strict=True))
            values.pop("run_id")
            values["files"] = tuple(tuple(f) for f in json.loads(values["files"]))
            values["problems"] = tuple(json.loads(values["problems"]))
            yield ItemRecord(**values)

    # ----------------------------------------------------------------- rejected

    def record_rejected(
        self, run_id: int, rejected: Iterable[tuple[str, str | None, tuple[str, ...]]]
    ) -> None:
        self._begin()
        self._db.executemany(
            "INSERT OR REPLACE INTO rejected (run_id, account_id, account_name, reasons)"
            " VALUES (?, ?, ?, ?)",
            [(run_id, a, n, json.dumps(list(r))) for a, n, r in rejected],
        )
        self._db.execute("COMMIT")

    # ----------------------------------------------------------------- snapshots

    def store_snapshots(
        self, run_id: int, as_of: date, snapshots: Iterable[tuple[str, str, str]]
    ) -> None:
        """Store (account_id, model_hash, model_json) for ``as_of``, replacing a rerun's."""
        self._begin()
        self._db.executemany(
            "INSERT OR REPLACE INTO snapshots (account_id, as_of, run_id, model_hash, model_json)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (account_id, as_of.isoformat(), run_id, model_hash,
                 zlib.compress(model_json.encode(), 6))
                for account_id, model_hash, model_json in snapshots
            ],
        )
        self._db.execute("COMMIT")

    def snapshot_hashes(self, as_of: date) -> dict[str, str]:
        """Account id -> model hash of the snapshots stored for ``as_of``."""
        cursor = self._db.execute(
            "SELECT account_id, model_hash FROM snapshots WHERE as_of = ?", (as_of.isoformat(),)
        )
        return dict(cursor.fetchall())

    def previous_snapshots(self, before: date) -> dict[str, tuple[date, str]]:
        """Per account, the newest snapshot strictly before ``before``: (as_of, model JSON).

        Strictly before: a rerun on the same as-of date compares with the last review, not
        with itself, so its documents (and keys) stay the same.
        """
        cursor = self._db.execute(
            "SELECT s.account_id, s.as_of, s.model_json FROM snapshots s JOIN ("
            " SELECT account_id, MAX(as_of) AS as_of FROM snapshots WHERE as_of < ?"
            " GROUP BY account_id) latest USING (account_id, as_of)",
            (before.isoformat(),),
        )
        return {
            account_id: (date.fromisoformat(as_of), zlib.decompress(blob).decode())
            for account_id, as_of, blob in cursor.fetchall()
        }

    def _begin(self) -> None:
        if not self._db.in_transaction:
            self._db.execute("BEGIN IMMEDIATE")
