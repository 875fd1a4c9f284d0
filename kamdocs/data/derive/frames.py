"""Small frame helpers every derivation shares: complete tables, money in cents, text keys.

Money is carried as integer cents (nullable ``Int64``) from here to the model, so that
every total is exactly the sum of its parts (start + changes == end in the ARR bridge,
whitespace totals == the sum of the cells); :mod:`kamdocs.data.assemble` turns cents
into ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import numpy as np
import pandas as pd

from kamdocs.data import schemas
from kamdocs.data.schemas import Kind

#: The column that ties every derived frame to its account.
ACCOUNT = "account"

_DTYPES = {
    Kind.ID: "str", Kind.REF: "str", Kind.TEXT: "str", Kind.PICK: "str",
    Kind.DATE: "datetime64[ns]", Kind.BOOL: "boolean", Kind.INT: "Int64", Kind.NUM: "float64",
}


def complete(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every schema table, with every schema column: absent ones added empty and typed.

    Derivations then never test whether a column exists; :func:`absent_fields` says
    which ones were filled in, so documents can name the data that is missing.
    """
    done: dict[str, pd.DataFrame] = {}
    for name, table in schemas.TABLES.items():
        frame = tables.get(name)
        if frame is None:
            frame = pd.DataFrame(index=pd.RangeIndex(0))
        else:
            frame = frame.reset_index(drop=True)
        added = {
            column.name: pd.Series([None] * len(frame), index=frame.index,
                                   dtype=_DTYPES[column.kind])
            for column in table.columns
            if column.name not in frame.columns
        }
        if added:
            frame = frame.assign(**added)
        done[name] = frame
    return done


def absent_fields(tables: Mapping[str, pd.DataFrame], used: Iterable[tuple[str, str]]) -> tuple[
    str, ...
]:
    """The objects absent from the input, then "Object.Field" for used fields absent from a
    present object, in schema order."""
    missing = [name for name in schemas.TABLES if name not in tables]
    for obj, column in used:
        if obj in tables and column not in tables[obj].columns:
            missing.append(f"{obj}.{column}")
    return tuple(missing)


def timestamp(value: date) -> pd.Timestamp:
    return pd.Timestamp(value)


def months_before(when: pd.Timestamp, months: int) -> pd.Timestamp:
    # DateOffset clamps to the month's end (31 May - 3 months = 28/29 Feb), as add_months does.
    return when - pd.DateOffset(months=months)


def cents(values: pd.Series) -> pd.Series:
    """Currency amounts -> whole cents (``Int64``), half away from zero; missing stays missing."""
    numeric = pd.to_numeric(values, errors="coerce").astype("float64")
    scaled = numeric * 100.0
    rounded = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)
    return pd.Series(rounded, index=values.index).astype("Int64")


def text_key(values: pd.Series) -> pd.Series:
    """The matching key of a text value: case-folded, trimmed, inner spaces collapsed;
    missing -> "" (so a blank matches only a blank)."""
    # Few distinct values repeat many times (stages, products, units): normalise each once.
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    keys = np.array([" ".join(str(u).split()).casefold() for u in uniques] + [""], dtype=object)
    return pd.Series(keys[codes], index=values.index, dtype="object")


def flag(values: pd.Series, default: bool = False) -> pd.Series:
    """A boolean column with missing values replaced by ``default``."""
    return values.astype("boolean").fillna(default).astype(bool)


def is_blank(values: pd.Series) -> pd.Series:
    """Missing or only whitespace."""
    return values.isna() | (values.astype("object").where(values.notna(), "").astype(str)
                            .str.strip() == "")


def is_in(values: pd.Series, choices: Iterable[str]) -> pd.Series:
    """Case-insensitive membership of a text column in ``choices``."""
    keys = {c.strip().casefold() for c in choices}
    return text_key(values).isin(keys)


def member(values: pd.Series, choices: Iterable[object] | pd.Series) -> pd.Series:
    """``values.isin(choices)``, fast for Arrow-backed strings too (their own ``isin`` turns
    every choice into a pyarrow scalar, one Python call each)."""
    if isinstance(choices, pd.Series | pd.Index):
        pool = choices.astype("object").to_numpy()
    else:
        pool = np.array(list(choices), dtype=object)
    return values.astype("object").isin(pool)


def empty_like(columns: Mapping[str, str]) -> pd.DataFrame:
    """An empty frame with typed columns (for accounts without any rows of an object)."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


def tuples_by(keys: pd.Series, values: pd.Series) -> pd.Series:
    """The values of each key as a tuple, in row order (a Series indexed by key)."""
    grouped: dict[object, list[object]] = {}
    for key, value in zip(keys.tolist(), values.tolist(), strict=True):
        grouped.setdefault(key, []).append(value)
    return pd.Series({k: tuple(v) for k, v in grouped.items()}, dtype="object")


def person_names(users: pd.DataFrame) -> pd.Series:
    """User Id -> display name."""
    return users.drop_duplicates(schemas.ID).set_index(schemas.ID)[schemas.NAME]
