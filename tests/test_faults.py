"""Faults around the model: resources checked before work, files read validated, streams,
signals, one writer per folder. Each reproduction runs ``resim`` as a real subprocess."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESIM = str(Path(sys.executable).parent / "resim")


def resim(*args: str, cwd: Path, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [RESIM, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout, **kw
    )


def assert_refused(proc: subprocess.CompletedProcess, fragment: str, code: int = 2) -> None:
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == code, proc.stderr
    assert len(lines) == 1 and lines[0].startswith("resim: error: "), proc.stderr
    assert fragment in lines[0]


def test_an_unreachable_dask_scheduler_is_refused_quickly_before_any_folder(tmp_path):
    started = time.monotonic()
    proc = resim(
        "task=compare",
        "executor=dask",
        "executor.address=tcp://127.0.0.1:1",
        "packages=[none]",
        "replicates=1",
        cwd=tmp_path,
    )
    assert_refused(proc, "executor.address = 'tcp://127.0.0.1:1': no Dask scheduler answers")
    assert time.monotonic() - started < 30
    assert list(tmp_path.iterdir()) == []
