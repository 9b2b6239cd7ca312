"""Speed and memory of the vectorised model, the per-household reference, and a Sobol study.

Usage::

    uv run python benchmarks/run.py            # everything (about 10 minutes on 2 cores)
    uv run python benchmarks/run.py --quick    # skip 300,000 and 1,000,000 households

Every measurement runs in a fresh child process, so that its peak memory is its own: peak
memory is the child's peak resident set size (``resource.getrusage(RUSAGE_SELF).ru_maxrss``),
which includes the interpreter and the imported libraries; the resident size just before the
model is built is printed beside it ("base"). Times are wall-clock (``time.perf_counter``)
and exclude start-up (imports, config composition, loading the compiled kernels: a one-off
cost per process, printed separately, with the time to compile them into an empty cache)
unless said otherwise.

Sections:

1. vectorised model against a naive Mesa toy (``benchmarks/toy.py``: ten scalar updates per
   agent and month, as a typical Mesa model is written) and against the per-household
   reference (``sim.reference``): one run of 3,000 households × 15 years,
   ``package=full_cdr``, ``shocks=baseline``;
2. household-months per second of the vectorised model, 10 years, ``package=full_cdr``,
   for 3,000 to 1,000,000 households (build and run timed separately; sizes of 300,000 and
   more are run once);
3. an extrapolated estimate of the standard Sobol study (12 factors, N = 1,024 with
   second-order indices: 26,624 sample points, 5 replicates each, 1,000 households,
   10 years), from runs made as a study makes them (configuration composed once per worker,
   no ledger check, outcomes only), measured two at a time on two worker processes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

SCENARIO = ("package=full_cdr", "shocks=baseline")
SIZES = (3_000, 30_000, 300_000, 1_000_000)
BIG = 300_000  # sizes from here on are run once and skipped by --quick
SOBOL_POINTS = 1024 * (2 * 12 + 2)  # Saltelli sampling with second-order indices
SOBOL_REPLICATES = 5
SOBOL_HOUSEHOLDS = 1_000
SOBOL_YEARS = 10


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """Resident set size of this process now, MB (from /proc; peak if unavailable)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return peak_rss_mb()


# ---------------------------------------------------------------------- child processes
def warm_up() -> float:
    """Load every compiled kernel once (a one-off cost per process); return its time, s.

    A model of 50 households runs one year: every kernel is compiled, or loaded from
    ``NUMBA_CACHE_DIR``, before anything is timed.
    """
    import sim
    from sim.model import ResilienceModel

    t0 = time.perf_counter()
    ResilienceModel(sim.load("population.households=50", "years=1", *SCENARIO).model).run()
    return time.perf_counter() - t0


def measure_compile(cache: str) -> dict[str, Any]:
    """Time the warm-up in a process whose compiled code goes to (or comes from) ``cache``."""
    return {"warmup_s": warm_up(), "cache": cache}


def measure_model(kind: str, households: int, years: int) -> dict[str, Any]:
    """Build and run one model in this process; return times (s) and memory (MB)."""
    import sim

    cfg = sim.load(f"population.households={households}", f"years={years}", *SCENARIO).model
    if kind == "vectorised":
        from sim.model import ResilienceModel as Model
    elif kind == "reference":
        from sim.reference import ReferenceModel as Model
    else:
        from toy import ToyModel
    warmup = warm_up()
    base = current_rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    model = ToyModel(households) if kind == "toy" else Model(cfg)
    t1, c1 = time.perf_counter(), time.process_time()
    if kind == "toy":
        for _ in range(12 * years):
            model.step()
    else:
        model.run()
    t2, c2 = time.perf_counter(), time.process_time()
    return {
        "kind": kind,
        "households": households,
        "years": years,
        "build_s": t1 - t0,
        "run_s": t2 - t1,
        "build_cpu_s": c1 - c0,
        "run_cpu_s": c2 - c1,
        "warmup_s": warmup,
        "base_mb": base,
        "peak_mb": peak_rss_mb(),
    }


_STUDY_CONFIG: dict[str, Any] = {}


