"""Figures of runs and experiments, in English or French.

Every figure has a title, labelled axes with units and a legend keyed by package (or wealth
group); a package keeps the same colour in every figure; every text comes from the
translation tables (``lang="en"`` or ``"fr"``) and numbers follow the language's rules. Each
function takes the tables an experiment writes (``series.parquet``, ``comparison.csv``,
``runs.parquet``, ``synergy.csv``, ``indices.csv``, ``shocks.parquet``) and returns a
:class:`matplotlib.figure.Figure`, built without pyplot: plotting never selects a backend, a
notebook shows the figure inline, :func:`save` writes it.
"""

from sim.plots.effects import (
    backsliding_curve,
    cost_effectiveness,
    outcome_bars,
    sensitivity_chart,
    synergy_chart,
)
from sim.plots.style import (
    GROUP_COLOURS,
    PACKAGE_COLOURS,
    PROGRAMME_SHADE,
    package_colour,
    png_bytes,
    save,
    texts,
)
from sim.plots.time import fan_chart, overview, shock_timeline

__all__ = [
    "GROUP_COLOURS",
    "PACKAGE_COLOURS",
    "PROGRAMME_SHADE",
    "backsliding_curve",
    "cost_effectiveness",
    "fan_chart",
    "outcome_bars",
    "overview",
    "package_colour",
    "png_bytes",
    "save",
    "sensitivity_chart",
    "shock_timeline",
    "synergy_chart",
    "texts",
]
