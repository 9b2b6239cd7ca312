"""Figures and the report, from a small real comparison, in both languages."""

from __future__ import annotations

import html as htmlmod
import io
import re
import shutil
from pathlib import Path

import matplotlib
import matplotlib.image
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import sim
from sim import plots
from sim.analysis.outcomes import HEADLINES, REGISTRY
from sim.analysis.synergy import synergy_table
from sim.i18n import NNBSP, Translator
from sim.report import build_report, build_reports, headline_lines, render
from sim.report import trust as trust_mod
from sim.report.figures import report_figures
from sim.report.view import ComparisonView

PACKAGES = ["none", "full_cdr", "cash_plus_livestock"]
ROOT = Path(__file__).resolve().parents[1]


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


# ------------------------------------------------------------------------------ figures


def inside(fig: matplotlib.figure.Figure) -> bool:
    """Whether every drawn artist (titles, labels, ticks, legends) lies within the figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    box = fig.get_tightbbox(canvas.get_renderer())
    w, h = fig.get_size_inches()
    return box.x0 >= -0.02 and box.y0 >= -0.02 and box.x1 <= w + 0.02 and box.y1 <= h + 0.02


def test_fan_chart_calendar_axis_distinct_shading_and_one_median_per_package(folder):
    series = pd.read_parquet(folder / "series.parquet")
    shocks = pd.read_parquet(folder / "shocks.parquet")
    fig = plots.fan_chart(series, "kcal_adequacy", programme=(2, 38), shocks=shocks)
    (ax,) = axes_ok(fig)
    medians = [line for line in ax.get_lines() if line.get_gid() in PACKAGES]
    assert [line.get_gid() for line in medians] == PACKAGES
    assert len(ax.collections) >= 2 * len(PACKAGES)  # 50 % and 90 % bands
    assert "energy intake" in ax.get_ylabel() and ax.get_xlabel() == "year"
    colours = {line.get_gid(): matplotlib.colors.to_hex(line.get_color()) for line in medians}
    assert colours == {p: plots.package_colour(p) for p in PACKAGES}  # same colours everywhere
    shade = [p for p in ax.patches if p.get_label() == "programme period"]
    assert len(shade) == 1
    # the programme's shading and the baseline's colour are far apart (not two greys)
    a = matplotlib.colors.to_rgb(shade[0].get_facecolor())
    b = matplotlib.colors.to_rgb(plots.package_colour("none"))
    assert sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5 > 0.4
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "programme period" in legend and "Full CdR package" in legend
    # calendar years on the axis, not month indices
    ticks = [t.get_text() for t in ax.get_xticklabels()] or plots.texts(fig)
    fig.draw_without_rendering()
    years = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert years and all(re.fullmatch(r"20\d\d", y) for y in years), ticks
    # the longest titles (acute malnutrition) wrap rather than run off the figure
    for lang in ("en", "fr"):
        long = plots.fan_chart(series, "gam_prevalence", programme=(2, 38), lang=lang)
        assert inside(long), lang


def test_effects_backsliding_and_cost_figures(folder):
    table = pd.read_csv(folder / "comparison.csv")
    runs = pd.read_parquet(folder / "runs.parquet")
    fig = plots.outcome_bars(table, ["months_below_survival", "gam_mean", "tlu_after_exit"])
    axes = axes_ok(fig)
    assert len(axes) == 3
    for ax in axes:
        assert len(ax.patches) == len(PACKAGES) - 1  # one bar per package against the baseline
    titles = [ax.get_title().replace("\n", " ") for ax in axes]
    assert "livestock 3 yr after exit (TLU)" in titles  # the number of years is said
    assert "← better" in axes[0].get_xlabel() and "better →" in axes[2].get_xlabel()
    # shares are drawn in percentage points
    gam = table[(table.package == "full_cdr") & (table.outcome == "gam_mean")]["diff"].iloc[0]
    assert axes[1].patches[0].get_width() == pytest.approx(100 * gam)
    # no label is clipped: everything drawn lies inside the figure
    assert inside(fig)
    curve = plots.backsliding_curve(runs)
    (ax,) = axes_ok(curve)
    assert {line.get_gid() for line in ax.get_lines()} == set(PACKAGES)
    assert not ax.texts  # nothing to apologise for
    # a run with no year after exit says so instead of drawing an empty frame
    none_after = runs.assign(**{c: float("nan") for c in runs if c.startswith("still_out_")})
    (ax,) = plots.backsliding_curve(none_after, lang="fr").axes
    assert not ax.get_lines() and "aucun relevé annuel après la sortie" in ax.texts[0].get_text()
    ce = plots.cost_effectiveness(table, "months_below_survival")
    (ax,) = axes_ok(ce)
    assert "FCFA" in ax.get_xlabel() and "lower is better" in ax.get_xlabel()
    assert "higher is better" in ax.get_ylabel().replace("\n", " ")
    # the vertical axis is the gain: fewer months below survival plot above zero
    ys = [c.lines[0].get_ydata()[0] for c in ax.containers]
    diffs = table[(table.outcome == "months_below_survival") & (table.package != "none")]["diff"]
    assert sorted(ys) == pytest.approx(sorted(-diffs))


def test_shock_timeline_in_calendar_time_without_empty_rows(folder):
    shocks = pd.read_parquet(folder / "shocks.parquet")
    fig = plots.shock_timeline(shocks, 96, start_year=2015)
    (ax,) = axes_ok(fig)
    first = shocks[(shocks.replicate == 0) & (shocks.scope != "household")]
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(first)
    rows = [t.get_text() for t in ax.get_yticklabels()]
    names = {Translator("en").name("shock", k) for k in first["type"].unique()}
    assert set(rows) == names  # one row per type that occurred, none empty
    assert ax.get_xlabel() == "year"
    fig.draw_without_rendering()
    assert all(re.fullmatch(r"20\d\d", t.get_text()) for t in ax.get_xticklabels() if t.get_text())


def pixels(png: bytes) -> np.ndarray:
    return matplotlib.image.imread(io.BytesIO(png))


def saved(fig: Figure, dpi: int = 100) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, dpi=dpi, format="png")
    return buf.getvalue()


def crowded() -> Figure:
    """A small figure whose legend (at the best place) takes most of its axes."""
    fig = Figure(figsize=(4, 2.2), layout="constrained")
    ax = fig.subplots()
    for i in range(10):
        ax.plot([0, 1], [i, i + 1], label=f"package {i}")
    ax.legend(fontsize=8)
    return fig


def test_png_bytes_draws_what_savefig_draws_and_leaves_the_figure_as_it_was(folder):
    series = pd.read_parquet(folder / "series.parquet")
    shocks = pd.read_parquet(folder / "shocks.parquet")

    def fan() -> Figure:
        return plots.fan_chart(series, "gam_prevalence", programme=(2, 38), shocks=shocks)

    fig = fan()
    canvas, engine, legend = fig.canvas, fig.get_layout_engine(), fig.axes[0].get_legend()
    # laid out and drawn once, its legend placed once, at 110 dpi as `plots.save` writes
    assert np.array_equal(pixels(plots.png_bytes(fig, dpi=110)), pixels(saved(fan(), 110)))
    assert fig.canvas is canvas and fig.dpi == 100 and fig.get_layout_engine() is engine
    assert legend._loc == 0  # back at the best place (code 0) for another drawing
    # a legend taking most of its axes is laid out with them, as savefig does
    assert np.array_equal(pixels(plots.png_bytes(crowded())), pixels(saved(crowded())))


def test_synergy_and_sensitivity_figures():
    cells = [
        "none",
        "productive",
        "financial",
        "social",
        "productive_financial",
        "productive_social",
        "financial_social",
        "full_cdr",
    ]
    runs = pd.DataFrame(
        [
            {"package": p, "replicate": r, "y": float(i + r)}
            for i, p in enumerate(cells)
            for r in range(3)
        ]
    )
    (ax,) = axes_ok(plots.synergy_chart(synergy_table(runs, ["y"]), "y", lang="fr"))
    assert len(ax.patches) == 8  # 3 main effects, 4 interactions, synergy
    assert "productif × financier" in [t.get_text() for t in ax.get_yticklabels()]
    sobol = pd.DataFrame(
        {
            "factor": ["a", "b"],
            "outcome": "gam_mean",
            "S1": [0.5, 0.1],
            "S1_conf": [0.05, 0.05],
            "ST": [0.6, 0.2],
            "ST_conf": [0.05, 0.05],
        }
    )
    (ax,) = axes_ok(plots.sensitivity_chart(sobol, "gam_mean"))
    assert len(ax.patches) == 4
    morris = pd.DataFrame(
        {
            "factor": ["a", "b"],
            "outcome": "gam_mean",
            "mu_star": [1.0, 0.1],
            "mu_star_conf": [0.1, 0.1],
            "sigma": [0.5, 0.0],
        }
    )
    (ax,) = axes_ok(plots.sensitivity_chart(morris, "gam_mean"))
    assert "μ*" in ax.get_xlabel()


def test_plotting_selects_no_backend():
    import subprocess
    import sys

    code = (
        "import matplotlib; before = matplotlib.rcParams._get_backend_or_none(); "
        "import sim.plots, sim.report, sim.analysis.figures, sim.dashboard.engine; "
        "assert matplotlib.rcParams._get_backend_or_none() == before, 'backend changed'; "
        "import sys; assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


# ------------------------------------------------------------------------------ reports


def visible_text(doc: str) -> str:
    """What a reader sees: no tags, no embedded images, no identifiers in <code>."""
    doc = re.sub(r"<style>.*?</style>", " ", doc, flags=re.S)
    doc = re.sub(r"<code>.*?</code>", " ", doc, flags=re.S)
    doc = re.sub(r'src="data:[^"]*"', " ", doc)
    doc = re.sub(r"<[^>]+>", " ", doc)
    return htmlmod.unescape(doc)


@pytest.fixture(scope="module")
def reports(folder, tmp_path_factory) -> tuple[Path, list[Path]]:
    """Both reports, written into a copy of the comparison's folder (tests only read them)."""
    target = tmp_path_factory.mktemp("reports") / "copy"
    shutil.copytree(folder, target)
    return target, build_reports(target)


