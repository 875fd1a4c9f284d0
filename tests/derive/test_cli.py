"""The analytics commands end to end: output, files written, exit codes, no tracebacks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from kamdocs import samples
from kamdocs.cli import main
from kamdocs.serialize import loads_account
from tests.scenarios import AS_OF, SAMPLES_DIR, write_scenario

DATE = AS_OF.isoformat()


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    frames = samples.generate(4, seed=5, as_of=AS_OF)
    return write_scenario(frames, tmp_path_factory.mktemp("cli") / "data")


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def _first_account(data: Path) -> tuple[str, str]:
    with (data / "Account.csv").open(encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    return row["Id"], row["Name"]


def test_model_json_is_the_canonical_account_model(data: Path) -> None:
    account_id, name = _first_account(data)
    result = run("model", str(data), account_id, "--json", "--as-of", DATE)
    assert result.exit_code == 0, result.output
    account = loads_account(result.stdout)
    assert account.id == account_id and account.name == name and account.as_of == AS_OF
    by_name = run("model", str(data), name, "--json", "--as-of", DATE)
    assert by_name.stdout == result.stdout


def test_model_customer_view_has_no_internal_fields(data: Path) -> None:
    account_id, _ = _first_account(data)
    result = run("model", str(data), account_id[:15], "--json", "--audience", "customer",
                 "--as-of", DATE)
    body = json.loads(result.stdout)["account"]
    assert body["audience"] == "customer"
    assert body["tiering"]["proposed_tier"] is None and body["health"]["status"] is None
    assert all(s["stance"] is None for s in body["stakeholders"])


def test_unknown_account_is_a_usage_error(data: Path) -> None:
    result = run("model", str(data), "No Such Company", "--as-of", DATE)
    assert result.exit_code == 2 and "no account with Id or name 'No Such Company'" in result.output


def test_tier_writes_the_salesforce_update_and_an_xlsx(data: Path, tmp_path: Path) -> None:
    update, table = tmp_path / "tiers.csv", tmp_path / "tiers.xlsx"
    result = run("tier", str(data), "--as-of", DATE, "--salesforce-update", str(update),
                 "-o", str(table))
    assert result.exit_code == 0, result.output
    assert "4 accounts" in result.output
    rows = list(csv.reader(io.StringIO(update.read_text(encoding="utf-8"), newline="")))
    assert rows[0] == ["Id", "Account_Tier__c"]
    assert all(r[1] in ("Tier 1", "Tier 2", "Tier 3") for r in rows[1:])
    sheet = load_workbook(table)["Tiers"]
    assert sheet["A1"].value == "Account Id" and sheet.max_row == 5


def test_renewals_json_lists_every_account(data: Path, tmp_path: Path) -> None:
    insert = tmp_path / "renewals.csv"
    result = run("renewals", str(data), "--json", "--as-of", DATE, "--salesforce-insert",
                 str(insert))
    body = json.loads(result.stdout)
    assert body["as_of"] == DATE and len(body["rows"]) == 4
    assert {r["Status"] for r in body["rows"]} <= {
        "no renewal date", "not yet in window", "in window, renewal opportunity open",
        "in window, no renewal opportunity yet", "past the window, no renewal opportunity",
        "renewed", "lapsed"}
    header = insert.read_text(encoding="utf-8").splitlines()[0]
    assert header == "AccountId,Name,Type,StageName,CloseDate,Amount,OwnerId"
    missing = [r for r in body["rows"] if r["Proposed name"]]
    assert len(insert.read_text(encoding="utf-8").splitlines()) == len(missing) + 1


def test_expansion_csv_output(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "expansion.csv"
    result = run("expansion", str(data), "--as-of", DATE, "-o", str(out))
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert rows[0][:3] == ["Account Id", "Account", "Product"]
    scores = [float(r[9]) for r in rows[1:]]
    assert scores == sorted(scores, reverse=True)


def test_actions_for_an_unknown_owner_lists_the_owners(data: Path) -> None:
    result = run("actions", str(data), "--as-of", DATE, "--owner", "Nobody Here")
    assert result.exit_code == 2 and "no actions owned by 'Nobody Here'; owners:" in result.output


def test_actions_overdue_only() -> None:
    body = json.loads(run("actions", str(SAMPLES_DIR), "--as-of", DATE, "--overdue",
                          "--json").stdout)
    assert body["rows"] and all(r["Overdue"] for r in body["rows"])
    days = [r["Days overdue"] for r in body["rows"]]
    assert days == sorted(days, reverse=True)


def test_review_with_previous_model_lists_changes(data: Path, tmp_path: Path) -> None:
    account_id, _ = _first_account(data)
    previous = tmp_path / "previous.json"
    earlier = run("model", str(data), account_id, "--as-of", "2026-08-23", "-o", str(previous))
    assert earlier.exit_code == 0 and previous.exists()
    result = run("review", str(data), account_id, "--as-of", DATE, "--previous", str(previous),
                 "--json")
    body = json.loads(result.stdout)
    assert body["changes"]["previous_as_of"] == "2026-08-23"
    assert body["changes"]["items"], "three months later something changed"
    assert [line[0] for line in body["scorecard"]["lines"]][0] == "Value and profitability"
    text = run("review", str(data), account_id, "--as-of", DATE, "--previous", str(previous))
    assert "Scorecard" in text.output and "Changes" in text.output and "Roster:" in text.output


def test_review_rejects_another_accounts_previous_model(data: Path, tmp_path: Path) -> None:
    with (data / "Account.csv").open(encoding="utf-8") as handle:
        first, second = [row["Id"] for row in csv.DictReader(handle)][:2]
    previous = tmp_path / "other.json"
    run("model", str(data), second, "--as-of", DATE, "-o", str(previous))
    result = run("review", str(data), first, "--as-of", DATE, "--previous", str(previous))
    assert result.exit_code == 2 and "previous model is of account" in result.output


def test_unusable_input_exits_3(tmp_path: Path) -> None:
    (tmp_path / "Contact.csv").write_text("Id,AccountId,LastName\n", encoding="utf-8")
    result = run("tier", str(tmp_path), "--as-of", DATE)
    assert result.exit_code == 3


@pytest.mark.parametrize("args", [
    ["tier", "{data}", "--as-of", "23/11/2026"],
    ["tier", "{data}", "--as-of", DATE, "-o", "{tmp}/tiers.pdf"],
    ["renewals", "{data}", "--as-of", DATE, "--salesforce-insert", "{tmp}/r.xlsx"],
    ["model", "{data}", "x", "--config", "{tmp}/missing.toml"],
])
def test_usage_errors_exit_2(data: Path, tmp_path: Path, args: list[str]) -> None:
    result = run(*(a.format(data=data, tmp=tmp_path) for a in args))
    assert result.exit_code == 2, result.output
