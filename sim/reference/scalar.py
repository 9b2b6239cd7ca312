"""Scalar helpers of the reference.

Numpy's transcendental functions on one number, binomial draws by inversion, and the month's world as one household sees it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from sim.draws import NORMAL_APPROXIMATION_VARIANCE


def exp(x: float) -> float:
    """``e**x`` as numpy computes it (see the module's floating-point note)."""
    return float(np.exp(x))


def log1p(x: float) -> float:
    """``log(1 + x)`` as numpy computes it."""
    return float(np.log1p(x))


def power(x: float, y: float) -> float:
    """``x**y`` as numpy computes it."""
    return float(np.power(x, y))


def binomial_draw(n: int, p: float, u: float) -> int:
    """One Binomial(n, p) variate by inversion of the uniform ``u``.

    Walks the CDF term by term from ``P(X = 0) = (1 - p)**n`` until it exceeds ``u``; when
    the variance ``n p (1 - p)`` exceeds :data:`sim.draws.NORMAL_APPROXIMATION_VARIANCE`,
    takes the quantile of the normal approximation with continuity correction instead.

    Parameters
    ----------
    n
        Trials (animals), head.
    p
        Probability per trial.
    u
        Uniform in [0, 1).

    Returns
    -------
    int
        Count in [0, n], head.
    """
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    var = n * (p * (1.0 - p))
    if var > NORMAL_APPROXIMATION_VARIANCE:
        x = math.floor(n * p + math.sqrt(var) * float(ndtri(u)) + 0.5)
        return min(max(x, 0), n)
    odds = p / (1.0 - p)
    pmf = exp(n * log1p(-p))
    cdf = pmf
    k = 0
    while u >= cdf and k < n:
        pmf *= (n - k) / (k + 1) * odds
        cdf += pmf
        k += 1
    return k


def heads_to_sell(stock: int, gap: float, price: float) -> int:
    """Whole animals to sell from ``stock`` (head) to raise ``gap`` FCFA at ``price`` FCFA/head."""
    return min(stock, math.ceil(max(gap, 0.0) / price))


@dataclass(frozen=True)
class Month:
    """What every household faces in month ``t``: calendar, prices, weather and shocks.

    Per-village lists are indexed by village. Prices in FCFA/kg (millet) or FCFA/head: the
    regional ones, and those paid and received in each village (lower for animals and higher
    for food in conflict).
    """

    t: int
    month: int
    millet: float
    goat: float
    cattle: float
    poultry: float
    millet_paid: list[float]  # per village
    goat_received: list[float]
    cattle_received: list[float]
    poultry_received: list[float]
    market_access: list[float]  # share left by conflict, per village
    calm: list[bool]  # no conflict this month, per village
    theft: list[float]  # share of animals stolen, per village
    flight: list[float]  # probability that a household flees, per village
    interrupted: list[bool]  # programme activities stopped by conflict, per village
    harvest: bool
    season_rain: list[float]  # mm, per village
    harvest_factor: list[float]  # dry spells and floods, per village
    mortality: list[float]  # pasture multiplier of livestock deaths, per village
    fertility: list[float]  # pasture multiplier of births, per village
    labour_factor: list[float] | None  # growing-season labour demand, per village
    flood: list[float]  # flood severity, per village
    ppr: list[float]  # share of small ruminants killed, per village
    newcastle: list[float]  # share of poultry killed, per village
    illness_probability: float  # per household of average frailty this month (may exceed 1)
    pasture_deficit: list[float]  # of the last rainy season and conflict, 0-1, per village
    workload: float  # carers' farm workload, 0-1
    village_hit: list[bool]  # covariate shock this month, per village
    active: bool  # a programme month
    programme_year: int  # -1 before the start
