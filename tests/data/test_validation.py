"""Every error kind names file, row, column and value; errors reject one account only."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kamdocs.errors import InputErrors, Severity


def _set(frames: dict[str, pd.DataFrame], table: str, row: int, column: str, value: str) -> None:
    """Put ``value`` in spreadsheet ``row`` (header = 1) of ``table``."""
    if column not in frames[table]:
        frames[table][column] = ""
    frames[table].loc[row - 2, column] = value


def _only(problems: list) -> object:
    assert len(problems) == 1, problems
    return problems[0]


def _account_ids(loaded, table: str, column: str = "AccountId") -> set[str]:
    return set(loaded.tables[table][column]) if table in loaded.tables else set()


def _assert_only_account_rejected(kit, loaded, account: str) -> None:
    """``account`` is rejected, and gone from every table; the others load."""
    full = kit.long_id(account)
    assert list(loaded.rejected) == [full]
    assert full not in set(loaded.tables["Account"]["Id"])
    for table in ("Contact", "Opportunity", "Task", "Contract", "Asset"):
        assert full not in _account_ids(loaded, table), table
    others = {kit.long_id(a) for a in (kit.A1, kit.A2, kit.A3)} - {full}
    assert others <= set(loaded.tables["Account"]["Id"])


# --------------------------------------------------------------------------- cell errors


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "account", "words"),
    [
        ("Opportunity", 2, "CloseDate", "31/31/2025", "A1", "not a date"),
        ("Opportunity", 3, "Amount", "12k", "A2", "not a number"),
        ("Contact", 5, "Influence__c", "3.5", "A3", "not a whole number"),
        ("Task", 2, "IsClosed", "maybe", "A1", "not a boolean"),
        ("Account", 3, "Renewal_Date__c", "someday", "A2", "not a date"),
        ("Contact", 3, "Id", "003Kd00000002XyIA", "A1", "not a Salesforce Id"),  # 17 chars
        ("Contact", 3, "Id", "003Kd00000002XyAAA", "A1", "not a Salesforce Id"),  # checksum
        ("Contact", 3, "ReportsToId", "003 d00000001XyIAI", "A1", "not a Salesforce Id"),
        ("Opportunity", 4, "Name", "", "A3", "required value Name is missing"),
    ],
)
def test_unreadable_cell_names_file_row_column_value_and_rejects_its_account(
    kit, csv_folder, table: str, row: int, column: str, value: str, account: str, words: str
) -> None:
    loaded = kit.load(csv_folder(lambda f: _set(f, table, row, column, value)))
    error = _only(kit.problems_at(loaded, f"{table}.csv", row, column))
    assert error.severity is Severity.ERROR
    assert error.value == (value or None) and words in error.reason
    assert error.account_id == kit.long_id(getattr(kit, account))
    _assert_only_account_rejected(kit, loaded, getattr(kit, account))
    assert words in loaded.rejected[kit.long_id(getattr(kit, account))][0]


def test_duplicate_id_reports_both_rows(kit, csv_folder) -> None:
    loaded = kit.load(csv_folder(lambda f: _set(f, "Contact", 3, "Id", kit.long_id(kit.C1))))
    errors = [p for p in loaded.problems if "duplicate Id" in p.reason]
    assert [(Path(p.file).name, p.row, p.column) for p in errors] == [
        ("Contact.csv", 2, "Id"), ("Contact.csv", 3, "Id")]
    assert "also row 3" in errors[0].reason and "also row 2" in errors[1].reason
    assert errors[1].value == kit.long_id(kit.C1)
    _assert_only_account_rejected(kit, loaded, kit.A1)


def test_duplicate_account_id_across_15_and_18_character_forms(kit, csv_folder) -> None:
    # Row 4 (A3) becomes A2 in its 15-character form: the same record twice.
    loaded = kit.load(csv_folder(lambda f: _set(f, "Account", 4, "Id", kit.A2)))
    rows = [p.row for p in loaded.problems if "duplicate Id" in p.reason]
    assert rows == [3, 4]
    assert kit.long_id(kit.A2) in loaded.rejected


# --------------------------------------------------------------------------- references


def test_contact_with_unknown_account_is_left_out_with_a_located_error(kit, csv_folder) -> None:
    stranger = kit.sid("001", 99)
    loaded = kit.load(csv_folder(lambda f: _set(f, "Contact", 4, "AccountId", stranger)))
    error = _only(loaded.errors)
    assert (Path(error.file).name, error.row, error.column, error.value) == (
        "Contact.csv", 4, "AccountId", stranger)
    assert "unknown Account" in error.reason
    assert kit.long_id(kit.C3) not in set(loaded.tables["Contact"]["Id"])
    assert loaded.rejected == {}  # the row has no account to reject; the others all load


def test_task_on_unknown_account_is_located(kit, csv_folder) -> None:
    stranger = kit.sid("001", 98)
    loaded = kit.load(csv_folder(lambda f: _set(f, "Task", 2, "AccountId", stranger)))
    error = _only(loaded.errors)
    assert (Path(error.file).name, error.row, error.column, error.value) == (
        "Task.csv", 2, "AccountId", stranger)
    assert len(loaded.tables["Task"]) == 2


def test_task_whatid_of_unknown_opportunity_is_located(kit, csv_folder) -> None:
    ghost = kit.sid("006", 97)
    loaded = kit.load(csv_folder(lambda f: _set(f, "Task", 3, "WhatId", ghost)))
    error = _only(loaded.errors)
    assert (error.row, error.column, error.value) == (3, "WhatId", ghost)
    assert "unknown Account or Opportunity" in error.reason


def test_activities_resolve_their_account_from_whatid_and_whoid(kit, csv_folder) -> None:
    loaded = kit.load(csv_folder())
    tasks = loaded.tables["Task"].set_index("Id")["AccountId"]
    # Row 3 has only WhatId = O2 (an opportunity of A2); row 4 only WhoId = C4 (of A3).
    assert tasks[kit.long_id(kit.sid("00T", 2))] == kit.long_id(kit.A2)
    assert tasks[kit.long_id(kit.sid("00T", 3))] == kit.long_id(kit.A3)
    assert loaded.tables["Event"]["AccountId"].tolist() == [kit.long_id(kit.A1)]


def test_reports_to_unknown_contact_rejects_the_account(kit, csv_folder) -> None:
    ghost = kit.sid("003", 96)
    loaded = kit.load(csv_folder(lambda f: _set(f, "Contact", 5, "ReportsToId", ghost)))
    error = _only(loaded.errors)
    assert (error.row, error.column, error.value) == (5, "ReportsToId", ghost)
    _assert_only_account_rejected(kit, loaded, kit.A3)


def test_role_on_unknown_opportunity_is_located(kit, csv_folder) -> None:
    ghost = kit.sid("006", 95)
    loaded = kit.load(csv_folder(lambda f: _set(f, "OpportunityContactRole", 2,
                                                "OpportunityId", ghost)))
    error = _only(loaded.errors)
    assert (Path(error.file).name, error.row, error.column, error.value) == (
        "OpportunityContactRole.csv", 2, "OpportunityId", ghost)
    assert loaded.tables["OpportunityContactRole"].empty


def test_reports_to_cycle_names_every_member(kit, csv_folder) -> None:
    # C1 -> C2 and C2 -> C1 (already): a loop of two.
    loaded = kit.load(csv_folder(lambda f: _set(f, "Contact", 2, "ReportsToId", kit.C2)))
    cycle = [p for p in loaded.errors if "cycle" in p.reason]
    assert [(p.row, p.column) for p in cycle] == [(2, "ReportsToId"), (3, "ReportsToId")]
    assert kit.long_id(kit.C1) in cycle[0].reason and kit.long_id(kit.C2) in cycle[0].reason
    _assert_only_account_rejected(kit, loaded, kit.A1)


def test_self_reporting_contact_is_a_cycle(kit, csv_folder) -> None:
    loaded = kit.load(csv_folder(lambda f: _set(f, "Contact", 4, "ReportsToId", kit.C3)))
    error = _only(loaded.errors)
    assert (error.row, error.column) == (4, "ReportsToId") and "cycle" in error.reason
    _assert_only_account_rejected(kit, loaded, kit.A2)


def test_contact_reporting_to_another_accounts_contact_is_an_error(kit, csv_folder) -> None:
    loaded = kit.load(csv_folder(lambda f: _set(f, "Contact", 4, "ReportsToId", kit.C1)))
    error = _only(loaded.errors)
    assert (Path(error.file).name, error.row, error.column, error.value) == (
        "Contact.csv", 4, "ReportsToId", kit.C1)
    assert "another account" in error.reason and kit.long_id(kit.A1) in error.reason
    _assert_only_account_rejected(kit, loaded, kit.A2)


def test_opportunity_role_linking_another_accounts_contact_is_an_error(kit, csv_folder) -> None:
    # O1 belongs to A1; C4 to A3.
    loaded = kit.load(csv_folder(lambda f: _set(f, "OpportunityContactRole", 2,
                                                "ContactId", kit.C4)))
    error = _only(loaded.errors)
    assert (Path(error.file).name, error.row, error.column, error.value) == (
        "OpportunityContactRole.csv", 2, "ContactId", kit.C4)
    _assert_only_account_rejected(kit, loaded, kit.A1)


def test_relation_to_a_contact_of_a_rejected_account_is_left_out_with_a_warning(
    kit, csv_folder
) -> None:
    # AccountContactRelation row 2 ties C1 (of A1) to A2; A1 is rejected for a bad date.
    loaded = kit.load(csv_folder(lambda f: _set(f, "Opportunity", 2, "CloseDate", "never")))
    assert loaded.tables["AccountContactRelation"].empty
    warning = _only([p for p in loaded.warnings if "AccountContactRelation" in p.file])
    assert (warning.row, warning.column) == (2, "ContactId")


def test_unknown_user_is_only_a_warning(kit, csv_folder) -> None:
    stranger = kit.sid("005", 94)
    loaded = kit.load(csv_folder(lambda f: _set(f, "Opportunity", 3, "OwnerId", stranger)))
    warning = _only(loaded.problems)
    assert warning.severity is Severity.WARNING
    assert (warning.row, warning.column, warning.value) == (3, "OwnerId", stranger)
    assert loaded.rejected == {}


# --------------------------------------------------------------------------- warnings


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "words"),
    [
        ("Contact", 2, "Stance__c", "Fan", "allowed: Champion, Supporter, Neutral"),
        ("Account", 2, "Account_Tier__c", "Platinum", "allowed: Tier 1, Tier 2, Tier 3"),
        ("Opportunity", 4, "Amount", "-500", "negative amount"),
        ("Contact", 2, "Influence__c", "7", "above the expected range 1-5"),
        ("Opportunity", 3, "CloseDate", "1970-01-01", "far outside"),
        ("Opportunity", 3, "CloseDate", "4000-12-31", "far outside"),
    ],
)
def test_warning_keeps_the_row_and_its_value(
    kit, csv_folder, table: str, row: int, column: str, value: str, words: str
) -> None:
    loaded = kit.load(csv_folder(lambda f: _set(f, table, row, column, value)))
    warning = _only(loaded.problems)
    assert warning.severity is Severity.WARNING
    assert (Path(warning.file).name, warning.row, warning.column, warning.value) == (
        f"{table}.csv", row, column, value)
    assert words in warning.reason
    assert loaded.rejected == {}
    kept = loaded.tables[table].set_index("ROW")[column][row]
    assert str(kept).startswith(value.lstrip("-")[:4]) or str(kept) == str(float(value))


def test_picklist_values_in_another_case_read_as_the_canonical_spelling(kit, csv_folder) -> None:
    loaded = kit.load(csv_folder(lambda f: _set(f, "Contact", 2, "Stance__c", " champion ")))
    assert loaded.problems == ()
    assert loaded.tables["Contact"]["Stance__c"].iloc[0] == "Champion"


# --------------------------------------------------------------------------- whole tables


def test_missing_required_column_rejects_that_table_only(kit, csv_folder) -> None:
    loaded = kit.load(csv_folder(lambda f: f.update(Contact=f["Contact"].drop(
        columns=["LastName"]))))
    error = _only(loaded.errors)
    assert (Path(error.file).name, error.row, error.column) == ("Contact.csv", None, "LastName")
    assert "Contact" not in loaded.tables and "Contact" in loaded.rejected_tables
    assert len(loaded.tables["Account"]) == 3


def test_account_without_name_column_rejects_the_whole_input(kit, csv_folder) -> None:
    with pytest.raises(InputErrors) as caught:
        kit.load(csv_folder(lambda f: f.update(Account=f["Account"].drop(columns=["Name"]))))
    located = [(Path(p.file).name, p.column) for p in caught.value.problems]
    assert ("Account.csv", "Name") in located
    assert caught.value.exit_code == 3


def test_no_account_table_rejects_the_whole_input_and_lists_what_was_found(
    kit, csv_folder
) -> None:
    folder = csv_folder()
    (folder / "Account.csv").unlink()
    with pytest.raises(InputErrors) as caught:
        kit.load(folder)
    assert any("no Account table" in p.reason for p in caught.value.problems)


def test_unreadable_file_is_reported_and_the_rest_loads(kit, csv_folder) -> None:
    folder = csv_folder()
    # Bytes that are neither UTF-8 nor Windows-1252 (0x81 is undefined there).
    (folder / "Contract.csv").write_bytes(b"Id,AccountId\n\x81\x8d\x8f,\x90\x9d\n")
    loaded = kit.load(folder)
    error = _only(loaded.errors)
    assert Path(error.file).name == "Contract.csv" and "unreadable" in error.reason
    assert "Contract" not in loaded.tables and "Contract" in loaded.rejected_tables
    assert len(loaded.tables["Contact"]) == 4


def test_row_with_too_many_fields_is_located_and_rejects_its_account(kit, csv_folder) -> None:
    folder = csv_folder()
    path = folder / "Contract.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] += ",surplus"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = kit.load(folder)
    error = _only(loaded.errors)
    assert (Path(error.file).name, error.row, error.value) == ("Contract.csv", 2, "surplus")
    _assert_only_account_rejected(kit, loaded, kit.A1)


def test_two_files_for_one_object_reject_it(kit, csv_folder) -> None:
    folder = csv_folder()
    (folder / "contacts.csv").write_bytes((folder / "Contact.csv").read_bytes())
    loaded = kit.load(folder)
    error = _only(loaded.errors)
    assert "second source for Contact" in error.reason
    assert "Contact" in loaded.rejected_tables


def test_corrupt_workbook_rejects_the_input(kit, tmp_path: Path) -> None:
    book = tmp_path / "export.xlsx"
    book.write_bytes(b"not a zip file")
    with pytest.raises(InputErrors) as caught:
        kit.load(book)
    assert any(Path(p.file).name == "export.xlsx" for p in caught.value.problems)


def test_every_account_rejected_rejects_the_input(kit, csv_folder) -> None:
    def break_all(frames: dict[str, pd.DataFrame]) -> None:
        for row in (2, 3, 4):
            _set(frames, "Account", row, "AnnualRevenue", "lots")

    with pytest.raises(InputErrors) as caught:
        kit.load(csv_folder(break_all))
    rows = sorted(p.row for p in caught.value.problems if p.column == "AnnualRevenue")
    assert rows == [2, 3, 4]


def test_every_problem_is_reported_in_one_run(kit, csv_folder) -> None:
    def break_many(frames: dict[str, pd.DataFrame]) -> None:
        _set(frames, "Opportunity", 2, "CloseDate", "never")
        _set(frames, "Contact", 4, "Influence__c", "9")
        _set(frames, "Task", 4, "IsClosed", "perhaps")

    loaded = kit.load(csv_folder(break_many))
    located = {(Path(p.file).name, p.row, p.column) for p in loaded.problems}
    # The relation row ties a contact of A1 (rejected) to A2: left out, with a warning.
    assert located == {("Opportunity.csv", 2, "CloseDate"), ("Contact.csv", 4, "Influence__c"),
                       ("Task.csv", 4, "IsClosed"), ("AccountContactRelation.csv", 2, "ContactId")}
    assert sorted(loaded.rejected) == [kit.long_id(kit.A1), kit.long_id(kit.A3)]


def test_empty_sheet_counts_as_absent_with_a_warning(kit, frames, tmp_path: Path) -> None:
    frames["Contract"] = pd.DataFrame()
    loaded = kit.load(kit.write_xlsx(frames, tmp_path / "book.xlsx"))
    warning = _only(loaded.problems)
    assert warning.file == f"{tmp_path / 'book.xlsx'}:Contract"
    assert warning.severity is Severity.WARNING and "empty" in warning.reason
    assert "Contract" in loaded.absent and "Contract" not in loaded.tables


def test_roles_without_an_opportunity_table_are_not_loaded_with_a_warning(kit,
                                                                          csv_folder) -> None:
    folder = csv_folder()
    (folder / "Opportunity.csv").unlink()
    loaded = kit.load(folder)
    untied = {Path(p.file).name for p in loaded.warnings if "no usable Opportunity" in p.reason}
    assert untied == {"OpportunityContactRole.csv", "OpportunityLineItem.csv"}
    assert "OpportunityContactRole" in loaded.rejected_tables
    assert "Opportunity" in loaded.absent
