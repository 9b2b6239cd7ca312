"""CdR groups: their social fund under idiosyncratic and covariate shocks, shares, social fund and lending."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.validation.context import Context
from sim.validation.estimate import Estimate, Outcome, num, pct
from sim.validation.patterns.registry import pattern
from sim.validation.settings import Target


@pattern("social_fund_idiosyncratic", "Social fund buffers idiosyncratic shocks")
def p_social_fund_idiosyncratic(ctx: Context, t: Target) -> Outcome:
    """Savings groups with a flood.

    Share of members' claims for illness bills that the social fund paid, outside flooded
    villages and months (from six months after the start).
    """
    est = Estimate.of(
        (r["fund"][1] / r["fund"][0] for r in ctx.each("savings_groups_flood") if r["fund"][0] > 0),
        within=(0, 1),
    )
    return Outcome(f"{est.text(pct)} of illness claims paid", est.within(t), est)


@pattern("social_fund_covariate", "Social fund fails in covariate shocks")
def p_social_fund_covariate(ctx: Context, t: Target) -> Outcome:
    """Savings groups with a flood.

    Share of members' claims for flood repairs that the social fund paid in the flood month.
    """
    est = Estimate.of(
        (r["fund"][3] / r["fund"][2] for r in ctx.each("savings_groups_flood") if r["fund"][2] > 0),
        within=(0, 1),
    )
    return Outcome(f"{est.text(pct)} of flood claims paid", est.within(t), est)


def _vsla(ctx: Context, fn: Callable[[dict[str, float]], float]) -> Estimate:
    return Estimate.of(fn(r["vsla"]) for r in ctx.each("savings_groups") if r["vsla"]["members"])


@pattern("vsla_shares_per_member", "CdR groups: shares bought per member")
def p_vsla_shares_per_member(ctx: Context, t: Target) -> Outcome:
    """Savings groups: shares bought per initial member and month, first ``vsla_months``."""
    months = ctx.settings.vsla_months
    est = _vsla(ctx, lambda v: v["shares"] / v["members"] / months)
    return Outcome(
        f"{est.text(num(0))} FCFA per member-month ({est.mean * months:,.0f} in {months} months)",
        est.within(t),
        est,
    )


@pattern("vsla_social_fund_per_member", "CdR groups: social fund per member")
def p_vsla_social_fund_per_member(ctx: Context, t: Target) -> Outcome:
    """Savings groups: social funds' balance per initial member after ``vsla_months`` months."""
    est = _vsla(ctx, lambda v: v["social_fund"] / v["members"])
    return Outcome(f"{est.text(num(0))} FCFA", est.within(t), est)


@pattern("vsla_share_lent", "CdR groups: share of savings lent")
def p_vsla_share_lent(ctx: Context, t: Target) -> Outcome:
    """Savings groups: group loans granted over shares bought in ``vsla_months`` months."""
    est = _vsla(ctx, lambda v: v["loans"] / v["shares"] if v["shares"] else float("nan"))
    return Outcome(f"{est.text(pct)}", est.within(t), est)


@pattern("vsla_loan_months", "CdR groups: how long loans run")
def p_vsla_loan_months(ctx: Context, t: Target) -> Outcome:
    """Savings groups: median term of the loans granted in the first ``vsla_months``.

    One loan at a time: a loan runs from the month it is granted to the month the member owes
    the group nothing (repaid, netted at a share-out or written off), months counted
    inclusively; loans still out at the run's end count with the months they have run.
    """
    runs = [r["vsla"] for r in ctx.each("savings_groups") if r["vsla"]["members"]]
    terms = [np.concatenate(list(v["loan_terms"].values())) for v in runs]
    est = Estimate.of(float(np.median(x)) if x.size else float("nan") for x in terms)
    pooled = np.concatenate(terms) if terms else np.zeros(0)
    if not pooled.size:
        return Outcome("no loans", False, est)
    charged = sum(v["charges"] for v in runs) / max(sum(v["loans"] for v in runs), 1e-9)
    return Outcome(
        f"median {est.text(num(1))} months; {pct(float(np.mean(pooled <= 3)))} of loans repaid "
        f"within 3 months, mean {np.mean(pooled):.1f} months (service charges "
        f"{pct(charged)} of the amounts lent)",
        est.within(t),
        est,
    )
