"""Figures of sensitivity and scenario-discovery studies, and their section of the report.

- :func:`sobol_figure`: first- and total-order Sobol indices as bars with 95 % intervals,
  one panel per outcome, factors sorted by total order;
- :func:`morris_figure`: Morris μ* against σ with μ*'s interval, one panel per outcome;
- :func:`s2_figure`: second-order Sobol indices as heat maps (interactions; between pillar
  doses, their synergies);
- :func:`tradeoff_figure`: PRIM's peeling trajectory, coverage against density, coloured by
  the number of restricted dimensions, the chosen box marked;
- :func:`box_figure`: the chosen box's limits on each restricted uncertainty, against its
  declared range.

Every figure takes a language (``lang``: its labels, titles and numbers come from the
translation tables, factors by their names, :func:`factor_name`). Every study writes its
figures next to its tables, in English (:func:`sensitivity_figures`, :func:`discovery_figures`);
:func:`sim.report.studies.study_section` turns a study folder into an HTML section in the
report's language, figures redrawn in it (``report.studies=[folder, …]``).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure  # built without pyplot: no backend is selected
from matplotlib.ticker import MaxNLocator

from sim.i18n import Translator
from sim.plots.effects import difference_unit, display_scale
from sim.plots.style import number_axis, translator, wrap

S1_COLOUR, ST_COLOUR = "#1f77b4", "#ff7f0e"
KIND_WORD = {"uncertainty": "uncertainties", "lever": "levers"}


def _panels(n: int, *, width: float = 5.2, height: float = 3.6) -> tuple[Figure, list]:
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig = Figure(figsize=(width * cols, height * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def _short(name: str) -> str:
    """A factor's config path without its first group (``drought.probability``)."""
    parts = name.split(".")
    return ".".join(parts[-2:]) if len(parts) > 2 else name


def factor_name(t: Translator, name: str) -> str:
    """Human name of a declared factor (its short config path if the catalogue lacks it)."""
    key = f"factor.{name}.name"
    return t(key) if t.has(key) else _short(name)


def factor_unit(t: Translator, name: str, declared: str = "") -> str:
    """Unit of a declared factor in ``t``'s language (the declared unit if unknown)."""
    key = f"factor.{name}.unit"
    return t(key) if t.has(key) else declared


def _title(t: Translator, outcome: str) -> str:
    return wrap(t.outcome(outcome, "axis"), 45)


def sobol_figure(indices: pd.DataFrame, *, title: str, lang: str | Translator = "en") -> Figure:
    """S1 and ST bars with 95 % intervals, one panel per outcome (one package's indices)."""
    t = translator(lang)
    outcomes = list(dict.fromkeys(indices["outcome"]))
    n_factors = indices["factor"].nunique()
    fig, axes = _panels(len(outcomes), height=0.42 * n_factors + 1.6)
    for ax, outcome in zip(axes, outcomes, strict=True):
        sub = indices[indices["outcome"] == outcome].sort_values("ST")
        y = np.arange(len(sub))
        ax.barh(y - 0.2, sub["S1"], height=0.4, color=S1_COLOUR, label=t("figure.sobol_s1"))
        ax.errorbar(sub["S1"], y - 0.2, xerr=sub["S1_conf"], fmt="none", ecolor="k", capsize=2)
        ax.barh(y + 0.2, sub["ST"], height=0.4, color=ST_COLOUR, label=t("figure.sobol_st"))
        ax.errorbar(sub["ST"], y + 0.2, xerr=sub["ST_conf"], fmt="none", ecolor="k", capsize=2)
        ax.set_yticks(y, [wrap(factor_name(t, f), 28) for f in sub["factor"]], fontsize=8)
        ax.axvline(0, color="k", lw=0.6)
        number_axis(ax.xaxis, t)
        ax.set_xlabel(t("study.sobol_axis"))
        ax.set_title(_title(t, outcome), fontsize=10)
    axes[0].legend(fontsize=7, loc="lower right")
    fig.suptitle(title)
    return fig


