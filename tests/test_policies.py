"""Interventions: each mechanism moves its intended outcome, with the same seed and shocks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from sim.model import ResilienceModel

BASE = ("population.households=1500", "years=6", "seed=7")
ONLY_VSLA = (
    "package=financial",
    "policy.financial.cash_transfer.enabled=false",
    "policy.financial.warrantage.enabled=false",
    "policy.financial.contingency_fund.enabled=false",
)


def run_model(*overrides: str, months: int | None = None) -> ResilienceModel:
    model = ResilienceModel(sim.load(*BASE, *overrides).model)
    for _ in range(months or model.config.months):
        model.step()
    return model


def harvests(model_overrides: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Harvest (kg) per household in each October, and the targeted mask."""
    model = ResilienceModel(sim.load(*BASE, *model_overrides).model)
    out = []
    for _ in range(model.config.months):
        model.step()
        if model.world.calendar.month[model.month - 1] == 10:
            out.append(model.last_ledger.get("grain", "harvest"))
    return np.array(out), model.pop.targeted


def lean_kcal(model_or_results, who: np.ndarray | None = None):
    ts = model_or_results.timeseries
    sel = ts[(ts.wealth_group == "very_poor") & ts.calendar_month.isin([7, 8, 9])]
    return sel.groupby("year")["kcal_adequacy"].mean()


def test_inputs_and_field_schools_raise_yields():
    base, targeted = harvests(("package=none",))
    prod, _ = harvests(("package=productive",))
    # programme seasons 2015-2017: participants harvest more; the gain persists with adoption
    assert (prod[:3, targeted].sum(axis=1) > 1.15 * base[:3, targeted].sum(axis=1)).all()
    assert prod[4, targeted].sum() > base[4, targeted].sum()
    # no diffusion by default (Waddington et al. 2014): non-participants' harvests are unchanged
    np.testing.assert_array_equal(prod[:, ~targeted], base[:, ~targeted])
    # with diffusion switched on, neighbours learn: their harvests rise a little, never fall
    spread, _ = harvests(
        ("package=productive", "policy.productive.field_school.diffusion_rate=0.1")
    )
    assert (spread[:, ~targeted].sum(axis=1) >= base[:, ~targeted].sum(axis=1)).all()
    assert spread[2, ~targeted].sum() > base[2, ~targeted].sum()


def test_vsla_builds_savings_and_smooths_lean_season_consumption():
    none = sim.simulate(*BASE, "package=none")
    vsla = sim.simulate(*BASE, *ONLY_VSLA)
    o_none, o_vsla = none.summary["outcomes"], vsla.summary["outcomes"]
    assert o_vsla["savings_end"] > 1500 > o_none["savings_end"] == 0
    model = run_model(*ONLY_VSLA)
    members = model.pop.vsla
    assert members.mean() > 0.5 * model.pop.targeted.mean()
    # savings ≈ 11,300 FCFA per member per year in CdR Mali (domain.md §0): same order
    yearly = (
        np.asarray(model.config.policy.financial.vsla.shares_per_month)[model.pop.wealth[members]]
        * 12
    )
    assert 5000 < yearly.mean() < 25000
    # members' consumption is smoother: a higher lean-season intake, less month-to-month swing
    base = run_model("package=none")
    kcal = {}
    for name, m in (("none", base), ("vsla", model)):
        m2 = ResilienceModel(m.config)
        rows = []
        for _ in range(m2.config.months):
            m2.step()
            rows.append(m2.pop.kcal_adequacy.copy())
        kcal[name] = np.array(rows)[:, model.pop.group >= 0]
    lean = np.isin(base.world.calendar.month, [6, 7, 8, 9])
    assert kcal["vsla"][lean].mean() > kcal["none"][lean].mean()
    assert kcal["vsla"].std(axis=0).mean() < kcal["none"].std(axis=0).mean()
    # and they go short less in the lean season, weighting each month by how short it falls
    soudure = np.isin(base.world.calendar.month, base.config.indicators.lean_months)
    shortfall = {k: np.clip(1 - v[soudure], 0, None).mean() for k, v in kcal.items()}
    assert shortfall["vsla"] < shortfall["none"]


