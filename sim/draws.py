"""Random draws of one month, of a fixed shape whatever the households' state.

Each month the ``idiosyncratic`` stream yields one uniform per household for every named use
below, and one standard normal per household for every named noise. Because the shape never
depends on the state (herd sizes, package, coping), two runs with the same seed consume their
streams identically: a household's illness or yield draw in month t is the same under every
package (common random numbers), and a per-household reference implementation can consume
exactly the same numbers.
"""

from __future__ import annotations

import threading

import llvmlite.binding  # type: ignore[import-untyped]
import numba
import numpy as np
import scipy.special
from numba.extending import get_cython_function_address
from scipy.special import ndtri

UNIFORMS: tuple[str, ...] = (
    "sr_births",
    "sr_female_deaths",
    "sr_other_deaths",
    "sr_maturation",
    "sr_offtake",
    "cattle_births",
    "cattle_deaths",
    "cattle_offtake",
    "poultry_births",
    "poultry_deaths",
    "poultry_offtake",
    "illness",
    "child_turnover",
    "flood_sr_female",
    "flood_sr_other",
    "flood_cattle",
    "flood_poultry",
    "ppr_female",
    "ppr_other",
    "newcastle",
    "illness_prevented",
    "vsla_dropout",
    "group_dissolution",
    "livestock_loan",
)
NORMALS: tuple[str, ...] = ("yield", "labour", "trade", "child_whz")
CONFLICT_UNIFORMS: tuple[str, ...] = (
    "theft_sr_female",
    "theft_sr_other",
    "theft_cattle",
    "theft_poultry",
    "flight",
    "flight_sr_female",
    "flight_sr_other",
    "flight_cattle",
    "flight_poultry",
    "return",
)
"""Uniforms of the ``displacement`` stream: livestock theft, flight (and what is left behind)
and return. Drawn every month whatever the regime, from their own stream, so that switching
insecurity on leaves every idiosyncratic draw as it was."""

NORMAL_APPROXIMATION_VARIANCE = 9.0
"""Binomial variance above which the normal approximation replaces exact inversion."""


class UniformRows:
    """``rows × n`` uniforms of a stream, each row drawn when first asked for.

    At construction the stream moves past the whole block, exactly as if it had been drawn
    (one 64-bit output per uniform: :meth:`numpy.random.PCG64.advance`); a row asked for later
    is drawn from a copy of the stream's state moved to its start. So every row has the
    numbers ``rng.random((rows, n))[row]`` would have given, and a row no process needs this
    month (no flood, no outbreak, no conflict) costs nothing.

    Parameters
    ----------
    rng
        The stream (a PCG64 generator); moved past the block.
    rows, n
        The block's shape.
    """

    def __init__(self, rng: np.random.Generator, rows: int, n: int) -> None:
        bits = rng.bit_generator
        if not isinstance(bits, np.random.PCG64):
            raise TypeError(f"month draws need a PCG64 stream, not {type(bits).__name__}")
        self.shape = (rows, n)
        self._state = bits.state
        bits.advance(rows * n)
        self._drawn: dict[int, np.ndarray] = {}

    def row(self, i: int) -> np.ndarray:
        """Row ``i`` (length n)."""
        drawn = self._drawn
        if i not in drawn:
            drawn[i] = self._draw(i, 1)[0]
        return drawn[i]

    def head(self, rows: int) -> np.ndarray:
        """The first ``rows`` rows as one ``(rows, n)`` array (drawn in one call)."""
        if all([i in self._drawn for i in range(rows)]):
            return np.stack([self._drawn[i] for i in range(rows)])
        block, drawn = self._draw(0, rows), self._drawn
        for i in range(rows):
            if i not in drawn:
                drawn[i] = block[i]
        return block

    def all(self) -> np.ndarray:
        """The whole ``(rows, n)`` block."""
        return self.head(self.shape[0])

    def _draw(self, first: int, rows: int) -> np.ndarray:
        """Rows ``first`` to ``first + rows`` of the block.

        The thread's scratch generator is set to the block's start state, or, where it last
        drew rows of this block that end at or before ``first``, moved on from there: the same
        state either way (:meth:`numpy.random.PCG64.advance` jumps exactly).
        """
        try:
            bits, at = _SCRATCH.bits, _SCRATCH.at
        except AttributeError:  # one per thread (the dask executor's workers)
            bits = _SCRATCH.bits = np.random.PCG64(0)
            _SCRATCH.rng = np.random.Generator(bits)
            at = _SCRATCH.at = (None, 0)
        n = self.shape[1]
        if at[0] is not self._state or at[1] > first:
            bits.state = self._state
            at = (self._state, 0)
        if first > at[1]:
            bits.advance((first - at[1]) * n)
        _SCRATCH.at = (self._state, first + rows)
        return _SCRATCH.rng.random((rows, n))


