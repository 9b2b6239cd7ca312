"""Insecurity: village-level conflict episodes (central Mali since 2017), drawn up front.

Since 2017 insecurity has been the main driver of food insecurity in the centre of Mali:
markets and pastures cut off, livestock stolen, people displaced, about five times as many
displaced as before 2017 (domain.md §9, FEWS NET and FAO 2019-2020 [F]). Each village-year
starts a conflict episode with probability ``probability`` from ``start_year`` on and
``before_factor`` × that before; an episode starts in a random month, lasts a geometric
number of months with mean ``duration_months`` and has a severity drawn in
[``severity_min``, ``severity_max``]; a village-month's severity is the highest of the
episodes covering it. A scheduled episode (``{type: insecurity, year, severity, month}``)
strikes ``scheduled_village_share`` of the villages for ``duration_months`` months. Every
draw comes from the ``insecurity`` stream with shapes fixed by the horizon and the number
of villages, so packages compared with the same seed face the same conflict, and switching
insecurity on or off never changes any other shock.

The world side uses the regional share of the villages in conflict for market prices
(:func:`sim.world.draw_prices`). What conflict does to households is read from
:class:`InsecurityEvents` (per village and month; each attribute names the process that
reads it); :func:`steal` takes the month's stolen animals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import InsecurityConfig, ModelConfig
from sim.draws import MonthDraws
from sim.ledger import Ledger
from sim.shocks.common import EventRows, lose_village_animals


@dataclass(frozen=True)
class InsecurityEvents:
    """Conflict per village and month, and the factors households will read from it.

    Every array has shape (months, villages) unless said otherwise; a factor is 1 (or 0 for a
    share or probability) where and when there is no conflict. At severity ``s``:

    Attributes
    ----------
    severity
        Conflict severity of the village-month, 0-1 (0: none).
    market_access
        Share of normal market access left, ``1 − market_access_loss·s``: read by
        ``processes/income`` (labour sold, petty trade and firewood, and remittances: labour
        migration blocked).
    price_paid
        Multiplier on the regional millet price for food bought in the village,
        ``1 + price_paid_rise·s``: read through :meth:`sim.world.World.local_prices` by
        ``processes/consumption``, ``processes/coping`` and ``processes/savings``.
    price_received
        Multiplier on the regional animal prices for animals sold from the village,
        ``1 − price_received_fall·s``: read through :meth:`sim.world.World.local_prices` by
        every sale (``processes/livestock``'s offtake, ``processes/coping``'s stress, crisis and
        emergency sales).
    pasture_access
        Share of normal pasture within reach, ``1 − pasture_access_loss·s``: read by
        ``processes/livestock`` as a further pasture deficit (more deaths, fewer births, less
        herd capacity).
    theft_share
        Share of the village's animals stolen in the month, ``theft_share·s``: taken by
        :func:`steal` (ledger flow ``theft``).
    displacement_probability
        Probability that a household of the village flees in the month,
        ``displacement_probability·s``: read by ``processes/displacement``.
    interrupted
        Whether programme activities stop in the village-month (severity ≥
        ``interruption_severity``): read by ``sim/policies`` (no group meetings; deliveries
        postponed).
    regional
        Mean severity over villages per month, shape (months,): the share of the regional
        market in conflict, which moves regional prices (``world.draw_prices``).
    log
        One row per village-month in conflict (type ``insecurity``, scope ``village``).
    """

    severity: np.ndarray
    market_access: np.ndarray
    price_paid: np.ndarray
    price_received: np.ndarray
    pasture_access: np.ndarray
    theft_share: np.ndarray
    displacement_probability: np.ndarray
    interrupted: np.ndarray
    regional: np.ndarray
    log: EventRows

    @classmethod
    def from_severity(cls, severity: np.ndarray, cfg: InsecurityConfig) -> InsecurityEvents:
        """The factors of a severity array (months, villages), and its log."""
        from sim.shocks.common import log_rows

        s = severity
        rows = [
            (int(t), "insecurity", "village", int(v), -1, float(s[t, v]))
            for t, v in zip(*np.nonzero(s), strict=True)
        ]
        return cls(
            severity=s,
            market_access=1 - cfg.market_access_loss * s,
            price_paid=1 + cfg.price_paid_rise * s,
            price_received=1 - cfg.price_received_fall * s,
            pasture_access=1 - cfg.pasture_access_loss * s,
            theft_share=cfg.theft_share * s,
            displacement_probability=cfg.displacement_probability * s,
            interrupted=(s > 0) & (s >= cfg.interruption_severity),
            regional=s.mean(axis=1) if s.shape[1] else np.zeros(len(s)),
            log=log_rows(rows),
        )


def draw(
    cfg: InsecurityConfig,
    model: ModelConfig,
    calendar,
    villages: int,
    schedule,
    rng: np.random.Generator,
    *,
    replayed: np.ndarray | None = None,
    covered_years: frozenset[int] = frozenset(),
) -> InsecurityEvents:
    """Draw conflict episodes per village over the horizon; add scheduled and replayed ones.

    Parameters
    ----------
    replayed
        Severity per month and village given by a replay file (0 where none), or None.
    covered_years
        Calendar years whose insecurity the replay file gives: their random episodes are
        dropped and the file's severities are the year's conflict.
    """
    from sim.shocks.common import month_index, scheduled

    months = model.months
    years = int(calendar.year[-1] - model.start_year) + 1  # calendar years touched
    # every draw has a fixed shape: (years, villages), whatever the parameters
    u_occurs = rng.random((years, villages))
    start = rng.integers(1, 13, (years, villages))
    length = rng.geometric(1 / cfg.duration_months, (years, villages))
    severity = rng.uniform(cfg.severity_min, cfg.severity_max, (years, villages))
    struck = rng.random((years, villages)) < cfg.scheduled_village_share
    calendar_year = model.start_year + np.arange(years)
    rate = np.where(calendar_year >= cfg.start_year, 1.0, cfg.before_factor) * cfg.probability
    occurs = (u_occurs < rate[:, None]) & ~np.isin(calendar_year, sorted(covered_years))[:, None]
    drawn = np.zeros((months, villages))
    for k, v in zip(*np.nonzero(occurs), strict=True):
        t = month_index(model, int(k), int(start[k, v]))
        if t is not None:
            _cover(drawn[:, v], t, int(length[k, v]), float(severity[k, v]))
    if replayed is not None:  # the file gives the covered years' conflict, spill-over included
        covered = np.isin(calendar.year, sorted(covered_years))
        drawn[covered] = replayed[covered]
    chosen = np.zeros((months, villages))
    duration = max(1, round(cfg.duration_months))
    for entry in scheduled(schedule, "insecurity"):
        t = month_index(model, entry.year, entry.month or 1)
        if t is None:
            continue
        for v in np.flatnonzero(struck[min(entry.year, years - 1)]):
            _cover(chosen[:, v], t, duration, entry.severity)
    return InsecurityEvents.from_severity(np.maximum(drawn, chosen), cfg)


def _cover(column: np.ndarray, t: int, length: int, severity: float) -> None:
    """Raise ``column[t : t + length]`` to at least ``severity``."""
    column[t : t + length] = np.maximum(column[t : t + length], severity)


def steal(pop, t: int, events: InsecurityEvents, draws: MonthDraws, ledger: Ledger) -> None:
    """Livestock theft in villages in conflict: each animal is stolen with the month's share."""
    if not events.theft_share[t, pop.village].any():
        return
    lose_village_animals(pop, events.theft_share[t], "theft", "theft", draws, ledger)
