"""Derived frames -> the frozen model: accounts sorted by id, every collection a tuple in
the order model.py documents, money as ``Decimal`` cents, a missing number ``None``.

This is the last module that sees pandas. Columns are turned into Python lists once
(:func:`_col`) and objects are built with ``zip``: no per-cell ``pd.isna`` and no
``iterrows`` on the hot path.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from kamdocs.config import Settings
from kamdocs.data import schemas as s
from kamdocs.data.derive import Derived, scorecard
from kamdocs.data.derive.actions import GAPS
from kamdocs.data.derive.changes import derive_changes
from kamdocs.data.derive.frames import ACCOUNT, text_key
from kamdocs.formatting import quarter_bounds
from kamdocs.model import (
    AccessPath,
    Account,
    Action,
    ActionStatus,
    ActionSummary,
    ArrBridge,
    Cadence,
    Contract,
    Goal,
    Holding,
    Kpi,
    KpiMeasurement,
    KpiSummary,
    Meeting,
    Opportunity,
    Person,
    PlanText,
    Portfolio,
    QuarterValue,
    RejectedAccount,
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

T = TypeVar("T")
CENT = Decimal("0.01")

#: Team roles in the order the account team is listed (matched as words, case-insensitive).
ROLE_ORDER = (
    ("key account", "account manager", "account executive", "account director", "kam"),
    ("executive sponsor", "sponsor"),
    ("sales engineer", "solution engineer", "solutions engineer", "pre-sales", "presales"),
    ("customer success",),
)
_LEVEL_ORDER = {level.casefold(): i for i, level in enumerate(s.LEVELS)}


# --------------------------------------------------------------------------- conversion


def _col(frame: pd.DataFrame, name: str, kind: str = "text") -> list[Any]:
    """One column as Python values, missing -> None."""
    series = frame[name]
    missing = series.isna().to_numpy()
    if kind == "text":
        values = series.astype("object").to_numpy().copy()
        values[missing] = None
        return [v if v is None else str(v) for v in values]
    if kind == "date":
        return _by_value(series, lambda v: pd.Timestamp(v).date())
    if kind == "money":
        return _by_value(series, lambda v: Decimal(int(v)).scaleb(-2))
    if kind == "int":
        return [None if m else int(v) for v, m in zip(
            series.astype("float64").fillna(0).to_numpy(), missing, strict=True)]
    if kind == "float":
        return [None if m else float(v) for v, m in zip(
            series.astype("float64").fillna(0).to_numpy(), missing, strict=True)]
    if kind == "bool":
        return [None if m else bool(v) for v, m in zip(
            series.astype("object").to_numpy(), missing, strict=True)]
    raise ValueError(kind)


def _by_value(series: pd.Series, convert: Any) -> list[Any]:
    # Dates and amounts repeat (quarter ends, zero quarters): convert each distinct value once.
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    converted = [convert(u) for u in uniques] + [None]  # code -1 (missing) -> the last
    return [converted[c] for c in codes.tolist()]


def _money(cents: object) -> Decimal | None:
    if cents is None or pd.isna(cents):
        return None
    return Decimal(int(cents)).scaleb(-2)


def _opt(value: object, kind: type = str) -> Any:
    if value is None or (not isinstance(value, tuple | list) and pd.isna(value)):
        return None
    if kind is date:
        return pd.Timestamp(value).date()
    return kind(value)


def _group(accounts: Iterable[Any], objects: Iterable[T]) -> dict[Any, tuple[T, ...]]:
    """Objects (already in model order) grouped by account, order kept within each."""
    keys = list(accounts)
    if not keys:
        return {}
    pool = np.empty(len(keys), dtype=object)
    # Item by item: a slice assignment would unpack objects that are tuples themselves.
    for position, obj in enumerate(objects):
        pool[position] = obj
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object))
    order = np.argsort(codes, kind="stable")
    bounds = np.cumsum(np.bincount(codes))[:-1]
    chunks = np.split(pool[order], bounds)
    return {key: tuple(chunk.tolist()) for key, chunk in zip(uniques.tolist(), chunks,
                                                              strict=True)}


def _records(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """A per-account frame (indexed by account id) as {id: {column: value}}."""
    names = list(frame.columns)
    columns = [frame[name].tolist() for name in names]
    return {key: dict(zip(names, values, strict=True))
            for key, *values in zip(frame.index.tolist(), *columns, strict=True)}


# --------------------------------------------------------------------------- records


def _people(derived: Derived) -> dict[str, Person]:
    users = derived.users.reset_index()
    return {
        uid: Person(id=uid, name=name or uid, title=title, email=email)
        for uid, name, title, email in zip(
            _col(users, s.ID), _col(users, s.NAME), _col(users, s.TITLE), _col(users, s.EMAIL),
            strict=True,
        )
    }


def _person(people: dict[str, Person], user_id: str | None) -> Person | None:
    if user_id is None:
        return None
    person = people.get(user_id)
    if person is None:
        # A user outside the export (inactive, or another org): show the id, never drop it.
        person = people[user_id] = Person(id=user_id, name=user_id)
    return person


def _role_rank(role: str) -> int:
    lowered = role.casefold()
    for rank, words in enumerate(ROLE_ORDER):
        if any(w in lowered for w in words):
            return rank
    return len(ROLE_ORDER)


def _team(derived: Derived, people: dict[str, Person]) -> dict[str, tuple[TeamMember, ...]]:
    team = derived.team
    members: dict[str, list[TeamMember]] = {}
    for account, user_id, role in zip(
        _col(team, s.ACCOUNT_ID), _col(team, s.USER_ID), _col(team, s.TEAM_MEMBER_ROLE),
        strict=True,
    ):
        person = _person(people, user_id)
        if person is not None:
            members.setdefault(account, []).append(TeamMember(user=person, role=role or ""))
    return {
        account: tuple(sorted(
            dict.fromkeys(found),
            key=lambda m: (_role_rank(m.role), m.user.name.casefold(), m.user.id, m.role),
        ))
        for account, found in members.items()
    }


def _stakeholders(
    derived: Derived, people: dict[str, Person]
) -> dict[str, tuple[Stakeholder, ...]]:
    frame = derived.stakeholders
    contacts = derived.contacts
    extra_names = derived.extra_columns.get(s.CONTACT, ())
    extras = _extras(contacts, extra_names)
    raw = contacts.set_index(s.ID)
    first = raw[s.FIRST_NAME].reindex(frame["id"])
    last = raw[s.LAST_NAME].reindex(frame["id"])
    frame = frame.assign(
        first_name=first.to_numpy(), last_name=last.to_numpy(),
        department=raw[s.DEPARTMENT].reindex(frame["id"]).to_numpy(),
        email=raw[s.EMAIL].reindex(frame["id"]).to_numpy(),
        engagement=raw[s.ENGAGEMENT].reindex(frame["id"]).to_numpy(),
    )
    paths = [
        AccessPath(
            kind=kind,
            owner=_person(people, owner_id),
            owner_role=role,
            via_contact_id=via_id,
            via_name=via_name,
            via_title=via_title,
            description=text,
        )
        for kind, owner_id, role, via_id, via_name, via_title, text in zip(
            _col(frame, "access"), _col(frame, "owner_id"), _col(frame, "owner_role"),
            _col(frame, "via_contact_id"), _col(frame, "via_name"), _col(frame, "via_title"),
            _col(frame, "access_description"), strict=True,
        )
    ]
    objects = [
        Stakeholder(
            id=cid, name=name, first_name=first_name, last_name=last_name or "", title=title,
            department=department, email=email, reports_to_id=reports_to, depth=depth,
            is_executive=executive, buying_role=role, influence=influence, stance=stance,
            engagement=engagement, is_key=key, access=path, last_contact=seen,
            is_stale=stale, extra=extras.get(cid, ()),
        )
        for (cid, name, first_name, last_name, title, department, email, reports_to, depth,
             executive, role, influence, stance, engagement, key, path, seen, stale) in zip(
            _col(frame, "id"), _col(frame, "name"), _col(frame, "first_name"),
            _col(frame, "last_name"), _col(frame, "title"), _col(frame, "department"),
            _col(frame, "email"), _col(frame, "reports_to_id"), _col(frame, "depth", "int"),
            _col(frame, "is_executive", "bool"), _col(frame, "buying_role"),
            _col(frame, "influence", "int"), _col(frame, "stance"), _col(frame, "engagement"),
            _col(frame, "is_key", "bool"), paths, _col(frame, "last_contact", "date"),
            _col(frame, "is_stale", "bool"), strict=True,
        )
    ]
    return _group(frame[ACCOUNT].tolist(), objects)


def _extras(frame: pd.DataFrame, names: tuple[str, ...]) -> dict[str, tuple[tuple[str, str], ...]]:
    if not names or not len(frame):
        return {}
    columns = {name: _col(frame, name) for name in names}
    out = {}
    for position, record_id in enumerate(_col(frame, s.ID)):
        pairs = tuple(
            (name, columns[name][position]) for name in names
            if columns[name][position] not in (None, "")
        )
        if pairs:
            out[record_id] = pairs
    return out


def _holdings(derived: Derived) -> dict[str, tuple[Holding, ...]]:
    frame = derived.holdings.assign(
        _p=lambda f: text_key(f["product"]), _b=lambda f: text_key(f["business_unit"]),
        _r=lambda f: text_key(f["region"]),
    ).sort_values([ACCOUNT, "_p", "_b", "_r", "id"], kind="stable")
    objects = [
        Holding(id=hid, product=product, family=family, business_unit=bu, region=region,
                use_case=use_case, status=status, is_active=active, annual_value=value,
                start=start, end=end)
        for hid, product, family, bu, region, use_case, status, active, value, start, end in zip(
            _col(frame, "id"), _col(frame, "product"), _col(frame, "family"),
            _col(frame, "business_unit"), _col(frame, "region"), _col(frame, "use_case"),
            _col(frame, "status"), _col(frame, "is_active", "bool"),
            _col(frame, "annual_cents", "money"), _col(frame, "start", "date"),
            _col(frame, "end", "date"), strict=True,
        )
    ]
    return _group(frame[ACCOUNT].tolist(), objects)


def _opportunities(
    derived: Derived, people: dict[str, Person]
) -> dict[str, tuple[Opportunity, ...]]:
    frame = derived.opportunities.sort_values([ACCOUNT, "close_date", "id"], kind="stable")
    lines = derived.line_items.dropna(subset=["product"])
    products: dict[str, set[str]] = {}
    for opp_id, product in zip(_col(lines, "opportunity_id"), _col(lines, "product"), strict=True):
        products.setdefault(opp_id, set()).add(product)
    objects = [
        Opportunity(
            id=oid, name=name or oid, stage=stage or "", close_date=close, type=kind,
            is_closed=closed, is_won=won, product_family=family, business_unit=bu,
            products=tuple(sorted(products.get(oid, ()), key=lambda p: (p.casefold(), p))),
            amount=amount, probability=probability, forecast_category=forecast,
            owner=_person(people, owner), is_renewal=renewal, is_expansion=expansion,
        )
        for (oid, name, stage, close, kind, closed, won, family, bu, amount, probability,
             forecast, owner, renewal, expansion) in zip(
            _col(frame, "id"), _col(frame, "name"), _col(frame, "stage"),
            _col(frame, "close_date", "date"), _col(frame, "type"),
            _col(frame, "is_closed", "bool"), _col(frame, "is_won", "bool"),
            _col(frame, "product_family"), _col(frame, "business_unit"),
            _col(frame, "amount_cents", "money"), _col(frame, "probability", "float"),
            _col(frame, "forecast_category"), _col(frame, "owner_id"),
            _col(frame, "is_renewal", "bool"), _col(frame, "is_expansion", "bool"), strict=True,
        )
    ]
    return _group(frame[ACCOUNT].tolist(), objects)


def _actions(derived: Derived, people: dict[str, Person]) -> dict[str, tuple[Action, ...]]:
    frame = derived.actions
    gap_columns = {label: _col(frame, column, "bool") for column, label in GAPS.items()}
    gaps = [
        tuple(label for label, flags in gap_columns.items() if flags[i])
        for i in range(len(frame))
    ]
    objects = [
        Action(
            id=aid, subject=subject or "", status=ActionStatus.DONE if done else ActionStatus.OPEN,
            raw_status=raw or "", due=due, owner=_person(people, owner), priority=priority,
            description=description, success_measure=measure, escalation_path=escalation,
            is_overdue=overdue, days_overdue=days, is_due_soon=soon,
            is_customer_visible=visible, data_gaps=gap, contact_id=contact, completed=completed,
        )
        for (aid, subject, done, raw, due, owner, priority, description, measure, escalation,
             overdue, days, soon, visible, gap, contact, completed) in zip(
            _col(frame, "id"), _col(frame, "subject"), _col(frame, "is_done", "bool"),
            _col(frame, "raw_status"), _col(frame, "due", "date"), _col(frame, "owner_id"),
            _col(frame, "priority"), _col(frame, "description"), _col(frame, "success_measure"),
            _col(frame, "escalation_path"), _col(frame, "is_overdue", "bool"),
            _col(frame, "days_overdue", "int"), _col(frame, "is_due_soon", "bool"),
            _col(frame, "is_customer_visible", "bool"), gaps, _col(frame, "contact_id"),
            _col(frame, "completed", "date"), strict=True,
        )
    ]
    return _group(frame[ACCOUNT].tolist(), objects)


def _meetings(derived: Derived) -> dict[str, tuple[Meeting, ...]]:
    frame = derived.meetings
    objects = [
        Meeting(id=mid, date=when, kind=kind, subject=subject or "", description=description)
        for mid, when, kind, subject, description in zip(
            _col(frame, "id"), _col(frame, "date", "date"), _col(frame, "kind"),
            _col(frame, "subject"), _col(frame, "description"), strict=True,
        )
    ]
    return _group(frame[ACCOUNT].tolist(), objects)


def _contracts(derived: Derived) -> dict[str, tuple[Contract, ...]]:
    frame = derived.contracts.sort_values([s.ACCOUNT_ID, s.END_DATE, s.ID], kind="stable")
    objects = [
        Contract(id=cid, start=start, end=end, status=status)
        for cid, start, end, status in zip(
            _col(frame, s.ID), _col(frame, s.START_DATE, "date"), _col(frame, s.END_DATE, "date"),
            _col(frame, s.STATUS), strict=True,
        )
    ]
    return _group(frame[s.ACCOUNT_ID].tolist(), objects)


def _row_ids(frame: pd.DataFrame) -> list[str]:
    # Goals and risks may come without an Id (a spreadsheet): the file row identifies them.
    ids = _col(frame, s.ID)
    files = _col(frame, s.FILE) if s.FILE in frame else [None] * len(frame)
    rows = _col(frame, s.ROW, "int") if s.ROW in frame else list(range(2, len(frame) + 2))
    return [i or f"{f or 'row'}:{r}" for i, f, r in zip(ids, files, rows, strict=True)]


def _goals(derived: Derived) -> dict[str, tuple[Goal, ...]]:
    frame = derived.goals
    objects = [
        Goal(id=gid, name=name or "", description=description, target_date=target,
             status=status, owner=owner, is_customer_visible=bool(visible))
        for gid, name, description, target, status, owner, visible in zip(
            _row_ids(frame), _col(frame, s.NAME), _col(frame, s.DESCRIPTION_C),
            _col(frame, s.TARGET_DATE, "date"), _col(frame, s.STATUS_C), _col(frame, s.OWNER_C),
            _col(frame, s.CUSTOMER_VISIBLE, "bool"), strict=True,
        )
    ]
    grouped = _group(_col(frame, s.CUSTOM_ACCOUNT_ID), objects)
    return {
        account: tuple(sorted(goals, key=lambda g: (
            g.target_date is None, g.target_date or date.min, g.name.casefold(), g.id,
        )))
        for account, goals in grouped.items()
    }


def _risks(derived: Derived) -> dict[str, tuple[Risk, ...]]:
    frame = derived.risks
    objects = [
        Risk(id=rid, name=name or "", severity=severity, likelihood=likelihood,
             mitigation=mitigation, owner=owner, status=status, is_customer_visible=bool(visible))
        for rid, name, severity, likelihood, mitigation, owner, status, visible in zip(
            _row_ids(frame), _col(frame, s.NAME), _col(frame, s.SEVERITY),
            _col(frame, s.LIKELIHOOD), _col(frame, s.MITIGATION), _col(frame, s.OWNER_C),
            _col(frame, s.STATUS_C), _col(frame, s.CUSTOMER_VISIBLE, "bool"), strict=True,
        )
    ]
    grouped = _group(_col(frame, s.CUSTOM_ACCOUNT_ID), objects)

    def level(value: str | None) -> int:
        return _LEVEL_ORDER.get((value or "").casefold(), len(_LEVEL_ORDER))

    return {
        account: tuple(sorted(risks, key=lambda r: (
            level(r.severity), level(r.likelihood), r.name.casefold(), r.id,
        )))
        for account, risks in grouped.items()
    }


def _kpis(derived: Derived) -> dict[str, tuple[Kpi, ...]]:
    history = derived.kpi_history
    keys = list(zip(_col(history, ACCOUNT), _col(history, "kind"), _col(history, "name_key"),
                    strict=True))
    points = [
        KpiMeasurement(period_end=end, actual=actual, target=target)
        for end, actual, target in zip(
            _col(history, "period_end", "date"), _col(history, "actual", "float"),
            _col(history, "target", "float"), strict=True,
        )
    ]
    series = _group(keys, points)
    frame = derived.kpis
    objects = []
    for (account, kind, name_key, name, unit, higher, attainment, met, change) in zip(
        _col(frame, ACCOUNT), _col(frame, "kind"), _col(frame, "name_key"), _col(frame, "name"),
        _col(frame, "unit"), _col(frame, "higher_is_better", "bool"),
        _col(frame, "attainment", "float"), _col(frame, "is_met", "bool"),
        _col(frame, "change", "float"), strict=True,
    ):
        history_points = series.get((account, kind, name_key), ())
        objects.append(Kpi(
            name=name or "", kind=kind, unit=unit, higher_is_better=bool(higher),
            history=history_points,
            latest=history_points[-1] if history_points else None,
            previous=history_points[-2] if len(history_points) > 1 else None,
            attainment=attainment, is_met=met, change=change,
        ))
    return _group(_col(frame, ACCOUNT), objects)


def _pairs(frame: pd.DataFrame, label: str) -> dict[str, tuple[tuple[str, Decimal], ...]]:
    objects = list(zip(_col(frame, label), _col(frame, "cents", "money"), strict=True))
    return _group(_col(frame, ACCOUNT), objects)


def _cells(derived: Derived) -> dict[str, tuple[WhitespaceCell, ...]]:
    frame = derived.cells
    objects = [
        WhitespaceCell(
            product=product or "", business_unit=bu, region=region, use_case=use_case,
            current=current, potential=potential, whitespace=space,
            is_above_potential=above, open_pipeline=pipeline, uncovered=uncovered, score=score,
            is_candidate=bool(candidate), is_covered=covered,
        )
        for (product, bu, region, use_case, current, potential, space, above, pipeline,
             uncovered, score, candidate, covered) in zip(
            _col(frame, "product"), _col(frame, "business_unit"), _col(frame, "region"),
            _col(frame, "use_case"), _col(frame, "current_cents", "money"),
            _col(frame, "potential_cents", "money"), _col(frame, "whitespace_cents", "money"),
            _col(frame, "is_above_potential", "bool"),
            _col(frame, "open_pipeline_cents", "money"), _col(frame, "uncovered_cents", "money"),
            _col(frame, "score", "float"), _col(frame, "is_candidate", "bool"),
            _col(frame, "is_covered", "bool"), strict=True,
        )
    ]
    ranks = _col(frame, "candidate_rank", "int")
    return _group(_col(frame, ACCOUNT), list(zip(objects, ranks, strict=True)))


def _quarters(derived: Derived, settings: Settings) -> dict[str, tuple[QuarterValue, ...]]:
    frame = derived.quarters
    start = settings.locale.fiscal_year_start_month
    labels = {q: f"{q // 4}-Q{q % 4 + 1}" for q in frame["quarter"].unique().tolist()}
    ends = {q: quarter_bounds(label, start)[1] for q, label in labels.items()}
    objects = [
        QuarterValue(label=labels[q], period_end=ends[q], value=value)
        for q, value in zip(frame["quarter"].tolist(), _col(frame, "cents", "money"), strict=True)
    ]
    return _group(_col(frame, ACCOUNT), objects)


def _plans(derived: Derived) -> dict[str, PlanText]:
    frame = derived.plans
    fields = {
        "executive_summary": s.EXECUTIVE_SUMMARY, "strategy": s.STRATEGY,
        "value_proposition": s.VALUE_PROPOSITION, "customer_objectives": s.CUSTOMER_OBJECTIVES,
    }
    texts: dict[str, dict[str, list[str]]] = {}
    columns = {field: _col(frame, column) for field, column in fields.items()}
    for position, account in enumerate(_col(frame, s.CUSTOM_ACCOUNT_ID)):
        slot = texts.setdefault(account, {f: [] for f in fields})
        for field in fields:
            value = columns[field][position]
            if value and value.strip() and value not in slot[field]:
                slot[field].append(value)
    # Several plan rows for one account: every text is kept, in file order.
    return {
        account: PlanText(**{f: "\n\n".join(v) if v else None for f, v in found.items()})
        for account, found in texts.items()
    }


# --------------------------------------------------------------------------- accounts


def assemble(
    derived: Derived,
    settings: Settings,
    *,
    source: str,
    rejected: Iterable[RejectedAccount] = (),
    warnings: Iterable[str] = (),
    input_hashes: Iterable[tuple[str, str]] = (),
    previous: Mapping[str, Account] | None = None,
) -> Portfolio:
    """The portfolio model of ``derived``; ``previous`` (account id -> the account of an
    earlier review) adds changes since that review and completes the scorecard."""
    with _without_cyclic_gc():
        return _assemble(derived, settings, source=source, rejected=rejected,
                         warnings=warnings, input_hashes=input_hashes, previous=previous)


@contextlib.contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    # Building 10^5 small frozen objects triggers the cyclic collector hundreds of times and
    # each pass walks every live object (the frames' too): it doubled assembly time. The
    # model is acyclic, so reference counting frees it; the collector resumes afterwards.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _assemble(
    derived: Derived,
    settings: Settings,
    *,
    source: str,
    rejected: Iterable[RejectedAccount],
    warnings: Iterable[str],
    input_hashes: Iterable[tuple[str, str]],
    previous: Mapping[str, Account] | None,
) -> Portfolio:
    as_of = derived.as_of
    people = _people(derived)
    team = _team(derived, people)
    stakeholders = _stakeholders(derived, people)
    holdings = _holdings(derived)
    opportunities = _opportunities(derived, people)
    actions = _actions(derived, people)
    meetings = _meetings(derived)
    contracts = _contracts(derived)
    goals = _goals(derived)
    risks = _risks(derived)
    kpis = _kpis(derived)
    cells = _cells(derived)
    quarters = _quarters(derived, settings)
    stages = _pairs(derived.stages, "stage")
    by_dimension = {d: _pairs(f, "label") for d, f in derived.whitespace_by.items()}
    plans = _plans(derived)
    owners = _group(_col(derived.owners, ACCOUNT), list(zip(
        _col(derived.owners, "owner"), _col(derived.owners, "open", "int"),
        _col(derived.owners, "overdue", "int"), strict=True,
    )))
    revenue = _records(derived.revenue)
    tiering = _records(derived.tiers)
    renewal = _records(derived.renewals)
    cadence = _records(derived.cadence)
    relations = _records(derived.relationships)
    summary = _records(derived.action_summary)
    kpi_totals = _records(derived.kpi_summary)
    totals = _records(derived.whitespace_totals)
    base = derived.accounts
    extras = _extras(base.reset_index(drop=True), derived.extra_columns.get(s.ACCOUNT, ()))
    previous = previous or {}

    accounts = []
    for (account_id, name, industry, country, parent, customer_revenue, strategic,
         owner) in zip(
        base.index.tolist(), _col(base, s.NAME), _col(base, s.INDUSTRY),
        _col(base, s.BILLING_COUNTRY), _col(base, s.PARENT_ID),
        _col(base, s.ANNUAL_REVENUE, "float"), _col(base, s.STRATEGIC_VALUE, "int"),
        _col(base, s.OWNER_ID), strict=True,
    ):
        ranked = cells.get(account_id, ())
        account = Account(
            id=account_id,
            name=name or account_id,
            as_of=as_of,
            industry=industry,
            country=country,
            parent_id=parent,
            customer_annual_revenue=(
                None if customer_revenue is None
                else Decimal(str(round(customer_revenue, 2))).quantize(CENT)
            ),
            strategic_value=strategic,
            owner=_person(people, owner),
            team=team.get(account_id, ()),
            stakeholders=stakeholders.get(account_id, ()),
            relationships=_relationship_summary(relations.get(account_id)),
            holdings=holdings.get(account_id, ()),
            opportunities=opportunities.get(account_id, ()),
            revenue=_revenue(revenue[account_id], quarters.get(account_id, ()),
                             stages.get(account_id, ())),
            whitespace=_whitespace(ranked, totals.get(account_id, {}),
                                   {d: v.get(account_id, ()) for d, v in by_dimension.items()}),
            actions=actions.get(account_id, ()),
            action_summary=_action_summary(summary.get(account_id), owners.get(account_id, ())),
            meetings=meetings.get(account_id, ()),
            cadence=_cadence(cadence[account_id]),
            contracts=contracts.get(account_id, ()),
            renewal=_renewal(renewal[account_id]),
            goals=goals.get(account_id, ()),
            risks=risks.get(account_id, ()),
            kpis=kpis.get(account_id, ()),
            kpi_summary=_kpi_summary(kpi_totals.get(account_id)),
            plan=plans.get(account_id, PlanText()),
            tiering=_tiering(tiering[account_id]),
            missing_data=derived.missing_data,
            extra=extras.get(account_id, ()),
        )
        accounts.append(review(account, settings, previous.get(account_id)))
    return Portfolio(
        as_of=as_of,
        company=settings.company.name,
        currency=settings.locale.currency,
        locale=settings.locale.locale,
        source=source,
        accounts=tuple(accounts),
        rejected=tuple(sorted(rejected, key=lambda r: r.id)),
        warnings=tuple(warnings) + derived.notes,
        input_hashes=tuple(sorted(input_hashes)),
    )


def review(account: Account, settings: Settings, previous: Account | None = None) -> Account:
    """The account with its scorecard and health, and its changes when ``previous`` (the
    same account at an earlier review) is given."""
    card, health = scorecard.derive_scorecard(account, settings, previous)
    reviewed = dataclasses.replace(account, scorecard=card, health=health)
    # Changes compare the finished account (with its health) against the earlier one.
    changes = derive_changes(reviewed, previous, settings) if previous is not None else None
    return dataclasses.replace(reviewed, changes=changes)


def _revenue(
    row: Mapping[str, Any], quarters: tuple[QuarterValue, ...],
    stages: tuple[tuple[str, Decimal], ...],
) -> Revenue:
    bridge = None
    if row["has_bridge"]:
        bridge = ArrBridge(
            year=row["period_end"].year,
            start=_money(row["bridge_start"]) or Decimal("0.00"),
            expansion=_money(row["bridge_expansion"]) or Decimal("0.00"),
            new_products=_money(row["bridge_new_products"]) or Decimal("0.00"),
            contraction=_money(row["bridge_contraction"]) or Decimal("0.00"),
            churn=_money(row["bridge_churn"]) or Decimal("0.00"),
            end=_money(row["bridge_end"]) or Decimal("0.00"),
            period_start=row["period_start"].date(),
            period_end=row["period_end"].date(),
        )
    return Revenue(
        current_annual=_money(row["current_cents"]),
        basis=_opt(row["basis"]),
        prior_annual=_money(row["prior_cents"]),
        growth=_opt(row["growth"], float),
        won_12m=_money(row["won_12m_cents"]),
        by_quarter=quarters,
        open_pipeline=_money(row["open_pipeline_cents"]),
        pipeline_by_stage=stages,
        arr_bridge=bridge,
    )


def _whitespace(
    ranked: tuple[tuple[WhitespaceCell, int], ...], totals: Mapping[str, Any],
    by: Mapping[str, tuple[tuple[str, Decimal], ...]],
) -> WhitespaceSummary:
    candidates = sorted((rank, cell) for cell, rank in ranked if cell.is_candidate)
    return WhitespaceSummary(
        cells=tuple(cell for cell, _ in ranked),
        candidates=tuple(cell for _, cell in candidates),
        total_current=_money(totals.get("total_current_cents")),
        total_potential=_money(totals.get("total_potential_cents")),
        total_whitespace=_money(totals.get("total_whitespace_cents")),
        by_product=by.get("product", ()),
        by_business_unit=by.get("business_unit", ()),
        by_region=by.get("region", ()),
        by_use_case=by.get("use_case", ()),
    )


def _relationship_summary(row: Mapping[str, Any] | None) -> RelationshipSummary:
    if row is None:
        return RelationshipSummary()
    return RelationshipSummary(
        key_count=int(row["key_count"]),
        key_direct_count=int(row["key_direct_count"]),
        coverage=_opt(row["coverage"], float),
        champions=row["champions"] if isinstance(row["champions"], tuple) else (),
        detractors=row["detractors"] if isinstance(row["detractors"], tuple) else (),
        is_single_threaded=bool(row["is_single_threaded"]),
        stale_key_stakeholders=row["stale"] if isinstance(row["stale"], tuple) else (),
        contact_count=int(row["contact_count"]),
        direct_count=int(row["direct_count"]),
        quality=_opt(row["quality"], float),
        quality_drivers=tuple(row["quality_drivers"]),
    )


def _action_summary(
    row: Mapping[str, Any] | None, owners: tuple[tuple[str, int, int], ...]
) -> ActionSummary:
    if row is None:
        return ActionSummary()
    return ActionSummary(
        open=int(row["open"]), done=int(row["done"]), overdue=int(row["overdue"]),
        due_soon=int(row["due_soon"]), by_owner=owners,
        on_time_rate=_opt(row["on_time_rate"], float),
        with_data_gaps=int(row["with_data_gaps"]),
    )


def _cadence(row: Mapping[str, Any]) -> Cadence:
    return Cadence(
        last_qbr=_opt(row["last_qbr"], date),
        next_qbr_due=_opt(row["next_qbr_due"], date),
        is_qbr_overdue=bool(row["is_qbr_overdue"]),
        last_ebr=_opt(row["last_ebr"], date),
        next_ebr_due=_opt(row["next_ebr_due"], date),
        is_ebr_overdue=bool(row["is_ebr_overdue"]),
        qbrs_held_12m=int(row["qbrs_held_12m"]),
        qbrs_planned_12m=int(row["qbrs_planned_12m"]),
        next_qbr_scheduled=_opt(row["next_qbr_scheduled"], date),
        next_ebr_scheduled=_opt(row["next_ebr_scheduled"], date),
        tier=_opt(row["tier"], int),
    )


def _renewal(row: Mapping[str, Any]) -> Renewal:
    return Renewal(
        date=_opt(row["renewal_date"], date),
        source=_opt(row["source"]),
        window_opens=_opt(row["window_opens"], date),
        window_late=_opt(row["window_late"], date),
        status=RenewalStatus(row["status"]),
        opportunity_id=_opt(row["opportunity_id"]),
        opportunity_amount=_money(row["opportunity_cents"]),
        retention=_opt(row["retention"], float),
        retention_target=_opt(row["retention_target"], float),
        meets_target=_opt(row["meets_target"], bool),
        proposed_name=_opt(row["proposed_name"]),
        proposed_close_date=_opt(row["proposed_close_date"], date),
        proposed_amount=_money(row["proposed_cents"]),
    )


def _kpi_summary(row: Mapping[str, Any] | None) -> KpiSummary:
    if row is None:
        return KpiSummary()
    return KpiSummary(
        kpis_total=int(row["kpis_total"]), kpis_met=int(row["kpis_met"]),
        slas_total=int(row["slas_total"]), slas_met=int(row["slas_met"]),
        sla_share_met=_opt(row["sla_share_met"], float),
    )


def _tiering(row: Mapping[str, Any]) -> Tiering:
    return Tiering(
        current_tier=_opt(row["current_tier"], int),
        proposed_tier=int(row["proposed_tier"]),
        is_change=bool(row["is_change"]),
        score=float(row["score"]),
        components=tuple(
            (name, float(row[f"pr_{name}"])) for name in ("revenue", "strategic", "growth")
        ),
        reason=row["reason"],
        revenue_rank=int(row["revenue_rank"]),
        rank=int(row["rank"]),
        portfolio_size=int(row["portfolio_size"]),
    )
