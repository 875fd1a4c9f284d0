"""PDFs made from one document are byte-identical: no clock time, no random file id."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest

from kamdocs.render.convert import stable_pdf, to_pdf

_SAMPLE = (
    b"%PDF-1.7\n1 0 obj<</CreationDate(D:20261123200152Z')/ModDate(D:20261124101010+01'00')>>"
    b"\nendobj\ntrailer<</ID [ <6F9998343118B2D7A46E9642DCFA9FDB>\n"
    b"<6F9998343118B2D7A46E9642DCFA9FDB> ]>>\n%%EOF\n"
)


def test_clock_time_and_file_id_are_replaced_keeping_every_length() -> None:
    fixed = stable_pdf(_SAMPLE, date(2026, 11, 23))
    assert len(fixed) == len(_SAMPLE)
    assert b"/CreationDate(D:20261123000000Z')" in fixed
    assert b"/ModDate(D:20261123000000+00'00')" in fixed
    assert b"6F9998343118B2D7" not in fixed
    ids = re.findall(rb"<([0-9A-F]{32})>", fixed)
    assert len(ids) == 2 and ids[0] == ids[1]


def test_two_conversions_at_different_times_agree_after_normalising() -> None:
    later = _SAMPLE.replace(b"20261123200152Z'", b"20270101090909Z'").replace(
        b"6F9998343118B2D7A46E9642DCFA9FDB", b"0123456789ABCDEF0123456789ABCDEF")
    assert stable_pdf(_SAMPLE, date(2026, 11, 23)) == stable_pdf(later, date(2026, 11, 23))


@pytest.mark.libreoffice
def test_the_same_document_converts_to_the_same_pdf_bytes() -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from kamdocs.render.docx import Document, DocumentInfo
    from kamdocs.render.lookup import load_template
    from kamdocs.render.package import CoreProperties

    template = load_template("plan")
    core = CoreProperties(title="Stable", author="Lumenfield Software", as_of=date(2026, 11, 23))
    document = Document(template, DocumentInfo("Internal - confidential", "As of 23 Nov 2026",
                                               "test"), core)
    document.heading("Same bytes every time", 1)
    data = document.to_bytes()
    first, second = to_pdf(data, ".docx"), to_pdf(data, ".docx")
    assert first == second
    assert b"D:20261123000000" in first
