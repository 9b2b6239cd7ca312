"""What every shock module shares.

The event log's frame, scheduled entries, month indices, and the loss of animals to a shock.
"""

from __future__ import annotations

import numba
import numpy as np
import pandas as pd

from sim.config import ModelConfig
from sim.draws import (
    MonthDraws,
    binomial_inverse,
    largest_count,
    pmf0_table,
    table_size,
)
from sim.ledger import Ledger
from sim.population import Population

HERDS: tuple[str, ...] = ("sr_female", "sr_other", "cattle", "poultry")
"""Herd columns a shock takes animals from; each has a uniform ``<use>_<column>`` a month."""

LOG_COLUMNS = ("month", "type", "scope", "village", "household", "severity")
"""Columns of the shock log (``shocks.parquet``)."""


EventRows = tuple[tuple[int, str, str, int, int, float], ...]
"""Rows of the shock log, (month, type, scope, village, household, severity) each: kept as
plain tuples while the model runs; ``ShockEvents.log`` makes the table when asked."""


def log_rows(rows: list[tuple]) -> EventRows:
    """Event-log rows in the log's types (month, type, scope, village, household, severity)."""
    return tuple(
        (int(t), str(kind), str(scope), int(v), int(h), float(sev))
        for t, kind, scope, v, h, sev in rows
    )


def log_frame(rows: list[tuple] | EventRows) -> pd.DataFrame:
    """An event-log frame from (month, type, scope, village, household, severity) rows."""
    frame = pd.DataFrame(rows, columns=list(LOG_COLUMNS))
    types = {"month": "int64", "village": "int64", "household": "int64", "severity": "float64"}
    return frame.astype({**types, "type": "str", "scope": "str"})


def month_index(cfg: ModelConfig, year_offset: int, month: int) -> int | None:
    """Month index of calendar ``month`` in year ``start_year + year_offset`` (None: outside)."""
    t = 12 * year_offset + (month - cfg.start_month)
    return t if 0 <= t < cfg.months else None


def scheduled(schedule, kind: str):
    """The schedule entries of one shock type."""
    return [e for e in schedule if e.type == kind]


def lose_animals(
    pop: Population, p: np.ndarray, use: str, flow: str, draws: MonthDraws, ledger: Ledger
) -> None:
    """Each animal of a household is lost with its probability ``p`` (head; ledger ``flow``).

    The losses are binomial, drawn by inversion of the month's uniforms ``<use>_<column>``
    in one compiled pass (:func:`_lose`); ``P(X = 0)`` of each household's herds is numpy's
    (:func:`sim.draws.pmf0_table`).
    """
    herds = np.array([getattr(pop, k) for k in HERDS])
    _take(pop, p, pmf0_table(herds, p, keep=False), use, flow, draws, ledger)


def lose_village_animals(
    pop: Population, p: np.ndarray, use: str, flow: str, draws: MonthDraws, ledger: Ledger
) -> None:
    """Each animal of a household is lost with its village's probability ``p`` (head; ledger ``flow``).

    ``p``: the probability per village. :func:`lose_animals` with each household given its
    village's probability, ``P(X = 0)`` read from a table by village and count of animals.
    """
    heads = np.arange(
        table_size(largest_count(pop.sr_female, pop.sr_other, pop.cattle, pop.poultry))
    )
    table = pmf0_table(heads, p[:, None], keep=False)
    v = pop.village
    pmf0 = np.array([table[v, getattr(pop, k)] for k in HERDS])
    _take(pop, p[v], pmf0, use, flow, draws, ledger)


def _take(
    pop: Population,
    p: np.ndarray,
    pmf0: np.ndarray,
    use: str,
    flow: str,
    draws: MonthDraws,
    ledger: Ledger,
) -> None:
    """Draw and book the losses, ``P(X = 0)`` given per herd (rows of :data:`HERDS`) and household."""
    flows = _lose(
        pop.sr_female,
        pop.sr_other,
        pop.cattle,
        pop.poultry,
        p,
        pmf0,
        *(draws.u(f"{use}_{k}") for k in HERDS),
    )
    ledger.add("small_ruminants", flow, flows[0])
    ledger.add("cattle", flow, flows[1])
    ledger.add("poultry", flow, flows[2])


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _lose(  # pragma: no cover - compiled
    sr_female, sr_other, cattle, poultry, p, pmf0, u_female, u_other, u_cattle, u_poultry
):
    """Animals lost, household by household (herds of :data:`HERDS` updated in place).

    ``p``: the probability per household; ``pmf0``: ``P(X = 0)`` per herd and household.
    Returns the flows (head) of small ruminants, cattle and poultry per household.
    """
    n = p.size
    flows = np.empty((3, n))
    for i in range(n):
        f, o, c, po = sr_female[i], sr_other[i], cattle[i], poultry[i]
        lost_f = binomial_inverse(f, p[i], u_female[i], pmf0[0, i])
        lost_o = binomial_inverse(o, p[i], u_other[i], pmf0[1, i])
        lost_c = binomial_inverse(c, p[i], u_cattle[i], pmf0[2, i])
        lost_p = binomial_inverse(po, p[i], u_poultry[i], pmf0[3, i])
        sr_female[i] = f - lost_f
        sr_other[i] = o - lost_o
        cattle[i] = c - lost_c
        poultry[i] = po - lost_p
        flows[0, i] = -(lost_f + lost_o)
        flows[1, i] = -lost_c
        flows[2, i] = -lost_p
    return flows
