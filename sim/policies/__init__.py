"""Interventions of the three CdR pillars, partner services, targeting and costs.

A package (``conf/package/<name>.yaml``, placed at ``policy``) switches instruments on and
sets their doses; :class:`~sim.policies.programme.Programme` holds its state in a run. The
functions below are the programme's moments in the month, called by
:meth:`sim.model.ResilienceModel.step`.
"""

from __future__ import annotations

import numpy as np

from sim.config import ModelConfig
from sim.draws import MonthDraws
from sim.ledger import Ledger
from sim.policies import financial, partners, productive, social
from sim.policies.programme import Programme
from sim.population import Population
from sim.world import World

__all__ = ["Programme", "after_harvest", "deliver", "group_meeting", "relieve", "save", "treat"]


def deliver(
    prog: Programme,
    pop: Population,
    world: World,
    t: int,
    cfg: ModelConfig,
    draws: MonthDraws,
    ledger: Ledger,
) -> np.ndarray:
    """Start-of-month deliveries; return food rations per household (kg).

    Deliveries reach the households :attr:`~Programme.present` this month; those a conflict
    keeps out of reach (displaced, or in a village whose activities are interrupted) receive
    their kits, animals and transfers when they are back within reach.
    """
    prog.attend(pop, world.shocks.insecurity.interrupted[t])
    if t == prog.start:
        financial.start_groups(prog, pop, cfg, draws.u("vsla_dropout"))
    partners.protect(prog, pop, t, cfg)
    productive.deliver(prog, pop, world, t, cfg, ledger)
    financial.cash_transfer(prog, pop, world, t, cfg, ledger)
    social.deliver(prog, pop, t, cfg)
    return partners.food_rations(prog, pop, world, t, cfg, ledger)


def relieve(
    prog: Programme,
    pop: Population,
    world: World,
    t: int,
    bills: np.ndarray,
    ledger: Ledger,
    hit: np.ndarray | None = None,
) -> None:
    """After the month's shocks: social-fund grants for bills, contingency payouts.

    ``hit`` holds the villages a covariate shock strikes this month
    (``world.shocks.village_hit(t)``, which the step also gives the resilience tracker);
    computed here when not given.
    """
    financial.social_fund_grant(prog, pop, bills, ledger)
    if hit is None:
        hit = world.shocks.village_hit(t)
    financial.contingency_payout(prog, pop, t, hit, ledger)


def after_harvest(
    prog: Programme,
    pop: Population,
    world: World,
    t: int,
    cfg: ModelConfig,
    harvest_kg: np.ndarray,
    ledger: Ledger,
) -> None:
    """In the harvest month: warrantage storage and the season's learning."""
    if int(world.calendar.month[t]) != cfg.crops.harvest_month:
        return
    financial.warrantage_store(prog, pop, world, t, harvest_kg, cfg, ledger)
    productive.learn(prog, pop, t, cfg)


def save(
    prog: Programme, pop: Population, world: World, t: int, cfg: ModelConfig, ledger: Ledger
) -> None:
    """After income: members buy their group shares out of what exceeds essentials."""
    financial.buy_shares(prog, pop, world, t, cfg, ledger)


def group_meeting(
    prog: Programme,
    pop: Population,
    world: World,
    t: int,
    cfg: ModelConfig,
    draws: MonthDraws,
    ledger: Ledger,
) -> None:
    """The month's group business: shares, repayments, share-out; warrantage release."""
    financial.group_cycle(prog, pop, world, t, cfg, ledger, draws)
    financial.value_claims(prog, pop)
    financial.warrantage_release(prog, pop, world, t, cfg, ledger)


def treat(prog: Programme, pop: Population, t: int, cfg: ModelConfig) -> None:
    """After the nutrition update: treatment of acute malnutrition (partner services)."""
    partners.treat(prog, pop, t, cfg)
