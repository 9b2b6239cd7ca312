"""Global sensitivity analysis with SALib: Sobol indices and Morris screening.

A study ranks one kind of declaration (:mod:`sim.analysis.declarations`): the
**uncertainties**, for each of several packages on the same sample ("which uncertainty could
break this package?"), or the **levers** of one package in a fixed world ("which pillar
matters?"). The SALib problem is generated from the declarations; the sample matrix, method
and N are saved with the results. Every sample point runs ``replicates`` times with the same
replicate seeds at every point and in every package (common random numbers), and replicates
are aggregated with a named function before the analysis. Sobol gives first-, total- and
second-order indices with confidence intervals (the second-order indices of the pillar doses
are the synergies of the pillars); Morris gives μ*, its interval and σ for screening. Every
study writes its figures (:mod:`sim.analysis.figures`) and returns its top factors in words.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from sim.analysis import declarations
from sim.analysis.declarations import Declared
from sim.analysis.plan import announce, check_outcomes
from sim.analysis.runner import RunTask, execute, replicate_seeds
from sim.config import ConfigError
from sim.io import atomic_write, provenance
from sim.streams import stream_record

Factor = Declared
"""A factor of a sensitivity study: a declared uncertainty or lever."""

AGGREGATES: dict[str, Callable[..., Any]] = {"mean": np.mean, "median": np.median}
"""Named functions that aggregate replicates of a sample point."""

PLURAL = {"uncertainty": "uncertainties", "lever": "levers"}


def problem(factors: Sequence[Declared]) -> dict[str, Any]:
    """The SALib problem generated from the declared factors."""
    return declarations.problem(factors)


def check_n(method: str, n: int, *, where: str = "sensitivity.N") -> None:
    """Sobol's base sample size must be a power of two (its sequence's balance needs it)."""
    if method == "sobol" and (n < 2 or n & (n - 1)):
        low = 1 << max(n.bit_length() - 1, 1)
        raise ConfigError(
            f"{where} = {n}: must be a power of 2 for method=sobol (e.g. {low} or {2 * low})"
        )


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
        check_n(method, n)
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
    base: dict[str, Any],
    factors: Sequence[Declared],
    x: np.ndarray,
    seeds: list[int],
    *,
    package: str | None = None,
) -> list[RunTask]:
    """One task per sample point × replicate: the base config with the point's values."""
    tasks = []
    prefix = f"{package}/" if package is not None else ""
    labels0 = {"package": package} if package is not None else {}
    for i, point in enumerate(x):
        cfg = declarations.apply(base, factors, point)
        for r, s in enumerate(seeds):
            tasks.append(
                RunTask(
                    f"{prefix}{i}/{r}",
                    dict(cfg, seed=s),
                    {**labels0, "point": i, "replicate": r},
                )
            )
    return tasks


def per_point(runs: pd.DataFrame, outcomes: Sequence[str], aggregate: str) -> pd.DataFrame:
    """Outcomes aggregated over the replicates of each (package,) point."""
    agg = AGGREGATES[aggregate]
    keys = [k for k in ("package", "point") if k in runs]
    return (
        runs.groupby(keys)[list(outcomes)]
        .agg(lambda v: agg(pd.to_numeric(v, errors="coerce").astype(float)))
        .sort_index()
    )


