"""The only code that writes files: atomic replace, safe names, no collisions.

A crash never leaves half a file at a final path: data goes to a temporary file in the
target folder, is flushed and fsynced, then ``os.replace``d onto the final name. A folder
(the EBR pack) is built in a temporary folder beside its final place and renamed, so it is
complete or absent. Two outputs of one run claiming the same path is an error (Pelican's
Writer), not a silent overwrite.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from kamdocs.errors import UsageError

_WINDOWS_RESERVED = {
    "con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}
#: Files we write are readable by the group and others, like any file a user saves.
_FILE_MODE = 0o644
_DIR_MODE = 0o755
#: A file name longer than this is refused by some file systems (255 bytes on most).
_MAX_NAME = 200


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that the path holds either the old file or the new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_folder_atomic(path: str | Path, files: Mapping[str, bytes]) -> Path:
    """Write a folder of files (``{"deck.pptx": b"..."}``) that appears complete or not at all.

    The files go into a temporary folder in the same parent, which is renamed onto ``path``;
    an existing folder at ``path`` is replaced (moved aside first, removed after).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=path.parent))
    old: Path | None = None
    try:
        for name in sorted(files):
            member = _member_path(tmp, name)
            member.parent.mkdir(parents=True, exist_ok=True)
            with open(member, "wb") as handle:
                handle.write(files[name])
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(member, _FILE_MODE)
        os.chmod(tmp, _DIR_MODE)
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name[:40]}.", suffix=".old",
                                        dir=path.parent))
            old.rmdir()
            os.replace(path, old)
        os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not path.exists():
            os.replace(old, path)
            old = None
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return path


def _member_path(folder: Path, name: str) -> Path:
    member = (folder / name).resolve()
    if folder.resolve() not in member.parents:
        raise UsageError(f"{name!r}: a pack member must stay inside its folder")
    return member


def slugify(text: str, max_length: int = 60) -> str:
    """A file-name-safe, lower-case ASCII slug: "Müller & Söhne GmbH" -> "muller-sohne-gmbh".

    Never empty, never a reserved device name, never longer than ``max_length``; the
    account id in the file name keeps two accounts with the same name apart.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    slug = slug[:max_length].rstrip("-") or "account"
    if slug in _WINDOWS_RESERVED:
        slug = f"{slug}-account"
    return slug


def output_name(account_name: str, account_id: str, kind: str, as_of: date,
                suffix: str = "") -> str:
    """``<slug>_<account id>_<kind>_<as_of><suffix>``: "acme-corp_001A000001_qbr_2026-11-23.pptx".

    ``suffix`` is ".pptx"/".docx", or "" for a folder (the EBR pack).
    """
    safe_id = re.sub(r"[^A-Za-z0-9-]+", "-", account_id).strip("-") or "no-id"
    safe_kind = slugify(kind, 20)
    name = f"{slugify(account_name)}_{safe_id[:40]}_{safe_kind}_{as_of.isoformat()}{suffix}"
    return name[:_MAX_NAME]


class Writer:
    """Owns one output folder for one run: claims paths, refuses two claims of one path."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._claimed: dict[str, str] = {}
        self.written: list[Path] = []

    def claim(self, name: str, owner: str = "") -> Path:
        """Reserve ``root/name`` for ``owner``; a second claim of the same path is an error.

        Names are compared case-insensitively: on Windows and macOS "Acme.pptx" and
        "acme.pptx" are the same file.
        """
        if not name or Path(name).name != name or name in (".", ".."):
            raise UsageError(f"{name!r} is not a file name inside the output folder")
        key = unicodedata.normalize("NFC", name).casefold()
        if key in self._claimed:
            first = self._claimed[key]
            raise UsageError(
                f"two outputs claim {self.root / name}: {first or 'an earlier output'} and "
                f"{owner or 'another output'}"
            )
        self._claimed[key] = owner
        return self.root / name

    def write_file(self, name: str, data: bytes, owner: str = "") -> Path:
        path = write_atomic(self.claim(name, owner), data)
        self.written.append(path)
        return path

    def write_folder(self, name: str, files: Mapping[str, bytes], owner: str = "") -> Path:
        path = write_folder_atomic(self.claim(name, owner), files)
        self.written.append(path)
        return path
