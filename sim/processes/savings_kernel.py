"""Spending and saving as one compiled pass over households (:func:`sim.processes.savings.save_and_invest`).

One loop over households accrues interest, repays debt, sells surplus grain, gives to the
village's pool, spends beyond needs, buys animals and values the month's consumption, with
the arithmetic of the numpy version in the same order (reserves, needs and prices paid
included), so the numbers are identical to the last bit. The herd room is computed by numpy
before it. Compiled with numba (``cache=True``); with ``NUMBA_DISABLE_JIT=1`` it runs as
plain Python.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from sim.processes.consumption_kernel import NeedConstants, need_kg

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
    discretionary_share: float  # of cash above the reserve, spent beyond needs
    gift_share: float  # of that spending, given to the village's pool
    kept_share: float  # 1 - gift_share
    diverse_food_share: float  # of the spending kept, on foods other than the staple
    diverse_food_price_ratio: float  # their cost per kcal over millet's
    max_kcal_adequacy: float
    invest_share: float  # of cash above the reserve, into animals (debt-free households)
    tlu_small_ruminant: float
    tlu_poultry: float
    debt_ceiling: float  # multiple of the credit limit beyond which lenders stop charging
    survival_nonfood: float  # FCFA/person/yr
    reserve_basket: float  # survival non-food plus livelihood protection, FCFA/person/yr
    cash_reserve_months: float
    need: NeedConstants


@numba.njit(cache=True, nogil=True, error_model="numpy")  # inf and nan as numpy gives them
def save_month(  # pragma: no cover - compiled
    village,
    wealth,
    size,
    workers,
    children,
    cash,
    debt,
    grain_kg,
    kcal_adequacy,
    sr_other,
    poultry,
    home_produce,
    credit_limit,
    in_kind_share,
    poultry_capacity,
    millet_paid,
    room,
    eaten,
    spent,
    goods_booked,
    pool,
    millet_price,
    goat_price,
    poultry_price,
    c,
):
    """Spend, save and invest for every household; value its month's consumption.

    Parameters
    ----------
    village, wealth
        Village and wealth group of each household.
    size, workers, children
        Household members.
    cash, debt, grain_kg, kcal_adequacy, sr_other, poultry
        Per household, FCFA, kg, share of needs and head; updated in place.
    home_produce
        Home produce eaten this month, FCFA.
    credit_limit, in_kind_share, poultry_capacity
        By wealth group: informal credit limit (FCFA), the share of needs met in kind, and
        the birds a yard holds.
    millet_paid
        Each village's millet price paid, FCFA/kg (diverse foods cost more in conflict).
    room
        TLU the household could still add.
    eaten, spent, goods_booked
        The month's staple eaten by source (kg), non-food spending (FCFA, negative) and
        goods bought beyond needs, as booked so far (tuples of the flows of
        :data:`~sim.processes.savings.FOOD_SOURCES` and of the others of
        :data:`~sim.processes.savings.NONFOOD_SPENDING`; 0 where not booked).
    pool
        Gifts to each village's pool this month, FCFA; added to in place.
    millet_price, goat_price, poultry_price
        The month's regional prices, FCFA/kg and FCFA/head.
    c
        :class:`SavingConstants`.

    Returns
    -------
    tuple
        Diverse foods bought and the month's consumption (FCFA), and the flows of
        :data:`FLOWS` (one row each).
    """
    n = village.size
    diverse_food = np.empty(n)
    flows = np.empty((11, n))
    needs = np.empty(n)
    survivals = np.empty(n)
    reserves = np.empty(n)
    for i in range(n):  # a short loop of its own: the processor takes several at once
        needs[i] = need_kg(workers[i], children[i], c.need)
        survivals[i] = size[i] * c.survival_nonfood / 12
        reserves[i] = c.cash_reserve_months * (size[i] * c.reserve_basket / 12)
    for i in range(n):
        w = wealth[i]
        need, survival, reserve = needs[i], survivals[i], reserves[i]
        d = debt[i]
        interest = min(d * c.interest_monthly, max(c.debt_ceiling * credit_limit[w] - d, 0.0))
        d = d + interest
        money = cash[i]
        repay = min(d, c.repay_share * max(money - survival, 0.0))
        d = d - repay
        money = money - repay
        keep = need * (1 - in_kind_share[w]) * c.horizon_months
        surplus = max(grain_kg[i] - keep, 0.0)
        grain_kg[i] = grain_kg[i] - surplus
        earned = surplus * millet_price
        money = money + earned
        spend = c.discretionary_share * max(money - reserve, 0.0)
        gift = c.gift_share * spend
        money = money - gift
        pool[village[i]] += gift
        spend = spend * c.kept_share
        diverse = c.diverse_food_share * spend
        money = money - spend
        extra = diverse / (c.diverse_food_price_ratio * millet_paid[village[i]]) / need
        k = kcal_adequacy[i]
        kcal_adequacy[i] = min(k + extra, max(k, c.max_kcal_adequacy))
        budget = c.invest_share * max(money - reserve, 0.0) * (1.0 if d <= 0 else 0.0)
        goats = int(min(np.floor(budget / goat_price), np.floor(room[i] / c.tlu_small_ruminant)))
        birds = 0
        if goats == 0:
            yard = max(float(poultry_capacity[w] - poultry[i]), 0.0)
            birds = int(min(np.floor(budget / poultry_price), min(yard, room[i] / c.tlu_poultry)))
        bought = goats * goat_price + birds * poultry_price
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
    # the month's consumption: sums of the flows in the order savings.py lists them
    food = np.zeros(n)
    for row in numba.literal_unroll(eaten):
        for i in range(n):
            food[i] = food[i] + row[i]
    nonfood = np.zeros(n)
    for row in numba.literal_unroll(spent):
        for i in range(n):
            nonfood[i] = nonfood[i] + row[i]
    consumption = np.empty(n)
    for i in range(n):
        spending = -(nonfood[i] + (goods_booked[i] + flows[7, i]))
        consumption[i] = food[i] * millet_price + home_produce[i] + diverse_food[i] + spending
    return diverse_food, consumption, flows
