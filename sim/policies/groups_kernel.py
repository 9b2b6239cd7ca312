"""The savings groups' month as compiled passes (:mod:`sim.policies.financial`).

Each pass does, for every household and every CdR group, the arithmetic of the numpy
expressions of the group rules in the same order, so the numbers are identical to the last
bit: sums by group are added in household order from zero (as ``sim.kernels.grouped_sum``
adds them), ``num / den`` is 0 where ``den`` is not positive (``safe_ratio``), and
:func:`_max`, :func:`_min` and :func:`_clip01` give what numpy's ``maximum``, ``minimum`` and
``clip`` give on this machine, signed zeros and NaN included (a tie returns the second
operand; ``clip`` keeps a value equal to a bound). Every pass works on the active members'
groups (``group`` where ``vsla``, else no group) unless it says otherwise. Compiled with
numba (``cache=True``); with ``NUMBA_DISABLE_JIT=1`` the passes run as plain Python.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.kernels import clip01, maximum, minimum, ratio_or_zero

REPAYMENT_FLOWS: tuple[tuple[str, str], ...] = (
    ("group_debt", "service_charge"),
    ("group_debt", "repayment"),
    ("cash", "group_repayment"),
)
"""Ledger accounts and names of the rows of :func:`charge_and_repay`'s flows."""

LOAN_FLOWS: tuple[tuple[str, str], ...] = (("cash", "group_loan"), ("group_debt", "group_loan"))
"""Ledger accounts and names of the rows of :func:`lend`'s flows."""

SHARE_FLOWS: tuple[tuple[str, str], ...] = (
    ("cash", "shares"),
    ("savings", "shares"),
    ("cash", "social_fund_contribution"),
)
"""Ledger accounts and names of the rows of :func:`buy_shares`'s flows."""

SHARE_OUT_FLOWS: tuple[tuple[str, str], ...] = (
    ("group_debt", "share_out_netting"),
    ("cash", "share_out"),
    ("savings", "share_out"),
)
"""Ledger accounts and names of the rows of :func:`share_out`'s flows."""

DISSOLUTION_FLOWS: tuple[tuple[str, str], ...] = (
    ("group_debt", "write_off"),
    ("cash", "group_dissolution"),
)
"""Ledger accounts and names of the rows of :func:`dissolve`'s flows."""


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _pay_pro_rata(
    group, vsla, ask, available, demand, pot, cash, paid
):  # pragma: no cover - compiled
    """Pay each member her ``ask`` × her group's ``available / demand`` (at most 1) out of ``pot``.

    Writes the payments into ``paid`` (per household, 0 for non-members, whose ``ask`` is 0)
    and adds them to ``cash``; returns each group's ``pot`` less what it paid, not below 0
    (a new array).
    """
    ratio = np.empty(pot.size)
    for k in range(pot.size):
        ratio[k] = clip01(ratio_or_zero(available[k], demand[k]))
    total = np.zeros(pot.size)
    for i in range(group.size):
        member = vsla[i] and group[i] >= 0
        x = ask[i] * ratio[group[i] if member else 0]
        paid[i] = x
        if member:
            total[group[i]] += x
        cash[i] = cash[i] + x
    after = np.empty(pot.size)
    for k in range(pot.size):
        after[k] = maximum(pot[k] - total[k], 0.0)
    return after


