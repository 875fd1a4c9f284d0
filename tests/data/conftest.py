"""A small hand-made portfolio, writers for every input kind, and a throwaway PostgreSQL."""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from kamdocs.config import Settings, load_settings
from kamdocs.data import schemas
from kamdocs.data.loading import LoadedTables, read_tables
from kamdocs.data.schemas import Kind

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def long_id(short: str) -> str:
    """The 18-character form of a 15-character Salesforce Id, worked out independently:
    per 5-character chunk, bit i = character i is upper case; the number picks a letter."""
    suffix = ""
    for start in (0, 5, 10):
        bits = sum(1 << i for i, ch in enumerate(short[start:start + 5]) if "A" <= ch <= "Z")
        suffix += _ALPHABET[bits]
    return short + suffix


def sid(prefix: str, n: int) -> str:
    """A 15-character Id with mixed case, so the checksum is not trivial."""
    return f"{prefix}Kd0000{n:04d}Xy"


# Accounts of the hand-made portfolio (A4 is deleted).
A1, A2, A3, A4 = (sid("001", i) for i in (1, 2, 3, 4))
U1, U2 = sid("005", 1), sid("005", 2)
C1, C2, C3, C4 = (sid("003", i) for i in (1, 2, 3, 4))
O1, O2, O3 = (sid("006", i) for i in (1, 2, 3))
P1 = sid("01t", 1)


