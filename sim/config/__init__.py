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

The groups are declared by area, and all are importable from here:
:mod:`sim.config.households` (population, climate, crops, herds, markets, income,
consumption, coping, nutrition, indicators), :mod:`sim.config.shocks`,
:mod:`sim.config.policy` (the packages' instruments), :mod:`sim.config.model`
(:class:`ModelConfig`) and :mod:`sim.config.tasks` (executors, studies, :class:`RunConfig`).
This module builds a run's configuration and checks what involves several parameters.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from sim.config.households import ClimateConfig as ClimateConfig
from sim.config.households import ConsumptionConfig as ConsumptionConfig
from sim.config.households import CopingConfig as CopingConfig
from sim.config.households import CropConfig as CropConfig
from sim.config.households import IncomeConfig as IncomeConfig
from sim.config.households import IndicatorConfig as IndicatorConfig
from sim.config.households import LivestockConfig as LivestockConfig
from sim.config.households import MarketConfig as MarketConfig
from sim.config.households import NutritionConfig as NutritionConfig
from sim.config.households import PopulationConfig as PopulationConfig
from sim.config.model import ModelConfig as ModelConfig
from sim.config.policy import CashTransferConfig as CashTransferConfig
from sim.config.policy import ContingencyConfig as ContingencyConfig
from sim.config.policy import FieldSchoolConfig as FieldSchoolConfig
from sim.config.policy import FinancialConfig as FinancialConfig
from sim.config.policy import FoodAssistanceConfig as FoodAssistanceConfig
from sim.config.policy import GardenConfig as GardenConfig
from sim.config.policy import InclusionConfig as InclusionConfig
from sim.config.policy import InputsConfig as InputsConfig
from sim.config.policy import ListeningClubConfig as ListeningClubConfig
from sim.config.policy import NutritionEducationConfig as NutritionEducationConfig
from sim.config.policy import NutritionServicesConfig as NutritionServicesConfig
from sim.config.policy import PartnersConfig as PartnersConfig
from sim.config.policy import PolicyConfig as PolicyConfig
from sim.config.policy import ProductiveConfig as ProductiveConfig
from sim.config.policy import ProgrammeSchedule as ProgrammeSchedule
from sim.config.policy import SmallLivestockConfig as SmallLivestockConfig
from sim.config.policy import SocialConfig as SocialConfig
from sim.config.policy import TargetingConfig as TargetingConfig
from sim.config.policy import VslaConfig as VslaConfig
from sim.config.policy import WarrantageConfig as WarrantageConfig
from sim.config.policy import WashConfig as WashConfig
from sim.config.policy import WomenEmpowermentConfig as WomenEmpowermentConfig
from sim.config.shocks import SHOCKS as SHOCKS
from sim.config.shocks import DroughtConfig as DroughtConfig
from sim.config.shocks import FloodConfig as FloodConfig
from sim.config.shocks import HumanDiseaseConfig as HumanDiseaseConfig
from sim.config.shocks import InsecurityConfig as InsecurityConfig
from sim.config.shocks import LivestockDiseaseConfig as LivestockDiseaseConfig
from sim.config.shocks import PriceSpikeConfig as PriceSpikeConfig
from sim.config.shocks import ReplayConfig as ReplayConfig
from sim.config.shocks import ScheduledShock as ScheduledShock
from sim.config.shocks import ShocksConfig as ShocksConfig
from sim.config.tasks import BOUNDARY_KEYS as BOUNDARY_KEYS
from sim.config.tasks import EXPERIMENT_KEYS as EXPERIMENT_KEYS
from sim.config.tasks import TASKS as TASKS
from sim.config.tasks import CollectConfig as CollectConfig
from sim.config.tasks import DashboardConfig as DashboardConfig
from sim.config.tasks import DeclarationsConfig as DeclarationsConfig
from sim.config.tasks import DiscoverConfig as DiscoverConfig
from sim.config.tasks import ExecutorConfig as ExecutorConfig
from sim.config.tasks import ExperimentConfig as ExperimentConfig
from sim.config.tasks import FactorConfig as FactorConfig
from sim.config.tasks import ReportConfig as ReportConfig
from sim.config.tasks import RunConfig as RunConfig
from sim.config.tasks import SensitivityConfig as SensitivityConfig
from sim.config.tasks import SynergyConfig as SynergyConfig
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
