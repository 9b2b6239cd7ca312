"""The ``resim`` command and ``python -m sim``, run for real in subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import yaml

from sim.indicators import COLUMN_DOCS
from sim.resilience import EPISODE_COLUMNS
from sim.results import HOUSEHOLD_COLUMNS
from sim.shocks import LOG_COLUMNS

ROOT = Path(__file__).resolve().parents[1]


def resim(*args: str, module: bool = False) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "sim"] if module else [str(Path(sys.executable).parent / "resim")]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_run_task_writes_documented_files(tmp_path):
    out = tmp_path / "run"
    proc = resim(
        "task=run", "population.households=300", "years=2", "seed=3", f"hydra.run.dir={out}"
    )
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {out}" in proc.stdout
    ts = pd.read_parquet(out / "timeseries.parquet")
    hh = pd.read_parquet(out / "households.parquet")
    assert list(ts.columns) == list(COLUMN_DOCS)
    assert list(hh.columns) == list(HOUSEHOLD_COLUMNS)
    assert len(hh) == 300 and ts["month"].max() == 23
    shocks = pd.read_parquet(out / "shocks.parquet")
    assert list(shocks.columns) == list(LOG_COLUMNS)
    assert (shocks["type"] == "human_disease").any()  # baseline regime: household illness
    episodes = pd.read_parquet(out / "resilience.parquet")
    assert list(episodes.columns) == list(EPISODE_COLUMNS)
    config = yaml.safe_load((out / "config.yaml").read_text())
    assert config["population"]["households"] == 300 and config["seed"] == 3
    summary = json.loads((out / "summary.json").read_text())
    assert summary["households"] == 300
    assert not list(out.glob(".*.tmp"))  # no temporary files left behind
    assert (out / "overview.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_module_entry_point_gives_the_same_numbers_as_the_api(tmp_path):
    import sim

    out = tmp_path / "m"
    proc = resim(
        "task=run",
        "population.households=120",
        "years=2",
        "seed=8",
        f"hydra.run.dir={out}",
        module=True,
    )
    assert proc.returncode == 0, proc.stderr
    cli = pd.read_parquet(out / "timeseries.parquet")
    api = sim.simulate("population.households=120", "years=2", "seed=8").timeseries
    pd.testing.assert_frame_equal(cli, api)


def test_bad_value_exits_2_with_one_line_and_no_output(tmp_path):
    out = tmp_path / "bad"
    proc = resim("population.households=-5", f"hydra.run.dir={out}")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert lines == ["resim: error: population.households = -5: must be in [1, inf]"]
    assert "Traceback" not in proc.stderr
    assert not (out / "summary.json").exists()
