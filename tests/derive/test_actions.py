"""Actions: overdue, due soon, data gaps, per owner, on-time rate - worked out by hand.

as_of is 2026-11-23; the quarter for the on-time rate is (2026-08-23, 2026-11-23].
"""

from __future__ import annotations

from kamdocs.model import ActionStatus

A = "001A"
U1, U2 = "005U1", "005U2"


def _task(tid: str, due: str | None, owner: str | None = U1, closed: bool = False,
          **extra: object) -> dict:
    row = {"Id": tid, "AccountId": A, "Subject": f"subject {tid}",
           "Status": "Completed" if closed else "Not Started", "IsClosed": closed,
           "ActivityDate": due, "OwnerId": owner, "Priority": "Normal",
           "Success_Measure__c": "measured"}
    row.update(extra)
    return row


def _frames(make_tables) -> dict:  # noqa: ANN001
    return make_tables(
        Account=[{"Id": A, "Name": "Acme"}],
        User=[{"Id": U1, "Name": "Sam Lee"}, {"Id": U2, "Name": "Pat Owner"}],
        Task=[
            _task("T1", "2026-11-01", Priority="High"),  # 22 days overdue, no escalation path
            _task("T2", "2026-11-20", U2),  # 3 days overdue
            _task("T3", "2026-11-25", Success_Measure__c=None),  # due soon, no measure
            _task("T4", None, None, Success_Measure__c="  "),  # no owner, date or measure
            _task("T5", "2026-10-15", closed=True, CompletedDateTime="2026-10-10"),  # on time
            _task("T6", "2026-09-30", closed=True, CompletedDateTime="2026-10-05"),  # late
            _task("T7", "2026-07-01", closed=True, CompletedDateTime="2026-06-01"),  # earlier
            _task("T9", "2026-12-01", U2, Priority="High", Escalation_Path__c="VP Sales"),
        ],
    )


def _account(make_tables, build_portfolio):  # noqa: ANN001, ANN202
    return build_portfolio(_frames(make_tables)).accounts[0]


def test_overdue_means_open_and_due_before_as_of(make_tables, build_portfolio) -> None:
    actions = {a.id: a for a in _account(make_tables, build_portfolio).actions}
    assert {i for i, a in actions.items() if a.is_overdue} == {"T1", "T2"}
    assert (actions["T1"].days_overdue, actions["T2"].days_overdue) == (22, 3)
    assert actions["T5"].is_overdue is False and actions["T5"].status is ActionStatus.DONE
    assert {i for i, a in actions.items() if a.is_due_soon} == {"T3"}  # T9 is 8 days out


def test_data_gaps_are_flagged_on_open_actions(make_tables, build_portfolio) -> None:
    gaps = {a.id: a.data_gaps for a in _account(make_tables, build_portfolio).actions}
    assert gaps["T1"] == ("no escalation path (high priority)",)
    assert gaps["T3"] == ("no success measure",)
    assert gaps["T4"] == ("no owner", "no due date", "no success measure")
    assert gaps["T2"] == gaps["T9"] == gaps["T6"] == ()


def test_actions_sorted_overdue_first_then_open_then_done(make_tables, build_portfolio) -> None:
    order = [a.id for a in _account(make_tables, build_portfolio).actions]
    assert order == ["T1", "T2", "T3", "T9", "T4", "T5", "T6", "T7"]


def test_summary_counts_and_on_time_rate(make_tables, build_portfolio) -> None:
    summary = _account(make_tables, build_portfolio).action_summary
    assert (summary.open, summary.done, summary.overdue, summary.due_soon) == (5, 3, 2, 1)
    assert summary.with_data_gaps == 3
    # Due in the quarter: T1, T2, T5, T6; done by the due date: T5 only.
    assert summary.on_time_rate == 0.25


def test_open_actions_per_owner_most_overdue_first(make_tables, build_portfolio) -> None:
    summary = _account(make_tables, build_portfolio).action_summary
    assert summary.by_owner == (("Pat Owner", 2, 1), ("Sam Lee", 2, 1), ("Unassigned", 1, 0))


def test_completion_date_is_kept_for_done_actions(make_tables, build_portfolio) -> None:
    actions = {a.id: a for a in _account(make_tables, build_portfolio).actions}
    assert str(actions["T5"].completed) == "2026-10-10" and actions["T1"].completed is None


def test_status_decides_when_is_closed_is_absent(make_tables, build_portfolio) -> None:
    frames = make_tables(Account=[{"Id": A, "Name": "Acme"}], Task=[
        {"Id": "S1", "AccountId": A, "Subject": "a", "Status": "Completed",
         "ActivityDate": "2026-11-01"},
        {"Id": "S2", "AccountId": A, "Subject": "b", "Status": "In Progress",
         "ActivityDate": "2026-11-01"},
    ])
    actions = {a.id: a for a in build_portfolio(frames).accounts[0].actions}
    assert actions["S1"].status is ActionStatus.DONE and not actions["S1"].is_overdue
    assert actions["S2"].status is ActionStatus.OPEN and actions["S2"].is_overdue


def test_no_actions_due_in_the_quarter_gives_no_rate(make_tables, build_portfolio) -> None:
    frames = make_tables(Account=[{"Id": A, "Name": "Acme"}],
                         Task=[_task("T1", "2027-03-01")])
    assert build_portfolio(frames).accounts[0].action_summary.on_time_rate is None
