"""Herd dynamics: births, deaths, maturation and normal sales of animals.

Small ruminants, cattle and poultry; events are drawn per household by inverting fixed
uniforms (binomials, common random numbers).

Rates are per year in ``conf/livestock`` (domain.md §5.3) and converted to monthly
probabilities. Small ruminants are kept as breeding females and others (weaned young,
males); a kid born alive and surviving to weaning (abortions and pre-weaning mortality are
taken at birth, rising after a drought) joins the others, and a share of others matures
into breeding females. Normal offtake
sells others and cattle at the month's price; animals beyond the household's herd capacity
(TLU its workers can herd) are sold too. Conflict puts part of the pasture out of reach
(``shocks.insecurity.pasture_access``), which acts as a deeper pasture deficit, and lowers
the prices animals fetch in the village. Poultry hatch logistically up to a capacity by
wealth group. Households without breeding females can restart a flock with a traditional
livestock loan (:func:`lend_and_return`).
"""

from __future__ import annotations

import functools

import numpy as np

from sim.config import ModelConfig
from sim.draws import UNIFORMS, MonthDraws, largest_count, pmf0_table, table_size
from sim.ledger import Ledger
from sim.population import Population, tlu
from sim.prepared import PerRun
from sim.processes.livestock_kernel import (
    FLOWS,
    LOAN_FLOWS,
    HerdConstants,
    herd_month,
    lend_month,
)
from sim.rates import monthly_hazard_probability, monthly_probability
from sim.shocks.drought import pasture_deficit, pasture_effects
from sim.world import World


class HerdTables:
    """What the herds' month reads that depends only on the world and the configuration.

    Built on a run's first month (:data:`herd_tables`) for every month of the horizon, with
    the numpy arithmetic :func:`update_herds` did month by month, elementwise, so every
    number is the same; the binomial tables of ``P(X = 0)`` are
    computed when a month first needs them and kept for the months that share them.

    Attributes
    ----------
    deficit
        Pasture deficit within reach per month and village, 0-1, shape (months, villages)
        (:func:`pasture_within_reach_deficit`).
    fertility
        Pasture's births multiplier per month and village, shape (months, villages).
    p_village
        Monthly probabilities of the first-phase draws per month, draw and village (rows of
        :mod:`sim.processes.livestock_kernel`: births and deaths), shape (months, 5, villages).
    p_common
        Monthly probabilities common to all households (poultry deaths, offtake, maturation).
    received
        Prices animals fetch per month, animal (goat, cattle, poultry) and village, FCFA/head,
        shape (months, 3, villages).
    goat_price
        The regional goat price of each month, FCFA/head.
    constants
        The pass's :class:`~sim.processes.livestock_kernel.HerdConstants`.
    """

    def __init__(self, world: World, cfg: ModelConfig) -> None:
        lv, m = cfg.livestock, cfg.market
        months = len(world.calendar.month)
        self.deficit = pasture_within_reach_deficit(world, cfg)
        mortality, self.fertility = pasture_effects(self.deficit, cfg.shocks.drought)
        self.p_village = np.ascontiguousarray(
            np.stack(
                [
                    self.fertility
                    * min(1.0, lv.sr_parturitions_per_year * lv.sr_litter_size / 12)
                    * (1 - lv.sr_abortion_share)
                    * (1 - np.minimum(mortality * lv.sr_preweaning_mortality, 1.0)),
                    np.minimum(mortality * monthly_probability(lv.sr_adult_mortality), 1.0),
                    np.minimum(mortality * monthly_probability(lv.sr_other_mortality), 1.0),
                    self.fertility * min(1.0, lv.cattle_calving * lv.cattle_cow_share / 12),
                    np.minimum(mortality * monthly_probability(lv.cattle_mortality), 1.0),
                ],
                axis=1,
            )
        )
        self.p_common = np.array(
            [
                monthly_hazard_probability(lv.poultry_mortality),
                monthly_probability(lv.sr_offtake),
                monthly_probability(lv.sr_maturation),
                monthly_probability(lv.cattle_offtake),
                monthly_hazard_probability(lv.poultry_offtake),
            ]
        )
        self.received = np.ascontiguousarray(world.local_price_table[:, 1:])  # animals only
        self.goat_price = world.prices["goat"].tolist()
        self.constants = HerdConstants(
            milk_litres_small_ruminant=lv.milk_litres_small_ruminant,
            cow_share=lv.cattle_cow_share,
            milk_litres_cow=lv.milk_litres_cow,
            milk_price=m.milk_price,
            goat_price_mean=m.goat_price,
            tlu_small_ruminant=lv.tlu_small_ruminant,
            tlu_cattle=lv.tlu_cattle,
            tlu_poultry=lv.tlu_poultry,
            herd_cap_tlu_per_worker=lv.herd_cap_tlu_per_worker,
        )
        self._poultry = (lv.poultry_growth, np.asarray(lv.poultry_capacity, dtype=float)[:, None])
        # months with the same probabilities (the same bytes) share their binomial tables
        rows = self.p_village.reshape(months, -1)
        as_bytes = rows.view(np.dtype((np.void, rows.shape[1] * rows.itemsize)))[:, 0]
        self._shared = np.unique(as_bytes, return_inverse=True)[1].tolist()
        self._village: tuple[tuple[int, int], np.ndarray] = ((-1, 0), np.empty(0))
        self._common: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def binomial_tables(self, t: int, largest: int) -> tuple[np.ndarray, ...]:
        """The month's hatching probabilities and ``P(X = 0)`` tables, for herds up to ``largest``.

        Returns ``pmf0_village``, ``p_hatch``, ``pmf0_hatch``, ``pmf0_common`` of
        :func:`~sim.processes.livestock_kernel.herd_month`, for every count of animals
        :func:`sim.draws.table_size` gives: the first kept for the months that follow with
        the same probabilities, the last three (which depend on the size alone) for the run.
        """
        size = table_size(largest)
        key = (self._shared[t], size)
        if self._village[0] != key:  # months with the same probabilities follow each other
            heads = np.arange(size)
            self._village = (key, pmf0_table(heads, self.p_village[t][..., None], keep=False))
        village = self._village[1]
        common = self._common.get(size)
        if common is None:
            heads = np.arange(size)
            flock = heads[None, :]
            growth, capacity = self._poultry
            p_hatch = np.clip(growth / 12 * (1 - flock / np.maximum(capacity, 1e-9)), 0, 1)
            common = self._common[size] = (
                p_hatch,
                pmf0_table(flock, p_hatch, keep=False),
                pmf0_table(heads, self.p_common[:, None], keep=False),
            )
        return (village, *common)


