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
    """Credit this month's labour, trade, remittance and garden income to cash."""
    inc = cfg.income
    m = int(world.calendar.month[t])
    w = pop.wealth
    access = world.villages.market_access
    access = (access / access.mean())[pop.village]
    workers = pop.workers / typical_workers(cfg)[w]
    labour = (
        np.asarray(inc.labour_days)[w]
        * workers
        * inc.labour_profile[m - 1]
        * inc.wage
        * lognormal_factor(draws.z("labour"), inc.income_noise_cv)
        * (1 - cfg.shocks.human_disease.labour_loss * pop.ill)
    )
    growing = world.growing_rain(t)
    if growing is not None:  # a poor growing season needs fewer hands
        ratio = growing / cfg.climate.rain_mean_mm
        labour = labour * labour_factor(ratio, cfg.shocks.drought)[pop.village]
    trade = (
        np.asarray(inc.trade_firewood)[w]
        / 12
        * access
        * pop.trade_ability
        * workers
        * lognormal_factor(draws.z("trade"), inc.income_noise_cv)
    )
    per_migrant = np.asarray(inc.remittances) / np.asarray(cfg.population.migrant_share)
    remittances = pop.migrant * per_migrant[w] * inc.remittance_profile[m - 1]
    access_now = world.shocks.insecurity.market_access[t, pop.village]
    away = cfg.shocks.insecurity.displaced_income_factor
    labour = labour * np.where(pop.displaced, away, access_now)
    trade = trade * np.where(pop.displaced, away, access_now)
    remittances = remittances * np.where(pop.displaced, 1.0, access_now)
    garden = np.zeros(pop.n)
    if m in inc.garden_months:
        produce = (
            pop.garden_ha * (1 + pop.garden_gain) * inc.garden_net_revenue / len(inc.garden_months)
        )
        produce = np.where(pop.displaced, 0.0, produce)
        garden = produce * (1 - inc.garden_own_use)
        pop.home_produce = pop.home_produce + produce * inc.garden_own_use
    total = labour + trade + remittances + garden
    pop.cash += total
    pop.income = total + ledger.get("cash", "offtake_sales")
    ledger.add("cash", "labour", labour)
    ledger.add("cash", "trade", trade)
    ledger.add("cash", "remittances", remittances)
    ledger.add("cash", "garden", garden)
