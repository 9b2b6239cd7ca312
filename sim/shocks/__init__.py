"""Shocks: drought, flood, price spike, livestock and human disease, insecurity, in regimes.

Covariate shock events are drawn up front for the whole horizon from the ``shocks`` stream
(insecurity from its own ``insecurity`` stream) by :func:`draw_events`, with array shapes
that never depend on anything but the horizon and the number of villages; scheduled shocks
are added on top: the regime's own ``shocks.regime_schedule``, fitted to the horizon
(:func:`fit_schedule`), and the user's ``shocks.schedule``. A replay file
(``shocks.replay.file``, :mod:`sim.shocks.replay`) replaces the random events of the years
and kinds it covers. Events depend only on the seed, the regime and the file, never on the
intervention package, so packages compared with the same seed face the same shocks. Each
module holds one shock: how its events are drawn and what they do to households.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.config import ModelConfig, ScheduledShock
from sim.shocks import (
    drought,
    flood,
    human_disease,
    insecurity,
    livestock_disease,
    price_spike,
    replay,
)
from sim.shocks.common import LOG_COLUMNS as LOG_COLUMNS
from sim.shocks.common import EventRows as EventRows
from sim.shocks.common import log_frame as log_frame
from sim.shocks.common import log_rows as log_rows
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
    insecurity
        Conflict per village and month and the factors households read from it
        (:class:`sim.shocks.insecurity.InsecurityEvents`).
    rows
        The event log's rows, in the order of drawing (:data:`EventRows`); :attr:`log` is the
        table, built on first use.
    dropped
        Entries of the regime's own schedule that fall outside the run, with the reason.
    """

    drought: drought.DroughtEvents
    flood: np.ndarray
    harvest_factor: np.ndarray
    price_log_rise: np.ndarray
    ppr: np.ndarray
    newcastle: np.ndarray
    epidemic: np.ndarray
    insecurity: insecurity.InsecurityEvents
    rows: EventRows
    dropped: tuple[tuple[ScheduledShock, str], ...] = ()

    def village_hit(self, t: int) -> np.ndarray:
        """Villages struck by a covariate shock in month ``t`` (starts resilience episodes).

        Droughts and dry spells strike at the harvest they spoil; floods and epizootics in
        their month; conflict in the month it breaks out in the village (calm the month
        before); price spikes and epidemics strike every village when they start. A row of
        :attr:`villages_hit` (a copy).
        """
        return self.villages_hit[t].copy()

    @functools.cached_property
    def villages_hit(self) -> np.ndarray:
        """:meth:`village_hit` of every month, shape (months, villages), made on first use."""
        hit = (self.flood > 0) | (self.ppr > 0) | (self.newcastle > 0)
        months = len(hit)
        harvests, struck = self.drought.harvest_months, self.drought.struck
        at_harvest = np.zeros_like(hit)
        for s in reversed(range(len(harvests))):  # the first season harvested in a month counts
            if 0 <= harvests[s] < months:
                at_harvest[harvests[s]] = struck[s]
        hit |= at_harvest
        severity = self.insecurity.severity
        calm_before = np.ones_like(hit)
        calm_before[1:] = severity[:-1] == 0
        hit |= (severity > 0) & calm_before
        for t in self._regional_months:
            if 0 <= t < months:
                hit[t] = True
        return hit

    @functools.cached_property
    def months_struck(self) -> dict[str, tuple[bool, ...]]:
        """Per month, whether any village has a ``flood``, an ``epizootic`` or livestock ``theft``."""
        theft = self.insecurity.theft_share
        return {
            "flood": tuple((self.flood != 0).any(axis=1).tolist()),
            "epizootic": tuple(((self.ppr != 0) | (self.newcastle != 0)).any(axis=1).tolist()),
            "theft": tuple((theft != 0).any(axis=1).tolist()),
        }

    @functools.cached_property
    def log(self) -> pd.DataFrame:
        """The event log: one row per event (see :data:`LOG_COLUMNS`), by month, type, village."""
        log = log_frame(self.rows)
        return log.sort_values(["month", "type", "village"], kind="stable").reset_index(drop=True)

    @functools.cached_property
    def _regional_months(self) -> frozenset[int]:
        """Months in which a price spike or an epidemic starts (read once from the log)."""
        regional = ("price_spike", "human_disease")
        return frozenset(int(row[0]) for row in self.rows if row[1] in regional)


