"""Price spike: a market-wide jump of cereal prices, independent of the local harvest.

A spike of severity s raises the log price by ``log(1 + s × max_rise)`` at its peak, reached
linearly over ``ramp_months`` from its start, then decays by ``persistence`` per month: the
2011-2012 path (Bamako millet 140 → 285 FCFA/kg in a year, still high in 2013) at severity 1.
No random spike starts in a year whose millet prices or price spikes a replay file gives (the
observed prices hold whatever happened; a file's spike is that year's). Sources: domain.md §5.2.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.config import ModelConfig, PriceSpikeConfig
from sim.shocks.common import EventRows


def path(months: int, start: int, severity: float, cfg: PriceSpikeConfig) -> np.ndarray:
    """Log price rise of one spike over the horizon."""
    peak = np.log1p(severity * cfg.max_rise)
    t = np.arange(months) - start
    ramp = np.clip((t + 1) / cfg.ramp_months, 0.0, 1.0)
    decay = cfg.persistence ** np.maximum(t + 1 - cfg.ramp_months, 0)
    return np.where(t >= 0, peak * ramp * decay, 0.0)


def draw(
    cfg: PriceSpikeConfig,
    model: ModelConfig,
    calendar,
    schedule,
    rng: np.random.Generator,
    *,
    replayed: Sequence[tuple[int, float]] = (),
    covered_years: frozenset[int] = frozenset(),
) -> tuple[np.ndarray, EventRows]:
    """Log millet-price rise per month from random, scheduled and replayed spikes, and their log.

    ``replayed``: (month index, severity) of a replay file's spikes.
    """
    from sim.shocks.common import log_rows, month_index, scheduled

    years = model.years
    occurs = rng.random(years) < cfg.probability
    severity = rng.uniform(cfg.severity_min, cfg.severity_max, years)
    start_month = rng.integers(1, 13, years)
    occurs &= ~np.isin(model.start_year + np.arange(years), sorted(covered_years))
    spikes = []
    for k in np.flatnonzero(occurs):
        t = month_index(model, int(k), int(start_month[k]))
        if t is not None:
            spikes.append((t, float(severity[k])))
    for entry in scheduled(schedule, "price_spike"):
        t = month_index(model, entry.year, entry.month or cfg.month)
        if t is not None:
            spikes.append((t, entry.severity))
    spikes += list(replayed)
    rise = np.zeros(model.months)
    for t, sev in spikes:
        rise = np.maximum(rise, path(model.months, t, sev, cfg))
    rows = [(t, "price_spike", "region", -1, -1, sev) for t, sev in spikes]
    return rise, log_rows(rows)
