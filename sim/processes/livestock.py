"""Herd dynamics: births, deaths, maturation and normal sales of animals.

Small ruminants, cattle and poultry; events are drawn per household by inverting fixed
uniforms (binomials, common random numbers).

Rates are per year in ``conf/livestock`` (domain.md §5.3) and converted to monthly
probabilities. Small ruminants are kept as breeding females and others (weaned young,
males); a kid born alive and surviving to weaning (abortions and pre-weaning mortality are
taken at birth, rising after a drought) joins the others, and a share of others matures
into breeding females. Normal offtake
sells others and cattle at the month's price; animals beyond the household's herd capacity
(TLU its workers can herd) are sold too. Conflict puts part of the pasture out of reach
(``shocks.insecurity.pasture_access``), which acts as a deeper pasture deficit, and lowers
the prices animals fetch in the village. Poultry hatch logistically up to a capacity by
wealth group. Households without breeding females can restart a flock with a traditional
livestock loan (:func:`lend_and_return`).
"""

from __future__ import annotations

import numpy as np

from sim.config import ModelConfig
from sim.draws import UNIFORMS, MonthDraws, pmf0_table
from sim.ledger import Ledger
from sim.population import Population, tlu
from sim.processes.livestock_kernel import FLOWS, SALES, HerdConstants, herd_month
from sim.rates import monthly_hazard_probability, monthly_probability
from sim.shocks.drought import pasture_deficit, pasture_effects
from sim.world import World


