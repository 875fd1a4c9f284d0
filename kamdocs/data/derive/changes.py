"""Changes since the previous review: the same account now and at an earlier review.

The previous account comes from a model JSON written by ``kamdocs model --json`` (or a
batch snapshot), read back with :mod:`kamdocs.serialize`. Records are matched by Id;
KPIs by kind and name; whitespace cells by their four dimensions. A customer leadership
change - an executive or key stakeholder added, gone or with a new title - sets
``refresh_relationship_map``. Areas come in a fixed order: tier, health, revenue, renewal,
kpi, stakeholder, action, opportunity, whitespace.
"""

from __future__ import annotations

from decimal import Decimal

from kamdocs.config import Settings
from kamdocs.formatting import format_date, format_money, format_number, format_percent
from kamdocs.model import Account, Change, Changes, Kpi, Stakeholder, WhitespaceCell

LEADERSHIP_NOTE = "customer leadership changed: refresh the relationship map"


def derive_changes(current: Account, previous: Account, settings: Settings) -> Changes:
    """Every difference a reviewer should see, as (area, sentence) items."""
    items: list[Change] = []
    items += _tier(current, previous)
    items += _health(current, previous)
    items += _revenue(current, previous, settings)
    items += _renewal(current, previous, settings)
    items += _kpis(current, previous, settings)
    people, leadership = _stakeholders(current, previous)
    items += people
    items += _actions(current, previous, settings)
    items += _opportunities(current, previous, settings)
    items += _whitespace(current, previous, settings)
    if leadership:
        items.append(Change(area="stakeholder", text=LEADERSHIP_NOTE))
    return Changes(
        previous_as_of=previous.as_of, items=tuple(items), refresh_relationship_map=leadership
    )


def _tier(current: Account, previous: Account) -> list[Change]:
    out = []
    now, before = current.tiering, previous.tiering
    if now.proposed_tier != before.proposed_tier and before.proposed_tier is not None:
        out.append(Change("tier", f"proposed tier: Tier {before.proposed_tier} -> "
                                  f"Tier {now.proposed_tier}"))
    if now.current_tier != before.current_tier:
        out.append(Change("tier", f"tier in Salesforce: {_tier_name(before.current_tier)} -> "
                                  f"{_tier_name(now.current_tier)}"))
    return out


def _tier_name(tier: int | None) -> str:
    return "none" if tier is None else f"Tier {tier}"


def _health(current: Account, previous: Account) -> list[Change]:
    now, before = current.health.status, previous.health.status
    if now == before:
        return []
    name = {None: "not assessed"}
    return [Change("health", f"health: {name.get(before, getattr(before, 'value', ''))} -> "
                             f"{name.get(now, getattr(now, 'value', ''))}")]


def _money_change(label: str, now: Decimal | None, before: Decimal | None,
                  settings: Settings) -> str | None:
    if now == before:
        return None
    text = f"{label}: {format_money(before, settings)} -> {format_money(now, settings)}"
    if now is not None and before:
        text += f" ({format_percent(float(now / before - 1), settings, signed=True)})"
    return text


def _revenue(current: Account, previous: Account, settings: Settings) -> list[Change]:
    out = []
    for label, now, before in (
        ("annual revenue", current.revenue.current_annual, previous.revenue.current_annual),
        ("open pipeline", current.revenue.open_pipeline, previous.revenue.open_pipeline),
    ):
        text = _money_change(label, now, before, settings)
        if text:
            out.append(Change("revenue", text))
    return out


def _renewal(current: Account, previous: Account, settings: Settings) -> list[Change]:
    out = []
    now, before = current.renewal, previous.renewal
    if now.date != before.date:
        out.append(Change("renewal", f"renewal date: {format_date(before.date, settings)} -> "
                                     f"{format_date(now.date, settings)}"))
    if now.status != before.status:
        out.append(Change("renewal", f"renewal: {before.status.value} -> {now.status.value}"))
    return out


def _kpi_key(kpi: Kpi) -> tuple[str, str]:
    return kpi.kind, kpi.name.casefold()


