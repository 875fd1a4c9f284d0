"""What the QBR says, before drawing: quarters, KPI/SLA judgements, generated sentences.

Expected values are worked out by hand from tests/builders/test_qbr_accounts.py (see its
docstring), never copied from the builder.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamdocs.audience import view_for
from kamdocs.builders.qbr.facts import (
    FiscalQuarter,
    attainment,
    customer_attendees,
    is_met,
    meeting_facts,
    our_attendees,
    reported_quarter,
    room_risks,
)
from kamdocs.builders.qbr.slides import (
    QbrContent,
    SlidePlan,
    headlines,
    plan_content,
)
from kamdocs.builders.qbr.words import Words, listing, plural, tally
from kamdocs.config import Settings
from kamdocs.errors import UsageError
from kamdocs.model import Account, Audience, Goal
from tests.builders.test_qbr_accounts import AS_OF, minimal_account, rich_account

COMPANY = "Northwind Analytics"
Q3 = FiscalQuarter.of(date(2026, 8, 1), 1)
WORDS = Words(Settings())


def content(account: Account, audience: Audience = Audience.CUSTOMER,
            quarter: FiscalQuarter = Q3) -> QbrContent:
    return plan_content(view_for(account, audience), quarter, WORDS, COMPANY,
                        fill=lambda section: f"fill {section}")


def slide(plans: tuple[SlidePlan, ...], key: str) -> SlidePlan:
    (found,) = [p for p in plans if p.key == key]
    return found


# --------------------------------------------------------------------------- quarters


def test_default_quarter_is_the_last_completed_fiscal_quarter() -> None:
    quarter = reported_quarter(None, AS_OF, 1)
    assert (quarter.label, quarter.start, quarter.end) == (
        "2026-Q3", date(2026, 7, 1), date(2026, 9, 30))


def test_fiscal_year_start_month_moves_the_quarter() -> None:
    # February start: fiscal 2027 runs Feb 2026 - Jan 2027 (named by its end year), so
    # 23 Nov 2026 is in its Q4 (Nov-Jan) and the last completed quarter is Q3: Aug-Oct 2026.
    quarter = reported_quarter(None, AS_OF, 2)
    assert (quarter.label, quarter.start, quarter.end) == (
        "2027-Q3", date(2026, 8, 1), date(2026, 10, 31))


def test_quarter_on_the_last_day_of_a_quarter_is_not_yet_completed() -> None:
    assert reported_quarter(None, date(2026, 9, 30), 1).label == "2026-Q2"


def test_quarter_option_picks_that_quarter() -> None:
    quarter = reported_quarter("2026-Q1", AS_OF, 1)
    assert (quarter.start, quarter.end) == (date(2026, 1, 1), date(2026, 3, 31))


@pytest.mark.parametrize("label", ["2026Q5", "Q3-2026", "next quarter", ""])
def test_bad_quarter_label_is_a_usage_error(label: str) -> None:
    with pytest.raises(UsageError):
        reported_quarter(label, AS_OF, 1)


# --------------------------------------------------------------------------- KPI and SLA facts


def test_kpis_are_judged_on_the_quarter_with_change_vs_last_quarter() -> None:
    facts = meeting_facts(rich_account(), Q3)
    by_name = {r.name: r for r in facts.kpis}
    assert sorted(by_name) == ["Adoption", "Cost per ticket", "Tickets solved in 24 h"]
    cost = by_name["Cost per ticket"]
    # Lower is better: 13.5 against 12 misses; attainment 12 / 13.5; 14 -> 13.5 is better.
    assert cost.is_met is False
    assert cost.attainment == pytest.approx(12 / 13.5)
    assert cost.change == pytest.approx(-0.5)
    assert cost.is_improvement is True
    tickets = by_name["Tickets solved in 24 h"]
    assert tickets.is_met is True
    assert tickets.attainment == pytest.approx(93 / 90)
    assert tickets.change == pytest.approx(5.0)
    assert by_name["Adoption"].change is None  # nothing measured in 2026-Q2
    assert facts.unmeasured == ("Old KPI",)


def test_one_missed_month_makes_an_sla_missed_for_the_quarter() -> None:
    facts = meeting_facts(rich_account(), Q3)
    by_name = {r.name: r for r in facts.slas}
    uptime = by_name["Uptime"]
    assert uptime.is_met is False
    assert uptime.missed_periods == (date(2026, 8, 31),)
    assert len(uptime.periods) == 3  # June's value belongs to 2026-Q2
    assert by_name["First response"].is_met is True


@given(st.floats(0.01, 1e6), st.floats(0.01, 1e6), st.booleans())
def test_attainment_of_one_or_more_is_exactly_a_met_target(
        actual: float, target: float, higher_is_better: bool) -> None:
    share = attainment(actual, target, higher_is_better)
    assert share is not None
    assert (share >= 1.0) == is_met(actual, target, higher_is_better) or abs(share - 1) < 1e-12


def test_missing_actual_or_target_is_not_judged() -> None:
    assert is_met(None, 5.0, True) is None and attainment(5.0, None, False) is None


def test_delivered_uses_completion_date_else_due_date_and_only_shared_actions() -> None:
    facts = meeting_facts(view_for(rich_account(), Audience.CUSTOMER), Q3)
    # 00T4 completed 14 Aug, 00T5 due 20 Sep (no completion date); 00T6 is internal and
    # 00T7 was completed in May.
    assert sorted(a.id for a in facts.delivered) == ["00T4", "00T5"]
    assert [o.id for o in facts.won] == ["006A"]
    assert [a.id for a in facts.open_items] == ["00T1", "00T3"]


# --------------------------------------------------------------------------- words


def test_plural_tally_and_listing_read_as_english() -> None:
    assert plural(1, "KPI") == "1 KPI" and plural(2, "priority", "priorities") == "2 priorities"
    assert tally(3, 4, "KPI") == "3 of 4 KPIs met"
    assert tally(4, 4, "KPI") == "all 4 KPIs met"
    assert tally(0, 3, "SLA") == "none of 3 SLAs met"
    assert tally(0, 1, "SLA") == "1 SLA missed"
    assert listing(["A", "B", "C", "D", "E"], 3) == "A, B, C and 2 more"
    assert listing(["A", "B"]) == "A and B"


@given(st.integers(0, 500), st.integers(1, 500))
def test_tally_states_the_numbers_it_was_given(met: int, total: int) -> None:
    met = min(met, total)
    text = tally(met, total, "KPI")
    if total == 1:
        assert text == ("1 KPI met" if met else "1 KPI missed")
    elif met == total:
        assert text == f"all {total} KPIs met"
    elif met == 0:
        assert text == f"none of {total} KPIs met"
    else:
        assert text == f"{met} of {total} KPIs met"


def test_measures_keep_their_recorded_precision_and_unit() -> None:
    # 99.95 % must not be rounded up to 100 % next to a 99.9 % target.
    assert WORDS.measure(99.95, "%") == "99.95%"
    assert WORDS.measure(13.5, "USD") == "13.5 USD"
    assert WORDS.measure(1234.0, None) == "1,234"


# --------------------------------------------------------------------------- slides


def test_customer_slides_follow_the_issue_order_with_generated_titles() -> None:
    plans = content(rich_account()).meeting
    assert [p.key for p in plans] == ["summary", "kpis", "slas", "delivered", "open_items",
                                      "roadmap", "growth", "renewal", "teams"]
    titles = {p.key: p.title for p in plans}
    assert titles["kpis"] == "2 of 3 KPIs met in 2026-Q3; missed: Cost per ticket"
    assert titles["slas"] == "1 of 2 SLAs met in 2026-Q3; Uptime missed in August 2026"
    assert titles["delivered"] == "2 actions completed together and 1 agreement signed in 2026-Q3"
    assert titles["open_items"] == "2 open items; 1 past due needs a decision today"
    # Next quarter 2026-Q4: the visible goal, the 10 Dec action and the 10 Dec review.
    assert titles["roadmap"] == ("2026-Q4: 1 joint priority and 2 milestones; "
                                 "next review by Dec 10, 2026")
    assert titles["renewal"] == ("Our agreement renews on May 15, 2027; "
                                 "next review due by Dec 10, 2026")
    assert titles["teams"] == ("Working together: 4 people at Northwind Analytics and "
                               "3 people at Acme Corp")


def test_roadmap_leaves_missed_goals_out_and_words_statuses_as_the_open_items_slide() -> None:
    account = rich_account()
    missed = Goal("a09", "Migrate the archive", None, date(2026, 7, 18), "Missed", "Sam Lee",
                  True)
    plans = content(dataclasses.replace(account, goals=(*account.goals, missed))).meeting
    roadmap = slide(plans, "roadmap")
    assert roadmap.table is not None
    assert "Migrate the archive" not in [r[1] for r in roadmap.table.rows]
    assert roadmap.title.startswith("2026-Q4: 1 joint priority and 2 milestones")
    # An action on both slides has the same status word on both, never the CRM's own.
    open_items = slide(plans, "open_items")
    assert open_items.table is not None
    status_of = {r[0]: r[3] for r in open_items.table.rows}
    milestones = [r for r in roadmap.table.rows if r[0] == "Milestone" and r[1] in status_of]
    assert milestones and all(r[4] == status_of[r[1]] for r in milestones)


def test_kpi_table_marks_met_and_missed_and_orders_furthest_from_target_first() -> None:
    kpis = slide(content(rich_account()).meeting, "kpis")
    assert kpis.table is not None and kpis.chart is not None
    rows = kpis.table.rows
    assert [r[0] for r in rows] == ["Cost per ticket", "Adoption", "Tickets solved in 24 h"]
    # An amount in the document's currency is money, as the customer writes it.
    assert rows[0][1:4] == ("$13.50", "$12", "Missed")
    assert rows[0][4] == "-$0.50 (better)"
    assert rows[1][4] is None  # no 2026-Q2 value: an em dash with a footnote, never blank
    assert rows[2][4] == "+5 pts (better)"
    assert kpis.chart.values == pytest.approx((12 / 13.5, 71 / 70, 93 / 90))
    assert kpis.chart.missed == (True, False, False)


def test_summary_has_three_to_five_headlines_generated_from_the_numbers() -> None:
    lines = headlines(meeting_facts(view_for(rich_account(), Audience.CUSTOMER), Q3), WORDS)
    assert 3 <= len(lines) <= 5
    assert lines[0] == ("2 of 3 KPIs met in 2026-Q3; Tickets solved in 24 h improved "
                        "from 88% to 93%")
    assert lines[1] == "1 of 2 SLAs met; Uptime missed in August 2026"
    assert lines[2] == ("2 actions completed together, including "
                        "Quarterly data quality review")


def test_minimal_account_still_gets_three_constructive_headlines() -> None:
    plans = content(minimal_account()).meeting
    assert [p.key for p in plans] == ["summary"]
    assert len(plans[0].bullets) == 3
    assert "No KPI or SLA results recorded for 2026-Q3" in plans[0].bullets[0]


def test_customer_content_has_no_preparation_slides_and_no_gap_list() -> None:
    plan = content(rich_account())
    assert plan.preparation == () and plan.gaps == ()


def test_internal_content_prepares_the_meeting_first() -> None:
    plan = content(rich_account(), Audience.INTERNAL)
    assert [p.key for p in plan.preparation] == [
        "prep", "risks", "expansion", "renewal_status", "health"]
    assert all(p.is_preparation for p in plan.preparation)
    prep = slide(plan.preparation, "prep")
    assert prep.title == "2 customer attendees: 1 champion, 1 detractor"
    assert prep.table is not None
    assert prep.table.rows[1][5] == "Jul 1, 2026 (stale)"


def test_meeting_slides_are_the_same_in_both_versions_but_the_notes() -> None:
    customer = content(rich_account()).meeting
    internal = content(rich_account(), Audience.INTERNAL).meeting
    strip = [dataclasses.replace(p, notes="") for p in customer]
    assert strip == [dataclasses.replace(p, notes="") for p in internal]
    assert any("Internal only:" in p.notes for p in internal)
    assert not any("Internal only:" in p.notes for p in customer)


def test_no_kpi_data_drops_the_slide_and_the_internal_deck_says_what_fills_it() -> None:
    account = dataclasses.replace(rich_account(), kpis=())
    customer = content(account)
    assert "kpis" not in [p.key for p in customer.meeting]
    internal = content(account, Audience.INTERNAL)
    assert ("KPIs vs targets", "fill kpis") in [(g.section, g.reason) for g in internal.gaps]


def test_internal_attendees_and_our_side_follow_from_the_facts() -> None:
    account = rich_account()
    attendees = customer_attendees(account)
    assert [s.name for s in attendees] == ["Dana Ruiz", "Omar Haddad"]  # key, by influence
    facts = meeting_facts(view_for(account, Audience.CUSTOMER), Q3)
    ours = {a.person.name: a.reason for a in our_attendees(account, facts, attendees)}
    assert ours["Sam Lee"] == "leads the review"
    assert ours["Pat Kim"] == "peer for Dana Ruiz and Omar Haddad"
    assert ours["Ana Cruz"] == "1 growth area to explore"
    # 1 KPI and 1 SLA missed.
    assert ours["Lee Moss"] == "answers for delivery (2 targets missed)"


def test_room_risks_add_the_detractor_the_sla_miss_and_the_overdue_items() -> None:
    account = rich_account()
    facts = meeting_facts(view_for(account, Audience.CUSTOMER), Q3)
    risks = [r.risk for r in room_risks(account, facts, customer_attendees(account))]
    assert risks[:2] == ["SECRET budget freeze at the CFO", "Migration delay in APAC"]
    assert "Detractor in the room: Omar Haddad (VP Support)" in risks
    assert "Uptime SLA missed in 1 of 3 periods" in risks
    assert "1 shared open item past due (longest 12 days)" in risks
