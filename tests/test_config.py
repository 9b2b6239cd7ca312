"""Configuration: the composed defaults validate; bad values are refused in one clear line."""

from __future__ import annotations

import pytest
from hydra.errors import ConfigCompositionException

import sim
from sim.compose import compose_config
from sim.config import WEALTH_GROUPS, ConfigError, build_run_config


def test_defaults_compose_and_validate():
    run = sim.load()
    assert run.task == "compare"  # the main job
    assert run.experiment.packages == ("none", "full_cdr", "cash_plus_livestock")
    assert run.model.population.villages == 64
    assert run.model.months == 12 * run.model.years
    assert len(run.model.population.wealth_shares) == len(WEALTH_GROUPS)


def test_overrides_reach_the_model_config():
    run = sim.load("population.households=123", "years=4", "seed=0")
    assert run.model.population.households == 123
    assert run.model.years == 4
    assert run.model.seed == 0  # 0 is a seed like any other


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("population.households=-5", "population.households = -5: must be in [1, inf]"),
        ("population.households=0", "population.households = 0: must be in [1, inf]"),
        (
            "policy.targeting.woman_share=1.5",
            "policy.targeting.woman_share = 1.5: must be in [0, 1]",
        ),
        ("years=ten", "years = 'ten': expected an integer"),
        ("start_month=13", "start_month = 13: must be in [1, 12]"),
        ("crops.post_harvest_loss=-0.1", "crops.post_harvest_loss = -0.1: must be in [0, 1]"),
        ("population.wealth_shares=[0.5,0.5]", "expected 4 values (one per wealth group"),
        ("task=runn", "task = 'runn': unknown; did you mean run?"),
    ],
)
def test_bad_values_give_one_line_naming_parameter_and_allowed(override, expected):
    with pytest.raises(ConfigError) as err:
        sim.load(override)
    message = str(err.value)
    assert expected in message
    assert "\n" not in message


def test_unknown_key_suggests_the_closest_name():
    data = compose_config()
    data["population"]["househods"] = 10
    with pytest.raises(
        ConfigError, match=r"population.househods: unknown parameter; did you mean households"
    ):
        build_run_config(data)


def test_missing_key_is_named():
    data = compose_config()
    del data["climate"]["rain_cv"]
    with pytest.raises(ConfigError, match=r"climate.rain_cv: missing"):
        build_run_config(data)


def test_hydra_refuses_keys_not_in_the_config():
    with pytest.raises(ConfigError) as err:
        sim.load("population.no_such_key=3")
    assert str(err.value).startswith("population.no_such_key = 3: unknown parameter")
    assert isinstance(err.value.__cause__, ConfigCompositionException)  # Hydra's, in one line
