"""QBR/EBR cadence and KPI/SLA attainment, worked out by hand (as_of 2026-11-23)."""

from __future__ import annotations

from datetime import date

from kamdocs.config import CadenceSettings, Settings


def _event(eid: str, account: str, when: str | None, kind: str | None = None,
           subject: str = "meeting") -> dict:
    return {"Id": eid, "AccountId": account, "ActivityDate": when, "Type": kind,
            "Subject": subject}


def _cadence_frames(make_tables) -> dict:  # noqa: ANN001
    return make_tables(
        Account=[{"Id": "Q1", "Name": "One", "Account_Tier__c": "Tier 1"},
                 {"Id": "Q3", "Name": "Three", "Account_Tier__c": "Tier 3"}],
        Event=[
            _event("E1", "Q1", "2026-09-01", "QBR"),
            _event("E2", "Q1", "2026-06-01", None, "Q2 QBR review"),
            _event("E3", "Q1", "2025-10-01", "EBR"),
            _event("E4", "Q1", "2026-12-10", "Meeting", "Executive Business Review prep"),
            _event("E5", "Q1", "2027-01-15", "QBR"),
            _event("E6", "Q1", "2025-06-01", "Call", "weekly sync"),
            _event("E7", "Q3", "2026-04-01", "QBR"),
            _event("E8", "Q3", None, "QBR"),
        ],
    )


def test_meetings_are_classified_by_type_then_subject(make_tables, build_portfolio) -> None:
    account = build_portfolio(_cadence_frames(make_tables)).accounts[0]
    kinds = {m.id: m.kind for m in account.meetings}
    assert kinds == {"E1": "QBR", "E2": "QBR", "E3": "EBR", "E4": "EBR", "E5": "QBR",
                     "E6": "other"}
    assert [m.id for m in account.meetings] == ["E6", "E3", "E2", "E1", "E4", "E5"]


def test_tier_one_cadence(make_tables, build_portfolio) -> None:
    cadence = build_portfolio(_cadence_frames(make_tables)).accounts[0].cadence
    assert (cadence.last_qbr, cadence.next_qbr_due) == (date(2026, 9, 1), date(2026, 12, 1))
    assert cadence.is_qbr_overdue is False
    assert (cadence.qbrs_held_12m, cadence.qbrs_planned_12m) == (2, 4)
    assert cadence.next_qbr_scheduled == date(2027, 1, 15)
    assert (cadence.last_ebr, cadence.next_ebr_due) == (date(2025, 10, 1), date(2026, 10, 1))
    assert cadence.is_ebr_overdue is True and cadence.next_ebr_scheduled == date(2026, 12, 10)


def test_tier_three_cadence_has_no_ebr(make_tables, build_portfolio) -> None:
    portfolio = build_portfolio(_cadence_frames(make_tables))
    cadence = portfolio.accounts[1].cadence
    assert cadence.next_qbr_due == date(2026, 10, 1) and cadence.is_qbr_overdue is True
    assert cadence.qbrs_planned_12m == 2
    assert cadence.next_ebr_due is None and cadence.is_ebr_overdue is False
    assert any("1 event(s) without ActivityDate" in w for w in portfolio.warnings)


def test_never_held_is_overdue_and_the_proposed_tier_applies(make_tables,
                                                             build_portfolio) -> None:
    frames = make_tables(Account=[{"Id": "Q0", "Name": "New", "Strategic_Value__c": 4}],
                         Event=[_event("X1", "Q0", "2026-01-05", "Call")])
    cadence = build_portfolio(frames).accounts[0].cadence
    assert cadence.tier == 1  # a single account with something to score ranks Tier 1
    assert cadence.is_qbr_overdue is True and cadence.next_qbr_due is None
    assert cadence.is_ebr_overdue is True


def test_without_events_nothing_is_overdue(make_tables, build_portfolio) -> None:
    cadence = build_portfolio(make_tables(Account=[{"Id": "Q0", "Name": "New"}])).accounts[0]
    assert cadence.cadence.is_qbr_overdue is False and cadence.cadence.is_ebr_overdue is False


def test_cadence_months_come_from_config(make_tables, build_portfolio) -> None:
    settings = Settings(cadence=CadenceSettings(qbr_months={"1": 1, "3": 12}, ebr_months={}))
    cadence = build_portfolio(_cadence_frames(make_tables), settings).accounts[0].cadence
    assert cadence.next_qbr_due == date(2026, 10, 1) and cadence.is_qbr_overdue is True
    assert cadence.qbrs_planned_12m == 12 and cadence.is_ebr_overdue is False


def _kpi(name: str, period: str, actual: float | None, target: float | None,
         kind: str | None = "KPI", higher: bool | None = None) -> dict:
    return {"Account__c": "K", "Name": name, "Kind__c": kind, "Period_End__c": period,
            "Actual__c": actual, "Target__c": target, "Higher_Is_Better__c": higher,
            "Unit__c": "%"}


def _kpis(make_tables, build_portfolio):  # noqa: ANN001, ANN202
    frames = make_tables(Account=[{"Id": "K", "Name": "Kpi Co"}], KPI_Measurement__c=[
        _kpi("Uptime", "2026-06-30", 99.5, 99.9, "SLA"),
        _kpi("Uptime", "2026-03-31", 99.95, 99.9, "SLA"),
        _kpi("Response time", "2026-06-30", 5.0, 4.0, "SLA", False),
        _kpi("Response time", "2026-09-30", 3.0, 4.0, "SLA", False),
        _kpi("NPS", "2026-09-30", 45.0, None, None),
        _kpi("Adoption", "2026-09-30", 80.0, 75.0),
        _kpi("Adoption", "2027-03-31", 10.0, 75.0),  # after as_of: not yet
    ])
    return build_portfolio(frames).accounts[0]


def test_kpis_sorted_by_kind_then_name(make_tables, build_portfolio) -> None:
    kpis = _kpis(make_tables, build_portfolio).kpis
    assert [(k.kind, k.name) for k in kpis] == [
        ("KPI", "Adoption"), ("KPI", "NPS"), ("SLA", "Response time"), ("SLA", "Uptime")]


def test_latest_previous_attainment_and_change(make_tables, build_portfolio) -> None:
    kpis = {k.name: k for k in _kpis(make_tables, build_portfolio).kpis}
    uptime = kpis["Uptime"]
    assert [p.period_end for p in uptime.history] == [date(2026, 3, 31), date(2026, 6, 30)]
    assert uptime.latest.actual == 99.5 and uptime.previous.actual == 99.95
    assert uptime.is_met is False and uptime.attainment == round(99.5 / 99.9, 4)
    assert uptime.change == -0.45
    response = kpis["Response time"]  # lower is better: 3 against 4 is met
    assert response.higher_is_better is False and response.is_met is True
    assert response.attainment == round(4 / 3, 4) and response.change == -2.0
    assert kpis["NPS"].is_met is None and kpis["NPS"].attainment is None
    assert len(kpis["Adoption"].history) == 1 and kpis["Adoption"].previous is None


def test_kpi_summary_counts_assessed_results(make_tables, build_portfolio) -> None:
    summary = _kpis(make_tables, build_portfolio).kpi_summary
    assert (summary.kpis_total, summary.kpis_met, summary.slas_total, summary.slas_met) == (
        1, 1, 2, 1)
    assert summary.sla_share_met == 0.5
