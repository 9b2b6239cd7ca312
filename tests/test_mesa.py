"""Mesa's own tools drive the model: keyword parameters, ``mesa.batch_run``."""

from __future__ import annotations

import warnings

import mesa
import pandas as pd
import pytest

from sim.config import ConfigError
from sim.model import ResilienceModel


def test_model_from_keyword_parameters_is_validated_like_the_command_line():
    m = ResilienceModel(households=120, package="full_cdr", rng=42, years=2)
    assert (m.config.population.households, m.config.policy.name, m.config.seed) == (
        120,
        "full_cdr",
        42,
    )
    assert m.pop.n == 120
    m2 = ResilienceModel(**{"population.households": 120, "policy.financial.dose": 0.5}, rng=42)
    assert m2.config.policy.financial.dose == 0.5
    with pytest.raises(ConfigError, match=r"^population.households = -5: must be in \[1, inf\]$"):
        ResilienceModel(households=-5)
    with pytest.raises(ConfigError, match="unknown"):
        ResilienceModel(housholds=5)
    with pytest.raises(ConfigError, match="package"):
        ResilienceModel(households=50, package="ful_cdr")
    with pytest.raises(TypeError, match="not both"):
        ResilienceModel(m.config, households=3)
    # as in Mesa, no seed draws a fresh one, recorded so the run can be repeated
    a, b = ResilienceModel(households=50), ResilienceModel(households=50)
    assert a.config.seed != b.config.seed
    again = ResilienceModel(households=50, rng=a.config.seed)
    assert (again.pop.land_ha == a.pop.land_ha).all()


def test_mesa_batch_run_sweeps_the_model():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Mesa deprecates `iterations`
        rows = mesa.batch_run(
            ResilienceModel,
            parameters={"households": 150, "package": ["none", "cash"], "years": 2},
            iterations=2,
            max_steps=12,
            number_processes=1,
            display_progress=False,
        )
    df = pd.DataFrame(rows)
    assert set(df["package"]) == {"none", "cash"}
    assert df.groupby(["package", "iteration"]).size().tolist() == [1, 1, 1, 1]
    assert (df["Step"] == 12).all()
    for column in ("kcal_adequacy", "gam_prevalence", "tlu", "poverty_share"):
        assert df[column].notna().all()
    assert df["tlu"].gt(0).all()
    # with explicit seeds, both packages of a replicate face the same world
    rows = mesa.batch_run(
        ResilienceModel,
        parameters={"households": 150, "package": ["none", "cash"], "years": 2},
        rng=[7],
        max_steps=3,
        number_processes=1,
        display_progress=False,
    )
    seeds = {r["seed"] for r in rows}
    assert seeds == {7}
