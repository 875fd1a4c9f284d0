"""Shared fixtures: the sample portfolio as the generator produces it (built once)."""

from __future__ import annotations

import pandas as pd
import pytest

from kamdocs import samples


@pytest.fixture(scope="session")
def sample_frames() -> dict[str, pd.DataFrame]:
    """The 40-account demo portfolio, exactly as samples/ should hold it."""
    return samples.generate(samples.SAMPLES_ACCOUNTS, samples.SAMPLES_SEED, samples.SAMPLES_AS_OF)
