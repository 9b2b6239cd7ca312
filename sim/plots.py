"""Figures, drawn with matplotlib's object API (no display needed).

Every figure has a title, labelled axes with units and a legend; wealth groups and packages
keep the same colours in every figure.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # file output only; never opens a window

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

GROUP_COLOURS: dict[str, str] = {
    "very_poor": "#b2182b",
    "poor": "#ef8a62",
    "middle": "#67a9cf",
    "better_off": "#2166ac",
    "all": "#222222",
}
GROUP_LABELS: dict[str, str] = {
    "very_poor": "very poor",
    "poor": "poor",
    "middle": "middle",
    "better_off": "better off",
    "all": "all households",
}


def _dates(frame: pd.DataFrame) -> pd.Series:
    return pd.to_datetime({"year": frame["year"], "month": frame["calendar_month"], "day": 15})


def overview(ts: pd.DataFrame, *, title: str = "Bandiagara households, baseline") -> Figure:
    """Four panels over time: prices, food energy, acute malnutrition and herds by wealth group.

    Parameters
    ----------
    ts
        A run's ``timeseries`` table.
    title
        Figure title.
    """
    fig, axes = plt.subplots(2, 2, figsize=(11, 7), sharex=True, layout="constrained")
    fig.suptitle(title)
    allg = ts[ts["wealth_group"] == "all"]
    ax = axes[0, 0]
    ax.plot(_dates(allg), allg["millet_price"], color="#8c510a", label="millet (FCFA/kg)")
    ax.set_ylabel("millet price (FCFA/kg)")
    ax.set_title("Regional prices")
    ax2 = ax.twinx()
    ax2.plot(
        _dates(allg),
        allg["terms_of_trade"],
        color="#01665e",
        ls="--",
        label="goat/millet terms of trade",
    )
    ax2.set_ylabel("terms of trade (kg millet per goat)")
    lines = ax.get_lines() + ax2.get_lines()
    ax.legend(lines, [line.get_label() for line in lines], loc="upper left", fontsize=8)
    panels = [
        (axes[0, 1], "kcal_adequacy", "energy intake / needs", "Food energy adequacy"),
        (
            axes[1, 0],
            "gam_prevalence",
            "GAM prevalence (share of under-fives)",
            "Global acute malnutrition",
        ),
        (axes[1, 1], "tlu", "livestock (TLU per household)", "Herds"),
    ]
    for ax, column, ylabel, panel_title in panels:
        for group, colour in GROUP_COLOURS.items():
            sel = ts[ts["wealth_group"] == group]
            ax.plot(
                _dates(sel),
                sel[column],
                color=colour,
                lw=2.0 if group == "all" else 1.2,
                label=GROUP_LABELS[group],
            )
        ax.set_ylabel(ylabel)
        ax.set_title(panel_title)
    axes[1, 1].legend(fontsize=8, loc="upper left")
    for ax in axes[1]:
        ax.set_xlabel("month")
    return fig


def save(fig: Figure, path: str) -> None:
    """Write ``fig`` as a PNG at 110 dpi and release its memory."""
    fig.savefig(path, dpi=110, format="png")
    plt.close(fig)
