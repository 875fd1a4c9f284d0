"""Property: a junk cell anywhere gives located problems, never another exception,
and no row or value disappears without a problem saying where."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamdocs.config import load_settings
from kamdocs.data import schemas
from kamdocs.data.loading import read_tables

_FRAMES: dict[str, pd.DataFrame] = {}

junk_text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.sampled_from(["NA", "null", "N/A", "nan", "inf", "-1", "1e400", "00123", "   ", "\x00",
                     "2024-02-30", "13/45/24", "001Kd00000001XyIAI", "TRUE", "7", "3.5",
                     "0015500000Xyy06AAB", "a\r\nb", '"', ",", "=1+2"]),
)


@st.composite
def junk_cell(draw: st.DrawFn, frames: dict[str, pd.DataFrame]) -> tuple[str, int, str, str]:
    table = draw(st.sampled_from(sorted(frames)))
    column = draw(st.sampled_from(list(frames[table].columns)))
    row = draw(st.integers(min_value=0, max_value=len(frames[table]) - 1))
    return table, row, column, draw(junk_text)


def _rows_of(frame: pd.DataFrame) -> set[int]:
    return set(frame[schemas.ROW]) if len(frame) else set()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_junk_cell_gives_located_problems_and_never_another_exception(kit, data) -> None:
    frames = kit.portfolio()
    table, position, column, junk = data.draw(junk_cell(frames))
    frames[table].loc[position, column] = junk
    row = position + 2
    with tempfile.TemporaryDirectory() as folder:
        # QUOTE_ALL: pandas leaves a lone CR unquoted, which would split the record.
        kit.write_csv(frames, Path(folder), quoting=csv.QUOTE_ALL)
        # Only one cell changed, and the portfolio has three live accounts: something loads.
        loaded = read_tables(folder, load_settings(None))

        files = {str(Path(folder) / f"{name}.csv"): name for name in frames}
        for problem in loaded.problems:
            assert problem.file in files, problem
            if problem.row is not None:
                name = files[problem.file]
                assert 2 <= problem.row <= len(frames[name]) + 1, problem
                assert problem.column in frames[name].columns, problem

        # Every input row that is not in the output is explained: deleted, a problem on
        # that row, or its account rejected (with reasons).
        account_of_row = _expected_accounts(kit, frames)
        for name, frame in frames.items():
            out_rows = _rows_of(loaded.tables.get(name, frame.iloc[0:0].assign(ROW=[])))
            for index in range(len(frame)):
                spreadsheet_row = index + 2
                if name in loaded.rejected_tables or spreadsheet_row in out_rows:
                    continue
                deleted = str(frame.get("IsDeleted", pd.Series([""] * len(frame))).iloc[
                    index]).strip().lower() in ("true", "1", "yes", "y", "t", "1.0")
                located = any(p.row == spreadsheet_row and files[p.file] == name
                              for p in loaded.problems if p.file in files)
                account = account_of_row.get((name, index))
                assert deleted or located or account in loaded.rejected, (name, spreadsheet_row)

        # A junk cell that survives as "missing" although it held something is reported.
        output = loaded.tables.get(table)
        mapped = output is not None and column in output.columns
        if mapped and junk.strip() and row in _rows_of(output):
            value = output.set_index(schemas.ROW)[column][row]
            if value is pd.NA or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
                assert any(p.row == row and p.column == column for p in loaded.problems), (
                    table, row, column, junk)


def _expected_accounts(kit, frames: dict[str, pd.DataFrame]) -> dict[tuple[str, int], str]:
    """The account each row of the clean portfolio belongs to (18-character Id)."""
    clean = kit.portfolio()
    opp_account = dict(zip(clean["Opportunity"]["Id"], clean["Opportunity"]["AccountId"],
                           strict=True))
    accounts: dict[tuple[str, int], str] = {}
    for name, frame in clean.items():
        for index, record in frame.iterrows():
            if name == "Account":
                account = record["Id"]
            elif "AccountId" in frame and record.get("AccountId"):
                account = record["AccountId"]
            elif "Account__c" in frame:
                account = record["Account__c"]
            elif "OpportunityId" in frame:
                account = opp_account[record["OpportunityId"]]
            elif name == "Task" and record["WhatId"]:
                account = opp_account[record["WhatId"]]
            elif name == "Task":
                account = {kit.C4: kit.A3}[record["WhoId"]]
            elif name == "Event":
                account = record["WhatId"]
            else:
                continue
            accounts[(name, int(index))] = kit.long_id(account[:15])
    return accounts
