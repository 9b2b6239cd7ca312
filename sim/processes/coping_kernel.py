"""The steps of the coping hierarchy (:func:`sim.processes.coping.cope`) as compiled passes.

Each function is one loop over households doing a step of the hierarchy between the calls
that cross households or belong to other processes (group loans, the village's gifts,
paying and buying food): the arithmetic of the numpy expressions it replaced, in the same
order, so the numbers are identical to the last bit. Animals are sold at the prices they
fetch in the village (:meth:`sim.world.World.local_prices`), as the herds' offtake is sold
(:mod:`sim.processes.livestock_kernel`). Compiled with numba
(``cache=True``); with ``NUMBA_DISABLE_JIT=1`` they run as plain Python.
"""

from __future__ import annotations

import numba
import numpy as np

STRESS, CRISIS, EMERGENCY = 1, 2, 3

SALE_ACCOUNTS = ("small_ruminants", "cattle", "poultry", "cash")
"""Accounts of the rows of a step's sales: animals sold (head, negative), cash received (FCFA)."""

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")


@_jit
def _heads(stock, gap, price):  # pragma: no cover - compiled
    """Whole animals to sell from ``stock`` to raise ``gap`` FCFA at ``price`` FCFA/head."""
    return int(min(stock, np.ceil(max(gap, 0.0) / price)))


@_jit
def eat_less(food_kg, need_kg, nonfood, livelihood, price, ration_cut):  # pragma: no cover
    """Step 0: forgo up to ``ration_cut`` of needs; return the food still missing and the gap.

    The gap is the survival spending (food at ``price`` and non-food, FCFA) plus the
    livelihood protection still unpaid.
    """
    n = food_kg.size
    missing = np.empty(n)
    gap = np.empty(n)
    for i in range(n):
        missing[i] = food_kg[i] - min(food_kg[i], ration_cut * need_kg[i])
        gap[i] = nonfood[i] + missing[i] * price[i] + livelihood[i]
    return missing, gap


@_jit
def borrow(
    gap, group_loan, limit, wealth, debt, cash, nonfood, food_kg, price
):  # pragma: no cover - compiled
    """Step 1a: informal credit up to the group's ``limit`` on the gap left by the group loan.

    ``gap``, ``debt`` and ``cash`` are updated in place. Returns the loans and what each
    household asks of the village's gifts (the gap, at most its survival spending).
    """
    n = gap.size
    loan = np.empty(n)
    ask = np.empty(n)
    for i in range(n):
        g = gap[i] - group_loan[i]
        x = min(max(limit[wealth[i]] - debt[i], 0.0), g)
        debt[i] += x
        cash[i] += x
        g -= x
        gap[i] = g
        loan[i] = x
        ask[i] = min(g, nonfood[i] + food_kg[i] * price[i])
    return loan, ask


@_jit
def sell_small_stock(
    gap, gift, group_loan, loan, sr_other, poultry, cash, village, received, level
):  # pragma: no cover - compiled
    """Step 1b: sell non-breeding small stock, then poultry, for the gap the gifts left.

    Herds, ``cash`` and ``level`` (stress where any stress strategy was used) are updated in
    place. ``received`` holds the prices animals fetch per village (rows goat, cattle,
    poultry). Returns the sales (:data:`SALE_ACCOUNTS`).
    """
    n = gap.size
    sales = np.empty((4, n))
    for i in range(n):
        v = village[i]
        goat, cattle, birds_price = received[0, v], received[1, v], received[2, v]
        g = gap[i] - gift[i]
        sr = _heads(sr_other[i], g, goat)
        sr_other[i] -= sr
        g -= sr * goat
        birds = _heads(poultry[i], g, birds_price)
        poultry[i] -= birds
        earned = sr * goat + 0 * cattle + birds * birds_price
        cash[i] += earned
        sales[0, i], sales[1, i], sales[2, i], sales[3, i] = -sr, 0.0, -birds, earned
        if group_loan[i] > 0 or loan[i] > 0 or sr > 0 or birds > 0:
            level[i] = STRESS
    return sales