def morris_figure(indices: pd.DataFrame, *, title: str, lang: str | Translator = "en") -> Figure:
    """Morris μ* (with its 95 % interval) against σ, one panel per outcome."""
    t = translator(lang)
    outcomes = list(dict.fromkeys(indices["outcome"]))
    fig, axes = _panels(len(outcomes))
    for ax, outcome in zip(axes, outcomes, strict=True):
        sub = indices[indices["outcome"] == outcome]
        ax.errorbar(
            sub["mu_star"], sub["sigma"], xerr=sub["mu_star_conf"], fmt="o", color=S1_COLOUR
        )
        top = sub.sort_values("mu_star", ascending=False).head(5)  # label the leaders only
        for r in top.itertuples():
            ax.annotate(wrap(factor_name(t, r.factor), 24), (r.mu_star, r.sigma), fontsize=7)
        hi = float(np.nanmax([sub["mu_star"].max(), sub["sigma"].max(), 1e-12]))
        ax.plot([0, hi], [0, hi], color="#999999", lw=0.6, ls="--", label="σ = μ*")
        ax.set_xlabel(wrap(t("study.morris_x"), 45))
        ax.set_ylabel(wrap(t("figure.morris_y"), 30))
        for axis in (ax.xaxis, ax.yaxis):  # few ticks: large outcomes' labels stay apart
            axis.set_major_locator(MaxNLocator(nbins=5))
            number_axis(axis, t)
        ax.set_title(_title(t, outcome), fontsize=10)
    axes[0].legend(fontsize=7)
    fig.suptitle(title)
    return fig


def s2_figure(s2: pd.DataFrame, *, title: str, lang: str | Translator = "en") -> Figure:
    """Second-order Sobol indices as annotated heat maps, one panel per outcome."""
    t = translator(lang)
    outcomes = list(dict.fromkeys(s2["outcome"]))
    names = list(dict.fromkeys([*s2["factor_1"], *s2["factor_2"]]))
    k = len(names)
    labels = [wrap(factor_name(t, n), 24) for n in names]
    fig, axes = _panels(len(outcomes), width=0.55 * k + 3.2, height=0.5 * k + 2.2)
    vmax = max(float(s2["S2"].abs().max()), 0.01)
    image = None
    for ax, outcome in zip(axes, outcomes, strict=True):
        grid = np.full((k, k), np.nan)
        conf = np.full((k, k), np.nan)
        for r in s2[s2["outcome"] == outcome].itertuples():
            i, j = names.index(r.factor_1), names.index(r.factor_2)
            grid[j, i], conf[j, i] = r.S2, r.S2_conf
        image = ax.imshow(grid, cmap="RdBu_r", vmin=-vmax, vmax=vmax)
        for i in range(k):
            for j in range(k):
                if np.isfinite(grid[j, i]):
                    ax.text(
                        i,
                        j,
                        f"{t.number(grid[j, i], 2)}\n±{t.number(conf[j, i], 2)}",
                        ha="center",
                        va="center",
                        fontsize=6,
                    )
        ax.set_xticks(range(k), labels, rotation=60, ha="right", fontsize=7)
        ax.set_yticks(range(k), labels, fontsize=7)
        ax.set_title(_title(t, outcome), fontsize=10)
    if image is not None:
        bar = fig.colorbar(image, ax=axes, shrink=0.8, label=t("study.s2_axis"))
        number_axis(bar.ax.yaxis, t)
    fig.suptitle(title)
    return fig


def sensitivity_figure_set(
    indices: pd.DataFrame, s2: pd.DataFrame | None = None, *, lang: str | Translator = "en"
) -> list[tuple[str, str, Figure]]:
    """(file name, caption, figure) of a sensitivity study's figures, one set per package."""
    t = translator(lang)
    out = []
    for package, sub in indices.groupby("package", sort=False):
        plural = KIND_WORD[str(sub["kind"].iloc[0])]
        words = {"kind": t(f"study.kind_{plural}"), "package": t.package(str(package))}
        if "ST" in sub and sub["ST"].notna().any():
            fig = sobol_figure(sub, title=t("study.sobol_title", **words), lang=t)
        else:
            fig = morris_figure(sub, title=t("study.morris_title", **words), lang=t)
        out.append((f"sensitivity_{package}.png", t("study.caption_sensitivity", **words), fig))
        if s2 is not None:
            sub2 = s2[s2["package"] == package]
            what = t(f"study.s2_{plural}")
            fig = s2_figure(sub2, title=t("study.s2_title", what=what, **words), lang=t)
            caption = t("study.caption_interactions", **words)
            out.append((f"interactions_{package}.png", caption, fig))
    return out


