"""Displacement: households flee conflict, live away from home, and come back when it is calm.

Since 2017 insecurity has displaced about five times as many people of central Mali as
before (domain.md §9 [F]). Each month a household of a village in conflict flees with the
probability ``displacement_probability`` × severity (``shocks.insecurity``). Fleeing, it
loses each of its animals with probability ``displaced_herd_loss`` (left behind, looted, sold
for nothing) and ``displaced_grain_loss`` of its grain stock. Away from home
(``pop.displaced``) it farms no field and no garden, earns ``displaced_income_factor`` of its
labour and trade income (:mod:`sim.processes.income`), receives ``displaced_in_kind_factor``
of its in-kind food and pays ``displaced_shelter_cost`` per person a year on top of its
survival spending (:mod:`sim.processes.consumption`); it takes no part in its savings group's
meetings and the programme's deliveries wait for its return (:mod:`sim.policies`).
Humanitarian food aid (:func:`aid`) covers all its energy needs in its first
``aid_full_months`` away and ``aid_partial_share`` of them until ``aid_partial_months``
(WFP's rule in Mali, domain.md and docs/calibration.md). A displaced household whose village
is calm this month returns with the monthly probability of a hazard ``return_rate`` a year.
Units: head, kg.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.config import ModelConfig
from sim.draws import MonthDraws
from sim.ledger import Ledger
from sim.population import Population
from sim.processes.consumption import need_constants
from sim.processes.consumption_kernel import need_kg
from sim.rates import monthly_hazard_probability
from sim.shocks.common import lose_animals
from sim.world import World

_NOT_DRAWN = np.zeros(0)
"""The uniforms of a draw not made this month (nobody may return, or nobody may flee)."""


def move(
    pop: Population, world: World, t: int, cfg: ModelConfig, draws: MonthDraws, ledger: Ledger
) -> None:
    """Households of villages in conflict flee; displaced households of calm villages return."""
    ins = cfg.shocks.insecurity
    ev = world.shocks.insecurity
    severity, p_flight = ev.severity[t], ev.displacement_probability[t]
    may_return, may_flee = _candidates(pop.displaced, pop.village, severity, p_flight)
    # drawn only where someone may return or flee (no uniform is below 0)
    p_return = monthly_hazard_probability(ins.return_rate) if may_return else 0.0
    pop.displaced, pop.displaced_months, flee = _move(
        pop.displaced,
        pop.displaced_months,
        pop.village,
        severity,
        p_flight,
        draws.u("return") if may_return else _NOT_DRAWN,
        p_return,
        draws.u("flight") if may_flee else _NOT_DRAWN,
    )
    if may_flee and flee.any():
        leave_behind(pop, flee, ins.displaced_herd_loss, ins.displaced_grain_loss, draws, ledger)


@numba.njit(cache=True, nogil=True)
def _candidates(displaced, village, severity, p_flight):  # pragma: no cover - compiled
    """Whether any displaced household's village is calm, any other's in conflict."""
    may_return = may_flee = False
    for i in range(displaced.size):
        if displaced[i]:
            may_return = may_return or severity[village[i]] == 0
        else:
            may_flee = may_flee or p_flight[village[i]] > 0
    return may_return, may_flee


@numba.njit(cache=True, nogil=True)
def _move(
    displaced, months, village, severity, p_flight, u_return, p_return, u_flight
):  # pragma: no cover - compiled
    """Who is displaced after the month's returns and flights, for how many months, who fled.

    ``u_return`` and ``u_flight`` are empty when nobody may return, or flee.
    """
    n = displaced.size
    now = np.empty(n, dtype=np.bool_)
    months_now = np.empty(n, dtype=months.dtype)
    flee = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        v = village[i]
        back = False
        if displaced[i] and severity[v] == 0 and u_return.size:
            back = u_return[i] < p_return
        if not displaced[i] and p_flight[v] > 0 and u_flight.size:
            flee[i] = u_flight[i] < p_flight[v]
        now[i] = (displaced[i] and not back) or flee[i]
        months_now[i] = months[i] + 1 if now[i] else 0
    return now, months_now, flee


def aid(pop: Population, cfg: ModelConfig) -> np.ndarray:
    """Humanitarian food aid to displaced households this month, kg (eaten as rations)."""
    ins = cfg.shocks.insecurity
    return _aid(
        pop.displaced,
        pop.displaced_months,
        pop.workers,
        pop.children,
        ins.aid_full_months,
        ins.aid_partial_months,
        ins.aid_partial_share,
        need_constants(cfg),
    )


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _aid(
    displaced, months, workers, children, full_months, partial_months, partial_share, k
):  # pragma: no cover - compiled
    """All of a displaced household's needs (kg) up to ``full_months``, then a share."""
    aid = np.empty(displaced.size)
    for i in range(displaced.size):
        if months[i] <= full_months:
            share = 1.0
        elif months[i] <= partial_months:
            share = partial_share
        else:
            share = 0.0
        aid[i] = share * need_kg(workers[i], children[i], k) if displaced[i] else 0.0
    return aid


def leave_behind(
    pop: Population,
    flee: np.ndarray,
    herd_loss: float,
    grain_loss: float,
    draws: MonthDraws,
    ledger: Ledger,
) -> None:
    """What fleeing households lose: animals (each with ``herd_loss``), ``grain_loss`` of grain."""
    lose_animals(pop, np.where(flee, herd_loss, 0.0), "flight", "displacement", draws, ledger)
    grain = pop.grain_kg * grain_loss * flee
    pop.grain_kg -= grain
    ledger.add("grain", "displacement", -grain)
