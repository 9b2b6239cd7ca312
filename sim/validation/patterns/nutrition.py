"""Nutrition: acute malnutrition through the seasons and dietary diversity under transfers."""

from __future__ import annotations

from sim.validation.context import Context, by_month, months_mean, programme_year_effect, window
from sim.validation.estimate import MONTHS, Estimate, Outcome, month_names, pct, signed
from sim.validation.patterns.registry import pattern
from sim.validation.settings import Target


@pattern("gam_lean", "Lean-season GAM near Mopti levels")
def p_gam_lean(ctx: Context, t: Target) -> Outcome:
    """GAM prevalence by calendar month: lean-season level, peak and post-harvest."""
    curves = by_month(ctx.each("baseline"), "all", "gam_prevalence")
    mean = curves.mean()
    runs = ctx.each("baseline")
    lean_months = list(runs[0]["lean_months"]) if runs else []
    lean = Estimate.of((c[lean_months].mean() for _, c in curves.iterrows()), within=(0, 1))
    peak = int(mean.idxmax())
    lower_after = mean[lean_months].mean() > months_mean(mean, t.months)
    ok = lean.within(t) and peak in t.peak_months and lower_after
    value = (
        f"{month_names(lean_months)} {lean.text(pct)}; peak {MONTHS[peak - 1]}; "
        f"{month_names(t.months)} {pct(months_mean(mean, t.months))}"
    )
    return Outcome(value, ok, lean)


@pattern("cash_gam", "Cash alone barely moves GAM")
def p_cash_gam(ctx: Context, t: Target) -> Outcome:
    """Cash vs none: GAM among the programme's households over the transfer year."""
    est = programme_year_effect(ctx, "cash", "gam_prevalence")
    return Outcome(f"{est.text(signed(3))} (share; transfer year)", est.within(t), est)


@pattern("cash_hdds", "Dietary diversity responds to cash")
def p_cash_hdds(ctx: Context, t: Target) -> Outcome:
    """Cash vs none: HDDS of the programme's households over the transfer year."""
    est = programme_year_effect(ctx, "cash", "hdds")
    return Outcome(f"{est.text(signed(3))} food groups (transfer year)", est.surely(t), est)


@pattern("cash_plus_hdds", "Cash+ raises dietary diversity")
def p_cash_plus_hdds(ctx: Context, t: Target) -> Outcome:
    """Cash + goats vs none: HDDS of the programme's households over the transfer year."""
    est = programme_year_effect(ctx, "cash_plus_livestock", "hdds")
    return Outcome(f"{est.text(signed(3))} food groups (transfer year)", est.surely(t), est)


@pattern("gam_seasonality", "Wasting rises in the lean season")
def p_gam_seasonality(ctx: Context, t: Target) -> Outcome:
    """Baseline: GAM prevalence in the peak months over the post-harvest months."""
    curves = by_month(ctx.each("baseline"), "all", "gam_prevalence")
    est = Estimate.of(
        months_mean(c, t.peak_months) / months_mean(c, t.months) for _, c in curves.iterrows()
    )
    return Outcome(
        f"× {est.text(lambda x: f'{x:.2f}')} ({month_names(t.peak_months)} over "
        f"{month_names(t.months)})",
        est.within(t),
        est,
    )


def _gam_effect(ctx: Context, arm: str) -> Estimate:
    """Effect of ``arm`` on the programme households' GAM over the programme's three years."""
    diffs = []
    for a, b in ctx.pairs(arm, "baseline"):
        months = range(a["start"], a["exit"])
        diffs.append(
            window(a, "programme", "gam_prevalence", months)
            - window(b, "programme", "gam_prevalence", months)
        )
    return Estimate.of(diffs)


@pattern("education_gam", "Nutrition education moves wasting by a point at most")
def p_education_gam(ctx: Context, t: Target) -> Outcome:
    """Social pillar alone vs none: GAM among programme households over the programme years."""
    est = _gam_effect(ctx, "social")
    return Outcome(f"{est.text(signed(3))} (share)", est.within(t), est)


@pattern("cash_plus_gam", "Cash+ moves wasting by a point at most")
def p_cash_plus_gam(ctx: Context, t: Target) -> Outcome:
    """Cash + goats vs none: GAM among programme households over the programme years."""
    est = _gam_effect(ctx, "cash_plus_livestock")
    return Outcome(f"{est.text(signed(3))} (share)", est.within(t), est)
