"""The resilience model: Bandiagara agro-pastoral households month by month.

:class:`ResilienceModel` builds the world (calendar, villages, rainfall, prices), the
households (a population table, with one Mesa agent per row, created when asked for), the
villages and the CdR groups, then runs the month's processes in a fixed order over the whole
population at once.
"""

from __future__ import annotations

import re
from typing import Any

import mesa
import numpy as np
import pandas as pd
from tqdm import tqdm

from sim import ledger as ledger_mod
from sim import policies, shocks
from sim.agents import Household, SavingsGroup, Village
from sim.config import ModelConfig
from sim.draws import MonthDraws
from sim.indicators import Recorder
from sim.ledger import Ledger
from sim.outcomes import OutcomeTracker
from sim.policies import Programme
from sim.policies.targeting import target
from sim.population import build_population, net_assets, tlu
from sim.processes import (
    consumption,
    coping,
    displacement,
    income,
    livestock,
    nutrition,
    production,
    savings,
)
from sim.rci import RciTracker
from sim.resilience import ResilienceTracker
from sim.streams import generator
from sim.threads import single_blas
from sim.world import World


class ResilienceModel(mesa.Model):
    """Households of the CdR villages of Bandiagara under a monthly schedule.

    Built from a validated configuration, ``ResilienceModel(config)``, or, as Mesa's tools
    expect, from keyword parameters: ``ResilienceModel(households=3000, package="full_cdr",
    rng=42)``. Keywords are the configuration's parameters: a dotted path
    (``**{"policy.financial.dose": 0.5}``), a top-level key (``years``, ``start_year``), a
    config group's option (``package``, ``shocks``), or ``households`` for
    ``population.households``; they are checked like the command line's overrides (one-line
    :class:`~sim.config.ConfigError`). ``rng`` (or ``seed``) is the root seed; without one, as
    in Mesa, a fresh seed is drawn and recorded in ``model.config.seed``. A model built from
    keywords also has a Mesa ``datacollector`` of monthly means (energy adequacy, acute
    malnutrition, herds, poverty), so ``mesa.batch_run`` and Mesa's visualisation can drive it.

    Parameters
    ----------
    config
        The validated model configuration (see :mod:`sim.config`); None to build it from
        keyword parameters.
    check
        Verify stock-flow balances and invariants every month (cheap; on by default).
    record
        Record the monthly indicators (``recorder``; on by default). A study that keeps only
        the run's outcomes (:mod:`sim.outcomes`) can leave them out: ``recorder`` then stays
        empty (NaN) and every other result is the same.
    rng, seed
        Root seed of a model built from keywords (an integer; None: a fresh one).
    **params
        Configuration parameters of a model built from keywords.

    Attributes
    ----------
    world : World
        Exogenous drivers for the whole horizon.
    pop : Population
        The population table (single source of household state).
    month : int
        Index of the next month to simulate.
    last_ledger : Ledger
        Flows booked in the last simulated month (for inspection; during a month, the
        month's flows so far).
    gifts : numpy.ndarray
        Per village, FCFA given by households for kin and neighbours in need, not yet shared
        out (:mod:`sim.processes.solidarity`).
    """

    def __init__(
        self,
        config: ModelConfig | None = None,
        *,
        check: bool = True,
        record: bool = True,
        rng: int | None = None,
        seed: int | None = None,
        **params: Any,
    ) -> None:
        from_keywords = config is None
        if config is None:
            config = config_from_keywords(rng if rng is not None else seed, params)
        elif params or rng is not None or seed is not None:
            raise TypeError("ResilienceModel: give a config or keyword parameters, not both")
        single_blas()
        super().__init__(rng=generator(config.seed, "mesa"))
        self.config = config
        self.check = check
        self.world = World.build(config)
        self.pop = build_population(config, self.world, generator(config.seed, "population"))
        target(self.pop, config, generator(config.seed, "policy"))
        self.villages = Village.create_agents(
            self, self.world.villages.count, index=list(range(self.world.villages.count))
        )
        n_groups = int(self.pop.group.max()) + 1
        group_village = [int(self.pop.village[self.pop.group == g][0]) for g in range(n_groups)]
        self.groups = SavingsGroup.create_agents(
            self, n_groups, index=list(range(n_groups)), village=group_village
        )
        self._households: mesa.AgentSet | None = None  # created on first use (households)
        self.programme = Programme(config, self.pop)
        self.recorder = Recorder(config.months, self.pop)
        self.record = record
        self.outcomes = OutcomeTracker(self.pop, config, self.programme)
        self.resilience = ResilienceTracker(self.pop, config)
        self.rci = RciTracker(self.pop, config, self.world, self.programme)
        self.gifts = np.zeros(self.world.villages.count)
        self.illness_log: list[tuple[int, np.ndarray]] = []
        self._idiosyncratic = generator(config.seed, "idiosyncratic")
        self._displacement = generator(config.seed, "displacement")
        self.month = 0
        self.last_ledger = Ledger(self.pop.n)
        self.datacollector: mesa.DataCollector | None = None
        if from_keywords:
            self.datacollector = mesa.DataCollector(model_reporters=dict(REPORTERS))
            self.datacollector.collect(self)

    @property
    def households(self) -> mesa.AgentSet:
        """The household agents, one Mesa :class:`~sim.agents.Household` per row of ``pop``.

        Created on first use (here, or through Mesa's ``agents``, ``agents_by_type`` and
        ``agent_types``), in row order, with the unique ids they would have had at the build:
        the month never needs them, and a million of them take seconds and hundreds of MB.
        """
        if self._households is None:
            rows = list(range(self.pop.n))
            self._households = Household.create_agents(self, self.pop.n, row=rows)
        return self._households

    @property
    def agents(self) -> mesa.AgentSet:
        """All agents (Mesa's ``Model.agents``): villages, CdR groups and households."""
        self.households  # noqa: B018  (creates the household agents if not yet done)
        return super().agents

    @property
    def agents_by_type(self) -> dict[type, mesa.AgentSet]:
        """Agents by type (Mesa's ``Model.agents_by_type``), households included."""
        self.households  # noqa: B018
        return super().agents_by_type

    @property
    def agent_types(self) -> list[type]:
        """Types of the model's agents (Mesa's ``Model.agent_types``)."""
        self.households  # noqa: B018
        return super().agent_types

    def remove_all_agents(self) -> None:
        """Remove every agent (Mesa's ``Model.remove_all_agents``), households included."""
        self.households  # noqa: B018
        super().remove_all_agents()

    def step(self) -> None:
        """Simulate one month, in the order of the Sahel household's month."""
        t, pop, cfg, world, prog = self.month, self.pop, self.config, self.world, self.programme
        draws = MonthDraws.draw(self._idiosyncratic, pop.n, self._displacement)
        ledger = self.last_ledger = Ledger(pop.n)  # last month's flows are let go
        before = pop.stocks() if self.check else None

        displacement.move(pop, world, t, cfg, draws, ledger)
        rations = policies.deliver(prog, pop, world, t, cfg, draws, ledger)
        rations = rations + displacement.aid(pop, cfg)
        bills, exposed = shocks.strike(pop, world, t, cfg, draws, ledger)
        hit = world.shocks.village_hit(t)  # villages a covariate shock strikes this month
        policies.relieve(prog, pop, world, t, bills, ledger, hit)
        harvest = production.harvest(pop, world, t, cfg, draws, ledger, prog)
        policies.after_harvest(prog, pop, world, t, cfg, harvest, ledger)
        livestock.update_herds(pop, world, t, cfg, draws, ledger)
        livestock.lend_and_return(pop, cfg, draws, ledger)
        income.earn(pop, world, t, cfg, draws, ledger)
        policies.save(prog, pop, world, t, cfg, ledger)
        shortfall = consumption.consume(pop, world, t, cfg, ledger, bills, rations)
        coping.cope(pop, world, t, cfg, shortfall, ledger, prog, self.gifts)
        policies.group_meeting(prog, pop, world, t, cfg, draws, ledger)
        savings.save_and_invest(pop, world, t, cfg, ledger, self.gifts)
        nutrition.update(pop, world, t, cfg, draws)
        policies.treat(prog, pop, t, cfg)

        if before is not None:
            ledger_mod.check(before, pop, ledger, t, hdds_max=cfg.nutrition.hdds_max)
            ledger_mod.check_funds(prog, t)
        if self.record:
            self.recorder.record(t, pop, ledger, cfg)
        self.resilience.update(t, pop, hit)
        self.rci.update(t, ledger)
        self.outcomes.update(t, pop, int(world.calendar.month[t]))
        self.illness_log.append((t, np.flatnonzero(exposed)))
        self.month += 1
        self.running = self.month < cfg.months
        if self.datacollector is not None:
            self.datacollector.collect(self)

    def shock_log(self) -> pd.DataFrame:
        """Every shock event so far: covariate events and household illness."""
        ev = self.world.shocks.log
        ev = ev[ev["month"] < self.month]
        if self.illness_log:
            months = np.concatenate([np.full(len(i), t) for t, i in self.illness_log])
            who = np.concatenate([i for _, i in self.illness_log])
            ill = pd.DataFrame(
                {
                    "month": months.astype("int64"),
                    "type": "human_disease",
                    "scope": "household",
                    "village": self.pop.village[who].astype("int64"),
                    "household": who.astype("int64"),
                    "severity": 1.0,
                }
            )
            ev = pd.concat([ev, ill.astype({"type": "str", "scope": "str"})], ignore_index=True)
        return ev.sort_values(
            ["month", "scope", "type", "village", "household"], kind="stable"
        ).reset_index(drop=True)

    def run(self, *, progress: bool = False) -> None:
        """Run the remaining months of the horizon."""
        for _ in tqdm(
            range(self.month, self.config.months), disable=not progress, desc="months", unit="mo"
        ):
            self.step()


