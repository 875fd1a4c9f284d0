"""Hand-built accounts for the EBR tests (no tests here): every number is chosen so that the
expected sentences and chart values can be worked out by hand. Internal-only values carry
the marker ``SECRET`` so the customer deck can be searched for them.

The review period is the 12 months ending at as_of 23 Nov 2026 (24 Nov 2025 - 23 Nov 2026),
fiscal years = calendar years, so the period is labelled "2026".

- ARR bridge: 200,000 + 50,000 expansion + 30,000 new products - 10,000 contraction
  - 20,000 churn = 250,000 (up 25 %).
- KPIs in the period: "Adoption" (%) 64, 68, 71, 74 vs 70, after 60 in Sep 2025 -> on target,
  +14 pts, moved 14/70 = 0.2 of its target; "Cost per ticket" (USD, lower is better) 15 then
  13 vs 12 -> below target, moved 2/12; "NPS" 40 then 45, no target; "Old KPI" only 2024.
  -> 1 of 2 KPIs with a target on target; Adoption improved most (60% to 74%).
- SLAs, quarterly: "Uptime" (%) 99.95, 99.2, 99.95, 99.93 vs 99.9 -> met in 3 of 4 periods
  (missed); "First response" (h, lower is better) 3.5, 3.9, 3.2, 3.0 vs 4 -> met in 4 of 4.
  -> 1 of 2 SLAs met all year.
- Goals: due in the period and customer-visible: "Launch self-service BI" (Achieved) and
  "Give field teams mobile KPIs" (Missed) -> 1 of 2 achieved; next year: "Reach 80% adoption"
  (At Risk, 31 Mar 2027) and "Bring finance data onto the platform" (On Track, 30 Sep 2027);
  one internal goal (SECRET).
- Shared actions due in the period: 4 (3 done, 2 of them on time; 1 open, 22 days past due).
- Meetings: QBRs on 10 Feb, 12 May, 20 Aug 2026 (3 of 4 planned), one QBR in Oct 2025 (before
  the period), an EBR on 5 Dec 2025.
- Renewal on 31 Mar 2027 (inside the year ahead), internally "in window, no renewal
  opportunity yet".
"""

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
    ArrBridge,
    Cadence,
    Goal,
    Health,
    Holding,
    Kpi,
    KpiMeasurement,
    Meeting,
    Opportunity,
    Person,
    RagStatus,
    RelationshipSummary,
    Renewal,
    RenewalStatus,
    Revenue,
    Risk,
    Stakeholder,
    TeamMember,
    Tiering,
    WhitespaceCell,
    WhitespaceSummary,
)

AS_OF = date(2026, 11, 23)
COMPANY = "Northwind Analytics"
CUSTOMER = "Acme Corp"
PAT = Person("005P", "Pat Kim", "VP Customer Success", "pat.kim@example.com")
SAM = Person("005S", "Sam Lee", "Key Account Manager", "sam.lee@example.com")

#: Internal-only texts planted below: none may appear anywhere in the customer deck.
SECRETS = (
    "SECRET budget freeze at the CFO",
    "SECRET walk-away price",
    "SECRET price protection",
    "SECRET chase the CFO",
    "SECRET pricing review",
    "Detractor",
    "via Dana Ruiz",
    "$350K",
    "350,000",
)


def _m(y: int, mo: int, d: int, actual: float | None, target: float | None) -> KpiMeasurement:
    return KpiMeasurement(date(y, mo, d), actual, target)


