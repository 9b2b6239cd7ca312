"""Indicators recorded every month, by HEA wealth group and for all households.

Each indicator is a function of the population, the month's ledger and the config; the
:class:`Recorder` stores them in a preallocated array (months × groups × indicators) and
returns a tidy DataFrame at the end. Definitions (domain.md §1, §3, §6):

- ``kcal_adequacy``: mean energy intake / needs (1 = 2,100 kcal/person/day; above 1 when
  households eat beyond needs).
- ``survival_deficit_share``: share of households short of the HEA survival threshold
  (food needs or survival non-food spending unmet after coping).
- ``lp_deficit_share``: share short of the livelihood-protection threshold (includes the
  survival deficits).
- ``gam_prevalence``: share of under-fives with WHZ < -2, weighted by under-fives.
- ``hdds``: mean household dietary diversity score (0-12).
- ``tlu``, ``cash``, ``savings``, ``debt``, ``grain_kg``, ``income``: means per household
  (TLU; FCFA; kg; FCFA this month).
- ``poverty_share``: share of households whose net assets (animals, grain, cash, savings,
  less debts, at mean prices) are below the asset poverty line; ``net_assets`` their mean.
- ``coping_{stress,crisis,emergency}_share``: share whose highest livelihood coping level
  this month was that level (WFP LCS).
- ``consumption_ae``: mean consumption per adult equivalent and day (food eaten valued at the
  month's prices, home produce, non-food spending), FCFA.
- ``needs_met_share``: share of households whose energy needs were met this month.
- ``own_food_share``, ``purchase_share``: shares of the kcal eaten that came from own
  stocks and from purchases.
- ``displaced_share``: share of households displaced by conflict, away from their village.
"""

from __future__ import annotations

from collections.abc import Callable

import numba
import numpy as np
import pandas as pd

from sim.config import WEALTH_GROUPS, ModelConfig
from sim.kernels import member_sums
from sim.ledger import Ledger
from sim.population import (
    Population,
    adult_equivalents,
    asset_prices,
    net_assets,
    net_assets_kernel,
    tlu,
    tlu_kernel,
    tlu_weights,
)
from sim.world import World

GROUPS: tuple[str, ...] = (*WEALTH_GROUPS, "programme", "all")
"""Rows of the time series: the four wealth groups, the programme's households, everyone."""

Indicator = Callable[[Population, Ledger, ModelConfig], tuple[np.ndarray, np.ndarray | None]]
"""Returns (value per household, weight per household or None for equal weights)."""


def _food_share(source: str) -> Indicator:
    def share(pop: Population, ledger: Ledger, cfg: ModelConfig):
        eaten = sum(ledger.get("food", k) for k in FOOD_SOURCES)
        return ledger.get("food", source) / np.where(eaten > 0, eaten, 1.0), eaten

    return share


INDICATORS: dict[str, Indicator] = {
    "kcal_adequacy": lambda p, lg, c: (p.kcal_adequacy, None),
    "survival_deficit_share": lambda p, lg, c: (p.survival_deficit, None),
    "lp_deficit_share": lambda p, lg, c: (p.lp_deficit, None),
    "gam_prevalence": lambda p, lg, c: (p.whz < c.indicators.gam_whz, p.under5),
    "hdds": lambda p, lg, c: (p.hdds, None),
    "whz": lambda p, lg, c: (p.whz, p.under5),
    "tlu": lambda p, lg, c: (tlu(p, c), None),
    "cash": lambda p, lg, c: (p.cash, None),
    "savings": lambda p, lg, c: (p.savings, None),
    "debt": lambda p, lg, c: (p.debt, None),
    "grain_kg": lambda p, lg, c: (p.grain_kg, None),
    "income": lambda p, lg, c: (p.income, None),
    "poverty_share": lambda p, lg, c: (
        net_assets(p, c) < c.indicators.asset_poverty_line_fcfa,
        None,
    ),
    "net_assets": lambda p, lg, c: (net_assets(p, c), None),
    "coping_stress_share": lambda p, lg, c: (p.coping == 1, None),
    "coping_crisis_share": lambda p, lg, c: (p.coping == 2, None),
    "coping_emergency_share": lambda p, lg, c: (p.coping == 3, None),
    "consumption_ae": lambda p, lg, c: (
        p.consumption / adult_equivalents(p, c) / c.consumption.days_per_month,
        None,
    ),
    "needs_met_share": lambda p, lg, c: (
        p.kcal_adequacy >= 1 - c.indicators.deficit_tolerance,
        None,
    ),
    "own_food_share": _food_share("own"),
    "purchase_share": _food_share("bought"),
    "displaced_share": lambda p, lg, c: (p.displaced, None),
}
"""Household indicators, in the column order of the time series."""

WEIGHTED: tuple[str, ...] = ("gam_prevalence", "whz", "own_food_share", "purchase_share")
"""The indicators with weights (under-fives, kcal eaten); the others weigh households equally."""

_WEIGHT_ROW = np.array([WEIGHTED.index(k) if k in WEIGHTED else -1 for k in INDICATORS])
"""Per indicator, its row of the weights table, or -1 (equal weights)."""