def test_reports_in_both_languages_self_contained_and_named_by_language(reports):
    target, paths = reports
    assert [p.name for p in paths] == ["report.en.html", "report.fr.html"]
    assert all(p.parent == target for p in paths)  # beside the comparison's tables
    for lang, path in zip(("en", "fr"), paths, strict=True):
        text = path.read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in text
        assert not re.search(r'(src|href)=["\']?(https?:|//)', text)  # no external asset
        assert len(re.findall(r'src="data:image/png;base64,', text)) >= 6
        for p in PACKAGES:
            assert f"<code>{p}</code>" in text  # the id, once, in small print
            assert text.count(f"<code>{p}</code>") == 1
    fr = paths[1].read_text(encoding="utf-8")
    assert "Paquet CdR complet" in fr and "En bref" in fr
    assert "réplications : 3 ; graine racine : 2" in htmlmod.unescape(fr)


def test_report_answers_first_with_numbers_from_the_table(folder):
    view = ComparisonView.read(folder)
    doc = render(view, "en")
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", doc)
    assert headings[:3] == ["In brief", "The numbers", "How far to trust this"]
    brief = visible_text(doc.split('id="in-brief"')[1].split('id="numbers"')[0])
    for question in ("Food", "Nutrition", "Assets and backsliding", "Cost"):
        assert question in brief
    table = view.table
    # the food answer quotes the best package's value on the food headline and the change in %
    name = next(n for n in HEADLINES["food"] if n in set(table.outcome))
    outcome = REGISTRY[name]
    sub = table[(table.outcome == name) & (table.package != "none")]
    best = sub.loc[sub["diff"].map(outcome.improvement).idxmax()]
    base = table[(table.outcome == name) & (table.package == "none")]["mean"].iloc[0]
    t = Translator("en")
    assert t.value(best["mean"], outcome.unit) in brief
    assert t.percent(best["diff"] / base, sign=True) in brief
    assert t.package(best["package"]) in brief
    # the cost sentence: rounded, with USD, no false precision
    cost = table[
        (table.package == "cash_plus_livestock") & (table.outcome == "cost_per_household_fcfa")
    ]["mean"].iloc[0]
    assert t.money(cost) in brief and "USD" in brief
    assert not re.search(r"\d\.\d{3,}", brief)  # no "782.81" or "0.093"
    # the table's intervals: "to", never a comma beside thousands' commas ("[+39,100, +103,000]")
    table_text = visible_text(doc.split('id="numbers"')[1].split('id="trust"')[0])
    assert re.search(r"\[[+−][\d.,]+ to [+−][\d.,]+\]", table_text), table_text
    assert not re.search(r"\d, [+−]\d", table_text)


