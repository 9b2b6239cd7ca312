"""Coping when stocks and cash fall short, scored as WFP livelihood coping levels.

The hierarchy follows the LCS order (domain.md §3.3 LCS-FS and its agro-pastoral
adaptation; §7 fact 7) and the asset-smoothing evidence (§9: households near an asset
threshold protect their productive assets and cut consumption instead; livestock sales
cover only a part of a covariate loss):

0. eat less: forgo up to ``ration_cut`` of the month's food needs (fewer, smaller meals,
   cheaper food; a consumption strategy, not an LCS level);
1. **stress**: borrow from the savings group (members, up to a multiple of their savings,
   which stay locked until the share-out), borrow informally up to the credit limit, ask
   kin and neighbours for help (the village's gifts, :mod:`sim.processes.solidarity`), sell
   more small stock than usual (non-breeding goats and sheep, poultry); these also pay
   livelihood protection;
2. asset smoothing: a household with no more than ``protected_females`` breeding females
   (close to the herd that keeps it alive next year) eats less again, up to a further
   ``asset_smoothing_cut`` of its needs, before selling any of them;
3. **crisis**: sell breeding females beyond the last few (``last_females``), and cattle
   (for survival only; livelihood-protection spending is cut instead);
4. **emergency**: below ``min_kcal_adequacy`` of needs, begging and migration of members
   fill the food gap (an external gift of food); the last breeding females are sold only
   for survival spending (health care, repairs, salt, soap, water) nothing else can pay.

Food is bought and animals sold at the village's prices (:meth:`sim.world.World.local_prices`:
dearer food, cheaper animals in conflict). The coping level of the month is the highest
level whose strategies the household used.
``kcal_adequacy`` is the staple energy eaten over needs at this point (diverse foods bought
later in the month may raise it above 1, :mod:`sim.processes.savings`). Units: kg, FCFA, head.
"""

from __future__ import annotations

import numpy as np

from sim.config import ModelConfig
from sim.ledger import Ledger
from sim.policies import financial
from sim.policies.programme import Programme
from sim.population import Population
from sim.processes import coping_kernel as kernel
from sim.processes import solidarity
from sim.processes.consumption import Shortfall, buy_food, pay
from sim.world import World

NONE, STRESS, CRISIS, EMERGENCY = 0, 1, 2, 3


def _spend(
    pop: Population, ledger: Ledger, short: Shortfall, price: np.ndarray, *, livelihood: bool
) -> None:
    """Pay outstanding survival spending (and livelihood protection if asked) with cash."""
    short.nonfood = pay(pop, ledger, short.nonfood, "survival_nonfood")
    bought = buy_food(pop, ledger, short.food_kg, price)
    short.eaten_kg = short.eaten_kg + bought
    short.food_kg = short.food_kg - bought
    if livelihood:
        short.livelihood = pay(pop, ledger, short.livelihood, "livelihood_protection")


def _book_sales(ledger: Ledger, sales: np.ndarray, name: str) -> None:
    """Book a step's sales (:data:`~sim.processes.coping_kernel.SALE_ACCOUNTS` rows)."""
    for account, amount in zip(kernel.SALE_ACCOUNTS, sales, strict=True):
        ledger.add(account, f"{name}_sales" if account == "cash" else name, amount, owned=True)


def cope(
    pop: Population,
    world: World,
    t: int,
    cfg: ModelConfig,
    short: Shortfall,
    ledger: Ledger,
    prog: Programme,
    pool: np.ndarray,
) -> None:
    """Close each household's shortfall by the coping hierarchy; set level and kcal adequacy.

    ``pool`` holds each village's gifts for households in need (:mod:`sim.processes.solidarity`).
    Each step is a compiled pass over households (:mod:`sim.processes.coping_kernel`), between
    the group loans, the gifts, and paying and buying with cash.
    """
    cp = cfg.coping
    # dearer food and cheaper animals in conflict
    local = world.local_prices(t, np.arange(world.villages.count))
    price = local.millet[pop.village]
    received = np.stack([local.goat, local.cattle, local.poultry])
    level = np.zeros(pop.n, dtype=np.int8)

    # 0. eat less
    short.food_kg, gap = kernel.eat_less(
        short.food_kg, short.need_kg, short.nonfood, short.livelihood, price, cp.ration_cut
    )

    # 1. stress: group loan, informal credit, gifts, non-breeding small stock and poultry
    group_loan = financial.lend(prog, pop, gap, cfg, ledger)
    limit = np.asarray(cp.credit_limit, dtype=float)
    loan, ask = kernel.borrow(
        gap, group_loan, limit, pop.wealth, pop.debt, pop.cash, short.nonfood, short.food_kg, price
    )
    ledger.add("debt", "borrowing", loan)
    ledger.add("cash", "borrowing", loan)
    gift = solidarity.receive(pop, ask, pool, ledger)
    sales = kernel.sell_small_stock(
        gap,
        gift,
        group_loan,
        loan,
        pop.sr_other,
        pop.poultry,
        pop.cash,
        pop.village,
        received,
        level,
    )
    _book_sales(ledger, sales, "stress")
    _spend(pop, ledger, short, price, livelihood=True)

    # 2. asset smoothing: near the last breeding animals, eat less rather than sell them
    # 3. crisis: breeding females beyond the last few, then cattle (survival needs only)
    short.food_kg, sales = kernel.sell_breeding_stock(
        short.food_kg,
        short.need_kg,
        short.nonfood,
        price,
        pop.sr_female,
        pop.cattle,
        pop.cash,
        pop.village,
        received,
        level,
        cp.protected_females,
        cp.asset_smoothing_cut,
        cp.last_females,
    )
    _book_sales(ledger, sales, "crisis")
    _spend(pop, ledger, short, price, livelihood=False)

    # 4. emergency: below the floor, begging and members' migration fill the food gap; the
    # last breeding females are sold only for survival spending nothing else can pay
    begged, short.eaten_kg, short.food_kg, sales = kernel.emergency(
        short.food_kg,
        short.eaten_kg,
        short.need_kg,
        short.nonfood,
        pop.sr_female,
        pop.cash,
        pop.village,
        received,
        level,
        cp.min_kcal_adequacy,
    )
    ledger.add("food", "begging", begged, owned=True)
    _book_sales(ledger, sales, "emergency")
    short.nonfood = pay(pop, ledger, short.nonfood, "survival_nonfood")

    pop.kcal_adequacy, pop.survival_deficit, pop.lp_deficit = kernel.deficits(
        short.eaten_kg,
        short.need_kg,
        short.nonfood,
        short.livelihood,
        price,
        cfg.indicators.deficit_tolerance,
    )
    pop.coping = level
