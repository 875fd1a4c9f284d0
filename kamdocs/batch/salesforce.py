"""The Salesforce Data Loader files of a run, made by :mod:`kamdocs.exports`.

The same rows as ``kamdocs tier --salesforce-update``, ``kamdocs renewals
--salesforce-insert`` and ``kamdocs expansion --salesforce-insert``, for the selected
accounts, under ``OUT/salesforce/``.
"""

from __future__ import annotations

from kamdocs.config import Settings
from kamdocs.exports import (
    salesforce_expansion_insert,
    salesforce_renewal_insert,
    salesforce_tier_update,
)
from kamdocs.model import Portfolio

FOLDER = "salesforce"
TIER_UPDATES = f"{FOLDER}/account_tier_update.csv"
RENEWAL_INSERTS = f"{FOLDER}/renewal_opportunities_insert.csv"
EXPANSION_INSERTS = f"{FOLDER}/expansion_opportunities_insert.csv"


def salesforce_files(portfolio: Portfolio, settings: Settings) -> dict[str, bytes]:
    """Relative path -> CSV bytes of the three Data Loader files."""
    return {
        TIER_UPDATES: salesforce_tier_update(portfolio),
        RENEWAL_INSERTS: salesforce_renewal_insert(portfolio, settings),
        EXPANSION_INSERTS: salesforce_expansion_insert(portfolio, settings),
    }
