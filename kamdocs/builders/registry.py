"""Builder names -> classes. Duplicates are rejected; an unknown name lists the known ones."""

from __future__ import annotations

import difflib
import importlib

from kamdocs.builders.base import Builder
from kamdocs.errors import UsageError

# Modules whose import registers a builder; imported on first lookup so that
# ``kamdocs --help`` does not pay for python-pptx and matplotlib.
_BUILDER_MODULES = ("kamdocs.builders.account_plan", "kamdocs.builders.qbr", "kamdocs.builders.ebr")


class Registry:
    def __init__(self) -> None:
        self._builders: dict[str, type[Builder]] = {}

    def register(self, cls: type[Builder]) -> type[Builder]:
        if cls.name in self._builders and self._builders[cls.name] is not cls:
            raise ValueError(f"two builders are named {cls.name!r}")
        self._builders[cls.name] = cls
        return cls

    def _load(self) -> None:
        for module in _BUILDER_MODULES:
            try:
                importlib.import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise

    def names(self) -> tuple[str, ...]:
        self._load()
        return tuple(sorted(self._builders))

    def get(self, name: str) -> type[Builder]:
        self._load()
        try:
            return self._builders[name]
        except KeyError:
            close = difflib.get_close_matches(name, self._builders, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            known = ", ".join(sorted(self._builders)) or "none"
            raise UsageError(f"unknown document kind {name!r} (known: {known}){hint}") from None


#: The one registry of the package's builders (append-only, filled at import).
REGISTRY = Registry()
register = REGISTRY.register
get_builder = REGISTRY.get
