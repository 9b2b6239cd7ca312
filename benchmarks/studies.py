"""Wall time of two standard studies on this machine (all local cores, processes executor).

1. The programme as run (``experiments/programme_as_run.yaml``) with 100 replicates per
   package: 3 packages × 100 replicates of 5,000 households over 8 years.
2. A Sobol analysis with N=1024 of the declared uncertainties (``conf/uncertainties``, D of
   them) for the full package, 5 replicates per point, 1,000 households, 10 years:
   1024 × (2·D + 2) points × 5 runs. It is timed on the first ``--sobol-points`` points and
   extrapolated (the runs are independent and of equal size); the output says so.

Usage: ``uv run python benchmarks/studies.py [--replicates 100] [--sobol-points 64]``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import sim
from sim.analysis.runner import execute, replicate_seeds
from sim.analysis.sensitivity import design_tasks, problem, sample
from sim.checks import study_design


def programme_as_run(replicates: int) -> float:
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        sim.compare(
            "+experiment=programme_as_run", f"replicates={replicates}", output=out, progress=True
        )
        return time.perf_counter() - t0


def sobol_estimate(points: int, replicates: int = 5) -> tuple[float, int, int, int]:
    size = ("population.households=1000", "years=10", "sensitivity.packages=[full_cdr]")
    configs, factors = study_design(sim.load(*size), size)
    base = configs["full_cdr"]
    x = sample(problem(factors), "sobol", 1024, seed=1, second_order=True)
    tasks = design_tasks(base, factors, x[:points], replicate_seeds(1, replicates))
    with tempfile.TemporaryDirectory() as out:
        _, elapsed = execute(tasks, out, {"name": "processes"}, flush_every=64)
    return elapsed, len(tasks), len(x) * replicates, len(factors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replicates", type=int, default=100)
    parser.add_argument("--sobol-points", type=int, default=64)
    args = parser.parse_args()
    print(f"# {os.cpu_count()} cores")
    t = programme_as_run(args.replicates)
    print(
        f"programme as run, 3 packages x {args.replicates} replicates: {t:.0f} s ({t / 60:.1f} min)"
    )
    elapsed, done, total, d = sobol_estimate(args.sobol_points)
    estimate = elapsed / done * total
    print(
        f"Sobol N=1024, {d} uncertainties, 5 replicates, 1,000 households x 10 years: {done} of {total} runs "
        f"in {elapsed:.0f} s -> extrapolated {estimate / 3600:.1f} h for the whole study"
    )


if __name__ == "__main__":
    main()
