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

Every study writes its figures next to its tables (:func:`sensitivity_figures`,
:func:`discovery_figures`); :func:`report_section` turns a study folder into an HTML section
the report can include (``report.studies=[folder, …]``).
"""

from __future__ import annotations

import base64
import html
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure  # built without pyplot: no backend is selected
from matplotlib.ticker import MaxNLocator

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


def sobol_figure(indices: pd.DataFrame, *, title: str) -> Figure:
    """S1 and ST bars with 95 % intervals, one panel per outcome (one package's indices)."""
    outcomes = list(dict.fromkeys(indices["outcome"]))
    n_factors = indices["factor"].nunique()
    fig, axes = _panels(len(outcomes), height=0.42 * n_factors + 1.6)
    for ax, outcome in zip(axes, outcomes, strict=True):
        sub = indices[indices["outcome"] == outcome].sort_values("ST")
        y = np.arange(len(sub))
        ax.barh(y - 0.2, sub["S1"], height=0.4, color=S1_COLOUR, label="first order S1")
        ax.errorbar(sub["S1"], y - 0.2, xerr=sub["S1_conf"], fmt="none", ecolor="k", capsize=2)
        ax.barh(y + 0.2, sub["ST"], height=0.4, color=ST_COLOUR, label="total order ST")
        ax.errorbar(sub["ST"], y + 0.2, xerr=sub["ST_conf"], fmt="none", ecolor="k", capsize=2)
        ax.set_yticks(y, [_short(f) for f in sub["factor"]], fontsize=8)
        ax.axvline(0, color="k", lw=0.6)
        ax.set_xlabel("share of the outcome's variance")
        ax.set_title(outcome, fontsize=10)
    axes[0].legend(fontsize=7, loc="lower right")
    fig.suptitle(title)
    return fig


def morris_figure(indices: pd.DataFrame, *, title: str) -> Figure:
    """Morris μ* (with its 95 % interval) against σ, one panel per outcome."""
    outcomes = list(dict.fromkeys(indices["outcome"]))
    fig, axes = _panels(len(outcomes))
    for ax, outcome in zip(axes, outcomes, strict=True):
        sub = indices[indices["outcome"] == outcome]
        ax.errorbar(
            sub["mu_star"], sub["sigma"], xerr=sub["mu_star_conf"], fmt="o", color=S1_COLOUR
        )
        top = sub.sort_values("mu_star", ascending=False).head(5)  # label the leaders only
        for r in top.itertuples():
            ax.annotate(_short(r.factor), (r.mu_star, r.sigma), fontsize=7)
        hi = float(np.nanmax([sub["mu_star"].max(), sub["sigma"].max(), 1e-12]))
        ax.plot([0, hi], [0, hi], color="#999999", lw=0.6, ls="--", label="σ = μ*")
        ax.set_xlabel("μ* (mean |elementary effect|, outcome's unit)")
        ax.set_ylabel("σ (non-linearity, interactions)")
        for axis in (ax.xaxis, ax.yaxis):  # few ticks: large outcomes' labels stay apart
            axis.set_major_locator(MaxNLocator(nbins=5))
        ax.set_title(outcome, fontsize=10)
    axes[0].legend(fontsize=7)
    fig.suptitle(title)
    return fig


def s2_figure(s2: pd.DataFrame, *, title: str) -> Figure:
    """Second-order Sobol indices as annotated heat maps, one panel per outcome."""
    outcomes = list(dict.fromkeys(s2["outcome"]))
    names = list(dict.fromkeys([*s2["factor_1"], *s2["factor_2"]]))
    k = len(names)
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
                        f"{grid[j, i]:.2f}\n±{conf[j, i]:.2f}",
                        ha="center",
                        va="center",
                        fontsize=6,
                    )
        ax.set_xticks(range(k), [_short(n) for n in names], rotation=60, ha="right", fontsize=7)
        ax.set_yticks(range(k), [_short(n) for n in names], fontsize=7)
        ax.set_title(outcome, fontsize=10)
    if image is not None:
        fig.colorbar(image, ax=axes, shrink=0.8, label="S2 (share of variance)")
    fig.suptitle(title)
    return fig