def portfolio() -> dict[str, pd.DataFrame]:
    """Every object, as strings the way a Data Loader export writes them.

    Ids are mixed 15/18-character forms of the same records; text holds commas, quotes,
    a line break, accents and values a type-guessing reader would mangle (NA, 00123).
    """
    t = {
        "Account": [
            {"Id": A1, "Name": "Acme, \"Global\" Corp", "OwnerId": U1, "Industry": "00123",
             "AnnualRevenue": "1500000.50", "BillingCountry": "Zürich", "ParentId": "",
             "Account_Tier__c": "Tier 1", "Strategic_Value__c": "5",
             "Renewal_Date__c": "2025-06-30", "IsDeleted": "false"},
            {"Id": long_id(A2), "Name": "NA", "OwnerId": long_id(U2), "Industry": "Retail",
             "AnnualRevenue": "", "BillingCountry": "Germany", "ParentId": A1,
             "Account_Tier__c": "Tier 2", "Strategic_Value__c": "", "Renewal_Date__c": "",
             "IsDeleted": "false"},
            {"Id": A3, "Name": "Null Corp", "OwnerId": U1, "Industry": "",
             "AnnualRevenue": "250000", "BillingCountry": "", "ParentId": "",
             "Account_Tier__c": "", "Strategic_Value__c": "2",
             "Renewal_Date__c": "2026-01-15", "IsDeleted": ""},
            {"Id": A4, "Name": "Gone Ltd", "OwnerId": U1, "Industry": "", "AnnualRevenue": "",
             "BillingCountry": "", "ParentId": "", "Account_Tier__c": "",
             "Strategic_Value__c": "", "Renewal_Date__c": "", "IsDeleted": "true"},
        ],
        "User": [
            {"Id": U1, "Name": "Kim Manager", "Title": "Key Account Manager",
             "Email": "kim@example.com"},
            {"Id": U2, "Name": "Lee Sponsor", "Title": "VP Sales", "Email": "lee@example.com"},
        ],
        "AccountTeamMember": [
            {"AccountId": A1, "UserId": U1, "TeamMemberRole": "Account Manager"},
            {"AccountId": A2, "UserId": long_id(U2), "TeamMemberRole": "Executive Sponsor"},
        ],
        "Contact": [
            {"Id": C1, "AccountId": A1, "LastName": "Boss", "FirstName": "Ada",
             "Title": "CEO", "ReportsToId": "", "Influence__c": "5", "Stance__c": "Champion",
             "Buying_Role__c": "Economic Buyer", "Access_Owner__c": U1},
            {"Id": C2, "AccountId": long_id(A1), "LastName": "Worker", "FirstName": "Bo",
             "Title": "Head of IT", "ReportsToId": long_id(C1), "Influence__c": "3",
             "Stance__c": "Skeptic", "Buying_Role__c": "", "Access_Owner__c": ""},
            {"Id": C3, "AccountId": A2, "LastName": "Solo", "FirstName": "",
             "Title": "Buyer", "ReportsToId": "", "Influence__c": "", "Stance__c": "",
             "Buying_Role__c": "", "Access_Owner__c": ""},
            {"Id": C4, "AccountId": A3, "LastName": "Ortiz", "FirstName": "Cy",
             "Title": "CFO", "ReportsToId": "", "Influence__c": "4", "Stance__c": "Neutral",
             "Buying_Role__c": "Decision Maker", "Access_Owner__c": U2},
        ],
        "AccountContactRelation": [
            {"AccountId": A2, "ContactId": C1, "Roles": "Board Member"},
        ],
        "Opportunity": [
            {"Id": O1, "AccountId": A1, "Name": "Acme renewal 2025", "StageName": "Negotiation",
             "CloseDate": "2025-05-31", "Amount": "120000.50", "Type": "Renewal",
             "IsClosed": "false", "IsWon": "false", "Probability": "75", "OwnerId": U1},
            {"Id": O2, "AccountId": A2, "Name": "NA expansion", "StageName": "Closed Won",
             "CloseDate": "2024-11-15", "Amount": "", "Type": "Expansion",
             "IsClosed": "true", "IsWon": "true", "Probability": "100", "OwnerId": U2},
            {"Id": O3, "AccountId": A3, "Name": "Null Corp pilot", "StageName": "Prospecting",
             "CloseDate": "2025-09-01", "Amount": "30000", "Type": "",
             "IsClosed": "", "IsWon": "", "Probability": "10", "OwnerId": U1},
        ],
        "OpportunityContactRole": [
            {"OpportunityId": O1, "ContactId": C2, "Role": "Technical Buyer", "IsPrimary": "true"},
        ],
        "OpportunityLineItem": [
            {"OpportunityId": O1, "Product2Id": P1, "TotalPrice": "120000.50"},
        ],
        "Product2": [{"Id": P1, "Name": "Analytics Suite", "Family": "Software"}],
        "Task": [
            {"Id": sid("00T", 1), "Subject": "Send QBR deck", "Status": "Not Started",
             "AccountId": A1, "WhatId": "", "WhoId": C1, "ActivityDate": "2025-02-01",
             "Priority": "High", "OwnerId": U1, "IsClosed": "false",
             "Description": "Line one\nLine two", "Customer_Visible__c": "true"},
            {"Id": sid("00T", 2), "Subject": "Price review", "Status": "Completed",
             "AccountId": "", "WhatId": O2, "WhoId": "", "ActivityDate": "2024-10-01",
             "Priority": "Normal", "OwnerId": U2, "IsClosed": "true", "Description": "",
             "Customer_Visible__c": ""},
            {"Id": sid("00T", 3), "Subject": "Call CFO", "Status": "Not Started",
             "AccountId": "", "WhatId": "", "WhoId": C4, "ActivityDate": "2025-03-03",
             "Priority": "Normal", "OwnerId": U1, "IsClosed": "false", "Description": "",
             "Customer_Visible__c": ""},
        ],
        "Event": [
            {"Id": sid("00U", 1), "WhatId": A1, "Subject": "QBR Q4", "Type": "QBR",
             "ActivityDate": "2024-12-10", "StartDateTime": "2024-12-10T15:00:00.000+0000",
             "Description": ""},
        ],
        "Contract": [
            {"Id": sid("800", 1), "AccountId": A1, "StartDate": "2024-07-01",
             "EndDate": "2025-06-30", "Status": "Activated"},
        ],
        "Asset": [
            {"Id": sid("02i", 1), "AccountId": A1, "Name": "Analytics Suite",
             "Product2Id": P1, "Status": "Installed", "Annual_Value__c": "100000",
             "Business_Unit__c": "Finance", "Region__c": "EMEA", "Use_Case__c": "Reporting"},
        ],
        "Whitespace_Potential__c": [
            {"Account__c": A1, "Product__c": "Forecasting", "Business_Unit__c": "Sales",
             "Region__c": "EMEA", "Use_Case__c": "Planning", "Potential__c": "80000"},
        ],
        "Account_Goal__c": [
            {"Account__c": A1, "Name": "Cut close time", "Description__c": "From 10 to 5 days",
             "Target_Date__c": "2025-12-31", "Status__c": "On Track",
             "Customer_Visible__c": "true"},
        ],
        "Account_Risk__c": [
            {"Account__c": A2, "Name": "Budget freeze", "Severity__c": "High",
             "Likelihood__c": "Medium", "Mitigation__c": "Phase the rollout",
             "Customer_Visible__c": "false"},
        ],
        "KPI_Measurement__c": [
            {"Account__c": A1, "Name": "Uptime", "Kind__c": "SLA", "Period_End__c": "2024-12-31",
             "Target__c": "99.9", "Actual__c": "99.95", "Unit__c": "%",
             "Higher_Is_Better__c": "true"},
        ],
        "Account_Plan__c": [
            {"Account__c": A1, "Executive_Summary__c": "Grow analytics footprint",
             "Strategy__c": "Land finance, expand to sales"},
        ],
    }
    return {name: pd.DataFrame(rows, dtype=str) for name, rows in t.items()}


