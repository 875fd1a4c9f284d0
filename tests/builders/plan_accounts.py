"""Hand-built accounts for the account plan tests: every number known, so tests can work
out the expected words by hand. Internal-only values carry the marker ``SECRET`` so a
customer document can be searched for them."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from kamdocs.model import (
    AccessPath,
    Account,
    Action,
    ActionStatus,
    ActionSummary,
    Cadence,
    Goal,
    Health,
    Holding,
    Kpi,
    KpiMeasurement,
    KpiSummary,
    Opportunity,
    Person,
    PlanText,
    QuarterValue,
    RagStatus,
    RelationshipSummary,
    Renewal,
    RenewalStatus,
    Revenue,
    Risk,
    RosterRecommendation,
    Scorecard,
    Stakeholder,
    TeamMember,
    Tiering,
    WhitespaceCell,
    WhitespaceSummary,
)

AS_OF = date(2026, 11, 23)
SAM = Person("005A", "Sam Lee", "Key Account Manager", "sam.lee@example.com")
PAT = Person("005B", "Pat Kim", "VP Sales", "pat.kim@example.com")
ANA = Person("005C", "Ana Cruz", "Solutions Engineer", "ana.cruz@example.com")

#: Internal-only texts planted below; none may appear in a customer document.
SECRETS = (
    "SECRET budget freeze at the CFO",
    "SECRET strategy: land the data team",
    "SECRET executive summary",
    "SECRET call the CIO about pricing",
    "SECRET internal goal",
    "SECRET escalation",  # our chain of command on a customer-visible action
    "Blocker",  # a stance
    "via Dana Ruiz",  # an access path
)


def _stakeholders() -> tuple[Stakeholder, ...]:
    direct = AccessPath("direct", SAM, "Key Account Manager", description="direct (Sam Lee, KAM)")
    via = AccessPath("indirect", SAM, None, "003B", "Dana Ruiz", "CIO",
                     "via Dana Ruiz (CIO), owner Sam Lee")
    return (
        Stakeholder("003A", "Lee Park", "Lee", "Park", "CEO", depth=0, is_executive=True,
                    buying_role="Economic Buyer", influence=5, stance="Neutral", is_key=True,
                    access=via, last_contact=date(2026, 10, 1), is_stale=False),
        Stakeholder("003B", "Dana Ruiz", "Dana", "Ruiz", "CIO", reports_to_id="003A", depth=1,
                    is_executive=True, buying_role="Decision Maker", influence=5,
                    stance="Champion", is_key=True, access=direct,
                    last_contact=date(2026, 11, 2), is_stale=False),
        Stakeholder("003C", "Omar Haddad", "Omar", "Haddad", "VP Operations",
                    reports_to_id="003A", depth=1, is_executive=True, buying_role="Influencer",
                    influence=3, stance="Blocker", is_key=False,
                    access=AccessPath("none"), last_contact=date(2026, 3, 1), is_stale=False),
    )


def rich_account() -> Account:
    """A tier-1 account with every section filled; numbers chosen to be checked by hand."""
    quarters = tuple(
        QuarterValue(label, end, Decimal(v))
        for label, end, v in (
            ("2026-Q1", date(2026, 3, 31), "100000"),
            ("2026-Q2", date(2026, 6, 30), "250000"),
            ("2026-Q3", date(2026, 9, 30), "50000"),
            ("2026-Q4", date(2026, 12, 31), "0"),
        )
    )
    kpis = (
        Kpi("Adoption", "KPI", "%", True,
            latest=KpiMeasurement(date(2026, 9, 30), 80.0, 75.0),
            previous=KpiMeasurement(date(2026, 6, 30), 70.0, 75.0),
            attainment=80 / 75, is_met=True, change=10.0),
        Kpi("Tickets closed", "KPI", None, True,
            latest=KpiMeasurement(date(2026, 9, 30), 90.0, 120.0),
            attainment=0.75, is_met=False),
        Kpi("Uptime", "SLA", "%", True,
            latest=KpiMeasurement(date(2026, 9, 30), 99.95, 99.9),
            attainment=99.95 / 99.9, is_met=True, change=-0.01),
    )
    cells = (
        WhitespaceCell("Analytics", "Finance", "EMEA", "Reporting", Decimal(100000),
                       Decimal(410000), Decimal(310000), False, Decimal(50000),
                       Decimal(260000), 2.5, True, False),
        WhitespaceCell("Analytics", "Retail", "NA", "Forecasting", Decimal(0),
                       Decimal(120000), Decimal(120000), False, Decimal(0),
                       Decimal(120000), 1.2, False, False),
        WhitespaceCell("Platform", "Finance", "EMEA", "Reporting", Decimal(90000),
                       Decimal(60000), Decimal(-30000), True, Decimal(0),
                       Decimal(0), 0.0, False, True),
    )
    actions = (
        Action("00T1", "Run adoption workshop", ActionStatus.OPEN, "Not Started",
               date(2026, 11, 11), SAM, "High", None, "80% of users trained",
               "SECRET escalation: Sam Lee -> Pat Kim", True, 12, False, True),
        Action("00T2", "SECRET call the CIO about pricing", ActionStatus.OPEN, "In Progress",
               date(2026, 12, 1), None, "Normal", None, None, None, False, 0, True, False,
               data_gaps=("no owner", "no success measure")),
        Action("00T3", "Send QBR deck", ActionStatus.DONE, "Completed", date(2026, 10, 1), ANA,
               "Normal", None, "deck sent", None, False, 0, False, True),
    )
    return Account(
        id="001A000000000001AA",
        name="Acme Corp",
        as_of=AS_OF,
        industry="Manufacturing",
        country="Germany",
        owner=SAM,
        team=(TeamMember(SAM, "Key Account Manager"), TeamMember(PAT, "Executive Sponsor"),
              TeamMember(ANA, "Sales Engineer")),
        stakeholders=_stakeholders(),
        relationships=RelationshipSummary(
            key_count=2, key_direct_count=1, coverage=0.5, champions=("003B",),
            detractors=("003C",), is_single_threaded=True, stale_key_stakeholders=(),
            quality=62.4, quality_drivers=("one champion",),
        ),
        holdings=(
            Holding("02i1", "Analytics", "Software", "Finance", "EMEA", "Reporting", "Installed",
                    True, Decimal(100000)),
            Holding("02i2", "Platform", "Software", "Finance", "EMEA", "Reporting", "Installed",
                    True, Decimal(90000)),
            Holding("02i3", "Legacy Connect", "Software", "Retail", "NA", None, "Obsolete",
                    False, Decimal(5000)),
        ),
        opportunities=(
            Opportunity("006A", "Acme analytics 2026", "Closed Won", date(2026, 2, 1),
                        "New Business", True, True, "Software", "Finance", Decimal(100000)),
            Opportunity("006B", "Acme renewal 2027", "Negotiation", date(2027, 3, 1), "Renewal",
                        amount=Decimal(200000), probability=0.6, is_renewal=True),
            Opportunity("006C", "Acme forecasting pilot", "Prospecting", date(2027, 5, 1),
                        "Expansion", amount=Decimal(50000), probability=0.1,
                        is_expansion=True),
        ),
        revenue=Revenue(
            current_annual=Decimal(190000), basis="assets", prior_annual=Decimal(160000),
            growth=0.1875, by_quarter=quarters, open_pipeline=Decimal(250000),
            pipeline_by_stage=(("Prospecting", Decimal(50000)),
                               ("Negotiation", Decimal(200000))),
            margin=0.31,
        ),
        whitespace=WhitespaceSummary(
            cells=cells, candidates=(cells[0],), total_current=Decimal(190000),
            total_potential=Decimal(590000), total_whitespace=Decimal(430000),
            by_product=(("Analytics", Decimal(430000)),),
            by_business_unit=(("Finance", Decimal(310000)), ("Retail", Decimal(120000))),
            by_region=(("EMEA", Decimal(310000)), ("NA", Decimal(120000))),
            by_use_case=(("Reporting", Decimal(310000)), ("Forecasting", Decimal(120000))),
        ),
        actions=actions,
        action_summary=ActionSummary(open=2, done=1, overdue=1, due_soon=1,
                                     by_owner=(("Sam Lee", 1, 1),), on_time_rate=1.0,
                                     with_data_gaps=1),
        cadence=Cadence(last_qbr=date(2026, 8, 15), next_qbr_due=date(2026, 11, 15),
                        is_qbr_overdue=True, qbrs_held_12m=3, qbrs_planned_12m=4),
        renewal=Renewal(date(2027, 5, 31), "account", date(2026, 8, 31), date(2026, 11, 30),
                        RenewalStatus.COVERED, "006B", Decimal(200000), 200000 / 190000, 1.0,
                        True),
        goals=(
            Goal("a01", "Cut reporting time in half", "Automate monthly close reports",
                 date(2026, 6, 30), "In Progress", "Dana Ruiz", True),
            Goal("a02", "SECRET internal goal", None, date(2027, 6, 30), "Open", "Sam Lee",
                 False),
        ),
        risks=(
            Risk("a11", "SECRET budget freeze at the CFO", "High", "Medium", "Early renewal",
                 "Pat Kim", "Open", False),
            Risk("a12", "Data migration slips", "Medium", "Low", "Weekly checkpoint", "Ana Cruz",
                 "Open", True),
        ),
        kpis=kpis,
        kpi_summary=KpiSummary(2, 1, 1, 1, 1.0),
        plan=PlanText("SECRET executive summary", "SECRET strategy: land the data team",
                      "Faster month-end close.", "Close the books in five days."),
        tiering=Tiering(1, 1, False, 0.91, (("revenue", 0.95),), "revenue rank 3 of 40", 3),
        health=Health(RagStatus.AMBER, ("1 action overdue", "QBR overdue")),
        scorecard=Scorecard(
            (("Value", "$190,000.00 a year, +19% on last year", RagStatus.GREEN),
             ("KPIs and SLAs", "2 of 3 met", RagStatus.AMBER),
             ("Relationship quality", "62 of 100, single-threaded", RagStatus.RED)),
            RosterRecommendation.KEEP, "top-3 revenue",
        ),
    )


def minimal_account() -> Account:
    """Only an Account row (Id, Name): every section must say what would fill it."""
    return Account(id="001A000000000002AA", name="Bare Minimum Ltd", as_of=AS_OF,
                   missing_data=("Contact", "Opportunity", "Task", "Asset"))


def with_changes(account: Account) -> Account:
    from kamdocs.model import Change, Changes

    return dataclasses.replace(
        account,
        changes=Changes(date(2026, 8, 23), (Change("tier", "Tier 2 -> Tier 1"),
                                            Change("kpi", "Adoption now met")), True),
    )