# --------------------------------------------------------------------- keyword parameters

SHORTHANDS = {"households": "population.households"}
"""Keyword parameters that stand for a longer configuration path."""

_PLAIN = re.compile(r"[A-Za-z0-9_.:/+-]+")


def _override_value(value: Any) -> str:
    """A Python value in Hydra's override syntax."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_override_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_override_value(v)}" for k, v in value.items()) + "}"
    text = str(value)
    return text if _PLAIN.fullmatch(text) else "'" + text.replace("'", "\\'") + "'"


def config_from_keywords(seed: Any, params: dict[str, Any]) -> ModelConfig:
    """The validated model configuration that keyword parameters describe.

    Raises
    ------
    ConfigError
        For an unknown parameter or an invalid value (one line, as on the command line).
    """
    from sim.compose import compose_config
    from sim.config import ConfigError, build_run_config

    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> np.uint64(1))
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ConfigError(f"rng = {seed!r}: must be an integer seed (0 is a seed)")
    overrides = [f"{SHORTHANDS.get(k, k)}={_override_value(v)}" for k, v in params.items()]
    return build_run_config(compose_config(*overrides, f"seed={int(seed)}")).model


def _kcal_adequacy(model: ResilienceModel) -> float:
    return float(model.pop.kcal_adequacy.mean())


def _gam_prevalence(model: ResilienceModel) -> float:
    children = model.pop.under5
    wasted = children * (model.pop.whz < model.config.indicators.gam_whz)
    return float(wasted.sum() / children.sum()) if children.sum() else 0.0


def _tlu(model: ResilienceModel) -> float:
    return float(tlu(model.pop, model.config).mean())


def _poverty_share(model: ResilienceModel) -> float:
    line = model.config.indicators.asset_poverty_line_fcfa
    return float((net_assets(model.pop, model.config) < line).mean())


REPORTERS = {
    "kcal_adequacy": _kcal_adequacy,
    "gam_prevalence": _gam_prevalence,
    "tlu": _tlu,
    "poverty_share": _poverty_share,
}
"""Model reporters of the Mesa ``datacollector``: means over all households each month."""
