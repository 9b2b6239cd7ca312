"""Insecurity: prices paid and received in villages in conflict, displacement, theft."""

from __future__ import annotations

from sim.validation.context import Context
from sim.validation.estimate import Estimate, Outcome, num, pct, signed_pct
from sim.validation.patterns.registry import pattern
from sim.validation.settings import Target


def _conflict(ctx: Context) -> list[dict]:
    return [r["conflict"] for r in ctx.each("conflict") if r.get("conflict")]


def _yearly_mean(ctx: Context, key: str, years: tuple[int, ...]) -> Estimate:
    """Per conflict run: the mean of a yearly share over calendar ``years`` (0 in a year without)."""
    return Estimate.of(
        sum(c[key].get(y, 0.0) for y in years) / max(len(years), 1) for c in _conflict(ctx)
    )


@pattern("conflict_prices_paid", "Conflict raises the food prices households pay")
def p_conflict_prices_paid(ctx: Context, t: Target) -> Outcome:
    """Conflict runs: grain price paid in villages in conflict over the regional price.

    What households of villages in conflict paid for the grain they bought, over its cost at the
    regional price of the month, less one.
    """
    est = Estimate.of(c["paid_over_regional"] - 1 for c in _conflict(ctx))
    return Outcome(f"{est.text(signed_pct)} above the regional price", est.within(t), est)


@pattern("conflict_terms_of_trade", "Conflict worsens the terms of trade households face")
def p_conflict_terms_of_trade(ctx: Context, t: Target) -> Outcome:
    """Conflict runs: fall of the goat/millet terms of trade in villages in conflict.

    Animals sold at the prices received, grain bought at the prices paid, against the month's
    regional terms of trade.
    """
    falls = [1 - c["received_over_regional"] / c["paid_over_regional"] for c in _conflict(ctx)]
    received = Estimate.of(c["received_over_regional"] - 1 for c in _conflict(ctx))
    est = Estimate.of(falls)
    return Outcome(
        f"fall {est.text(pct)} (animal prices received {received.text(signed_pct)})",
        est.within(t),
        est,
    )


@pattern("conflict_displaced_share", "Share of households displaced")
def p_conflict_displaced_share(ctx: Context, t: Target) -> Outcome:
    """Conflict runs: share of household-months displaced in the calendar years ``t.years``."""
    years = t.years or ()
    est = _yearly_mean(ctx, "displaced_share", years)
    span = f"{min(years)}–{max(years)}" if years else ""
    return Outcome(f"{est.text(pct)} ({span})", est.within(t), est)


@pattern("conflict_displaced_food", "The displaced go hungry more often than those at home")
def p_conflict_displaced_food(ctx: Context, t: Target) -> Outcome:
    """Conflict runs: how much more often the displaced go hungry.

    Share of displaced household-months with energy needs unmet, over the share of at-home
    household-months in the same months (food aid to the newly displaced included).
    """
    rows = [c for c in _conflict(ctx) if c["unmet_home"] > 0]
    est = Estimate.of(c["unmet_displaced"] / c["unmet_home"] for c in rows)
    away = Estimate.of(c["unmet_displaced"] for c in rows)
    home = Estimate.of(c["unmet_home"] for c in rows)
    return Outcome(
        f"× {est.text(num(2))} ({pct(away.mean)} of displaced vs {pct(home.mean)} of "
        "at-home household-months)",
        est.within(t),
        est,
    )


@pattern("conflict_theft", "Livestock stolen in conflict years")
def p_conflict_theft(ctx: Context, t: Target) -> Outcome:
    """Conflict runs: TLU stolen in a calendar year over the TLU held, mean over ``t.years``."""
    est = _yearly_mean(ctx, "theft_share", t.years or ())
    return Outcome(f"{est.text(pct)} of the herd a year", est.within(t), est)