_SCRATCH = threading.local()
"""A PCG64 generator per thread, set to a block's state to draw its rows (``bits``, ``rng``),
and where it stands: ``at = (the block's start state, rows of it drawn or passed)``."""


_UNIFORM_ROW: dict[str, tuple[bool, int]] = {
    **{name: (False, k) for k, name in enumerate(UNIFORMS)},
    **{name: (True, k) for k, name in enumerate(CONFLICT_UNIFORMS)},
}
"""Each uniform's block (conflict or not) and row."""

_NORMAL_ROW: dict[str, int] = {name: k for k, name in enumerate(NORMALS)}
"""Each normal's row."""


class MonthDraws:
    """One month's draws: ``u(name)`` uniforms in [0, 1) and ``z(name)`` standard normals.

    The uniforms are drawn when first asked for (:class:`UniformRows`), the normals at once:
    the streams end the month where drawing everything would have left them, so which rows a
    month uses never changes another month's numbers.

    Attributes
    ----------
    normal : numpy.ndarray
        ``(len(NORMALS), n)`` standard normals.
    """

    def __init__(self, rng: np.random.Generator, n: int, conflict: np.random.Generator) -> None:
        self._uniform = UniformRows(rng, len(UNIFORMS), n)
        self.normal = rng.standard_normal((len(NORMALS), n))
        self._conflict = UniformRows(conflict, len(CONFLICT_UNIFORMS), n)

    @property
    def uniform(self) -> np.ndarray:
        """Every household uniform, ``(len(UNIFORMS), n)``, rows in :data:`UNIFORMS` order."""
        return self._uniform.all()

    @property
    def conflict(self) -> np.ndarray:
        """Every conflict uniform, ``(len(CONFLICT_UNIFORMS), n)``."""
        return self._conflict.all()

    def leading(self, rows: int) -> np.ndarray:
        """The first ``rows`` rows of :attr:`uniform`, drawn in one call."""
        return self._uniform.head(rows)

    def u(self, name: str) -> np.ndarray:
        """Uniform draw per household for ``name`` (of :data:`UNIFORMS` or :data:`CONFLICT_UNIFORMS`)."""
        try:
            conflict, i = _UNIFORM_ROW[name]
        except KeyError:
            raise ValueError(f"{name!r} is not one of the month's uniforms") from None
        block = self._conflict if conflict else self._uniform
        drawn = block._drawn  # UniformRows.row, inline: a month asks for a dozen rows
        if i not in drawn:
            drawn[i] = block._draw(i, 1)[0]
        return drawn[i]

    def z(self, name: str) -> np.ndarray:
        """Standard normal draw per household for ``name``."""
        try:
            return self.normal[_NORMAL_ROW[name]]
        except KeyError:
            raise ValueError(f"{name!r} is not one of the month's normals") from None

    @classmethod
    def draw(cls, rng: np.random.Generator, n: int, conflict: np.random.Generator) -> MonthDraws:
        """Draw one month for ``n`` households.

        Household draws come from ``rng`` (stream ``idiosyncratic``), the conflict draws from
        ``conflict`` (stream ``displacement``); both must be PCG64 generators
        (:func:`sim.streams.generator`).
        """
        return cls(rng, n, conflict)


