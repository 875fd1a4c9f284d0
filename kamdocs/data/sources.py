"""Read a CSV folder, an .xlsx workbook, a Parquet folder or a SQL database into raw tables.

Every reader gives the same thing: per Salesforce object, a frame of strings exactly as
written (``""`` for an empty cell), the column headers as written, the spreadsheet row of
each record (header = row 1) and the file it came from. Nothing is typed here, so the
validator can point at every bad cell; typed sources (Parquet, SQL, Excel cells) are
turned into the text a CSV export would hold (``true``, ``2024-01-23``, ``35000``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kamdocs.config import Settings
from kamdocs.data import schemas
from kamdocs.errors import ConfigError, Severity, UsageError

TABULAR_SUFFIXES = (".csv", ".parquet")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found before accounts are known; ``position`` indexes the raw frame."""

    file: str
    row: int | None
    column: str | None
    reason: str
    value: str | None = None
    severity: Severity = Severity.ERROR
    position: int | None = None


@dataclass
class RawTable:
    """One object's records as written: all strings, headers as in the file."""

    object_name: str
    file: str
    #: Cells as strings, ``""`` when empty; index 0..n-1; columns as written (unique).
    frame: pd.DataFrame
    #: Spreadsheet row of each frame row (header = 1).
    rows: np.ndarray
    #: Problems tied to rows or headers of this table (ragged rows, duplicate headers).
    findings: list[Finding] = field(default_factory=list)
    #: Headers dropped while reading (duplicates, empty headers over data).
    dropped_columns: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RawInput:
    description: str
    tables: dict[str, RawTable]
    findings: tuple[Finding, ...]
    #: Objects whose source exists but could not be read (or came from two sources).
    unreadable: tuple[str, ...]
    #: Tabular files, sheets or tables that match no object.
    ignored_sources: tuple[str, ...]
    input_hashes: dict[str, str]


class ObjectNames:
    """Maps file, sheet and table names to canonical object names (case-insensitive)."""

    def __init__(self, settings: Settings) -> None:
        keys: dict[str, str] = {}
        for name, table in schemas.TABLES.items():
            for spelling in (name, *table.aliases):
                for key in schemas.name_keys(spelling):
                    keys.setdefault(key, name)
        for name, spellings in sorted(settings.columns.objects.items()):
            if name not in schemas.TABLES:
                raise ConfigError(
                    f"{_config_name(settings)}: columns.objects names unknown object {name!r}"
                    f" (known: {', '.join(sorted(schemas.TABLES))})"
                )
            for spelling in spellings:
                key = schemas.normalise(spelling)
                if keys.get(key, name) != name:
                    raise ConfigError(
                        f"{_config_name(settings)}: columns.objects: {spelling!r} is already"
                        f" a name of {keys[key]}"
                    )
                keys[key] = name
        self._keys = keys

    def match(self, name: str) -> str | None:
        return self._keys.get(schemas.normalise(name))


def _config_name(settings: Settings) -> str:
    return str(settings.path) if settings.path is not None else "<defaults>"


def read_source(source: str | Path, settings: Settings) -> RawInput:
    """Read every object found in ``source`` (folder, workbook or SQLAlchemy URL)."""
    names = ObjectNames(settings)
    text = str(source)
    if "://" in text:
        return _read_database(text, names)
    path = Path(source)
    if path.is_dir():
        return _read_folder(path, names)
    if path.is_file() and path.suffix.lower() in WORKBOOK_SUFFIXES:
        return _read_workbook(path, names)
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    raise UsageError(
        f"{path}: give a folder of CSV or Parquet files, an .xlsx workbook or a database URL"
    )


# --------------------------------------------------------------------------- collection


