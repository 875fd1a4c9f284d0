"""Fixtures of the batch tests: the stand-in builders, registered and importable."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
# The helpers and stand-in builders are imported by name, here, in spawned workers (which
# inherit sys.path) and in `kamdocs batch` subprocesses (PYTHONPATH).
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


@pytest.fixture(autouse=True)
def fake_builders() -> Iterator[str]:
    """Register the stand-in builders (fakeplan, fakeqbr, fakepack)."""
    yield importlib.import_module("batch_fakes").__name__
