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
