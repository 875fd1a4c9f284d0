""""Changes since the last review" from the snapshots earlier runs stored.

Each run stores every account's canonical model JSON in the manifest (``snapshots``,
keyed by account and as-of date). A run for a later as-of date reads, per account, the
newest snapshot before its own date and hands those accounts to
:func:`kamdocs.data.load_portfolio` as ``previous``, which derives each account's
``changes`` (and the scorecard's "did the opportunities materialise"). So the next
quarter's documents say what moved without the user keeping model files around. A rerun
on the same as-of date compares with the same earlier review, never with itself, so its
documents and their keys do not change.
"""

from __future__ import annotations

from datetime import date

from kamdocs.batch.manifest import Manifest
from kamdocs.model import Account


def previous_accounts(manifest: Manifest, as_of: date) -> dict[str, Account]:
    """Account id -> the account at its newest review before ``as_of``."""
    snapshots = manifest.previous_snapshots(as_of)
    if not snapshots:
        return {}
    from kamdocs.serialize import loads_account

    return {
        account_id: loads_account(model_json, f"snapshot of {account_id} in {manifest.path}")
        for account_id, (_when, model_json) in sorted(snapshots.items())
    }