def sensitivity_figures(
    folder: Path, indices: pd.DataFrame, s2: pd.DataFrame | None = None
) -> list[Path]:
    """Write the figures of a sensitivity study, one set per package; return their paths."""
    folder = Path(folder)
    return [_save(fig, folder / name) for name, _, fig in sensitivity_figure_set(indices, s2)]


DOSE_OUTCOMES = ("backsliding_share", "net_assets_end", "gam_mean")
"""Outcomes the dose figure shows: backsliding, assets, nutrition."""
COLUMNS = ("mean", "low", "high")
"""The dose table's effect and interval columns."""


def dose_figure(doses: pd.DataFrame, path: Path) -> Path:
    """Pillar effects against a common dose, with 95 % intervals (``synergy_doses.png``).

    For every dose d of the design, the main effect of each pillar at d, the two-way
    interactions with both pillars at d, and the synergy of all three at d, on backsliding,
    assets and nutrition; every effect is 0 at dose 0 by definition.
    """
    t = translator("en")
    pillars = ["productive", "financial", "social"]
    shown = [o for o in DOSE_OUTCOMES if o in set(doses["outcome"])]
    fig, axes = _panels(len(shown))
    same = doses[pillars].apply(lambda r: len(set(r.dropna())) == 1, axis=1)
    sub_all = doses[same].assign(dose=doses.loc[same, pillars].max(axis=1))
    for ax, outcome in zip(axes, shown, strict=True):
        sub = sub_all[sub_all["outcome"] == outcome]
        scale, unit = display_scale(outcome), difference_unit(outcome, t)
        for effect, rows in sub.groupby("effect", sort=False):
            zero = pd.DataFrame({"dose": [0.0], "mean": [0.0], "low": [0.0], "high": [0.0]})
            rows = pd.concat([zero, rows[["dose", "mean", "low", "high"]]]).sort_values("dose")
            rows = rows.assign(**{k: rows[k] * scale for k in COLUMNS})  # shares in points
            style = "-" if ":" not in effect else "--"
            lw = 2.4 if effect == "synergy" else 1.2
            ax.errorbar(
                rows["dose"],
                rows["mean"],
                yerr=[rows["mean"] - rows["low"], rows["high"] - rows["mean"]],
                ls=style,
                lw=lw,
                marker="o",
                ms=3,
                capsize=2,
                label=effect.replace(":", " × "),
            )
        ax.axhline(0, color="k", lw=0.6)
        ax.set_xlabel("dose of the pillars involved (0-1)")
        label = f"effect on {t.outcome(outcome)}" + (f" ({unit})" if unit else "")
        ax.set_ylabel(wrap(label, 40), fontsize=8)
        ax.set_title(wrap(t.outcome(outcome), 40), fontsize=9)
    axes[0].legend(fontsize=6)
    fig.suptitle("Pillar effects, interactions and synergy by dose (95 % intervals)")
    return _save(fig, Path(path))


def tradeoff_figure(
    trajectory: pd.DataFrame, chosen: int, *, title: str, lang: str | Translator = "en"
) -> Figure:
    """PRIM's peeling trajectory: coverage against density, the chosen box circled."""
    t = translator(lang)
    fig = Figure(figsize=(6.4, 4.6), layout="constrained")
    ax = fig.subplots()
    points = ax.scatter(
        trajectory["coverage"],
        trajectory["density"],
        c=trajectory["res_dim"],
        cmap="viridis",
        s=22,
    )
    row = trajectory.iloc[chosen]
    ax.scatter(
        [row["coverage"]],
        [row["density"]],
        s=160,
        facecolors="none",
        edgecolors="#d62728",
        linewidths=2,
        label=t("study.chosen", box=chosen),
    )
    bar = fig.colorbar(points, ax=ax, label=t("study.res_dim"))
    number_axis(bar.ax.yaxis, t)
    ax.set_xlabel(wrap(t("study.coverage_axis"), 60))
    ax.set_ylabel(wrap(t("study.density_axis"), 40))
    for axis in (ax.xaxis, ax.yaxis):
        number_axis(axis, t)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title(wrap(title, 60), fontsize=10)
    return fig


