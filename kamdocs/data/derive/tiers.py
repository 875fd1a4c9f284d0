"""Tiering (stage 1): a score per account, the proposed tier, and why.

score = w_revenue x pr(current annual revenue) + w_strategic x pr(Strategic_Value__c)
      + w_growth x pr(total positive whitespace)

where pr() is the percentile rank within the portfolio (ties share their average rank; a
missing value ranks as 0). Accounts are ordered by score, then revenue, then Id; the first
N1 are Tier 1, the next N2 Tier 2, the rest Tier 3 (:func:`tier_sizes`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from kamdocs.config import Settings
from kamdocs.formatting import format_money

COMPONENTS = ("revenue", "strategic", "growth")


def tier_sizes(accounts: int, settings: Settings) -> tuple[int, int]:
    """(N1, N2): clamp(round(5 %), 5, 20) and clamp(round(15 %), 20, 50) unless fixed in
    config, never more than there are accounts (rounding half up)."""
    tiers = settings.tiers
    first = tiers.tier1_count or _clamp(_round_half_up(0.05 * accounts), 5, 20)
    second = tiers.tier2_count or _clamp(_round_half_up(0.15 * accounts), 20, 50)
    first = min(first, accounts)
    second = min(second, accounts - first)
    return first, second


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def parse_tier(values: pd.Series) -> pd.Series:
    """"Tier 1" / "1" / "tier 2" -> 1 / 2 (nullable); anything else -> missing."""
    digits = values.astype("object").where(values.notna(), "").astype(str).str.extract(
        r"^\s*(?:tier\s*)?([123])\s*$", flags=2  # re.IGNORECASE
    )[0]
    return pd.to_numeric(digits, errors="coerce").astype("Int64")


def derive_tiers(
    account_ids: pd.Index,
    *,
    revenue_cents: pd.Series,
    strategic: pd.Series,
    whitespace_cents: pd.Series,
    current_tier: pd.Series,
    settings: Settings,
) -> pd.DataFrame:
    """Per account: component ranks, score, rank, revenue rank, proposed tier, change, reason.

    All inputs are Series indexed by account id (missing values allowed)."""
    count = len(account_ids)
    revenue = revenue_cents.reindex(account_ids).astype("Float64").fillna(0).astype(float)
    strategy = strategic.reindex(account_ids).astype("Float64").fillna(0).astype(float)
    growth = whitespace_cents.reindex(account_ids).astype("Float64").fillna(0).astype(float)
    frame = pd.DataFrame(index=account_ids)
    for name, values in zip(COMPONENTS, (revenue, strategy, growth), strict=True):
        frame[f"pr_{name}"] = values.rank(method="average", pct=True) if count else values
    weights = settings.tiers
    frame["score"] = (
        weights.weight_revenue * frame["pr_revenue"]
        + weights.weight_strategic * frame["pr_strategic"]
        + weights.weight_growth * frame["pr_growth"]
    ).round(6)
    order = pd.DataFrame({"score": frame["score"], "revenue": revenue, "id": account_ids})
    order = order.sort_values(["score", "revenue", "id"], ascending=[False, False, True])
    frame["rank"] = pd.Series(np.arange(1, count + 1), index=order.index)
    by_revenue = order.sort_values(["revenue", "id"], ascending=[False, True], kind="stable")
    frame["revenue_rank"] = pd.Series(np.arange(1, count + 1), index=by_revenue.index)
    first, second = tier_sizes(count, settings)
    frame["current_tier"] = current_tier.reindex(account_ids).astype("Int64")
    # An account with nothing to score (no revenue, strategic value or whitespace) neither
    # becomes a key account by ranking first in a small portfolio nor loses its tier because
    # an export left its data out: it keeps its current tier, else Tier 3.
    unscored = (revenue_cents.reindex(account_ids).isna()
                & strategic.reindex(account_ids).isna()
                & whitespace_cents.reindex(account_ids).isna()).to_numpy()
    kept = frame["current_tier"].fillna(3).astype(int).to_numpy()
    frame["proposed_tier"] = np.where(unscored, kept, np.select(
        [frame["rank"] <= first, frame["rank"] <= first + second], [1, 2], default=3))
    # No tier in Salesforce yet counts as a change, so the update file sets one.
    frame["is_change"] = (frame["current_tier"] != frame["proposed_tier"]).fillna(True).astype(
        bool
    )
    frame["portfolio_size"] = count
    frame["reason"] = [
        (UNSCORED + ("" if pd.isna(current) else "; current tier kept")) if blank
        else _reason(rank, count, value, ws, settings)
        for rank, value, ws, blank, current in zip(
            frame["revenue_rank"], strategic.reindex(account_ids),
            whitespace_cents.reindex(account_ids), unscored, frame["current_tier"],
            strict=True,
        )
    ]
    return frame


#: The reason of an account without revenue, strategic value or whitespace.
UNSCORED = "nothing to score: no revenue, strategic value or whitespace"


def _reason(
    revenue_rank: int, count: int, strategic: object, whitespace_cents: object,
    settings: Settings,
) -> str:
    parts = [f"revenue rank {revenue_rank} of {count}"]
    if not pd.isna(strategic):
        parts.append(f"strategic value {int(strategic)}")
    if not pd.isna(whitespace_cents):
        amount = format_money(int(whitespace_cents) / 100, settings, short=True)
        parts.append(f"whitespace {amount}")
    return "; ".join(parts)
