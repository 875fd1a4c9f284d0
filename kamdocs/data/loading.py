"""Read and validate an input: ``read_tables(source, settings) -> LoadedTables``.

The contract the derive/assemble stage relies on
-------------------------------------------------

``source`` is a folder of CSV files, a folder of Parquet files, an ``.xlsx`` workbook
(one sheet per object) or a SQLAlchemy URL (``sqlite:///x.db``, ``postgresql://...``).
Files, sheets and tables are matched to objects case-insensitively by name or alias
(``schemas.TABLES`` plus config ``columns.objects``; ``opportunity_line_item`` and
``account_goal_c`` as a warehouse sync writes them work too).

:class:`LoadedTables` holds:

``tables``
    ``{object name: DataFrame}`` for every object that was present and usable; objects in
    ``absent`` or ``rejected_tables`` are not keys (use :meth:`LoadedTables.table`, which
    gives an empty frame with every canonical column for them). Each frame:

    * columns = the canonical names of ``schemas.py`` that the input had (a column absent
      from the input is absent from the frame), then the config ``columns.keep`` columns
      under the names the config gives, then ``ROW`` (int64: spreadsheet row, header = 1;
      for SQL and Parquet the record's position + 1) and ``FILE`` (file path,
      ``workbook:sheet`` or table name);
    * types: ``ID``/``REF`` -> ``string`` holding 18-character Ids (15-character inputs
      expanded, so both forms of one record are equal); ``TEXT``/``PICK`` -> ``string``
      (CR/LF normalised to ``\\n``, control characters removed, known picklist values in
      their canonical spelling, unknown ones as written); ``DATE`` -> ``datetime64[us]``
      holding the calendar date (datetimes keep the date they were written with);
      ``BOOL`` -> ``bool`` (empty = False); ``INT`` -> ``Int64``; ``NUM`` -> ``float64``.
      Missing values are ``pd.NA`` / ``NaT`` / ``NaN``, never the text ``"nan"``;
    * rows: deleted rows (``IsDeleted``/``_fivetran_deleted``), rows of rejected accounts
      and rows that could not be tied to an account are gone; the rest keep input order;
      the index is a fresh RangeIndex;
    * every row of an account-bound table belongs to an account in ``tables["Account"]``:
      ``AccountId`` (or ``Account__c`` for the custom objects: ``schemas.TABLES[name]
      .account_column``) always resolves. ``Task`` and ``Event`` always carry a resolved
      ``AccountId`` (from AccountId, else WhatId = the Account or its Opportunity, else the
      WhoId contact's account). ``OpportunityContactRole`` and ``OpportunityLineItem``
      reach their account through ``OpportunityId``, which always resolves;
    * hard references (Contact.ReportsToId, OpportunityContactRole.ContactId, ...) resolve
      within the loaded tables; soft ones (User, Product2, Account.ParentId, activity WhoId)
      may point outside the input: treat an unknown target as "unknown".

``problems``
    every :class:`~kamdocs.errors.Problem` found, sorted by file and row.
``rejected``
    ``{account Id: reasons}``: accounts left out because a row of theirs has an error.
``rejected_tables``
    ``{object: reasons}``: tables present but unusable (unreadable, required column missing).
``absent``
    objects not in the input at all (a document says "no ... were provided").
``ignored_columns``, ``ignored_sources``
    input columns (per object, as written) and files/sheets/tables that were not used.
``deleted_dropped``
    ``{object: rows dropped as deleted}`` for every loaded object.
``input_hashes``
    ``{file or table: sha256}`` of what was read; ``source_description`` says what it was.

When the input cannot be used at all (no readable Account table, Account without Id or
Name, no account left) :func:`read_tables` raises :class:`~kamdocs.errors.InputErrors`
holding every problem found. A bad path or URL raises :class:`~kamdocs.errors.UsageError`;
an unknown object or field in the config's ``columns`` section raises ``ConfigError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kamdocs.config import Settings
from kamdocs.data import schemas, sources, validate
from kamdocs.data.schemas import Kind
from kamdocs.errors import InputErrors, Problem, Severity

_DTYPES = {
    Kind.ID: "string", Kind.REF: "string", Kind.TEXT: "string", Kind.PICK: "string",
    Kind.DATE: "datetime64[us]", Kind.BOOL: "bool", Kind.INT: "Int64", Kind.NUM: "float64",
}


@dataclass(frozen=True)
class LoadedTables:
    """Validated, typed tables of one input; see the module docstring for the contract."""

    tables: dict[str, pd.DataFrame]
    problems: tuple[Problem, ...]
    rejected: dict[str, tuple[str, ...]]
    rejected_tables: dict[str, tuple[str, ...]]
    absent: tuple[str, ...]
    ignored_columns: dict[str, tuple[str, ...]]
    ignored_sources: tuple[str, ...]
    deleted_dropped: dict[str, int]
    input_hashes: dict[str, str]
    source_description: str

    def table(self, name: str) -> pd.DataFrame:
        """The loaded table, or an empty one with every canonical column when not loaded."""
        if name in self.tables:
            return self.tables[name]
        return empty_table(name)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)


def empty_table(name: str) -> pd.DataFrame:
    """A zero-row frame with the canonical columns and types of object ``name``."""
    spec = schemas.TABLES[name]
    columns = {c.name: pd.Series(dtype=_DTYPES[c.kind]) for c in spec.columns}
    columns[schemas.ROW] = pd.Series(dtype="int64")
    columns[schemas.FILE] = pd.Series(dtype="string")
    return pd.DataFrame(columns)


def read_tables(source: str | Path, settings: Settings) -> LoadedTables:
    """Read ``source``, check every table and return what can be used.

    Raises :class:`~kamdocs.errors.InputErrors` (with every problem) when nothing usable
    is left: no Account table, Account without Id or Name, or no account without errors.
    """
    raw = sources.read_source(source, settings)
    checked = validate.check(raw, settings)
    if checked.fatal:
        errors = sum(p.severity is Severity.ERROR for p in checked.problems)
        raise InputErrors(
            checked.problems,
            f"{raw.description}: input rejected ({errors} error(s)); nothing could be loaded",
        )
    return LoadedTables(
        tables=checked.tables,
        problems=checked.problems,
        rejected=checked.rejected,
        rejected_tables=checked.rejected_tables,
        absent=checked.absent,
        ignored_columns=checked.ignored_columns,
        ignored_sources=raw.ignored_sources,
        deleted_dropped=checked.deleted_dropped,
        input_hashes=raw.input_hashes,
        source_description=raw.description,
    )
