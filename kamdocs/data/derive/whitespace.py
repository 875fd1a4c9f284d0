"""Whitespace (stage 4): potential - current per (product, business unit, region, use case).

Definitions (docs/analytics.md, "Whitespace"):

- Cells come from Whitespace_Potential__c rows (rows of one cell add up) and from the
  active holdings (a product held where no potential was given is a cell without potential).
  The four dimensions match case-insensitively; a blank matches only a blank.
- current = annual value of the active Assets in the cell; whitespace = potential - current
  (negative = "above potential", kept and flagged).
- open pipeline of a cell = the open opportunities (their line items, else the whole
  Amount) whose product - line item product name or family, else Product_Family__c - is the
  cell's product and whose Business_Unit__c is the cell's (a blank BU matches every BU).
  An amount matching several cells is split evenly between them (to the cent).
- uncovered = max(whitespace - open pipeline, 0); score = uncovered / the account's median
  won deal (else the portfolio's median won deal; none = no score).
- candidates: uncovered >= ``whitespace.candidate_min``, best score first (then uncovered,
  then the cell), at most ``whitespace.candidate_count`` per account.
- totals by product / BU / region / use case add up the positive whitespace, so each set of
  totals sums to the account's total whitespace.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamdocs.config import Settings
from kamdocs.data import schemas as s
from kamdocs.data.derive.frames import ACCOUNT, cents, member, text_key

DIMENSIONS = ("product", "business_unit", "region", "use_case")
KEYS = tuple(f"{d}_key" for d in DIMENSIONS)
#: Label of a blank dimension in the totals.
UNSPECIFIED = "Unspecified"


def derive_whitespace(
    potentials: pd.DataFrame,
    holdings: pd.DataFrame,
    opportunities: pd.DataFrame,
    line_items: pd.DataFrame,
    settings: Settings,
) -> pd.DataFrame:
    """One row per cell with current, potential, whitespace, pipeline, uncovered (all cents),
    score, candidate and order (``rank`` within the account, 1 = first)."""
    given = pd.DataFrame({
        ACCOUNT: potentials[s.CUSTOM_ACCOUNT_ID],
        "product": potentials[s.PRODUCT],
        "business_unit": potentials[s.BUSINESS_UNIT],
        "region": potentials[s.REGION],
        "use_case": potentials[s.USE_CASE],
        "potential_cents": cents(potentials[s.POTENTIAL]),
    })
    held = holdings.loc[holdings["is_active"], [ACCOUNT, *DIMENSIONS, "annual_cents"]]
    cells = _cells(given, held)
    cells["open_pipeline_cents"] = _cell_pipeline(cells, opportunities, line_items)
    has_potential = cells["potential_cents"].notna()
    cells["whitespace_cents"] = (cells["potential_cents"] - cells["current_cents"]).where(
        has_potential
    )
    cells["is_above_potential"] = (cells["whitespace_cents"] < 0).astype("boolean")
    gap = cells["whitespace_cents"] - cells["open_pipeline_cents"]
    cells["uncovered_cents"] = gap.clip(lower=0).where(has_potential)
    cells["is_covered"] = (
        (cells["open_pipeline_cents"] >= cells["whitespace_cents"])
        .astype("boolean").where(cells["whitespace_cents"] > 0)
    )
    per_account, overall = median_won_deal(opportunities)
    deal = per_account.reindex(cells[ACCOUNT]).fillna(overall).to_numpy()
    cells["score"] = (cells["uncovered_cents"].astype("Float64") / deal).round(4)
    return _rank(cells, settings)


def _cells(given: pd.DataFrame, held: pd.DataFrame) -> pd.DataFrame:
    for frame in (given, held):
        for dimension, key in zip(DIMENSIONS, KEYS, strict=True):
            frame[key] = text_key(frame[dimension])
    keys = [ACCOUNT, *KEYS]
    potential = given.groupby(keys, sort=False).agg(
        **{d: (d, "first") for d in DIMENSIONS}, potential_cents=("potential_cents", "sum")
    )
    current = held.groupby(keys, sort=False).agg(
        **{f"held_{d}": (d, "first") for d in DIMENSIONS},
        current_cents=("annual_cents", "sum"),
    )
    cells = potential.join(current, how="outer")
    # Show the potential's spelling of a dimension; a held-only cell keeps the Asset's.
    for dimension in DIMENSIONS:
        cells[dimension] = cells[dimension].where(
            cells.index.isin(potential.index), cells[f"held_{dimension}"]
        )
    cells["current_cents"] = cells["current_cents"].fillna(0).astype("Int64")
    cells["potential_cents"] = cells["potential_cents"].astype("Int64")
    cells = cells.drop(columns=[f"held_{d}" for d in DIMENSIONS]).reset_index()
    return cells


def _cell_pipeline(
    cells: pd.DataFrame, opportunities: pd.DataFrame, line_items: pd.DataFrame
) -> pd.Series:
    """Open pipeline (cents) per cell, each pipeline amount split evenly between its cells."""
    open_opps = opportunities.loc[
        ~opportunities["is_closed"], [ACCOUNT, "id", "product_family", "business_unit",
                                      "amount_cents"]
    ]
    lines = line_items[member(line_items["opportunity_id"], open_opps["id"])]
    with_lines = open_opps.merge(
        lines, left_on="id", right_on="opportunity_id", suffixes=("", "_line")
    )
    without = open_opps[~member(open_opps["id"], lines["opportunity_id"])]
    rows = pd.concat([
        pd.DataFrame({
            ACCOUNT: with_lines[ACCOUNT],
            "product_key": text_key(with_lines["product"]),
            "family_key": text_key(with_lines["family"]),
            "bu_key": text_key(with_lines["business_unit"]),
            "cents": with_lines["amount_cents_line"],
        }),
        pd.DataFrame({
            ACCOUNT: without[ACCOUNT],
            "product_key": "",
            "family_key": text_key(without["product_family"]),
            "bu_key": text_key(without["business_unit"]),
            "cents": without["amount_cents"],
        }),
    ], ignore_index=True)
    rows = rows[rows["cents"].fillna(0) > 0].reset_index(drop=True)
    rows["row"] = np.arange(len(rows))
    target = cells[[ACCOUNT, "product_key", "business_unit_key"]].reset_index(names="cell")
    matches = pd.concat([
        rows[rows[name] != ""].merge(
            target, left_on=[ACCOUNT, name], right_on=[ACCOUNT, "product_key"],
            suffixes=("", "_cell"),
        )[["row", "cell", "bu_key", "business_unit_key", "cents"]]
        for name in ("product_key", "family_key")
    ]).drop_duplicates(["row", "cell"])
    any_unit = matches["bu_key"] == ""
    matches = matches[any_unit | (matches["bu_key"] == matches["business_unit_key"])]
    matches = matches.sort_values(["row", "cell"])
    count = matches.groupby("row")["cell"].transform("size")
    position = matches.groupby("row").cumcount()
    total = matches["cents"].astype("int64")
    # Split to the cent: everyone gets the floor, the first (remainder) cells one cent more.
    share = total // count + (position < total % count).astype("int64")
    per_cell = share.groupby(matches["cell"]).sum()
    return per_cell.reindex(cells.index).fillna(0).astype("Int64")


def median_won_deal(opportunities: pd.DataFrame) -> tuple[pd.Series, float]:
    """Median won Amount (cents, float) per account, else the portfolio's median, else NaN."""
    won = opportunities.loc[opportunities["is_won"] & opportunities["amount_cents"].notna()]
    amounts = won["amount_cents"].astype("float64")
    per_account = amounts.groupby(won[ACCOUNT]).median()
    overall = amounts.median() if len(amounts) else np.nan
    per_account = per_account.where(per_account > 0)
    return per_account, (overall if overall > 0 else np.nan)


