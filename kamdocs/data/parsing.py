"""Vectorised cell parsers: strings as read -> typed values plus masks of the cells to report.

:func:`parse_column` is the entry point: it parses each distinct value of a column once
(reference, date and flag columns repeat a few thousand values over hundreds of thousands
of rows) and returns the typed column with masks of the bad, blank and cleaned cells.
Callers report the masked cells (they know file, row and column); nothing here loops over
rows in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamdocs.data.schemas import Kind

#: Characters removed from text: C0 controls except TAB/LF/CR, DEL and C1 controls.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Text that needs any cleaning at all: the control characters above, or a CR.
_NEEDS_CLEANING = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

#: Written into typed (number, date, boolean) cells by SQL dumps and spreadsheets to mean
#: "no value"; in text cells these stay text ("NA" is a company, "Null Corp" a name).
MISSING_MARKERS = frozenset({"null", "none", "nan", "n/a", "na", "#n/a", "nat", "<na>"})

TRUE_WORDS = frozenset({"1", "true", "t", "yes", "y", "1.0"})
FALSE_WORDS = frozenset({"0", "false", "f", "no", "n", "0.0", ""})

_ID_RE = r"^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$"
_CHECKSUM_ALPHABET = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", dtype=np.uint8)
_BIT_WEIGHTS = np.array([1, 2, 4, 8, 16], dtype=np.uint8)

# ISO dates, optionally with a time and an offset: 2024-01-23, 2024-01-23 03:54:57,
# 2024-01-23T03:54:57.000+0000, 2024-01-23T03:54:57Z.
_ISO_RE = (
    r"^\d{4}-\d{2}-\d{2}"
    r"(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_GROUPED_NUMBER = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"


@dataclass(frozen=True)
class Parsed:
    """One parsed column; every mask has one entry per row."""

    #: The typed values (see schemas.py for the dtype of each kind).
    values: pd.Series
    #: Cells that could not be read as the column's kind (an error).
    bad: np.ndarray
    #: Cells that are empty or whitespace only.
    blank: np.ndarray
    #: Typed cells holding a "no value" marker such as N/A, read as missing.
    marker: np.ndarray
    #: INT cells holding a number with a fraction (read as missing; an error).
    fractional: np.ndarray
    #: Text cells whose control characters were removed.
    controls: np.ndarray


def parse_column(values: pd.Series, kind: Kind, date_format: str) -> Parsed:
    """Parse a column of strings (``""`` = empty) as ``kind``, each distinct value once."""
    if kind is Kind.ID:
        # A record's own Ids are all distinct: nothing to share.
        return _parse_distinct(values, kind, date_format)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    distinct = pd.Series(uniques, dtype=values.dtype)
    parsed = _parse_distinct(distinct, kind, date_format)
    return Parsed(
        values=pd.Series(parsed.values.array.take(codes), index=values.index),
        bad=parsed.bad[codes],
        blank=parsed.blank[codes],
        marker=parsed.marker[codes],
        fractional=parsed.fractional[codes],
        controls=parsed.controls[codes],
    )


def _parse_distinct(values: pd.Series, kind: Kind, date_format: str) -> Parsed:
    none = np.zeros(len(values), dtype=bool)
    stripped = values.str.strip()
    blank = (stripped == "").to_numpy(dtype=bool)
    marker = none
    fractional = none
    controls = none
    if kind in (Kind.BOOL, Kind.DATE, Kind.INT, Kind.NUM):
        marker = missing_marker(values).to_numpy(dtype=bool) & ~blank
    if kind in (Kind.ID, Kind.REF):
        typed, bad = parse_ids(values)
    elif kind is Kind.BOOL:
        typed, bad = parse_bools(values)
    elif kind is Kind.DATE:
        typed, bad = parse_dates(values, date_format)
    elif kind is Kind.INT:
        typed, bad, fractional_series = parse_ints(values)
        fractional = fractional_series.to_numpy(dtype=bool)
    elif kind is Kind.NUM:
        typed, bad = parse_numbers(values)
    else:
        text, had_controls = clean_text(values)
        controls = had_controls.to_numpy(dtype=bool)
        blank = (text.str.strip() == "").to_numpy(dtype=bool)
        typed, bad = text.where(~blank).astype("string"), none
    return Parsed(typed, np.asarray(bad, dtype=bool), blank, marker, fractional, controls)


def missing_marker(values: pd.Series) -> pd.Series:
    """True where a typed cell is empty or holds a "no value" marker such as NULL or N/A."""
    folded = values.str.strip().str.lower()
    return (folded == "") | folded.isin(MISSING_MARKERS)


def clean_text(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Remove control characters and normalise CR/LF to LF; return (text, had_controls)."""
    had_controls = pd.Series(False, index=values.index)
    suspicious = values.str.contains(_NEEDS_CLEANING, regex=True).to_numpy(dtype=bool)
    if not suspicious.any():
        return values, had_controls
    # Exports from Windows tools carry CRLF inside quoted text; documents want one newline.
    fixed = values[suspicious].str.replace("\r\n", "\n", regex=False)
    fixed = fixed.str.replace("\r", "\n", regex=False)
    had_controls[suspicious] = fixed.str.contains(CONTROL_CHARS, regex=True).to_numpy(bool)
    text = values.copy()
    text[suspicious] = fixed.str.replace(CONTROL_CHARS, "", regex=True)
    return text, had_controls


