"""kamdocs: key account management documents from CRM data.

Public API::

    portfolio = kamdocs.load_portfolio("samples/", as_of=date(2026, 11, 23))
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "load_portfolio"]


def load_portfolio(source, *, config=None, as_of=None, previous=None):  # noqa: ANN001, ANN201
    """Read, validate and derive a portfolio; see :func:`kamdocs.data.load_portfolio`."""
    from kamdocs.data import load_portfolio as _load

    return _load(source, config=config, as_of=as_of, previous=previous)
