"""Whitespace: cells, pipeline split, uncovered, score, candidates and totals by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from kamdocs.config import Settings, WhitespaceSettings
from kamdocs.data.derive import revenue, whitespace
from kamdocs.data.derive.frames import complete

A, B = "001A", "001B"
AS_OF = date(2026, 11, 23)


def _potential(product: str, bu: str, region: str, use_case: str, amount: float,
               account: str = A) -> dict:
    return {"Account__c": account, "Product__c": product, "Business_Unit__c": bu,
            "Region__c": region, "Use_Case__c": use_case, "Potential__c": amount}


def _asset(i: int, product: str, bu: str, region: str, use_case: str | None,
           value: float) -> dict:
    return {"Id": f"02i{i}", "AccountId": A, "Name": product, "Business_Unit__c": bu,
            "Region__c": region, "Use_Case__c": use_case, "Annual_Value__c": value,
            "Status": "Installed", "InstallDate": "2025-01-01"}


def _opp(i: int, amount: float, closed: bool = False, won: bool = False, **extra: object) -> dict:
    row = {"Id": f"006{i}", "AccountId": A, "Name": f"opp {i}", "StageName": "Proposal",
           "CloseDate": "2027-01-01", "Amount": amount, "IsClosed": closed, "IsWon": won}
    row.update(extra)
    return row


def _frames(make_tables) -> dict:  # noqa: ANN001
    return make_tables(
        Account=[{"Id": A, "Name": "Acme"}, {"Id": B, "Name": "Other"}],
        Product2=[{"Id": "01tA", "Name": "Analytics", "Family": "Data"}],
        Whitespace_Potential__c=[
            _potential("Analytics", "Finance", "EMEA", "Reporting", 1000),
            _potential("analytics", "Sales", "EMEA", "Reporting", 500),
            _potential("Storage", "Finance", "EMEA", "Backup", 200),
            _potential("Storage", "finance", "EMEA", "Backup", 100),  # same cell: adds up
            _potential("Security", "Finance", "APAC", "Audit", 50),
            _potential("Analytics", "Finance", "EMEA", "Reporting", 9999, account=B),
        ],
        Asset=[
            _asset(1, "Analytics", "Finance", "EMEA", "Reporting", 300),
            _asset(2, "Storage", "Finance", "EMEA", "Backup", 400),
            _asset(3, "Legacy", "Ops", "US", None, 80),
        ],
        Opportunity=[
            _opp(1, 999),  # its line item counts, not the Amount
            _opp(2, 30, Product_Family__c="Security", Business_Unit__c="Finance"),
            _opp(3, 200, closed=True, won=True),
            _opp(4, 300, closed=True, won=True),  # median won deal: 250
            _opp(5, 1000, Product_Family__c="Analytics", Business_Unit__c="Marketing"),
            _opp(6, 5000, closed=True, won=False, Product_Family__c="Analytics"),
        ],
        OpportunityLineItem=[{"OpportunityId": "0061", "Product2Id": "01tA",
                              "TotalPrice": 200.03}],
    )


SETTINGS = Settings(whitespace=WhitespaceSettings(candidate_count=2, candidate_min=100.0))


def _cells(make_tables, build_portfolio, settings: Settings = SETTINGS):  # noqa: ANN001, ANN202
    account = build_portfolio(_frames(make_tables), settings).accounts[0]
    return account.whitespace, {c.product.casefold() + "/" + (c.business_unit or ""): c
                                for c in account.whitespace.cells}


def test_whitespace_is_potential_minus_current(make_tables, build_portfolio) -> None:
    _, cells = _cells(make_tables, build_portfolio)
    cell = cells["analytics/Finance"]
    assert (cell.potential, cell.current, cell.whitespace) == (
        Decimal("1000.00"), Decimal("300.00"), Decimal("700.00"))


def test_cell_above_potential_is_kept_and_flagged(make_tables, build_portfolio) -> None:
    _, cells = _cells(make_tables, build_portfolio)
    storage = cells["storage/Finance"]
    assert storage.potential == Decimal("300.00")  # two rows of one cell add up
    assert storage.whitespace == Decimal("-100.00") and storage.is_above_potential is True
    assert storage.uncovered == Decimal("0.00") and storage.is_covered is None


def test_pipeline_amount_is_split_evenly_to_the_cent(make_tables, build_portfolio) -> None:
    _, cells = _cells(make_tables, build_portfolio)
    # The 200.03 line (blank BU) matches both Analytics cells; Finance sorts first.
    assert cells["analytics/Finance"].open_pipeline == Decimal("100.02")
    assert cells["analytics/Sales"].open_pipeline == Decimal("100.01")
    # Opportunity 5 is for another business unit; 6 is lost: neither counts.
    assert cells["security/Finance"].open_pipeline == Decimal("30.00")


def test_uncovered_and_score_against_median_won_deal(make_tables, build_portfolio) -> None:
    _, cells = _cells(make_tables, build_portfolio)
    finance, sales, security = (cells["analytics/Finance"], cells["analytics/Sales"],
                                cells["security/Finance"])
    assert finance.uncovered == Decimal("599.98") and finance.score == round(599.98 / 250, 4)
    assert sales.uncovered == Decimal("399.99") and sales.score == round(399.99 / 250, 4)
    assert security.uncovered == Decimal("20.00") and security.is_covered is False


def test_held_product_without_potential_is_a_cell_without_whitespace(make_tables,
                                                                     build_portfolio) -> None:
    summary, cells = _cells(make_tables, build_portfolio)
    legacy = cells["legacy/Ops"]
    assert legacy.current == Decimal("80.00")
    assert legacy.potential is None and legacy.whitespace is None and legacy.score is None
    assert summary.cells[-1] is legacy  # no score: listed last


def test_candidates_respect_minimum_and_count(make_tables, build_portfolio) -> None:
    summary, _ = _cells(make_tables, build_portfolio)
    assert [(c.product, c.business_unit) for c in summary.candidates] == [
        ("Analytics", "Finance"), ("analytics", "Sales")]
    one = Settings(whitespace=WhitespaceSettings(candidate_count=1, candidate_min=100.0))
    summary, _ = _cells(make_tables, build_portfolio, one)
    assert [c.business_unit for c in summary.candidates] == ["Finance"]
    assert [c.is_candidate for c in summary.cells] == [True, False, False, False, False]


def test_cells_sorted_by_score(make_tables, build_portfolio) -> None:
    summary, _ = _cells(make_tables, build_portfolio)
    assert [c.product.casefold() for c in summary.cells] == [
        "analytics", "analytics", "security", "storage", "legacy"]


def test_totals_by_dimension(make_tables, build_portfolio) -> None:
    summary, _ = _cells(make_tables, build_portfolio)
    assert summary.total_current == Decimal("780.00")
    assert summary.total_potential == Decimal("1850.00")
    assert summary.total_whitespace == Decimal("1250.00")  # 700 + 500 + 50
    assert summary.by_product == (("Analytics", Decimal("1200.00")),
                                  ("Security", Decimal("50.00")), ("Storage", Decimal("0.00")))
    assert summary.by_business_unit == (("Finance", Decimal("750.00")),
                                        ("Sales", Decimal("500.00")))
    assert summary.by_region == (("EMEA", Decimal("1200.00")), ("APAC", Decimal("50.00")))
    assert summary.by_use_case[0] == ("Reporting", Decimal("1200.00"))


def test_an_account_never_gets_another_accounts_potential(make_tables,
                                                          build_portfolio) -> None:
    other = build_portfolio(_frames(make_tables), SETTINGS).accounts[1]
    assert [c.potential for c in other.whitespace.cells] == [Decimal("9999.00")]
    assert other.whitespace.total_current == Decimal("0.00")


def test_no_potentials_means_missing_totals(make_tables, build_portfolio) -> None:
    frames = make_tables(Account=[{"Id": A, "Name": "Acme"}],
                         Asset=[_asset(1, "Analytics", "Finance", "EMEA", "Reporting", 300)])
    summary = build_portfolio(frames).accounts[0].whitespace
    assert summary.total_whitespace is None and summary.total_potential is None
    assert summary.total_current == Decimal("300.00") and summary.candidates == ()


cell_rows = st.lists(
    st.tuples(st.sampled_from(["P1", "P2", "p1"]), st.sampled_from(["BU1", "BU2", None]),
              st.sampled_from(["EU", None]), st.integers(min_value=0, max_value=10**8)),
    min_size=0, max_size=15,
)


@hyp_settings(max_examples=30, deadline=None)
@given(potentials=cell_rows, held=cell_rows, pipeline=st.lists(
    st.tuples(st.sampled_from(["P1", "P2", "X"]), st.sampled_from(["BU1", None]),
              st.integers(min_value=0, max_value=10**7)), max_size=6))
def test_totals_equal_the_sum_of_cells(make_tables, potentials: list, held: list,
                                       pipeline: list) -> None:
    tables = complete(make_tables(
        Whitespace_Potential__c=[_potential(p, bu, region, "UC", cents / 100)
                                 for p, bu, region, cents in potentials],
        Asset=[_asset(i, p, bu, region, "UC", cents / 100)
               for i, (p, bu, region, cents) in enumerate(held)],
        Opportunity=[_opp(i, cents / 100, Product_Family__c=p, Business_Unit__c=bu)
                     for i, (p, bu, cents) in enumerate(pipeline)],
    ))
    holdings = revenue.prepare_assets(tables["Asset"], tables["Product2"], AS_OF)
    opps = revenue.prepare_opportunities(tables["Opportunity"], SETTINGS)
    lines = revenue.prepare_line_items(tables["OpportunityLineItem"], tables["Product2"])
    cells = whitespace.derive_whitespace(tables["Whitespace_Potential__c"], holdings, opps,
                                         lines, SETTINGS)
    totals = whitespace.whitespace_totals(cells)
    if potentials:
        with_potential = cells[cells["potential_cents"].notna()]
        assert totals.loc[A, "total_potential_cents"] == sum(c for *_, c in potentials)
        assert totals.loc[A, "total_whitespace_cents"] == \
            with_potential["whitespace_cents"].clip(lower=0).sum()
        for dimension in whitespace.DIMENSIONS:
            by = whitespace.whitespace_by(cells, dimension)
            assert by["cents"].sum() == totals.loc[A, "total_whitespace_cents"]
    if held:
        assert totals.loc[A, "total_current_cents"] == sum(c for *_, c in held)
    # Pipeline is split, never created: cells hold at most the open amount.
    assert cells["open_pipeline_cents"].sum() <= sum(c for *_, c in pipeline)
    assert (cells["uncovered_cents"].dropna() >= 0).all()
