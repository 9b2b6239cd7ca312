"""Flood: flood-exposed villages lose crops, stored grain and animals and pay for repairs.

In a flood year each exposed village is hit with probability ``village_probability`` in month
``month``; severity scales the losses: the season's harvest × (1 − crop_loss × severity),
stored grain × (1 − grain_loss × severity), each animal lost with probability
animal_loss × severity, and a repair bill of repair_cost × severity (FCFA). Villages that are
not exposed are never flooded by random or scheduled floods (a replay file may flood any
village it names). A flood year spoils that year's harvest. Sources: domain.md §5.1 (2013,
2018 floods in Mopti).
"""

from __future__ import annotations

import numpy as np

from sim.config import FloodConfig, ModelConfig
from sim.draws import MonthDraws
from sim.ledger import Ledger
from sim.population import Population
from sim.shocks.common import EventRows, lose_village_animals


def draw(
    cfg: FloodConfig,
    model: ModelConfig,
    calendar,
    exposed: np.ndarray,
    schedule,
    rng: np.random.Generator,
    *,
    replayed: np.ndarray | None = None,
    covered_years: frozenset[int] = frozenset(),
) -> tuple[np.ndarray, np.ndarray, EventRows]:
    """Flood severity per month and village, per year and village, and the log of floods.

    ``replayed``: flood severity per month and village from a replay file (or None); the
    years in ``covered_years`` have no random flood, the file's floods instead.
    """
    from sim.shocks.common import log_rows, month_index, scheduled

    years, villages = model.years, len(exposed)
    occurs = rng.random(years) < cfg.probability
    village_hit = rng.random((years, villages)) < cfg.village_probability
    severity = rng.uniform(cfg.severity_min, cfg.severity_max, (years, villages))
    occurs &= ~np.isin(model.start_year + np.arange(years), sorted(covered_years))
    sev = np.where(occurs[:, None] & village_hit & exposed[None, :], severity, 0.0)
    for entry in scheduled(schedule, "flood"):
        sev[entry.year] = np.maximum(sev[entry.year], np.where(exposed, entry.severity, 0.0))
    out = np.zeros((model.months, villages))
    for k in range(years):
        t = month_index(model, k, cfg.month)
        month_entries = [e.month for e in scheduled(schedule, "flood") if e.year == k and e.month]
        if month_entries:
            t = month_index(model, k, month_entries[0])
        if t is None:
            continue
        out[t] = sev[k]
    if replayed is not None:
        out = np.maximum(out, replayed)
        year = calendar.year - model.start_year
        inside = year < years
        np.maximum.at(sev, year[inside], replayed[inside])  # a flood year spoils its harvest
    rows = [
        (int(t), "flood", "village", int(v), -1, float(out[t, v]))
        for t, v in zip(*np.nonzero(out), strict=True)
    ]
    return out, sev, log_rows(rows)


def strike(
    pop: Population,
    t: int,
    severity_by_village: np.ndarray,
    cfg: FloodConfig,
    draws: MonthDraws,
    ledger: Ledger,
) -> np.ndarray:
    """Apply this month's floods to households; return the repair bill per household (FCFA)."""
    sev = severity_by_village[pop.village]
    if not sev.any():
        return np.zeros(pop.n)
    grain = pop.grain_kg * cfg.grain_loss * sev
    pop.grain_kg -= grain
    ledger.add("grain", "flood", -grain)
    lose_village_animals(
        pop, cfg.animal_loss * severity_by_village, "flood", "flood", draws, ledger
    )
    return cfg.repair_cost * sev


def crop_factor(severity_by_village: np.ndarray, cfg: FloodConfig) -> np.ndarray:
    """Harvest multiplier of a village flooded during the growing season."""
    return 1 - cfg.crop_loss * severity_by_village