@numba.njit(cache=True, nogil=True, error_model="numpy")
def charge_and_repay(
    group, group_debt, cash, present, cap, survival, fund, service_charge, repay_share
):  # pragma: no cover - compiled
    """Service charges accrue on every loan; members within reach repay.

    Parameters
    ----------
    group
        CdR group per household (-1: none); repayments go to the household's group, even
        when she is no longer an active member.
    group_debt, cash
        FCFA per household; updated in place.
    present
        Whether each household is within reach this month.
    cap
        Debt beyond which no charge accrues, FCFA per household.
    survival
        A month of survival non-food spending, FCFA per household.
    fund
        Cash in each group's loan fund, FCFA; repayments added in place.
    service_charge, repay_share
        Monthly charge on debt; share of cash above a month of survival spending repaid.

    Returns
    -------
    numpy.ndarray
        ``(3, n)`` flows: the charge, then the repayment (negative) on ``group_debt`` and on
        ``cash``.
    """
    n = group.size
    flows = np.empty((3, n))
    repaid = np.zeros(fund.size)
    for i in range(n):
        d = group_debt[i]
        charge = minimum(d * service_charge, maximum(cap[i] - d, 0.0))
        d = d + charge
        repay = minimum(d, repay_share * maximum(cash[i] - survival[i], 0.0)) if present[i] else 0.0
        group_debt[i] = d - repay
        cash[i] = cash[i] - repay
        if group[i] >= 0:
            repaid[group[i]] += repay
        flows[0, i] = charge
        flows[1, i] = -repay
        flows[2, i] = -repay
    for k in range(fund.size):
        fund[k] = fund[k] + repaid[k]
    return flows


@numba.njit(cache=True, nogil=True, error_model="numpy")
def claims(group, vsla, savings, group_debt, fund):  # pragma: no cover - compiled
    """Each member's claim on her group's fund beyond her shares, FCFA (0 for others).

    The fund is worth its cash plus the loans members owe it; a member owns her savings'
    part of it, or an equal part where no member of the group holds savings.
    """
    n = group.size
    total = np.zeros(fund.size)
    owed = np.zeros(fund.size)
    count = np.zeros(fund.size)
    for i in range(n):
        if vsla[i] and group[i] >= 0:
            g = group[i]
            total[g] += savings[i]
            owed[g] += group_debt[i]
            count[g] += 1.0
    per_share = np.empty(fund.size)
    each = np.empty(fund.size)
    for k in range(fund.size):
        worth = fund[k] + owed[k]
        per_share[k] = ratio_or_zero(worth, total[k])
        each[k] = ratio_or_zero(worth, count[k])
    equity = np.zeros(n)
    for i in range(n):
        if vsla[i] and group[i] >= 0:
            g = group[i]
            claim = savings[i] * per_share[g] if total[g] > 0 else each[g]
            equity[i] = claim - savings[i]
    return equity


@numba.njit(cache=True, nogil=True, error_model="numpy")
def lend(
    group, vsla, present, need, group_debt, savings, multiple, cash, fund, lendable_share
):  # pragma: no cover - compiled
    """Group loans to members within reach short of ``need`` FCFA, pro rata of what is lendable.

    A member with a loan outstanding asks nothing; others ask up to ``multiple`` × their
    savings. A group lends out of its fund's cash, keeping its fund (cash and loans) lent out
    to ``lendable_share`` at most. Updates ``cash`` and ``group_debt`` in place.

    Returns
    -------
    tuple
        ``(2, n)`` flows (the loans, FCFA per household, on ``cash`` and on ``group_debt``:
        :data:`LOAN_FLOWS`) and each group's fund after them (a new array).
    """
    n = group.size
    g_count = fund.size
    ask = np.empty(n)
    demand = np.zeros(g_count)
    outstanding = np.zeros(g_count)
    for i in range(n):
        member = vsla[i] and group[i] >= 0
        room = 0.0 if group_debt[i] > 0 else multiple[i] * savings[i]
        a = minimum(maximum(need[i], 0.0), room) if member and present[i] else 0.0
        ask[i] = a
        if member:
            demand[group[i]] += a
            outstanding[group[i]] += group_debt[i]
    available = np.empty(g_count)
    for k in range(g_count):
        a = maximum(lendable_share * (fund[k] + outstanding[k]) - outstanding[k], 0.0)
        available[k] = minimum(a, fund[k])
    loan = np.empty((2, n))
    after = _pay_pro_rata(group, vsla, ask, available, demand, fund, cash, loan[0])
    for i in range(n):
        loan[1, i] = loan[0, i]
        group_debt[i] = group_debt[i] + loan[0, i]
    return loan, after


