"""Which accounts a batch builds: ``--tier`` and ``--accounts`` over the loaded portfolio."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

from kamdocs.errors import AccountNotFound, UsageError
from kamdocs.model import Account, Portfolio, RejectedAccount


def account_tier(account: Account) -> int | None:
    """The tier an account is in now: Account_Tier__c, else the proposed tier."""
    tiering = account.tiering
    return tiering.current_tier if tiering.current_tier is not None else tiering.proposed_tier


def read_account_keys(value: str) -> tuple[str, ...]:
    """``--accounts``: a file with one id or name per line, or ``ID,ID,...``.

    In a file, blank lines and lines starting with ``#`` are ignored and only the first
    comma-separated field counts, so a Salesforce report export of ids works as it is.
    """
    path = Path(value)
    try:
        is_file = path.is_file()
    except (OSError, ValueError):  # a long ID,ID,... list is no valid file name at all
        is_file = False
    if is_file:
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}: cannot read the account list ({exc})") from None
        keys = [line.split(",")[0].strip().strip('"') for line in lines]
        keys = [k for k in keys if k and not k.startswith("#")]
        if keys and keys[0].lower() in ("id", "accountid", "account_id", "name"):
            keys = keys[1:]
    else:
        keys = [k.strip() for k in value.split(",") if k.strip()]
    if not keys:
        raise UsageError(f"--accounts {value!r} names no account")
    return tuple(dict.fromkeys(keys))


def select_accounts(
    portfolio: Portfolio, tiers: Sequence[int], keys: Sequence[str]
) -> tuple[list[Account], list[RejectedAccount]]:
    """The accounts to build (sorted by id) and the rejected accounts to report.

    A key is an 18- or 15-character Salesforce id or an exact account name. A key that
    names a rejected account selects that rejection (it is reported, not built); a key
    that names nothing is an error listing the closest names.
    """
    accounts = list(portfolio.accounts)
    rejected = list(portfolio.rejected)
    if keys:
        chosen: dict[str, Account] = {}
        chosen_rejected: dict[str, RejectedAccount] = {}
        for key in keys:
            found = _find(key, portfolio.accounts)
            if found:
                chosen.update((a.id, a) for a in found)
                continue
            bad = [r for r in portfolio.rejected if _id_matches(key, r.id) or r.name == key]
            if bad:
                chosen_rejected.update((r.id, r) for r in bad)
                continue
            names = [a.name for a in portfolio.accounts]
            close = difflib.get_close_matches(key, names, n=3)
            hint = f" (closest: {', '.join(close)})" if close else ""
            raise AccountNotFound(f"no account {key!r} in {portfolio.source}{hint}")
        accounts = sorted(chosen.values(), key=lambda a: a.id)
        rejected = sorted(chosen_rejected.values(), key=lambda r: r.id)
    if tiers:
        wanted = set(tiers)
        accounts = [a for a in accounts if account_tier(a) in wanted]
    return accounts, rejected


def _find(key: str, accounts: Sequence[Account]) -> list[Account]:
    by_id = [a for a in accounts if _id_matches(key, a.id)]
    return by_id or [a for a in accounts if a.name == key]


def _id_matches(key: str, account_id: str) -> bool:
    # Exports mix 15- and 18-character ids for one record; the first 15 are the id
    # (case-sensitive), the last 3 only a checksum of the case.
    if len(key) == 18:
        return key == account_id
    if len(key) == 15:
        return account_id[:15] == key
    return False