def binomial_quantile(n: np.ndarray, p: np.ndarray | float, u: np.ndarray) -> np.ndarray:
    """Binomial(n, p) variates by inversion of given uniforms, element-wise.

    The inverse CDF keeps common random numbers exact: the same ``u`` gives the same count
    whatever happens to other households. Where the variance ``n p (1 - p)`` exceeds
    :data:`NORMAL_APPROXIMATION_VARIANCE` the quantile of the normal approximation (with
    continuity correction) is used; elsewhere the exact CDF is summed term by term, starting
    from ``P(X = 0) = exp(n log1p(-p))``.

    The term-by-term walk runs in a compiled loop over elements (:func:`_walk_cdf`); the
    transcendental functions (``log1p``, ``exp``, the normal quantile) stay numpy's and
    scipy's, and every other operation is the exactly rounded arithmetic of
    :func:`binomial_quantile_numpy` in the same order, so both give identical numbers.

    Parameters
    ----------
    n
        Trials (e.g. animals), non-negative integers, any shape.
    p
        Success probability per trial, in [0, 1]: a scalar, or one per element of ``n``.
    u
        Uniforms in [0, 1), one per element (same shape as ``n``).

    Returns
    -------
    numpy.ndarray
        Integer counts in [0, n], shape of ``n``.
    """
    shape = np.shape(n)
    n = np.ascontiguousarray(n, dtype=np.int64).ravel()
    u = np.ascontiguousarray(u, dtype=float).ravel()
    p = np.asarray(p, dtype=float)
    per_element = p.ndim > 0
    p_flat = np.ascontiguousarray(p).ravel() if per_element else p.reshape(1)
    out = np.empty(n.size, dtype=np.int64)
    order = np.empty(n.size, dtype=np.int64)
    trials = np.empty(n.size)
    prob = np.empty(n.size)
    exact, normal = _classify(n, p_flat, per_element, out, order, trials, prob)
    if normal < n.size:  # normal approximation, where the variance is large
        big = order[normal:]
        nb = n[big]
        pb = p_flat[big] if per_element else p
        var = nb * (pb * (1.0 - pb))
        x = np.floor(nb * pb + np.sqrt(var) * ndtri(u[big]) + 0.5)
        out[big] = np.clip(x, 0, nb).astype(np.int64)
    if exact:
        log_q = np.log1p(-prob[:exact]) if per_element else np.log1p(-p)
        pmf0 = np.exp(trials[:exact] * log_q)
        _walk_cdf(n, u, prob, pmf0, order, out)
    return out.reshape(shape)


@numba.njit(cache=True, nogil=True)
def _classify(n, p, per_element, out, order, trials, prob):  # pragma: no cover - compiled
    """Settle the certain cases in ``out``; list the exact-walk and normal-branch elements.

    Exact-walk elements go to the front of ``order`` (with their trials and probability in
    ``trials`` and ``prob``), normal-branch elements to the back. Returns the number of
    exact-walk elements and the index in ``order`` where the normal-branch ones start.
    """
    exact = 0
    normal = n.size
    for i in range(n.size):
        ni = n[i]
        pi = p[i] if per_element else p[0]
        if pi >= 1.0:
            out[i] = ni
        elif ni <= 0 or pi <= 0.0:
            out[i] = 0
        elif ni * (pi * (1.0 - pi)) > NORMAL_APPROXIMATION_VARIANCE:
            normal -= 1
            order[normal] = i
        else:
            order[exact] = i
            trials[exact] = ni
            prob[exact] = pi
            exact += 1
    return exact, normal


@numba.njit(cache=True, nogil=True)
def _walk_cdf(n, u, prob, pmf0, order, out):  # pragma: no cover - compiled
    """Sum the binomial pmf term by term until the CDF exceeds each element's uniform."""
    for j in range(pmf0.size):
        i = order[j]
        trials = n[i]
        odds = prob[j] / (1.0 - prob[j])
        pmf = pmf0[j]
        cdf = pmf
        k = 0
        while u[i] >= cdf and k < trials:
            pmf *= (trials - k) / (k + 1) * odds
            cdf += pmf
            k += 1
        out[i] = k


