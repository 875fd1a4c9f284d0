"""The Salesforce Data Loader files of a run, made by :mod:`kamdocs.exports`.

The same rows as ``kamdocs tier --salesforce-update``, ``kamdocs renewals
--salesforce-insert`` and ``kamdocs expansion --salesforce-insert``, for the selected
accounts, under ``OUT/salesforce/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kamdocs.config import Settings
from kamdocs.model import Account

FOLDER = "salesforce"
TIER_UPDATES = f"{FOLDER}/account_tier_updates.csv"
RENEWAL_INSERTS = f"{FOLDER}/renewal_opportunities_insert.csv"
EXPANSION_INSERTS = f"{FOLDER}/expansion_opportunities_insert.csv"


def salesforce_files(
    accounts: Sequence[Account], settings: Settings, as_of: date
) -> dict[str, bytes]:
    """Relative path -> CSV bytes for the three Data Loader files."""
    from kamdocs import exports

    return {
        TIER_UPDATES: exports.tier_update_csv(accounts),
        RENEWAL_INSERTS: exports.renewal_insert_csv(accounts, settings),
        EXPANSION_INSERTS: exports.expansion_insert_csv(accounts, settings),
    }
