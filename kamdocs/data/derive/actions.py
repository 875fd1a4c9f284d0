"""Actions (stage 5): the account's Tasks as action items, what is overdue, and who owns what.

Definitions (docs/analytics.md, "Actions"):

- done = Task.IsClosed, else a done Status (Completed, Complete, Closed, Done).
- overdue = open and ActivityDate (the due date) before as_of; days overdue = as_of - due.
- due soon = open and due within ``DUE_SOON_DAYS`` days from as_of (as_of included).
- data gaps, for open actions: no owner, no due date, no success measure (blank
  Success_Measure__c), no escalation path when Priority is High.
- on-time rate = of the actions due in the quarter up to as_of (as_of - 3 months, as_of],
  the share done by their due date (CompletedDateTime on or before the due date; a done
  action without a completion date counts as on time: we cannot tell).
- per owner: open and overdue counts per owner, most overdue first.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from kamdocs.data import schemas as s
from kamdocs.data.derive.frames import (
    ACCOUNT,
    flag,
    is_blank,
    months_before,
    text_key,
    timestamp,
)
from kamdocs.data.derive.relationships import task_is_done

DUE_SOON_DAYS = 7
#: Owner label of actions without an owner, in the per-owner counts.
UNASSIGNED = "Unassigned"
GAPS = {
    "gap_owner": "no owner",
    "gap_due": "no due date",
    "gap_measure": "no success measure",
    "gap_escalation": "no escalation path (high priority)",
}


def derive_actions(tasks: pd.DataFrame, user_names: pd.Series, as_of: date) -> pd.DataFrame:
    """One row per Task with status, overdue/due-soon flags, days overdue and data gaps,
    sorted as model.Action documents."""
    when = timestamp(as_of)
    done = task_is_done(tasks)
    due = tasks[s.ACTIVITY_DATE]
    frame = pd.DataFrame({
        ACCOUNT: tasks[s.ACCOUNT_ID],
        "id": tasks[s.ID],
        "subject": tasks[s.SUBJECT],
        "raw_status": tasks[s.STATUS],
        "is_done": done,
        "due": due,
        "completed": tasks[s.COMPLETED_DATE_TIME].where(done),
        "owner_id": tasks[s.OWNER_ID],
        "owner_name": tasks[s.OWNER_ID].map(user_names),
        "priority": tasks[s.PRIORITY],
        "description": tasks[s.DESCRIPTION],
        "success_measure": tasks[s.SUCCESS_MEASURE],
        "escalation_path": tasks[s.ESCALATION_PATH],
        "is_customer_visible": flag(tasks[s.CUSTOMER_VISIBLE]),
        "contact_id": tasks[s.WHO_ID],
    })
    is_open = ~done
    frame["is_overdue"] = (is_open & (due < when)).fillna(False).astype(bool)
    frame["days_overdue"] = (
        (when - due).dt.days.where(frame["is_overdue"], 0).fillna(0).astype(np.int64)
    )
    soon = when + pd.Timedelta(days=DUE_SOON_DAYS)
    frame["is_due_soon"] = (is_open & (due >= when) & (due <= soon)).fillna(False).astype(bool)
    high = text_key(frame["priority"]) == "high"
    frame["gap_owner"] = is_open & frame["owner_id"].isna()
    frame["gap_due"] = is_open & due.isna()
    frame["gap_measure"] = is_open & is_blank(frame["success_measure"])
    frame["gap_escalation"] = is_open & high & is_blank(frame["escalation_path"])
    frame["has_gap"] = frame[list(GAPS)].any(axis=1)
    return _sorted(frame)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    # Overdue first (most days first), then open by due date (none last), then done by
    # completion (else due) date, newest first; the id breaks every tie.
    group = np.select([frame["is_overdue"], ~frame["is_done"]], [0, 1], default=2)
    finished = frame["completed"].where(frame["completed"].notna(), frame["due"])
    stamp = frame["due"].where(group == 1, finished).astype("datetime64[ns]")
    days = (stamp - pd.Timestamp(0)).dt.days.astype("float64")
    # Undated open actions sort after dated ones; undated done ones after dated ones too.
    key = np.select(
        [group == 0, group == 1],
        [-frame["days_overdue"].astype(float), days.fillna(np.inf)],
        default=(-days).fillna(np.inf),
    )
    ordered = frame.assign(_group=group, _key=key).sort_values(
        [ACCOUNT, "_group", "_key", "id"], kind="stable"
    )
    return ordered.drop(columns=["_group", "_key"]).reset_index(drop=True)


def action_summary(actions: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Per account: open, done, overdue, due soon, open with data gaps, on-time rate."""
    when = timestamp(as_of)
    start = months_before(when, 3)
    grouped = actions.groupby(ACCOUNT, sort=True)
    summary = pd.DataFrame({
        "open": (~actions["is_done"]).groupby(actions[ACCOUNT]).sum(),
        "done": grouped["is_done"].sum(),
        "overdue": grouped["is_overdue"].sum(),
        "due_soon": grouped["is_due_soon"].sum(),
        "with_data_gaps": grouped["has_gap"].sum(),
    })
    in_quarter = actions[(actions["due"] > start) & (actions["due"] <= when)]
    on_time = in_quarter["is_done"] & (
        in_quarter["completed"].isna() | (in_quarter["completed"] <= in_quarter["due"])
    )
    due_count = in_quarter.groupby(ACCOUNT).size()
    summary["on_time_rate"] = (
        on_time.groupby(in_quarter[ACCOUNT]).sum() / due_count
    ).reindex(summary.index)
    return summary


def actions_by_owner(actions: pd.DataFrame) -> pd.DataFrame:
    """(account, owner, open, overdue) for open actions, most overdue first, then by name."""
    open_actions = actions[~actions["is_done"]]
    owner = open_actions["owner_name"].astype("object")
    owner = owner.where(owner.notna(), open_actions["owner_id"].astype("object"))
    owner = owner.where(owner.notna(), UNASSIGNED)
    frame = pd.DataFrame({
        ACCOUNT: open_actions[ACCOUNT], "owner": owner, "overdue": open_actions["is_overdue"],
    })
    counts = frame.groupby([ACCOUNT, "owner"]).agg(
        open=("overdue", "size"), overdue=("overdue", "sum")
    ).reset_index()
    counts["_key"] = text_key(counts["owner"])
    counts = counts.sort_values(
        [ACCOUNT, "overdue", "_key", "owner"], ascending=[True, False, True, True]
    )
    return counts.drop(columns="_key").reset_index(drop=True)
