"""The parsing rules a real export needs: encodings, line ends, booleans, dates, Ids, ..."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kamdocs.config import load_settings
from kamdocs.errors import Severity

# Real pair from the Salesforce org export in ../shared/sfdata/salesforce-gen-ai-demo.
REAL_15 = "001Nq00000HwuT4"
REAL_18 = "001Nq00000HwuT4IAJ"


def _write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder


def _accounts_csv(kit, *extra_columns: str, rows: list[list[str]] | None = None) -> str:
    header = ",".join(["Id", "Name", *extra_columns])
    body = rows or [[kit.A1, "Acme"]]
    return "\r\n".join([header, *(",".join(r) for r in body)]) + "\r\n"


def test_helper_checksum_matches_a_real_salesforce_id(kit) -> None:
    assert kit.long_id(REAL_15) == REAL_18


def test_utf8_bom_before_the_first_header_is_ignored(kit, tmp_path: Path) -> None:
    text = "\ufeff" + _accounts_csv(kit, "BillingCountry", rows=[[kit.A1, "Acme", "Zürich"]])
    loaded = kit.load(_write(tmp_path, "Account.csv", text.encode("utf-8")))
    assert loaded.problems == ()
    assert loaded.tables["Account"]["Id"].tolist() == [kit.long_id(kit.A1)]
    assert loaded.tables["Account"]["BillingCountry"].tolist() == ["Zürich"]


def test_cp1252_export_is_read_with_a_warning_naming_the_file(kit, tmp_path: Path) -> None:
    text = _accounts_csv(kit, "BillingCountry", rows=[[kit.A1, "Café Müller", "Zürich"]])
    loaded = kit.load(_write(tmp_path, "Account.csv", text.encode("cp1252")))
    assert loaded.tables["Account"]["Name"].tolist() == ["Café Müller"]
    assert loaded.tables["Account"]["BillingCountry"].tolist() == ["Zürich"]
    [warning] = loaded.problems
    assert warning.severity is Severity.WARNING
    assert Path(warning.file).name == "Account.csv" and "cp1252" in warning.reason


def test_crlf_records_and_line_breaks_inside_text_become_lf(kit, tmp_path: Path) -> None:
    text = (
        "Id,Subject,Status,AccountId,Description\r\n"
        f'{kit.sid("00T", 1)},Call,Open,{kit.A1},"first\r\nsecond\rthird"\r\n'
        f"{kit.sid('00T', 2)},Mail,Open,{kit.A1},plain\r\n"
    )
    folder = _write(tmp_path, "Account.csv", _accounts_csv(kit).encode())
    loaded = kit.load(_write(folder, "Task.csv", text.encode()))
    assert loaded.tables["Task"]["Description"].tolist() == ["first\nsecond\nthird", "plain"]
    # The record after a multi-line cell is the spreadsheet's row 3, not line 4 of the file.
    assert loaded.tables["Task"]["ROW"].tolist() == [2, 3]


def test_booleans_in_every_export_spelling(kit, tmp_path: Path) -> None:
    spellings = ["1", "", "true", "TRUE", "false", "FALSE", "yes", "no", "0", "True"]
    expected = [True, False, True, True, False, False, True, False, False, True]
    rows = [
        [kit.sid("006", i), kit.A1, f"Deal {i}", "Open", "2024-01-01", flag]
        for i, flag in enumerate(spellings)
    ]
    text = "Id,AccountId,Name,StageName,CloseDate,IsWon\n" + "\n".join(",".join(r) for r in rows)
    folder = _write(tmp_path, "Account.csv", _accounts_csv(kit).encode())
    loaded = kit.load(_write(folder, "Opportunity.csv", text.encode()))
    assert loaded.problems == ()
    assert loaded.tables["Opportunity"]["IsWon"].tolist() == expected
    assert loaded.tables["Opportunity"]["IsWon"].dtype == np.dtype(bool)


def test_dates_and_datetimes_in_every_export_spelling_give_the_calendar_date(
    kit, tmp_path: Path
) -> None:
    spellings = [
        "2024-01-23",                    # Data Loader date
        "01/23/24",                      # config date_format (default %m/%d/%y)
        "01/23/2024",                    # the same, re-saved by Excel with a 4-digit year
        "2024-01-23T03:54:57.000+0000",  # Data Loader datetime
        "2024-01-23 03:54:57",           # warehouse timestamp
        "01/23/24 08:55 PM",             # Excel re-save of a datetime
    ]
    rows = [
        [kit.sid("006", i), kit.A1, f"Deal {i}", "Open", when]
        for i, when in enumerate(spellings)
    ]
    text = "Id,AccountId,Name,StageName,CloseDate\n" + "\n".join(",".join(r) for r in rows)
    folder = _write(tmp_path, "Account.csv", _accounts_csv(kit).encode())
    loaded = kit.load(_write(folder, "Opportunity.csv", text.encode()))
    assert loaded.problems == ()
    dates = loaded.tables["Opportunity"]["CloseDate"]
    assert dates.tolist() == [pd.Timestamp(2024, 1, 23)] * len(spellings)


def test_config_date_format_reads_day_first_dates(kit, tmp_path: Path) -> None:
    text = (f"Id,AccountId,Name,StageName,CloseDate\n{kit.O1},{kit.A1},Deal,Open,23.01.2024\n"
            f"{kit.O2},{kit.A1},Deal 2,Open,2024-02-01\n")
    folder = _write(tmp_path, "Account.csv", _accounts_csv(kit).encode())
    _write(folder, "Opportunity.csv", text.encode())
    loaded = kit.load(folder, load_settings(None, **{"locale.date_format": "%d.%m.%Y"}))
    assert loaded.tables["Opportunity"]["CloseDate"].tolist() == [
        pd.Timestamp(2024, 1, 23), pd.Timestamp(2024, 2, 1)]


def test_15_and_18_character_forms_of_one_record_are_equal(kit, tmp_path: Path) -> None:
    # The account is exported with its 18-character Id, the contact points at the 15.
    accounts = _accounts_csv(kit, rows=[[REAL_18, "Acme"]])
    contacts = f"Id,AccountId,LastName\n{kit.C1},{REAL_15},Boss\n"
    folder = _write(tmp_path, "Account.csv", accounts.encode())
    loaded = kit.load(_write(folder, "Contact.csv", contacts.encode()))
    assert loaded.problems == ()
    assert loaded.tables["Contact"]["AccountId"].tolist() == [REAL_18]
    assert loaded.tables["Contact"]["Id"].tolist() == [kit.long_id(kit.C1)]


def test_deleted_rows_are_dropped_and_counted(kit, tmp_path: Path) -> None:
    rows = [[kit.A1, "Kept", "false"], [kit.A2, "Gone", "TRUE"], [kit.A3, "Also kept", ""]]
    loaded = kit.load(_write(tmp_path, "Account.csv",
                             _accounts_csv(kit, "IsDeleted", rows=rows).encode()))
    assert loaded.tables["Account"]["Name"].tolist() == ["Kept", "Also kept"]
    assert loaded.deleted_dropped == {"Account": 1}


def test_problems_of_deleted_rows_are_not_reported(kit, tmp_path: Path) -> None:
    rows = [[kit.A1, "Kept", "false", "5"], [kit.A2, "Gone", "true", "not a number"]]
    loaded = kit.load(_write(tmp_path, "Account.csv", _accounts_csv(
        kit, "IsDeleted", "AnnualRevenue", rows=rows).encode()))
    assert loaded.problems == ()


def test_values_a_type_guesser_would_mangle_stay_text(kit, tmp_path: Path) -> None:
    rows = [[kit.A1, "NA", "00123"], [kit.A2, "Null Corp", "nan"], [kit.A3, "None", "NULL"]]
    loaded = kit.load(_write(tmp_path, "Account.csv",
                             _accounts_csv(kit, "Industry", rows=rows).encode()))
    table = loaded.tables["Account"]
    assert table["Name"].tolist() == ["NA", "Null Corp", "None"]
    assert table["Industry"].tolist() == ["00123", "nan", "NULL"]


def test_missing_number_is_missing_never_the_text_nan(kit, tmp_path: Path) -> None:
    rows = [[kit.A1, "Acme", "", ""], [kit.A2, "Beta", "\"1,234,567.50\"", "2"]]
    loaded = kit.load(_write(tmp_path, "Account.csv", _accounts_csv(
        kit, "AnnualRevenue", "Strategic_Value__c", rows=rows).encode()))
    table = loaded.tables["Account"]
    assert table["AnnualRevenue"].dtype == np.dtype("float64")
    assert np.isnan(table["AnnualRevenue"].iloc[0])
    assert table["AnnualRevenue"].iloc[1] == 1234567.5
    assert table["Strategic_Value__c"].dtype == pd.Int64Dtype()
    assert table["Strategic_Value__c"].iloc[0] is pd.NA
    assert table["Strategic_Value__c"].iloc[1] == 2


def test_null_marker_in_a_number_column_is_missing_with_a_located_warning(
    kit, tmp_path: Path
) -> None:
    rows = [[kit.A1, "Acme", "N/A"]]
    loaded = kit.load(_write(tmp_path, "Account.csv",
                             _accounts_csv(kit, "AnnualRevenue", rows=rows).encode()))
    assert np.isnan(loaded.tables["Account"]["AnnualRevenue"].iloc[0])
    [warning] = loaded.problems
    assert (warning.row, warning.column, warning.value) == (2, "AnnualRevenue", "N/A")
    assert warning.severity is Severity.WARNING


def test_control_characters_are_removed_with_a_located_warning(kit, tmp_path: Path) -> None:
    rows = [[kit.A1, "Ac\x07me\x00 Corp", "Retail"]]
    loaded = kit.load(_write(tmp_path, "Account.csv",
                             _accounts_csv(kit, "Industry", rows=rows).encode()))
    assert loaded.tables["Account"]["Name"].tolist() == ["Acme Corp"]
    [warning] = loaded.problems
    assert (Path(warning.file).name, warning.row, warning.column) == ("Account.csv", 2, "Name")
    assert warning.value == "Ac\x07me\x00 Corp"
    assert warning.severity is Severity.WARNING


def test_semicolon_separated_excel_csv_is_read(kit, tmp_path: Path) -> None:
    text = f"Id;Name;AnnualRevenue\n{kit.A1};Acme, Inc.;100\n"
    loaded = kit.load(_write(tmp_path, "Account.csv", text.encode()))
    assert loaded.tables["Account"]["Name"].tolist() == ["Acme, Inc."]


def test_file_names_and_headers_match_case_insensitively_and_by_alias(kit,
                                                                      tmp_path: Path) -> None:
    accounts = f"ID,ACCOUNT NAME,account_tier_c\n{kit.A1},Acme,tier 1\n".replace(
        "ACCOUNT NAME", "NAME")
    contacts = f"id,Account_ID,last_name,REPORTS TO ID\n{kit.C1},{kit.A1},Boss,\n"
    folder = _write(tmp_path, "ACCOUNT.CSV", accounts.encode())
    loaded = kit.load(_write(folder, "contacts.csv", contacts.encode()))
    assert loaded.problems == ()
    assert loaded.tables["Account"]["Account_Tier__c"].tolist() == ["Tier 1"]
    assert list(loaded.tables["Contact"].columns[:4]) == [
        "Id", "AccountId", "LastName", "ReportsToId"]


def test_config_aliases_objects_and_kept_columns(kit, tmp_path: Path) -> None:
    config = tmp_path / "kamdocs.toml"
    config.write_text(
        '[columns]\naliases = { "Account.Account_Tier__c" = ["Segment"] }\n'
        'objects = { "Account" = ["Kunden"] }\nkeep = { "Account" = ["Website"] }\n',
        encoding="utf-8",
    )
    text = f"Id,Name,Segment,Website,Fax\n{kit.A1},Acme,Tier 2,https://acme.example,123\n"
    folder = _write(tmp_path / "data", "kunden.csv", text.encode())
    loaded = kit.load(folder, load_settings(config))
    table = loaded.tables["Account"]
    assert table["Account_Tier__c"].tolist() == ["Tier 2"]
    assert table["Website"].tolist() == ["https://acme.example"]
    assert loaded.ignored_columns == {"Account": ("Fax",)}


def test_files_that_match_no_object_are_listed_not_loaded(kit, tmp_path: Path) -> None:
    folder = _write(tmp_path, "Account.csv", _accounts_csv(kit).encode())
    _write(folder, "OpportunityHistory.csv", b"Id,StageName\nx,y\n")
    loaded = kit.load(folder)
    assert [Path(p).name for p in loaded.ignored_sources] == ["OpportunityHistory.csv"]
    assert "Contact" in loaded.absent


def test_blank_lines_keep_the_spreadsheet_row_numbers(kit, tmp_path: Path) -> None:
    text = f"Id,Name,AnnualRevenue\n{kit.A1},Acme,1\n\n{kit.A2},Beta,oops\n"
    loaded = kit.load(_write(tmp_path, "Account.csv", text.encode()))
    [error] = loaded.problems
    assert (error.row, error.column, error.value) == (4, "AnnualRevenue", "oops")