def simulate_once(seed: int) -> dict[str, float]:
    """One run as a study runs it: the configuration composed once per worker, then each
    point's configuration built, the model built and run (no ledger check, no monthly
    series) and its outcomes collected (``sim.analysis.runner.run_task``)."""
    from sim.analysis.runner import RunTask, run_task
    from sim.compose import compose_config, model_dict

    t0, c0 = time.perf_counter(), time.process_time()
    if not _STUDY_CONFIG:
        _STUDY_CONFIG.update(
            model_dict(
                compose_config(
                    f"population.households={SOBOL_HOUSEHOLDS}", f"years={SOBOL_YEARS}", *SCENARIO
                )
            )
        )
    t1 = time.perf_counter()
    out = run_task(RunTask(f"run/{seed}", dict(_STUDY_CONFIG, seed=seed)))
    t2, c2 = time.perf_counter(), time.process_time()
    assert out["row"]["seed"] == seed
    return {"compose_s": t1 - t0, "simulate_s": t2 - t1, "cpu_s": c2 - c0}


def measure_sobol(runs: int, workers: int) -> dict[str, Any]:
    """Time ``runs`` end-to-end runs on ``workers`` processes (after one warm-up run each)."""
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(simulate_once, range(1000, 1000 + workers)))  # warm-up: imports
        t0 = time.perf_counter()
        per_run = list(pool.map(simulate_once, range(1, runs + 1)))
        wall = time.perf_counter() - t0
    return {"runs": runs, "workers": workers, "wall_s": wall, "per_run": per_run}


def child(args: argparse.Namespace) -> None:
    if args.case == "sobol":
        out = measure_sobol(args.runs, args.workers)
    elif args.case == "compile":
        out = measure_compile(os.environ.get("NUMBA_CACHE_DIR", ""))
    else:
        out = measure_model(args.case, args.households, args.years)
    print(json.dumps(out))


