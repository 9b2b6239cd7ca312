"""Human disease: household illness, seasonal with malaria in the rains, and epidemic years.

Each month a household falls ill (a child or a carer) with the month's probability,
multiplied in the rainy season (June-October) of an epidemic year. Illness costs the
household health spending (``health_cost``), a share of the month's labour income
(``labour_loss``, in ``processes/income``) and lowers the index child's WHZ
(``processes/nutrition``). Sources: domain.md §3.7 (lean-season SMART surveys), §7 fact 13.
"""

from __future__ import annotations

import numba
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
    the shock: it is the same under every package. One compiled pass (:func:`_fall_ill`).

    Returns
    -------
    bills, exposed
        Health bill per household (FCFA) and who was exposed.
    """
    bills, exposed, pop.ill = _fall_ill(
        cfg.illness_probability[month - 1] * multiplier,
        pop.frailty,
        draws.u("illness"),
        draws.u("illness_prevented"),
        pop.illness_protection,
        cfg.health_cost,
    )
    return bills, exposed


@numba.njit(cache=True, nogil=True)
def _fall_ill(
    p_month, frailty, u_ill, u_prevented, protection, health_cost
):  # pragma: no cover - compiled
    """Exposure, illness and health bill per household, as the numpy expressions had them.

    ``p_month``: the month's illness probability (before frailty); the probability of a
    household is ``min(1, p_month × frailty)``.
    """
    n = frailty.size
    bills = np.empty(n)
    exposed = np.empty(n, dtype=np.bool_)
    ill = np.empty(n, dtype=np.bool_)
    for i in range(n):
        p = p_month * frailty[i]
        if 1.0 <= p:  # np.minimum(1.0, p), which keeps a NaN
            p = 1.0
        exposed[i] = u_ill[i] < p
        ill[i] = exposed[i] and u_prevented[i] >= protection[i]
        bills[i] = health_cost * (1.0 if ill[i] else 0.0)
    return bills, exposed, ill
