"""Social pillar: nutrition education, listening clubs, women's empowerment, inclusion.

- **Nutrition education and cooking demonstrations**: participants learn practices (``practice``
  rises to the dose at the start; after exit it decays by ``decay`` a year). They act on the
  child through mechanisms, each bounded by the evidence that such programmes move wasting
  little (domain.md §9: Ruel & Alderman 2013; MAM'Out): ``hdds_gain`` food groups (moringa
  and baobab leaves, pulses: more diverse diets from the same food); hygiene, which prevents
  ``hygiene_illness_reduction`` of illness (hand-washing, safe weaning foods); infant feeding
  and care, which avoid ``feeding_buffer`` of the child's WHZ losses from illness, energy
  shortfall and carers' workload (:mod:`sim.processes.nutrition`).
- **Listening clubs and local platforms**: speed up the diffusion of field-school practices
  to non-participants (``diffusion_multiplier``; used in ``productive.learn``).
- **Women's empowerment**: women participants get a larger group-loan cap
  (``loan_multiple_bonus``; used in ``financial.lend``) and, controlling income, add
  ``hdds_gain`` food groups.
- **Inclusion of the most marginal**: very poor members keep up their group shares more
  often (``participation_gain``; used in ``financial.start_groups``).
All × the pillar's dose.
"""

from __future__ import annotations

import numpy as np

from sim.config import ModelConfig
from sim.policies.programme import Programme
from sim.population import Population


def deliver(prog: Programme, pop: Population, t: int, cfg: ModelConfig) -> None:
    """Update learned practices and this month's diet and WHZ gains; book yearly costs."""
    so = cfg.policy.social
    d = prog.dose
    who = prog.participants
    if d.nutrition_education > 0:
        if prog.active(t):
            pop.practice = np.where(
                who, np.maximum(pop.practice, d.nutrition_education), pop.practice
            )
        elif t >= prog.exit:
            pop.practice = pop.practice * prog.terms.practice_kept
    pop.hdds_bonus = pop.practice * so.nutrition_education.hdds_gain + prog.terms.women_hdds * (
        t >= prog.start
    )
    ne = so.nutrition_education
    pop.care = pop.practice * ne.feeding_buffer
    pop.illness_protection = 1 - (1 - pop.illness_protection) * (
        1 - pop.practice * ne.hygiene_illness_reduction
    )
    if prog.anniversary(t):
        villages = int(np.unique(pop.village[who]).size)
        prog.spend(
            "nutrition_education",
            int(who.sum()) * so.nutrition_education.cost * d.nutrition_education,
        )
        prog.spend("listening_clubs", villages * so.listening_clubs.cost * d.listening_clubs)
        prog.spend(
            "women_empowerment",
            int((who & pop.woman).sum()) * so.women_empowerment.cost * d.women_empowerment,
        )
        prog.spend(
            "inclusion", int((who & (pop.wealth == 0)).sum()) * so.inclusion.cost * d.inclusion
        )