def in_child(*argv: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run this script in a fresh process with ``--case ...``; return its JSON answer."""
    proc = subprocess.run(
        [sys.executable, __file__, *argv], check=True, capture_output=True, text=True, env=env
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------- report
def fmt_s(seconds: float) -> str:
    return f"{seconds:,.1f} s" if seconds < 600 else f"{seconds / 3600:,.1f} h"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip 300,000+ households")
    parser.add_argument("--repeat", type=int, default=3, help="repeats of the small runs")
    parser.add_argument("--sobol-runs", type=int, default=32, help="runs timed for section 3")
    parser.add_argument("--skip-reference", action="store_true", help="skip section 1")
    parser.add_argument("--json", help="also write all measurements to this file")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--households", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--years", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        child(args)
        return

    record: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "scenario": list(SCENARIO),
        "load_average_start": os.getloadavg(),
    }
    print(f"# {record['machine']}; scenario {' '.join(SCENARIO)}")
    print(f"# load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("# wall = elapsed time; cpu = this process's CPU time (less sensitive to other load)")
    print("# peak = peak RSS of a fresh process (resource.getrusage ru_maxrss); base = RSS")
    print("# before the model is built (interpreter + libraries + config)")

    def model(kind: str, households: int, years: int, repeat: int) -> dict[str, Any]:
        runs = [
            in_child("--case", kind, "--households", str(households), "--years", str(years))
            for _ in range(repeat)
        ]
        best = dict(runs[0])
        for key in ("build_s", "run_s", "build_cpu_s", "run_cpu_s"):
            best[key] = statistics.median(r[key] for r in runs)
        best["peak_mb"] = max(r["peak_mb"] for r in runs)
        best["repeats"] = repeat
        return best

    header = (
        f"{'build wall':>10} {'build cpu':>9} {'run wall':>9} {'run cpu':>9}"
        f" {'peak MB':>8} {'base MB':>8}"
    )

    def row(r: dict[str, Any]) -> str:
        return (
            f"{r['build_s']:>9.2f}s {r['build_cpu_s']:>8.2f}s {r['run_s']:>8.2f}s"
            f" {r['run_cpu_s']:>8.2f}s {r['peak_mb']:>8.0f} {r['base_mb']:>8.0f}"
        )

    # 1. vectorised against reference
    if not args.skip_reference:
        print("\n## 1. one run of 3,000 households x 15 years")
        vec = model("vectorised", 3_000, 15, args.repeat)
        toy = model("toy", 3_000, 15, args.repeat)
        ref = model("reference", 3_000, 15, 1)
        record["comparison"] = {"vectorised": vec, "toy": toy, "reference": ref}
        print(f"{'model':>11} {header}")
        for name, r in (("vectorised", vec), ("toy", toy), ("reference", ref)):
            print(f"{name:>11} {row(r)}")
        for peer, r in (("toy", toy), ("reference", ref)):
            ratios = {
                "run_wall": r["run_s"] / vec["run_s"],
                "run_cpu": r["run_cpu_s"] / vec["run_cpu_s"],
                "total_wall": (r["build_s"] + r["run_s"]) / (vec["build_s"] + vec["run_s"]),
            }
            record["comparison"][f"ratios_{peer}"] = ratios
            print(
                f"{peer} / vectorised: run {ratios['run_wall']:,.1f}x (wall),"
                f" {ratios['run_cpu']:,.1f}x (cpu); build + run {ratios['total_wall']:,.1f}x (wall)"
            )

    # 2. household-months per second
    print("\n## 2. vectorised model, 10 years")
    print(f"{'households':>10} {header} {'HM/s (wall)':>12} {'HM/s (cpu)':>12}")
    record["scaling"] = []
    for n in SIZES:
        if args.quick and n >= BIG:
            continue
        r = model("vectorised", n, 10, 1 if n >= BIG else args.repeat)
        r["household_months_per_s"] = n * 120 / r["run_s"]
        r["household_months_per_cpu_s"] = n * 120 / r["run_cpu_s"]
        record["scaling"].append(r)
        print(
            f"{n:>10,} {row(r)} {r['household_months_per_s']:>12,.0f}"
            f" {r['household_months_per_cpu_s']:>12,.0f}"
        )

    warmups = [r["warmup_s"] for r in record["scaling"]]
    print(
        "# compiled kernels loaded once per process (a 50-household year), excluded above:"
        f" {max(warmups):.2f} s at most"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        cold = in_child("--case", "compile", env=env)["warmup_s"]
        cached = in_child("--case", "compile", env=env)["warmup_s"]
    record["compile"] = {"cold_s": cold, "from_cache_s": cached}
    print(
        f"# the same warm-up with an empty compiled-code cache: {cold:.2f} s (compiling);"
        f" again from that cache: {cached:.2f} s"
    )

    # 3. Sobol study estimate
    print(
        f"\n## 3. Sobol study estimate: {SOBOL_POINTS:,} points x {SOBOL_REPLICATES} replicates"
        f" x ({SOBOL_HOUSEHOLDS:,} households, {SOBOL_YEARS} years), 2 worker processes"
    )
    s = in_child("--case", "sobol", "--runs", str(args.sobol_runs), "--workers", "2")
    record["sobol"] = s
    compose = statistics.median(r["compose_s"] for r in s["per_run"])
    simulate = statistics.median(r["simulate_s"] for r in s["per_run"])
    cpu = statistics.median(r["cpu_s"] for r in s["per_run"])
    total_runs = SOBOL_POINTS * SOBOL_REPLICATES
    wall_estimate = total_runs * s["wall_s"] / s["runs"]
    cpu_estimate = total_runs * cpu / 2
    record["sobol"].update(estimate_wall_s=wall_estimate, estimate_cpu_s=cpu_estimate)
    print(
        f"measured: {s['runs']} runs in {s['wall_s']:.1f} s wall on 2 workers; per run in a"
        f" worker: compose (once per worker) {compose:.2f} s, build + run + outcomes"
        f" {simulate:.2f} s wall,"
        f" {cpu:.2f} s cpu"
    )
    print(
        f"EXTRAPOLATED, not measured: {total_runs:,} runs ->"
        f" {fmt_s(wall_estimate)} (from the measured 2-worker wall time),"
        f" {fmt_s(cpu_estimate)} (from per-run cpu time / 2 cores)"
    )
    record["load_average_end"] = os.getloadavg()
    print(f"# load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    if args.json:
        with open(args.json, "w") as f:
            json.dump(record, f, indent=2)


if __name__ == "__main__":
    main()
