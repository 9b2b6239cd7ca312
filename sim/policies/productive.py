"""Productive pillar: inputs, farmer field schools, gardens, small livestock.

- **Inputs** (certified millet, sorghum and cowpea seed, micro-dosed NPK; domain.md §0):
  participants' harvest of a programme season × (1 + ``yield_gain`` × dose).
- **Field schools** (CEP/CEAPV, ~23 participants): after each harvest, participants close a
  share ``adoption_rate`` × dose of their gap to full adoption of improved practices;
  non-participants of the village gain ``diffusion_rate`` × (village participants' mean
  adoption), faster with listening clubs; after exit adoption decays by ``disadoption`` a
  year. Adoption raises yields (``crops.adoption_yield_gain``) and, through water
  harvesting (zaï, half-moons), recovers a share ``water_conservation`` of a rain deficit.
- **Gardens**: a kit (watering can, fencing, vegetable seed) at the start adds ``extra_ha`` of
  dry-season garden and raises garden revenue by ``productivity_gain`` (both × dose). After
  exit, fences and cans wear out and seed must be bought: the added area shrinks by
  ``kit_decay`` a year and the revenue gain by ``gain_decay`` a year.
- **Small livestock**: ``hens`` + ``cocks`` and ``sr_females`` + ``sr_males`` per participant,
  ``month`` months after the start (rounded dose × number).
"""

from __future__ import annotations

import numpy as np

from sim.config import ModelConfig
from sim.ledger import Ledger
from sim.policies.programme import Programme, safe_ratio
from sim.population import Population
from sim.rates import monthly_survival
from sim.world import World


def deliver(
    prog: Programme, pop: Population, world: World, t: int, cfg: ModelConfig, ledger: Ledger
) -> None:
    """Deliver the month's kits, animals and seasonal inputs; book training costs."""
    pr = cfg.policy.productive
    d = prog.dose
    who = prog.participants
    n = int(who.sum())
    m = int(world.calendar.month[t])
    if t == prog.start and d.garden > 0:
        pop.garden_kit_ha = who * pr.garden.extra_ha * d.garden
        pop.garden_ha = pop.garden_ha + pop.garden_kit_ha
        pop.garden_gain = np.where(who, pr.garden.productivity_gain * d.garden, pop.garden_gain)
        prog.spend("garden", n * pr.garden.cost * d.garden)
    elif t >= prog.exit and d.garden > 0:
        worn = pop.garden_kit_ha * (1 - monthly_survival(pr.garden.kit_decay))
        pop.garden_kit_ha = pop.garden_kit_ha - worn
        pop.garden_ha = np.maximum(pop.garden_ha - worn, 0.0)
        pop.garden_gain = pop.garden_gain * monthly_survival(pr.garden.gain_decay)
    if t == prog.start + pr.small_livestock.month and prog.active(t) and d.small_livestock > 0:
        sl = pr.small_livestock
        birds = round((sl.hens + sl.cocks) * d.small_livestock)
        females = round(sl.sr_females * d.small_livestock)
        males = round(sl.sr_males * d.small_livestock)
        pop.poultry += who * birds
        pop.sr_female += who * females
        pop.sr_other += who * males
        ledger.add("poultry", "distribution", who * birds)
        ledger.add("small_ruminants", "distribution", who * (females + males))
        value = birds * cfg.market.poultry_price + (females + males) * cfg.market.goat_price
        prog.spend(
            "small_livestock",
            n * (value * (1 + sl.delivery_share) + sl.feed_cost * d.small_livestock),
        )
    planting = m == cfg.consumption.input_month
    if planting:
        prog.season_inputs = who & prog.active(t) & (d.inputs > 0)
        if prog.active(t):
            prog.spend("inputs", n * pr.inputs.cost * d.inputs)
            prog.spend(
                "field_school", int(prog.school.sum()) * pr.field_school.cost * d.field_school
            )


def yield_factor(prog: Programme, pop: Population, cfg: ModelConfig) -> np.ndarray:
    """Harvest multiplier from this season's inputs."""
    return 1 + prog.season_inputs * cfg.policy.productive.inputs.yield_gain * prog.dose.inputs


def effective_rain(rain_mm: np.ndarray, pop: Population, cfg: ModelConfig) -> np.ndarray:
    """Rain a field effectively receives, mm: adoption recovers part of a deficit."""
    mean = cfg.climate.rain_mean_mm
    recovered = cfg.policy.productive.field_school.water_conservation * pop.adoption
    return rain_mm + recovered * np.maximum(mean - rain_mm, 0.0)


def learn(prog: Programme, pop: Population, t: int, cfg: ModelConfig) -> None:
    """After a harvest: participants adopt, neighbours imitate, adoption decays after exit."""
    fs = cfg.policy.productive.field_school
    d = prog.dose
    if prog.active(t) and d.field_school > 0:
        gap = 1 - pop.adoption
        pop.adoption = np.where(
            prog.school, pop.adoption + fs.adoption_rate * d.field_school * gap, pop.adoption
        )
        v = pop.village
        villages = int(v.max()) + 1
        school_adoption = np.bincount(v, weights=pop.adoption * prog.school, minlength=villages)
        school_count = np.bincount(v, weights=prog.school.astype(float), minlength=villages)
        mean = safe_ratio(school_adoption, school_count)
        speed = fs.diffusion_rate * (
            1 + cfg.policy.social.listening_clubs.diffusion_multiplier * d.listening_clubs
        )
        others = ~prog.school
        pop.adoption = np.where(
            others, pop.adoption + speed * mean[v] * (1 - pop.adoption), pop.adoption
        )
    elif t >= prog.exit and d.field_school > 0:  # what was learned fades, not the baseline
        base = cfg.population.initial_adoption
        pop.adoption = np.where(
            pop.adoption > base, base + (pop.adoption - base) * (1 - fs.disadoption), pop.adoption
        )
    pop.adoption = np.clip(pop.adoption, 0.0, 1.0)
