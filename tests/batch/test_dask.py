"""The same items on a Dask cluster: manifest and outputs equal to the local run."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from batch_support import batch, files_of, make_account

distributed = pytest.importorskip("distributed", reason="Dask distributed is not installed")

_COMPARED = ("account_id", "kind", "audience", "item_key", "input_hash", "status", "output_path",
             "output_hash", "files", "error")


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    # In-process workers (threads): fast to start, and the stand-in builders are registered.
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as dask_client:
            yield dask_client


def _items(out: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(out / "manifest.sqlite") as db:
        return db.execute(f"SELECT {', '.join(_COMPARED)} FROM items"
                          " ORDER BY account_id, kind, audience").fetchall()


@pytest.mark.slow
def test_dask_run_equals_the_local_run(tmp_path: Path, client: object) -> None:
    accounts = [make_account(n) for n in range(5)] + [make_account(9, "POISON Chemicals")]
    kinds = ("fakeplan", "fakeqbr", "fakepack")
    local = batch(tmp_path / "local", accounts, kinds=kinds)
    remote = batch(tmp_path / "dask", accounts, kinds=kinds, executor="dask", client=client)
    assert remote.exit_code == local.exit_code == 1
    assert files_of(tmp_path / "dask") == files_of(tmp_path / "local")
    assert _items(tmp_path / "dask") == _items(tmp_path / "local")
    assert {r.error for r in remote.failed} == {f"ValueError: poisoned account {accounts[-1].id}"}


def test_a_hung_account_on_dask_fails_alone_with_its_stack(tmp_path: Path, client: object) -> None:
    accounts = [make_account(1), make_account(2, "HANG Shipping")]
    result = batch(tmp_path, accounts, kinds=("fakeplan",), executor="dask", client=client,
                   timeout=1.0)
    states = {r.account_id: r for r in result.items}
    assert states[accounts[0].id].status == "built"
    hung = states[accounts[1].id]
    assert hung.status == "failed" and (hung.error or "").startswith("timed out after 1 s")
    assert "in misbehave" in (hung.traceback or "")