def _compiled_ndtri():
    """The normal quantile of scipy as a function compiled code can call (and cache).

    The same C function as :func:`scipy.special.ndtri`, hence the same numbers; with
    ``NUMBA_DISABLE_JIT=1``, scipy's function itself.
    """
    if numba.config.DISABLE_JIT:  # type: ignore[attr-defined]
        return scipy.special.ndtri
    address = get_cython_function_address("scipy.special.cython_special", "ndtri")
    llvmlite.binding.add_symbol("resim_scipy_ndtri", address)
    return numba.types.ExternalFunction("resim_scipy_ndtri", numba.float64(numba.float64))


_ndtri = _compiled_ndtri()


def pmf0_table(trials: np.ndarray, p: np.ndarray | float, *, keep: bool = True) -> np.ndarray:
    """``P(X = 0) = exp(trials × log1p(-p))`` of Binomial(trials, p), numpy's numbers.

    The first term of the CDF walk of :func:`binomial_quantile`, as a table for a compiled
    pass to look up (one entry per count of trials it may meet): computed with numpy's
    ``log1p`` and ``exp``, which need not round like the C library's that compiled code
    calls, on exactly the arguments :func:`binomial_quantile` gives them. Entries with ``p``
    outside (0, 1), which :func:`binomial_inverse` settles without the table, are computed as
    ``p = 0``.

    Parameters
    ----------
    trials
        Counts of trials (head), broadcast against ``p``.
    p
        Success probabilities.
    keep
        Keep the table for the next call with the same arguments (False: probabilities
        no other call will ask for, such as a month's shock).

    Returns
    -------
    numpy.ndarray
        The broadcast shape of ``trials`` and ``p``; kept for the next call with the same
        arguments (read it, do not change it).
    """
    trials = np.asarray(trials, dtype=float)
    p = np.asarray(p, dtype=float)
    if not keep:
        return _pmf0(trials, p)
    key = (trials.shape, trials.tobytes(), p.shape, p.tobytes())
    with _PMF0_LOCK:
        table = _PMF0_TABLES.get(key)
    if table is None:
        table = _pmf0(trials, p)
        with _PMF0_LOCK:
            if len(_PMF0_TABLES) >= PMF0_TABLES_KEPT:
                del _PMF0_TABLES[next(iter(_PMF0_TABLES))]  # the oldest
            _PMF0_TABLES[key] = table
    return table


def _pmf0(trials: np.ndarray, p: np.ndarray) -> np.ndarray:
    log_q = np.log1p(-np.where((p > 0.0) & (p < 1.0), p, 0.0))
    return np.exp(trials * log_q)


