"""Dietary diversity and child nutrition.

HDDS (0-12; domain.md §3.6) is the wealth group's usual diversity, plus garden produce in
gardening months, plus milk and eggs for households with at least one TLU, plus food groups
bought beyond the staple (``hdds_diverse_food`` per 1,000 FCFA per person a month), less
groups dropped when energy intake falls short.

Each household with under-fives follows one index child's weight-for-height z-score. The
child's WHZ moves each month a share ``adjust_rate`` of the way to a target: the child's own
baseline, raised or lowered by diet diversity around a reference, and lowered by three
losses: an energy shortfall (intake above needs does not fatten a child), a month of illness
(drawn in ``sim/shocks/human_disease``), and carers' farm workload, which peaks with planting
and weeding in the rains (less time to feed and care; the labour profile of ``conf/income``).
Better infant feeding and care (``pop.care``, social pillar) avoid a share of the losses. Index children
are replaced at the rate under-fives age out. GAM is WHZ < -2 (WHO 2006; domain.md §3.7).
"""

from __future__ import annotations

import numpy as np

from sim.config import ModelConfig
from sim.draws import MonthDraws
from sim.population import Population, tlu
from sim.world import World


def dietary_diversity(pop: Population, world: World, t: int, cfg: ModelConfig) -> np.ndarray:
    """Household dietary diversity score this month, 0 to ``nutrition.hdds_max``."""
    nu = cfg.nutrition
    m = int(world.calendar.month[t])
    gardening = (m in cfg.income.garden_months) & (pop.garden_ha > 0)
    score = (
        np.asarray(nu.hdds_base)[pop.wealth]
        + nu.hdds_garden * gardening
        + nu.hdds_livestock * (tlu(pop, cfg) >= 1.0)
        + nu.hdds_diverse_food * pop.diverse_food / pop.size / 1000
        + pop.hdds_bonus
        - nu.hdds_shortfall * np.maximum(1 - pop.kcal_adequacy, 0.0)
    )
    return np.clip(score, 0.0, nu.hdds_max)


def workload(cfg: ModelConfig, month: int) -> float:
    """Carers' farm workload in calendar ``month``, 0-1 (share of the busiest month's)."""
    profile = np.asarray(cfg.income.labour_profile)
    return float(profile[month - 1] / profile.max()) if profile.max() > 0 else 0.0


def update(pop: Population, world: World, t: int, cfg: ModelConfig, draws: MonthDraws) -> None:
    """Update HDDS and the index child's WHZ (illness was drawn by ``sim.shocks``)."""
    nu = cfg.nutrition
    pop.hdds = dietary_diversity(pop, world, t, cfg)
    new_child = draws.u("child_turnover") < nu.child_turnover
    fresh = nu.whz_mean + nu.whz_sd * draws.z("child_whz")
    pop.whz_base = np.where(new_child, fresh, pop.whz_base)
    pop.whz = np.where(new_child, fresh, pop.whz)
    losses = (
        nu.kcal_effect * np.maximum(1 - pop.kcal_adequacy, 0.0)
        + nu.illness_effect * pop.ill
        + nu.workload_effect * workload(cfg, int(world.calendar.month[t]))
    )
    target = (
        pop.whz_base + nu.hdds_effect * (pop.hdds - nu.hdds_reference) - losses * (1 - pop.care)
    )
    pop.whz = pop.whz + nu.adjust_rate * (target - pop.whz)
