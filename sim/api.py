"""The Python interface: the same override strings as the CLI, the same code path."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.compose import compose_config, model_dict, packages, without_keys
from sim.config import (
    ConfigError,
    ModelConfig,
    RunConfig,
    build,
    build_run_config,
    check_consistency,
    unknown_message,
)

if TYPE_CHECKING:
    from sim.results import Results


def package_configs(names: list[str], overrides: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """The validated model config of every package, with the same overrides."""
    known = packages()
    out = {}
    base = without_keys(overrides, "package")
    for i, name in enumerate(names):
        if name not in known:
            raise ConfigError(unknown_message(f"packages[{i}]", name, tuple(known)))
        data = compose_config(*base, f"package={name}")
        build_run_config(data)  # validate before any work
        out[name] = model_dict(data)
    return out


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
    exp = run.experiment
    configs = package_configs(list(exp.packages), overrides)
    with _folder(output) as folder:
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
    exp = run.experiment
    levels = check_doses(exp.synergy.doses)
    configs = synergy_configs(levels, tuple(overrides))
    with _folder(output) as folder:
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


def check_doses(doses: Sequence[float]) -> list[float]:
    """The factorial's dose levels, sorted: 0 and at least one other, each once."""
    levels = sorted(float(d) for d in doses)
    if len(set(levels)) != len(levels) or 0.0 not in levels or len(levels) < 2:
        raise ConfigError(
            f"synergy.doses = {list(doses)!r}: give 0 and at least one other dose, each once "
            "(e.g. [0, 1] or [0, 0.5, 1])"
        )
    return levels


