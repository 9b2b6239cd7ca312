"""The herds' month as one compiled pass over households (:func:`sim.processes.livestock.update_herds`).

One loop over households does the births, deaths, maturation, normal offtake, milk and
destocking of :mod:`sim.processes.livestock`, with the arithmetic of its numpy version in the
same order, so the numbers are identical to the last bit. The binomial draws invert the same
uniforms (:func:`sim.draws.binomial_inverse`); their transcendental part, ``P(X = 0)``, comes from
tables numpy computes before the pass (:func:`sim.draws.pmf0_table`), one entry per village or
wealth group and count of animals. Compiled with numba (``cache=True``); with
``NUMBA_DISABLE_JIT=1`` it runs as plain Python.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from sim.draws import binomial_inverse

# rows of the per-village probability table (first phase, on the herds at the month's start)
SR_BIRTHS, SR_FEMALE_DEATHS, SR_OTHER_DEATHS, CATTLE_BIRTHS, CATTLE_DEATHS = range(5)
# rows of the table of probabilities common to all households
POULTRY_DEATHS, SR_OFFTAKE, SR_MATURATION, CATTLE_OFFTAKE, POULTRY_OFFTAKE = range(5)

FLOWS: tuple[tuple[str, str], ...] = (
    ("small_ruminants", "births"),
    ("small_ruminants", "deaths"),
    ("cattle", "births"),
    ("cattle", "deaths"),
    ("poultry", "births"),
    ("poultry", "deaths"),
    ("small_ruminants", "offtake"),
    ("cattle", "offtake"),
    ("poultry", "offtake"),
    ("cash", "offtake_sales"),
)
"""Ledger accounts and names of the rows of the pass's flows, in the order they are booked:
births and deaths (head), animals sold (head) and the cash they fetch (FCFA)."""

LOAN_FLOWS: tuple[tuple[str, str], ...] = (
    ("small_ruminants", "loan_return"),
    ("livestock_loan", "loan_return"),
    ("small_ruminants", "livestock_loan"),
    ("livestock_loan", "livestock_loan"),
)
"""Ledger accounts and names of the rows of :func:`lend_month`'s flows, in booking order."""


class HerdConstants(NamedTuple):
    """Parameters of the pass that do not vary by household (units as in ``conf/livestock``)."""

    milk_litres_small_ruminant: float
    cow_share: float
    milk_litres_cow: float
    milk_price: float
    goat_price_mean: float
    tlu_small_ruminant: float
    tlu_cattle: float
    tlu_poultry: float
    herd_cap_tlu_per_worker: float


