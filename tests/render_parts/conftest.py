"""Fixtures for the drawing parts: fresh slides and documents, reopening, LibreOffice.

Helpers are fixtures returning functions: under --import-mode=importlib a test module cannot
import this conftest.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pptx import Presentation

from kamdocs.render.geometry import SLIDE_HEIGHT, SLIDE_WIDTH


def _blank_layout(prs: Any) -> Any:
    # By name, never by position (STYLE.md).
    return next(layout for layout in prs.slide_layouts if layout.name == "Blank")


@pytest.fixture
def new_slide() -> Callable[[], tuple[Any, Any]]:
    """Factory: a 16:9 presentation with one blank slide -> (presentation, slide)."""

    def make() -> tuple[Any, Any]:
        prs = Presentation()
        prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
        return prs, prs.slides.add_slide(_blank_layout(prs))

    return make


@pytest.fixture
def add_slide() -> Callable[[Any], Any]:
    return lambda prs: prs.slides.add_slide(_blank_layout(prs))


@pytest.fixture
def reopen_pptx() -> Callable[[Any], Any]:
    """Save a presentation to bytes and open it again, as a user's PowerPoint would."""

    def reopen(prs: Any) -> Any:
        buffer = io.BytesIO()
        prs.save(buffer)
        return Presentation(io.BytesIO(buffer.getvalue()))

    return reopen


@pytest.fixture
def reopen_docx() -> Callable[[Any], Any]:
    def reopen(document: Any) -> Any:
        buffer = io.BytesIO()
        document.save(buffer)
        return Document(io.BytesIO(buffer.getvalue()))

    return reopen


@pytest.fixture
def to_pdf(tmp_path: Path) -> Callable[[Path], Path]:
    """Convert a file with headless LibreOffice (own profile, time limit) -> the PDF's path."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")

    def convert(path: Path) -> Path:
        profile = tmp_path / "lo-profile"
        out = tmp_path / "pdf"
        out.mkdir(exist_ok=True)
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf", "--outdir", str(out), str(path)],
            check=True, capture_output=True, timeout=180,
        )
        pdf = out / (path.stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 1000, f"LibreOffice wrote no PDF for {path}"
        return pdf

    return convert


@pytest.fixture
def pdf_text() -> Callable[[Path], str]:
    """The text of a PDF (poppler's pdftotext), or skip when poppler is missing."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("poppler (pdftotext) is not installed")

    def extract(pdf: Path) -> str:
        done = subprocess.run([tool, "-layout", str(pdf), "-"], check=True, capture_output=True)
        return done.stdout.decode("utf-8")

    return extract