def _rank(cells: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    options = settings.whitespace
    minimum = round(options.candidate_min * 100)
    eligible = cells["uncovered_cents"].fillna(0) >= max(minimum, 1)
    order = cells.assign(
        _eligible=eligible,
        _score=cells["score"].astype("Float64").fillna(-1.0),
        _uncovered=cells["uncovered_cents"].astype("Float64").fillna(-1.0),
    ).sort_values(
        [ACCOUNT, "_eligible", "_score", "_uncovered", *KEYS],
        ascending=[True, False, False, False, True, True, True, True],
        kind="stable",
    )
    order["candidate_rank"] = order.groupby(ACCOUNT).cumcount() + 1
    order["is_candidate"] = order["_eligible"] & (
        order["candidate_rank"] <= options.candidate_count
    )
    # Cells are shown best score first, then by the cell (model.WhitespaceCell).
    shown = order.sort_values(
        [ACCOUNT, "_score", *KEYS], ascending=[True, False, True, True, True, True],
        kind="stable",
    )
    return shown.drop(columns=["_eligible", "_score", "_uncovered"]).reset_index(drop=True)


def whitespace_totals(cells: pd.DataFrame) -> pd.DataFrame:
    """Per account: total current, total potential and total positive whitespace (cents);
    potential and whitespace are missing for an account without any potential."""
    with_potential = cells[cells["potential_cents"].notna()]
    positive = with_potential["whitespace_cents"].clip(lower=0)
    totals = pd.DataFrame({
        "total_current_cents": cells.groupby(ACCOUNT)["current_cents"].sum(),
    })
    totals["total_potential_cents"] = with_potential.groupby(ACCOUNT)["potential_cents"].sum()
    totals["total_whitespace_cents"] = positive.groupby(with_potential[ACCOUNT]).sum()
    return totals.astype("Int64")


def whitespace_by(cells: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Positive whitespace (cents) per account and value of ``dimension``, largest first."""
    with_potential = cells[cells["potential_cents"].notna()]
    label = with_potential[dimension].astype("object").where(
        with_potential[dimension].notna() & (text_key(with_potential[dimension]) != ""),
        UNSPECIFIED,
    )
    frame = pd.DataFrame({
        ACCOUNT: with_potential[ACCOUNT],
        "key": text_key(label),
        "label": label,
        "cents": with_potential["whitespace_cents"].clip(lower=0).astype("int64"),
    })
    sums = frame.groupby([ACCOUNT, "key"], sort=False).agg(
        label=("label", "first"), cents=("cents", "sum")
    ).reset_index()
    sums = sums.sort_values([ACCOUNT, "cents", "key"], ascending=[True, False, True])
    return sums[[ACCOUNT, "label", "cents"]].reset_index(drop=True)
