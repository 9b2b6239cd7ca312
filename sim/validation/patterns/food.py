"""Food and coping: seasonal deficits and coping, market dependence, stocks, the coping hierarchy."""

from __future__ import annotations

import numpy as np

from sim.config import WEALTH_GROUPS
from sim.validation.context import Context, by_month, series, window
from sim.validation.estimate import (
    MONTHS,
    Estimate,
    Outcome,
    month_names,
    num,
    pct,
    signed,
    signed_pct,
)
from sim.validation.patterns.registry import pattern
from sim.validation.settings import Target


def _seasonal_peak(ctx: Context, t: Target, experiment: str, column: str, group: str) -> Outcome:
    curves = by_month(ctx.each(experiment), group, column)
    mean = curves.mean()
    gap = Estimate.of(
        c[list(t.peak_months)].mean() - c[list(t.months)].mean() for _, c in curves.iterrows()
    )
    peak, trough = int(mean.idxmax()), int(mean.idxmin())
    ok = peak in t.peak_months and trough in t.months and gap.surely(t)
    value = (
        f"peak {MONTHS[peak - 1]} ({pct(mean[peak])}), lowest {MONTHS[trough - 1]} "
        f"({pct(mean[trough])}); {month_names(t.peak_months)} minus "
        f"{month_names(t.months)}: {gap.text(pct)}"
    )
    return Outcome(value, ok, gap)


@pattern("lean_coping", "Lean-season peak of livelihood coping")
def p_lean_coping(ctx: Context, t: Target) -> Outcome:
    """Share of households using any livelihood coping strategy, by calendar month."""
    return _seasonal_peak(ctx, t, "baseline", "coping_any_share", "all")


@pattern("lean_food_deficit", "Lean-season peak of food deficits")
def p_lean_food_deficit(ctx: Context, t: Target) -> Outcome:
    """Share of households below the survival threshold, by calendar month."""
    return _seasonal_peak(ctx, t, "baseline", "survival_deficit_share", "all")


@pattern("market_dependence", "Wealth-graded market dependence")
def p_market_dependence(ctx: Context, t: Target) -> Outcome:
    """Share of the kcal eaten that was bought, by wealth group, baseline."""
    runs = ctx.each("baseline")
    shares = {
        g: Estimate.of((series(r, g, "purchase_share").mean() for r in runs), within=(0, 1))
        for g in WEALTH_GROUPS
    }
    means = [shares[g].mean for g in WEALTH_GROUPS]
    falling = all(a > b for a, b in zip(means, means[1:], strict=False))
    value = "; ".join(f"{g.replace('_', ' ')} {pct(shares[g].mean)}" for g in WEALTH_GROUPS)
    vp = shares["very_poor"]
    return Outcome(
        f"very poor {vp.text(pct)}; " + value.split("; ", 1)[1], vp.within(t) and falling, vp
    )


@pattern("better_off_net_sellers", "Better-off households are net grain sellers")
def p_better_off_net_sellers(ctx: Context, t: Target) -> Outcome:
    """Better-off households' grain sold minus food bought, kg per household per year."""
    est = Estimate.of(r["grain_net"][3] for r in ctx.each("baseline"))
    middle = Estimate.of(r["grain_net"][2] for r in ctx.each("baseline"))
    return Outcome(f"{est.text(signed(0))} kg/yr (middle {middle.mean:+,.0f})", est.surely(t), est)


@pattern("price_spike_very_poor", "Price spikes hurt the very poor most")
def p_price_spike_very_poor(ctx: Context, t: Target) -> Outcome:
    """Price-spike vs calm runs.

    Change in the share of households whose energy needs are met, over the 12 months from the
    spike's start, very poor minus better-off (needs, not intake: the better-off cut foods
    beyond needs first).
    """
    diffs, vp, bo = [], [], []
    for spike, calm in ctx.pairs("price_spike", "calm"):
        first = spike["spike_start"]
        if first is None:
            continue
        months = range(first, min(first + 12, len(series(spike, "all", "needs_met_share"))))
        d = {
            g: window(spike, g, "needs_met_share", months)
            - window(calm, g, "needs_met_share", months)
            for g in ("very_poor", "better_off")
        }
        vp.append(d["very_poor"])
        bo.append(d["better_off"])
        diffs.append(d["very_poor"] - d["better_off"])
    est = Estimate.of(diffs)
    return Outcome(
        f"{est.text(signed(3))} (very poor {Estimate.of(vp).mean:+.3f}, better-off "
        f"{Estimate.of(bo).mean:+.3f} share with needs met)",
        est.surely(t),
        est,
    )


@pattern("own_production", "Own production covers about six months (poor)")
def p_own_production(ctx: Context, t: Target) -> Outcome:
    """Months of needs met from own stocks, very poor and poor, calm runs (12 × own share)."""
    values = []
    for run in ctx.each("calm"):
        ts = run["timeseries"]
        sel = ts[ts["wealth_group"].isin(["very_poor", "poor"])]
        values.append(12 * np.average(sel["own_food_share"], weights=sel["households"]))
    est = Estimate.of(values)
    return Outcome(f"{est.text(num(1))} months", est.within(t), est)


