"""PDF and PNG through headless LibreOffice (and poppler's pdftoppm).

Two soffice processes sharing one user profile silently produce nothing, and soffice can
exit 0 without writing anything; so every call gets its own profile folder
(``-env:UserInstallation=file://...``), a timeout, and a check that the output exists and is
not empty. Everything happens in a temporary folder: callers get bytes back and hand them to
the writer (render/ writes no files of its own).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from kamdocs.errors import RenderError
from kamdocs.writer import write_atomic

#: Seconds one conversion may take; a large deck takes a few seconds on a slow machine.
DEFAULT_TIMEOUT = 120.0
SOFFICE_NAMES = ("soffice", "libreoffice")


def find_soffice() -> str | None:
    """The LibreOffice executable on PATH (or $KAMDOCS_SOFFICE), None when absent."""
    explicit = os.environ.get("KAMDOCS_SOFFICE")
    if explicit:
        return shutil.which(explicit)
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def to_pdf(data: bytes, suffix: str, *, timeout: float = DEFAULT_TIMEOUT,
           soffice: str | None = None, name: str = "document") -> bytes:
    """The PDF of a .pptx/.docx given as bytes; a RenderError (exit 1) when it cannot be made."""
    executable = soffice or find_soffice()
    if executable is None:
        raise RenderError(f"{name}: cannot make a PDF: LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="kamdocs-lo-") as work:
        folder = Path(work)
        source = write_atomic(folder / f"input{suffix}", data)
        profile = folder / "profile"
        out = folder / "out"
        out.mkdir()
        command = [
            executable, f"-env:UserInstallation={profile.as_uri()}", "--headless",
            "--norestore", "--nologo", "--convert-to", "pdf", "--outdir", str(out), str(source),
        ]
        _run(command, timeout, name)
        pdf = out / "input.pdf"
        if not pdf.is_file() or pdf.stat().st_size == 0:
            raise RenderError(f"{name}: LibreOffice wrote no PDF (the file may be damaged)")
        return stable_pdf(pdf.read_bytes(), _created(data))


def _created(data: bytes) -> date:
    """The date the source package says it was made (our packages say: the as-of date)."""
    with contextlib.suppress(zipfile.BadZipFile, KeyError, OSError):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            core = archive.read("docProps/core.xml")
        match = re.search(rb"<dcterms:created[^>]*>(\d{4}-\d{2}-\d{2})", core)
        if match:
            return date.fromisoformat(match.group(1).decode())
    return date(1980, 1, 1)


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\(D:[^)]*\)")
_PDF_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
#: LibreOffice's own checksum of the file, which covers its clock time too.
_PDF_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")


def stable_pdf(pdf: bytes, when: date) -> bytes:
    """The same PDF with LibreOffice's clock time, file id and checksum replaced, so that the
    same document gives the same PDF bytes.

    Replacements keep every string's length, so the cross-reference offsets stay valid.
    """
    stamp = when.strftime("%Y%m%d").encode()

    def date_of(match: re.Match[bytes]) -> bytes:
        text = match.group(0)
        start = text.index(b"D:") + 2
        body = text[start:-1]
        # YYYYMMDDHHmmSS, then the time zone: zeroed (UTC), keeping its length.
        zone = re.sub(rb"\d", b"0", body[14:]).replace(b"-", b"+")
        return text[:start] + (stamp + b"000000")[: min(14, len(body))] + zone + b")"

    pdf = _PDF_DATE.sub(date_of, pdf)
    content = _PDF_CHECKSUM.sub(b"", _PDF_ID.sub(b"", pdf))
    digest = hashlib.md5(content, usedforsecurity=False).hexdigest().upper().encode()

    def checksum_of(match: re.Match[bytes]) -> bytes:
        original = match.group(1)
        return match.group(0).replace(original, digest[: len(original)].ljust(len(original), b"0"))

    def id_of(match: re.Match[bytes]) -> bytes:
        text = match.group(0)
        for original in (match.group(1), match.group(2)):
            text = text.replace(original, digest[: len(original)].ljust(len(original), b"0"))
        return text

    return _PDF_CHECKSUM.sub(checksum_of, _PDF_ID.sub(id_of, pdf))


def _run(command: list[str], timeout: float, name: str) -> None:
    # A new session, so a timeout kills soffice and the oosplash/soffice.bin it starts.
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)
    except OSError as exc:
        raise RenderError(f"{name}: cannot start LibreOffice ({exc.strerror})") from None
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.communicate()
        raise RenderError(f"{name}: LibreOffice timed out after {timeout:g} s") from None
    if process.returncode != 0:
        detail = stderr.decode("utf-8", "replace").strip().splitlines()
        tail = f": {detail[-1]}" if detail else ""
        raise RenderError(f"{name}: LibreOffice failed (exit {process.returncode}){tail}")


def pdf_to_png(pdf: bytes, *, dpi: int = 80, timeout: float = DEFAULT_TIMEOUT,
               name: str = "document") -> list[bytes]:
    """One PNG per page of ``pdf``, in page order (poppler's pdftoppm)."""
    executable = shutil.which("pdftoppm")
    if executable is None:
        raise RenderError(f"{name}: cannot make PNGs: pdftoppm (poppler-utils) is not installed")
    with tempfile.TemporaryDirectory(prefix="kamdocs-png-") as work:
        folder = Path(work)
        source = write_atomic(folder / "input.pdf", pdf)
        try:
            result = subprocess.run(
                [executable, "-png", "-r", str(dpi), str(source), str(folder / "page")],
                capture_output=True, timeout=timeout, check=False,
            )
        except subprocess.TimeoutExpired:
            raise RenderError(f"{name}: pdftoppm timed out after {timeout:g} s") from None
        if result.returncode != 0:
            raise RenderError(f"{name}: pdftoppm failed (exit {result.returncode})")
        pages = sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if not pages:
            raise RenderError(f"{name}: pdftoppm wrote no pages")
        return [p.read_bytes() for p in pages]


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_COUNT = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", re.DOTALL)


def page_count(pdf: bytes) -> int:
    """Pages in a PDF: pdfinfo when installed, else counted in the file's page objects."""
    executable = shutil.which("pdfinfo")
    if executable is not None:
        with tempfile.TemporaryDirectory(prefix="kamdocs-pdf-") as work:
            source = write_atomic(Path(work) / "input.pdf", pdf)
            result = subprocess.run([executable, str(source)], capture_output=True, timeout=60,
                                    check=False)
            match = re.search(rb"^Pages:\s+(\d+)", result.stdout, re.MULTILINE)
            if result.returncode == 0 and match:
                return int(match.group(1))
    counts = [int(c) for c in _COUNT.findall(pdf)]
    return max(counts) if counts else len(_PAGE.findall(pdf))
