"""The model's whole configuration: one frozen dataclass per config group."""

from __future__ import annotations

from dataclasses import field

from sim.config.households import (
    ClimateConfig,
    ConsumptionConfig,
    CopingConfig,
    CropConfig,
    IncomeConfig,
    IndicatorConfig,
    LivestockConfig,
    MarketConfig,
    NutritionConfig,
    PopulationConfig,
)
from sim.config.policy import PolicyConfig
from sim.config.shocks import ShocksConfig
from sim.schema import config, param


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
