"""Programme effects: graduation and persistence, Cash+, savings groups, transfers and coping."""

from __future__ import annotations

from sim.validation.context import COPING_COLUMNS, Context, paired_panel_mean, window
from sim.validation.estimate import Estimate, Outcome, pct, signed, signed_pct
from sim.validation.patterns.registry import pattern
from sim.validation.settings import Target


@pattern("cash_coping", "Transfers substitute for coping")
def p_cash_coping(ctx: Context, t: Target) -> Outcome:
    """Cash vs none: share of programme households using livelihood coping, transfer year."""
    diffs = []
    for a, b in ctx.pairs("cash", "baseline"):
        months = range(a["start"], a["start"] + 12)
        diffs.append(
            sum(
                window(a, "programme", c, months) - window(b, "programme", c, months)
                for c in COPING_COLUMNS
            )
        )
    est = Estimate.of(diffs)
    return Outcome(f"{est.text(signed(3))} (share of household-months)", est.surely(t), est)


def _sd_effect(ctx: Context, arm: str, column: str) -> Estimate:
    effects = []
    for a, b in ctx.pairs(arm, "baseline"):
        x, y = a["panel"][column], b["panel"][column]
        sd = y.std()
        effects.append((x.mean() - y.mean()) / sd if sd > 0 else float("nan"))
    return Estimate.of(effects)


def _graduation(ctx: Context, t: Target, column: str, *, directional: bool) -> Outcome:
    est = _sd_effect(ctx, "full_cdr", column)
    relative, cv = [], []
    for a, b in ctx.pairs("full_cdr", "baseline"):
        x, y = a["panel"][column], b["panel"][column]
        if y.mean() > 0:
            relative.append(x.mean() / y.mean() - 1)
            cv.append(y.std() / y.mean())
    ok = est.surely(t) if directional else est.within(t)
    value = (
        f"{est.text(signed(3))} SD; {signed_pct(Estimate.of(relative).mean)} of the control "
        f"mean (control CV {pct(Estimate.of(cv).mean)})"
    )
    return Outcome(value, ok, est)


@pattern("graduation_consumption", "Graduation effect at 3 years: consumption")
def p_graduation_consumption(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none, programme households: consumption per person in the last programme year."""
    return _graduation(ctx, t, "consumption_exit", directional=False)


@pattern("graduation_assets", "Graduation effect at 3 years: assets")
def p_graduation_assets(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none, programme households: net assets at exit (three years)."""
    return _graduation(ctx, t, "assets_exit", directional=False)


@pattern("graduation_food_security", "Graduation effect at 3 years: food security")
def p_graduation_food_security(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none, programme households: mean energy adequacy in the last programme year."""
    return _graduation(ctx, t, "food_exit", directional=False)


@pattern("persistence_consumption", "Persistence 3 years after exit: consumption")
def p_persistence_consumption(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none: consumption per person in the third year after exit."""
    return _graduation(ctx, t, "consumption_after", directional=True)


@pattern("persistence_assets", "Persistence 3 years after exit: assets")
def p_persistence_assets(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none: net assets three years after exit."""
    return _graduation(ctx, t, "assets_after", directional=True)


@pattern("cash_plus_food_security", "Cash+ beats cash: food security")
def p_cash_plus_food_security(ctx: Context, t: Target) -> Outcome:
    """Cash + goats vs cash, programme households: energy adequacy in programme years 2-3."""
    est = paired_panel_mean(ctx, "cash_plus_livestock", "cash", "food_followup")
    return Outcome(f"{est.text(signed(4))} energy adequacy", est.surely(t), est)


@pattern("cash_plus_production", "Cash+ beats cash: production")
def p_cash_plus_production(ctx: Context, t: Target) -> Outcome:
    """Cash + goats vs cash: value of harvests, births and garden produce, programme years 2-3."""
    est = paired_panel_mean(ctx, "cash_plus_livestock", "cash", "production_followup")
    return Outcome(f"{est.text(signed(0))} FCFA per household", est.surely(t), est)


@pattern("vsla_savings", "Savings groups: savings")
def p_vsla_savings(ctx: Context, t: Target) -> Outcome:
    """Savings groups vs none.

    Relative change in the programme households' liquid savings (cash at home + group
    savings, mean over the last programme year).
    """
    pairs = ctx.pairs("savings_groups", "baseline")
    est = Estimate.of(
        a["panel"]["liquid_exit"].mean() / b["panel"]["liquid_exit"].mean() - 1 for a, b in pairs
    )
    control = Estimate.of(b["panel"]["liquid_exit"].mean() for _, b in pairs)
    return Outcome(f"{est.text(signed_pct)} (control {control.mean:,.0f} FCFA)", est.within(t), est)


@pattern("vsla_livestock", "Savings groups: livestock")
def p_vsla_livestock(ctx: Context, t: Target) -> Outcome:
    """Savings groups vs none: TLU at exit, programme households."""
    est = paired_panel_mean(ctx, "savings_groups", "baseline", "tlu_exit")
    return Outcome(f"{est.text(signed(3))} TLU", est.surely(t), est)


@pattern("vsla_food_security", "Savings groups: food security")
def p_vsla_food_security(ctx: Context, t: Target) -> Outcome:
    """Savings groups vs none: energy adequacy in the last programme year."""
    est = paired_panel_mean(ctx, "savings_groups", "baseline", "food_exit")
    return Outcome(f"{est.text(signed(4))} energy adequacy", est.surely(t), est)
