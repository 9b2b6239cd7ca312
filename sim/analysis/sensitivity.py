"""Global sensitivity analysis with SALib: Sobol indices and Morris screening.

The uncertain factors are declared once (``conf/sensitivity``: name, bounds, unit, source);
the SALib problem is generated from them (:func:`problem`). The sample matrix, method and N
are saved with the results. Every sample point runs ``replicates`` times (the same replicate
seeds at every point: common random numbers), and replicates are aggregated with a named
function before the analysis. Sobol gives first-, total- and second-order indices with
confidence intervals; Morris gives μ*, its interval and σ for screening.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from sim.analysis.runner import RunTask, execute, replicate_seeds
from sim.compose import set_path
from sim.io import atomic_write, provenance
from sim.streams import stream_record

AGGREGATES: dict[str, Callable[..., Any]] = {"mean": np.mean, "median": np.median}
"""Named functions that aggregate replicates of a sample point."""


@dataclass(frozen=True)
class Factor:
    """An uncertain factor: a config path, its bounds, unit and source."""

    name: str
    low: float
    high: float
    unit: str
    source: str


def problem(factors: list[Factor]) -> dict[str, Any]:
    """The SALib problem generated from the declared factors."""
    return {
        "num_vars": len(factors),
        "names": [f.name for f in factors],
        "bounds": [[f.low, f.high] for f in factors],
    }


def sample(
    prob: dict[str, Any],
    method: str,
    n: int,
    *,
    seed: int,
    second_order: bool = True,
    levels: int = 4,
) -> np.ndarray:
    """The sample matrix of ``method`` (``sobol`` or ``morris``) with base size ``n``."""
    if method == "sobol":
        return sobol_sample.sample(prob, n, calc_second_order=second_order, seed=seed)
    if method == "morris":
        return morris_sample.sample(prob, n, num_levels=levels, seed=seed)
    raise ValueError(f"method = {method!r}: unknown (allowed: sobol, morris)")


def analyze(
    prob: dict[str, Any],
    method: str,
    x: np.ndarray,
    y: np.ndarray,
    *,
    seed: int,
    second_order: bool = True,
    levels: int = 4,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Indices of one outcome: (first/total or Morris table, second-order table or None)."""
    seed = seed or 1  # SALib treats seed 0 as "no seed"
    if method == "sobol":
        res = sobol_analyze.analyze(prob, y, calc_second_order=second_order, seed=seed)
        first = pd.DataFrame(
            {
                "factor": prob["names"],
                "S1": res["S1"],
                "S1_conf": res["S1_conf"],
                "ST": res["ST"],
                "ST_conf": res["ST_conf"],
            }
        )
        s2 = None
        if second_order:
            rows = []
            names = prob["names"]
            for i in range(len(names)):
                for j in range(i + 1, len(names)):
                    rows.append(
                        {
                            "factor_1": names[i],
                            "factor_2": names[j],
                            "S2": res["S2"][i, j],
                            "S2_conf": res["S2_conf"][i, j],
                        }
                    )
            s2 = pd.DataFrame(rows)
        return first, s2
    res = morris_analyze.analyze(prob, x, y, num_levels=levels, seed=seed)
    return (
        pd.DataFrame(
            {
                "factor": prob["names"],
                "mu_star": res["mu_star"],
                "mu_star_conf": res["mu_star_conf"],
                "sigma": res["sigma"],
            }
        ),
        None,
    )


def design_tasks(
    base: dict[str, Any], factors: list[Factor], x: np.ndarray, seeds: list[int]
) -> list[RunTask]:
    """One task per sample point × replicate: the base config with the point's factor values."""
    tasks = []
    for i, point in enumerate(x):
        cfg = base
        for f, value in zip(factors, point, strict=True):
            cfg = set_path(cfg, f.name, float(value))
        for r, s in enumerate(seeds):
            tasks.append(RunTask(f"{i}/{r}", dict(cfg, seed=s), {"point": i, "replicate": r}))
    return tasks


def run_sensitivity(
    base: dict[str, Any],
    factors: list[Factor],
    *,
    method: str,
    n: int,
    replicates: int,
    outcomes: list[str],
    aggregate: str,
    second_order: bool,
    levels: int,
    seed: int,
    folder: Path,
    executor: dict[str, Any],
    progress: bool = True,
) -> dict[str, pd.DataFrame]:
    """Sample, run (or resume) every point × replicate, aggregate, analyze, write the tables."""
    prob = problem(factors)
    x = sample(prob, method, n, seed=seed or 1, second_order=second_order, levels=levels)
    tasks = design_tasks(base, factors, x, replicate_seeds(seed, replicates))
    folder = Path(folder)
    samples = pd.DataFrame(x, columns=prob["names"]).rename_axis("point").reset_index()
    atomic_write(folder / "samples.parquet", lambda p: samples.to_parquet(p, index=False))
    store, elapsed = execute(tasks, folder, executor, progress=progress, flush_every=64)
    runs = store.outcomes()
    agg = AGGREGATES[aggregate]
    per_point = runs.groupby("point")[outcomes].agg(lambda v: agg(v.astype(float))).sort_index()
    tables, tables_s2 = [], []
    for outcome in outcomes:
        y = per_point[outcome].to_numpy(dtype=float)
        first, s2 = analyze(prob, method, x, y, seed=seed, second_order=second_order, levels=levels)
        tables.append(first.assign(outcome=outcome))
        if s2 is not None:
            tables_s2.append(s2.assign(outcome=outcome))
    indices = pd.concat(tables, ignore_index=True)
    indices = indices[
        ["factor", "outcome", *[c for c in indices.columns if c not in ("factor", "outcome")]]
    ]
    atomic_write(folder / "runs.parquet", lambda p: runs.to_parquet(p, index=False))
    atomic_write(
        folder / "indices.csv", lambda p: indices.to_csv(p, index=False, float_format="%.6g")
    )
    out = {"indices": indices, "samples": samples, "runs": runs}
    if tables_s2:
        s2 = pd.concat(tables_s2, ignore_index=True)
        s2 = s2[["factor_1", "factor_2", "outcome", "S2", "S2_conf"]]
        atomic_write(
            folder / "indices_s2.csv", lambda p: s2.to_csv(p, index=False, float_format="%.6g")
        )
        out["indices_s2"] = s2
    summary = {
        "task": "sensitivity",
        "method": method,
        "N": n,
        "second_order": second_order,
        "sample_rows": int(len(x)),
        "replicates": replicates,
        "aggregate": aggregate,
        "factors": [f.__dict__ for f in factors],
        "outcomes": outcomes,
        "wall_time_s": elapsed,
        "provenance": provenance(seed, stream_record(seed)),
    }
    if method == "sobol" and (n & (n - 1)):
        summary["warning"] = (
            f"N = {n} is not a power of 2: Sobol sequences lose their balance properties"
        )
    atomic_write(
        folder / "summary.json",
        lambda p: Path(p).write_text(json.dumps(summary, indent=2, default=str)),
    )
    return out
