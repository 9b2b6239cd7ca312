"""Shocks: drought, flood, price spike, livestock and human disease, combined in regimes.

Covariate shock events are drawn up front for the whole horizon from the ``shocks`` stream
(:func:`draw_events`), with array shapes that never depend on anything but the horizon and
the number of villages; scheduled shocks (``shocks.schedule``) are added on top. Events depend
only on the seed and the regime, never on the intervention package, so packages compared
with the same seed face the same shocks. Each module holds one shock: how its events are
drawn and what they do to households.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.config import ModelConfig
from sim.shocks import drought, flood, human_disease, livestock_disease, price_spike
from sim.shocks.common import LOG_COLUMNS as LOG_COLUMNS
from sim.shocks.common import log_frame as log_frame
from sim.shocks.common import month_index as month_index
from sim.shocks.common import scheduled as scheduled


@dataclass(frozen=True)
class ShockEvents:
    """Every covariate shock of a run.

    Attributes
    ----------
    drought
        Drought deficits and dry-spell losses per season and village.
    flood
        Flood severity per month and village.
    harvest_factor
        Harvest multiplier per season row (row s+1 = season s) and village: dry spells and
        floods during the growing season.
    price_log_rise
        Log multiplier of millet prices per month from price spikes.
    ppr, newcastle
        Share of small ruminants / poultry killed per month and village.
    epidemic
        Illness probability multiplier per month.
    log
        The event log (one row per event; see :data:`LOG_COLUMNS`).
    """

    drought: drought.DroughtEvents
    flood: np.ndarray
    harvest_factor: np.ndarray
    price_log_rise: np.ndarray
    ppr: np.ndarray
    newcastle: np.ndarray
    epidemic: np.ndarray
    log: pd.DataFrame

    def village_hit(self, t: int) -> np.ndarray:
        """Villages struck by a covariate shock in month ``t`` (starts resilience episodes).

        Droughts and dry spells strike at the harvest they spoil; floods and epizootics in
        their month; price spikes and epidemics strike every village when they start.
        """
        hit = (self.flood[t] > 0) | (self.ppr[t] > 0) | (self.newcastle[t] > 0)
        hit |= self.drought.hit_at_harvest(t)
        if t in self._regional_months:
            hit = np.ones_like(hit)
        return hit

    @functools.cached_property
    def _regional_months(self) -> frozenset[int]:
        """Months in which a price spike or an epidemic starts (read once from the log)."""
        regional = self.log["type"].isin(["price_spike", "human_disease"])
        return frozenset(int(m) for m in self.log.loc[regional, "month"])


def draw_events(cfg: ModelConfig, calendar, villages, rng: np.random.Generator) -> ShockEvents:
    """Draw the covariate shocks of a run and add the scheduled ones."""
    sh = cfg.shocks
    schedule = sh.schedule
    d = drought.draw(sh.drought, cfg, calendar, villages.count, schedule, rng)
    f, f_by_year, f_log = flood.draw(sh.flood, cfg, calendar, villages.flood_exposed, schedule, rng)
    harvest_factor = d.yield_factor.copy()
    harvest_factor[1 : cfg.years + 1] *= flood.crop_factor(f_by_year, sh.flood)
    p, p_log = price_spike.draw(sh.price_spike, cfg, calendar, schedule, rng)
    ppr, ncd, l_log = livestock_disease.draw(
        sh.livestock_disease, cfg, calendar, villages.count, schedule, rng
    )
    e, e_log = human_disease.draw(sh.human_disease, cfg, calendar, schedule, rng)
    log = pd.concat([d.log, f_log, p_log, l_log, e_log], ignore_index=True)
    log = log.sort_values(["month", "type", "village"], kind="stable").reset_index(drop=True)
    return ShockEvents(d, f, harvest_factor, p, ppr, ncd, e, log)


def strike(pop, world, t: int, cfg: ModelConfig, draws, ledger) -> tuple[np.ndarray, np.ndarray]:
    """Apply this month's shocks to households: illness, floods, epizootics.

    Returns
    -------
    bills, exposed
        Bills due this month per household (health care, repairs), FCFA; and which
        households were exposed to illness (the logged shock).
    """
    ev = world.shocks
    month = int(world.calendar.month[t])
    bills, exposed = human_disease.fall_ill(
        pop, month, float(ev.epidemic[t]), cfg.shocks.human_disease, draws
    )
    bills = bills + flood.strike(pop, t, ev.flood[t], cfg.shocks.flood, draws, ledger)
    livestock_disease.strike(pop, t, ev.ppr[t], ev.newcastle[t], draws, ledger)
    return bills, exposed
