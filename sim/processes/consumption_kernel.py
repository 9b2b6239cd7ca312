"""Consumption as one compiled pass over households (:func:`sim.processes.consumption.consume`).

One loop over households feeds each from in-kind food, rations, its own stock and purchases
and pays the HEA spending thresholds in their order, with the arithmetic of the numpy version
in the same order (needs and prices paid included), so the numbers are identical to the last
bit. Compiled with numba (``cache=True``); with
``NUMBA_DISABLE_JIT=1`` it runs as plain Python.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

FLOWS: tuple[tuple[str, str], ...] = (
    ("food", "in_kind"),
    ("food", "rations"),
    ("grain", "eaten"),
    ("food", "own"),
    ("cash", "shock_bills"),
    ("cash", "survival_nonfood"),
    ("cash", "food_purchases"),
    ("food", "bought"),
    ("cash", "livelihood_protection"),
    ("cash", "farm_inputs"),
)
"""Ledger accounts and names of the rows of the pass's flows, in the order they are booked
(``farm_inputs`` only in the input month)."""


class ConsumptionConstants(NamedTuple):
    """Parameters of the pass that do not vary by household (units as in ``conf/``)."""

    displaced_in_kind_factor: float
    survival_nonfood: float  # FCFA/person/yr
    displaced_shelter_cost: float  # FCFA/person/yr
    livelihood_protection: float  # FCFA/person/yr
    inputs_per_ha: float  # FCFA/ha, paid in the input month
    input_month: bool  # whether this is the month inputs are bought


class NeedConstants(NamedTuple):
    """How a household's members add up to a month's grain needs (``conf/consumption``)."""

    child_weight: float  # a child's energy needs over an adult's
    average: float  # the population's average person in adult equivalents
    kcal_per_person_day: float
    days_per_month: float
    kcal_per_kg: float


_jit = numba.njit(cache=True, nogil=True, error_model="numpy")  # inf and nan as numpy gives them


@_jit
def need_kg(workers, children, k):  # pragma: no cover - compiled
    """Grain a household needs for a month, kg, as :func:`sim.population.household_need_kg`.

    ``k`` is a :class:`NeedConstants`; the arithmetic is the numpy version's, in its order.
    """
    persons = (workers + k.child_weight * children) / k.average
    return persons * k.kcal_per_person_day * k.days_per_month / k.kcal_per_kg


@_jit
def consume_month(  # pragma: no cover - compiled
    cash,
    grain_kg,
    size,
    workers,
    children,
    land_ha,
    displaced,
    wealth,
    village,
    in_kind_share,
    rations_kg,
    bills,
    millet_paid,
    c,
    k,
):
    """Feed every household and pay its spending thresholds.

    Parameters
    ----------
    cash, grain_kg
        Per household, FCFA and kg; updated in place.
    size, workers, children, land_ha, displaced
        Household members, land (ha) and whether the household is displaced.
    wealth, village
        Wealth group and village of each household.
    in_kind_share
        By wealth group, the share of needs met by in-kind food.
    rations_kg, bills
        Food assistance received (kg) and bills due first (FCFA).
    millet_paid
        Millet price paid in each village, FCFA/kg.
    c, k
        :class:`ConsumptionConstants` and :class:`NeedConstants`.

    Returns
    -------
    tuple
        The shortfall, one row each: needs, food eaten and still missing (kg), survival and
        livelihood-protection spending left unpaid (FCFA); and the flows of :data:`FLOWS`
        (one row each).
    """
    n = cash.size
    short = np.empty((5, n))
    flows = np.zeros((10, n))
    for i in range(n):  # a short loop of its own: the processor takes several at once
        short[0, i] = need_kg(workers[i], children[i], k)
    for i in range(n):
        need_i = short[0, i]
        price = millet_paid[village[i]]
        in_kind = in_kind_share[wealth[i]] * need_i
        in_kind = in_kind * (c.displaced_in_kind_factor if displaced[i] else 1.0)
        rations = min(rations_kg[i], need_i - in_kind)
        fed = in_kind + rations
        own = min(grain_kg[i], need_i - fed)
        grain_kg[i] = grain_kg[i] - own
        money = cash[i]
        paid_bills = min(money, bills[i])
        money = money - paid_bills
        due = size[i] * c.survival_nonfood / 12
        due = due + (size[i] if displaced[i] else 0) * c.displaced_shelter_cost / 12
        paid_nonfood = min(money, due)
        money = money - paid_nonfood
        nonfood_short = (due - paid_nonfood) + (bills[i] - paid_bills)
        kg = need_i - fed - own
        bought = min(kg, money / price)
        cost = min(bought * price, money)
        money = money - cost
        due = size[i] * c.livelihood_protection / 12
        paid_lp = min(money, due)
        money = money - paid_lp
        lp_short = due - paid_lp
        paid_inputs = 0.0
        if c.input_month:
            due = land_ha[i] * c.inputs_per_ha
            paid_inputs = min(money, due)
            money = money - paid_inputs
            lp_short = lp_short + (due - paid_inputs)
        cash[i] = money
        eaten = fed + own + bought
        short[1, i] = eaten
        short[2, i] = max(need_i - eaten, 0.0)
        short[3, i] = nonfood_short
        short[4, i] = lp_short
        flows[0, i] = in_kind
        flows[1, i] = rations
        flows[2, i] = -own
        flows[3, i] = own
        flows[4, i] = -paid_bills
        flows[5, i] = -paid_nonfood
        flows[6, i] = -cost
        flows[7, i] = bought
        flows[8, i] = -paid_lp
        flows[9, i] = -paid_inputs
    return short, flows
