"""The embedded chart workbook: what Excel reads back is the chart's data, in python-pptx's
layout, for any names and values."""

from __future__ import annotations

import io
import zipfile

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from kamdocs.render.workbook import category_workbook, column_letter

# Text a spreadsheet cell can hold: no XML-illegal control characters, no lone surrogates.
CELL_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)


def read_back(blob: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(blob)).active
    assert sheet.title == "Sheet1"
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_column_letters_follow_the_spreadsheet_alphabet() -> None:
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]


def test_names_in_row_1_categories_in_column_a_missing_values_empty() -> None:
    blob = category_workbook(("Q1 <&>", " Q2 "), (("New & more", (1.5, None)), ("Upsell", (4, 3))))
    assert read_back(blob) == [
        [None, "New & more", "Upsell"],
        ["Q1 <&>", 1.5, 4],
        [" Q2 ", None, 3],
    ]


def test_same_data_same_bytes_with_fixed_entry_times() -> None:
    data = (("A", "B"), (("S", (1.0, 2.0)),))
    first, second = category_workbook(*data), category_workbook(*data)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@settings(max_examples=40, deadline=None)
@given(
    categories=st.lists(CELL_TEXT, min_size=1, max_size=12),
    names=st.lists(CELL_TEXT, min_size=1, max_size=4),
    data=st.data(),
)
def test_any_names_and_values_read_back_exactly(categories, names, data) -> None:
    number = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, width=64))
    series = [(name, data.draw(st.lists(number, min_size=len(categories),
                                        max_size=len(categories))))
              for name in names]
    rows = read_back(category_workbook(categories, series))
    assert rows[0] == [None, *names]
    assert [row[0] for row in rows[1:]] == categories
    for column, (_, values) in enumerate(series, start=1):
        assert [row[column] for row in rows[1:]] == values
