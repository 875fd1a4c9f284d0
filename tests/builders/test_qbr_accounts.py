"""Hand-built accounts for the QBR tests (no tests here): every number is chosen so the
expected sentences can be worked out by hand. Internal-only values carry the marker
``SECRET`` so a customer deck can be searched for them.

The account reviews fiscal 2026-Q3 (1 Jul - 30 Sep 2026, January fiscal year) at
as_of 23 Nov 2026:
- KPIs in 2026-Q3: "Tickets solved in 24 h" 93 % vs 90 % (met; 88 % in Q2: +5 pts better),
  "Cost per ticket" 13.5 USD vs 12 (lower is better: missed; 14 in Q2: -0.5 better),
  "Adoption" 71 % vs 70 % (met; no Q2 value); "Old KPI" has only 2025 data (unmeasured).
  -> 2 of 3 KPIs met; attainment 93/90, 12/13.5, 71/70.
- SLAs monthly in 2026-Q3: "Uptime" 99.95 / 99.2 / 99.93 vs 99.9 (missed in August),
  "First response" 3.5 / 3.9 / 3.2 h vs 4 h, lower is better (met). -> 1 of 2 SLAs met.
- Delivered in Q3: 2 customer-visible actions (one completed 14 Aug, one due 20 Sep without a
  completion date) + 1 won opportunity closing 30 Aug; an internal done action is SECRET.
- Open customer-visible: 1 past due 12 days (High), 1 due 10 Dec 2026 (a Q4 milestone).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kamdocs.model import (
    AccessPath,
    Account,
    Action,
    ActionStatus,
    ActionSummary,
    Cadence,
    Change,
    Changes,
    Contract,
    Goal,
    Health,
    Holding,
    Kpi,
    KpiMeasurement,
    Opportunity,
    Person,
    RagStatus,
    RelationshipSummary,
    Renewal,
    RenewalStatus,
    Risk,
    Stakeholder,
    TeamMember,
    WhitespaceCell,
    WhitespaceSummary,
)

AS_OF = date(2026, 11, 23)
SAM = Person("005A", "Sam Lee", "Key Account Manager", "sam.lee@example.com")
PAT = Person("005B", "Pat Kim", "VP Sales", "pat.kim@example.com")
ANA = Person("005C", "Ana Cruz", "Solutions Engineer", "ana.cruz@example.com")
LEE = Person("005D", "Lee Moss", "Customer Success Manager", "lee.moss@example.com")

#: Internal-only texts planted below; none may appear anywhere in a customer deck.
SECRETS = (
    "SECRET budget freeze at the CFO",
    "SECRET pricing review done",
    "SECRET chase the CFO",
    "SECRET expand to APAC",
    "SECRET lost deal",
    "Detractor",
    "via Dana Ruiz",
    "350K",  # uncovered whitespace, as slides abbreviate it
    "$400K",  # whitespace
)


def _m(y: int, mo: int, d: int, actual: float | None, target: float | None) -> KpiMeasurement:
    return KpiMeasurement(date(y, mo, d), actual, target)


def kpis() -> tuple[Kpi, ...]:
    return (
        Kpi("Adoption", "KPI", "%", True, (_m(2026, 9, 30, 71.0, 70.0),)),
        Kpi("Cost per ticket", "KPI", "USD", False,
            (_m(2026, 6, 30, 14.0, 12.0), _m(2026, 9, 30, 13.5, 12.0))),
        Kpi("Old KPI", "KPI", None, True, (_m(2025, 9, 30, 5.0, 4.0),)),
        Kpi("Tickets solved in 24 h", "KPI", "%", True,
            (_m(2026, 3, 31, 80.0, 90.0), _m(2026, 6, 30, 88.0, 90.0),
             _m(2026, 9, 30, 93.0, 90.0))),
        Kpi("First response", "SLA", "h", False,
            (_m(2026, 7, 31, 3.5, 4.0), _m(2026, 8, 31, 3.9, 4.0), _m(2026, 9, 30, 3.2, 4.0))),
        Kpi("Uptime", "SLA", "%", True,
            (_m(2026, 6, 30, 99.9, 99.9), _m(2026, 7, 31, 99.95, 99.9),
             _m(2026, 8, 31, 99.2, 99.9), _m(2026, 9, 30, 99.93, 99.9))),
    )


def actions() -> tuple[Action, ...]:
    return (
        Action("00T1", "Sign off the API rate-limit change", ActionStatus.OPEN, "Not Started",
               date(2026, 11, 11), SAM, "High", None, "Change live", None, True, 12, False,
               True),
        Action("00T2", "SECRET chase the CFO", ActionStatus.OPEN, "Not Started",
               date(2026, 11, 1), SAM, "High", None, None, None, True, 22, False, False),
        Action("00T3", "Plan the analytics pilot", ActionStatus.OPEN, "In Progress",
               date(2026, 12, 10), ANA, "Normal", None, "Pilot scope signed", None, False, 0,
               False, True),
        Action("00T4", "Roll out SSO to the EMEA team", ActionStatus.DONE, "Completed",
               date(2026, 8, 31), SAM, "Normal", None, "All EMEA users on SSO", None,
               is_customer_visible=True, completed=date(2026, 8, 14)),
        Action("00T5", "Quarterly data quality review", ActionStatus.DONE, "Completed",
               date(2026, 9, 20), LEE, "Normal", None, None, None, is_customer_visible=True),
        Action("00T6", "SECRET pricing review done", ActionStatus.DONE, "Completed",
               date(2026, 9, 1), PAT, "Normal", is_customer_visible=False,
               completed=date(2026, 9, 1)),
        Action("00T7", "Kick-off workshop", ActionStatus.DONE, "Completed",
               date(2026, 5, 2), SAM, "Normal", is_customer_visible=True,
               completed=date(2026, 5, 2)),
    )


def stakeholders() -> tuple[Stakeholder, ...]:
    direct = AccessPath("direct", SAM, "Key Account Manager",
                        description="direct (Sam Lee, KAM)")
    via = AccessPath("indirect", PAT, "Executive Sponsor", "003A", "Dana Ruiz", "CIO",
                     "via Dana Ruiz (CIO), owner Pat Kim")
    return (
        Stakeholder("003A", "Dana Ruiz", "Dana", "Ruiz", "CIO", "IT", depth=0,
                    is_executive=True, buying_role="Economic Buyer", influence=5,
                    stance="Champion", is_key=True, access=direct,
                    last_contact=date(2026, 11, 1), is_stale=False),
        Stakeholder("003B", "Omar Haddad", "Omar", "Haddad", "VP Support", "Support",
                    reports_to_id="003A", depth=1, is_executive=True,
                    buying_role="Decision Maker", influence=4, stance="Detractor", is_key=True,
                    access=via, last_contact=date(2026, 7, 1), is_stale=True),
        Stakeholder("003C", "Mia Chen", "Mia", "Chen", "Support Manager", "Support",
                    reports_to_id="003B", depth=2, buying_role="User", influence=2,
                    stance="Neutral", is_key=False, access=AccessPath("none")),
    )


def rich_account() -> Account:
    cell = WhitespaceCell("Analytics", "Finance", "EMEA", "Forecasting", Decimal(100000),
                          Decimal(500000), Decimal(400000), False, Decimal(50000),
                          Decimal(350000), 3.5, True, False)
    return Account(
        id="001A000000000001AA",
        name="Acme Corp",
        as_of=AS_OF,
        industry="Manufacturing",
        owner=SAM,
        team=(TeamMember(SAM, "Key Account Manager"), TeamMember(PAT, "Executive Sponsor"),
              TeamMember(ANA, "Sales Engineer"), TeamMember(LEE, "Customer Success")),
        stakeholders=stakeholders(),
        relationships=RelationshipSummary(
            key_count=2, key_direct_count=1, coverage=0.5, champions=("003A",),
            detractors=("003B",), is_single_threaded=False,
            stale_key_stakeholders=("003B",), quality=58.0,
        ),
        holdings=(
            Holding("02i1", "Service Desk", "Software", "Support", "EMEA", "Ticketing",
                    "Installed", True, Decimal(150000)),
            Holding("02i2", "Analytics", "Software", "Finance", "EMEA", "Reporting",
                    "Installed", True, Decimal(100000)),
        ),
        opportunities=(
            Opportunity("006A", "Acme - Analytics add-on", "Closed Won", date(2026, 8, 30),
                        "Expansion", True, True, "Analytics", amount=Decimal(120000),
                        is_expansion=True),
            Opportunity("006B", "SECRET lost deal", "Closed Lost", date(2026, 9, 15),
                        "New Business", True, False, amount=Decimal(80000)),
            Opportunity("006C", "Acme - Renewal 2027", "Negotiation", date(2027, 4, 1),
                        "Renewal", amount=Decimal(260000), probability=0.6, is_renewal=True),
        ),
        whitespace=WhitespaceSummary(
            cells=(cell,), candidates=(cell,), total_current=Decimal(100000),
            total_potential=Decimal(500000), total_whitespace=Decimal(400000),
        ),
        actions=actions(),
        action_summary=ActionSummary(open=3, done=4, overdue=2, due_soon=0,
                                     by_owner=(("Sam Lee", 2, 2), ("Ana Cruz", 1, 0))),
        cadence=Cadence(last_qbr=date(2026, 9, 10), next_qbr_due=date(2026, 12, 10),
                        qbrs_held_12m=3, qbrs_planned_12m=4),
        contracts=(Contract("800A", date(2024, 5, 16), date(2027, 5, 15), "Activated"),),
        renewal=Renewal(date(2027, 5, 15), "contract", date(2026, 8, 15), date(2026, 11, 15),
                        RenewalStatus.LATE, None, None, None, 1.0, None,
                        "Acme Corp - Renewal 2027-05", date(2027, 4, 15)),
        goals=(
            Goal("a01", "Cut cost per ticket by 10%", None, date(2026, 12, 31), "In Progress",
                 "Dana Ruiz", True),
            Goal("a02", "SECRET expand to APAC", None, date(2027, 6, 30), "Open", "Sam Lee",
                 False),
            Goal("a03", "Launch the self-service portal", None, date(2026, 6, 30), "Done",
                 "Omar Haddad", True),
        ),
        risks=(
            Risk("a11", "SECRET budget freeze at the CFO", "High", "Medium",
                 "Offer a phased renewal", "Pat Kim", "Open", False),
            Risk("a12", "Migration delay in APAC", "Medium", "Low", "Weekly checkpoint",
                 "Ana Cruz", "Open", True),
        ),
        kpis=kpis(),
        health=Health(RagStatus.AMBER, ("2 actions overdue",
                                        "renewal past the window, no renewal opportunity")),
        changes=Changes(date(2026, 8, 20), (Change("kpi", "Cost per ticket still above target"),
                                            Change("stakeholder", "Omar Haddad joined as VP"))),
    )


def minimal_account() -> Account:
    """Only an Account row (Id, Name)."""
    return Account(id="001A000000000002AA", name="Bare Minimum Ltd", as_of=AS_OF,
                   missing_data=("Contact", "Opportunity", "Task", "KPI_Measurement__c"))
