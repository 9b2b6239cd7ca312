"""The Mesa model: agents are views on the table; villages and CdR groups; outputs."""

from __future__ import annotations

import mesa
import numpy as np

import sim
from sim.agents import Household, SavingsGroup, Village
from sim.indicators import COLUMN_DOCS, GROUPS
from sim.model import ResilienceModel
from sim.results import HOUSEHOLD_COLUMNS


def test_households_are_mesa_agents_viewing_their_row():
    model = ResilienceModel(sim.load("population.households=200", "years=1").model)
    assert isinstance(model, mesa.Model)
    households = model.agents_by_type[Household]
    assert len(households) == 200
    h = households.select(lambda a: a.row == 17).to_list()[0]
    assert isinstance(h, mesa.Agent)
    assert h.cash == model.pop.cash[17]
    h.cash = 1234.5
    assert model.pop.cash[17] == 1234.5  # writing the agent writes the table
    assert h.state()["cash"] == 1234.5
    assert h.wealth_group in ("very_poor", "poor", "middle", "better_off")
    model.step()
    assert h.cash == model.pop.cash[17]  # the view follows the vectorised update


def test_villages_and_groups():
    model = ResilienceModel(sim.load("population.households=3000", "years=1").model)
    assert len(model.agents_by_type[Village]) == 64
    groups = model.agents_by_type[SavingsGroup]
    sizes = np.array([len(g.members) for g in groups])
    assert sizes.sum() == model.pop.targeted.sum()
    assert 12 <= sizes.min() and sizes.max() <= 38  # about 25 members
    assert abs(sizes.mean() - 25) < 4
    for g in list(groups)[:10]:
        assert (model.pop.village[g.members] == g.village).all()  # a group lives in one village
    assert (model.pop.wealth[model.pop.targeted] <= 1).all()  # very poor and poor only


def test_targeting_women_share():
    model = ResilienceModel(sim.load("population.households=5000", "years=1").model)
    assert model.pop.targeted.sum() == 3000
    women = model.pop.woman[model.pop.targeted].mean()
    assert 0.45 < women < 0.55
    assert not model.pop.woman[~model.pop.targeted].any()


def test_timeseries_columns_and_shape(small_run):
    ts = small_run.timeseries
    assert list(ts.columns) == list(COLUMN_DOCS)
    assert len(ts) == 36 * len(GROUPS)
    assert ts["month"].min() == 0 and ts["month"].max() == 35
    assert set(ts["calendar_month"]) == set(range(1, 13))
    assert ts["year"].min() == 2015
    assert set(ts["wealth_group"].astype(str)) == set(GROUPS)


def test_households_table(small_run):
    hh = small_run.households
    assert list(hh.columns) == list(HOUSEHOLD_COLUMNS)
    assert len(hh) == 400
    assert hh["household"].is_unique


def test_all_group_is_the_household_weighted_mean(small_run):
    ts = small_run.timeseries
    m = (
        ts[ts["month"] == 20]
        .assign(wealth_group=lambda d: d["wealth_group"].astype(str))
        .set_index("wealth_group")
    )
    groups = ["very_poor", "poor", "middle", "better_off"]
    weighted = (m.loc[groups, "tlu"] * m.loc[groups, "households"]).sum() / m.loc[
        groups, "households"
    ].sum()
    assert abs(weighted - m.loc["all", "tlu"]) < 1e-9


def test_summary_records_provenance(small_run):
    s = small_run.summary
    assert s["households"] == 400
    assert s["provenance"]["seed"] == 11
    assert set(s["provenance"]["streams"]) >= {"weather", "prices", "shocks", "idiosyncratic"}
    assert s["provenance"]["versions"]["mesa"].startswith("3.")
    assert set(s["by_group"]) == set(GROUPS)


def test_household_agents_are_created_when_asked_for():
    model = ResilienceModel(sim.load("population.households=150", "years=1").model)
    assert Household not in model._agents_by_type  # Mesa's registry: none built yet
    model.step()  # the month runs on the table alone
    assert Household not in model._agents_by_type
    assert len(model.agents) == 150 + len(model.villages) + len(model.groups)
    households = model.agents_by_type[Household]
    assert [h.row for h in households] == list(range(150))
    assert model.households is model.households  # created once
    ids = [a.unique_id for a in model.agents]
    assert len(set(ids)) == len(ids)
    # households come after villages and groups, in row order, as if built with the model
    first = len(model.villages) + len(model.groups) + 1
    assert [h.unique_id for h in households] == list(range(first, first + 150))
    assert Household in model.agent_types


def test_a_run_without_its_monthly_indicators_gives_the_same_outcomes():
    from sim.analysis.runner import RunTask, run_task
    from sim.compose import compose_config, model_dict

    cfg = model_dict(compose_config("population.households=150", "years=3", "package=full_cdr"))
    plain = run_task(RunTask("a", cfg))
    recorded = run_task(RunTask("a", cfg, series=True))
    assert plain["series"] is None and len(recorded["series"]) == 36 * len(GROUPS)
    assert plain["row"].keys() == recorded["row"].keys()
    for key, value in plain["row"].items():
        assert value == recorded["row"][key] or (
            value != value and recorded["row"][key] != recorded["row"][key]
        )
    model = ResilienceModel(sim.load("population.households=150", "years=1").model, record=False)
    model.run()
    assert np.isnan(model.recorder.values).all()


def test_recorded_indicators_are_the_groups_weighted_means():
    """Each indicator's recorded mean, for every group, is Σ value × weight / Σ weight over its
    households (weights: under-fives, kcal eaten; equal for the others, as WEIGHTED says)."""
    from sim.indicators import INDICATORS, WEIGHTED

    model = ResilienceModel(households=300, years=1, package="full_cdr", rng=4)
    for _ in range(7):
        model.step()
    pop, t = model.pop, model.month - 1
    sets = [pop.wealth == g for g in range(4)] + [pop.targeted, np.ones(pop.n, dtype=bool)]
    for j, (name, fn) in enumerate(INDICATORS.items()):
        value, weight = fn(pop, model.last_ledger, model.config)
        assert (weight is not None) == (name in WEIGHTED), name
        w = np.ones(pop.n) if weight is None else np.asarray(weight, dtype=float)
        for c, members in enumerate(sets):
            expected = (value * w)[members].sum() / w[members].sum() if w[members].sum() else np.nan
            np.testing.assert_allclose(model.recorder.values[t, c, j], expected, rtol=1e-12)


def test_recorder_computes_the_registrys_numbers_exactly():
    """The recorder's compiled pass gives, household by household, the numbers of the
    definitions in INDICATORS (and their weights), to the last bit, month after month."""
    from sim.indicators import INDICATORS, WEIGHTED, registry_table

    model = ResilienceModel(households=400, years=2, package="full_cdr", shocks="mopti_2017", rng=8)
    for _ in range(model.config.months):
        model.step()
        pop, ledger, cfg = model.pop, model.last_ledger, model.config
        np.testing.assert_array_equal(
            model.recorder._table, registry_table(pop, ledger, cfg), strict=True
        )
        for k, name in enumerate(WEIGHTED):
            weight = INDICATORS[name](pop, ledger, cfg)[1]
            np.testing.assert_array_equal(model.recorder._weights[k], weight)
