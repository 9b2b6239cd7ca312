"""The report's section of a sensitivity or discovery study, in the report's language.

:func:`study_section` reads a study folder (``summary.json``, ``indices.csv``,
``indices_s2.csv``, ``synergies.csv`` of a sensitivity study; ``peeling.csv`` and ``box.csv``
of a discovery study), names packages, outcomes and factors from the translation tables (their
ids in small print), formats numbers by the language's rules, redraws the study's figures in
that language and renders the section with the report's Jinja2 environment (autoescaped).
"""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from sim import plots
from sim.analysis.figures import (
    discovery_figure_set,
    factor_name,
    factor_unit,
    rule_words,
    sensitivity_figure_set,
)
from sim.i18n import Translator
from sim.plots.style import translator


def _named(name: str, ident: str) -> dict[str, str]:
    return {"name": name, "id": ident}


def _figures(found: list[tuple[str, str, Any]]) -> list[dict[str, str]]:
    return [
        {"caption": caption, "png": base64.b64encode(plots.png_bytes(fig)).decode()}
        for _, caption, fig in found
    ]


def _sensitivity(folder: Path, summary: dict[str, Any], t: Translator) -> dict[str, Any]:
    indices = pd.read_csv(folder / "indices.csv")
    s2_path = folder / "indices_s2.csv"
    s2 = pd.read_csv(s2_path) if s2_path.exists() else None
    method = str(summary["method"])
    top = pd.DataFrame(summary["top"])
    col = "ST" if "ST" in top and top["ST"].notna().any() else "mu_star"
    rows = [
        {
            "package": _named(t.package(str(r["package"])), str(r["package"])),
            "outcome": _named(t.outcome(str(r["outcome"])), str(r["outcome"])),
            "factor": _named(factor_name(t, str(r["factor"])), str(r["factor"])),
            "index": t("study.index", value=t.number(r[col]), conf=t.number(r[f"{col}_conf"])),
        }
        for r in top.to_dict(orient="records")
    ]
    synergies = []
    if (folder / "synergies.csv").exists():
        syn = pd.read_csv(folder / "synergies.csv")
        synergies = [
            {
                "outcome": _named(t.outcome(r.outcome), r.outcome),
                "levers": t(
                    "study.pair",
                    first=factor_name(t, r.lever_1),
                    second=factor_name(t, r.lever_2),
                ),
                "value": t(
                    "study.s2_value",
                    value=t.number(r.S2, 2),
                    low=t.number(r.low, 2),
                    high=t.number(r.high, 2),
                ),
            }
            for r in syn.itertuples()
        ]
    kind = t(f"study.kind_{summary['kind']}")
    packages = [str(p) for p in summary["packages"]]
    return {
        "task": "sensitivity",
        "title": t("study.sensitivity_title", kind=kind),
        "sub": t(
            "study.sensitivity_sub",
            method=t(f"study.method_{method}"),
            packages=t.join([t.package(p) for p in packages]),
            runs=t.number(summary.get("runs"), 0),
        ),
        "packages": packages,
        "index_header": t(f"study.col_{col.lower()}"),
        "rows": rows,
        "synergies": synergies,
        "figures": _figures(sensitivity_figure_set(indices, s2, lang=t)),
    }


def _restriction(
    t: Translator, r: Any, sample: pd.DataFrame, categories: dict[str, list[str]]
) -> str:
    """One restricted uncertainty of a box in words, with its declared range and quasi-p.

    A side restricts the uncertainty when the box's limit lies inside the sample's span
    (``sample``: the package's points); a side left at the sample's edge is not stated.
    """
    name = factor_name(t, r.uncertainty)
    unit = factor_unit(t, r.uncertainty, str(r.unit))
    if r.uncertainty in categories:
        cats = categories[r.uncertainty]
        chosen = [c for i, c in enumerate(cats) if r.low <= i <= r.high]
        return t("study.among", factor=name, chosen=", ".join(chosen), all=", ".join(cats))
    values = sample[r.uncertainty] if r.uncertainty in sample else pd.Series([r.low, r.high])
    low_cut, high_cut = r.low > values.min(), r.high < values.max()
    low, high = t.number(r.low), t.number(r.high)
    if low_cut and not high_cut:
        rule = t("study.at_least", factor=name, low=low, unit=unit)
    elif high_cut and not low_cut:
        rule = t("study.at_most", factor=name, high=high, unit=unit)
    else:
        rule = t("study.between", factor=name, low=low, high=high, unit=unit)
    sides = [
        t(f"study.side_{side}", value=t.number(value, 2))
        + (f" ({t('study.weak')})" if value > 0.05 else "")
        for side, cut, value in (("low", low_cut, r.qp_low), ("high", high_cut, r.qp_high))
        if cut and math.isfinite(value)
    ]
    declared = t("study.declared", low=t.number(r.declared_low), high=t.number(r.declared_high))
    parts = [rule.strip(), declared]
    if sides:
        parts.append(t("study.quasi_p", sides=", ".join(sides)))
    return t("report.sep").join(parts)


def _discovery(folder: Path, summary: dict[str, Any], t: Translator) -> dict[str, Any]:
    peeling = pd.read_csv(folder / "peeling.csv")
    limits = pd.read_csv(folder / "box.csv")
    points = pd.read_csv(folder / "points.csv")
    categories = {
        u["name"]: list(u["categories"])
        for u in summary.get("uncertainties", [])
        if u.get("categories")
    }
    rule = rule_words(t, summary["outcome"], summary["direction"], float(summary["threshold"]))
    boxes = []
    for package, box in summary["boxes"].items():
        sub = limits[(limits["package"] == package) & limits["restricted"].astype(bool)]
        if not box.get("cases"):
            words = [t("study.no_box")]
        else:
            sample = points[points["package"] == package]
            words = [_restriction(t, r, sample, categories) for r in sub.itertuples()]
        boxes.append(
            {
                "package": _named(t.package(package), package),
                "cases": t(
                    "study.cases",
                    cases=t.number(box.get("cases", 0), 0),
                    points=t.number(box.get("points", 0), 0),
                ),
                "coverage": t.percent(box.get("coverage", 0.0)),
                "density": t.percent(box.get("density", 0.0)),
                "words": words or [t("study.no_restriction")],
            }
        )
    chosen = pd.Series({p: int(b["box"]) for p, b in summary["boxes"].items()})
    return {
        "task": "discover",
        "title": t("study.discover_title", rule=rule),
        "sub": t(
            "study.discover_sub",
            samples=t.number(summary.get("samples"), 0),
            runs=t.number(summary.get("runs"), 0),
        ),
        "boxes": boxes,
        "figures": _figures(discovery_figure_set(peeling, limits, chosen, rule=rule, lang=t)),
    }


def study_section(folder: str | Path, lang: str | Translator = "en") -> str:
    """An HTML section (``<h2>`` …) showing a sensitivity or discovery study's results.

    The report calls this for each folder of ``report.studies``. Figures are embedded, so the
    section is self-contained. A folder that holds neither study raises ``ValueError``.
    """
    from sim.report.pages import ENV

    folder = Path(folder)
    t = translator(lang)
    summary = json.loads((folder / "summary.json").read_text())
    task = summary.get("task")
    if task == "sensitivity":
        study = _sensitivity(folder, summary, t)
    elif task == "discover":
        study = _discovery(folder, summary, t)
    else:
        raise ValueError(f"{folder}: not a sensitivity or discovery study (summary.json task)")
    return ENV.get_template("study.html.j2").render(t=t, study=study)


__all__ = ["study_section"]
