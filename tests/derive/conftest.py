"""Hand-made tables typed exactly as the loader delivers them (schemas.py docstring)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import pytest

from kamdocs.config import Settings
from kamdocs.data import schemas
from kamdocs.data.schemas import Kind

AS_OF = date(2026, 11, 23)

_DTYPES = {
    Kind.ID: "str", Kind.REF: "str", Kind.TEXT: "str", Kind.PICK: "str",
    Kind.DATE: "datetime64[ns]", Kind.BOOL: "boolean", Kind.INT: "Int64", Kind.NUM: "float64",
}


def sfid(prefix: str, number: int) -> str:
    """An 18-character id that reads well in a failing assertion: 001000000000000007AAA."""
    return f"{prefix}{number:012d}AAA"


def table(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A frame of ``name`` with only the columns the rows use (absent fields stay absent),
    typed as the loader types them, plus ROW/FILE provenance."""
    spec = schemas.TABLES[name]
    used = [c for c in spec.columns if any(c.name in r for r in rows)]
    data = {}
    for column in used:
        values = [r.get(column.name) for r in rows]
        if column.kind is Kind.DATE:
            data[column.name] = pd.to_datetime(pd.Series(values, dtype="object"))
        else:
            data[column.name] = pd.Series(values, dtype=_DTYPES[column.kind])
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(rows)))
    frame[schemas.ROW] = range(2, len(rows) + 2)
    frame[schemas.FILE] = f"{name}.csv"
    return frame


def tables(**objects: list[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """``tables(Account=[...], Contact=[...])`` -> {object name: frame}."""
    return {name: table(name, rows) for name, rows in objects.items()}


@pytest.fixture(scope="session")
def make_tables() -> Callable[..., dict[str, pd.DataFrame]]:
    return tables


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


def build(frames: dict[str, pd.DataFrame], settings: Settings | None = None,
          as_of: date = AS_OF, previous: dict | None = None):  # noqa: ANN201
    """The assembled portfolio of hand-made frames."""
    from kamdocs.data.assemble import assemble
    from kamdocs.data.derive import derive

    settings = settings or Settings()
    return assemble(derive(frames, settings, as_of), settings, source="test",
                    previous=previous)


@pytest.fixture(scope="session")
def build_portfolio() -> Callable[..., object]:
    return build


@pytest.fixture(scope="session")
def derive_frames() -> Callable[..., object]:
    from kamdocs.data.derive import derive

    def run(frames: dict[str, pd.DataFrame], settings: Settings | None = None,
            as_of: date = AS_OF):  # noqa: ANN202
        return derive(frames, settings or Settings(), as_of)

    return run
