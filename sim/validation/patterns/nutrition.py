"""Nutrition: acute malnutrition through the seasons and dietary diversity under transfers."""

from __future__ import annotations

from sim.validation.context import Context, by_month, months_mean, programme_year_effect
from sim.validation.estimate import MONTHS, Estimate, Outcome, month_names, pct, signed
from sim.validation.patterns.registry import pattern
from sim.validation.settings import Target


@pattern("gam_lean", "Lean-season GAM near Mopti levels")
def p_gam_lean(ctx: Context, t: Target) -> Outcome:
    """GAM prevalence by calendar month: lean-season level, peak and post-harvest."""
    curves = by_month(ctx.each("baseline"), "all", "gam_prevalence")
    mean = curves.mean()
    lean = Estimate.of((c[[7, 8, 9]].mean() for _, c in curves.iterrows()), within=(0, 1))
    peak = int(mean.idxmax())
    lower_after = mean[[7, 8, 9]].mean() > months_mean(mean, t.months)
    ok = lean.within(t) and peak in t.peak_months and lower_after
    value = (
        f"Jul–Sep {lean.text(pct)}; peak {MONTHS[peak - 1]}; "
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
