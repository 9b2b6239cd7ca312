"""Human disease: household illness, seasonal with malaria in the rains, and epidemic years.

Each month a household falls ill (a child or a carer) with the month's probability,
multiplied in the rainy season (June-October) of an epidemic year. Illness costs the
household health spending (``health_cost``), a share of the month's labour income
(``labour_loss``, in ``processes/income``) and lowers the index child's WHZ
(``processes/nutrition``). Sources: domain.md §3.7 (lean-season SMART surveys), §7 fact 13.
"""

from __future__ import annotations

import numpy as np

from sim.config import HumanDiseaseConfig, ModelConfig
from sim.draws import MonthDraws
from sim.population import Population
from sim.shocks.common import EventRows

RAINY_MONTHS = (6, 7, 8, 9, 10)
"""Calendar months an epidemic year raises illness in (the rains and their aftermath)."""


def draw(
    cfg: HumanDiseaseConfig, model: ModelConfig, calendar, schedule, rng: np.random.Generator
) -> tuple[np.ndarray, EventRows]:
    """Illness multiplier per month from random and scheduled epidemic years, and their log."""
    from sim.shocks.common import log_rows, scheduled

    year_index = calendar.year - model.start_year
    years = int(year_index.max()) + 1  # calendar years touched: one more unless it starts in Jan
    occurs = rng.random(years) < cfg.epidemic_probability
    severity = np.where(occurs, 1.0, 0.0)
    for entry in scheduled(schedule, "human_disease"):
        severity[entry.year] = max(severity[entry.year], entry.severity)
    in_rains = np.isin(calendar.month, RAINY_MONTHS)
    sev_t = np.where(in_rains, severity[year_index], 0.0)
    multiplier = 1 + sev_t * (cfg.epidemic_multiplier - 1)
    rows = []
    for k in np.flatnonzero(severity):
        months = np.flatnonzero((year_index == k) & in_rains)
        if months.size:
            rows.append((int(months[0]), "human_disease", "region", -1, -1, float(severity[k])))
    return multiplier, log_rows(rows)


def fall_ill(
    pop: Population, month: int, multiplier: float, cfg: HumanDiseaseConfig, draws: MonthDraws
) -> tuple[np.ndarray, np.ndarray]:
    """Set who is ill this month.

    A household is exposed with the month's probability times its frailty; safe water prevents a share
    ``pop.illness_protection`` of its illness. The exposure, not the prevented illness, is
    the shock: it is the same under every package.

    Returns
    -------
    bills, exposed
        Health bill per household (FCFA) and who was exposed.
    """
    p = np.minimum(1.0, cfg.illness_probability[month - 1] * multiplier * pop.frailty)
    exposed = draws.u("illness") < p
    pop.ill = exposed & (draws.u("illness_prevented") >= pop.illness_protection)
    return cfg.health_cost * pop.ill, exposed
