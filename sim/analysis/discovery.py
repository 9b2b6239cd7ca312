"""Scenario discovery: the worlds in which a package fails.

The uncertainties (:mod:`sim.analysis.declarations`) are sampled by a Latin hypercube; every
point runs ``replicates`` times for every package studied, with the same replicate seeds at
every point and in every package (common random numbers), and the replicates are aggregated
(mean or median). A point is a *case of interest* where the aggregated outcome crosses the
user's threshold (``backsliding_share`` above 0.2, ``gam_mean`` above 0.15). PRIM (the
patient rule induction method, Friedman & Fisher 1999, as implemented in EMA Workbench and
used for scenario discovery by Bryant & Lempert 2010) peels the uncertainty space down to a
box where the cases of interest concentrate. Each step of the peeling trajectory trades
**coverage** (share of all cases of interest inside the box) against **density** (share of
the box's points that are cases of interest); the box chosen is the one of largest coverage
among those at least ``discover.density`` dense (the densest if none is). Its limits are
written as a table, with their meaning in words and PRIM's quasi-p-values (one-sided binomial
tests of each restriction), and drawn with the trade-off.
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.declarations import Declared, apply, latin_hypercube
from sim.analysis.plan import announce, check_outcomes
from sim.analysis.runner import RunTask, execute, replicate_seeds
from sim.analysis.sensitivity import per_point
from sim.config import ConfigError, DiscoverConfig
from sim.io import atomic_write, provenance
from sim.streams import stream_record

BOX_COLUMNS = (
    "package",
    "uncertainty",
    "unit",
    "low",
    "high",
    "declared_low",
    "declared_high",
    "restricted",
    "qp_low",
    "qp_high",
    "meaning",
)
"""Columns of ``box.csv``: the chosen box's limits, one row per package × uncertainty."""

PEELING_COLUMNS = ("package", "rule", "box", "coverage", "density", "mass", "res_dim", "n", "k")
"""Columns of ``peeling.csv``: every box of the peeling trajectory."""


def prim_module():
    """EMA Workbench's PRIM module, imported without its notices about optional extras.

    EMA Workbench warns at import that the ipyparallel evaluator and the altair-based
    interactive views are unavailable; neither is used here. Its progress messages go to
    the ``EMA`` logger, kept at WARNING.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="ipyparallel not installed")
        warnings.filterwarnings("ignore", message="altair based interactive")
        from ema_workbench.analysis import prim
    logging.getLogger("EMA").setLevel(logging.WARNING)
    return prim


def of_interest(values: np.ndarray, direction: str, threshold: float) -> np.ndarray:
    """Whether each value crosses the threshold (strictly ``above`` or ``below`` it)."""
    values = np.asarray(values, dtype=float)
    return values > threshold if direction == "above" else values < threshold


def rule_text(outcome: str, direction: str, threshold: float) -> str:
    """The rule in words: ``backsliding_share above 0.2``."""
    return f"{outcome} {direction} {threshold:g}"


def prim_inputs(params: Sequence[Declared], x: np.ndarray) -> pd.DataFrame:
    """The sample as PRIM's table: real values, and category indices for categorical ones."""
    cols = {}
    for j, p in enumerate(params):
        if p.categories:
            cols[p.name] = np.minimum(np.floor(x[:, j]), len(p.categories) - 1).astype(np.int64)
        else:
            cols[p.name] = x[:, j].astype(float)
    return pd.DataFrame(cols)


def choose(trajectory: pd.DataFrame, density: float) -> int:
    """The box of largest coverage among those at least ``density`` dense, else the densest."""
    dense = trajectory[trajectory["density"] >= density - 1e-12]
    pool = (
        dense
        if not dense.empty
        else trajectory[trajectory["density"] == trajectory["density"].max()]
    )
    best = pool.sort_values(["coverage", "density"], ascending=False, kind="stable")
    return int(best.index[0])


def find_box(
    x: pd.DataFrame,
    y: np.ndarray,
    *,
    density: float,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    mass_min: float = 0.05,
) -> tuple[pd.DataFrame, int, list[pd.DataFrame], list[dict[str, Any]]]:
    """PRIM's first box on ``x`` for the cases of interest ``y``.

    Returns
    -------
    trajectory, chosen, limits, p_values
        The peeling trajectory (coverage, density, mass, res_dim, n, k per box), the index of
        the chosen box (:func:`choose`), every box's limits (two rows: low, high) and its
        quasi-p-values.
    """
    prim = prim_module()
    y = np.asarray(y, dtype=int)
    with warnings.catch_warnings():  # EMA Workbench 3.0 uses a keyword pandas deprecates
        warnings.filterwarnings("ignore", message="The inplace keyword")
        p = prim.Prim(x, y, peel_alpha=peel_alpha, paste_alpha=paste_alpha, mass_min=mass_min)
        box = p.find_box()
    trajectory = box.peeling_trajectory.reset_index(drop=True)
    trajectory = trajectory[["id", "coverage", "density", "mass", "res_dim", "n", "k"]]
    return trajectory, choose(trajectory, density), list(box.box_lims), list(box.p_values)


