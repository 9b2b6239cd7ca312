"""Programme design: the programme's own figures in the validation population (by design)."""

from __future__ import annotations

from collections.abc import Callable

from sim.validation.context import Context
from sim.validation.estimate import Estimate, Outcome, num, pct
from sim.validation.patterns.registry import pattern
from sim.validation.settings import Target


def _programme_figure(ctx: Context, t: Target, key: str, fmt: Callable[[float], str]) -> Outcome:
    value = ctx.programme[key]
    est = Estimate.exact(value)
    return Outcome(f"{fmt(value)} (by design)", est.within(t), est)


@pattern("programme_households", "Programme: participating households")
def p_programme_households(ctx: Context, t: Target) -> Outcome:
    """Programme households targeted in the validation population."""
    return _programme_figure(ctx, t, "households", num(0))


@pattern("programme_villages", "Programme: villages")
def p_programme_villages(ctx: Context, t: Target) -> Outcome:
    """Villages with programme households."""
    return _programme_figure(ctx, t, "villages", num(0))


@pattern("programme_women", "Programme: women participants")
def p_programme_women(ctx: Context, t: Target) -> Outcome:
    """Share of participants who are women."""
    return _programme_figure(ctx, t, "women", pct)


@pattern("group_size", "Programme: members per CdR group")
def p_group_size(ctx: Context, t: Target) -> Outcome:
    """Mean members per CdR group."""
    return _programme_figure(ctx, t, "group_size", num(1))


@pattern("field_schools", "Programme: field schools")
def p_field_schools(ctx: Context, t: Target) -> Outcome:
    """Field schools of ``policy.productive.field_school.participants`` within villages."""
    return _programme_figure(ctx, t, "field_schools", num(0))
