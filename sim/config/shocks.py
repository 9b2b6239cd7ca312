"""Configuration of the shocks (``conf/shocks``).

Droughts, floods, price spikes, epizootics, human disease, insecurity, a replay file and
schedules.
"""

from __future__ import annotations

from dataclasses import field

from sim.schema import config, param

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