def run_sensitivity(
    configs: dict[str, dict[str, Any]],
    factors: Sequence[Declared],
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
    say: Callable[[str], None] | None = None,
    figures: bool = True,
) -> dict[str, Any]:
    """Sample, run (or resume) every package × point × replicate, analyze, write the results.

    Parameters
    ----------
    configs
        Model config of every package studied (plain containers), by package name.
    factors
        The declarations varied, all of one kind (uncertainties or levers).

    Returns
    -------
    dict
        ``indices`` (per package, factor and outcome), ``indices_s2`` (Sobol with second
        order), ``synergies`` (second order between levers), ``samples``, ``runs``,
        ``ranking`` (the top factors in words) and ``figures`` (paths written).
    """
    kinds = {f.kind for f in factors}
    if len(kinds) != 1:
        raise ConfigError("a sensitivity study ranks one kind: uncertainties or levers")
    kind = kinds.pop()
    check_n(method, n)
    prob = problem(factors)
    x = sample(prob, method, n, seed=seed or 1, second_order=second_order, levels=levels)
    seeds = replicate_seeds(seed, replicates)
    tasks = [
        t for p, base in configs.items() for t in design_tasks(base, factors, x, seeds, package=p)
    ]
    check_outcomes(tasks[0], outcomes, where="sensitivity.outcomes")
    announce(
        tasks,
        executor,
        say,
        design=f"{len(configs)} package{'s' if len(configs) > 1 else ''} × {len(x)} points × "
        f"{replicates} replicates, {method}",
    )
    folder = Path(folder)
    samples = pd.DataFrame(x, columns=prob["names"]).rename_axis("point").reset_index()
    atomic_write(folder / "samples.parquet", lambda p: samples.to_parquet(p, index=False))
    store, elapsed = execute(tasks, folder, executor, progress=progress, flush_every=64)
    runs = store.outcomes()
    points = per_point(runs, outcomes, aggregate)
    tables, tables_s2 = [], []
    for package in configs:
        sub = points.loc[package]
        for outcome in outcomes:
            y = sub[outcome].to_numpy(dtype=float)
            if not np.isfinite(y).all():
                raise ConfigError(
                    f"sensitivity.outcomes: {outcome} is undefined in some runs of {package} "
                    "(e.g. an outcome after exit beyond the horizon); choose another outcome "
                    "or a longer horizon"
                )
            first, s2 = analyze(
                prob, method, x, y, seed=seed, second_order=second_order, levels=levels
            )
            tables.append(first.assign(package=package, kind=kind, outcome=outcome))
            if s2 is not None:
                tables_s2.append(s2.assign(package=package, kind=kind, outcome=outcome))
    indices = pd.concat(tables, ignore_index=True)
    front = ["package", "kind", "factor", "outcome"]
    indices = indices[[*front, *[c for c in indices.columns if c not in front]]]
    atomic_write(folder / "runs.parquet", lambda p: runs.to_parquet(p, index=False))
    atomic_write(
        folder / "indices.csv", lambda p: indices.to_csv(p, index=False, float_format="%.6g")
    )
    out: dict[str, Any] = {"indices": indices, "samples": samples, "runs": runs}
    if tables_s2:
        s2 = pd.concat(tables_s2, ignore_index=True)
        s2 = s2[["package", "kind", "factor_1", "factor_2", "outcome", "S2", "S2_conf"]]
        s2 = s2.assign(low=s2["S2"] - s2["S2_conf"], high=s2["S2"] + s2["S2_conf"])
        atomic_write(
            folder / "indices_s2.csv", lambda p: s2.to_csv(p, index=False, float_format="%.6g")
        )
        out["indices_s2"] = s2
        if kind == "lever":
            syn = synergies(s2)
            atomic_write(
                folder / "synergies.csv",
                lambda p: syn.to_csv(p, index=False, float_format="%.6g"),
            )
            out["synergies"] = syn
    out["ranking"] = ranking(indices, kind=kind, method=method)
    if "synergies" in out:
        out["ranking"] += synergy_lines(out["synergies"])
    warnings = sampling_warnings(indices, n)
    out["ranking"] += warnings
    summary = {
        "task": "sensitivity",
        "kind": PLURAL[kind],
        "ranks": f"{PLURAL[kind]} ({'per package' if kind == 'uncertainty' else 'fixed world'})",
        "packages": list(configs),
        "method": method,
        "N": n,
        "second_order": second_order,
        "sample_rows": int(len(x)),
        "replicates": replicates,
        "replicate_seeds": seeds,
        "aggregate": aggregate,
        "factors": [f.__dict__ for f in factors],
        "outcomes": outcomes,
        "runs": len(runs),
        "wall_time_s": elapsed,
        "top": top_factors(indices).to_dict(orient="records"),
        "warnings": warnings,
        "provenance": provenance(seed, stream_record(seed)),
    }
    if figures:
        from sim.analysis.figures import sensitivity_figures

        out["figures"] = sensitivity_figures(folder, indices, out.get("indices_s2"))
        summary["figures"] = [p.name for p in out["figures"]]
    atomic_write(
        folder / "summary.json",
        lambda p: Path(p).write_text(json.dumps(summary, indent=2, default=str)),
    )
    return out


