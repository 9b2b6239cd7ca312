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

import numba
import numpy as np
import pandas as pd

from sim.config import WEALTH_GROUPS, ModelConfig
from sim.population import Population, tlu, tlu_kernel, tlu_weights

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
        self._food = np.ones((n, 12))  # ring buffer of monthly energy adequacy, per household
        self._filled = 0
        self.last_food = np.ones(n)
        self.last_tlu = np.array(tlu(pop, cfg), dtype=float)
        self._tlu_weights = tlu_weights(cfg)
        self.open = np.zeros(n, dtype=bool)
        self.start = np.zeros(n, dtype=np.int64)
        self.shocks = np.zeros(n, dtype=np.int64)
        self.pre = {k: np.zeros(n) for k in ("food", "tlu")}
        self.low = {k: np.zeros(n) for k in ("food", "tlu")}
        self.dipped = {k: np.zeros(n, dtype=bool) for k in ("food", "tlu")}
        self.recovered = {k: np.full(n, -1, dtype=np.int64) for k in ("food", "tlu")}
        self._closed: list[tuple[np.ndarray, ...]] = []  # the state of episodes closed

    def update(self, t: int, pop: Population, village_hit: np.ndarray) -> None:
        """Record month ``t``: open episodes where shocks struck, follow and close the others.

        One compiled pass over households (:func:`follow_episodes`).
        """
        self._filled = self._filled + 1 if self._filled < 12 else 12
        ended = follow_episodes(
            t,
            pop.kcal_adequacy,
            self._food,
            self._filled,
            (pop.sr_female, pop.sr_other, pop.cattle, pop.poultry, self._tlu_weights),
            village_hit,
            pop.village,
            (self.open, self.start, self.shocks),
            (self.pre["food"], self.low["food"], self.dipped["food"], self.recovered["food"]),
            (self.pre["tlu"], self.low["tlu"], self.dipped["tlu"], self.recovered["tlu"]),
            (self.last_food, self.last_tlu),
            (FOOD_TOLERANCE, self.asset_tolerance),
            NO_LOSS_MONTHS,
        )
        if ended.size:
            self._closed.append(self._state_of(ended))
            self.open[ended] = False

    def _state_of(self, idx: np.ndarray) -> tuple[np.ndarray, ...]:
        """The episode state of households ``idx`` (copies), in :meth:`_columns`' order."""
        pre, low, recovered = self.pre, self.low, self.recovered
        return (
            idx,
            self.wealth[idx],
            self.start[idx],
            self.shocks[idx],
            pre["food"][idx],
            low["food"][idx],
            recovered["food"][idx],
            pre["tlu"][idx],
            low["tlu"][idx],
            recovered["tlu"][idx],
        )

    @staticmethod
    def _columns(state: tuple[np.ndarray, ...]) -> dict[str, np.ndarray]:
        """The episode columns of a state from :meth:`_state_of`, wealth group as codes."""
        idx, wealth, start, shocks, pre_food, low_food, rec_food, pre_tlu, low_tlu, rec_tlu = state

        def months(recovered: np.ndarray) -> np.ndarray:
            r = recovered.astype(float)
            return np.where(r >= 0, r, np.nan)

        return {
            "household": idx.astype("int64"),
            "wealth_group": wealth,
            "start_month": start,
            "shocks": shocks,
            "pre_food": pre_food,
            "food_depth": np.maximum(pre_food - low_food, 0.0),
            "food_recovery_months": months(rec_food),
            "pre_tlu": pre_tlu,
            "tlu_depth": np.maximum(pre_tlu - low_tlu, 0.0),
            "tlu_recovery_months": months(rec_tlu),
        }

    def episodes(self) -> pd.DataFrame:
        """All episodes: closed ones, then those still open (censored)."""
        parts = [*self._closed, self._state_of(np.flatnonzero(self.open))]
        state = tuple(np.concatenate([p[k] for p in parts]) for k in range(len(parts[0])))
        cols = self._columns(state)
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


