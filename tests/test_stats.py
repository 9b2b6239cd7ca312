"""The one confidence interval: known answers, edge cases, and no second copy in the package."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from sim.analysis.stats import mean_ci

ROOT = Path(__file__).resolve().parents[1]


def test_mean_ci_is_the_student_t_interval():
    x = [1.0, 2.0, 3.0, 4.0]
    ci = mean_ci(x)
    # by hand: mean 2.5, s = sqrt(5/3), t(0.975, 3) = 3.182446305284263
    half = 3.182446305284263 * math.sqrt(5 / 3) / 2
    assert ci.mean == 2.5 and ci.n == 4
    assert ci.low == pytest.approx(2.5 - half, rel=1e-12)
    assert ci.high == pytest.approx(2.5 + half, rel=1e-12)
    low, high = stats.t.interval(0.9, 3, loc=2.5, scale=stats.sem(x))
    assert mean_ci(x, level=0.9).low == pytest.approx(low, rel=1e-12)
    assert mean_ci(x, level=0.9).high == pytest.approx(high, rel=1e-12)


def test_mean_ci_edge_cases():
    empty = mean_ci([])
    assert empty.n == 0 and math.isnan(empty.mean) and math.isnan(empty.low)
    one = mean_ci([3.0, float("nan"), float("inf")])  # non-finite values are left out
    assert one.n == 1 and one.mean == 3.0 and math.isnan(one.low) and math.isnan(one.high)
    flat = mean_ci(np.full(5, 0.25))
    assert (flat.low, flat.mean, flat.high) == (0.25, 0.25, 0.25)


def test_there_is_one_t_interval_in_the_package():
    copies = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "sim").rglob("*.py")
        if "stats.t." in p.read_text(encoding="utf-8")
    ]
    assert copies == ["sim/analysis/stats.py"]
