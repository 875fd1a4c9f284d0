"""The whole way in on real inputs: the committed samples and the extreme/minimal scenarios.

Checks the contract of the model (sorted, tuples, cents, no NaN), that no account gets
another account's records, that the customer view leaks no internal value, that the model
JSON round-trips, and a few headline numbers recomputed independently from the raw CSVs.
"""

from __future__ import annotations

import csv
import dataclasses
import enum
import math
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import kamdocs
from kamdocs.audience import view_for
from kamdocs.config import Settings
from kamdocs.data.loading import read_tables
from kamdocs.errors import UsageError
from kamdocs.model import CUSTOMER, INTERNAL, VISIBILITY, Account, Audience, Opportunity
from kamdocs.serialize import dumps_account, loads_account
from tests.scenarios import (
    AS_OF,
    INTERNAL_MARKERS,
    MARKER_PREFIX,
    SAMPLES_DIR,
    extreme,
    minimal,
    write_scenario,
)

pytestmark = pytest.mark.skipif(not (SAMPLES_DIR / "Account.csv").exists(),
                                reason="the committed samples/ folder is not there yet")


@pytest.fixture(scope="module")
def portfolio() -> kamdocs.model.Portfolio:
    return kamdocs.load_portfolio(SAMPLES_DIR, as_of=AS_OF)


@pytest.fixture(scope="module")
def extreme_portfolio(tmp_path_factory: pytest.TempPathFactory) -> kamdocs.model.Portfolio:
    folder = write_scenario(extreme(), tmp_path_factory.mktemp("extreme"))
    return kamdocs.load_portfolio(folder, as_of=AS_OF)


