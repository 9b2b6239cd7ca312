"""Resilience capacity index (RCI) per household, in the spirit of FAO's RIMA-II.

RIMA-II (domain.md §2) measures resilience capacity from four pillars: access to basic
services (**ABS**), assets (**AST**), social safety nets (**SSN**) and adaptive capacity
(**AC**). Food-security indicators are outcomes, not inputs, so none of them enters the index.
Here each pillar is the mean of the z-scores of its observed variables (standardised over
the households scored together), and the RCI is the first principal component of the four
standardised pillar scores (numpy SVD), signed so that more of every pillar means more
capacity and rescaled to 0-100 over the households scored together. The pillar loadings
play the role of RIMA's Resilience Structure Matrix.

Variables (per household):

- ABS: village market access (0-1); partner basic services (water, health and nutrition
  services of the joint plan: 1 if the household receives them).
- AST: TLU; cultivated land (ha); liquid savings (cash at home + group savings, FCFA); net
  assets (FCFA, at mean prices).
- SSN: transfers received in the last 12 months (cash transfers, contingency-fund and
  social-fund grants, food rations valued at the month's millet price) over the household's
  annual survival threshold; active membership of a savings group; access to a group's social
  or contingency fund.
- AC: income diversity (the number of livelihood income sources, among trade and firewood,
  remittances, garden, livestock sales and grain sales, that brought income in the last 12
  months); adoption of improved practices (0-1); training (field school attended, nutrition
  practice learned; 0-1).

Because the index is rescaled over the households scored together, RCI values are
comparable only within one scoring: to compare packages, score their households together
(:func:`score` on the concatenated variable tables).
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
import pandas as pd
from numba import literal_unroll

from sim.config import ModelConfig
from sim.ledger import Ledger
from sim.policies.programme import Programme
from sim.population import Population, household_need_kg, net_assets, tlu
from sim.world import World

PILLARS: dict[str, tuple[str, ...]] = {
    "ABS": ("market_access", "partner_services"),
    "AST": ("tlu", "land_ha", "liquid_savings", "net_assets"),
    "SSN": ("transfers", "group_member", "fund_access"),
    "AC": ("income_sources", "adoption", "training"),
}
"""The observed variables of each RIMA-II pillar."""

INCOME_SOURCES: tuple[tuple[str, str], ...] = (
    ("cash", "trade"),
    ("cash", "remittances"),
    ("cash", "garden"),
    ("cash", "offtake_sales"),
    ("cash", "grain_sales"),
)
"""Ledger flows (account, name) counted as livelihood income sources. Farm labour sold on
others' fields is left out: in the HEA reading it is coping income that transfers substitute
for (domain.md §1.1, Niger cash pilot [F]), not a diversified livelihood."""

CASH_TRANSFERS: tuple[tuple[str, str], ...] = (
    ("cash", "cash_transfer"),
    ("cash", "contingency_fund"),
    ("cash", "social_fund"),
)
"""Ledger flows (account, name) counted as transfers received in cash."""

if {account for account, _ in INCOME_SOURCES + CASH_TRANSFERS} != {"cash"}:
    raise ImportError("the RCI reads its income sources and transfers from the cash account")
_SOURCE_NAMES = [name for _, name in INCOME_SOURCES]
_TRANSFER_NAMES = [name for _, name in CASH_TRANSFERS]


@dataclass(frozen=True)
class Scored:
    """An RCI scoring of a set of households.

    Attributes
    ----------
    rci
        Resilience capacity index per household, 0-100.
    pillars
        Standardised pillar scores (columns ABS, AST, SSN, AC), one row per household.
    loadings
        Weight of each pillar in the first principal component (unit vector), by pillar.
    explained
        Share of the pillars' variance explained by the first component.
    """

    rci: np.ndarray
    pillars: pd.DataFrame
    loadings: pd.Series
    explained: float


class RciTracker:
    """Keeps, for the last 12 months, which income sources paid and the transfers received.

    Parameters
    ----------
    pop, cfg, world, prog
        The run's population table, configuration, world and programme.
    """

    def __init__(self, pop: Population, cfg: ModelConfig, world: World, prog: Programme) -> None:
        self.pop, self.cfg, self.world, self.prog = pop, cfg, world, prog
        self._earned = np.zeros((12, len(INCOME_SOURCES), pop.n), dtype=bool)
        self._transfers = np.zeros((12, pop.n))
        self._trained = np.zeros(pop.n, dtype=bool)
        self._zeros = np.zeros(pop.n)  # a flow not booked this month
        self._millet = np.asarray(world.prices["millet"], dtype=float)

    def update(self, t: int, ledger: Ledger) -> None:
        """Record which sources paid in month ``t`` and the transfers received (after the month)."""
        flows, zeros = ledger.flows, self._zeros
        cash, food = flows["cash"], flows["food"]  # the accounts of INCOME_SOURCES, CASH_TRANSFERS
        _remember(
            t % 12,
            tuple([cash[name] if name in cash else zeros for name in _SOURCE_NAMES]),
            tuple([cash[name] if name in cash else zeros for name in _TRANSFER_NAMES]),
            food["rations"] if "rations" in food else zeros,
            self._millet[t],
            self._earned,
            self._transfers,
        )
        if self.prog.active(t):
            self._trained |= self.prog.school

    def variables(self) -> pd.DataFrame:
        """The observed variables of every pillar now, one row per household."""
        pop, cfg, prog = self.pop, self.cfg, self.prog
        c = cfg.consumption
        mean_price = float(np.mean(cfg.market.millet_price))
        survival = pop.size * c.survival_nonfood + 12 * household_need_kg(pop, cfg) * mean_price
        sources = self._earned.any(axis=0).sum(axis=0).astype(float)  # last 12 months
        groups = np.maximum(pop.group, 0)
        funds = (prog.social_fund + prog.contingency) if len(prog.fund) else np.zeros(1)
        fund_access = (pop.group >= 0) & (funds[groups] > 0)
        partner = prog.participants & (prog.dose.partners > 0)
        return pd.DataFrame(
            {
                "market_access": self.world.villages.market_access[pop.village],
                "partner_services": partner.astype(float),
                "tlu": tlu(pop, cfg),
                "land_ha": pop.land_ha,
                "liquid_savings": pop.cash + pop.savings,
                "net_assets": net_assets(pop, cfg),
                "transfers": self._transfers.sum(axis=0) / survival,
                "group_member": pop.vsla.astype(float),
                "fund_access": fund_access.astype(float),
                "income_sources": sources,
                "adoption": pop.adoption,
                "training": np.maximum(self._trained.astype(float), pop.practice),
            }
        )

    def index(self) -> np.ndarray:
        """RCI of every household now, 0-100 over this run's households."""
        return score(self.variables()).rci


