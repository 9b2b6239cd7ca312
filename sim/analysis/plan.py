"""Before a study starts: how many runs, and about how long they will take.

:func:`announce` prints one line with the number of runs and, for a study large enough to
matter, an estimate of the wall time from two pilot runs of its first task in this process
(the first warms compiled kernels and imports; the second is timed), divided among the
executor's workers.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from typing import Any

from sim.analysis.runner import RunTask, run_task
from sim.config import ConfigError

PILOT_FROM = 50
"""Studies of at least this many runs get a time estimate from pilot runs."""


def workers(executor: dict[str, Any]) -> int:
    """Worker processes the executor will use."""
    if executor.get("name") == "serial":
        return 1
    return int(executor.get("workers") or os.cpu_count() or 1)


def estimate(tasks: list[RunTask], executor: dict[str, Any]) -> tuple[float, float]:
    """(seconds of one run, estimated wall seconds of all runs) from pilot runs."""
    run_task(tasks[0])  # warm-up: imports, compiled kernels
    started = time.perf_counter()
    run_task(tasks[0])
    one = time.perf_counter() - started
    return one, one * len(tasks) / workers(executor)


def check_outcomes(task: RunTask, outcomes: list[str], *, where: str) -> None:
    """Run one task and refuse outcomes it leaves undefined, before a study's runs start.

    Raises
    ------
    ConfigError
        Naming the first outcome that is not a finite number (e.g. an outcome measured some
        years after exit, beyond the horizon).
    """
    row = run_task(task)["row"]
    for i, name in enumerate(outcomes):
        value = row.get(name)
        if value is None or not math.isfinite(float(value)):
            label = f"{where}[{i}]" if where.endswith("s") else where  # a list, or one outcome
            raise ConfigError(
                f"{label} = {name!r}: undefined in this study's runs (e.g. measured after "
                f"exit beyond the horizon of {task.config['years']} years); choose another "
                "outcome or a longer horizon"
            )


def duration(seconds: float) -> str:
    """A duration in words: ``40 s``, ``12 min``, ``3.5 h``."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def announce(
    tasks: list[RunTask],
    executor: dict[str, Any],
    say: Callable[[str], None] | None,
    *,
    design: str,
) -> None:
    """Print the number of runs of a study (and, when large, an estimate of its time).

    Parameters
    ----------
    tasks
        Every run of the study.
    executor
        The executor settings (``name``, ``workers``).
    say
        Where the line goes (the CLI prints it); nothing is done when None.
    design
        How the runs arise, in words (``3 packages × 256 points × 5 replicates``).
    """
    if say is None or not tasks:
        return
    cfg = tasks[0].config
    scale = f"{cfg['population']['households']:,} households × {cfg['years']} years"
    line = f"{len(tasks):,} runs ({design}) of {scale}"
    if len(tasks) >= PILOT_FROM:
        one, total = estimate(tasks, executor)
        n = workers(executor)
        line += (
            f"; about {duration(total)} on {n} worker{'s' if n > 1 else ''}"
            f" (one run took {one:.2f} s)"
        )
    say(line)
