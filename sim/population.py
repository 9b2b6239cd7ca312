"""The population table: one numpy array per household variable, one row per household.

This table is the single source of truth for household state. Mesa ``Household`` agents are
thin views on its rows; processes update whole columns at once.

Units: persons, ha, kg of millet-equivalent grain, head of animals, FCFA, z-scores.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numba
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
    "livestock_loan": "livestock_loan",
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
    hdds_bonus
        Food groups gained from the social pillar this month.
    care
        Share of a child's WHZ losses (from illness, energy shortfall, carers' workload)
        avoided by better infant feeding and care this month, 0-1.
    illness_protection
        Share of illness prevented (safe water), 0-1.
    garden_gain
        Relative gain in garden revenue from kits and training.
    garden_kit_ha
        Garden area added by the programme's kit, still in use, ha (part of ``garden_ha``).
    land_quality
        Persistent yield multiplier of the household's fields (soil depth, slope, valley
        floor or rock), mean 1.
    workers
        Members of working age (15 and over) who farm, herd and sell labour, persons.
    children
        Members under 15 (under-fives included), persons.
    migrant
        Whether the household has a member in seasonal or longer migration who remits.
    frailty
        Persistent multiplier of the household's risk of illness, mean 1.
    trade_ability
        Persistent multiplier of petty-trade, firewood and craft income (skills, working
        capital, distance to the market), mean 1.
    livestock_loan
        Young animals owed for a traditional livestock loan (habbanaye), head.
    consumption
        This month's consumption: food eaten at the month's staple price, diverse foods and
        non-food spending, FCFA.
    diverse_food
        This month's spending on foods other than the staple, FCFA.
    home_produce
        This month's home produce eaten (milk of the household's animals, garden
        vegetables), valued at market prices, FCFA.
    fund_equity
        A savings-group member's claim on her group's fund beyond her shares (service charges
        earned, repayments due), at the month's end, FCFA: her shares times the fund's cash
        and loans over all members' shares, less her shares.
    displaced
        Whether the household has fled conflict and lives away from its village this month
        (:mod:`sim.processes.displacement`).
    displaced_months
        Months since the displaced household fled, this one included (0 at home).
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
    care: np.ndarray
    illness_protection: np.ndarray
    garden_gain: np.ndarray
    garden_kit_ha: np.ndarray
    land_quality: np.ndarray
    workers: np.ndarray
    children: np.ndarray
    migrant: np.ndarray
    frailty: np.ndarray
    trade_ability: np.ndarray
    livestock_loan: np.ndarray
    consumption: np.ndarray
    diverse_food: np.ndarray
    home_produce: np.ndarray
    fund_equity: np.ndarray
    displaced: np.ndarray
    displaced_months: np.ndarray

    @property
    def n(self) -> int:
        """Number of households."""
        return len(self.wealth)

    def columns(self) -> dict[str, np.ndarray]:
        """All columns by name (the arrays themselves, not copies)."""
        return {name: getattr(self, name) for name in COLUMN_NAMES}

    def stocks(self) -> dict[str, np.ndarray]:
        """Copies of the stock columns, for stock-flow accounting."""
        return {name: getattr(self, name).astype(float) for name in STOCKS}


COLUMN_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Population))
"""The population's columns, in declaration order."""


def adult_equivalents(pop: Population, cfg: ModelConfig) -> np.ndarray:
    """Adult equivalents per household: workers plus ``child_ae_weight`` per child under 15."""
    return pop.workers + cfg.consumption.child_ae_weight * pop.children


def food_persons(workers: np.ndarray, children: np.ndarray, cfg: ModelConfig) -> np.ndarray:
    """Persons at the average energy need (2,100 kcal/day) a household's members add up to.

    Adult equivalents, rescaled so that a household with the population's age structure
    counts as its size: HEA's 2,100 kcal/person/day is an average over ages, children needing
    about ``child_ae_weight`` of an adult.
    """
    w = cfg.consumption.child_ae_weight
    average = 1 - cfg.population.child_share * (1 - w)
    return (workers + w * children) / average


def household_need_kg(pop: Population, cfg: ModelConfig) -> np.ndarray:
    """Grain a household needs for a month at 2,100 kcal per average person a day, kg."""
    return monthly_need_kg(food_persons(pop.workers, pop.children, cfg), cfg)


def monthly_need_kg(size: np.ndarray, cfg: ModelConfig) -> np.ndarray:
    """Grain needed to meet 2,100 kcal/day for ``size`` average persons for a month, kg."""
    c = cfg.consumption
    return size * c.kcal_per_person_day * c.days_per_month / c.kcal_per_kg


def normal_harvest_kg(land_ha: np.ndarray, cfg: ModelConfig) -> np.ndarray:
    """Harvest of a normal (mean-rainfall) season without improved practices, kg."""
    c = cfg.crops
    y = np.clip(
        c.yield_per_mm * (cfg.climate.rain_mean_mm - c.rain_threshold_mm), 0, c.yield_max_kg_ha
    )
    return land_ha * food_land_share(cfg) * y * (1 - c.post_harvest_loss)


