"""The baseline reproduces the shape of the Bandiagara HEA baseline (domain.md §1.2, §7).

No intervention, the default rainfall variability, 2,000 households over 20 years.
"""

from __future__ import annotations

import numpy as np

from sim.population import monthly_need_kg


def by_calendar_month(ts, group, column):
    sel = ts[ts["wealth_group"] == group]
    return sel.groupby("calendar_month")[column].mean()


def test_millet_cheapest_after_harvest_dearest_in_lean_season(long_run):
    price = by_calendar_month(long_run.timeseries, "all", "millet_price")
    assert price.idxmin() in (10, 11, 12)
    assert price.idxmax() in (7, 8)
    amplitude = price.max() / price.min() - 1
    assert 0.3 <= amplitude <= 1.0  # "single to double", +40-70% in a normal year (domain.md §5.2)


def test_very_poor_buy_most_of_their_food_and_run_out_by_feb_apr(long_run):
    ts = long_run.timeseries
    vp = ts[ts["wealth_group"] == "very_poor"]
    assert vp["purchase_share"].mean() >= 0.4  # domain.md §1.2: 40-55% of kcal bought
    # the first month after the October harvest when the mean stock falls below one month of need
    hh = long_run.households
    need = monthly_need_kg(
        hh.loc[hh.wealth_group == "very_poor", "size"].to_numpy(), long_run.model.config
    ).mean()
    stock = by_calendar_month(ts, "very_poor", "grain_kg")
    after_harvest = [11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    exhausted = next(m for m in after_harvest if stock[m] < need)
    assert exhausted in (2, 3, 4)


def test_market_dependence_falls_with_wealth(long_run):
    ts = long_run.timeseries
    share = ts.groupby("wealth_group", observed=True)["purchase_share"].mean()
    assert share["very_poor"] > share["poor"] > share["middle"] > share["better_off"]


def test_own_production_covers_about_six_months_for_the_poor(long_run):
    ts = long_run.timeseries
    own = ts[ts["wealth_group"].isin(["very_poor", "poor"])]["own_food_share"].mean()
    assert 0.3 <= own <= 0.65  # ≈ six months of needs (domain.md §1.2, §7 fact 6)


def test_gam_peaks_in_the_lean_season_near_mopti_levels(long_run):
    gam = by_calendar_month(long_run.timeseries, "all", "gam_prevalence")
    lean = gam[[7, 8, 9]].mean()
    post_harvest = gam[[11, 12, 1]].mean()
    assert lean > post_harvest
    assert 0.07 <= lean <= 0.13  # Mopti lean-season GAM ≈ 10% ± 2-3 (domain.md §3.7)
    assert gam.idxmax() in (7, 8, 9, 10)


def test_lean_season_stress_peaks_jul_sep(long_run):
    ts = long_run.timeseries
    deficit = by_calendar_month(ts, "very_poor", "survival_deficit_share")
    assert deficit[[7, 8, 9]].mean() > 3 * deficit[[10, 11, 12]].mean()
    coping = (
        by_calendar_month(ts, "all", "coping_stress_share")
        + by_calendar_month(ts, "all", "coping_crisis_share")
        + by_calendar_month(ts, "all", "coping_emergency_share")
    )
    assert coping[[6, 7, 8, 9]].mean() > 2 * coping[[10, 11, 12]].mean()


def test_wealth_gradient_in_nutrition_and_diet(long_run):
    ts = long_run.timeseries
    g = ts.groupby("wealth_group", observed=True)[
        ["gam_prevalence", "hdds", "kcal_adequacy"]
    ].mean()
    assert g.loc["very_poor", "gam_prevalence"] > g.loc["better_off", "gam_prevalence"]
    assert g.loc["very_poor", "hdds"] < g.loc["better_off", "hdds"]
    assert g.loc["very_poor", "kcal_adequacy"] < g.loc["better_off", "kcal_adequacy"]


def test_terms_of_trade_in_the_normal_range(long_run):
    ts = long_run.timeseries
    tot = by_calendar_month(ts, "all", "terms_of_trade")
    # domain.md §5.2 [E]: ≈100-150 kg millet per goat at harvest, 80-110 in the lean season
    assert 90 <= tot[[10, 11, 12]].mean() <= 170
    assert 60 <= tot[[7, 8]].mean() <= 120
    assert np.all(tot > 0)
