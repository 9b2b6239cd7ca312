"""The exogenous world: calendar, spatially correlated rainfall, seasonal prices."""

from __future__ import annotations

import dataclasses

import numpy as np

import sim
from sim.world import Calendar, World, supply_level


def test_calendar_months_years_and_seasons():
    cfg = sim.load("years=2", "start_year=2015", "start_month=1").model
    cal = Calendar.build(cfg)
    assert cal.month[:3].tolist() == [1, 2, 3]
    assert cal.year[11] == 2015 and cal.year[12] == 2016
    # January 2015 eats the 2014 harvest (season -1); October 2015 the 2015 harvest (season 0)
    assert cal.season[0] == -1 and cal.season[9] == 0 and cal.season[21] == 1


def test_rainfall_mean_cv_and_spatial_correlation():
    cfg = sim.load("years=150", "seed=2").model
    world = World.build(cfg)
    rain = world.rain
    c = cfg.climate
    assert abs(rain.mean() / c.rain_mean_mm - 1) < 0.05
    assert abs(rain.std(axis=0).mean() / rain.mean() - c.rain_cv) < 0.04
    xy = world.villages.xy_km
    d = np.linalg.norm(xy[:, None] - xy[None], axis=-1)
    corr = np.corrcoef(np.log(rain).T)
    near = corr[(d > 0) & (d < 15)].mean()
    far = corr[d > 70].mean()
    assert near > far > c.regional_share - 0.15  # covariate part plus distance decay


def test_millet_price_follows_the_seasonal_path_and_the_harvest():
    cfg = sim.load("years=60", "seed=3").model
    world = World.build(cfg)
    millet = world.prices["millet"]
    by_month = np.array([millet[world.calendar.month == m].mean() for m in range(1, 13)])
    assert by_month.argmin() + 1 in (10, 11, 12)
    assert by_month.argmax() + 1 in (7, 8)
    # poor regional rain → dearer millet over the following consumption year
    ratio = world.regional_rain[world.calendar.season + 1]
    assert (
        np.corrcoef(np.log(ratio), np.log(millet / by_month[world.calendar.month - 1]))[0, 1] < -0.5
    )


def test_village_attributes():
    cfg = sim.load().model
    world = World.build(cfg)
    v = world.villages
    assert v.count == 64
    assert v.flood_exposed.sum() == round(cfg.population.flood_exposed_share * 64)
    assert (v.market_access >= cfg.population.market_access_min - 1e-12).all()
    assert (v.market_access <= 1).all()


# --------------------------------------------------------------------------- prices with memory


def test_supply_level_closes_half_the_gap_in_one_half_life():
    target = np.r_[np.zeros(3), np.full(20, 0.4)]
    level = supply_level(target, 4.0)
    np.testing.assert_allclose(level[:3], 0.0)
    gap = 0.4 - level[3:]
    np.testing.assert_allclose(gap[3], 0.4 / 2, rtol=1e-12)  # 4 months after the step: half
    np.testing.assert_allclose(gap[7], 0.4 / 4, rtol=1e-12)
    np.testing.assert_allclose(supply_level(target, 0.0), target)  # no memory: jumps
    observed = np.full(len(target), np.nan)
    observed[10] = 1.0
    pinned = supply_level(target, 4.0, observed=observed)
    assert pinned[10] == 1.0
    np.testing.assert_allclose(pinned[14] - 0.4, (1.0 - 0.4) / 2)  # and decays from there


def _worlds(seeds, *overrides: str, years: int = 4) -> list[World]:
    """The worlds of one configuration under several seeds (composed once)."""
    cfg = sim.load(f"years={years}", *overrides).model
    return [World.build(dataclasses.replace(cfg, seed=seed)) for seed in seeds]


def test_after_a_spike_prices_decline_over_months_not_at_the_next_harvest():
    # the 2011/12-like shortfall and spike in year 1 (2016); the next harvest is October 2017
    seeds = range(1, 9)
    calm = _worlds(seeds, "shocks=none")
    like = _worlds(seeds, "shocks=sahel_2012_like")
    plain = _worlds(seeds, "shocks=sahel_2012_like", "market.price_half_life_months=0")
    plain_calm = _worlds(seeds, "shocks=none", "market.price_half_life_months=0")
    cal = calm[0].calendar
    stamp = cal.year * 100 + cal.month
    year_after = (stamp >= 201710) & (stamp <= 201809)
    sep, octo = 12 * 2 + 8, 12 * 2 + 9  # Sep and Oct 2017
    stayed, fell, fell_without_memory = [], [], []
    for c, w, pc, pw in zip(calm, like, plain_calm, plain, strict=True):
        ratio = w.prices["millet"] / c.prices["millet"]
        stayed.append(ratio[year_after].mean())
        fell.append(ratio[octo] / ratio[sep])
        ratio = pw.prices["millet"] / pc.prices["millet"]
        fell_without_memory.append(ratio[octo] / ratio[sep])
    # prices stay high into the year after the next harvest (2012 → 2013, domain.md §5.2 [F])
    assert np.mean(stayed) > 1.25
    # no collapse at the harvest: at most a tenth beyond the normal seasonal fall ...
    assert min(fell) > 0.9
    # ... where prices without memory lost a third in that month
    assert max(fell_without_memory) < 0.75


def test_good_harvests_lower_prices_below_the_normal_path(tmp_path):
    # 2018 and 2019 harvests well above average (domain.md §9: +34 % and +17-25 % output)
    good, normal = tmp_path / "good.csv", tmp_path / "normal.csv"
    good.write_text("year,rainfall_anomaly\n2018,0.2\n2019,0.13\n")
    normal.write_text("year,rainfall_anomaly\n2018,0\n2019,0\n")
    seeds = range(1, 9)
    runs = {
        name: _worlds(seeds, "shocks=none", f"shocks.replay.file={f}", years=6)
        for name, f in (("good", good), ("normal", normal))
    }
    cal = runs["good"][0].calendar
    stamp = cal.year * 100 + cal.month
    window = (stamp >= 201901) & (stamp <= 202009)  # as the harvests reach the market
    path = np.asarray(sim.load().model.market.millet_price)[cal.month - 1]
    below, lower = [], []
    for g, n in zip(runs["good"], runs["normal"], strict=True):
        millet = g.prices["millet"]
        below.append(millet[window].mean() / path[window].mean())
        lower.append((millet[window] < n.prices["millet"][window]).mean())
    assert np.mean(below) < 0.9  # below-average prices
    assert min(lower) == 1.0  # lower than after average harvests, month by month
