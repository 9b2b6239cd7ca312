"""Resilience episodes: how deep a household falls after a shock, how long it takes to recover.

An episode opens when a covariate shock strikes the household's village (``World.shocks``:
the harvest of a drought or dry-spell season, a flood, an epizootic; a price spike or an
epidemic strikes everyone) and no episode is open. Its pre-shock levels are the household's
12-month mean energy adequacy (food consumption) and its TLU (assets) at the end of the
month before. Further shocks during an open episode are counted in it. For each indicator
the episode records the depth of the loss (pre-shock level minus the lowest level reached)
and the months from the shock until the indicator, having fallen below its pre-shock level,
is back to it. An indicator that never falls below its pre-shock level within
``NO_LOSS_MONTHS`` counts as unaffected (depth 0, recovery 0). Episodes still open at the end
of the run are censored (recovery unknown).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config import WEALTH_GROUPS, ModelConfig
from sim.population import Population, tlu

NO_LOSS_MONTHS = 24
"""Months after which an indicator that never fell below its pre-shock level is unaffected."""

FOOD_TOLERANCE = 0.005
"""Shortfall of the 12-month mean energy adequacy that still counts as at the pre-shock level."""

EPISODE_COLUMNS: dict[str, str] = {
    "household": "row of the population table",
    "wealth_group": "HEA wealth group",
    "start_month": "month index of the shock that opened the episode",
    "shocks": "covariate shocks that struck during the episode",
    "pre_food": "12-month mean energy adequacy before the shock",
    "food_depth": "pre-shock minus lowest 12-month mean energy adequacy",
    "food_recovery_months": "months until 12-month mean energy adequacy was back (NaN: not yet)",
    "pre_tlu": "TLU before the shock",
    "tlu_depth": "pre-shock minus lowest TLU",
    "tlu_recovery_months": "months until the herd was back to its pre-shock TLU (NaN: not yet)",
}
"""Meaning and unit of every ``resilience.parquet`` column (the README lists them)."""


class ResilienceTracker:
    """Streams resilience episodes month by month, for all households at once."""

    def __init__(self, pop: Population, cfg: ModelConfig) -> None:
        n = pop.n
        self.cfg = cfg
        self.wealth = pop.wealth
        self.asset_tolerance = cfg.livestock.tlu_small_ruminant  # one goat
        self._food = np.ones((12, n))  # ring buffer of monthly energy adequacy
        self._filled = 0
        self.last_food = np.ones(n)
        self.last_tlu = tlu(pop, cfg)
        self.open = np.zeros(n, dtype=bool)
        self.start = np.zeros(n, dtype=np.int64)
        self.shocks = np.zeros(n, dtype=np.int64)
        self.pre = {k: np.zeros(n) for k in ("food", "tlu")}
        self.low = {k: np.zeros(n) for k in ("food", "tlu")}
        self.dipped = {k: np.zeros(n, dtype=bool) for k in ("food", "tlu")}
        self.recovered = {k: np.full(n, -1, dtype=np.int64) for k in ("food", "tlu")}
        self._closed: list[dict[str, np.ndarray]] = []

    def update(self, t: int, pop: Population, village_hit: np.ndarray) -> None:
        """Record month ``t``: open episodes where shocks struck, follow and close the others."""
        self._food[t % 12] = np.minimum(pop.kcal_adequacy, 1.0)  # food security: needs met
        self._filled = min(self._filled + 1, 12)
        now = {"food": self._food[: self._filled].mean(axis=0), "tlu": tlu(pop, self.cfg)}
        tol = {"food": FOOD_TOLERANCE, "tlu": self.asset_tolerance}
        hit = village_hit[pop.village]
        self.shocks += hit & self.open
        new = hit & ~self.open
        if new.any():
            self.open |= new
            self.start[new] = t
            self.shocks[new] = 1
            for k, last in (("food", self.last_food), ("tlu", self.last_tlu)):
                self.pre[k][new] = last[new]
                self.low[k][new] = last[new]
                self.dipped[k][new] = False
                self.recovered[k][new] = -1
        elapsed = t - self.start
        for k in ("food", "tlu"):
            following = self.open & (self.recovered[k] < 0)
            self.low[k] = np.where(following, np.minimum(self.low[k], now[k]), self.low[k])
            below = now[k] < self.pre[k] - tol[k]
            self.dipped[k] |= following & below
            back = following & self.dipped[k] & ~below
            unaffected = following & ~self.dipped[k] & (elapsed >= NO_LOSS_MONTHS)
            self.recovered[k] = np.where(back, elapsed, self.recovered[k])
            self.recovered[k] = np.where(unaffected, 0, self.recovered[k])
        done = self.open & (self.recovered["food"] >= 0) & (self.recovered["tlu"] >= 0)
        if done.any():
            self._close(done)
        self.last_food = now["food"]
        self.last_tlu = now["tlu"]

    def _close(self, rows: np.ndarray) -> None:
        idx = np.flatnonzero(rows)
        self._closed.append(self._columns(idx))
        self.open[idx] = False

    def _columns(self, idx: np.ndarray) -> dict[str, np.ndarray]:
        """The episode columns of households ``idx`` (copies), wealth group as codes."""

        def months(k: str) -> np.ndarray:
            r = self.recovered[k][idx].astype(float)
            return np.where(r >= 0, r, np.nan)

        return {
            "household": idx.astype("int64"),
            "wealth_group": self.wealth[idx],
            "start_month": self.start[idx],
            "shocks": self.shocks[idx],
            "pre_food": self.pre["food"][idx],
            "food_depth": np.maximum(self.pre["food"][idx] - self.low["food"][idx], 0.0),
            "food_recovery_months": months("food"),
            "pre_tlu": self.pre["tlu"][idx],
            "tlu_depth": np.maximum(self.pre["tlu"][idx] - self.low["tlu"][idx], 0.0),
            "tlu_recovery_months": months("tlu"),
        }

    def episodes(self) -> pd.DataFrame:
        """All episodes: closed ones, then those still open (censored)."""
        parts = [*self._closed, self._columns(np.flatnonzero(self.open))]
        cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        cols["wealth_group"] = pd.Categorical.from_codes(
            cols["wealth_group"], categories=list(WEALTH_GROUPS)
        )
        out = pd.DataFrame(cols)
        return out.sort_values(["start_month", "household"], kind="stable").reset_index(drop=True)


def summarise(episodes: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    """Resilience figures by wealth group and for all households."""
    out = {}
    groups = [(g, episodes[episodes["wealth_group"] == g]) for g in WEALTH_GROUPS]
    for name, e in [*groups, ("all", episodes)]:
        out[name] = {
            "episodes": int(len(e)),
            "food_depth_mean": _mean(e["food_depth"]),
            "tlu_depth_mean": _mean(e["tlu_depth"]),
            "food_recovery_months_median": _median(e["food_recovery_months"]),
            "tlu_recovery_months_median": _median(e["tlu_recovery_months"]),
            "food_recovered_within_12_months": _share(e["food_recovery_months"] <= 12, len(e)),
            "tlu_recovered_within_24_months": _share(e["tlu_recovery_months"] <= 24, len(e)),
        }
    return out


def _mean(x: pd.Series) -> float | None:
    return float(x.mean()) if len(x) else None


def _median(x: pd.Series) -> float | None:
    x = x.dropna()
    return float(x.median()) if len(x) else None


def _share(mask: pd.Series, n: int) -> float | None:
    return float(mask.sum() / n) if n else None
