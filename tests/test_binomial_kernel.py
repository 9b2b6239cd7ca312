"""The compiled binomial inversion gives exactly the numbers of the plain-numpy one."""

from __future__ import annotations

import numba
import numpy as np
import pytest

from sim.draws import (
    NORMAL_APPROXIMATION_VARIANCE,
    binomial_inverse,
    binomial_quantile,
    binomial_quantile_numpy,
    pmf0_table,
)


def cases(seed: int, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = rng.choice([0, 1, 2, 5, 12, 40, 150, 2_000], size=size) * rng.random(size)
    n = n.astype(np.int64)
    p = rng.choice([0.0, 1e-6, 0.004, 0.03, 0.2, 0.5, 0.9, 0.999, 1.0], size=size)
    p = np.where((p > 0) & (p < 1), p * rng.uniform(0.5, 1.0, size), p)
    u = rng.random(size)
    u[:20] = 0.0
    u[20:40] = np.nextafter(1.0, 0.0)
    return n, p, u


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_per_element_probabilities_identical(seed):
    n, p, u = cases(seed, 200_000)
    got = binomial_quantile(n, p, u)
    want = binomial_quantile_numpy(n, p, u)
    assert got.dtype == want.dtype == np.int64
    np.testing.assert_array_equal(got, want)
    var = n * p * (1 - p)
    assert (var > NORMAL_APPROXIMATION_VARIANCE).any()  # both branches are exercised
    assert ((var <= NORMAL_APPROXIMATION_VARIANCE) & (n > 3) & (p > 0) & (p < 1)).any()


@pytest.mark.parametrize("p", [0.0, 1e-5, 0.01, 0.1, 0.35, 0.5, 0.93, 1.0])
def test_scalar_probability_and_shapes_identical(p):
    n, _, u = cases(int(p * 1000), 30_000)
    n, u = n.reshape(3, -1), u.reshape(3, -1)
    got = binomial_quantile(n, p, u)
    assert got.shape == (3, 10_000)
    np.testing.assert_array_equal(got, binomial_quantile_numpy(n, p, u))


def test_non_contiguous_and_python_inputs():
    n, p, u = cases(9, 4_000)
    nn, pp, uu = n.reshape(2, -1)[:, ::2], p.reshape(2, -1)[:, ::2], u.reshape(2, -1)[:, ::2]
    np.testing.assert_array_equal(
        binomial_quantile(nn, pp, uu), binomial_quantile_numpy(nn, pp, uu)
    )
    assert binomial_quantile([3, 0, 7], 0.5, [0.2, 0.9, 0.999]).tolist() == (
        binomial_quantile_numpy(np.array([3, 0, 7]), 0.5, np.array([0.2, 0.9, 0.999])).tolist()
    )
    assert binomial_quantile(np.array([], dtype=np.int64), 0.3, np.array([])).shape == (0,)


@numba.njit
def _draw_each(n, p, u, pmf0):
    out = np.empty(n.size, dtype=np.int64)
    for i in range(n.size):
        out[i] = binomial_inverse(n[i], p[i], u[i], pmf0[i])
    return out


@pytest.mark.parametrize("seed", [4, 5])
def test_compiled_scalar_draw_identical(seed):
    """The scalar draw of the compiled passes, with P(X = 0) from numpy's table, gives the
    numbers of the vectorised inversion (both branches, certain cases, extreme uniforms)."""
    n, p, u = cases(seed, 200_000)
    got = _draw_each(n, p, u, pmf0_table(n, p))
    np.testing.assert_array_equal(got, binomial_quantile_numpy(n, p, u))
