"""Saving and accumulation: debt service, sale of surplus grain, purchase of animals.

After consumption and coping, a household keeps a cash reserve of ``cash_reserve_months``
of its non-food spending. Debt accrues interest up to a ceiling (a multiple of the credit
limit, beyond which lenders neither lend nor charge); cash above one month of survival
spending repays it first.
Grain beyond the needs until the next harvest (plus a buffer) is sold at the month's price.
A share of the cash above the reserve goes to non-essential spending and social
obligations. A debt-free household puts a share of its remaining surplus into breeding small
ruminants, up to its herd capacity: livestock is how Sahel households save (domain.md §1.2,
§7 fact 9).
Units: FCFA, kg, head.
"""

from __future__ import annotations

import numpy as np

from sim.config import ModelConfig
from sim.ledger import Ledger
from sim.population import Population, monthly_need_kg, tlu
from sim.world import World


def cash_reserve(pop: Population, cfg: ModelConfig) -> np.ndarray:
    """Cash a household keeps before repaying or investing, FCFA."""
    c = cfg.consumption
    monthly = pop.size * (c.survival_nonfood + c.livelihood_protection) / 12
    return c.cash_reserve_months * monthly


def save_and_invest(
    pop: Population, world: World, t: int, cfg: ModelConfig, ledger: Ledger
) -> None:
    """Accrue interest, repay debt, sell surplus grain and buy animals with the surplus."""
    c, cp, lv = cfg.consumption, cfg.coping, cfg.livestock
    m = int(world.calendar.month[t])
    millet, goat = world.prices["millet"][t], world.prices["goat"][t]

    ceiling = cp.debt_ceiling * np.asarray(cp.credit_limit)[pop.wealth]
    interest = np.minimum(pop.debt * cp.interest_monthly, np.maximum(ceiling - pop.debt, 0.0))
    pop.debt += interest
    ledger.add("debt", "interest", interest)
    survival = pop.size * c.survival_nonfood / 12
    repay = np.minimum(pop.debt, cp.repay_share * np.maximum(pop.cash - survival, 0.0))
    pop.debt -= repay
    pop.cash -= repay
    ledger.add("debt", "repayment", -repay)
    ledger.add("cash", "debt_repayment", -repay)
    reserve = cash_reserve(pop, cfg)

    months_to_harvest = (cfg.crops.harvest_month - m - 1) % 12 + 1
    own_need = monthly_need_kg(pop.size, cfg) * (1 - np.asarray(c.in_kind_share)[pop.wealth])
    keep = own_need * (months_to_harvest + c.stock_buffer_months)
    surplus_kg = np.maximum(pop.grain_kg - keep, 0.0)
    pop.grain_kg -= surplus_kg
    pop.cash += surplus_kg * millet
    ledger.add("grain", "sold", -surplus_kg)
    ledger.add("cash", "grain_sales", surplus_kg * millet)

    spend = c.discretionary_share * np.maximum(pop.cash - reserve, 0.0)
    pop.cash -= spend
    ledger.add("cash", "discretionary", -spend)

    room = np.maximum(lv.herd_cap_tlu_per_person * pop.size - tlu(pop, cfg), 0.0)
    budget = c.invest_share * np.maximum(pop.cash - reserve, 0.0) * (pop.debt <= 0)
    buy = np.minimum(np.floor(budget / goat), np.floor(room / lv.tlu_small_ruminant)).astype(
        np.int64
    )
    pop.sr_female += buy
    pop.cash -= buy * goat
    ledger.add("small_ruminants", "purchases", buy)
    ledger.add("cash", "animal_purchases", -buy * goat)