FOOD_SOURCES: tuple[str, ...] = ("in_kind", "rations", "own", "bought", "begging")
"""The ``food`` flows whose sum is the kcal eaten (the weight of the food-source shares)."""


def registry_table(pop: Population, ledger: Ledger, cfg: ModelConfig) -> np.ndarray:
    """Every indicator of :data:`INDICATORS` per household, ``(indicators, n)``, one by one.

    The definitions as written; :meth:`Recorder.record` computes the same numbers in one
    compiled pass (:func:`_indicator_table`).
    """
    return np.array(
        [np.asarray(fn(pop, ledger, cfg)[0], dtype=float) for fn in INDICATORS.values()]
    )


class Recorder:
    """Collects the monthly indicators of one run.

    A month's indicators go through one (indicators × households) table kept for the run,
    so that a month writes into memory already mapped instead of asking for fresh tables.
    One compiled pass (:func:`_record`) computes every indicator of :data:`INDICATORS` per
    household, with the arithmetic of its definition in its order, sums them by group in
    household order (:func:`sim.kernels.member_sums`) and divides.
    """

    def __init__(self, months: int, pop: Population) -> None:
        self.values = np.full((months, len(GROUPS), len(INDICATORS)), np.nan)
        self.households = np.append(
            np.bincount(pop.wealth, minlength=4), [pop.targeted.sum(), pop.n]
        )
        # membership (5 × n): each wealth group, the programme's households (then everyone)
        self._member = np.zeros((len(GROUPS) - 1, pop.n))
        self._member[pop.wealth, np.arange(pop.n)] = 1.0
        self._member[-1] = pop.targeted
        self._table: np.ndarray | None = None  # made at the first month recorded
        self._weights = np.empty((0, pop.n))
        self._zeros = np.zeros(pop.n)  # a food flow not booked this month
        self._cfg: ModelConfig | None = None
        self._constants: tuple = ()

    def record(self, t: int, pop: Population, ledger: Ledger, cfg: ModelConfig) -> None:
        """Store month ``t``'s indicators: means by group, weighted where they have weights."""
        if self._table is None:
            self._table = np.empty((len(INDICATORS), pop.n))
            self._weights = np.empty((len(WEIGHTED), pop.n))
        if cfg is not self._cfg:
            self._cfg, self._constants = cfg, _constants(cfg)
        food = ledger.flows["food"]
        _record(
            self._table,
            self._weights,
            (pop.kcal_adequacy, pop.hdds, pop.whz, pop.cash, pop.savings, pop.debt),
            (pop.grain_kg, pop.income, pop.consumption, pop.workers),
            (pop.survival_deficit, pop.lp_deficit, pop.displaced),
            (pop.under5, pop.children, pop.coping),
            (pop.sr_female, pop.sr_other, pop.cattle, pop.poultry),
            (pop.warehouse_kg, pop.fund_equity, pop.group_debt, pop.warrant_debt),
            tuple([food[k] if k in food else self._zeros for k in FOOD_SOURCES]),
            self._constants,
            self._member,
            self.households,
            self.values[t],
        )

    def frame(self, world: World) -> pd.DataFrame:
        """The tidy time series: one row per month × wealth group (plus ``all``)."""
        months, groups, _ = self.values.shape
        cal = world.calendar
        t = np.repeat(np.arange(months), groups)
        df = pd.DataFrame(
            {
                "month": t,
                "year": cal.year[t],
                "calendar_month": cal.month[t],
                "wealth_group": pd.Categorical(np.tile(GROUPS, months), categories=GROUPS),
                "households": np.tile(self.households, months),
            }
        )
        flat = self.values.reshape(months * groups, -1)
        for j, name in enumerate(INDICATORS):
            df[name] = flat[:, j]
        millet = world.prices["millet"][t]
        goat = world.prices["goat"][t]
        df["millet_price"] = millet
        df["goat_price"] = goat
        df["terms_of_trade"] = goat / millet
        df["rainfall"] = world.regional_rain[cal.season[t] + 1]
        return df