def french_numbers_ok(text: str) -> None:
    assert not re.search(r"\d\.\d", text), re.search(r".{30}\d\.\d.{30}", text)
    assert not re.search(r"\b[1-9]\d{0,2},\d{3}\b", text)  # no English thousands separator
    assert not re.search(r"\d%", text)  # always a space before %
    assert NNBSP + "%" in text


def english_only_words() -> set[str]:
    """Words of the English catalogue that never occur in the French one."""
    from sim.i18n import catalogue

    def words(lang: str) -> set[str]:
        text = " ".join(catalogue(lang).values())
        text = re.sub(r"\{[^}]*\}", " ", text)
        return {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'’-]{3,}", text)}

    return words("en") - words("fr")


@pytest.fixture(scope="module")
def french_figures(folder) -> list:
    """The report's figures in French, (caption, figure) pairs (tests only read them)."""
    view = ComparisonView.read(folder)
    return report_figures(view, view.translator("fr"))


def test_french_report_has_no_english_word_and_french_numbers(folder, french_figures):
    view = ComparisonView.read(folder)
    doc = render(view, "fr", validation=trust_mod.load())
    text = visible_text(doc)
    english = english_only_words()
    assert len(english) > 150  # the check means something
    found = {w for w in re.findall(r"[A-Za-z][A-Za-z'’-]{3,}", text) if w.lower() in english}
    assert not found, found
    french_numbers_ok(text)
    assert re.search(r"\[[+−][\d,\u202f]+ à [+−][\d,\u202f]+\]", text)  # table's intervals
    # and every text the figures show
    assert len(french_figures) >= 6
    for caption, fig in french_figures:
        shown = " ".join(plots.texts(fig))
        hits = {w for w in re.findall(r"[A-Za-z][A-Za-z'’-]{3,}", shown) if w.lower() in english}
        assert not hits, (caption, hits)
        assert not re.search(r"\d\.\d", shown), (caption, shown)
    # the English report, conversely, has no French-only word
    en = visible_text(render(view, "en", validation=trust_mod.load()))
    from sim.i18n import catalogue

    fr_words = {
        w.lower()
        for w in re.findall(
            r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]{3,}",
            re.sub(r"\{[^}]*\}", " ", " ".join(catalogue("fr").values())),
        )
    }
    en_words = {
        w.lower()
        for w in re.findall(
            r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]{3,}",
            re.sub(r"\{[^}]*\}", " ", " ".join(catalogue("en").values())),
        )
    }
    french = fr_words - en_words
    hits = {w for w in re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]{3,}", en) if w.lower() in french}
    assert not hits, hits


