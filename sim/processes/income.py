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


def earn(
    pop: Population, world: World, t: int, cfg: ModelConfig, draws: MonthDraws, ledger: Ledger
) -> None:
    """Credit this month's labour, trade, remittance and garden income to cash.

    Amounts by wealth group and village are set here; the lognormal noise is numpy's (its
    ``exp``); one compiled pass over households (:func:`_income_month`) does the rest.
    """
    inc = cfg.income
    m = int(world.calendar.month[t])
    access = world.villages.market_access
    growing = world.growing_rain(t)
    villages = world.villages.count
    # a poor growing season needs fewer hands
    growing_factor = (
        labour_factor(growing / cfg.climate.rain_mean_mm, cfg.shocks.drought)
        if growing is not None
        else np.ones(villages)
    )
    per_migrant = np.asarray(inc.remittances) / np.asarray(cfg.population.migrant_share)
    constants = IncomeConstants(
        labour_profile=inc.labour_profile[m - 1],
        wage=inc.wage,
        labour_loss=cfg.shocks.human_disease.labour_loss,
        growing=growing is not None,
        remittance_profile=inc.remittance_profile[m - 1],
        displaced_income_factor=cfg.shocks.insecurity.displaced_income_factor,
        gardening=m in inc.garden_months,
        garden_net_revenue=inc.garden_net_revenue,
        garden_months=len(inc.garden_months),
        garden_own_use=inc.garden_own_use,
    )
    labour, trade, remittances, garden, home_produce, income = _income_month(
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
        ledger.get("cash", "offtake_sales"),
        lognormal_factor(draws.z("labour"), inc.income_noise_cv),
        lognormal_factor(draws.z("trade"), inc.income_noise_cv),
        np.asarray(inc.labour_days, dtype=float),
        typical_workers(cfg),
        np.asarray(inc.trade_firewood, dtype=float),
        np.asarray(per_migrant, dtype=float),
        access / access.mean(),
        np.asarray(growing_factor, dtype=float),
        world.shocks.insecurity.market_access[t],
        constants,
    )
    if constants.gardening:
        pop.home_produce = home_produce
    pop.income = income
    ledger.add("cash", "labour", labour, owned=True)
    ledger.add("cash", "trade", trade, owned=True)
    ledger.add("cash", "remittances", remittances, owned=True)
    ledger.add("cash", "garden", garden, owned=True)


class IncomeConstants(NamedTuple):
    """Parameters of the month's income pass (``conf/income``; FCFA, shares)."""

    labour_profile: float  # this month's share of the year's labour days
    wage: float
    labour_loss: float
    growing: bool  # a growing-season month (labour demand follows the rains)
    remittance_profile: float
    displaced_income_factor: float
    gardening: bool  # a gardening month
    garden_net_revenue: float
    garden_months: int
    garden_own_use: float


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
        Labour, trade, remittances, garden sales, home produce (garden's own use added in a
        gardening month) and the month's income (these plus the offtake sales), FCFA.
    """
    n = wealth.size
    labour = np.empty(n)
    trade = np.empty(n)
    remittances = np.empty(n)
    garden = np.zeros(n)
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
        if c.growing:
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
        labour[i], trade[i], remittances[i], garden[i] = lab, trd, rem, grd
    return labour, trade, remittances, garden, produce_out, income
