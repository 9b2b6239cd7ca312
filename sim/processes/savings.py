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

from typing import NamedTuple

import numpy as np

from sim.config import ModelConfig
from sim.ledger import Ledger
from sim.population import Population
from sim.prepared import PerRun
from sim.processes import consumption
from sim.processes.livestock import herd_room_tlu
from sim.processes.savings_kernel import FLOWS, SavingConstants, save_month
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


class SavingTables(NamedTuple):
    """What the saving pass reads that depends only on the world and the configuration."""

    credit_limit: np.ndarray  # by wealth group, FCFA
    poultry_capacity: np.ndarray  # by wealth group, birds
    constants: tuple[SavingConstants, ...]  # by calendar month


def _tables(world: World, cfg: ModelConfig) -> SavingTables:
    c, cp, lv = cfg.consumption, cfg.coping, cfg.livestock
    need = consumption.tables(world, cfg).need
    return SavingTables(
        credit_limit=np.asarray(cp.credit_limit),
        poultry_capacity=np.asarray(lv.poultry_capacity),
        constants=tuple(
            SavingConstants(
                interest_monthly=cp.interest_monthly,
                repay_share=cp.repay_share,
                horizon_months=(cfg.crops.harvest_month - m - 1) % 12 + 1 + c.stock_buffer_months,
                discretionary_share=c.discretionary_share,
                gift_share=cp.gift_share,
                kept_share=1 - cp.gift_share,
                diverse_food_share=c.diverse_food_share,
                diverse_food_price_ratio=c.diverse_food_price_ratio,
                max_kcal_adequacy=c.max_kcal_adequacy,
                invest_share=c.invest_share,
                tlu_small_ruminant=lv.tlu_small_ruminant,
                tlu_poultry=lv.tlu_poultry,
                debt_ceiling=cp.debt_ceiling,
                survival_nonfood=c.survival_nonfood,
                reserve_basket=c.survival_nonfood + c.livelihood_protection,
                cash_reserve_months=c.cash_reserve_months,
                need=need,
            )
            for m in range(1, 13)
        ),
    )


_per_run = PerRun(_tables)


def save_and_invest(
    pop: Population, world: World, t: int, cfg: ModelConfig, ledger: Ledger, pool: np.ndarray
) -> None:
    """Accrue interest, repay debt, sell surplus grain, spend beyond needs, buy animals.

    A share ``coping.gift_share`` of the spending beyond needs goes to the village's pool of
    gifts for households in need (``pool``, :mod:`sim.processes.solidarity`). One compiled
    pass over households (:func:`sim.processes.savings_kernel.save_month`) does the month and
    values its consumption; the herd room is computed first.
    """
    run, shared = _per_run(world, cfg), consumption.tables(world, cfg)
    gifts = np.zeros(len(pool))
    pop.diverse_food, pop.consumption, flows = save_month(
        pop.village,
        pop.wealth,
        pop.size,
        pop.workers,
        pop.children,
        pop.cash,
        pop.debt,
        pop.grain_kg,
        pop.kcal_adequacy,
        pop.sr_other,
        pop.poultry,
        pop.home_produce,
        run.credit_limit,
        shared.in_kind_share,
        run.poultry_capacity,
        shared.millet_paid[t],  # diverse foods cost more in conflict
        herd_room_tlu(pop, world, t, cfg),
        tuple([ledger.get("food", name) for name in FOOD_SOURCES]),
        tuple([ledger.get("cash", name) for name in NONFOOD_SPENDING[:-1]]),
        ledger.get("cash", NONFOOD_SPENDING[-1]),  # goods: bought in the pass
        gifts,
        float(world.prices["millet"][t]),
        float(world.prices["goat"][t]),
        float(world.prices["poultry"][t]),
        run.constants[int(world.calendar.month[t]) - 1],
    )
    pool += gifts
    ledger.book(FLOWS, flows)
