"""Configuration of households and their world.

Population, climate, crops, herds, markets, income, consumption, coping, nutrition and the
indicators recorded.
"""

from __future__ import annotations

from sim.schema import config, param


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
    tlu_cattle: float = param(0, 2, lo_open=True)
    tlu_poultry: float = param(0, 1, lo_open=True)


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
