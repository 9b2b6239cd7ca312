"""Compiled loops give exactly numpy's numbers, compiled or run as plain Python."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from sim.kernels import grouped_sum, member_sums


def bincount_sum(values, groups, n_groups):
    ok = groups >= 0
    weights = np.broadcast_to(np.asarray(values, dtype=float), groups.shape)[ok]
    return np.bincount(groups[ok], weights=weights, minlength=n_groups).astype(float)


def test_member_sums_add_in_household_order():
    """The recorder's group sums: each set's sum of value × weight, added in household order
    (a running sum's last term), whatever the machine's BLAS."""
    rng = np.random.default_rng(3)
    n = 40_000
    values = rng.lognormal(3, 2, size=(4, n)) * rng.choice([-1.0, 1.0], (4, n))
    weights = rng.random((4, n))
    weight_row = np.array([-1, 1, -1, 3])
    member = np.zeros((5, n))
    member[rng.integers(0, 4, n), np.arange(n)] = 1.0
    member[4] = rng.random(n) < 0.3
    num, den = member_sums(values, weights, weight_row, member)
    sets = np.vstack([member, np.ones(n)])
    for j, k in enumerate(weight_row):
        w = weights[k] if k >= 0 else np.ones(n)
        x = values[j] * w if k >= 0 else values[j]
        for c in range(6):
            assert num[j, c] == np.cumsum(x * sets[c])[-1]
            assert den[j, c] == (np.cumsum(w * sets[c])[-1] if k >= 0 else 0.0)


@pytest.mark.parametrize("seed", [1, 2])
def test_grouped_sum_is_bincounts_sum(seed):
    rng = np.random.default_rng(seed)
    groups = rng.integers(-1, 120, size=50_000)
    values = rng.lognormal(8, 3, size=groups.size) * rng.choice([-1.0, 1.0], groups.size)
    for v in (values, values > 1e4, groups * 3, 2.5, np.float64(1.0), np.ones(1)):
        got = grouped_sum(v, groups, 130)
        np.testing.assert_array_equal(got, bincount_sum(v, groups, 130))
        assert got.dtype == np.float64 and got.shape == (130,)
    # a group index beyond n_groups lengthens the result, as bincount does
    np.testing.assert_array_equal(grouped_sum(values, groups, 10), bincount_sum(values, groups, 10))
    assert grouped_sum(values[:5], np.full(5, -1), 3).tolist() == [0.0, 0.0, 0.0]


def test_a_run_is_identical_with_the_kernels_run_as_python(tmp_path):
    code = (
        "import sys, sim\n"
        "r = sim.simulate('population.households=150', 'years=2', 'seed=5',"
        " 'package=joint_plan', 'shocks=mopti_2017')\n"
        "r.households.to_parquet(sys.argv[1])\n"
        "r.timeseries.to_parquet(sys.argv[2])\n"
    )
    out = {}
    for jit in ("0", "1"):
        env = {**os.environ, "NUMBA_DISABLE_JIT": jit}
        paths = [str(tmp_path / f"hh{jit}.parquet"), str(tmp_path / f"ts{jit}.parquet")]
        subprocess.run([sys.executable, "-c", code, *paths], check=True, env=env)
        import pandas as pd

        out[jit] = [pd.read_parquet(p) for p in paths]
    for compiled, python in zip(out["0"], out["1"], strict=True):
        pd.testing.assert_frame_equal(compiled, python, check_exact=True)


def test_the_group_passes_take_maxima_minima_and_clips_as_numpy_does():
    """Signed zeros and NaN included: ``np.maximum``/``np.minimum`` keep the second operand on
    a tie (``max(0.0, -0.0)`` is ``-0.0`` there, where Python's ``max`` keeps the first)."""
    from sim.kernels import clip01, maximum, minimum

    special = [0.0, -0.0, 1.0, -1.0, 0.5, 1.5, -2.5, np.inf, -np.inf, np.nan]
    for a in special:
        for b in special:
            for mine, numpy in ((maximum, np.maximum), (minimum, np.minimum)):
                got, want = np.float64(mine(a, b)), numpy(np.float64(a), np.float64(b))
                assert got.tobytes() == want.tobytes() or (np.isnan(got) and np.isnan(want)), (
                    mine.__name__,
                    a,
                    b,
                )
        got, want = np.float64(clip01(a)), np.clip(np.float64(a), 0.0, 1.0)
        assert got.tobytes() == want.tobytes() or (np.isnan(got) and np.isnan(want)), a
