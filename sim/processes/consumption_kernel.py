"""Consumption as one compiled pass over households (:func:`sim.processes.consumption.consume`).

One loop over households feeds each from in-kind food, rations, its own stock and purchases
and pays the HEA spending thresholds in their order, with the arithmetic of the numpy version
in the same order, so the numbers are identical to the last bit. Needs and prices paid are
computed by numpy before the pass. Compiled with numba (``cache=True``); with
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


@numba.njit(cache=True, nogil=True, error_model="numpy")  # inf and nan as numpy gives them
def consume_month(  # pragma: no cover - compiled
    cash,
    grain_kg,
    size,
    land_ha,
    displaced,
    need,
    in_kind_share,
    rations_kg,
    bills,
    price,
    c,
):
    """Feed every household and pay its spending thresholds.

    Parameters
    ----------
    cash, grain_kg
        Per household, FCFA and kg; updated in place.
    size, land_ha, displaced
        Household members, land (ha) and whether the household is displaced.
    need, in_kind_share
        A month's grain needs (kg) and the share met by in-kind food.
    rations_kg, bills
        Food assistance received (kg) and bills due first (FCFA).
    price
        Millet price the household pays in its village, FCFA/kg.
    c
        :class:`ConsumptionConstants`.

    Returns
    -------
    tuple
        Food eaten (kg), survival and livelihood-protection spending left unpaid (FCFA),
        and the flows of :data:`FLOWS` (one row each).
    """
    n = cash.size
    eaten = np.empty(n)
    nonfood_short = np.empty(n)
    lp_short = np.empty(n)
    flows = np.zeros((10, n))
    for i in range(n):
        need_i = need[i]
        in_kind = in_kind_share[i] * need_i
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
        nonfood_short[i] = (due - paid_nonfood) + (bills[i] - paid_bills)
        kg = need_i - fed - own
        bought = min(kg, money / price[i])
        cost = min(bought * price[i], money)
        money = money - cost
        due = size[i] * c.livelihood_protection / 12
        paid_lp = min(money, due)
        money = money - paid_lp
        short = due - paid_lp
        paid_inputs = 0.0
        if c.input_month:
            due = land_ha[i] * c.inputs_per_ha
            paid_inputs = min(money, due)
            money = money - paid_inputs
            short = short + (due - paid_inputs)
        lp_short[i] = short
        cash[i] = money
        eaten[i] = fed + own + bought
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
    return eaten, nonfood_short, lp_short, flows
