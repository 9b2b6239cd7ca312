"""Figures of effects: paired differences, backsliding, cost against effect, synergy, sensitivity."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from sim.analysis.outcomes import REGISTRY
from sim.i18n import Translator
from sim.plots.style import new_figure, number_axis, package_colour, translator, wrap


def display_scale(outcome: str) -> float:
    """Shares are drawn in % (levels) and percentage points (differences)."""
    o = REGISTRY.get(outcome)
    return 100.0 if o is not None and o.unit == "share" else 1.0


def difference_unit(outcome: str, t: Translator) -> str:
    """The unit of a difference in ``outcome`` (percentage points for shares; '' if unknown)."""
    o = REGISTRY.get(outcome)
    if o is None:
        return ""
    return t.unit("share_diff") if o.unit == "share" else t.unit(o.unit)


def outcome_bars(
    table: pd.DataFrame,
    outcomes: list[str],
    *,
    baseline: str = "none",
    lang: str | Translator = "en",
    columns: int = 3,
) -> Figure:
    """Paired difference against the baseline with its 95 % interval, per outcome and package.

    Outcomes absent from ``table`` (or without a difference, e.g. a date beyond the horizon)
    are skipped. Each panel's title names the outcome and says which side is better.
    """
    t = translator(lang)
    packages = [p for p in dict.fromkeys(table["package"]) if p != baseline]
    diffs = table[table["package"].isin(packages)]
    outcomes = [o for o in outcomes if diffs.loc[diffs["outcome"] == o, "diff"].notna().any()]
    n = max(len(outcomes), 1)
    cols = min(n, columns)
    rows = int(np.ceil(n / cols))
    fig = new_figure(4.6 * cols, 0.9 + (0.55 * len(packages) + 1.6) * rows)
    axes = fig.subplots(rows, cols, squeeze=False)
    fig.suptitle(wrap(t("figure.effects_title", baseline=t.package(baseline)), 110))
    names = [wrap(t.package(p), 16) for p in packages]
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        sub = table[(table["outcome"] == outcome)].set_index("package")
        k = display_scale(outcome)
        y = np.arange(len(packages))
        diff = k * sub.loc[packages, "diff"].to_numpy(dtype=float)
        low = k * sub.loc[packages, "diff_low"].to_numpy(dtype=float)
        high = k * sub.loc[packages, "diff_high"].to_numpy(dtype=float)
        colours = [package_colour(p, packages) for p in packages]
        ax.barh(y, diff, color=colours)
        ax.errorbar(diff, y, xerr=[diff - low, high - diff], fmt="none", ecolor="black", capsize=3)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks(y, names, fontsize=8)
        ax.invert_yaxis()
        better = REGISTRY[outcome].better if outcome in REGISTRY else "neither"
        hint = {"higher": t("figure.better_right"), "lower": t("figure.better_left")}.get(
            better, ""
        )
        ax.set_xlabel(
            f"{t('figure.effect_axis', unit=difference_unit(outcome, t))}   {hint}".strip()
        )
        ax.set_title(wrap(t.outcome(outcome, "axis"), 34), fontsize=10)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        number_axis(ax.xaxis, t)
    for ax in list(axes.flat)[len(outcomes) :]:
        ax.remove()
    return fig


def backsliding_curve(runs: pd.DataFrame, *, lang: str | Translator = "en") -> Figure:
    """Share of households still above the poverty line, by years after exit, per package.

    Of the programme households above the asset poverty line at the first yearly snapshot
    after exit: the mean over replicates, with the 5-95 % range.
    """
    t = translator(lang)
    cols = sorted(
        (c for c in runs.columns if c.startswith("still_out_")),
        key=lambda c: int(c.rsplit("_", 1)[1]),
    )
    packages = list(dict.fromkeys(runs["package"]))
    fig = new_figure(7, 4.5)
    ax = fig.subplots()
    years = np.array([int(c.rsplit("_", 1)[1]) for c in cols])
    for package in packages:
        v = 100 * (
            runs[runs["package"] == package][cols]
            .apply(pd.to_numeric, errors="coerce")
            .to_numpy(dtype=float)
        )
        ok = ~np.all(np.isnan(v), axis=0)
        if not ok.any():
            continue
        mean = np.nanmean(v[:, ok], axis=0)
        lo, hi = np.nanquantile(v[:, ok], [0.05, 0.95], axis=0)
        colour = package_colour(package, packages)
        ax.fill_between(years[ok], lo, hi, color=colour, alpha=0.15, lw=0)
        ax.plot(years[ok], mean, marker="o", color=colour, label=t.package(package), gid=package)
    ax.set_ylim(0, 102)
    ax.set_xticks(years)
    ax.set_xlabel(t("figure.backsliding_x"))
    ax.set_ylabel(t("figure.backsliding_y"))
    ax.set_title(wrap(t("figure.backsliding_title"), 60))
    number_axis(ax.yaxis, t)
    if ax.get_lines():
        ax.legend(fontsize=8)
    else:  # no year follows exit: say so rather than leave an empty frame
        ax.text(
            0.5,
            0.5,
            wrap(t("figure.backsliding_none"), 50),
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontsize=9,
        )
    return fig


def cost_effectiveness(
    table: pd.DataFrame, outcome: str, *, baseline: str = "none", lang: str | Translator = "en"
) -> Figure:
    """Cost per household against the improvement over the baseline, per package.

    The vertical axis is the improvement (positive is better whatever the outcome's
    direction), so better value for money lies up and to the left.
    """
    t = translator(lang)
    o = REGISTRY[outcome]
    sign = -1.0 if o.better == "lower" else 1.0
    k = display_scale(outcome)
    packages = [p for p in dict.fromkeys(table["package"]) if p != baseline]
    cost = table[table["outcome"] == "cost_per_household_fcfa"].set_index("package")["mean"]
    eff = table[table["outcome"] == outcome].set_index("package")
    fig = new_figure(7.5, 5)
    ax = fig.subplots()
    for package in packages:
        d = sign * k * float(eff.loc[package, "diff"])
        ends = sorted(sign * k * float(eff.loc[package, c]) for c in ("diff_low", "diff_high"))
        ax.errorbar(
            cost[package],
            d,
            yerr=[[d - ends[0]], [ends[1] - d]],
            fmt="o",
            ms=8,
            capsize=3,
            color=package_colour(package, packages),
            label=t.package(package),
        )
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlim(left=0)
    ax.set_xlabel(t("figure.ce_x"))
    unit = difference_unit(outcome, t)
    ax.set_ylabel(wrap(t("figure.ce_y", baseline=t.package(baseline), unit=unit), 45))
    ax.set_title(wrap(t("figure.ce_title", outcome=t.outcome(outcome, "name")), 70))
    number_axis(ax.xaxis, t)
    number_axis(ax.yaxis, t)
    ax.legend(fontsize=8)
    return fig


def _effect_name(effect: str, t: Translator) -> str:
    if effect == "synergy":
        return t("figure.synergy")
    return " × ".join(t.name("pillar", p) for p in effect.split(":"))


def synergy_chart(synergy: pd.DataFrame, outcome: str, *, lang: str | Translator = "en") -> Figure:
    """Main effects, interactions and synergy of the pillar factorial, with 95 % intervals."""
    t = translator(lang)
    sub = synergy[synergy["outcome"] == outcome]
    k = display_scale(outcome)
    fig = new_figure(8.5, 4.5)
    ax = fig.subplots()
    y = np.arange(len(sub))
    palette = ("#1b9e77", "#7570b3", "#d95f02")
    colours = [
        palette[2] if e == "synergy" else palette[1] if ":" in e else palette[0]
        for e in sub["effect"]
    ]
    mean = k * sub["mean"].to_numpy(dtype=float)
    ax.barh(y, mean, color=colours)
    ax.errorbar(
        mean,
        y,
        xerr=[
            mean - k * sub["low"].to_numpy(dtype=float),
            k * sub["high"].to_numpy(dtype=float) - mean,
        ],
        fmt="none",
        ecolor="black",
        capsize=3,
    )
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, [wrap(_effect_name(e, t), 28) for e in sub["effect"]], fontsize=8)
    ax.invert_yaxis()
    name = t.outcome(outcome, "name")
    ax.set_xlabel(wrap(t("figure.synergy_axis", outcome=name), 60))
    ax.set_title(wrap(t("figure.synergy_title", outcome=name), 70))
    number_axis(ax.xaxis, t)
    handles = [Rectangle((0, 0), 1, 1, color=c) for c in palette]
    ax.legend(
        handles,
        [t("figure.main_effect"), t("figure.interaction"), wrap(t("figure.synergy"), 40)],
        fontsize=8,
    )
    return fig


def sensitivity_chart(
    indices: pd.DataFrame, outcome: str, *, lang: str | Translator = "en"
) -> Figure:
    """Sobol first- and total-order indices (bars with intervals) or Morris μ* against σ."""
    t = translator(lang)
    sub = indices[indices["outcome"] == outcome]
    name = t.outcome(outcome, "name")
    fig = new_figure(8, 0.35 * len(sub) + 2)
    ax = fig.subplots()
    if "S1" in sub:
        y = np.arange(len(sub))
        ax.barh(y - 0.2, sub["S1"], height=0.4, color="#1f77b4", label=t("figure.sobol_s1"))
        ax.errorbar(sub["S1"], y - 0.2, xerr=sub["S1_conf"], fmt="none", ecolor="black", capsize=2)
        ax.barh(y + 0.2, sub["ST"], height=0.4, color="#ff7f0e", label=t("figure.sobol_st"))
        ax.errorbar(sub["ST"], y + 0.2, xerr=sub["ST_conf"], fmt="none", ecolor="black", capsize=2)
        ax.set_yticks(y, sub["factor"])
        ax.set_xlabel(t("figure.sobol_axis"))
        ax.set_title(wrap(t("figure.sobol_title", outcome=name), 70))
    else:
        ax.errorbar(
            sub["mu_star"],
            sub["sigma"],
            xerr=sub["mu_star_conf"],
            fmt="o",
            color="#1f77b4",
        )
        for _, r in sub.iterrows():
            ax.annotate(r["factor"], (r["mu_star"], r["sigma"]), fontsize=7)
        ax.set_xlabel(t("figure.morris_x"))
        ax.set_ylabel(t("figure.morris_y"))
        ax.set_title(wrap(t("figure.morris_title", outcome=name), 70))
    number_axis(ax.xaxis, t)
    if "S1" in sub:
        ax.legend(fontsize=8)
    return fig
