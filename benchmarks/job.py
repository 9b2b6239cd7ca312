"""Where the wall time of a ``resim`` job goes: timestamps of its phases.

Runs ``resim`` in this process with the given overrides (none: the default job), with the
functions of its phases wrapped to note when they start and end (nothing in ``sim`` is
changed), and each run noting in its worker when it started and how much CPU it took
(``job_trace.py``). Prints, after the job's own output, every phase with its wall time since
this process started and the CPU time of this process so far, then one line per worker.

    uv run python benchmarks/job.py                       # the default job
    uv run python benchmarks/job.py replicates=2 hydra.run.dir=/tmp/x
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections import defaultdict
from typing import Any

from job_trace import now, process_started, traced_run_task

STARTED = process_started()
EVENTS: list[tuple[str, float, float]] = []
TOTALS: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
TRACES: list[tuple] = []


def note(name: str) -> None:
    """Note that ``name`` happens now (wall since the process started, CPU of the process)."""
    EVENTS.append((name, now() - STARTED, time.process_time()))


def phase(owner: Any, attr: str, name: str | None = None, *, total: bool = False) -> None:
    """Wrap ``owner.attr`` to note its start and end (or, with ``total``, count its time)."""
    fn = getattr(owner, attr)
    label = name or attr

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not total:
            note(f"{label} >")
        start = now()
        try:
            return fn(*args, **kwargs)
        finally:
            if total:
                TOTALS[label][0] += 1
                TOTALS[label][1] += now() - start
            else:
                note(f"{label} <")

    setattr(owner, attr, wrapper)


def patch_parent() -> None:
    """Wrap the phases of the job (imports are done: ``sim.cli`` loaded)."""
    import sim.analysis.compare as compare
    import sim.analysis.executor as executor
    import sim.analysis.runner as runner
    import sim.api as api
    import sim.checks as checks
    import sim.compose as compose

    phase(checks.CheckInput, "on_run_start", "check input")
    phase(compose, "_compose", "compose", total=True)
    phase(api, "compare", "api.compare")
    phase(api, "load", "api.load")
    phase(api, "package_configs", "api.package_configs")
    phase(checks, "package_configs", "checks.package_configs")
    phase(compare, "run_comparison")
    phase(compare, "execute")
    phase(compare, "write_comparison")
    phase(executor, "make_executor")
    phase(executor.ProcessExecutor, "close", "executor.close")
    phase(executor.ProcessPoolExecutor, "shutdown", "pool.shutdown")
    phase(runner.ShardStore, "flush", "shard flush", total=True)
    phase(runner.ShardStore, "outcomes", "read outcomes")
    phase(runner.ShardStore, "series", "read series")
    runner.run_task = traced_run_task
    add = runner.ShardStore.add

    def traced_add(self, result):
        TRACES.append(result.pop("trace"))
        if len(TRACES) == 1:
            note("first result")
        add(self, result)

    runner.ShardStore.add = traced_add


def report() -> None:
    """Print the phases and the workers."""
    out = sys.stderr
    print(f"\n{'phase':<28}{'wall s':>8}{'CPU s':>8}", file=out)
    for name, wall, cpu in EVENTS:
        print(f"{name:<28}{wall:8.2f}{cpu:8.2f}", file=out)
    for name, (count, seconds) in TOTALS.items():
        print(f"{name}: {count:.0f} calls, {seconds:.2f} s wall in all", file=out)
    t = os.times()
    print(
        f"this process CPU {t.user + t.system:.2f} s, children {t.children_user + t.children_system:.2f} s",
        file=out,
    )
    workers: dict[int, list[tuple]] = defaultdict(list)
    for tr in TRACES:
        workers[tr[0]].append(tr)
    for pid, runs in workers.items():
        runs.sort(key=lambda r: r[2])
        first = runs[0]
        cpu = sum(r[7] for r in runs)
        print(
            f"worker {pid}: started {first[1] - STARTED:.2f}, first task {first[2] - STARTED:.2f} "
            f"(CPU {first[5]:.2f} s), imports done {first[3] - STARTED:.2f} (CPU "
            f"{first[6]:.2f} s), last run ended {runs[-1][4] - STARTED:.2f}; {len(runs)} runs, "
            f"run CPU {cpu:.2f} s ({cpu / len(runs):.3f} s each, first {first[7]:.3f} s)",
            file=out,
        )


def main() -> None:
    """Run ``resim`` with the command line's overrides and print where its time went."""
    note("driver start")
    import sim.cli

    note("imports done")
    patch_parent()
    sys.argv = ["resim", *sys.argv[1:]]
    try:
        sim.cli.main()
    except SystemExit as done:
        note(f"exit {done.code}")
    else:
        note("main returned")
    report()


if __name__ == "__main__":
    main()
