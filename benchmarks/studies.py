"""Wall time of two standard studies on this machine (all local cores, processes executor).

1. The programme as run (``experiments/programme_as_run.yaml``) with 100 replicates per
   package: 3 packages × 100 replicates of 5,000 households over 8 years.
2. A Sobol analysis with N=1024 of the 12 declared factors (``conf/sensitivity``),
   5 replicates per point, 1,000 households, 10 years: 1024 × (2·12 + 2) = 26,624 points ×
   5 = 133,120 runs. It is timed on the first ``--sobol-points`` points and extrapolated
   (the runs are independent and of equal size); the output says so.

Usage: ``uv run python benchmarks/studies.py [--replicates 100] [--sobol-points 64]``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import sim
from sim.analysis.executor import make_executor
from sim.analysis.runner import (
    RunTask,
    ShardStore,
    fingerprint,
    replicate_seeds,
    run_tasks,
    set_path,
)
from sim.analysis.sensitivity import problem, sample


def programme_as_run(replicates: int) -> float:
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        sim.compare("+experiment=programme_as_run", f"replicates={replicates}", output=out, progress=True)
        return time.perf_counter() - t0


def sobol_estimate(points: int, replicates: int = 5) -> tuple[float, int, int]:
    run = sim.load("population.households=1000", "years=10")
    sens = run.experiment.sensitivity
    base = sim.api.package_configs([sens.package], ("population.households=1000", "years=10"))[sens.package]
    factors = [f for f in sens.factors]
    prob = problem(factors)
    x = sample(prob, "sobol", 1024, seed=1, second_order=True)
    seeds = replicate_seeds(1, replicates)
    tasks = []
    for i, point in enumerate(x[:points]):
        cfg = base
        for f, value in zip(factors, point, strict=True):
            cfg = set_path(cfg, f.name, float(value))
        for r, s in enumerate(seeds):
            tasks.append(RunTask(f"{i}/{r}", dict(cfg, seed=s), {"point": i, "replicate": r}))
    with tempfile.TemporaryDirectory() as out:
        store = ShardStore(out, fingerprint(tasks), flush_every=64)
        ex = make_executor("processes")
        t0 = time.perf_counter()
        try:
            run_tasks(tasks, store, ex, progress=True)
        finally:
            ex.close()
        elapsed = time.perf_counter() - t0
    return elapsed, len(tasks), len(x) * replicates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replicates", type=int, default=100)
    parser.add_argument("--sobol-points", type=int, default=64)
    args = parser.parse_args()
    print(f"# {os.cpu_count()} cores")
    t = programme_as_run(args.replicates)
    print(f"programme as run, 3 packages x {args.replicates} replicates: {t:.0f} s ({t / 60:.1f} min)")
    elapsed, done, total = sobol_estimate(args.sobol_points)
    estimate = elapsed / done * total
    print(
        f"Sobol N=1024, 12 factors, 5 replicates, 1,000 households x 10 years: {done} of {total} runs "
        f"in {elapsed:.0f} s -> extrapolated {estimate / 3600:.1f} h for the whole study"
    )


if __name__ == "__main__":
    main()
