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
from numba import literal_unroll

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

N_ACCOUNTS = len(ACCOUNTS)
"""Stock accounts."""

TILE = 256
"""Households whose flows the check sums at a time (the sums stay in the processor's cache)."""

ROWS = 128
"""Flows a ledger has room for before it grows (a month books about 80)."""


class Ledger:
    """Flows of one month, by account and name, per household (arrays of length n).

    Each flow booked through :meth:`add` is a row of one ``rows × n`` table set aside when the
    ledger is opened (its memory is taken only as rows are written): booking copies the
    numbers into the row, a flow booked again under the same name is added to its row in
    place, and the month's check sums every account's flows in one compiled pass.
    ``flows[account][name]`` is that row. A flow may also be set in ``flows`` directly (an
    array handed over): the ledger then leaves that array as it is.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.flows: dict[str, dict[str, np.ndarray]] = defaultdict(dict)
        self._table = np.empty((ROWS, n))
        self._views: list[np.ndarray | None] = [None] * ROWS  # each booked row's array
        self._row_of: dict[tuple[str, str], int] = {}  # the row of each flow booked by add
        self._rows = 0  # rows used
        self._room = ROWS

    def add(self, account: str, name: str, amount: np.ndarray | float) -> None:
        """Book ``amount`` (signed: + in, - out) on ``account`` under ``name``.

        The ledger copies ``amount`` (an array of length n, or a scalar for every household)
        into the flow's row, as floats.
        """
        book = self.flows[account]
        if name in book:
            row = book[name]
            key = (account, name)
            if key in self._row_of and self._views[self._row_of[key]] is row:
                row += amount
            else:  # a flow set directly: its array is left as it is, the sum is a new one
                book[name] = row + np.asarray(amount, dtype=float)
            return
        r = self._rows
        if r == self._room:
            self._grow()
        self._rows = r + 1
        row = self._table[r]
        row[...] = amount
        book[name] = self._views[r] = row
        self._row_of[(account, name)] = r

    def book(self, names: tuple[tuple[str, str], ...], rows: np.ndarray) -> None:
        """Book each row of a compiled pass's flows under its ``(account, name)``, handing it over.

        The sums :meth:`add` would book, in one call and with no copy: a new flow is the row
        itself, set in :attr:`flows` (the ledger leaves such arrays as they are); a flow
        already booked this month becomes its sum with the row (a new array). ``rows`` may
        hold more rows than ``names`` (the last ones are then not booked).
        """
        for (account, name), amount in zip(names, rows, strict=False):
            book = self.flows[account]
            book[name] = book[name] + amount if name in book else amount

    def running(self, names: tuple[tuple[str, str], ...]) -> tuple[np.ndarray, ...]:
        """The flows ``names`` booked so far this month, for a pass to go on adding to.

        A flow not yet booked is ``-0.0`` for every household (the neutral element of a sum:
        ``-0.0 + x`` is ``x``, as booking ``x`` first gives).
        """
        return tuple(
            [
                self.flows[account][name] if name in self.flows[account] else np.full(self.n, -0.0)
                for account, name in names
            ]
        )

    def set_totals(self, names: tuple[tuple[str, str], ...], rows: np.ndarray) -> None:
        """Set the flows ``names`` to a pass's month totals (rows that began as :meth:`running`)."""
        for (account, name), amount in zip(names, rows, strict=True):
            self.flows[account][name] = amount

    def _grow(self) -> None:
        """Twice the rows: the booked flows move to a table twice as long, in their rows."""
        old, room = self._table, self._room
        self._table = np.empty((2 * room, self.n))
        self._table[:room] = old
        self._views += [None] * room
        self._room = 2 * room
        for (account, name), r in self._row_of.items():
            book, view, moved = self.flows[account], self._views[r], self._table[r]
            self._views[r] = moved
            if name in book and book[name] is view:
                book[name] = moved

    def get(self, account: str, name: str) -> np.ndarray:
        """Flow ``name`` on ``account`` (zeros if nothing was booked)."""
        book = self.flows[account]
        return book[name] if name in book else np.zeros(self.n)

    def net(self, account: str) -> np.ndarray:
        """Sum of all flows booked on ``account``."""
        total = np.zeros(self.n)
        for amount in self.flows[account].values():
            total += amount
        return total

    def stock_flows(self) -> tuple[tuple[np.ndarray, ...], np.ndarray] | None:
        """Every stock account's flows, in the order :meth:`net` adds them, for the check.

        Returns ``(flows, accounts)``: flow ``e`` belongs to account ``ACCOUNTS[accounts[e]]``;
        ``flows`` holds :data:`HANDED` arrays, padded with zeros (contiguous float64 vectors:
        a flow of another kind is copied as one). None if there are more flows than that.
        """
        books = [self.flows[account] for account, _ in ACCOUNTS]
        flows = [flow for book in books for flow in book.values()]
        if len(flows) > HANDED:
            return None
        accounts = [a for a, book in enumerate(books) for _ in book]
        n = (self.n,)
        plain = [
            type(f) is np.ndarray and f.dtype == _FLOAT and f.shape == n and f.strides == _STRIDE
            for f in flows
        ]
        if not all(plain):
            flows = [f if ok else _vector(f, self.n) for f, ok in zip(flows, plain, strict=True)]
        flows += [np.zeros(self.n)] * (HANDED - len(flows))  # one array of zeros, read only
        return tuple(flows), np.array(accounts, dtype=np.int64)


