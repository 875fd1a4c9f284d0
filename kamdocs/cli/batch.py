"""Commands: (to be filled)."""

from __future__ import annotations

from kamdocs.cli import main  # noqa: F401