def _walk(obj: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    yield path, obj
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from _walk(getattr(obj, f.name), f"{path}.{f.name}")
    elif isinstance(obj, tuple):
        for i, item in enumerate(obj):
            yield from _walk(item, f"{path}[{i}]")


def test_accounts_sorted_by_id_and_none_rejected(portfolio) -> None:  # noqa: ANN001
    ids = [a.id for a in portfolio.accounts]
    assert ids == sorted(ids) and len(ids) == 40 and portfolio.rejected == ()
    assert portfolio.company == "Lumenfield Software" and portfolio.as_of == AS_OF


def test_model_holds_no_nan_no_list_and_money_in_cents(portfolio) -> None:  # noqa: ANN001
    for account in portfolio.accounts:
        for path, value in _walk(account):
            assert not isinstance(value, list | dict | set), path
            if isinstance(value, float):
                assert math.isfinite(value), path
            if isinstance(value, Decimal):
                assert value.as_tuple().exponent == -2, (path, value)
            if isinstance(value, str):
                assert value not in ("nan", "NaN", "None", "NaT", "<NA>"), path


def test_every_record_belongs_to_its_own_account(portfolio) -> None:  # noqa: ANN001
    tables = read_tables(SAMPLES_DIR, Settings()).tables

    def owned(name: str, column: str = "AccountId") -> dict[str, set[str]]:
        frame = tables[name]
        out: dict[str, set[str]] = {}
        for account, record in zip(frame[column], frame["Id"], strict=True):
            out.setdefault(account, set()).add(record)
        return out

    contacts, opportunities = owned("Contact"), owned("Opportunity")
    tasks, events, assets = owned("Task"), owned("Event"), owned("Asset")
    for account in portfolio.accounts:
        assert {s.id for s in account.stakeholders} == contacts.get(account.id, set())
        assert {o.id for o in account.opportunities} == opportunities.get(account.id, set())
        assert {a.id for a in account.actions} == tasks.get(account.id, set())
        assert {m.id for m in account.meetings} <= events.get(account.id, set())
        assert {h.id for h in account.holdings} == assets.get(account.id, set())
        for person in account.stakeholders:
            if person.access.via_contact_id:
                assert person.access.via_contact_id in contacts[account.id]


def _values(obj: Any, hidden: bool = False) -> Iterator[tuple[Any, bool]]:
    """Every distinctive leaf value (text, money, dates) with whether a customer must not see
    it: an internal field, or anything inside a record the customer view drops."""
    if dataclasses.is_dataclass(obj):
        shared = obj.is_won if isinstance(obj, Opportunity) else getattr(
            obj, "is_customer_visible", True)
        for f in dataclasses.fields(obj):
            inner = hidden or not shared or f.metadata.get(VISIBILITY, INTERNAL) != CUSTOMER
            yield from _values(getattr(obj, f.name), inner)
    elif isinstance(obj, tuple):
        for item in obj:
            yield from _values(item, hidden)
    elif isinstance(obj, enum.Enum):
        yield obj.value, hidden
    elif isinstance(obj, str | Decimal | date):
        yield obj, hidden


@pytest.mark.parametrize("which", ["samples", "extreme"])
def test_customer_view_keeps_no_internal_value(which: str, portfolio,  # noqa: ANN001
                                               extreme_portfolio) -> None:  # noqa: ANN001
    chosen = portfolio if which == "samples" else extreme_portfolio
    checked = 0
    for account in chosen.accounts:
        pairs = list(_values(account))
        shared = {v for v, hidden in pairs if not hidden}
        secret = {v for v, hidden in pairs if hidden} - shared
        # Internal fields of the view hold their empty defaults (checked structurally below);
        # a default such as "no renewal date" is not a leak, so only shown fields count.
        view = view_for(account, Audience.CUSTOMER)
        shown = {v for v, hidden in _values(view) if not hidden}
        leaked = secret & shown
        assert not leaked, f"{account.id}: {sorted(map(str, leaked))[:5]}"
        checked += len(secret)
    assert checked > 1000  # the test looked at real internal values


def test_customer_view_blanks_every_internal_field(portfolio) -> None:  # noqa: ANN001
    for account in portfolio.accounts:
        view = view_for(account, Audience.CUSTOMER)
        for path, value in _walk(view):
            if not dataclasses.is_dataclass(value):
                continue
            for f in dataclasses.fields(value):
                if f.metadata.get(VISIBILITY, INTERNAL) == CUSTOMER:
                    continue
                empty = (f.default_factory() if f.default_factory is not dataclasses.MISSING
                         else f.default if f.default is not dataclasses.MISSING else None)
                assert getattr(value, f.name) == empty, f"{path}.{f.name}"


def test_planted_internal_markers_are_in_the_internal_model_only(portfolio) -> None:  # noqa: ANN001
    internal_text = " ".join(str(v) for a in portfolio.accounts for _, v in _walk(a))
    for marker in INTERNAL_MARKERS:
        assert marker in internal_text
    for account in portfolio.accounts:
        view = view_for(account, Audience.CUSTOMER)
        assert MARKER_PREFIX not in " ".join(str(v) for _, v in _walk(view))


def test_model_json_round_trips_exactly(portfolio) -> None:  # noqa: ANN001
    for account in portfolio.accounts:
        text = dumps_account(account)
        assert loads_account(text) == account
        assert dumps_account(loads_account(text)) == text


def test_loading_twice_gives_identical_models(portfolio) -> None:  # noqa: ANN001
    again = kamdocs.load_portfolio(SAMPLES_DIR, as_of=AS_OF)
    assert [dumps_account(a) for a in again.accounts] == [
        dumps_account(a) for a in portfolio.accounts]


def test_no_as_of_anywhere_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="as-of"):
        kamdocs.load_portfolio(SAMPLES_DIR)


def test_config_as_of_is_used_when_no_date_is_passed(tmp_path: Path) -> None:
    config = tmp_path / "kamdocs.toml"
    config.write_text("as_of = 2026-11-23\n", encoding="utf-8")
    loaded = kamdocs.load_portfolio(SAMPLES_DIR, config=config)
    assert loaded.as_of == date(2026, 11, 23)


