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

from typing import NamedTuple

import numba
import numpy as np

from sim.config import ModelConfig
from sim.draws import MonthDraws
from sim.population import Population
from sim.prepared import PerRun
from sim.world import World


def workload(cfg: ModelConfig, month: int) -> float:
    """Carers' farm workload in calendar ``month``, 0-1 (share of the busiest month's)."""
    profile = np.asarray(cfg.income.labour_profile)
    return float(profile[month - 1] / profile.max()) if profile.max() > 0 else 0.0


class NutritionConstants(NamedTuple):
    """Parameters of the month's nutrition pass (``conf/nutrition``, ``conf/livestock``)."""

    gardening_month: bool
    hdds_garden: float
    hdds_livestock: float
    hdds_diverse_food: float
    hdds_shortfall: float
    hdds_max: float
    tlu_small_ruminant: float
    tlu_cattle: float
    tlu_poultry: float
    child_turnover: float
    whz_mean: float
    whz_sd: float
    kcal_effect: float
    illness_effect: float
    workload_effect: float
    workload: float  # carers' farm workload this month, 0-1
    hdds_effect: float
    hdds_reference: float
    adjust_rate: float


def _constants(cfg: ModelConfig, month: int) -> NutritionConstants:
    """The nutrition pass's parameters in calendar ``month``."""
    nu, lv = cfg.nutrition, cfg.livestock
    return NutritionConstants(
        gardening_month=month in cfg.income.garden_months,
        hdds_garden=nu.hdds_garden,
        hdds_livestock=nu.hdds_livestock,
        hdds_diverse_food=nu.hdds_diverse_food,
        hdds_shortfall=nu.hdds_shortfall,
        hdds_max=nu.hdds_max,
        tlu_small_ruminant=lv.tlu_small_ruminant,
        tlu_cattle=lv.tlu_cattle,
        tlu_poultry=lv.tlu_poultry,
        child_turnover=nu.child_turnover,
        whz_mean=nu.whz_mean,
        whz_sd=nu.whz_sd,
        kcal_effect=nu.kcal_effect,
        illness_effect=nu.illness_effect,
        workload_effect=nu.workload_effect,
        workload=workload(cfg, month),
        hdds_effect=nu.hdds_effect,
        hdds_reference=nu.hdds_reference,
        adjust_rate=nu.adjust_rate,
    )


def _tables(world: World, cfg: ModelConfig) -> tuple[np.ndarray, tuple[NutritionConstants, ...]]:
    """The usual HDDS by wealth group, and the pass's parameters by calendar month."""
    hdds_base = np.asarray(cfg.nutrition.hdds_base, dtype=float)
    return hdds_base, tuple(_constants(cfg, m) for m in range(1, 13))


_per_run = PerRun(_tables)


def update(pop: Population, world: World, t: int, cfg: ModelConfig, draws: MonthDraws) -> None:
    """Update HDDS and the index child's WHZ (illness was drawn by ``sim.shocks``).

    One compiled pass over households (:func:`_nutrition_month`): the household dietary
    diversity score this month, 0 to ``nutrition.hdds_max``, then the index child's WHZ.
    """
    hdds_base, constants = _per_run(world, cfg)
    pop.hdds, pop.whz_base, pop.whz = _nutrition_month(
        hdds_base,
        pop.wealth,
        pop.garden_ha,
        pop.sr_female,
        pop.sr_other,
        pop.cattle,
        pop.poultry,
        pop.diverse_food,
        pop.size,
        pop.hdds_bonus,
        pop.kcal_adequacy,
        pop.ill,
        pop.care,
        pop.whz_base,
        pop.whz,
        draws.u("child_turnover"),
        draws.z("child_whz"),
        constants[int(world.calendar.month[t]) - 1],
    )


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _nutrition_month(  # pragma: no cover - compiled
    hdds_base,
    wealth,
    garden_ha,
    sr_female,
    sr_other,
    cattle,
    poultry,
    diverse_food,
    size,
    hdds_bonus,
    kcal_adequacy,
    ill,
    care,
    whz_base,
    whz,
    u_turnover,
    z_whz,
    c,
):
    """New HDDS, baseline WHZ and WHZ per household.

    HDDS: the wealth group's usual score, plus ``hdds_garden`` in a gardening month for a
    household with a garden, ``hdds_livestock`` with at least one TLU, ``hdds_diverse_food``
    per 1,000 FCFA of diverse food per person, the programme's bonus, less ``hdds_shortfall``
    per unit of energy shortfall, clipped to [0, ``hdds_max``]. Every sum is taken in the
    order of the numpy expressions the pass replaced, so the numbers are the same.
    """
    n = wealth.size
    hdds = np.empty(n)
    new_base = np.empty(n)
    new_whz = np.empty(n)
    for i in range(n):
        gardening = 1.0 if c.gardening_month and garden_ha[i] > 0 else 0.0
        herd = (
            c.tlu_small_ruminant * (sr_female[i] + sr_other[i])
            + c.tlu_cattle * cattle[i]
            + c.tlu_poultry * poultry[i]
        )
        shortfall = max(1 - kcal_adequacy[i], 0.0)
        score = (
            hdds_base[wealth[i]]
            + c.hdds_garden * gardening
            + c.hdds_livestock * (1.0 if herd >= 1.0 else 0.0)
            + c.hdds_diverse_food * diverse_food[i] / size[i] / 1000
            + hdds_bonus[i]
            - c.hdds_shortfall * shortfall
        )
        score = min(max(score, 0.0), c.hdds_max)
        base, current = whz_base[i], whz[i]
        if u_turnover[i] < c.child_turnover:  # a new index child
            base = current = c.whz_mean + c.whz_sd * z_whz[i]
        losses = (
            c.kcal_effect * shortfall
            + c.illness_effect * (1.0 if ill[i] else 0.0)
            + c.workload_effect * c.workload
        )
        target = base + c.hdds_effect * (score - c.hdds_reference) - losses * (1 - care[i])
        hdds[i] = score
        new_base[i] = base
        new_whz[i] = current + c.adjust_rate * (target - current)
    return hdds, new_base, new_whz
