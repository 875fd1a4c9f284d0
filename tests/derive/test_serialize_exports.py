"""Model JSON both ways, account lookup, and formula-safe CSV/XLSX/Data Loader exports."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kamdocs import exports
from kamdocs.config import Settings
from kamdocs.errors import AccountNotFound, UsageError
from kamdocs.exports import Column, Report
from kamdocs.model import (
    Account,
    ArrBridge,
    Kpi,
    KpiMeasurement,
    Portfolio,
    RagStatus,
    RejectedAccount,
    Revenue,
    Scorecard,
)
from kamdocs.pipeline import find_account
from kamdocs.serialize import dumps_account, dumps_portfolio, loads_account

AS_OF = date(2026, 11, 23)


def _rich_account() -> Account:
    point = KpiMeasurement(period_end=date(2026, 9, 30), actual=99.5, target=99.9)
    return Account(
        id="001A", name="Ünïcode & <Co>", as_of=AS_OF,
        revenue=Revenue(current_annual=Decimal("1234.50"), growth=-0.125, arr_bridge=ArrBridge(
            year=2026, start=Decimal("1.00"), expansion=Decimal("0.00"),
            new_products=Decimal("0.50"), contraction=Decimal("0.00"), churn=Decimal("0.00"),
            end=Decimal("1.50"))),
        kpis=(Kpi(name="Uptime", kind="SLA", history=(point,), latest=point, is_met=False),),
        scorecard=Scorecard(lines=(("Renewal", "late", RagStatus.RED), ("KPIs", "none", None))),
    )


def test_account_json_round_trips_every_kind_of_field() -> None:
    account = _rich_account()
    text = dumps_account(account)
    assert loads_account(text) == account
    data = json.loads(text)
    assert data["format"] == "kamdocs.account" and data["version"] == 1
    assert data["account"]["revenue"]["current_annual"] == "1234.50"  # exact, as text
    assert data["account"]["scorecard"]["lines"][0] == ["Renewal", "late", "red"]
    assert text.endswith("}\n") and "Ünïcode" in text  # UTF-8, not \\u escapes


def test_reading_ignores_unknown_keys_and_fills_defaults() -> None:
    data = {"account": {"id": "001A", "name": "Acme", "as_of": "2026-11-23",
                        "field_from_the_future": 1}}
    account = loads_account(json.dumps(data))
    assert account.id == "001A" and account.revenue == Revenue() and account.stakeholders == ()


@pytest.mark.parametrize(("body", "message"), [
    ({"id": "001A", "name": "Acme", "as_of": "2026-13-01"}, "account.as_of: not a date"),
    ({"id": "001A", "as_of": "2026-11-23"}, "account.name: missing"),
    ({"id": "001A", "name": "Acme", "as_of": "2026-11-23",
      "revenue": {"current_annual": 12.5}}, "account.revenue.current_annual"),
    ({"id": "001A", "name": "Acme", "as_of": "2026-11-23",
      "renewal": {"status": "someday"}}, "not one of"),
])
def test_a_bad_model_file_names_the_field(body: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace(".", r"\.")):
        loads_account(json.dumps({"account": body}), source="prev.json")


def test_a_portfolio_file_is_not_an_account() -> None:
    portfolio = Portfolio(as_of=AS_OF, company="Us", currency="USD", locale="en_US",
                          source="x", accounts=(_rich_account(),))
    with pytest.raises(UsageError, match="portfolio"):
        loads_account(dumps_portfolio(portfolio), source="p.json")


@hyp_settings(max_examples=80, deadline=None)
@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "name", "as_of", "account", "revenue", "kpis", "version"]),
        inner, max_size=4),
    max_leaves=12,
))
def test_junk_json_is_a_usage_error_never_a_crash(junk: object) -> None:
    try:
        loads_account(json.dumps(junk))
    except UsageError:
        pass


def test_not_json_at_all_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="prev.json: not a kamdocs model JSON"):
        loads_account("{nope", source="prev.json")


# --------------------------------------------------------------------------- find_account


def _portfolio(*names: str) -> Portfolio:
    accounts = tuple(Account(id=f"001000000000{i:03d}AAA", name=n, as_of=AS_OF)
                     for i, n in enumerate(names))
    return Portfolio(as_of=AS_OF, company="Us", currency="USD", locale="en_US", source="x",
                     accounts=accounts, rejected=(RejectedAccount(
                         id="001000000000999AAA", name=None, reasons=("bad date",)),))


def test_find_account_by_18_or_15_character_id_or_exact_name() -> None:
    portfolio = _portfolio("Acme", "Beta", "Gamma")
    assert find_account(portfolio, "001000000000001AAA").name == "Beta"
    assert find_account(portfolio, "001000000000001").name == "Beta"
    assert find_account(portfolio, "Gamma").id == "001000000000002AAA"
    assert find_account(portfolio, "gamma").id == "001000000000002AAA"


def test_ambiguous_name_lists_the_candidates() -> None:
    portfolio = _portfolio("Acme", "Acme", "Beta")
    with pytest.raises(AccountNotFound, match="2 accounts are named 'Acme'") as caught:
        find_account(portfolio, "Acme")
    assert "001000000000000AAA" in str(caught.value) and "001000000000001AAA" in str(caught.value)
    assert caught.value.exit_code == 2


def test_unknown_name_suggests_close_matches() -> None:
    with pytest.raises(AccountNotFound, match="did you mean: Acme Corp"):
        find_account(_portfolio("Acme Corp", "Beta"), "Acme Crop")


def test_rejected_account_says_why() -> None:
    with pytest.raises(AccountNotFound, match="rejected when loading: bad date"):
        find_account(_portfolio("Acme"), "001000000000999AAA")


# --------------------------------------------------------------------------- exports


REPORT = Report("Test sheet", (
    Column("Name"), Column("Amount", exports.MONEY), Column("When", exports.DATE),
    Column("Share", exports.SHARE), Column("Flag", exports.BOOL), Column("Count", exports.INT),
), (
    ("=SUM(A1:A9)", Decimal("-5.00"), date(2026, 1, 2), 0.25, True, 3),
    ("+1 555", Decimal("1234.50"), None, None, False, None),
    ("@user", None, date(2027, 3, 4), 1.0, None, -2),
    ("\tTabbed", Decimal("0.00"), None, 0.0, True, 0),
    ("-minus", Decimal("7.10"), None, None, None, None),
    ("plain text", Decimal("1.00"), None, None, None, None),
))


def test_csv_neutralises_formulas_and_keeps_numbers_and_dates() -> None:
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(REPORT).decode("utf-8"), newline="")))
    assert rows[0] == ["Name", "Amount", "When", "Share", "Flag", "Count"]
    assert rows[1] == ["'=SUM(A1:A9)", "-5.00", "2026-01-02", "0.25", "true", "3"]
    assert rows[2][0] == "'+1 555" and rows[3][0] == "'@user" and rows[4][0] == "'\tTabbed"
    assert rows[5][0] == "'-minus" and rows[6][0] == "plain text"
    assert rows[2][2] == "" and rows[3][5] == "-2"  # missing is empty; a number stays a number


def test_xlsx_has_typed_cells_frozen_header_filter_and_safe_text() -> None:
    book = load_workbook(io.BytesIO(exports.xlsx_bytes([REPORT], AS_OF, "Us")))
    sheet = book["Test sheet"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:F7"
    assert sheet["A2"].value == "'=SUM(A1:A9)" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -5.0 and sheet["B2"].data_type == "n"
    assert sheet["B2"].number_format == "#,##0.00"
    assert sheet["C2"].value == datetime(2026, 1, 2) and sheet["C2"].is_date
    assert sheet["D2"].value == 0.25 and sheet["E2"].value is True
    assert sheet["A6"].value == "'-minus" and sheet["A1"].font.bold


def test_xlsx_is_byte_identical_and_dated_as_of() -> None:
    first = exports.xlsx_bytes([REPORT, REPORT], AS_OF, "Us")
    assert first == exports.xlsx_bytes([REPORT, REPORT], AS_OF, "Us")
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {info.date_time[:3] for info in archive.infolist()} == {(2026, 11, 23)}
    core = archive.read("docProps/core.xml").decode()
    assert "2026-11-23T00:00:00Z" in core
    assert load_workbook(io.BytesIO(first)).sheetnames == ["Test sheet", "Test sheet (2)"]


@given(st.text(max_size=30))
def test_any_text_round_trips_through_csv_in_its_safe_form(text: str) -> None:
    report = Report("t", (Column("x"),), ((text,),))
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(report).decode("utf-8"),
                                       newline="")))
    assert rows[1] == [exports.safe_text(text)]
    assert not rows[1][0].startswith(("=", "+", "-", "@", "\t", "\r"))


def _loaded(make_tables, build_portfolio) -> Portfolio:  # noqa: ANN001
    frames = make_tables(
        Account=[
            {"Id": "001A", "Name": "=Acme", "OwnerId": "005U", "Account_Tier__c": "Tier 3",
             "Renewal_Date__c": "2027-07-31"},
            {"Id": "001B", "Name": "Beta", "Account_Tier__c": "Tier 1"},
        ],
        Asset=[{"Id": "02i1", "AccountId": "001A", "Name": "Analytics", "Status": "Installed",
                "Annual_Value__c": 50000.0, "Business_Unit__c": "Finance"}],
        Whitespace_Potential__c=[{"Account__c": "001A", "Product__c": "Analytics",
                                  "Business_Unit__c": "Finance", "Potential__c": 250000.0}],
    )
    return build_portfolio(frames)


def test_salesforce_tier_update_lists_changes_only(make_tables, build_portfolio) -> None:
    text = exports.salesforce_tier_update(_loaded(make_tables, build_portfolio)).decode()
    # Acme ranks Tier 1 (5% of 2, clamped to at most 2); Beta has nothing to score and keeps
    # its Tier 1 (an export without its data must not downgrade it in Salesforce).
    assert text == "Id,Account_Tier__c\r\n001A,Tier 1\r\n"


def test_salesforce_renewal_and_expansion_inserts(make_tables, build_portfolio) -> None:
    portfolio = _loaded(make_tables, build_portfolio)
    renewal = list(csv.reader(io.StringIO(
        exports.salesforce_renewal_insert(portfolio, Settings()).decode(), newline="")))
    assert renewal == [
        ["AccountId", "Name", "Type", "StageName", "CloseDate", "Amount", "OwnerId"],
        ["001A", "'=Acme - Renewal 2027-07", "Renewal", "Prospecting", "2027-07-31", "50000.00",
         "005U"],
    ]
    expansion = list(csv.reader(io.StringIO(
        exports.salesforce_expansion_insert(portfolio, Settings()).decode(), newline="")))
    assert expansion[1] == ["001A", "'=Acme - Expansion Analytics (Finance)", "Expansion",
                            "Prospecting", "2027-02-21", "200000.00", "005U"]


def test_action_report_filters_overdue_and_owner(make_tables, build_portfolio) -> None:
    frames = make_tables(
        Account=[{"Id": "001A", "Name": "Acme"}],
        User=[{"Id": "005U", "Name": "Sam Lee"}],
        Task=[{"Id": "T1", "AccountId": "001A", "Subject": "late", "Status": "Open",
               "IsClosed": False, "ActivityDate": "2026-11-01", "OwnerId": "005U"},
              {"Id": "T2", "AccountId": "001A", "Subject": "fine", "Status": "Open",
               "IsClosed": False, "ActivityDate": "2026-12-01"}],
    )
    portfolio = build_portfolio(frames)
    assert [r[2] for r in exports.action_report(portfolio).rows] == ["late", "fine"]
    assert [r[2] for r in exports.action_report(portfolio, overdue_only=True).rows] == ["late"]
    assert [r[2] for r in exports.action_report(portfolio, owner="sam lee").rows] == ["late"]
    assert exports.action_owners(portfolio) == ["Sam Lee"]
