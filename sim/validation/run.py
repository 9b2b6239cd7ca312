"""Run the validation: every experiment × replicate, observed, measured, written.

:func:`validate` is ``sim.validate()`` and ``resim task=validate``.
"""

from __future__ import annotations

import os
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.runner import RunTask, execute, replicate_seeds
from sim.api import load
from sim.checks import check_executor, experiment_of
from sim.compose import compose_config, without_keys
from sim.io import run_folder, write_csv, write_text
from sim.validation.context import Context, Run
from sim.validation.experiments import EXPERIMENTS, experiment_configs
from sim.validation.observers import observer, programme_figures
from sim.validation.patterns import PATTERNS
from sim.validation.rendering import markdown, measure, rci_table
from sim.validation.settings import Settings, parse, table_destination

TABLE = "validation.md"
ROWS = "validation.csv"


@dataclass
class Validation:
    """The outcome of :func:`validate`.

    Attributes
    ----------
    rows
        One row per pattern: see :data:`~sim.validation.rendering.ROW_COLUMNS`.
    markdown
        The validation document.
    path
        Where the document was written: ``validate.output`` when given, else the output
        folder's ``validation.md`` (None if written nowhere).
    rci
        Mean RCI and pillar scores by package and wealth group (full CdR and none scored
        together at exit).
    summary
        Scale, timing, seeds and counts.
    context
        Every run's observations and the settings, for further analysis.
    """

    rows: pd.DataFrame
    markdown: str
    path: Path | None
    rci: pd.DataFrame
    summary: dict[str, Any]
    context: Context | None = field(default=None, repr=False)


def read_settings(data: Any) -> Settings:
    """The ``validate`` config group, checked against the registered patterns."""
    return parse(data, PATTERNS)


def validate(
    *overrides: str, output: str | os.PathLike[str] | None = None, progress: bool = False
) -> Validation:
    """Run the validation experiments and write the validation table.

    Parameters
    ----------
    *overrides
        Override strings as on the command line (``"validate.replicates=4"``,
        ``"validate.households=1000"``, ``"executor=serial"``, model parameters, which apply to
        every experiment; ``package`` and ``shocks`` are set by each experiment;
        ``validate.output=docs/validation.md`` also writes the table there).
    output
        Folder for ``validation.md``, ``validation.csv`` and the runs' shards (``shards/``:
        the same call into the same folder resumes an interrupted validation); a temporary
        folder, removed at the end, when None.
    progress
        Show a progress bar.

    Returns
    -------
    Validation
    """
    started = time.perf_counter()
    run = load(*overrides)
    data = compose_config(*overrides)
    s = read_settings(data["validate"])
    destination = table_destination(s)
    check_executor(experiment_of(run))
    configs = experiment_configs(s, overrides)
    seeds = replicate_seeds(run.model.seed, s.replicates)
    tasks = [
        RunTask(
            f"{name}/{r}",
            dict(config, seed=seed),
            {"experiment": name, "replicate": r, "vsla_months": s.vsla_months},
            observer=observer,
        )
        for r, seed in enumerate(seeds)
        for name, config in configs.items()
    ]
    assert run.experiment is not None
    e = run.experiment.executor
    executor = {
        "name": e.name,
        "workers": e.workers,
        "address": e.address or None,
        "flush_every": e.flush_every,
    }
    with run_folder(output) as folder:
        store, _ = execute(tasks, folder, executor, progress=progress)
        observations = store.observations()
    results: dict[str, list[Run]] = {name: [] for name in EXPERIMENTS}
    for result in observations:
        results[result["experiment"]].append(result)
    for name in results:
        results[name].sort(key=lambda r: r["replicate"])
    ctx = Context(results, s, programme_figures(dict(configs["baseline"], seed=run.model.seed)))
    table = measure(ctx)
    rci = rci_table(ctx)
    elapsed = time.perf_counter() - started
    summary = {
        "households": s.households,
        "targeted": int(ctx.programme["households"]),
        "years": s.years,
        "start_year": run.model.start_year,
        "replicates": s.replicates,
        "experiments": list(EXPERIMENTS),
        "runs": len(tasks),
        "seed": run.model.seed,
        "executor": e.name,
        "workers": 1 if e.name == "serial" else e.workers or os.cpu_count() or 1,
        "wall_time_s": elapsed,
        "passed": int((table["result"] == "pass").sum()),
        "patterns": len(table),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "overrides": without_keys(overrides, "validate.output"),
    }
    text = markdown(table, rci, ctx, summary)
    path = None
    if output is not None:
        folder = Path(output)
        write_csv(folder / ROWS, table)
        write_text(folder / TABLE, text)
        path = folder / TABLE
    if destination is not None:
        # the rows beside the committed table, for readers such as the report
        write_csv(destination.with_suffix(".csv"), table)
        write_text(destination, text)
        path = destination
    return Validation(table, text, path, rci, summary, ctx)
