"""Cadence (stage 6): QBRs and EBRs held, the next one due by tier, and what is overdue.

Definitions (docs/analytics.md, "Cadence"):

- A meeting is an Event dated by ActivityDate, else StartDateTime (undated Events are
  skipped and counted in the portfolio warnings).
- Kind: EBR when its Type equals a ``cadence.ebr_markers`` value, QBR when it equals a
  ``cadence.qbr_markers`` value, else by the same markers found as words in its Subject
  (EBR first), else "other". Case-insensitive.
- Held = dated on or before as_of. The tier whose cadence applies is the current
  Account_Tier__c, else the proposed tier.
- Next due = last held + the tier's months (``cadence.qbr_months`` / ``ebr_months``);
  overdue = due before as_of, or never held (for an EBR: only tiers with an EBR cadence).
- Held in 12 months = QBRs in (as_of - 12 months, as_of]; planned = 12 // the QBR months.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from kamdocs.config import Settings
from kamdocs.data import schemas as s
from kamdocs.data.derive.frames import ACCOUNT, is_in, months_before, timestamp

QBR, EBR, OTHER = "QBR", "EBR", "other"


def _word_pattern(markers: tuple[str, ...]) -> str:
    words = "|".join(re.escape(m) for m in markers if m.strip())
    return rf"\b(?:{words})\b" if words else r"(?!x)x"


def classify_meetings(events: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """One row per dated Event: account, id, date, kind, subject, description; sorted by
    account, date, id."""
    options = settings.cadence
    when = events[s.ACTIVITY_DATE].where(events[s.ACTIVITY_DATE].notna(), events[s.START_DATE_TIME])
    subject = events[s.SUBJECT].astype("object").where(events[s.SUBJECT].notna(), "").astype(str)
    kind = np.select(
        [
            is_in(events[s.TYPE], options.ebr_markers),
            is_in(events[s.TYPE], options.qbr_markers),
            subject.str.contains(_word_pattern(options.ebr_markers), case=False, regex=True),
            subject.str.contains(_word_pattern(options.qbr_markers), case=False, regex=True),
        ],
        [EBR, QBR, EBR, QBR],
        default=OTHER,
    )
    frame = pd.DataFrame({
        ACCOUNT: events[s.ACCOUNT_ID],
        "id": events[s.ID],
        "date": when,
        "kind": kind,
        "subject": subject,
        "description": events[s.DESCRIPTION],
    })
    frame = frame[frame["date"].notna()]
    return frame.sort_values([ACCOUNT, "date", "id"], kind="stable").reset_index(drop=True)


def derive_cadence(
    account_ids: pd.Index, meetings: pd.DataFrame, tier: pd.Series, settings: Settings,
    as_of: date, *, has_events: bool = True,
) -> pd.DataFrame:
    """Per account (index): last/next QBR and EBR, overdue flags, QBRs held vs planned.

    Without an Event object nothing can be overdue: we cannot tell (``has_events``)."""
    options = settings.cadence
    when = timestamp(as_of)
    frame = pd.DataFrame(index=account_ids)
    frame["tier"] = tier.reindex(account_ids).astype("Int64")
    tier_key = frame["tier"].astype("str")
    held = meetings[meetings["date"] <= when]
    ahead = meetings[meetings["date"] > when]
    for kind, months_by_tier in ((QBR, options.qbr_months), (EBR, options.ebr_months)):
        label = kind.lower()
        frame[f"last_{label}"] = held[held["kind"] == kind].groupby(ACCOUNT)["date"].max()
        frame[f"next_{label}_scheduled"] = (
            ahead[ahead["kind"] == kind].groupby(ACCOUNT)["date"].min()
        )
        # A tier missing from the table (or set to 0) holds no such meeting.
        months = tier_key.map({str(k): int(v) for k, v in months_by_tier.items() if v > 0})
        frame[f"{label}_months"] = months.astype("Int64")
        last = frame[f"last_{label}"]
        due = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
        for count in sorted(set(months.dropna().astype(int))):
            rows = (months == count).fillna(False)
            due = due.where(~rows, last + pd.DateOffset(months=count))
        frame[f"next_{label}_due"] = due
        has_cadence = months.notna()
        overdue = has_cadence & (last.isna() | (due < when)) & has_events
        frame[f"is_{label}_overdue"] = overdue.astype(bool)
    year_ago = months_before(when, 12)
    recent = held[(held["kind"] == QBR) & (held["date"] > year_ago)]
    frame["qbrs_held_12m"] = recent.groupby(ACCOUNT).size().reindex(account_ids).fillna(0).astype(
        int
    )
    frame["qbrs_planned_12m"] = (12 // frame["qbr_months"]).fillna(0).astype(int)
    return frame
