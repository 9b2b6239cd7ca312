"""Compiled loops that give numpy's numbers, for sums the month makes many times.

Each kernel does the arithmetic of the numpy expression it replaces, in the same order, so
the results are identical to the last bit; it saves the temporaries and the per-call
overhead of the numpy version. Compiled with numba (``cache=True``: the compiled code is
kept in ``NUMBA_CACHE_DIR``); with ``NUMBA_DISABLE_JIT=1`` they run as plain Python.
"""

from __future__ import annotations

import numba
import numpy as np


def grouped_sum(values: np.ndarray | float, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum of ``values`` by group index, entries of group -1 (or any negative) left out.

    The numbers of ``np.bincount(groups[ok], weights=values[ok], minlength=n_groups)`` with
    ``ok = groups >= 0``: the same additions in index order.

    Parameters
    ----------
    values
        One value per entry of ``groups``, or a scalar for every entry.
    groups
        Group index per entry (integers; negative: no group).
    n_groups
        Length of the result (at least; longer if a group index reaches it).

    Returns
    -------
    numpy.ndarray
        Float sums, one per group.
    """
    if (
        isinstance(values, np.ndarray)
        and isinstance(groups, np.ndarray)
        and values.ndim == 1
        and values.shape == groups.shape
        and values.dtype == np.float64
        and groups.dtype == np.int64
        and values.flags.c_contiguous
        and groups.flags.c_contiguous
    ):  # the usual call: nothing to convert
        return _grouped_sum(values, True, groups, n_groups)
    groups = np.asarray(groups)
    v = np.asarray(values, dtype=float)
    each = v.shape == groups.shape
    if not each and v.size != 1:
        v, each = np.broadcast_to(v, groups.shape), True
    flat = np.ascontiguousarray(v).ravel()
    return _grouped_sum(flat, each, groups.ravel().astype(np.int64, copy=False), n_groups)


@numba.njit(cache=True, nogil=True)
def _grouped_sum(values, each, groups, n_groups):  # pragma: no cover - compiled
    size = n_groups
    for i in range(groups.size):
        if groups[i] >= size:
            size = groups[i] + 1
    out = np.zeros(size)
    for i in range(groups.size):
        g = groups[i]
        if g >= 0:
            out[g] += values[i] if each else values[0]
    return out


@numba.njit(cache=True, nogil=True)
def member_sums(values, weights, weight_row, member):  # pragma: no cover - compiled
    """Weighted sums of every row of ``values`` over five sets of households and over all.

    For row ``j`` and set ``c`` (the five rows of ``member``, then everyone):
    ``num[j, c] = Σ_i values[j, i] w[i] member[c, i]`` and ``den[j, c] = Σ_i w[i] member[c, i]``,
    with ``w = weights[weight_row[j]]``, or 1 for every household where ``weight_row[j]`` is
    -1 (``den`` is then left 0: the caller knows the sets' sizes). The additions run in
    household order, so the sums are the same on every machine (a matrix product's order
    depends on the processor's BLAS kernels).

    Parameters
    ----------
    values
        ``(rows, n)`` floats.
    weights
        ``(k, n)`` weights, the rows ``weight_row`` points to.
    weight_row
        Per row of ``values``, its row of ``weights``, or -1 for equal weights.
    member
        ``(5, n)``: 1.0 where household ``i`` is in set ``c``, else 0.0.

    Returns
    -------
    num, den : numpy.ndarray
        ``(rows, 6)`` each.
    """
    rows = values.shape[0]
    num = np.zeros((rows, 6))
    den = np.zeros((rows, 6))
    plain = [j for j in range(rows) if weight_row[j] < 0]
    for a in range(0, len(plain), 2):  # two rows a pass: twice the additions in flight
        j, k = plain[a], plain[min(a + 1, len(plain) - 1)]
        num[j], num[k] = _sums(values[j], values[k], member)
    for j in range(rows):
        k = weight_row[j]
        if k >= 0:
            num[j], den[j] = _sums(values[j] * weights[k], weights[k], member)
    return num, den


@numba.njit(cache=True, nogil=True)
def _sums(x, y, member):  # pragma: no cover - compiled
    """``x``'s and ``y``'s sums over the five sets of ``member`` and over all, in index order."""
    a0 = a1 = a2 = a3 = a4 = a5 = 0.0
    b0 = b1 = b2 = b3 = b4 = b5 = 0.0
    for i in range(x.size):
        m0, m1, m2, m3, m4 = member[0, i], member[1, i], member[2, i], member[3, i], member[4, i]
        v, w = x[i], y[i]
        a0 += v * m0
        a1 += v * m1
        a2 += v * m2
        a3 += v * m3
        a4 += v * m4
        a5 += v
        b0 += w * m0
        b1 += w * m1
        b2 += w * m2
        b3 += w * m3
        b4 += w * m4
        b5 += w
    return np.array([a0, a1, a2, a3, a4, a5]), np.array([b0, b1, b2, b3, b4, b5])


# numpy's scalar functions as compiled loops call them (inlined), with numpy's ties and NaN


@numba.njit(cache=True, nogil=True, inline="always")
def maximum(a, b):  # pragma: no cover - compiled
    """``np.maximum(a, b)``: NaN if either is NaN, else the larger, ``b`` on a tie."""
    return a if (a > b or a != a) else b


@numba.njit(cache=True, nogil=True, inline="always")
def minimum(a, b):  # pragma: no cover - compiled
    """``np.minimum(a, b)``: NaN if either is NaN, else the smaller, ``b`` on a tie."""
    return a if (a < b or a != a) else b


@numba.njit(cache=True, nogil=True, inline="always")
def clip01(x):  # pragma: no cover - compiled
    """``np.clip(x, 0.0, 1.0)``: ``x`` itself when it lies within (or is NaN)."""
    if x < 0.0:
        return 0.0
    if x > 1.0:
        return 1.0
    return x


@numba.njit(cache=True, nogil=True, inline="always")
def ratio_or_zero(num, den):  # pragma: no cover - compiled
    """``num / den``, 0 where ``den`` is not positive (``sim.policies.programme.safe_ratio``)."""
    return num / den if den > 0 else 0.0
