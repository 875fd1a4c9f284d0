"""Every input kind (CSV, xlsx, Parquet, SQLite, PostgreSQL) gives the same tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kamdocs.data import schemas


def _without_file(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {name: frame.drop(columns=[schemas.FILE]) for name, frame in tables.items()}


def _assert_same_tables(expected: dict[str, pd.DataFrame], actual: dict[str, pd.DataFrame]) -> None:
    assert sorted(actual) == sorted(expected)
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(actual[name], frame, obj=name)


@pytest.fixture
def from_csv(kit, frames, tmp_path: Path):
    loaded = kit.load(kit.write_csv(frames, tmp_path / "csv"))
    assert loaded.problems == ()
    return _without_file(loaded.tables)


def test_csv_folder_loads_every_object_of_the_portfolio(kit, frames, tmp_path: Path) -> None:
    loaded = kit.load(kit.write_csv(frames, tmp_path / "csv"))
    assert sorted(loaded.tables) == sorted(frames)
    assert loaded.absent == ()
    # A4 is marked deleted: three accounts remain, and the drop is counted.
    assert loaded.tables["Account"]["Id"].tolist() == [
        kit.long_id(kit.A1), kit.long_id(kit.A2), kit.long_id(kit.A3)]
    assert loaded.deleted_dropped["Account"] == 1
    assert loaded.rejected == {}


def test_xlsx_workbook_with_typed_cells_equals_csv(kit, frames, from_csv, tmp_path: Path) -> None:
    path = kit.write_xlsx(kit.typed(frames), tmp_path / "export.xlsx")
    loaded = kit.load(path)
    assert loaded.problems == ()
    assert set(loaded.tables["Contact"]["FILE"]) == {f"{path}:Contact"}
    _assert_same_tables(from_csv, _without_file(loaded.tables))


def test_xlsx_workbook_with_text_cells_equals_csv(kit, frames, from_csv, tmp_path: Path) -> None:
    loaded = kit.load(kit.write_xlsx(frames, tmp_path / "text.xlsx"))
    _assert_same_tables(from_csv, _without_file(loaded.tables))


def test_parquet_folder_with_native_types_equals_csv(kit, frames, from_csv,
                                                     tmp_path: Path) -> None:
    loaded = kit.load(kit.write_parquet(kit.typed(frames), tmp_path / "parquet"))
    assert loaded.problems == ()
    _assert_same_tables(from_csv, _without_file(loaded.tables))


def test_parquet_folder_with_text_columns_equals_csv(kit, frames, from_csv,
                                                     tmp_path: Path) -> None:
    loaded = kit.load(kit.write_parquet(frames, tmp_path / "parquet"))
    _assert_same_tables(from_csv, _without_file(loaded.tables))


def test_sqlite_with_warehouse_snake_case_names_equals_csv(kit, frames, from_csv,
                                                           tmp_path: Path) -> None:
    url = kit.write_sql(frames, f"sqlite:///{tmp_path / 'warehouse.db'}", snake_case=True)
    loaded = kit.load(url)
    assert loaded.problems == ()
    assert set(loaded.tables["OpportunityLineItem"]["FILE"]) == {"opportunity_line_item"}
    assert set(loaded.tables["Account_Goal__c"]["FILE"]) == {"account_goal_c"}
    _assert_same_tables(from_csv, _without_file(loaded.tables))


def test_sqlite_with_salesforce_names_and_native_types_equals_csv(kit, frames, from_csv,
                                                                  tmp_path: Path) -> None:
    url = kit.write_sql(kit.typed(frames), f"sqlite:///{tmp_path / 'org.db'}", snake_case=False)
    loaded = kit.load(url)
    assert loaded.problems == ()
    _assert_same_tables(from_csv, _without_file(loaded.tables))


@pytest.mark.postgres
def test_postgresql_with_typed_snake_case_tables_equals_csv(kit, frames, from_csv,
                                                            postgres_url: str) -> None:
    kit.write_sql(kit.typed(frames), postgres_url, snake_case=True)
    loaded = kit.load(postgres_url)
    assert loaded.problems == ()
    assert "postgres" in loaded.source_description
    _assert_same_tables(from_csv, _without_file(loaded.tables))


@pytest.mark.postgres
def test_postgresql_with_salesforce_names_and_text_columns_equals_csv(
    kit, frames, from_csv, postgres_url: str
) -> None:
    kit.write_sql(frames, postgres_url, snake_case=False)
    loaded = kit.load(postgres_url)
    _assert_same_tables(from_csv, _without_file(loaded.tables))


def test_fivetran_deleted_flag_in_a_warehouse_drops_and_counts_rows(kit, frames,
                                                                    tmp_path: Path) -> None:
    users = frames["User"].copy()
    users["_fivetran_deleted"] = ["false", "true"]
    frames["User"] = users
    loaded = kit.load(kit.write_sql(frames, f"sqlite:///{tmp_path / 'ft.db'}", snake_case=True))
    assert loaded.tables["User"]["Id"].tolist() == [kit.long_id(kit.U1)]
    assert loaded.deleted_dropped["User"] == 1


def test_absent_object_gives_an_empty_table_with_canonical_typed_columns(kit, frames,
                                                                         tmp_path: Path) -> None:
    del frames["KPI_Measurement__c"]
    loaded = kit.load(kit.write_csv(frames, tmp_path / "csv"))
    assert "KPI_Measurement__c" in loaded.absent
    empty = loaded.table("KPI_Measurement__c")
    assert empty.empty
    assert list(empty.columns) == [c.name for c in schemas.TABLES["KPI_Measurement__c"].columns
                                   ] + [schemas.ROW, schemas.FILE]
    assert str(empty["Period_End__c"].dtype) == "datetime64[us]"
    assert str(empty["Actual__c"].dtype) == "float64"
    assert loaded.table("Contact") is loaded.tables["Contact"]
