"""Displacement: households flee conflict, live away from home, and come back when it is calm.

Since 2017 insecurity has displaced about five times as many people of central Mali as
before (domain.md §9 [F]). Each month a household of a village in conflict flees with the
probability ``displacement_probability`` × severity (``shocks.insecurity``). Fleeing, it
loses each of its animals with probability ``displaced_herd_loss`` (left behind, looted, sold
for nothing) and ``displaced_grain_loss`` of its grain stock. Away from home
(``pop.displaced``) it farms no field and no garden, earns ``displaced_income_factor`` of its
labour and trade income (:mod:`sim.processes.income`), receives ``displaced_in_kind_factor``
of its in-kind food and pays ``displaced_shelter_cost`` per person a year on top of its
survival spending (:mod:`sim.processes.consumption`); it takes no part in its savings group's
meetings and the programme's deliveries wait for its return (:mod:`sim.policies`).
Humanitarian food aid (:func:`aid`) covers all its energy needs in its first
``aid_full_months`` away and ``aid_partial_share`` of them until ``aid_partial_months``
(WFP's rule in Mali, domain.md and docs/calibration.md). A displaced household whose village
is calm this month returns with the monthly probability of a hazard ``return_rate`` a year.
Units: head, kg.
"""

from __future__ import annotations

import numpy as np

from sim.config import ModelConfig
from sim.draws import MonthDraws
from sim.ledger import Ledger
from sim.population import Population, household_need_kg
from sim.rates import monthly_hazard_probability
from sim.shocks.common import lose_animals
from sim.world import World


def move(
    pop: Population, world: World, t: int, cfg: ModelConfig, draws: MonthDraws, ledger: Ledger
) -> None:
    """Households of villages in conflict flee; displaced households of calm villages return."""
    ins = cfg.shocks.insecurity
    ev = world.shocks.insecurity
    back = pop.displaced & (ev.severity[t, pop.village] == 0)
    if back.any():  # drawn only where someone may return or flee (no uniform is below 0)
        back &= draws.u("return") < monthly_hazard_probability(ins.return_rate)
    p_flight = ev.displacement_probability[t, pop.village]
    flee = ~pop.displaced & (p_flight > 0)
    if flee.any():
        flee &= draws.u("flight") < p_flight
    pop.displaced = (pop.displaced & ~back) | flee
    pop.displaced_months = np.where(pop.displaced, pop.displaced_months + 1, 0)
    if flee.any():
        leave_behind(pop, flee, ins.displaced_herd_loss, ins.displaced_grain_loss, draws, ledger)


def aid(pop: Population, cfg: ModelConfig) -> np.ndarray:
    """Humanitarian food aid to displaced households this month, kg (eaten as rations)."""
    ins = cfg.shocks.insecurity
    months = pop.displaced_months
    share = np.where(
        months <= ins.aid_full_months,
        1.0,
        np.where(months <= ins.aid_partial_months, ins.aid_partial_share, 0.0),
    )
    return np.where(pop.displaced, share * household_need_kg(pop, cfg), 0.0)


def leave_behind(
    pop: Population,
    flee: np.ndarray,
    herd_loss: float,
    grain_loss: float,
    draws: MonthDraws,
    ledger: Ledger,
) -> None:
    """What fleeing households lose: animals (each with ``herd_loss``), ``grain_loss`` of grain."""
    lose_animals(pop, np.where(flee, herd_loss, 0.0), "flight", "displacement", draws, ledger)
    grain = pop.grain_kg * grain_loss * flee
    pop.grain_kg -= grain
    ledger.add("grain", "displacement", -grain)
