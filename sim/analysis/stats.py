"""The one confidence interval of the project: a mean over replicates with its t-interval.

Comparisons (paired differences), the synergy table (factorial effects) and the validation
table (patterns) all report ``mean [low, high]`` over replicates from :func:`mean_ci`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Interval:
    """A mean over ``n`` values and its two-sided t-interval (NaN bounds when ``n < 2``)."""

    mean: float
    low: float
    high: float
    n: int
    half: float
    """Half the interval's width: ``low = mean - half``, ``high = mean + half``."""


def mean_ci(values: Iterable[float] | np.ndarray, level: float = 0.95) -> Interval:
    """Mean of the finite ``values`` and its Student-t interval at ``level``.

    ``mean ± t(1 - (1 - level) / 2, n - 1) · s / √n`` with ``s`` the sample standard deviation
    (``ddof=1``); NaN and infinite values are left out. With no value, everything is NaN;
    with one, the bounds are NaN; when all values are equal, the interval is the mean.
    """
    x = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, dtype=float)
    x = x[np.isfinite(x)]
    n = int(x.size)
    if n == 0:
        return Interval(float("nan"), float("nan"), float("nan"), 0, float("nan"))
    mean = float(x.mean())
    if n < 2:
        return Interval(mean, float("nan"), float("nan"), n, float("nan"))
    half = float(stats.t.ppf(1 - (1 - level) / 2, n - 1) * x.std(ddof=1) / math.sqrt(n))
    return Interval(mean, mean - half, mean + half, n, half)
