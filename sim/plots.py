"""Figures, drawn with matplotlib's object API (no display needed).

Every figure has a title, labelled axes with units and a legend keyed by package (or wealth
group); a package keeps the same colour in every figure. Each function takes the tables an
experiment writes (``series.parquet``, ``comparison.csv``, ``runs.parquet``, ``synergy.csv``,
``indices.csv``, ``shocks.parquet``) and returns a :class:`matplotlib.figure.Figure`.
"""

from __future__ import annotations

import zlib

import matplotlib

matplotlib.use("Agg")  # file output only; never opens a window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

GROUP_COLOURS: dict[str, str] = {
    "very_poor": "#b2182b",
    "poor": "#ef8a62",
    "middle": "#67a9cf",
    "better_off": "#2166ac",
    "programme": "#7b3294",
    "all": "#222222",
}
GROUP_LABELS: dict[str, str] = {
    "very_poor": "very poor",
    "poor": "poor",
    "middle": "middle",
    "better_off": "better off",
    "programme": "programme households",
    "all": "all households",
}
PACKAGE_COLOURS: dict[str, str] = {
    "none": "#7f7f7f",
    "productive": "#1b9e77",
    "financial": "#d95f02",
    "social": "#7570b3",
    "productive_financial": "#66a61e",
    "productive_social": "#e7298a",
    "financial_social": "#e6ab02",
    "full_cdr": "#1f3a93",
    "joint_plan": "#0b6e4f",
    "cash": "#a6761d",
    "livestock": "#8c564b",
    "cash_plus_livestock": "#d62728",
}
_EXTRA = ["#17becf", "#bcbd22", "#9467bd", "#ff7f0e", "#2ca02c", "#e377c2"]

LABELS: dict[str, str] = {
    "kcal_adequacy": "energy intake / needs",
    "gam_prevalence": "GAM prevalence (share of under-fives)",
    "hdds": "dietary diversity (HDDS, 0-12)",
    "tlu": "livestock (TLU per household)",
    "poverty_share": "share below the asset poverty line",
    "survival_deficit_share": "share below the survival threshold",
    "net_assets": "net assets (FCFA per household)",
    "savings": "group savings (FCFA per household)",
}
"""Axis labels (with units) of monthly indicators."""

OUTCOME_LABELS: dict[str, str] = {
    "backsliding_share": "backsliding (share of households)",
    "escape_share": "escaped poverty (share)",
    "poverty_share_end": "below poverty line at end (share)",
    "months_below_survival": "months/yr below survival threshold",
    "months_below_lp": "months/yr below livelihood protection",
    "recovery_months": "months to recover after shocks",
    "gam_mean": "GAM prevalence (share)",
    "hdds_mean": "dietary diversity (HDDS)",
    "tlu_at_exit": "TLU at exit",
    "tlu_after_exit": "TLU years after exit",
    "savings_at_exit": "savings at exit (FCFA)",
    "savings_after_exit": "savings after exit (FCFA)",
    "emergency_coping_share": "emergency coping (share of months)",
    "net_assets_end": "net assets at end (FCFA)",
    "cost_per_household_fcfa": "cost per household (FCFA)",
}
"""Axis labels (with units) of run outcomes."""


def package_colour(package: str, order: list[str] | None = None) -> str:
    """The package's colour: fixed for known packages, else from a palette by position."""
    if package in PACKAGE_COLOURS:
        return PACKAGE_COLOURS[package]
    i = order.index(package) if order and package in order else zlib.crc32(package.encode())
    return _EXTRA[i % len(_EXTRA)]


def _dates(frame: pd.DataFrame) -> pd.Series:
    return pd.to_datetime({"year": frame["year"], "month": frame["calendar_month"], "day": 15})


