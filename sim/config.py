"""Typed, validated configuration of the model.

Hydra composes the YAML files in ``conf/`` at the boundary (CLI and :func:`sim.simulate`);
the resulting plain dictionary is turned here into frozen dataclasses, one per config group,
which is all the core ever sees. Every field declares its type and its valid range; the
numbers themselves (with their units and sources) live only in ``conf/``.

Bad input raises :class:`ConfigError` with a one-line message naming the parameter, the
value given and what is allowed.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

WEALTH_GROUPS: tuple[str, ...] = ("very_poor", "poor", "middle", "better_off")
"""HEA wealth groups, in the order of every per-group list in ``conf/``."""


class ConfigError(ValueError):
    """A configuration value is missing, unknown, of the wrong type or out of range."""


def param(
    lo: float | None = None,
    hi: float | None = None,
    *,
    length: int | None = None,
    choices: tuple[Any, ...] | None = None,
    lo_open: bool = False,
) -> Any:
    """Declare a config field with its valid range.

    Parameters
    ----------
    lo, hi
        Inclusive bounds (``lo`` exclusive when ``lo_open``); for lists, bounds of each item.
    length
        Required length of a list field (4 for wealth groups, 12 for months).
    choices
        Allowed values of a string field.
    """
    return field(
        metadata={"lo": lo, "hi": hi, "length": length, "choices": choices, "lo_open": lo_open}
    )


# --------------------------------------------------------------------------- groups


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class ClimateConfig:
    """Seasonal rainfall (``conf/climate``)."""

    rain_mean_mm: float = param(0, 5000, lo_open=True)
    rain_cv: float = param(0, 2)
    regional_share: float = param(0, 1)
    correlation_km: float = param(0, 10000, lo_open=True)


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class PriceSpikeConfig:
    """Market-wide cereal price spikes (``shocks.price_spike``)."""

    probability: float = param(0, 1)
    severity_min: float = param(0, 1)
    severity_max: float = param(0, 1)
    max_rise: float = param(0, 10)
    ramp_months: int = param(1, 36)
    persistence: float = param(0, 0.999)
    month: int = param(1, 12)


@dataclass(frozen=True)
class LivestockDiseaseConfig:
    """Village epizootics: PPR in small ruminants, Newcastle disease in poultry."""

    ppr_probability: float = param(0, 1)
    ppr_mortality_min: float = param(0, 1)
    ppr_mortality_max: float = param(0, 1)
    newcastle_probability: float = param(0, 1)
    newcastle_mortality_min: float = param(0, 1)
    newcastle_mortality_max: float = param(0, 1)
    scheduled_village_share: float = param(0, 1)


@dataclass(frozen=True)
class HumanDiseaseConfig:
    """Household illness, seasonal, and epidemic years (``shocks.human_disease``)."""

    illness_probability: tuple[float, ...] = param(0, 1, length=12)
    labour_loss: float = param(0, 1)
    health_cost: float = param(0, 1e7)
    epidemic_probability: float = param(0, 1)
    epidemic_multiplier: float = param(1, 10)


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class ReplayConfig:
    """Observed series replayed from a CSV file (``shocks.replay``); empty ``file``: none."""

    file: str = param()


@dataclass(frozen=True)
class ScheduledShock:
    """A shock placed at a chosen time: ``{type: drought, year: 2, severity: 0.8}``.

    ``year`` counts calendar years from the run's start year (0 = the start year); ``month``
    (1-12) is optional, 0 meaning the shock's own default month.
    """

    type: str = param(choices=SHOCKS)
    year: int = param(0, 200)
    severity: float = param(0, 1)
    month: int = field(default=0, metadata={"lo": 0, "hi": 12})


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class ProgrammeSchedule:
    """When support runs: start (years after the run's start year, month) and duration."""

    start_year: int = param(0, 200)
    start_month: int = param(1, 12)
    duration_months: int = param(0, 2400)


@dataclass(frozen=True)
class TargetingConfig:
    """Who the programme serves (``policy.targeting``)."""

    households: int = param(0)
    max_wealth_group: int = param(0, 3)
    nutrition_priority: bool = param()
    woman_share: float = param(0, 1)
    group_size: int = param(2, 1000)


@dataclass(frozen=True)
class InputsConfig:
    """Seed and fertiliser each programme season."""

    enabled: bool = param()
    yield_gain: float = param(0, 5)
    cost: float = param(0, 1e8)


@dataclass(frozen=True)
class FieldSchoolConfig:
    """Farmer field schools: adoption of improved practices and its diffusion."""

    enabled: bool = param()
    participants: int = param(1, 1000)
    adoption_rate: float = param(0, 1)
    diffusion_rate: float = param(0, 1)
    disadoption: float = param(0, 1)
    water_conservation: float = param(0, 1)
    cost: float = param(0, 1e8)


@dataclass(frozen=True)
class GardenConfig:
    """Dry-season market gardens: kits and training."""

    enabled: bool = param()
    extra_ha: float = param(0, 10)
    productivity_gain: float = param(0, 10)
    kit_decay: float = param(0, 1)
    gain_decay: float = param(0, 1)
    cost: float = param(0, 1e8)


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class ProductiveConfig:
    """Productive pillar (``policy.productive``); ``dose`` scales every instrument."""

    dose: float = param(0, 1)
    inputs: InputsConfig = field(metadata={})
    field_school: FieldSchoolConfig = field(metadata={})
    garden: GardenConfig = field(metadata={})
    small_livestock: SmallLivestockConfig = field(metadata={})


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class ContingencyConfig:
    """The group's community contingency fund for covariate shocks."""

    enabled: bool = param()
    seed: float = param(0, 1e8)
    payout_share: float = param(0, 1)


@dataclass(frozen=True)
class CashTransferConfig:
    """Unconditional cash transfers."""

    enabled: bool = param()
    amount: float = param(0, 1e8)
    months: tuple[int, ...] = param(1, 12)
    years: int = param(0, 200)
    delivery_share: float = param(0, 10)


@dataclass(frozen=True)
class WarrantageConfig:
    """Inventory credit: grain stored at harvest as collateral, sold in the lean season."""

    enabled: bool = param()
    share: float = param(0, 1)
    loan_ratio: float = param(0, 1)
    interest: float = param(0, 1)
    release_month: int = param(1, 12)
    cost: float = param(0, 1e8)


@dataclass(frozen=True)
class FinancialConfig:
    """Financial pillar (``policy.financial``); ``dose`` scales every instrument."""

    dose: float = param(0, 1)
    vsla: VslaConfig = field(metadata={})
    contingency_fund: ContingencyConfig = field(metadata={})
    cash_transfer: CashTransferConfig = field(metadata={})
    warrantage: WarrantageConfig = field(metadata={})


@dataclass(frozen=True)
class NutritionEducationConfig:
    """Nutrition education and cooking demonstrations."""

    enabled: bool = param()
    hdds_gain: float = param(0, 12)
    hygiene_illness_reduction: float = param(0, 1)
    feeding_buffer: float = param(0, 1)
    decay: float = param(0, 1)
    cost: float = param(0, 1e8)


@dataclass(frozen=True)
class ListeningClubConfig:
    """Listening clubs and local platforms."""

    enabled: bool = param()
    diffusion_multiplier: float = param(0, 100)
    cost: float = param(0, 1e9)


@dataclass(frozen=True)
class WomenEmpowermentConfig:
    """Women's direct access to credit and control of income."""

    enabled: bool = param()
    loan_multiple_bonus: float = param(0, 100)
    hdds_gain: float = param(0, 12)
    cost: float = param(0, 1e8)


@dataclass(frozen=True)
class InclusionConfig:
    """The group's inclusion of the most marginal households."""

    enabled: bool = param()
    participation_gain: float = param(0, 1)
    cost: float = param(0, 1e8)


@dataclass(frozen=True)
class SocialConfig:
    """Social pillar (``policy.social``); ``dose`` scales every instrument."""

    dose: float = param(0, 1)
    nutrition_education: NutritionEducationConfig = field(metadata={})
    listening_clubs: ListeningClubConfig = field(metadata={})
    women_empowerment: WomenEmpowermentConfig = field(metadata={})
    inclusion: InclusionConfig = field(metadata={})


@dataclass(frozen=True)
class FoodAssistanceConfig:
    """Lean-season food rations (WFP)."""

    kcal_share: float = param(0, 1)
    months: tuple[int, ...] = param(1, 12)
    max_wealth_group: int = param(0, 3)
    logistics_share: float = param(0, 10)


@dataclass(frozen=True)
class NutritionServicesConfig:
    """Screening and treatment of acute malnutrition (UNICEF, CMAM)."""

    recovery_gain: float = param(0, 1)
    cost_per_case: float = param(0, 1e8)


@dataclass(frozen=True)
class WashConfig:
    """Safe water and hygiene (UNICEF)."""

    illness_reduction: float = param(0, 1)
    cost: float = param(0, 1e8)


@dataclass(frozen=True)
class PartnersConfig:
    """WFP and UNICEF services of the joint plan (``policy.partners``)."""

    enabled: bool = param()
    food_assistance: FoodAssistanceConfig = field(metadata={})
    nutrition_services: NutritionServicesConfig = field(metadata={})
    wash: WashConfig = field(metadata={})


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class ExecutorConfig:
    """Where runs execute (``conf/executor``)."""

    name: str = param(choices=("serial", "processes", "dask"))
    workers: int = param(0, 4096)
    address: str = param()
    flush_every: int = param(1, 100000)


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True)
class DeclarationsConfig:
    """Declared uncertainties (``conf/uncertainties``) or levers (``conf/levers``)."""

    name: str = param()
    factors: tuple[FactorConfig, ...] = field(metadata={})
    package: str = field(default="", metadata={})  # levers: the package whose levers they are


