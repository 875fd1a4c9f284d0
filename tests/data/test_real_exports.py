"""The public Salesforce-shaped exports in ../shared/sfdata load, or are rejected with
located errors; never a crash."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kamdocs.config import load_settings
from kamdocs.errors import InputErrors, Severity

SFDATA = Path(__file__).resolve().parents[3] / "shared" / "sfdata"

pytestmark = pytest.mark.skipif(not SFDATA.is_dir(), reason=f"{SFDATA} is not present")


def test_salesforce_org_export_loads_without_problems(kit) -> None:
    loaded = kit.load(SFDATA / "salesforce-gen-ai-demo")
    assert loaded.problems == ()
    # 94 data rows in Account.csv (SOURCE.txt inventory), none deleted.
    assert len(loaded.tables["Account"]) == 94
    assert len(loaded.tables["Contact"]) == 64 and len(loaded.tables["Opportunity"]) == 58
    opp = loaded.tables["Opportunity"].set_index("Id").loc["006Nq00000BGi8PIAT"]
    # Row 2 of Opportunity.csv: Closed Won, 35000, 2024-07-29, IsWon '1', IsClosed '1'.
    assert (opp["StageName"], opp["Amount"], opp["CloseDate"]) == (
        "Closed Won", 35000.0, pd.Timestamp(2024, 7, 29))
    assert bool(opp["IsWon"]) and bool(opp["IsClosed"])
    second = loaded.tables["Opportunity"].set_index("Id").loc["006Nq00000BGi8QIAT"]
    assert not bool(second["IsWon"])  # '' means false in a Data Loader export


def test_excel_resaved_developer_org_sample_loads_with_short_dates(kit) -> None:
    loaded = kit.load(SFDATA / "devorg-sample-powerbi")
    assert loaded.errors == ()
    first = loaded.tables["Opportunity"].iloc[0]
    # "006bm00000LKJNNAA5,...,Qualification,15000,10,1500,02/03/24,..." (MM/DD/YY).
    assert first["Id"] == "006bm00000LKJNNAA5"
    assert first["CloseDate"] == pd.Timestamp(2024, 2, 3)
    assert [Path(p).name for p in loaded.ignored_sources] == ["OpportunityHistory.csv"]
    assert "Opportunity Lifecycle (Days)" in loaded.ignored_columns["Opportunity"]
    edge = loaded.tables["Account"].set_index("Id").loc["001bm00001ZL8U9AAL"]
    assert edge["Name"] == "Edge Communications" and edge["AnnualRevenue"] == 139000000.0


def test_fivetran_schema_without_object_mapping_is_rejected_naming_the_files(kit) -> None:
    with pytest.raises(InputErrors) as caught:
        kit.load(SFDATA / "fivetran-dbt-salesforce")
    [problem] = caught.value.problems
    assert "no Account table" in problem.reason and "sf_account_data.csv" in problem.reason


@pytest.fixture
def fivetran_settings(tmp_path: Path):
    config = tmp_path / "kamdocs.toml"
    config.write_text(
        "[columns.objects]\n"
        'Account = ["sf_account_data"]\nContact = ["sf_contact_data"]\n'
        'Opportunity = ["sf_opportunity_data"]\n'
        'OpportunityLineItem = ["sf_opportunity_line_item_data"]\n'
        'Product2 = ["sf_product_2_data"]\nTask = ["sf_task_data"]\nUser = ["sf_user_data"]\n',
        encoding="utf-8",
    )
    return load_settings(config)


def test_fivetran_schema_defects_are_reported_with_their_rows(kit, fivetran_settings) -> None:
    # Its one live account has a hashed (non-Salesforce) owner_id, so nothing is left to
    # load: the whole input is rejected, with every problem located.
    with pytest.raises(InputErrors) as caught:
        kit.load(SFDATA / "fivetran-dbt-salesforce", fivetran_settings)
    problems = caught.value.problems

    def at(file: str, row: int, column: str) -> list:
        return [p for p in problems
                if (Path(p.file).name, p.row, p.column) == (file, row, column)]

    [seventeen] = at("sf_contact_data.csv", 2, "id")
    assert seventeen.value == "0033700000JmrFPAA" and "not a Salesforce Id" in seventeen.reason
    [spaced] = at("sf_opportunity_line_item_data.csv", 4, "id")
    assert spaced.value == "00k1G000009a jwQAA" and spaced.severity is Severity.ERROR
    [hashed] = at("sf_account_data.csv", 2, "owner_id")
    assert hashed.value == "tqs6UXPA/Lm7W+0dX0+syw=="
    assert any("no account could be loaded" in p.reason for p in problems)
    # Deleted rows (is_deleted / _fivetran_deleted) are dropped before checks: rows 3-11 of
    # sf_account_data.csv are deleted, so none of them is reported.
    assert not [p for p in problems if Path(p.file).name == "sf_account_data.csv" and p.row
                and p.row > 2]


@pytest.mark.parametrize("folder", sorted(p.name for p in SFDATA.iterdir() if p.is_dir())
                         if SFDATA.is_dir() else [])
def test_every_shared_export_loads_or_is_rejected_with_located_errors(kit, folder: str) -> None:
    try:
        loaded = kit.load(SFDATA / folder)
    except InputErrors as rejected:
        assert rejected.problems
        assert all(p.file for p in rejected.problems)
        return
    assert loaded.tables["Account"].shape[0] > 0
    assert all(p.file and (p.row is None or p.column) for p in loaded.problems)
