"""``sim.simulate`` from a configuration; the composition kept for the process."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import sim
from sim.compose import compose_config


def test_simulate_from_a_config_equals_simulate_from_overrides():
    overrides = ("population.households=200", "years=2", "seed=3", "package=full_cdr")
    a = sim.simulate(*overrides)
    run = sim.load(*overrides)
    b = sim.simulate(config=run)
    c = sim.simulate(config=run.model)
    pd.testing.assert_frame_equal(a.timeseries, b.timeseries)
    pd.testing.assert_frame_equal(a.households, c.households)
    other = sim.simulate(config=dataclasses.replace(run.model, seed=4))
    assert not other.households["cash"].equals(a.households["cash"])
    with pytest.raises(TypeError, match="not both"):
        sim.simulate("years=2", config=run)
    with pytest.raises(TypeError, match="ModelConfig"):
        sim.simulate(config={"years": 2})


def test_a_kept_composition_is_handed_out_as_a_fresh_copy():
    first = compose_config("years=3")
    first["population"]["households"] = -1
    first["years"] = 99
    again = compose_config("years=3")
    assert again["years"] == 3
    assert again["population"]["households"] > 0
    assert compose_config("years=4")["years"] == 4
