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
    """Mean difference over the control's SD.

    For consumption, the SD of a month's consumption across households (as the trials'
    single-visit surveys measured it), mean over the window's months.
    """
    effects = []
    for a, b in ctx.pairs(arm, "baseline"):
        x, y = a["panel"][column], b["panel"][column]
        sd = b["monthly_sd"].get(f"{column}_sd", y.std())
        effects.append((x.mean() - y.mean()) / sd if sd > 0 else float("nan"))
    return Estimate.of(effects)


def _graduation(
    ctx: Context, t: Target, column: str, *, directional: bool, note: str = ""
) -> Outcome:
    est = _sd_effect(ctx, "full_cdr", column)
    relative, cv = [], []
    for a, b in ctx.pairs("full_cdr", "baseline"):
        x, y = a["panel"][column], b["panel"][column]
        if y.mean() > 0:
            relative.append(x.mean() / y.mean() - 1)
            cv.append(b["monthly_sd"].get(f"{column}_sd", y.std()) / y.mean())
    ok = est.surely(t) if directional else est.within(t)
    value = (
        f"{est.text(signed(3))} SD; {signed_pct(Estimate.of(relative).mean)} of the control "
        f"mean (control CV {pct(Estimate.of(cv).mean)}){note}"
    )
    return Outcome(value, ok, est)


def _at_exit_note(ctx: Context, column: str) -> str:
    est = _sd_effect(ctx, "full_cdr", column)
    return f"; at exit {signed(2)(est.mean)} SD"