def checksum_suffix(ids15: np.ndarray) -> np.ndarray:
    """The 3-character case checksum Salesforce appends to a 15-character Id.

    Each 5-character chunk gives one character: bit i is set when character i is an
    upper-case letter, and the 5-bit number indexes ``A..Z0..5``.
    """
    codes = np.frombuffer(ids15.astype("S15").tobytes(), dtype=np.uint8).reshape(-1, 3, 5)
    upper = (codes >= ord("A")) & (codes <= ord("Z"))
    index = (upper * _BIT_WEIGHTS).sum(axis=2)
    suffix = _CHECKSUM_ALPHABET[index]
    return np.frombuffer(suffix.tobytes(), dtype="S3").astype(str)


def parse_ids(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Salesforce Ids as 18 characters; return (ids, bad).

    Exports mix 15- and 18-character forms of one record; expanding the 15-character form
    with its checksum makes them compare equal. An 18-character Id whose last three
    characters do not match its checksum is bad, like any other shape.
    """
    stripped = values.str.strip()
    present = (stripped != "").to_numpy(dtype=bool)
    shaped = stripped.str.match(_ID_RE).to_numpy(dtype=bool) & present
    bad = present & ~shaped
    result = np.full(len(values), None, dtype=object)
    if shaped.any():
        ids = stripped[shaped].to_numpy(dtype=str)
        heads = np.strings.slice(ids, 0, 15)
        expected = checksum_suffix(heads)
        long_form = np.strings.str_len(ids) == 18
        wrong = long_form & (np.strings.slice(ids, 15, 18) != expected)
        full = np.strings.add(heads, expected).astype(object)
        full[wrong] = None
        result[shaped] = full
        bad[np.flatnonzero(shaped)[wrong]] = True
    return pd.Series(result, index=values.index, dtype="string"), bad


def parse_bools(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Booleans as exports write them (1/''/true/TRUE/false/yes/no); empty = False."""
    folded = values.str.strip().str.lower()
    is_true = folded.isin(TRUE_WORDS).to_numpy(dtype=bool)
    is_false = (folded.isin(FALSE_WORDS) | folded.isin(MISSING_MARKERS)).to_numpy(dtype=bool)
    return pd.Series(is_true, index=values.index, dtype=bool), ~(is_true | is_false)


def parse_numbers(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Numbers as float64 (missing = NaN); ``1,234.50`` reads, ``12abc`` and ``inf`` are bad."""
    stripped = values.str.strip()
    missing = missing_marker(values).to_numpy(dtype=bool)
    grouped = stripped.str.match(_GROUPED_NUMBER)
    plain = stripped.where(~grouped, stripped.str.replace(",", "", regex=False))
    plain = plain.where(~missing, "")
    numbers = pd.to_numeric(plain.replace("", None), errors="coerce").astype("float64")
    # to_numeric accepts "inf" and "nan" spelled out; an amount cannot be either.
    finite = np.isfinite(numbers.to_numpy())
    return numbers.where(finite, np.nan), ~missing & ~finite


def parse_ints(values: pd.Series) -> tuple[pd.Series, np.ndarray, pd.Series]:
    """Whole numbers as nullable Int64; return (ints, bad, fractional)."""
    numbers, bad = parse_numbers(values)
    fractional = numbers.notna() & (numbers != np.floor(numbers.fillna(0)))
    # Beyond 2**53 a float is no longer an exact whole number; treat as unreadable.
    huge = (numbers.abs() > 2**53).to_numpy(dtype=bool)
    kept = numbers.where(~(fractional.to_numpy(dtype=bool) | huge))
    return kept.round().astype("Int64"), bad | huge, fractional


def parse_dates(values: pd.Series, date_format: str) -> tuple[pd.Series, np.ndarray]:
    """Dates and datetimes as ``datetime64[us]`` date parts (missing = NaT); return (dates, bad).

    Reads ISO dates and datetimes (``2024-01-23``, ``2024-01-23 03:54:57``,
    ``2024-01-23T03:54:57.000+0000``) and the configured short format (default
    ``%m/%d/%y``), its four-digit-year variant, and either followed by a time
    (``02/23/26 08:55 PM``). A datetime keeps the calendar date it was written with.
    """
    stripped = values.str.strip()
    missing = missing_marker(values)
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    todo = ~missing
    # match() runs in Arrow; extract() would fall back to Python per cell.
    is_iso = todo & stripped.str.match(_ISO_RE)
    if is_iso.any():
        result[is_iso] = _to_dates(stripped[is_iso].str.slice(0, 10), "%Y-%m-%d")
        todo = todo & ~is_iso
    for fmt in _short_formats(date_format):
        if not todo.any():
            break
        parsed = _to_dates(stripped[todo], fmt)
        hit = parsed.notna()
        if hit.any():
            result[hit[hit].index] = parsed[hit]
            todo = todo & ~result.notna()
    return result, (~missing & result.isna()).to_numpy(dtype=bool)


def _short_formats(date_format: str) -> tuple[str, ...]:
    bases = [date_format]
    if "%y" in date_format:
        # Excel re-saves write four-digit years even where the export had two.
        bases.append(date_format.replace("%y", "%Y"))
    times = ("", " %I:%M %p", " %I:%M:%S %p", " %H:%M", " %H:%M:%S")
    return tuple(base + time for base in bases for time in times)


def _to_dates(values: pd.Series, fmt: str) -> pd.Series:
    parsed = pd.to_datetime(values, format=fmt, errors="coerce")
    return parsed.dt.normalize().astype("datetime64[us]")
