"""Every check of the input, before any work: one module for the API, the CLI and Hydra.

The Python API (:mod:`sim.api`) and the ``resim`` command run the same checks, in the same
order, and both refuse bad input with a :class:`~sim.config.ConfigError` in one line
(:mod:`sim.errors` formats it):

1. structure and ranges of every value (:func:`sim.config.build_run_config`, with the
   consistency checks of :func:`sim.config.check_consistency`);
2. what a task refers to (:func:`check_task`): packages, baseline and outcomes
   (:func:`check_names`), the configuration of every package an experiment runs
   (:func:`package_configs`), sensitivity factors (:func:`check_factors`), the validation's
   settings and experiments, the folders ``report`` and ``collect`` read.

:class:`CheckInput`, a Hydra callback declared in ``conf/config.yaml``, runs them before Hydra
makes an output folder (for ``-m``, on every job of the sweep: :func:`sweep_jobs`), so bad
input leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import difflib
import itertools
import socket
import urllib.parse
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.compose import compose_config, model_dict, packages, set_path, without_keys
from sim.config import (
    ConfigError,
    ExperimentConfig,
    ModelConfig,
    RunConfig,
    SensitivityConfig,
    build,
    build_run_config,
    check_consistency,
    unknown_message,
)
from sim.errors import InputRefused, describe
from sim.extras import installed, missing

SWEEP_PRODUCT_LIMIT = 16
"""Sweeps of at most this many jobs are checked job by job; larger ones value by value."""


def experiment_of(run: RunConfig) -> ExperimentConfig:
    """The experiment settings of a task (compare, synergy, sensitivity, collect, report …).

    Raises
    ------
    ConfigError
        When the composed config has none (it did not come from ``conf/config.yaml``).
    """
    if run.experiment is None:
        raise ConfigError(
            f"task = {run.task!r}: needs the experiment settings (packages, replicates, "
            "executor, …) of conf/config.yaml"
        )
    return run.experiment


def package_configs(names: list[str], overrides: Sequence[str]) -> dict[str, dict[str, Any]]:
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


SCHEDULER_TIMEOUT_S = 5.0
"""How long the check waits for a Dask scheduler to accept a connection, seconds."""

EXPERIMENT_TASKS = ("compare", "synergy", "sensitivity", "validate")
"""Tasks that run an experiment through an executor (and ``report`` without a source)."""


def check_executor(exp: ExperimentConfig) -> None:
    """The executor can run: its extra is installed; a Dask scheduler's address answers.

    Raises
    ------
    ConfigError
        When ``executor=dask`` lacks ``resim[dask]``, or nothing accepts a connection at
        ``executor.address`` within :data:`SCHEDULER_TIMEOUT_S`.
    """
    e = exp.executor
    if e.name != "dask":
        return
    if not installed("dask"):
        raise ConfigError(missing("executor = 'dask'", "dask"))
    if not e.address:
        return
    where = f"executor.address = {e.address!r}"
    url = urllib.parse.urlsplit(e.address if "://" in e.address else f"tcp://{e.address}")
    try:
        host, port = url.hostname, url.port
    except ValueError:
        host, port = None, None
    if not host or not port:
        raise ConfigError(f"{where}: expected tcp://host:port")
    try:
        socket.create_connection((host, port), timeout=SCHEDULER_TIMEOUT_S).close()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise ConfigError(
            f"{where}: no Dask scheduler answers there ({reason} within "
            f"{SCHEDULER_TIMEOUT_S:g} s); start one (dask scheduler) or leave the address "
            "empty for a local cluster"
        ) from None


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


def check_factors(base: dict[str, Any], sens: SensitivityConfig) -> None:
    """Check every sensitivity factor: a model parameter, bounds ordered and within its range.

    Parameters
    ----------
    base
        The model config (plain containers) the factors vary.
    sens
        The :class:`~sim.config.SensitivityConfig`.
    """
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
    if run.task in EXPERIMENT_TASKS or (run.task == "report" and not exp.report.source):
        check_executor(exp)
    overrides = tuple(overrides)
    if run.task == "report" and exp.report.source:
        if not (Path(exp.report.source) / "comparison.csv").exists():
            raise ConfigError(
                f"report.source = {exp.report.source!r}: not a finished compare folder"
            )
    elif run.task in ("compare", "report"):
        package_configs(list(exp.packages), tuple(overrides))
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


class CheckInput(Callback):
    """Hydra callback: validate everything before Hydra makes an output folder.

    Declared in ``conf/config.yaml`` under ``hydra.callbacks``. A single run checks its
    composed configuration and the task's inputs (:func:`check_config`); a sweep (``-m``)
    checks every job, or every swept value when the sweep is large (:func:`sweep_jobs`).
    """

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Check a single run (``resim …``)."""
        with _refusing(config):
            check_config(config)
            out = OmegaConf.select(config, "hydra.run.dir")
            if not str(out or "").strip():
                raise ConfigError(
                    f"hydra.run.dir = {out!r}: must name a folder (empty would write the "
                    "outputs into the current folder)"
                )

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Check every job of a sweep (``resim -m …``) before the first one runs."""
        with _refusing(config):
            sweeper = str(OmegaConf.select(config, "hydra.sweeper._target_", default=""))
            if not sweeper.endswith("BasicSweeper"):
                check_config(config)  # other sweepers choose their values as they go
                return
            params = OmegaConf.select(config, "hydra.sweeper.params") or {}
            overrides = [f"{k}={v}" for k, v in params.items()]
            overrides += list(OmegaConf.select(config, "hydra.overrides.task", default=[]))
            name = kwargs.get("config_name") or "config"
            for job in sweep_jobs(overrides):
                check_overrides(job, config_name=name)


@contextlib.contextmanager
def _refusing(config: DictConfig) -> Iterator[None]:
    try:
        yield
    except Exception as err:
        verbose = OmegaConf.select(
            config, "verbose", default=False, throw_on_resolution_failure=False
        )
        raise InputRefused(err, verbose=verbose is True) from err


def check_config(config: DictConfig) -> RunConfig:
    """Validate a composed config (with its ``hydra`` node) and the task's inputs.

    Raises
    ------
    ConfigError
        On the first bad value, unknown name or inconsistency.
    """
    task_keys = [str(k) for k in config.keys() if k != "hydra"]
    try:
        data = OmegaConf.to_container(OmegaConf.masked_copy(config, task_keys), resolve=True)
    except OmegaConfBaseException as err:
        raise ConfigError(describe(err, [])) from err
    run = build_run_config(data)  # type: ignore[arg-type]
    overrides = list(OmegaConf.select(config, "hydra.overrides.task", default=[]))
    check_task(run, overrides)
    return run


def check_overrides(overrides: Sequence[str], *, config_name: str = "config") -> RunConfig:
    """Compose the app's config with ``overrides`` (Hydra initialised) and validate it."""
    from hydra import compose

    cfg = compose(config_name=config_name, overrides=list(overrides))
    try:
        data = OmegaConf.to_container(cfg, resolve=True)
    except OmegaConfBaseException as err:
        raise ConfigError(describe(err, overrides)) from err
    run = build_run_config(data)  # type: ignore[arg-type]
    check_task(run, overrides)
    return run


def sweep_jobs(overrides: Sequence[str], limit: int = SWEEP_PRODUCT_LIMIT) -> list[list[str]]:
    """The override lists to check for a sweep: every job, or a cover of every value.

    Up to ``limit`` jobs, every combination is checked; beyond, each swept value once (the
    other swept parameters at their first value), so checking stays linear in the values.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    choices: dict[str, list[str]] = {}
    for o in OverridesParser.create().parse_overrides(list(overrides)):
        key = o.get_key_element()
        if o.is_sweep_override() and o.is_discrete_sweep():
            choices[key] = [f"{key}={v}" for v in o.sweep_string_iterator()]
        else:
            choices[key] = [o.input_line or key]
    lists = list(choices.values())
    total = 1
    for values in lists:
        total *= len(values)
    if total <= limit:
        return [list(job) for job in itertools.product(*lists)]
    first = [values[0] for values in lists]
    jobs = [first]
    for i, values in enumerate(lists):
        for v in values[1:]:
            jobs.append([*first[:i], v, *first[i + 1 :]])
    return jobs
