"""Canonical model JSON, both ways: what ``kamdocs model --json`` prints and batch snapshots
store, and what ``--previous FILE`` reads back for "changes since the last review".

Canonical means: keys sorted, two-space indent, UTF-8 (no ``\\u`` escapes), one trailing
newline; ``Decimal`` as a string ("1234.50", exact), dates as ISO strings, enums by value,
tuples as lists, floats as JSON numbers (never NaN). The same model always gives the same
bytes, so a hash of it identifies an account's data.

    dumps_account(account) -> str             {"format": "kamdocs.account", "version": 1,
    loads_account(text, source="") -> Account   "account": {...}}
    dumps_portfolio(portfolio) / loads_portfolio(text, source="")
    to_data(obj) / from_data(hint, data)       the plain-data conversion underneath

Reading ignores keys it does not know (a newer kamdocs wrote them) and fills fields the
file lacks with their defaults (an older kamdocs wrote it); anything else that does not fit
the model raises :class:`~kamdocs.errors.UsageError` naming the file and the field.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from kamdocs.errors import UsageError
from kamdocs.model import Account, Portfolio

ACCOUNT_FORMAT = "kamdocs.account"
PORTFOLIO_FORMAT = "kamdocs.portfolio"
VERSION = 1


class _Mismatch(Exception):
    """A value that does not fit its field; carries the path for the message."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path or 'document'}: {reason}")


def to_data(obj: Any) -> Any:
    """A model object as plain JSON-ready data."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_data(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, tuple | list):
        return [to_data(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_data(v) for k, v in obj.items()}
    if isinstance(obj, float) and obj != obj:  # noqa: PLR0124 - NaN must not reach a file
        raise ValueError("NaN in the model")
    return obj


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def dumps_account(account: Account) -> str:
    return canonical_json(
        {"format": ACCOUNT_FORMAT, "version": VERSION, "account": to_data(account)}
    )


def dumps_portfolio(portfolio: Portfolio) -> str:
    return canonical_json(
        {"format": PORTFOLIO_FORMAT, "version": VERSION, "portfolio": to_data(portfolio)}
    )


def loads_account(text: str, source: str = "") -> Account:
    """An account from ``dumps_account`` output (or a bare account object)."""
    data = _parse(text, source)
    if isinstance(data, dict) and data.get("format") == PORTFOLIO_FORMAT:
        raise UsageError(f"{source or 'model'}: a portfolio model, not one account's "
                         "(write it with: kamdocs model DATA ACCOUNT --json)")
    body = data.get("account", data) if isinstance(data, dict) else data
    return _convert(Account, body, source, "account")


def loads_portfolio(text: str, source: str = "") -> Portfolio:
    data = _parse(text, source)
    body = data.get("portfolio", data) if isinstance(data, dict) else data
    return _convert(Portfolio, body, source, "portfolio")


def from_data(hint: Any, data: Any) -> Any:
    """``data`` (plain JSON values) as an instance of the type ``hint``."""
    return _from(hint, data, "")


def _parse(text: str, source: str) -> Any:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{source or 'model'}: not a kamdocs model JSON ({exc})") from None
    if isinstance(data, dict) and data.get("version", VERSION) != VERSION:
        raise UsageError(f"{source or 'model'}: model version {data.get('version')} is not "
                         f"supported (this kamdocs reads version {VERSION})")
    return data


def _convert(cls: type, body: Any, source: str, path: str) -> Any:
    try:
        return _from(cls, body, path)
    except _Mismatch as exc:
        raise UsageError(f"{source or 'model'}: {exc}") from None


@functools.cache
def _hints(cls: type) -> tuple[tuple[str, Any, bool], ...]:
    # Resolving string annotations is slow; a model class's hints never change.
    hints = typing.get_type_hints(cls)
    return tuple(
        (f.name, hints[f.name],
         f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
        for f in dataclasses.fields(cls)
    )


def _from(hint: Any, data: Any, path: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        if data is None:
            if type(None) in args:
                return None
            raise _Mismatch(path, "missing value")
        options = [a for a in args if a is not type(None)]
        errors = []
        for option in options:
            try:
                return _from(option, data, path)
            except _Mismatch as exc:
                errors.append(str(exc))
        raise _Mismatch(path, f"does not fit ({'; '.join(errors)})")
    if origin is tuple:
        if not isinstance(data, list):
            raise _Mismatch(path, f"expected a list, got {type(data).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_from(args[0], v, f"{path}[{i}]") for i, v in enumerate(data))
        if len(args) != len(data):
            raise _Mismatch(path, f"expected {len(args)} items, got {len(data)}")
        return tuple(_from(a, v, f"{path}[{i}]") for i, (a, v) in enumerate(zip(args, data,
                                                                                    strict=True)))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(data, dict):
            raise _Mismatch(path, f"expected an object, got {type(data).__name__}")
        values = {}
        for name, field_hint, required in _hints(hint):
            if name in data:
                values[name] = _from(field_hint, data[name], f"{path}.{name}")
            elif required:
                raise _Mismatch(f"{path}.{name}", "missing")
        return hint(**values)
    if isinstance(hint, type) and issubclass(hint, Enum):
        try:
            return hint(data)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in hint)
            raise _Mismatch(path, f"{data!r} is not one of {allowed}") from None
    if hint is Decimal:
        if isinstance(data, bool) or not isinstance(data, str | int):
            raise _Mismatch(path, f"expected an amount, got {data!r}")
        try:
            return Decimal(str(data))
        except InvalidOperation:
            raise _Mismatch(path, f"not an amount: {data!r}") from None
    if hint is date:
        if not isinstance(data, str):
            raise _Mismatch(path, f"expected a date, got {data!r}")
        try:
            return date.fromisoformat(data)
        except ValueError:
            raise _Mismatch(path, f"not a date: {data!r}") from None
    if hint is float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            raise _Mismatch(path, f"expected a number, got {data!r}")
        return float(data)
    if hint is bool:
        if not isinstance(data, bool):
            raise _Mismatch(path, f"expected true or false, got {data!r}")
        return data
    if hint is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise _Mismatch(path, f"expected a whole number, got {data!r}")
        return data
    if hint is str:
        if not isinstance(data, str):
            raise _Mismatch(path, f"expected text, got {data!r}")
        return data
    if hint is Any:
        return data
    raise _Mismatch(path, f"unsupported field type {hint!r}")
