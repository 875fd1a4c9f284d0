"""The test scenarios have what they promise, and every one of them loads cleanly."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from kamdocs.config import load_settings
from kamdocs.data import schemas as sf
from kamdocs.data.loading import read_tables
from kamdocs.errors import Severity
from tests import scenarios


def _tasks_of(frames: dict[str, pd.DataFrame], account: str) -> pd.DataFrame:
    # A task belongs to the account by AccountId, else by WhatId (the account or its deal).
    opps = frames["Opportunity"]
    deals = set(opps[opps["AccountId"] == account][sf.ID])
    tasks = frames["Task"]
    mine = (tasks["AccountId"] == account) | tasks["WhatId"].isin(deals | {account})
    return tasks[mine]


def _depth(contacts: pd.DataFrame) -> int:
    manager = {c: m for c, m in zip(contacts[sf.ID], contacts["ReportsToId"], strict=True)
               if isinstance(m, str)}
    deepest = 0
    for contact in contacts[sf.ID]:
        steps = 0
        while contact in manager:
            contact, steps = manager[contact], steps + 1
        deepest = max(deepest, steps)
    return deepest


def _is_cjk(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith(("CJK", "HANGUL"))


def _is_rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


# --------------------------------------------------------------------------- extreme


def test_extreme_account_has_a_long_name_with_markup_characters() -> None:
    frames = scenarios.extreme()
    name = frames["Account"][sf.NAME].iloc[0]
    assert name == scenarios.EXTREME_ACCOUNT_NAME
    assert len(name) == 120
    for ch in "&<>\"'":
        assert ch in name


def test_extreme_account_has_80_stakeholders_in_a_deep_org_chart() -> None:
    frames = scenarios.extreme()
    extreme_id, normal_id = frames["Account"][sf.ID]
    contacts = frames["Contact"]
    mine = contacts[contacts["AccountId"] == extreme_id]
    assert len(mine) == 80
    assert _depth(mine) == 8
    names = "".join(mine["FirstName"].fillna("") + mine["LastName"])
    assert any(_is_cjk(ch) for ch in names)
    assert any(_is_rtl(ch) for ch in names)
    others = contacts[contacts["AccountId"] == normal_id]
    assert 5 <= len(others) <= 40
    assert not set(others["ReportsToId"].dropna()) & set(mine[sf.ID])


def test_extreme_account_has_300_actions_40_kpis_and_60_whitespace_cells() -> None:
    frames = scenarios.extreme()
    extreme_id, normal_id = frames["Account"][sf.ID]
    assert len(_tasks_of(frames, extreme_id)) == 300
    assert len(_tasks_of(frames, normal_id)) < 150
    kpis = frames["KPI_Measurement__c"]
    mine = kpis[kpis["Account__c"] == extreme_id]
    assert mine[sf.NAME].nunique() == 40
    assert mine.groupby(sf.NAME).size().min() >= 8
    cells = frames["Whitespace_Potential__c"]
    mine_cells = cells[cells["Account__c"] == extreme_id]
    assert len(mine_cells) == 60
    key = ["Product__c", "Business_Unit__c", "Region__c", "Use_Case__c"]
    assert not mine_cells.duplicated(key).any()


def test_extreme_account_text_is_long_and_full_of_markup_characters() -> None:
    frames = scenarios.extreme()
    extreme_id = frames["Account"][sf.ID].iloc[0]
    tasks = _tasks_of(frames, extreme_id)
    assert tasks["Description"].str.len().max() > 2000
    assert tasks["Subject"].str.contains("&").all()
    assert tasks["Subject"].str.contains("<").all()
    plan = frames["Account_Plan__c"].set_index("Account__c").loc[extreme_id]
    assert len(plan["Value_Proposition__c"]) > 1000
    assert "\n" in plan["Customer_Objectives__c"]
    opps = frames["Opportunity"]
    assert opps[opps["AccountId"] == extreme_id][sf.NAME].str.len().min() > 120


def test_extreme_account_carries_the_internal_markers() -> None:
    frames = scenarios.extreme()
    extreme_id = frames["Account"][sf.ID].iloc[0]
    risks = frames["Account_Risk__c"]
    planted = risks[risks[sf.NAME] == scenarios.INTERNAL_RISK_MARKER]
    assert planted["Account__c"].tolist() == [extreme_id]


# --------------------------------------------------------------------------- minimal, one year


def test_minimal_is_one_account_row_and_nothing_else() -> None:
    frames = scenarios.minimal()
    assert list(frames) == ["Account"]
    account = frames["Account"]
    assert list(account.columns) == ["Id", "Name"]
    assert account.values.tolist() == [[scenarios.MINIMAL_ACCOUNT_ID,
                                        scenarios.MINIMAL_ACCOUNT_NAME]]
    assert len(scenarios.MINIMAL_ACCOUNT_ID) == 18


def test_one_year_account_has_one_year_of_history_and_no_kpis() -> None:
    frames = scenarios.one_year()
    assert "KPI_Measurement__c" not in frames
    assert len(frames["Account"]) == 1
    earliest = scenarios.AS_OF - timedelta(days=round(30.5 * 13))
    dated = [("Opportunity", "CloseDate"), ("Task", "ActivityDate"), ("Event", "ActivityDate"),
             ("Contract", "StartDate"), ("Asset", "InstallDate")]
    for name, column in dated:
        days = frames[name][column].dropna()
        assert len(days) > 0, name
        assert days.min() >= earliest.isoformat(), (name, days.min())
    ends = frames["Contract"]["EndDate"]
    assert ends.max() <= (scenarios.AS_OF + timedelta(days=183)).isoformat()
    renewals = frames["Opportunity"][frames["Opportunity"]["Type"] == "Renewal"]
    assert (renewals["IsClosed"] == "false").sum() == 1


# --------------------------------------------------------------------------- loading


@pytest.mark.parametrize("build", [scenarios.extreme, scenarios.minimal, scenarios.one_year],
                         ids=lambda f: f.__name__)
def test_scenario_loads_without_errors(
        build: Callable[[], dict[str, pd.DataFrame]], tmp_path: Path) -> None:
    frames = build()
    folder = scenarios.write_scenario(frames, tmp_path / "data")
    assert (folder / "kamdocs.toml").is_file()
    loaded = read_tables(folder, load_settings(folder / "kamdocs.toml"))
    errors = [str(p) for p in loaded.problems if p.severity is Severity.ERROR]
    assert errors == []
    assert not loaded.rejected
    assert len(loaded.tables["Account"]) == len(frames["Account"])
    for name, frame in frames.items():
        assert len(loaded.tables[name]) == len(frame), name
    assert set(loaded.absent) == set(sf.TABLES) - set(frames)
