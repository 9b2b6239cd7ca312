"""Typed, validated configuration of the model.

Hydra composes the YAML files in ``conf/`` at the boundary (CLI and :func:`sim.simulate`);
the resulting plain dictionary is turned here into frozen dataclasses, one per config group,
which is all the core ever sees. Every field declares its type and its valid range; the
numbers themselves (with their units and sources) live only in ``conf/``.

Bad input raises :class:`ConfigError` with a one-line message naming the parameter, the
value given and what is allowed. How fields are declared and checked (:func:`~sim.schema.param`,
the :func:`~sim.schema.config` decorator, :func:`~sim.schema.build`) is in :mod:`sim.schema`;
declare a new group with ``@config`` (not ``@dataclass``) so that the type checker knows its
``param()`` fields have no default.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import field
from typing import Any

from sim.schema import WEALTH_GROUPS as WEALTH_GROUPS
from sim.schema import ConfigError as ConfigError
from sim.schema import build as build
from sim.schema import coerce
from sim.schema import conf_dir as conf_dir
from sim.schema import config as config
from sim.schema import experiments_dir as experiments_dir
from sim.schema import param as param
from sim.schema import to_dict as to_dict
from sim.schema import unknown_message as unknown_message

# --------------------------------------------------------------------------- groups


@config
class PopulationConfig:
    """Households, villages and CdR groups (``conf/population``)."""

    households: int = param(1)
    villages: int = param(1)
    wealth_shares: tuple[float, ...] = param(0, 1, length=4)
    size_min: tuple[int, ...] = param(1, 60, length=4)
    size_max: tuple[int, ...] = param(1, 60, length=4)
    under5_share: float = param(0, 0.9)
    land_min_ha: tuple[float, ...] = param(0, 100, length=4)
    land_max_ha: tuple[float, ...] = param(0, 100, length=4)
    garden_min_ha: tuple[float, ...] = param(0, 10, length=4)
    garden_max_ha: tuple[float, ...] = param(0, 10, length=4)
    small_ruminants_min: tuple[int, ...] = param(0, 1000, length=4)
    small_ruminants_max: tuple[int, ...] = param(0, 1000, length=4)
    cattle_min: tuple[int, ...] = param(0, 1000, length=4)
    cattle_max: tuple[int, ...] = param(0, 1000, length=4)
    poultry_min: tuple[int, ...] = param(0, 1000, length=4)
    poultry_max: tuple[int, ...] = param(0, 1000, length=4)
    female_share: float = param(0, 1)
    size_dispersion: float = param(0.01, 1e6)
    child_share: float = param(0, 0.95)
    land_cv: float = param(0, 3)
    land_floor_ha: float = param(0, 100)
    land_labour_elasticity: float = param(0, 2)
    land_quality_cv: float = param(0, 3)
    herd_dispersion: tuple[float, ...] = param(0.01, 1000, length=4)
    poultry_dispersion: tuple[float, ...] = param(0.01, 1000, length=4)
    migrant_share: tuple[float, ...] = param(0.01, 1, length=4)
    frailty_shape: float = param(0.01, 1000)
    trade_ability_cv: float = param(0, 3)
    initial_cash_months: float = param(0, 60)
    initial_adoption: float = param(0, 1)
    village_area_km: float = param(0, 10000, lo_open=True)
    flood_exposed_share: float = param(0, 1)
    market_access_min: float = param(0, 1, lo_open=True)


@config
class ClimateConfig:
    """Seasonal rainfall (``conf/climate``)."""

    rain_mean_mm: float = param(0, 5000, lo_open=True)
    rain_cv: float = param(0, 2)
    regional_share: float = param(0, 1)
    correlation_km: float = param(0, 10000, lo_open=True)


@config
class CropConfig:
    """Rain-fed cereal production (``conf/crops``)."""

    harvest_month: int = param(1, 12)
    yield_per_mm: float = param(0, 100)
    rain_threshold_mm: float = param(0, 5000)
    yield_max_kg_ha: float = param(0, 20000)
    cereal_land_share: float = param(0, 1)
    legume_millet_equivalent: float = param(0, 5)
    post_harvest_loss: float = param(0, 1)
    yield_noise_cv: float = param(0, 2)
    adoption_yield_gain: float = param(0, 5)


@config
class LivestockConfig:
    """Herd demography (``conf/livestock``); rates per year."""

    sr_parturitions_per_year: float = param(0, 5)
    sr_litter_size: float = param(0, 5)
    sr_abortion_share: float = param(0, 1)
    sr_preweaning_mortality: float = param(0, 1)
    sr_other_mortality: float = param(0, 1)
    sr_adult_mortality: float = param(0, 1)
    sr_maturation: float = param(0, 1)
    sr_offtake: float = param(0, 1)
    cattle_calving: float = param(0, 2)
    cattle_cow_share: float = param(0, 1)
    cattle_mortality: float = param(0, 1)
    cattle_offtake: float = param(0, 1)
    poultry_growth: float = param(0, 50)
    poultry_capacity: tuple[float, ...] = param(0, 10000, length=4)
    poultry_mortality: float = param(0, 12)
    poultry_offtake: float = param(0, 12)
    herd_cap_tlu_per_worker: float = param(0, 100)
    milk_litres_small_ruminant: float = param(0, 10000)
    milk_litres_cow: float = param(0, 100000)
    restock_rate: float = param(0, 1)
    tlu_small_ruminant: float = param(0, 1, lo_open=True)
    tlu_cattle: float = param(0, 2)
    tlu_poultry: float = param(0, 1)


@config
class MarketConfig:
    """Regional prices (``conf/market``)."""

    millet_price: tuple[float, ...] = param(1, 10000, length=12)
    millet_harvest_elasticity: float = param(0, 5)
    min_rain_ratio: float = param(0, 1, lo_open=True)
    goat_price: float = param(1, 1e7)
    goat_seasonal_amplitude: float = param(0, 0.9)
    goat_peak_month: int = param(1, 12)
    goat_rain_elasticity: float = param(0, 5)
    cattle_price: float = param(1, 1e8)
    poultry_price: float = param(1, 1e6)
    milk_price: float = param(0, 1e6)
    price_noise_sd: float = param(0, 1)
    price_noise_ar: float = param(0, 0.999)
    price_half_life_months: float = param(0, 120)


@config
class IncomeConfig:
    """Cash income other than livestock sales (``conf/income``)."""

    labour_days: tuple[float, ...] = param(0, 365, length=4)
    wage: float = param(0, 1e6)
    labour_profile: tuple[float, ...] = param(0, 1, length=12)
    trade_firewood: tuple[float, ...] = param(0, 1e8, length=4)
    remittances: tuple[float, ...] = param(0, 1e8, length=4)
    remittance_profile: tuple[float, ...] = param(0, 1, length=12)
    garden_net_revenue: float = param(0, 1e8)
    garden_months: tuple[int, ...] = param(1, 12)
    garden_own_use: float = param(0, 1)
    income_noise_cv: float = param(0, 2)


@config
class ConsumptionConfig:
    """Food needs, HEA thresholds and spending (``conf/consumption``)."""

    kcal_per_person_day: float = param(1, 10000)
    kcal_per_kg: float = param(1, 10000)
    days_per_month: float = param(28, 31)
    in_kind_share: tuple[float, ...] = param(0, 1, length=4)
    survival_nonfood: float = param(0, 1e7)
    livelihood_protection: float = param(0, 1e7)
    inputs_per_ha: float = param(0, 1e7)
    input_month: int = param(1, 12)
    stock_buffer_months: float = param(0, 24)
    cash_reserve_months: float = param(0, 60)
    invest_share: float = param(0, 1)
    discretionary_share: float = param(0, 1)
    diverse_food_share: float = param(0, 1)
    diverse_food_price_ratio: float = param(0.1, 100)
    max_kcal_adequacy: float = param(1, 5)
    child_ae_weight: float = param(0, 1)


@config
class CopingConfig:
    """Coping hierarchy (``conf/coping``)."""

    ration_cut: float = param(0, 1)
    credit_limit: tuple[float, ...] = param(0, 1e8, length=4)
    interest_monthly: float = param(0, 1)
    repay_share: float = param(0, 1)
    debt_ceiling: float = param(1, 100)
    last_females: int = param(0, 100)
    protected_females: int = param(0, 1000)
    gift_share: float = param(0, 1)
    asset_smoothing_cut: float = param(0, 1)
    min_kcal_adequacy: float = param(0, 1)


@config
class NutritionConfig:
    """Child nutrition and dietary diversity (``conf/nutrition``)."""

    whz_mean: float = param(-6, 6)
    whz_sd: float = param(0, 5)
    adjust_rate: float = param(0, 1)
    kcal_effect: float = param(0, 10)
    hdds_effect: float = param(0, 2)
    hdds_reference: float = param(0, 12)
    illness_effect: float = param(0, 5)
    child_turnover: float = param(0, 1)
    hdds_base: tuple[float, ...] = param(0, 12, length=4)
    hdds_garden: float = param(0, 12)
    hdds_livestock: float = param(0, 12)
    hdds_shortfall: float = param(0, 12)
    hdds_diverse_food: float = param(0, 12)
    hdds_max: float = param(0, 100)
    workload_effect: float = param(0, 5)


@config
class IndicatorConfig:
    """Thresholds of the recorded indicators (``conf/indicators``)."""

    asset_poverty_line_fcfa: float = param(0, 1e9)
    gam_whz: float = param(-6, 0)
    years_after_exit: int = param(0, 100)
    backsliding_persistence: int = param(1, 100)
    backsliding_window: int = param(1, 100)
    curve_years: int = param(0, 100)
    lean_months: tuple[int, ...] = param(1, 12)
    deficit_tolerance: float = param(0, 0.5)


SHOCKS: tuple[str, ...] = (
    "drought",
    "flood",
    "price_spike",
    "livestock_disease",
    "human_disease",
    "insecurity",
)
"""Shock types, as named in ``shocks.<name>`` and in ``shocks.schedule`` entries."""


@config
class DroughtConfig:
    """Regional drought: rainfall deficit, dry spells, pasture scarcity (``shocks.drought``)."""

    probability: float = param(0, 1)
    severity_min: float = param(0, 1)
    severity_max: float = param(0, 1)
    rain_deficit: float = param(0, 1)
    village_variation: float = param(0, 1)
    dry_spell_probability: float = param(0, 1)
    dry_spell_yield_loss: float = param(0, 1)
    pasture_mortality: float = param(0, 20)
    pasture_fertility: float = param(0, 1)
    labour_rain_elasticity: float = param(0, 5)


@config
class FloodConfig:
    """Floods in exposed villages (``shocks.flood``)."""

    probability: float = param(0, 1)
    village_probability: float = param(0, 1)
    month: int = param(1, 12)
    severity_min: float = param(0, 1)
    severity_max: float = param(0, 1)
    crop_loss: float = param(0, 1)
    grain_loss: float = param(0, 1)
    animal_loss: float = param(0, 1)
    repair_cost: float = param(0, 1e8)


@config
class PriceSpikeConfig:
    """Market-wide cereal price spikes (``shocks.price_spike``)."""

    probability: float = param(0, 1)
    severity_min: float = param(0, 1)
    severity_max: float = param(0, 1)
    max_rise: float = param(0, 10)
    ramp_months: int = param(1, 36)
    persistence: float = param(0, 0.999)
    month: int = param(1, 12)


@config
class LivestockDiseaseConfig:
    """Village epizootics: PPR in small ruminants, Newcastle disease in poultry."""

    ppr_probability: float = param(0, 1)
    ppr_mortality_min: float = param(0, 1)
    ppr_mortality_max: float = param(0, 1)
    newcastle_probability: float = param(0, 1)
    newcastle_mortality_min: float = param(0, 1)
    newcastle_mortality_max: float = param(0, 1)
    scheduled_village_share: float = param(0, 1)


@config
class HumanDiseaseConfig:
    """Household illness, seasonal, and epidemic years (``shocks.human_disease``)."""

    illness_probability: tuple[float, ...] = param(0, 1, length=12)
    labour_loss: float = param(0, 1)
    health_cost: float = param(0, 1e7)
    epidemic_probability: float = param(0, 1)
    epidemic_multiplier: float = param(1, 10)


@config
class InsecurityConfig:
    """Village-level conflict episodes, their effects and displacement (``shocks.insecurity``)."""

    start_year: int = param(1900, 2200)
    probability: float = param(0, 1)
    before_factor: float = param(0, 1)
    duration_months: float = param(1, 120)
    severity_min: float = param(0, 1)
    severity_max: float = param(0, 1)
    scheduled_village_share: float = param(0, 1)
    market_access_loss: float = param(0, 1)
    price_paid_rise: float = param(0, 5)
    price_received_fall: float = param(0, 1)
    pasture_access_loss: float = param(0, 1)
    theft_share: float = param(0, 1)
    displacement_probability: float = param(0, 1)
    interruption_severity: float = param(0, 1)
    regional_millet_rise: float = param(0, 5)
    regional_animal_fall: float = param(0, 1)
    return_rate: float = param(0, 100)
    displaced_herd_loss: float = param(0, 1)
    displaced_grain_loss: float = param(0, 1)
    displaced_income_factor: float = param(0, 1)
    displaced_in_kind_factor: float = param(0, 1)
    displaced_shelter_cost: float = param(0, 1e6)
    aid_full_months: int = param(0, 120)
    aid_partial_months: int = param(0, 120)
    aid_partial_share: float = param(0, 1)


@config
class ReplayConfig:
    """Observed series replayed from a CSV file (``shocks.replay``); empty ``file``: none."""

    file: str = param()


@config
class ScheduledShock:
    """A shock placed at a chosen time: ``{type: drought, year: 2, severity: 0.8}``.

    ``year`` counts calendar years from the run's start year (0 = the start year); ``month``
    (1-12) is optional, 0 meaning the shock's own default month.
    """

    type: str = param(choices=SHOCKS)
    year: int = param(0, 200)
    severity: float = param(0, 1)
    month: int = field(default=0, metadata={"lo": 0, "hi": 12})


@config
class ShocksConfig:
    """A shock regime (``conf/shocks``): every shock's parameters and two schedules.

    ``regime_schedule`` is the regime's own sequence of dated shocks: entries that fall
    outside the run are dropped (and listed in ``summary.json``), so a regime fits any
    horizon. ``schedule`` is the user's: each entry must fall within the run.
    """

    name: str = param()
    drought: DroughtConfig = field(metadata={})
    flood: FloodConfig = field(metadata={})
    price_spike: PriceSpikeConfig = field(metadata={})
    livestock_disease: LivestockDiseaseConfig = field(metadata={})
    human_disease: HumanDiseaseConfig = field(metadata={})
    insecurity: InsecurityConfig = field(metadata={})
    replay: ReplayConfig = field(metadata={})
    regime_schedule: tuple[ScheduledShock, ...] = field(metadata={})
    schedule: tuple[ScheduledShock, ...] = field(metadata={})


# --------------------------------------------------------------------------- policy (packages)


@config
class ProgrammeSchedule:
    """When support runs: start (years after the run's start year, month) and duration."""

    start_year: int = param(0, 200)
    start_month: int = param(1, 12)
    duration_months: int = param(0, 2400)


@config
class TargetingConfig:
    """Who the programme serves (``policy.targeting``)."""

    households: int = param(0)
    max_wealth_group: int = param(0, 3)
    nutrition_priority: bool = param()
    woman_share: float = param(0, 1)
    group_size: int = param(2, 1000)


@config
class InputsConfig:
    """Seed and fertiliser each programme season."""

    enabled: bool = param()
    yield_gain: float = param(0, 5)
    cost: float = param(0, 1e8)


@config
class FieldSchoolConfig:
    """Farmer field schools: adoption of improved practices and its diffusion."""

    enabled: bool = param()
    participants: int = param(1, 1000)
    adoption_rate: float = param(0, 1)
    diffusion_rate: float = param(0, 1)
    disadoption: float = param(0, 1)
    water_conservation: float = param(0, 1)
    cost: float = param(0, 1e8)


@config
class GardenConfig:
    """Dry-season market gardens: kits and training."""

    enabled: bool = param()
    extra_ha: float = param(0, 10)
    productivity_gain: float = param(0, 10)
    kit_decay: float = param(0, 1)
    gain_decay: float = param(0, 1)
    cost: float = param(0, 1e8)


@config
class SmallLivestockConfig:
    """Distribution of poultry and small ruminants."""

    enabled: bool = param()
    month: int = param(0, 2400)
    hens: int = param(0, 1000)
    cocks: int = param(0, 1000)
    sr_females: int = param(0, 1000)
    sr_males: int = param(0, 1000)
    feed_cost: float = param(0, 1e8)
    delivery_share: float = param(0, 10)


@config
class ProductiveConfig:
    """Productive pillar (``policy.productive``); ``dose`` scales every instrument."""

    dose: float = param(0, 1)
    inputs: InputsConfig = field(metadata={})
    field_school: FieldSchoolConfig = field(metadata={})
    garden: GardenConfig = field(metadata={})
    small_livestock: SmallLivestockConfig = field(metadata={})


@config
class VslaConfig:
    """CdR savings-and-credit groups (VSLA rules)."""

    enabled: bool = param()
    shares_per_month: tuple[float, ...] = param(0, 1e7, length=4)
    social_fund: float = param(0, 1e7)
    service_charge: float = param(0, 1)
    loan_multiple: float = param(0, 100)
    repay_share: float = param(0, 1)
    debt_ceiling: float = param(1, 100)
    lendable_share: float = param(0, 1)
    shareout_month: int = param(1, 12)
    shareout_livestock_share: float = param(0, 1)
    social_grant: float = param(0, 1)
    very_poor_participation: float = param(0, 1)
    dissolution: float = param(0, 1)
    cost: float = param(0, 1e8)


@config
class ContingencyConfig:
    """The group's community contingency fund for covariate shocks."""

    enabled: bool = param()
    seed: float = param(0, 1e8)
    payout_share: float = param(0, 1)


@config
class CashTransferConfig:
    """Unconditional cash transfers."""

    enabled: bool = param()
    amount: float = param(0, 1e8)
    months: tuple[int, ...] = param(1, 12)
    years: int = param(0, 200)
    delivery_share: float = param(0, 10)


@config
class WarrantageConfig:
    """Inventory credit: grain stored at harvest as collateral, sold in the lean season."""

    enabled: bool = param()
    share: float = param(0, 1)
    loan_ratio: float = param(0, 1)
    interest: float = param(0, 1)
    release_month: int = param(1, 12)
    cost: float = param(0, 1e8)


@config
class FinancialConfig:
    """Financial pillar (``policy.financial``); ``dose`` scales every instrument."""

    dose: float = param(0, 1)
    vsla: VslaConfig = field(metadata={})
    contingency_fund: ContingencyConfig = field(metadata={})
    cash_transfer: CashTransferConfig = field(metadata={})
    warrantage: WarrantageConfig = field(metadata={})


@config
class NutritionEducationConfig:
    """Nutrition education and cooking demonstrations."""

    enabled: bool = param()
    hdds_gain: float = param(0, 12)
    hygiene_illness_reduction: float = param(0, 1)
    feeding_buffer: float = param(0, 1)
    decay: float = param(0, 1)
    cost: float = param(0, 1e8)


@config
class ListeningClubConfig:
    """Listening clubs and local platforms."""

    enabled: bool = param()
    diffusion_multiplier: float = param(0, 100)
    cost: float = param(0, 1e9)


@config
class WomenEmpowermentConfig:
    """Women's direct access to credit and control of income."""

    enabled: bool = param()
    loan_multiple_bonus: float = param(0, 100)
    hdds_gain: float = param(0, 12)
    cost: float = param(0, 1e8)


@config
class InclusionConfig:
    """The group's inclusion of the most marginal households."""

    enabled: bool = param()
    participation_gain: float = param(0, 1)
    cost: float = param(0, 1e8)


@config
class SocialConfig:
    """Social pillar (``policy.social``); ``dose`` scales every instrument."""

    dose: float = param(0, 1)
    nutrition_education: NutritionEducationConfig = field(metadata={})
    listening_clubs: ListeningClubConfig = field(metadata={})
    women_empowerment: WomenEmpowermentConfig = field(metadata={})
    inclusion: InclusionConfig = field(metadata={})


@config
class FoodAssistanceConfig:
    """Lean-season food rations (WFP)."""

    kcal_share: float = param(0, 1)
    months: tuple[int, ...] = param(1, 12)
    max_wealth_group: int = param(0, 3)
    logistics_share: float = param(0, 10)


@config
class NutritionServicesConfig:
    """Screening and treatment of acute malnutrition (UNICEF, CMAM)."""

    recovery_gain: float = param(0, 1)
    cost_per_case: float = param(0, 1e8)


@config
class WashConfig:
    """Safe water and hygiene (UNICEF)."""

    illness_reduction: float = param(0, 1)
    cost: float = param(0, 1e8)


@config
class PartnersConfig:
    """WFP and UNICEF services of the joint plan (``policy.partners``)."""

    enabled: bool = param()
    food_assistance: FoodAssistanceConfig = field(metadata={})
    nutrition_services: NutritionServicesConfig = field(metadata={})
    wash: WashConfig = field(metadata={})


@config
class PolicyConfig:
    """An intervention package (``package=<name>``, placed at ``policy``)."""

    name: str = param()
    schedule: ProgrammeSchedule = field(metadata={})
    targeting: TargetingConfig = field(metadata={})
    fcfa_per_usd: float = param(1, 1e5)
    overhead_share: float = param(0, 10)
    productive: ProductiveConfig = field(metadata={})
    financial: FinancialConfig = field(metadata={})
    social: SocialConfig = field(metadata={})
    partners: PartnersConfig = field(metadata={})


@config
class ModelConfig:
    """Everything a :class:`~sim.model.ResilienceModel` needs, validated."""

    seed: int = param(0, 2**63 - 1)
    years: int = param(1, 200)
    start_year: int = param(1900, 2200)
    start_month: int = param(1, 12)
    population: PopulationConfig = field(metadata={})
    climate: ClimateConfig = field(metadata={})
    crops: CropConfig = field(metadata={})
    livestock: LivestockConfig = field(metadata={})
    market: MarketConfig = field(metadata={})
    income: IncomeConfig = field(metadata={})
    consumption: ConsumptionConfig = field(metadata={})
    coping: CopingConfig = field(metadata={})
    nutrition: NutritionConfig = field(metadata={})
    indicators: IndicatorConfig = field(metadata={})
    shocks: ShocksConfig = field(metadata={})
    policy: PolicyConfig = field(metadata={})

    @property
    def months(self) -> int:
        """Simulated horizon in months."""
        return 12 * self.years


@config
class ExecutorConfig:
    """Where runs execute (``conf/executor``)."""

    name: str = param(choices=("serial", "processes", "dask"))
    workers: int = param(0, 4096)
    address: str = param()
    flush_every: int = param(1, 100000)


@config(kw_only=True)
class FactorConfig:
    """A declared uncertainty or lever: a model parameter (config path), its range, unit, source.

    A real or integer factor has ``low`` and ``high``; a categorical one lists ``categories``
    (values the parameter takes, written as text: ``true``, ``0.5``, ``historical``).
    """

    name: str = param()
    low: float = field(default=0.0, metadata={})
    high: float = field(default=0.0, metadata={})
    unit: str = param()
    source: str = param()
    categories: tuple[str, ...] = field(default=(), metadata={})


@config
class DeclarationsConfig:
    """Declared uncertainties (``conf/uncertainties``) or levers (``conf/levers``)."""

    name: str = param()
    factors: tuple[FactorConfig, ...] = field(metadata={})
    package: str = field(default="", metadata={})  # levers: the package whose levers they are


@config
class SensitivityConfig:
    """A sensitivity study (``conf/sensitivity``)."""

    N: int = param(2, 10**7)  # noqa: N815 (SALib's name)
    kind: str = param(choices=("uncertainties", "levers"))
    packages: tuple[str, ...] = param()
    outcomes: tuple[str, ...] = param()
    aggregate: str = param(choices=("mean", "median"))
    second_order: bool = param()
    levels: int = param(2, 100)


@config
class DiscoverConfig:
    """Scenario discovery (``conf/discover``): where an outcome crosses a threshold."""

    packages: tuple[str, ...] = param()
    samples: int = param(2, 10**7)
    outcome: str = param()
    direction: str = param(choices=("above", "below"))
    threshold: float = param()
    density: float = param(0, 1)
    peel_alpha: float = param(0, 0.5, lo_open=True)
    paste_alpha: float = param(0, 0.5, lo_open=True)
    mass_min: float = param(0, 1)
    aggregate: str = param(choices=("mean", "median"))


@config
class SynergyConfig:
    """The pillar factorial (``conf/synergy``): dose levels of every pillar."""

    doses: tuple[float, ...] = param(0, 1)


@config
class CollectConfig:
    """``task=collect``: the sweep folder to gather."""

    dir: str = param()


@config
class ReportConfig:
    """The report: its language(s), and an existing compare folder to report on."""

    lang: str = param(choices=("both", "en", "fr"))
    source: str = param()
    studies: tuple[str, ...] = field(default=(), metadata={})  # sensitivity/discover folders


@config
class DashboardConfig:
    """``task=dashboard``: where the dashboard is served."""

    host: str = param()
    port: int = param(1, 65535)


@config
class ExperimentConfig:
    """What compare, synergy and sensitivity run."""

    packages: tuple[str, ...] = param()
    baseline: str = param()
    replicates: int = param(1, 100000)
    method: str = param(choices=("sobol", "morris"))
    executor: ExecutorConfig = field(metadata={})
    sensitivity: SensitivityConfig = field(metadata={})
    collect: CollectConfig = field(metadata={})
    report: ReportConfig = field(metadata={})
    uncertainties: DeclarationsConfig = field(metadata={})
    levers: DeclarationsConfig = field(metadata={})
    discover: DiscoverConfig = field(metadata={})
    synergy: SynergyConfig = field(metadata={})
    dashboard: DashboardConfig = field(metadata={})


@config
class RunConfig:
    """A task as the CLI or the Python API receives it: the model plus run options."""

    model: ModelConfig
    task: str = "run"
    progress: bool = True
    write: bool = True
    experiment: ExperimentConfig | None = None
    verbose: bool = False


TASKS: tuple[str, ...] = (
    "run",
    "compare",
    "synergy",
    "sensitivity",
    "discover",
    "collect",
    "report",
    "validate",
    "dashboard",
)
"""Tasks the ``resim`` app knows."""

EXPERIMENT_KEYS = (
    "packages",
    "baseline",
    "replicates",
    "method",
    "executor",
    "sensitivity",
    "collect",
    "report",
    "uncertainties",
    "levers",
    "discover",
    "synergy",
    "dashboard",
)
BOUNDARY_KEYS = ("task", "progress", "write", "verbose", "hydra", "validate", *EXPERIMENT_KEYS)


# --------------------------------------------------------------------------- building


def build_run_config(data: Mapping[str, Any]) -> RunConfig:
    """Validate a composed config dictionary and return the run configuration.

    Parameters
    ----------
    data
        The resolved config as plain containers (``OmegaConf.to_container(cfg, resolve=True)``).

    Raises
    ------
    ConfigError
        On the first missing, unknown, mistyped or out-of-range value.
    """
    data = dict(data)
    task = data.get("task", "run")
    if task not in TASKS:
        raise ConfigError(unknown_message("task", task, TASKS))
    progress = coerce(data.get("progress", True), bool, "progress")
    write = coerce(data.get("write", True), bool, "write")
    verbose = coerce(data.get("verbose", False), bool, "verbose")
    model_data = {k: v for k, v in data.items() if k not in BOUNDARY_KEYS}
    model = build(ModelConfig, model_data)
    check_consistency(model)
    experiment = None
    if any(k in data for k in EXPERIMENT_KEYS):
        exp = {k: data.get(k) for k in EXPERIMENT_KEYS}
        experiment = build(ExperimentConfig, exp)
        if experiment.baseline not in experiment.packages and task == "compare":
            raise ConfigError(
                f"baseline = {experiment.baseline!r}: must be one of packages {list(experiment.packages)}"
            )
    return RunConfig(
        model=model,
        task=task,
        progress=progress,
        write=write,
        experiment=experiment,
        verbose=verbose,
    )


def check_consistency(cfg: ModelConfig) -> None:
    """Checks that involve more than one parameter.

    The user's scheduled shocks and the programme's start fall within the horizon (a dated
    shock not before the run's first month; the regime's own ``regime_schedule`` is fitted
    to the horizon instead, see :func:`sim.shocks.fit_schedule`); every ``…_min`` is at most
    its ``…_max``; the wealth shares are not all 0; a replay file reads cleanly and fits the
    villages (:func:`sim.shocks.replay.check`).
    """
    for i, entry in enumerate(cfg.shocks.schedule):
        if entry.year >= cfg.years:
            raise ConfigError(
                f"shocks.schedule[{i}].year = {entry.year}: must be in [0, {cfg.years - 1}] "
                f"(years from the start year; the run lasts {cfg.years} years)"
            )
    sched = cfg.policy.schedule
    if sched.start_year >= cfg.years:
        raise ConfigError(
            f"policy.schedule.start_year = {sched.start_year}: must be in [0, {cfg.years - 1}] "
            f"(years from the start year; the run lasts {cfg.years} years)"
        )
    default_month = {
        "flood": cfg.shocks.flood.month,
        "price_spike": cfg.shocks.price_spike.month,
        "livestock_disease": 1,
        "insecurity": 1,
    }
    for i, entry in enumerate(cfg.shocks.schedule):
        if entry.type not in default_month:
            continue  # a drought strikes its season, an epidemic its rains: no month
        month = entry.month or default_month[entry.type]
        if entry.year == 0 and month < cfg.start_month:
            where = f"shocks.schedule[{i}]"
            head = (
                f"{where}.month = {month}"
                if entry.month
                else f"{where}.year = 0: the {entry.type}'s default month {month}"
            )
            raise ConfigError(
                f"{head} is before the run starts (start_month = {cfg.start_month}); give a "
                f"month in [{cfg.start_month}, 12] or a later year"
            )
    _check_min_max(cfg, "")
    p = cfg.population
    if sum(p.wealth_shares) <= 0:
        raise ConfigError(
            f"population.wealth_shares = {list(p.wealth_shares)!r}: must not all be 0"
        )
    if cfg.shocks.replay.file:
        from sim.shocks import replay  # reads the file once; every problem in one line

        replay.check(cfg)


def _check_min_max(obj: Any, prefix: str) -> None:
    """Every ``…_min…`` field must not exceed its ``…_max…`` twin (item by item for lists)."""
    names = [f.name for f in dataclasses.fields(obj)]  # in declaration order
    for name in names:
        value = getattr(obj, name)
        if dataclasses.is_dataclass(value):
            _check_min_max(value, f"{prefix}{name}.")
            continue
        twin = name.replace("_min", "_max", 1)
        if "_min" not in name or twin not in names:
            continue
        lo, hi = to_dict(value), to_dict(getattr(obj, twin))
        pairs = zip(lo, hi, strict=True) if isinstance(lo, list) else [(lo, hi)]
        if any(a > b for a, b in pairs):
            raise ConfigError(f"{prefix}{name} = {lo!r}: must not exceed {prefix}{twin} = {hi!r}")
