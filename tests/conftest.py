"""Shared fixtures: small real runs of the model, computed once per test session."""

from __future__ import annotations

import pytest

import sim


@pytest.fixture(scope="session")
def small_run() -> sim.Results:
    """400 households over 3 years."""
    return sim.simulate("population.households=400", "years=3", "seed=11")


@pytest.fixture(scope="session")
def long_run() -> sim.Results:
    """2,000 households over 20 years: enough seasons for calibration averages."""
    return sim.simulate("population.households=2000", "years=20", "seed=5")
