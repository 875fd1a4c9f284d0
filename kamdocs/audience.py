"""What each audience may see: ``view_for(account, audience)``.

Deny by default: a field is kept for a customer only when the model marks it
``customer``; records with an ``is_customer_visible`` flag are kept only when it is True;
opportunities are kept only when won. Everything else becomes its empty value.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from kamdocs.model import CUSTOMER, VISIBILITY, Account, Audience, Opportunity


def view_for(account: Account, audience: Audience) -> Account:
    """The account as ``audience`` may see it (the internal view is the account itself)."""
    if audience is Audience.INTERNAL:
        return account
    return dataclasses.replace(_customer_view(account), audience=Audience.CUSTOMER)


def _customer_view(obj: Any) -> Any:
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return obj
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if f.metadata.get(VISIBILITY) != CUSTOMER:
            changes[f.name] = _empty(f)
        elif isinstance(value, tuple):
            changes[f.name] = tuple(_customer_view(v) for v in value if _is_shared(v))
        elif dataclasses.is_dataclass(value):
            changes[f.name] = _customer_view(value)
    return dataclasses.replace(obj, **changes)


def _is_shared(record: Any) -> bool:
    if isinstance(record, Opportunity):
        return record.is_won
    return bool(getattr(record, "is_customer_visible", True))


def _empty(f: dataclasses.Field) -> Any:
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    if f.default is not dataclasses.MISSING:
        return f.default
    # A required internal field: nothing safe to show.
    return None