def table_size(largest: int) -> int:
    """Counts of trials ``0 … size − 1`` a :func:`pmf0_table` covers for herds up to ``largest``.

    The fewest blocks of :data:`HEAD_BLOCK` counts that hold ``largest``, so that months whose
    largest herd is in the same block ask for the same table.
    """
    return -(-(largest + 1) // HEAD_BLOCK) * HEAD_BLOCK


HEAD_BLOCK = 64
"""Head counts of the binomial tables come in blocks of this many (:func:`table_size`)."""


@numba.njit(cache=True, nogil=True)
def largest_count(a, b, c, d):  # pragma: no cover - compiled
    """The largest entry of four arrays of non-negative counts (0 when they are empty)."""
    return max(_largest(a), _largest(b), _largest(c), _largest(d))


@numba.njit(cache=True, nogil=True, inline="always")
def _largest(counts):  # pragma: no cover - compiled
    top = 0
    for i in range(counts.size):
        if counts[i] > top:
            top = int(counts[i])
    return top


PMF0_TABLES_KEPT = 16
"""Tables :func:`pmf0_table` keeps for the same arguments (most months repeat last month's)."""

_PMF0_TABLES: dict[tuple, np.ndarray] = {}
_PMF0_LOCK = threading.Lock()  # threads of one process share the tables


@numba.njit(cache=True, nogil=True)
def binomial_inverse(n, p, u, pmf0):  # pragma: no cover - compiled
    """One Binomial(n, p) variate by inversion of ``u``: :func:`binomial_quantile`'s number.

    For compiled passes over households. ``pmf0`` is ``P(X = 0)`` as :func:`pmf0_table`
    gives it (read only on the exact walk); every other operation is that of
    :func:`binomial_quantile`, in the same order.
    """
    if p >= 1.0:
        return n
    if n <= 0 or p <= 0.0:
        return 0
    var = n * (p * (1.0 - p))
    if var > NORMAL_APPROXIMATION_VARIANCE:
        x = np.floor(n * p + np.sqrt(var) * _ndtri(u) + 0.5)
        if x < 0.0:  # np.clip(x, 0, n), also for x = -inf
            return 0
        if x > n:
            return n
        return int(x)
    odds = p / (1.0 - p)
    pmf = pmf0
    cdf = pmf
    k = 0
    while u >= cdf and k < n:
        pmf *= (n - k) / (k + 1) * odds
        cdf += pmf
        k += 1
    return k


def binomial_quantile_numpy(n: np.ndarray, p: np.ndarray | float, u: np.ndarray) -> np.ndarray:
    """Binomial(n, p) variates by inversion of given uniforms, in plain numpy.

    The same numbers as :func:`binomial_quantile`, which is faster; kept as its cross-check
    (``tests/test_draws.py``).

    The inverse CDF keeps common random numbers exact: the same ``u`` gives the same count
    whatever happens to other households. Where the variance ``n p (1 - p)`` exceeds
    :data:`NORMAL_APPROXIMATION_VARIANCE` the quantile of the normal approximation (with
    continuity correction) is used; elsewhere the exact CDF is summed term by term. The loop
    runs over the count k (a handful of iterations for monthly rates), never over households.

    Parameters
    ----------
    n
        Trials (e.g. animals), non-negative integers, any shape.
    p
        Success probability per trial, in [0, 1].
    u
        Uniforms in [0, 1), one per element (same shape as ``n``).

    Returns
    -------
    numpy.ndarray
        Integer counts in [0, n].
    """
    shape = np.shape(n)
    n = np.asarray(n, dtype=np.int64).ravel()
    u = np.asarray(u, dtype=float).ravel()
    p = np.asarray(p, dtype=float)
    scalar = p.ndim == 0
    if not scalar:
        p = p.ravel()
    if scalar and (p <= 0.0 or p >= 1.0):
        return (n.copy() if p >= 1.0 else np.zeros(n.shape, dtype=np.int64)).reshape(shape)
    var = n * (p * (1.0 - p))
    big = var > NORMAL_APPROXIMATION_VARIANCE
    out = np.zeros(n.shape, dtype=np.int64)
    if not scalar:
        certain = p >= 1.0
        out[certain] = n[certain]
        small = ~big & (n > 0) & (p > 0.0) & ~certain
    else:
        small = ~big & (n > 0)
    if big.any():
        pb = p if scalar else p[big]
        x = np.floor(n[big] * pb + np.sqrt(var[big]) * ndtri(u[big]) + 0.5)
        out[big] = np.clip(x, 0, n[big]).astype(np.int64)
    idx = np.flatnonzero(small)
    if idx.size == 0:
        return out.reshape(shape)
    nn, uu = n[idx], u[idx]
    pp = p if scalar else p[idx]
    odds = pp / (1.0 - pp) if scalar else np.full(idx.size, 0.0) + pp / (1.0 - pp)
    pmf = np.exp(nn * np.log1p(-pp))
    cdf = pmf.copy()
    k = np.zeros(idx.size, dtype=np.int64)
    live = np.arange(idx.size)  # elements whose variate may still exceed j
    j = 0
    while True:
        more = (uu >= cdf) & (j < nn)  # the variate exceeds j
        count = np.count_nonzero(more)
        if count == 0:
            break
        if 2 * count < live.size:  # compact once most elements are finished
            live, nn, uu, pmf, cdf = live[more], nn[more], uu[more], pmf[more], cdf[more]
            if not scalar:
                odds = odds[more]
            k[live] += 1
        else:
            k[live[more]] += 1
        pmf *= (nn - j) / (j + 1) * odds
        cdf += pmf
        j += 1
    out[idx] = k
    return out.reshape(shape)