def box_table(
    package: str,
    params: Sequence[Declared],
    limits: pd.DataFrame,
    p_values: dict[str, Any],
    x: pd.DataFrame,
) -> pd.DataFrame:
    """The chosen box's limits, one row per uncertainty, with their meaning in words."""
    rows = []
    for p in params:
        lo, hi = (float(v) for v in limits[p.name])
        full_lo, full_hi = float(x[p.name].min()), float(x[p.name].max())
        if p.categories:
            declared_lo, declared_hi = 0.0, float(len(p.categories) - 1)
        else:
            declared_lo, declared_hi = p.bounds
        low_cut, high_cut = lo > full_lo, hi < full_hi
        restricted = low_cut or high_cut
        qp = p_values.get(p.name, [np.nan, np.nan])
        qp = [np.nan if v is None or v == -1 else float(v) for v in qp]
        rows.append(
            {
                "package": package,
                "uncertainty": p.name,
                "unit": p.unit,
                "low": lo,
                "high": hi,
                "declared_low": declared_lo,
                "declared_high": declared_hi,
                "restricted": bool(restricted),
                "qp_low": qp[0],
                "qp_high": qp[1],
                "meaning": (
                    p.describe(lo, hi, low_cut=low_cut, high_cut=high_cut)
                    + _evidence(qp, low_cut, high_cut)
                    if restricted
                    else ""
                ),
            }
        )
    return pd.DataFrame(rows, columns=list(BOX_COLUMNS))


def _evidence(qp: list[float], low_cut: bool, high_cut: bool) -> str:
    """PRIM's quasi-p-values of a restriction's sides, in words (above 0.05: weak)."""
    parts = []
    for side, cut, value in (("low", low_cut, qp[0]), ("high", high_cut, qp[1])):
        if cut and np.isfinite(value):
            parts.append(f"{side} {value:.2g}{' weak' if value > 0.05 else ''}")
    return f"; quasi-p {', '.join(parts)}" if parts else ""