def synergy_configs(levels: list[float], overrides: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """The model config of every cell of the pillar factorial at ``levels``."""
    from sim.analysis.runner import set_path
    from sim.analysis.synergy import CELLS, PILLARS, cell_name, dose_cells

    base = without_keys(overrides, "packages")
    if levels == [0.0, 1.0]:
        return package_configs(list(CELLS.values()), base)
    full = package_configs(["full_cdr"], base)["full_cdr"]
    out = {}
    for cell in dose_cells(levels):
        cfg = full
        for pillar, dose in zip(PILLARS, cell, strict=True):
            cfg = set_path(cfg, f"policy.{pillar}.dose", dose)
        out[cell_name(cell)] = cfg
    return dict(sorted(out.items(), key=lambda kv: kv[0] != "none"))  # baseline first


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
    exp = run.experiment
    sens = exp.sensitivity
    configs, factors = study_design(run, tuple(overrides))
    with _folder(output) as folder:
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
    exp = run.experiment
    configs, factors = study_design(run, tuple(overrides), task="discover")
    with _folder(output) as folder:
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


def study_design(run: RunConfig, overrides: tuple[str, ...], *, task: str = "sensitivity"):
    """The packages' model configs and the declarations a study varies, all checked.

    Returns
    -------
    configs, factors
        Model config by package name; the :class:`~sim.analysis.declarations.Declared`
        uncertainties (discover, ``sensitivity.kind=uncertainties``) or levers.
    """
    from sim.analysis.declarations import check, declared

    exp = run.experiment
    if task == "discover":
        names, decl, kind = list(exp.discover.packages), exp.uncertainties, "uncertainty"
    elif exp.sensitivity.kind == "uncertainties":
        names, decl, kind = list(exp.sensitivity.packages), exp.uncertainties, "uncertainty"
    else:
        names, decl, kind = [exp.levers.package], exp.levers, "lever"
    configs = package_configs(names, overrides)
    factors = declared(decl, kind)
    where = "uncertainties.factors" if kind == "uncertainty" else "levers.factors"
    for name, cfg in configs.items():
        check(cfg, factors, where=where, package=name)
    return configs, factors


def check_names(run: RunConfig) -> None:
    """Check the names an experiment refers to: packages, baseline, outcomes.

    Raises
    ------
    ConfigError
        For an unknown package (``packages``, ``baseline``, ``sensitivity.package``) or
        outcome (``sensitivity.outcomes``), with the closest valid names.
    """
    from sim.analysis.outcomes import OUTCOMES

    exp = run.experiment
    if exp is None:
        return
    known = tuple(packages())
    for i, name in enumerate(exp.packages):
        if name not in known:
            raise ConfigError(unknown_message(f"packages[{i}]", name, known))
    if not exp.packages:
        raise ConfigError("packages = []: name at least one package (conf/package)")
    twice = sorted({p for p in exp.packages if exp.packages.count(p) > 1})
    if twice:
        raise ConfigError(f"packages = {list(exp.packages)}: {twice[0]!r} is named twice")
    named = [("baseline", exp.baseline), ("levers.package", exp.levers.package)]
    named += [(f"sensitivity.packages[{i}]", p) for i, p in enumerate(exp.sensitivity.packages)]
    named += [(f"discover.packages[{i}]", p) for i, p in enumerate(exp.discover.packages)]
    for path, name in named:
        if name not in known:
            raise ConfigError(unknown_message(path, name, known))
    for where, chosen in (
        ("sensitivity.packages", exp.sensitivity.packages),
        ("discover.packages", exp.discover.packages),
    ):
        if not chosen:
            raise ConfigError(f"{where} = []: name at least one package (conf/package)")
    for i, name in enumerate(exp.sensitivity.outcomes):
        if name not in OUTCOMES:
            raise ConfigError(unknown_message(f"sensitivity.outcomes[{i}]", name, tuple(OUTCOMES)))
    if exp.discover.outcome not in OUTCOMES:
        raise ConfigError(
            unknown_message("discover.outcome", exp.discover.outcome, tuple(OUTCOMES))
        )


def check_studies(folders: Sequence[str]) -> None:
    """Every ``report.studies`` folder must hold a finished sensitivity or discovery study."""
    import json

    for i, folder in enumerate(folders):
        path = Path(folder) / "summary.json"
        task = json.loads(path.read_text()).get("task") if path.is_file() else None
        if task not in ("sensitivity", "discover"):
            raise ConfigError(
                f"report.studies[{i}] = {folder!r}: not a finished sensitivity or discover folder"
            )


def check_task(run: RunConfig, overrides: Sequence[str] = ()) -> None:
    """Everything a task needs checked before any work, beyond the config values themselves.

    Known packages, baseline and outcomes (:func:`check_names`); for ``compare``,
    ``synergy`` and ``sensitivity``, the configuration of every package they run, with the
    same overrides; the declarations a sensitivity or discovery study varies
    (:func:`study_design`) and Sobol's N; for ``validate``, its settings, where the table
    goes and every experiment's configuration; for ``collect``, the sweep folder.

    Raises
    ------
    ConfigError
        On the first problem, in one line.
    """
    check_names(run)
    exp = run.experiment
    if exp is None:
        return
    overrides = tuple(overrides)
    if run.task in ("compare", "report"):
        check_studies(exp.report.studies)
    if run.task == "report" and exp.report.source:
        if not (Path(exp.report.source) / "comparison.csv").exists():
            raise ConfigError(
                f"report.source = {exp.report.source!r}: not a finished compare folder"
            )
    elif run.task in ("compare", "report"):
        package_configs(list(exp.packages), overrides)
    elif run.task == "synergy":
        synergy_configs(check_doses(exp.synergy.doses), overrides)
    elif run.task == "sensitivity":
        from sim.analysis.sensitivity import check_n

        check_n(exp.method, exp.sensitivity.N)
        study_design(run, overrides)
    elif run.task == "discover":
        study_design(run, overrides, task="discover")
    elif run.task == "validate":
        from sim.validation.experiments import experiment_configs
        from sim.validation.patterns import PATTERNS
        from sim.validation.settings import parse, table_destination

        settings = parse(compose_config(*overrides)["validate"], PATTERNS)
        table_destination(settings)
        experiment_configs(settings, overrides)
    elif run.task == "collect":
        folder = exp.collect.dir
        if not folder or not Path(folder).is_dir():
            raise ConfigError(f"collect.dir = {folder!r}: must be an existing sweep folder")


def _executor(exp) -> dict[str, Any]:
    e = exp.executor
    return {
        "name": e.name,
        "workers": e.workers,
        "address": e.address or None,
        "flush_every": e.flush_every,
    }


@contextlib.contextmanager
def _folder(output):
    if output is not None:
        Path(output).mkdir(parents=True, exist_ok=True)
        yield Path(output)
    else:
        with tempfile.TemporaryDirectory(prefix="resim-") as tmp:
            yield Path(tmp)


def load(*overrides: str) -> RunConfig:
    """Compose and validate a run configuration from override strings."""
    return build_run_config(compose_config(*overrides))


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
    data = yaml.safe_load(path.read_text())
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
