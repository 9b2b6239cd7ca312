"""Insecurity (world side): conflict episodes per village and month, on their own stream."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from sim.world import World

SMALL = ("population.households=80", "seed=7")


def world(*overrides: str) -> World:
    return World.build(sim.load(*overrides).model)


def test_insecurity_appears_in_shocks_parquet_identically_whatever_the_package(tmp_path):
    runs = {
        p: sim.simulate("shocks=mopti_2017", f"package={p}", *SMALL, output=tmp_path / p)
        for p in ("none", "full_cdr")
    }
    logs = {p: pd.read_parquet(tmp_path / p / "shocks.parquet") for p in runs}
    pd.testing.assert_frame_equal(logs["none"], logs["full_cdr"])
    conflict = logs["none"][logs["none"]["type"] == "insecurity"]
    assert len(conflict) > 0
    assert (conflict["scope"] == "village").all() and (conflict["household"] == -1).all()
    assert conflict["severity"].between(0.3, 1.0).all()
    assert runs["none"].summary["shock_events"]["insecurity"] == len(conflict)
    # the log is the village-month severity of the world
    sev = runs["none"].model.world.shocks.insecurity.severity
    assert len(conflict) == np.count_nonzero(sev)
    np.testing.assert_allclose(sev[conflict["month"], conflict["village"]], conflict["severity"])


def test_insecurity_has_its_own_stream_and_leaves_every_other_shock_as_it_was():
    calm = sim.simulate("shocks=baseline", *SMALL)
    tense = sim.simulate(
        "shocks=mopti_2017",
        "shocks.insecurity.regional_millet_rise=0",
        "shocks.insecurity.regional_animal_fall=0",
        *SMALL,
    )
    others = lambda r: r.shocks[r.shocks["type"] != "insecurity"].reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(others(calm), others(tense))
    for k in ("millet", "goat"):
        np.testing.assert_array_equal(calm.model.world.prices[k], tense.model.world.prices[k])
    np.testing.assert_array_equal(calm.model.world.rain, tense.model.world.rain)
    assert not calm.model.world.shocks.insecurity.severity.any()
    assert tense.model.world.shocks.insecurity.severity.any()


def test_conflict_is_five_times_as_frequent_from_2017():
    w = world("shocks=mopti_2017", "start_year=1995", "years=40", "seed=3")
    sev = w.shocks.insecurity.severity
    year = w.calendar.year
    before = (sev[year < 2017] > 0).mean()
    after = (sev[year >= 2017] > 0).mean()
    assert 0.05 < after < 0.2  # about a tenth of village-months [E]
    assert 3 < after / before < 8  # displacement five times higher since 2017 [F] → 1/5 [D]


def test_the_household_interface_follows_the_severity():
    w = world("shocks=mopti_2017", *SMALL)
    ev = w.shocks.insecurity
    cfg = sim.load("shocks=mopti_2017").model.shocks.insecurity
    s = ev.severity
    months, villages = len(w.calendar.month), w.villages.count
    for name in (
        "market_access",
        "price_paid",
        "price_received",
        "pasture_access",
        "theft_share",
        "displacement_probability",
        "interrupted",
    ):
        assert getattr(ev, name).shape == (months, villages), name
    calm = s == 0
    assert (ev.market_access[calm] == 1).all() and (ev.price_paid[calm] == 1).all()
    assert (ev.theft_share[calm] == 0).all() and not ev.interrupted[calm].any()
    hot = s > 0
    assert (ev.market_access[hot] < 1).all() and (ev.price_paid[hot] > 1).all()
    assert (ev.price_received[hot] < 1).all() and (ev.pasture_access[hot] < 1).all()
    assert (ev.displacement_probability[hot] > 0).all()
    np.testing.assert_array_equal(ev.interrupted, s >= cfg.interruption_severity)
    np.testing.assert_allclose(ev.price_paid, 1 + cfg.price_paid_rise * s)
    np.testing.assert_allclose(ev.regional, s.mean(axis=1))


def test_conflict_raises_regional_millet_prices_and_lowers_animal_prices():
    calm, tense = world("shocks=baseline", *SMALL), world("shocks=mopti_2017", *SMALL)
    share = tense.shocks.insecurity.regional
    assert share.max() > 0.05
    on = share > 0
    ratio = tense.prices["millet"] / calm.prices["millet"]
    cfg = sim.load("shocks=mopti_2017").model.shocks.insecurity
    np.testing.assert_allclose(ratio, 1 + cfg.regional_millet_rise * share)
    assert (ratio[on] > 1).all() and (ratio[~on] == 1).all()
    assert (tense.prices["goat"][on] < calm.prices["goat"][on]).all()


def test_a_scheduled_episode_strikes_a_share_of_villages_for_its_duration():
    w = world(
        "shocks=none",
        "shocks.schedule=[{type: insecurity, year: 1, severity: 0.8, month: 3}]",
        *SMALL,
    )
    cfg = sim.load("shocks=none").model.shocks.insecurity
    sev = w.shocks.insecurity.severity
    struck = sev[12 + 2] > 0
    assert 0 < struck.sum() < w.villages.count
    duration = round(cfg.duration_months)
    assert (sev[12 + 2 : 12 + 2 + duration][:, struck] == 0.8).all()
    assert not sev[: 12 + 2].any() and not sev[12 + 2 + duration :].any()


def test_a_replay_file_gives_the_years_conflict(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("year,month,village,insecurity\n2019,2,3,0.9\n2019,3,3,0.9\n2019,,5,0.4\n")
    w = world(
        "shocks=mopti_2017",
        "shocks.insecurity.probability=1",
        f"shocks.replay.file={path}",
        *SMALL,
    )
    sev = w.shocks.insecurity.severity
    in_2019 = w.calendar.year == 2019
    expected = np.zeros((12, w.villages.count))
    expected[[1, 2], 3] = 0.9
    expected[:, 5] = 0.4
    np.testing.assert_array_equal(sev[in_2019], expected)
    assert (sev[w.calendar.year == 2020] > 0).mean() > 0.2  # other years keep their draws


@pytest.mark.parametrize("regime", ["mopti_2017", "historical"])
def test_the_shock_timeline_shows_insecurity(regime):
    from sim import plots

    res = sim.simulate(f"shocks={regime}", "population.households=40", "years=4", "seed=2")
    fig = plots.shock_timeline(res.shocks, 48)
    (ax,) = fig.axes
    labels = [t.get_text() for t in ax.get_yticklabels()]
    row = labels.index("insecurity")
    points = np.asarray(ax.collections[row].get_offsets())
    assert len(points) == (res.shocks["type"] == "insecurity").sum() > 0
    assert (points[:, 1] == row).all()