def run_discovery(
    configs: dict[str, dict[str, Any]],
    params: Sequence[Declared],
    *,
    settings: DiscoverConfig,
    replicates: int,
    seed: int,
    folder: Path,
    executor: dict[str, Any],
    progress: bool = True,
    say: Callable[[str], None] | None = None,
    figures: bool = True,
) -> dict[str, Any]:
    """Sample, run (or resume), mark, find and write the boxes of every package.

    Returns
    -------
    dict
        ``points`` (per package and point: the uncertainties, the aggregated outcome, whether
        of interest), ``peeling``, ``box`` (the chosen box's limits), ``runs``, ``lines`` (the
        result in words) and ``figures`` (paths written).
    """
    s = settings
    folder = Path(folder)
    x = latin_hypercube(params, s.samples, seed=seed or 1)
    seeds = replicate_seeds(seed, replicates)
    tasks = []
    for package, base in configs.items():
        for i, point in enumerate(x):
            cfg = apply(base, params, point)
            for r, sd in enumerate(seeds):
                labels = {"package": package, "point": i, "replicate": r}
                tasks.append(RunTask(f"{package}/{i}/{r}", dict(cfg, seed=sd), labels))
    check_outcomes(tasks[0], [s.outcome], where="discover.outcome")
    announce(
        tasks,
        executor,
        say,
        design=f"{len(configs)} package{'s' if len(configs) > 1 else ''} × {s.samples} Latin "
        f"hypercube points × {replicates} replicates",
    )
    samples = pd.DataFrame(x, columns=[p.name for p in params]).rename_axis("point").reset_index()
    atomic_write(folder / "samples.parquet", lambda p: samples.to_parquet(p, index=False))
    store, elapsed = execute(tasks, folder, executor, progress=progress, flush_every=64)
    runs = store.outcomes()
    values = per_point(runs, [s.outcome], s.aggregate)[s.outcome]
    rule = rule_text(s.outcome, s.direction, s.threshold)
    xp = prim_inputs(params, x)
    points, peeling, boxes, lines, boxes_summary, chosen = [], [], [], [], {}, {}
    for package in configs:
        y_val = values.loc[package].sort_index().to_numpy(dtype=float)
        if not np.isfinite(y_val).all():
            raise ConfigError(
                f"discover.outcome = {s.outcome!r}: undefined in some runs of {package} "
                "(e.g. an outcome after exit beyond the horizon); choose another outcome or "
                "a longer horizon"
            )
        y = of_interest(y_val, s.direction, s.threshold)
        points.append(
            xp.assign(
                package=package, point=np.arange(len(xp)), **{s.outcome: y_val}, of_interest=y
            )
        )
        cases = int(y.sum())
        head = f"{package}: {rule} in {cases} of {len(y)} points ({cases / len(y):.0%})"
        if cases == 0:
            trajectory = pd.DataFrame(
                [
                    {
                        "id": 0,
                        "coverage": 0.0,
                        "density": 0.0,
                        "mass": 1.0,
                        "res_dim": 0,
                        "n": len(y),
                        "k": 0,
                    }
                ]
            )
            box, limits, pvals = 0, pd.DataFrame({c: [xp[c].min(), xp[c].max()] for c in xp}), {}
            lines.append(f"{head}: no box (nothing to discover at this threshold)")
        else:
            trajectory, box, all_limits, all_p = find_box(
                xp,
                y,
                density=s.density,
                peel_alpha=s.peel_alpha,
                paste_alpha=s.paste_alpha,
                mass_min=s.mass_min,
            )
            limits, pvals = all_limits[box], all_p[box]
        table = box_table(package, params, limits, pvals, xp)
        row = trajectory.iloc[box]
        words = [m for m in table["meaning"] if m]
        if cases:
            lines.append(
                f"{head}; box {box} holds {int(row['k'])} of them in {int(row['n'])} points "
                f"(coverage {row['coverage']:.2f}, density {row['density']:.2f}, "
                f"{row['mass']:.0%} of the space) where:"
            )
            lines.extend(f"  {w}" for w in words or ["(no restriction: the whole space)"])
        peeling.append(trajectory.rename(columns={"id": "box"}).assign(package=package, rule=rule))
        boxes.append(table)
        chosen[package] = box
        boxes_summary[package] = {
            "box": box,
            "cases": cases,
            "points": len(y),
            "coverage": float(row["coverage"]),
            "density": float(row["density"]),
            "mass": float(row["mass"]),
            "words": words,
        }
    points_t = pd.concat(points, ignore_index=True)
    front = ["package", "point"]
    points_t = points_t[[*front, *[c for c in points_t.columns if c not in front]]]
    peeling_t = pd.concat(peeling, ignore_index=True)[list(PEELING_COLUMNS)]
    box_t = pd.concat(boxes, ignore_index=True)
    atomic_write(folder / "runs.parquet", lambda p: runs.to_parquet(p, index=False))
    atomic_write(
        folder / "points.csv", lambda p: points_t.to_csv(p, index=False, float_format="%.6g")
    )
    atomic_write(
        folder / "peeling.csv", lambda p: peeling_t.to_csv(p, index=False, float_format="%.6g")
    )
    atomic_write(folder / "box.csv", lambda p: box_t.to_csv(p, index=False, float_format="%.6g"))
    out: dict[str, Any] = {
        "points": points_t,
        "peeling": peeling_t,
        "box": box_t,
        "runs": runs,
        "lines": lines,
        "chosen": chosen,
    }
    summary = {
        "task": "discover",
        "rule": rule,
        "outcome": s.outcome,
        "direction": s.direction,
        "threshold": s.threshold,
        "packages": list(configs),
        "samples": s.samples,
        "replicates": replicates,
        "replicate_seeds": seeds,
        "aggregate": s.aggregate,
        "prim": {
            "density": s.density,
            "peel_alpha": s.peel_alpha,
            "paste_alpha": s.paste_alpha,
            "mass_min": s.mass_min,
        },
        "uncertainties": [p.__dict__ for p in params],
        "boxes": boxes_summary,
        "runs": len(runs),
        "wall_time_s": elapsed,
        "provenance": provenance(seed, stream_record(seed)),
    }
    if figures:
        from sim.analysis.figures import discovery_figures

        out["figures"] = discovery_figures(folder, peeling_t, box_t, pd.Series(chosen))
        summary["figures"] = [p.name for p in out["figures"]]
    atomic_write(
        folder / "summary.json",
        lambda p: Path(p).write_text(json.dumps(summary, indent=2, default=str)),
    )
    return out
