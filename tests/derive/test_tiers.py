"""Tiering: percentile-rank score, tier sizes, ties, reasons - answers worked out by hand."""

from __future__ import annotations

import dataclasses

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from kamdocs.config import Settings, TierSettings
from kamdocs.data.derive.tiers import derive_tiers, parse_tier, tier_sizes

IDS = pd.Index(["A", "B", "C", "D"], name="account")


def _tiers(settings: Settings, revenue: list, strategic: list, whitespace: list,
           current: list | None = None, ids: pd.Index = IDS) -> pd.DataFrame:
    return derive_tiers(
        ids,
        revenue_cents=pd.Series(revenue, index=ids, dtype="Int64"),
        strategic=pd.Series(strategic, index=ids, dtype="Int64"),
        whitespace_cents=pd.Series(whitespace, index=ids, dtype="Int64"),
        current_tier=pd.Series(current or [None] * len(ids), index=ids, dtype="Int64"),
        settings=settings,
    )


def test_score_is_weighted_sum_of_percentile_ranks() -> None:
    settings = Settings(tiers=TierSettings(tier1_count=1, tier2_count=2))
    frame = _tiers(settings, revenue=[40000, 30000, 20000, None], strategic=[5, 3, 3, None],
                   whitespace=[10000, 40000, None, 20000])
    # Worked by hand (missing ranks as 0; ties share the average rank; pct = rank / 4):
    # revenue   A 4/4, B 3/4, C 2/4, D 1/4
    # strategic A 4/4, B and C (2+3)/2/4 = 0.625, D 1/4
    # growth    B 4/4, D 3/4, A 2/4, C 1/4
    # score = 0.5 r + 0.2 s + 0.3 g
    assert frame["score"].round(4).to_dict() == {"A": 0.85, "B": 0.8, "C": 0.45, "D": 0.4}
    assert frame["rank"].to_dict() == {"A": 1, "B": 2, "C": 3, "D": 4}
    assert frame["proposed_tier"].to_dict() == {"A": 1, "B": 2, "C": 2, "D": 3}


def test_equal_scores_break_ties_by_revenue_then_id() -> None:
    only_strategy = Settings(tiers=TierSettings(
        tier1_count=1, tier2_count=1, weight_revenue=0.0, weight_strategic=1.0, weight_growth=0.0,
    ))
    frame = _tiers(only_strategy, revenue=[100, 200, 200, 50], strategic=[3, 3, 3, 3],
                   whitespace=[0, 0, 0, 0])
    # Same score for all: B and C have the most revenue (B before C by Id), then A, then D.
    assert frame["rank"].to_dict() == {"B": 1, "C": 2, "A": 3, "D": 4}
    assert frame["proposed_tier"].to_dict() == {"B": 1, "C": 2, "A": 3, "D": 3}


def test_an_account_without_a_tier_counts_as_a_change() -> None:
    settings = Settings(tiers=TierSettings(tier1_count=1, tier2_count=1))
    frame = _tiers(settings, revenue=[4, 3, 2, 1], strategic=[1, 1, 1, 1], whitespace=[0] * 4,
                   current=[1, 1, None, 3])
    assert frame["is_change"].to_dict() == {"A": False, "B": True, "C": True, "D": False}


def test_reason_names_revenue_rank_strategic_value_and_whitespace() -> None:
    frame = _tiers(Settings(), revenue=[4, 3, 2, 1], strategic=[5, None, 1, 1],
                   whitespace=[410_000_000, None, 0, 0])
    assert frame.loc["A", "reason"] == "revenue rank 1 of 4; strategic value 5; whitespace $4.1M"
    assert frame.loc["B", "reason"] == "revenue rank 2 of 4"


def test_default_tier_sizes_follow_the_clamped_shares() -> None:
    settings = Settings()
    assert tier_sizes(412, settings) == (20, 50)  # round(20.6) -> 21 -> 20; 62 -> 50
    assert tier_sizes(100, settings) == (5, 20)  # 5, 15 -> 20
    assert tier_sizes(10, settings) == (5, 5)  # never more than there are accounts
    assert tier_sizes(3, settings) == (3, 0)
    assert tier_sizes(0, settings) == (0, 0)
    assert tier_sizes(250, settings) == (13, 38)  # round(12.5) half up = 13; 37.5 -> 38


