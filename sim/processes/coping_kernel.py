"""The coping hierarchy (:func:`sim.processes.coping.cope`) as two compiled calls.

:func:`eat_less` is step 0, before the group loans (:func:`sim.policies.financial.lend`, which
cross households of a group); :func:`after_loans` is the rest of the month's coping: informal
credit, the village's gifts (:func:`sim.processes.solidarity.shares`), sales of small stock,
paying and buying with cash, asset smoothing, sales of breeding stock, the emergency
strategies and the month's deficits, as a few loops over households (one a step: short
loops keep the processor busy on several households at once). Each does the arithmetic of
the numpy expressions it replaced, in the same order, so the numbers are identical to the
last bit; the gifts' shares per village sit between the loop that asks for them and the
loop that receives them. Animals are sold at the prices they fetch in the village, and food
bought at the price paid there (:meth:`sim.world.World.local_prices`: the month's regional
price times the village's conflict factor), as the herds' offtake is sold
(:mod:`sim.processes.livestock_kernel`). Compiled with numba (``cache=True``); with
``NUMBA_DISABLE_JIT=1`` they run as plain Python.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from sim.processes.solidarity import shares

STRESS, CRISIS, EMERGENCY = 1, 2, 3

SALE_ACCOUNTS = ("small_ruminants", "cattle", "poultry", "cash")
"""Accounts of the rows of a step's sales: animals sold (head, negative), cash received (FCFA)."""


def _sales(step: str) -> tuple[tuple[str, str], ...]:
    return tuple((a, f"{step}_sales" if a == "cash" else step) for a in SALE_ACCOUNTS)


FLOWS: tuple[tuple[str, str], ...] = (
    (("debt", "borrowing"), ("cash", "borrowing"), ("cash", "gifts_received"))
    + _sales("stress")
    + _sales("crisis")
    + (("food", "begging"),)
    + _sales("emergency")
)
"""Ledger accounts and names of the rows of :func:`after_loans`' flows, in booking order."""

_N_FLOWS = len(FLOWS)

RUNNING: tuple[tuple[str, str], ...] = (
    ("cash", "survival_nonfood"),
    ("cash", "food_purchases"),
    ("food", "bought"),
    ("cash", "livelihood_protection"),
)
"""Flows consumption booked first, to which coping's payments and purchases are added."""


class CopingConstants(NamedTuple):
    """Parameters of :func:`after_loans` that do not vary by household (``conf/coping``)."""

    protected_females: int  # breeding females a household protects by eating less
    smoothing_cut: float  # share of needs forgone to protect them
    last_females: int  # breeding females sold only in an emergency
    floor: float  # energy adequacy below which begging and migration fill the gap
    tolerance: float  # share of needs unmet that counts as no deficit


_jit = numba.njit(cache=True, nogil=True, error_model="numpy")
_inline = numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")


@_inline
def _heads(stock, gap, price):  # pragma: no cover - compiled
    """Whole animals to sell from ``stock`` to raise ``gap`` FCFA at ``price`` FCFA/head."""
    return int(min(stock, np.ceil(max(gap, 0.0) / price)))


@_jit
def eat_less(
    food_kg, need_kg, nonfood, livelihood, village, millet_paid, ration_cut
):  # pragma: no cover - compiled
    """Step 0: forgo up to ``ration_cut`` of needs; return the gap and the price paid.

    ``food_kg`` (the food still missing) is updated in place. The gap is the survival
    spending (food at the village's price, ``millet_paid``, and non-food, FCFA) plus the
    livelihood protection still unpaid.
    """
    n = food_kg.size
    gap = np.empty(n)
    price = np.empty(n)
    for i in range(n):
        p = millet_paid[village[i]]
        missing = food_kg[i] - min(food_kg[i], ration_cut * need_kg[i])
        food_kg[i] = missing
        gap[i] = nonfood[i] + missing * p + livelihood[i]
        price[i] = p
    return gap, price


