"""Check raw tables against :mod:`kamdocs.data.schemas` and type them, collecting every problem.

What a problem does to the data (the policy ``kamdocs validate`` reports against):

* **Error in a row of an account** (unparseable date/number/boolean, not a Salesforce Id,
  duplicate Id, required value missing, dangling reference, ReportsTo cycle, a reference to
  another account's record, a row with too many fields): the bad cell becomes missing and
  the row's account is **rejected**: every row of that account, in every table, is left
  out, and ``rejected[account_id]`` lists the reasons. The rest of the portfolio loads.
* **Error in a row whose account cannot be told** (its AccountId is unknown or not an Id,
  or it belongs to User/Product2): that row alone is left out, with the error.
* **Warning** (unknown picklist value, negative amount, number outside its range, date far
  outside the data's range, control characters removed, a "no value" marker such as N/A
  or NULL in a number/date/boolean cell, unknown User or Product2, a row linked to no
  account, a duplicate header): the row is kept and its value stays as written, except
  that control characters are removed, a marker reads as missing, and a row linked to no
  account (or only to rows that were left out) is not loaded.
* **Whole table**: an unreadable file or a missing required column leaves the table out
  (listed in ``rejected_tables``; consumers treat it like an absent one). An empty file or
  sheet counts as absent, with a warning. Without a usable Account table (or without any
  account left) the whole input is rejected with :class:`~kamdocs.errors.InputErrors`.

A record whose cells are all empty is skipped (its row number is still counted); one
holding only spaces is data, so its missing required values are reported.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kamdocs.config import Settings
from kamdocs.data import parsing, schemas
from kamdocs.data.schemas import Kind
from kamdocs.data.sources import Finding, RawInput, RawTable
from kamdocs.errors import ConfigError, Problem, Severity

ERROR = Severity.ERROR
WARNING = Severity.WARNING

#: Dates before this year are "far outside" any CRM data kamdocs plans with.
EARLIEST_YEAR = 1990
#: ...as are dates more than this many years after the median date of the input.
FUTURE_YEARS = 20


@dataclass
class Checked:
    """What :func:`check` hands to :func:`kamdocs.data.loading.read_tables`."""

    tables: dict[str, pd.DataFrame]
    problems: tuple[Problem, ...]
    rejected: dict[str, tuple[str, ...]]
    rejected_tables: dict[str, tuple[str, ...]]
    absent: tuple[str, ...]
    ignored_columns: dict[str, tuple[str, ...]]
    deleted_dropped: dict[str, int]
    fatal: bool


@dataclass
class _Work:
    """One object while it is checked: typed canonical columns plus row masks."""

    spec: schemas.Table
    raw: RawTable
    #: canonical (or kept) name -> header as written
    header_of: dict[str, str]
    kept: list[str]
    typed: dict[str, pd.Series] = field(default_factory=dict)
    #: row is not deleted
    live: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    #: row has an error (its account is rejected, or the row alone is left out)
    bad: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    #: row is left out on its own (no account, or only tied to rows left out)
    drop: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    account: pd.Series | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def size(self) -> int:
        return len(self.raw.frame)

    def ids(self) -> pd.Series | None:
        return self.typed.get(schemas.ID)


class _Report:
    """Collects findings with the table and row they belong to."""

    def __init__(self) -> None:
        self.items: list[tuple[str | None, Finding]] = []

    def add(self, object_name: str | None, finding: Finding) -> None:
        self.items.append((object_name, finding))

    def cells(
        self, work: _Work, column: str, mask: np.ndarray | pd.Series, reason: str,
        severity: Severity, values: pd.Series | None = None,
    ) -> np.ndarray:
        """Report every masked live cell of ``column``; mark error rows bad."""
        positions = np.flatnonzero(np.asarray(mask, dtype=bool) & work.live)
        if len(positions) == 0:
            return positions
        header = work.header_of.get(column, column)
        shown = work.raw.frame[header] if values is None and header in work.raw.frame else values
        texts = shown.to_numpy()[positions] if shown is not None else [None] * len(positions)
        rows = work.raw.rows[positions]
        file = work.raw.file
        for position, row, text in zip(positions, rows, texts, strict=True):
            value = None if text is None or text is pd.NA or text == "" else str(text)
            self.items.append((work.name, Finding(file, int(row), header, reason, value, severity,
                                                  int(position))))
        if severity is ERROR:
            work.bad[positions] = True
        return positions


def check(raw: RawInput, settings: Settings) -> Checked:
    """Type and check every table of ``raw``; see the module docstring for the policy."""
    report = _Report()
    for finding in raw.findings:
        report.add(None, finding)
    aliases = _config_aliases(settings)
    rejected_tables: dict[str, list[str]] = defaultdict(list)
    for name in raw.unreadable:
        rejected_tables[name].append("the source could not be read")
    works: dict[str, _Work] = {}
    ignored: dict[str, tuple[str, ...]] = {}
    for name, table in raw.tables.items():
        spec = schemas.TABLES[name]
        for finding in table.findings:
            report.add(name, finding)
        work, ignored_here, missing = _map_columns(spec, table, aliases, settings)
        if ignored_here:
            ignored[name] = ignored_here
        if missing:
            for column in missing:
                report.add(name, Finding(
                    table.file, None, column,
                    f"required column {column} is missing; the {name} table is not loaded",
                ))
                rejected_tables[name].append(f"required column {column} is missing")
            continue
        works[name] = work
    for name, reason, severity in _untied_tables(works):
        report.add(name, Finding(raw.tables[name].file, None, None, reason, severity=severity))
        rejected_tables[name].append(reason)
        del works[name]
    deleted = {name: _type_table(work, report, settings) for name, work in works.items()}

    fatal = False
    if schemas.ACCOUNT not in works:
        fatal = True
        if schemas.ACCOUNT not in raw.tables and schemas.ACCOUNT not in raw.unreadable:
            found = ", ".join(sorted(raw.tables)) or "none"
            unmatched = ", ".join(Path(s).name for s in raw.ignored_sources) or "none"
            report.add(None, Finding(
                raw.description, None, None,
                f"no Account table found (objects found: {found}; unmatched: {unmatched});"
                " name a file, sheet or table Account, or map its name in the config"
                " (columns.objects)",
            ))
    else:
        _check_relations(works, report)
        _check_date_range(works, report)
        tables, rejected = _finish(works, report)
        if not len(tables[schemas.ACCOUNT]):
            fatal = True
            report.add(None, Finding(raw.description, None, None, "no account could be loaded"))
    if fatal:
        tables, rejected = {}, {}
    absent = tuple(
        name for name in schemas.TABLES if name not in raw.tables and name not in raw.unreadable
    )
    return Checked(
        tables=tables,
        problems=_problems(report, works),
        rejected=rejected,
        rejected_tables={k: tuple(v) for k, v in sorted(rejected_tables.items())},
        absent=absent,
        ignored_columns=dict(sorted(ignored.items())),
        deleted_dropped=dict(sorted(deleted.items())),
        fatal=fatal,
    )


# --------------------------------------------------------------------------- columns


def _config_aliases(settings: Settings) -> dict[tuple[str, str], tuple[str, ...]]:
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    source = str(settings.path) if settings.path is not None else "<defaults>"
    for dotted, spellings in sorted(settings.columns.aliases.items()):
        object_name, _, column = dotted.partition(".")
        spec = schemas.TABLES.get(object_name)
        if spec is None or column not in {c.name for c in spec.columns}:
            raise ConfigError(
                f"{source}: columns.aliases: {dotted!r} is not a known Object.Field"
                " (for example Account.Account_Tier__c)"
            )
        found[(object_name, column)] = tuple(spellings)
    for object_name in sorted(settings.columns.keep):
        if object_name not in schemas.TABLES:
            raise ConfigError(f"{source}: columns.keep names unknown object {object_name!r}")
    return found


def _map_columns(
    spec: schemas.Table, table: RawTable,
    aliases: dict[tuple[str, str], tuple[str, ...]], settings: Settings,
) -> tuple[_Work, tuple[str, ...], list[str]]:
    keys: dict[str, str] = {}
    for column in spec.columns:
        spellings = [*schemas.name_keys(column.name),
                     *(schemas.normalise(a) for a in column.aliases),
                     *(schemas.normalise(a) for a in aliases.get((spec.name, column.name), ()))]
        for key in spellings:
            keys.setdefault(key, column.name)
    deleted_keys = {schemas.normalise(flag) for flag in schemas.DELETED_FLAGS}
    keep = {schemas.normalise(k): k for k in settings.columns.keep.get(spec.name, [])}
    header_of: dict[str, str] = {}
    kept: list[str] = []
    ignored: list[str] = list(table.dropped_columns)
    for header in table.frame.columns:
        key = schemas.normalise(header)
        canonical = keys.get(key)
        if canonical is not None:
            previous = header_of.get(canonical)
            if previous is None or (header == canonical and previous != canonical):
                if previous is not None:
                    ignored.append(previous)
                header_of[canonical] = header
            else:
                ignored.append(header)
        elif key in deleted_keys:
            header_of[_deleted_key(header)] = header
        elif key in keep:
            header_of[keep[key]] = header
            kept.append(keep[key])
        else:
            ignored.append(header)
    missing = [c for c in spec.required if c not in header_of]
    work = _Work(spec, table, header_of, kept)
    size = len(table.frame)
    work.live = np.ones(size, dtype=bool)
    work.bad = np.zeros(size, dtype=bool)
    work.drop = np.zeros(size, dtype=bool)
    return work, tuple(ignored), missing


def _deleted_key(header: str) -> str:
    return "\0deleted:" + header


def _untied_tables(works: dict[str, _Work]) -> list[tuple[str, str, Severity]]:
    """Tables present whose rows cannot be tied to an account at all."""
    untied = []
    for name in schemas.ACTIVITIES:
        if name in works and not any(
            c in works[name].header_of
            for c in (schemas.ACCOUNT_ID, schemas.WHAT_ID, schemas.WHO_ID)
        ):
            untied.append((name, (f"no AccountId, WhatId or WhoId column: the {name} rows"
                                  " cannot be tied to accounts; the table is not loaded"), ERROR))
    for name in schemas.VIA_OPPORTUNITY:
        if name in works and schemas.OPPORTUNITY not in works:
            # The rows are fine; without their opportunities they just cannot be used.
            untied.append((name, (f"no usable Opportunity table: the {name} rows cannot be"
                                  " tied to accounts; the table is not loaded"), WARNING))
    return untied


# --------------------------------------------------------------------------- typing


def _type_table(work: _Work, report: _Report, settings: Settings) -> int:
    """Parse every mapped column; deleted rows leave first (returns how many)."""
    frame = work.raw.frame
    deleted = np.zeros(work.size, dtype=bool)
    for key, header in work.header_of.items():
        if key.startswith("\0deleted:") or key == schemas.IS_DELETED:
            flags = parsing.parse_column(frame[header], Kind.BOOL, "")
            report.cells(work, key, flags.bad, _UNREADABLE[Kind.BOOL], ERROR, frame[header])
            deleted |= flags.values.to_numpy(dtype=bool) & ~flags.bad
    # Deleted rows are gone before any check: their problems are not the user's concern.
    work.live = ~deleted
    work.bad &= work.live
    for column in work.spec.columns:
        if column.name not in work.header_of:
            continue
        values = frame[work.header_of[column.name]]
        if column.name == schemas.IS_DELETED:
            work.typed[column.name] = pd.Series(deleted, index=values.index)
            continue
        work.typed[column.name] = _type_column(work, column, values, report, settings)
    for name in work.kept:
        text = parsing.parse_column(frame[work.header_of[name]], Kind.TEXT, "")
        report.cells(work, name, text.controls, "control characters removed", WARNING)
        work.typed[name] = text.values
    return int(deleted.sum())


_UNREADABLE = {
    Kind.ID: "not a Salesforce Id (15 or 18 letters and digits, with a valid checksum when 18)",
    Kind.REF: "not a Salesforce Id (15 or 18 letters and digits, with a valid checksum when 18)",
    Kind.BOOL: "not a boolean (use true/false, 1/0 or yes/no)",
    Kind.INT: "not a number",
    Kind.NUM: "not a number",
}


def _type_column(
    work: _Work, column: schemas.Column, values: pd.Series, report: _Report, settings: Settings
) -> pd.Series:
    name, kind = column.name, column.kind
    fmt = settings.locale.date_format
    parsed = parsing.parse_column(values, kind, fmt)
    unreadable = _UNREADABLE.get(kind, f"not a date (expected YYYY-MM-DD or {fmt})")
    report.cells(work, name, parsed.bad, unreadable, ERROR)
    report.cells(work, name, parsed.marker, "read as a missing value", WARNING)
    report.cells(work, name, parsed.fractional, "not a whole number", ERROR)
    report.cells(work, name, parsed.controls, "control characters removed", WARNING)
    typed = parsed.values
    if kind in (Kind.INT, Kind.NUM):
        _check_range(work, column, typed.astype("float64"), report)
    if kind is Kind.PICK and column.allowed:
        typed = _check_picklist(work, column, typed, report)
    if column.required:
        _check_required(work, column, parsed.blank | parsed.marker, report)
    return typed


def _check_required(work: _Work, column: schemas.Column, empty: np.ndarray,
                    report: _Report) -> None:
    if column.name == work.spec.account_column:
        # Salesforce allows contacts, opportunities... without an account; KAM cannot use them.
        positions = report.cells(work, column.name, empty, "not linked to an account; row not"
                                 " loaded", WARNING)
        work.drop[positions] = True
    else:
        report.cells(work, column.name, empty, f"required value {column.name} is missing", ERROR)


def _check_range(work: _Work, column: schemas.Column, numbers: pd.Series,
                 report: _Report) -> None:
    if column.low is not None:
        below = (numbers < column.low).fillna(False)
        if column.low == 0:
            report.cells(work, column.name, below, "negative amount", WARNING)
        else:
            report.cells(work, column.name, below,
                         f"below the expected range {column.low:g}-{column.high:g}", WARNING)
    if column.high is not None:
        above = (numbers > column.high).fillna(False)
        low = "" if column.low is None else f"{column.low:g}-"
        report.cells(work, column.name, above, f"above the expected range {low}{column.high:g}",
                     WARNING)


def _check_picklist(work: _Work, column: schemas.Column, typed: pd.Series,
                    report: _Report) -> pd.Series:
    canonical = {value.lower(): value for value in column.allowed}
    matched = typed.str.strip().str.lower().map(canonical)
    unknown = typed.notna() & matched.isna()
    report.cells(work, column.name, unknown,
                 f"unknown value; allowed: {', '.join(column.allowed)}", WARNING)
    # Known values in any case or padding read as the configured spelling; others as written.
    return matched.where(~unknown, typed).astype("string")


# --------------------------------------------------------------------------- relations


def _arrow(values: pd.Series) -> pa.Array:
    """The column as an Arrow string array (zero-copy for Arrow-backed strings)."""
    return pa.array(values, type=pa.large_string(), from_pandas=True)


def _strings(array: pa.Array | pa.ChunkedArray, index: pd.Index) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(array.cast(pa.large_string())), index=index)


@dataclass(frozen=True)
class _Ids:
    """The readable Ids of a table's live rows (the first row of each Id), for lookups.

    Lookups run in Arrow: converting hundreds of thousands of Ids to Python strings for a
    pandas isin/get_indexer was the slowest step of a large load.
    """

    keys: pa.Array
    positions: np.ndarray

    @classmethod
    def of(cls, work: _Work | None) -> _Ids:
        if work is None or work.ids() is None:
            return cls(pa.array([], type=pa.large_string()), np.zeros(0, dtype=np.int64))
        ids = work.ids()
        usable = ids.notna().to_numpy(dtype=bool) & work.live
        # Duplicates are errors reported elsewhere; lookups use the first row of an Id.
        usable &= ~ids.duplicated().to_numpy(dtype=bool)
        positions = np.flatnonzero(usable)
        return cls(_arrow(ids.iloc[positions]), positions)

    def find(self, values: pd.Series) -> np.ndarray:
        """Index into ``keys`` of each value; -1 where unknown or missing."""
        if len(self.keys) == 0:
            return np.full(len(values), -1, dtype=np.int64)
        found = pc.index_in(_arrow(values), value_set=self.keys).fill_null(-1)
        return np.asarray(found, dtype=np.int64)

    def contains(self, values: pd.Series) -> np.ndarray:
        return self.find(values) >= 0

    def positions_of(self, values: pd.Series) -> np.ndarray:
        """Frame position of the row each value names; -1 where unknown."""
        found = self.find(values)
        return np.where(found >= 0, self.positions[np.maximum(found, 0)], -1)


def _member(values: pd.Series, keys: pa.Array | list[str]) -> np.ndarray:
    """True where a value is one of ``keys`` (False for missing values)."""
    if len(keys) == 0:
        return np.zeros(len(values), dtype=bool)
    value_set = keys if isinstance(keys, pa.Array) else pa.array(keys, type=pa.large_string())
    found = pc.is_in(_arrow(values), value_set=value_set.cast(pa.large_string()))
    return np.asarray(found.fill_null(False), dtype=bool)


@dataclass(frozen=True)
class _AccountOf:
    """Record Id -> its account Id (for the live rows of one table that have both)."""

    ids: _Ids
    accounts: pa.Array

    @classmethod
    def of(cls, work: _Work | None, ids: _Ids) -> _AccountOf:
        if work is None or work.account is None:
            return cls(_Ids.of(None), pa.array([], type=pa.large_string()))
        return cls(ids, _arrow(work.account.iloc[ids.positions]))

    def map(self, values: pd.Series) -> pd.Series:
        """The account of each record Id in ``values`` (NA where unknown)."""
        if len(self.ids.keys) == 0:
            return pd.Series(pd.NA, index=values.index, dtype="string")
        found = pc.index_in(_arrow(values), value_set=self.ids.keys)
        return _strings(pc.take(self.accounts, found), values.index)


def _check_relations(works: dict[str, _Work], report: _Report) -> None:
    for work in works.values():
        _check_duplicates(work, report)
    index = {name: _Ids.of(work) for name, work in works.items()}
    accounts = works[schemas.ACCOUNT]
    account_ids = index[schemas.ACCOUNT]
    accounts.account = accounts.typed[schemas.ID]

    # Direct account columns first: everything else resolves through them.
    for work in works.values():
        column = work.spec.account_column
        if (work.name == schemas.ACCOUNT or work.name in schemas.ACTIVITIES or column is None
                or column not in work.typed):
            continue
        refs = work.typed[column]
        unknown = refs.notna().to_numpy(dtype=bool) & ~account_ids.contains(refs)
        positions = report.cells(work, column, unknown, "refers to an unknown Account", ERROR)
        work.drop[positions] = True
        work.account = refs.where(~unknown)

    opp_account = _AccountOf.of(works.get(schemas.OPPORTUNITY), index.get(schemas.OPPORTUNITY))
    contact_account = _AccountOf.of(works.get(schemas.CONTACT), index.get(schemas.CONTACT))
    for name in schemas.VIA_OPPORTUNITY:
        if name in works and schemas.OPPORTUNITY_ID in works[name].typed:
            work = works[name]
            work.account = opp_account.map(work.typed[schemas.OPPORTUNITY_ID])
    for name in schemas.ACTIVITIES:
        if name in works:
            _resolve_activity(works[name], account_ids, opp_account, contact_account, report)

    _check_references(works, index, report)
    _check_cross_account(works, contact_account, report)
    _check_cycles(works, index, report)


def _resolve_activity(
    work: _Work, account_ids: _Ids, opp_account: _AccountOf, contact_account: _AccountOf,
    report: _Report,
) -> None:
    """Task/Event account: AccountId, else WhatId (an Account or its Opportunity), else WhoId."""
    size = work.size
    account = pd.Series(pd.NA, index=range(size), dtype="string")
    direct = work.typed.get(schemas.ACCOUNT_ID)
    if direct is not None:
        unknown = direct.notna().to_numpy(dtype=bool) & ~account_ids.contains(direct)
        report.cells(work, schemas.ACCOUNT_ID, unknown, "refers to an unknown Account", ERROR)
        account = direct.where(~unknown)
    what = work.typed.get(schemas.WHAT_ID)
    if what is not None:
        via_what = what.where(account_ids.contains(what)).fillna(opp_account.map(what))
        prefix = what.str.slice(0, 3)
        expects = prefix.isin([schemas.KEY_PREFIXES[schemas.ACCOUNT],
                               schemas.KEY_PREFIXES[schemas.OPPORTUNITY]])
        unknown = what.notna() & expects & via_what.isna()
        report.cells(work, schemas.WHAT_ID, unknown,
                     "refers to an unknown Account or Opportunity", ERROR)
        account = account.fillna(via_what.astype("string"))
    who = work.typed.get(schemas.WHO_ID)
    if who is not None:
        account = account.fillna(contact_account.map(who))
    unlinked = account.isna().to_numpy() & ~work.bad
    shown_column = next(c for c in (schemas.ACCOUNT_ID, schemas.WHAT_ID, schemas.WHO_ID)
                        if c in work.header_of)
    positions = report.cells(work, shown_column, unlinked,
                             "not linked to any account (AccountId, WhatId or WhoId); row not"
                             " loaded", WARNING, _first_given(work))
    work.drop[positions] = True
    work.account = account


def _first_given(work: _Work) -> pd.Series:
    """The value shown for an activity that reaches no account: its AccountId/WhatId/WhoId."""
    frame = work.raw.frame
    shown = pd.Series("", index=frame.index, dtype=str)
    for column in (schemas.WHO_ID, schemas.WHAT_ID, schemas.ACCOUNT_ID):
        header = work.header_of.get(column)
        if header is not None:
            shown = frame[header].where(frame[header].str.strip() != "", shown)
    return shown


def _check_duplicates(work: _Work, report: _Report) -> None:
    ids = work.ids()
    if ids is None:
        return
    duplicated = (ids.duplicated(keep=False) & ids.notna()).to_numpy() & work.live
    if not duplicated.any():
        return
    positions = np.flatnonzero(duplicated)
    rows_of = pd.Series(work.raw.rows[positions]).groupby(ids.to_numpy()[positions]).agg(list)
    header = work.header_of[schemas.ID]
    for position in positions:
        others = [r for r in rows_of[ids.iat[position]] if r != work.raw.rows[position]]
        report.add(work.name, Finding(
            work.raw.file, int(work.raw.rows[position]), header,
            f"duplicate Id (also row {', '.join(map(str, others))})",
            work.raw.frame[header].iat[position], ERROR, int(position),
        ))
    work.bad[positions] = True


def _soft(work: _Work, column: schemas.Column) -> bool:
    return (column.target in schemas.SOFT_TARGETS
            or (work.name, column.name) in schemas.SOFT_REFERENCES)


def _check_references(works: dict[str, _Work], index: dict[str, _Ids],
                      report: _Report) -> None:
    for work in works.values():
        for column in work.spec.columns:
            if (column.kind is not Kind.REF or column.target is None
                    or column.name == work.spec.account_column
                    or column.name not in work.typed or column.target not in works):
                continue
            if work.name in schemas.ACTIVITIES and column.name == schemas.ACCOUNT_ID:
                continue  # checked while resolving the activity's account
            refs = work.typed[column.name]
            unknown = refs.notna().to_numpy(dtype=bool) & ~index[column.target].contains(refs)
            prefix = schemas.KEY_PREFIXES.get(column.target)
            if _soft(work, column) and prefix is not None:
                # A WhoId may name a Lead (00Q...): only an Id of the target's kind can dangle.
                unknown &= refs.str.startswith(prefix).fillna(False)
            if _soft(work, column):
                report.cells(work, column.name, unknown,
                             f"refers to a {column.target} not in the input", WARNING)
            else:
                report.cells(work, column.name, unknown,
                             f"refers to an unknown {column.target}", ERROR)


def _check_cross_account(works: dict[str, _Work], contact_account: _AccountOf,
                         report: _Report) -> None:
    contacts = works.get(schemas.CONTACT)
    if contacts is None:
        return
    if schemas.REPORTS_TO_ID in contacts.typed and contacts.account is not None:
        boss_account = contact_account.map(contacts.typed[schemas.REPORTS_TO_ID])
        other = (boss_account.notna() & contacts.account.notna()
                 & (boss_account != contacts.account)).fillna(False)
        _report_other_account(contacts, schemas.REPORTS_TO_ID, other, boss_account,
                              "reports to a contact of another account", report)
    roles = works.get(schemas.OPPORTUNITY_CONTACT_ROLE)
    if roles is not None and roles.account is not None and schemas.CONTACT_ID in roles.typed:
        their = contact_account.map(roles.typed[schemas.CONTACT_ID])
        other = (their.notna() & roles.account.notna() & (their != roles.account)).fillna(False)
        _report_other_account(roles, schemas.CONTACT_ID, other, their,
                              "links the opportunity to a contact of another account", report)


def _report_other_account(work: _Work, column: str, mask: pd.Series, their: pd.Series,
                          reason: str, report: _Report) -> None:
    positions = np.flatnonzero(mask.to_numpy(dtype=bool) & work.live)
    header = work.header_of[column]
    for position in positions:
        report.add(work.name, Finding(
            work.raw.file, int(work.raw.rows[position]), header,
            f"{reason} ({their.iat[position]})", work.raw.frame[header].iat[position], ERROR,
            int(position),
        ))
    work.bad[positions] = True


def _check_cycles(works: dict[str, _Work], index: dict[str, _Ids],
                  report: _Report) -> None:
    contacts = works.get(schemas.CONTACT)
    if contacts is None or schemas.REPORTS_TO_ID not in contacts.typed:
        return
    ids = index[schemas.CONTACT]
    keys = ids.keys.to_pylist()
    bosses = contacts.typed[schemas.REPORTS_TO_ID].iloc[ids.positions]
    known = ids.contains(bosses)
    parent = {k: b for k, b, ok in zip(keys, bosses.tolist(), known, strict=True) if ok}
    position_of = dict(zip(keys, ids.positions.tolist(), strict=True))
    # Each contact has at most one manager, so a walk either ends or closes a loop; colour
    # nodes as we go so every contact is walked once (linear in the number of contacts).
    state: dict[str, int] = {}
    cycles: list[list[str]] = []
    for start in sorted(parent):
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in state:
            state[node] = 1
            path.append(node)
            node = parent.get(node)
        if node is not None and state.get(node) == 1 and node in path:
            cycles.append(path[path.index(node):])
        for visited in path:
            state[visited] = 2
    header = contacts.header_of[schemas.REPORTS_TO_ID]
    for cycle in cycles:
        loop = " -> ".join([*cycle, cycle[0]])
        for contact in cycle:
            position = position_of[contact]
            report.add(contacts.name, Finding(
                contacts.raw.file, int(contacts.raw.rows[position]), header,
                f"ReportsTo cycle: {loop}", contacts.raw.frame[header].iat[position], ERROR,
                position,
            ))
            contacts.bad[position] = True


def _check_date_range(works: dict[str, _Work], report: _Report) -> None:
    columns = [
        (work, column.name) for work in works.values() for column in work.spec.columns
        if column.kind is Kind.DATE and column.name in work.typed
    ]
    if not columns:
        return
    stacked = pd.concat([work.typed[name][work.live] for work, name in columns])
    stacked = stacked.dropna()
    if stacked.empty:
        return
    median = stacked.sort_values().iloc[len(stacked) // 2]
    earliest = pd.Timestamp(year=EARLIEST_YEAR, month=1, day=1)
    latest = median + pd.DateOffset(years=FUTURE_YEARS)
    reason = (f"date far outside the data's range (before {earliest:%Y-%m-%d} or after"
              f" {latest:%Y-%m-%d})")
    for work, name in columns:
        dates = work.typed[name]
        far = ((dates < earliest) | (dates > latest)).fillna(False)
        report.cells(work, name, far, reason, WARNING)


# --------------------------------------------------------------------------- result


def _finish(works: dict[str, _Work],
            report: _Report) -> tuple[dict[str, pd.DataFrame], dict[str, tuple[str, ...]]]:
    account_ids = _Ids.of(works[schemas.ACCOUNT])
    known_accounts = set(account_ids.keys.to_pylist())
    reasons: dict[str, list[str]] = defaultdict(list)
    for object_name, finding in report.items:
        if finding.severity is not ERROR or object_name is None or finding.position is None:
            continue
        work = works.get(object_name)
        if work is None or work.account is None:
            continue
        account = work.account.iat[finding.position]
        if account is not pd.NA and account in known_accounts:
            reasons[str(account)].append(_reason_text(finding))
    rejected = {a: tuple(dict.fromkeys(r)) for a, r in sorted(reasons.items())}

    keep: dict[str, np.ndarray] = {}
    for name, work in works.items():
        mask = work.live & ~work.drop
        if work.account is None:
            mask &= ~work.bad  # User, Product2: a bad row cannot be tied to an account
        else:
            account = work.account
            mask &= account.notna().to_numpy()
            is_rejected = _member(account, list(rejected))
            mask &= ~is_rejected & account_ids.contains(account)
            # A bad row whose account was not rejected had no usable account: leave it out.
            mask &= ~(work.bad & ~is_rejected)
            # Rows left out for want of an account that no problem explains yet, e.g. an
            # OpportunityContactRole whose Opportunity has no usable AccountId.
            unexplained = work.live & ~mask & ~work.bad & ~work.drop & ~is_rejected
            report.cells(work, _link_column(work), unexplained,
                         "not tied to a loaded account; row not loaded", WARNING,
                         _first_given(work) if work.name in schemas.ACTIVITIES else None)
        keep[name] = mask
    _prune(works, keep, report)
    tables = {name: _frame(work, keep[name]) for name, work in works.items()}
    return tables, rejected


def _link_column(work: _Work) -> str:
    """The column through which rows of ``work`` reach their account."""
    if work.name in schemas.VIA_OPPORTUNITY:
        return schemas.OPPORTUNITY_ID
    if work.name in schemas.ACTIVITIES:
        return next(c for c in (schemas.ACCOUNT_ID, schemas.WHAT_ID, schemas.WHO_ID)
                    if c in work.header_of)
    return work.spec.account_column or schemas.ID


def _reason_text(finding: Finding) -> str:
    place = ":".join(str(p) for p in (finding.file, finding.row, finding.column) if p is not None)
    shown = f" ({finding.value})" if finding.value not in (None, "") else ""
    return f"{place}: {finding.reason}{shown}"


def _prune(works: dict[str, _Work], keep: dict[str, np.ndarray], report: _Report) -> None:
    """Leave out rows whose hard reference points at a row that was left out."""
    valid = {name: _Ids.of(work).keys for name, work in works.items()}
    changed = any((work.live & ~keep[name]).any() for name, work in works.items())
    while changed:
        changed = False
        kept_ids = {
            name: pc.unique(_arrow(work.ids()[keep[name]]).drop_null())
            for name, work in works.items() if work.ids() is not None
        }
        for work in works.values():
            for column in work.spec.columns:
                if (column.kind is not Kind.REF or column.target not in kept_ids
                        or column.name not in work.typed or _soft(work, column)):
                    continue
                refs = work.typed[column.name]
                # An unknown target was reported already; this is a target left out later.
                gone = (keep[work.name] & ~_member(refs, kept_ids[column.target])
                        & _member(refs, valid[column.target]))
                if gone.any():
                    report.cells(
                        work, column.name, gone & ~work.bad,
                        f"refers to a {column.target} that was not loaded (its account was"
                        " rejected); row not loaded", WARNING,
                    )
                    keep[work.name][gone] = False
                    changed = True


def _frame(work: _Work, keep: np.ndarray) -> pd.DataFrame:
    columns: dict[str, pd.Series] = {}
    for column in work.spec.columns:
        if column.name in work.typed:
            columns[column.name] = work.typed[column.name]
    if work.name in schemas.ACTIVITIES and work.account is not None:
        columns[schemas.ACCOUNT_ID] = work.account
    for name in work.kept:
        columns[name] = work.typed[name]
    frame = pd.DataFrame(columns, index=pd.RangeIndex(work.size))
    frame[schemas.ROW] = work.raw.rows.astype("int64")
    frame[schemas.FILE] = pd.Series(work.raw.file, index=frame.index, dtype="string")
    return frame[keep].reset_index(drop=True)


def _problems(report: _Report, works: dict[str, _Work]) -> tuple[Problem, ...]:
    problems = []
    for object_name, finding in report.items:
        account = None
        work = works.get(object_name) if object_name else None
        if work is not None and work.account is not None and finding.position is not None:
            value = work.account.iat[finding.position]
            account = None if value is pd.NA else str(value)
        problems.append(Problem(finding.file, finding.row, finding.column, finding.reason,
                                finding.value, finding.severity, account))
    unique = dict.fromkeys(problems)
    return tuple(sorted(unique, key=lambda p: (p.file, p.row or 0, p.column or "", p.reason)))
