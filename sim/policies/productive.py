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
Conflict (``shocks.insecurity``): kits and animals wait for a participant out of reach
(displaced, or in a village whose activities are interrupted) and reach her when she is back
within reach; she misses a season's inputs, and its field-school learning, if she is out of
reach in the planting, or harvest, month. Costs are booked at delivery.
"""

from __future__ import annotations

import numpy as np

from sim.config import ModelConfig
from sim.ledger import Ledger
from sim.policies.programme import Programme, safe_ratio
from sim.population import Population
from sim.world import World


def deliver(
    prog: Programme, pop: Population, world: World, t: int, cfg: ModelConfig, ledger: Ledger
) -> None:
    """Deliver the month's kits, animals and seasonal inputs; book training costs."""
    pr = cfg.policy.productive
    d = prog.dose
    who = prog.participants
    m = int(world.calendar.month[t])
    if t == prog.start and d.garden > 0:
        prog.garden_due = who.copy()
    if prog.garden_due.any():
        give = prog.garden_due & prog.present
        kit = give * pr.garden.extra_ha * d.garden
        pop.garden_kit_ha = pop.garden_kit_ha + kit
        pop.garden_ha = pop.garden_ha + kit
        pop.garden_gain = np.where(give, pr.garden.productivity_gain * d.garden, pop.garden_gain)
        prog.garden_due = prog.garden_due & ~give
        prog.spend("garden", int(give.sum()) * pr.garden.cost * d.garden)
    if t >= prog.exit and t != prog.start and d.garden > 0:
        worn = pop.garden_kit_ha * (1 - prog.terms.kit_kept)
        pop.garden_kit_ha = pop.garden_kit_ha - worn
        pop.garden_ha = np.maximum(pop.garden_ha - worn, 0.0)
        pop.garden_gain = pop.garden_gain * prog.terms.gain_kept
    sl = pr.small_livestock
    if t == prog.start + sl.month and prog.active(t) and d.small_livestock > 0:
        prog.livestock_due = who.copy()
    if prog.livestock_due.any():
        give = prog.livestock_due & prog.present
        birds = round((sl.hens + sl.cocks) * d.small_livestock)
        females = round(sl.sr_females * d.small_livestock)
        males = round(sl.sr_males * d.small_livestock)
        pop.poultry += give * birds
        pop.sr_female += give * females
        pop.sr_other += give * males
        ledger.add("poultry", "distribution", give * birds)
        ledger.add("small_ruminants", "distribution", give * (females + males))
        value = birds * cfg.market.poultry_price + (females + males) * cfg.market.goat_price
        prog.livestock_due = prog.livestock_due & ~give
        prog.spend(
            "small_livestock",
            int(give.sum()) * (value * (1 + sl.delivery_share) + sl.feed_cost * d.small_livestock),
        )
    planting = m == cfg.consumption.input_month
    if planting:
        prog.season_inputs = who & prog.present & prog.active(t) & (d.inputs > 0)
        if prog.active(t):
            prog.spend("inputs", int((who & prog.present).sum()) * pr.inputs.cost * d.inputs)
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
        learning = prog.school & prog.present  # no session in a village cut off by conflict
        pop.adoption = np.where(
            learning, pop.adoption + fs.adoption_rate * d.field_school * gap, pop.adoption
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
