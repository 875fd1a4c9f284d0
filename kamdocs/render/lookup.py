"""The template search path: a user's brand file, else the default brand in the package.

``load_template("qbr")`` gives the default master shipped in ``kamdocs/templates/default``
(read with importlib.resources, so it works from a wheel); ``load_template("qbr",
Path("brand.pptx"))`` gives the user's file, after the safety checks of
:mod:`kamdocs.render.safety`. Either way the result carries the bytes of the master and its
:class:`Brand` (colours and fonts read from the file's theme, layout names, logo).
"""

from __future__ import annotations

import dataclasses
import io
import re
import tomllib
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kamdocs.errors import TemplateError, TemplateNotFound
from kamdocs.render.safety import DOCX, PPTX, check_package

#: Masters by document kind -> (file name in the default brand, package kind).
MASTERS: Mapping[str, tuple[str, str]] = MappingProxyType({
    "qbr": ("qbr.pptx", PPTX),
    "ebr": ("ebr.pptx", PPTX),
    "deck": ("qbr.pptx", PPTX),
    "account_plan": ("account_plan.docx", DOCX),
    "plan": ("account_plan.docx", DOCX),
    "briefing": ("briefing.docx", DOCX),
    "document": ("account_plan.docx", DOCX),
})
DEFAULT_PACKAGE = "kamdocs"
DEFAULT_FOLDER = ("templates", "default")
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_TEMPLATE_TYPES = {
    b"presentationml.template.main+xml": b"presentationml.presentation.main+xml",
    b"presentationml.slideshow.main+xml": b"presentationml.presentation.main+xml",
    b"wordprocessingml.template.main+xml": b"wordprocessingml.document.main+xml",
}


#: Facts of recently opened masters, by (what, the master's bytes): see :func:`master_memo`.
_MEMOS: dict[tuple[str, bytes], dict[Any, Any]] = {}
_MEMOS_KEPT = 16


def master_memo(what: str, master: bytes) -> dict[Any, Any]:
    """A dict for the facts ``what`` of the master whose bytes are ``master``, shared by
    every document opened from it in this process (a batch opens one master per account).
    Only what follows from the master's bytes alone may go in it (a layout's placeholders,
    a style's id), never what one document changes."""
    key = (what, master)
    memo = _MEMOS.get(key)
    if memo is None:
        while len(_MEMOS) >= _MEMOS_KEPT:
            del _MEMOS[next(iter(_MEMOS))]
        memo = _MEMOS[key] = {}
    return memo


@dataclass(frozen=True)
class Brand:
    """Colours ("#RRGGBB"), fonts, layout names by role, and the logo of a brand."""

    name: str
    primary: str
    text: str
    muted: str
    rule: str
    zebra: str
    accents: tuple[str, ...]
    heading_font: str
    body_font: str
    #: Our layout role ("content", "title", ...) -> layout name in the .pptx master.
    layouts: Mapping[str, str] = field(default_factory=dict)
    #: PNG/JPEG bytes of the logo, None when the brand has none.
    logo: bytes | None = None


@dataclass(frozen=True)
class Template:
    """A master ready to open: where it came from, its kind, bytes and brand."""

    source: str
    kind: str
    data: bytes
    brand: Brand
    #: The folder of the user's template (for text snippets beside it), None for the default.
    folder: Path | None = None


def _default_root() -> resources.abc.Traversable:
    root = resources.files(DEFAULT_PACKAGE)
    for part in DEFAULT_FOLDER:
        root = root / part
    return root


def default_brand() -> Brand:
    """The brand of the packaged default templates (brand.toml + logo.png)."""
    root = _default_root()
    raw = tomllib.loads((root / "brand.toml").read_text(encoding="utf-8"))
    colours = raw["colors"]
    logo = root / "logo.png"
    return Brand(
        name=raw["name"],
        primary=colours["primary"],
        text=colours["text"],
        muted=colours["muted"],
        rule=colours["rule"],
        zebra=colours["zebra"],
        accents=tuple(colours["accents"]),
        heading_font=raw["fonts"]["heading"],
        body_font=raw["fonts"]["body"],
        layouts=MappingProxyType(dict(raw.get("layouts", {}))),
        logo=logo.read_bytes() if logo.is_file() else None,
    )


def text_folders(template: Template | None = None) -> tuple[Path | resources.abc.Traversable, ...]:
    """Where text snippets are looked up: the user's ``text/`` folder first, then ours."""
    folders: list[Path | resources.abc.Traversable] = []
    if template is not None and template.folder is not None:
        user = template.folder / "text"
        if user.is_dir():
            folders.append(user)
    folders.append(_default_root() / "text")
    return tuple(folders)


