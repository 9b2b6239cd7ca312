"""Spending, saving and accumulation: debt service, grain sales, spending beyond needs, investment.

After consumption and coping, a household keeps a cash reserve of ``cash_reserve_months``
of its non-food spending. Debt accrues interest up to a ceiling (a multiple of the credit
limit, beyond which lenders neither lend nor charge); cash above one month of survival
spending repays it first. Grain beyond the needs until the next harvest (plus a buffer) is
sold at the month's price.

Grain is sold, and animals bought, at the regional prices; diverse foods cost
``diverse_food_price_ratio`` times the village's staple price (dearer in conflict).

Of the cash above the reserve, a share ``discretionary_share`` is spent each month beyond
essential needs; of that spending, ``diverse_food_share`` buys foods other than the staple
(milk, meat, fish, oil, vegetables: Engel's marginal food share), which add energy at
``diverse_food_price_ratio`` times the staple's price per kcal and add food groups to the
diet (:mod:`sim.processes.nutrition`); the rest is non-food consumption (clothing, housing,
ceremonies and social obligations). Energy intake can therefore exceed needs, up to
``max_kcal_adequacy`` (beyond it, food spending buys quality, not energy).

A debt-free household puts ``invest_share`` of what is left above the reserve into animals,
climbing the livestock ladder: young goats and sheep when it can afford one (kept as savings,
sold first when cash runs short, young females maturing into breeders), otherwise poultry
(domain.md §1.2, §7 fact 9: livestock is how Sahel households save). A household buys no
more than its herd capacity allows: ``herd_cap_tlu_per_worker`` TLU per worker (herding
labour), scaled down by the last season's pasture deficit.

The month's consumption (``pop.consumption``, FCFA) is the staple eaten valued at the month's
price (own stock, in-kind food, rations and gifts included), plus home produce eaten (milk of
the household's animals, garden vegetables), diverse foods bought, and non-food spending
(survival and livelihood-protection baskets, bills, goods beyond needs), as household
consumption surveys aggregate it.
Units: FCFA, kg, head.
"""

from __future__ import annotations

import numpy as np

from sim.config import ModelConfig
from sim.ledger import Ledger
from sim.population import Population, household_need_kg
from sim.processes import solidarity
from sim.processes.livestock import herd_room_tlu
from sim.world import World

FOOD_SOURCES: tuple[str, ...] = ("in_kind", "rations", "own", "bought", "begging")
"""Ledger ``food`` flows of the staple eaten this month (kg)."""

NONFOOD_SPENDING: tuple[str, ...] = (
    "shock_bills",
    "survival_nonfood",
    "livelihood_protection",
    "goods",
)
"""Ledger ``cash`` flows counted as non-food consumption."""


def cash_reserve(pop: Population, cfg: ModelConfig) -> np.ndarray:
    """Cash a household keeps before repaying or investing, FCFA."""
    c = cfg.consumption
    monthly = pop.size * (c.survival_nonfood + c.livelihood_protection) / 12
    return c.cash_reserve_months * monthly


def save_and_invest(
    pop: Population, world: World, t: int, cfg: ModelConfig, ledger: Ledger, pool: np.ndarray
) -> None:
    """Accrue interest, repay debt, sell surplus grain, spend beyond needs, buy animals.

    A share ``coping.gift_share`` of the spending beyond needs goes to the village's pool of
    gifts for households in need (``pool``, :mod:`sim.processes.solidarity`).
    """
    c, cp, lv = cfg.consumption, cfg.coping, cfg.livestock
    m = int(world.calendar.month[t])
    millet, goat = world.prices["millet"][t], world.prices["goat"][t]
    poultry = world.prices["poultry"][t]

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
    own_need = household_need_kg(pop, cfg) * (1 - np.asarray(c.in_kind_share)[pop.wealth])
    keep = own_need * (months_to_harvest + c.stock_buffer_months)
    surplus_kg = np.maximum(pop.grain_kg - keep, 0.0)
    pop.grain_kg -= surplus_kg
    pop.cash += surplus_kg * millet
    ledger.add("grain", "sold", -surplus_kg)
    ledger.add("cash", "grain_sales", surplus_kg * millet)

    spend = c.discretionary_share * np.maximum(pop.cash - reserve, 0.0)
    solidarity.give(pop, spend, cp.gift_share, pool, ledger)
    spend = spend * (1 - cp.gift_share)
    diverse = c.diverse_food_share * spend
    pop.cash -= spend
    ledger.add("cash", "diverse_food", -diverse)
    ledger.add("cash", "goods", -(spend - diverse))
    need = household_need_kg(pop, cfg)
    paid = world.local_prices(t, pop.village).millet  # diverse foods cost more in conflict
    extra = diverse / (c.diverse_food_price_ratio * paid) / need
    pop.kcal_adequacy = np.minimum(
        pop.kcal_adequacy + extra, np.maximum(pop.kcal_adequacy, c.max_kcal_adequacy)
    )
    pop.diverse_food = diverse

    budget = c.invest_share * np.maximum(pop.cash - reserve, 0.0) * (pop.debt <= 0)
    room = herd_room_tlu(pop, world, t, cfg)
    goats = np.minimum(np.floor(budget / goat), np.floor(room / lv.tlu_small_ruminant))
    goats = goats.astype(np.int64)
    birds_room = np.maximum(np.asarray(lv.poultry_capacity)[pop.wealth] - pop.poultry, 0.0)
    birds = np.where(
        goats == 0,
        np.minimum(np.floor(budget / poultry), np.minimum(birds_room, room / lv.tlu_poultry)),
        0.0,
    ).astype(np.int64)
    pop.sr_other += goats
    pop.poultry += birds
    pop.cash -= goats * goat + birds * poultry
    ledger.add("small_ruminants", "purchases", goats)
    ledger.add("poultry", "purchases", birds)
    ledger.add("cash", "animal_purchases", -(goats * goat + birds * poultry))

    food_kg = sum(ledger.get("food", k) for k in FOOD_SOURCES)
    nonfood = -sum(ledger.get("cash", k) for k in NONFOOD_SPENDING)
    pop.consumption = food_kg * millet + pop.home_produce + diverse + nonfood
