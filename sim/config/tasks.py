"""Configuration of tasks and of a run.

Executors, studies, collect, report and dashboard; a run is the model plus its run options.
"""

from __future__ import annotations

from dataclasses import field

from sim.config.model import ModelConfig
from sim.schema import config, param


@config
class ExecutorConfig:
    """Where runs execute (``conf/executor``)."""

    name: str = param(choices=("serial", "processes", "dask"))
    workers: int = param(0, 4096)
    address: str = param()
    flush_every: int = param(1, 100000)


@config(kw_only=True)
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


@config
class DeclarationsConfig:
    """Declared uncertainties (``conf/uncertainties``) or levers (``conf/levers``)."""

    name: str = param()
    factors: tuple[FactorConfig, ...] = field(metadata={})
    package: str = field(default="", metadata={})  # levers: the package whose levers they are


@config
class SensitivityConfig:
    """A sensitivity study (``conf/sensitivity``)."""

    N: int = param(2, 10**7)  # noqa: N815 (SALib's name)
    kind: str = param(choices=("uncertainties", "levers"))
    packages: tuple[str, ...] = param()
    outcomes: tuple[str, ...] = param()
    aggregate: str = param(choices=("mean", "median"))
    second_order: bool = param()
    levels: int = param(2, 100)


@config
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


@config
class SynergyConfig:
    """The pillar factorial (``conf/synergy``): dose levels of every pillar."""

    doses: tuple[float, ...] = param(0, 1)


@config
class CollectConfig:
    """``task=collect``: the sweep folder to gather."""

    dir: str = param()


@config
class ReportConfig:
    """The report: its language(s), and an existing compare folder to report on."""

    lang: str = param(choices=("both", "en", "fr"))
    source: str = param()
    studies: tuple[str, ...] = field(default=(), metadata={})  # sensitivity/discover folders


@config
class DashboardConfig:
    """``task=dashboard``: where the dashboard is served."""

    host: str = param()
    port: int = param(1, 65535)


@config
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


@config
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