def update_herds(
    pop: Population,
    world: World,
    t: int,
    cfg: ModelConfig,
    draws: MonthDraws,
    ledger: Ledger,
) -> None:
    """Advance every herd by one month and book births, deaths and normal sales.

    Births and deaths are drawn on the herds at the start of the month, scaled by the pasture
    of the last rainy season (fewer births, more deaths after a drought); maturation and
    normal offtake on the survivors; then the month's milk and the sale of animals beyond the
    herd capacity. Milk: per breeding goat or sheep and per cow a year (``milk_litres_*``),
    at ``milk_price`` scaled by the month's goat price over its mean (the same seasonal and
    drought swings) and by the pasture's births multiplier (no pasture, no milk), FCFA, the
    household's ``home_produce`` of the month. The probabilities per village, wealth group or
    for all come from the run's :class:`HerdTables`; one compiled pass over households
    (:func:`sim.processes.livestock_kernel.herd_month`) draws and books the events.
    """
    tables = herd_tables(world, cfg)
    pmf0_village, p_hatch, pmf0_hatch, pmf0_common = tables.binomial_tables(
        t, largest_count(pop.sr_female, pop.sr_other, pop.cattle, pop.poultry)
    )
    pop.sr_other, pop.cattle, pop.poultry, pop.home_produce, flows = herd_month(
        pop.village,
        pop.wealth,
        pop.workers,
        pop.sr_female,
        pop.sr_other,
        pop.cattle,
        pop.poultry,
        pop.cash,
        draws.leading(HERD_BLOCK),
        HERD_ROWS,
        tables.p_village[t],
        pmf0_village,
        p_hatch,
        pmf0_hatch,
        tables.p_common,
        pmf0_common,
        tables.fertility[t],
        tables.received[t],
        tables.goat_price[t],
        tables.constants,
    )
    ledger.book(FLOWS, flows)


HERD_UNIFORMS: tuple[str, ...] = (
    "sr_births",
    "sr_female_deaths",
    "sr_other_deaths",
    "cattle_births",
    "cattle_deaths",
    "poultry_births",
    "poultry_deaths",
    "sr_offtake",
    "sr_maturation",
    "cattle_offtake",
    "poultry_offtake",
)
"""Uniforms of the herds' month, in the order :func:`~sim.processes.livestock_kernel.herd_month` reads them."""
HERD_ROWS = np.array([UNIFORMS.index(name) for name in HERD_UNIFORMS])
"""Their rows in :attr:`sim.draws.MonthDraws.uniform`."""
HERD_BLOCK = int(HERD_ROWS.max()) + 1
"""The herds' uniforms are the first rows of the month's: drawn together, in one call."""


def pasture_within_reach_deficit(world: World, cfg: ModelConfig) -> np.ndarray:
    """Pasture deficit of the herds of each village and month, 0-1, shape (months, villages).

    The deficit of the rainy season feeding the month, in the village, deepened where
    conflict puts part of the pasture out of reach: ``1 − (1 − deficit) × pasture_access``.
    """
    rain = world.rain[world.calendar.season + 1]  # World.season_rain of every month
    deficit = pasture_deficit(rain, cfg.climate.rain_mean_mm)
    access = world.shocks.insecurity.pasture_access
    return np.where(access < 1, 1 - (1 - deficit) * access, deficit)


def herd_room_tlu(pop: Population, world: World, t: int, cfg: ModelConfig) -> np.ndarray:
    """TLU a household could still add: labour capacity × the pasture within reach, less its herd."""
    deficit = herd_tables(world, cfg).deficit[t][pop.village]
    capacity = cfg.livestock.herd_cap_tlu_per_worker * pop.workers * (1 - deficit)
    return np.maximum(capacity - tlu(pop, cfg), 0.0)


herd_tables = PerRun(HerdTables)
"""The run's :class:`HerdTables` (``herd_tables(world, cfg)``), built on the first call of a run."""

_monthly_probability = functools.cache(monthly_probability)
""":func:`sim.rates.monthly_probability` of a rate, computed once."""


def lend_and_return(pop: Population, cfg: ModelConfig, draws: MonthDraws, ledger: Ledger) -> None:
    """Traditional livestock loans (habbanaye, confiage): restart a flock, return a young.

    A household without breeding females and without a loan outstanding receives a
    breeding female from kin or a better-off herder with the monthly probability of
    ``restock_rate`` a year; it owes one young animal, returned as soon as it has one.
    Destitution is therefore not absorbing (domain.md §9 [R]). One compiled pass
    (:func:`sim.processes.livestock_kernel.lend_month`).
    """
    p = _monthly_probability(cfg.livestock.restock_rate)
    flows = lend_month(
        pop.sr_female, pop.sr_other, pop.livestock_loan, draws.u("livestock_loan"), p
    )
    ledger.book(LOAN_FLOWS, flows)
