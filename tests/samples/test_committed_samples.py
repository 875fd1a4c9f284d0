"""samples/ is exactly what the generator writes for the documented seed, and loads cleanly."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd

from kamdocs import samples
from kamdocs.config import load_settings
from kamdocs.data.loading import read_tables
from tests import scenarios

SAMPLES = scenarios.SAMPLES_DIR
AS_OF = scenarios.AS_OF


def test_committed_csvs_equal_the_generator_output(
        sample_frames: dict[str, pd.DataFrame]) -> None:
    committed = sorted(p.name for p in SAMPLES.glob("*.csv"))
    assert committed == sorted(f"{name}.csv" for name in sample_frames)
    for name, frame in sample_frames.items():
        on_disk = (SAMPLES / f"{name}.csv").read_bytes()
        assert on_disk == samples.csv_bytes(frame), (
            f"samples/{name}.csv differs from the generator: regenerate with "
            "`kamdocs samples generate samples` (see samples/README.md)"
        )


def test_committed_config_names_our_company() -> None:
    text = (SAMPLES / "kamdocs.toml").read_text(encoding="utf-8")
    assert text == samples.config_toml()
    assert tomllib.loads(text)["company"]["name"] == scenarios.COMPANY_NAME
    settings = load_settings(SAMPLES / "kamdocs.toml")
    assert settings.company.name == scenarios.COMPANY_NAME
    assert settings.locale.currency == "USD"
    # The logo the config names is there and names the same company.
    assert settings.templates.logo == samples.LOGO_NAME
    assert (SAMPLES / samples.LOGO_NAME).read_bytes() == samples.logo_png(scenarios.COMPANY_NAME)


def test_samples_folder_stays_small() -> None:
    total = sum(p.stat().st_size for p in SAMPLES.iterdir() if p.is_file())
    assert total < 2_000_000


def test_readme_documents_the_regeneration_command() -> None:
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    assert (f"kamdocs samples generate samples --accounts {samples.SAMPLES_ACCOUNTS} "
            f"--seed {samples.SAMPLES_SEED} --as-of {samples.SAMPLES_AS_OF}") in readme


def test_marked_accounts_are_the_documented_ones(
        sample_frames: dict[str, pd.DataFrame]) -> None:
    assert tuple(samples.account_ids_with_markers(sample_frames)) == (
        scenarios.MARKED_ACCOUNT_IDS)


def test_samples_validate_with_no_problem_at_all(tmp_path: Path) -> None:
    loaded = read_tables(SAMPLES, load_settings(SAMPLES / "kamdocs.toml"))
    assert [str(p) for p in loaded.problems] == []
    assert not loaded.rejected and not loaded.rejected_tables and not loaded.absent
    assert loaded.ignored_columns == {} or not any(loaded.ignored_columns.values())
    assert len(loaded.tables["Account"]) == samples.SAMPLES_ACCOUNTS


def _readme_account(label: str, frames: dict[str, pd.DataFrame]) -> str:
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    assert f"`{label}`" in readme
    accounts = frames["Account"]
    return accounts[accounts["Name"] == label]["Id"].item()


def test_readme_examples_are_true(sample_frames: dict[str, pd.DataFrame]) -> None:
    from tests.samples.test_generator import _renewal_statuses

    frames = sample_frames
    statuses = _renewal_statuses(frames)
    assert statuses[_readme_account("Chandrapur Capital Ltd.", frames)] == "late, missing"
    assert statuses[_readme_account("Harbourside Media Inc.", frames)] == "in window, covered"
    assert statuses[_readme_account("Rochefort Industries SAS", frames)] == "lapsed"
    healthy = _readme_account("Pilbara Markets Limited", frames)
    tasks = frames["Task"]
    mine = tasks[(tasks["AccountId"] == healthy) | (tasks["WhatId"] == healthy)]
    overdue = (mine["IsClosed"] == "false") & (mine["ActivityDate"] < AS_OF.isoformat())
    assert not overdue.any()
    kpis = frames["KPI_Measurement__c"]
    latest = kpis[kpis["Account__c"] == healthy].sort_values("Period_End__c").groupby(
        "Name").tail(1)
    actual, target = latest["Actual__c"].astype(float), latest["Target__c"].astype(float)
    higher = latest["Higher_Is_Better__c"] == "true"
    assert len(latest) and ((higher & (actual >= target)) | (~higher & (actual <= target))).all()
    single = _readme_account("Blackthorn Freight AG", frames)
    contacts = frames["Contact"]
    assert contacts[contacts["AccountId"] == single]["Access_Owner__c"].notna().sum() == 1
    bare = _readme_account("Wolverton Therapeutics", frames)
    assert bare not in set(frames["KPI_Measurement__c"]["Account__c"])
    assert bare not in set(frames["Account_Plan__c"]["Account__c"])
    child = _readme_account("Blackthorn Freight Americas Ltd.", frames)
    parents = frames["Account"].set_index("Id")["ParentId"]
    assert parents[child] == single
    marked = [_readme_account(name, frames) for name in (
        "Quarrystone Bank Corp.", "Baltica Lines S.A.", "Istria Mutual S.p.A.",
        "Harbourside Media Inc.")]
    assert tuple(sorted(marked)) == scenarios.MARKED_ACCOUNT_IDS
