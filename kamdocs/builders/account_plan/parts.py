"""What the section planners share: row limits, what fills an empty section, the appendix."""

from __future__ import annotations

from kamdocs.builders.account_plan.blocks import Block, Grid, Section, Text
from kamdocs.builders.account_plan.words import Words
from kamdocs.model import Account, Audience

#: Columns per chart: DESIGN.md allows 12 labelled points, but on a portrait page more than
#: 8 columns slant their names until the plot is unreadable.
CHART_POINTS = 8
#: Category names longer than this (characters) halve the columns of a chart.
LONG_CHART_NAME = 45

# Rows shown inside a section before the list moves to the appendix (with a count).
LIMITS = {
    "actions": 25,
    "stakeholders": 25,
    "holdings": 20,
    "kpis": 20,
    "goals": 20,
    "risks": 15,
    "opportunities": 15,
    "whitespace_cells": 0,  # cells always go to the appendix; the section shows the heat-table
    "changes": 30,
    # Contacts drawn in the relationships section; a larger map goes to the appendix.
    "map": 30,
}

# What fills an empty section, named the way the user's export names it.
FILLED_BY = {
    "holdings": "Asset records (product, Business_Unit__c, Region__c, Annual_Value__c)",
    "revenue": "closed-won Opportunity records (Amount, CloseDate)",
    "pipeline": "open Opportunity records (StageName, Amount)",
    "kpis": "KPI_Measurement__c records (Actual__c, Target__c)",
    "goals": "Account_Goal__c records",
    "objectives": "Account_Plan__c.Customer_Objectives__c",
    "stakeholders": "Contact records (Title, ReportsToId, Influence__c, Stance__c)",
    "team": "AccountTeamMember records (UserId, TeamMemberRole)",
    "whitespace": "Whitespace_Potential__c records (Product__c, Business_Unit__c, Potential__c)",
    "risks": "Account_Risk__c records",
    "actions": "Task records on the account (Subject, ActivityDate, OwnerId, Status)",
    "renewal": "Account.Renewal_Date__c or a Contract with an EndDate",
    "opportunities": "open Opportunity records",
    "scorecard": "the derived review (needs revenue, KPIs, actions and contacts)",
    "narrative": "Account_Plan__c.Executive_Summary__c",
}

#: The same gaps as the joint plan tells the customer: in their words, not our export's.
NOT_RECORDED = {
    "holdings": "the products you use, by business unit and region",
    "revenue": "your investment by quarter",
    "kpis": "the KPIs and SLAs we measure together",
    "goals": "our joint goals and their target dates",
    "objectives": "your objectives for this plan",
    "team": "the account team working with you",
    "actions": "our joint actions",
    "renewal": "the renewal date of your agreement",
}


class PlanParts:
    """What every section needs: the account, its words, and the appendix being filled."""

    def __init__(self, account: Account, words: Words) -> None:
        self.account = account
        self.w = words
        self.is_internal = account.audience is Audience.INTERNAL
        self.appendix: list[Section] = []

    def _missing(self, what: str) -> Text:
        if not self.is_internal and what in NOT_RECORDED:
            # The customer needs no lesson in our CRM's object and field names.
            return Text(self.w.snippet("plan_missing_joint", what=NOT_RECORDED[what]), "missing")
        return Text(self.w.snippet("plan_missing", source=FILLED_BY[what]), "missing")

    def _to_appendix(self, title: str, grid: Grid, shown: int, noun: str) -> tuple[Grid, Text]:
        """Keep the first ``shown`` rows here, the complete list in a new appendix section."""
        letter = chr(ord("A") + len(self.appendix))
        total = len(grid.rows)
        full = Grid(grid.columns, grid.rows, f"All {total} {noun}", grid.emphasis, grid.has_total)
        self.appendix.append(Section(title[:1].upper() + title[1:], (full,)))
        emphasis = tuple(i for i in grid.emphasis if i < shown)
        head = Grid(grid.columns, grid.rows[:shown], grid.caption, emphasis)
        pointer = f"{shown} of {total} {noun} shown; all {total} in appendix {letter}."
        return head, Text(pointer, "note")

    def _limited(self, title: str, grid: Grid, limit: int, noun: str) -> tuple[Block, ...]:
        if len(grid.rows) <= limit:
            return (grid,)
        if limit == 0:
            letter = chr(ord("A") + len(self.appendix))
            self.appendix.append(Section(title[:1].upper() + title[1:], (grid,)))
            return (Text(f"All {len(grid.rows)} {noun} are listed in appendix {letter}.", "note"),)
        return self._to_appendix(title, grid, limit, noun)

