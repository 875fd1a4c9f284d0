"""Template checks before use: a brand file is untrusted input.

A user's .pptx/.docx is opened by lxml (through python-pptx/python-docx) and its parts are
copied into every document we produce. Before that, :func:`check_package` rejects what must
never travel into a customer's inbox or crash a batch: a file that is not a zip, the wrong kind
of document, macros and ActiveX controls, relationships to external targets, DOCTYPE or
ENTITY declarations (XML entity expansion, external entities) and zip bombs. Every rejection
is a :class:`kamdocs.errors.TemplateError` (exit 4) with one line saying why.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from kamdocs.errors import TemplateError

PPTX = "pptx"
DOCX = "docx"

_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": PPTX,
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": PPTX,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": DOCX,
}
_OTHER_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "xlsx",
}
_MACRO_TYPE = re.compile(rb"macroEnabled|vbaProject|vbaData", re.IGNORECASE)
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_EXTERNAL = re.compile(rb"""TargetMode\s*=\s*["']External["']""", re.IGNORECASE)
_OVERRIDE = re.compile(
    rb"""<Override\b[^>]*?PartName\s*=\s*["']([^"']+)["'][^>]*?ContentType\s*=\s*["']"""
    rb"""([^"']+)["']""",
    re.IGNORECASE,
)
_OVERRIDE_REVERSED = re.compile(
    rb"""<Override\b[^>]*?ContentType\s*=\s*["']([^"']+)["'][^>]*?PartName\s*=\s*["']"""
    rb"""([^"']+)["']""",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Limits:
    """Zip bomb limits; a real brand master is a few MB with a few hundred parts."""

    max_entries: int = 5_000
    max_total_bytes: int = 200 * 1024 * 1024
    #: Inflated / compressed size above which an entry is suspicious...
    max_ratio: float = 100.0
    #: ...when it inflates to more than this (small XML parts compress very well).
    ratio_floor_bytes: int = 2 * 1024 * 1024


def check_package(data: bytes, expected: str, name: str, limits: Limits = Limits()) -> str:
    """Reject an unsafe or wrong package; return its kind ("pptx"/"docx") when it is fine.

    ``expected`` is the kind the caller needs, or "" to accept either.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise TemplateError(f"{name}: not a valid .pptx/.docx (not a zip file: {exc})") from None
    with archive:
        infos = archive.infolist()
        _check_sizes(infos, name, limits)
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names:
            raise TemplateError(f"{name}: not an Office document (no [Content_Types].xml)")
        kind = _check_kind(_read(archive, "[Content_Types].xml", name), expected, name)
        for info in infos:
            _check_part(archive, info, name)
    return kind


def _check_sizes(infos: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    if len(infos) > limits.max_entries:
        raise TemplateError(
            f"{name}: rejected as a zip bomb: {len(infos)} entries (limit {limits.max_entries})"
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_total_bytes:
        raise TemplateError(
            f"{name}: rejected as a zip bomb: inflates to {total:,} bytes "
            f"(limit {limits.max_total_bytes:,})"
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
            raise TemplateError(
                f"{name}: rejected as a zip bomb: {info.filename} inflates {ratio:.0f}:1 "
                f"(limit {limits.max_ratio:.0f}:1)"
            )


def _read(archive: zipfile.ZipFile, part: str, name: str) -> bytes:
    try:
        return archive.read(part)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        # zipfile checks the CRC and the declared size while inflating: a lying header ends here.
        raise TemplateError(f"{name}: corrupt part {part} ({exc})") from None
    except NotImplementedError as exc:
        raise TemplateError(f"{name}: unsupported compression in {part} ({exc})") from None


def _check_kind(content_types: bytes, expected: str, name: str) -> str:
    if _DECLARATION.search(content_types):
        raise TemplateError(f"{name}: DOCTYPE/ENTITY declaration in [Content_Types].xml")
    overrides = {part: ctype for part, ctype in _OVERRIDE.findall(content_types)}
    overrides.update({part: ctype for ctype, part in _OVERRIDE_REVERSED.findall(content_types)})
    kinds = set()
    for part, ctype in overrides.items():
        text = ctype.decode("ascii", "replace")
        if _MACRO_TYPE.search(ctype):
            raise TemplateError(
                f"{name}: contains macros ({part.decode('utf-8', 'replace')}: {text})"
            )
        if text in _MAIN_TYPES:
            kinds.add(_MAIN_TYPES[text])
        elif text in _OTHER_TYPES:
            kinds.add(_OTHER_TYPES[text])
    if not kinds:
        raise TemplateError(f"{name}: not a PowerPoint or Word document (no main part)")
    kind = sorted(kinds)[0]
    if expected and kind != expected:
        raise TemplateError(
            f"{name}: wrong kind of template: a .{kind} file, a .{expected} is needed"
        )
    if kind not in (PPTX, DOCX):
        raise TemplateError(f"{name}: a .{kind} file is not a template (use a .pptx or .docx)")
    return kind


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    part = info.filename
    lowered = part.lower()
    if "vbaproject" in lowered or lowered.endswith((".bin",)) and "vba" in lowered:
        raise TemplateError(f"{name}: contains macros ({part})")
    if "/activex/" in lowered or lowered.startswith("activex/"):
        raise TemplateError(f"{name}: contains an ActiveX control ({part})")
    if not lowered.endswith((".xml", ".rels", ".vml")):
        return
    text = _read(archive, part, name)
    if _DECLARATION.search(text):
        raise TemplateError(f"{name}: DOCTYPE/ENTITY declaration in {part}")
    if lowered.endswith(".rels") and _EXTERNAL.search(text):
        target = re.search(rb"""Target\s*=\s*["']([^"']*)["'][^>]*TargetMode\s*=\s*["']External""",
                           text, re.IGNORECASE)
        shown = target.group(1).decode("utf-8", "replace") if target else "?"
        raise TemplateError(f"{name}: external relationship in {part} (Target={shown})")