@numba.njit(cache=True, nogil=True)
def follow_episodes(
    t,
    kcal_adequacy,
    food,
    filled,
    herds,
    village_hit,
    village,
    episode,
    food_state,
    tlu_state,
    last,
    tol,
    no_loss,
):  # pragma: no cover - compiled
    """One month of :class:`ResilienceTracker` for every household, in place.

    The arithmetic and decisions of the tracker's numpy version, household by household:
    the 12-month mean energy adequacy (the ring buffer's filled slots added in slot order, then
    divided by their number), episodes opened where a shock strikes a household without one,
    each indicator's low, dip and recovery followed, the month's levels kept for the next.

    Parameters
    ----------
    t
        Month index.
    kcal_adequacy
        Energy intake over needs this month, per household (kept in the ring at most 1).
    food
        Ring buffer of monthly energy adequacy (n × 12, slot ``t % 12`` this month's); its
        first ``filled`` slots are filled.
    filled
        Slots of ``food`` filled, this month's included.
    herds
        ``(sr_female, sr_other, cattle, poultry, weights)``: the herds now, head, and the TLU
        per head (TLU now by :func:`sim.population.tlu`'s kernel).
    village_hit, village
        Per village, whether a covariate shock struck this month; each household's village.
    episode
        ``(open, start, shocks)``: an episode is open; month it opened; shocks counted in it.
    food_state, tlu_state
        Per indicator ``(pre, low, dipped, recovered)``: pre-shock level, lowest level, fell
        below the pre-shock level, months to recovery (-1: not yet).
    last
        ``(food, tlu)`` levels at the end of last month (updated to this month's).
    tol
        ``(food, tlu)``: shortfalls that still count as at the pre-shock level.
    no_loss
        Months after which an indicator that never fell is unaffected.

    Returns
    -------
    numpy.ndarray
        The households whose episode ended this month (still marked open), in row order.
    """
    is_open, start, shocks = episode
    pre_food, low_food, dipped_food, recovered_food = food_state
    pre_tlu, low_tlu, dipped_tlu, recovered_tlu = tlu_state
    last_food, last_tlu = last
    sr_female, sr_other, cattle, poultry, weights = herds
    tlu_now = tlu_kernel(sr_female, sr_other, cattle, poultry, weights)
    n = village.size
    done = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        kcal = kcal_adequacy[i]
        food[i, t % 12] = 1.0 if kcal >= 1.0 else kcal  # food security: needs met (NaN kept)
        total = food[i, 0]
        for r in range(1, filled):
            total += food[i, r]
        now_food = total / filled
        hit = village_hit[village[i]]
        if hit and is_open[i]:
            shocks[i] += 1
        if hit and not is_open[i]:
            is_open[i] = True
            start[i] = t
            shocks[i] = 1
            pre_food[i] = low_food[i] = last_food[i]
            pre_tlu[i] = low_tlu[i] = last_tlu[i]
            dipped_food[i] = dipped_tlu[i] = False
            recovered_food[i] = recovered_tlu[i] = -1
        if is_open[i]:
            elapsed = t - start[i]
            low_food[i], dipped_food[i], recovered_food[i] = _follow(
                pre_food[i],
                low_food[i],
                dipped_food[i],
                recovered_food[i],
                now_food,
                tol[0],
                elapsed,
                no_loss,
            )
            low_tlu[i], dipped_tlu[i], recovered_tlu[i] = _follow(
                pre_tlu[i],
                low_tlu[i],
                dipped_tlu[i],
                recovered_tlu[i],
                tlu_now[i],
                tol[1],
                elapsed,
                no_loss,
            )
            done[i] = recovered_food[i] >= 0 and recovered_tlu[i] >= 0
        last_food[i] = now_food
        last_tlu[i] = tlu_now[i]
    return np.flatnonzero(done)


@numba.njit(cache=True, nogil=True, inline="always")
def _follow(pre, low, dipped, recovered, now, tol, elapsed, no_loss):  # pragma: no cover - compiled
    """One indicator of an open episode: its low, dip and recovery after this month."""
    if recovered >= 0:  # recovered already: no longer followed
        return low, dipped, recovered
    if low == low and not now >= low:  # np.minimum(low, now), NaN too
        low = now
    below = now < pre - tol
    dipped = dipped or below
    if dipped and not below:
        recovered = elapsed
    elif not dipped and elapsed >= no_loss:
        recovered = 0
    return low, dipped, recovered
