"""Every check of the input, before any work: one module for the API, the CLI and Hydra.

The Python API (:mod:`sim.api`) and the ``resim`` command run the same checks, in the same
order, and both refuse bad input with a :class:`~sim.config.ConfigError` in one line
(:mod:`sim.errors` formats it):

1. structure and ranges of every value (:func:`sim.config.build_run_config`, with the
   consistency checks of :func:`sim.config.check_consistency`);
2. what a task refers to (:func:`check_task`): packages, baseline and outcomes
   (:func:`check_names`), the configuration of every package an experiment runs
   (:func:`package_configs`), the factors of a study (:func:`study_design`), the validation's
   settings and experiments, the folders ``report`` and ``collect`` read.

:class:`CheckInput`, a Hydra callback declared in ``conf/config.yaml``, runs them before Hydra
makes an output folder (for ``-m``, on every job of the sweep: :func:`sweep_jobs`), so bad
input leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import socket
import sys
import urllib.parse
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.compose import compose_config, model_dict, packages, set_path, without_keys
from sim.config import (
    ConfigError,
    ExperimentConfig,
    RunConfig,
    build_run_config,
    unknown_message,
)
from sim.errors import InputRefused, describe
from sim.extras import installed, missing
from sim.io import FolderBusy, FolderLock, acquire, check_writable, release

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

EXPERIMENT_TASKS = ("compare", "synergy", "sensitivity", "discover", "validate")
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


BYTES_BASE = 300e6
"""Memory of a process before the model, B (Python, numpy, pandas, Hydra, Mesa imported)."""

BYTES_PER_HOUSEHOLD = 3.0e3
"""Memory of one household's state, B (peak RSS of 20,000 and 200,000 households over one
year, measured: about 3.2 kB per household)."""

BYTES_PER_HOUSEHOLD_MONTH = 20.0
"""Memory that grows with the horizon, B per household-month (episodes, records: the same
runs over ten years, about 21 B)."""

BYTES_OBSERVED = 41.0
"""What the validation's observer keeps, B per household-month (eight monthly panels)."""


def memory_estimate(households: int, months: int, *, observed: bool = False) -> float:
    """Peak memory of one run, B (an estimate from the measured constants above)."""
    per_month = BYTES_PER_HOUSEHOLD_MONTH + (BYTES_OBSERVED if observed else 0.0)
    return BYTES_BASE + households * (BYTES_PER_HOUSEHOLD + months * per_month)


