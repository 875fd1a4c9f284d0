"""Salesforce Ids: 18 characters with the checksum real orgs use."""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from kamdocs import samples
from kamdocs.data import schemas as sf
from kamdocs.data.schemas import Kind

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def _suffix_by_hand(id15: str) -> str:
    # Written out independently of the generator: bit i of a chunk = character i is upper case.
    out = ""
    for start in (0, 5, 10):
        value = sum(1 << i for i, ch in enumerate(id15[start : start + 5]) if ch.isupper())
        out += _ALPHABET[value]
    return out


def test_checksum_matches_ids_from_a_real_salesforce_export() -> None:
    # Pairs copied from /work/shared/sfdata/salesforce-gen-ai-demo (a genuine org export).
    assert samples.id_checksum("001Nq00000HwuT4") == "IAJ"
    assert samples.id_checksum("005Nq00000AU63s") == "IAD"
    assert samples.id_checksum("006Nq00000BGi8P") == "IAT"


def test_first_account_id_is_worked_out_by_hand() -> None:
    # "001Kd": K is upper case at position 3 -> 8 -> "I"; "00000" -> "A"; "00001" -> "A".
    assert samples.salesforce_id("001", 1) == "001Kd0000000001IAA"


@given(st.integers(min_value=0, max_value=62**6 - 2))
def test_consecutive_ids_differ_even_ignoring_case(number: int) -> None:
    first = samples.salesforce_id("003", number)
    second = samples.salesforce_id("003", number + 1)
    assert len(first) == len(second) == 18
    assert first.lower() != second.lower()
    assert first[15:] == _suffix_by_hand(first[:15])


def test_every_generated_id_is_valid_and_unique(sample_frames: dict[str, pd.DataFrame]) -> None:
    seen: set[str] = set()
    for name, frame in sample_frames.items():
        for column in sf.TABLES[name].columns:
            if column.kind is not Kind.ID or column.name not in frame:
                continue
            ids = frame[column.name].tolist()
            assert all(isinstance(i, str) and re.fullmatch(r"[0-9A-Za-z]{18}", i) for i in ids)
            assert all(i[15:] == _suffix_by_hand(i[:15]) for i in ids), name
            lowered = {i.lower() for i in ids}
            assert len(lowered) == len(ids), f"{name}: duplicate Id"
            assert not (lowered & seen), f"{name}: Id shared with another object"
            seen |= lowered
