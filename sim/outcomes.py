"""Programme outcomes: what a package did for its households, over the run and after exit.

Tracked per household, for all households at once, and summarised for the programme's
(targeted) households in ``summary.json`` → ``outcomes``.

**Backsliding**, as a decision maker asks it: of the programme households above the asset
poverty line (net assets at normal prices, ``indicators.asset_poverty_line_fcfa``) at the
first yearly snapshot (December) at or after the programme's exit, the share that falls
below the line and stays below it for at least ``indicators.backsliding_persistence``
consecutive snapshots, starting within ``indicators.backsliding_window`` years after exit.
Years during the programme never count. Reported with it: ``escaped_at_exit_share`` (above
the line at exit, of all programme households), ``sustained_escape_share`` (above at exit
and still above at the last snapshot) and the counts behind the shares
(``escaped_households``, ``backsliding_households``). ``still_out_of_poverty`` is the
backsliding curve: the share of those above the line at exit who have not fallen back
(in the same sense) 0, 1, … ``indicators.curve_years`` years after exit.

Welfare, at exit (the last twelve programme months), at the endline (the first consumption
year, October to September, starting after exit: see :func:`endline_end`) and after exit (the
twelve months ending
``indicators.years_after_exit`` years after exit): ``consumption_*_fcfa_day`` (consumption
per adult equivalent and day: food eaten at the month's prices, home produce, non-food
spending), ``mahfp_*`` (months of adequate household food provisioning out of those twelve:
months whose energy needs were met), ``net_assets_*`` (FCFA) and ``tlu_*``; each with its
standard deviation across programme households (``*_sd``) so that effects can be read in SD
units. Also ``months_below_survival``, ``months_below_lp`` (per household per year),
``recovery_months``, ``emergency_coping_share``, ``poverty_share_end``, ``gam_mean``,
``hdds_mean``, savings at and after exit, costs per household and by instrument.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
import pandas as pd

from sim.config import ModelConfig
from sim.policies.programme import Programme
from sim.population import Population, adult_equivalents, net_assets, tlu

SNAPSHOT_MONTH = 12
"""Calendar month of the yearly poverty snapshot (before the lean season's sales)."""


def _mean(values: np.ndarray | None, who: np.ndarray) -> float | None:
    return float(values[who].mean()) if values is not None and who.any() else None


def _sd(values: np.ndarray | None, who: np.ndarray) -> float | None:
    return float(values[who].std()) if values is not None and who.sum() > 1 else None


def endline_end(exit_month: int, cfg: ModelConfig) -> int:
    """Month index just after the endline window: the first consumption year after exit.

    The HEA consumption year runs from the harvest month (October) to the next lean season
    (domain.md §1.1 [F]); the endline is the first one starting at or after the programme's
    exit, when the last harvest the programme supported has been eaten and no support is
    received: the graduation trials' endline, one year after the programme's end
    (Banerjee et al. 2015, domain.md §4.1).
    """
    month = (cfg.start_month - 1 + exit_month) % 12 + 1
    return exit_month + (cfg.crops.harvest_month - month) % 12 + 12


def persistent_fall(below: np.ndarray, persistence: int) -> np.ndarray:
    """Per snapshot and household: a run of ``persistence`` snapshots below the line starts here.

    Parameters
    ----------
    below
        Booleans, snapshots × households: below the poverty line at that snapshot.
    persistence
        Consecutive snapshots below the line that make a fall persistent.

    Returns
    -------
    numpy.ndarray
        Booleans of the same shape; the last ``persistence - 1`` rows are False (a run
        starting there cannot be confirmed yet).
    """
    k, n = below.shape
    starts = np.zeros((k, n), dtype=bool)
    for i in range(k - persistence + 1):
        starts[i] = below[i : i + persistence].all(axis=0)
    return starts


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
        self.emergency = np.zeros(n)
        self.after_exit_month = prog.exit + 12 * cfg.indicators.years_after_exit
        self.endline_month = endline_end(prog.exit, cfg)
        self.ae = adult_equivalents(pop, cfg)
        # rolling twelve months: savings, consumption per adult equivalent a day, needs met
        self.last_savings = np.zeros((12, n))
        self.last_consumption = np.zeros((12, n))
        self.last_fed = np.zeros((12, n), dtype=bool)
        self.at: dict[str, dict[str, np.ndarray]] = {}
        ind = cfg.indicators
        self._constants = (ind.gam_whz, cfg.consumption.days_per_month, 1 - ind.deficit_tolerance)

    def update(self, t: int, pop: Population, calendar_month: int) -> None:
        """Add month ``t``."""
        cfg = self.cfg
        self.months += 1
        _add_month(
            t % 12,
            (self.survival, self.lp, self.hdds, self.gam_child_months, self.child_months),
            self.emergency,
            (self.last_savings, self.last_consumption, self.last_fed),
            (pop.survival_deficit, pop.lp_deficit, pop.hdds, pop.whz, pop.under5, pop.coping),
            (pop.savings, pop.fund_equity, pop.consumption, pop.kcal_adequacy, self.ae),
            self._constants,
        )
        if t >= self.prog.start and calendar_month == SNAPSHOT_MONTH:
            self.poor_snapshots.append(
                net_assets(pop, cfg) < cfg.indicators.asset_poverty_line_fcfa
            )
            self.snapshot_months.append(t)
        windows = (
            ("at_exit", self.prog.exit),
            ("endline", self.endline_month),
            ("after_exit", self.after_exit_month),
        )
        for label, month in windows:
            if t + 1 == month and t >= 11:
                self.at[label] = self._window(pop)

    def _window(self, pop: Population) -> dict[str, np.ndarray]:
        """The twelve months just ended: welfare, food provisioning, assets, savings.

        ``consumption_sd`` is the SD across programme households of a month's consumption (as
        a single-visit survey measures it), mean over the twelve months.
        """
        who = pop.targeted
        monthly_sd = self.last_consumption[:, who].std(axis=1).mean() if who.sum() > 1 else np.nan
        return {
            "consumption_sd": np.asarray(monthly_sd),
            "consumption": self.last_consumption.mean(axis=0),
            "mahfp": self.last_fed.sum(axis=0).astype(float),
            "net_assets": net_assets(pop, self.cfg),
            "tlu": tlu(pop, self.cfg),
            "savings": self.last_savings.mean(axis=0),
        }

    # ------------------------------------------------------------------ backsliding
    def _after_exit(self) -> tuple[np.ndarray, int] | None:
        """Snapshots from the first one at or after exit (below the line?), and its index."""
        after = [i for i, t in enumerate(self.snapshot_months) if t >= self.prog.exit]
        if not after:
            return None
        return np.vstack(self.poor_snapshots[after[0] :]), after[0]

    def backsliding(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per household: above the line at exit; fell back persistently; still above at the end."""
        n = len(self.survival)
        found = self._after_exit()
        if found is None:
            z = np.zeros(n, dtype=bool)
            return z, z, z
        below, _ = found
        ind = self.cfg.indicators
        escaped = ~below[0]
        window = below[1 : 1 + ind.backsliding_window + ind.backsliding_persistence - 1]
        starts = persistent_fall(window, ind.backsliding_persistence)[: ind.backsliding_window]
        fell = escaped & starts.any(axis=0)
        sustained = escaped & ~below[-1]
        return escaped, fell, sustained

    def still_out_curve(self, who: np.ndarray) -> list[float | None]:
        """Backsliding curve: of those above the line at exit, the share not fallen back by year k.

        A household has fallen back by year ``k`` after exit when a persistent fall (see
        :func:`persistent_fall`) starts at a snapshot 1 … ``k`` years after exit; years whose
        persistence cannot be confirmed before the run ends are ``None``.
        """
        ind = self.cfg.indicators
        k = ind.curve_years
        found = self._after_exit()
        if found is None:
            return [None] * (k + 1)
        below, _ = found
        escaped = ~below[0] & who
        if not escaped.any():
            return [None] * (k + 1)
        starts = persistent_fall(below, ind.backsliding_persistence)
        curve: list[float | None] = []
        for year in range(k + 1):
            if year + ind.backsliding_persistence - 1 >= len(below):
                curve.append(None)
                continue
            fell = starts[1 : year + 1].any(axis=0) if year else np.zeros_like(escaped)
            curve.append(float((~fell)[escaped].mean()))
        return curve

    # ------------------------------------------------------------------ summary
    def summary(self, pop: Population, episodes: pd.DataFrame) -> dict[str, Any]:
        """The outcomes of the programme's households (``targeted``)."""
        who = pop.targeted
        any_ = bool(who.any())
        n = max(int(who.sum()), 1)
        years = self.months / 12
        escaped, fell, sustained = self.backsliding()
        ep = episodes[episodes["household"].isin(np.flatnonzero(who))]
        rec = ep["food_recovery_months"].dropna()
        cost = self.prog.total_cost()
        children = self.child_months[who].sum()
        n_escaped = int((escaped & who).sum())
        out: dict[str, Any] = {
            "households": int(who.sum()),
            "backsliding_share": float((fell & who).sum() / n_escaped) if n_escaped else None,
            "escaped_at_exit_share": float(escaped[who].mean()) if any_ else None,
            "sustained_escape_share": float(sustained[who].mean()) if any_ else None,
            "escaped_households": n_escaped,
            "backsliding_households": int((fell & who).sum()),
            "months_below_survival": float(self.survival[who].mean() / years) if any_ else None,
            "months_below_lp": float(self.lp[who].mean() / years) if any_ else None,
            "recovery_months": float(rec.mean()) if len(rec) else None,
        }
        for label in ("at_exit", "endline", "after_exit"):
            window = self.at.get(label, {})
            for name in ("consumption", "mahfp", "net_assets", "tlu", "savings"):
                key = f"{name}_{label}" + ("_fcfa_day" if name == "consumption" else "")
                out[key] = _mean(window.get(name), who)
                if name == "consumption" and "consumption_sd" in window:
                    out[key + "_sd"] = float(window["consumption_sd"])
                elif name != "savings":
                    out[key + "_sd"] = _sd(window.get(name), who)
        net = net_assets(pop, self.cfg)
        out.update(
            {
                "emergency_coping_share": float(self.emergency[who].mean() / self.months)
                if any_
                else None,
                "poverty_share_end": float(
                    (net[who] < self.cfg.indicators.asset_poverty_line_fcfa).mean()
                )
                if any_
                else None,
                "tlu_end": float(tlu(pop, self.cfg)[who].mean()) if any_ else None,
                "savings_end": float(self.last_savings[:, who].mean()) if any_ else None,
                "net_assets_end": float(net[who].mean()) if any_ else None,
                "gam_mean": float(self.gam_child_months[who].sum() / children)
                if children
                else None,
                "hdds_mean": float(self.hdds[who].mean() / self.months)
                if any_ and self.months
                else None,
                "cost_fcfa": cost,
                "cost_per_household_fcfa": cost / n,
                "cost_per_household_usd": cost / n / self.prog.policy.fcfa_per_usd,
                "cost_per_backsliding_averted_fcfa": None,
                "costs_by_instrument_fcfa": dict(sorted(self.prog.costs.items())),
                "still_out_of_poverty": self.still_out_curve(who),
            }
        )
        return out


@numba.njit(cache=True, nogil=True)
def _add_month(
    slot, totals, emergency, rolling, state, money, constants
):  # pragma: no cover - compiled
    """One month of :meth:`OutcomeTracker.update`'s sums, household by household, in place.

    The numpy expressions' arithmetic: months below survival and livelihood protection, the
    diversity score, wasted child-months (``under5 × (whz < gam_whz)``) and child-months,
    months of emergency coping added; in slot ``slot`` of the rolling twelve months, savings
    (shares plus the claim on the fund), consumption per adult equivalent and day
    (``consumption / ae / days``) and needs met (``kcal_adequacy >= 1 - tolerance``).
    """
    survival, lp, hdds, gam_child_months, child_months = totals
    last_savings, last_consumption, last_fed = rolling
    deficit, lp_deficit, score, whz, under5, coping = state
    savings, fund_equity, consumption, kcal, ae = money
    gam_whz, days, fed = constants
    for i in range(survival.size):
        survival[i] += deficit[i]
        lp[i] += lp_deficit[i]
        hdds[i] += score[i]
        gam_child_months[i] += under5[i] * (whz[i] < gam_whz)
        child_months[i] += under5[i]
        last_savings[slot, i] = savings[i] + fund_equity[i]
        last_consumption[slot, i] = consumption[i] / ae[i] / days
        last_fed[slot, i] = kcal[i] >= fed
        emergency[i] += coping[i] == 3
