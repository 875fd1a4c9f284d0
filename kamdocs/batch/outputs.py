"""Where an item's files go in the output folder, writing them, and verifying them later.

Documents go to ``OUT/<kind>/`` under the names :func:`kamdocs.writer.output_name` gives
(``<slug>_<account id>_<kind>_<as_of>.<ext>``), as ``kamdocs build`` names them: a
document for another audience than its kind's usual one adds it to the kind
(``plan-customer``), so both versions can sit side by side. A pack (EBR) is a folder of
that name, written with :func:`kamdocs.writer.write_folder_atomic`. Files go through
:class:`kamdocs.writer.Writer`: a killed run never leaves a partial or empty file at a final
path, only hidden temporaries, which the next run removes; two items claiming one path is
an error of the second item.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kamdocs.batch.keys import sha256_bytes, sha256_file
from kamdocs.builders.base import Artifact
from kamdocs.errors import RenderError
from kamdocs.model import Audience
from kamdocs.writer import Writer, output_name


@dataclass(frozen=True)
class WrittenItem:
    #: The document (or the pack folder), relative to the output folder, POSIX separators.
    output_path: str
    #: Every file written for the item: (relative path, sha256), sorted.
    files: tuple[tuple[str, str], ...]
    output_hash: str


def kind_label(kind: str, audience: Audience, default_audience: Audience) -> str:
    """The kind as file names show it: "plan", or "plan-customer" for the other audience."""
    return kind if audience is default_audience else f"{kind}-{audience.value}"


def write_item(
    writers: dict[str, Writer],
    out: Path,
    artifacts: Sequence[Artifact],
    *,
    kind: str,
    label: str,
    as_of: date,
    is_pack: bool,
) -> WrittenItem:
    """Write one item's artifacts atomically into ``out/<kind>/``.

    ``writers`` holds one :class:`Writer` per kind folder for the whole run, so a second
    item claiming an already claimed path fails (UsageError) instead of overwriting.
    """
    if not artifacts:
        raise RenderError(f"the {kind} builder produced no file")
    folder = out / kind
    writer = writers.setdefault(kind, Writer(folder))
    first = artifacts[0]
    owner = f"{first.account_id} {label}"
    written: dict[Path, bytes] = {}
    if is_pack:
        name = output_name(first.account_name, first.account_id, label, as_of)
        members = {a.member or f"{a.kind}{a.suffix}": a.data for a in artifacts}
        if len(members) != len(artifacts):
            raise RenderError(f"two files of the {kind} pack of {first.account_id} share a name")
        primary = writer.write_folder(name, members, owner=owner)
        written.update((primary / member, data) for member, data in members.items())
    else:
        primary = None
        for artifact in artifacts:
            name = output_name(artifact.account_name, artifact.account_id, label, as_of,
                               artifact.suffix)
            path = writer.write_file(name, artifact.data, owner=owner)
            written[path] = artifact.data
            primary = primary or path
    assert primary is not None
    files = sorted((p.relative_to(out).as_posix(), sha256_bytes(d)) for p, d in written.items())
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
    """Remove the hidden temporaries a killed run left behind; returns how many.

    The writer names them ``.<name>.<random>.tmp`` (files, and pack folders being filled)
    and ``.<name>.<random>.old`` (a pack folder being replaced).
    """
    removed = 0
    if not out.is_dir():
        return 0
    for pattern in (".*.tmp", ".*.old"):
        for path in sorted(out.rglob(pattern), reverse=True):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed += 1
    return removed