class _Collector:
    """Gathers tables from one source, refusing a second source for the same object."""

    def __init__(self) -> None:
        self.tables: dict[str, RawTable] = {}
        self.findings: list[Finding] = []
        self.unreadable: set[str] = set()
        self.ignored: list[str] = []
        self.hashes: dict[str, str] = {}
        self._claimed: dict[str, str] = {}

    def claim(self, object_name: str, file: str) -> bool:
        first = self._claimed.get(object_name)
        if first is None:
            self._claimed[object_name] = file
            return True
        # Two files for one object: loading either would silently drop the other's rows.
        self.findings.append(
            Finding(file, None, None, f"a second source for {object_name} (also {first});"
                    " keep one", severity=Severity.ERROR)
        )
        self.unreadable.add(object_name)
        self.tables.pop(object_name, None)
        return False

    def fail(self, object_name: str, file: str, reason: str) -> None:
        self.findings.append(Finding(file, None, None, reason, severity=Severity.ERROR))
        self.unreadable.add(object_name)

    def add(self, table: RawTable) -> None:
        if table.object_name in self.unreadable:
            return
        if not len(table.frame.columns) and not table.dropped_columns:
            # An empty file or sheet holds no data: the object counts as absent.
            self.findings.append(Finding(table.file, None, None,
                                         "empty (no header row); treated as absent",
                                         severity=Severity.WARNING))
            return
        self.tables[table.object_name] = table

    def result(self, description: str) -> RawInput:
        return RawInput(
            description=description,
            tables=dict(sorted(self.tables.items())),
            findings=tuple(self.findings),
            unreadable=tuple(sorted(self.unreadable)),
            ignored_sources=tuple(self.ignored),
            input_hashes=dict(sorted(self.hashes.items())),
        )


def _read_folder(folder: Path, names: ObjectNames) -> RawInput:
    collector = _Collector()
    try:
        files = sorted(
            p for p in folder.iterdir()
            if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in TABULAR_SUFFIXES
        )
    except OSError as exc:
        raise UsageError(f"{folder}: cannot list the folder ({exc.strerror or exc})") from exc
    for path in files:
        label = str(path)
        object_name = names.match(path.stem)
        if object_name is None:
            collector.ignored.append(label)
            continue
        if not collector.claim(object_name, label):
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            collector.fail(object_name, label, f"unreadable file ({exc.strerror or exc})")
            continue
        collector.hashes[label] = hashlib.sha256(data).hexdigest()
        if path.suffix.lower() == ".csv":
            table = _csv_table(object_name, label, data, collector)
        else:
            table = _parquet_table(object_name, label, data, collector)
        if table is not None:
            collector.add(table)
    kinds = sorted({p.suffix.lower().lstrip(".") for p in files})
    description = f"folder {folder} ({len(files)} {'/'.join(kinds) or 'tabular'} files)"
    return collector.result(description)


# --------------------------------------------------------------------------- CSV


def _decode(data: bytes, label: str, collector: _Collector) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export.
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    collector.findings.append(
        Finding(label, None, None, "not UTF-8; read as Windows-1252 (cp1252): check accents",
                severity=Severity.WARNING)
    )
    return text


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    # Excel in many European locales saves "CSV" with semicolons; tab for Unicode text.
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: (counts[sep], sep == ","))


def _csv_table(object_name: str, label: str, data: bytes, collector: _Collector) -> RawTable | None:
    text = _decode(data, label, collector)
    if text is None:
        collector.fail(object_name, label, "unreadable file: neither UTF-8 nor Windows-1252 text")
        return None
    if not text.strip():
        return RawTable(object_name, label, pd.DataFrame(), np.zeros(0, dtype=np.int64))
    sep = _delimiter(text)
    findings: list[Finding] = []
    grid = _arrow_grid(text, sep)
    if grid is None:
        try:
            grid = pd.read_csv(
                io.StringIO(text, newline=""), header=None, dtype=str, na_filter=False,
                skip_blank_lines=False, sep=sep, engine="c",
            )
        except pd.errors.ParserError:
            # Some row has more fields than the header: find every such row, keep the rest.
            grid = _ragged_grid(text, sep, label, findings)
    return _table_from_grid(object_name, label, grid, np.arange(1, len(grid) + 1), findings)