def draw_events(
    cfg: ModelConfig,
    calendar,
    villages,
    rng: np.random.Generator,
    conflict_rng: np.random.Generator,
    *,
    observed: replay.Replay | None = None,
    replayed_rain: np.ndarray | None = None,
) -> ShockEvents:
    """Draw the covariate shocks of a run and add the scheduled and replayed ones.

    Parameters
    ----------
    rng, conflict_rng
        The ``shocks`` and ``insecurity`` streams.
    observed
        The run's replay file, or None.
    replayed_rain
        Replayed rainfall per season row and village, NaN where the file is silent.
    """
    sh = cfg.shocks
    kept, dropped = fit_schedule(cfg)
    schedule = (*kept, *sh.schedule)
    covered = functools.partial(replay.covered_years, observed)
    d = drought.draw(sh.drought, cfg, calendar, villages.count, schedule, rng, replayed_rain)
    flood_file = epi_file = conflict_file = None
    if observed is not None:
        n = villages.count
        flood_file = replay.events(
            observed,
            "flood",
            cfg,
            n,
            everywhere=villages.flood_exposed,
            default_month=sh.flood.month,
        )
        epi_file = replay.events(observed, "epizootic", cfg, n, default_month=1)
        conflict_file = replay.events(observed, "insecurity", cfg, n)
    f, f_by_year, f_log = flood.draw(
        sh.flood,
        cfg,
        calendar,
        villages.flood_exposed,
        schedule,
        rng,
        replayed=flood_file,
        covered_years=covered("flood"),
    )
    harvest_factor = d.yield_factor.copy()
    harvest_factor[1 : cfg.years + 1] *= flood.crop_factor(f_by_year, sh.flood)
    p, p_log = price_spike.draw(
        sh.price_spike,
        cfg,
        calendar,
        schedule,
        rng,
        replayed=[] if observed is None else replay.spikes(observed, cfg),
        covered_years=covered("millet") | covered("price_spike"),
    )
    ppr, ncd, l_log = livestock_disease.draw(
        sh.livestock_disease,
        cfg,
        calendar,
        villages.count,
        schedule,
        rng,
        replayed=epi_file,
        covered_years=covered("epizootic"),
    )
    e, e_log = human_disease.draw(sh.human_disease, cfg, calendar, schedule, rng)
    conflict = insecurity.draw(
        sh.insecurity,
        cfg,
        calendar,
        villages.count,
        schedule,
        conflict_rng,
        replayed=conflict_file,
        covered_years=covered("insecurity"),
    )
    rows = (*d.log, *f_log, *p_log, *l_log, *e_log, *conflict.log)
    return ShockEvents(d, f, harvest_factor, p, ppr, ncd, e, conflict, rows, dropped)


def fit_schedule(
    cfg: ModelConfig,
) -> tuple[tuple[ScheduledShock, ...], tuple[tuple[ScheduledShock, str], ...]]:
    """The regime's own schedule fitted to the run: the entries kept, and those dropped.

    An entry is dropped when its year is at or beyond the horizon, or when it is dated
    (flood, price spike, epizootic, insecurity) before the run's first month. The user's
    ``shocks.schedule`` is not fitted: :func:`sim.config.check_consistency` refuses it.
    """
    sh = cfg.shocks
    default_month = {
        "flood": sh.flood.month,
        "price_spike": sh.price_spike.month,
        "livestock_disease": 1,
        "insecurity": 1,
    }
    kept, dropped = [], []
    for entry in sh.regime_schedule:
        if entry.year >= cfg.years:
            dropped.append((entry, f"year {entry.year} is beyond the run's {cfg.years} years"))
            continue
        month = entry.month or default_month.get(entry.type, 0)
        if entry.type in default_month and entry.year == 0 and month < cfg.start_month:
            dropped.append((entry, f"month {month} of year 0 is before the run starts"))
            continue
        kept.append(entry)
    return tuple(kept), tuple(dropped)


def dropped_summary(events: ShockEvents) -> list[dict[str, object]]:
    """The regime's schedule entries dropped from the run, for ``summary.json``."""
    return [
        {
            "type": e.type,
            "year": e.year,
            "severity": e.severity,
            "month": e.month,
            "reason": reason,
        }
        for e, reason in events.dropped
    ]


def strike(pop, world, t: int, cfg: ModelConfig, draws, ledger) -> tuple[np.ndarray, np.ndarray]:
    """Apply this month's shocks to households: illness, floods, epizootics, livestock theft.

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
    struck = ev.months_struck
    if struck["flood"][t]:  # else no repair bill to add
        bills = bills + flood.strike(pop, t, ev.flood[t], cfg.shocks.flood, draws, ledger)
    if struck["epizootic"][t]:
        livestock_disease.strike(pop, t, ev.ppr[t], ev.newcastle[t], draws, ledger)
    if struck["theft"][t]:
        insecurity.steal(pop, t, ev.insecurity, draws, ledger)
    return bills, exposed
