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

import numba
import numpy as np

from sim.population import COLUMN_NAMES, STOCKS, Population

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


ACCOUNTS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (account, tuple(c for c, a in STOCKS.items() if a == account))
    for account in sorted(set(STOCKS.values()))
)
"""Each ledger account with its stock columns."""

_ACCOUNT_INDEX: dict[str, int] = {account: k for k, (account, _) in enumerate(ACCOUNTS)}
"""Position of each stock account in :data:`ACCOUNTS` (other accounts, such as food: -1)."""

BLOCK_ROWS = 32
"""Flows a block of the ledger holds (a month books about 80, in three blocks)."""


class Ledger:
    """Flows of one month, by account and name, per household (arrays of length n).

    Each flow is a row of a block of ``BLOCK_ROWS × n`` floats allocated when the month needs
    it, so that booking a flow copies its numbers into memory already set aside and the
    month's check sums every flow in a compiled pass. ``flows[account][name]`` is that row;
    book through :meth:`add` only (a flow booked again under the same name is added to its
    row in place).
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.flows: dict[str, dict[str, np.ndarray]] = defaultdict(dict)
        self._blocks: list[np.ndarray] = []
        self._row_account: list[int] = []  # per row, its account's place in ACCOUNTS, or -1
        self._rows = 0  # rows booked

    def add(
        self, account: str, name: str, amount: np.ndarray | float, *, owned: bool = False
    ) -> None:
        """Book ``amount`` (signed: + in, - out) on ``account`` under ``name``.

        The ledger copies ``amount`` (an array of length n, or a scalar for every household)
        into the flow's row, as floats; ``owned`` (a float array its caller hands over) is
        accepted for compatibility and changes nothing.
        """
        book = self.flows[account]
        if name in book:
            book[name] += amount
            return
        r = self._rows
        if r % BLOCK_ROWS == 0:
            self._blocks.append(np.empty((BLOCK_ROWS, self.n)))
            self._row_account += [-1] * BLOCK_ROWS
        self._rows = r + 1
        row = self._blocks[-1][r % BLOCK_ROWS]
        row[...] = amount
        book[name] = row
        if account in _ACCOUNT_INDEX:
            self._row_account[r] = _ACCOUNT_INDEX[account]

    def get(self, account: str, name: str) -> np.ndarray:
        """Flow ``name`` on ``account`` (zeros if nothing was booked)."""
        return self.flows[account].get(name, np.zeros(self.n))

    def net(self, account: str) -> np.ndarray:
        """Sum of all flows booked on ``account``."""
        total = np.zeros(self.n)
        for amount in self.flows[account].values():
            total += amount
        return total

    def account_sums(self) -> np.ndarray:
        """Per stock account of :data:`ACCOUNTS`, the sum of its flows (``(accounts, n)``).

        Each account's flows are added to zero in the order they were first booked: the
        numbers of :meth:`net`.
        """
        sums = np.zeros((len(ACCOUNTS), self.n))
        accounts = np.array(self._row_account, dtype=np.int64)
        for b, block in enumerate(self._blocks):
            first = b * BLOCK_ROWS
            _add_rows(block, accounts[first : first + BLOCK_ROWS], sums)
        return sums


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

    Every test runs first in one compiled pass over households (:func:`_month_holds`); only
    when that pass finds a breach (or cannot run: columns of unusual types) are the tests
    made again one by one, to find the first breach and name it.
    """
    if not _holds(before, pop, ledger, hdds_max):
        _check_each(before, pop, ledger, month, hdds_max)


def _holds(before: dict[str, np.ndarray], pop: Population, ledger: Ledger, hdds_max: float) -> bool:
    """Whether every invariant of :func:`check` holds, in one compiled pass.

    False also where the pass cannot run: a float column that is not a contiguous float64
    vector, a stock column neither float64 nor int64, a ledger of another kind.
    """
    floats = tuple(
        [c for c in [getattr(pop, name) for name in COLUMN_NAMES] if c.dtype.kind == "f"]
    )
    start = tuple([before[name] for name in STOCKS])
    shares = tuple([getattr(pop, name) for name in SHARES])
    bounded = (pop.hdds, pop.kcal_adequacy)
    after = [getattr(pop, name) for name in STOCKS]
    is_int = np.array([c.dtype == np.int64 for c in after])
    # what the pass reads: contiguous vectors, floats of one type, stocks float64 or int64
    plain = [
        c.dtype == np.float64 and c.ndim == 1 and c.flags.c_contiguous
        for c in (*floats, *start, *shares, *bounded)
    ]
    stocks = [
        (c.dtype == np.float64 or c.dtype == np.int64) and c.ndim == 1 and c.flags.c_contiguous
        for c in after
    ]
    if not (
        all(plain) and all(stocks) and type(ledger) is Ledger and pop.coping.dtype.kind in "iu"
    ):
        return False
    ints = tuple([c for c, i in zip(after, is_int, strict=True) if i])
    return bool(
        _month_holds(
            floats,
            start,
            (tuple([c for c, i in zip(after, is_int, strict=True) if not i]), ints or (_NO_INTS,)),
            is_int,
            _ACCOUNT_COLUMNS,
            ledger.account_sums(),
            shares,
            bounded,
            (float(hdds_max), MAX_KCAL_ADEQUACY),
            pop.coping,
        )
    )


