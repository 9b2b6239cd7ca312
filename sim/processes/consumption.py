"""Consumption: needs, own stocks, in-kind food and purchases, and HEA spending thresholds.

Each month a household needs ``size × 2,100 kcal/day`` (domain.md §1.1), expressed in kg of
millet. It receives its group's in-kind share (labour paid in grain, gifts, wild foods), eats
from its own stock, and buys the rest at the month's millet price. Cash pays, in order, the
HEA survival non-food basket, the food purchases, then livelihood protection (health,
school, clothing), then farm inputs in the planting month (also livelihood protection, but
production costs rather than consumption). What cash cannot pay is left as a
shortfall for the coping process. Food is bought at the village's price (dearer in conflict,
:meth:`sim.world.World.local_prices`). A displaced household receives
``displaced_in_kind_factor`` of its in-kind food and pays ``displaced_shelter_cost`` a person
and year on top of its survival spending (:mod:`sim.processes.displacement`). Units: kg, FCFA.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import ModelConfig
from sim.ledger import Ledger
from sim.population import Population, household_need_kg
from sim.world import World


@dataclass
class Shortfall:
    """What the household could not meet from stocks and cash this month.

    Attributes
    ----------
    need_kg
        Food needs, kg.
    eaten_kg
        Food eaten so far (in kind + own stock + bought), kg.
    food_kg
        Food still missing, kg.
    nonfood
        Survival non-food spending still unpaid, FCFA.
    livelihood
        Livelihood-protection spending still unpaid, FCFA.
    """

    need_kg: np.ndarray
    eaten_kg: np.ndarray
    food_kg: np.ndarray
    nonfood: np.ndarray
    livelihood: np.ndarray


def pay(pop: Population, ledger: Ledger, due: np.ndarray, name: str) -> np.ndarray:
    """Pay as much of ``due`` (FCFA) as cash allows; return what is left unpaid."""
    paid = np.minimum(pop.cash, due)
    pop.cash -= paid
    ledger.add("cash", name, -paid)
    return due - paid


def buy_food(
    pop: Population, ledger: Ledger, kg: np.ndarray, price: float | np.ndarray
) -> np.ndarray:
    """Buy up to ``kg`` of millet at ``price`` FCFA/kg with cash; return the kg bought."""
    bought = np.minimum(kg, pop.cash / price)
    cost = np.minimum(bought * price, pop.cash)  # never more than the cash held (rounding)
    pop.cash -= cost
    ledger.add("cash", "food_purchases", -cost)
    ledger.add("food", "bought", bought)
    return bought


def consume(
    pop: Population,
    world: World,
    t: int,
    cfg: ModelConfig,
    ledger: Ledger,
    bills: np.ndarray,
    rations_kg: np.ndarray,
) -> Shortfall:
    """Feed every household from in-kind food, own stock and purchases; pay HEA spending.

    ``bills`` (FCFA: health care, repairs after a shock) are survival spending, due first;
    ``rations_kg`` (food assistance) are eaten like in-kind food.
    """
    c = cfg.consumption
    m = int(world.calendar.month[t])
    price = world.local_prices(t, pop.village).millet
    ins = cfg.shocks.insecurity
    need = household_need_kg(pop, cfg)
    in_kind = np.asarray(c.in_kind_share)[pop.wealth] * need
    in_kind = in_kind * np.where(pop.displaced, ins.displaced_in_kind_factor, 1.0)
    ledger.add("food", "in_kind", in_kind)
    rations = np.minimum(rations_kg, need - in_kind)
    ledger.add("food", "rations", rations)
    in_kind = in_kind + rations
    own = np.minimum(pop.grain_kg, need - in_kind)
    pop.grain_kg -= own
    ledger.add("grain", "eaten", -own)
    ledger.add("food", "own", own)

    bills_short = pay(pop, ledger, bills, "shock_bills")
    nonfood_due = pop.size * c.survival_nonfood / 12
    nonfood_due = nonfood_due + pop.displaced * pop.size * ins.displaced_shelter_cost / 12
    nonfood_short = pay(pop, ledger, nonfood_due, "survival_nonfood") + bills_short
    bought = buy_food(pop, ledger, need - in_kind - own, price)
    lp_short = pay(pop, ledger, pop.size * c.livelihood_protection / 12, "livelihood_protection")
    if m == c.input_month:  # seed, tools, veterinary drugs: livelihood protection, not consumption
        lp_short = lp_short + pay(pop, ledger, pop.land_ha * c.inputs_per_ha, "farm_inputs")
    eaten = in_kind + own + bought
    return Shortfall(
        need_kg=need,
        eaten_kg=eaten,
        food_kg=np.maximum(need - eaten, 0.0),
        nonfood=nonfood_short,
        livelihood=lp_short,
    )
