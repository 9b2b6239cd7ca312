"""Insecurity (household side): what conflict does to prices paid and received, herds,
migration and displacement, and the programme's delivery, against the same seed without it."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.model import ResilienceModel

TENSE = (
    "shocks=mopti_2017",
    "start_year=2018",
    "shocks.insecurity.probability=0.6",
    "population.households=300",
    "population.villages=8",
    "years=5",
    "seed=11",
)
"""Frequent conflict from the first year (insecurity's own stream)."""

CALM = (*TENSE, "shocks.insecurity.probability=0", "shocks.insecurity.before_factor=0")
"""The same world without conflict: every other shock, price and draw is the same."""


def run(*overrides: str) -> tuple[ResilienceModel, list]:
    """Run month by month; keep every month's ledger."""
    model = ResilienceModel(sim.load(*overrides).model)
    ledgers = []
    while model.running:
        model.step()
        ledgers.append(model.last_ledger)
    return model, ledgers


@pytest.fixture(scope="module")
def tense():
    return run(*TENSE, "package=full_cdr")


@pytest.fixture(scope="module")
def calm():
    return run(*CALM, "package=full_cdr")


def conflict_rows(model: ResilienceModel, t: int) -> np.ndarray:
    return model.world.shocks.insecurity.severity[t, model.pop.village] > 0


def test_households_in_conflict_pay_more_for_food_and_receive_less_for_animals(tense):
    model, ledgers = tense
    paid, regional_paid, received, regional_received = [], [], [], []
    prices = model.world.prices
    pop = model.pop
    for t, lg in enumerate(ledgers):
        hot = model.world.shocks.insecurity.severity[t, pop.village] > 0
        kg = lg.get("food", "bought")
        cost = -lg.get("cash", "food_purchases")
        buyers = hot & (kg > 1)
        if buyers.any():
            paid.append(cost[buyers].sum() / kg[buyers].sum())
            regional_paid.append(prices["millet"][t])
        sold = -lg.get("small_ruminants", "offtake")
        sellers = hot & (sold > 0) & (lg.get("cattle", "offtake") == 0)
        sellers &= lg.get("poultry", "offtake") == 0
        if sellers.any():
            cash = lg.get("cash", "offtake_sales")
            received.append(cash[sellers].sum() / sold[sellers].sum())
            regional_received.append(prices["goat"][t])
    assert len(paid) > 10 and len(received) > 10
    paid_ratio = np.asarray(paid) / np.asarray(regional_paid)
    received_ratio = np.asarray(received) / np.asarray(regional_received)
    cfg = model.config.shocks.insecurity
    assert (paid_ratio > 1).all() and (paid_ratio <= 1 + cfg.price_paid_rise + 1e-9).all()
    assert (received_ratio < 1).all()
    assert (received_ratio >= 1 - cfg.price_received_fall - 1e-9).all()


def test_conflict_steals_animals_cuts_herds_and_income(tense, calm):
    (m_t, l_t), (m_c, l_c) = tense, calm
    stolen = sum(-lg.get("small_ruminants", "theft").sum() for lg in l_t)
    assert stolen > 0
    assert all(not lg.get("small_ruminants", "theft").any() for lg in l_c)
    tlu = lambda m: m.recorder.frame(m.world).query("wealth_group == 'all'")["tlu"]  # noqa: E731
    assert tlu(m_t).iloc[-12:].mean() < tlu(m_c).iloc[-12:].mean()
    # labour migration blocked: remittances and trade fall in conflict
    for flow in ("remittances", "trade"):
        tense_total = sum(lg.get("cash", flow).sum() for lg in l_t)
        calm_total = sum(lg.get("cash", flow).sum() for lg in l_c)
        assert tense_total < calm_total, flow


def test_households_flee_conflict_lose_what_they_leave_and_come_back_when_calm(tense, calm):
    (m_t, l_t), (m_c, _) = tense, calm
    ts = m_t.recorder.frame(m_t.world).query("wealth_group == 'all'")
    assert ts["displaced_share"].max() > 0.02
    assert (m_c.recorder.frame(m_c.world)["displaced_share"] == 0).all()
    fled = sum(-lg.get("small_ruminants", "displacement").sum() for lg in l_t)
    left_grain = sum(-lg.get("grain", "displacement").sum() for lg in l_t)
    assert fled > 0 and left_grain > 0
    # the displaced farm no field: no harvest booked for them (checked in a fresh run)
    model = ResilienceModel(sim.load(*TENSE, "package=none").model)
    harvests, returns = 0, 0
    was = model.pop.displaced.copy()
    while model.running:
        model.step()
        t, pop = model.month - 1, model.pop
        kg = model.last_ledger.get("grain", "harvest")
        if kg.any():
            harvests += 1
            assert not kg[pop.displaced].any()
            assert (kg[~pop.displaced] > 0).mean() > 0.9
        calm_now = model.world.shocks.insecurity.severity[t, pop.village] == 0
        back = was & ~pop.displaced
        assert calm_now[back].all()  # nobody returns to a village in conflict
        returns += int(back.sum())
        was = pop.displaced.copy()
    assert harvests >= 4 and returns > 0


def test_the_displaced_eat_less_than_those_at_home_despite_food_aid():
    model = ResilienceModel(sim.load(*TENSE, "package=none").model)
    away, home = [], []
    while model.running:
        model.step()
        pop = model.pop
        gone = pop.displaced & (
            pop.displaced_months > model.config.shocks.insecurity.aid_full_months
        )
        if gone.sum() >= 5:
            away.append(pop.kcal_adequacy[gone].mean())
            home.append(pop.kcal_adequacy[~pop.displaced].mean())
    assert len(away) > 6
    assert np.mean(away) < np.mean(home)


def test_programme_delivery_waits_and_groups_do_not_meet_in_conflict(tense, calm):
    (m_t, l_t), (_, l_c) = tense, calm
    # every transfer owed is eventually paid or still owed: postponed, never lost
    paid_t = sum(lg.get("cash", "cash_transfer").sum() for lg in l_t)
    paid_c = sum(lg.get("cash", "cash_transfer").sum() for lg in l_c)
    assert paid_t + m_t.programme.transfer_due.sum() == pytest.approx(paid_c, rel=1e-12)
    # ... and some were postponed
    postponed = False
    for a, b in zip(l_t, l_c, strict=True):
        if a.get("cash", "cash_transfer").sum() < b.get("cash", "cash_transfer").sum() - 1:
            postponed = True
            break
    assert postponed
    # members in villages whose activities are interrupted buy no shares and borrow nothing
    interrupted = m_t.world.shocks.insecurity.interrupted
    pop = m_t.pop
    checked = 0
    for t, lg in enumerate(l_t):
        cut = interrupted[t, pop.village]
        if cut.any() and pop.vsla[cut].any():
            assert not lg.get("savings", "shares")[cut].any()
            assert not lg.get("cash", "group_loan")[cut].any()
            assert not lg.get("cash", "group_repayment")[cut].any()
            checked += 1
    assert checked > 3


def test_a_share_out_waits_for_the_groups_next_meeting():
    over = (*TENSE, "package=financial", "shocks.insecurity.probability=0")
    cfg = sim.load(*over).model
    shareout = cfg.policy.financial.vsla.shareout_month
    model = ResilienceModel(cfg)
    first = next(t for t in range(cfg.months) if model.world.calendar.month[t] == shareout)
    first = first + 12 if first < model.programme.start + 6 else first
    # a scheduled episode covering the share-out month in some villages
    year = int(model.world.calendar.year[first] - cfg.start_year)
    over = (
        *over,
        f"shocks.schedule=[{{type: insecurity, year: {year}, severity: 0.9, month: {shareout}}}]",
    )
    model = ResilienceModel(sim.load(*over).model)
    while model.month <= first + 8:
        model.step()
        if model.month - 1 == first:
            cut = model.world.shocks.insecurity.interrupted[first][model.programme.group_village]
            assert cut.any() and (~cut).any()
            shared = model.last_ledger.get("cash", "share_out")
            groups = model.pop.group
            for g in range(len(cut)):
                members = (groups == g) & model.pop.vsla
                if cut[g]:
                    assert not shared[members].any()
            assert model.programme.shareout_due[cut].all()
            assert not model.programme.shareout_due[~cut].any()
    # within the episode's months and after, the postponed share-outs were held
    assert not model.programme.shareout_due.any()
