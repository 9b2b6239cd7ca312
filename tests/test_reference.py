"""Oracle: the per-household reference model and the vectorised model give the same run.

Both models draw the same world, households and monthly draws; the reference re-implements
the month with one Mesa agent per household and scalar arithmetic. Every month, every
column of the population table must agree, and so must the monthly indicators and, with an
intervention package, the CdR groups' funds. Each scenario also checks that the mechanisms
it is meant to cover actually happened (so that agreement is not agreement on zeros).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

import sim
from sim.draws import NORMAL_APPROXIMATION_VARIANCE, binomial_quantile
from sim.model import ResilienceModel
from sim.reference import ReferenceModel, binomial_draw

RTOL = 1e-9
ATOL = 1e-9  # FCFA, kg, z-scores: only to compare values that are zero in one model

EVERY_SHOCK = (
    "shocks.schedule=[{type: drought, year: 1, severity: 0.9},"
    " {type: flood, year: 1, severity: 0.9},"
    " {type: livestock_disease, year: 2, severity: 1.0, month: 4},"
    " {type: price_spike, year: 2, severity: 0.8},"
    " {type: human_disease, year: 1, severity: 1.0}]"
)

COPING = {
    ("cash", "stress_sales"),
    ("cash", "crisis_sales"),
    ("food", "begging"),
    ("cash", "gifts_received"),
    ("small_ruminants", "livestock_loan"),
    ("food", "own"),
}
PROGRAMME = {
    ("cash", "cash_transfer"),
    ("cash", "group_loan"),
    ("cash", "group_repayment"),
    ("cash", "share_out"),
    ("cash", "social_fund"),
    ("cash", "contingency_fund"),
    ("cash", "warrantage_credit"),
    ("grain", "warrantage_sale"),
    ("poultry", "distribution"),
    ("savings", "shares"),
}
STRESS = {("cash", "stress_sales"), ("cash", "borrowing")}
SHOCKS = {("grain", "flood"), ("small_ruminants", "flood"), ("small_ruminants", "epizootic")}

CONFLICT = {
    ("small_ruminants", "theft"),
    ("small_ruminants", "displacement"),
    ("grain", "displacement"),
    ("food", "rations"),  # food aid to the displaced
    ("cash", "cash_transfer"),
    ("cash", "share_out"),
    ("cash", "group_loan"),
}

SCENARIOS = {
    "none-seed1": (("package=none", "population.households=200", "years=3", "seed=1"), COPING),
    "none-seed2": (("package=none", "population.households=120", "years=3", "seed=2"), COPING),
    "none-seed3": (
        ("package=none", "population.households=200", "years=2", "seed=3", "shocks=climate_stress"),
        COPING,
    ),
    "full_cdr-seed1": (
        ("package=full_cdr", "population.households=200", "years=4", "seed=1"),
        COPING | PROGRAMME,
    ),
    "full_cdr-seed2-8villages": (
        (
            "package=full_cdr",
            "population.households=200",
            "years=4",
            "seed=2",
            "population.villages=8",
        ),
        STRESS | PROGRAMME,
    ),
    "full_cdr-every-shock-dissolving": (
        (
            "package=full_cdr",
            "population.households=150",
            "years=5",
            "seed=4",
            "population.villages=8",
            "policy.financial.vsla.dissolution=0.6",
            EVERY_SHOCK,
        ),
        COPING | PROGRAMME | SHOCKS,
    ),
    "full_cdr-conflict": (
        (
            "package=full_cdr",
            "population.households=150",
            "years=5",
            "seed=4",
            "population.villages=6",
            "shocks=mopti_2017",
            "start_year=2018",
            "shocks.insecurity.probability=0.6",
        ),
        CONFLICT,
    ),
    "joint_plan-seed5": (
        ("package=joint_plan", "population.households=100", "years=4", "seed=5"),
        STRESS | PROGRAMME | {("food", "rations")},
    ),
}


def assert_same_households(vec: ResilienceModel, ref: ReferenceModel, t: int) -> None:
    got = ref.state()
    for name, want in vec.pop.columns().items():
        mine = got[name]
        msg = f"month {t}: household column {name!r}"
        if want.dtype.kind == "f":
            np.testing.assert_allclose(mine, want, rtol=RTOL, atol=ATOL, err_msg=msg)
        else:
            np.testing.assert_array_equal(mine, want, err_msg=msg)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_reference_reproduces_vectorised_model(name):
    overrides, mechanisms = SCENARIOS[name]
    cfg = sim.load(*overrides).model
    vec, ref = ResilienceModel(cfg), ReferenceModel(cfg)
    assert_same_households(vec, ref, -1)  # the same initial households
    happened: Counter[tuple[str, str]] = Counter()
    for t in range(cfg.months):
        vec.step()
        ref.step()
        assert_same_households(vec, ref, t)
        for account, book in vec.last_ledger.flows.items():
            happened.update((account, flow) for flow, v in book.items() if np.any(v != 0))

    np.testing.assert_allclose(ref.indicators, vec.recorder.values, rtol=RTOL, atol=ATOL)
    prog = vec.programme
    np.testing.assert_allclose([g.fund for g in ref.groups], prog.fund, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(
        [g.social_fund for g in ref.groups], prog.social_fund, rtol=RTOL, atol=ATOL
    )
    np.testing.assert_allclose(
        [g.contingency for g in ref.groups], prog.contingency, rtol=RTOL, atol=ATOL
    )
    np.testing.assert_array_equal([g.active for g in ref.groups], prog.group_active)

    missing = sorted(m for m in mechanisms if not happened[m])
    assert not missing, f"scenario did not exercise {missing}"
    if "dissolving" in name:
        assert not prog.group_active.all()  # some groups dissolved after exit


def test_reference_binomial_matches_vectorised_on_both_branches():
    rng = np.random.default_rng(12)
    n = rng.integers(0, 400, size=20_000)
    p = rng.choice([0.0, 1e-4, 0.01, 0.08, 0.3, 0.5, 0.97, 1.0], size=n.size) * rng.random(n.size)
    p[:50] = 1.0
    u = rng.random(n.size)
    want = binomial_quantile(n, p, u)
    cases = zip(n.tolist(), p.tolist(), u.tolist(), strict=True)
    got = np.array([binomial_draw(a, b, c) for a, b, c in cases])
    np.testing.assert_array_equal(got, want)
    variance = n * p * (1 - p)
    assert (variance > NORMAL_APPROXIMATION_VARIANCE).sum() > 1000  # normal branch covered
    assert ((variance <= NORMAL_APPROXIMATION_VARIANCE) & (n > 0) & (p > 0)).sum() > 1000


def test_reference_household_declares_every_population_column():
    from sim.population import Population
    from sim.reference import ReferenceHousehold

    declared = set(ReferenceHousehold.__annotations__) - {"model"}
    assert declared == set(Population.__dataclass_fields__)