def overview(ts: pd.DataFrame, *, title: str = "Bandiagara households, baseline") -> Figure:
    """Four panels of one run over time: prices, food energy, acute malnutrition, herds.

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
        (axes[0, 1], "kcal_adequacy", "Food energy adequacy"),
        (axes[1, 0], "gam_prevalence", "Global acute malnutrition"),
        (axes[1, 1], "tlu", "Herds"),
    ]
    for ax, column, panel_title in panels:
        for group in ("very_poor", "poor", "middle", "better_off", "all"):
            sel = ts[ts["wealth_group"] == group]
            ax.plot(
                _dates(sel),
                sel[column],
                color=GROUP_COLOURS[group],
                lw=2.0 if group == "all" else 1.2,
                label=GROUP_LABELS[group],
            )
        ax.set_ylabel(LABELS[column])
        ax.set_title(panel_title)
    axes[1, 1].legend(fontsize=8, loc="upper left")
    for ax in axes[1]:
        ax.set_xlabel("month")
    return fig


def fan_chart(
    series: pd.DataFrame,
    indicator: str,
    *,
    group: str = "programme",
    programme: tuple[int, int] | None = None,
    shocks: pd.DataFrame | None = None,
    title: str | None = None,
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
        price spikes are marked with their share of replicates.
    """
    data = series[series["wealth_group"] == group]
    packages = list(dict.fromkeys(data["package"]))
    fig, ax = plt.subplots(figsize=(10, 4.8), layout="constrained")
    months = np.sort(data["month"].unique())
    first = data[(data["package"] == packages[0]) & (data["replicate"] == data["replicate"].min())]
    dates = _dates(first.sort_values("month")).to_numpy()
    if programme is not None:
        start, stop = programme
        ax.axvspan(
            dates[min(start, len(dates) - 1)],
            dates[min(stop, len(dates)) - 1],
            color="#f0f0f0",
            label="programme period",
        )
    for package in packages:
        wide = data[data["package"] == package].pivot(
            index="month", columns="replicate", values=indicator
        )
        wide = wide.reindex(months)
        q = np.nanquantile(wide.to_numpy(dtype=float), [0.05, 0.25, 0.5, 0.75, 0.95], axis=1)
        colour = package_colour(package, packages)
        ax.fill_between(dates, q[0], q[4], color=colour, alpha=0.12, lw=0)
        ax.fill_between(dates, q[1], q[3], color=colour, alpha=0.25, lw=0)
        ax.plot(dates, q[2], color=colour, lw=1.8, label=package)
    if shocks is not None and not shocks.empty:
        regional = shocks[shocks["type"].isin(["drought", "price_spike"])]
        reps = max(shocks["replicate"].nunique(), 1) if "replicate" in shocks else 1
        counts = regional.groupby("month").size() / reps
        for month, share in counts.items():
            if month < len(dates):
                ax.axvline(
                    dates[month],
                    color="#b2182b",
                    alpha=float(min(0.15 + 0.6 * share, 0.8)),
                    lw=1,
                    ls=":",
                )
        ax.plot(
            [],
            [],
            color="#b2182b",
            ls=":",
            label="drought or price spike (darker: more replicates)",
        )
    ax.set_xlabel("month")
    ax.set_ylabel(LABELS.get(indicator, indicator))
    ax.set_title(
        title
        or f"{LABELS.get(indicator, indicator)}: {GROUP_LABELS.get(group, group)}, median and 50/90% bands"
    )
    ax.legend(fontsize=8, loc="best")
    return fig


