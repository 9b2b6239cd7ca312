"""The population table: one numpy array per household variable, one row per household.

This table is the single source of truth for household state. Mesa ``Household`` agents are
thin views on its rows; processes update whole columns at once.

Units: persons, ha, kg of millet-equivalent grain, head of animals, FCFA, z-scores.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.config import ModelConfig

if TYPE_CHECKING:
    from sim.world import World

STOCKS: dict[str, str] = {
    "grain_kg": "grain",
    "warehouse_kg": "warehouse",
    "cash": "cash",
    "savings": "savings",
    "debt": "debt",
    "group_debt": "group_debt",
    "warrant_debt": "warrant_debt",
    "sr_female": "small_ruminants",
    "sr_other": "small_ruminants",
    "cattle": "cattle",
    "poultry": "poultry",
}
"""Stock columns and the account (see :class:`sim.ledger.Ledger`) each belongs to."""


@dataclass
class Population:
    """State of every household (arrays of length ``n``).

    Attributes
    ----------
    wealth
        HEA wealth group: 0 very poor, 1 poor, 2 middle, 3 better off.
    village, group
        Village index; CdR group index (-1 if the household is not a participant).
    size
        Persons eating from the household's pot.
    under5
        Children under five.
    woman
        Whether the programme participant is a woman.
    targeted
        Whether the programme targets the household.
    land_ha, garden_ha
        Rain-fed cultivated land and dry-season garden, ha.
    grain_kg
        Cereal stock, kg millet-equivalent.
    sr_female, sr_other, cattle, poultry
        Animals, head: breeding female goats/sheep, other goats/sheep (young, males),
        cattle, poultry.
    cash, savings, debt
        FCFA held at home, in the savings group, owed to lenders.
    adoption
        Adoption of improved practices, 0-1.
    kcal_adequacy
        This month's energy intake / needs (1 = 2,100 kcal/person/day).
    hdds
        Household dietary diversity score, 0-12.
    whz, whz_base
        Weight-for-height z-score of the household's index under-five child; its
        child-specific baseline.
    ill
        Whether the index child (and a carer's labour) is ill this month.
    coping
        WFP livelihood coping level used this month: 0 none, 1 stress, 2 crisis, 3 emergency.
    survival_deficit, lp_deficit
        Whether the household fell short of the HEA survival / livelihood-protection
        threshold this month.
    income
        Cash income this month (all sources, before coping), FCFA.
    warehouse_kg
        Grain stored under warrantage (collateral), kg.
    group_debt, warrant_debt
        FCFA owed to the CdR group (loans) and on warrantage credit.
    vsla
        Whether the household is an active member of a savings group.
    practice
        Nutrition practice learned (0-1): scales the nutrition-education gains.
    hdds_bonus, whz_bonus
        Food groups and WHZ gained from the social pillar this month.
    illness_protection
        Share of illness prevented (safe water), 0-1.
    garden_gain
        Relative gain in garden revenue from kits and training.
    """

    wealth: np.ndarray
    village: np.ndarray
    group: np.ndarray
    size: np.ndarray
    under5: np.ndarray
    woman: np.ndarray
    targeted: np.ndarray
    land_ha: np.ndarray
    garden_ha: np.ndarray
    grain_kg: np.ndarray
    sr_female: np.ndarray
    sr_other: np.ndarray
    cattle: np.ndarray
    poultry: np.ndarray
    cash: np.ndarray
    savings: np.ndarray
    debt: np.ndarray
    adoption: np.ndarray
    kcal_adequacy: np.ndarray
    hdds: np.ndarray
    whz: np.ndarray
    whz_base: np.ndarray
    ill: np.ndarray
    coping: np.ndarray
    survival_deficit: np.ndarray
    lp_deficit: np.ndarray
    income: np.ndarray
    warehouse_kg: np.ndarray
    group_debt: np.ndarray
    warrant_debt: np.ndarray
    vsla: np.ndarray
    practice: np.ndarray
    hdds_bonus: np.ndarray
    whz_bonus: np.ndarray
    illness_protection: np.ndarray
    garden_gain: np.ndarray

    @property
    def n(self) -> int:
        """Number of households."""
        return len(self.wealth)

    def columns(self) -> dict[str, np.ndarray]:
        """All columns by name (the arrays themselves, not copies)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def stocks(self) -> dict[str, np.ndarray]:
        """Copies of the stock columns, for stock-flow accounting."""
        return {name: getattr(self, name).astype(float) for name in STOCKS}


def monthly_need_kg(size: np.ndarray, cfg: ModelConfig) -> np.ndarray:
    """Grain needed to meet 2,100 kcal/person/day for a month, kg."""
    c = cfg.consumption
    return size * c.kcal_per_person_day * c.days_per_month / c.kcal_per_kg


def normal_harvest_kg(land_ha: np.ndarray, cfg: ModelConfig) -> np.ndarray:
    """Harvest of a normal (mean-rainfall) season without improved practices, kg."""
    c = cfg.crops
    y = np.clip(
        c.yield_per_mm * (cfg.climate.rain_mean_mm - c.rain_threshold_mm), 0, c.yield_max_kg_ha
    )
    return land_ha * c.cereal_land_share * y * (1 - c.post_harvest_loss)


def group_counts(shares: tuple[float, ...], n: int) -> np.ndarray:
    """Split ``n`` households into groups proportional to ``shares`` (largest remainder)."""
    w = np.asarray(shares, dtype=float)
    quota = n * w / w.sum()
    counts = np.floor(quota).astype(int)
    counts[np.argsort(-(quota - counts), kind="stable")[: n - counts.sum()]] += 1
    return counts


def build_population(cfg: ModelConfig, world: World, rng: np.random.Generator) -> Population:
    """Draw the initial households from the HEA wealth-group profiles.

    Wealth groups have exactly their ``wealth_shares`` of the households (largest remainder),
    in random order; size, land, garden and herds are
    uniform within the group's range (``conf/population``). The initial grain stock is the
    normal harvest less what was eaten since it came in; initial cash is
    ``initial_cash_months`` of the group's mean non-labour income.
    """
    p = cfg.population
    n = p.households
    wealth = rng.permutation(np.repeat(np.arange(4), group_counts(p.wealth_shares, n))).astype(
        np.int8
    )
    village = rng.integers(0, world.villages.count, size=n).astype(np.int32)

    def between(lo: tuple, hi: tuple, integer: bool) -> np.ndarray:
        lo_a, hi_a = np.asarray(lo, float)[wealth], np.asarray(hi, float)[wealth]
        if integer:
            return rng.integers(lo_a.astype(np.int64), hi_a.astype(np.int64) + 1)
        return lo_a + (hi_a - lo_a) * rng.random(n)

    size = between(p.size_min, p.size_max, True).astype(float)
    under5 = rng.binomial(size.astype(np.int64), p.under5_share)
    land = between(p.land_min_ha, p.land_max_ha, False)
    garden = between(p.garden_min_ha, p.garden_max_ha, False)
    sr = between(p.small_ruminants_min, p.small_ruminants_max, True)
    sr_female = rng.binomial(sr, p.female_share)
    cattle = between(p.cattle_min, p.cattle_max, True)
    poultry = between(p.poultry_min, p.poultry_max, True)

    h = cfg.crops.harvest_month
    months_since_harvest = (cfg.start_month - h) % 12
    need = monthly_need_kg(size, cfg)
    own_share = 1 - np.asarray(cfg.consumption.in_kind_share)[wealth]
    grain = np.maximum(0.0, normal_harvest_kg(land, cfg) - months_since_harvest * need * own_share)

    inc = cfg.income
    monthly_nonlabour = (np.asarray(inc.trade_firewood) + np.asarray(inc.remittances)) / 12
    cash = p.initial_cash_months * monthly_nonlabour[wealth]

    nut = cfg.nutrition
    whz_base = nut.whz_mean + nut.whz_sd * rng.standard_normal(n)
    zeros = np.zeros(n)
    false = np.zeros(n, dtype=bool)
    return Population(
        wealth=wealth,
        village=village,
        group=np.full(n, -1, dtype=np.int32),
        size=size,
        under5=under5,
        woman=false.copy(),
        targeted=false.copy(),
        land_ha=land,
        garden_ha=garden,
        grain_kg=grain,
        sr_female=sr_female.astype(np.int64),
        sr_other=(sr - sr_female).astype(np.int64),
        cattle=cattle.astype(np.int64),
        poultry=poultry.astype(np.int64),
        cash=cash,
        savings=zeros.copy(),
        debt=zeros.copy(),
        adoption=np.full(n, p.initial_adoption),
        kcal_adequacy=np.ones(n),
        hdds=np.asarray(nut.hdds_base)[wealth].astype(float),
        whz=whz_base.copy(),
        whz_base=whz_base,
        ill=false.copy(),
        coping=np.zeros(n, dtype=np.int8),
        survival_deficit=false.copy(),
        lp_deficit=false.copy(),
        income=zeros.copy(),
        warehouse_kg=zeros.copy(),
        group_debt=zeros.copy(),
        warrant_debt=zeros.copy(),
        vsla=false.copy(),
        practice=zeros.copy(),
        hdds_bonus=zeros.copy(),
        whz_bonus=zeros.copy(),
        illness_protection=zeros.copy(),
        garden_gain=zeros.copy(),
    )


def net_assets(pop: Population, cfg: ModelConfig) -> np.ndarray:
    """Net assets per household at normal-year mean prices, FCFA.

    Animals, grain (in store and under warrantage), cash and group savings, less every debt.
    Mean prices, not the month's, so that seasonal price swings do not move the poverty line.
    """
    m = cfg.market
    millet = float(np.mean(m.millet_price))
    return (
        (pop.sr_female + pop.sr_other) * m.goat_price
        + pop.cattle * m.cattle_price
        + pop.poultry * m.poultry_price
        + (pop.grain_kg + pop.warehouse_kg) * millet
        + pop.cash
        + pop.savings
        - pop.debt
        - pop.group_debt
        - pop.warrant_debt
    )


def tlu(pop: Population, cfg: ModelConfig) -> np.ndarray:
    """Tropical livestock units per household."""
    lv = cfg.livestock
    return (
        lv.tlu_small_ruminant * (pop.sr_female + pop.sr_other)
        + lv.tlu_cattle * pop.cattle
        + lv.tlu_poultry * pop.poultry
    )
