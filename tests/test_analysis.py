"""Experiments: compare with common random numbers, factorial synergy, sensitivity, executors,
resume after a kill, Hydra sweeps."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from children import ended
from SALib.test_functions import Ishigami

import sim
from sim.analysis.compare import COMPARISON_COLUMNS
from sim.analysis.executor import discard_early, make_executor, start_early
from sim.analysis.outcomes import OUTCOMES
from sim.analysis.sensitivity import Factor, analyze, problem, sample
from sim.analysis.synergy import CELLS, effects_per_replicate, synergy_table

ROOT = Path(__file__).resolve().parents[1]
SMALL = ("population.households=300", "years=5", "seed=3")


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    out = tmp_path_factory.mktemp("compare")
    return sim.compare(
        *SMALL, "packages=[none,full_cdr,cash]", "replicates=4", "executor=serial", output=out
    ), out


def test_compare_pairs_replicates_on_identical_worlds(comparison):
    c, out = comparison
    runs = c.runs
    assert len(runs) == 12
    seeds = runs.pivot(index="replicate", columns="package", values="seed")
    assert (seeds.nunique(axis=1) == 1).all()  # replicate r has one seed in every package
    assert seeds["none"].nunique() == 4  # and replicates differ
    s = c.series[c.series.wealth_group == "all"]
    for r in range(4):
        prices = [
            s[(s.package == p) & (s.replicate == r)]["millet_price"].to_numpy()
            for p in ("none", "full_cdr", "cash")
        ]
        np.testing.assert_array_equal(prices[0], prices[1])
        np.testing.assert_array_equal(prices[0], prices[2])


def test_comparison_table(comparison):
    c, out = comparison
    table = pd.read_csv(out / "comparison.csv")
    assert list(table.columns) == list(COMPARISON_COLUMNS)
    assert set(table["package"]) == {"none", "full_cdr", "cash"}
    in_runs = [o for o in OUTCOMES if o in c.runs.columns]  # declared and computed
    assert len(in_runs) >= 15 and set(in_runs) <= set(table["outcome"])
    # the paired difference is the mean of per-replicate differences (checked by hand here)
    runs = c.runs.set_index(["package", "replicate"])
    d = runs.loc["full_cdr", "gam_mean"] - runs.loc["none", "gam_mean"]
    row = table[(table.package == "full_cdr") & (table.outcome == "gam_mean")].iloc[0]
    assert row["diff"] == pytest.approx(d.mean(), rel=1e-5)
    assert row["diff_low"] <= row["diff"] <= row["diff_high"]
    assert row["p_better"] == pytest.approx((d < 0).mean())
    base = table[table.package == "none"]
    assert (base["diff"].dropna() == 0).all() and base["p_better"].isna().all()
    cost = table[(table.package == "cash") & (table.outcome == "cost_per_household_fcfa")].iloc[0]
    assert cost["mean"] == pytest.approx(4 * 22000 * 1.05 * 1.15)
    assert (
        (out / "summary.json").exists()
        and (out / "runs.parquet").exists()
        and (out / "series.parquet").exists()
    )


def test_factorial_recovers_a_planted_interaction():
    rng = np.random.default_rng(0)
    replicates = 200
    y = {}
    for (p, f, s), _ in CELLS.items():
        y[(p, f, s)] = 1 + 2 * p + 3 * f + 0.5 * s + 4 * p * f + rng.normal(0, 0.3, replicates)
    fx = effects_per_replicate(y)
    assert np.mean(fx["productive:financial"]) == pytest.approx(4, abs=0.1)
    assert np.mean(fx["productive:social"]) == pytest.approx(0, abs=0.1)
    assert np.mean(fx["productive:financial:social"]) == pytest.approx(0, abs=0.2)
    assert np.mean(fx["productive"]) == pytest.approx(2 + 4 * 0.5, abs=0.1)
    assert np.mean(fx["synergy"]) == pytest.approx(4, abs=0.1)
    runs = pd.DataFrame(
        [
            {"package": name, "replicate": r, "y": y[cell][r]}
            for cell, name in CELLS.items()
            for r in range(replicates)
        ]
    )
    table = synergy_table(runs, ["y"]).set_index("effect")
    assert table.loc["productive:financial", "low"] < 4 < table.loc["productive:financial", "high"]
    assert not (table.loc["financial:social", "low"] > 0.3)


def test_sobol_pipeline_recovers_ishigami_indices():
    factors = [Factor(f"x{i}", -np.pi, np.pi, "-", "Ishigami") for i in (1, 2, 3)]
    prob = problem(factors)
    x = sample(prob, "sobol", 1024, seed=1)
    y = Ishigami.evaluate(x)
    first, s2 = analyze(prob, "sobol", x, y, seed=1)
    analytic_s1 = [0.3139, 0.4424, 0.0]
    analytic_st = [0.5576, 0.4424, 0.2437]
    for i in range(3):
        assert abs(first.loc[i, "S1"] - analytic_s1[i]) <= max(first.loc[i, "S1_conf"], 0.02)
        assert abs(first.loc[i, "ST"] - analytic_st[i]) <= max(first.loc[i, "ST_conf"], 0.02)
    s13 = s2[(s2.factor_1 == "x1") & (s2.factor_2 == "x3")].iloc[0]
    assert abs(s13["S2"] - 0.2437) <= max(s13["S2_conf"], 0.05)  # analytic S13 = ST3


def test_morris_screens_out_the_inert_factor():
    factors = [Factor(f"x{i}", -np.pi, np.pi, "-", "Ishigami") for i in (1, 2, 3)]
    factors.append(Factor("x4", 0, 1, "-", "inert"))
    prob = problem(factors)
    x = sample(prob, "morris", 200, seed=3)
    y = Ishigami.evaluate(x[:, :3])
    table, _ = analyze(prob, "morris", x, y, seed=3)
    assert table.loc[3, "mu_star"] < 1e-12
    assert table["mu_star"].iloc[:3].min() > 0.5


def test_model_sensitivity_writes_indices(tmp_path):
    res = sim.sensitivity(
        "population.households=120",
        "years=4",
        "method=morris",
        "sensitivity.N=2",
        "sensitivity.packages=[full_cdr]",
        "sensitivity.outcomes=[backsliding_share,gam_mean,net_assets_end]",
        "replicates=2",
        "executor=serial",
        output=tmp_path,
    )
    idx = pd.read_csv(tmp_path / "indices.csv")
    assert list(idx.columns[:4]) == ["package", "kind", "factor", "outcome"]
    assert {"mu_star", "mu_star_conf", "sigma"} <= set(idx.columns)
    exp = sim.load().experiment
    factors = exp.uncertainties.factors
    assert len(idx) == len(factors) * 3
    assert set(idx["kind"]) == {"uncertainty"}
    samples = pd.read_parquet(tmp_path / "samples.parquet")
    assert len(samples) == (len(factors) + 1) * 2  # Morris: N trajectories of D+1 points
    assert len(res["runs"]) == len(samples) * 2
    assert samples["shocks.drought.probability"].nunique() > 1
    assert (tmp_path / "sensitivity_full_cdr.png").stat().st_size > 10_000


def test_an_outcome_undefined_over_the_horizon_is_refused_before_the_runs(tmp_path):
    with pytest.raises(sim.ConfigError, match=r"sensitivity.outcomes\[0\] = 'tlu_after_exit'"):
        sim.sensitivity(
            "population.households=60",
            "years=4",
            "method=morris",
            "sensitivity.N=2",
            "sensitivity.packages=[full_cdr]",
            "sensitivity.outcomes=[tlu_after_exit]",
            "executor=serial",
            output=tmp_path,
        )
    assert not (tmp_path / "shards").exists()


@pytest.mark.slow
def test_executors_give_identical_results(tmp_path):
    small = ("population.households=150", "years=3", "seed=3")
    args = (*small, "packages=[none,cash_plus_livestock]", "replicates=3")
    tables = {}
    for name in ("serial", "processes", "dask"):
        c = sim.compare(*args, f"executor={name}", "executor.workers=2", output=tmp_path / name)
        tables[name] = (
            c.runs.drop(columns=["key"])
            .sort_values(["package", "replicate"])
            .reset_index(drop=True)
        )
    pd.testing.assert_frame_equal(tables["serial"], tables["processes"])
    pd.testing.assert_frame_equal(tables["serial"], tables["dask"])


def worker_pid(_: object) -> int:
    """The pid of the process that runs the task."""
    return os.getpid()


def children() -> dict[int, multiprocessing.process.BaseProcess]:
    return {p.pid: p for p in multiprocessing.active_children() if p.pid is not None}


def test_workers_started_early_run_the_next_experiment():
    before = set(children())
    start_early(2)
    early = set(children()) - before
    assert len(early) == 2  # started before any task
    executor = make_executor("processes", workers=2)
    try:
        ran = {pid for _, pid in executor.map(worker_pid, range(8))}
    finally:
        executor.close()
    assert ran <= early
    assert make_executor("processes", workers=2) is not executor  # taken once only


def has_module(name: str) -> bool:
    return name in sys.modules


def test_workers_started_early_import_what_their_tasks_need_first():
    # tabnanny: a standard module nothing here imports
    start_early(1, imports=("tabnanny",))
    executor = make_executor("processes", workers=1)
    try:
        assert [found for _, found in executor.map(has_module, ["tabnanny"])] == [True]
    finally:
        executor.close()
    start_early(1)
    executor = make_executor("processes", workers=1)
    try:
        assert [found for _, found in executor.map(has_module, ["tabnanny"])] == [False]
    finally:
        executor.close()


def test_workers_started_early_end_when_no_experiment_takes_them():
    before = set(children())
    start_early(1)
    early = {pid: p for pid, p in children().items() if pid not in before}
    assert len(early) == 1
    make_executor("serial")  # another executor: the early workers are ended
    for p in early.values():
        assert ended(p, timeout=30)
    start_early(1)
    (p,) = (p for pid, p in children().items() if pid not in before | set(early))
    discard_early(abort=True)  # as an interrupted command does
    assert ended(p, timeout=30)


def resim(*args: str, **kw) -> subprocess.Popen:
    exe = str(Path(sys.executable).parent / "resim")
    return subprocess.Popen(
        [exe, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw
    )


@pytest.mark.slow
def test_killed_compare_resumes_to_the_same_results(tmp_path):
    args = (
        "task=compare",
        "population.households=400",
        "years=6",
        "packages=[none,full_cdr]",
        "replicates=6",
        "executor=serial",
        "executor.flush_every=1",
        "progress=false",
        "report.lang=en",
    )
    full = tmp_path / "full"  # undisturbed, through the API
    sim.compare(*args, output=full)
    cut = tmp_path / "cut"
    proc = resim(*args, f"hydra.run.dir={cut}", start_new_session=True)
    shards = cut / "shards"
    deadline = time.time() + 300
    while len(list(shards.glob("outcomes-*.parquet"))) < 3 and time.time() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(shards.glob("outcomes-*.parquet")))
    assert 3 <= done < 12, "the run was not interrupted midway"
    assert not (cut / "summary.json").exists()  # nothing claims completeness
    proc = resim(*args, f"hydra.run.dir={cut}")
    assert proc.wait(timeout=600) == 0, proc.stderr.read()
    a = pd.read_parquet(full / "runs.parquet").drop(columns=["key"])
    b = pd.read_parquet(cut / "runs.parquet").drop(columns=["key"])
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(
        pd.read_csv(full / "comparison.csv"), pd.read_csv(cut / "comparison.csv")
    )


def test_a_flush_killed_before_its_outcomes_leaves_nothing_a_resume_reads(tmp_path):
    # A flush writes its shocks before its outcomes. Killed between the two, it leaves a
    # shocks shard that no completed flush owns; on workers results come in any order, so the
    # next flush of that number may hold only runs without a shock log.
    args = (
        "population.households=60",
        "years=2",
        "packages=[none,cash]",
        "replicates=2",
        "executor=serial",
        "executor.flush_every=1",
        "progress=false",
    )
    full = tmp_path / "full"
    sim.compare(*args, output=full)
    cut = tmp_path / "cut"
    shutil.copytree(full / "shards", cut / "shards")
    shards = cut / "shards"
    # the runs of the first package log their shocks, the others do not; the last shard
    # holds a run without them
    logged = sorted(p.name.split("-")[1] for p in shards.glob("shocks-*.parquet"))
    assert logged and "00003.parquet" not in logged
    for kind in ("outcomes", "series"):
        (shards / f"{kind}-00003.parquet").unlink()
    # what the killed flush number 3 left: the shocks of a run of the first package, and a
    # write's temporary file
    shutil.copy(shards / f"shocks-{logged[-1]}", shards / "shocks-00003.parquet")
    (shards / ".outcomes-00003.parquet.x1.tmp").write_bytes(b"PAR1")
    sim.compare(*args, output=cut)
    for name in ("runs.parquet", "series.parquet", "shocks.parquet", "comparison.csv"):
        assert (cut / name).read_bytes() == (full / name).read_bytes(), name
    assert not list(shards.glob(".*.tmp"))


@pytest.mark.slow
def test_hydra_multirun_with_joblib_launcher_and_collect(tmp_path):
    sweep = tmp_path / "sweep"
    proc = resim(
        "-m",
        "task=run",
        "population.households=100",
        "years=2",
        "seed=1,2",
        "package=none,cash",
        "hydra/launcher=joblib",
        "hydra.launcher.n_jobs=2",
        f"hydra.sweep.dir={sweep}",
        "progress=false",
    )
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    summaries = sorted(sweep.glob("*/summary.json"))
    assert len(summaries) == 4
    table = sim.collect(sweep)
    assert len(table) == 4
    assert set(table["package"]) == {"none", "cash"}
    assert set(table["seed"]) == {"1", "2"}
    assert (table.loc[table.package == "cash", "cost_per_household_fcfa"] > 0).all()


@pytest.mark.slow
def test_hydra_multirun_with_submitit_local_launcher(tmp_path):
    """The SLURM path, exercised through submitit's local executor."""
    sweep = tmp_path / "slurm"
    proc = resim(
        "-m",
        "task=run",
        "population.households=80",
        "years=1",
        "seed=1,2",
        "hydra/launcher=submitit_local",
        "hydra.launcher.timeout_min=10",
        f"hydra.sweep.dir={sweep}",
        "progress=false",
    )
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    table = sim.collect(sweep)
    assert len(table) == 2 and set(table["seed"]) == {"1", "2"}