@pytest.fixture(scope="module")
def studies(tmp_path_factory) -> tuple[Path, Path]:
    """A tiny Morris study of two packages and a tiny discovery whose threshold splits its runs."""
    root = tmp_path_factory.mktemp("studies")
    small = ("population.households=200", "years=3", "executor=serial", "replicates=1")
    factors = (
        "uncertainties.factors=["
        "{name: shocks.drought.probability, low: 0.0, high: 0.6, unit: per year, source: t},"
        "{name: climate.rain_cv, low: 0.15, high: 0.35, unit: CV, source: t}]"
    )
    sim.sensitivity(
        *small,
        "sensitivity.packages=[none,full_cdr]",
        "method=morris",
        "sensitivity.N=2",
        "sensitivity.outcomes=[months_below_survival]",
        factors,
        output=root / "sensitivity",
    )
    discover = (*small, "discover.packages=[none]", "discover.samples=20", factors)
    outcome = "discover.outcome=months_below_survival"
    sim.discover(*discover, outcome, "discover.threshold=0", output=root / "probe")
    values = pd.read_csv(root / "probe" / "points.csv")["months_below_survival"]
    sim.discover(
        *discover, outcome, f"discover.threshold={values.median()}", output=root / "discover"
    )
    return root / "sensitivity", root / "discover"


