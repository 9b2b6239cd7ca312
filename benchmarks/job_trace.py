"""The worker side of ``benchmarks/job.py``: each run's start, end and CPU time, by worker.

A module of its own (not the driver script), so that spawned workers can import the traced
worker function by name. Times are on the clock of ``/proc`` (seconds since boot), so that a
process's start (:func:`process_started`) compares with them.
"""

from __future__ import annotations

import os
import time
from typing import Any


def now() -> float:
    """Seconds since boot (``CLOCK_BOOTTIME``, the clock of process start times)."""
    return time.clock_gettime(time.CLOCK_BOOTTIME)


def process_started(pid: int | str = "self") -> float:
    """When process ``pid`` started, s since boot (Linux ``/proc``, 10 ms resolution)."""
    with open(f"/proc/{pid}/stat") as stat:
        ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
    return ticks / os.sysconf("SC_CLK_TCK")


def traced_run_task(task: Any) -> dict[str, Any]:
    """:func:`sim.analysis.runner.run_task`, its result carrying when and where it ran.

    ``trace`` = (pid, process start, call, run start (imports done), run end, CPU of the
    process at the call, CPU of the imports, CPU of the run).
    """
    called, cpu0 = now(), time.process_time()
    import sim.model  # noqa: F401  (what a first run imports, timed apart)
    from sim.analysis.runner import run_task

    start, cpu = now(), time.process_time()
    result = run_task(task)
    end = now()
    result["trace"] = (
        os.getpid(),
        process_started(),
        called,
        start,
        end,
        cpu0,
        cpu - cpu0,
        time.process_time() - cpu,
    )
    return result
