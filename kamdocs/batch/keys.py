"""Fingerprints that decide whether an item must be rebuilt.

An item is one document: (account, kind, audience). Its key is the sha256 of everything
that can change its bytes: the account's canonical model JSON, the templates, the config,
the kamdocs version and the builder's own source, the kind, the audience and the as-of
date. Equal key + verified output files = nothing to do.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
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


def account_json(account: Account) -> str:
    """The account's canonical model JSON (also stored as the run's snapshot)."""
    return _dumps(_plain(account)).decode()


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
    """The kamdocs version plus the source of every module that draws documents.

    A release bump changes the version; during development an edited builder or render
    module changes this fingerprint, so documents are never stale after a code change.
    """
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]
    files = {p for folder in ("builders", "render") for p in (package / folder).rglob("*.py")}
    for cls in builders:
        source = inspect.getsourcefile(cls)
        if source is not None:
            files.add(Path(source).resolve())
    for path in sorted(files):
        digest.update(f"{path.name}\0{sha256_file(path)}".encode())
    return digest.hexdigest()


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
