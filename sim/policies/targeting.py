"""Targeting of programme households and formation of CdR groups.

The programme targets HEA very poor and poor households (domain.md §1.2, seed brief),
up to ``programme_households``, the most vulnerable first: very poor before poor, then
households with children under five (nutrition criteria), then the smallest herds. Ties are
broken at random (stream ``policy``). Half of the participants are women (domain.md §0).
Within each village, participants form groups of ``group_size``.
"""

from __future__ import annotations

import numpy as np

from sim.config import ModelConfig
from sim.population import Population, tlu


def target(pop: Population, cfg: ModelConfig, rng: np.random.Generator) -> None:
    """Set ``pop.targeted``, ``pop.woman`` and ``pop.group`` in place."""
    p = cfg.population
    tie = rng.random(pop.n)
    eligible = pop.wealth <= 1
    order = np.lexsort((tie, tlu(pop, cfg), pop.under5 == 0, pop.wealth))
    order = order[eligible[order]][: p.programme_households]
    pop.targeted[:] = False
    pop.targeted[order] = True
    pop.woman[:] = False
    pop.woman[order[rng.random(order.size) < p.woman_participant_share]] = True
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
