"""Figures and the bilingual report, from a small real comparison; the report in Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

import sim
from sim import plots
from sim.analysis.synergy import synergy_table
from sim.report import build_report

PACKAGES = ["none", "full_cdr", "cash_plus_livestock"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    sim.compare(
        "population.households=250",
        "years=8",
        "seed=2",
        f"packages=[{','.join(PACKAGES)}]",
        "replicates=3",
        "executor=serial",
        output=out,
    )
    return out


def axes_ok(fig: matplotlib.figure.Figure) -> list:
    axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert fig._suptitle is not None or all(ax.get_title() for ax in axes)
    for ax in axes:
        assert ax.get_xlabel() or ax.get_ylabel(), "unlabelled axis"
        has_data = ax.lines or ax.collections or ax.patches or ax.containers
        assert has_data, f"empty panel: {ax.get_title()}"
    return axes


def test_fan_chart_has_one_median_per_package_and_bands(folder):
    series = pd.read_parquet(folder / "series.parquet")
    shocks = pd.read_parquet(folder / "shocks.parquet")
    fig = plots.fan_chart(series, "kcal_adequacy", programme=(2, 38), shocks=shocks)
    (ax,) = axes_ok(fig)
    medians = [line for line in ax.get_lines() if line.get_label() in PACKAGES]
    assert [line.get_label() for line in medians] == PACKAGES
    assert len(ax.collections) >= 2 * len(PACKAGES)  # 50 % and 90 % bands
    assert "energy intake" in ax.get_ylabel() and ax.get_xlabel() == "month"
    colours = {line.get_label(): matplotlib.colors.to_hex(line.get_color()) for line in medians}
    assert colours == {p: plots.package_colour(p) for p in PACKAGES}  # same colours in every figure
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "programme period" in legend and all(p in legend for p in PACKAGES)


def test_outcome_bars_backsliding_and_cost_figures(folder):
    table = pd.read_csv(folder / "comparison.csv")
    runs = pd.read_parquet(folder / "runs.parquet")
    fig = plots.outcome_bars(table, ["months_below_survival", "gam_mean", "tlu_after_exit"])
    axes = axes_ok(fig)
    assert len(axes) == 3
    for ax in axes:
        assert len(ax.patches) == len(PACKAGES) - 1  # one bar per package against the baseline
    curve = plots.backsliding_curve(runs)
    (ax,) = axes_ok(curve)
    assert {line.get_label() for line in ax.get_lines()} == set(PACKAGES)
    ce = plots.cost_effectiveness(table, "months_below_survival")
    (ax,) = axes_ok(ce)
    assert "FCFA" in ax.get_xlabel()
    assert len(ax.containers) == len(PACKAGES) - 1


def test_shock_timeline_synergy_and_sensitivity_figures(folder):
    shocks = pd.read_parquet(folder / "shocks.parquet")
    (ax,) = axes_ok(plots.shock_timeline(shocks, 96))
    assert (
        sum(len(c.get_offsets()) for c in ax.collections)
        == (shocks[shocks.replicate == 0]["scope"] != "household").sum()
    )
    runs = pd.DataFrame(
        [
            {"package": p, "replicate": r, "y": float(i + r)}
            for i, p in enumerate(
                [
                    "none",
                    "productive",
                    "financial",
                    "social",
                    "productive_financial",
                    "productive_social",
                    "financial_social",
                    "full_cdr",
                ]
            )
            for r in range(3)
        ]
    )
    (ax,) = axes_ok(plots.synergy_chart(synergy_table(runs, ["y"]), "y"))
    assert len(ax.patches) == 8  # 3 main effects, 4 interactions, synergy
    sobol = pd.DataFrame(
        {
            "factor": ["a", "b"],
            "outcome": "y",
            "S1": [0.5, 0.1],
            "S1_conf": [0.05, 0.05],
            "ST": [0.6, 0.2],
            "ST_conf": [0.05, 0.05],
        }
    )
    (ax,) = axes_ok(plots.sensitivity_chart(sobol, "y"))
    assert len(ax.patches) == 4
    morris = pd.DataFrame(
        {
            "factor": ["a", "b"],
            "outcome": "y",
            "mu_star": [1.0, 0.1],
            "mu_star_conf": [0.1, 0.1],
            "sigma": [0.5, 0.0],
        }
    )
    (ax,) = axes_ok(plots.sensitivity_chart(morris, "y"))
    assert "μ*" in ax.get_xlabel()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_report_is_self_contained_in_both_languages(folder, lang, tmp_path):
    target = tmp_path / lang
    shutil.copytree(folder, target)
    path = build_report(target, lang=lang)
    text = path.read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in text
    assert not re.search(r'(src|href)=["\']?(https?:|//)', text)  # no external asset
    images = re.findall(r"src='data:image/png;base64,", text)
    assert len(images) >= 6
    assert ("What the numbers say" in text) == (lang == "en")
    assert ("Ce que disent les chiffres" in text) == (lang == "fr")
    for p in PACKAGES:
        assert p in text
    assert "seed: 2" in text and "replicates: 3" in text  # how to reproduce it
    # the reading quotes numbers that are in comparison.csv
    table = pd.read_csv(target / "comparison.csv")
    cost = table[
        (table.package == "cash_plus_livestock") & (table.outcome == "cost_per_household_fcfa")
    ]["mean"].iloc[0]
    formatted = f"{cost:,.0f}".replace(",", "\u202f" if lang == "fr" else ",")
    assert formatted in text


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="Debian chromium and chromium-driver are installed by .ci/run",
)
def test_report_renders_in_headless_chromium(folder, tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    path = build_report(folder, lang="fr")
    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1200,2000",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    try:
        driver.get(path.as_uri())
        assert driver.title.startswith("Quel paquet")
        images = driver.execute_script(
            "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight]);"
        )
        assert len(images) >= 6
        assert all(done and w > 100 and h > 100 for done, w, h in images)
        rows = driver.execute_script("return document.querySelectorAll('table tbody tr').length;")
        assert rows >= 8
        severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert severe == []
        driver.save_screenshot(str(tmp_path / "report.png"))
        assert (tmp_path / "report.png").stat().st_size > 10_000
    finally:
        driver.quit()
