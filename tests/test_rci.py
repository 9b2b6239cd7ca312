"""The resilience capacity index: its construction, the households table, recovery after shocks."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

import sim
from sim.model import ResilienceModel
from sim.rci import PILLARS, score, standardise


def variables(n: int, rng: np.random.Generator) -> pd.DataFrame:
    wealth = rng.random(n)
    cols = {v: rng.random(n) for vs in PILLARS.values() for v in vs}
    for v in PILLARS["AST"]:
        cols[v] = wealth + 0.1 * rng.random(n)
    cols["partner_services"] = np.zeros(n)  # a constant variable scores 0
    return pd.DataFrame(cols)


def test_score_is_0_to_100_with_nonnegative_weights_from_the_first_component():
    rng = np.random.default_rng(0)
    v = variables(500, rng)
    s = score(v)
    assert s.rci.min() == 0 and s.rci.max() == 100
    assert abs(np.linalg.norm(s.loadings) - 1) < 1e-12
    assert s.loadings.sum() > 0 and 0 < s.explained <= 1
    # the index is the squared-loading-weighted sum of standardised pillars, rescaled
    z = standardise(s.pillars.to_numpy())
    raw = z @ s.loadings.to_numpy() ** 2
    np.testing.assert_allclose(s.rci, 100 * (raw - raw.min()) / np.ptp(raw))
    # more of a pillar never lowers the index, whatever the sign of its loading
    richer = v.copy()
    richer[list(PILLARS["AST"])] += 1.0
    both = score(pd.concat([v, richer], ignore_index=True))
    assert (both.rci[500:] >= both.rci[:500] - 1e-9).all()
    assert np.isfinite(standardise(np.ones((4, 2)))).all()


def test_households_table_carries_the_rci(small_run):
    hh = small_run.households
    assert hh["rci"].between(0, 100).all()
    by_group = hh.groupby("wealth_group", observed=True)["rci"].mean()
    assert by_group["very_poor"] < by_group["middle"] < by_group["better_off"]


def test_higher_rci_before_a_drought_predicts_faster_food_recovery():
    run = sim.load(
        "population.households=1500",
        "years=8",
        "seed=21",
        "shocks=none",
        "shocks.schedule=[{type: drought, year: 2, severity: 0.8}]",
    )
    model = ResilienceModel(run.model, check=False)
    harvest = 12 * 2 + run.model.crops.harvest_month - run.model.start_month
    before = None
    for _ in range(model.config.months):
        model.step()
        if model.month == harvest:  # end of the month before the drought's harvest
            before = model.rci.index()
    episodes = model.resilience.episodes()
    assert (episodes["start_month"] == harvest).all() and len(episodes) == 1500
    censored = model.config.months - harvest + 1  # not recovered by the end: slowest of all
    months = episodes["food_recovery_months"].fillna(censored).to_numpy()
    rho, p = stats.spearmanr(before[episodes["household"]], months)
    assert rho < -0.2 and p < 1e-6
    # and the recovered share within a year rises across RCI quartiles
    quartile = pd.qcut(before[episodes["household"]], 4, labels=False)
    within = pd.Series(months <= 12).groupby(quartile).mean()
    assert within.iloc[-1] > within.iloc[0]
