"""Shocks: each one's effect on model output, regimes, schedules and common random numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from sim.config import ConfigError
from sim.model import ResilienceModel
from sim.shocks import price_spike

QUIET = ("shocks=none", "population.households=1500", "years=8", "seed=3")
DROUGHT = "shocks.schedule=[{type: drought, year: 2, severity: 1.0}]"


@pytest.fixture(scope="module")
def drought_pair():
    return sim.simulate(*QUIET), sim.simulate(*QUIET, DROUGHT)


def lean(ts: pd.DataFrame, year: int, group: str = "all", months=(7, 8, 9)) -> pd.DataFrame:
    return ts[
        (ts["wealth_group"] == group) & (ts["year"] == year) & ts["calendar_month"].isin(months)
    ]


def test_drought_raises_millet_lowers_goats_and_collapses_terms_of_trade(drought_pair):
    base, dry = drought_pair
    y = 2015 + 3  # the lean season after the drought year's harvest
    for col, sign in (("millet_price", 1), ("goat_price", -1), ("terms_of_trade", -1)):
        b, d = lean(base.timeseries, y)[col].mean(), lean(dry.timeseries, y)[col].mean()
        assert sign * (d - b) > 0, col
    b = lean(base.timeseries, y)["terms_of_trade"].mean()
    d = lean(dry.timeseries, y)["terms_of_trade"].mean()
    assert d < 0.75 * b  # a collapse, not a wobble (domain.md §7 fact 2: −40 to −60 %)
    # the drought lowered that season's rainfall in every village
    rain = dry.timeseries.groupby("year")["rainfall"].first()
    assert rain[2018] < 0.7 * base.timeseries.groupby("year")["rainfall"].first()[2018]


def test_drought_raises_gam_and_emergency_coping_which_recede_in_good_years(drought_pair):
    base, dry = drought_pair
    y = 2018
    for col in ("gam_prevalence", "coping_emergency_share", "survival_deficit_share"):
        assert lean(dry.timeseries, y)[col].mean() > lean(base.timeseries, y)[col].mean() + 0.01, (
            col
        )
    late = 2022  # four good years later
    gam_gap = (
        lean(dry.timeseries, late)["gam_prevalence"].mean()
        - lean(base.timeseries, late)["gam_prevalence"].mean()
    )
    assert abs(gam_gap) < 0.01
    emergency_gap = (
        lean(dry.timeseries, late)["coping_emergency_share"].mean()
        - lean(base.timeseries, late)["coping_emergency_share"].mean()
    )
    assert emergency_gap < 0.5 * (
        lean(dry.timeseries, y)["coping_emergency_share"].mean()
        - lean(base.timeseries, y)["coping_emergency_share"].mean()
    )


def test_drought_kills_and_aborts_livestock(drought_pair):
    base, dry = drought_pair
    b = base.timeseries[(base.timeseries.wealth_group == "all") & (base.timeseries.month == 47)][
        "tlu"
    ].item()
    d = dry.timeseries[(dry.timeseries.wealth_group == "all") & (dry.timeseries.month == 47)][
        "tlu"
    ].item()
    assert d < 0.95 * b


def test_flood_hits_only_exposed_villages():
    flood = "shocks.schedule=[{type: flood, year: 1, severity: 1.0}]"
    base = sim.simulate(*QUIET)
    wet = sim.simulate(*QUIET, flood)
    exposed = wet.model.world.villages.flood_exposed
    log = wet.shocks[wet.shocks["type"] == "flood"]
    assert len(log) == exposed.sum()
    assert set(log["village"]) == set(np.flatnonzero(exposed))
    assert (log["month"] == 12 + 7).all()  # August of year 1
    hit = exposed[wet.households["village"]]
    cols = ["grain_kg", "cash", "sr_female", "sr_other", "poultry", "debt"]
    # households of villages that are not exposed end exactly as without the flood
    pd.testing.assert_frame_equal(base.households.loc[~hit, cols], wet.households.loc[~hit, cols])
    assert (base.households.loc[hit, cols] != wet.households.loc[hit, cols]).any(axis=None)


def test_epizootic_reduces_herds_where_it_strikes():
    epi = "shocks.schedule=[{type: livestock_disease, year: 1, severity: 1.0, month: 3}]"
    sick = sim.simulate(*QUIET, epi)
    log = sick.shocks[sick.shocks["type"] == "livestock_disease"]
    struck = np.zeros(64, dtype=bool)
    struck[log["village"].unique()] = True
    assert 0 < struck.sum() < 64
    assert (log["month"] == 12 + 2).all()
    # in the month of the outbreak, herds of struck villages fall; others are untouched
    m_base = ResilienceModel(sim.load(*QUIET).model)
    m_sick = ResilienceModel(sim.load(*QUIET, epi).model)
    for _ in range(15):
        m_base.step()
        m_sick.step()
    v = m_sick.pop.village
    sr = lambda m: m.pop.sr_female + m.pop.sr_other  # noqa: E731
    assert (
        sr(m_sick)[struck[v]].sum() < 0.7 * sr(m_base)[struck[v]].sum()
    )  # PPR: 50 % at severity 1
    assert (
        m_sick.pop.poultry[struck[v]].sum() < 0.2 * m_base.pop.poultry[struck[v]].sum()
    )  # Newcastle: 100 %
    np.testing.assert_array_equal(sr(m_sick)[~struck[v]], sr(m_base)[~struck[v]])


def test_illness_raises_health_spending_and_cuts_labour_income_of_the_ill():
    healthy = sim.load(
        *QUIET, "shocks.human_disease.illness_probability=[0,0,0,0,0,0,0,0,0,0,0,0]"
    ).model
    ill = sim.load(
        *QUIET,
        "shocks=baseline",
        "shocks.drought.probability=0",
        "shocks.flood.probability=0",
        "shocks.price_spike.probability=0",
        "shocks.livestock_disease.ppr_probability=0",
        "shocks.livestock_disease.newcastle_probability=0",
        "shocks.human_disease.epidemic_probability=0",
        "shocks.drought.dry_spell_probability=0",
    ).model
    a, b = ResilienceModel(healthy), ResilienceModel(ill)
    loss = ill.shocks.human_disease.labour_loss
    checked = 0
    for _ in range(24):
        a.step()
        b.step()
        sick = b.pop.ill
        assert not a.pop.ill.any()
        lab_a, lab_b = a.last_ledger.get("cash", "labour"), b.last_ledger.get("cash", "labour")
        np.testing.assert_allclose(lab_b[sick], lab_a[sick] * (1 - loss))
        np.testing.assert_allclose(lab_b[~sick], lab_a[~sick])
        bills = -b.last_ledger.get("cash", "shock_bills")
        assert (bills[~sick] == 0).all()
        assert bills[sick].sum() > 0.9 * sick.sum() * ill.shocks.human_disease.health_cost
        checked += sick.sum()
    assert checked > 100


def test_shock_log_identical_whatever_the_households_do():
    a = sim.simulate("population.households=800", "years=6", "seed=12")
    b = sim.simulate(
        "population.households=800",
        "years=6",
        "seed=12",
        "coping.credit_limit=[0,0,0,0]",
        "consumption.invest_share=0.9",
    )
    pd.testing.assert_frame_equal(a.shocks, b.shocks)
    assert not a.households["debt"].equals(b.households["debt"])  # the households did differ
    assert {"drought", "livestock_disease", "human_disease"} & set(a.shocks["type"])


def test_regimes_select_and_differ():
    runs = {
        r: sim.simulate(f"shocks={r}", "population.households=200", "years=30", "seed=4")
        for r in ("none", "baseline", "climate_stress", "sahel_2012_like")
    }
    assert runs["none"].shocks.empty
    regional = {r: (x.shocks["scope"] != "household").sum() for r, x in runs.items()}
    droughts = {r: (x.shocks["type"] == "drought").sum() for r, x in runs.items()}
    assert droughts["climate_stress"] > droughts["baseline"] > 0
    assert regional["baseline"] > regional["none"] == 0
    like = runs["sahel_2012_like"].shocks
    like_covariate = like[like["type"].isin(["drought", "price_spike"])]
    assert sorted(zip(like_covariate["month"], like_covariate["type"], strict=True)) == [
        (21, "drought"),
        (22, "price_spike"),
        (45, "drought"),
    ]
    assert runs["sahel_2012_like"].summary["shock_regime"] == "sahel_2012_like"
    assert runs["sahel_2012_like"].summary["shocks_dropped"] == []


def test_price_spike_path_follows_2011_2012():
    cfg = sim.load().model.shocks.price_spike
    rise = np.exp(price_spike.path(60, 10, 1.0, cfg))
    assert rise[:10].tolist() == [1.0] * 10
    peak = rise.argmax()
    assert peak == 10 + cfg.ramp_months - 1
    assert rise[peak] == pytest.approx(1 + cfg.max_rise)  # 140 → 285 FCFA/kg is ×2.04
    assert rise[peak + 12] > 1.3  # still high a year later (2013)
    run = sim.simulate(
        "shocks=none",
        "shocks.schedule=[{type: price_spike, year: 1, severity: 1.0}]",
        "population.households=100",
        "years=3",
        "seed=1",
    )
    calm = sim.simulate("shocks=none", "population.households=100", "years=3", "seed=1")
    ratio = (run.timeseries.millet_price / calm.timeseries.millet_price).to_numpy()
    assert ratio.max() == pytest.approx(2.0, rel=1e-9)


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        (
            "shocks.schedule=[{type: drout, year: 1, severity: 0.5}]",
            "shocks.schedule[0].type = 'drout': unknown; did you mean drought?",
        ),
        (
            "shocks.schedule=[{type: drought, year: 12, severity: 0.5}]",
            "shocks.schedule[0].year = 12: must be in [0, 9]",
        ),
        (
            "shocks.schedule=[{type: flood, year: 1, severity: 1.5}]",
            "shocks.schedule[0].severity = 1.5: must be in [0, 1]",
        ),
        ("shocks.drought.probability=2", "shocks.drought.probability = 2.0: must be in [0, 1]"),
    ],
)
def test_bad_schedules_are_refused_clearly(override, expected):
    with pytest.raises(ConfigError) as err:
        sim.load(override)
    assert expected in str(err.value)


def test_resilience_episodes(drought_pair):
    _, dry = drought_pair
    e = dry.resilience
    assert len(e) == 1500  # one episode per household: the drought struck every village
    assert (e["start_month"] == 33).all()  # the October harvest of year 2
    assert (e["food_depth"] >= 0).all() and (e["tlu_depth"] >= 0).all()
    poorer = e[e.wealth_group.isin(["very_poor", "poor"])]
    richer = e[e.wealth_group.isin(["middle", "better_off"])]
    assert poorer["food_depth"].mean() > richer["food_depth"].mean()
    rec = e["food_recovery_months"].dropna()
    assert len(rec) > 0.5 * len(e) and (rec >= 0).all()
    s = dry.summary["resilience"]
    assert s["all"]["episodes"] == 1500
    assert set(s) == {"very_poor", "poor", "middle", "better_off", "all"}