@numba.njit(cache=True, nogil=True, error_model="numpy")
def social_grant(
    group, vsla, present, bills, cover, social_fund, cash
):  # pragma: no cover - compiled
    """The social fund pays members within reach ``cover`` of their bills while it lasts.

    Updates ``cash`` in place.

    Returns
    -------
    tuple
        The grants, FCFA per household, and each group's social fund after them (a new array).
    """
    n = group.size
    g_count = social_fund.size
    ask = np.empty(n)
    demand = np.zeros(g_count)
    for i in range(n):
        member = vsla[i] and group[i] >= 0
        a = bills[i] * cover if member and present[i] else 0.0
        ask[i] = a
        if member:
            demand[group[i]] += a
    grant = np.empty(n)
    after = _pay_pro_rata(group, vsla, ask, social_fund, demand, social_fund, cash, grant)
    return grant, after


@numba.njit(cache=True, nogil=True, error_model="numpy")
def buy_shares(
    group,
    vsla,
    present,
    need_kg,
    grain_kg,
    price,
    survival,
    shares_each,
    social_each,
    cash,
    savings,
    fund,
    social_fund,
):  # pragma: no cover - compiled
    """Members within reach buy shares and pay the social fund if cash exceeds essentials.

    Parameters
    ----------
    need_kg
        Grain the household must buy or grow this month (need less in-kind food), kg.
    grain_kg
        Grain in store, kg.
    price
        The month's millet price, FCFA/kg.
    survival
        A month of survival non-food spending, FCFA per household.
    shares_each, social_each
        Shares a member buys this month (FCFA per household) and her social-fund payment
        (FCFA).
    cash, savings, fund, social_fund
        Updated in place (FCFA per household; per group).

    Returns
    -------
    numpy.ndarray
        ``(3, n)`` flows: shares out of cash (negative), into savings, and the social-fund
        payment out of cash (negative).
    """
    n = group.size
    flows = np.empty((3, n))
    bought = np.zeros(fund.size)
    paid = np.zeros(fund.size)
    for i in range(n):
        to_buy = maximum(need_kg[i] - grain_kg[i], 0.0) * price
        essentials = survival[i] + to_buy
        attending = 1.0 if (vsla[i] and present[i]) else 0.0
        shares = shares_each[i] * attending
        social = social_each * attending
        pays = 1.0 if cash[i] - essentials >= shares + social else 0.0
        shares, social = shares * pays, social * pays
        cash[i] = cash[i] - (shares + social)
        savings[i] = savings[i] + shares
        if vsla[i] and group[i] >= 0:
            bought[group[i]] += shares
            paid[group[i]] += social
        flows[0, i] = -shares
        flows[1, i] = shares
        flows[2, i] = -social
    for k in range(fund.size):
        fund[k] = fund[k] + bought[k]
    for k in range(fund.size):
        social_fund[k] = social_fund[k] + paid[k]
    return flows


@numba.njit(cache=True, nogil=True, error_model="numpy")
def contingency_payout(
    group, village, participants, present, hit, contingency, share, cash
):  # pragma: no cover - compiled
    """Members within reach in villages ``hit`` share ``share`` of their group's contingency fund.

    Works on the participants' groups (``group``), not only the active savers'. A group none
    of whose members is within reach keeps its fund. Updates ``contingency`` and ``cash`` in
    place.

    Returns
    -------
    numpy.ndarray
        The payouts, FCFA per household.
    """
    n = group.size
    count = np.zeros(contingency.size)
    for i in range(n):
        if participants[i] and group[i] >= 0 and hit[village[i]] and present[i]:
            count[group[i]] += 1.0
    each = np.empty(contingency.size)
    for k in range(contingency.size):
        pot = contingency[k] * share * (1.0 if count[k] > 0 else 0.0)
        contingency[k] = contingency[k] - pot
        each[k] = ratio_or_zero(pot, count[k])
    grant = np.zeros(n)
    for i in range(n):
        if participants[i] and group[i] >= 0 and hit[village[i]] and present[i]:
            grant[i] = each[group[i]]
        cash[i] = cash[i] + grant[i]
    return grant


