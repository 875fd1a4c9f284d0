"""The KAM analytics: pure functions from the loaded tables to derived frames.

:func:`derive` runs every derivation in dependency order and returns :class:`Derived`,
a bundle of frames keyed by account id that :mod:`kamdocs.data.assemble` turns into the
frozen model. No I/O, no clock: ``as_of`` is passed in. Each derivation lives in its own
module with its definitions in the docstring (and in docs/analytics.md):

    revenue.py        holdings, opportunities, current/prior revenue, quarters, ARR bridge
    whitespace.py     cells, pipeline, uncovered, score, candidates, totals
    tiers.py          score, rank, proposed tier, reason
    relationships.py  org chart, key stakeholders, access paths, coverage, quality
    actions.py        open/done/overdue, data gaps, per owner, on-time rate
    renewals.py       renewal date, window status, retention, proposed opportunity
    cadence.py        QBR/EBR held and due
    kpis.py           latest vs target, attainment, change, SLA share met
    scorecard.py      review scorecard, roster recommendation, health (on the model)
    changes.py        changes since a previous review (on the model)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from kamdocs.config import Settings
from kamdocs.data import schemas as s
from kamdocs.data.derive import (
    actions,
    cadence,
    kpis,
    relationships,
    renewals,
    revenue,
    tiers,
    whitespace,
)
from kamdocs.data.derive.frames import ACCOUNT, absent_fields, complete, member, person_names

#: Fields whose absence a document should mention ("no stance data was provided").
USED_FIELDS = (
    (s.ACCOUNT, s.ACCOUNT_TIER), (s.ACCOUNT, s.STRATEGIC_VALUE), (s.ACCOUNT, s.RENEWAL_DATE),
    (s.CONTACT, s.REPORTS_TO_ID), (s.CONTACT, s.INFLUENCE), (s.CONTACT, s.ACCESS_OWNER),
    (s.CONTACT, s.STANCE), (s.CONTACT, s.BUYING_ROLE), (s.OPPORTUNITY, s.AMOUNT),
    (s.TASK, s.ACTIVITY_DATE), (s.TASK, s.SUCCESS_MEASURE), (s.TASK, s.ESCALATION_PATH),
    (s.ASSET, s.ANNUAL_VALUE), (s.ASSET, s.INSTALL_DATE), (s.ASSET, s.USAGE_END_DATE),
    (s.KPI_MEASUREMENT, s.TARGET), (s.KPI_MEASUREMENT, s.ACTUAL),
)
WHITESPACE_DIMENSIONS = whitespace.DIMENSIONS


@dataclass(frozen=True)
class Derived:
    """Every derived frame. Per-account frames are indexed by account id; record frames
    carry an ``account`` column and are sorted in the order the model documents."""

    as_of: date
    accounts: pd.DataFrame
    users: pd.DataFrame
    team: pd.DataFrame
    #: The Contact rows (for the fields assembled as they are: names, email, department).
    contacts: pd.DataFrame
    stakeholders: pd.DataFrame
    relationships: pd.DataFrame
    holdings: pd.DataFrame
    opportunities: pd.DataFrame
    line_items: pd.DataFrame
    revenue: pd.DataFrame
    quarters: pd.DataFrame
    stages: pd.DataFrame
    cells: pd.DataFrame
    whitespace_totals: pd.DataFrame
    whitespace_by: Mapping[str, pd.DataFrame]
    tiers: pd.DataFrame
    actions: pd.DataFrame
    action_summary: pd.DataFrame
    owners: pd.DataFrame
    meetings: pd.DataFrame
    cadence: pd.DataFrame
    contracts: pd.DataFrame
    renewals: pd.DataFrame
    goals: pd.DataFrame
    risks: pd.DataFrame
    kpis: pd.DataFrame
    kpi_history: pd.DataFrame
    kpi_summary: pd.DataFrame
    plans: pd.DataFrame
    #: Absent objects, then "Object.Field" for absent fields (see USED_FIELDS).
    missing_data: tuple[str, ...]
    #: Extra kept columns per object (config ``columns.keep``), by object name.
    extra_columns: Mapping[str, tuple[str, ...]]
    #: Things skipped while deriving, as warning text ("3 Events without a date ...").
    notes: tuple[str, ...]


def derive(tables: Mapping[str, pd.DataFrame], settings: Settings, as_of: date) -> Derived:
    """All derivations over the loaded tables (canonical columns, see schemas.py)."""
    missing = absent_fields(tables, USED_FIELDS)
    extra = {
        name: tuple(c for c in tables[name].columns if _is_extra(name, c))
        for name in (s.ACCOUNT, s.CONTACT) if name in tables
    }
    full = _own_rows(complete(tables))
    account_rows = full[s.ACCOUNT].sort_values(s.ID, kind="stable").reset_index(drop=True)
    ids = pd.Index(account_rows[s.ID], name=ACCOUNT)
    user_names = person_names(full[s.USER])
    owner_of = pd.Series(account_rows[s.OWNER_ID].to_numpy(), index=ids)

    holdings = revenue.prepare_assets(full[s.ASSET], full[s.PRODUCT2], as_of)
    opportunities = revenue.prepare_opportunities(full[s.OPPORTUNITY], settings)
    line_items = revenue.prepare_line_items(full[s.OPPORTUNITY_LINE_ITEM], full[s.PRODUCT2])
    money = revenue.derive_revenue(
        ids, holdings, opportunities, as_of, has_opportunities=s.OPPORTUNITY in tables
    )
    quarters = revenue.won_by_quarter(
        ids, opportunities, as_of, settings.locale.fiscal_year_start_month
    )
    stages = revenue.pipeline_by_stage(opportunities)

    cells = whitespace.derive_whitespace(
        full[s.WHITESPACE_POTENTIAL], holdings, opportunities, line_items, settings
    )
    totals = whitespace.whitespace_totals(cells).reindex(ids)
    by_dimension = {d: whitespace.whitespace_by(cells, d) for d in whitespace.DIMENSIONS}

    current_tier = tiers.parse_tier(account_rows[s.ACCOUNT_TIER])
    current_tier.index = ids
    strategic = pd.Series(account_rows[s.STRATEGIC_VALUE].to_numpy(), index=ids)
    tiering = tiers.derive_tiers(
        ids,
        revenue_cents=money["current_cents"],
        strategic=strategic,
        whitespace_cents=totals["total_whitespace_cents"],
        current_tier=current_tier,
        settings=settings,
    )

    contacts_seen = relationships.last_contacts(full[s.TASK], full[s.EVENT], as_of)
    stakeholders = relationships.derive_stakeholders(
        full[s.CONTACT], full[s.ACCOUNT_CONTACT_RELATION],
        _contact_roles(full[s.OPPORTUNITY_CONTACT_ROLE]), full[s.ACCOUNT_TEAM_MEMBER],
        owner_of, user_names, contacts_seen, settings, as_of,
    )
    relationship_summary = relationships.relationship_summary(stakeholders, settings)

    action_rows = actions.derive_actions(full[s.TASK], user_names, as_of)
    meetings = cadence.classify_meetings(full[s.EVENT], settings)
    cadence_tier = current_tier.where(current_tier.notna(), tiering["proposed_tier"])
    history = kpis.kpi_history(full[s.KPI_MEASUREMENT], as_of)
    kpi_rows = kpis.derive_kpis(history)

    notes = []
    undated = len(full[s.EVENT]) - len(meetings)
    if undated:
        notes.append(f"Event: {undated} event(s) without ActivityDate or StartDateTime "
                     "are not counted as meetings")
    return Derived(
        as_of=as_of,
        accounts=account_rows.set_index(ids),
        users=full[s.USER].drop_duplicates(s.ID).set_index(s.ID),
        team=full[s.ACCOUNT_TEAM_MEMBER],
        contacts=full[s.CONTACT],
        stakeholders=stakeholders,
        relationships=relationship_summary,
        holdings=holdings,
        opportunities=opportunities,
        line_items=line_items,
        revenue=money,
        quarters=quarters,
        stages=stages,
        cells=cells,
        whitespace_totals=totals,
        whitespace_by=by_dimension,
        tiers=tiering,
        actions=action_rows,
        action_summary=actions.action_summary(action_rows, as_of),
        owners=actions.actions_by_owner(action_rows),
        meetings=meetings,
        cadence=cadence.derive_cadence(ids, meetings, cadence_tier, settings, as_of,
                                       has_events=s.EVENT in tables),
        contracts=full[s.CONTRACT],
        renewals=renewals.derive_renewals(
            full[s.ACCOUNT], full[s.CONTRACT], opportunities, money["current_cents"], settings,
            as_of,
        ),
        goals=full[s.ACCOUNT_GOAL],
        risks=full[s.ACCOUNT_RISK],
        kpis=kpi_rows,
        kpi_history=history,
        kpi_summary=kpis.kpi_summary(kpi_rows),
        plans=full[s.ACCOUNT_PLAN],
        missing_data=missing,
        extra_columns=extra,
        notes=tuple(notes),
    )


def _is_extra(table: str, column: str) -> bool:
    known = {c.name for c in s.TABLES[table].columns}
    return column not in known and column not in (s.ROW, s.FILE)


def _own_rows(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Keep only rows of accounts in the Account table: a document never shows a row whose
    account was rejected or is unknown (the loader reports those)."""
    known = set(tables[s.ACCOUNT][s.ID].dropna())
    for name, table in s.TABLES.items():
        if table.account_column and name in tables:
            frame = tables[name]
            tables[name] = frame[member(frame[table.account_column], known)].reset_index(drop=True)
    opportunities = set(tables[s.OPPORTUNITY][s.ID].dropna())
    for name in s.VIA_OPPORTUNITY:
        frame = tables[name]
        tables[name] = frame[member(frame[s.OPPORTUNITY_ID], opportunities)].reset_index(drop=True)
    return tables


def _contact_roles(contact_roles: pd.DataFrame) -> pd.DataFrame:
    return contact_roles[[s.CONTACT_ID, s.ROLE]]
