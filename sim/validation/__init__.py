"""Validation: the model against the stylized facts of domain.md §7 and the programme's figures.

``resim task=validate`` (or :func:`validate`) runs a fixed set of experiments, every one with
the same replicate seeds (common random numbers: replicate r of every experiment faces the
same weather, prices, shocks and household draws), measures each pattern on the model's
real outputs and writes a Markdown table, ``validation.md``, with ``validation.csv`` beside
it, into the run folder (``validate.output=docs/validation.md``, from the repository's root,
also writes the committed table): one row per pattern with its target and source, the
model's value with a 95 % t-interval over replicates, and pass or fail. The runs go through
the experiment runner (:func:`sim.analysis.runner.execute`) like every study, each followed
by an :class:`~sim.validation.observers.Observer`; their observations are stored in the run
folder's shards, so a killed validation run again into the same folder resumes.

Pass rules: a target with bounds passes when the mean over replicates lies within them;
a directional target (an effect that must be positive or negative) passes when the whole
95 % interval lies on the right side; timing targets (months) apply to the mean seasonal
curve. Several conditions in one target must all hold.

Where things live
-----------------
- :mod:`~sim.validation.settings`: the ``validate`` config group (scale, shocks, targets).
- :mod:`~sim.validation.experiments`: the experiments (:data:`EXPERIMENTS`).
- :mod:`~sim.validation.observers`: what a run records for the patterns, and the worker.
- :mod:`~sim.validation.patterns`: the patterns, one module per family (prices, food and
  coping, nutrition, assets and herds, programme effects, groups, resilience capacity,
  programme design), registered in :data:`PATTERNS`.
- :mod:`~sim.validation.context` and :mod:`~sim.validation.estimate`: what a pattern reads
  (observations by experiment and replicate, series helpers) and returns (estimate, outcome,
  number formats).
- :mod:`~sim.validation.rendering`: the table's rows and the Markdown document.
- :mod:`~sim.validation.notes`: why each failing pattern fails, and the plan.
- :mod:`~sim.validation.run`: :func:`validate`.

Adding a pattern
----------------
1. Write one function in the family's module, decorated with its name and title; its
   docstring says how it is measured (the document prints it)::

       @pattern("lean_price_gap", "Lean-season price gap")
       def p_lean_price_gap(ctx: Context, t: Target) -> Outcome:
           '''Baseline: July-August over October-December millet price, minus 1.'''
           curves = by_month(ctx.each("baseline"), "all", "millet_price")
           est = Estimate.of(months_mean(c, t.peak_months) / months_mean(c, t.months) - 1
                             for _, c in curves.iterrows())
           return Outcome(est.text(pct), est.within(t), est)

2. Add its target to ``conf/validate/default.yaml`` under ``targets`` (``name``, ``target`` in
   words, ``source`` with its domain.md section and tag, ``low``/``high``, ``months``,
   ``peak_months`` as it needs); the entry's position is the row's position in the table.

A pattern needing something a run does not yet record adds it to
:class:`~sim.validation.observers.Observer` (``record`` each month, ``result`` at the end);
one needing another experiment adds it to :data:`EXPERIMENTS`.

The names below are imported on first use, so that ``import sim.validation.settings`` stays
light (the input checks read the settings before any work).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "EXPERIMENTS": "sim.validation.experiments",
    "PATTERNS": "sim.validation.patterns",
    "ROW_COLUMNS": "sim.validation.rendering",
    "Validation": "sim.validation.run",
    "read_settings": "sim.validation.run",
    "validate": "sim.validation.run",
}

__all__ = [
    "EXPERIMENTS",
    "PATTERNS",
    "ROW_COLUMNS",
    "Validation",
    "read_settings",
    "validate",
]

if TYPE_CHECKING:
    from sim.validation.experiments import EXPERIMENTS
    from sim.validation.patterns import PATTERNS
    from sim.validation.rendering import ROW_COLUMNS
    from sim.validation.run import Validation, read_settings, validate


def __getattr__(name: str) -> Any:
    """Import an exported name on first use."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'sim.validation' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
