"""Rain-fed millet/sorghum production, harvested once a year.

Yield per ha follows the season's village rainfall linearly above a threshold, capped
(``conf/crops``; domain.md §5.1): ``y = min(ymax, a * max(0, R - R0))``, times the
household's persistent land quality and a yearly household factor (lognormal noise) and the gain from improved practices
(``1 + gain * adoption``), the season's shock factor (dry spells, floods; ``sim/shocks``) and
the programme's inputs, less post-harvest losses. The cowpea grown on the rest of the land
is food too, counted in millet-equivalent kg (``crops.legume_millet_equivalent``). Adopted practices also recover part of a
rain deficit (water harvesting; ``sim/policies/productive``). Units: kg millet-equivalent.
"""

from __future__ import annotations

import numpy as np

from sim.config import ModelConfig
from sim.draws import MonthDraws
from sim.ledger import Ledger
from sim.policies import productive
from sim.policies.programme import Programme
from sim.population import Population, food_land_share
from sim.world import World


def village_yield(rain_mm: np.ndarray, cfg: ModelConfig) -> np.ndarray:
    """Cereal yield per ha for each village's seasonal rainfall, kg/ha."""
    c = cfg.crops
    return np.clip(c.yield_per_mm * (rain_mm - c.rain_threshold_mm), 0.0, c.yield_max_kg_ha)


def harvest(
    pop: Population,
    world: World,
    t: int,
    cfg: ModelConfig,
    draws: MonthDraws,
    ledger: Ledger,
    prog: Programme,
) -> np.ndarray:
    """Add the harvest to grain stocks in the harvest month; return it (kg, 0 in other months)."""
    c = cfg.crops
    if world.calendar.month[t] != c.harvest_month:
        return np.zeros(pop.n)
    row = world.season_row(t)
    rain = productive.effective_rain(world.season_rain(t)[pop.village], pop, cfg)
    y = village_yield(rain, cfg) * world.shocks.harvest_factor[row][pop.village]
    y = y * productive.yield_factor(prog, pop, cfg)
    sigma = np.sqrt(np.log1p(c.yield_noise_cv**2))
    household = np.exp(sigma * draws.z("yield") - sigma**2 / 2)
    kg = (
        pop.land_ha
        * food_land_share(cfg)
        * y
        * household
        * pop.land_quality
        * (1 + c.adoption_yield_gain * pop.adoption)
        * (1 - c.post_harvest_loss)
    )
    kg = np.where(pop.displaced, 0.0, kg)  # a household away from home farms no field
    pop.grain_kg += kg
    ledger.add("grain", "harvest", kg)
    return kg
