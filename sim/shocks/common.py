"""What every shock module shares.

The event log's frame, scheduled entries, month indices, and the loss of animals to a shock.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config import ModelConfig
from sim.draws import MonthDraws, binomial_quantile
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

    The losses are binomial, drawn by inversion of the month's uniforms ``<use>_<column>``.
    """
    lost = binomial_quantile(
        np.stack([getattr(pop, k) for k in HERDS]),
        np.stack([p] * len(HERDS)),
        np.stack([draws.u(f"{use}_{k}") for k in HERDS]),
    )
    for k, heads in zip(HERDS, lost, strict=True):
        setattr(pop, k, getattr(pop, k) - heads)
    ledger.add("small_ruminants", flow, -(lost[0] + lost[1]))
    ledger.add("cattle", flow, -lost[2])
    ledger.add("poultry", flow, -lost[3])
