"""One bad account never stops the others: exceptions, hangs, memory blow-ups, crashes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from batch_support import account_id, batch, make_account

from kamdocs.batch import FAILED


def _built_text(out: Path, kind: str, number: int) -> str:
    (path,) = (out / kind).glob(f"*_{account_id(number)}_{kind}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_poisoned_and_hanging_accounts_fail_alone_and_are_reported(tmp_path: Path) -> None:
    good = [make_account(n) for n in range(5)]
    poisoned = make_account(7, "POISON Industries")
    hanging = make_account(8, "HANG Logistics")
    result = batch(tmp_path, [*good, poisoned, hanging], timeout=3.0)

    # Every good account has both documents, each saying whose it is.
    for account in good:
        for kind in ("fakeplan", "fakeqbr"):
            assert f"id={account.id}\n" in _built_text(tmp_path, kind, int(account.id[3:15]))
    # The two bad accounts: every item failed, with its own reason.
    failed = {(r.account_id, r.kind): r for r in result.items if r.status == FAILED}
    assert set(failed) == {(a.id, k) for a in (poisoned, hanging) for k in ("fakeplan", "fakeqbr")}
    assert failed[(poisoned.id, "fakeplan")].error == f"ValueError: poisoned account {poisoned.id}"
    assert "raise ValueError" in (failed[(poisoned.id, "fakeplan")].traceback or "")
    hung = failed[(hanging.id, "fakeplan")]
    assert hung.error is not None and hung.error.startswith("timed out after 3 s")
    # The hung worker's stack says where it hung.
    assert "in misbehave" in (hung.traceback or "")
    assert "not built" in (failed[(hanging.id, "fakeqbr")].error or "")
    assert result.exit_code == 1
    assert len(result.items) == 14 and result.count("built") == 10
    # No file of a failed item.
    for bad in (poisoned, hanging):
        assert not list(tmp_path.rglob(f"*{bad.id}*"))

    # Reported in the log (reason + traceback), the manifest and the portfolio report.
    log = (tmp_path / "batch.log").read_text(encoding="utf-8")
    assert f"FAILED {poisoned.id} (POISON Industries) fakeplan" in log
    assert "in misbehave" in log
    with sqlite3.connect(tmp_path / "manifest.sqlite") as db:
        rows = db.execute("SELECT account_id, status, error FROM items WHERE status = 'failed'"
                          " ORDER BY account_id, kind").fetchall()
    assert [r[0] for r in rows] == [poisoned.id, poisoned.id, hanging.id, hanging.id]
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "poisoned account" in page and "timed out after 3 s" in page


@pytest.mark.slow
def test_memory_blowup_and_crashed_worker_fail_only_their_account(tmp_path: Path) -> None:
    good = [make_account(n) for n in (0, 1, 9)]  # 9 is built after the two bad ones
    greedy = make_account(5, "GREEDY Mining")
    crashing = make_account(6, "CRASH Airlines")
    result = batch(tmp_path, [*good, greedy, crashing], kinds=("fakeplan",),
                   memory_limit_mb=256, jobs=1)

    by_account = {r.account_id: r for r in result.items}
    assert all(by_account[a.id].status == "built" for a in good)
    assert by_account[greedy.id].error == (
        "memory limit exceeded (MemoryError; workers may use 256 MB)")
    assert "bytearray(GREEDY_BYTES)" in (by_account[greedy.id].traceback or "")
    assert by_account[crashing.id].error == "worker process died (killed by signal 9)"
    # One worker (jobs=1) was replaced twice: after the MemoryError and after the crash,
    # and the accounts after them were still built.
    assert len(result.worker_peaks) == 3


def test_a_builder_exception_does_not_reach_the_caller(tmp_path: Path) -> None:
    result = batch(tmp_path, [make_account(1, "POISON only")], kinds=("fakeplan",), jobs=1)
    assert [r.status for r in result.items] == ["failed"]
    assert result.summary()["failures"][0]["reason"].startswith("ValueError: poisoned")


def test_a_broken_template_stops_the_run_before_any_account(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kamdocs.errors import TemplateError

    monkeypatch.setenv("BATCH_FAKES_BROKEN_TEMPLATE", "1")
    with pytest.raises(TemplateError, match="no layout named 'Title'") as raised:
        batch(tmp_path, [make_account(1), make_account(2)], kinds=("fakeplan",), jobs=1)
    assert raised.value.exit_code == 4
    assert not (tmp_path / "fakeplan").exists()
    with sqlite3.connect(tmp_path / "manifest.sqlite") as db:
        assert db.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