def test_finished_study_folders_pass_the_reports_checks(studies):
    from sim.checks import check_studies

    check_studies([str(s) for s in studies])  # what the report reads is all there


def study_figures(folder: Path, t: Translator) -> list:
    """The study figures of ``folder`` as the report draws them in ``t``'s language."""
    import json

    from sim.analysis.figures import discovery_figure_set, rule_words, sensitivity_figure_set

    summary = json.loads((folder / "summary.json").read_text())
    if summary["task"] == "sensitivity":
        return sensitivity_figure_set(pd.read_csv(folder / "indices.csv"), lang=t)
    rule = rule_words(t, summary["outcome"], summary["direction"], summary["threshold"])
    chosen = pd.Series({p: b["box"] for p, b in summary["boxes"].items()})
    peeling, box = pd.read_csv(folder / "peeling.csv"), pd.read_csv(folder / "box.csv")
    return discovery_figure_set(peeling, box, chosen, rule=rule, lang=t)


def test_french_study_sections_have_no_english_word_and_french_numbers(folder, studies):
    view = ComparisonView.read(folder)
    doc = render(view, "fr", studies=tuple(str(s) for s in studies))
    sections = re.findall(r'<section class="study">.*?</section>', doc, flags=re.S)
    assert len(sections) == 2
    sens, disc = (visible_text(s) for s in sections)
    assert "Sensibilité : les incertitudes qui comptent le plus" in sens
    assert "Criblage de Morris ; paquets : Sans programme et Paquet CdR complet" in sens
    assert "probabilité de sécheresse" in sens and "Paquet CdR complet" in sens
    assert "mois par an sous le seuil de survie" in sens
    assert "Découverte de scénarios : là où « mois par an sous le seuil de survie » dépasse" in disc
    assert "couverture" in disc and "plage déclarée" in disc
    # a box was found (the threshold splits the runs) and is stated in words
    assert re.search(r"(probabilité de sécheresse|variabilité des pluies)", disc.split("Boîte")[1])
    # ids only in small print; the escaped apostrophe shows autoescaping at work
    for ident in ("shocks.drought.probability", "months_below_survival", "full_cdr"):
        assert f"<code>{ident}</code>" in sections[0]
        assert ident not in sens
    assert "d&#39;une année à l&#39;autre" in sections[0]
    english = english_only_words()
    for word in ("package", "outcome", "factor", "coverage", "density", "declared", "weak"):
        assert word in english  # the catalogue's words the old section showed in English
    for text in (sens, disc):
        found = {w for w in re.findall(r"[A-Za-z][A-Za-z'’-]{3,}", text) if w.lower() in english}
        assert not found, found
        assert not re.search(r"\d\.\d", text), re.search(r".{30}\d\.\d.{30}", text)
        assert not re.search(r"\d%", text)
    assert NNBSP + "%" in disc
    assert len(re.findall(r'src="data:image/png;base64,', "".join(sections))) == 4
    # the figures, as drawn for the report, in French
    t = view.translator("fr")
    for study in studies:
        for name, caption, fig in study_figures(study, t):
            axes_ok(fig)
            shown = " ".join(plots.texts(fig))
            hits = {
                w for w in re.findall(r"[A-Za-z][A-Za-z'’-]{3,}", shown) if w.lower() in english
            }
            assert not hits, (name, hits)
            assert not re.search(r"\d\.\d", shown), (name, shown)
            assert "_" not in shown, (name, shown)  # no raw ids
            assert caption in htmlmod.unescape(doc)


