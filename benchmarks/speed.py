"""Wall time of the vectorised model, excluding start-up (imports, config composition).

Usage: ``uv run python benchmarks/speed.py [--repeat 5]``. Prints one line per population
size: build time, run time (median over repeats) and household-months per second.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import sim
from sim.model import ResilienceModel

CASES = [(3_000, 10), (3_000, 15), (30_000, 10), (300_000, 10)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    machine = platform.processor() or platform.machine()
    print(f"# {machine}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'households':>10} {'years':>5} {'build s':>8} {'run s':>8} {'household-months/s':>20}")
    for households, years in CASES:
        cfg = sim.load(f"population.households={households}", f"years={years}").model
        builds, runs = [], []
        for _ in range(args.repeat if households <= 30_000 else 1):
            t0 = time.perf_counter()
            model = ResilienceModel(cfg)
            t1 = time.perf_counter()
            model.run()
            t2 = time.perf_counter()
            builds.append(t1 - t0)
            runs.append(t2 - t1)
        run = statistics.median(runs)
        rate = households * 12 * years / run
        build = statistics.median(builds)
        print(f"{households:>10,} {years:>5} {build:>8.3f} {run:>8.3f} {rate:>20,.0f}")


if __name__ == "__main__":
    main()
