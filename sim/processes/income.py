"""Cash income other than livestock sales.

Sources: farm labour, petty trade and firewood, migrants' remittances and dry-season market
gardening.

Annual amounts by wealth group (``conf/income``; domain.md §1.2, §5.2) are spread over the
months by seasonal profiles; labour and trade vary month to month per household (lognormal).
Labour sold and trade income (labour activities too: petty trade, firewood, straw) scale with
the household's workers over the group's typical number; trade income also with its
persistent trade ability and its village's market access relative to the average village;
remittances go to the households with a migrant (``population.migrant_share``), so the
group's mean is kept. A
month of illness costs a share of labour income; a poor growing season (June-November) needs
fewer hands (``sim/shocks``). Conflict in the village cuts labour, trade and remittances to
its share of market access left (``shocks.insecurity``: markets cut off, labour migration
blocked); a displaced household earns ``displaced_income_factor`` of its labour and trade
income where it lives, keeps its remittances and has no garden. Units: FCFA.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from sim.config import ModelConfig
from sim.draws import MonthDraws
from sim.ledger import Ledger
from sim.population import Population
from sim.prepared import PerRun
from sim.shocks.drought import labour_factor
from sim.world import World


def lognormal_factor(z: np.ndarray, cv: float) -> np.ndarray:
    """Mean-one lognormal multiplier with coefficient of variation ``cv`` from normals ``z``."""
    s = np.sqrt(np.log1p(cv**2))
    return np.exp(s * z - s**2 / 2)


def typical_workers(cfg: ModelConfig) -> np.ndarray:
    """Workers of a household of the middle of its group's size range, by wealth group.

    ``labour_days`` and ``trade_firewood`` are given for such a household; a household's
    labour and trade income scale with its workers over this number.
    """
    p = cfg.population
    mean_size = (np.asarray(p.size_min, float) + np.asarray(p.size_max, float)) / 2
    return mean_size * (1 - p.child_share)


FLOWS: tuple[tuple[str, str], ...] = (
    ("cash", "labour"),
    ("cash", "trade"),
    ("cash", "remittances"),
    ("cash", "garden"),
)
"""Ledger accounts and names of the rows of the income pass's flows, in booking order."""


class IncomeConstants(NamedTuple):
    """Parameters of the month's income pass (``conf/income``; FCFA, shares)."""

    labour_profile: float  # this month's share of the year's labour days
    wage: float
    labour_loss: float
    remittance_profile: float
    displaced_income_factor: float
    gardening: bool  # a gardening month
    garden_net_revenue: float
    garden_months: int
    garden_own_use: float


class IncomeTables(NamedTuple):
    """What the income pass reads that depends only on the world and the configuration."""

    labour_days: np.ndarray  # by wealth group, days a year
    typical: np.ndarray  # by wealth group, workers (:func:`typical_workers`)
    trade_firewood: np.ndarray  # by wealth group, FCFA a year
    per_migrant: np.ndarray  # by wealth group, FCFA a year
    access: np.ndarray  # by village, market access over the mean village's
    calm: np.ndarray  # by village, ones: labour demand outside the growing season
    constants: tuple[IncomeConstants, ...]  # by calendar month


def _tables(world: World, cfg: ModelConfig) -> IncomeTables:
    inc = cfg.income
    access = world.villages.market_access
    per_migrant = np.asarray(inc.remittances) / np.asarray(cfg.population.migrant_share)
    return IncomeTables(
        labour_days=np.asarray(inc.labour_days, dtype=float),
        typical=typical_workers(cfg),
        trade_firewood=np.asarray(inc.trade_firewood, dtype=float),
        per_migrant=np.asarray(per_migrant, dtype=float),
        access=access / access.mean(),
        calm=np.ones(world.villages.count),
        constants=tuple(
            IncomeConstants(
                labour_profile=inc.labour_profile[m - 1],
                wage=inc.wage,
                labour_loss=cfg.shocks.human_disease.labour_loss,
                remittance_profile=inc.remittance_profile[m - 1],
                displaced_income_factor=cfg.shocks.insecurity.displaced_income_factor,
                gardening=m in inc.garden_months,
                garden_net_revenue=inc.garden_net_revenue,
                garden_months=len(inc.garden_months),
                garden_own_use=inc.garden_own_use,
            )
            for m in range(1, 13)
        ),
    )


_per_run = PerRun(_tables)


