"""Scenario portfolios for tests: the extreme account, a minimal one, a one-year-old customer.

Import as ``from tests.scenarios import extreme, write_scenario`` (the README's test command
runs ``python -m pytest`` from the repository root, which puts the root on ``sys.path``).

Each builder returns fresh frames in the form of :func:`kamdocs.samples.generate` (object
name -> DataFrame of Salesforce-formatted strings); :func:`write_scenario` writes them as a
CSV folder the loader reads, with a kamdocs.toml. Every scenario is seen from :data:`AS_OF`.

The committed demo portfolio is ``samples/`` (:data:`SAMPLES_DIR`), generated with
:data:`SAMPLES_SEED`. Its internal-only fields hold planted markers (below): a customer
document of any account must never contain :data:`MARKER_PREFIX`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from kamdocs import samples
from kamdocs.data import schemas as sf
from kamdocs.samples import AccountShape, generate_accounts

ROOT = Path(__file__).resolve().parents[1]
#: The committed demo portfolio: 40 accounts, Salesforce-named CSVs plus kamdocs.toml.
SAMPLES_DIR = ROOT / "samples"
SAMPLES_SEED = samples.SAMPLES_SEED
SAMPLES_ACCOUNTS = samples.SAMPLES_ACCOUNTS
#: The as-of date of the samples and of every scenario here.
AS_OF: date = samples.SAMPLES_AS_OF
COMPANY_NAME = samples.COMPANY_NAME

# --------------------------------------------------------------------------- planted markers
# Planted by the generator on every account whose generation index is a multiple of 10
# (4 of the 40 sample accounts: MARKED_ACCOUNT_IDS), always in internal-only places.

#: Every marker starts with this: grep a customer document for it.
MARKER_PREFIX = samples.MARKER_PREFIX
#: Account_Risk__c.Name, Customer_Visible__c = false.
INTERNAL_RISK_MARKER = samples.INTERNAL_RISK_MARKER
#: Account_Risk__c.Mitigation__c of that risk.
INTERNAL_MITIGATION_MARKER = samples.INTERNAL_MITIGATION_MARKER
#: Task.Description, Customer_Visible__c = false (an open task "Prepare renewal pricing
#: options").
INTERNAL_TASK_MARKER = samples.INTERNAL_TASK_MARKER
#: Account_Goal__c.Name, Customer_Visible__c = false.
INTERNAL_GOAL_MARKER = samples.INTERNAL_GOAL_MARKER
#: Last sentence of Account_Plan__c.Strategy__c (an internal field).
INTERNAL_STRATEGY_MARKER = samples.INTERNAL_STRATEGY_MARKER
#: Event.Description of the most recent QBR held (Meeting.description is internal).
INTERNAL_MEETING_MARKER = samples.INTERNAL_MEETING_MARKER
INTERNAL_MARKERS = samples.INTERNAL_MARKERS
#: The sample accounts that carry every marker (tests/samples checks this list).
MARKED_ACCOUNT_IDS = (
    "001Kd00000tqor5IAA",
    "001Kd00000tqorFIAQ",
    "001Kd00000tqorPIAQ",
    "001Kd00000tqorZIAQ",
)

# --------------------------------------------------------------------------- extreme

EXTREME_SEED = 7
#: Exactly 120 characters, with & < > " ' and non-ASCII letters.
EXTREME_ACCOUNT_NAME = (
    "Übersee & Partners <Global> \"Holdings\" O'Reilly-Sørensen Intercontinental Logistics, "
    "Data & Analytics Service Group S.A."
)
EXTREME_CONTACTS = 80
EXTREME_ACTIONS = 300
EXTREME_KPIS = 40
EXTREME_WHITESPACE_CELLS = 60
#: Deepest reporting line: CEO-level down to analyst through eight levels of management.
EXTREME_ORG_DEPTH = 8
#: Contact names in CJK and right-to-left scripts, mixed with Latin ones.
EXTREME_CULTURES = ("zh_native", "ja_native", "ko_native", "ar_native", "he_native", "en_US",
                    "de", "fr")


def extreme() -> dict[str, pd.DataFrame]:
    """Two accounts. The first is extreme: a 120-character name (:data:`EXTREME_ACCOUNT_NAME`),
    80 stakeholders in a deep org chart, 300 actions, 40 KPIs (quarterly history), 60
    whitespace cells, CJK and right-to-left contact names, ``& < > " '`` in names and text,
    descriptions and plan narratives several paragraphs long. The second is an ordinary
    account, so "no other account's data" can be tested against it."""
    return generate_accounts(
        [
            AccountShape(
                name=EXTREME_ACCOUNT_NAME, contacts=EXTREME_CONTACTS, actions=EXTREME_ACTIONS,
                kpis=EXTREME_KPIS, whitespace_cells=EXTREME_WHITESPACE_CELLS,
                org_depth=EXTREME_ORG_DEPTH, cultures=EXTREME_CULTURES, tier="Tier 1",
                renewal="covered", history_months=60, hostile_text=True, long_text=True,
            ),
            AccountShape(tier="Tier 2", renewal="not_in_window", history_months=48,
                         contacts=12),
        ],
        seed=EXTREME_SEED,
        as_of=AS_OF,
    )


# --------------------------------------------------------------------------- minimal

MINIMAL_ACCOUNT_ID = samples.salesforce_id("001", 62**4 + 1)
MINIMAL_ACCOUNT_NAME = "Solo Minimal Industries"


def minimal() -> dict[str, pd.DataFrame]:
    """Only an Account table with one row and two columns (Id, Name): every other object
    is absent from the input."""
    return {
        sf.ACCOUNT: pd.DataFrame(
            {sf.ID: [MINIMAL_ACCOUNT_ID], sf.NAME: [MINIMAL_ACCOUNT_NAME]}, dtype="str"
        )
    }


# --------------------------------------------------------------------------- one year

ONE_YEAR_SEED = 11
ONE_YEAR_HISTORY_MONTHS = 12


def one_year() -> dict[str, pd.DataFrame]:
    """One account that became a customer about twelve months before :data:`AS_OF` (so one
    year of opportunities, actions, meetings and contracts) and has no KPIs: the
    KPI_Measurement__c object is absent from the input. Its first renewal is under six
    months away, with a renewal opportunity."""
    frames = generate_accounts(
        [AccountShape(history_months=ONE_YEAR_HISTORY_MONTHS, kpis=0, tier="Tier 2",
                      renewal="late_covered")],
        seed=ONE_YEAR_SEED,
        as_of=AS_OF,
    )
    del frames[sf.KPI_MEASUREMENT]
    return frames


# --------------------------------------------------------------------------- writing


def write_scenario(frames: dict[str, pd.DataFrame], folder: Path | str) -> Path:
    """Write ``frames`` into ``folder`` as ``<Object>.csv`` files plus a kamdocs.toml (our
    company name, USD, en_US); returns the folder, ready for ``kamdocs.load_portfolio``."""
    folder = Path(folder)
    samples.write_csv_folder(frames, folder)
    samples.write_config(folder)
    return folder
