"""Spending and saving as one compiled pass over households (:func:`sim.processes.savings.save_and_invest`).

One loop over households accrues interest, repays debt, sells surplus grain, gives to the
village's pool, spends beyond needs and buys animals, with the arithmetic of the numpy
version in the same order, so the numbers are identical to the last bit. What does not vary
within the pass (reserves, needs, herd room, prices paid) is computed by numpy before it.
Compiled with numba (``cache=True``); with ``NUMBA_DISABLE_JIT=1`` it runs as plain Python.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

FLOWS: tuple[tuple[str, str], ...] = (
    ("debt", "interest"),
    ("debt", "repayment"),
    ("cash", "debt_repayment"),
    ("grain", "sold"),
    ("cash", "grain_sales"),
    ("cash", "gifts_given"),
    ("cash", "diverse_food"),
    ("cash", "goods"),
    ("small_ruminants", "purchases"),
    ("poultry", "purchases"),
    ("cash", "animal_purchases"),
)
"""Ledger accounts and names of the rows of the pass's flows, in the order they are booked."""


class SavingConstants(NamedTuple):
    """Parameters of the pass that do not vary by household (units as in ``conf/``)."""

    interest_monthly: float  # informal credit, per month
    repay_share: float  # of cash above a month of survival spending
    horizon_months: float  # months of own needs kept: to the next harvest, plus the buffer
    millet_price: float  # the month's regional price, FCFA/kg
    discretionary_share: float  # of cash above the reserve, spent beyond needs
    gift_share: float  # of that spending, given to the village's pool
    kept_share: float  # 1 - gift_share
    diverse_food_share: float  # of the spending kept, on foods other than the staple
    diverse_food_price_ratio: float  # their cost per kcal over millet's
    max_kcal_adequacy: float
    invest_share: float  # of cash above the reserve, into animals (debt-free households)
    goat_price: float  # the month's regional price, FCFA/head
    poultry_price: float  # FCFA/bird
    tlu_small_ruminant: float
    tlu_poultry: float


@numba.njit(cache=True, nogil=True, error_model="numpy")  # inf and nan as numpy gives them
def save_month(  # pragma: no cover - compiled
    village,
    cash,
    debt,
    grain_kg,
    kcal_adequacy,
    sr_other,
    poultry,
    ceiling,
    survival,
    reserve,
    own_need,
    need,
    paid,
    room,
    birds_capacity,
    pool,
    c,
):
    """Spend, save and invest for every household.

    Parameters
    ----------
    village
        Village index per household.
    cash, debt, grain_kg, kcal_adequacy, sr_other, poultry
        Per household, FCFA, kg, share of needs and head; updated in place.
    ceiling
        Debt beyond which informal lenders stop charging, FCFA.
    survival, reserve
        A month of survival non-food spending, and the cash reserve, FCFA.
    own_need, need
        A month of the grain the household must provide itself, and of its whole need, kg.
    paid
        Millet price the household pays in its village, FCFA/kg.
    room, birds_capacity
        TLU the household could still add, and the birds its yard holds.
    pool
        Gifts to each village's pool this month, FCFA; added to in place.
    c
        :class:`SavingConstants`.

    Returns
    -------
    tuple
        Diverse foods bought (FCFA) and the flows of :data:`FLOWS` (one row each).
    """
    n = village.size
    diverse_food = np.empty(n)
    flows = np.empty((11, n))
    for i in range(n):
        d = debt[i]
        interest = min(d * c.interest_monthly, max(ceiling[i] - d, 0.0))
        d = d + interest
        money = cash[i]
        repay = min(d, c.repay_share * max(money - survival[i], 0.0))
        d = d - repay
        money = money - repay
        keep = own_need[i] * c.horizon_months
        surplus = max(grain_kg[i] - keep, 0.0)
        grain_kg[i] = grain_kg[i] - surplus
        earned = surplus * c.millet_price
        money = money + earned
        spend = c.discretionary_share * max(money - reserve[i], 0.0)
        gift = c.gift_share * spend
        money = money - gift
        pool[village[i]] += gift
        spend = spend * c.kept_share
        diverse = c.diverse_food_share * spend
        money = money - spend
        extra = diverse / (c.diverse_food_price_ratio * paid[i]) / need[i]
        k = kcal_adequacy[i]
        kcal_adequacy[i] = min(k + extra, max(k, c.max_kcal_adequacy))
        budget = c.invest_share * max(money - reserve[i], 0.0) * (1.0 if d <= 0 else 0.0)
        goats = int(min(np.floor(budget / c.goat_price), np.floor(room[i] / c.tlu_small_ruminant)))
        birds = 0
        if goats == 0:
            yard = max(float(birds_capacity[i] - poultry[i]), 0.0)
            birds = int(min(np.floor(budget / c.poultry_price), min(yard, room[i] / c.tlu_poultry)))
        bought = goats * c.goat_price + birds * c.poultry_price
        sr_other[i] += goats
        poultry[i] += birds
        cash[i] = money - bought
        debt[i] = d
        diverse_food[i] = diverse
        flows[0, i] = interest
        flows[1, i] = -repay
        flows[2, i] = -repay
        flows[3, i] = -surplus
        flows[4, i] = earned
        flows[5, i] = -gift
        flows[6, i] = -diverse
        flows[7, i] = -(spend - diverse)
        flows[8, i] = goats
        flows[9, i] = birds
        flows[10, i] = -bought
    return diverse_food, flows
