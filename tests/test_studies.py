"""Researchers' studies: declared uncertainties and levers, sensitivity per package and over
the levers, the pillar factorial over doses, the report's study section. Small real models."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest

import sim
from sim.analysis import declarations
from sim.analysis.declarations import Declared, apply, check, problem
from sim.analysis.runner import RunTask, run_task
from sim.analysis.synergy import (
    dose_cells,
    dose_effects_per_replicate,
    effects_per_replicate,
)
from sim.checks import package_configs, study_design
from sim.config import ConfigError
from sim.report.studies import study_section

SMALL = ("population.households=200", "years=3", "executor=serial")
NO_SHOCKS = (*SMALL, "shocks=none", "replicates=1")


def _factors(*entries: str) -> str:
    return "uncertainties.factors=[" + ",".join(entries) + "]"


DROUGHT = "{name: shocks.drought.probability, low: 0.0, high: 1.0, unit: per year, source: t}"
RAIN = "{name: climate.rain_cv, low: 0.24, high: 0.26, unit: CV, source: t}"
# floods never happen in the `none` regime: their repair bill cannot change a run
INERT = "{name: shocks.flood.repair_cost, low: 0, high: 60000, unit: FCFA, source: t}"


def test_the_salib_problem_is_generated_from_the_declarations():
    run = sim.load()
    configs, factors = study_design(run, ())
    declared = run.experiment.uncertainties.factors
    prob = problem(factors)
    assert prob["names"] == [f.name for f in declared]
    assert prob["bounds"] == [[f.low, f.high] for f in declared]
    assert {f.kind for f in factors} == {"uncertainty"}
    assert list(configs) == list(run.experiment.sensitivity.packages)
    # levers of the default study: the three pillar doses and the cash/livestock mix
    levers = study_design(sim.load("sensitivity.kind=levers"), ())[1]
    names = [f.name for f in levers]
    assert names[:3] == [f"policy.{p}.dose" for p in ("productive", "financial", "social")]
    assert "transfer_livestock_share" in names and {f.kind for f in levers} == {"lever"}


def test_a_categorical_declaration_picks_its_values():
    base = package_configs(["full_cdr"], ())["full_cdr"]
    p = Declared("policy.targeting.nutrition_priority", 0, 0, "-", "t", ("true", "false"))
    assert problem([p])["bounds"] == [[0.0, 2.0]]
    assert apply(base, [p], [0.3])["policy"]["targeting"]["nutrition_priority"] is True
    assert apply(base, [p], [1.7])["policy"]["targeting"]["nutrition_priority"] is False
    check(base, [p], where="levers.factors")
    with pytest.raises(ConfigError, match="takes bool values; declare its categories"):
        check(base, [Declared(p.name, 0, 1, "-", "t")], where="levers.factors")


def test_a_renamed_parameter_fails_in_one_line():
    base = package_configs(["none"], ())["none"]
    with pytest.raises(ConfigError) as err:
        check(base, [Declared("crops.yield_per_millimetre", 1, 2, "-", "t")], where="u")
    assert "not a model parameter; did you mean crops.yield_per_mm" in str(err.value)
    assert "\n" not in str(err.value)


def test_equal_value_cash_and_goats():
    base = package_configs(["full_cdr"], ("population.households=150", "years=3"))["full_cdr"]
    p = Declared("transfer_livestock_share", 0, 1, "share", "t", kind="lever")
    cash, goats = (apply(base, [p], [s]) for s in (0.0, 1.0))
    ct = base["policy"]["financial"]["cash_transfer"]
    assert cash["policy"]["financial"]["cash_transfer"]["amount"] == ct["amount"]
    sl = goats["policy"]["productive"]["small_livestock"]
    unit = base["market"]["goat_price"] * (1 + sl["delivery_share"])
    budget = ct["amount"] * len(ct["months"]) * ct["years"] * (1 + ct["delivery_share"])
    assert sl["sr_females"] == budget // unit  # whole goats; the remainder stays cash
    # the model books the same cost for both mixes, and the goats are delivered
    rows = [run_task(RunTask("k", c))["row"] for c in (cash, goats)]
    assert rows[0]["cost_fcfa"] == pytest.approx(rows[1]["cost_fcfa"], rel=1e-9)
    assert rows[1]["tlu_at_exit"] > rows[0]["tlu_at_exit"]
    with pytest.raises(ConfigError, match="needs both cash transfers and small livestock"):
        check(package_configs(["social"], ())["social"], [p], where="levers.factors")


@pytest.fixture(scope="module")
def sobol_study(tmp_path_factory):
    out = tmp_path_factory.mktemp("sobol")
    said: list[str] = []
    res = sim.sensitivity(
        *NO_SHOCKS,
        "sensitivity.packages=[none]",
        "method=sobol",
        "sensitivity.N=8",
        "sensitivity.outcomes=[months_below_survival,net_assets_end]",
        _factors(DROUGHT, RAIN, INERT),
        output=out,
        say=said.append,
    )
    return res, out, said


def test_an_inert_factor_gets_zero_and_a_dominant_one_ranks_first(sobol_study):
    res, out, _ = sobol_study
    idx = res["indices"].set_index(["outcome", "factor"])
    for outcome in ("months_below_survival", "net_assets_end"):
        inert = idx.loc[(outcome, "shocks.flood.repair_cost")]
        assert abs(inert["S1"]) < 1e-12 and abs(inert["ST"]) < 1e-12
        sub = idx.loc[outcome]
        assert sub["ST"].idxmax() == "shocks.drought.probability"
        assert sub.loc["shocks.drought.probability", "ST"] > 0.5
    assert res["ranking"][0].startswith("uncertainties ranked by Sobol total-order ST")
    assert "shocks.drought.probability" in res["ranking"][1]


def test_a_study_prints_its_runs_and_time_then_writes_figures(sobol_study):
    res, out, said = sobol_study
    assert said and said[0].startswith("64 runs (1 package × 64 points × 1 replicates, sobol)")
    assert "about" in said[0] and "one run took" in said[0]
    for name in ("sensitivity_none.png", "interactions_none.png"):
        assert (out / name).stat().st_size > 10_000
    summary = json.loads((out / "summary.json").read_text())
    assert summary["kind"] == "uncertainties" and summary["N"] == 8
    assert summary["figures"] == ["sensitivity_none.png", "interactions_none.png"]
    # the warnings the ranking printed are kept with the study
    assert summary["warnings"] == [line for line in res["ranking"] if line.startswith("warning")]
    html = study_section(out)
    assert "uncertainties" in html and html.count("data:image/png;base64") == 2


def test_morris_gives_the_inert_factor_zero(tmp_path):
    res = sim.sensitivity(
        *NO_SHOCKS,
        "sensitivity.packages=[none,full_cdr]",
        "method=morris",
        "sensitivity.N=4",
        "sensitivity.outcomes=[months_below_survival]",
        _factors(DROUGHT, INERT),
        output=tmp_path,
    )
    idx = res["indices"].set_index(["package", "factor"])
    for package in ("none", "full_cdr"):
        assert idx.loc[(package, "shocks.flood.repair_cost"), "mu_star"] == 0
        assert idx.loc[(package, "shocks.drought.probability"), "mu_star"] > 0
    # both packages ran the same sample with the same seeds
    runs = res["runs"]
    seeds = runs.pivot_table(index=["point", "replicate"], columns="package", values="seed")
    assert (seeds["none"] == seeds["full_cdr"]).all()
    assert (tmp_path / "sensitivity_full_cdr.png").exists()


def test_a_levers_study_ranks_the_pillar_doses_in_a_fixed_world(tmp_path):
    res = sim.sensitivity(
        *SMALL,
        "years=6",  # backsliding is measured after exit: the programme ends in its fourth year
        "replicates=1",
        "sensitivity.kind=levers",
        "levers=doses",
        "method=sobol",
        "sensitivity.N=4",
        "sensitivity.outcomes=[backsliding_share,net_assets_end,gam_mean]",
        output=tmp_path,
    )
    idx = res["indices"]
    assert set(idx["kind"]) == {"lever"} and set(idx["package"]) == {"full_cdr"}
    assert set(idx["factor"]) == {f"policy.{p}.dose" for p in ("productive", "financial", "social")}
    syn = pd.read_csv(tmp_path / "synergies.csv")
    assert len(syn) == 3 * 3  # three pillar pairs × three outcomes
    assert (syn["low"] <= syn["S2"]).all() and (syn["S2"] <= syn["high"]).all()
    assert res["ranking"][0].startswith("levers ranked by Sobol")
    assert "synergies between levers (Sobol S2, 95 % interval):" in res["ranking"]
    assert "productive × financial" in "\n".join(res["ranking"])
    assert "Synergies between levers" in study_section(tmp_path)
    # a fixed world: every point runs the same replicate seed
    assert res["runs"]["seed"].nunique() == 1
    assert (tmp_path / "interactions_full_cdr.png").exists()


def test_the_dose_factorial_generalises_the_two_level_one():
    rng = np.random.default_rng(1)
    reps = 50
    levels = [0.0, 0.5, 1.0]
    noise = {c: rng.normal(0, 0.01, reps) for c in dose_cells(levels)}
    y = {c: 1 + 2 * c[0] + 3 * c[1] + 4 * c[0] * c[1] + noise[c] for c in noise}
    effects = {
        (e, tuple(sorted(d.items()))): v for e, d, v in dose_effects_per_replicate(y, levels)
    }
    pf = effects[("productive:financial", (("financial", 0.5), ("productive", 1.0)))]
    assert np.mean(pf) == pytest.approx(4 * 1.0 * 0.5, abs=0.02)  # bilinear: 4ab
    syn = effects[("synergy", (("financial", 1.0), ("productive", 0.5), ("social", 0.5)))]
    assert np.mean(syn) == pytest.approx(4 * 0.5 * 1.0, abs=0.02)
    assert np.mean(effects[("productive:social", (("productive", 1.0), ("social", 1.0)))]) == (
        pytest.approx(0, abs=0.02)
    )
    # at levels [0, 1] the effects are those of the 2×2×2 factorial
    corners = {c: y[c] for c in itertools.product((0.0, 1.0), repeat=3)}
    two = dose_effects_per_replicate(corners, [0.0, 1.0])
    classic = effects_per_replicate({tuple(int(v) for v in c): a for c, a in corners.items()})
    for effect, _, values in two:
        np.testing.assert_allclose(values, classic[effect])
    assert len(two) == len(classic)


def test_a_pillar_at_dose_zero_is_the_package_without_it():
    cfg = package_configs(["productive", "full_cdr"], SMALL)
    off = cfg["full_cdr"]
    for pillar in ("financial", "social"):
        off = apply(off, [Declared(f"policy.{pillar}.dose", 0, 1, "-", "t")], [0.0])
    a, b = (run_task(RunTask("k", c))["row"] for c in (cfg["productive"], off))
    assert {k: (a[k], b[k]) for k in a if a[k] != b[k]} == {}


def test_the_dose_design_runs_and_writes_its_tables(tmp_path):
    comparison, table = sim.synergy(
        *SMALL, "replicates=2", "synergy.doses=[0,0.5,1]", output=tmp_path
    )
    assert set(comparison.runs["package"]) >= {"none", "full_cdr", "p0.5_f1_s0"}
    assert comparison.runs["package"].nunique() == 27
    doses = pd.read_csv(tmp_path / "dose_effects.csv")
    assert {"backsliding_share", "net_assets_end", "gam_mean"} <= set(doses["outcome"])
    pillars = ("productive", "financial", "social")
    pairs = {f"{a}:{b}" for a, b in itertools.combinations(pillars, 2)}
    assert set(table["effect"]) == {*pillars, *pairs, "productive:financial:social", "synergy"}
    assert (tmp_path / "synergy_doses.png").stat().st_size > 10_000


@pytest.mark.parametrize("uncertainties", ["sahel", "insecurity"])
def test_the_declared_defaults_are_valid_for_every_default_package(uncertainties):
    run = sim.load("task=sensitivity", f"uncertainties={uncertainties}")
    configs, factors = study_design(run, ())
    assert len(factors) >= 8
    for name, cfg in configs.items():
        check(cfg, factors, where="uncertainties.factors", package=name)
    assert set(declarations.DERIVED) == {"transfer_livestock_share"}


@pytest.mark.parametrize(
    "name", ["uncertainty_screening", "pillar_levers", "where_packages_fail", "pillar_doses"]
)
def test_the_example_studies_are_valid(name):
    from sim.checks import check_task

    run = sim.load(f"+experiment={name}")
    check_task(run, (f"+experiment={name}",))
    assert run.task in ("sensitivity", "discover", "synergy")


def test_the_report_shows_a_study_section(sobol_study, tmp_path):
    from sim.checks import check_studies
    from sim.report import build_report

    _, study, _ = sobol_study
    sim.compare(
        "population.households=100",
        "years=4",
        "packages=[none,cash]",
        "replicates=2",
        "executor=serial",
        output=tmp_path,
    )
    page = build_report(tmp_path, studies=(str(study),)).read_text()
    assert "Sensitivity: the uncertainties that matter most" in page
    assert "Sobol variance decomposition; packages: No programme; 64 runs." in page
    assert "drought probability <small><code>shocks.drought.probability</code></small>" in page
    fr = build_report(tmp_path, lang="fr", studies=(str(study),)).read_text()
    assert "Sensibilité : les incertitudes qui comptent le plus" in fr
    assert "probabilité de sécheresse <small><code>shocks.drought.probability</code></small>" in fr
    assert "Indices de sensibilité des incertitudes : Sans programme." in fr
    check_studies([str(study)])
    with pytest.raises(ConfigError, match=r"report.studies\[0\] = .*: not a finished sensitivity"):
        check_studies([str(tmp_path)])


def test_the_cli_prints_the_ranking_and_the_box(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    resim = str(Path(sys.executable).parent / "resim")
    small = ["population.households=100", "years=3", "replicates=1", "progress=false"]
    sens = subprocess.run(
        [
            resim,
            "task=sensitivity",
            "method=morris",
            "sensitivity.N=2",
            "executor=serial",
            "sensitivity.packages=[full_cdr]",
            "sensitivity.outcomes=[gam_mean]",
            *small,
            f"hydra.run.dir={tmp_path / 's'}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert sens.returncode == 0, sens.stderr
    assert "resim: 20 runs (1 package × 20 points × 1 replicates, morris)" in sens.stdout
    assert "uncertainties ranked by Morris μ*" in sens.stdout
    assert "sensitivity_full_cdr.png" in sens.stdout
    disc = subprocess.run(
        [
            resim,
            "task=discover",
            "discover.samples=20",
            "executor=serial",
            "discover.outcome=months_below_survival",
            "discover.threshold=1",
            *small,
            f"hydra.run.dir={tmp_path / 'd'}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert disc.returncode == 0, disc.stderr
    assert "full_cdr: months_below_survival above 1 in " in disc.stdout
    assert (tmp_path / "d" / "box.csv").exists() and (
        tmp_path / "d" / "prim_box_full_cdr.png"
    ).exists()


def _overlapping_ticks(fig) -> list[str]:
    """The tick labels of any axis of ``fig`` that overlap a neighbour."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    clashes = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = [t for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]
            boxes = [t.get_window_extent(renderer) for t in labels]
            for (a, la), (b, lb) in itertools.pairwise(zip(boxes, labels, strict=True)):
                if a.overlaps(b):
                    clashes.append(f"{la.get_text()} / {lb.get_text()}")
    return clashes