def _arrow_grid(text: str, sep: str) -> pd.DataFrame | None:
    """The fast path: Arrow's CSV reader, all columns as strings; None when the file has
    blank lines (Arrow would renumber the records), short or long rows."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    if re.search(r"\n[ \t\r]*\n", text) or text.startswith("\n"):
        return None
    try:
        width = len(next(csv.reader(io.StringIO(text, newline=""), delimiter=sep)))
        names = [f"c{i}" for i in range(width)]
        table = pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pa_csv.ReadOptions(column_names=names, use_threads=False),
            parse_options=pa_csv.ParseOptions(delimiter=sep, newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False, quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, csv.Error, StopIteration):
        return None
    grid = table.to_pandas()
    grid.columns = range(width)
    return grid


def _ragged_grid(text: str, sep: str, label: str, findings: list[Finding]) -> pd.DataFrame:
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    width = len(records[0]) if records else 0
    for index, record in enumerate(records):
        if len(record) > width:
            extra = [cell for cell in record[width:] if cell.strip()]
            findings.append(Finding(
                label, index + 1, None,
                f"row has {len(record)} fields but the header has {width}; the extra ones"
                " are not loaded",
                ", ".join(extra) or None, Severity.ERROR, position=index - 1,
            ))
    padded = [(record + [""] * width)[:width] for record in records]
    return pd.DataFrame(padded, dtype=str)


def _table_from_grid(
    object_name: str, label: str, grid: pd.DataFrame, rows: np.ndarray, findings: list[Finding]
) -> RawTable:
    """Header = first grid row; drop blank records but keep every record's row number."""
    header = [str(h) for h in grid.iloc[0].tolist()] if len(grid) else []
    body = grid.iloc[1:].reset_index(drop=True)
    body_rows = rows[1:]
    keep: list[int] = []
    columns: list[str] = []
    dropped: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(header):
        name = raw.strip().lstrip("\ufeff")
        if not name:
            if len(body) and bool((body.iloc[:, index].str.strip() != "").any()):
                place = f"(column {index + 1})"
                dropped.append(place)
                findings.append(Finding(label, 1, place, "column has data but no header; ignored",
                                        severity=Severity.WARNING))
            continue
        if name in seen:
            dropped.append(name)
            findings.append(Finding(label, 1, name, "duplicate column header; the later one is"
                                    " ignored", severity=Severity.WARNING))
            continue
        seen.add(name)
        keep.append(index)
        columns.append(name)
    frame = body.iloc[:, keep]
    frame.columns = columns
    if len(frame.columns):
        # A record is blank when every cell is empty; spaces count as content here so the
        # check stays one cheap comparison per column (such rows are reported, not lost).
        empty = np.logical_and.reduce([(frame[c] == "").to_numpy(bool) for c in frame.columns])
    else:
        empty = np.ones(len(frame), dtype=bool)
    # Positions in findings refer to the body before blank records are dropped; remap.
    new_position = np.cumsum(~empty) - 1
    remapped = []
    for finding in findings:
        position = finding.position
        if position is not None:
            position = None if empty[position] else int(new_position[position])
            if position is None:
                continue
        remapped.append(_with_position(finding, position))
    frame = frame.loc[~empty].reset_index(drop=True)
    return RawTable(object_name, label, frame, body_rows[~empty], remapped, dropped)


def _with_position(finding: Finding, position: int | None) -> Finding:
    return Finding(finding.file, finding.row, finding.column, finding.reason, finding.value,
                   finding.severity, position)


# --------------------------------------------------------------------------- typed sources


def _text_cell(value: object) -> str:
    """One typed cell as an export would write it."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return ""
        return str(int(value)) if float(value).is_integer() and abs(value) < 2**53 else repr(
            float(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime | pd.Timestamp):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _as_text(values: pd.Series) -> pd.Series:
    """A typed column as strings ("" for missing); vectorised for the common dtypes."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        text = values.map({True: "true", False: "false"})
        return text.fillna("").astype(str)
    if pd.api.types.is_integer_dtype(dtype):
        return values.astype("string").fillna("").astype(str)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        if getattr(dtype, "tz", None) is not None:
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        has_time = bool((values.dropna() != values.dropna().dt.normalize()).any())
        fmt = "%Y-%m-%d %H:%M:%S" if has_time else "%Y-%m-%d"
        return values.dt.strftime(fmt).fillna("").astype(str)
    if pd.api.types.is_string_dtype(dtype) and pd.api.types.infer_dtype(
        values, skipna=True
    ) in ("string", "empty"):
        return values.fillna("").astype(str)
    return values.map(_text_cell).astype(str)


def _text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {str(c): _as_text(frame.iloc[:, i]) for i, c in enumerate(frame.columns)},
        index=pd.RangeIndex(len(frame)),
    )


def _typed_table(object_name: str, label: str, frame: pd.DataFrame) -> RawTable:
    header = pd.DataFrame([list(map(str, frame.columns))])
    text = _text_frame(frame)
    text.columns = range(len(text.columns))
    grid = pd.concat([header, text], ignore_index=True).astype(str)
    return _table_from_grid(object_name, label, grid, np.arange(1, len(grid) + 1), [])


