"""Glue between the command line and the library: pick an account, apply a previous review.

    find_account(portfolio, key) -> Account
        key = an Id (15 or 18 characters) or an exact account name; an unknown or
        ambiguous key raises errors.AccountNotFound listing the candidates.
    read_previous(path) -> Account              a model JSON written by ``kamdocs model --json``
    review_account(account, settings, previous) -> Account
        the account with its changes since ``previous`` and the scorecard that needs it.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from kamdocs.config import Settings
from kamdocs.errors import AccountNotFound, UsageError
from kamdocs.model import Account, Portfolio
from kamdocs.serialize import loads_account

#: How many candidates an "account not found" message lists.
MAX_CANDIDATES = 10


def _looks_like_id(key: str) -> bool:
    return len(key) in (15, 18) and key.isalnum()


def find_account(portfolio: Portfolio, key: str) -> Account:
    """The account whose Id or exact name is ``key``."""
    key = key.strip()
    if _looks_like_id(key):
        # A 15-character Id is the case-sensitive prefix of its 18-character form.
        for account in portfolio.accounts:
            if account.id[:15] == key[:15]:
                return account
        for rejected in portfolio.rejected:
            if rejected.id[:15] == key[:15]:
                raise AccountNotFound(
                    f"account {key} was rejected when loading: {'; '.join(rejected.reasons)}"
                )
    named = [a for a in portfolio.accounts if a.name == key]
    if not named:
        named = [a for a in portfolio.accounts if a.name.casefold() == key.casefold()]
    if len(named) == 1:
        return named[0]
    if named:
        listing = "; ".join(f"{a.id} ({a.name})" for a in named[:MAX_CANDIDATES])
        raise AccountNotFound(
            f"{len(named)} accounts are named {key!r}; give the Id instead: {listing}"
        )
    names = [a.name for a in portfolio.accounts]
    close = difflib.get_close_matches(key, names, n=MAX_CANDIDATES, cutoff=0.5)
    contains = [n for n in names if key.casefold() in n.casefold() and n not in close]
    candidates = (close + contains)[:MAX_CANDIDATES]
    hint = f"; did you mean: {', '.join(candidates)}" if candidates else ""
    raise AccountNotFound(
        f"no account with Id or name {key!r} among {len(portfolio.accounts)} accounts{hint}"
    )


def read_previous(path: str | Path) -> Account:
    """The account model of an earlier review, from ``kamdocs model DATA ACCOUNT --json``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the previous model ({exc})") from None
    return loads_account(text, source=str(path))


def review_account(account: Account, settings: Settings, previous: Account | None) -> Account:
    """``account`` with its changes since ``previous`` and the scorecard that needs them."""
    from kamdocs.data.assemble import review

    if previous is not None and previous.id[:15] != account.id[:15]:
        raise UsageError(
            f"the previous model is of account {previous.id} ({previous.name}), "
            f"not {account.id} ({account.name})"
        )
    return review(account, settings, previous)
