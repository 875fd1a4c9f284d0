"""``manifest.json`` of an EBR pack: what was built, from which input, for whom.

Deterministic: keys sorted, lists in a fixed order, no clock; the same inputs and as-of give
the same bytes (a PDF's own bytes are LibreOffice's and carry its conversion time, so a pack
with a PDF lists a hash that changes from run to run).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kamdocs import __version__
from kamdocs.model import Audience


@dataclass(frozen=True)
class PackFile:
    """One file of the pack as the manifest lists it."""

    name: str
    role: str
    audience: Audience
    data: bytes


def manifest_json(
    *,
    account_id: str,
    account_name: str,
    as_of: date,
    period: tuple[str, date, date],
    company: str,
    source: str,
    input_hashes: Sequence[tuple[str, str]],
    files: Sequence[PackFile],
    problems: Sequence[str] = (),
) -> bytes:
    """The manifest as UTF-8 JSON bytes (sorted keys, two-space indent, final newline)."""
    label, start, end = period
    document = {
        "kind": "ebr",
        "kamdocs_version": __version__,
        "account": {"id": account_id, "name": account_name},
        "as_of": as_of.isoformat(),
        "review_period": {"label": label, "start": start.isoformat(), "end": end.isoformat()},
        "company": company,
        "source": source,
        "inputs": [{"file": name, "sha256": digest}
                   for name, digest in sorted(input_hashes)],
        "files": [
            {
                "name": f.name,
                "role": f.role,
                "audience": f.audience.value,
                "bytes": len(f.data),
                "sha256": hashlib.sha256(f.data).hexdigest(),
            }
            for f in files
        ],
        "problems": list(problems),
    }
    text = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")
