"""Resilience capacity (RCI): by wealth, as a predictor of recovery, and the programme's gain."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.rci import PILLARS, score
from sim.validation.context import Context
from sim.validation.estimate import Estimate, Outcome, pct, signed
from sim.validation.patterns.registry import pattern
from sim.validation.settings import Target


@pattern("rci_wealth", "RCI higher for richer, more diversified households")
def p_rci_wealth(ctx: Context, t: Target) -> Outcome:
    """Baseline, end of run: mean RCI by wealth group; rank correlation with income sources."""
    by_group = []
    rhos = []
    for run in ctx.each("baseline"):
        e = run["rci_end"]
        by_group.append(e.groupby("wealth")["rci"].mean().reindex(range(4)).to_numpy())
        rhos.append(stats.spearmanr(e["rci"], e["income_sources"]).statistic)
    means = np.nanmean(np.array(by_group), axis=0) if by_group else np.full(4, np.nan)
    rho = Estimate.of(rhos)
    rising = bool(np.all(np.diff(means) > 0))
    value = (
        "RCI " + " < ".join(f"{m:.0f}" for m in means) + " (very poor → better-off); "
        f"rank correlation with income sources {rho.text(signed(2))}"
    )
    return Outcome(value, rising and rho.surely(t), rho)


@pattern("rci_recovery", "Higher RCI, faster recovery")
def p_rci_recovery(ctx: Context, t: Target) -> Outcome:
    """Baseline runs.

    Rank correlation of the RCI the month before a shock with the months the household took
    to recover its food consumption (within shock months).
    """
    est = Estimate.of(r["rci_recovery"]["rho"] for r in ctx.each("baseline"))
    episodes = Estimate.of(r["rci_recovery"]["episodes"] for r in ctx.each("baseline"))
    return Outcome(
        f"Spearman {est.text(signed(3))} ({episodes.mean:,.0f} episodes per run)",
        est.surely(t),
        est,
    )


def rci_programme(ctx: Context) -> list[dict[str, Any]]:
    """Per replicate: full CdR and none scored together at exit; RCI and pillar gains."""
    out = []
    for a, b in ctx.pairs("full_cdr", "baseline"):
        if a["rci_exit"] is None or b["rci_exit"] is None:
            continue
        both = pd.concat(
            [a["rci_exit"].assign(package="full_cdr"), b["rci_exit"].assign(package="none")],
            ignore_index=True,
        )
        scored = score(both)
        frame = scored.pillars.assign(
            rci=scored.rci,
            package=both["package"],
            targeted=both["targeted"],
            wealth=both["wealth"],
        )
        weights = scored.loadings**2
        who = frame[frame["targeted"]]
        gain = (
            who[who["package"] == "full_cdr"][list(PILLARS)].mean()
            - who[who["package"] == "none"][list(PILLARS)].mean()
        )
        contribution = weights * gain
        out.append(
            {
                "frame": frame,
                "loadings": scored.loadings,
                "explained": scored.explained,
                "gain": float(
                    who.loc[who["package"] == "full_cdr", "rci"].mean()
                    - who.loc[who["package"] == "none", "rci"].mean()
                ),
                "contribution": contribution,
            }
        )
    return out


@pattern("rci_programme", "Programme RCI gain through AC and SSN")
def p_rci_programme(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none, scored together at exit.

    RCI gain of the programme households and the share of it coming through the AC and SSN
    pillars (pillar weight × standardised pillar gain).
    """
    reps = rci_programme(ctx)
    gain = Estimate.of(r["gain"] for r in reps)
    share = Estimate.of(
        (r["contribution"][["AC", "SSN"]].sum() / r["contribution"].sum())
        if r["contribution"].sum() != 0
        else float("nan")
        for r in reps
    )
    ok = gain.surely(Target("gain", "", "", low=0.0)) and share.within(t)
    return Outcome(
        f"RCI {gain.text(signed(1))} points; share through AC + SSN {share.text(pct)}", ok, share
    )