def outcome_bars(table: pd.DataFrame, outcomes: list[str], *, baseline: str = "none") -> Figure:
    """Paired difference against the baseline with its 95 % interval, per outcome and package."""
    packages = [p for p in dict.fromkeys(table["package"]) if p != baseline]
    n = len(outcomes)
    cols = min(n, 3)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(
        rows, cols, figsize=(4.2 * cols, 3.3 * rows), layout="constrained", squeeze=False
    )
    fig.suptitle(f"Effect against {baseline} (paired difference, 95% interval)")
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        sub = table[(table["outcome"] == outcome)].set_index("package")
        y = np.arange(len(packages))
        diff = sub.loc[packages, "diff"].to_numpy(dtype=float)
        low = sub.loc[packages, "diff_low"].to_numpy(dtype=float)
        high = sub.loc[packages, "diff_high"].to_numpy(dtype=float)
        colours = [package_colour(p, packages) for p in packages]
        ax.barh(y, diff, color=colours, label=packages)
        ax.errorbar(diff, y, xerr=[diff - low, high - diff], fmt="none", ecolor="black", capsize=3)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks(y, packages)
        ax.set_xlabel(f"difference in {OUTCOME_LABELS.get(outcome, outcome)}")
        ax.set_title(OUTCOME_LABELS.get(outcome, outcome), fontsize=10)
    for ax in list(axes.flat)[n:]:
        ax.remove()
    handles = [plt.Rectangle((0, 0), 1, 1, color=package_colour(p, packages)) for p in packages]
    fig.legend(
        handles, packages, loc="outside lower center", ncol=min(len(packages), 4), fontsize=8
    )
    return fig


def backsliding_curve(runs: pd.DataFrame) -> Figure:
    """Share of households still above the poverty line, by years after exit, per package.

    Of the programme households above the asset poverty line at the first yearly snapshot
    after exit: the mean over replicates, with the 5-95 % range.
    """
    cols = sorted(
        (c for c in runs.columns if c.startswith("still_out_")),
        key=lambda c: int(c.rsplit("_", 1)[1]),
    )
    packages = list(dict.fromkeys(runs["package"]))
    fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
    years = np.array([int(c.rsplit("_", 1)[1]) for c in cols])
    for package in packages:
        v = (
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
        ax.plot(years[ok], mean, marker="o", color=colour, label=package)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("years after the programme's exit")
    ax.set_ylabel("share still above the poverty line")
    ax.set_title("Backsliding: households above the poverty line at exit that stay above it")
    ax.legend(fontsize=8)
    return fig


def cost_effectiveness(table: pd.DataFrame, outcome: str, *, baseline: str = "none") -> Figure:
    """Cost per household against the outcome gained over the baseline, per package."""
    packages = [p for p in dict.fromkeys(table["package"]) if p != baseline]
    cost = table[table["outcome"] == "cost_per_household_fcfa"].set_index("package")["mean"]
    eff = table[table["outcome"] == outcome].set_index("package")
    fig, ax = plt.subplots(figsize=(7, 4.8), layout="constrained")
    for package in packages:
        d = float(eff.loc[package, "diff"])
        ax.errorbar(
            cost[package],
            d,
            yerr=[
                [d - float(eff.loc[package, "diff_low"])],
                [float(eff.loc[package, "diff_high"]) - d],
            ],
            fmt="o",
            ms=8,
            capsize=3,
            color=package_colour(package, packages),
            label=package,
        )
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel("cost per programme household (FCFA)")
    ax.set_ylabel(f"gain in {OUTCOME_LABELS.get(outcome, outcome)}")
    ax.set_title(f"Cost-effectiveness: {OUTCOME_LABELS.get(outcome, outcome)} against {baseline}")
    ax.legend(fontsize=8)
    return fig


def synergy_chart(synergy: pd.DataFrame, outcome: str) -> Figure:
    """Main effects, interactions and synergy of the pillar factorial, with 95 % intervals."""
    sub = synergy[synergy["outcome"] == outcome]
    fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    y = np.arange(len(sub))
    colours = [
        "#1b9e77" if ":" not in e and e != "synergy" else "#7570b3" if e != "synergy" else "#d95f02"
        for e in sub["effect"]
    ]
    ax.barh(y, sub["mean"], color=colours)
    ax.errorbar(
        sub["mean"],
        y,
        xerr=[sub["mean"] - sub["low"], sub["high"] - sub["mean"]],
        fmt="none",
        ecolor="black",
        capsize=3,
    )
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, sub["effect"])
    ax.set_xlabel(f"effect on {OUTCOME_LABELS.get(outcome, outcome)}")
    ax.set_title(f"Pillar factorial: main effects, interactions and synergy ({outcome})")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in ("#1b9e77", "#7570b3", "#d95f02")]
    ax.legend(
        handles, ["main effect", "interaction", "synergy (full − sum of singles)"], fontsize=8
    )
    return fig


