"""Targeting of programme households and formation of CdR groups.

The programme targets HEA very poor and poor households (``policy.targeting``; domain.md
§1.2, seed brief), up to ``households``, the most vulnerable first: poorer wealth groups
first, then (with ``nutrition_priority``) households with an acutely malnourished child, then
those with children under five (the proxy for pregnant and lactating women), then the
smallest herds. Ties are broken at random (stream ``policy``). A share ``woman_share`` of
participants are women (domain.md §0). Within each village, participants form groups of
about ``group_size``. Every package, ``none`` included, targets the same households.
"""

from __future__ import annotations

import numpy as np

from sim.config import ModelConfig
from sim.population import Population, tlu


def target(pop: Population, cfg: ModelConfig, rng: np.random.Generator) -> None:
    """Set ``pop.targeted``, ``pop.woman`` and ``pop.group`` in place."""
    p = cfg.policy.targeting
    tie = rng.random(pop.n)
    woman = rng.random(pop.n)
    eligible = pop.wealth <= p.max_wealth_group
    if p.nutrition_priority:
        malnourished = (pop.under5 > 0) & (pop.whz < cfg.indicators.gam_whz)
        need = np.where(malnourished, 0, np.where(pop.under5 > 0, 1, 2))
    else:
        need = np.zeros(pop.n, dtype=int)
    order = np.lexsort((tie, tlu(pop, cfg), need, pop.wealth))
    order = order[eligible[order]][: p.households]
    pop.targeted[:] = False
    pop.targeted[order] = True
    pop.woman[:] = False
    pop.woman[order[woman[order] < p.woman_share]] = True
    pop.group[:] = form_groups(pop.village, pop.targeted, p.group_size)


def form_groups(village: np.ndarray, member: np.ndarray, size: int) -> np.ndarray:
    """Group index per household (-1 for non-members): members of a village in groups of ``size``.

    A village's remainder smaller than half a group joins the village's last group.
    """
    groups = np.full(len(village), -1, dtype=np.int32)
    rows = np.flatnonzero(member)
    if rows.size == 0:
        return groups
    rows = rows[np.argsort(village[rows], kind="stable")]
    v = village[rows]
    starts = np.flatnonzero(np.r_[True, v[1:] != v[:-1]])
    counts = np.diff(np.r_[starts, rows.size])
    rank = np.arange(rows.size) - np.repeat(starts, counts)
    per_village = np.maximum(1, np.round(counts / size).astype(int))
    local = np.minimum(rank // size, np.repeat(per_village - 1, counts))
    offset = np.repeat(np.cumsum(per_village) - per_village, counts)
    groups[rows] = offset + local
    return groups