@_jit
def sell_breeding_stock(
    food_kg,
    need_kg,
    nonfood,
    price,
    sr_female,
    cattle,
    cash,
    village,
    received,
    level,
    protected_females,
    smoothing_cut,
    last_females,
):  # pragma: no cover - compiled
    """Steps 2 and 3: asset smoothing, then breeding females beyond the last few and cattle.

    A household with no more than ``protected_females`` eats less again (up to
    ``smoothing_cut`` of needs); then animals are sold for the survival spending cash cannot
    pay. Herds, ``cash`` and ``level`` (crisis) are updated in place. Returns the food still
    missing and the sales (:data:`SALE_ACCOUNTS`).
    """
    n = food_kg.size
    missing = np.empty(n)
    sales = np.empty((4, n))
    for i in range(n):
        v = village[i]
        goat, cattle_price, birds_price = received[0, v], received[1, v], received[2, v]
        cut = (
            min(food_kg[i], smoothing_cut * need_kg[i])
            if sr_female[i] <= protected_females
            else 0.0
        )
        missing[i] = food_kg[i] - cut
        g = nonfood[i] + missing[i] * price[i] - cash[i]
        females = _heads(max(sr_female[i] - last_females, 0), g, goat)
        g -= females * goat
        cows = _heads(cattle[i], g, cattle_price)
        sr_female[i] -= females
        cattle[i] -= cows
        earned = females * goat + cows * cattle_price + 0 * birds_price
        cash[i] += earned
        sales[0, i], sales[1, i], sales[2, i], sales[3, i] = -females, -cows, 0.0, earned
        if females > 0 or cows > 0:
            level[i] = CRISIS
    return missing, sales


@_jit
def emergency(
    food_kg, eaten_kg, need_kg, nonfood, sr_female, cash, village, received, level, floor
):  # pragma: no cover - compiled
    """Step 4: begging and migration fill the food gap below ``floor`` of needs.

    The last breeding females are sold for the survival spending cash cannot pay.
    ``sr_female``, ``cash`` and ``level`` (emergency) are updated in place. Returns the food
    given (kg), the food eaten and still missing (kg) and the sales (:data:`SALE_ACCOUNTS`).
    """
    n = food_kg.size
    gift = np.empty(n)
    eaten = np.empty(n)
    missing = np.empty(n)
    sales = np.empty((4, n))
    for i in range(n):
        v = village[i]
        goat, cattle_price, birds_price = received[0, v], received[1, v], received[2, v]
        given = max(floor * need_kg[i] - eaten_kg[i], 0.0)
        gift[i] = given
        eaten[i] = eaten_kg[i] + given
        missing[i] = max(food_kg[i] - given, 0.0)
        last = _heads(sr_female[i], nonfood[i] - cash[i], goat)
        sr_female[i] -= last
        earned = last * goat + 0 * cattle_price + 0 * birds_price
        cash[i] += earned
        sales[0, i], sales[1, i], sales[2, i], sales[3, i] = -last, 0.0, 0.0, earned
        if given > 0 or last > 0:
            level[i] = EMERGENCY
    return gift, eaten, missing, sales


@_jit
def deficits(eaten_kg, need_kg, nonfood, livelihood, price, tol):  # pragma: no cover
    """Energy adequacy, and survival and livelihood-protection deficits, per household."""
    n = eaten_kg.size
    kcal = np.empty(n)
    survival = np.empty(n, dtype=np.bool_)
    protection = np.empty(n, dtype=np.bool_)
    for i in range(n):
        kcal[i] = eaten_kg[i] / need_kg[i]
        allowed = tol * need_kg[i] * price[i]
        survival[i] = kcal[i] < 1 - tol or nonfood[i] > allowed
        protection[i] = survival[i] or livelihood[i] > allowed
    return kcal, survival, protection
