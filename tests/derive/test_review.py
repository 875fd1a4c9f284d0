"""Review scorecard, health, roster and changes since a previous review, on hand-made models."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from kamdocs.config import Settings
from kamdocs.data.derive.changes import LEADERSHIP_NOTE, derive_changes
from kamdocs.data.derive.scorecard import derive_health, derive_scorecard
from kamdocs.model import (
    Account,
    Action,
    ActionStatus,
    ActionSummary,
    Kpi,
    KpiMeasurement,
    KpiSummary,
    Opportunity,
    RagStatus,
    RelationshipSummary,
    Renewal,
    RenewalStatus,
    Revenue,
    RosterRecommendation,
    Stakeholder,
    Tiering,
    WhitespaceCell,
    WhitespaceSummary,
)

SETTINGS = Settings()
AS_OF = date(2026, 11, 23)


def _account(**fields: object) -> Account:
    fields.setdefault("as_of", AS_OF)
    return Account(id="001A", name="Acme", **fields)


def _actions(open_count: int, overdue: int) -> tuple[Action, ...]:
    return tuple(
        Action(id=f"T{i}", subject=f"task {i}", status=ActionStatus.OPEN,
               is_overdue=i < overdue, days_overdue=3 if i < overdue else 0)
        for i in range(open_count)
    )


def _healthy(**changes: object) -> Account:
    fields = dict(
        renewal=Renewal(date=date(2027, 6, 30), status=RenewalStatus.COVERED),
        actions=_actions(3, 0),
        action_summary=ActionSummary(open=3, overdue=0),
        relationships=RelationshipSummary(quality=80.0, key_count=2, key_direct_count=2,
                                          direct_count=3),
        kpi_summary=KpiSummary(kpis_total=6, kpis_met=5, slas_total=4, slas_met=4),
        revenue=Revenue(current_annual=Decimal("1000.00"), basis="assets", growth=0.05),
        tiering=Tiering(current_tier=1, proposed_tier=1, rank=2, portfolio_size=40),
    )
    fields.update(changes)
    return _account(**fields)


def test_health_without_data_is_not_assessed() -> None:
    health = derive_health(_account(), SETTINGS)
    assert health.status is None and health.drivers == ("not enough data to assess health",)


def test_health_green_lists_the_good_signs() -> None:
    health = derive_health(_healthy(), SETTINGS)
    assert health.status is RagStatus.GREEN
    assert health.drivers == (
        "renewal in window, renewal opportunity open (Jun 30, 2027)", "0 actions overdue of 3 open",
        "relationship quality 80/100", "9 of 10 KPIs/SLAs met", "revenue +5.0% year on year",
    )


def test_one_overdue_action_makes_health_amber() -> None:
    account = _healthy(actions=_actions(10, 1), action_summary=ActionSummary(open=10, overdue=1))
    health = derive_health(account, SETTINGS)
    assert health.status is RagStatus.AMBER and health.drivers == ("1 action overdue of 10 open",)


def test_overdue_share_decides_red() -> None:
    red = _healthy(actions=_actions(10, 3), action_summary=ActionSummary(open=10, overdue=3))
    amber = _healthy(actions=_actions(20, 3), action_summary=ActionSummary(open=20, overdue=3))
    assert derive_health(red, SETTINGS).status is RagStatus.RED  # 3 >= 25% of 10
    assert derive_health(amber, SETTINGS).status is RagStatus.AMBER  # 3 < 25% of 20


def test_late_renewal_is_red_and_red_drivers_come_first() -> None:
    account = _healthy(
        renewal=Renewal(date=date(2027, 4, 30), status=RenewalStatus.LATE),
        relationships=RelationshipSummary(quality=50.0, is_single_threaded=True),
    )
    health = derive_health(account, SETTINGS)
    assert health.status is RagStatus.RED
    assert health.drivers == (
        "renewal past the window, no renewal opportunity (Apr 30, 2027)",
        "relationship quality 50/100",
        "single-threaded: at most one contact with direct access",
    )


def test_on_time_rate_rounds_half_up_as_the_documents_do() -> None:
    # 5 of 8 = 62.5%: Python's round() gives 62, every document (Babel, half up) says 63%.
    account = _healthy(action_summary=ActionSummary(open=3, overdue=0, on_time_rate=5 / 8))
    card, _ = derive_scorecard(account, SETTINGS)
    progress = {q: a for q, a, _ in card.lines}["Plan progress"]
    assert "63% of last quarter's actions done on time" in progress


def test_scorecard_lines_state_their_numbers() -> None:
    card, _ = derive_scorecard(_healthy(), SETTINGS)
    lines = {q: (a, rag) for q, a, rag in card.lines}
    assert lines["Value and profitability"] == (
        "Annual revenue $1,000 (assets); +5.0% year on year", RagStatus.GREEN)
    assert lines["KPIs and SLAs met"] == ("5 of 6 KPIs met; 4 of 4 SLAs met", RagStatus.GREEN)
    assert lines["Renewal"] == ("Jun 30, 2027: in window, renewal opportunity open",
                                RagStatus.GREEN)
    assert lines["Opportunities materialised"][1] is None  # no earlier review
    assert [q for q, _, _ in card.lines] == [
        "Value and profitability", "Plan progress", "Opportunities materialised",
        "KPIs and SLAs met", "Relationship quality", "Renewal", "QBR cadence"]


def test_roster_recommendations() -> None:
    def roster(**changes: object) -> tuple[RosterRecommendation | None, str]:
        card, _ = derive_scorecard(_healthy(**changes), SETTINGS)
        return card.roster, card.roster_reason

    assert roster() == (RosterRecommendation.KEEP, "ranks Tier 1 (rank 2 of 40); health green")
    fallen = Tiering(current_tier=2, proposed_tier=3, rank=30, portfolio_size=40)
    shrinking = Revenue(current_annual=Decimal("800"), basis="assets", growth=-0.2)
    assert roster(tiering=fallen, revenue=shrinking) == (
        RosterRecommendation.MOVE_OUT,
        "score ranks it Tier 3 (rank 30 of 40) and revenue -20% year on year")
    assert roster(tiering=fallen)[0] is RosterRecommendation.WATCH
    down = Tiering(current_tier=1, proposed_tier=2, rank=8, portfolio_size=40)
    assert roster(tiering=down) == (
        RosterRecommendation.WATCH, "score ranks it Tier 2, down from Tier 1 (rank 8 of 40)")
    never = Tiering(current_tier=3, proposed_tier=3, rank=39, portfolio_size=40)
    assert roster(tiering=never)[0] is None
    rising = Tiering(current_tier=3, proposed_tier=2, rank=9, portfolio_size=40)
    assert roster(tiering=rising)[0] is RosterRecommendation.ADD


def test_opportunities_materialised_since_the_previous_review() -> None:
    previous = _healthy(
        as_of=date(2026, 8, 23),
        opportunities=(Opportunity(id="O1", name="a", stage="Proposal"),
                       Opportunity(id="O2", name="b", stage="Proposal")),
        whitespace=WhitespaceSummary(candidates=(WhitespaceCell(
            product="Analytics", business_unit="Finance", is_candidate=True),)),
    )
    current = _healthy(opportunities=(
        Opportunity(id="O1", name="a", stage="Closed Won", is_closed=True, is_won=True),
        Opportunity(id="O2", name="b", stage="Proposal"),
        Opportunity(id="O3", name="c", stage="Closed Won", is_closed=True, is_won=True,
                    close_date=date(2026, 10, 1), product_family="analytics",
                    business_unit="Finance"),
    ))
    card, _ = derive_scorecard(current, SETTINGS, previous)
    answer, rag = next((a, r) for q, a, r in card.lines if q == "Opportunities materialised")
    assert answer == ("Of the review on Aug 23, 2026: 1 of 2 open opportunities won; "
                      "1 of 1 expansion candidates won")
    assert rag is RagStatus.GREEN  # 2 of 3


def _person(pid: str, title: str, key: bool = False) -> Stakeholder:
    return Stakeholder(id=pid, name=f"Person {pid}", title=title, is_key=key,
                       is_executive=title in ("VP IT", "CIO"))


def _kpi(name: str, actual: float, met: bool) -> Kpi:
    point = KpiMeasurement(period_end=date(2026, 9, 30), actual=actual, target=99.9)
    return Kpi(name=name, kind="SLA", latest=point, history=(point,), is_met=met)


def test_changes_since_the_previous_review() -> None:
    previous = _account(
        as_of=date(2026, 8, 23),
        tiering=Tiering(current_tier=2, proposed_tier=2),
        revenue=Revenue(current_annual=Decimal("1000.00")),
        renewal=Renewal(status=RenewalStatus.COVERED),
        kpis=(_kpi("Uptime", 99.5, False), _kpi("CSAT", 4.0, True)),
        stakeholders=(_person("S1", "VP IT", key=True), _person("S2", "Analyst")),
        actions=(Action(id="A1", subject="send plan", status=ActionStatus.OPEN),
                 Action(id="A3", subject="call CFO", status=ActionStatus.OPEN)),
        opportunities=(Opportunity(id="O1", name="Deal", stage="Proposal"),
                       Opportunity(id="O2", name="Lost deal", stage="Proposal")),
        whitespace=WhitespaceSummary(total_whitespace=Decimal("1000.00")),
    )
    current = dataclasses.replace(
        previous,
        as_of=AS_OF,
        tiering=Tiering(current_tier=2, proposed_tier=1),
        revenue=Revenue(current_annual=Decimal("1200.00")),
        renewal=Renewal(status=RenewalStatus.RENEWED),
        kpis=(_kpi("Uptime", 99.9, True), _kpi("NPS", 40.0, True)),
        stakeholders=(_person("S1", "CIO", key=True), _person("S3", "Buyer")),
        actions=(
            Action(id="A1", subject="send plan", status=ActionStatus.DONE),
            Action(id="A2", subject="new task", status=ActionStatus.OPEN, due=date(2026, 12, 1)),
            Action(id="A3", subject="call CFO", status=ActionStatus.OPEN, is_overdue=True,
                   days_overdue=5),
        ),
        opportunities=(
            Opportunity(id="O1", name="Deal", stage="Closed Won", is_closed=True, is_won=True,
                        amount=Decimal("500")),
            Opportunity(id="O2", name="Lost deal", stage="Closed Lost", is_closed=True),
            Opportunity(id="O3", name="Fresh", stage="Qualification"),
        ),
        whitespace=WhitespaceSummary(total_whitespace=Decimal("800.00")),
    )
    changes = derive_changes(current, previous, SETTINGS)
    assert changes.previous_as_of == date(2026, 8, 23)
    assert changes.refresh_relationship_map is True
    assert [(c.area, c.text) for c in changes.items] == [
        ("tier", "proposed tier: Tier 2 -> Tier 1"),
        ("revenue", "annual revenue: $1,000 -> $1,200 (+20%)"),
        ("renewal", "renewal: in window, renewal opportunity open -> renewed"),
        ("kpi", "Uptime: 99.5 -> 99.9 (+0.4), now met"),
        ("kpi", "new SLA: NPS"),
        ("kpi", "SLA no longer reported: CSAT"),
        ("stakeholder", "Person S1: title VP IT -> CIO"),
        ("stakeholder", "new contact: Person S3 (Buyer)"),
        ("stakeholder", "no longer listed: Person S2 (Analyst)"),
        ("action", "closed: send plan"),
        ("action", "opened: new task (due Dec 1, 2026)"),
        ("action", "newly overdue: call CFO (5 days)"),
        ("opportunity", "won: Deal ($500)"),
        ("opportunity", "lost: Lost deal"),
        ("opportunity", "new: Fresh, Qualification"),
        ("whitespace", "total whitespace: $1,000 -> $800 (-20%)"),
        ("stakeholder", LEADERSHIP_NOTE),
    ]


def test_junior_staff_changes_do_not_ask_for_a_new_map() -> None:
    previous = _account(stakeholders=(_person("S2", "Analyst"),))
    current = _account(stakeholders=(_person("S2", "Senior Analyst"), _person("S4", "Clerk")))
    changes = derive_changes(current, previous, SETTINGS)
    assert changes.refresh_relationship_map is False
    assert LEADERSHIP_NOTE not in [c.text for c in changes.items]


def test_unchanged_account_has_no_changes() -> None:
    account = _healthy()
    assert derive_changes(account, account, SETTINGS).items == ()


def test_a_new_period_with_the_same_kpi_value_is_not_a_change() -> None:
    earlier = _kpi("Reports on time", 100.0, True)
    later_point = KpiMeasurement(period_end=date(2026, 12, 31), actual=100.0, target=99.9)
    later = dataclasses.replace(earlier, latest=later_point, history=(later_point,))
    changes = derive_changes(_account(kpis=(later,)), _account(kpis=(earlier,)), SETTINGS)
    assert changes.items == ()


def test_kpi_change_shows_only_the_decimals_its_values_need() -> None:
    previous = _account(kpis=(_kpi("Workflows live", 98.0, True),))
    current = _account(kpis=(_kpi("Workflows live", 103.0, True),))
    later = dataclasses.replace(
        current.kpis[0],
        latest=KpiMeasurement(period_end=date(2026, 12, 31), actual=103.0, target=99.9),
    )
    changes = derive_changes(dataclasses.replace(current, kpis=(later,)), previous, SETTINGS)
    assert [c.text for c in changes.items] == ["Workflows live: 98 -> 103 (+5)"]


def test_review_compares_health_after_it_is_assessed() -> None:
    from kamdocs.data.assemble import review

    previous = review(_healthy(as_of=date(2026, 8, 23)), SETTINGS)
    current = review(_healthy(), SETTINGS, previous)
    assert current.health.status is previous.health.status is RagStatus.GREEN
    assert [c for c in current.changes.items if c.area == "health"] == []
