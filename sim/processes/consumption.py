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
from typing import NamedTuple

import numpy as np

from sim.config import ModelConfig
from sim.ledger import Ledger
from sim.population import Population
from sim.prepared import PerRun
from sim.processes.consumption_kernel import (
    FLOWS,
    ConsumptionConstants,
    NeedConstants,
    consume_month,
)
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


def need_constants(cfg: ModelConfig) -> NeedConstants:
    """The constants of :func:`~sim.processes.consumption_kernel.need_kg` (``conf/consumption``)."""
    c = cfg.consumption
    w = c.child_ae_weight
    return NeedConstants(
        child_weight=w,
        average=1 - cfg.population.child_share * (1 - w),
        kcal_per_person_day=c.kcal_per_person_day,
        days_per_month=c.days_per_month,
        kcal_per_kg=c.kcal_per_kg,
    )


class ConsumptionTables(NamedTuple):
    """What the consumption and saving passes read that depends only on world and configuration."""

    in_kind_share: np.ndarray  # by wealth group, share of needs met in kind
    millet_paid: np.ndarray  # by month and village, FCFA/kg (dearer in conflict)
    need: NeedConstants
    constants: tuple[ConsumptionConstants, ...]  # by calendar month


def _tables(world: World, cfg: ModelConfig) -> ConsumptionTables:
    c = cfg.consumption
    ins = cfg.shocks.insecurity
    price_paid = world.shocks.insecurity.price_paid
    return ConsumptionTables(
        in_kind_share=np.asarray(c.in_kind_share, dtype=float),
        # the month's regional price times each village's conflict factor, as local_prices
        millet_paid=world.prices["millet"][: price_paid.shape[0], None] * price_paid,
        need=need_constants(cfg),
        constants=tuple(
            ConsumptionConstants(
                displaced_in_kind_factor=ins.displaced_in_kind_factor,
                survival_nonfood=c.survival_nonfood,
                displaced_shelter_cost=ins.displaced_shelter_cost,
                livelihood_protection=c.livelihood_protection,
                inputs_per_ha=c.inputs_per_ha,
                # seed, tools, veterinary drugs: livelihood protection, not consumption
                input_month=m == c.input_month,
            )
            for m in range(1, 13)
        ),
    )


tables = PerRun(_tables)
"""The consumption pass's :class:`ConsumptionTables` of a world and configuration."""


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
    ``rations_kg`` (food assistance) are eaten like in-kind food. One compiled pass over
    households (:func:`sim.processes.consumption_kernel.consume_month`) does the month.
    """
    run = tables(world, cfg)
    constants = run.constants[int(world.calendar.month[t]) - 1]
    n = pop.village.size
    short, flows = consume_month(
        pop.cash,
        pop.grain_kg,
        pop.size,
        pop.workers,
        pop.children,
        pop.land_ha,
        pop.displaced,
        pop.wealth,
        pop.village,
        run.in_kind_share,
        _each(rations_kg, n),
        _each(bills, n),
        run.millet_paid[t],
        constants,
        run.need,
    )
    ledger.book(FLOWS if constants.input_month else FLOWS[:-1], flows)
    need, eaten, missing, nonfood, livelihood = short
    return Shortfall(
        need_kg=need, eaten_kg=eaten, food_kg=missing, nonfood=nonfood, livelihood=livelihood
    )


def _each(values: np.ndarray | float, n: int) -> np.ndarray:
    """``values`` as a contiguous float array of one value per household."""
    if (
        isinstance(values, np.ndarray)
        and values.shape == (n,)
        and values.dtype == np.float64
        and values.flags.c_contiguous
    ):
        return values
    return np.ascontiguousarray(np.broadcast_to(np.asarray(values, dtype=float), (n,)))
