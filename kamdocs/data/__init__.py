"""The only way in: ``load_portfolio(source, config=..., as_of=...) -> Portfolio``.

settings (a Settings, a config path, or ``kamdocs.toml`` found beside the data) ->
:func:`kamdocs.data.loading.read_tables` (read + validate) -> :func:`derive.derive`
(pure, ``as_of`` passed in) -> :func:`assemble.assemble` (frozen model).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from kamdocs.config import Settings, find_config, load_settings
from kamdocs.errors import UsageError
from kamdocs.model import Account, Portfolio, RejectedAccount

__all__ = ["load_portfolio", "resolve_settings"]


def resolve_settings(source: str | Path | None, config: Settings | str | Path | None) -> Settings:
    """``config`` itself when it is a Settings, else the file it names, else
    ``kamdocs.toml`` beside ``source``, else the defaults."""
    if isinstance(config, Settings):
        return config
    return load_settings(find_config(source, config))


def load_portfolio(
    source: str | Path,
    *,
    config: Settings | str | Path | None = None,
    as_of: date | None = None,
    previous: Mapping[str, Account] | None = None,
) -> Portfolio:
    """Read, validate, derive and assemble a portfolio as of ``as_of``.

    ``as_of`` defaults to the config's ``as_of``; there is no clock here (the command line
    supplies today's date when neither is given). ``previous`` maps account ids to the
    same accounts at an earlier review (see :mod:`kamdocs.serialize`): those accounts get
    their changes since that review and a complete scorecard.

    Raises :class:`~kamdocs.errors.InputErrors` when the input cannot be used at all,
    :class:`~kamdocs.errors.ConfigError` for a bad config, UsageError for a bad source.
    """
    # Imported here: the loader pulls in SQLAlchemy and friends, which ``kamdocs --help``
    # and the builders should not pay for.
    from kamdocs.data.assemble import assemble
    from kamdocs.data.derive import derive
    from kamdocs.data.loading import read_tables

    settings = resolve_settings(source, config)
    when = as_of or settings.as_of
    if when is None:
        raise UsageError("no as-of date: pass as_of (--as-of) or set as_of in kamdocs.toml")
    loaded = read_tables(source, settings)
    derived = derive(loaded.tables, settings, when)
    rejected = [
        RejectedAccount(id=account_id, name=None, reasons=tuple(reasons))
        for account_id, reasons in sorted(loaded.rejected.items())
    ]
    return assemble(
        derived,
        settings,
        source=loaded.source_description,
        rejected=rejected,
        warnings=[str(p) for p in loaded.warnings],
        input_hashes=sorted(loaded.input_hashes.items()),
        previous=previous,
    )
