"""Same config and seed → identical results; another seed → different results."""

from __future__ import annotations

import pandas as pd

import sim


def test_same_seed_identical():
    a = sim.simulate("population.households=300", "years=3", "seed=21")
    b = sim.simulate("population.households=300", "years=3", "seed=21")
    pd.testing.assert_frame_equal(a.timeseries, b.timeseries)
    pd.testing.assert_frame_equal(a.households, b.households)


def test_other_seed_differs():
    a = sim.simulate("population.households=300", "years=3", "seed=21")
    b = sim.simulate("population.households=300", "years=3", "seed=22")
    assert not a.timeseries["kcal_adequacy"].equals(b.timeseries["kcal_adequacy"])
    assert not a.households["cash"].equals(b.households["cash"])


def test_world_depends_only_on_seed_not_on_population_size():
    a = sim.simulate("population.households=100", "years=3", "seed=9")
    b = sim.simulate("population.households=500", "years=3", "seed=9")
    cols = ["millet_price", "goat_price", "rainfall"]
    pd.testing.assert_frame_equal(a.timeseries[cols], b.timeseries[cols])
