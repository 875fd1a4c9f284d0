"""Renewals (stage 7): the renewal date, whether its opportunity exists in time, retention.

Definitions (docs/analytics.md, "Renewals"):

- Renewal date R = Account.Renewal_Date__c, else the latest EndDate of the account's
  Contracts whose Status is not one of :data:`EXCLUDED_CONTRACT_STATUSES`.
- The window opens ``renewals.window_open_months`` before R; the opportunity is late from
  ``renewals.window_late_months`` before R.
- A renewal opportunity: Type in ``opportunities.renewal_types``, open or won (not lost),
  CloseDate within ``renewals.match_days`` days of R; a won one is preferred, then the one
  closing nearest R, then the smaller Id.
- Status, first that applies: no date; renewed (a won renewal opportunity); lapsed (R is
  before as_of); not yet in window; in window, renewal opportunity open (an open one); in
  window, no renewal opportunity yet (before the late date); past the window, no renewal
  opportunity.
- Retention = renewal opportunity Amount / current annual revenue; met when >=
  ``renewals.retention_target``.
- A missing or late renewal gets a proposed opportunity: "<Account> - Renewal <YYYY-MM>",
  closing on R, for the current annual revenue.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from kamdocs.config import Settings
from kamdocs.data import schemas as s
from kamdocs.data.derive.frames import ACCOUNT, is_in, timestamp
from kamdocs.model import RenewalStatus

#: Contract statuses that do not set a renewal date (not yet or no longer in force).
EXCLUDED_CONTRACT_STATUSES = (
    "Draft", "In Approval Process", "Rejected", "Cancelled", "Canceled", "Terminated",
)


def renewal_dates(accounts: pd.DataFrame, contracts: pd.DataFrame) -> pd.DataFrame:
    """Per account (index): the renewal date and its source ("account" or "contract")."""
    counted = contracts[~is_in(contracts[s.STATUS], EXCLUDED_CONTRACT_STATUSES)]
    latest = counted.groupby(s.ACCOUNT_ID)[s.END_DATE].max()
    own = pd.Series(accounts[s.RENEWAL_DATE].to_numpy(), index=accounts[s.ID].to_numpy())
    from_contract = latest.reindex(own.index)
    frame = pd.DataFrame(index=own.index)
    frame["renewal_date"] = own.where(own.notna(), from_contract)
    frame["source"] = np.where(
        own.notna(), "account", np.where(from_contract.notna(), "contract", None)
    )
    return frame


def derive_renewals(
    accounts: pd.DataFrame,
    contracts: pd.DataFrame,
    opportunities: pd.DataFrame,
    current_cents: pd.Series,
    settings: Settings,
    as_of: date,
) -> pd.DataFrame:
    """Per account (index): date, source, window dates, status, matched opportunity,
    retention and the proposed opportunity for a missing renewal."""
    options = settings.renewals
    when = timestamp(as_of)
    frame = renewal_dates(accounts, contracts)
    names = pd.Series(accounts[s.NAME].to_numpy(), index=accounts[s.ID].to_numpy())
    date_ = frame["renewal_date"]
    frame["window_opens"] = _shift(date_, options.window_open_months)
    frame["window_late"] = _shift(date_, options.window_late_months)

    match = _matching_opportunity(frame, opportunities, settings)
    frame = frame.join(match)
    has_date = date_.notna()
    won = frame["opportunity_won"].fillna(False).astype(bool)
    found = frame["opportunity_id"].notna()
    status = np.select(
        [
            ~has_date,
            won,
            date_ < when,
            when < frame["window_opens"],
            found,
            when < frame["window_late"],
        ],
        [
            RenewalStatus.NO_DATE.value,
            RenewalStatus.RENEWED.value,
            RenewalStatus.LAPSED.value,
            RenewalStatus.NOT_IN_WINDOW.value,
            RenewalStatus.COVERED.value,
            RenewalStatus.MISSING.value,
        ],
        default=RenewalStatus.LATE.value,
    )
    frame["status"] = status
    current = current_cents.reindex(frame.index).astype("Float64")
    amount = frame["opportunity_cents"].astype("Float64")
    frame["retention"] = (amount / current).where(current > 0).round(4)
    frame["retention_target"] = options.retention_target
    frame["meets_target"] = (frame["retention"] >= options.retention_target).where(
        frame["retention"].notna()
    )
    proposed = pd.Series(status, index=frame.index).isin(
        [RenewalStatus.MISSING.value, RenewalStatus.LATE.value]
    )
    month = date_.dt.strftime("%Y-%m")
    frame["proposed_name"] = (names.reindex(frame.index) + " - Renewal " + month).where(proposed)
    frame["proposed_close_date"] = date_.where(proposed)
    frame["proposed_cents"] = current_cents.reindex(frame.index).astype("Int64").where(proposed)
    return frame


def _shift(dates: pd.Series, months: int) -> pd.Series:
    # DateOffset on a whole column is vectorised and clamps to the month's end.
    return dates - pd.DateOffset(months=months) if len(dates) else dates


def _matching_opportunity(
    renewals: pd.DataFrame, opportunities: pd.DataFrame, settings: Settings
) -> pd.DataFrame:
    lost = opportunities["is_closed"] & ~opportunities["is_won"]
    candidates = opportunities[opportunities["is_renewal"] & ~lost].merge(
        renewals[["renewal_date"]], left_on=ACCOUNT, right_index=True
    )
    gap = (candidates["close_date"] - candidates["renewal_date"]).abs().dt.days
    candidates = candidates[gap <= settings.renewals.match_days].assign(gap=gap)
    best = candidates.sort_values(
        [ACCOUNT, "is_won", "gap", "id"], ascending=[True, False, True, True]
    ).drop_duplicates(ACCOUNT)
    return pd.DataFrame({
        "opportunity_id": best["id"].to_numpy(),
        "opportunity_won": best["is_won"].to_numpy(),
        "opportunity_cents": best["amount_cents"].to_numpy(),
    }, index=pd.Index(best[ACCOUNT].to_numpy())).astype({"opportunity_cents": "Int64"})