def kpis() -> tuple[Kpi, ...]:
    return (
        Kpi("Adoption", "KPI", "%", True,
            (_m(2025, 9, 30, 60.0, 70.0), _m(2025, 12, 31, 64.0, 70.0),
             _m(2026, 3, 31, 68.0, 70.0), _m(2026, 6, 30, 71.0, 70.0),
             _m(2026, 9, 30, 74.0, 70.0))),
        Kpi("Cost per ticket", "KPI", "USD", False,
            (_m(2025, 12, 31, 15.0, 12.0), _m(2026, 9, 30, 13.0, 12.0))),
        Kpi("NPS", "KPI", None, True, (_m(2026, 6, 30, 40.0, None), _m(2026, 9, 30, 45.0, None))),
        Kpi("Old KPI", "KPI", None, True, (_m(2024, 9, 30, 5.0, 4.0),)),
        Kpi("First response", "SLA", "h", False,
            (_m(2025, 12, 31, 3.5, 4.0), _m(2026, 3, 31, 3.9, 4.0), _m(2026, 6, 30, 3.2, 4.0),
             _m(2026, 9, 30, 3.0, 4.0))),
        Kpi("Uptime", "SLA", "%", True,
            (_m(2025, 12, 31, 99.95, 99.9), _m(2026, 3, 31, 99.2, 99.9),
             _m(2026, 6, 30, 99.95, 99.9), _m(2026, 9, 30, 99.93, 99.9))),
    )


def goals() -> tuple[Goal, ...]:
    return (
        Goal("G1", "Launch self-service BI", None, date(2026, 6, 14), "Achieved",
             "Dana Ruiz (Acme Corp)", True),
        Goal("G2", "Give field teams mobile KPIs", None, date(2026, 7, 18), "Missed",
             "Lin Wu (Acme Corp)", True),
        Goal("G3", "Reach 80% adoption", None, date(2027, 3, 31), "At Risk",
             "Dana Ruiz (Acme Corp)", True),
        Goal("G4", "SECRET price protection", None, date(2026, 4, 1), "Achieved", "Sam Lee",
             False),
        Goal("G5", "Bring finance data onto the platform", None, date(2027, 9, 30), "On Track",
             "Omar Haddad (Acme Corp)", True),
    )


def actions() -> tuple[Action, ...]:
    def act(ident: str, subject: str, status: ActionStatus, due: date, *, visible: bool = True,
            completed: date | None = None, overdue: int = 0) -> Action:
        return Action(ident, subject, status, "Completed" if status is ActionStatus.DONE
                      else "Not Started", due, SAM, "High", None, None, None, overdue > 0,
                      overdue, False, visible, completed=completed)

    return (
        act("T1", "Sign off the API change", ActionStatus.OPEN, date(2026, 11, 1), overdue=22),
        act("T2", "SECRET chase the CFO", ActionStatus.OPEN, date(2026, 11, 10), visible=False,
            overdue=13),
        act("T3", "Roll out SSO", ActionStatus.DONE, date(2026, 8, 31),
            completed=date(2026, 8, 14)),
        act("T4", "Data quality review", ActionStatus.DONE, date(2026, 9, 20),
            completed=date(2026, 9, 20)),
        act("T5", "Kick-off workshop", ActionStatus.DONE, date(2026, 5, 2),
            completed=date(2026, 5, 9)),
        act("T6", "SECRET pricing review", ActionStatus.DONE, date(2026, 9, 1), visible=False,
            completed=date(2026, 9, 1)),
    )


def stakeholders() -> tuple[Stakeholder, ...]:
    direct = AccessPath("direct", SAM, "Key Account Manager",
                        description="direct (Sam Lee, Key Account Manager)")
    via = AccessPath("indirect", PAT, "Executive Sponsor", "003D", "Dana Ruiz", "CIO",
                     "via Dana Ruiz (CIO), owner Pat Kim")
    none = AccessPath("none")
    return (
        Stakeholder("003D", "Dana Ruiz", "Dana", "Ruiz", "CIO", "IT", None, None, 0, True,
                    "Decision Maker", 5, "Champion", "High", True, direct, date(2026, 11, 2),
                    False),
        Stakeholder("003O", "Omar Haddad", "Omar", "Haddad", "CFO", "Finance", None, None, 0,
                    True, "Economic Buyer", 5, "Detractor", "Low", True, none,
                    date(2026, 6, 1), True),
        Stakeholder("003L", "Lin Wu", "Lin", "Wu", "VP Operations", "Operations", None, "003D",
                    1, True, "Influencer", 4, "Neutral", "Medium", True, via, None, False),
        Stakeholder("003A", "Ann Bo", "Ann", "Bo", "Analyst", "Finance", None, "003O", 1, False,
                    "User", 2, "Supporter", "Medium", False, direct, date(2026, 10, 1), False),
    )