def _vector(flow: np.ndarray | float, n: int) -> np.ndarray:
    """A flow as a contiguous float64 vector of length ``n`` (as adding it to one would read it)."""
    return np.array(np.broadcast_to(np.asarray(flow, dtype=float), (n,)), dtype=float)


HANDED = 128
"""Stock flows a month's compiled check reads (more: the check's tests run one by one)."""

_FLOAT = np.dtype(np.float64)
_STRIDE = (_FLOAT.itemsize,)


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

    False for a ledger of another kind (its flows are not in blocks).
    """
    flows = ledger.stock_flows() if type(ledger) is Ledger else None
    if flows is None:
        return False
    columns = vars(pop)
    floats = tuple([c for c in [columns[name] for name in COLUMN_NAMES] if c.dtype.kind == "f"])
    return bool(
        _month_holds(
            floats,
            tuple([(before[name], columns[name]) for name in STOCKS]),
            _STOCK_ACCOUNTS,
            flows,
            tuple([columns[name] for name in SHARES]),
            (pop.hdds, pop.kcal_adequacy),
            (float(hdds_max), MAX_KCAL_ADEQUACY),
            pop.coping,
        )
    )


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


_STOCK_ACCOUNTS = (
    np.array([_ACCOUNT_INDEX[account] for account in STOCKS.values()], dtype=np.int64),
    np.array([list(STOCKS.values()).index(a) == k for k, a in enumerate(STOCKS.values())]),
)
"""Per stock of :data:`~sim.population.STOCKS`, its account's place in :data:`ACCOUNTS`,
and whether it is its account's first stock."""


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
def _month_holds(
    floats, stocks, stock_accounts, flows, shares, bounded, limits, coping
):  # pragma: no cover - compiled
    """Every invariant of :func:`check` at once: True if none is breached.

    The balances are computed as :func:`_check_balances` computes them, in its order: per
    account, ``delta = Σ (after − before)`` and ``scale = Σ (|before| + |after|)`` over its
    stock columns in their order, then ``|delta − flows| > (scale + 1) × 1e-9`` flags a breach.

    Parameters
    ----------
    floats
        Every float column of the population (NaN and infinity are breaches).
    stocks
        Per stock column of :data:`~sim.population.STOCKS`, ``(at the month's start, now)``.
    stock_accounts
        ``(account, first)``: per stock, its account's place in :data:`ACCOUNTS`, and whether
        it is the account's first stock (the stocks of an account come in the account's order).
    flows
        ``(flows, accounts)``: the stock accounts' flows, each with its account, in the
        order an account's flows are added to zero (:meth:`Ledger.stock_flows`; the flows
        beyond ``accounts`` are padding).
    shares
        Columns that must lie in [0, 1].
    bounded, limits
        ``(hdds, kcal_adequacy)`` and their upper bounds (lower bound 0).
    coping
        Coping levels, in 0-3.
    """
    for col in literal_unroll(floats):
        if not _all_finite(col):
            return False
    account, first = stock_accounts
    handed, row_account = flows
    accounts = N_ACCOUNTS
    n = coping.size
    # a tile of households at a time: the stocks' moves and the flows' sums stay in cache
    delta = np.empty((accounts, TILE))
    scale = np.empty((accounts, TILE))
    booked = np.empty((accounts, TILE))
    for lo in range(0, n, TILE):
        hi = min(lo + TILE, n)
        k = 0
        for pair in literal_unroll(stocks):
            start, now = pair
            a = account[k]
            if not _stock_moves(start[lo:hi], now[lo:hi], delta[a], scale[a], first[k]):
                return False
            k += 1
        booked[:] = 0.0
        for e in range(row_account.size):
            _add_to(booked[row_account[e]], handed[e][lo:hi])
        for a in range(accounts):
            if not _balanced(delta[a, : hi - lo], scale[a, : hi - lo], booked[a]):
                return False
    for col in literal_unroll(shares):
        if not _all_within(col, 0.0, 1.0):
            return False
    hdds, kcal = bounded
    return (
        _all_within(hdds, 0.0, limits[0])
        and _all_within(kcal, 0.0, limits[1])
        and _all_within(coping, 0, 3)
    )