@dataclass(frozen=True)
class SensitivityConfig:
    """A sensitivity study (``conf/sensitivity``)."""

    N: int = param(2, 10**7)  # noqa: N815 (SALib's name)
    kind: str = param(choices=("uncertainties", "levers"))
    packages: tuple[str, ...] = param()
    outcomes: tuple[str, ...] = param()
    aggregate: str = param(choices=("mean", "median"))
    second_order: bool = param()
    levels: int = param(2, 100)


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class SynergyConfig:
    """The pillar factorial (``conf/synergy``): dose levels of every pillar."""

    doses: tuple[float, ...] = param(0, 1)


@dataclass(frozen=True)
class CollectConfig:
    """``task=collect``: the sweep folder to gather."""

    dir: str = param()


@dataclass(frozen=True)
class ReportConfig:
    """The report: its language(s), and an existing compare folder to report on."""

    lang: str = param(choices=("both", "en", "fr"))
    source: str = param()
    studies: tuple[str, ...] = field(default=(), metadata={})  # sensitivity/discover folders


@dataclass(frozen=True)
class DashboardConfig:
    """``task=dashboard``: where the dashboard is served."""

    host: str = param()
    port: int = param(1, 65535)


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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
    progress = _coerce(data.get("progress", True), bool, "progress", {})
    write = _coerce(data.get("write", True), bool, "write", {})
    verbose = _coerce(data.get("verbose", False), bool, "verbose", {})
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


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    """The resolved field types of ``cls``, once per class (resolving them takes milliseconds)."""
    return typing.get_type_hints(cls)


