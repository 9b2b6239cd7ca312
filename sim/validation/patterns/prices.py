"""Prices and terms of trade: seasonal cycle, drought and spike responses."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sim.validation.context import Context, by_month, months_mean
from sim.validation.estimate import MONTHS, Estimate, Outcome, month_names, num, pct
from sim.validation.patterns.registry import pattern
from sim.validation.settings import Target


def _lean_after(run: dict[str, Any], months: tuple[int, ...]) -> pd.Series:
    """Rows of ``run``'s series in ``months`` of the lean season after the drought's harvest."""
    ts = run["timeseries"]
    harvest = run["drought_harvest"]
    year = int(ts.loc[ts["month"] == harvest, "year"].iloc[0]) + 1
    return (ts["year"] == year) & ts["calendar_month"].isin(months) & (ts["wealth_group"] == "all")


@pattern("price_seasonality", "Seasonal millet price cycle")
def p_price_seasonality(ctx: Context, t: Target) -> Outcome:
    """Millet price by calendar month in the baseline: trough, peak and amplitude."""
    curves = by_month(ctx.each("baseline"), "all", "millet_price")
    mean = curves.mean()
    amp = Estimate.of((c.max() / c.min() - 1) for _, c in curves.iterrows())
    trough, peak = int(mean.idxmin()), int(mean.idxmax())
    ok = trough in t.months and peak in t.peak_months and amp.within(t)
    value = (
        f"cheapest {MONTHS[trough - 1]} ({mean[trough]:.0f} FCFA/kg), dearest {MONTHS[peak - 1]} "
        f"({mean[peak]:.0f}); peak/trough − 1 = {amp.text(pct)}"
    )
    return Outcome(value, ok, amp)


@pattern("drought_price", "Drought raises lean-season millet prices")
def p_drought_price(ctx: Context, t: Target) -> Outcome:
    """Lean-season (Jul-Aug) millet price after the drought over the same months without it."""
    spec = ctx.settings.drought
    ratios = []
    for dry, calm in ctx.pairs("drought", "calm"):
        sel = _lean_after(dry, (7, 8))
        ratios.append(
            dry["timeseries"].loc[sel, "millet_price"].mean()
            / calm["timeseries"].loc[sel, "millet_price"].mean()
        )
    est = Estimate.of(ratios)
    return Outcome(
        f"× {est.text(num(2))} (severity {spec.severity} drought in year {spec.year})",
        est.within(t),
        est,
    )


@pattern("tot_collapse", "Terms-of-trade collapse in a drought lean season")
def p_tot_collapse(ctx: Context, t: Target) -> Outcome:
    """Fall of the Jul-Aug terms of trade after the drought, against the same months without."""
    falls, levels = [], []
    for dry, calm in ctx.pairs("drought", "calm"):
        sel = _lean_after(dry, (7, 8))
        d = dry["timeseries"].loc[sel, "terms_of_trade"].mean()
        c = calm["timeseries"].loc[sel, "terms_of_trade"].mean()
        falls.append(1 - d / c)
        levels.append(d)
    est, level = Estimate.of(falls), Estimate.of(levels)
    return Outcome(f"falls {est.text(pct)}, to {level.text(num(0))} kg/goat", est.within(t), est)


def _tot_months(ctx: Context, t: Target) -> Outcome:
    curves = by_month(ctx.each("calm"), "all", "terms_of_trade")
    est = Estimate.of(months_mean(c, t.months) for _, c in curves.iterrows())
    return Outcome(f"{est.text(num(0))} kg/goat ({month_names(t.months)})", est.within(t), est)


@pattern("tot_harvest", "Terms of trade after the harvest")
def p_tot_harvest(ctx: Context, t: Target) -> Outcome:
    """Terms of trade after the harvest in the calm runs (no shocks, ordinary variability)."""
    return _tot_months(ctx, t)


@pattern("tot_lean", "Terms of trade in the lean season")
def p_tot_lean(ctx: Context, t: Target) -> Outcome:
    """Terms of trade in the lean season in the calm runs."""
    return _tot_months(ctx, t)


@pattern("post_spike_persistence", "After a spike, prices stay high past the next harvest")
def p_post_spike_persistence(ctx: Context, t: Target) -> Outcome:
    """Price-spike runs against calm runs: share of the price rise left after the harvest.

    Share of the millet price's peak rise (spike over calm, same month) still there in the
    post-harvest months ``t.months`` after the peak.
    """
    shares = []
    for spike, calm in ctx.pairs("price_spike", "calm"):
        a, b = spike["timeseries"], calm["timeseries"]
        rows = a["wealth_group"] == "all"
        ratio = a.loc[rows, "millet_price"].to_numpy() / b.loc[rows, "millet_price"].to_numpy()
        month = a.loc[rows, "calendar_month"].to_numpy()
        peak = int(ratio.argmax())
        after = [i for i in range(peak + 1, min(peak + 13, len(ratio))) if month[i] in t.months]
        if after and ratio[peak] > 1:
            shares.append((ratio[after].mean() - 1) / (ratio[peak] - 1))
    est = Estimate.of(shares)
    return Outcome(
        f"{est.text(pct)} of the peak rise left at the next harvest ({month_names(t.months)})",
        est.within(t),
        est,
    )