def box_figure(limits: pd.DataFrame, *, title: str, lang: str | Translator = "en") -> Figure:
    """The chosen box on each restricted uncertainty, within its declared range (0-1 scale)."""
    t = translator(lang)
    sub = limits[limits["restricted"].astype(bool)]
    fig = Figure(figsize=(7.5, 0.6 * max(len(sub), 1) + 1.6), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(sub))
    span = (sub["declared_high"] - sub["declared_low"]).to_numpy(dtype=float)
    lo = (sub["low"] - sub["declared_low"]).to_numpy(dtype=float) / span
    hi = (sub["high"] - sub["declared_low"]).to_numpy(dtype=float) / span
    ax.barh(y, np.ones(len(sub)), color="#eeeeee", edgecolor="#999999")
    ax.barh(y, hi - lo, left=lo, color="#d62728", alpha=0.7, label=t("study.box_label"))
    for i, r in enumerate(sub.itertuples()):
        ax.text(lo[i], i + 0.3, t.number(r.low), fontsize=7, ha="left")
        ax.text(hi[i], i + 0.3, t.number(r.high), fontsize=7, ha="right")
    ax.set_yticks(y, [wrap(factor_name(t, u), 28) for u in sub["uncertainty"]], fontsize=8)
    ax.set_xlim(0, 1)
    number_axis(ax.xaxis, t)
    ax.set_xlabel(t("study.box_axis"))
    ax.set_title(wrap(title, 80), fontsize=10)
    return fig


def rule_words(t: Translator, outcome: str, direction: str, threshold: float) -> str:
    """A discovery rule in ``t``'s language: the outcome's name, its direction, the threshold."""
    from sim.analysis.outcomes import REGISTRY

    unit = REGISTRY[outcome].unit if outcome in REGISTRY else "ratio"
    return t(
        f"study.rule_{direction}", outcome=t.outcome(outcome), threshold=t.value(threshold, unit)
    )


def discovery_figure_set(
    trajectory: pd.DataFrame,
    limits: pd.DataFrame,
    chosen: pd.Series,
    *,
    rule: str | None = None,
    lang: str | Translator = "en",
) -> list[tuple[str, str, Figure]]:
    """(file name, caption, figure) of the trade-off and box figures of every package.

    ``rule``: the rule in words (default: as ``peeling.csv`` writes it).
    """
    t = translator(lang)
    out = []
    for package, traj in trajectory.groupby("package", sort=False):
        traj = traj.reset_index(drop=True)
        box = int(chosen[package])
        words = rule or str(traj["rule"].iloc[0])
        name = t.package(str(package))
        fig = tradeoff_figure(
            traj, box, title=t("study.tradeoff_title", package=name, rule=words), lang=t
        )
        out.append((f"prim_tradeoff_{package}.png", t("study.caption_tradeoff", package=name), fig))
        lims = limits[limits["package"] == package]
        row = traj.iloc[box]
        title = t(
            "study.box_title",
            package=name,
            rule=words,
            box=box,
            coverage=t.percent(float(row["coverage"])),
            density=t.percent(float(row["density"])),
        )
        fig = box_figure(lims, title=title, lang=t)
        out.append((f"prim_box_{package}.png", t("study.caption_box", package=name), fig))
    return out


def discovery_figures(
    folder: Path, trajectory: pd.DataFrame, limits: pd.DataFrame, chosen: pd.Series
) -> list[Path]:
    """Write the trade-off and box figures of every package of a discovery study."""
    folder = Path(folder)
    return [
        _save(fig, folder / name)
        for name, _, fig in discovery_figure_set(trajectory, limits, chosen)
    ]


def _save(fig: Figure, path: Path) -> Path:
    fig.savefig(path, dpi=110, format="png")
    return path
