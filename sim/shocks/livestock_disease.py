"""Livestock epizootics: PPR in small ruminants and Newcastle disease in poultry.

Outbreaks strike single villages: each village-year has an outbreak with probability
``ppr_probability`` (``newcastle_probability``) in a random month, killing a random share
of the village's small ruminants (poultry) between the min and max mortality. A scheduled
epizootic strikes ``scheduled_village_share`` of the villages, both diseases, at
``severity × max mortality``; so does an epizootic of a replay file, in the villages and
months it gives (the years it covers have no random outbreak). Sources: domain.md §5.3
(PPR 20-50%, Newcastle 50-100% [R]).
"""

from __future__ import annotations

import numpy as np

from sim.config import LivestockDiseaseConfig, ModelConfig
from sim.draws import MonthDraws, binomial_quantile
from sim.ledger import Ledger
from sim.population import Population
from sim.shocks.common import EventRows


def draw(
    cfg: LivestockDiseaseConfig,
    model: ModelConfig,
    calendar,
    villages: int,
    schedule,
    rng: np.random.Generator,
    *,
    replayed: np.ndarray | None = None,
    covered_years: frozenset[int] = frozenset(),
) -> tuple[np.ndarray, np.ndarray, EventRows]:
    """Mortality per month and village for PPR and Newcastle disease, and their log.

    ``replayed``: epizootic severity per month and village from a replay file (or None).
    """
    from sim.shocks.common import log_rows, month_index, scheduled

    years = model.years
    out = {}
    rows = []
    struck = (
        rng.random((years, villages)) < cfg.scheduled_village_share
    )  # same villages, both diseases
    for disease, prob, lo, hi in (
        ("ppr", cfg.ppr_probability, cfg.ppr_mortality_min, cfg.ppr_mortality_max),
        (
            "newcastle",
            cfg.newcastle_probability,
            cfg.newcastle_mortality_min,
            cfg.newcastle_mortality_max,
        ),
    ):
        occurs = rng.random((years, villages)) < prob
        mortality = rng.uniform(lo, hi, (years, villages))
        month = rng.integers(1, 13, (years, villages))
        occurs &= ~np.isin(model.start_year + np.arange(years), sorted(covered_years))[:, None]
        m = np.zeros((model.months, villages))
        for k, v in zip(*np.nonzero(occurs), strict=True):
            t = month_index(model, int(k), int(month[k, v]))
            if t is not None:
                m[t, v] = max(m[t, v], mortality[k, v])
        for entry in scheduled(schedule, "livestock_disease"):
            t = month_index(model, entry.year, entry.month or 1)
            if t is not None:
                m[t] = np.maximum(m[t], np.where(struck[entry.year], entry.severity * hi, 0.0))
        if replayed is not None:
            m = np.maximum(m, replayed * hi)
        for row, v in zip(*np.nonzero(m), strict=True):
            rows.append((int(row), "livestock_disease", "village", int(v), -1, float(m[row, v])))
        out[disease] = m
    return out["ppr"], out["newcastle"], log_rows(rows)


def strike(
    pop: Population,
    t: int,
    ppr: np.ndarray,
    newcastle: np.ndarray,
    draws: MonthDraws,
    ledger: Ledger,
) -> None:
    """Kill animals in villages with an outbreak this month."""
    p_sr = ppr[pop.village]
    p_nc = newcastle[pop.village]
    if not (p_sr.any() or p_nc.any()):
        return
    dead_f, dead_o, dead_p = binomial_quantile(
        np.stack([pop.sr_female, pop.sr_other, pop.poultry]),
        np.stack([p_sr, p_sr, p_nc]),
        np.stack([draws.u("ppr_female"), draws.u("ppr_other"), draws.u("newcastle")]),
    )
    pop.sr_female -= dead_f
    pop.sr_other -= dead_o
    pop.poultry -= dead_p
    ledger.add("small_ruminants", "epizootic", -(dead_f + dead_o))
    ledger.add("poultry", "epizootic", -dead_p)
