"""The Python interface: the same override strings as the CLI, the same code path."""

from __future__ import annotations

import contextlib
import difflib
import os
import tempfile
from collections.abc import Sequence
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


def synergy(*overrides: str, output: str | os.PathLike[str] | None = None, progress: bool = False):
    """The 2×2×2 pillar factorial (the ``synergy`` task); returns (comparison, effects table)."""
    from sim.analysis.compare import run_comparison
    from sim.analysis.outcomes import OUTCOMES
    from sim.analysis.synergy import CELLS, synergy_table
    from sim.results import atomic_write

    run = load(*overrides)
    exp = run.experiment
    configs = package_configs(list(CELLS.values()), without_keys(overrides, "packages"))
    with _folder(output) as folder:
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
        atomic_write(
            Path(folder) / "synergy.csv",
            lambda p: table.to_csv(p, index=False, float_format="%.6g"),
        )
    return comparison, table


def sensitivity(
    *overrides: str, output: str | os.PathLike[str] | None = None, progress: bool = False
):
    """Sobol or Morris sensitivity of the declared factors (the ``sensitivity`` task)."""
    from sim.analysis.sensitivity import Factor, run_sensitivity

    run = load(*overrides)
    check_names(run)
    exp = run.experiment
    sens = exp.sensitivity
    base = package_configs([sens.package], tuple(overrides))[sens.package]
    check_factors(base, sens)  # real parameters, bounds within their declared ranges
    factors = [Factor(f.name, f.low, f.high, f.unit, f.source) for f in sens.factors]
    with _folder(output) as folder:
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
    for path, name in (
        ("baseline", exp.baseline),
        ("sensitivity.package", exp.sensitivity.package),
    ):
        if name not in known:
            raise ConfigError(unknown_message(path, name, known))
    for i, name in enumerate(exp.sensitivity.outcomes):
        if name not in OUTCOMES:
            raise ConfigError(unknown_message(f"sensitivity.outcomes[{i}]", name, tuple(OUTCOMES)))


def check_factors(base: dict[str, Any], sens) -> None:
    """Check every sensitivity factor: a model parameter, bounds ordered and within its range.

    Parameters
    ----------
    base
        The model config (plain containers) the factors vary.
    sens
        The :class:`~sim.config.SensitivityConfig`.
    """
    from sim.analysis.runner import set_path

    if not sens.factors:
        raise ConfigError("sensitivity.factors = []: declare at least one factor")
    names = [f.name for f in sens.factors]
    for i, f in enumerate(sens.factors):
        where = f"sensitivity.factors[{i}]"
        if f.name in names[:i]:
            raise ConfigError(f"{where}.name = {f.name!r}: already a factor (one entry each)")
        try:
            set_path(base, f.name, f.low)
        except ConfigError:
            close = difflib.get_close_matches(f.name, _leaf_paths(base), n=3, cutoff=0.6)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise ConfigError(f"{where}.name = {f.name!r}: not a model parameter{hint}") from None
        if not f.low < f.high:
            raise ConfigError(f"{where}.low = {f.low!r}: must be below {where}.high = {f.high!r}")
        for bound, value in (("low", f.low), ("high", f.high)):
            try:
                check_consistency(build(ModelConfig, set_path(base, f.name, value)))
            except ConfigError as err:
                reason = str(err).split(": ", 1)[-1]
                raise ConfigError(
                    f"{where}.{bound} = {value!r}: outside what {f.name} allows ({reason})"
                ) from None


def check_task(run: RunConfig, overrides: Sequence[str] = ()) -> None:
    """Everything a task needs checked before any work, beyond the config values themselves.

    Known packages, baseline and outcomes (:func:`check_names`); for ``compare``,
    ``synergy`` and ``sensitivity``, the configuration of every package they run, with the
    same overrides; the sensitivity factors (:func:`check_factors`); for ``validate``, its
    settings, where the table goes and every experiment's configuration; for ``collect``,
    the sweep folder.

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
    if run.task == "report" and exp.report.source:
        if not (Path(exp.report.source) / "comparison.csv").exists():
            raise ConfigError(
                f"report.source = {exp.report.source!r}: not a finished compare folder"
            )
    elif run.task in ("compare", "report"):
        package_configs(list(exp.packages), overrides)
    elif run.task == "synergy":
        from sim.analysis.synergy import CELLS

        package_configs(list(CELLS.values()), without_keys(overrides, "packages"))
    elif run.task == "sensitivity":
        name = exp.sensitivity.package
        check_factors(package_configs([name], overrides)[name], exp.sensitivity)
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


def _leaf_paths(data: dict[str, Any], prefix: str = "") -> list[str]:
    out = []
    for k, v in data.items():
        if isinstance(v, dict):
            out.extend(_leaf_paths(v, f"{prefix}{k}."))
        else:
            out.append(f"{prefix}{k}")
    return out


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