@_jit
def _borrow(  # pragma: no cover - compiled
    gap, group_loan, limit, wealth, debt, cash, nonfood, food_kg, price, village, demand
):
    """Step 1a: informal credit up to the group's ``limit`` on the gap left by the group loan.

    ``gap``, ``debt`` and ``cash`` are updated in place; each household's ask of the
    village's gifts (the gap, at most its survival spending, not below 0) is added to its
    village's ``demand``. Returns the loans and the asks.
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
        a = max(min(g, nonfood[i] + food_kg[i] * price[i]), 0.0)
        ask[i] = a
        demand[village[i]] += a
    return loan, ask


@_jit
def after_loans(  # pragma: no cover - compiled
    gap,
    group_loan,
    limit,
    wealth,
    village,
    debt,
    cash,
    sr_other,
    poultry,
    sr_female,
    cattle,
    food_kg,
    eaten_kg,
    need_kg,
    nonfood,
    livelihood,
    price,
    goat_price,
    cattle_price,
    poultry_price,
    received,
    pool,
    started,
    c,
):
    """Steps 1 to 4 of the hierarchy and the month's deficits, for every household.

    Parameters
    ----------
    gap, group_loan
        The gap after eating less and the group loan received, FCFA.
    limit
        Informal credit limit by wealth group, FCFA.
    wealth, village
        Wealth group and village of each household.
    debt, cash, sr_other, poultry, sr_female, cattle
        Per household, FCFA and head; updated in place.
    food_kg, eaten_kg, need_kg
        Food still missing, eaten so far and needed, kg; the first two updated in place.
    nonfood, livelihood
        Survival and livelihood-protection spending unpaid, FCFA; updated in place.
    price
        Millet price paid in the household's village, FCFA/kg.
    goat_price, cattle_price, poultry_price
        The month's regional prices of animals, FCFA/head.
    received
        Each village's share of the regional price its animals fetch.
    pool
        Each village's gifts for households in need, FCFA; what is given is taken from it.
    started
        The flows of :data:`RUNNING` booked so far this month (a tuple; ``-0.0``, the sum's
        neutral element, for a flow not yet booked).
    c
        :class:`CopingConstants`.

    Returns
    -------
    tuple
        The coping level (0-3), the flows of :data:`FLOWS` and the month's totals of the
        flows of :data:`RUNNING` (one row each), energy adequacy, and survival and
        livelihood-protection deficits.
    """
    n = gap.size
    demand = np.zeros(pool.size)
    loan, ask = _borrow(
        gap, group_loan, limit, wealth, debt, cash, nonfood, food_kg, price, village, demand
    )
    ratio = shares(pool, demand)
    local = np.empty((3, pool.size))  # what animals fetch in each village: goat, cattle, poultry
    for v in range(pool.size):
        local[0, v] = goat_price * received[v]
        local[1, v] = cattle_price * received[v]
        local[2, v] = poultry_price * received[v]
    given = np.zeros(pool.size)
    level = np.empty(n, dtype=np.int8)
    flows = np.empty((_N_FLOWS, n))
    totals = np.empty((len(started), n))
    r = 0
    for row in numba.literal_unroll(started):
        totals[r] = row
        r += 1
    state = (cash, nonfood, food_kg, eaten_kg, price, level, flows, totals)
    _stress(state, village, local, gap, loan, group_loan, ask, ratio, given, sr_other, poultry)
    _spend_livelihood(cash, livelihood, totals)
    _crisis(state, village, local, need_kg, sr_female, cattle, c)
    kcal, survival, protection = _emergency(
        state, village, local, need_kg, sr_female, livelihood, c
    )
    for v in range(pool.size):
        pool[v] = max(pool[v] - given[v], 0.0)
    return level, flows, totals, kcal, survival, protection


@_jit
def _stress(
    state, village, local, gap, loan, group_loan, ask, ratio, given, sr_other, poultry
):  # pragma: no cover - compiled
    """Step 1b: the village's gifts, then non-breeding small stock and poultry; spending.

    ``state`` holds cash, non-food spending unpaid, food lacking, food eaten, the price paid,
    the level, the flows and the running totals (:func:`after_loans`).
    """
    cash, nonfood, food_kg, eaten_kg, price, level, flows, totals = state
    for i in range(cash.size):
        v = village[i]
        goat, cows_price, birds_price = local[0, v], local[1, v], local[2, v]
        money = cash[i]
        gift = ask[i] * ratio[v]
        given[v] += gift
        money += gift
        g = gap[i] - gift
        sr = _heads(sr_other[i], g, goat)
        sr_other[i] -= sr
        g -= sr * goat
        birds = _heads(poultry[i], g, birds_price)
        poultry[i] -= birds
        earned = sr * goat + 0 * cows_price + birds * birds_price
        money += earned
        flows[0, i], flows[1, i], flows[2, i] = loan[i], loan[i], gift
        flows[3, i], flows[4, i], flows[5, i], flows[6, i] = -sr, 0.0, -birds, earned
        level[i] = STRESS if group_loan[i] > 0 or loan[i] > 0 or sr > 0 or birds > 0 else 0
        cash[i] = money
        _spend(i, state)


@_inline
def _spend(i, state):  # pragma: no cover - compiled
    """Household ``i`` pays its survival spending with cash, then buys the food it lacks."""
    cash, nonfood, food_kg, eaten_kg, price, level, flows, totals = state
    money, p = cash[i], price[i]
    paid = min(money, nonfood[i])
    money = money - paid
    totals[0, i] = totals[0, i] + -paid
    nonfood[i] = nonfood[i] - paid
    bought = min(food_kg[i], money / p)
    cost = min(bought * p, money)  # never more than the cash held (rounding)
    money = money - cost
    totals[1, i] = totals[1, i] + -cost
    totals[2, i] = totals[2, i] + bought
    eaten_kg[i] = eaten_kg[i] + bought
    food_kg[i] = food_kg[i] - bought
    cash[i] = money


@_jit
def _spend_livelihood(cash, livelihood, totals):  # pragma: no cover - compiled
    """Pay livelihood protection with the cash left after survival spending."""
    for i in range(cash.size):
        paid = min(cash[i], livelihood[i])
        cash[i] = cash[i] - paid
        totals[3, i] = totals[3, i] + -paid
        livelihood[i] = livelihood[i] - paid


@_jit
def _crisis(state, village, local, need_kg, sr_female, cattle, c):  # pragma: no cover - compiled
    """Steps 2 and 3: asset smoothing, then breeding females beyond the last few and cattle."""
    cash, nonfood, food_kg, eaten_kg, price, level, flows, totals = state
    for i in range(cash.size):
        v = village[i]
        goat, cows_price, birds_price = local[0, v], local[1, v], local[2, v]
        females_held = sr_female[i]
        lacking = food_kg[i]
        cut = (
            min(lacking, c.smoothing_cut * need_kg[i])
            if females_held <= c.protected_females
            else 0.0
        )
        lacking = lacking - cut
        food_kg[i] = lacking
        g = nonfood[i] + lacking * price[i] - cash[i]
        females = _heads(max(females_held - c.last_females, 0), g, goat)
        g -= females * goat
        cows = _heads(cattle[i], g, cows_price)
        sr_female[i] = females_held - females
        cattle[i] -= cows
        earned = females * goat + cows * cows_price + 0 * birds_price
        cash[i] += earned
        flows[7, i], flows[8, i], flows[9, i], flows[10, i] = -females, -cows, 0.0, earned
        if females > 0 or cows > 0:
            level[i] = CRISIS
        _spend(i, state)


@_jit
def _emergency(
    state, village, local, need_kg, sr_female, livelihood, c
):  # pragma: no cover - compiled
    """Step 4, then the month's energy adequacy and survival and protection deficits.

    Below the floor, begging and members' migration fill the food gap; the last breeding
    females are sold only for survival spending nothing else can pay.
    """
    cash, nonfood, food_kg, eaten_kg, price, level, flows, totals = state
    n = cash.size
    kcal = np.empty(n)
    survival = np.empty(n, dtype=np.bool_)
    protection = np.empty(n, dtype=np.bool_)
    for i in range(n):
        v = village[i]
        goat, cows_price, birds_price = local[0, v], local[1, v], local[2, v]
        need, money, unpaid = need_kg[i], cash[i], nonfood[i]
        begged = max(c.floor * need - eaten_kg[i], 0.0)
        eaten = eaten_kg[i] + begged
        food_kg[i] = max(food_kg[i] - begged, 0.0)
        last = _heads(sr_female[i], unpaid - money, goat)
        sr_female[i] -= last
        earned = last * goat + 0 * cows_price + 0 * birds_price
        money += earned
        flows[11, i] = begged
        flows[12, i], flows[13, i], flows[14, i], flows[15, i] = -last, 0.0, 0.0, earned
        if begged > 0 or last > 0:
            level[i] = EMERGENCY
        paid = min(money, unpaid)
        money = money - paid
        totals[0, i] = totals[0, i] + -paid
        unpaid = unpaid - paid
        cash[i], nonfood[i], eaten_kg[i] = money, unpaid, eaten
        adequacy = eaten / need
        allowed = c.tolerance * need * price[i]
        kcal[i] = adequacy
        survival[i] = adequacy < 1 - c.tolerance or unpaid > allowed
        protection[i] = survival[i] or livelihood[i] > allowed
    return kcal, survival, protection
