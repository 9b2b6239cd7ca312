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


# --------------------------------------------------------------------------- doses

DOSE_COLUMNS = ("outcome", "effect", *PILLARS, "mean", "low", "high")
"""Columns of ``dose_effects.csv``: an effect, the pillar doses it is taken at, its interval."""

Cell = tuple[float, float, float]


def dose_cells(levels: list[float]) -> list[Cell]:
    """Every combination of the pillars' dose levels (productive, financial, social)."""
    return [(float(a), float(b), float(c)) for a, b, c in itertools.product(levels, repeat=3)]


def cell_name(cell: Cell) -> str:
    """A cell's package label: the named package at doses 0/1, else ``p0.5_f1_s0``."""
    if all(v in (0.0, 1.0) for v in cell):
        return CELLS[(int(cell[0]), int(cell[1]), int(cell[2]))]
    return "_".join(f"{p[0]}{v:g}" for p, v in zip(PILLARS, cell, strict=True))


def dose_effects_per_replicate(
    y: dict[Cell, np.ndarray], levels: list[float]
) -> list[tuple[str, dict[str, float], np.ndarray]]:
    """Factorial effects at every dose level, per replicate, from the grid's outcome arrays.

    With pillar doses ``a``, ``b``, ``c`` taken from ``levels`` (0 must be among them):

    - main effect of a pillar at dose a: y(pillar at a) − y(pillar at 0), averaged over every
      level of the other two pillars;
    - two-way interaction of A and B at doses (a, b): y(a, b) − y(a, 0) − y(0, b) + y(0, 0),
      averaged over the third pillar's levels;
    - three-way interaction at (a, b, c): the alternating sum over the corners {0, a} × {0, b}
      × {0, c};
    - ``synergy`` at (a, b, c): [y(a, b, c) − y(0, 0, 0)] − Σ [y(pillar alone at its dose) −
      y(0, 0, 0)].

    With levels [0, 1] these are the effects of :func:`effects_per_replicate`.

    Returns
    -------
    list of (effect, doses, values)
        ``doses`` maps the pillars involved to their level.
    """
    nonzero = [v for v in levels if v != 0]
    out = []
    for i, name in enumerate(PILLARS):
        for a in nonzero:
            diffs = [y[c] - y[_with(c, i, 0.0)] for c in y if c[i] == a]
            out.append((name, {name: a}, np.mean(diffs, axis=0)))
    for i, j in itertools.combinations(range(3), 2):
        k = 3 - i - j
        for a, b in itertools.product(nonzero, repeat=2):
            terms = []
            for level in levels:

                def cell(u: float, v: float, level=level, i=i, j=j, k=k) -> Cell:
                    c = [0.0, 0.0, 0.0]
                    c[i], c[j], c[k] = u, v, level
                    return (c[0], c[1], c[2])

                terms.append(y[cell(a, b)] - y[cell(a, 0)] - y[cell(0, b)] + y[cell(0, 0)])
            effect = f"{PILLARS[i]}:{PILLARS[j]}"
            out.append((effect, {PILLARS[i]: a, PILLARS[j]: b}, np.mean(terms, axis=0)))
    zero = (0.0, 0.0, 0.0)
    for a, b, c in itertools.product(nonzero, repeat=3):
        corners = itertools.product((0.0, a), (0.0, b), (0.0, c))
        three = sum((-1) ** sum(v == 0 for v in cell) * y[cell] for cell in corners)
        doses = dict(zip(PILLARS, (a, b, c), strict=True))
        out.append(("productive:financial:social", doses, three))
        singles = y[(a, 0.0, 0.0)] + y[(0.0, b, 0.0)] + y[(0.0, 0.0, c)] - 3 * y[zero]
        out.append(("synergy", doses, y[(a, b, c)] - y[zero] - singles))
    return out


def _with(cell: Cell, i: int, value: float) -> Cell:
    """``cell`` with pillar ``i`` at ``value``."""
    c = list(cell)
    c[i] = value
    return (c[0], c[1], c[2])


def dose_table(runs: pd.DataFrame, outcomes: list[str], levels: list[float]) -> pd.DataFrame:
    """Effects at every dose level with 95 % t-intervals over replicates (``dose_effects.csv``).

    ``runs`` holds one row per cell × replicate with the cell's package label
    (:func:`cell_name`) in ``package``.
    """
    rows = []
    names = {cell: cell_name(cell) for cell in dose_cells(levels)}
    for outcome in outcomes:
        wide = runs.pivot(index="replicate", columns="package", values=outcome).astype(float)
        y = {cell: wide[name].to_numpy() for cell, name in names.items()}
        for effect, doses, values in dose_effects_per_replicate(y, levels):
            ci = mean_ci(values)
            mean, low, high = ci.mean, ci.low, ci.high
            rows.append(
                {
                    "outcome": outcome,
                    "effect": effect,
                    **{p: doses.get(p, np.nan) for p in PILLARS},
                    "mean": mean,
                    "low": low,
                    "high": high,
                }
            )
    return pd.DataFrame(rows, columns=list(DOSE_COLUMNS))


def run_synergy(
    configs: dict[str, dict],
    levels: list[float],
    *,
    seed: int,
    replicates: int,
    folder,
    executor: dict,
    progress: bool = False,
    experiment: dict | None = None,
    say=None,
):
    """Run (or resume) the factorial's cells with common random numbers; write its tables.

    Writes the comparison of every cell with ``none`` (:mod:`sim.analysis.compare`),
    ``synergy.csv`` (effects at full dose) and, with more dose levels than [0, 1],
    ``dose_effects.csv`` and ``synergy_doses.png``. Returns (comparison, synergy table).
    """
    from pathlib import Path

    from sim.analysis.compare import run_comparison, tasks_for
    from sim.analysis.outcomes import OUTCOMES
    from sim.analysis.plan import announce
    from sim.io import atomic_write

    design = f"{len(configs)} cells × {replicates} replicates"
    announce(tasks_for(configs, seed, replicates, series=False), executor, say, design=design)
    comparison = run_comparison(
        configs,
        seed=seed,
        replicates=replicates,
        baseline="none",
        folder=folder,
        executor=executor,
        progress=progress,
        series=False,
        experiment={**(experiment or {}), "doses": levels},
    )
    outcomes = [o for o in OUTCOMES if o in comparison.runs]  # declared and computed
    if levels == [0.0, 1.0]:
        table = synergy_table(comparison.runs, outcomes)
    else:
        doses = dose_table(comparison.runs, outcomes, levels)
        atomic_write(
            Path(folder) / "dose_effects.csv",
            lambda p: doses.to_csv(p, index=False, float_format="%.6g"),
        )
        top = max(levels)
        at_top = doses[doses[list(PILLARS)].apply(lambda r: set(r.dropna()) == {top}, axis=1)]
        table = at_top[list(SYNERGY_COLUMNS)].reset_index(drop=True)
        from sim.analysis.figures import dose_figure

        dose_figure(doses, Path(folder) / "synergy_doses.png")
    atomic_write(
        Path(folder) / "synergy.csv",
        lambda p: table.to_csv(p, index=False, float_format="%.6g"),
    )
    return comparison, table