def typed(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The same data with native types, as Parquet, Excel or a warehouse would hold it."""
    out = {}
    for name, frame in frames.items():
        spec = schemas.TABLES[name]
        result = frame.copy().astype(object)
        for column in spec.columns:
            if column.name not in frame:
                continue
            text = frame[column.name]
            if column.kind is Kind.DATE:
                result[column.name] = pd.to_datetime(text.str.slice(0, 10).replace("", None))
            elif column.kind is Kind.NUM:
                result[column.name] = pd.to_numeric(text.replace("", None)).astype("float64")
            elif column.kind is Kind.INT:
                result[column.name] = pd.to_numeric(text.replace("", None)).astype("Int64")
            elif column.kind is Kind.BOOL:
                result[column.name] = text.str.lower().isin(["true", "1"])
            else:
                result[column.name] = text.astype(object)
        out[name] = result
    return out


def snake(name: str) -> str:
    """``Account_Tier__c`` -> ``account_tier_c``, ``OpportunityLineItem`` ->
    ``opportunity_line_item``: the names a warehouse sync writes."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return re.sub(r"_+", "_", spaced).lower()


def write_csv(frames: dict[str, pd.DataFrame], folder: Path, **options: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.to_csv(folder / f"{name}.csv", index=False, **options)
    return folder


def write_parquet(frames: dict[str, pd.DataFrame], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


def write_xlsx(frames: dict[str, pd.DataFrame], path: Path) -> Path:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return path


def write_sql(frames: dict[str, pd.DataFrame], url: str, *, snake_case: bool) -> str:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        for name, frame in frames.items():
            table = frame.rename(columns=snake) if snake_case else frame
            table.to_sql(snake(name) if snake_case else name, connection, index=False)
    engine.dispose()
    return url


def load(source: str | Path, settings: Settings | None = None) -> LoadedTables:
    return read_tables(source, settings or load_settings(None))


def problems_at(loaded: LoadedTables, file_name: str, row: int | None = None,
                column: str | None = None) -> list:
    return [
        p for p in loaded.problems
        if Path(p.file).name == file_name and (row is None or p.row == row)
        and (column is None or p.column == column)
    ]


@pytest.fixture(scope="session")
def kit() -> object:
    """This module: the helpers and Ids above, for tests (conftest is not importable)."""
    return sys.modules[__name__]


@pytest.fixture
def frames() -> dict[str, pd.DataFrame]:
    return portfolio()


@pytest.fixture
def csv_folder(tmp_path: Path, frames: dict[str, pd.DataFrame]) -> Callable[..., Path]:
    """Write the portfolio (after ``edit(frames)``) as a CSV folder and return it."""

    def make(edit: Callable[[dict[str, pd.DataFrame]], None] | None = None) -> Path:
        data = {k: v.copy() for k, v in frames.items()}
        if edit is not None:
            edit(data)
        return write_csv(data, tmp_path / "export")

    return make


# --------------------------------------------------------------------------- PostgreSQL


def _pg_bin() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                        key=lambda p: [int(x) for x in re.findall(r"\d+", p)])
    for folder in reversed(candidates):
        if (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL on a unix socket; yields a URL without a database name."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (pg_ctl) not found in /usr/lib/postgresql/*/bin"
                    " or on PATH")
    prefix: list[str] = []
    owner = None
    if os.geteuid() == 0:
        # initdb refuses to run as root: run the server as the postgres OS user.
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: cannot start PostgreSQL as postgres")
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres OS user to run the server")
        prefix = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="kamdocs-pg-"))
    os.chmod(base, 0o755)
    run_dir = base / "run"
    run_dir.mkdir()
    if owner is not None:
        os.chown(run_dir, owner.pw_uid, owner.pw_gid)
    data, log = run_dir / "data", run_dir / "server.log"
    port = _free_port()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*prefix, *args], capture_output=True, text=True, check=False,
                              cwd=run_dir, timeout=120)

    init = run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
               "--no-sync", "-E", "UTF8")
    if init.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"initdb failed: {init.stderr}")
    start = run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
                "-o", f"-k {run_dir} -p {port} -c listen_addresses='' -c fsync=off", "start")
    if start.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"pg_ctl start failed: {start.stderr} {start.stdout}")
    try:
        yield f"postgresql+psycopg2://postgres@/{{db}}?host={run_dir}&port={port}"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str, request: pytest.FixtureRequest) -> str:
    """A fresh, empty database on the throwaway server."""
    name = re.sub(r"[^a-z0-9_]", "_", request.node.name.lower())[:50]
    admin = sa.create_engine(postgres_server.format(db="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return postgres_server.format(db=name)
