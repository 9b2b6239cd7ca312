"""Stock-flow ledger of one month: every change of a household stock is booked as a flow.

Accounts are the stocks of :data:`sim.population.STOCKS` (grain kg, cash FCFA, savings
FCFA, debt FCFA, animals head) plus ``food`` (kg eaten by source, not a stock). At the end of
the month :func:`check` verifies, per household, that each stock changed by exactly the sum of
its booked flows: nothing is created or lost unaccounted; and that no value is NaN or
infinite, no stock negative and every share in its range. :func:`check_funds` verifies that
no CdR group fund is negative.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np

from sim.population import STOCKS, Population

if TYPE_CHECKING:
    from sim.policies.programme import Programme

SHARES: tuple[str, ...] = ("adoption", "practice", "illness_protection", "care")
"""Population columns that are shares, in [0, 1]."""

GROUP_FUNDS: tuple[str, ...] = ("fund", "social_fund", "contingency")
"""Per-group funds of :class:`~sim.policies.programme.Programme`, FCFA, never negative."""

MAX_KCAL_ADEQUACY = 10.0
"""Energy intake over needs no household can exceed (a bound that catches runaway spending)."""

FUND_ROUNDING = 1e-6
"""FCFA: a fund emptied by a share-out may end a rounding error below zero, no more."""


class Ledger:
    """Flows of one month, by account and name, per household (arrays of length n)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.flows: dict[str, dict[str, np.ndarray]] = defaultdict(dict)

    def add(
        self, account: str, name: str, amount: np.ndarray | float, *, owned: bool = False
    ) -> None:
        """Book ``amount`` (signed: + in, - out) on ``account`` under ``name``.

        The ledger keeps a copy of ``amount``, or, with ``owned``, the array itself (a float
        array its caller hands over and will not change).
        """
        book = self.flows[account]
        amount = np.asarray(amount, dtype=float)
        if amount.ndim == 0:
            amount = np.full(self.n, float(amount))
        if name in book:
            book[name] = book[name] + amount
        else:
            book[name] = amount if owned else amount.copy()

    def get(self, account: str, name: str) -> np.ndarray:
        """Flow ``name`` on ``account`` (zeros if nothing was booked)."""
        return self.flows[account].get(name, np.zeros(self.n))

    def net(self, account: str) -> np.ndarray:
        """Sum of all flows booked on ``account``."""
        total = np.zeros(self.n)
        for amount in self.flows[account].values():
            total += amount
        return total


class InvariantError(AssertionError):
    """A stock-flow balance, a sign or a finiteness invariant was violated."""


def check(
    before: dict[str, np.ndarray],
    pop: Population,
    ledger: Ledger,
    month: int,
    *,
    hdds_max: float = 12.0,
) -> None:
    """Verify the month's invariants; raise :class:`InvariantError` on the first breach.

    Checks: no column holds NaN or infinity (checked first: it would break the balances);
    each account's stocks changed by the sum of its flows (relative tolerance 1e-9); no stock
    is negative; shares lie in [0, 1]; dietary diversity in [0, ``hdds_max``]; energy adequacy in
    [0, :data:`MAX_KCAL_ADEQUACY`]; coping levels in 0-3.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        for name, col in pop.columns().items():
            # a NaN or an infinity anywhere makes the sum non-finite (one pass, no temporary)
            if col.dtype.kind == "f" and not np.isfinite(col.sum()) and not np.isfinite(col).all():
                i = int(np.flatnonzero(~np.isfinite(col))[0])
                raise InvariantError(f"month {month}: {name} of household {i} is {col[i]}")
    _check_balances(before, pop, ledger, month)
    for name in STOCKS:
        col = getattr(pop, name)
        if col.size and col.min() < 0:
            i = int(np.flatnonzero(col < 0)[0])
            raise InvariantError(f"month {month}: {name} of household {i} is negative ({col[i]})")
    for name in SHARES:
        _within(getattr(pop, name), 0.0, 1.0, name, month)
    _within(pop.hdds, 0.0, hdds_max, "hdds", month)
    _within(pop.kcal_adequacy, 0.0, MAX_KCAL_ADEQUACY, "kcal_adequacy", month)
    _within(pop.coping, 0, 3, "coping", month)


ACCOUNTS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (account, tuple(c for c, a in STOCKS.items() if a == account))
    for account in sorted(set(STOCKS.values()))
)
"""Each ledger account with its stock columns."""


def _check_balances(
    before: dict[str, np.ndarray], pop: Population, ledger: Ledger, month: int
) -> None:
    """Each account's stocks changed by the sum of its flows (relative tolerance 1e-9).

    ``|Σ (after − before) − Σ flows| > 1e-9 (1 + Σ (|before| + |after|))`` flags a household;
    the sums run in the order of the stock columns and of the bookings, into buffers kept
    for the call.
    """
    delta, flows, scale, tmp, size = (np.empty(pop.n) for _ in range(5))
    for account, cols in ACCOUNTS:
        for k, c in enumerate(cols):
            after = getattr(pop, c)
            change, term = (tmp, size) if k else (delta, scale)
            np.subtract(after, before[c], out=change)
            np.abs(before[c], out=term)
            term += np.abs(after, out=flows)  # flows: scratch until the flows are summed
            if k:
                delta += change
                scale += term
        flows.fill(0.0)
        for amount in ledger.flows[account].values():
            flows += amount
        scale += 1.0
        scale *= 1e-9
        np.subtract(delta, flows, out=tmp)
        np.abs(tmp, out=tmp)
        if (tmp > scale).any():
            i = int(np.flatnonzero(tmp > scale)[0])
            moved = sum(float(getattr(pop, c)[i]) - float(before[c][i]) for c in cols)
            raise InvariantError(
                f"month {month}: {account} of household {i} changed by {moved:.6g} "
                f"but its flows sum to {flows[i]:.6g} ({_flows_at(ledger, account, i)})"
            )


def check_funds(programme: Programme, month: int) -> None:
    """Verify that no CdR group fund (loan fund, social fund, contingency fund) is negative.

    A fund paid out in full may end a rounding error below zero (:data:`FUND_ROUNDING`).

    Raises
    ------
    InvariantError
        On a negative or non-finite fund; the message names the fund and the group.
    """
    for name in GROUP_FUNDS:
        fund = getattr(programme, name)
        if not np.isfinite(fund).all():
            raise InvariantError(f"month {month}: CdR group {name} holds NaN or infinite values")
        if (fund < -FUND_ROUNDING).any():
            g = int(np.flatnonzero(fund < -FUND_ROUNDING)[0])
            raise InvariantError(f"month {month}: {name} of CdR group {g} is negative ({fund[g]})")


def _within(col: np.ndarray, lo: float, hi: float, name: str, month: int) -> None:
    if col.size == 0 or (col.min() >= lo and col.max() <= hi):  # finite: checked first
        return
    bad = (col < lo) | (col > hi)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvariantError(
            f"month {month}: {name} of household {i} is {col[i]}, outside [{lo:g}, {hi:g}]"
        )


def _flows_at(ledger: Ledger, account: str, i: int) -> str:
    return ", ".join(f"{k}={v[i]:.6g}" for k, v in ledger.flows[account].items())
