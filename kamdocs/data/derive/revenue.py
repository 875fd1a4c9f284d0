"""Our revenue from each account: holdings, opportunities, current and prior annual revenue,
closed-won by fiscal quarter, open pipeline by stage, and the ARR bridge of the last year.

Definitions (docs/analytics.md, "Revenue"):

- An Asset's annual value is ``Annual_Value__c``, else ``Price x Quantity``.
- An Asset is *active on a day* when ``InstallDate`` (blank = long ago) is on or before it
  and ``UsageEndDate`` (blank = open-ended) is after it. An Asset whose Status is an
  inactive one (:data:`INACTIVE_ASSET_STATUSES`) is active until its UsageEndDate and never
  after as_of; without a UsageEndDate we cannot tell when it ended, so it counts nowhere.
- ARR on a day = the annual values of the Assets active on that day.
- Current annual revenue = ARR on as_of ("assets") when the account has an active Asset;
  else the Amount won in the 12 months up to as_of ("closed-won 12 months") when it has
  won opportunities; else ARR (0: a customer whose Assets all ended); else missing.
- Prior annual revenue = the same measure one year earlier; growth = current / prior - 1.
- ARR bridge, per product over (as_of - 12 months, as_of]: a product held at both ends
  grew (expansion) or shrank (contraction); held only at the end = new product; held only
  at the start = churn. Summed over products: start + expansion + new - contraction -
  churn == end, exactly (integer cents).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from kamdocs.config import Settings
from kamdocs.data import schemas as s
from kamdocs.data.derive.frames import (
    ACCOUNT,
    cents,
    is_in,
    months_before,
    text_key,
    timestamp,
)

#: Asset.Status values (case-insensitive) that mean the customer no longer holds the product.
INACTIVE_ASSET_STATUSES = (
    "Obsolete", "Inactive", "Cancelled", "Canceled", "Churned", "Expired", "Terminated",
    "Retired", "Returned", "Decommissioned",
)
#: StageName prefix meaning closed, used only when IsClosed is absent.
_CLOSED_STAGE = "closed"
_WON_STAGE = "closed won"

BASIS_ASSETS = "assets"
BASIS_WON = "closed-won 12 months"


# --------------------------------------------------------------------------- holdings


def prepare_assets(assets: pd.DataFrame, products: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """One row per Asset with its product, annual value in cents and active interval."""
    when = timestamp(as_of)
    catalog = products.drop_duplicates(s.ID).set_index(s.ID)
    product_name = assets[s.PRODUCT2_ID].map(catalog[s.NAME])
    product = product_name.where(product_name.notna(), assets[s.NAME])
    product = product.where(product.notna(), assets[s.ID])
    value = assets[s.ANNUAL_VALUE].where(
        assets[s.ANNUAL_VALUE].notna(), assets[s.PRICE] * assets[s.QUANTITY]
    )
    inactive = is_in(assets[s.STATUS], INACTIVE_ASSET_STATUSES)
    end = assets[s.USAGE_END_DATE]
    effective_end = end.where(~inactive | end.isna() | (end <= when), when)
    frame = pd.DataFrame({
        ACCOUNT: assets[s.ACCOUNT_ID],
        "id": assets[s.ID],
        "product": product.astype("str"),
        "family": assets[s.PRODUCT2_ID].map(catalog[s.FAMILY]),
        "business_unit": assets[s.BUSINESS_UNIT],
        "region": assets[s.REGION],
        "use_case": assets[s.USE_CASE],
        "status": assets[s.STATUS],
        "annual_cents": cents(value),
        "start": assets[s.INSTALL_DATE],
        "end": end,
        "effective_end": effective_end,
        # Inactive without an end date: we cannot say when it was held, so it counts nowhere.
        "counts": ~(inactive & end.isna()),
    })
    frame["is_active"] = active_on(frame, when)
    return frame


def active_on(holdings: pd.DataFrame, when: pd.Timestamp) -> pd.Series:
    """Which holdings are active on ``when``."""
    started = holdings["start"].isna() | (holdings["start"] <= when)
    running = holdings["effective_end"].isna() | (holdings["effective_end"] > when)
    return holdings["counts"] & started & running


# --------------------------------------------------------------------------- opportunities


def prepare_opportunities(opportunities: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """One row per Opportunity with closed/won resolved, amount in cents and its kind."""
    stage = text_key(opportunities[s.STAGE_NAME])
    won_field = opportunities[s.IS_WON].astype("boolean")
    is_won = won_field.fillna(stage == _WON_STAGE).astype(bool)
    closed_field = opportunities[s.IS_CLOSED].astype("boolean")
    is_closed = closed_field.fillna(stage.str.startswith(_CLOSED_STAGE)).astype(bool) | is_won
    return pd.DataFrame({
        ACCOUNT: opportunities[s.ACCOUNT_ID],
        "id": opportunities[s.ID],
        "name": opportunities[s.NAME],
        "stage": opportunities[s.STAGE_NAME],
        "close_date": opportunities[s.CLOSE_DATE],
        "type": opportunities[s.TYPE],
        "is_closed": is_closed,
        "is_won": is_won,
        "product_family": opportunities[s.PRODUCT_FAMILY],
        "business_unit": opportunities[s.BUSINESS_UNIT],
        "amount_cents": cents(opportunities[s.AMOUNT]),
        "probability": opportunities[s.PROBABILITY],
        "forecast_category": opportunities[s.FORECAST_CATEGORY],
        "owner_id": opportunities[s.OWNER_ID],
        "is_renewal": is_in(opportunities[s.TYPE], settings.opportunities.renewal_types),
        "is_expansion": is_in(opportunities[s.TYPE], settings.opportunities.expansion_types),
    })


def prepare_line_items(line_items: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """Opportunity line items with their product name and family."""
    catalog = products.drop_duplicates(s.ID).set_index(s.ID)
    return pd.DataFrame({
        "opportunity_id": line_items[s.OPPORTUNITY_ID],
        "product": line_items[s.PRODUCT2_ID].map(catalog[s.NAME]),
        "family": line_items[s.PRODUCT2_ID].map(catalog[s.FAMILY]),
        "amount_cents": cents(line_items[s.TOTAL_PRICE]),
    })


def won_between(opportunities: pd.DataFrame, after: pd.Timestamp, until: pd.Timestamp) -> pd.Series:
    """Won amount (cents) per account with a close date in (after, until]."""
    won = opportunities[
        opportunities["is_won"]
        & (opportunities["close_date"] > after)
        & (opportunities["close_date"] <= until)
    ]
    return won.groupby(ACCOUNT)["amount_cents"].sum()


# --------------------------------------------------------------------------- summary


def derive_revenue(
    account_ids: pd.Index,
    holdings: pd.DataFrame,
    opportunities: pd.DataFrame,
    as_of: date,
    *,
    has_opportunities: bool = True,
) -> pd.DataFrame:
    """Per account: current/prior annual revenue (cents), basis, growth, won in 12 months,
    open pipeline, and the ARR bridge of the 12 months up to as_of."""
    when = timestamp(as_of)
    year_ago = months_before(when, 12)
    two_years_ago = months_before(when, 24)
    out = pd.DataFrame(index=account_ids)

    bridge = arr_bridge(holdings, year_ago, when)
    out = out.join(bridge)
    has_active = holdings[holdings["is_active"]].groupby(ACCOUNT).size()
    has_assets = holdings[holdings["counts"]].groupby(ACCOUNT).size()
    has_won = opportunities[opportunities["is_won"]].groupby(ACCOUNT).size()
    won_12m = won_between(opportunities, year_ago, when)
    won_prior = won_between(opportunities, two_years_ago, year_ago)

    active = out.index.isin(has_active.index)
    won_any = out.index.isin(has_won.index)
    assets_any = out.index.isin(has_assets.index)
    basis = np.select(
        [active, won_any, assets_any], [BASIS_ASSETS, BASIS_WON, BASIS_ASSETS], default=""
    )
    out["basis"] = pd.Series(basis, index=out.index).replace("", pd.NA).astype("str")
    by_assets = out["basis"] == BASIS_ASSETS
    by_won = out["basis"] == BASIS_WON
    won_now = won_12m.reindex(out.index).fillna(0).astype("Int64")
    won_before = won_prior.reindex(out.index).fillna(0).astype("Int64")
    missing = pd.Series(pd.NA, index=out.index, dtype="Int64")
    out["current_cents"] = missing.mask(by_assets, out["bridge_end"]).mask(by_won, won_now)
    out["prior_cents"] = missing.mask(by_assets, out["bridge_start"]).mask(by_won, won_before)
    prior = out["prior_cents"].astype("Float64")
    growth = out["current_cents"].astype("Float64") / prior - 1.0
    out["growth"] = growth.where(prior > 0)
    out["won_12m_cents"] = won_now if has_opportunities else missing
    is_open = ~opportunities["is_closed"]
    pipeline = opportunities[is_open].groupby(ACCOUNT)["amount_cents"].sum()
    out["open_pipeline_cents"] = (
        pipeline.reindex(out.index).fillna(0).astype("Int64") if has_opportunities else missing
    )
    # A bridge needs held products: accounts measured by closed-won deals have none.
    out["has_bridge"] = assets_any
    out["period_start"] = year_ago
    out["period_end"] = when
    return out


def arr_bridge(holdings: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Per account: ARR on ``start`` and ``end`` and the four movements between (cents)."""
    columns = ["bridge_start", "bridge_expansion", "bridge_new_products",
               "bridge_contraction", "bridge_churn", "bridge_end"]
    counted = holdings[holdings["counts"]]
    if counted.empty:
        return pd.DataFrame(columns=columns, dtype="Int64")
    values = counted["annual_cents"].fillna(0).astype("int64")
    per_product = pd.DataFrame({
        ACCOUNT: counted[ACCOUNT],
        "product": text_key(counted["product"]),
        "at_start": values.where(active_on(counted, start), 0),
        "at_end": values.where(active_on(counted, end), 0),
    }).groupby([ACCOUNT, "product"], sort=False)[["at_start", "at_end"]].sum()
    before, after = per_product["at_start"], per_product["at_end"]
    both = (before > 0) & (after > 0)
    moves = pd.DataFrame({
        "bridge_start": before,
        "bridge_expansion": (after - before).where(both & (after > before), 0),
        "bridge_new_products": after.where((before == 0) & (after > 0), 0),
        "bridge_contraction": (before - after).where(both & (after < before), 0),
        "bridge_churn": before.where((before > 0) & (after == 0), 0),
        "bridge_end": after,
    })
    return moves.groupby(level=0).sum().astype("Int64")[columns]


