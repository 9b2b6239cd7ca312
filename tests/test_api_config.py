"""``sim.simulate`` from a configuration; the composition kept for the process."""

from __future__ import annotations

import dataclasses
import shutil

import pandas as pd
import pytest
from hydra import initialize_config_dir

import sim
from sim.compose import compose_config
from sim.config import conf_dir


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


def test_inside_hydra_a_composition_is_kept_by_the_configs_it_reads(tmp_path):
    """The checks and the task compose the same configurations once; another config folder
    (``--config-dir``) is another composition."""
    other = tmp_path / "conf"
    shutil.copytree(conf_dir(), other)
    text = (other / "config.yaml").read_text()
    (other / "config.yaml").write_text(text.replace("years: 10 ", "years: 7 ", 1))
    with initialize_config_dir(config_dir=str(conf_dir()), version_base="1.3"):
        first = compose_config("seed=5")
        first["years"] = 99
        assert compose_config("seed=5")["years"] == 10
    with initialize_config_dir(config_dir=str(other), version_base="1.3"):
        assert compose_config("seed=5")["years"] == 7
    assert compose_config("seed=5")["years"] == 10
