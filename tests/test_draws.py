"""Random streams and the inverse-CDF binomial used for herd events."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.draws import (
    CONFLICT_UNIFORMS,
    NORMAL_APPROXIMATION_VARIANCE,
    NORMALS,
    UNIFORMS,
    MonthDraws,
    binomial_quantile,
)
from sim.streams import STREAMS, generator, stream_seed


@pytest.mark.parametrize("p", [0.003, 0.05, 0.2, 0.5, 0.9])
def test_exact_branch_equals_scipy_inverse_cdf(p):
    rng = np.random.default_rng(3)
    n = rng.integers(0, 15, size=5000)
    u = rng.random(5000)
    small = n * p * (1 - p) <= NORMAL_APPROXIMATION_VARIANCE
    got = binomial_quantile(n, p, u)
    want = stats.binom.ppf(u, n, p).astype(int)
    np.testing.assert_array_equal(got[small], want[small])


def test_array_probabilities_and_2d_shapes():
    rng = np.random.default_rng(4)
    n = rng.integers(0, 12, size=(3, 400))
    p = rng.random((3, 400))
    u = rng.random((3, 400))
    got = binomial_quantile(n, p, u)
    assert got.shape == (3, 400)
    np.testing.assert_array_equal(got, stats.binom.ppf(u, n, p).astype(int))


def test_normal_branch_matches_binomial_moments_and_bounds():
    rng = np.random.default_rng(5)
    n = np.full(200_000, 400)
    p = 0.3  # variance 84: normal branch
    x = binomial_quantile(n, p, rng.random(n.size))
    assert abs(x.mean() - 120) < 0.2
    assert abs(x.var() - 84) < 2
    assert x.min() >= 0 and x.max() <= 400


def test_edge_probabilities():
    n = np.array([0, 3, 10])
    u = np.array([0.2, 0.5, 0.99])
    np.testing.assert_array_equal(binomial_quantile(n, 0.0, u), [0, 0, 0])
    np.testing.assert_array_equal(binomial_quantile(n, 1.0, u), n)


def test_same_uniform_gives_same_count_whatever_the_other_elements():
    u = np.array([0.1, 0.7, 0.95])
    a = binomial_quantile(np.array([5, 8, 3]), 0.2, u)
    b = binomial_quantile(np.array([5, 30, 0]), 0.2, u)
    assert a[0] == b[0]


def test_streams_are_named_independent_and_reproducible():
    assert len(set(STREAMS)) == len(STREAMS)
    draws = {name: generator(7, name).random(4) for name in STREAMS}
    again = generator(7, "weather").random(4)
    np.testing.assert_array_equal(draws["weather"], again)
    values = [tuple(v) for v in draws.values()]
    assert len(set(values)) == len(values)
    assert not np.array_equal(generator(8, "weather").random(4), draws["weather"])
    with pytest.raises(KeyError):
        stream_seed(1, "no_such_stream")


def test_month_draws_have_a_fixed_shape():
    d = MonthDraws.draw(np.random.default_rng(0), 17, np.random.default_rng(1))
    assert d.u("illness").shape == (17,)
    assert d.u("flight").shape == (17,)
    assert d.z("yield").shape == (17,)
    assert ((d.uniform >= 0) & (d.uniform < 1)).all()
    assert ((d.conflict >= 0) & (d.conflict < 1)).all()
    # the conflict draws come from their own generator: the idiosyncratic ones do not move
    other = MonthDraws.draw(np.random.default_rng(0), 17, np.random.default_rng(2))
    np.testing.assert_array_equal(d.uniform, other.uniform)
    np.testing.assert_array_equal(d.normal, other.normal)
    assert not np.array_equal(d.conflict, other.conflict)


def test_month_draws_rows_asked_in_any_order_are_the_blocks_rows():
    """Drawn when asked for, in any order or not at all, a month's rows are those of one block,
    and the streams end the month where drawing every row would have left them."""
    n = 23
    eager = np.random.default_rng(5), np.random.default_rng(6)
    uniform = eager[0].random((len(UNIFORMS), n))
    normal = eager[0].standard_normal((len(NORMALS), n))
    conflict = eager[1].random((len(CONFLICT_UNIFORMS), n))
    lazy = np.random.default_rng(5), np.random.default_rng(6)
    d = MonthDraws.draw(lazy[0], n, lazy[1])
    np.testing.assert_array_equal(d.u("livestock_loan"), uniform[UNIFORMS.index("livestock_loan")])
    np.testing.assert_array_equal(d.u("return"), conflict[CONFLICT_UNIFORMS.index("return")])
    np.testing.assert_array_equal(d.leading(11), uniform[:11])
    np.testing.assert_array_equal(d.u("sr_births"), uniform[0])
    np.testing.assert_array_equal(d.normal, normal)
    np.testing.assert_array_equal(d.uniform, uniform)
    np.testing.assert_array_equal(d.conflict, conflict)
    # the month after: the same numbers as after an eager month, though most rows were never drawn
    np.testing.assert_array_equal(lazy[0].random(5), eager[0].random(5))
    np.testing.assert_array_equal(lazy[1].random(5), eager[1].random(5))


def test_uniform_rows_asked_in_any_order_are_the_block_rows():
    """Rows drawn one by one or as a head, in any order, interleaved with another block's,
    are the rows of the whole block drawn at once; the stream ends past the block."""
    from sim.draws import UniformRows

    order = np.random.default_rng(3)
    for seed in range(60):
        rows, n = 6, int(order.integers(0, 8))
        full = np.random.Generator(np.random.PCG64(seed)).random((rows, n))
        stream = np.random.Generator(np.random.PCG64(seed))
        block = UniformRows(stream, rows, n)
        other = UniformRows(np.random.Generator(np.random.PCG64(seed + 100)), rows, n)
        for _ in range(6):
            kind, i = int(order.integers(3)), int(order.integers(rows))
            if kind == 0:
                np.testing.assert_array_equal(block.row(i), full[i])
            elif kind == 1:
                np.testing.assert_array_equal(block.head(i + 1), full[: i + 1])
            else:
                other.row(i)
        tail = np.random.Generator(np.random.PCG64(seed)).random(rows * n + 3)[-3:]
        np.testing.assert_array_equal(stream.random(3), tail)
    with pytest.raises(ValueError, match="no_such_draw"):
        MonthDraws.draw(np.random.default_rng(0), 3, np.random.default_rng(1)).u("no_such_draw")
