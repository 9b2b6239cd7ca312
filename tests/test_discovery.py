"""Scenario discovery: a planted rule in a small real model is found by PRIM, and the study
writes its table, its figures and its result in words."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import sim
from sim.analysis.discovery import choose, find_box, of_interest
from sim.analysis.runner import RunTask, replicate_seeds, run_task
from sim.checks import package_configs
from sim.compose import set_path

SMALL = ("population.households=200", "years=3", "shocks=none")
OUTCOME = "months_below_survival"


def _run(base: dict, p: float) -> dict:
    cfg = dict(set_path(base, "shocks.drought.probability", p), seed=replicate_seeds(1, 1)[0])
    return run_task(RunTask("k", cfg, shocks=True))


def _first_drought_threshold(base: dict) -> float:
    """The drought probability above which replicate 0 meets its first drought (bisection).

    A season has a drought when its uniform draw is below the probability, so with the
    replicate's seed fixed a drought happens exactly when the probability exceeds that draw.
    """
    lo, hi = 0.0, 1.0
    for _ in range(14):
        mid = (lo + hi) / 2
        log = _run(base, mid)["shocks"]
        if (log["type"] == "drought").any():
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    base = package_configs(["none"], SMALL)["none"]
    u = _first_drought_threshold(base)
    high = min(1.0, u + 0.25)
    calm = _run(base, 0.0)["row"][OUTCOME]
    dry = _run(base, min(u + 0.01, high))["row"][OUTCOME]
    assert dry > calm  # the drought the rule plants matters
    out = tmp_path_factory.mktemp("discover")
    factors = (
        f"{{name: shocks.drought.probability, low: 0, high: {high}, unit: per year, source: t}}",
        # no floods and no price spikes in the `none` regime: these cannot change a run
        "{name: shocks.flood.repair_cost, low: 0, high: 60000, unit: FCFA, source: t}",
        "{name: shocks.price_spike.max_rise, low: 0, high: 2, unit: ratio, source: t}",
    )
    said: list[str] = []
    res = sim.discover(
        *SMALL,
        "replicates=1",
        "executor=serial",
        "discover.packages=[none]",
        "discover.samples=80",
        f"discover.outcome={OUTCOME}",
        f"discover.threshold={(calm + dry) / 2}",
        "uncertainties.factors=[" + ",".join(factors) + "]",
        output=out,
        say=said.append,
    )
    return res, out, u, said


def test_prim_finds_a_box_that_brackets_the_planted_threshold(planted):
    res, out, u, _ = planted
    points = res["points"]
    below = points[points["shocks.drought.probability"] < u]
    above = points[points["shocks.drought.probability"] > u]
    assert not below["of_interest"].any() and above["of_interest"].all()  # the planted rule
    box = res["box"].set_index("uncertainty")
    written = pd.read_csv(out / "box.csv").set_index("uncertainty")
    np.testing.assert_allclose(written["low"], box["low"], rtol=1e-5)
    drought = box.loc["shocks.drought.probability"]
    assert drought["restricted"]
    # the box starts at the threshold, within PRIM's peeling step (5 % of the points, about
    # 0.02 of the drought range here), and keeps every point above it up to the range's end
    assert abs(drought["low"] - u) < 0.02
    assert drought["high"] >= points["shocks.drought.probability"].max()
    assert not box.loc["shocks.flood.repair_cost", "restricted"]
    assert not box.loc["shocks.price_spike.max_rise", "restricted"]
    summary = json.loads((out / "summary.json").read_text())
    found = summary["boxes"]["none"]
    assert found["density"] >= 0.95 and found["coverage"] >= 0.95
    assert found["words"][0].startswith("shocks.drought.probability ≥ ")


def test_discovery_writes_its_figures_table_and_words(planted):
    res, out, _, said = planted
    assert said[0].startswith("80 runs (1 package × 80 Latin hypercube points × 1 replicates)")
    for name in ("prim_tradeoff_none.png", "prim_box_none.png"):
        assert (out / name).stat().st_size > 10_000
    peeling = pd.read_csv(out / "peeling.csv")
    assert peeling["coverage"].between(0, 1).all() and peeling["density"].between(0, 1).all()
    assert peeling["mass"].is_monotonic_decreasing
    assert res["lines"][0].startswith(f"none: {OUTCOME} above")
    assert "shocks.drought.probability ≥" in res["lines"][1]


def test_choose_takes_the_widest_box_dense_enough():
    trajectory = pd.DataFrame({"coverage": [1.0, 0.9, 0.7, 0.4], "density": [0.3, 0.6, 0.85, 0.95]})
    assert choose(trajectory, 0.8) == 2
    assert choose(trajectory, 0.99) == 3  # none dense enough: the densest
    assert of_interest(np.array([0.1, 0.3]), "below", 0.2).tolist() == [True, False]


def test_prim_on_a_two_dimensional_rule():
    rng = np.random.default_rng(4)
    x = pd.DataFrame(rng.uniform(0, 1, (600, 3)), columns=["a", "b", "c"])
    y = ((x["a"] > 0.6) & (x["b"] < 0.3)).to_numpy()
    trajectory, chosen, limits, _ = find_box(x, y, density=0.9)
    lim = limits[chosen]
    assert lim["a"].iloc[0] == pytest.approx(0.6, abs=0.05)
    assert lim["b"].iloc[1] == pytest.approx(0.3, abs=0.05)
    assert trajectory.loc[chosen, "density"] >= 0.9


def test_ema_workbench_imports_quietly():
    code = "from sim.analysis.discovery import prim_module; prim_module().Prim"
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "" and proc.stdout == ""