def standardise(x: np.ndarray) -> np.ndarray:
    """z-scores of the columns of ``x`` (a constant column scores 0)."""
    x = np.asarray(x, dtype=float)
    sd = x.std(axis=0)
    return np.divide(x - x.mean(axis=0), sd, out=np.zeros_like(x), where=sd > 0)


def pillar_scores(variables: pd.DataFrame) -> pd.DataFrame:
    """Each pillar's score: the mean of the z-scores of its variables over these households."""
    return pd.DataFrame(_pillar_array(variables), columns=list(PILLARS))


def _pillar_array(variables: pd.DataFrame) -> np.ndarray:
    z = standardise(variables[_all_variables()].to_numpy(dtype=float))
    out = np.empty((len(z), len(PILLARS)))
    j = 0
    for k, cols in enumerate(PILLARS.values()):
        out[:, k] = z[:, j : j + len(cols)].mean(axis=1)
        j += len(cols)
    return out


def score(variables: pd.DataFrame) -> Scored:
    """Score households: pillar scores, weights from their first principal component, 0-100.

    The pillar scores are standardised and decomposed by SVD; the first component's loadings
    (signed so that they sum to a positive number) are the resilience structure, and their
    squares, which sum to one, weight the standardised pillars (the usual way to turn
    principal-component loadings into composite-index weights: a pillar never counts
    against capacity, whatever the sign its loading takes when targeting makes safety nets
    go to the asset-poor). The weighted sum is rescaled to 0-100 over the households scored.

    Parameters
    ----------
    variables
        One row per household with the columns of :data:`PILLARS` (see
        :meth:`RciTracker.variables`); several runs' tables may be concatenated to score
        them on a common scale.
    """
    z = standardise(_pillar_array(variables))
    pillars = pd.DataFrame(z, columns=list(PILLARS))
    if len(z) < 2 or not np.any(z):
        zeros = np.zeros(len(z))
        return Scored(zeros, pillars, pd.Series(0.0, index=list(PILLARS)), 0.0)
    _, s, vt = np.linalg.svd(z, full_matrices=False)
    loadings = vt[0] if vt[0].sum() >= 0 else -vt[0]
    component = z @ loadings**2
    span = component.max() - component.min()
    rci = 100.0 * (component - component.min()) / span if span > 0 else np.zeros(len(z))
    rci = np.clip(rci, 0.0, 100.0)  # the maximum may round to 1 ulp above 100
    explained = float(s[0] ** 2 / (s**2).sum())
    return Scored(rci, pillars, pd.Series(loadings, index=list(PILLARS)), explained)


def _all_variables() -> list[str]:
    return [v for cols in PILLARS.values() for v in cols]


@numba.njit(cache=True, nogil=True)
def _remember(
    slot, sources, cash, rations, price, earned, transfers
):  # pragma: no cover - compiled
    """Slot ``slot`` of the last twelve months: which sources paid, the transfers received.

    ``earned[slot, j] = sources[j] > 0``; ``transfers[slot] = (0 + cash[0] + cash[1] + …)
    + rations × price``: the numpy expressions' arithmetic, in their order.
    """
    j = 0
    for source in literal_unroll(sources):
        for i in range(rations.size):
            earned[slot, j, i] = source[i] > 0
        j += 1
    total = transfers[slot]
    total[:] = 0.0
    for flow in literal_unroll(cash):
        for i in range(rations.size):
            total[i] += flow[i]
    for i in range(rations.size):
        total[i] += rations[i] * price