@numba.njit(cache=True, nogil=True, error_model="numpy")
def share_out(group, vsla, ending, savings, group_debt, cash, fund):  # pragma: no cover - compiled
    """The groups ``ending`` their cycle share their whole fund out in proportion to savings.

    A member's claim is her savings' part of the fund's cash and of the loans members owe
    it; her outstanding loan is repaid from her claim first, and the group's cash pays what
    is due pro rata (arrears stay owed). Updates ``group_debt`` and ``cash`` in place.

    Returns
    -------
    tuple
        ``(3, n)`` flows (the loans netted, negative, on ``group_debt``; the payouts, on
        ``cash``; the savings shared out, negative, on ``savings``), each group's fund after
        the share-out and the savings after it (new arrays).
    """
    n = group.size
    g_count = fund.size
    total = np.zeros(g_count)
    owed = np.zeros(g_count)
    in_ending = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        if vsla[i] and group[i] >= 0:
            g = group[i]
            in_ending[i] = ending[g]
            w = 1.0 if ending[g] else 0.0
            total[g] += savings[i] * w
            owed[g] += group_debt[i] * w
    ratio = np.empty(g_count)
    for k in range(g_count):
        ratio[k] = ratio_or_zero(fund[k] + owed[k], total[k])
    flows = np.empty((3, n))
    due = np.empty(n)
    dues = np.zeros(g_count)
    for i in range(n):
        member = vsla[i] and group[i] >= 0
        claim = savings[i] * ratio[group[i]] if in_ending[i] else 0.0
        netted = minimum(claim, group_debt[i])
        group_debt[i] = group_debt[i] - netted
        due[i] = claim - netted
        if member:
            dues[group[i]] += due[i]
        flows[0, i] = -netted
    cash_ratio = np.empty(g_count)
    for k in range(g_count):
        cash_ratio[k] = clip01(ratio_or_zero(fund[k], dues[k]))
    paid = np.zeros(g_count)
    kept = np.empty(n)
    for i in range(n):
        member = vsla[i] and group[i] >= 0
        payout = due[i] * cash_ratio[group[i] if member else 0]
        if member:
            paid[group[i]] += payout
        flows[1, i] = payout
        flows[2, i] = -(savings[i] if in_ending[i] else 0.0)
        cash[i] = cash[i] + payout
        kept[i] = 0.0 if in_ending[i] else savings[i]
    after = np.empty(g_count)
    for k in range(g_count):
        after[k] = maximum(fund[k] - paid[k], 0.0)
    return flows, after, kept


@numba.njit(cache=True, nogil=True, error_model="numpy")
def dissolve(
    group, ending, group_debt, cash, fund, social_fund, contingency
):  # pragma: no cover - compiled
    """The groups ``ending`` for good write off their members' loans and pay out what is left.

    Works on every household of the groups (``group``), active savers or not: what remains
    in the loan, social and contingency funds is paid out in equal parts, and the funds of a
    group with members are emptied. Updates ``group_debt``, ``cash`` and the funds in place.

    Returns
    -------
    numpy.ndarray
        ``(2, n)`` flows: the loans written off (negative, on ``group_debt``) and the payouts
        (on ``cash``).
    """
    n = group.size
    g_count = fund.size
    count = np.zeros(g_count)
    for i in range(n):
        if group[i] >= 0:
            count[group[i]] += 1.0 if ending[group[i]] else 0.0
    each = np.empty(g_count)
    for k in range(g_count):
        left = fund[k] + social_fund[k] + contingency[k] if ending[k] else 0.0
        each[k] = ratio_or_zero(left, count[k])
    flows = np.empty((2, n))
    for i in range(n):
        member = group[i] >= 0 and ending[group[i]]
        write_off = group_debt[i] if member else 0.0
        group_debt[i] = group_debt[i] - write_off
        payout = each[group[i]] if member else 0.0
        cash[i] = cash[i] + payout
        flows[0, i] = -write_off
        flows[1, i] = payout
    for k in range(g_count):
        if ending[k] and count[k] > 0:
            fund[k] = 0.0
            social_fund[k] = 0.0
            contingency[k] = 0.0
    return flows