def test_group_funds_stay_solvent():
    model = run_model(*ONLY_VSLA)
    prog = model.programme
    assert (prog.fund >= -1e-6).all()
    assert (prog.social_fund >= -1e-6).all()
    assert (model.pop.group_debt >= 0).all()


def social_fund_cover(*overrides: str) -> float:
    """Share of members' bills that the social fund paid over the run."""
    model = ResilienceModel(sim.load(*BASE, *ONLY_VSLA, *overrides).model)
    granted = billed = 0.0
    # a member's claim: the share of her bill the social fund pays while it lasts
    cost = (
        model.config.shocks.human_disease.health_cost
        * model.config.policy.financial.vsla.social_grant
    )
    for _ in range(model.config.months):
        model.step()
        if model.month - 1 >= model.programme.start + 6:
            members = model.pop.vsla
            granted += model.last_ledger.get("cash", "social_fund")[members].sum()
            billed += (model.pop.ill[members] * cost).sum()
    return granted / billed


def test_social_fund_buffers_idiosyncratic_shocks_not_covariate_ones():
    calm = (
        "shocks=none",
        "shocks.human_disease.illness_probability=[0.02,0.02,0.02,0.02,0.02,0.02,0.02,0.02,0.02,0.02,0.02,0.02]",
    )
    epidemic = (
        "shocks=none",
        "shocks.human_disease.illness_probability=[0.6,0.6,0.6,0.6,0.6,0.6,0.6,0.6,0.6,0.6,0.6,0.6]",
    )
    idiosyncratic = social_fund_cover(*calm)
    covariate = social_fund_cover(*epidemic)
    assert idiosyncratic > 0.8
    assert covariate < 0.2


def test_cash_raises_lean_season_kcal_in_the_transfer_year():
    none = sim.simulate(*BASE, "package=none")
    cash = sim.simulate(*BASE, "package=cash")
    ts_n, ts_c = none.timeseries, cash.timeseries

    # targeted households are very poor and poor; the transfer year is 2015
    def lean_2015(ts, group):
        sel = ts[
            (ts.wealth_group == group) & (ts.year == 2015) & ts.calendar_month.isin([6, 7, 8, 9])
        ]
        return sel["kcal_adequacy"].mean()

    for g in ("very_poor", "poor"):
        assert lean_2015(ts_c, g) > lean_2015(ts_n, g) + 0.01


def test_livestock_raises_tlu_and_later_income():
    none = run_model("package=none")
    goats = run_model("package=livestock")
    who = none.pop.targeted
    from sim.population import tlu

    assert tlu(goats.pop, goats.config)[who].mean() > tlu(none.pop, none.config)[who].mean() + 0.1
    ts_n = sim.simulate(*BASE, "package=none").timeseries
    ts_g = sim.simulate(*BASE, "package=livestock").timeseries
    later = lambda ts: ts[(ts.wealth_group == "very_poor") & (ts.year >= 2018)]["income"].mean()  # noqa: E731
    assert later(ts_g) > later(ts_n)


def test_nutrition_education_raises_diet_diversity_and_lowers_gam():
    only = (
        "package=social",
        "policy.social.listening_clubs.enabled=false",
        "policy.social.women_empowerment.enabled=false",
        "policy.social.inclusion.enabled=false",
    )
    none = sim.simulate(*BASE, "package=none").summary["outcomes"]
    run = sim.simulate(*BASE, *only)
    edu = run.summary["outcomes"]
    gain = run.config["policy"]["social"]["nutrition_education"]["hdds_gain"]
    # the full gain while the programme runs, decaying after: over the run, at least half of it
    assert edu["hdds_mean"] > none["hdds_mean"] + 0.5 * gain
    assert edu["gam_mean"] < none["gam_mean"]


