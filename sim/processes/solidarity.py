"""Solidarity: gifts from kin and neighbours of the same village to households in need.

Households give a share ``coping.gift_share`` of their spending beyond needs to a village
pool (zakat, sadaqa, help to kin: the rCSI's "help from a friend or relative", domain.md §3.2
[F]); the next month, the pool is shared among the village's households still short of
their survival needs after borrowing, in proportion to what they lack. Informal support of
this kind buffers idiosyncratic misfortune but fails when a covariate shock strikes the whole
village: givers have less to give while more households ask (domain.md §7 fact 13, Will et
al. 2021 [F]). The gifts are given in the saving pass (:mod:`sim.processes.savings_kernel`)
and received in the coping pass (:func:`sim.processes.coping_kernel.after_loans`), which
gives each household ``ask × shares(pool, demand)[village]`` and takes what it gave from the
pool. Units: FCFA.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.kernels import clip01, ratio_or_zero


@numba.njit(cache=True, nogil=True, error_model="numpy")
def shares(pool, demand):  # pragma: no cover - compiled
    """Share of what its households ask that each village's pool gives, 0 to 1.

    ``pool / demand`` (0 where nobody asks), clipped to [0, 1] as numpy's ``clip`` does.
    """
    given = np.empty(pool.size)
    for v in range(pool.size):
        given[v] = clip01(ratio_or_zero(pool[v], demand[v]))
    return given
