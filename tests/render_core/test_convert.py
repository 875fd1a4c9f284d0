"""LibreOffice conversion: PDF and PNG of a deck and a document; clean failures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kamdocs.cli import main
from kamdocs.errors import RenderError
from kamdocs.render.convert import page_count, to_pdf
from kamdocs.writer import write_atomic

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)


@pytest.mark.libreoffice
@needs_soffice
def test_a_deck_converts_to_a_pdf_with_one_page_per_slide(deck_bytes: bytes) -> None:
    pdf = to_pdf(deck_bytes, ".pptx", name="deck.pptx")
    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) == 3


@pytest.mark.libreoffice
@needs_soffice
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler (pdftoppm) is not installed")
def test_render_command_writes_pdf_and_pngs_of_a_document(tmp_path: Path,
                                                          document_bytes: bytes) -> None:
    source = write_atomic(tmp_path / "plan.docx", document_bytes)
    result = CliRunner().invoke(main, ["render", str(source), "--pdf", "--png",
                                       str(tmp_path / "png"), "--dpi", "30"])
    assert result.exit_code == 0, result.output
    pdf = (tmp_path / "plan.pdf").read_bytes()
    # Cover, contents, body, appendix: the page breaks put them on four pages.
    assert page_count(pdf) == 4
    pngs = sorted((tmp_path / "png").iterdir())
    assert [p.name for p in pngs] == [f"plan-{n}.png" for n in range(1, 5)]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pngs)


@pytest.mark.libreoffice
@needs_soffice
def test_a_timeout_is_a_render_error(deck_bytes: bytes) -> None:
    with pytest.raises(RenderError, match="timed out after 0.01 s") as caught:
        to_pdf(deck_bytes, ".pptx", timeout=0.01, name="deck.pptx")
    assert caught.value.exit_code == 1


def test_missing_libreoffice_is_one_clean_line(tmp_path: Path, deck_bytes: bytes,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAMDOCS_SOFFICE", "soffice-that-does-not-exist")
    source = write_atomic(tmp_path / "deck.pptx", deck_bytes)
    result = CliRunner().invoke(main, ["render", str(source), "--pdf"])
    assert result.exit_code == 1
    assert "LibreOffice (soffice) is not installed" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "deck.pdf").exists()


def test_soffice_exiting_0_without_output_is_an_error(tmp_path: Path, deck_bytes: bytes) -> None:
    fake = write_atomic(tmp_path / "fake-soffice", b"#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    with pytest.raises(RenderError, match="wrote no PDF"):
        to_pdf(deck_bytes, ".pptx", soffice=str(fake), name="deck.pptx")


def test_page_count_reads_the_pdf_page_tree() -> None:
    pdf = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
           b"2 0 obj << /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >> endobj\n"
           b"3 0 obj << /Type /Page /Parent 2 0 R >> endobj\n"
           b"4 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF")
    assert page_count(pdf) == 2
