"""Deterministic OOXML packages: same inputs and as_of give byte-identical .pptx/.docx.

python-pptx and python-docx write zip entries with the current time, carry their template's
core properties ("python-docx" as author, 2013 dates) and an app.xml describing the file they
were made from. :func:`normalize` rewrites a finished package: core properties set from
:class:`CoreProperties` only, a minimal app.xml, no thumbnail of the template, entries in a
fixed order with a fixed timestamp (from as_of) and fixed compression, and the same treatment
for the xlsx workbooks embedded behind native charts (XlsxWriter stamps them with the time).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from lxml import etree

CORE_PART = "docProps/core.xml"
APP_PART = "docProps/app.xml"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_THUMBNAIL_REL = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
)
#: Office writes [Content_Types].xml first; some readers (and `file`) sniff on it.
_FIRST = ("[Content_Types].xml", "_rels/.rels", CORE_PART, APP_PART)
#: Zip cannot store dates before 1980.
_EARLIEST = date(1980, 1, 1)
_COMPRESSION = zipfile.ZIP_DEFLATED
_LEVEL = 6


@dataclass(frozen=True, slots=True)
class CoreProperties:
    """What docProps/core.xml says; author and last_modified_by are our company."""

    title: str
    author: str
    as_of: date
    subject: str = ""
    keywords: str = ""
    description: str = ""
    category: str = ""


def normalize(data: bytes, core: CoreProperties) -> bytes:
    """Rewrite an OOXML package deterministically with ``core`` as its core properties."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    return normalize_entries(entries, core)


def normalize_entries(entries: dict[str, bytes], core: CoreProperties) -> bytes:
    """:func:`normalize` of a package given as its parts (zip member name -> bytes), for a
    caller that has them in hand: no zip to write and read back first."""
    entries = _drop_thumbnail(dict(entries))
    entries[CORE_PART] = core_xml(core)
    entries[APP_PART] = app_xml(core.author)
    entries["[Content_Types].xml"] = _ensure_overrides(entries["[Content_Types].xml"])
    entries["_rels/.rels"] = _ensure_doc_props_rels(entries["_rels/.rels"])
    for name in list(entries):
        if name.lower().endswith((".xlsx", ".xlsm")) and "/embeddings/" in name:
            entries[name] = normalize(entries[name], CoreProperties("", core.author, core.as_of))
    return _write_zip(entries, core.as_of)


def _write_zip(entries: dict[str, bytes], as_of: date) -> bytes:
    stamp = max(as_of, _EARLIEST)
    order = [n for n in _FIRST if n in entries] + sorted(n for n in entries if n not in _FIRST)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", _COMPRESSION, compresslevel=_LEVEL) as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=(stamp.year, stamp.month, stamp.day, 0, 0, 0))
            # ZipInfo fills these from the running platform; fix them for identical bytes.
            info.create_system = 0
            info.create_version = 20
            info.extract_version = 20
            info.external_attr = 0
            info.compress_type = _COMPRESSION
            target.writestr(info, entries[name], compress_type=_COMPRESSION, compresslevel=_LEVEL)
    return buffer.getvalue()


def core_xml(core: CoreProperties) -> bytes:
    stamp = f"{core.as_of.isoformat()}T00:00:00Z"
    fields = [
        ("dc:title", core.title),
        ("dc:subject", core.subject),
        ("dc:creator", core.author),
        ("cp:keywords", core.keywords),
        ("dc:description", core.description),
        ("cp:lastModifiedBy", core.author),
        ("cp:revision", "1"),
        ("cp:category", core.category),
    ]
    body = "".join(
        f"<{tag}>{escape(value)}</{tag}>" if value else f"<{tag}/>" for tag, value in fields
    )
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{body}"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode("utf-8")


def app_xml(company: str) -> bytes:
    # Only what is true of every file we write: the template's page/word counts, its
    # "Microsoft Macintosh Word" and its titles of parts would describe another file.
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        '2006/docPropsVTypes">'
        "<Application>kamdocs</Application>"
        f"<Company>{escape(company)}</Company>"
        "</Properties>"
    ).encode("utf-8")


def _parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
    return etree.fromstring(data, parser)


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_thumbnail(entries: dict[str, bytes]) -> dict[str, bytes]:
    """Remove the template's thumbnail: it would show the template, not this file."""
    rels = entries.get("_rels/.rels")
    if rels is None:
        return entries
    root = _parse(rels)
    dropped = []
    for rel in list(root):
        if rel.get("Type") == _THUMBNAIL_REL:
            dropped.append(rel.get("Target", "").lstrip("/"))
            root.remove(rel)
    if not dropped:
        return entries
    kept = {n: b for n, b in entries.items() if n not in dropped}
    kept["_rels/.rels"] = _serialize(root)
    types = _parse(kept["[Content_Types].xml"])
    for override in list(types):
        if override.get("PartName", "").lstrip("/") in dropped:
            types.remove(override)
    kept["[Content_Types].xml"] = _serialize(types)
    return kept


def _ensure_overrides(content_types: bytes) -> bytes:
    root = _parse(content_types)
    present = {o.get("PartName") for o in root if o.tag == f"{{{_CT_NS}}}Override"}
    wanted = {
        "/" + CORE_PART: "application/vnd.openxmlformats-package.core-properties+xml",
        "/" + APP_PART: "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    for part, content_type in wanted.items():
        if part not in present:
            etree.SubElement(root, f"{{{_CT_NS}}}Override", PartName=part, ContentType=content_type)
    return _serialize(root)


def _ensure_doc_props_rels(rels: bytes) -> bytes:
    root = _parse(rels)
    targets = {r.get("Target", "").lstrip("/") for r in root}
    wanted = {
        CORE_PART: "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
        "core-properties",
        APP_PART: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        "extended-properties",
    }
    ids = {r.get("Id") for r in root}
    for target, rel_type in wanted.items():
        if target in targets:
            continue
        n = 1
        while f"rIdKd{n}" in ids:
            n += 1
        ids.add(f"rIdKd{n}")
        etree.SubElement(root, f"{{{_RELS_NS}}}Relationship", Id=f"rIdKd{n}", Type=rel_type,
                         Target=target)
    return _serialize(root)
