"""What a pattern function is given: every experiment's observations, and ways to read them.

A run's observation (:meth:`sim.validation.observers.Observer.result`) is a dict: its monthly
``timeseries`` (the tidy table of ``timeseries.parquet``), the programme households'
``panel`` and the summaries the observer computed. :class:`Context` holds them by experiment
and replicate; the functions below read the series the way most patterns need.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.validation.estimate import Estimate
from sim.validation.settings import Settings

Run = dict[str, Any]
"""One run's observation (see :meth:`sim.validation.observers.Observer.result`)."""

COPING_COLUMNS = ("coping_stress_share", "coping_crisis_share", "coping_emergency_share")
"""The three livelihood coping levels of the time series."""


@dataclass
class Context:
    """Results of every experiment, by experiment then replicate, and the settings."""

    runs: dict[str, list[Run]]
    settings: Settings
    programme: dict[str, float]

    def each(self, experiment: str) -> list[Run]:
        """Results of ``experiment``, by replicate."""
        return self.runs.get(experiment, [])

    def pairs(self, a: str, b: str) -> list[tuple[Run, Run]]:
        """Replicates of ``a`` and ``b`` with the same seed."""
        by_b = {r["replicate"]: r for r in self.each(b)}
        return [(r, by_b[r["replicate"]]) for r in self.each(a) if r["replicate"] in by_b]


def series(run: Run, group: str, column: str) -> pd.Series:
    """``column`` of ``group`` (a wealth group, ``programme`` or ``all``), month by month."""
    ts = run["timeseries"]
    return ts.loc[ts["wealth_group"] == group, column].reset_index(drop=True)


def by_month(runs: Iterable[Run], group: str, column: str) -> pd.DataFrame:
    """Calendar-month means of ``column`` for ``group``: one row per replicate, 12 columns.

    ``column`` may also be ``coping_any_share``: the three livelihood coping levels together.
    """
    rows = []
    for run in runs:
        ts = run["timeseries"]
        sel = ts[ts["wealth_group"] == group]
        if column == "coping_any_share":
            values = sel[list(COPING_COLUMNS)].sum(axis=1)
        else:
            values = sel[column]
        rows.append(values.groupby(sel["calendar_month"]).mean())
    return pd.DataFrame(rows).reset_index(drop=True)


def months_mean(curve: pd.Series, months: tuple[int, ...]) -> float:
    """Mean of a calendar-month curve over ``months``."""
    return float(curve[list(months)].mean())


def window(run: Run, group: str, column: str, months: range) -> float:
    """Mean of ``column`` for ``group`` over the month indices ``months``."""
    s = series(run, group, column)
    return float(s.iloc[list(months)].mean())


def programme_year_effect(ctx: Context, arm: str, column: str) -> Estimate:
    """Effect of ``arm`` on the programme households' ``column`` in the first programme year.

    Paired against the ``baseline`` experiment, replicate by replicate.
    """
    diffs = []
    for a, b in ctx.pairs(arm, "baseline"):
        months = range(a["start"], min(a["start"] + 12, len(series(a, "programme", column))))
        diffs.append(
            window(a, "programme", column, months) - window(b, "programme", column, months)
        )
    return Estimate.of(diffs)


def paired_panel_mean(ctx: Context, a: str, b: str, column: str) -> Estimate:
    """Mean over the programme households of ``panel[column]``, ``a`` minus ``b``, paired."""
    return Estimate.of(
        x["panel"][column].mean() - y["panel"][column].mean() for x, y in ctx.pairs(a, b)
    )