@pattern("graduation_consumption", "Graduation effect at endline: consumption")
def p_graduation_consumption(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none, programme households: consumption per adult equivalent and day.

    Over the first consumption year (October to September) after exit, the graduation trials'
    endline: the programme's last supported harvest has been eaten and no support is received
    any more (:func:`sim.outcomes.endline_end`). In SD units of the control households; the
    effect over the last programme year is shown for comparison.
    """
    note = _at_exit_note(ctx, "consumption_exit")
    return _graduation(ctx, t, "consumption_endline", directional=False, note=note)


@pattern("graduation_assets", "Graduation effect at endline: assets")
def p_graduation_assets(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none, programme households: net assets at the end of the endline year."""
    note = _at_exit_note(ctx, "assets_exit")
    return _graduation(ctx, t, "assets_endline", directional=False, note=note)


@pattern("graduation_food_security", "Graduation effect at endline: food security")
def p_graduation_food_security(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none, programme households: months of adequate food provisioning (MAHFP).

    Months whose energy needs were met, in the first consumption year after exit (the endline).
    """
    note = _at_exit_note(ctx, "mahfp_exit")
    return _graduation(ctx, t, "mahfp_endline", directional=False, note=note)


@pattern("persistence_consumption", "Persistence 3 years after exit: consumption")
def p_persistence_consumption(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none: consumption per adult equivalent in the third year after exit."""
    return _graduation(ctx, t, "consumption_after", directional=True)


@pattern("persistence_assets", "Persistence 3 years after exit: assets")
def p_persistence_assets(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none: net assets three years after exit."""
    return _graduation(ctx, t, "assets_after", directional=True)


@pattern("cash_plus_food_security", "Cash+ beats cash: food security")
def p_cash_plus_food_security(ctx: Context, t: Target) -> Outcome:
    """Cash + goats vs cash, programme households: months of adequate food provisioning a year.

    Mean over programme years 2-3 (the Cash+ evaluation came nine months after the end).
    """
    est = paired_panel_mean(ctx, "cash_plus_livestock", "cash", "mahfp_followup")
    return Outcome(f"{est.text(signed(3))} months a year", est.surely(t), est)


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
    """Savings groups vs none: months of adequate food provisioning in the last programme year."""
    est = paired_panel_mean(ctx, "savings_groups", "baseline", "mahfp_exit")
    return Outcome(f"{est.text(signed(3))} months", est.surely(t), est)


@pattern("vsla_lean_shortfall", "Savings groups: going short in the lean season")
def p_vsla_lean_shortfall(ctx: Context, t: Target) -> Outcome:
    """Savings groups vs none: relative change in the lean-season energy shortfall.

    Programme households' mean share of energy needs unmet in the lean months (Jul-Sep) of
    the last programme year.
    """
    pairs = ctx.pairs("savings_groups", "baseline")
    column = "lean_shortfall_exit"
    est = Estimate.of(
        a["panel"][column].mean() / b["panel"][column].mean() - 1
        for a, b in pairs
        if b["panel"][column].mean() > 0
    )
    control = Estimate.of(100 * b["panel"][column].mean() for _, b in pairs)
    points = Estimate.of(
        100 * (a["panel"][column].mean() - b["panel"][column].mean()) for a, b in pairs
    )
    return Outcome(
        f"{est.text(signed_pct)} ({points.mean:+.2f} points: control {control.mean:.1f} % of "
        "energy needs unmet)",
        est.surely(t),
        est,
    )


def _yield_gain(ctx: Context, *, programme: bool, min_years_after_exit: float = 0.0) -> Estimate:
    """Field schools vs none: programme households' mean yield, relative, over chosen harvests."""
    return Estimate.of(_yield_gains(ctx, programme=programme, min_years=min_years_after_exit))


def _yield_gains(ctx: Context, *, programme: bool, min_years: float = 0.0) -> list[float]:
    """Per replicate: the relative yield gain of field schools over the chosen harvests."""
    gains = []
    for a, b in ctx.pairs("field_schools", "baseline"):
        base = {y["month"]: y["yield"] for y in b["yields"]}
        harvests = [y for y in a["yields"] if y["month"] in base]
        first = next((y["month"] for y in harvests if y["programme"]), None)
        if programme:
            chosen = [y for y in harvests if y["month"] != first and -3 < y["years_after_exit"] < 1]
        else:
            chosen = [y for y in harvests if y["years_after_exit"] >= min_years]
        sel = [(y["yield"], base[y["month"]]) for y in chosen]
        if sel:
            treated, control = (sum(v) for v in zip(*sel, strict=True))
            gains.append(treated / control - 1 if control > 0 else float("nan"))
        else:
            gains.append(float("nan"))
    return gains


@pattern("ffs_yields", "Field schools raise yields in the first years")
def p_ffs_yields(ctx: Context, t: Target) -> Outcome:
    """Field schools alone vs none: programme households' yield (kg/ha).

    Over the programme's harvests after the first (participants learn after each harvest),
    and the first harvest after exit.
    """
    est = _yield_gain(ctx, programme=True)
    return Outcome(f"{est.text(signed_pct)} yield", est.within(t), est)


@pattern("ffs_fading", "Field-school gains fade after the programme")
def p_ffs_fading(ctx: Context, t: Target) -> Outcome:
    """Field schools alone vs none: the yield gain two years and more after exit.

    As a share of the gain over the programme's harvests.
    """
    early = _yield_gains(ctx, programme=True)
    late = _yield_gains(ctx, programme=False, min_years=2.5)
    est = Estimate.of(b / a if a > 0 else float("nan") for a, b in zip(early, late, strict=True))
    return Outcome(
        f"{est.text(pct)} of the gain remains two years and more after exit "
        f"({signed_pct(Estimate.of(late).mean)} against {signed_pct(Estimate.of(early).mean)} "
        "during the programme)",
        est.within(t),
        est,
    )


@pattern("benefit_cost", "Benefits per FCFA spent at 18 months")
def p_benefit_cost(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none at 18 months: benefits over programme costs (Bossuroy et al. 2022).

    Benefits: the programme households' extra consumption over the first 18 months plus
    their extra net assets at 18 months; costs: the programme's costs to then (overheads
    included).
    """
    ratios = []
    for a, b in ctx.pairs("full_cdr", "baseline"):
        extra = (
            a["panel"]["consumption_18m"].sum()
            - b["panel"]["consumption_18m"].sum()
            + a["panel"]["assets_18m"].sum()
            - b["panel"]["assets_18m"].sum()
        )
        if a["cost_18m"] > 0:
            ratios.append(extra / a["cost_18m"])
    est = Estimate.of(ratios)
    return Outcome(f"{est.text(pct)} of costs", est.within(t), est)


@pattern("backsliding_minority", "A minority of those out of poverty at exit slide back")
def p_backsliding_minority(ctx: Context, t: Target) -> Outcome:
    """Full CdR: share of those above the asset poverty line at exit who fall back and stay below.

    Two consecutive yearly snapshots below the line (``indicators.backsliding_persistence``),
    starting within four years after exit (``indicators.backsliding_window``).
    """
    est = Estimate.of(
        r["backsliding"]["backsliding_share"]
        for r in ctx.each("full_cdr")
        if r["backsliding"]["backsliding_share"] is not None
    )
    escaped = Estimate.of(
        r["backsliding"]["escaped_at_exit_share"]
        for r in ctx.each("full_cdr")
        if r["backsliding"]["escaped_at_exit_share"] is not None
    )
    control = Estimate.of(
        r["backsliding"]["escaped_at_exit_share"]
        for r in ctx.each("baseline")
        if r["backsliding"]["escaped_at_exit_share"] is not None
    )
    return Outcome(
        f"{est.text(pct)} of the {pct(escaped.mean)} above the line at exit "
        f"(control: {pct(control.mean)} above it)",
        est.within(t),
        est,
    )
