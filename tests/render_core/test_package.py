"""Deterministic packages: same inputs and as_of give the same bytes; our metadata only."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE

from kamdocs.render.package import CoreProperties, normalize


def test_a_deck_built_twice_is_byte_identical(build_deck) -> None:  # noqa: ANN001
    assert build_deck().to_bytes() == build_deck().to_bytes()


def test_a_document_built_twice_is_byte_identical(build_document) -> None:  # noqa: ANN001
    assert build_document().to_bytes() == build_document().to_bytes()


def _deck_with_chart(build_deck) -> bytes:  # noqa: ANN001
    deck = build_deck()
    slide = deck.add_slide("content", "Revenue by quarter")
    data = CategoryChartData()
    data.categories = ["Q1", "Q2"]
    data.add_series("Revenue", (1.0, 2.0))
    box = slide.body
    frame = slide.slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, box.left, box.top,
                                         box.width, box.height, data)
    frame._element.nvGraphicFramePr.cNvPr.set("descr", "Column chart: revenue doubled")
    return deck.to_bytes()


def test_chart_workbooks_are_normalised_too(build_deck, unzip) -> None:  # noqa: ANN001
    # XlsxWriter stamps the embedded workbook with the current time; two builds must still match.
    first, second = _deck_with_chart(build_deck), _deck_with_chart(build_deck)
    assert first == second
    workbook = next(v for k, v in unzip(first).items() if k.endswith(".xlsx"))
    inner = unzip(workbook)
    assert b"2026-11-23T00:00:00Z" in inner["docProps/core.xml"]
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 23, 0, 0, 0)}


def test_entries_are_ordered_and_stamped_with_as_of(deck_bytes: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(deck_bytes)) as archive:
        infos = archive.infolist()
    names = [i.filename for i in infos]
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert names[4:] == sorted(names[4:])
    assert {i.date_time for i in infos} == {(2026, 11, 23, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}


def test_no_library_or_stranger_name_anywhere(deck_bytes: bytes, document_bytes: bytes,
                                              unzip) -> None:  # noqa: ANN001
    for data in (deck_bytes, document_bytes):
        everything = b"\n".join(unzip(data).values()).lower()
        for word in (b"python-pptx", b"python-docx", b"steve canny", b"scanny",
                     b"microsoft macintosh"):
            assert word not in everything
        assert "docProps/thumbnail.jpeg" not in unzip(data)


def test_core_properties_are_exactly_what_the_caller_set(deck_bytes: bytes, unzip) -> None:  # noqa: ANN001
    core = unzip(deck_bytes)["docProps/core.xml"].decode()
    assert "<dc:title>Acme Corp QBR 2026-Q4</dc:title>" in core
    assert "<dc:creator>Northwind Analytics</dc:creator>" in core
    assert "<cp:lastModifiedBy>Northwind Analytics</cp:lastModifiedBy>" in core
    assert "<cp:revision>1</cp:revision>" in core
    assert core.count("2026-11-23T00:00:00Z") == 2


def test_as_of_changes_only_the_dates(deck_bytes: bytes) -> None:
    later = normalize(deck_bytes, CoreProperties("Acme Corp QBR 2026-Q4", "Northwind Analytics",
                                                 date(2027, 2, 1), subject="QBR"))
    with zipfile.ZipFile(io.BytesIO(later)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2027, 2, 1, 0, 0, 0)}
        assert b"2027-02-01T00:00:00Z" in archive.read("docProps/core.xml")
    # Normalising a normalised package again is a fixed point.
    core = CoreProperties("Acme Corp QBR 2026-Q4", "Northwind Analytics", date(2026, 11, 23),
                          subject="QBR")
    assert normalize(deck_bytes, core) == deck_bytes


def test_markup_in_properties_is_escaped(deck_bytes: bytes, unzip) -> None:  # noqa: ANN001
    data = normalize(deck_bytes, CoreProperties('R&D <"Labs">', "A & B", date(2026, 1, 1)))
    core = unzip(data)["docProps/core.xml"].decode()
    assert "<dc:title>R&amp;D &lt;\"Labs\"&gt;</dc:title>" in core