def available_memory() -> float | None:
    """Memory the machine can give now, B (``MemAvailable``; None where unknown)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return float(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(
    run: RunConfig,
    *,
    households: int | None = None,
    months: int | None = None,
    setting: str | None = None,
    observed: bool = False,
) -> None:
    """Refuse a task whose runs cannot fit in the machine's memory, before any work.

    Runs at once: one for ``run``; for experiments, the local executor's workers (a remote
    Dask cluster's memory is its own). Below, the households and months of ``run`` unless
    given.

    Raises
    ------
    ConfigError
        Naming the parameter, the estimate and what is available.
    """
    n = run.model.population.households if households is None else households
    m = run.model.months if months is None else months
    at_once = 1
    exp = run.experiment
    if exp is not None and (run.task in EXPERIMENT_TASKS or run.task == "report"):
        e = exp.executor
        if e.name == "dask" and e.address:
            at_once = 0  # the cluster's workers hold the runs, not this machine
        elif e.name != "serial":
            at_once = e.workers or os.cpu_count() or 1
    need = memory_estimate(n, m, observed=observed) * max(at_once, 1)
    if at_once == 0:
        need = BYTES_BASE
    have = available_memory()
    if have is None or need <= have:
        return
    what = setting or f"population.households = {n}"
    runs = f", {at_once} runs at a time" if at_once > 1 else ""
    raise ConfigError(
        f"{what}: needs about {_bytes(need)} of memory ({BYTES_PER_HOUSEHOLD / 1e3:g} kB per "
        f"household and {BYTES_PER_HOUSEHOLD_MONTH:g} B per household-month over {m} months"
        f"{runs}); {_bytes(have)} is available"
    )


def _bytes(x: float) -> str:
    for unit, size in (("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if x >= size:
            return f"{x / size:,.1f} {unit}"
    return f"{x / 1e3:,.0f} kB"


def check_compare_folder(source: str) -> None:
    """A finished compare folder that ``report`` can read: its files exist and are well formed.

    ``summary.json`` names the packages, the baseline among them, the replicates and the seed
    as a compare writes them; ``comparison.csv`` has its columns, numbers where numbers go;
    ``runs.parquet`` is a Parquet file.

    Raises
    ------
    ConfigError
        Naming ``report.source``, the file and what is wrong.
    """
    import pandas as pd
    import pyarrow.parquet as pq

    from sim.analysis.compare import COMPARISON_COLUMNS

    folder = Path(source)
    where = f"report.source = {source!r}"
    if not (folder / "comparison.csv").is_file() or not (folder / "summary.json").is_file():
        raise ConfigError(f"{where}: not a finished compare folder")
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ConfigError(f"{where}: summary.json: cannot read it ({err})") from None
    if not isinstance(summary, dict):
        raise ConfigError(f"{where}: summary.json: not the summary of a comparison")
    packages = summary.get("packages")
    if (
        not isinstance(packages, list)
        or not packages
        or not all(isinstance(p, str) for p in packages)
    ):
        raise ConfigError(f"{where}: summary.json: packages = {packages!r}: expected names")
    if summary.get("baseline") not in packages:
        raise ConfigError(
            f"{where}: summary.json: baseline = {summary.get('baseline')!r}: not among packages"
        )
    for key in ("replicates", "seed"):
        value = summary.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{where}: summary.json: {key} = {value!r}: expected an integer")
    try:
        table = pd.read_csv(folder / "comparison.csv")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise ConfigError(f"{where}: comparison.csv: cannot read it ({err})") from None
    missing = [c for c in COMPARISON_COLUMNS if c not in table.columns]
    if missing:
        raise ConfigError(f"{where}: comparison.csv: missing column {missing[0]!r}")
    for column in COMPARISON_COLUMNS[2:]:
        values = table[column]
        if values.notna().sum() != pd.to_numeric(values, errors="coerce").notna().sum():
            raise ConfigError(f"{where}: comparison.csv: column {column!r} holds text")
    try:
        pq.ParquetFile(folder / "runs.parquet")
    except Exception as err:  # Arrow raises several kinds for a missing or damaged file
        raise ConfigError(f"{where}: runs.parquet: cannot read it ({err})") from None


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
    for i, folder in enumerate(folders):
        path = Path(folder) / "summary.json"
        try:
            summary = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ConfigError(
                f"report.studies[{i}] = {folder!r}: summary.json: cannot read it ({err})"
            ) from None
        task = summary.get("task") if isinstance(summary, dict) else None
        if task not in ("sensitivity", "discover"):
            raise ConfigError(
                f"report.studies[{i}] = {folder!r}: not a finished sensitivity or discover folder"
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


def study_design(run: RunConfig, overrides: tuple[str, ...], *, task: str = "sensitivity"):
    """The packages' model configs and the declarations a study varies, all checked.

    Returns
    -------
    configs, factors
        Model config by package name; the :class:`~sim.analysis.declarations.Declared`
        uncertainties (discover, ``sensitivity.kind=uncertainties``) or levers.
    """
    from sim.analysis.declarations import check, declared

    exp = experiment_of(run)
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


def check_task(run: RunConfig, overrides: Sequence[str] = ()) -> None:
    """Everything a task needs checked before any work, beyond the config values themselves.

    Known packages, baseline and outcomes (:func:`check_names`); for ``compare``,
    ``synergy`` and ``sensitivity``, the configuration of every package they run, with the
    same overrides; the declarations a sensitivity or discovery study varies
    (:func:`study_design`) and Sobol's N; for ``validate``, its settings, where the table
    goes and every experiment's configuration; for ``collect``, the sweep folder; for
    ``report``, the folders it reads; for every task, the executor (its extra, a Dask
    scheduler's address) and the memory its runs need.

    Raises
    ------
    ConfigError
        On the first problem, in one line.
    """
    check_names(run)
    exp = run.experiment
    if run.task != "validate":  # its scale is validate.households (checked below)
        check_memory(run)
    if exp is None:
        return
    if run.task in EXPERIMENT_TASKS or (run.task == "report" and not exp.report.source):
        check_executor(exp)
    overrides = tuple(overrides)
    if run.task in ("compare", "report"):
        check_studies(exp.report.studies)
    if run.task == "report" and exp.report.source:
        check_compare_folder(exp.report.source)
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
        check_memory(
            run,
            households=settings.households,
            months=12 * settings.years,
            setting=f"validate.households = {settings.households}",
            observed=True,
        )
    elif run.task == "collect":
        folder = exp.collect.dir
        if not folder or not Path(folder).is_dir():
            raise ConfigError(f"collect.dir = {folder!r}: must be an existing sweep folder")


class CheckInput(Callback):
    """Hydra callback: validate everything before Hydra makes an output folder.

    Declared in ``conf/config.yaml`` under ``hydra.callbacks``. A single run checks its
    composed configuration and the task's inputs (:func:`check_config`); a sweep (``-m``)
    checks every job, or every swept value when the sweep is large (:func:`sweep_jobs`).
    """

    def __init__(self) -> None:
        self._locks: list[FolderLock] = []

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Check a single run (``resim …``), then take its output folder's lock."""
        with _refusing(config):
            check_config(config)
            out = OmegaConf.select(config, "hydra.run.dir")
            if not str(out or "").strip():
                raise ConfigError(
                    f"hydra.run.dir = {out!r}: must name a folder (empty would write the "
                    "outputs into the current folder)"
                )
            overrides = list(OmegaConf.select(config, "hydra.overrides.task", default=[]))
            self._claim(Path(str(out)), "hydra.run.dir", overrides)

    def on_run_end(self, config: DictConfig, **kwargs: Any) -> None:
        """Drop the output folder's lock."""
        self._release()

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        """Drop the sweep folder's lock."""
        self._release()

    def _claim(self, folder: Path, setting: str, overrides: Sequence[str]) -> None:
        check_output_folder(folder, setting, overrides)
        try:
            self._locks.append(acquire(folder, "resim " + " ".join(sys.argv[1:])))
        except FolderBusy as busy:
            raise ConfigError(f"{setting} = {str(folder)!r}: {busy}") from None

    def _release(self) -> None:
        while self._locks:
            release(self._locks.pop())

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
            out = OmegaConf.select(config, "hydra.sweep.dir")
            self._claim(Path(str(out)), "hydra.sweep.dir", [])


UNRELATED_TO_RESULTS = (
    "progress",
    "verbose",
    "executor",
    "hydra",
    "validate.output",
    "report.lang",
)
"""Overrides (and their sub-keys) that change how a command runs, never what it computes."""


def check_output_folder(folder: Path, setting: str, overrides: Sequence[str]) -> None:
    """The output folder can be written, and holds no other command's experiment.

    An experiment's folder (``shards/``) is resumed only by the command that made it (its
    ``.hydra/overrides.yaml``, less the overrides of :data:`UNRELATED_TO_RESULTS`): another
    command is refused before anything in the folder is touched.

    Raises
    ------
    ConfigError
        In one line, naming ``setting``.
    """
    where = f"{setting} = {str(folder)!r}"
    try:
        check_writable(folder, where)
    except ValueError as err:
        raise ConfigError(str(err)) from None
    recorded = folder / ".hydra" / "overrides.yaml"
    if not (folder / "shards" / "manifest.json").is_file() or not recorded.is_file():
        return
    try:
        before = [str(o) for o in yaml.safe_load(recorded.read_text()) or []]
    except (OSError, yaml.YAMLError, TypeError):
        return  # an unreadable record: the shards' own fingerprint still guards the folder
    if _results_key(before) != _results_key(overrides):
        raise ConfigError(
            f"{where}: holds the experiment of another command (resim {' '.join(before)}); run "
            "that command to resume it, or choose another folder"
        )


def _results_key(overrides: Sequence[str]) -> dict[str, str]:
    """The overrides that decide the results, by key (the last setting of a key wins)."""
    out = {}
    for o in overrides:
        key, _, value = o.partition("=")
        key = key.lstrip("+~")
        if key.split(".")[0].split("/")[0] in UNRELATED_TO_RESULTS or key in UNRELATED_TO_RESULTS:
            continue
        out[key] = value
    return out


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
