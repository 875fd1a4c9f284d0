"""Vectorised cell parsers: strings as read -> typed values plus a mask of the bad cells.

Every function takes a Series of ``str`` (``""`` = empty cell) and returns the typed Series
and a boolean mask of the cells it could not read. Callers report the masked cells (they
know file, row and column); nothing here loops over rows in Python.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

#: Characters removed from text: C0 controls except TAB/LF/CR, DEL and C1 controls.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

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


def blank(values: pd.Series) -> pd.Series:
    """True where a cell holds nothing but whitespace."""
    return values.str.strip() == ""


def missing_marker(values: pd.Series) -> pd.Series:
    """True where a typed cell is empty or holds a "no value" marker such as NULL or N/A."""
    folded = values.str.strip().str.lower()
    return (folded == "") | folded.isin(MISSING_MARKERS)


def clean_text(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Remove control characters and normalise CR/LF to LF; return (text, had_controls)."""
    # Exports from Windows tools carry CRLF inside quoted text; documents want one newline.
    text = values.str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
    had_controls = text.str.contains(CONTROL_CHARS, regex=True)
    if had_controls.any():
        text = text.where(~had_controls, text.str.replace(CONTROL_CHARS, "", regex=True))
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


def parse_ids(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Salesforce Ids as 18 characters; return (ids, bad).

    Exports mix 15- and 18-character forms of one record; expanding the 15-character form
    with its checksum makes them compare equal. An 18-character Id whose last three
    characters do not match its checksum is bad, like any other shape.
    """
    return by_unique(values, _parse_unique_ids)


def _parse_unique_ids(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    stripped = values.str.strip()
    shaped = (stripped.str.match(_ID_RE) & (stripped != "")).to_numpy(dtype=bool)
    bad = (stripped != "").to_numpy(dtype=bool) & ~shaped
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
    return (pd.Series(result, index=values.index, dtype="string"),
            pd.Series(bad, index=values.index))


def by_unique(
    values: pd.Series, parse: Callable[[pd.Series], tuple[pd.Series, pd.Series]]
) -> tuple[pd.Series, pd.Series]:
    """Run ``parse`` once per distinct value: reference and date columns repeat a few
    thousand values over hundreds of thousands of rows."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    typed, bad = parse(pd.Series(uniques, dtype=values.dtype))
    return (pd.Series(typed.array.take(codes), index=values.index),
            pd.Series(bad.to_numpy(dtype=bool)[codes], index=values.index))


def parse_bools(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Booleans as exports write them (1/''/true/TRUE/false/yes/no); empty = False."""
    folded = values.str.strip().str.lower()
    is_true = folded.isin(TRUE_WORDS)
    is_false = folded.isin(FALSE_WORDS) | folded.isin(MISSING_MARKERS)
    bad = ~(is_true | is_false)
    return is_true.astype(bool), bad


def parse_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers as float64 (missing = NaN); ``1,234.50`` reads, ``12abc`` and ``inf`` are bad."""
    stripped = values.str.strip()
    missing = missing_marker(values)
    grouped = stripped.str.match(_GROUPED_NUMBER)
    plain = stripped.where(~grouped, stripped.str.replace(",", "", regex=False))
    plain = plain.where(~missing, "")
    numbers = pd.to_numeric(plain.replace("", None), errors="coerce").astype("float64")
    # to_numeric accepts "inf" and "nan" spelled out; an amount cannot be either.
    finite = np.isfinite(numbers.to_numpy())
    bad = ~missing & ~pd.Series(finite, index=values.index)
    numbers = numbers.where(finite, np.nan)
    return numbers, bad


def parse_ints(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Whole numbers as nullable Int64; return (ints, bad, fractional)."""
    numbers, bad = parse_numbers(values)
    fractional = numbers.notna() & (numbers != np.floor(numbers.fillna(0)))
    # Beyond 2**53 a float is no longer an exact whole number; treat as unreadable.
    huge = numbers.abs() > 2**53
    bad = bad | huge
    kept = numbers.where(~(fractional | huge))
    return kept.round().astype("Int64"), bad, fractional


def parse_dates(values: pd.Series, date_format: str) -> tuple[pd.Series, pd.Series]:
    """Dates and datetimes as ``datetime64[us]`` date parts (missing = NaT); return (dates, bad).

    Reads ISO dates and datetimes (``2024-01-23``, ``2024-01-23 03:54:57``,
    ``2024-01-23T03:54:57.000+0000``) and the configured short format (default
    ``%m/%d/%y``), its four-digit-year variant, and either followed by a time
    (``02/23/26 08:55 PM``). A datetime keeps the calendar date it was written with.
    """
    return by_unique(values, lambda unique: _parse_unique_dates(unique, date_format))


def _parse_unique_dates(values: pd.Series, date_format: str) -> tuple[pd.Series, pd.Series]:
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
    bad = ~missing & result.isna()
    return result, bad


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