@pattern("stock_exhaustion", "Very poor run out of stocks by Feb–Apr")
def p_stock_exhaustion(ctx: Context, t: Target) -> Outcome:
    """Baseline runs.

    First month after the harvest when the very poor's mean grain stock (by calendar month
    over the run) falls below their mean monthly need.
    """
    found = [r["stock_exhaustion"] for r in ctx.each("baseline")]
    share = Estimate.of([float(m in t.months) if m else 0.0 for m in found], within=(0, 1))
    months = [m for m in found if m]
    mode = max(set(months), key=months.count) if months else None
    value = (
        f"{MONTHS[mode - 1] if mode else 'never'} (most replicates); "
        f"{share.text(pct)} of replicates in {month_names(t.months)}"
    )
    return Outcome(value, mode in t.months if mode else False, share)


@pattern("coping_hierarchy", "Coping hierarchy: stress before crisis and emergency")
def p_coping_hierarchy(ctx: Context, t: Target) -> Outcome:
    """Household-years reaching crisis or emergency that used stress strategies earlier."""
    shares = []
    for run in ctx.each("baseline"):
        h = run["hierarchy"]
        shares.append(h["escalated"] / h["reached"] if h["reached"] else float("nan"))
    est = Estimate.of(shares, within=(0, 1))
    return Outcome(f"{est.text(pct)} escalated through stress", est.within(t), est)


@pattern("consumption_dispersion", "Households of a wealth group differ in consumption")
def p_consumption_dispersion(ctx: Context, t: Target) -> Outcome:
    """Baseline: coefficient of variation of consumption per adult equivalent within each group.

    A month's consumption per household, as a single-visit consumption survey records it;
    the mean over the run's months; every wealth group must lie in the band.
    """
    runs = ctx.each("baseline")
    ests = [Estimate.of(r["dispersion"]["cv"][g] for r in runs) for g in range(4)]
    lowest = Estimate.of(min(r["dispersion"]["cv"]) for r in runs)
    highest = Estimate.of(max(r["dispersion"]["cv"]) for r in runs)
    ok = lowest.within(t) and highest.within(t)
    groups = "; ".join(
        f"{name.replace('_', ' ')} {e.mean:.2f}"
        for name, e in zip(WEALTH_GROUPS, ests, strict=True)
    )
    two = num(2)
    value = f"{groups} (lowest {lowest.text(two)}, highest {highest.text(two)})"
    return Outcome(value, ok, lowest)


@pattern("consumption_gini", "Consumption inequality")
def p_consumption_gini(ctx: Context, t: Target) -> Outcome:
    """Baseline: Gini of a month's consumption per adult equivalent, all households.

    As a single-visit survey records it; the mean over the run's months.
    """
    est = Estimate.of((r["dispersion"]["gini"] for r in ctx.each("baseline")), within=(0, 1))
    return Outcome(est.text(num(3)), est.within(t), est)


@pattern("livestock_buffer", "Livestock sales only partly buffer a covariate loss")
def p_livestock_buffer(ctx: Context, t: Target) -> Outcome:
    """Drought vs calm runs, all households, the year from the drought's harvest.

    Extra livestock sales (normal and distress sales, FCFA) over the income lost (harvest
    value, cash income and milk), as Fafchamps, Udry & Czukas (1998) measured it.
    """
    ratios = []
    for a, b in ctx.pairs("drought", "calm"):
        t0 = a["drought_harvest"]
        if t0 is None:
            continue
        year = slice(t0, t0 + 12)
        sales = a["buffer"][year, 0].sum() - b["buffer"][year, 0].sum()
        lost = b["buffer"][year, 1].sum() - a["buffer"][year, 1].sum()
        if lost > 0:
            ratios.append(sales / lost)
    est = Estimate.of(ratios)
    return Outcome(f"{est.text(pct)} of the income lost", est.within(t), est)


@pattern("drought_very_poor", "A drought hurts the very poor most")
def p_drought_very_poor(ctx: Context, t: Target) -> Outcome:
    """Drought runs: the change in months with energy needs met, very poor minus better-off.

    The share of months with energy needs met, the year after the drought's harvest against
    the year before it.
    """
    diffs = [
        r["drought_hit"][0] - r["drought_hit"][1] for r in ctx.each("drought") if r["drought_hit"]
    ]
    est = Estimate.of(diffs)
    vp = Estimate.of(r["drought_hit"][0] for r in ctx.each("drought") if r["drought_hit"])
    bo = Estimate.of(r["drought_hit"][1] for r in ctx.each("drought") if r["drought_hit"])
    return Outcome(
        f"{est.text(signed_pct)} (very poor {signed_pct(vp.mean)}, better-off {signed_pct(bo.mean)})",
        est.surely(t),
        est,
    )
