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

import numpy as np
import pandas as pd

from sim.config import WEALTH_GROUPS, ModelConfig
from sim.kernels import member_sums
from sim.ledger import Ledger
from sim.population import Population, adult_equivalents, net_assets, tlu
from sim.world import World

GROUPS: tuple[str, ...] = (*WEALTH_GROUPS, "programme", "all")
"""Rows of the time series: the four wealth groups, the programme's households, everyone."""

Indicator = Callable[[Population, Ledger, ModelConfig], tuple[np.ndarray, np.ndarray | None]]
"""Returns (value per household, weight per household or None for equal weights)."""


def _food_share(source: str) -> Indicator:
    def share(pop: Population, ledger: Ledger, cfg: ModelConfig):
        eaten = sum(
            ledger.get("food", k) for k in ("in_kind", "rations", "own", "bought", "begging")
        )
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


class Recorder:
    """Collects the monthly indicators of one run.

    A month's indicators go through one (indicators × households) table kept for the run,
    so that a month writes into memory already mapped instead of asking for fresh tables;
    one compiled pass sums them by group, in household order (:func:`sim.kernels.member_sums`).
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

    def record(self, t: int, pop: Population, ledger: Ledger, cfg: ModelConfig) -> None:
        """Store month ``t``'s indicators: means by group, weighted where they have weights."""
        if self._table is None:
            self._table = np.empty((len(INDICATORS), pop.n))
            self._weights = np.empty((len(WEIGHTED), pop.n))
        for j, fn in enumerate(INDICATORS.values()):
            v, w = fn(pop, ledger, cfg)
            self._table[j] = v
            if w is not None:
                self._weights[_WEIGHT_ROW[j]] = w
        num, den = member_sums(self._table, self._weights, _WEIGHT_ROW, self._member)
        den[_WEIGHT_ROW < 0] = self.households  # equal weights: the groups' sizes
        with np.errstate(invalid="ignore", divide="ignore"):
            self.values[t] = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan).T

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