def rich_account() -> Account:
    bridge = ArrBridge(2026, Decimal(200000), Decimal(50000), Decimal(30000),
                       Decimal(10000), Decimal(20000), Decimal(250000),
                       date(2025, 11, 23), date(2026, 11, 23))
    cell = WhitespaceCell("Analytics Suite", "Finance", "EMEA", None, Decimal(100000),
                          Decimal(450000), Decimal(350000), False, None,
                          Decimal(350000), 3.5, True, False)
    return Account(
        id="001ACME",
        name=CUSTOMER,
        as_of=AS_OF,
        industry="Manufacturing",
        owner=SAM,
        team=(TeamMember(SAM, "Key Account Manager"), TeamMember(PAT, "Executive Sponsor")),
        stakeholders=stakeholders(),
        relationships=RelationshipSummary(3, 1, 1 / 3, ("003D",), ("003O",), False, ("003O",),
                                          4, 2, 61.0, ("coverage: 1 of 3 key stakeholders",)),
        holdings=(Holding("H1", "Data Hub", annual_value=Decimal(250000)),),
        opportunities=(Opportunity("O1", "SECRET lost deal", "Closed Lost", date(2026, 3, 1),
                                   type="Upsell", amount=Decimal(90000)),),
        revenue=Revenue(Decimal(250000), "assets", Decimal(200000), 0.25,
                        Decimal(80000), (), Decimal(120000), (), bridge, 0.31),
        whitespace=WhitespaceSummary((cell,), (cell,), Decimal(100000), Decimal(450000),
                                     Decimal(350000)),
        actions=actions(),
        action_summary=ActionSummary(open=2, done=4, overdue=2),
        meetings=(
            Meeting("E0", date(2025, 10, 1), "QBR", "QBR Q3 2025"),
            Meeting("E1", date(2025, 12, 5), "EBR", "Executive review 2025"),
            Meeting("E2", date(2026, 2, 10), "QBR", "QBR Q4 2025"),
            Meeting("E3", date(2026, 5, 12), "QBR", "QBR Q1 2026"),
            Meeting("E4", date(2026, 8, 20), "QBR", "QBR Q2 2026", "SECRET walk-away price"),
        ),
        cadence=Cadence(date(2026, 8, 20), date(2026, 11, 20), True, date(2025, 12, 5),
                        date(2026, 12, 5), False, 3, 4, None, None, 1),
        renewal=Renewal(date(2027, 3, 31), "account", date(2026, 6, 30), date(2026, 9, 30),
                        RenewalStatus.MISSING, retention_target=1.0,
                        proposed_name="Acme Corp - Renewal 2027-03",
                        proposed_amount=Decimal(250000)),
        goals=goals(),
        risks=(
            Risk("R1", "SECRET budget freeze at the CFO", "High", "High", "Meet the CFO",
                 "Pat Kim", "Open", False),
            Risk("R2", "Data migration timeline", "Medium", "Medium", "Weekly joint status",
                 "Sam Lee", "Open", True),
        ),
        kpis=kpis(),
        tiering=Tiering(1, 2, True, 0.7),
        health=Health(RagStatus.AMBER, ("renewal in window, no renewal opportunity yet",)),
    )


def minimal_account() -> Account:
    """Only an Account row: every object absent."""
    return Account(id="001SOLO", name="Solo Minimal Industries", as_of=AS_OF,
                   missing_data=("Contact", "Task", "Event", "Asset", "Account_Goal__c",
                                 "KPI_Measurement__c", "Whitespace_Potential__c"),
                   cadence=Cadence(qbrs_planned_12m=4))


def without_kpis(account: Account) -> Account:
    return dataclasses.replace(account, kpis=(),
                               missing_data=account.missing_data + ("KPI_Measurement__c",))