def test_morris_figure_ticks_stay_apart_for_large_outcomes():
    from sim.analysis.figures import morris_figure

    factors = [f"shocks.f{i}.probability" for i in range(6)]
    # the sizes of a small study's indices: net assets' μ* near 10^5 FCFA with wide intervals
    rows = [
        {
            "outcome": outcome,
            "factor": f,
            "mu_star": scale * (i + 1) / 6,
            "sigma": scale * i / 8,
            "mu_star_conf": 0.66 * scale if i == 5 else 0.05 * scale,
        }
        for outcome, scale in (("months_below_survival", 0.9), ("gam_mean", 0.005))
        + (("net_assets_end", 1.16e5),)
        for i, f in enumerate(factors)
    ]
    fig = morris_figure(pd.DataFrame(rows), title="Morris")
    assert _overlapping_ticks(fig) == []


def test_sobol_indices_outside_the_unit_interval_are_flagged_as_sampling_error():
    from sim.analysis.sensitivity import sampling_warnings

    sound = pd.DataFrame(
        {"factor": ["a", "b"], "S1": [0.6, -0.01], "S1_conf": [0.1, 0.05], "ST": [0.8, 0.2]}
    ).assign(ST_conf=0.1)
    assert sampling_warnings(sound, 1024) == []
    too_big = sound.assign(ST=[1.3, 0.2])
    negative = sound.assign(S1=[0.6, -0.2])
    first_above_one = sound.assign(S1=[1.4, -0.01], ST=[0.9, 0.2])
    for bad in (too_big, negative, first_above_one):
        (line,) = sampling_warnings(bad, 16)
        assert "in 1 of 2 rows" in line and "lie outside [0, 1]" in line
        assert "sensitivity.N = 16" in line
    assert sampling_warnings(sound.drop(columns=["S1", "S1_conf", "ST", "ST_conf"]), 8) == []
