"""Configuration of the programme packages (``conf/package``).

Schedule, targeting and the instruments of the productive, financial and social pillars and
of the partners.
"""

from __future__ import annotations

from dataclasses import field

from sim.schema import config, param


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
