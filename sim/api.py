"""The Python interface: the same override strings as the CLI, the same code path."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.checks import (
    check_doses,
    check_executor,
    check_memory,
    check_names,
    experiment_of,
    package_configs,
    study_design,
    synergy_configs,
)
from sim.compose import compose_config
from sim.config import (
    ConfigError,
    ExperimentConfig,
    ModelConfig,
    RunConfig,
    build,
    build_run_config,
    check_consistency,
)
from sim.errors import yaml_message
from sim.io import run_folder

if TYPE_CHECKING:
    from sim.results import Results


def compare(*overrides: str, output: str | os.PathLike[str] | None = None, progress: bool = False):
    """Compare packages with common random numbers (the ``compare`` task).

    Parameters
    ----------
    *overrides
        Override strings as on the command line: ``"packages=[none,full_cdr]"``,
        ``"replicates=20"``, ``"baseline=none"``, ``"executor=serial"``, model overrides.
    output
        Folder for the results (shards, tables); a temporary folder when None.

    Returns
    -------
    sim.analysis.compare.Comparison
    """
    return compare_run(load(*overrides), overrides, output=output, progress=progress)


def compare_run(
    run: RunConfig,
    overrides: Sequence[str],
    *,
    output: str | os.PathLike[str] | None = None,
    progress: bool = False,
):
    """:func:`compare` on a configuration already composed from ``overrides`` and validated.

    The ``resim`` command passes the configuration Hydra composed for it (and its input
    checks validated), rather than composing it again.
    """
    from sim.analysis.compare import run_comparison

    check_names(run)
    exp = experiment_of(run)
    check_executor(exp)
    configs = package_configs(list(exp.packages), overrides)
    with run_folder(output) as folder:
        return run_comparison(
            configs,
            seed=run.model.seed,
            replicates=exp.replicates,
            baseline=exp.baseline,
            folder=folder,
            executor=_executor(exp),
            progress=progress,
            experiment={"packages": list(exp.packages), "overrides": list(overrides)},
        )


def synergy(
    *overrides: str,
    output: str | os.PathLike[str] | None = None,
    progress: bool = False,
    say: Callable[[str], None] | None = None,
):
    """The pillar factorial (the ``synergy`` task); returns (comparison, effects table).

    ``synergy.doses=[0, 1]`` (the default) runs the eight named packages of the 2×2×2
    factorial; more levels (``[0, 0.5, 1]``) run every dose combination of the full package
    and also write ``dose_effects.csv`` and ``synergy_doses.png`` (the effects at each dose).
    """
    from sim.analysis.synergy import run_synergy

    run = load(*overrides)
    exp = experiment_of(run)
    check_executor(exp)
    levels = check_doses(exp.synergy.doses)
    configs = synergy_configs(levels, tuple(overrides))
    with run_folder(output) as folder:
        return run_synergy(
            configs,
            levels,
            seed=run.model.seed,
            replicates=exp.replicates,
            folder=folder,
            executor=_executor(exp),
            progress=progress,
            experiment={"task": "synergy", "overrides": list(overrides)},
            say=say,
        )


def sensitivity(
    *overrides: str,
    output: str | os.PathLike[str] | None = None,
    progress: bool = False,
    say: Callable[[str], None] | None = None,
):
    """Sobol or Morris sensitivity of the declared uncertainties or levers (``sensitivity``).

    ``sensitivity.kind=uncertainties`` ranks ``conf/uncertainties`` for every package of
    ``sensitivity.packages`` on the same sample; ``sensitivity.kind=levers`` ranks
    ``conf/levers`` on the levers' package in a fixed world. ``say`` receives the number of
    runs and the time estimate before the runs start. Returns the tables
    (:func:`sim.analysis.sensitivity.run_sensitivity`).
    """
    from sim.analysis.sensitivity import run_sensitivity

    run = load(*overrides)
    check_names(run)
    exp = experiment_of(run)
    check_executor(exp)
    sens = exp.sensitivity
    configs, factors = study_design(run, tuple(overrides))
    with run_folder(output) as folder:
        return run_sensitivity(
            configs,
            factors,
            method=exp.method,
            n=sens.N,
            replicates=exp.replicates,
            outcomes=list(sens.outcomes),
            aggregate=sens.aggregate,
            second_order=sens.second_order,
            levels=sens.levels,
            seed=run.model.seed,
            folder=folder,
            executor=_executor(exp),
            progress=progress,
            say=say,
        )


def discover(
    *overrides: str,
    output: str | os.PathLike[str] | None = None,
    progress: bool = False,
    say: Callable[[str], None] | None = None,
):
    """Scenario discovery over the declared uncertainties (the ``discover`` task).

    A Latin hypercube of ``discover.samples`` points over ``conf/uncertainties``, run for every
    package of ``discover.packages``; runs whose ``discover.outcome`` is ``above`` (or
    ``below``) ``discover.threshold`` are the cases of interest, and PRIM finds the boxes of
    uncertainty space where they concentrate. Returns the tables
    (:func:`sim.analysis.discovery.run_discovery`).
    """
    from sim.analysis.discovery import run_discovery

    run = load(*overrides)
    check_names(run)
    exp = experiment_of(run)
    check_executor(exp)
    configs, factors = study_design(run, tuple(overrides), task="discover")
    with run_folder(output) as folder:
        return run_discovery(
            configs,
            factors,
            settings=exp.discover,
            replicates=exp.replicates,
            seed=run.model.seed,
            folder=folder,
            executor=_executor(exp),
            progress=progress,
            say=say,
        )


def _executor(exp: ExperimentConfig) -> dict[str, Any]:
    e = exp.executor
    return {
        "name": e.name,
        "workers": e.workers,
        "address": e.address or None,
        "flush_every": e.flush_every,
    }


def load(*overrides: str) -> RunConfig:
    """Compose and validate a run configuration from override strings.

    Also refuses a configuration whose runs cannot fit in memory (:func:`check_memory`).
    """
    run = build_run_config(compose_config(*overrides))
    check_memory(run)
    return run


def rerun(
    folder: str | os.PathLike[str], *, output: str | os.PathLike[str] | None = None
) -> Results:
    """Run again the simulation recorded in a run folder, from its ``config.yaml``.

    ``config.yaml`` holds the resolved model configuration, seed included, so the run gives
    the same numbers (with the same package and library versions: see ``summary.json`` →
    ``provenance``).

    Parameters
    ----------
    folder
        A run folder written by ``resim task=run`` or ``sim.simulate(..., output=…)``.
    output
        Folder to write the new run's files to; nothing is written when None.

    Examples
    --------
    >>> import sim
    >>> first = sim.simulate("population.households=50", "years=1", output="out/a")
    >>> again = sim.rerun("out/a")
    >>> again.timeseries.equals(first.timeseries)
    True
    """
    import yaml

    from sim.results import run_model

    path = Path(folder) / "config.yaml"
    if not path.is_file():
        raise ConfigError(f"{path}: no such file (a run folder holds config.yaml)")
    try:
        with path.open(encoding="utf-8") as stream:  # its marks name the file
            data = yaml.safe_load(stream)
    except yaml.MarkedYAMLError as err:
        raise ConfigError(yaml_message(err)) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: cannot read it ({err})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected the mapping of a run's configuration")
    config = build(ModelConfig, data)
    check_consistency(config)
    results = run_model(config, progress=False)
    if output is not None:
        results.write(output)
    return results


def simulate(
    *overrides: str,
    config: ModelConfig | RunConfig | None = None,
    output: str | os.PathLike[str] | None = None,
) -> Results:
    """Run one simulation.

    Parameters
    ----------
    *overrides
        Hydra override strings, as on the command line
        (``"population.households=3000"``, ``"years=10"``, ``"seed=1"``).
    config
        A configuration already composed and validated (from :func:`load`, or varied from one
        with :func:`dataclasses.replace`), instead of overrides: nothing is composed, which
        saves the composition's time when a script runs many simulations.
    output
        Folder to write the run's files to; nothing is written when None.

    Returns
    -------
    Results
        ``timeseries``, ``households``, ``summary`` and ``config``.

    Examples
    --------
    >>> import sim
    >>> res = sim.simulate("population.households=300", "years=2")
    >>> sorted(res.timeseries["wealth_group"].unique())[:2]
    ['all', 'better_off']
    >>> run = sim.load("population.households=300", "years=2")
    >>> sim.simulate(config=run).timeseries.equals(res.timeseries)
    True
    """
    from sim.results import run_model

    if config is None:
        model = load(*overrides).model
    elif overrides:
        raise TypeError("simulate: give override strings or a config, not both")
    else:
        model = config.model if isinstance(config, RunConfig) else config
        if not isinstance(model, ModelConfig):
            raise TypeError(f"simulate: config must be a ModelConfig or RunConfig, not {config!r}")
        check_consistency(model)  # a varied config may break a rule between parameters
    results = run_model(model, progress=False)
    if output is not None:
        results.write(output)
    return results
