"""`kamdocs batch` on real generated data: exit codes, --json, the portfolio files."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from batch_support import AS_OF
from click.testing import CliRunner

from kamdocs.cli import main


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kamdocs.samples import generate, write_csv_folder

    folder = tmp_path_factory.mktemp("data")
    write_csv_folder(generate(8, 5, AS_OF), folder)
    return folder


def _batch(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["batch", *args, "--plugin", "batch_fakes"],
                                catch_exceptions=False)
    return result.exit_code, result.output


def test_batch_builds_every_account_and_prints_a_json_summary(data: Path, tmp_path: Path) -> None:
    import kamdocs

    code, output = _batch(str(data), "-o", str(tmp_path), "--kinds", "fakeplan",
                          "--as-of", AS_OF.isoformat(), "--jobs", "1", "--json")
    assert code == 0, output
    summary = json.loads(output)
    portfolio = kamdocs.load_portfolio(data, as_of=AS_OF)
    assert summary["built"] == len(portfolio.accounts) == 8
    assert summary["failed"] == 0 and summary["exit_code"] == 0

    # portfolio.xlsx: the six sheets, typed cells, frozen header, filters.
    book = openpyxl.load_workbook(tmp_path / "portfolio.xlsx")
    assert book.sheetnames == ["Tiers", "Renewals", "Expansion", "Overdue actions by owner",
                               "QBR and EBR cadence", "Build results"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    renewals = book["Renewals"]
    header = [c.value for c in renewals[1]]
    dates = [row[header.index("Renewal date")] for row in renewals.iter_rows(min_row=2)]
    assert any(c.is_date for c in dates)
    results = list(book["Build results"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in results) == sorted(a.id for a in portfolio.accounts)
    assert {r[4] for r in results} == {"built"}
    overdue = list(book["Overdue actions by owner"].iter_rows(min_row=2, values_only=True))
    expected = sum(1 for a in portfolio.accounts for x in a.actions if x.is_overdue)
    assert len(overdue) == expected
    assert [r[0] or "" for r in overdue] == sorted(r[0] or "" for r in overdue)

    # The Salesforce Data Loader files: the tier update lists exactly the tier changes.
    updates = list(csv.reader(io.StringIO(
        (tmp_path / "salesforce" / "account_tier_update.csv").read_text(encoding="utf-8"))))
    changed = sorted(a.id for a in portfolio.accounts if a.tiering.is_change)
    assert updates[0] == ["Id", "Account_Tier__c"]
    assert sorted(r[0] for r in updates[1:]) == changed
    assert (tmp_path / "salesforce" / "renewal_opportunities_insert.csv").is_file()
    assert (tmp_path / "salesforce" / "expansion_opportunities_insert.csv").is_file()


def test_a_later_review_gets_the_changes_since_the_previous_run(data: Path, tmp_path: Path) -> None:
    later = date(2027, 2, 23)
    _batch(str(data), "-o", str(tmp_path), "--kinds", "fakeplan", "--as-of", AS_OF.isoformat(),
           "--jobs", "1")
    code, output = _batch(str(data), "-o", str(tmp_path), "--kinds", "fakeplan", "--as-of",
                          later.isoformat(), "--jobs", "1")
    assert code == 0, output
    texts = [p.read_text(encoding="utf-8") for p in
             (tmp_path / "fakeplan").glob(f"*_{later.isoformat()}.txt")]
    first = [p.read_text(encoding="utf-8") for p in
             (tmp_path / "fakeplan").glob(f"*_{AS_OF.isoformat()}.txt")]
    assert len(texts) == len(first) == 8
    # The first review had nothing to compare with; the later one compared every account.
    assert all("changes=none\n" in t for t in first)
    assert all("changes=none\n" not in t for t in texts)
    with sqlite3.connect(tmp_path / "manifest.sqlite") as db:
        stored = db.execute("SELECT as_of, COUNT(*) FROM snapshots GROUP BY as_of").fetchall()
    assert stored == [(AS_OF.isoformat(), 8), (later.isoformat(), 8)]


def test_tier_filter_and_a_failing_account_exit_1_naming_it(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kamdocs
    from kamdocs.batch.select import account_tier

    portfolio = kamdocs.load_portfolio(data, as_of=AS_OF)
    tier_one = sorted(a.id for a in portfolio.accounts if account_tier(a) == 1)
    assert tier_one and len(tier_one) < len(portfolio.accounts)
    monkeypatch.setenv("BATCH_FAKES_POISON", tier_one[0])
    code, output = _batch(str(data), "-o", str(tmp_path), "--kinds", "fakeplan",
                          "--as-of", AS_OF.isoformat(), "--jobs", "1", "--tier", "1")
    assert code == 1
    assert f"failed: {tier_one[0]}" in output and "batch.log" in output
    built = sorted(p.name.split("_")[-3] for p in (tmp_path / "fakeplan").glob("*.txt"))
    assert built == tier_one[1:]


def test_rejected_input_exits_3(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "Contact.csv").write_text("Id,LastName\n", encoding="utf-8")
    code, output = _batch(str(tmp_path / "data"), "-o", str(tmp_path / "out"), "--kinds",
                          "fakeplan", "--as-of", AS_OF.isoformat())
    assert code == 3, output


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--tier", "4", "--tier takes 1, 2 or 3"),
    ("--audience", "board", "--audience takes internal and/or customer"),
    ("--as-of", "23.11.2026", "--as-of must be YYYY-MM-DD"),
    ("--kinds", "fakeplna", "did you mean 'fakeplan'"),
    ("--accounts", "001000000000999", "no account '001000000000999'"),
])
def test_bad_options_exit_2_with_one_line(data: Path, tmp_path: Path, option: str, value: str,
                                          message: str) -> None:
    args = [str(data), "-o", str(tmp_path), "--as-of", AS_OF.isoformat(), option, value]
    if option != "--kinds":
        args += ["--kinds", "fakeplan"]
    if option == "--as-of":
        args = [str(data), "-o", str(tmp_path), option, value, "--kinds", "fakeplan"]
    code, output = _batch(*args)
    assert code == 2 and message in output and "Traceback" not in output