@numba.njit(cache=True, nogil=True)
def _add_to(total, flow):  # pragma: no cover - compiled
    """``total[:len(flow)] += flow``, element by element."""
    for i in range(flow.size):
        total[i] += flow[i]


@numba.njit(cache=True, nogil=True)
def _balanced(delta, scale, booked):  # pragma: no cover - compiled
    """Whether ``|delta − booked| <= (scale + 1) × 1e-9`` for every household of ``delta``."""
    bad = False
    for i in range(delta.size):
        bad |= abs(delta[i] - booked[i]) > (scale[i] + 1.0) * 1e-9
    return not bad


@numba.njit(cache=True, nogil=True)
def _all_finite(col):  # pragma: no cover - compiled
    """Whether no value of ``col`` is NaN or infinite."""
    bad = False
    for i in range(col.size):
        bad |= not np.isfinite(col[i])
    return not bad


@numba.njit(cache=True, nogil=True)
def _all_within(col, lo, hi):  # pragma: no cover - compiled
    """Whether every value of ``col`` lies in [lo, hi]."""
    bad = False
    for i in range(col.size):
        bad |= (col[i] < lo) | (col[i] > hi)
    return not bad


@numba.njit(cache=True, nogil=True)
def _stock_moves(start, now, delta, scale, first):  # pragma: no cover - compiled
    """One stock column into its account's ``delta`` and ``scale``; False if it is negative.

    ``after − before`` and ``|before| + |after|`` (after as a float), set for the account's
    first stock, added for the others.
    """
    negative = False
    for i in range(now.size):
        b = start[i]
        x = float(now[i])
        negative |= x < 0
        if first:
            delta[i] = x - b
            scale[i] = abs(b) + abs(x)
        else:
            delta[i] += x - b
            scale[i] += abs(b) + abs(x)
    return not negative


@numba.njit(cache=True, nogil=True)
def _funds_hold(funds, rounding):  # pragma: no cover - compiled
    """Whether every fund of every group is finite and not below ``-rounding``."""
    for fund in funds:
        for g in range(fund.size):
            if not np.isfinite(fund[g]) or fund[g] < -rounding:
                return False
    return True