TESSERACT = shutil.which("tesseract")


def ocr_words(fig: matplotlib.figure.Figure, png: Path) -> list[str]:
    """The words tesseract reads in ``fig`` saved as ``png``."""
    import subprocess

    plots.save(fig, png, dpi=150)
    out = subprocess.run(
        [str(TESSERACT), str(png), "-", "-l", "eng"], capture_output=True, text=True, timeout=120
    )
    return re.findall(r"[A-Za-z][A-Za-z'’-]{3,}", out.stdout)


@pytest.mark.skipif(not TESSERACT, reason="Debian tesseract-ocr is installed by .ci/run")
def test_french_figures_read_by_ocr_show_no_english(french_figures, tmp_path):
    english = english_only_words()
    read = []
    for i, (_, fig) in enumerate(french_figures[3:6]):  # effects, curve, cost
        words = ocr_words(fig, tmp_path / f"f{i}.png")
        read += words
        hits = {w for w in words if w.lower() in english}
        assert not hits, hits
    assert len(read) > 20  # OCR did read the figures


@pytest.mark.skipif(not TESSERACT, reason="Debian tesseract-ocr is installed by .ci/run")
def test_french_study_figures_read_by_ocr_show_no_english(studies, tmp_path):
    t = Translator("fr", years=3)
    english = english_only_words()
    read = []
    figures = study_figures(studies[0], t)[:1] + study_figures(studies[1], t)
    for name, _, fig in figures:
        words = ocr_words(fig, tmp_path / name)
        read += words
        hits = {w for w in words if w.lower() in english}
        assert not hits, (name, hits)
    assert {"sous", "seuil", "survie"} <= {w.lower() for w in read}  # OCR read the French


def test_trust_section_lists_failing_patterns_that_bear_on_the_comparison(folder, tmp_path):
    table = tmp_path / "validation.csv"
    pd.DataFrame(
        [
            [
                "graduation_consumption",
                "Graduation effect at 3 years: consumption",
                "fail",
                2.0,
                1.8,
                2.2,
                0.06,
                0.36,
            ],
            [
                "graduation_assets",
                "Graduation effect at 3 years: assets",
                "pass",
                0.3,
                0.2,
                0.4,
                0.125,
                0.75,
            ],
            ["gam_lean", "Lean-season GAM", "fail", 0.05, 0.04, 0.06, 0.07, 0.13],
            ["tot_harvest", "Terms of trade after the harvest", "fail", 154, 142, 166, 100, 150],
            ["programme_villages", "Programme: villages", "pass", 64, 64, 64, 64, 64],
        ],
        columns=["pattern", "title", "result", "mean", "low", "high", "target_low", "target_high"],
    ).to_csv(table, index=False)
    view = ComparisonView.read(folder)
    validation = trust_mod.load(table)
    fr = visible_text(render(view, "fr", validation=validation))
    section = fr.split("Quelle confiance accorder à ces résultats")[1].split("Figures")[0]
    assert "2 des 5 critères" in section
    assert "Effet de graduation à l'enquête finale : consommation" in section
    assert "5,6 fois le haut de la fourchette" in section  # 2.0 / 0.36
    assert "Malnutrition aiguë en soudure" in section
    assert "termes de l'échange après la récolte".lower() not in section.lower()  # prices: other
    assert "1 autre critère non satisfait porte" in section  # one: singular
    assert ") : le modèle donne" in section  # French spacing before the colon
    en = visible_text(render(view, "en", validation=validation))
    brief = en.split("In brief")[1].split("The numbers")[0]
    # next to the food answer, what the validation says about it
    assert "the one validation pattern on this question fails" in brief


