"""KPIs and SLAs: the latest value against target, the change since the previous period.

Definitions (docs/analytics.md, "KPIs and SLAs"):

- A KPI is the rows of KPI_Measurement__c with one (Kind__c, Name) per account (the name
  case-insensitive; a blank Kind__c is "KPI"); its history is its rows up to as_of, oldest
  first (rows of one period keep their file order).
- latest = the last row, previous = the one before it. Higher_Is_Better__c and Unit__c:
  the latest non-blank value (default: higher is better).
- attainment = actual / target when higher is better, target / actual when lower is better
  (missing when either is missing or the divisor is 0); met = actual >= target (higher is
  better) or actual <= target; change = latest actual - previous actual.
- Totals count the KPIs (and SLAs) whose latest value and target are both known.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from kamdocs.data import schemas as s
from kamdocs.data.derive.frames import ACCOUNT, text_key, timestamp

KINDS = ("KPI", "SLA")


def kpi_history(measurements: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Every measurement up to as_of with its KPI key, sorted by account, kind, name, period."""
    when = timestamp(as_of)
    kind = measurements[s.KIND_C].astype("object").where(measurements[s.KIND_C].notna(), "KPI")
    kind = kind.astype(str).str.strip().str.upper().where(
        lambda k: k.isin(KINDS), "KPI"
    )
    frame = pd.DataFrame({
        ACCOUNT: measurements[s.CUSTOM_ACCOUNT_ID],
        "kind": kind,
        "kind_order": kind.map({k: i for i, k in enumerate(KINDS)}),
        "name": measurements[s.NAME],
        "name_key": text_key(measurements[s.NAME]),
        "period_end": measurements[s.PERIOD_END],
        "actual": measurements[s.ACTUAL].astype("float64"),
        "target": measurements[s.TARGET].astype("float64"),
        "unit": measurements[s.UNIT],
        "higher_is_better": measurements[s.HIGHER_IS_BETTER].astype("boolean"),
        "position": np.arange(len(measurements)),
    })
    frame = frame[frame["period_end"].notna() & (frame["period_end"] <= when)]
    return frame.sort_values(
        [ACCOUNT, "kind_order", "name_key", "period_end", "position"], kind="stable"
    ).reset_index(drop=True)


def derive_kpis(history: pd.DataFrame) -> pd.DataFrame:
    """One row per KPI: name, kind, unit, direction, latest and previous values, attainment,
    met, change; sorted by account, kind (KPI, SLA), name."""
    keys = [ACCOUNT, "kind_order", "name_key"]
    grouped = history.groupby(keys, sort=False)
    from_end = grouped.cumcount(ascending=False)
    latest = history[from_end == 0].set_index(keys)
    previous = history[from_end == 1].set_index(keys)
    frame = latest[[ "kind", "name", "period_end", "actual", "target"]].copy()
    frame["unit"] = grouped["unit"].last()
    frame["higher_is_better"] = grouped["higher_is_better"].last().fillna(True).astype(bool)
    frame["previous_period_end"] = previous["period_end"]
    frame["previous_actual"] = previous["actual"]
    frame["previous_target"] = previous["target"]
    higher = frame["higher_is_better"]
    actual, target = frame["actual"], frame["target"]
    up = (actual / target).where(target != 0)
    down = (target / actual).where(actual != 0)
    frame["attainment"] = up.where(higher, down).round(4)
    met = (actual >= target).where(higher, actual <= target)
    frame["is_met"] = met.astype("boolean").where(actual.notna() & target.notna())
    frame["change"] = (actual - frame["previous_actual"]).round(6)
    return frame.reset_index().sort_values(keys, kind="stable").reset_index(drop=True)


def kpi_summary(kpis: pd.DataFrame) -> pd.DataFrame:
    """Per account: KPIs and SLAs assessed and met, and the share of SLAs met."""
    assessed = kpis[kpis["is_met"].notna()]
    met = assessed["is_met"].astype(bool)
    counts = pd.DataFrame({
        ACCOUNT: assessed[ACCOUNT],
        "kpis_total": assessed["kind"] == "KPI",
        "kpis_met": (assessed["kind"] == "KPI") & met,
        "slas_total": assessed["kind"] == "SLA",
        "slas_met": (assessed["kind"] == "SLA") & met,
    }).groupby(ACCOUNT).sum()
    counts["sla_share_met"] = (counts["slas_met"] / counts["slas_total"]).where(
        counts["slas_total"] > 0
    )
    return counts
