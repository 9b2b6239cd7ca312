"""Figures over calendar time: a run's overview, fan charts over replicates, the shock timeline."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.i18n import Translator
from sim.plots.style import (
    GROUP_COLOURS,
    PROGRAMME_SHADE,
    SHOCK_COLOUR,
    SHOCK_COLOURS,
    calendar_axis,
    dates,
    month_dates,
    new_figure,
    number_axis,
    package_colour,
    translator,
    wrap,
)

PERCENT_INDICATORS = {"gam_prevalence", "poverty_share", "survival_deficit_share"}
"""Monthly indicators that are shares, shown in %."""

SHOCK_ORDER = (
    "drought",
    "dry_spell",
    "flood",
    "price_spike",
    "livestock_disease",
    "human_disease",
    "insecurity",  # one marker per village-month in conflict
)


BANDS = (0.05, 0.25, 0.5, 0.75, 0.95)
"""Quantiles over replicates a fan chart draws: the 90 % and 50 % bands and the median."""


def band_quantiles(values: np.ndarray) -> np.ndarray:
    """:data:`BANDS` of each row (month) over its columns (replicates), ignoring gaps.

    ``np.quantile`` gives the same numbers as ``np.nanquantile`` when nothing is missing,
    many times faster (the latter works row by row).
    """
    if np.isnan(values).any():
        return np.nanquantile(values, BANDS, axis=1)
    return np.quantile(values, BANDS, axis=1)


def overview(
    ts: pd.DataFrame,
    *,
    title: str | None = None,
    lang: str | Translator = "en",
    package: str = "none",
    regime: str = "baseline",
) -> Figure:
    """Four panels of one run over time: prices, food energy, acute malnutrition, herds.

    Parameters
    ----------
    ts
        A run's ``timeseries`` table.
    title
        Figure title (default: the package and shock regime, in ``lang``).
    lang
        Language of every text.
    package, regime
        The run's package and shock regime, for the default title.
    """
    t = translator(lang)
    fig = new_figure(11, 7)
    axes = fig.subplots(2, 2, sharex=True)
    fig.suptitle(
        title
        or t("figure.overview_title", package=t.package(package), regime=t.name("regime", regime))
    )
    allg = ts[ts["wealth_group"] == "all"]
    ax = axes[0, 0]
    ax.plot(dates(allg), allg["millet_price"], color="#8c510a", label=t("figure.millet"))
    ax.set_ylabel(t("indicator.millet_price"))
    ax.set_title(t("figure.prices_panel"))
    ax2 = ax.twinx()
    ax2.plot(
        dates(allg),
        allg["terms_of_trade"],
        color="#01665e",
        ls="--",
        label=t("figure.terms_of_trade"),
    )
    ax2.set_ylabel(wrap(t("indicator.terms_of_trade"), 28))
    number_axis(ax.yaxis, t)
    number_axis(ax2.yaxis, t)
    lines = ax.get_lines() + ax2.get_lines()
    ax.legend(lines, [line.get_label() for line in lines], loc="upper left", fontsize=8)
    panels = [
        (axes[0, 1], "kcal_adequacy", "figure.food_panel"),
        (axes[1, 0], "gam_prevalence", "figure.gam_panel"),
        (axes[1, 1], "tlu", "figure.herds_panel"),
    ]
    for ax, column, panel_title in panels:
        for group in ("very_poor", "poor", "middle", "better_off", "all"):
            sel = ts[ts["wealth_group"] == group]
            ax.plot(
                dates(sel),
                sel[column],
                color=GROUP_COLOURS[group],
                lw=2.0 if group == "all" else 1.2,
                label=t.name("group", group),
            )
        ax.set_ylabel(wrap(t(f"indicator.{column}"), 32))
        ax.set_title(t(panel_title))
        number_axis(ax.yaxis, t, percent=column in PERCENT_INDICATORS)
    axes[1, 1].legend(fontsize=8, loc="upper left")
    for ax in axes.flat:
        calendar_axis(ax, t)
    axes[0, 0].set_xlabel("")
    axes[0, 1].set_xlabel("")
    return fig


def fan_chart(
    series: pd.DataFrame,
    indicator: str,
    *,
    group: str = "programme",
    programme: tuple[int, int] | None = None,
    shocks: pd.DataFrame | None = None,
    title: str | None = None,
    lang: str | Translator = "en",
) -> Figure:
    """Monthly median and 50 %/90 % bands over replicates of one indicator, per package.

    Parameters
    ----------
    series
        ``series.parquet`` of a comparison (package, replicate, month, wealth_group, …).
    indicator
        A monthly indicator column.
    group
        Which households: a wealth group, ``programme`` or ``all``.
    programme
        Month indices of the programme's start and exit, shaded.
    shocks
        Covariate shock log of the replicates (``shocks.parquet``): region-wide droughts and
        price spikes are marked, darker when more replicates have them.
    title
        Figure title (default: the indicator and group, in ``lang``).
    lang
        Language of every text.
    """
    t = translator(lang)
    data = series[series["wealth_group"] == group]
    packages = list(data["package"].unique())
    fig = new_figure(10, 4.8)
    ax = fig.subplots()
    months = np.sort(data["month"].unique())
    first = data[(data["package"] == packages[0]) & (data["replicate"] == data["replicate"].min())]
    when = dates(first.sort_values("month")).to_numpy()
    scale = 100.0 if indicator in PERCENT_INDICATORS else 1.0
    if programme is not None:
        start, stop = programme
        ax.axvspan(
            when[min(start, len(when) - 1)],
            when[min(stop, len(when)) - 1],
            color=PROGRAMME_SHADE,
            alpha=0.7,
            lw=0,
            label=t("figure.programme_period"),
        )
    for package in packages:
        wide = data[data["package"] == package].pivot(
            index="month", columns="replicate", values=indicator
        )
        wide = wide.reindex(months)
        q = scale * band_quantiles(wide.to_numpy(dtype=float))
        colour = package_colour(package, packages)
        ax.fill_between(when, q[0], q[4], color=colour, alpha=0.12, lw=0)
        ax.fill_between(when, q[1], q[3], color=colour, alpha=0.25, lw=0)
        ax.plot(
            when,
            q[2],
            color=colour,
            lw=1.8,
            ls="--" if package == "none" else "-",
            label=t.package(package),
            gid=package,
        )
    if shocks is not None and not shocks.empty:
        regional = shocks[shocks["type"].isin(["drought", "price_spike"])]
        reps = max(shocks["replicate"].nunique(), 1) if "replicate" in shocks else 1
        counts = regional.groupby("month").size() / reps
        for month, share in counts.items():
            if month < len(when):
                ax.axvline(
                    when[month],
                    color=SHOCK_COLOUR,
                    alpha=float(min(0.15 + 0.6 * share, 0.8)),
                    lw=1,
                    ls=":",
                )
        ax.plot([], [], color=SHOCK_COLOUR, ls=":", label=t("figure.shock_marks"))
    calendar_axis(ax, t)
    ax.set_ylabel(wrap(t(f"indicator.{indicator}"), 40))
    number_axis(ax.yaxis, t)
    ax.set_title(
        wrap(
            title
            or t(
                "figure.fan_title",
                indicator=t(f"indicator.{indicator}"),
                group=t.name("group", group),
            ),
            90,
        )
    )
    ax.legend(fontsize=8, loc="best")
    return fig


def shock_timeline(
    shocks: pd.DataFrame,
    months: int,
    *,
    replicate: int = 0,
    start_year: int = 2015,
    start_month: int = 1,
    lang: str | Translator = "en",
) -> Figure:
    """The covariate shocks of one replicate in calendar time, one row per type that occurred.

    Parameters
    ----------
    shocks
        A shock log (``shocks.parquet``); household events (illness) are left out.
    months
        Months of the horizon.
    replicate
        Which replicate's shocks (when the log has a ``replicate`` column).
    start_year, start_month
        Calendar year and month of month 0.
    lang
        Language of every text.
    """
    t = translator(lang)
    sub = shocks[shocks["replicate"] == replicate] if "replicate" in shocks else shocks
    sub = sub[sub["scope"] != "household"]
    present = [k for k in SHOCK_ORDER if (sub["type"] == k).any()]
    present += sorted(set(sub["type"]) - set(SHOCK_ORDER))
    when = month_dates(start_year, start_month, months + 1)
    fig = new_figure(10, 1.2 + 0.45 * max(len(present), 1))
    ax = fig.subplots()
    for i, kind in enumerate(present):
        ev = sub[sub["type"] == kind]
        size = 20 + 80 * ev["severity"].to_numpy(dtype=float)
        x = when[np.clip(ev["month"].to_numpy(dtype=int), 0, months)]
        ax.scatter(
            x, np.full(len(ev), i), s=size, color=SHOCK_COLOURS.get(kind, "#444444"), alpha=0.6
        )
    ax.set_yticks(range(len(present)), [t.name("shock", k) for k in present])
    ax.set_ylim(-0.6, max(len(present), 1) - 0.4)
    ax.invert_yaxis()
    ax.set_xlim(when[0] - pd.DateOffset(months=1), when[-1])
    calendar_axis(ax, t)
    ax.set_title(t("figure.timeline_title", replicate=replicate + 1))
    return fig
