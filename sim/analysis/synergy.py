"""Pillar synergy: the 2×2×2 factorial of the three CdR pillars and its interaction effects.

Every replicate runs the eight combinations (``none`` … ``full_cdr``) with the same seed.
Per replicate and outcome, with y(p, f, s) the outcome with the productive, financial and
social pillars on (1) or off (0):

- main effect of a pillar: its on-minus-off difference averaged over the other two pillars;
- two-way interaction of A and B: y(A1 B1) − y(A1 B0) − y(A0 B1) + y(A0 B0), averaged over
  the third pillar;
- three-way interaction: the alternating sum over the eight cells;
- ``synergy``: [y(1,1,1) − y(0,0,0)] − Σ_pillar [y(pillar alone) − y(0,0,0)]: does the full
  package beat the sum of the single-pillar effects?

Each effect is reported with its mean over replicates and a 95 % t-interval.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from sim.analysis.stats import mean_ci

PILLARS = ("productive", "financial", "social")
CELLS: dict[tuple[int, int, int], str] = {
    (0, 0, 0): "none",
    (1, 0, 0): "productive",
    (0, 1, 0): "financial",
    (0, 0, 1): "social",
    (1, 1, 0): "productive_financial",
    (1, 0, 1): "productive_social",
    (0, 1, 1): "financial_social",
    (1, 1, 1): "full_cdr",
}
"""Factorial cell → package name."""

SYNERGY_COLUMNS = ("outcome", "effect", "mean", "low", "high")


def effects_per_replicate(y: dict[tuple[int, int, int], np.ndarray]) -> dict[str, np.ndarray]:
    """Factorial effects for every replicate from the eight cells' outcome arrays."""
    out = {}
    for i, name in enumerate(PILLARS):
        diffs = [y[c] - y[_off(c, i)] for c in y if c[i] == 1]
        out[name] = np.mean(diffs, axis=0)
    for i, j in itertools.combinations(range(3), 2):
        k = 3 - i - j
        terms = []
        for level in (0, 1):

            def cell(a: int, b: int, level=level, i=i, j=j, k=k) -> tuple[int, int, int]:
                c = [0, 0, 0]
                c[i], c[j], c[k] = a, b, level
                return (c[0], c[1], c[2])

            terms.append(y[cell(1, 1)] - y[cell(1, 0)] - y[cell(0, 1)] + y[cell(0, 0)])
        out[f"{PILLARS[i]}:{PILLARS[j]}"] = np.mean(terms, axis=0)
    out["productive:financial:social"] = sum((-1) ** (3 - sum(c)) * y[c] for c in y)
    singles = sum(y[c] - y[(0, 0, 0)] for c in [(1, 0, 0), (0, 1, 0), (0, 0, 1)])
    out["synergy"] = y[(1, 1, 1)] - y[(0, 0, 0)] - singles
    return out


def _off(cell: tuple[int, int, int], i: int) -> tuple[int, int, int]:
    """``cell`` with pillar ``i`` off."""
    c = list(cell)
    c[i] = 0
    return (c[0], c[1], c[2])


def synergy_table(runs: pd.DataFrame, outcomes: list[str]) -> pd.DataFrame:
    """Effects with 95 % t-intervals over replicates, from per-replicate outcomes of the 8 cells."""
    rows = []
    for outcome in outcomes:
        wide = runs.pivot(index="replicate", columns="package", values=outcome).astype(float)
        y = {cell: wide[name].to_numpy() for cell, name in CELLS.items()}
        for effect, values in effects_per_replicate(y).items():
            ci = mean_ci(values)
            rows.append(
                {
                    "outcome": outcome,
                    "effect": effect,
                    "mean": ci.mean,
                    "low": ci.low,
                    "high": ci.high,
                }
            )
    return pd.DataFrame(rows, columns=list(SYNERGY_COLUMNS))
