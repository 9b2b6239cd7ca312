"""The exogenous world: calendar, spatially correlated rainfall, seasonal prices."""

from __future__ import annotations

import numpy as np

import sim
from sim.world import Calendar, World


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