def load_template(
    master: str,
    user_template: Path | str | None = None,
    *,
    layouts: Mapping[str, str] | None = None,
    logo: Path | str | None = None,
    company: str | None = None,
) -> Template:
    """The master for ``master`` ("qbr", "ebr", "account_plan", "briefing").

    ``layouts`` (config ``templates.layouts``) overrides the brand's role -> layout names;
    ``logo`` (config ``templates.logo``) replaces the brand's logo. Without one, the default
    brand's logo is kept only when ``company`` (ours, from the config) is the brand's own:
    a document must not carry another company's logo.
    """
    try:
        file_name, kind = MASTERS[master]
    except KeyError:
        known = ", ".join(sorted(MASTERS))
        raise TemplateError(f"unknown master {master!r} (known: {known})") from None
    brand = default_brand()
    folder = None
    if user_template is None:
        source = f"default brand ({file_name})"
        data = (_default_root() / file_name).read_bytes()
        check_package(data, kind, source)
    else:
        path = Path(user_template)
        if not path.is_file():
            raise TemplateNotFound(f"{path}: template not found (searched: {path.resolve()})")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TemplateError(f"{path}: cannot read template ({exc.strerror})") from None
        source = str(path)
        check_package(data, kind, source)
        data = _as_document(data)
        brand = _brand_from_theme(data, kind, brand, path.stem)
        folder = path.parent
    merged = dict(brand.layouts)
    merged.update(layouts or {})
    logo_bytes = brand.logo
    if company is not None and company.strip().casefold() != brand.name.strip().casefold():
        logo_bytes = None
    if logo:
        logo_path = Path(logo)
        try:
            logo_bytes = logo_path.read_bytes()
        except OSError as exc:
            raise TemplateNotFound(f"{logo_path}: logo not found ({exc.strerror})") from None
    brand = dataclasses.replace(brand, layouts=MappingProxyType(merged), logo=logo_bytes)
    return Template(source=source, kind=kind, data=data, brand=brand, folder=folder)


def _as_document(data: bytes) -> bytes:
    """A .potx/.dotx/.ppsx relabelled as a document: python-pptx/-docx open only those."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml")
        if not any(t in types for t in _TEMPLATE_TYPES):
            return data
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    for old, new in _TEMPLATE_TYPES.items():
        types = types.replace(old, new)
    entries["[Content_Types].xml"] = types
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, blob in entries.items():
            target.writestr(name, blob)
    return buffer.getvalue()


def _brand_from_theme(data: bytes, kind: str, base: Brand, name: str) -> Brand:
    """Colours and fonts of a user's file, from its (first) theme part."""
    theme_dir = "ppt/theme/" if kind == PPTX else "word/theme/"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        themes = sorted(n for n in archive.namelist() if n.startswith(theme_dir)
                        and n.endswith(".xml"))
        if not themes:
            return dataclasses.replace(base, name=name, logo=None)
        xml = archive.read(themes[0])
    colours = {slot: value for slot, value in re.findall(
        rb'<a:(dk1|lt1|dk2|lt2|accent\d|hlink|folHlink)>\s*<a:(?:srgbClr val|sysClr[^>]*lastClr)="'
        rb'([0-9A-Fa-f]{6})"', xml)}

    def colour(slot: str, fallback: str) -> str:
        value = colours.get(slot.encode())
        return f"#{value.decode().upper()}" if value else fallback

    accents = tuple(colour(f"accent{i}", base.accents[i - 1]) for i in range(1, 7))
    primary = colour("dk2", base.primary)
    if primary.upper() in ("#000000", "#FFFFFF"):
        primary = accents[0]
    fonts = re.findall(rb"<a:(majorFont|minorFont)>\s*<a:latin typeface=\"([^\"]*)\"", xml)
    faces = {k.decode(): v.decode("utf-8") for k, v in fonts if v}
    return Brand(
        name=name,
        primary=primary,
        text=colour("dk1", base.text),
        muted=base.muted,
        rule=base.rule,
        zebra=colour("lt2", base.zebra),
        accents=accents + base.accents[6:],
        heading_font=faces.get("majorFont", base.heading_font),
        body_font=faces.get("minorFont", base.body_font),
        layouts=base.layouts,
        # Our logo on someone else's brand would be wrong; config templates.logo sets theirs.
        logo=None,
    )


def describe(master: str, user_template: Path | str | None = None,
             layouts: Mapping[str, str] | None = None) -> list[str]:
    """Check a template fully (safety, kind, every layout role) and describe it in lines."""
    template = load_template(master, user_template, layouts=layouts)
    lines = [f"{template.source}: {template.kind}, brand {template.brand.name!r}, "
             f"colour {template.brand.primary}, fonts {template.brand.heading_font}/"
             f"{template.brand.body_font}"]
    if template.kind == PPTX:
        from kamdocs.render.pptx import open_layouts

        for role, name in open_layouts(template).items():
            lines.append(f"  layout {role}: {name!r}")
    else:
        from kamdocs.render.docx import required_styles

        for name, present in required_styles(template).items():
            lines.append(f"  style {name!r}: {'present' if present else 'missing (Normal used)'}")
    return lines