def build[T](cls: type[T], data: Mapping[str, Any], prefix: str = "") -> T:
    """Build the frozen dataclass ``cls`` from ``data``, checking every field.

    Parameters
    ----------
    cls
        A dataclass declared with :func:`param` fields (or nested dataclasses).
    data
        Mapping of field name to value.
    prefix
        Dotted path of ``data`` in the whole config, for error messages.
    """
    if not isinstance(data, Mapping):
        where = prefix.rstrip(".") or "config"
        raise ConfigError(f"{where} = {data!r}: expected a mapping of parameters")
    hints = _type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key in data:
        if key not in fields:
            raise ConfigError(unknown_message(f"{prefix}{key}", key, tuple(fields), is_key=True))
    values = {}
    for name, f in fields.items():
        path = f"{prefix}{name}"
        if name not in data:
            if f.default is not dataclasses.MISSING:
                continue
            raise ConfigError(f"{path}: missing (required parameter)")
        tp = hints[name]
        if dataclasses.is_dataclass(tp):
            values[name] = build(tp, data[name], prefix=f"{path}.")
        else:
            values[name] = _coerce(data[name], tp, path, f.metadata)
    return cls(**values)


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


def to_dict(obj: Any) -> Any:
    """Turn a config dataclass back into plain containers (lists, not tuples)."""
    if dataclasses.is_dataclass(obj):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, tuple):
        return [to_dict(v) for v in obj]
    return obj