def _kpis(current: Account, previous: Account, settings: Settings) -> list[Change]:
    out = []
    before = {_kpi_key(k): k for k in previous.kpis}
    now = {_kpi_key(k): k for k in current.kpis}
    for key, kpi in now.items():
        old = before.get(key)
        if old is None:
            out.append(Change("kpi", f"new {kpi.kind}: {kpi.name}"))
            continue
        latest, earlier = kpi.latest, old.latest
        if latest is None or earlier is None or latest == earlier:
            continue
        # A new period with the same value and the same verdict is not a change worth a line.
        if latest.actual == earlier.actual and kpi.is_met == old.is_met:
            continue
        digits = _decimals(earlier.actual, latest.actual)
        text = (f"{kpi.name}: {format_number(earlier.actual, settings, digits)} -> "
                f"{format_number(latest.actual, settings, digits)}")
        if latest.actual is not None and earlier.actual is not None:
            delta = latest.actual - earlier.actual
            sign = "+" if delta > 0 else ""
            text += f" ({sign}{format_number(delta, settings, digits)})"
        if kpi.is_met is not None and kpi.is_met != old.is_met:
            text += ", now met" if kpi.is_met else ", now missed"
        out.append(Change("kpi", text))
    for key, kpi in before.items():
        if key not in now:
            out.append(Change("kpi", f"{kpi.kind} no longer reported: {kpi.name}"))
    return out


def _decimals(*values: float | None) -> int:
    """The fraction digits (0 to 2) the values need: 98 -> 103, but 99.32 -> 99.2."""
    needed = 0
    for value in values:
        if value is None:
            continue
        for digits in (0, 1, 2):
            if abs(round(value, digits) - value) < 1e-9:
                break
        needed = max(needed, digits)
    return needed


def _who(person: Stakeholder) -> str:
    return f"{person.name} ({person.title})" if person.title else person.name


def _stakeholders(current: Account, previous: Account) -> tuple[list[Change], bool]:
    out = []
    leadership = False
    before = {p.id: p for p in previous.stakeholders}
    now = {p.id: p for p in current.stakeholders}

    def senior(person: Stakeholder) -> bool:
        return bool(person.is_executive or person.is_key)

    for pid, person in now.items():
        old = before.get(pid)
        if old is None:
            out.append(Change("stakeholder", f"new contact: {_who(person)}"))
            leadership |= senior(person)
        elif (old.title or "") != (person.title or ""):
            out.append(Change("stakeholder", f"{person.name}: title {old.title or 'none'} -> "
                                             f"{person.title or 'none'}"))
            leadership |= senior(person) or senior(old)
    for pid, person in before.items():
        if pid not in now:
            out.append(Change("stakeholder", f"no longer listed: {_who(person)}"))
            leadership |= senior(person)
    return out, leadership


def _actions(current: Account, previous: Account, settings: Settings) -> list[Change]:
    out = []
    before = {a.id: a for a in previous.actions}
    for action in current.actions:
        old = before.get(action.id)
        due = f" (due {format_date(action.due, settings)})" if action.due else ""
        if old is None and action.status.value == "open":
            out.append(Change("action", f"opened: {action.subject}{due}"))
        elif old is not None and old.status.value == "open" and action.status.value == "done":
            out.append(Change("action", f"closed: {action.subject}"))
        if action.is_overdue and (old is None or not old.is_overdue):
            out.append(Change("action", f"newly overdue: {action.subject} "
                                        f"({action.days_overdue} days)"))
    return out


def _opportunities(current: Account, previous: Account, settings: Settings) -> list[Change]:
    out = []
    before = {o.id: o for o in previous.opportunities}
    for opp in current.opportunities:
        old = before.get(opp.id)
        amount = f" ({format_money(opp.amount, settings)})" if opp.amount is not None else ""
        if old is None:
            state = "won" if opp.is_won else "lost" if opp.is_closed else opp.stage
            out.append(Change("opportunity", f"new: {opp.name}, {state}{amount}"))
        elif opp.is_won and not old.is_won:
            out.append(Change("opportunity", f"won: {opp.name}{amount}"))
        elif opp.is_closed and not opp.is_won and not old.is_closed:
            out.append(Change("opportunity", f"lost: {opp.name}{amount}"))
    return out


def _cell_key(cell: WhitespaceCell) -> tuple[str, ...]:
    return tuple((v or "").casefold() for v in (
        cell.product, cell.business_unit, cell.region, cell.use_case))


def _cell_name(cell: WhitespaceCell) -> str:
    return " / ".join(v for v in (cell.product, cell.business_unit, cell.region, cell.use_case)
                      if v)


def _whitespace(current: Account, previous: Account, settings: Settings) -> list[Change]:
    out = []
    text = _money_change("total whitespace", current.whitespace.total_whitespace,
                         previous.whitespace.total_whitespace, settings)
    if text:
        out.append(Change("whitespace", text))
    before = {_cell_key(c): c for c in previous.whitespace.cells}
    for cell in current.whitespace.cells:
        old = before.get(_cell_key(cell))
        if old is not None and old.whitespace != cell.whitespace:
            changed = _money_change(_cell_name(cell), cell.whitespace, old.whitespace, settings)
            if changed:
                out.append(Change("whitespace", changed))
    return out
