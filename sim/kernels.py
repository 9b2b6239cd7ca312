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
    rows, n = values.shape
    num = np.zeros((rows, 6))
    den = np.zeros((rows, 6))
    for j in range(rows):
        k = weight_row[j]
        if k >= 0:
            num[j] = _sums(values[j] * weights[k], member)
            den[j] = _sums(weights[k], member)
        else:
            num[j] = _sums(values[j], member)
    return num, den


@numba.njit(cache=True, nogil=True)
def _sums(x, member):  # pragma: no cover - compiled
    """``x``'s sums over the five sets of ``member`` and over all, in index order."""
    s0 = s1 = s2 = s3 = s4 = s5 = 0.0
    for i in range(x.size):
        v = x[i]
        s0 += v * member[0, i]
        s1 += v * member[1, i]
        s2 += v * member[2, i]
        s3 += v * member[3, i]
        s4 += v * member[4, i]
        s5 += v
    return np.array([s0, s1, s2, s3, s4, s5])
