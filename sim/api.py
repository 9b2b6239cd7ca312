"""The Python interface: the same override strings as the CLI, the same code path."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.checks import (
    check_executor,
    check_factors,
    check_memory,
    check_names,
    experiment_of,
    package_configs,
)
from sim.compose import compose_config, without_keys
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
    from sim.analysis.compare import run_comparison

    run = load(*overrides)
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


def synergy(*overrides: str, output: str | os.PathLike[str] | None = None, progress: bool = False):
    """The 2×2×2 pillar factorial (the ``synergy`` task); returns (comparison, effects table)."""
    from sim.analysis.compare import run_comparison
    from sim.analysis.outcomes import OUTCOMES
    from sim.analysis.synergy import CELLS, synergy_table
    from sim.io import write_csv

    run = load(*overrides)
    exp = experiment_of(run)
    check_executor(exp)
    configs = package_configs(list(CELLS.values()), without_keys(overrides, "packages"))
    with run_folder(output) as folder:
        comparison = run_comparison(
            configs,
            seed=run.model.seed,
            replicates=exp.replicates,
            baseline="none",
            folder=folder,
            executor=_executor(exp),
            progress=progress,
            series=False,
            experiment={"task": "synergy", "overrides": list(overrides)},
        )
        table = synergy_table(comparison.runs, list(OUTCOMES))
        write_csv(Path(folder) / "synergy.csv", table, float_format="%.6g")
    return comparison, table


def sensitivity(
    *overrides: str, output: str | os.PathLike[str] | None = None, progress: bool = False
):
    """Sobol or Morris sensitivity of the declared factors (the ``sensitivity`` task)."""
    from sim.analysis.sensitivity import Factor, run_sensitivity

    run = load(*overrides)
    check_names(run)
    exp = experiment_of(run)
    check_executor(exp)
    sens = exp.sensitivity
    base = package_configs([sens.package], tuple(overrides))[sens.package]
    check_factors(base, sens)  # real parameters, bounds within their declared ranges
    factors = [Factor(f.name, f.low, f.high, f.unit, f.source) for f in sens.factors]
    with run_folder(output) as folder:
        return run_sensitivity(
            base,
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
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
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


def simulate(*overrides: str, output: str | os.PathLike[str] | None = None) -> Results:
    """Run one simulation.

    Parameters
    ----------
    *overrides
        Hydra override strings, as on the command line
        (``"population.households=3000"``, ``"years=10"``, ``"seed=1"``).
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
    """
    from sim.results import run_model

    run = load(*overrides)
    results = run_model(run.model, progress=False)
    if output is not None:
        results.write(output)
    return results
