"""Cash income other than livestock sales.

Sources: farm labour, petty trade and firewood, migrants' remittances and dry-season market
gardening.

Annual amounts by wealth group (``conf/income``; domain.md §1.2, §5.2) are spread over the
months by seasonal profiles; labour and trade vary month to month per household (lognormal);
trade income scales with the village's market access relative to the average village. A
month of illness costs a share of labour income; a poor growing season (June-November) needs
fewer hands (``sim/shocks``). Units: FCFA.
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


def earn(
    pop: Population, world: World, t: int, cfg: ModelConfig, draws: MonthDraws, ledger: Ledger
) -> None:
    """Credit this month's labour, trade, remittance and garden income to cash."""
    inc = cfg.income
    m = int(world.calendar.month[t])
    w = pop.wealth
    access = world.villages.market_access
    access = (access / access.mean())[pop.village]
    labour = (
        np.asarray(inc.labour_days)[w]
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
        * lognormal_factor(draws.z("trade"), inc.income_noise_cv)
    )
    remittances = np.asarray(inc.remittances)[w] * inc.remittance_profile[m - 1]
    garden = np.zeros(pop.n)
    if m in inc.garden_months:
        garden = (
            pop.garden_ha
            * (1 + pop.garden_gain)
            * inc.garden_net_revenue
            / len(inc.garden_months)
            * (1 - inc.garden_own_use)
        )
    total = labour + trade + remittances + garden
    pop.cash += total
    pop.income = total + ledger.get("cash", "offtake_sales")
    ledger.add("cash", "labour", labour)
    ledger.add("cash", "trade", trade)
    ledger.add("cash", "remittances", remittances)
    ledger.add("cash", "garden", garden)