def sensitivity_figures(
    folder: Path, indices: pd.DataFrame, s2: pd.DataFrame | None = None
) -> list[Path]:
    """Write the figures of a sensitivity study, one set per package; return their paths."""
    folder = Path(folder)
    paths = []
    for package, sub in indices.groupby("package", sort=False):
        kind = KIND_WORD[str(sub["kind"].iloc[0])]
        if "ST" in sub:
            fig = sobol_figure(sub, title=f"Sobol indices of the {kind}, package {package}")
        else:
            fig = morris_figure(sub, title=f"Morris screening of the {kind}, package {package}")
        paths.append(_save(fig, folder / f"sensitivity_{package}.png"))
        if s2 is not None:
            sub2 = s2[s2["package"] == package]
            what = "synergies between levers" if kind == "levers" else "interactions"
            fig = s2_figure(sub2, title=f"Second-order Sobol indices ({what}), package {package}")
            paths.append(_save(fig, folder / f"interactions_{package}.png"))
    return paths


DOSE_OUTCOMES = ("backsliding_share", "net_assets_end", "gam_mean")
"""Outcomes the dose figure shows: backsliding, assets, nutrition."""


def dose_figure(doses: pd.DataFrame, path: Path) -> Path:
    """Pillar effects against a common dose, with 95 % intervals (``synergy_doses.png``).

    For every dose d of the design, the main effect of each pillar at d, the two-way
    interactions with both pillars at d, and the synergy of all three at d, on backsliding,
    assets and nutrition; every effect is 0 at dose 0 by definition.
    """
    pillars = ["productive", "financial", "social"]
    shown = [o for o in DOSE_OUTCOMES if o in set(doses["outcome"])]
    fig, axes = _panels(len(shown))
    same = doses[pillars].apply(lambda r: len(set(r.dropna())) == 1, axis=1)
    sub_all = doses[same].assign(dose=doses.loc[same, pillars].max(axis=1))
    for ax, outcome in zip(axes, shown, strict=True):
        sub = sub_all[sub_all["outcome"] == outcome]
        for effect, rows in sub.groupby("effect", sort=False):
            zero = pd.DataFrame({"dose": [0.0], "mean": [0.0], "low": [0.0], "high": [0.0]})
            rows = pd.concat([zero, rows[["dose", "mean", "low", "high"]]]).sort_values("dose")
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
                label=effect,
            )
        ax.axhline(0, color="k", lw=0.6)
        ax.set_xlabel("dose of the pillars involved (0-1)")
        ax.set_ylabel(f"effect on {outcome}")
        ax.set_title(outcome, fontsize=10)
    axes[0].legend(fontsize=6)
    fig.suptitle("Pillar effects, interactions and synergy by dose (95 % intervals)")
    return _save(fig, Path(path))


def tradeoff_figure(trajectory: pd.DataFrame, chosen: int, *, title: str) -> Figure:
    """PRIM's peeling trajectory: coverage against density, the chosen box circled."""
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
        label=f"chosen box {chosen}",
    )
    fig.colorbar(points, ax=ax, label="restricted dimensions")
    ax.set_xlabel("coverage (share of the cases of interest inside the box)")
    ax.set_ylabel("density (share of the box's runs that are of interest)")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title(title, fontsize=10)
    return fig


