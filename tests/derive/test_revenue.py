"""Revenue: active assets, current and prior revenue, the ARR bridge, quarters, pipeline."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from kamdocs.config import LocaleSettings, Settings
from kamdocs.data.derive import revenue
from kamdocs.data.derive.frames import complete

AS_OF = date(2026, 11, 23)

A, B, C = "001A", "001B", "001C"


def _asset(i: int, product: str, value: float | None, start: str | None, end: str | None = None,
           status: str = "Installed", **extra: object) -> dict:
    row = {"Id": f"02i{i}", "AccountId": A, "Name": product, "Annual_Value__c": value,
           "InstallDate": start, "UsageEndDate": end, "Status": status}
    row.update(extra)
    return row


ASSETS = [
    _asset(1, "Alpha", 100, "2024-01-01", "2026-03-01"),
    _asset(2, "Alpha", 150, "2026-03-01"),  # Alpha 100 -> 150: expansion 50
    _asset(3, "Beta", 80, "2026-01-10"),  # new product 80
    _asset(4, "Gamma", 200, "2023-05-01", "2026-05-01"),
    _asset(5, "Gamma", 120, "2026-05-01"),  # Gamma 200 -> 120: contraction 80
    _asset(6, "Delta", 60, "2024-01-01", "2026-02-01", status="Obsolete"),  # churn 60
    _asset(7, "Omega", 500, "2020-01-01", None, status="Obsolete"),  # ended, date unknown
    _asset(8, "Future", 70, "2027-01-01"),  # not yet installed
    _asset(9, "PxQ", None, "2020-01-01", Price=10.0, Quantity=3.0),  # 10 x 3 = 30 throughout
]
OPPORTUNITIES = [
    {"Id": "006B1", "AccountId": B, "Name": "won now", "StageName": "Closed Won",
     "CloseDate": "2026-05-01", "Amount": 1000.0, "IsClosed": True, "IsWon": True},
    {"Id": "006B2", "AccountId": B, "Name": "won last year", "StageName": "Closed Won",
     "CloseDate": "2025-06-01", "Amount": 500.0, "IsClosed": True, "IsWon": True},
    {"Id": "006B3", "AccountId": B, "Name": "lost", "StageName": "Closed Lost",
     "CloseDate": "2026-06-01", "Amount": 900.0, "IsClosed": True, "IsWon": False},
    {"Id": "006A1", "AccountId": A, "Name": "late stage", "StageName": "Negotiation",
     "CloseDate": "2027-01-15", "Amount": 300.0, "IsClosed": False, "IsWon": False,
     "Probability": 80.0},
    {"Id": "006A2", "AccountId": A, "Name": "early stage", "StageName": "Qualification",
     "CloseDate": "2027-03-01", "Amount": 40.5, "IsClosed": False, "IsWon": False,
     "Probability": 20.0},
    {"Id": "006B4", "AccountId": B, "Name": "other late", "StageName": "negotiation",
     "CloseDate": "2027-02-01", "Amount": 10.0, "IsClosed": False, "IsWon": False,
     "Probability": 60.0},
]


def _frames(make_tables) -> dict:  # noqa: ANN001
    return make_tables(
        Account=[{"Id": A, "Name": "Assets Inc"}, {"Id": B, "Name": "Deals Ltd"},
                 {"Id": C, "Name": "Nothing AG"}],
        Asset=ASSETS,
        Opportunity=OPPORTUNITIES,
    )


def test_arr_bridge_adds_up_per_product_movements(make_tables, build_portfolio) -> None:
    account = build_portfolio(_frames(make_tables)).accounts[0]
    bridge = account.revenue.arr_bridge
    assert (bridge.start, bridge.expansion, bridge.new_products, bridge.contraction,
            bridge.churn, bridge.end) == tuple(Decimal(v) for v in (
                "390.00", "50.00", "80.00", "80.00", "60.00", "380.00"))
    assert bridge.start + bridge.expansion + bridge.new_products - bridge.contraction \
        - bridge.churn == bridge.end
    assert (bridge.period_start, bridge.period_end) == (date(2025, 11, 23), date(2026, 11, 23))


def test_current_revenue_comes_from_active_assets(make_tables, build_portfolio) -> None:
    revenue = build_portfolio(_frames(make_tables)).accounts[0].revenue
    assert revenue.basis == "assets"
    assert revenue.current_annual == Decimal("380.00")  # Alpha 150 + Beta 80 + Gamma 120 + 30
    assert revenue.prior_annual == Decimal("390.00")
    assert round(revenue.growth, 6) == round(380 / 390 - 1, 6)


def test_holdings_flag_active_and_compute_price_times_quantity(make_tables,
                                                               build_portfolio) -> None:
    holdings = {h.id: h for h in build_portfolio(_frames(make_tables)).accounts[0].holdings}
    assert holdings["02i9"].annual_value == Decimal("30.00")
    assert [i for i, h in sorted(holdings.items()) if h.is_active] == [
        "02i2", "02i3", "02i5", "02i9"]
    assert [h.product for h in build_portfolio(_frames(make_tables)).accounts[0].holdings] == [
        "Alpha", "Alpha", "Beta", "Delta", "Future", "Gamma", "Gamma", "Omega", "PxQ"]


def test_without_assets_revenue_is_closed_won_of_last_twelve_months(make_tables,
                                                                     build_portfolio) -> None:
    revenue = build_portfolio(_frames(make_tables)).accounts[1].revenue
    assert revenue.basis == "closed-won 12 months"
    assert revenue.current_annual == Decimal("1000.00")
    assert revenue.prior_annual == Decimal("500.00")
    assert revenue.growth == 1.0
    assert revenue.arr_bridge is None


def test_without_any_data_revenue_is_missing_not_zero(make_tables, build_portfolio) -> None:
    revenue = build_portfolio(_frames(make_tables)).accounts[2].revenue
    assert revenue.current_annual is None and revenue.basis is None and revenue.growth is None
    assert revenue.won_12m == Decimal("0.00")  # opportunities were provided: none won


def test_open_pipeline_by_stage_in_probability_order(make_tables, build_portfolio) -> None:
    accounts = build_portfolio(_frames(make_tables)).accounts
    # Qualification (20) before Negotiation (mean of 80 and 60, spelled two ways).
    assert accounts[0].revenue.pipeline_by_stage == (
        ("Qualification", Decimal("40.50")), ("Negotiation", Decimal("300.00")))
    assert accounts[0].revenue.open_pipeline == Decimal("340.50")
    assert accounts[1].revenue.pipeline_by_stage == (("negotiation", Decimal("10.00")),)


def test_won_by_fiscal_quarter_follows_the_fiscal_year_start(make_tables,
                                                             build_portfolio) -> None:
    settings = Settings(locale=LocaleSettings(fiscal_year_start_month=2))
    quarters = build_portfolio(_frames(make_tables), settings).accounts[1].revenue.by_quarter
    labels = [q.label for q in quarters]
    # as_of 2026-11-23 is in fiscal 2027 Q4 (Nov 2026 - Jan 2027); twelve quarters back.
    assert labels[0] == "2025-Q1" and labels[-1] == "2027-Q4" and len(labels) == 12
    assert quarters[-1].period_end == date(2027, 1, 31)
    values = {q.label: q.value for q in quarters if q.value}
    # May 2026 -> fiscal 2027 Q2; June 2025 -> fiscal 2026 Q2.
    assert values == {"2027-Q2": Decimal("1000.00"), "2026-Q2": Decimal("500.00")}


def test_missing_opportunity_object_leaves_pipeline_missing(make_tables,
                                                            build_portfolio) -> None:
    frames = make_tables(Account=[{"Id": A, "Name": "Only"}])
    account = build_portfolio(frames).accounts[0]
    assert account.revenue.open_pipeline is None and account.revenue.won_12m is None
    assert "Opportunity" in account.missing_data and "Asset" in account.missing_data


interval = st.tuples(
    st.integers(min_value=0, max_value=1500),  # start day offset from 2024-01-01, 0 = unknown
    st.integers(min_value=0, max_value=1500),  # end day offset, 0 = open-ended
    st.integers(min_value=0, max_value=10**7),  # annual value in cents
    st.sampled_from(["Installed", "Obsolete"]),
    st.sampled_from(["P1", "P2", "P3"]),
)


@hyp_settings(max_examples=30, deadline=None)
@given(st.lists(interval, min_size=1, max_size=12))
def test_bridge_start_plus_movements_equals_end_for_any_assets(make_tables, rows: list) -> None:
    base = date(2024, 1, 1).toordinal()
    assets = []
    for i, (start, end, cents, status, product) in enumerate(rows):
        assets.append({
            "Id": f"02i{i}", "AccountId": A, "Name": product,
            "Annual_Value__c": cents / 100,
            "InstallDate": date.fromordinal(base + start).isoformat() if start else None,
            "UsageEndDate": date.fromordinal(base + end).isoformat() if end else None,
            "Status": status,
        })
    frames = complete(make_tables(Asset=assets))
    holdings = revenue.prepare_assets(frames["Asset"], frames["Product2"], AS_OF)
    bridge = revenue.arr_bridge(holdings, pd.Timestamp("2025-11-23"), pd.Timestamp(AS_OF))
    row = bridge.loc[A] if A in bridge.index else None
    if row is None:  # every asset ended at an unknown date: nothing to bridge
        assert not holdings["counts"].any()
        return
    assert row["bridge_start"] + row["bridge_expansion"] + row["bridge_new_products"] \
        - row["bridge_contraction"] - row["bridge_churn"] == row["bridge_end"]
    assert min(row["bridge_expansion"], row["bridge_new_products"], row["bridge_contraction"],
               row["bridge_churn"]) >= 0
    # The end of the bridge is exactly the ARR of the assets active on as_of.
    active = holdings[holdings["is_active"]]["annual_cents"].fillna(0).sum()
    assert row["bridge_end"] == active
