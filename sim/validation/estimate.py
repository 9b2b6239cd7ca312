"""Estimates over replicates, pass rules and the number formats of the validation table.

A pattern function returns an :class:`Outcome`: the model value in words, whether the target
holds and the :class:`Estimate` behind it (mean over replicates with its 95 % t-interval).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from sim.analysis.stats import mean_ci
from sim.validation.settings import Target


@dataclass(frozen=True)
class Estimate:
    """Mean over replicates with its 95 % t-interval."""

    mean: float
    low: float
    high: float
    n: int

    @classmethod
    def of(
        cls, values: Iterable[float | None], *, within: tuple[float, float] | None = None
    ) -> Estimate:
        """The estimate from per-replicate values (None and non-finite values are left out).

        ``within`` clips the interval to the values' possible range (shares: 0-1).
        """
        ci = mean_ci(v for v in values if v is not None)
        mean, low, high, n = ci.mean, ci.low, ci.high, ci.n
        if n >= 2 and within is not None:
            low, high = max(low, within[0]), min(high, within[1])
        return cls(mean, low, high, n)

    @classmethod
    def exact(cls, value: float) -> Estimate:
        """A figure known exactly (by design), not estimated over replicates."""
        return cls(value, value, value, 1)

    def within(self, target: Target) -> bool:
        """Whether the mean lies within the target's bounds."""
        return inside(self.mean, target.low, target.high)

    def surely(self, target: Target) -> bool:
        """Whether the whole interval lies within the target's bounds."""
        if self.n < 2 or not np.isfinite(self.low):
            return False
        return inside(self.low, target.low, target.high) and inside(
            self.high, target.low, target.high
        )

    def text(self, fmt: Callable[[float], str]) -> str:
        """``mean [low, high]`` formatted with ``fmt``."""
        if self.n == 0:
            return "n/a"
        if self.n < 2:
            return f"{fmt(self.mean)} (one replicate)"
        return f"{fmt(self.mean)} [{fmt(self.low)}, {fmt(self.high)}]"


NO_ESTIMATE = Estimate(float("nan"), float("nan"), float("nan"), 0)
"""What a pattern without an estimate reports in ``validation.csv``."""


@dataclass
class Outcome:
    """What a pattern function returns: the model value in words, pass, the estimate."""

    value: str
    passed: bool
    estimate: Estimate | None = None


def inside(x: float, low: float | None, high: float | None) -> bool:
    """Whether ``x`` is finite and within ``[low, high]`` (None: unbounded on that side)."""
    if not np.isfinite(x):
        return False
    return (low is None or x >= low - 1e-12) and (high is None or x <= high + 1e-12)


def pct(x: float) -> str:
    """A share as a percentage."""
    return f"{100 * x:.1f} %"


def signed_pct(x: float) -> str:
    """A change as signed percentage points or percent."""
    return f"{100 * x:+.1f} %"


def num(digits: int = 2) -> Callable[[float], str]:
    """A number with ``digits`` decimals (thousands separated)."""
    return lambda x: f"{x:,.{digits}f}"


def signed(digits: int = 2) -> Callable[[float], str]:
    """A signed number with ``digits`` decimals."""
    return lambda x: f"{x:+,.{digits}f}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_names(months: Iterable[int]) -> str:
    """``Jul, Aug, Sep`` for calendar months 7, 8, 9."""
    return ", ".join(MONTHS[m - 1] for m in months)
