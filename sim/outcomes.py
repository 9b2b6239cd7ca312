"""Programme outcomes: what a package did for its households, over the run and after exit.

Tracked per household, for all households at once, and summarised for the programme's
(targeted) households in ``summary.json`` → ``outcomes``:

- ``backsliding_share``: share of programme households that rose above the asset poverty line
  (net assets, at yearly snapshots each December from the programme's start) and later fell
  back below it; ``escape_share``: share that rose above it at some point;
- ``months_below_survival``, ``months_below_lp``: mean months per household per year below
  the HEA survival and livelihood-protection thresholds;
- ``recovery_months``: mean months to recover food consumption after covariate shocks
  (resilience episodes that recovered);
- ``tlu_at_exit``, ``tlu_after_exit`` (``indicators.years_after_exit`` years later),
  ``tlu_end``, ``net_assets_end``: means at the programme's exit, some years after it and at
  the end of the run; ``savings_at_exit``, ``savings_after_exit``, ``savings_end``: mean group
  savings over the twelve months before those dates (a whole savings cycle, so the
  share-out month does not decide it);
- ``emergency_coping_share``: share of household-months at the emergency coping level;
  ``poverty_share_end``: share below the asset poverty line at the end;
- ``gam_mean``: mean GAM prevalence of the households' under-fives over the run;
  ``hdds_mean``: mean dietary diversity;
- ``cost_per_household_fcfa`` / ``_usd``: programme cost (direct + overheads) per targeted
  household; ``cost_per_backsliding_averted_fcfa`` is filled by a comparison with ``none``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sim.config import ModelConfig
from sim.policies.programme import Programme
from sim.population import Population, net_assets, tlu


def _mean(values: np.ndarray | None, who: np.ndarray) -> float | None:
    return float(values[who].mean()) if values is not None and who.any() else None


SNAPSHOT_MONTH = 12
"""Calendar month of the yearly poverty snapshot (before the lean season's sales)."""


class OutcomeTracker:
    """Per-household accumulators for the programme outcomes."""

    def __init__(self, pop: Population, cfg: ModelConfig, prog: Programme) -> None:
        n = pop.n
        self.cfg = cfg
        self.prog = prog
        self.months = 0
        self.survival = np.zeros(n)
        self.lp = np.zeros(n)
        self.hdds = np.zeros(n)
        self.gam_child_months = np.zeros(n)
        self.child_months = np.zeros(n)
        self.poor_snapshots: list[np.ndarray] = []
        self.snapshot_months: list[int] = []
        self.tlu_at_exit: np.ndarray | None = None
        self.savings_at_exit: np.ndarray | None = None
        self.tlu_after_exit: np.ndarray | None = None
        self.savings_after_exit: np.ndarray | None = None
        self.emergency = np.zeros(n)
        self.after_exit_month = prog.exit + 12 * cfg.indicators.years_after_exit
        self.last_savings = np.zeros((12, n))
        self.start_poor = net_assets(pop, cfg) < cfg.indicators.asset_poverty_line_fcfa

    def update(self, t: int, pop: Population, calendar_month: int) -> None:
        """Add month ``t``."""
        self.months += 1
        self.survival += pop.survival_deficit
        self.lp += pop.lp_deficit
        self.hdds += pop.hdds
        self.gam_child_months += pop.under5 * (pop.whz < self.cfg.indicators.gam_whz)
        self.child_months += pop.under5
        self.last_savings[t % 12] = pop.savings
        if t >= self.prog.start and calendar_month == SNAPSHOT_MONTH:
            self.poor_snapshots.append(
                net_assets(pop, self.cfg) < self.cfg.indicators.asset_poverty_line_fcfa
            )
            self.snapshot_months.append(t)
        self.emergency += pop.coping == 3
        if t + 1 == self.prog.exit:
            self.tlu_at_exit = tlu(pop, self.cfg)
            self.savings_at_exit = self.last_savings.mean(axis=0)
        if t + 1 == self.after_exit_month:
            self.tlu_after_exit = tlu(pop, self.cfg)
            self.savings_after_exit = self.last_savings.mean(axis=0)

    def backsliding(self) -> tuple[np.ndarray, np.ndarray]:
        """Per household: escaped poverty at some snapshot; fell back below after escaping."""
        if not self.poor_snapshots:
            z = np.zeros(len(self.survival), dtype=bool)
            return z, z
        poor = np.vstack([self.start_poor, *self.poor_snapshots])  # (snapshots + 1, n)
        above = ~poor
        escaped_by = np.logical_or.accumulate(above & poor[0][None, :], axis=0)
        escaped = escaped_by[-1]
        fell_back = (poor[1:] & escaped_by[:-1]).any(axis=0)
        return escaped, fell_back & escaped

    def still_out_curve(self, who: np.ndarray) -> list[float | None]:
        """Backsliding curve: share still above the poverty line, by years after exit.

        Of the households above the poverty line at the first yearly snapshot after exit, the
        share still above it 0, 1, … ``curve_years`` years later.
        """
        k = self.cfg.indicators.curve_years
        after = [i for i, t in enumerate(self.snapshot_months) if t >= self.prog.exit]
        if not after:
            return [None] * (k + 1)
        first = after[0]
        out_at_exit = ~self.poor_snapshots[first] & who
        curve: list[float | None] = []
        for year in range(k + 1):
            i = first + year
            if i >= len(self.poor_snapshots) or not out_at_exit.any():
                curve.append(None)
            else:
                curve.append(float((~self.poor_snapshots[i])[out_at_exit].mean()))
        return curve

    def summary(self, pop: Population, episodes: pd.DataFrame) -> dict[str, Any]:
        """The outcomes of the programme's households (``targeted``)."""
        who = pop.targeted
        n = max(int(who.sum()), 1)
        years = self.months / 12
        escaped, slid = self.backsliding()
        ep = episodes[episodes["household"].isin(np.flatnonzero(who))]
        rec = ep["food_recovery_months"].dropna()
        cost = self.prog.total_cost()
        children = self.child_months[who].sum()
        return {
            "households": int(who.sum()),
            "backsliding_share": float(slid[who].mean()) if who.any() else None,
            "escape_share": float(escaped[who].mean()) if who.any() else None,
            "backsliding_share_of_escapers": float(slid[who].sum() / escaped[who].sum())
            if escaped[who].any()
            else None,
            "months_below_survival": float(self.survival[who].mean() / years)
            if who.any()
            else None,
            "months_below_lp": float(self.lp[who].mean() / years) if who.any() else None,
            "recovery_months": float(rec.mean()) if len(rec) else None,
            "tlu_at_exit": _mean(self.tlu_at_exit, who),
            "tlu_after_exit": _mean(self.tlu_after_exit, who),
            "savings_at_exit": _mean(self.savings_at_exit, who),
            "savings_after_exit": _mean(self.savings_after_exit, who),
            "emergency_coping_share": float(self.emergency[who].mean() / self.months)
            if who.any()
            else None,
            "poverty_share_end": float(
                (
                    net_assets(pop, self.cfg)[who] < self.cfg.indicators.asset_poverty_line_fcfa
                ).mean()
            )
            if who.any()
            else None,
            "tlu_end": float(tlu(pop, self.cfg)[who].mean()) if who.any() else None,
            "savings_end": float(self.last_savings[:, who].mean()) if who.any() else None,
            "net_assets_end": float(net_assets(pop, self.cfg)[who].mean()) if who.any() else None,
            "gam_mean": float(self.gam_child_months[who].sum() / children) if children else None,
            "hdds_mean": float(self.hdds[who].mean() / self.months)
            if who.any() and self.months
            else None,
            "cost_fcfa": cost,
            "cost_per_household_fcfa": cost / n,
            "cost_per_household_usd": cost / n / self.prog.policy.fcfa_per_usd,
            "cost_per_backsliding_averted_fcfa": None,
            "costs_by_instrument_fcfa": dict(sorted(self.prog.costs.items())),
            "still_out_of_poverty": self.still_out_curve(who),
        }