def test_partner_services_cut_illness_and_gam_but_not_the_shocks():
    cdr = sim.simulate(*BASE, "package=full_cdr")
    joint = sim.simulate(*BASE, "package=joint_plan")
    pd.testing.assert_frame_equal(cdr.shocks, joint.shocks)  # same exposure to illness
    assert joint.summary["outcomes"]["gam_mean"] < cdr.summary["outcomes"]["gam_mean"]
    assert (
        joint.summary["outcomes"]["cost_per_household_fcfa"]
        > cdr.summary["outcomes"]["cost_per_household_fcfa"]
    )


@pytest.mark.parametrize(
    ("package", "equivalent"),
    [
        ("package=full_cdr policy.productive.dose=0", "package=financial_social"),
        ("package=full_cdr policy.financial.dose=0", "package=productive_social"),
        (
            "package=productive_financial policy.productive.dose=0 policy.financial.dose=0",
            "package=none",
        ),
    ],
)
def test_dose_zero_is_identical_to_leaving_the_pillar_out(package, equivalent):
    a = sim.simulate(*BASE, *package.split())
    b = sim.simulate(*BASE, *equivalent.split())
    pd.testing.assert_frame_equal(a.timeseries, b.timeseries)
    pd.testing.assert_frame_equal(a.households, b.households)
    assert a.summary["outcomes"]["cost_fcfa"] == b.summary["outcomes"]["cost_fcfa"]


def test_packages_face_the_same_shocks():
    logs = [
        sim.simulate(*BASE, f"package={p}").shocks
        for p in ("none", "full_cdr", "cash_plus_livestock")
    ]
    for log in logs[1:]:
        pd.testing.assert_frame_equal(logs[0], log)


def test_cash_cost_by_hand_and_equal_value_with_cash_plus():
    cash = sim.simulate(*BASE, "package=cash").summary["outcomes"]
    # 4 × 22,000 FCFA, +5 % delivery, +15 % overheads (conf/package/cash.yaml, none.yaml)
    assert cash["cost_per_household_fcfa"] == pytest.approx(4 * 22000 * 1.05 * 1.15)
    assert cash["cost_per_household_usd"] == pytest.approx(4 * 22000 * 1.05 * 1.15 / 550)
    plus = sim.simulate(*BASE, "package=cash_plus_livestock").summary["outcomes"]
    assert plus["cost_per_household_fcfa"] == pytest.approx(
        cash["cost_per_household_fcfa"], rel=0.1
    )
    none = sim.simulate(*BASE, "package=none").summary["outcomes"]
    assert none["cost_fcfa"] == 0


def test_targeting_follows_wealth_and_nutrition_criteria():
    model = ResilienceModel(sim.load("population.households=5000", "years=1").model)
    pop = model.pop
    assert pop.targeted.sum() == 3000
    assert (pop.wealth[pop.targeted] <= 1).all()
    eligible = pop.wealth <= 1
    malnourished = eligible & (pop.under5 > 0) & (pop.whz < -2)
    assert pop.targeted[malnourished].all()  # priority to households with a malnourished child
    assert 0.45 < pop.woman[pop.targeted].mean() < 0.55
    fewer = ResilienceModel(
        sim.load("population.households=5000", "years=1", "policy.targeting.households=1000").model
    )
    assert fewer.pop.targeted.sum() == 1000
    assert (fewer.pop.wealth[fewer.pop.targeted] == 0).all()  # very poor first


def test_outcome_keys():
    o = sim.simulate(*BASE, "package=full_cdr").summary["outcomes"]
    for key in (
        "backsliding_share",
        "months_below_survival",
        "months_below_lp",
        "recovery_months",
        "tlu_at_exit",
        "tlu_end",
        "savings_end",
        "gam_mean",
        "hdds_mean",
        "cost_per_household_fcfa",
        "cost_per_household_usd",
        "cost_per_backsliding_averted_fcfa",
    ):
        assert key in o
    assert 0 <= o["backsliding_share"] <= 1