def _parquet_table(
    object_name: str, label: str, data: bytes, collector: _Collector
) -> RawTable | None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        frame = pq.read_table(pa.BufferReader(data)).to_pandas()
    except (pa.ArrowException, OSError, ValueError) as exc:
        collector.fail(object_name, label, f"unreadable file: not a Parquet file ({exc})")
        return None
    return _typed_table(object_name, label, frame)


# --------------------------------------------------------------------------- workbook


def _read_workbook(path: Path, names: ObjectNames) -> RawInput:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    collector = _Collector()
    label = str(path)
    try:
        data = path.read_bytes()
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        collector.findings.append(
            Finding(label, None, None, f"unreadable file: not an .xlsx workbook ({exc})")
        )
        # Without the workbook there is no Account table: the caller rejects the input.
        collector.unreadable.add(schemas.ACCOUNT)
        return collector.result(f"workbook {path}")
    collector.hashes[label] = hashlib.sha256(data).hexdigest()
    try:
        for sheet in book.worksheets:
            sheet_label = f"{label}:{sheet.title}"
            object_name = names.match(sheet.title)
            if object_name is None:
                collector.ignored.append(sheet_label)
                continue
            if not collector.claim(object_name, sheet_label):
                continue
            collector.add(_sheet_table(object_name, sheet_label, sheet))
    finally:
        book.close()
    return collector.result(f"workbook {path} ({len(book.sheetnames)} sheets)")


def _sheet_table(object_name: str, label: str, sheet: Any) -> RawTable:
    records: list[list[str]] = []
    rows: list[int] = []
    # Writers other than Excel often store a wrong sheet size; read what is really there.
    sheet.reset_dimensions()
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_text_cell(v) for v in values]
        if number > 1 and not any(c.strip() for c in cells):
            continue
        records.append(cells)
        rows.append(number)
    width = max((len(r) for r in records), default=0)
    grid = pd.DataFrame([(r + [""] * width)[:width] for r in records], dtype=str)
    if not records:
        grid = pd.DataFrame([[]], dtype=str)
        rows = [1]
    return _table_from_grid(object_name, label, grid, np.array(rows, dtype=np.int64), [])


# --------------------------------------------------------------------------- SQL


def _read_database(url: str, names: ObjectNames) -> RawInput:
    import sqlalchemy as sa
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

    try:
        engine = sa.create_engine(url)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise UsageError(f"{url}: not a database URL SQLAlchemy can open ({exc})") from exc
    shown = engine.url.render_as_string(hide_password=True)
    database = engine.url.database
    in_memory = database in (None, "", ":memory:")
    is_file_db = engine.url.get_backend_name() == "sqlite" and not in_memory
    if is_file_db and not Path(str(database)).is_file():
        # SQLite would create an empty database file rather than fail.
        engine.dispose()
        raise UsageError(f"{shown}: no such database file {database}")
    collector = _Collector()
    try:
        with engine.connect() as connection:
            inspector = sa.inspect(connection)
            found = sorted(inspector.get_table_names()) + sorted(inspector.get_view_names())
            for table_name in found:
                object_name = names.match(table_name)
                if object_name is None:
                    collector.ignored.append(table_name)
                    continue
                if not collector.claim(object_name, table_name):
                    continue
                try:
                    table = sa.Table(table_name, sa.MetaData(), autoload_with=connection)
                    frame = pd.read_sql(sa.select(table), connection)
                except SQLAlchemyError as exc:
                    collector.fail(object_name, table_name, f"unreadable table ({exc})")
                    continue
                raw = _typed_table(object_name, table_name, frame)
                digest = hashlib.sha256(raw.frame.to_csv(index=False).encode("utf-8"))
                collector.hashes[table_name] = digest.hexdigest()
                collector.add(raw)
    except SQLAlchemyError as exc:
        collector.findings.append(
            Finding(shown, None, None, f"cannot read the database ({type(exc).__name__}:"
                    f" {str(exc).splitlines()[0]})")
        )
        collector.unreadable.add(schemas.ACCOUNT)
    finally:
        engine.dispose()
    return collector.result(f"database {shown}")