def sensitivity_chart(indices: pd.DataFrame, outcome: str) -> Figure:
    """Sobol first- and total-order indices (bars with intervals) or Morris μ* against σ."""
    sub = indices[indices["outcome"] == outcome]
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(sub) + 2), layout="constrained")
    if "S1" in sub:
        y = np.arange(len(sub))
        ax.barh(y - 0.2, sub["S1"], height=0.4, color="#1f77b4", label="first order S1")
        ax.errorbar(sub["S1"], y - 0.2, xerr=sub["S1_conf"], fmt="none", ecolor="black", capsize=2)
        ax.barh(y + 0.2, sub["ST"], height=0.4, color="#ff7f0e", label="total order ST")
        ax.errorbar(sub["ST"], y + 0.2, xerr=sub["ST_conf"], fmt="none", ecolor="black", capsize=2)
        ax.set_yticks(y, sub["factor"])
        ax.set_xlabel("Sobol index (share of output variance)")
        ax.set_title(f"Sobol sensitivity of {outcome} (95% intervals)")
    else:
        ax.errorbar(
            sub["mu_star"],
            sub["sigma"],
            xerr=sub["mu_star_conf"],
            fmt="o",
            color="#1f77b4",
            label="factor",
        )
        for _, r in sub.iterrows():
            ax.annotate(r["factor"], (r["mu_star"], r["sigma"]), fontsize=7)
        ax.set_xlabel("μ* (mean absolute elementary effect)")
        ax.set_ylabel("σ (interactions, non-linearity)")
        ax.set_title(f"Morris screening of {outcome}")
    ax.legend(fontsize=8)
    return fig


def shock_timeline(shocks: pd.DataFrame, months: int, *, replicate: int = 0) -> Figure:
    """The covariate shocks of one replicate, by type and month."""
    sub = shocks[shocks["replicate"] == replicate] if "replicate" in shocks else shocks
    sub = sub[sub["scope"] != "household"]
    types = [
        "drought",
        "dry_spell",
        "flood",
        "price_spike",
        "livestock_disease",
        "human_disease",
        "insecurity",  # one marker per village-month in conflict
    ]
    colours = ["#b2182b", "#ef8a62", "#2166ac", "#8c510a", "#1b9e77", "#7570b3", "#404040"]
    fig, ax = plt.subplots(figsize=(10, 3.2), layout="constrained")
    for i, (kind, colour) in enumerate(zip(types, colours, strict=True)):
        ev = sub[sub["type"] == kind]
        size = 20 + 80 * ev["severity"].to_numpy(dtype=float)
        ax.scatter(ev["month"], np.full(len(ev), i), s=size, color=colour, alpha=0.6, label=kind)
    ax.set_yticks(range(len(types)), types)
    ax.set_xlim(-1, months)
    ax.set_xlabel("month since the start of the run")
    ax.set_ylabel("shock type")
    ax.set_title(f"Shock timeline (replicate {replicate}; marker size: severity)")
    ax.legend(fontsize=7, loc="upper right", ncol=3)
    return fig


def save(fig: Figure, path) -> None:
    """Write ``fig`` as a PNG at 110 dpi and release its memory."""
    fig.savefig(path, dpi=110, format="png")
    plt.close(fig)


def png_bytes(fig: Figure) -> bytes:
    """``fig`` as PNG bytes (for embedding); releases its memory."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, dpi=100, format="png")
    plt.close(fig)
    return buf.getvalue()