@numba.njit(cache=True, nogil=True, error_model="numpy")
def herd_month(  # pragma: no cover - compiled
    village,
    wealth,
    workers,
    sr_female,
    sr_other,
    cattle,
    poultry,
    cash,
    u,
    rows,
    p_village,
    pmf0_village,
    p_hatch,
    pmf0_hatch,
    p_common,
    pmf0_common,
    fertility,
    received,
    goat_price,
    c,
):
    """Advance every herd by one month.

    Parameters
    ----------
    village, wealth, workers
        Per household: village index, wealth group, workers (persons).
    sr_female, cash
        Breeding females (head) and cash (FCFA), updated in place.
    sr_other, cattle, poultry
        Herds at the month's start, head (read only; the new herds are returned).
    u, rows
        The month's uniforms (:attr:`sim.draws.MonthDraws.uniform`) and the rows of those of
        the pass, in the order ``sr_births``, ``sr_female_deaths``, ``sr_other_deaths``,
        ``cattle_births``, ``cattle_deaths``, ``poultry_births``, ``poultry_deaths``,
        ``sr_offtake``, ``sr_maturation``, ``cattle_offtake``, ``poultry_offtake``.
    p_village, pmf0_village
        Probabilities per first-phase draw and village, and their ``P(X = 0)`` by count.
    p_hatch, pmf0_hatch
        Hatching probability per wealth group and flock size, and its ``P(X = 0)``.
    p_common, pmf0_common
        Probabilities of the draws common to all households, and their ``P(X = 0)`` by count.
    fertility
        Pasture's births multiplier per village.
    received
        Prices animals fetch per village, FCFA/head: rows goat, cattle, poultry.
    goat_price
        The month's regional goat price, FCFA/head.
    c
        :class:`HerdConstants`.

    Returns
    -------
    tuple
        New ``sr_other``, ``cattle``, ``poultry``, the month's home produce (FCFA) and the
        flows of :data:`FLOWS` (one row each, per household).
    """
    n = village.size
    new_other = np.empty(n, dtype=np.int64)
    new_cattle = np.empty(n, dtype=np.int64)
    new_poultry = np.empty(n, dtype=np.int64)
    home_produce = np.empty(n)
    flows = np.empty((10, n))
    for i in range(n):
        v = village[i]
        f, o, ca, po = sr_female[i], sr_other[i], cattle[i], poultry[i]
        births = _draw(f, p_village, pmf0_village, SR_BIRTHS, v, u[rows[0], i])
        dead_f = _draw(f, p_village, pmf0_village, SR_FEMALE_DEATHS, v, u[rows[1], i])
        dead_o = _draw(o, p_village, pmf0_village, SR_OTHER_DEATHS, v, u[rows[2], i])
        calves = _draw(ca, p_village, pmf0_village, CATTLE_BIRTHS, v, u[rows[3], i])
        dead_c = _draw(ca, p_village, pmf0_village, CATTLE_DEATHS, v, u[rows[4], i])
        w = wealth[i]
        hatched = binomial_inverse(po, p_hatch[w, po], u[rows[5], i], pmf0_hatch[w, po])
        dead_p = binomial_inverse(
            po, p_common[POULTRY_DEATHS], u[rows[6], i], pmf0_common[POULTRY_DEATHS, po]
        )
        other = o - dead_o
        ca = ca - dead_c
        po = po - dead_p
        sold_o = _common(other, p_common, pmf0_common, SR_OFFTAKE, u[rows[7], i])
        matured = _common(other, p_common, pmf0_common, SR_MATURATION, u[rows[8], i])
        sold_c = _common(ca, p_common, pmf0_common, CATTLE_OFFTAKE, u[rows[9], i])
        sold_p = _common(po, p_common, pmf0_common, POULTRY_OFFTAKE, u[rows[10], i])
        matured = min(matured, other - sold_o)  # an animal sold cannot also mature
        f = f + (matured - dead_f)
        o = other - sold_o - matured + births
        ca = ca - sold_c + calves
        po = po - sold_p + hatched
        flows[0, i] = births
        flows[1, i] = -(dead_f + dead_o)
        flows[2, i] = calves
        flows[3, i] = -dead_c
        flows[4, i] = hatched
        flows[5, i] = -dead_p
        litres = (f * c.milk_litres_small_ruminant + ca * c.cow_share * c.milk_litres_cow) / 12
        home_produce[i] = litres * fertility[v] * c.milk_price * goat_price / c.goat_price_mean
        # destocking above the herd capacity: sell others beyond what the workers can herd
        herd = c.tlu_small_ruminant * (f + o) + c.tlu_cattle * ca + c.tlu_poultry * po
        excess = herd - c.herd_cap_tlu_per_worker * workers[i]
        destock = int(min(o, np.ceil(max(excess, 0.0) / c.tlu_small_ruminant)))
        o -= destock
        sold_sr = sold_o + destock
        earned = sold_sr * received[0, v] + sold_c * received[1, v] + sold_p * received[2, v]
        flows[6, i] = -sold_sr
        flows[7, i] = -sold_c
        flows[8, i] = -sold_p
        flows[9, i] = earned
        cash[i] += earned
        sr_female[i] = f
        new_other[i], new_cattle[i], new_poultry[i] = o, ca, po
    return new_other, new_cattle, new_poultry, home_produce, flows


@numba.njit(cache=True, nogil=True)
def lend_month(sr_female, sr_other, loan, u, p):  # pragma: no cover - compiled
    """Livestock loans of the month (:func:`sim.processes.livestock.lend_and_return`).

    A household that owes a loan and has another animal returns one (head); then a household
    without breeding females and without a loan receives one when its uniform ``u`` is below
    the monthly probability ``p``. ``sr_female``, ``sr_other`` and ``loan`` (head owed) are
    updated in place.

    Returns
    -------
    numpy.ndarray
        The flows of :data:`LOAN_FLOWS` (head), one row each, per household.
    """
    n = sr_female.size
    flows = np.empty((4, n))
    for i in range(n):
        back = 1 if loan[i] > 0 and sr_other[i] > 0 else 0
        sr_other[i] -= back
        loan[i] -= back
        lent = 1 if sr_female[i] == 0 and loan[i] == 0 and u[i] < p else 0
        sr_female[i] += lent
        loan[i] += lent
        flows[0, i] = -back
        flows[1, i] = -back
        flows[2, i] = lent
        flows[3, i] = lent
    return flows


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _draw(n, p, pmf0, row, v, u):  # pragma: no cover - compiled
    return binomial_inverse(n, p[row, v], u, pmf0[row, v, n])


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _common(n, p, pmf0, row, u):  # pragma: no cover - compiled
    return binomial_inverse(n, p[row], u, pmf0[row, n])
