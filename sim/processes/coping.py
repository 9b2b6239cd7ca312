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
from sim.processes import solidarity
from sim.processes.consumption import Shortfall, buy_food, pay
from sim.processes.livestock import sell
from sim.world import World

NONE, STRESS, CRISIS, EMERGENCY = 0, 1, 2, 3


def _heads_to_sell(stock: np.ndarray, gap: np.ndarray, price: np.ndarray) -> np.ndarray:
    """Whole animals to sell from ``stock`` to raise ``gap`` FCFA at ``price``."""
    return np.minimum(stock, np.ceil(np.maximum(gap, 0.0) / price)).astype(np.int64)


def _survival_gap(short: Shortfall, price: np.ndarray) -> np.ndarray:
    return short.nonfood + short.food_kg * price


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
    """
    cp = cfg.coping
    local = world.local_prices(t, pop.village)  # dearer food and cheaper animals in conflict
    price, goat, cattle_p, poultry_p = local.millet, local.goat, local.cattle, local.poultry
    level = np.zeros(pop.n, dtype=np.int8)

    # 0. eat less
    cut = np.minimum(short.food_kg, cp.ration_cut * short.need_kg)
    short.food_kg = short.food_kg - cut

    # 1. stress: group loan, informal credit, non-breeding small stock and poultry
    gap = _survival_gap(short, price) + short.livelihood
    group_loan = financial.lend(prog, pop, gap, cfg, ledger)
    gap -= group_loan
    limit = np.asarray(cp.credit_limit)[pop.wealth]
    loan = np.minimum(np.maximum(limit - pop.debt, 0.0), gap)
    pop.debt += loan
    pop.cash += loan
    ledger.add("debt", "borrowing", loan)
    ledger.add("cash", "borrowing", loan)
    gap -= loan
    gap -= solidarity.receive(pop, np.minimum(gap, _survival_gap(short, price)), pool, ledger)
    sr = _heads_to_sell(pop.sr_other, gap, goat)
    pop.sr_other -= sr
    gap -= sr * goat
    birds = _heads_to_sell(pop.poultry, gap, poultry_p)
    pop.poultry -= birds
    sell(pop, t, world, ledger, sr, np.zeros_like(sr), birds, name="stress")
    level[(group_loan > 0) | (loan > 0) | (sr > 0) | (birds > 0)] = STRESS
    _spend(pop, ledger, short, price, livelihood=True)

    # 2. asset smoothing: near the last breeding animals, eat less rather than sell them
    near = pop.sr_female <= cp.protected_females
    cut = np.where(near, np.minimum(short.food_kg, cp.asset_smoothing_cut * short.need_kg), 0.0)
    short.food_kg = short.food_kg - cut

    # 3. crisis: breeding females beyond the last few, then cattle (survival needs only)
    gap = _survival_gap(short, price) - pop.cash
    spare = np.maximum(pop.sr_female - cp.last_females, 0)
    females = _heads_to_sell(spare, gap, goat)
    gap -= females * goat
    cows = _heads_to_sell(pop.cattle, gap, cattle_p)
    pop.sr_female -= females
    pop.cattle -= cows
    sell(pop, t, world, ledger, females, cows, np.zeros_like(cows), name="crisis")
    level[(females > 0) | (cows > 0)] = CRISIS
    _spend(pop, ledger, short, price, livelihood=False)

    # 4. emergency: below the floor, begging and members' migration fill the food gap; the
    # last breeding females are sold only for survival spending nothing else can pay
    floor_kg = cp.min_kcal_adequacy * short.need_kg
    gift = np.maximum(floor_kg - short.eaten_kg, 0.0)
    ledger.add("food", "begging", gift)
    short.eaten_kg = short.eaten_kg + gift
    short.food_kg = np.maximum(short.food_kg - gift, 0.0)
    gap = short.nonfood - pop.cash
    last = _heads_to_sell(pop.sr_female, gap, goat)
    pop.sr_female -= last
    sell(pop, t, world, ledger, last, np.zeros_like(last), np.zeros_like(last), name="emergency")
    short.nonfood = pay(pop, ledger, short.nonfood, "survival_nonfood")
    level[(gift > 0) | (last > 0)] = EMERGENCY

    tol = cfg.indicators.deficit_tolerance
    pop.kcal_adequacy = short.eaten_kg / short.need_kg
    pop.survival_deficit = (pop.kcal_adequacy < 1 - tol) | (
        short.nonfood > tol * short.need_kg * price
    )
    pop.lp_deficit = pop.survival_deficit | (short.livelihood > tol * short.need_kg * price)
    pop.coping = level
