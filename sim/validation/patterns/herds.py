"""Assets and herds: rebuilding after a drought on either side of the asset threshold, flock growth."""

from __future__ import annotations

from sim.validation.context import Context
from sim.validation.estimate import Estimate, Outcome, pct, signed_pct
from sim.validation.patterns.registry import pattern
from sim.validation.settings import Target


def _threshold(ctx: Context, side: str) -> Estimate:
    shares = []
    for run in ctx.each("drought"):
        th = run["threshold"]
        if th and th[side]:
            shares.append(th[f"{side}_rebuilt"] / th[side])
    return Estimate.of(shares, within=(0, 1))


@pattern("herd_rebuild_above", "Asset threshold: rebuilding above it")
def p_herd_rebuild_above(ctx: Context, t: Target) -> Outcome:
    """Drought runs: households that lost animals but kept more than their last females."""
    est = _threshold(ctx, "above")
    return Outcome(f"{est.text(pct)} rebuilt within 3 years", est.within(t), est)


@pattern("herd_stay_low_below", "Asset threshold: staying low below it")
def p_herd_stay_low_below(ctx: Context, t: Target) -> Outcome:
    """Drought runs: households left with no more than their last breeding females."""
    est = _threshold(ctx, "below")
    n = Estimate.of(r["threshold"]["below"] for r in ctx.each("drought") if r["threshold"])
    return Outcome(
        f"{est.text(pct)} rebuilt within 3 years ({n.mean:,.0f} households per run)",
        est.within(t),
        est,
    )


@pattern("herd_growth", "Flock growth in normal years")
def p_herd_growth(ctx: Context, t: Target) -> Outcome:
    """Calm runs, very poor and poor households.

    Small-ruminant births less deaths and less normal sales (of young and males), per head and
    year: the growth the flock would have without the extra sales that food and cash needs
    force (coping).
    """
    est = Estimate.of(
        12 * (r["sr_flow"][0] - r["sr_flow"][1] - r["sr_flow"][2]) / r["sr_flow"][3]
        for r in ctx.each("calm")
        if r["sr_flow"][3] > 0
    )
    return Outcome(f"{est.text(signed_pct)} per year", est.within(t), est)


@pattern("poor_flocks", "Poor households' flocks near-stationary")
def p_poor_flocks(ctx: Context, t: Target) -> Outcome:
    """Baseline: yearly growth of the very poor and poor households' flocks (December to December)."""
    values = []
    for run in ctx.each("baseline"):
        f = run["poor_flocks"]
        if f["years"] > 0 and f["start"] > 0:
            values.append((f["end"] / f["start"]) ** (1 / f["years"]) - 1)
    est = Estimate.of(values)
    return Outcome(f"{est.text(signed_pct)} per year", est.within(t), est)


@pattern("herd_inequality", "Herds are far more unequal than consumption")
def p_herd_inequality(ctx: Context, t: Target) -> Outcome:
    """Baseline: Gini of TLU per household, all households, mean over the Decembers."""
    est = Estimate.of((r["herd_gini"] for r in ctx.each("baseline")), within=(0, 1))
    return Outcome(est.text(lambda x: f"{x:.3f}"), est.within(t), est)


@pattern("poor_small_stock", "Most of the poor keep small stock in ordinary years")
def p_poor_small_stock(ctx: Context, t: Target) -> Outcome:
    """Calm runs: share of very poor and poor households without goats or sheep at the end."""
    est = Estimate.of((r["small_stock"]["end"] for r in ctx.each("calm")), within=(0, 1))
    start = Estimate.of(r["small_stock"]["start"] for r in ctx.each("calm"))
    return Outcome(f"{est.text(pct)} (at the start {pct(start.mean)})", est.within(t), est)


@pattern("ordinary_year_herds", "An ordinary year does not halve a group's herds")
def p_ordinary_year_herds(ctx: Context, t: Target) -> Outcome:
    """Calm runs: largest fall of a wealth group's mean TLU from one December to the next."""
    per_run = [max(r["herd_falls"]) for r in ctx.each("calm") if r["herd_falls"]]
    est = Estimate.of(per_run)
    return Outcome(f"at most {est.text(pct)} in a year", est.within(t), est)