def box_figure(limits: pd.DataFrame, *, title: str) -> Figure:
    """The chosen box on each restricted uncertainty, within its declared range (0-1 scale)."""
    sub = limits[limits["restricted"]]
    fig = Figure(figsize=(7.5, 0.6 * max(len(sub), 1) + 1.6), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(sub))
    span = (sub["declared_high"] - sub["declared_low"]).to_numpy(dtype=float)
    lo = (sub["low"] - sub["declared_low"]).to_numpy(dtype=float) / span
    hi = (sub["high"] - sub["declared_low"]).to_numpy(dtype=float) / span
    ax.barh(y, np.ones(len(sub)), color="#eeeeee", edgecolor="#999999")
    ax.barh(y, hi - lo, left=lo, color="#d62728", alpha=0.7, label="box")
    for i, r in enumerate(sub.itertuples()):
        ax.text(lo[i], i + 0.3, f"{r.low:.3g}", fontsize=7, ha="left")
        ax.text(hi[i], i + 0.3, f"{r.high:.3g}", fontsize=7, ha="right")
    ax.set_yticks(y, [_short(u) for u in sub["uncertainty"]], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("position in the declared range (0 = low bound, 1 = high bound)")
    ax.set_title(title, fontsize=10)
    return fig


def discovery_figures(
    folder: Path, trajectory: pd.DataFrame, limits: pd.DataFrame, chosen: pd.Series
) -> list[Path]:
    """Write the trade-off and box figures of every package of a discovery study."""
    folder = Path(folder)
    paths = []
    for package, traj in trajectory.groupby("package", sort=False):
        traj = traj.reset_index(drop=True)
        box = int(chosen[package])
        rule = str(traj["rule"].iloc[0])
        fig = tradeoff_figure(traj, box, title=f"PRIM trade-off, {package}: {rule}")
        paths.append(_save(fig, folder / f"prim_tradeoff_{package}.png"))
        lims = limits[limits["package"] == package]
        row = traj.iloc[box]
        fig = box_figure(
            lims,
            title=f"{package}: {rule} — box {box}: coverage {row['coverage']:.2f}, "
            f"density {row['density']:.2f}",
        )
        paths.append(_save(fig, folder / f"prim_box_{package}.png"))
    return paths


def _save(fig: Figure, path: Path) -> Path:
    fig.savefig(path, dpi=110, format="png")
    return path


# --------------------------------------------------------------------------- report section

TEXT = {
    "en": {
        "sensitivity": "Sensitivity: which {kind} matter ({method}, {packages})",
        "discover": "Scenario discovery: where {rule}",
        "top": "Top factors",
        "synergies": "Synergies between levers (second-order Sobol indices)",
        "box": "Chosen box",
        "none": "no box found: no run crossed the threshold",
    },
    "fr": {
        "sensitivity": "Sensibilité : quels {kind} comptent ({method}, {packages})",
        "discover": "Découverte de scénarios : où {rule}",
        "top": "Facteurs principaux",
        "synergies": "Synergies entre leviers (indices de Sobol d'ordre deux)",
        "box": "Boîte retenue",
        "none": "aucune boîte : aucun essai n'a franchi le seuil",
    },
}
KIND_FR = {"uncertainties": "incertitudes", "levers": "leviers"}


def report_section(folder: str | Path, *, lang: str = "en") -> str:
    """An HTML section (``<h2>`` … ) showing a sensitivity or discovery study's results.

    The report calls this for each folder of ``report.studies``: it reads the folder's
    ``summary.json``, its tables and its PNG figures, and returns self-contained HTML (figures
    embedded). A folder that holds neither study raises ``ValueError``.
    """
    folder = Path(folder)
    t = TEXT[lang]
    summary = json.loads((folder / "summary.json").read_text())
    task = summary.get("task")
    if task == "sensitivity":
        kind = summary["kind"] if lang == "en" else KIND_FR[summary["kind"]]
        head = t["sensitivity"].format(
            kind=kind, method=summary["method"], packages=", ".join(summary["packages"])
        )
        top = pd.DataFrame(summary["top"])
        col = "ST" if "ST" in top else "mu_star"
        conf = f"{col}_conf"
        rows = "".join(
            f"<tr><td>{html.escape(str(r['package']))}</td><td>{html.escape(str(r['outcome']))}</td>"
            f"<td>{html.escape(str(r['factor']))}</td><td>{r[col]:.3g} ± {r[conf]:.2g}</td></tr>"
            for r in top.to_dict(orient="records")
        )
        body = (
            f"<h3>{t['top']}</h3><table><thead><tr><th>package</th><th>outcome</th>"
            f"<th>factor</th><th>{col}</th></tr></thead><tbody>{rows}</tbody></table>"
        )
        if (folder / "synergies.csv").exists():
            syn = pd.read_csv(folder / "synergies.csv")
            cells = "".join(
                f"<tr><td>{html.escape(r.outcome)}</td><td>{html.escape(r.lever_1)} × "
                f"{html.escape(r.lever_2)}</td><td>{r.S2:.2g} [{r.low:.2g}, {r.high:.2g}]</td></tr>"
                for r in syn.itertuples()
            )
            body += (
                f"<h3>{t['synergies']}</h3><table><thead><tr><th>outcome</th><th>levers</th>"
                f"<th>S2 [95 %]</th></tr></thead><tbody>{cells}</tbody></table>"
            )
    elif task == "discover":
        head = t["discover"].format(rule=html.escape(summary["rule"]))
        items = []
        for package, box in summary["boxes"].items():
            words = box.get("words") or [t["none"]]
            items.append(
                f"<li><b>{html.escape(package)}</b> ({box.get('coverage', 0):.2f} coverage, "
                f"{box.get('density', 0):.2f} density): "
                + "; ".join(html.escape(w) for w in words)
                + "</li>"
            )
        body = f"<h3>{t['box']}</h3><ul>{''.join(items)}</ul>"
    else:
        raise ValueError(f"{folder}: not a sensitivity or discovery study (summary.json task)")
    figs = "".join(
        f"<figure><img alt='{html.escape(name)}' src='data:image/png;base64,"
        f"{base64.b64encode((folder / name).read_bytes()).decode()}'>"
        f"<figcaption>{html.escape(name)}</figcaption></figure>"
        for name in summary.get("figures", [])
        if (folder / name).exists()
    )
    return f"<h2>{html.escape(head)}</h2>{body}{figs}"