def food_land_share(cfg: ModelConfig) -> float:
    """Land that yields food, in cereal-land equivalents: cereals plus legumes' millet-equivalent."""
    c = cfg.crops
    return c.cereal_land_share + (1 - c.cereal_land_share) * c.legume_millet_equivalent


def group_counts(shares: tuple[float, ...], n: int) -> np.ndarray:
    """Split ``n`` households into groups proportional to ``shares`` (largest remainder)."""
    w = np.asarray(shares, dtype=float)
    quota = n * w / w.sum()
    counts = np.floor(quota).astype(int)
    counts[np.argsort(-(quota - counts), kind="stable")[: n - counts.sum()]] += 1
    return counts


def lognormal(mean: np.ndarray | float, cv: float, z: np.ndarray) -> np.ndarray:
    """Lognormal values with mean ``mean`` and coefficient of variation ``cv`` from normals ``z``."""
    s = np.sqrt(np.log1p(cv**2))
    return np.asarray(mean) * np.exp(s * z - s**2 / 2)


def skewed_counts(mean: np.ndarray, dispersion: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Counts with mean ``mean`` and negative-binomial ``dispersion`` (shape k), element-wise.

    A small ``k`` gives a long right tail and many zeros (``P(0) = (k / (k + mean))**k``): a
    few households hold large herds and many none, as herd surveys show.
    """
    k = np.asarray(dispersion, float)
    p = k / (k + np.asarray(mean, float))
    return rng.negative_binomial(k, p).astype(np.int64)


def build_population(cfg: ModelConfig, world: World, rng: np.random.Generator) -> Population:
    """Draw the initial households from the HEA wealth-group profiles and their dispersion.

    Wealth groups have exactly their ``wealth_shares`` of the households (largest remainder),
    in random order. Within a group, households differ persistently (``conf/population``):
    size is one plus a negative binomial around the midpoint of the group's HEA range;
    members under 15 are drawn from the national age structure, the rest are workers; land
    is lognormal around the midpoint of the group's HEA range, scaled by the household's
    workers over the group's typical number (``land_labour_elasticity``), its quality a
    lognormal yield multiplier of mean 1; herds of each species
    are negative binomial around the range's midpoint (skewed, with households owning none);
    a share of households has a migrant who remits; illness risk (frailty) is gamma with
    mean 1; trade income ability is lognormal with mean 1. The garden is uniform in its range.
    The initial grain stock is the household's normal harvest less what was eaten since it
    came in; initial cash is ``initial_cash_months`` of the group's mean non-labour income.
    """
    p = cfg.population
    n = p.households
    wealth = rng.permutation(np.repeat(np.arange(4), group_counts(p.wealth_shares, n))).astype(
        np.int8
    )
    village = rng.integers(0, world.villages.count, size=n).astype(np.int32)

    def of_group(values: tuple) -> np.ndarray:
        return np.asarray(values, float)[wealth]

    def midpoint(lo: tuple, hi: tuple) -> np.ndarray:
        return (of_group(lo) + of_group(hi)) / 2

    size = 1 + skewed_counts(
        midpoint(p.size_min, p.size_max) - 1, np.full(n, p.size_dispersion), rng
    )
    under5 = rng.binomial(size, p.under5_share)
    older_share = max(p.child_share - p.under5_share, 0.0) / (1 - p.under5_share)
    children = under5 + rng.binomial(size - under5, older_share)
    children = np.minimum(children, size - 1)  # at least one adult
    workers = size - children
    typical = midpoint(p.size_min, p.size_max) * (1 - p.child_share)
    land = np.maximum(
        lognormal(midpoint(p.land_min_ha, p.land_max_ha), p.land_cv, rng.standard_normal(n))
        * (workers / typical) ** p.land_labour_elasticity,
        p.land_floor_ha,
    )
    quality = lognormal(1.0, p.land_quality_cv, rng.standard_normal(n))
    garden = of_group(p.garden_min_ha) + (
        of_group(p.garden_max_ha) - of_group(p.garden_min_ha)
    ) * rng.random(n)
    sr = skewed_counts(
        midpoint(p.small_ruminants_min, p.small_ruminants_max), of_group(p.herd_dispersion), rng
    )
    sr_female = rng.binomial(sr, p.female_share)
    cattle = skewed_counts(midpoint(p.cattle_min, p.cattle_max), of_group(p.herd_dispersion), rng)
    poultry = skewed_counts(
        midpoint(p.poultry_min, p.poultry_max), of_group(p.poultry_dispersion), rng
    )
    migrant = rng.random(n) < of_group(p.migrant_share)
    frailty = rng.gamma(p.frailty_shape, 1 / p.frailty_shape, n)
    trade_ability = lognormal(1.0, p.trade_ability_cv, rng.standard_normal(n))
    size = size.astype(float)

    h = cfg.crops.harvest_month
    months_since_harvest = (cfg.start_month - h) % 12
    need = monthly_need_kg(food_persons(size - children, children, cfg), cfg)
    own_share = 1 - np.asarray(cfg.consumption.in_kind_share)[wealth]
    grain = np.maximum(
        0.0, normal_harvest_kg(land, cfg) * quality - months_since_harvest * need * own_share
    )

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
        under5=under5.astype(np.int64),
        woman=false.copy(),
        targeted=false.copy(),
        land_ha=land,
        garden_ha=garden,
        grain_kg=grain,
        sr_female=sr_female.astype(np.int64),
        sr_other=(sr - sr_female).astype(np.int64),
        cattle=cattle,
        poultry=poultry,
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
        care=zeros.copy(),
        illness_protection=zeros.copy(),
        garden_gain=zeros.copy(),
        garden_kit_ha=zeros.copy(),
        land_quality=quality,
        workers=workers.astype(float),
        children=children.astype(np.int64),
        migrant=migrant,
        frailty=frailty,
        trade_ability=trade_ability,
        livestock_loan=np.zeros(n, dtype=np.int64),
        consumption=zeros.copy(),
        diverse_food=zeros.copy(),
        home_produce=zeros.copy(),
        fund_equity=zeros.copy(),
        displaced=false.copy(),
        displaced_months=np.zeros(n, dtype=np.int64),
    )


def net_assets(pop: Population, cfg: ModelConfig) -> np.ndarray:
    """Net assets per household at normal-year mean prices, FCFA.

    Animals, grain (in store and under warrantage), cash and group savings (shares and the
    member's claim on the group's charges and loans due), less every debt.
    Mean prices, not the month's, so that seasonal price swings do not move the poverty line.
    One compiled pass (:func:`net_assets_kernel`).
    """
    prices = asset_prices(cfg)
    animals = (pop.sr_female, pop.sr_other, pop.cattle, pop.poultry)
    grain = (pop.grain_kg, pop.warehouse_kg)
    money = (pop.cash, pop.savings, pop.fund_equity)
    debts = (pop.debt, pop.group_debt, pop.warrant_debt)
    return net_assets_kernel(animals, grain, money, debts, prices)


def asset_prices(cfg: ModelConfig) -> tuple[float, float, float, float]:
    """Normal-year mean prices of :func:`net_assets`: goat, cattle, poultry (FCFA/head), millet (FCFA/kg)."""
    m = cfg.market
    return (
        float(m.goat_price),
        float(m.cattle_price),
        float(m.poultry_price),
        float(np.mean(m.millet_price)),
    )


@numba.njit(cache=True, nogil=True)
def net_assets_kernel(animals, grain, money, debts, prices):  # pragma: no cover - compiled
    """Net assets per household: the numpy expression's arithmetic, in its order.

    ``(sr_female + sr_other) × goat + cattle × cattle_price + poultry × poultry_price
    + (grain_kg + warehouse_kg) × millet + cash + savings + fund_equity - debt - group_debt
    - warrant_debt``.
    """
    sr_female, sr_other, cattle, poultry = animals
    grain_kg, warehouse_kg = grain
    cash, savings, fund_equity = money
    debt, group_debt, warrant_debt = debts
    goat, cattle_price, poultry_price, millet = prices
    out = np.empty(cash.size)
    for i in range(cash.size):
        out[i] = (
            (sr_female[i] + sr_other[i]) * goat
            + cattle[i] * cattle_price
            + poultry[i] * poultry_price
            + (grain_kg[i] + warehouse_kg[i]) * millet
            + cash[i]
            + savings[i]
            + fund_equity[i]
            - debt[i]
            - group_debt[i]
            - warrant_debt[i]
        )
    return out


def tlu(pop: Population, cfg: ModelConfig) -> np.ndarray:
    """Tropical livestock units per household (one compiled pass: :func:`tlu_kernel`)."""
    kept = _TLU_WEIGHTS
    weights = kept[1] if kept[0] is cfg else _keep_tlu_weights(cfg)
    return tlu_kernel(pop.sr_female, pop.sr_other, pop.cattle, pop.poultry, weights)


_TLU_WEIGHTS: tuple[ModelConfig | None, tuple[float, float, float]] = (None, (0.0, 0.0, 0.0))
"""The configuration :func:`tlu` last read its weights from, and those weights."""


def _keep_tlu_weights(cfg: ModelConfig) -> tuple[float, float, float]:
    global _TLU_WEIGHTS
    weights = tlu_weights(cfg)
    _TLU_WEIGHTS = (cfg, weights)  # one assignment: safe if another thread reads it
    return weights


def tlu_weights(cfg: ModelConfig) -> tuple[float, float, float]:
    """TLU per head: small ruminant, cattle, poultry."""
    lv = cfg.livestock
    return (float(lv.tlu_small_ruminant), float(lv.tlu_cattle), float(lv.tlu_poultry))


@numba.njit(cache=True, nogil=True)
def tlu_kernel(sr_female, sr_other, cattle, poultry, weights):  # pragma: no cover - compiled
    """TLU per household, in this order.

    ``tlu_small_ruminant × (sr_female + sr_other) + tlu_cattle × cattle + tlu_poultry × poultry``.
    """
    small_ruminant, cow, bird = weights
    out = np.empty(sr_female.size)
    for i in range(sr_female.size):
        out[i] = small_ruminant * (sr_female[i] + sr_other[i]) + cow * cattle[i] + bird * poultry[i]
    return out
