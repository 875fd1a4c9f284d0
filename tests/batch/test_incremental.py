"""Reruns rebuild only what changed; --jobs never changes a byte; --force rebuilds all."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
from batch_support import batch, files_of, make_account

from kamdocs.config import Settings, TierSettings


def test_jobs_1_and_jobs_2_write_identical_bytes(tmp_path: Path) -> None:
    accounts = [make_account(n) for n in range(6)]
    one = batch(tmp_path / "one", accounts, jobs=1, kinds=("fakeplan", "fakeqbr", "fakepack"))
    two = batch(tmp_path / "two", accounts, jobs=2, kinds=("fakeplan", "fakeqbr", "fakepack"))
    assert one.exit_code == two.exit_code == 0
    first, second = files_of(tmp_path / "one"), files_of(tmp_path / "two")
    # 6 accounts x (plan + qbr + a two-file pack) + xlsx, html, 3 Salesforce CSVs.
    assert len(first) == 6 * 4 + 5
    assert first == second


def test_rerun_rebuilds_nothing_and_a_changed_account_only_its_own_items(tmp_path: Path) -> None:
    accounts = [make_account(n) for n in range(5)]
    first = batch(tmp_path, accounts)
    assert first.count("built") == 10
    before = files_of(tmp_path)

    again = batch(tmp_path, accounts)
    assert again.count("built") == 0 and again.count("skipped") == 10
    assert files_of(tmp_path) == before

    changed = dataclasses.replace(accounts[2], revenue=dataclasses.replace(
        accounts[2].revenue, current_annual=Decimal("123456")))
    third = batch(tmp_path, [*accounts[:2], changed, *accounts[3:]])
    rebuilt = {(r.account_id, r.kind) for r in third.items if r.status == "built"}
    assert rebuilt == {(changed.id, "fakeplan"), (changed.id, "fakeqbr")}
    after = files_of(tmp_path)
    differing = {name for name in before if before[name] != after.get(name)}
    assert {n for n in differing if n.startswith("fake")} == {
        n for n in before if n.startswith("fake") and changed.id in n}
    plan = next(n for n in after if n.startswith("fakeplan/") and changed.id in n)
    assert b"revenue=123456\n" in after[plan]


def test_changed_config_rebuilds_everything_and_force_too(tmp_path: Path) -> None:
    accounts = [make_account(n) for n in range(3)]
    batch(tmp_path, accounts, kinds=("fakeplan",))
    other = Settings(tiers=TierSettings(tier1_count=7))
    assert batch(tmp_path, accounts, other, kinds=("fakeplan",)).count("built") == 3
    assert batch(tmp_path, accounts, other, kinds=("fakeplan",)).count("built") == 0
    assert batch(tmp_path, accounts, other, kinds=("fakeplan",), force=True).count("built") == 3


def test_a_damaged_or_deleted_output_is_rebuilt_not_trusted(tmp_path: Path) -> None:
    accounts = [make_account(n) for n in range(3)]
    batch(tmp_path, accounts, kinds=("fakeplan",))
    files = sorted((tmp_path / "fakeplan").glob("*.txt"))
    original = files[0].read_bytes()
    files[0].write_bytes(b"edited by hand")
    files[1].unlink()
    result = batch(tmp_path, accounts, kinds=("fakeplan",))
    assert result.count("built") == 2 and result.count("skipped") == 1
    assert files[0].read_bytes() == original and files[1].is_file()


def test_both_audiences_of_a_kind_sit_side_by_side(tmp_path: Path) -> None:
    from kamdocs.model import Audience

    account = make_account(4)
    batch(tmp_path, [account], kinds=("fakeplan",),
          audiences=(Audience.INTERNAL, Audience.CUSTOMER))
    internal = (tmp_path / "fakeplan").glob(f"*_{account.id}_fakeplan_2026-11-23.txt")
    customer = (tmp_path / "fakeplan").glob(f"*_{account.id}_fakeplan-customer_2026-11-23.txt")
    internal_text = next(internal).read_text(encoding="utf-8")
    customer_text = next(customer).read_text(encoding="utf-8")
    # The builder saw the internal tier only in the internal document: the audience filter
    # ran before render in the worker.
    assert f"tier={account.tiering.current_tier}\n" in internal_text
    assert "audience=customer\n" in customer_text and "tier=None\n" in customer_text


def test_a_second_batch_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    from kamdocs.batch import Manifest
    from kamdocs.errors import UsageError

    with Manifest(tmp_path), pytest.raises(UsageError, match="another kamdocs batch"):
        batch(tmp_path, [make_account(1)], kinds=("fakeplan",))


def test_temporaries_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / "fakeplan" / ".acme_001_fakeplan.txt.abc123.tmp"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half a fi")
    batch(tmp_path, [make_account(1)], kinds=("fakeplan",), jobs=1)
    assert not stale.exists()
