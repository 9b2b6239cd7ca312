"""The package as a user installs it: the wheel, in a fresh virtual environment, without extras."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _uv() -> str:
    uv = shutil.which("uv")
    if uv is None:
        pytest.fail("uv is needed to build and install the wheel (the README's installer)")
    return uv


def _clean_env() -> dict[str, str]:
    """The environment of a user's shell: no virtual environment or path of this checkout, and
    Python caches the byte code of what it imports (as it does unless told not to)."""
    unset = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT))
    )
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel built from this checkout, installed with its locked dependencies, no extras."""
    uv = _uv()
    work = tmp_path_factory.mktemp("wheel")
    env = _clean_env()
    dist = work / "dist"
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        cwd=work,
        env=env,
        timeout=600,
    )
    (wheel,) = dist.glob("resim-*.whl")
    requirements = work / "requirements.txt"
    subprocess.run(
        [uv, "export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes"]
        + ["--output-file", str(requirements)],
        check=True,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    venv = work / "venv"
    # from a folder of its own, as a user installs it: not under this checkout's uv settings
    subprocess.run(
        [uv, "venv", "--python", sys.executable, str(venv)],
        check=True,
        capture_output=True,
        cwd=work,
        env=env,
        timeout=300,
    )
    python = venv / "bin" / "python"
    subprocess.run(
        [uv, "pip", "install", "--python", str(python), "-r", str(requirements), str(wheel)],
        check=True,
        capture_output=True,
        cwd=work,
        env=env,
        timeout=900,
    )
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    return wheel, venv, elsewhere, env


def test_the_wheel_holds_the_configs_and_studies_not_the_oracle(installed):
    wheel, *_ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "sim/conf/config.yaml" in names
    assert "sim/conf/package/full_cdr.yaml" in names
    assert "sim/experiments/programme_as_run.yaml" in names
    assert "sim/_version.py" in names
    assert not [n for n in names if n.startswith("sim/reference/")]
    assert not [n for n in names if os.path.islink(n)]


@pytest.mark.slow
def test_the_installed_command_runs_from_an_unrelated_folder(installed):
    wheel, venv, elsewhere, env = installed
    proc = subprocess.run(
        [str(venv / "bin" / "resim"), "task=run", "years=1", "progress=false"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    (summary,) = (elsewhere / "results" / "run").glob("*/summary.json")
    record = json.loads(summary.read_text())["provenance"]
    version = wheel.name.split("-")[1]
    assert record["versions"]["resim"] == version
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    assert record["git_revision"] and head.startswith(record["git_revision"].split("-")[0])
    # the per-household reference is not part of the installed package
    probe = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sim.reference"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    )
    assert "No module named 'sim.reference'" in probe.stderr
    # the parameter table is printed (there is no docs/ folder to write it to)
    table = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "sim.parameters"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    )
    assert table.returncode == 0 and "`experiment.replicates`" in table.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("override", "extra"),
    [("executor=dask", "dask"), ("hydra/launcher=joblib", "joblib")],
)
def test_without_the_extra_an_optional_part_is_refused_in_one_line(installed, override, extra):
    _, venv, elsewhere, env = installed
    args = ["task=compare", "packages=[none]", "replicates=1", "population.households=20"]
    if override.startswith("hydra/"):
        args = ["-m", "task=run", "seed=1,2", "population.households=20", "years=1"]
    proc = subprocess.run(
        [str(venv / "bin" / "resim"), *args, override, "progress=false"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("resim: error: ")
    assert f"resim[{extra}]" in lines[0]
    assert not (elsewhere / "results" / "compare").exists()
    assert not (elsewhere / "results" / "multirun").exists()
