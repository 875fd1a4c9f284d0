"""Renewals: every status, the contract fallback, retention, the proposed opportunity.

as_of is 2026-11-23; the window opens 9 months and is late 6 months before the date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kamdocs.config import RenewalSettings, Settings
from kamdocs.model import RenewalStatus


def _account(aid: str, renewal: str | None) -> dict:
    return {"Id": aid, "Name": f"{aid} Corp", "Renewal_Date__c": renewal, "OwnerId": "005U"}


def _opp(oid: str, account: str, close: str, amount: float = 1200.0, kind: str = "Renewal",
         closed: bool = False, won: bool = False) -> dict:
    return {"Id": oid, "AccountId": account, "Name": oid, "StageName": "Negotiation",
            "CloseDate": close, "Amount": amount, "Type": kind, "IsClosed": closed,
            "IsWon": won}


def _frames(make_tables) -> dict:  # noqa: ANN001
    return make_tables(
        Account=[
            _account("R1", "2027-12-31"), _account("R2", "2027-06-30"),
            _account("R3", "2027-07-31"), _account("R4", "2027-04-30"),
            _account("R5", "2026-10-01"), _account("R6", "2026-10-01"),
            _account("R7", None), _account("R8", None),
        ],
        Opportunity=[
            _opp("O2", "R2", "2027-06-01"),
            _opp("O2w", "R2", "2026-02-01", amount=1000.0, kind="New Business", closed=True,
                 won=True),
            _opp("O4", "R4", "2027-09-30", kind="Existing Business - Renewal"),  # 153 days off
            _opp("O5", "R5", "2026-09-15", closed=True, won=True),
            _opp("O6", "R6", "2026-09-20", closed=True, won=False),  # lost: no renewal
        ],
        Contract=[
            {"Id": "K1", "AccountId": "R7", "EndDate": "2027-02-28", "Status": "Activated"},
            {"Id": "K2", "AccountId": "R7", "EndDate": "2028-01-01", "Status": "Draft"},
            {"Id": "K3", "AccountId": "R7", "EndDate": "2026-01-01", "Status": "Expired"},
        ],
    )


def _renewals(make_tables, build_portfolio, settings: Settings | None = None) -> dict:  # noqa: ANN001
    return {a.id: a.renewal for a in build_portfolio(_frames(make_tables), settings).accounts}


def test_every_status(make_tables, build_portfolio) -> None:
    status = {k: r.status for k, r in _renewals(make_tables, build_portfolio).items()}
    assert status == {
        "R1": RenewalStatus.NOT_IN_WINDOW,  # window opens 2027-03-31
        "R2": RenewalStatus.COVERED,  # in window (2026-09-30), open renewal 29 days off
        "R3": RenewalStatus.MISSING,  # in window since 2026-10-31, late from 2027-01-31
        "R4": RenewalStatus.LATE,  # late since 2026-10-30; O4 closes 153 days off
        "R5": RenewalStatus.RENEWED,
        "R6": RenewalStatus.LAPSED,
        "R7": RenewalStatus.LATE,  # contract end 2027-02-28, late since 2026-08-28
        "R8": RenewalStatus.NO_DATE,
    }


def test_window_dates(make_tables, build_portfolio) -> None:
    renewal = _renewals(make_tables, build_portfolio)["R2"]
    assert (renewal.window_opens, renewal.window_late) == (date(2026, 9, 30), date(2026, 12, 30))


def test_renewal_date_falls_back_to_latest_active_contract(make_tables, build_portfolio) -> None:
    renewal = _renewals(make_tables, build_portfolio)["R7"]
    assert (renewal.date, renewal.source) == (date(2027, 2, 28), "contract")
    assert _renewals(make_tables, build_portfolio)["R1"].source == "account"


def test_retention_is_renewal_amount_over_current_revenue(make_tables, build_portfolio) -> None:
    renewal = _renewals(make_tables, build_portfolio)["R2"]
    assert renewal.opportunity_id == "O2" and renewal.opportunity_amount == Decimal("1200.00")
    assert renewal.retention == 1.2 and renewal.meets_target is True
    strict = Settings(renewals=RenewalSettings(retention_target=1.25))
    renewal = _renewals(make_tables, build_portfolio, strict)["R2"]
    assert renewal.retention_target == 1.25 and renewal.meets_target is False


def test_missing_renewal_gets_a_proposed_opportunity(make_tables, build_portfolio) -> None:
    renewals = _renewals(make_tables, build_portfolio)
    assert renewals["R3"].proposed_name == "R3 Corp - Renewal 2027-07"
    assert renewals["R3"].proposed_close_date == date(2027, 7, 31)
    assert renewals["R4"].proposed_name == "R4 Corp - Renewal 2027-04"
    assert renewals["R2"].proposed_name is None and renewals["R1"].proposed_name is None


def test_window_and_match_days_come_from_config(make_tables, build_portfolio) -> None:
    wide = Settings(renewals=RenewalSettings(match_days=200, window_open_months=12,
                                             window_late_months=3))
    status = {k: r.status for k, r in _renewals(make_tables, build_portfolio, wide).items()}
    assert status["R4"] is RenewalStatus.COVERED  # O4 now matches
    assert status["R1"] is RenewalStatus.NOT_IN_WINDOW  # opens 2026-12-31
    assert status["R3"] is RenewalStatus.MISSING  # late only from 2027-04-30
