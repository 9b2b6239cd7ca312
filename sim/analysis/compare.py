"""Compare packages with common random numbers: packages × replicates, paired differences.

Replicate r of every package runs with the same seed, hence the same weather, prices, shocks
and idiosyncratic draws: the paired difference between a package and the baseline package in
replicate r is the package's effect in that world. ``comparison.csv`` gives, for every
package and outcome, the mean over replicates, the mean paired difference against the
baseline with its 95 % t-interval, and ``p_better``, the share of replicates in which the
package did better than the baseline (ties count half).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.outcomes import DERIVED, OUTCOMES, present
from sim.analysis.runner import RunTask, execute, replicate_seeds
from sim.analysis.stats import mean_ci
from sim.config import ConfigError
from sim.io import provenance, write_csv, write_json, write_parquet
from sim.streams import stream_record

COMPARISON_COLUMNS = (
    "package",
    "outcome",
    "mean",
    "diff",
    "diff_low",
    "diff_high",
    "p_better",
    "diff_pct",
    "diff_sd",
)


@dataclass
class Comparison:
    """Results of a comparison.

    Attributes
    ----------
    runs
        One row per package × replicate: seed and every outcome.
    series
        Monthly indicators of every run (tidy: package, replicate, month, wealth group, …).
    table
        ``comparison.csv``: one row per package × outcome.
    summary
        Packages, baseline, replicates, seeds, timing and provenance.
    shocks
        Covariate shock events of every replicate (identical across packages).
    """

    runs: pd.DataFrame
    series: pd.DataFrame
    table: pd.DataFrame
    summary: dict[str, Any]
    shocks: pd.DataFrame = field(default_factory=pd.DataFrame)


def tasks_for(
    configs: dict[str, dict[str, Any]], seed: int, replicates: int, *, series: bool = True
) -> list[RunTask]:
    """Packages × replicates tasks; replicate r has the same seed in every package.

    The first package's runs also return their covariate shock log (the same for every
    package of a replicate).
    """
    seeds = replicate_seeds(seed, replicates)
    first = next(iter(configs))
    tasks = []
    for r, s in enumerate(seeds):
        for package, config in configs.items():
            cfg = dict(config, seed=s)
            labels = {"package": package, "replicate": r}
            tasks.append(RunTask(f"{package}/{r}", cfg, labels, series, shocks=package == first))
    return tasks


def paired_table(runs: pd.DataFrame, packages: list[str], baseline: str) -> pd.DataFrame:
    """The comparison table from per-replicate outcomes."""
    rows = []
    base = runs[runs["package"] == baseline].set_index("replicate")
    for package in packages:
        this = runs[runs["package"] == package].set_index("replicate")
        for outcome in present(runs.columns):
            if outcome.derived:
                continue
            name = outcome.name
            x = pd.to_numeric(this[name], errors="coerce")
            d = (x - pd.to_numeric(base[name], errors="coerce")).dropna()
            row: dict[str, Any] = {"package": package, "outcome": name, "mean": float(x.mean())}
            row.update(_paired(d, outcome.better, is_baseline=package == baseline))
            row.update(_relative(row["diff"], base, name))
            rows.append(row)
        rows += _derived_rows(package, this, base, baseline)
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


def _paired(d: pd.Series, better: str, *, is_baseline: bool) -> dict[str, float]:
    n = len(d)
    if n == 0:
        return {"diff": np.nan, "diff_low": np.nan, "diff_high": np.nan, "p_better": np.nan}
    ci = mean_ci(d.to_numpy(dtype=float))
    mean, half = ci.mean, ci.half
    wins = (d > 0) if better == "higher" else (d < 0)
    p = float((wins.sum() + 0.5 * (d == 0).sum()) / n) if better != "neither" else np.nan
    return {
        "diff": mean,
        "diff_low": mean - half,
        "diff_high": mean + half,
        "p_better": np.nan if is_baseline else p,
    }


def _relative(diff: float, base: pd.DataFrame, name: str) -> dict[str, float]:
    """The paired difference in % of the baseline's mean and in its households' SD units."""
    mean = pd.to_numeric(base[name], errors="coerce").mean()
    pct = 100 * diff / mean if mean and np.isfinite(mean) else np.nan
    sd = np.nan
    if f"{name}_sd" in base:
        s = pd.to_numeric(base[f"{name}_sd"], errors="coerce").mean()
        sd = diff / s if s and np.isfinite(s) else np.nan
    return {"diff_pct": float(pct), "diff_sd": float(sd)}


def _derived_rows(
    package: str, this: pd.DataFrame, base: pd.DataFrame, baseline: str
) -> list[dict]:
    """Cost per household kept out of poverty and per backsliding case averted (ratio of means)."""
    extra_cost = (this["cost_fcfa"] - base["cost_fcfa"]).mean()
    households = this["households"].mean()
    kept = ((base["poverty_share_end"] - this["poverty_share_end"]) * this["households"]).mean()
    base_share = pd.to_numeric(base["backsliding_share"], errors="coerce")
    this_share = pd.to_numeric(this["backsliding_share"], errors="coerce")
    averted = ((base_share - this_share) * this["escaped_households"]).mean()
    rows = []
    for name, gain, signed in (
        ("cost_per_household_kept_out_of_poverty_fcfa", kept, False),
        ("cost_per_backsliding_averted_fcfa", averted, True),
    ):
        usable = package != baseline and households and np.isfinite(gain)
        usable = usable and (gain != 0 if signed else gain > 0)
        value = float(extra_cost / gain) if usable else np.nan
        rows.append(
            {
                "package": package,
                "outcome": name,
                "mean": value,
                "diff": np.nan,
                "diff_low": np.nan,
                "diff_high": np.nan,
                "p_better": np.nan,
                "diff_pct": np.nan,
                "diff_sd": np.nan,
            }
        )
    return rows


def run_comparison(
    configs: dict[str, dict[str, Any]],
    *,
    seed: int,
    replicates: int,
    baseline: str,
    folder: Path,
    executor: dict[str, Any],
    progress: bool = True,
    series: bool = True,
    experiment: dict[str, Any] | None = None,
) -> Comparison:
    """Run (or resume) a comparison in ``folder``; write its tables; return them."""
    packages = list(configs)
    if baseline not in packages:
        raise ConfigError(f"baseline = {baseline!r}: must be one of the packages {packages}")
    tasks = tasks_for(configs, seed, replicates, series=series)
    store, elapsed = execute(tasks, folder, executor, progress=progress)
    runs = (
        store.outcomes()
        .sort_values(["package", "replicate"], key=_package_order(packages))
        .reset_index(drop=True)
    )
    ser = store.series()
    shocks = store.series("shocks")
    if not ser.empty:
        ser = ser.sort_values(
            ["package", "replicate", "month"], key=_package_order(packages), kind="stable"
        )
        ser = ser.reset_index(drop=True)
    table = paired_table(runs, packages, baseline)
    base_cfg = configs[baseline]
    sched = base_cfg["policy"]["schedule"]
    start = 12 * sched["start_year"] + sched["start_month"] - base_cfg["start_month"]
    months = 12 * base_cfg["years"]
    summary = {
        "task": "compare",
        "packages": packages,
        "baseline": baseline,
        "replicates": replicates,
        "seed": seed,
        "replicate_seeds": replicate_seeds(seed, replicates),
        "runs": len(runs),
        "programme_months": [max(start, 0), min(start + sched["duration_months"], months)],
        "fcfa_per_usd": base_cfg["policy"]["fcfa_per_usd"],
        "indicators": base_cfg["indicators"],
        "setting": {
            "households": base_cfg["population"]["households"],
            "years": base_cfg["years"],
            "start_year": base_cfg["start_year"],
            "start_month": base_cfg["start_month"],
            "shock_regime": base_cfg["shocks"]["name"],
        },
        "scenario": (
            f"{base_cfg['population']['households']} households, {base_cfg['years']} years from "
            f"{base_cfg['start_year']}, shocks: {base_cfg['shocks']['name']}"
        ),
        "wall_time_s": elapsed,
        "executor": executor,
        "experiment": experiment or {},
        "means": {
            p: {
                o: _num(table[(table.package == p) & (table.outcome == o)]["mean"])
                for o in [*OUTCOMES, *DERIVED]
                if o in set(table.outcome)
            }
            for p in packages
        },
        "provenance": provenance(seed, stream_record(seed)),
    }
    write_comparison(folder, runs, ser, table, summary, shocks)
    return Comparison(runs, ser, table, summary, shocks)


def _num(s: pd.Series) -> float | None:
    v = s.iloc[0] if len(s) else np.nan
    return None if pd.isna(v) else float(v)


def _package_order(packages: list[str]):
    order = {p: i for i, p in enumerate(packages)}

    def key(col: pd.Series) -> pd.Series:
        return col.map(order) if col.name == "package" else col

    return key


def write_comparison(folder: Path, runs, series, table, summary, shocks=None) -> None:
    """Write runs.parquet, series.parquet, shocks.parquet, comparison.csv, then summary.json."""
    folder = Path(folder)
    if shocks is not None and not shocks.empty:
        write_parquet(folder / "shocks.parquet", shocks)
    write_parquet(folder / "runs.parquet", runs)
    if not series.empty:
        write_parquet(folder / "series.parquet", series)
    write_csv(folder / "comparison.csv", table, float_format="%.6g")
    write_json(folder / "summary.json", summary)