def test_fixed_tier_sizes_win_but_never_exceed_the_portfolio() -> None:
    settings = Settings(tiers=TierSettings(tier1_count=7, tier2_count=30))
    assert tier_sizes(1000, settings) == (7, 30)
    assert tier_sizes(20, settings) == (7, 13)


@given(
    accounts=st.integers(min_value=0, max_value=5000),
    fixed1=st.sampled_from([0, 1, 8, 25]),
    fixed2=st.sampled_from([0, 3, 40, 80]),
)
def test_tier_counts_stay_within_bounds_for_any_portfolio(
    accounts: int, fixed1: int, fixed2: int
) -> None:
    settings = Settings(tiers=TierSettings(tier1_count=fixed1, tier2_count=fixed2))
    first, second = tier_sizes(accounts, settings)
    assert 0 <= first <= accounts and 0 <= second <= accounts - first
    if not fixed1:
        assert first == min(accounts, max(5, min(20, int(0.05 * accounts + 0.5))))
    if not fixed2 and accounts - first >= 50:
        assert 20 <= second <= 50


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=120))
def test_every_account_gets_exactly_one_tier_in_rank_order(revenues: list[int]) -> None:
    ids = pd.Index([f"A{i:04d}" for i in range(len(revenues))], name="account")
    settings = Settings()
    frame = _tiers(settings, revenues, [3] * len(ids), [0] * len(ids), ids=ids)
    first, second = tier_sizes(len(ids), settings)
    counts = frame["proposed_tier"].value_counts().to_dict()
    assert counts.get(1, 0) == first and counts.get(2, 0) == second
    ordered = frame.sort_values("rank")
    assert list(ordered["proposed_tier"]) == sorted(ordered["proposed_tier"])
    assert sorted(frame["rank"]) == list(range(1, len(ids) + 1))


def test_parse_tier_reads_salesforce_values() -> None:
    parsed = parse_tier(pd.Series(["Tier 1", "tier 2", "3", "Gold", None], dtype="string"))
    assert parsed.tolist() == [1, 2, 3, pd.NA, pd.NA]


def test_weights_come_from_config() -> None:
    growth_only = dataclasses.replace(Settings(), tiers=TierSettings(
        weight_revenue=0.0, weight_strategic=0.0, weight_growth=1.0, tier1_count=1,
        tier2_count=1,
    ))
    frame = _tiers(growth_only, revenue=[4, 3, 2, 1], strategic=[5, 5, 5, 5],
                   whitespace=[0, 0, 0, 900])
    assert frame.loc["D", "rank"] == 1 and frame.loc["D", "proposed_tier"] == 1


def test_an_account_with_nothing_to_score_keeps_its_tier_or_is_tier_3() -> None:
    # Alone in its portfolio, an account with no revenue, strategic value or whitespace would
    # rank 1 of 1 and be proposed Tier 1: it is Tier 3, and the reason says why.
    alone = pd.Index(["A"], name="account")
    frame = _tiers(Settings(), revenue=[None], strategic=[None], whitespace=[None], ids=alone)
    assert frame.loc["A", "proposed_tier"] == 3
    assert frame.loc["A", "reason"] == (
        "nothing to score: no revenue, strategic value or whitespace")
    # With anything to score, rank decides as before: one revenue figure makes it Tier 1.
    frame = _tiers(Settings(), revenue=[100], strategic=[None], whitespace=[None], ids=alone)
    assert frame.loc["A", "proposed_tier"] == 1
    # With a tier in Salesforce and nothing to score, it keeps that tier: no change to push.
    frame = _tiers(Settings(tiers=TierSettings(tier1_count=1, tier2_count=1)),
                   revenue=[100, None], strategic=[None, None], whitespace=[None, None],
                   current=[None, 1], ids=pd.Index(["A", "B"], name="account"))
    assert frame["proposed_tier"].to_dict() == {"A": 1, "B": 1}
    assert frame["is_change"].to_dict() == {"A": True, "B": False}
    assert frame.loc["B", "reason"].endswith("; current tier kept")