def _coerce(value: Any, tp: Any, path: str, meta: Mapping[str, Any]) -> Any:
    origin = typing.get_origin(tp)
    if origin is tuple:
        (item_tp, _) = typing.get_args(tp)
        if dataclasses.is_dataclass(item_tp):
            if not isinstance(value, list | tuple):
                raise ConfigError(f"{path} = {value!r}: expected a list of entries")
            return tuple(build(item_tp, v, prefix=f"{path}[{i}].") for i, v in enumerate(value))
        if not isinstance(value, list | tuple):
            raise ConfigError(f"{path} = {value!r}: expected a list of {item_tp.__name__}")
        n = meta.get("length")
        if n is not None and len(value) != n:
            what = {
                4: " (one per wealth group: " + ", ".join(WEALTH_GROUPS) + ")",
                12: " (Jan..Dec)",
            }
            raise ConfigError(
                f"{path} = {list(value)!r}: expected {n} values{what.get(n, '')}, got {len(value)}"
            )
        return tuple(_coerce(v, item_tp, f"{path}[{i}]", meta) for i, v in enumerate(value))
    if isinstance(tp, types.UnionType):
        raise TypeError(f"unsupported config type for {path}: {tp}")
    if tp is str and value is None:
        value = ""
    if meta.get("choices") and tp is not str:
        raise TypeError(f"choices are only for string parameters ({path})")
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{path} = {value!r}: expected true or false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{path} = {value!r}: expected an integer")
        if isinstance(value, float) and not value.is_integer():
            raise ConfigError(f"{path} = {value!r}: expected an integer")
        value = int(value)
    elif tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{path} = {value!r}: expected a number")
        value = float(value)
        if not math.isfinite(value):
            raise ConfigError(f"{path} = {value!r}: expected a finite number")
    elif tp is str:
        if not isinstance(value, str):
            raise ConfigError(f"{path} = {value!r}: expected a string")
        choices = meta.get("choices")
        if choices and value not in choices:
            raise ConfigError(unknown_message(path, value, choices))
        return value
    _check_range(value, path, meta)
    return value


def _check_range(value: float, path: str, meta: Mapping[str, Any]) -> None:
    lo, hi, lo_open = meta.get("lo"), meta.get("hi"), meta.get("lo_open", False)
    too_low = lo is not None and (value <= lo if lo_open else value < lo)
    too_high = hi is not None and value > hi
    if too_low or too_high:
        left = "(" if lo_open else "["
        lo_s = "-inf" if lo is None else f"{lo:g}"
        hi_s = "inf" if hi is None else f"{hi:g}"
        raise ConfigError(f"{path} = {value!r}: must be in {left}{lo_s}, {hi_s}]")


def unknown_message(
    path: str, value: Any, allowed: tuple[str, ...], *, is_key: bool = False
) -> str:
    """The one-line message for an unknown name: the closest allowed ones, then all of them.

    ``is_key``: ``path`` is an unknown parameter name, else ``value`` an unknown option.
    """
    close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    if is_key:
        return f"{path}: unknown parameter{hint} (allowed: {', '.join(allowed)})"
    return f"{path} = {value!r}: unknown{hint} (allowed: {', '.join(map(str, allowed))})"
