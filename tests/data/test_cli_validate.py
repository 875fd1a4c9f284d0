"""``kamdocs validate``: one report, every problem located, exit codes, JSON, config."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from kamdocs.cli import main


def _run(*args: str):
    return CliRunner().invoke(main, ["validate", *map(str, args)])


def _set(frames: dict[str, pd.DataFrame], table: str, row: int, column: str, value: str) -> None:
    frames[table].loc[row - 2, column] = value


def test_clean_input_exits_0_with_a_summary(csv_folder) -> None:
    result = _run(csv_folder())
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.split() == ["Account", "3", "(1)"] for line in lines)  # A4 deleted
    assert any(line.split() == ["Contact", "4", "(0)"] for line in lines)
    assert "Accounts rejected: 0" in lines
    assert lines[-1] == "0 error(s), 0 warning(s)."


def test_errors_are_listed_located_and_exit_3(kit, csv_folder) -> None:
    def break_two(frames: dict[str, pd.DataFrame]) -> None:
        _set(frames, "Opportunity", 3, "Amount", "12k")
        _set(frames, "Contact", 5, "Influence__c", "9")

    folder = csv_folder(break_two)
    result = _run(folder)
    assert result.exit_code == 3
    assert f"{folder / 'Opportunity.csv'}:3:Amount: error: not a number (12k)" in result.output
    assert (f"{folder / 'Contact.csv'}:5:Influence__c: warning: above the expected range 1-5"
            " (9)") in result.output
    assert "Accounts rejected: 1" in result.output
    assert kit.long_id(kit.A2) in result.output
    assert result.output.splitlines()[-1] == "1 error(s), 1 warning(s)."


def test_warnings_exit_0_unless_strict(csv_folder) -> None:
    folder = csv_folder(lambda f: _set(f, "Contact", 2, "Stance__c", "Fan"))
    assert _run(folder).exit_code == 0
    strict = _run(folder, "--strict")
    assert strict.exit_code == 3
    assert "Stance__c: warning: unknown value; allowed: Champion" in strict.output


def test_json_report_has_every_problem_and_the_counts(kit, csv_folder) -> None:
    folder = csv_folder(lambda f: _set(f, "Task", 2, "ActivityDate", "soon"))
    result = _run(folder, "--json")
    assert result.exit_code == 3
    report = json.loads(result.output)
    # The warning: the AccountContactRelation row ties A1's contact to A2, and A1 is out.
    assert report["ok"] is False and report["errors"] == 1 and report["warnings"] == 1
    [problem] = [p for p in report["problems"] if p["severity"] == "error"]
    assert problem == {
        "file": str(folder / "Task.csv"), "row": 2, "column": "ActivityDate",
        "severity": "error", "reason": "not a date (expected YYYY-MM-DD or %m/%d/%y)",
        "value": "soon", "account_id": kit.long_id(kit.A1),
    }
    # A1 is rejected: its 2 contacts, 1 opportunity and 1 task are left out.
    assert report["rows"]["Contact"] == 2 and report["rows"]["Opportunity"] == 2
    assert report["rows"]["Task"] == 2
    assert list(report["rejected_accounts"]) == [kit.long_id(kit.A1)]
    assert report["deleted_dropped"]["Account"] == 1
    assert set(report["input_hashes"]) == {str(p) for p in folder.glob("*.csv")}


def test_verbose_lists_ignored_columns_and_files(csv_folder) -> None:
    def add_extra(frames: dict[str, pd.DataFrame]) -> None:
        frames["Account"]["Website"] = "https://example.com"

    folder = csv_folder(add_extra)
    (folder / "OpportunityHistory.csv").write_text("Id\n", encoding="utf-8")
    quiet = _run(folder)
    verbose = _run(folder, "--verbose")
    assert "Ignored columns of Account: Website" not in quiet.output
    assert "Ignored columns of Account: Website" in verbose.output
    assert "OpportunityHistory.csv" in verbose.output


def test_control_characters_in_a_value_stay_on_one_line(csv_folder) -> None:
    folder = csv_folder(lambda f: _set(f, "Account", 2, "Industry", "Re\x07tail"))
    result = _run(folder)
    [line] = [line for line in result.output.splitlines() if "control characters" in line]
    assert line.endswith("(Re\\x07tail)")


def test_rejected_input_exits_3_with_every_problem(csv_folder) -> None:
    folder = csv_folder(lambda f: f.update(Account=f["Account"].drop(columns=["Id"])))
    result = _run(folder)
    assert result.exit_code == 3
    assert f"{folder / 'Account.csv'}:Id: error: required column Id is missing" in result.output
    assert "Input rejected" in result.output


def test_unknown_config_key_exits_2_with_one_line(csv_folder, tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[locale]\ncurency = 'EUR'\n", encoding="utf-8")
    result = _run(csv_folder(), "--config", config)
    assert result.exit_code == 2
    assert "unknown config key locale.curency" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_config_beside_the_data_is_used(kit, csv_folder) -> None:
    folder = csv_folder(lambda f: f.update(Account=f["Account"].rename(
        columns={"Account_Tier__c": "Segment"})))
    assert "Segment" in _run(folder, "--verbose").output
    (folder / "kamdocs.toml").write_text(
        '[columns]\naliases = { "Account.Account_Tier__c" = ["Segment"] }\n', encoding="utf-8")
    result = _run(folder, "--verbose", "--json")
    assert "Segment" not in json.loads(result.output)["ignored_columns"].get("Account", [])


def test_missing_data_path_is_a_usage_error(tmp_path: Path) -> None:
    result = _run(tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "no such file or folder" in result.output and "Traceback" not in result.output


def test_sqlite_url_validates(kit, frames, tmp_path: Path) -> None:
    url = kit.write_sql(frames, f"sqlite:///{tmp_path / 'crm.db'}", snake_case=True)
    result = _run(url)
    assert result.exit_code == 0, result.output
    assert "database sqlite:///" in result.output


def test_sqlite_url_of_a_missing_file_is_a_usage_error_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = _run(f"sqlite:///{missing}")
    assert result.exit_code == 2 and "no such database file" in result.output
    assert not missing.exists()
