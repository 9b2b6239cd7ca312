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

import numba
import numpy as np

from sim.config import LivestockDiseaseConfig, ModelConfig
from sim.draws import MonthDraws, binomial_inverse, largest_count, pmf0_table, table_size
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
    """Kill animals in villages with an outbreak this month.

    ``ppr`` and ``newcastle``: the month's mortality per village. Each animal dies with its
    village's mortality, binomial by inversion of the month's uniforms, in one compiled pass
    (:func:`_die`); ``P(X = 0)`` comes from a table numpy computes (:func:`sim.draws.pmf0_table`).
    Nothing is booked when no household lives in a struck village.
    """
    if not (ppr.any() or newcastle.any()):
        return
    mortality = np.array([ppr, newcastle])
    heads = np.arange(
        table_size(largest_count(pop.sr_female, pop.sr_other, pop.cattle, pop.poultry))
    )
    struck, flows = _die(
        pop.village,
        pop.sr_female,
        pop.sr_other,
        pop.poultry,
        mortality,
        pmf0_table(heads, mortality[..., None], keep=False),
        draws.u("ppr_female"),
        draws.u("ppr_other"),
        draws.u("newcastle"),
    )
    if struck:
        ledger.add("small_ruminants", "epizootic", flows[0])
        ledger.add("poultry", "epizootic", flows[1])


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _die(  # pragma: no cover - compiled
    village, sr_female, sr_other, poultry, mortality, pmf0, u_female, u_other, u_poultry
):
    """Deaths of one month's epizootics, household by household (herds updated in place).

    ``mortality``: rows PPR (small ruminants) and Newcastle disease (poultry), per village;
    ``pmf0``: their ``P(X = 0)`` by village and count. Returns whether any household lives in
    a struck village, and the flows (head) of small ruminants and poultry per household.
    """
    n = village.size
    flows = np.empty((2, n))
    struck = False
    for i in range(n):
        v = village[i]
        p_sr, p_nc = mortality[0, v], mortality[1, v]
        struck = struck or p_sr != 0.0 or p_nc != 0.0
        f, o, po = sr_female[i], sr_other[i], poultry[i]
        dead_f = binomial_inverse(f, p_sr, u_female[i], pmf0[0, v, f])
        dead_o = binomial_inverse(o, p_sr, u_other[i], pmf0[0, v, o])
        dead_p = binomial_inverse(po, p_nc, u_poultry[i], pmf0[1, v, po])
        sr_female[i] = f - dead_f
        sr_other[i] = o - dead_o
        poultry[i] = po - dead_p
        flows[0, i] = -(dead_f + dead_o)
        flows[1, i] = -dead_p
    return struck, flows