def test_extreme_account_keeps_everything(extreme_portfolio) -> None:  # noqa: ANN001
    account = next(a for a in extreme_portfolio.accounts if len(a.name) == 120)
    assert (len(account.stakeholders), len(account.actions)) == (80, 300)
    assert len(account.kpis) == 40 and len(account.whitespace.cells) >= 60
    assert "&" in account.name and "<" in account.name and '"' in account.name
    assert max(s.depth for s in account.stakeholders) >= 7


def test_minimal_account_has_empty_analytics(tmp_path: Path) -> None:
    folder = write_scenario(minimal(), tmp_path / "minimal")
    account = kamdocs.load_portfolio(folder, as_of=AS_OF).accounts[0]
    assert account.stakeholders == () and account.actions == () and account.kpis == ()
    assert account.revenue.current_annual is None and account.renewal.date is None
    assert account.health.status is None
    assert {"Contact", "Opportunity", "Task", "KPI_Measurement__c"} <= set(account.missing_data)
    # Nothing to score: Tier 3, not Tier 1 for ranking first of one.
    assert account.tiering.proposed_tier == 3 and account.tiering.portfolio_size == 1


# --------------------------------------------------------------------------- independent recount


def _rows(name: str) -> list[dict[str, str]]:
    with (SAMPLES_DIR / f"{name}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _day(text: str) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def test_headline_numbers_match_a_plain_recount_of_the_csvs(portfolio) -> None:  # noqa: ANN001
    """Current revenue, overdue actions and renewal dates, recomputed from the CSV text with
    nothing but the definitions in docs/analytics.md."""
    by_id = {a.id: a for a in portfolio.accounts}
    inactive = {"obsolete", "inactive", "cancelled", "canceled", "churned", "expired",
                "terminated", "retired", "returned", "decommissioned"}
    revenue: dict[str, Decimal] = {}
    for asset in _rows("Asset"):
        start, end = _day(asset["InstallDate"]), _day(asset["UsageEndDate"])
        if asset["Status"].strip().casefold() in inactive:
            continue  # an inactive asset is never active on as_of
        if (start is None or start <= AS_OF) and (end is None or end > AS_OF):
            if asset["Annual_Value__c"]:
                value = Decimal(asset["Annual_Value__c"])
            else:  # Price x Quantity
                value = Decimal(asset["Price"] or "0") * Decimal(asset["Quantity"] or "0")
            revenue[asset["AccountId"]] = revenue.get(asset["AccountId"], Decimal(0)) + value
    overdue: dict[str, int] = {}
    opportunity_account = {row["Id"]: row["AccountId"] for row in _rows("Opportunity")}
    for task in _rows("Task"):
        # AccountId, else WhatId: the account itself or one of its opportunities.
        owner = task["AccountId"] or opportunity_account.get(task["WhatId"], task["WhatId"])
        due = _day(task["ActivityDate"])
        if task["IsClosed"] != "true" and due is not None and due < AS_OF:
            overdue[owner] = overdue.get(owner, 0) + 1
    renewal = {row["Id"]: _day(row["Renewal_Date__c"]) for row in _rows("Account")}
    checked = 0
    for account_id, account in by_id.items():
        if account.revenue.basis == "assets":
            assert account.revenue.current_annual == revenue.get(account_id, Decimal(0)).quantize(
                Decimal("0.01")), account_id
            checked += 1
        assert account.action_summary.overdue == overdue.get(account_id, 0), account_id
        if renewal[account_id]:
            assert account.renewal.date == renewal[account_id]
    assert checked >= 30
    assert all(a.cadence.next_qbr_due is None or a.cadence.next_qbr_due - a.cadence.last_qbr
               > timedelta(days=80) for a in portfolio.accounts)


def test_view_for_marks_the_audience(portfolio) -> None:  # noqa: ANN001
    account: Account = portfolio.accounts[0]
    assert view_for(account, Audience.CUSTOMER).audience is Audience.CUSTOMER