def fiscal_index(dates: pd.Series, start_month: int) -> pd.Series:
    """A running fiscal-quarter number (fiscal year x 4 + quarter - 1) for each date."""
    month = dates.dt.month
    year = dates.dt.year + ((month >= start_month) & (start_month != 1)).astype(int)
    return year * 4 + ((month - start_month) % 12) // 3


def won_by_quarter(
    account_ids: pd.Index, opportunities: pd.DataFrame, as_of: date, start_month: int,
    quarters: int = 12,
) -> pd.DataFrame:
    """Won amount (cents) per account and fiscal quarter: the ``quarters`` quarters up to the
    one containing as_of, oldest first, zero where nothing was won."""
    when = timestamp(as_of)
    current = int(fiscal_index(pd.Series([when]), start_month).iloc[0])
    won = opportunities[opportunities["is_won"] & (opportunities["close_date"] <= when)]
    index = fiscal_index(won["close_date"], start_month)
    won = won.assign(quarter=index)[index > current - quarters]
    sums = won.groupby([ACCOUNT, "quarter"])["amount_cents"].sum()
    grid = pd.MultiIndex.from_product(
        [account_ids, range(current - quarters + 1, current + 1)], names=[ACCOUNT, "quarter"]
    )
    frame = sums.reindex(grid).fillna(0).astype("int64").rename("cents").reset_index()
    frame["year"] = frame["quarter"] // 4
    frame["q"] = frame["quarter"] % 4 + 1
    return frame


def pipeline_by_stage(opportunities: pd.DataFrame) -> pd.DataFrame:
    """Open amount (cents) per account and stage, stages in their progression order: by
    the average Probability of the stage across the portfolio, then by name."""
    open_opps = opportunities[~opportunities["is_closed"]]
    stage_order = (
        opportunities.assign(key=text_key(opportunities["stage"]))
        .groupby("key")["probability"].mean().fillna(-1.0)
    )
    sums = (
        open_opps.assign(key=text_key(open_opps["stage"]))
        .groupby([ACCOUNT, "key"], sort=False)
        .agg(stage=("stage", "first"), cents=("amount_cents", "sum"))
        .reset_index()
    )
    sums["order"] = sums["key"].map(stage_order)
    sums = sums.sort_values([ACCOUNT, "order", "key"], kind="stable")
    return sums[[ACCOUNT, "stage", "cents"]].reset_index(drop=True)