def test_trust_reads_the_committed_validation_table():
    md = ROOT / "docs" / "validation.md"
    result = trust_mod.load(md)
    assert result is not None
    text = md.read_text(encoding="utf-8")
    m = re.search(r"Result: (\d+) of (\d+) patterns pass", text)
    assert (result.passed, result.total) == (int(m[1]), int(m[2]))
    assert result.passed == text.count("| **pass** |")
    section = text.split("## Failing patterns")[1].split("\n## ")[0]
    failing_ids = set(re.findall(r"^- \*\*.+?\*\* \(`(\w+)`\)", section, flags=re.M))
    assert len(failing_ids) == result.total - result.passed
    assert {p.id for p in result.patterns if not p.passed} == failing_ids
    # every pattern of the committed table has a title in both languages
    for lang in ("en", "fr"):
        t = Translator(lang)
        for p in result.patterns:
            assert t.has(f"pattern.{p.id}"), (lang, p.id)


def test_report_skips_absent_outcomes_and_uses_new_ones(folder, tmp_path):
    target = tmp_path / "cmp"
    shutil.copytree(folder, target)
    table = pd.read_csv(target / "comparison.csv")
    # two outcomes absent; the endline consumption given values of our own (replacing the run's)
    table = table[
        ~table.outcome.isin(["months_below_survival", "gam_mean", "consumption_endline_fcfa_day"])
    ]
    extra = []
    for p, mean, diff in (
        ("none", 500.0, 0.0),
        ("full_cdr", 560.0, 60.0),
        ("cash_plus_livestock", 520.0, 20.0),
    ):
        extra.append(
            {
                "package": p,
                "outcome": "consumption_endline_fcfa_day",
                "mean": mean,
                "diff": diff,
                "diff_low": diff - 5 if diff else 0.0,
                "diff_high": diff + 5 if diff else 0.0,
                "p_better": None if p == "none" else 1.0,
            }
        )
    pd.concat([table, pd.DataFrame(extra)]).to_csv(target / "comparison.csv", index=False)
    path = build_report(target, lang="fr")
    text = visible_text(path.read_text(encoding="utf-8"))
    brief = text.split("En bref")[1].split("Les chiffres")[0].replace(NNBSP, " ")
    assert "consommation par équivalent adulte" in brief
    assert "560 FCFA/jour contre 500 FCFA/jour" in brief
    assert "+12 %" in brief
    assert "mois par an sous le seuil de survie" not in text  # absent: skipped


def test_terminal_lines(folder):
    lines = headline_lines(folder, "en")
    assert 3 <= len(lines) <= 6
    assert lines[0].startswith("Food: ")
    fr = headline_lines(folder, "fr")
    assert fr[0].startswith("Alimentation : ")


# ------------------------------------------------------------------------------ browser

from browser import CHROMEDRIVER, CHROMIUM, chrome, not_blank  # noqa: E402

needs_chromium = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="Debian chromium and chromium-driver are installed by .ci/run",
)


@needs_chromium
def test_both_reports_render_in_headless_chromium(reports, tmp_path):
    from selenium.webdriver.common.by import By

    _, paths = reports
    driver = chrome(tmp_path / "profile")
    try:
        for path, title in zip(
            paths, ("Resilience packages", "Paquets de résilience"), strict=True
        ):
            driver.get(path.as_uri())
            assert driver.title.startswith(title)
            images = driver.execute_script(
                "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight]);"
            )
            assert len(images) >= 6
            assert all(done and w > 100 and h > 100 for done, w, h in images)
            for img in driver.find_elements(By.TAG_NAME, "img"):
                driver.execute_script("arguments[0].scrollIntoView();", img)
                assert not_blank(img.screenshot_as_png)  # every figure drawn
            rows = driver.execute_script(
                "return document.querySelectorAll('table tbody tr').length;"
            )
            assert rows >= 10
            severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
            assert severe == []
            assert not_blank(driver.get_screenshot_as_png())
    finally:
        driver.quit()
