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
from sim.prepared import PerRun
from sim.processes import coping_kernel as kernel
from sim.processes.consumption import Shortfall, tables
from sim.world import World

NONE, STRESS, CRISIS, EMERGENCY = 0, 1, 2, 3


def _tables(world: World, cfg: ModelConfig) -> tuple[np.ndarray, kernel.CopingConstants]:
    """The informal credit limit by wealth group (FCFA), and the pass's parameters."""
    cp = cfg.coping
    constants = kernel.CopingConstants(
        protected_females=cp.protected_females,
        smoothing_cut=cp.asset_smoothing_cut,
        last_females=cp.last_females,
        floor=cp.min_kcal_adequacy,
        tolerance=cfg.indicators.deficit_tolerance,
    )
    return np.asarray(cp.credit_limit, dtype=float), constants


_per_run = PerRun(_tables)


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
    Two compiled passes over households (:mod:`sim.processes.coping_kernel`) do the steps,
    before and after the group loans; ``short`` is updated in place.
    """
    credit_limit, constants = _per_run(world, cfg)
    # 0. eat less (food at the village's price: dearer in conflict)
    gap, price = kernel.eat_less(
        short.food_kg,
        short.need_kg,
        short.nonfood,
        short.livelihood,
        pop.village,
        tables(world, cfg).millet_paid[t],
        cfg.coping.ration_cut,
    )
    # 1-4. group loan, then informal credit, gifts, sales of animals (cheaper in conflict),
    # asset smoothing, emergency strategies
    group_loan = financial.lend(prog, pop, gap, cfg, ledger)
    level, flows, totals, kcal, survival, protection = kernel.after_loans(
        gap,
        group_loan,
        credit_limit,
        pop.wealth,
        pop.village,
        pop.debt,
        pop.cash,
        pop.sr_other,
        pop.poultry,
        pop.sr_female,
        pop.cattle,
        short.food_kg,
        short.eaten_kg,
        short.need_kg,
        short.nonfood,
        short.livelihood,
        price,
        world.prices["goat"][t],
        world.prices["cattle"][t],
        world.prices["poultry"][t],
        world.shocks.insecurity.price_received[t],
        pool,
        ledger.running(kernel.RUNNING),
        constants,
    )
    ledger.book(kernel.FLOWS, flows)
    ledger.set_totals(kernel.RUNNING, totals)
    pop.kcal_adequacy, pop.survival_deficit, pop.lp_deficit = kcal, survival, protection
    pop.coping = level