def earn(
    pop: Population, world: World, t: int, cfg: ModelConfig, draws: MonthDraws, ledger: Ledger
) -> None:
    """Credit this month's labour, trade, remittance and garden income to cash.

    Amounts by wealth group and village are set once a run (:class:`IncomeTables`); the
    lognormal noise is numpy's (its ``exp``); one compiled pass over households
    (:func:`_income_month`) does the rest.
    """
    inc = cfg.income
    tables = _per_run(world, cfg)
    constants = tables.constants[int(world.calendar.month[t]) - 1]
    growing = world.growing_rain(t)
    # a poor growing season needs fewer hands
    growing_factor = (
        labour_factor(growing / cfg.climate.rain_mean_mm, cfg.shocks.drought)
        if growing is not None
        else tables.calm
    )
    cash = ledger.flows["cash"]
    flows, home_produce, income = _income_month(
        pop.wealth,
        pop.village,
        pop.workers,
        pop.ill,
        pop.trade_ability,
        pop.migrant,
        pop.displaced,
        pop.garden_ha,
        pop.garden_gain,
        pop.home_produce,
        pop.cash,
        cash["offtake_sales"] if "offtake_sales" in cash else np.zeros(pop.village.size),
        lognormal_factor(draws.z("labour"), inc.income_noise_cv),
        lognormal_factor(draws.z("trade"), inc.income_noise_cv),
        tables.labour_days,
        tables.typical,
        tables.trade_firewood,
        tables.per_migrant,
        tables.access,
        growing_factor,
        growing is not None,
        world.shocks.insecurity.market_access[t],
        constants,
    )
    if constants.gardening:
        pop.home_produce = home_produce
    pop.income = income
    ledger.book(FLOWS, flows)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _income_month(  # pragma: no cover - compiled
    wealth,
    village,
    workers,
    ill,
    trade_ability,
    migrant,
    displaced,
    garden_ha,
    garden_gain,
    home_produce,
    cash,
    offtake_sales,
    labour_noise,
    trade_noise,
    labour_days,
    typical,
    trade_firewood,
    per_migrant,
    access,
    growing_factor,
    growing,
    access_now,
    c,
):
    """Income by source per household; ``cash`` credited in place.

    Labour: the group's labour days × workers over the group's typical number × the month's
    profile × the wage × noise × (1 − labour lost to illness) × the growing season's demand;
    trade: the group's yearly amount / 12 × the village's market access over the mean × trade
    ability × workers ratio × noise; remittances to households with a migrant; each × the
    market access conflict leaves (a displaced household: ``displaced_income_factor`` of
    labour and trade, all its remittances, no garden). Every product is taken in the order of
    the numpy expressions the pass replaced, so the numbers are the same.

    Returns
    -------
    tuple
        The flows of :data:`FLOWS` (labour, trade, remittances, garden sales: one row each),
        home produce (garden's own use added in a gardening month) and the month's income
        (these plus the offtake sales), FCFA.
    """
    n = wealth.size
    flows = np.empty((4, n))
    produce_out = np.empty(n)
    income = np.empty(n)
    for i in range(n):
        w, v = wealth[i], village[i]
        ratio = workers[i] / typical[w]
        sick = 1.0 if ill[i] else 0.0
        lab = (
            labour_days[w]
            * ratio
            * c.labour_profile
            * c.wage
            * labour_noise[i]
            * (1 - c.labour_loss * sick)
        )
        if growing:
            lab = lab * growing_factor[v]
        trd = trade_firewood[w] / 12 * access[v] * trade_ability[i] * ratio * trade_noise[i]
        rem = (1.0 if migrant[i] else 0.0) * per_migrant[w] * c.remittance_profile
        if displaced[i]:
            lab = lab * c.displaced_income_factor
            trd = trd * c.displaced_income_factor
            rem = rem * 1.0
        else:
            lab = lab * access_now[v]
            trd = trd * access_now[v]
            rem = rem * access_now[v]
        grd = 0.0
        produce_out[i] = home_produce[i]
        if c.gardening:
            produce = garden_ha[i] * (1 + garden_gain[i]) * c.garden_net_revenue / c.garden_months
            if displaced[i]:
                produce = 0.0
            grd = produce * (1 - c.garden_own_use)
            produce_out[i] = home_produce[i] + produce * c.garden_own_use
        total = lab + trd + rem + grd
        cash[i] += total
        income[i] = total + offtake_sales[i]
        flows[0, i], flows[1, i], flows[2, i], flows[3, i] = lab, trd, rem, grd
    return flows, produce_out, income