def update_herds(
    pop: Population, world: World, t: int, cfg: ModelConfig, draws: MonthDraws, ledger: Ledger
) -> None:
    """Advance every herd by one month and book births, deaths and normal sales.

    Births and deaths are drawn on the herds at the start of the month, scaled by the pasture
    of the last rainy season (fewer births, more deaths after a drought); maturation and
    normal offtake on the survivors; then the month's milk and the sale of animals beyond the
    herd capacity. Milk: per breeding goat or sheep and per cow a year (``milk_litres_*``),
    at ``milk_price`` scaled by the month's goat price over its mean (the same seasonal and
    drought swings) and by the pasture's births multiplier (no pasture, no milk), FCFA, the
    household's ``home_produce`` of the month. The probabilities are computed here per village,
    wealth group or for all; one compiled pass over households
    (:func:`sim.processes.livestock_kernel.herd_month`) draws and books the events.
    """
    lv, m = cfg.livestock, cfg.market
    villages = np.arange(world.villages.count)
    mortality, fertility = pasture_effects(
        pasture_within_reach_deficit(villages, world, t, cfg), cfg.shocks.drought
    )
    p_village = np.stack(
        [
            fertility
            * min(1.0, lv.sr_parturitions_per_year * lv.sr_litter_size / 12)
            * (1 - lv.sr_abortion_share)
            * (1 - np.minimum(mortality * lv.sr_preweaning_mortality, 1.0)),
            np.minimum(mortality * monthly_probability(lv.sr_adult_mortality), 1.0),
            np.minimum(mortality * monthly_probability(lv.sr_other_mortality), 1.0),
            fertility * min(1.0, lv.cattle_calving * lv.cattle_cow_share / 12),
            np.minimum(mortality * monthly_probability(lv.cattle_mortality), 1.0),
        ]
    )
    p_common = np.array(
        [
            monthly_hazard_probability(lv.poultry_mortality),
            monthly_probability(lv.sr_offtake),
            monthly_probability(lv.sr_maturation),
            monthly_probability(lv.cattle_offtake),
            monthly_hazard_probability(lv.poultry_offtake),
        ]
    )
    kmax = max(
        int(getattr(pop, k).max(initial=0)) for k in ("sr_female", "sr_other", "cattle", "poultry")
    )
    capacity = np.asarray(lv.poultry_capacity, dtype=float)[:, None]
    # every count of animals the pass may meet, in blocks, so that months share their tables
    heads = np.arange(-(-(kmax + 1) // HEAD_BLOCK) * HEAD_BLOCK)
    flock = heads[None, :]
    p_hatch = np.clip(lv.poultry_growth / 12 * (1 - flock / np.maximum(capacity, 1e-9)), 0, 1)
    prices = world.local_prices(t, villages)
    constants = HerdConstants(
        milk_litres_small_ruminant=lv.milk_litres_small_ruminant,
        cow_share=lv.cattle_cow_share,
        milk_litres_cow=lv.milk_litres_cow,
        milk_price=m.milk_price,
        goat_price=float(world.prices["goat"][t]),
        goat_price_mean=m.goat_price,
        tlu_small_ruminant=lv.tlu_small_ruminant,
        tlu_cattle=lv.tlu_cattle,
        tlu_poultry=lv.tlu_poultry,
        herd_cap_tlu_per_worker=lv.herd_cap_tlu_per_worker,
    )
    pop.sr_other, pop.cattle, pop.poultry, pop.home_produce, flows, sales = herd_month(
        pop.village,
        pop.wealth,
        pop.workers,
        pop.sr_female,
        pop.sr_other,
        pop.cattle,
        pop.poultry,
        pop.cash,
        draws.leading(HERD_BLOCK),
        HERD_ROWS,
        p_village,
        pmf0_table(heads, p_village[..., None]),
        p_hatch,
        pmf0_table(flock, p_hatch),
        p_common,
        pmf0_table(heads, p_common[:, None]),
        fertility,
        np.stack([prices.goat, prices.cattle, prices.poultry]),
        constants,
    )
    for (account, name), amount in zip(FLOWS, flows, strict=True):
        ledger.add(account, name, amount, owned=True)
    for account, amount in zip(SALES, sales, strict=True):
        name = "offtake_sales" if account == "cash" else "offtake"
        ledger.add(account, name, amount, owned=True)


HERD_UNIFORMS: tuple[str, ...] = (
    "sr_births",
    "sr_female_deaths",
    "sr_other_deaths",
    "cattle_births",
    "cattle_deaths",
    "poultry_births",
    "poultry_deaths",
    "sr_offtake",
    "sr_maturation",
    "cattle_offtake",
    "poultry_offtake",
)
"""Uniforms of the herds' month, in the order :func:`~sim.processes.livestock_kernel.herd_month` reads them."""
HERD_ROWS = np.array([UNIFORMS.index(name) for name in HERD_UNIFORMS])
"""Their rows in :attr:`sim.draws.MonthDraws.uniform`."""
HERD_BLOCK = int(HERD_ROWS.max()) + 1
HEAD_BLOCK = 64
"""Head counts of the binomial tables come in blocks of this many (:func:`sim.draws.pmf0_table`
keeps the tables, and a month whose largest herd is in last month's block reuses them)."""
"""The herds' uniforms are the first rows of the month's: drawn together, in one call."""


def pasture_within_reach_deficit(
    village: np.ndarray, world: World, t: int, cfg: ModelConfig
) -> np.ndarray:
    """Pasture deficit of the herds of each ``village`` (index per entry) this month, 0-1.

    The last rainy season's deficit in the village, deepened where conflict puts part of the
    pasture out of reach: ``1 − (1 − deficit) × pasture_access``.
    """
    deficit = pasture_deficit(world.season_rain(t), cfg.climate.rain_mean_mm)[village]
    access = world.shocks.insecurity.pasture_access[t, village]
    return np.where(access < 1, 1 - (1 - deficit) * access, deficit)


def herd_room_tlu(pop: Population, world: World, t: int, cfg: ModelConfig) -> np.ndarray:
    """TLU a household could still add: labour capacity × the pasture within reach, less its herd."""
    lv = cfg.livestock
    deficit = pasture_within_reach_deficit(pop.village, world, t, cfg)
    capacity = lv.herd_cap_tlu_per_worker * pop.workers * (1 - deficit)
    return np.maximum(capacity - tlu(pop, cfg), 0.0)


def lend_and_return(pop: Population, cfg: ModelConfig, draws: MonthDraws, ledger: Ledger) -> None:
    """Traditional livestock loans (habbanaye, confiage): restart a flock, return a young.

    A household without breeding females and without a loan outstanding receives a
    breeding female from kin or a better-off herder with the monthly probability of
    ``restock_rate`` a year; it owes one young animal, returned as soon as it has one.
    Destitution is therefore not absorbing (domain.md §9 [R]).
    """
    lv = cfg.livestock
    owes = pop.livestock_loan > 0
    back = (owes & (pop.sr_other > 0)).astype(np.int64)
    pop.sr_other -= back
    pop.livestock_loan -= back
    ledger.add("small_ruminants", "loan_return", -back)
    ledger.add("livestock_loan", "loan_return", -back)
    eligible = (pop.sr_female == 0) & (pop.livestock_loan == 0)
    lent = (eligible & (draws.u("livestock_loan") < monthly_probability(lv.restock_rate))).astype(
        np.int64
    )
    pop.sr_female += lent
    pop.livestock_loan += lent
    ledger.add("small_ruminants", "livestock_loan", lent)
    ledger.add("livestock_loan", "livestock_loan", lent)