def synergies(s2: pd.DataFrame) -> pd.DataFrame:
    """Second-order Sobol indices between levers, as synergies with 95 % intervals.

    S2 of two pillar doses is the share of the outcome's variance due to their joint
    variation beyond each alone: how much the pillars' effects depend on each other.
    """
    out = s2.rename(columns={"factor_1": "lever_1", "factor_2": "lever_2"})
    return out[["package", "lever_1", "lever_2", "outcome", "S2", "S2_conf", "low", "high"]]


def synergy_lines(syn: pd.DataFrame) -> list[str]:
    """The levers' second-order indices in words, strongest first, with 95 % intervals."""
    lines = ["synergies between levers (Sobol S2, 95 % interval):"]
    for outcome, rows in syn.groupby("outcome", sort=False):
        rows = rows.sort_values("S2", ascending=False)
        parts = [
            f"{_short(r.lever_1)} × {_short(r.lever_2)} {r.S2:.2g} [{r.low:.2g}, {r.high:.2g}]"
            for r in rows.itertuples()
        ]
        lines.append(f"  {outcome}: " + "; ".join(parts))
    return lines


def sampling_warnings(indices: pd.DataFrame, n: int) -> list[str]:
    """A line of warning when Sobol indices fall outside [0, 1]: sampling error at base size ``n``.

    A total-order index above 1, or a first-order index below 0 or above 1 beyond its 95 %
    interval, cannot be a share of variance; small ``N`` (and noisy outcomes: few replicates
    per point) give them, and the ranking is then unreliable.
    """
    if "ST" not in indices:
        return []
    bad = (
        (indices["ST"] > 1)
        | (indices["S1"] + indices["S1_conf"] < 0)
        | (indices["S1"] - indices["S1_conf"] > 1)
    )
    if not bad.any():
        return []
    return [
        f"warning: in {int(bad.sum())} of {len(indices)} rows (factor, outcome, package) the "
        f"Sobol indices lie outside [0, 1] (ST up to {indices['ST'].max():.3g}, S1 from "
        f"{indices['S1'].min():.3g} to {indices['S1'].max():.3g}): sampling error at "
        f"sensitivity.N = {n}; raise N (a power of 2), or the replicates, before trusting "
        "the ranking"
    ]


def _short(name: str) -> str:
    return name.removeprefix("policy.").removesuffix(".dose")


def index_column(indices: pd.DataFrame) -> tuple[str, str]:
    """(ranking index, its interval column): Sobol's ST or Morris's μ*."""
    return ("ST", "ST_conf") if "ST" in indices else ("mu_star", "mu_star_conf")


def top_factors(indices: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The ``n`` highest-ranked factors of every package and outcome."""
    col, _ = index_column(indices)
    order = {p: i for i, p in enumerate(dict.fromkeys(indices["package"]))}
    outcomes = {o: i for i, o in enumerate(dict.fromkeys(indices["outcome"]))}
    ranked = indices.assign(
        _p=indices["package"].map(order), _o=indices["outcome"].map(outcomes)
    ).sort_values(["_p", "_o", col], ascending=[True, True, False], kind="stable")
    return (
        ranked.groupby(["_p", "_o"], sort=False)
        .head(n)
        .drop(columns=["_p", "_o"])
        .reset_index(drop=True)
    )


def ranking(indices: pd.DataFrame, *, kind: str, method: str, n: int = 3) -> list[str]:
    """The top factors of every package and outcome, in words, with their indices."""
    col, conf = index_column(indices)
    label = "Sobol total-order ST" if col == "ST" else "Morris μ*"
    lines = []
    top = top_factors(indices, n)
    for package, by_pkg in top.groupby("package", sort=False):
        lines.append(f"{PLURAL[kind]} ranked by {label} (± 95 % interval), package {package}:")
        for outcome, rows in by_pkg.groupby("outcome", sort=False):
            parts = []
            for r in rows.itertuples():
                text = f"{r.factor} {getattr(r, col):.3g} ± {getattr(r, conf):.2g}"
                if col == "ST":
                    text += f" (S1 {r.S1:.3g})"
                parts.append(text)
            lines.append(f"  {outcome}: " + "; ".join(parts))
    return lines