_NO_INTS = np.zeros(0, dtype=np.int64)
"""Stands for the integer stock columns where there are none (a tuple of one type)."""


def _check_each(
    before: dict[str, np.ndarray], pop: Population, ledger: Ledger, month: int, hdds_max: float
) -> None:
    """The tests of :func:`check` one after the other: raise on the first breach, named."""
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


_ACCOUNT_COLUMNS = (
    np.array([list(STOCKS).index(c) for _, cols in ACCOUNTS for c in cols], dtype=np.int64),
    np.cumsum([0] + [len(cols) for _, cols in ACCOUNTS], dtype=np.int64),
)
"""The stocks of each account of :data:`ACCOUNTS` (places in STOCKS) and where each starts."""


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
    funds = tuple([getattr(programme, name) for name in GROUP_FUNDS])
    if all(
        [f.dtype == np.float64 and f.ndim == 1 and f.flags.c_contiguous for f in funds]
    ) and _funds_hold(funds, FUND_ROUNDING):
        return
    for name in GROUP_FUNDS:  # a breach, or funds of another type: name the first breach
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


@numba.njit(cache=True, nogil=True)
def _add_rows(block, accounts, sums):  # pragma: no cover - compiled
    """Add row ``r`` of ``block`` to row ``accounts[r]`` of ``sums`` (none where it is -1)."""
    for r in range(accounts.size):
        a = accounts[r]
        if a >= 0:
            for i in range(block.shape[1]):
                sums[a, i] += block[r, i]


@numba.njit(cache=True, nogil=True)
def _month_holds(
    floats, before, after, is_int, accounts, flows, shares, bounded, limits, coping
):  # pragma: no cover - compiled
    """Every invariant of :func:`check` at once: True if none is breached.

    The balances are computed as :func:`_check_balances` computes them, in its order: per
    account, ``delta = Σ (after − before)`` and ``scale = Σ (|before| + |after|)`` over its
    stock columns in their order, then ``|delta − flows| > (scale + 1) × 1e-9`` flags a breach.

    Parameters
    ----------
    floats
        Every float column of the population (NaN and infinity are breaches).
    before
        The stock columns at the month's start, in :data:`~sim.population.STOCKS` order.
    after, is_int
        The stock columns now, ``(float ones, integer ones)``, each in STOCKS order;
        ``is_int[k]`` says in which tuple stock ``k`` is.
    accounts
        ``(columns, start)``: the stocks of account ``a`` of :data:`ACCOUNTS` are
        ``columns[start[a]:start[a + 1]]`` (places in STOCKS), in their order.
    flows
        ``(accounts, n)``: each account's flows summed (:meth:`Ledger.account_sums`).
    shares
        Columns that must lie in [0, 1].
    bounded, limits
        ``(hdds, kcal_adequacy)`` and their upper bounds (lower bound 0).
    coping
        Coping levels, in 0-3.
    """
    after_float, after_int = after
    account_cols, account_start = accounts
    for c in range(len(floats)):
        col = floats[c]
        for i in range(col.size):
            if not np.isfinite(col[i]):
                return False
    stocks = is_int.size
    pos = np.empty(stocks, dtype=np.int64)  # each stock's place in its tuple
    floats_seen = ints_seen = 0
    for k in range(stocks):
        if is_int[k]:
            pos[k] = ints_seen
            ints_seen += 1
        else:
            pos[k] = floats_seen
            floats_seen += 1
    n = coping.size
    for i in range(n):
        for a in range(account_start.size - 1):
            delta = 0.0
            scale = 0.0
            for m in range(account_start[a], account_start[a + 1]):
                k = account_cols[m]
                b = before[k][i]
                x = float(after_int[pos[k]][i]) if is_int[k] else after_float[pos[k]][i]
                if x < 0:
                    return False
                if m == account_start[a]:
                    delta = x - b
                    scale = abs(b) + abs(x)
                else:
                    delta += x - b
                    scale += abs(b) + abs(x)
            scale += 1.0
            scale *= 1e-9
            if abs(delta - flows[a, i]) > scale:
                return False
    for c in range(len(shares)):
        col = shares[c]
        for i in range(n):
            if col[i] < 0.0 or col[i] > 1.0:
                return False
    for c in range(len(bounded)):
        col = bounded[c]
        for i in range(n):
            if col[i] < 0.0 or col[i] > limits[c]:
                return False
    for i in range(n):
        if coping[i] < 0 or coping[i] > 3:
            return False
    return True


@numba.njit(cache=True, nogil=True)
def _funds_hold(funds, rounding):  # pragma: no cover - compiled
    """Whether every fund of every group is finite and not below ``-rounding``."""
    for fund in funds:
        for g in range(fund.size):
            if not np.isfinite(fund[g]) or fund[g] < -rounding:
                return False
    return True