COLUMN_DOCS: dict[str, str] = {
    "month": "month index from the start of the run, 0-based",
    "year": "calendar year",
    "calendar_month": "calendar month, 1-12",
    "wealth_group": "HEA wealth group (very_poor, poor, middle, better_off), programme (the targeted households) or all",
    "households": "households in the group",
    "kcal_adequacy": "mean energy intake / needs (1 = 2,100 kcal/person/day)",
    "survival_deficit_share": "share of households below the HEA survival threshold",
    "lp_deficit_share": "share below the HEA livelihood-protection threshold",
    "gam_prevalence": "share of under-fives with WHZ < -2 (global acute malnutrition)",
    "hdds": "mean household dietary diversity score, 0-12",
    "whz": "mean weight-for-height z-score of under-fives",
    "tlu": "mean tropical livestock units per household",
    "cash": "mean cash at home, FCFA",
    "savings": "mean savings in the group, FCFA",
    "debt": "mean debt, FCFA",
    "grain_kg": "mean cereal stock, kg",
    "income": "mean cash income this month (all sources before coping), FCFA",
    "poverty_share": "share of households below the asset poverty line (net assets, FCFA)",
    "net_assets": "mean net assets: animals, grain, cash, savings less debts at mean prices, FCFA",
    "coping_stress_share": "share whose highest livelihood coping level was stress",
    "coping_crisis_share": "share whose highest livelihood coping level was crisis",
    "coping_emergency_share": "share whose highest livelihood coping level was emergency",
    "consumption_ae": "mean consumption per adult equivalent: food eaten at the month's prices, home produce and non-food spending, FCFA/day",
    "needs_met_share": "share of households whose energy needs were met this month",
    "own_food_share": "share of the kcal eaten that came from own stocks",
    "purchase_share": "share of the kcal eaten that was bought",
    "displaced_share": "share of households displaced by conflict, away from their village",
    "millet_price": "regional millet price, FCFA/kg",
    "goat_price": "regional price of an adult goat, FCFA/head",
    "terms_of_trade": "kg of millet one goat buys",
    "rainfall": "regional rainfall of the season feeding the month, mm",
}
"""Meaning and unit of every ``timeseries.parquet`` column (the README lists them)."""


def _constants(cfg: ModelConfig) -> tuple:
    """The numbers :func:`_record` needs, as the definitions of :data:`INDICATORS` use them."""
    ind = cfg.indicators
    return (
        float(ind.gam_whz),
        float(ind.asset_poverty_line_fcfa),
        1 - ind.deficit_tolerance,
        float(cfg.consumption.child_ae_weight),
        float(cfg.consumption.days_per_month),
        tlu_weights(cfg),
        asset_prices(cfg),
    )


@numba.njit(cache=True, nogil=True)
def _record(
    table,
    weights,
    reals,
    reals2,
    flags,
    counts,
    animals,
    holdings,
    food,
    constants,
    member,
    households,
    out,
):  # pragma: no cover - compiled
    """One month of :meth:`Recorder.record`: the table, its sums by group, the means in ``out``.

    ``out[c, j]`` is ``num / den`` of indicator ``j`` over set ``c`` (the five sets of
    ``member``, then everyone), NaN where ``den`` is 0; ``den`` is the set's size
    (``households``) for the indicators with equal weights.
    """
    _indicator_table(
        table, weights, reals, reals2, flags, counts, animals, holdings, food, constants
    )
    num, den = member_sums(table, weights, _WEIGHT_ROW, member)
    for j in range(num.shape[0]):
        for c in range(num.shape[1]):
            d = den[j, c] if _WEIGHT_ROW[j] >= 0 else float(households[c])
            out[c, j] = num[j, c] / d if d > 0 else np.nan


@numba.njit(cache=True, nogil=True)
def _indicator_table(
    table, weights, reals, reals2, flags, counts, animals, holdings, food, constants
):  # pragma: no cover - compiled
    """Every indicator of :data:`INDICATORS` per household, in its row of ``table``.

    The arithmetic of each definition, in its order: ``consumption / (workers + w × children)
    / days``; the food shares over ``0 + in_kind + rations + own + bought + begging`` (1 where
    nothing was eaten), weighted by it; TLU and net assets by the population's own kernels.
    Weights (under-fives, kcal eaten) go to their rows of ``weights``.
    """
    kcal, hdds, whz, cash, savings, debt = reals
    grain, income, consumption, workers = reals2
    survival, lp, displaced = flags
    under5, children, coping = counts
    sr_female, sr_other, cattle, poultry = animals
    warehouse, fund_equity, group_debt, warrant_debt = holdings
    in_kind, rations, own, bought, begging = food
    gam_whz, line, fed, child_weight, days, tlu_weights, prices = constants
    herd = tlu_kernel(sr_female, sr_other, cattle, poultry, tlu_weights)
    net = net_assets_kernel(
        (sr_female, sr_other, cattle, poultry),
        (grain, warehouse),
        (cash, savings, fund_equity),
        (debt, group_debt, warrant_debt),
        prices,
    )
    table[0] = kcal
    table[4] = hdds
    table[5] = whz
    table[6] = herd
    table[7] = cash
    table[8] = savings
    table[9] = debt
    table[10] = grain
    table[11] = income
    table[13] = net
    weights[0] = under5
    weights[1] = under5
    for i in range(kcal.size):
        table[1, i] = survival[i]
        table[2, i] = lp[i]
        table[3, i] = whz[i] < gam_whz
        table[12, i] = net[i] < line
        table[14, i] = coping[i] == 1
        table[15, i] = coping[i] == 2
        table[16, i] = coping[i] == 3
        table[18, i] = kcal[i] >= fed
        table[21, i] = displaced[i]
    for i in range(kcal.size):
        table[17, i] = consumption[i] / (workers[i] + child_weight * children[i]) / days
        eaten = 0.0 + in_kind[i] + rations[i] + own[i] + bought[i] + begging[i]
        per = eaten if eaten > 0 else 1.0
        table[19, i] = own[i] / per
        table[20, i] = bought[i] / per
        weights[2, i] = eaten
        weights[3, i] = eaten
