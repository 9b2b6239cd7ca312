"""Partner services of the joint plan (WFP, UNICEF), optional in any package.

- **Food assistance** (WFP): in ``months`` of programme years, targeted households up to
  ``max_wealth_group`` receive rations covering ``kcal_share`` of their energy needs.
- **Nutrition services** (UNICEF, CMAM): targeted households' under-fives are screened each
  month; a child with WHZ below -2 is treated and closes an extra ``recovery_gain`` of the
  gap to its baseline WHZ that month (cost per treated child-month).
- **Safe water and hygiene** (UNICEF): prevent ``illness_reduction`` of targeted households'
  illness (the exposure itself is still drawn and logged: shocks stay the same).
Active while ``policy.partners.enabled`` and the programme runs; rations reach only the
households within reach that month (:attr:`~sim.policies.programme.Programme.present`).
"""

from __future__ import annotations

import numpy as np

from sim.config import ModelConfig
from sim.ledger import Ledger
from sim.policies.programme import Programme
from sim.population import Population, household_need_kg
from sim.world import World


def food_rations(
    prog: Programme, pop: Population, world: World, t: int, cfg: ModelConfig, ledger: Ledger
) -> np.ndarray:
    """Rations this month, kg per household (eaten as in-kind food)."""
    fa = cfg.policy.partners.food_assistance
    m = int(world.calendar.month[t])
    if prog.dose.partners <= 0 or m not in fa.months or not prog.active(t):
        return np.zeros(pop.n)
    eligible = prog.participants & (pop.wealth <= fa.max_wealth_group) & prog.present
    kg = eligible * fa.kcal_share * household_need_kg(pop, cfg)
    prog.spend(
        "food_assistance", float(kg.sum()) * world.prices["millet"][t] * (1 + fa.logistics_share)
    )
    return kg


def protect(prog: Programme, pop: Population, t: int, cfg: ModelConfig) -> None:
    """Set the share of illness prevented (safe water) for this month; book its cost once."""
    w = cfg.policy.partners.wash
    on = prog.dose.partners > 0 and t >= prog.start
    pop.illness_protection = prog.terms.protection * on  # participants × illness_reduction
    if on and t == prog.start:
        prog.spend("wash", int(prog.participants.sum()) * w.cost)


def treat(prog: Programme, pop: Population, t: int, cfg: ModelConfig) -> None:
    """Treat targeted under-fives with WHZ below the GAM threshold (after the monthly update)."""
    ns = cfg.policy.partners.nutrition_services
    if prog.dose.partners <= 0 or not prog.active(t):
        return
    cases = prog.participants & (pop.under5 > 0) & (pop.whz < cfg.indicators.gam_whz)
    pop.whz = np.where(
        cases, pop.whz + ns.recovery_gain * np.maximum(pop.whz_base - pop.whz, 0.0), pop.whz
    )
    prog.spend("nutrition_services", float((cases * pop.under5).sum()) * ns.cost_per_case)
