"""Solidarity: gifts from kin and neighbours of the same village to households in need.

Households give a share ``coping.gift_share`` of their spending beyond needs to a village
pool (zakat, sadaqa, help to kin: the rCSI's "help from a friend or relative", domain.md §3.2
[F]); the next month, the pool is shared among the village's households still short of
their survival needs after borrowing, in proportion to what they lack. Informal support of
this kind buffers idiosyncratic misfortune but fails when a covariate shock strikes the whole
village: givers have less to give while more households ask (domain.md §7 fact 13, Will et
al. 2021 [F]). The gifts are given in the saving pass (:mod:`sim.processes.savings_kernel`);
this module shares them out. Units: FCFA.
"""

from __future__ import annotations

import numpy as np

from sim.ledger import Ledger
from sim.policies.programme import safe_ratio
from sim.population import Population


def receive(pop: Population, need: np.ndarray, pool: np.ndarray, ledger: Ledger) -> np.ndarray:
    """Share each village's pool among its households in proportion to ``need`` (FCFA).

    Returns the cash each household received.
    """
    ask = np.maximum(need, 0.0)
    demand = np.bincount(pop.village, weights=ask, minlength=len(pool))
    ratio = safe_ratio(pool, demand).clip(0.0, 1.0)
    gift = ask * ratio[pop.village]
    pool -= np.bincount(pop.village, weights=gift, minlength=len(pool))
    np.maximum(pool, 0.0, out=pool)
    pop.cash += gift
    ledger.add("cash", "gifts_received", gift)
    return gift
