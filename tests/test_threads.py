"""BLAS runs on one thread in every process the project starts (sim.threads)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sim.analysis.executor import ProcessExecutor

MULTICORE = pytest.mark.skipif(
    (os.cpu_count() or 1) < 2, reason="one core: BLAS starts one thread anyway"
)


def blas_threads(_: object) -> list[int]:
    """Thread counts of the BLAS libraries of the calling process."""
    from sim.threads import blas_pools

    return [p["num_threads"] for p in blas_pools()]


@pytest.fixture
def free_blas(monkeypatch):
    """No BLAS thread limit in the environment: processes start one BLAS thread per core."""
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)


@MULTICORE
def test_building_a_model_limits_blas_to_one_thread(free_blas):
    code = (
        "import numpy\n"
        "from sim.threads import blas_pools\n"
        "print(max(p['num_threads'] for p in blas_pools()))\n"
        "from sim.model import ResilienceModel\n"
        "ResilienceModel(households=50, years=1, rng=1)\n"
        "print(max(p['num_threads'] for p in blas_pools()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    ).stdout.split()
    assert int(out[0]) > 1  # without the limit, one BLAS thread per core
    assert int(out[1]) == 1


@MULTICORE
def test_process_workers_run_blas_on_one_thread(free_blas):
    executor = ProcessExecutor(workers=1)
    try:
        [(_, counts)] = list(executor.map(blas_threads, [0]))
    finally:
        executor.close()
    assert counts and max(counts) == 1
