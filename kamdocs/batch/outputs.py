"""Where an item's files go in the output folder, writing them, and verifying them later.

Documents go to ``OUT/<kind>/<slug>_<account id>_<kind>_<as_of>[_<audience>].<ext>``: the
audience is added only when it is not the kind's default, so two audiences of one kind
never claim the same path. A pack (EBR) is a folder of that name holding its members.
Every file goes through :func:`kamdocs.writer.write_atomic`: a killed run never leaves a
partial or empty file at a final path, only hidden temporary files, removed by the next run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kamdocs.batch.keys import sha256_bytes, sha256_file
from kamdocs.builders.base import Artifact
from kamdocs.errors import RenderError
from kamdocs.model import Audience
from kamdocs.writer import slugify, write_atomic


@dataclass(frozen=True)
class WrittenItem:
    #: The document (or the pack folder), relative to the output folder, POSIX separators.
    output_path: str
    #: Every file written for the item: (relative path, sha256), sorted.
    files: tuple[tuple[str, str], ...]
    output_hash: str


def item_stem(
    account_id: str, account_name: str, kind: str, as_of: date, audience: Audience,
    default_audience: Audience,
) -> str:
    stem = f"{slugify(account_name)}_{account_id}_{kind}_{as_of.isoformat()}"
    if audience is not default_audience:
        stem += f"_{audience.value}"
    return stem


def write_item(
    out: Path,
    artifacts: Iterable[Artifact],
    *,
    stem: str,
    kind: str,
    is_pack: bool,
) -> WrittenItem:
    """Write one item's artifacts atomically; two artifacts on one path is an error."""
    folder = out / kind
    targets: dict[Path, bytes] = {}
    primary: Path | None = None
    for artifact in artifacts:
        if is_pack or artifact.member is not None:
            member = artifact.member or f"{kind}{artifact.suffix}"
            path = folder / stem / member
            main = folder / stem
        else:
            path = folder / f"{stem}{artifact.suffix}"
            main = path
        if path in targets:
            raise RenderError(f"two files of {stem} claim the same path {path.name}")
        targets[path] = artifact.data
        primary = primary or main
    if primary is None:
        raise RenderError(f"the {kind} builder produced no file for {stem}")
    files = []
    for path, data in sorted(targets.items()):
        write_atomic(path, data)
        files.append((path.relative_to(out).as_posix(), sha256_bytes(data)))
    return WrittenItem(primary.relative_to(out).as_posix(), tuple(files), files_hash(files))


def files_hash(files: Iterable[tuple[str, str]]) -> str:
    """One hash over an item's files (path and content hash of each)."""
    payload = json.dumps(sorted([list(f) for f in files]), separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def verify(out: Path, files: Iterable[tuple[str, str]]) -> bool:
    """True when every file is at its path with the recorded content."""
    listed = list(files)
    if not listed:
        return False
    for relative, expected in listed:
        path = out / relative
        try:
            if not path.is_file() or sha256_file(path) != expected:
                return False
        except OSError:
            return False
    return True


def remove_stale_temporaries(out: Path) -> int:
    """Remove the hidden temporary files a killed run left behind; returns how many."""
    removed = 0
    if not out.is_dir():
        return 0
    for path in out.rglob(".*.tmp"):
        if path.is_file():
            path.unlink()
            removed += 1
    return removed
