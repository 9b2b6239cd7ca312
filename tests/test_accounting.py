"""Stock-flow accounting closes every month; no negative stocks, NaN or out-of-range shares."""

from __future__ import annotations

import re

import numpy as np
import pytest

import sim
from sim.ledger import InvariantError, Ledger, check
from sim.model import ResilienceModel


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_month_balances_under_varied_sizes(seed):
    run = sim.load(f"seed={seed}", f"population.households={150 + 200 * seed}", "years=4").model
    model = ResilienceModel(run, check=True)  # check raises InvariantError on any breach
    model.run()
    pop = model.pop
    for name in (
        "grain_kg",
        "cash",
        "savings",
        "debt",
        "sr_female",
        "sr_other",
        "cattle",
        "poultry",
    ):
        assert (getattr(pop, name) >= 0).all(), name
    ts = model.recorder.frame(model.world)
    assert np.isfinite(ts.drop(columns=["wealth_group"]).select_dtypes("number")).all().all()
    shares = [c for c in ts.columns if c.endswith("_share") or c == "gam_prevalence"]
    assert ((ts[shares] >= 0) & (ts[shares] <= 1)).all().all()


def test_check_detects_an_unbooked_change():
    run = sim.load("population.households=50", "years=1").model
    model = ResilienceModel(run)
    before = model.pop.stocks()
    ledger = Ledger(model.pop.n)
    model.pop.cash[3] += 1000.0  # money from nowhere
    with pytest.raises(InvariantError, match="cash of household 3"):
        check(before, model.pop, ledger, 0)
    ledger.add("cash", "gift", np.where(np.arange(model.pop.n) == 3, 1000.0, 0.0))
    check(before, model.pop, ledger, 0)  # booked: balances


def test_check_detects_negative_stock():
    run = sim.load("population.households=50", "years=1").model
    model = ResilienceModel(run)
    before = model.pop.stocks()
    ledger = Ledger(model.pop.n)
    model.pop.grain_kg[0] = -model.pop.grain_kg[0] - 1
    ledger.add("grain", "theft", model.pop.grain_kg - before["grain_kg"])
    with pytest.raises(InvariantError, match="grain_kg of household 0 is negative"):
        check(before, model.pop, ledger, 0)


def test_stocks_change_by_exactly_the_booked_flows_over_a_run():
    run = sim.load("population.households=300", "years=3", "seed=4").model
    model = ResilienceModel(run, check=False)
    pop = model.pop
    start = {
        "small_ruminants": pop.sr_female + pop.sr_other,
        "grain": pop.grain_kg.copy(),
        "cash": pop.cash.copy(),
        "debt": pop.debt.copy(),
    }
    booked = {k: np.zeros(pop.n) for k in start}
    for _ in range(run.months):
        model.step()
        for k in booked:
            booked[k] += model.last_ledger.net(k)
    end = {
        "small_ruminants": pop.sr_female + pop.sr_other,
        "grain": pop.grain_kg,
        "cash": pop.cash,
        "debt": pop.debt,
    }
    for k in start:
        np.testing.assert_allclose(end[k] - start[k], booked[k], rtol=1e-9, atol=1e-6, err_msg=k)
    # the check is not vacuous: herds, stocks and cash did change
    for k in start:
        assert (end[k] != start[k]).any(), k


def _breaches():
    """Ways a month can break an invariant: (what to change in the population, message)."""

    def setter(name, i, value):
        def apply(pop):
            getattr(pop, name)[i] = value

        return apply

    return [
        (setter("whz", 7, np.nan), "whz of household 7 is nan"),
        (setter("land_ha", 2, -np.inf), "land_ha of household 2 is -inf"),
        (setter("cash", 5, 1.0), "cash of household 5 changed by"),
        (setter("sr_other", 9, 1), "small_ruminants of household 9 changed by"),
        (setter("livestock_loan", 1, 3), "livestock_loan of household 1 changed by"),
        (setter("adoption", 4, 1.5), "adoption of household 4 is 1.5, outside [0, 1]"),
        (setter("care", 0, -0.25), "care of household 0 is -0.25, outside [0, 1]"),
        (setter("hdds", 3, 12.5), "hdds of household 3 is 12.5, outside [0, 12]"),
        (setter("kcal_adequacy", 6, -1.0), "kcal_adequacy of household 6 is -1.0"),
        (setter("coping", 8, 4), "coping of household 8 is 4, outside [0, 3]"),
    ]


@pytest.mark.parametrize("case", range(10))
def test_the_compiled_check_finds_each_breach_the_tests_name(case):
    from sim.ledger import _holds

    model = ResilienceModel(sim.load("population.households=30", "years=1", "seed=3").model)
    model.step()
    before = model.pop.stocks()
    ledger = Ledger(model.pop.n)
    assert _holds(before, model.pop, ledger, 12.0)  # nothing changed: every invariant holds
    apply, message = _breaches()[case]
    apply(model.pop)
    assert not _holds(before, model.pop, ledger, 12.0)
    with pytest.raises(InvariantError, match="^" + re.escape(f"month 5: {message}")):
        check(before, model.pop, ledger, 5)


def test_the_compiled_check_keeps_the_balance_tolerance():
    from sim.ledger import _holds

    model = ResilienceModel(sim.load("population.households=30", "years=1", "seed=3").model)
    before = model.pop.stocks()
    scale = 1e-9 * (1 + 2 * abs(before["cash"][2]))
    for step, holds in ((0.5 * scale, True), (2 * scale, False)):
        ledger = Ledger(model.pop.n)
        model.pop.cash[2] = before["cash"][2] + step
        assert _holds(before, model.pop, ledger, 12.0) is holds
        ledger.add("cash", "found", model.pop.cash - before["cash"])
        check(before, model.pop, ledger, 0)  # booked: balances


def test_flows_set_directly_count_as_booked_and_are_left_as_handed_over():
    from sim.ledger import _holds

    model = ResilienceModel(sim.load("population.households=30", "years=1", "seed=3").model)
    before = model.pop.stocks()
    model.pop.cash[4] += 10.0
    model.pop.grain_kg[2] -= 1.5
    gift = np.where(np.arange(30) == 4, 10.0, 0.0)
    ledger = Ledger(model.pop.n)
    ledger.add("cash", "gift", gift / 2)
    handed = gift / 2
    ledger.flows["cash"]["found"] = handed  # set directly, after a booked flow
    ledger.add("grain", "eaten", np.where(np.arange(30) == 2, -1.0, 0.0))
    ledger.flows["grain"]["eaten"] = ledger.flows["grain"]["eaten"] - 0.5 * (np.arange(30) == 2)
    assert _holds(before, model.pop, ledger, 12.0)
    check(before, model.pop, ledger, 0)
    ledger.add("cash", "found", 1.0)  # adds into a new array: the one handed over is unchanged
    np.testing.assert_array_equal(handed, gift / 2)
    assert not _holds(before, model.pop, ledger, 12.0)
    with pytest.raises(InvariantError, match="month 0: cash of household 0 changed by 0"):
        check(before, model.pop, ledger, 0)


def test_a_ledger_grows_past_its_rows_keeping_every_flow():
    ledger = Ledger(3)
    for k in range(300):
        ledger.add("cash", f"f{k}", float(k))
        ledger.add("cash", "f0", 1.0)
    assert ledger.get("cash", "f0").tolist() == [300.0] * 3
    assert ledger.get("cash", "f299").tolist() == [299.0] * 3
    assert ledger.net("cash").tolist() == [300.0 + sum(range(1, 300))] * 3
