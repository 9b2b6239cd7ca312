"""Validation: the model against the stylized facts of domain.md §7 and the programme's figures.

``resim task=validate`` (or :func:`validate`) runs a fixed set of experiments, every one with
the same replicate seeds (common random numbers: replicate r of every experiment faces the
same weather, prices, shocks and household draws), measures each pattern on the model's
real outputs and writes a Markdown table (``validate.output``, ``docs/validation.md`` by
default): one row per pattern with its target and source, the model's value with a 95 %
t-interval over replicates, and pass or fail.

Experiments (:data:`EXPERIMENTS`): the baseline (no intervention, baseline shocks); the full
CdR package; cash alone; cash plus goats; savings groups alone, with and without a flood that
strikes every flood-exposed village; and three runs without random shocks: calm, one severe
drought, one price spike. Targets, their sources and the experiments' settings are data in
``conf/validate/default.yaml``; the measurements are the functions of :data:`PATTERNS`.

Pass rules: a target with bounds passes when the mean over replicates lies within them;
a directional target (an effect that must be positive or negative) passes when the whole
95 % interval lies on the right side; timing targets (months) apply to the mean seasonal
curve. Several conditions in one target must all hold.
"""

from __future__ import annotations

import math
import os
import platform
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats
from tqdm import tqdm

from sim.config import WEALTH_GROUPS, ConfigError, ModelConfig, build, check_consistency, param
from sim.population import monthly_need_kg, net_assets, tlu
from sim.validation_notes import KNOWN_FAILURES

if TYPE_CHECKING:
    from sim.analysis.runner import RunTask
    from sim.model import ResilienceModel

# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class ShockSpec:
    """A scheduled shock of an experiment: year from the start year and severity (0-1)."""

    year: int = param(0, 200)
    severity: float = param(0, 1)


@dataclass(frozen=True)
class Target:
    """The target of one pattern (``validate.targets`` entry).

    Attributes
    ----------
    name
        Pattern name (a key of :data:`PATTERNS`).
    target
        What the source says, in words.
    source
        domain.md section and tag, or the seed brief.
    low, high
        Bounds of the model value (None: unbounded on that side).
    months, peak_months
        Calendar months a timing condition refers to (trough or comparison months; peak).
    """

    name: str
    target: str
    source: str
    low: float | None = None
    high: float | None = None
    months: tuple[int, ...] = ()
    peak_months: tuple[int, ...] = ()


@dataclass(frozen=True)
class KnownFailure:
    """Why a pattern fails at the default calibration and what would fix it."""

    name: str
    reason: str
    plan: str


@dataclass(frozen=True)
class Settings:
    """The ``validate`` config group."""

    households: int
    years: int
    replicates: int
    output: str
    drought: ShockSpec
    price_spike: ShockSpec
    flood: ShockSpec
    vsla_months: int
    targets: dict[str, Target] = field(default_factory=dict)
    known_failures: dict[str, KnownFailure] = field(default_factory=dict)


@dataclass(frozen=True)
class _Scalars:
    households: int = param(1)
    years: int = param(7, 200)
    replicates: int = param(1, 100000)
    output: str = param()
    drought: ShockSpec = field(metadata={})
    price_spike: ShockSpec = field(metadata={})
    flood: ShockSpec = field(metadata={})
    vsla_months: int = param(1, 600)


def settings(data: Mapping[str, Any]) -> Settings:
    """Validate the ``validate`` config group.

    Raises
    ------
    ConfigError
        On a missing or out-of-range setting, an unknown pattern, a target without a source,
        or a shock year outside the run.
    """
    if not isinstance(data, Mapping):
        raise ConfigError(f"validate = {data!r}: expected a mapping")
    scalars = build(_Scalars, {k: v for k, v in data.items() if k in _SCALAR_KEYS}, "validate.")
    unknown = set(data) - set(_SCALAR_KEYS) - {"targets"}
    if unknown:
        raise ConfigError(f"validate.{sorted(unknown)[0]}: unknown parameter")
    for name in ("drought", "price_spike", "flood"):
        spec = getattr(scalars, name)
        if spec.year >= scalars.years:
            raise ConfigError(
                f"validate.{name}.year = {spec.year}: must be in [0, {scalars.years - 1}]"
            )
    targets: dict[str, Target] = {}
    for i, entry in enumerate(data.get("targets") or []):
        where = f"validate.targets[{i}]"
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{where} = {entry!r}: expected a mapping")
        name = entry.get("name")
        if name not in PATTERNS:
            raise ConfigError(f"{where}.name = {name!r}: unknown pattern")
        if not entry.get("source") or not entry.get("target"):
            raise ConfigError(f"{where}: needs a target and a source")
        extra = set(entry) - {f.name for f in Target.__dataclass_fields__.values()}
        if extra:
            raise ConfigError(f"{where}.{sorted(extra)[0]}: unknown key")
        bounds = {}
        for key in ("low", "high"):
            value = entry.get(key)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise ConfigError(f"{where}.{key} = {value!r}: expected a number")
            bounds[key] = None if value is None else float(value)
        targets[name] = Target(
            name=name,
            target=str(entry["target"]),
            source=str(entry["source"]),
            months=tuple(int(m) for m in entry.get("months") or ()),
            peak_months=tuple(int(m) for m in entry.get("peak_months") or ()),
            **bounds,
        )
    missing = [p for p in PATTERNS if p not in targets]
    if missing:
        raise ConfigError(f"validate.targets: no target for pattern {missing[0]!r}")
    return Settings(
        **{k: getattr(scalars, k) for k in _SCALAR_KEYS},
        targets=targets,
        known_failures={n: KnownFailure(n, *rp) for n, rp in KNOWN_FAILURES.items()},
    )


_SCALAR_KEYS = (
    "households",
    "years",
    "replicates",
    "output",
    "drought",
    "price_spike",
    "flood",
    "vsla_months",
)

# --------------------------------------------------------------------------- experiments


@dataclass(frozen=True)
class Experiment:
    """A package under a shock regime, run once per replicate.

    Attributes
    ----------
    name
        Label in the tables.
    package
        Package name (``conf/package``).
    description
        What it is, for the report.
    overrides
        Extra overrides given the settings (shock regime, schedule, instruments).
    """

    name: str
    package: str
    description: str
    overrides: Callable[[Settings], list[str]]


def _schedule(kind: str, spec: ShockSpec) -> str:
    return f"shocks.schedule=[{{type: {kind}, year: {spec.year}, severity: {spec.severity}}}]"


_SAVINGS_ONLY = [
    "policy.financial.cash_transfer.enabled=false",
    "policy.financial.warrantage.enabled=false",
    "policy.financial.contingency_fund.enabled=false",
]

EXPERIMENTS: dict[str, Experiment] = {
    e.name: e
    for e in (
        Experiment("baseline", "none", "no intervention, baseline shocks", lambda s: []),
        Experiment("full_cdr", "full_cdr", "the three CdR pillars, baseline shocks", lambda s: []),
        Experiment("cash", "cash", "cash alone (4 × 22,000 FCFA), baseline shocks", lambda s: []),
        Experiment(
            "cash_plus_livestock",
            "cash_plus_livestock",
            "3 goats, feed and 20,000 FCFA (equal value), baseline shocks",
            lambda s: [],
        ),
        Experiment(
            "savings_groups",
            "financial",
            "savings groups alone (no cash, warrantage or contingency fund), baseline shocks",
            lambda s: list(_SAVINGS_ONLY),
        ),
        Experiment(
            "savings_groups_flood",
            "financial",
            "savings groups alone, baseline shocks plus a flood in every exposed village",
            lambda s: [*_SAVINGS_ONLY, _schedule("flood", s.flood)],
        ),
        Experiment(
            "calm",
            "none",
            "no intervention, no shocks (ordinary variability)",
            lambda s: ["shocks=none"],
        ),
        Experiment(
            "drought",
            "none",
            "no intervention, no shocks but one severe drought",
            lambda s: ["shocks=none", _schedule("drought", s.drought)],
        ),
        Experiment(
            "price_spike",
            "none",
            "no intervention, no shocks but one regional price spike",
            lambda s: ["shocks=none", _schedule("price_spike", s.price_spike)],
        ),
    )
}
"""The validation experiments, each run ``validate.replicates`` times with common seeds."""

# --------------------------------------------------------------------------- observation


class Observer:
    """Follows one run month by month and keeps what the patterns need.

    Parameters
    ----------
    model
        A :class:`~sim.model.ResilienceModel` before its first step.
    monthly_rci
        Score the RCI every month (for the RCI before each shock), not only at the end.
    """

    def __init__(self, model: ResilienceModel, *, monthly_rci: bool = True) -> None:
        self.model = model
        self.monthly_rci = monthly_rci
        months, n = model.config.months, model.pop.n
        f32 = np.float32
        self.coping = np.zeros((months, n), np.int8)
        self.kcal = np.zeros((months, n), f32)
        self.consumption = np.zeros((months, n), f32)  # FCFA per person
        self.production = np.zeros((months, n), f32)  # FCFA
        self.liquid = np.zeros((months, n), f32)  # cash + group savings, FCFA
        self.assets = np.zeros((months, n), f32)  # net assets, FCFA
        self.tlu = np.zeros((months, n), f32)
        self.sr_female = np.zeros((months, n), np.int32)
        self.sr_total = np.zeros((months, n), np.int32)
        self.rci = np.zeros((months, n), f32)
        # mean grain sold less food bought per household, kg, by wealth group
        self.grain_net = np.zeros((months, 4))
        # very poor and poor households' small ruminants: births, deaths, normal sales, stock
        self.sr_flow = np.zeros((months, 4))
        # members' claims on the social fund and grants paid: illness outside floods; floods
        self.fund = np.zeros((months, 4))
        # shares bought, group loans granted, active members, social funds' balance (FCFA)
        self.vsla = np.zeros((months, 4))
        self.rci_exit: pd.DataFrame | None = None

    def record(self) -> None:
        """Record the month just simulated."""
        from sim.rci import score

        m = self.model
        t, pop, cfg, world, ledger = m.month - 1, m.pop, m.config, m.world, m.last_ledger
        prices = {k: world.prices[k][t] for k in ("millet", "goat", "cattle", "poultry")}
        need = monthly_need_kg(pop.size, cfg)
        nonfood = -sum(
            ledger.get("cash", k)
            for k in ("survival_nonfood", "livelihood_protection", "discretionary", "shock_bills")
        )
        self.coping[t] = pop.coping
        self.kcal[t] = pop.kcal_adequacy
        self.consumption[t] = (pop.kcal_adequacy * need * prices["millet"] + nonfood) / pop.size
        self.production[t] = (
            ledger.get("grain", "harvest") * prices["millet"]
            + ledger.get("small_ruminants", "births") * prices["goat"]
            + ledger.get("cattle", "births") * prices["cattle"]
            + ledger.get("poultry", "births") * prices["poultry"]
            + ledger.get("cash", "garden")
        )
        self.liquid[t] = pop.cash + pop.savings
        self.assets[t] = net_assets(pop, cfg)
        self.tlu[t] = tlu(pop, cfg)
        self.sr_female[t] = pop.sr_female
        self.sr_total[t] = pop.sr_female + pop.sr_other
        if self.monthly_rci or t == len(self.rci) - 1:
            self.rci[t] = score(m.rci.variables()).rci
        counts = np.maximum(np.bincount(pop.wealth, minlength=4), 1)
        net = -ledger.get("grain", "sold") - ledger.get("food", "bought")
        self.grain_net[t] = np.bincount(pop.wealth, weights=net, minlength=4) / counts
        poor = pop.wealth <= 1
        self.sr_flow[t] = (
            ledger.get("small_ruminants", "births")[poor].sum(),
            -ledger.get("small_ruminants", "deaths")[poor].sum(),
            -ledger.get("small_ruminants", "offtake")[poor].sum(),
            self.sr_total[t, poor].sum(),
        )
        members = pop.vsla
        claim = cfg.policy.financial.vsla.social_grant
        illness = claim * pop.ill * cfg.shocks.human_disease.health_cost
        flood = claim * world.shocks.flood[t][pop.village] * cfg.shocks.flood.repair_cost
        grant = ledger.get("cash", "social_fund")
        bills = illness + flood
        share = np.divide(illness, bills, out=np.zeros_like(bills), where=bills > 0)
        calm = members & (flood == 0)
        hit = members & (flood > 0)
        self.fund[t] = (
            illness[calm].sum(),
            grant[calm].sum(),
            flood[hit].sum(),
            (grant * (1 - share))[hit].sum(),
        )
        self.vsla[t] = (
            ledger.get("savings", "shares").sum(),
            ledger.get("cash", "group_loan").sum(),
            members.sum(),
            m.programme.social_fund.sum(),
        )
        if t == m.programme.exit - 1:
            self.rci_exit = m.rci.variables()

    def result(self, vsla_months: int) -> dict[str, Any]:
        """What the patterns read, summarised (small enough to return from a worker)."""
        m = self.model
        pop, cfg, prog = m.pop, m.config, m.programme
        months = cfg.months
        who = pop.targeted

        def window(a: np.ndarray, lo: int, hi: int, how: str) -> np.ndarray:
            if lo < 0 or hi > months or hi <= lo:
                return np.full(int(who.sum()), np.nan)
            block = a[lo:hi, who].astype(float)
            return block.sum(axis=0) if how == "sum" else block.mean(axis=0)

        exit_, start = prog.exit, prog.start
        after = exit_ + 12 * cfg.indicators.years_after_exit
        panel = pd.DataFrame(
            {
                "consumption_exit": window(self.consumption, exit_ - 12, exit_, "sum"),
                "consumption_after": window(self.consumption, after - 12, after, "sum"),
                "assets_exit": window(self.assets, exit_ - 1, exit_, "mean"),
                "assets_after": window(self.assets, after - 1, after, "mean"),
                "food_exit": window(self.kcal, exit_ - 12, exit_, "mean"),
                "food_after": window(self.kcal, after - 12, after, "mean"),
                "liquid_exit": window(self.liquid, exit_ - 12, exit_, "mean"),
                "tlu_exit": window(self.tlu, exit_ - 1, exit_, "mean"),
                "food_followup": window(self.kcal, start + 12, start + 36, "mean"),
                "production_followup": window(self.production, start + 12, start + 36, "sum"),
            }
        )
        rci_exit = None
        if self.rci_exit is not None:
            rci_exit = self.rci_exit.assign(targeted=pop.targeted, wealth=pop.wealth)
        end = m.rci.variables()
        v_hi = min(start + vsla_months, months)
        funds_from = min(start + 6, months)
        ts = m.recorder.frame(m.world)
        return {
            "timeseries": ts,
            "stock_exhaustion": self._stock_exhaustion(ts),
            "spike_start": self._scheduled_month("price_spike", cfg.shocks.price_spike.month),
            "drought_harvest": self._scheduled_month("drought", cfg.crops.harvest_month),
            "panel": panel,
            "rci_exit": rci_exit,
            "rci_end": pd.DataFrame(
                {"wealth": pop.wealth, "rci": self.rci[-1], "income_sources": end["income_sources"]}
            ),
            "rci_recovery": self._rci_recovery(),
            "hierarchy": self._hierarchy(),
            "threshold": self._threshold(),
            "sr_flow": self.sr_flow.sum(axis=0),
            "poor_flocks": self._poor_flocks(),
            "grain_net": self.grain_net.sum(axis=0) / (months / 12),
            "fund": self.fund[funds_from:].sum(axis=0),
            "vsla": {
                "shares": float(self.vsla[start:v_hi, 0].sum()),
                "loans": float(self.vsla[start:v_hi, 1].sum()),
                "members": float(self.vsla[start, 2]) if start < months else 0.0,
                "social_fund": float(self.vsla[v_hi - 1, 3]) if v_hi > start else 0.0,
            },
            "start": start,
            "exit": exit_,
        }

    def _scheduled_month(self, kind: str, month: int) -> int | None:
        """Month index of the first scheduled shock of ``kind`` (its harvest for a drought)."""
        from sim.shocks import month_index, scheduled

        cfg = self.model.config
        entries = scheduled(cfg.shocks.schedule, kind)
        if not entries:
            return None
        return month_index(cfg, entries[0].year, entries[0].month or month)

    def _stock_exhaustion(self, ts: pd.DataFrame) -> int | None:
        """Month the very poor's stock runs out (None if never).

        The first calendar month after the harvest when the very poor's mean grain stock (mean
        over the run's years) falls below their mean monthly need.
        """
        pop, cfg = self.model.pop, self.model.config
        vp = pop.wealth == 0
        if not vp.any():
            return None
        need = float(monthly_need_kg(pop.size[vp], cfg).mean())
        sel = ts[ts["wealth_group"] == "very_poor"]
        curve = sel.groupby("calendar_month")["grain_kg"].mean()
        h = cfg.crops.harvest_month
        for k in range(1, 12):
            m = (h - 1 + k) % 12 + 1
            if curve[m] < need:
                return m
        return None

    def _rci_recovery(self) -> dict[str, float]:
        """Rank correlation of the RCI the month before a shock with months to recover food.

        Within each shock month (episodes of one month share the shock and the horizon), then
        averaged, weighted by episodes. Episodes not recovered by the end rank last.
        """
        episodes = self.model.resilience.episodes()
        months = self.model.config.months
        rhos, weights = [], []
        for start, e in episodes.groupby("start_month"):
            if len(e) < 30:
                continue
            before = self.rci[max(int(start) - 1, 0), e["household"].to_numpy()]
            recovery = e["food_recovery_months"].fillna(months - start + 1).to_numpy()
            if np.ptp(recovery) == 0 or np.ptp(before) == 0:
                continue
            rhos.append(stats.spearmanr(before, recovery).statistic)
            weights.append(len(e))
        if not weights:
            return {"rho": float("nan"), "episodes": 0.0}
        return {"rho": float(np.average(rhos, weights=weights)), "episodes": float(sum(weights))}

    def _hierarchy(self) -> dict[str, float]:
        """Escalation through the coping levels.

        Household consumption years (Oct-Sep) that reached crisis or emergency coping, and how
        many of them had used stress strategies in an earlier month of the year.
        """
        cal = self.model.world.calendar
        starts = np.flatnonzero(cal.month == self.model.config.crops.harvest_month)
        reached = escalated = 0
        for s in starts:
            if s + 12 > len(cal.month):
                continue
            block = self.coping[s : s + 12]
            high = block >= 2
            hit = high.any(axis=0)
            first = np.argmax(high, axis=0)
            stress_by = np.logical_or.accumulate(block == 1, axis=0)
            before = np.where(
                first > 0, stress_by[np.maximum(first - 1, 0), np.arange(block.shape[1])], False
            )
            reached += int(hit.sum())
            escalated += int((hit & before).sum())
        return {"reached": float(reached), "escalated": float(escalated)}

    def _threshold(self) -> dict[str, float] | None:
        """Flock rebuilding after a scheduled drought, above and below the last females."""
        cfg = self.model.config
        t = self._scheduled_month("drought", cfg.crops.harvest_month)
        if t is None or t < 1 or t + 37 > cfg.months:
            return None
        pre = self.sr_total[t - 1]
        low = self.sr_total[t : t + 12].min(axis=0)
        kept = self.sr_female[t : t + 12].min(axis=0)
        rebuilt = (self.sr_total[t + 12 : t + 37] >= pre).any(axis=0)
        lost = low < pre
        above = lost & (kept > cfg.coping.last_females)
        below = lost & ~above
        return {
            "above": float(above.sum()),
            "above_rebuilt": float((above & rebuilt).sum()),
            "below": float(below.sum()),
            "below_rebuilt": float((below & rebuilt).sum()),
        }

    def _poor_flocks(self) -> dict[str, float]:
        cal = self.model.world.calendar
        december = np.flatnonzero(cal.month == 12)
        poor = self.model.pop.wealth <= 1
        if len(december) < 2:
            return {"start": float("nan"), "end": float("nan"), "years": 0.0}
        first, last = december[0], december[-1]
        return {
            "start": float(self.sr_total[first, poor].sum()),
            "end": float(self.sr_total[last, poor].sum()),
            "years": float((last - first) / 12),
        }


def observe(task: RunTask) -> dict[str, Any]:
    """Run one validation task (a :class:`~sim.analysis.runner.RunTask`) and observe it."""
    from sim.model import ResilienceModel

    cfg = build(ModelConfig, task.config)
    check_consistency(cfg)
    model = ResilienceModel(cfg, check=False)
    observer = Observer(model, monthly_rci=task.labels["experiment"] == "baseline")
    for _ in range(cfg.months):
        model.step()
        observer.record()
    return {"key": task.key, **task.labels, **observer.result(task.labels["vsla_months"])}


# --------------------------------------------------------------------------- estimates


@dataclass(frozen=True)
class Estimate:
    """Mean over replicates with its 95 % t-interval."""

    mean: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values, *, within: tuple[float, float] | None = None) -> Estimate:
        """The estimate from per-replicate values (NaN values are left out).

        ``within`` clips the interval to the values' possible range (shares: 0-1).
        """
        x = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
        n = len(x)
        if n == 0:
            return cls(float("nan"), float("nan"), float("nan"), 0)
        mean = float(x.mean())
        if n < 2:
            return cls(mean, float("nan"), float("nan"), n)
        half = float(stats.t.ppf(0.975, n - 1) * x.std(ddof=1) / math.sqrt(n))
        low, high = mean - half, mean + half
        if within is not None:
            low, high = max(low, within[0]), min(high, within[1])
        return cls(mean, low, high, n)

    def within(self, target: Target) -> bool:
        """Whether the mean lies within the target's bounds."""
        return _inside(self.mean, target.low, target.high)

    def surely(self, target: Target) -> bool:
        """Whether the whole interval lies within the target's bounds."""
        if self.n < 2 or not np.isfinite(self.low):
            return False
        return _inside(self.low, target.low, target.high) and _inside(
            self.high, target.low, target.high
        )

    def text(self, fmt: Callable[[float], str]) -> str:
        """``mean [low, high]`` formatted with ``fmt``."""
        if self.n == 0:
            return "n/a"
        if self.n < 2:
            return f"{fmt(self.mean)} (one replicate)"
        return f"{fmt(self.mean)} [{fmt(self.low)}, {fmt(self.high)}]"


def _inside(x: float, low: float | None, high: float | None) -> bool:
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

# --------------------------------------------------------------------------- patterns


@dataclass
class Outcome:
    """What a pattern function returns: the model value in words, pass, the estimate."""

    value: str
    passed: bool
    estimate: Estimate | None = None


@dataclass
class Context:
    """Results of every experiment, by experiment then replicate, and the settings."""

    runs: dict[str, list[dict[str, Any]]]
    settings: Settings
    programme: dict[str, float]

    def each(self, experiment: str) -> list[dict[str, Any]]:
        """Results of ``experiment``, by replicate."""
        return self.runs.get(experiment, [])

    def pairs(self, a: str, b: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """Replicates of ``a`` and ``b`` with the same seed."""
        by_b = {r["replicate"]: r for r in self.each(b)}
        return [(r, by_b[r["replicate"]]) for r in self.each(a) if r["replicate"] in by_b]


def _series(run: dict[str, Any], group: str, column: str) -> pd.Series:
    ts = run["timeseries"]
    return ts.loc[ts["wealth_group"] == group, column].reset_index(drop=True)


def _by_month(runs: list[dict[str, Any]], group: str, column: str) -> pd.DataFrame:
    """Calendar-month means of ``column`` for ``group``: one row per replicate, 12 columns.

    ``column`` may also be ``coping_any_share``: the three livelihood coping levels together.
    """
    rows = []
    for run in runs:
        ts = run["timeseries"]
        sel = ts[ts["wealth_group"] == group]
        if column == "coping_any_share":
            values = sel[list(COPING_COLUMNS)].sum(axis=1)
        else:
            values = sel[column]
        rows.append(values.groupby(sel["calendar_month"]).mean())
    return pd.DataFrame(rows).reset_index(drop=True)


COPING_COLUMNS = ("coping_stress_share", "coping_crisis_share", "coping_emergency_share")


def _months_mean(curve: pd.Series, months: tuple[int, ...]) -> float:
    return float(curve[list(months)].mean())


def _month_names(months: tuple[int, ...] | list[int]) -> str:
    return ", ".join(MONTHS[m - 1] for m in months)


def _window(run: dict[str, Any], group: str, column: str, months: range) -> float:
    s = _series(run, group, column)
    return float(s.iloc[list(months)].mean())


def _seasonal_peak(ctx: Context, t: Target, experiment: str, column: str, group: str) -> Outcome:
    curves = _by_month(ctx.each(experiment), group, column)
    mean = curves.mean()
    gap = Estimate.of(
        c[list(t.peak_months)].mean() - c[list(t.months)].mean() for _, c in curves.iterrows()
    )
    peak, trough = int(mean.idxmax()), int(mean.idxmin())
    ok = peak in t.peak_months and trough in t.months and gap.surely(t)
    value = (
        f"peak {MONTHS[peak - 1]} ({pct(mean[peak])}), lowest {MONTHS[trough - 1]} "
        f"({pct(mean[trough])}); {_month_names(t.peak_months)} minus "
        f"{_month_names(t.months)}: {gap.text(pct)}"
    )
    return Outcome(value, ok, gap)


def p_price_seasonality(ctx: Context, t: Target) -> Outcome:
    """Millet price by calendar month in the baseline: trough, peak and amplitude."""
    curves = _by_month(ctx.each("baseline"), "all", "millet_price")
    mean = curves.mean()
    amp = Estimate.of((c.max() / c.min() - 1) for _, c in curves.iterrows())
    trough, peak = int(mean.idxmin()), int(mean.idxmax())
    ok = trough in t.months and peak in t.peak_months and amp.within(t)
    value = (
        f"cheapest {MONTHS[trough - 1]} ({mean[trough]:.0f} FCFA/kg), dearest {MONTHS[peak - 1]} "
        f"({mean[peak]:.0f}); peak/trough − 1 = {amp.text(pct)}"
    )
    return Outcome(value, ok, amp)


def _lean_after(run: dict[str, Any], months: tuple[int, ...]) -> pd.Series:
    """Rows of ``run``'s series in ``months`` of the lean season after the drought's harvest."""
    ts = run["timeseries"]
    harvest = run["drought_harvest"]
    year = int(ts.loc[ts["month"] == harvest, "year"].iloc[0]) + 1
    return (ts["year"] == year) & ts["calendar_month"].isin(months) & (ts["wealth_group"] == "all")


def p_drought_price(ctx: Context, t: Target) -> Outcome:
    """Lean-season (Jul-Aug) millet price after the drought over the same months without it."""
    spec = ctx.settings.drought
    ratios = []
    for dry, calm in ctx.pairs("drought", "calm"):
        sel = _lean_after(dry, (7, 8))
        ratios.append(
            dry["timeseries"].loc[sel, "millet_price"].mean()
            / calm["timeseries"].loc[sel, "millet_price"].mean()
        )
    est = Estimate.of(ratios)
    return Outcome(
        f"× {est.text(num(2))} (severity {spec.severity} drought in year {spec.year})",
        est.within(t),
        est,
    )


def p_tot_collapse(ctx: Context, t: Target) -> Outcome:
    """Fall of the Jul-Aug terms of trade after the drought, against the same months without."""
    falls, levels = [], []
    for dry, calm in ctx.pairs("drought", "calm"):
        sel = _lean_after(dry, (7, 8))
        d = dry["timeseries"].loc[sel, "terms_of_trade"].mean()
        c = calm["timeseries"].loc[sel, "terms_of_trade"].mean()
        falls.append(1 - d / c)
        levels.append(d)
    est, level = Estimate.of(falls), Estimate.of(levels)
    return Outcome(f"falls {est.text(pct)}, to {level.text(num(0))} kg/goat", est.within(t), est)


def _tot_months(ctx: Context, t: Target) -> Outcome:
    curves = _by_month(ctx.each("calm"), "all", "terms_of_trade")
    est = Estimate.of(_months_mean(c, t.months) for _, c in curves.iterrows())
    return Outcome(f"{est.text(num(0))} kg/goat ({_month_names(t.months)})", est.within(t), est)


def p_tot_harvest(ctx: Context, t: Target) -> Outcome:
    """Terms of trade after the harvest in the calm runs (no shocks, ordinary variability)."""
    return _tot_months(ctx, t)


def p_tot_lean(ctx: Context, t: Target) -> Outcome:
    """Terms of trade in the lean season in the calm runs."""
    return _tot_months(ctx, t)


def p_lean_coping(ctx: Context, t: Target) -> Outcome:
    """Share of households using any livelihood coping strategy, by calendar month."""
    return _seasonal_peak(ctx, t, "baseline", "coping_any_share", "all")


def p_lean_food_deficit(ctx: Context, t: Target) -> Outcome:
    """Share of households below the survival threshold, by calendar month."""
    return _seasonal_peak(ctx, t, "baseline", "survival_deficit_share", "all")


def p_gam_lean(ctx: Context, t: Target) -> Outcome:
    """GAM prevalence by calendar month: lean-season level, peak and post-harvest."""
    curves = _by_month(ctx.each("baseline"), "all", "gam_prevalence")
    mean = curves.mean()
    lean = Estimate.of((c[[7, 8, 9]].mean() for _, c in curves.iterrows()), within=(0, 1))
    peak = int(mean.idxmax())
    lower_after = mean[[7, 8, 9]].mean() > _months_mean(mean, t.months)
    ok = lean.within(t) and peak in t.peak_months and lower_after
    value = (
        f"Jul–Sep {lean.text(pct)}; peak {MONTHS[peak - 1]}; "
        f"{_month_names(t.months)} {pct(_months_mean(mean, t.months))}"
    )
    return Outcome(value, ok, lean)


def _programme_year_effect(ctx: Context, arm: str, column: str) -> Estimate:
    """Effect of ``arm`` on the programme households' ``column`` in the first programme year."""
    diffs = []
    for a, b in ctx.pairs(arm, "baseline"):
        months = range(a["start"], min(a["start"] + 12, len(_series(a, "programme", column))))
        diffs.append(
            _window(a, "programme", column, months) - _window(b, "programme", column, months)
        )
    return Estimate.of(diffs)


def p_cash_gam(ctx: Context, t: Target) -> Outcome:
    """Cash vs none: GAM among the programme's households over the transfer year."""
    est = _programme_year_effect(ctx, "cash", "gam_prevalence")
    return Outcome(f"{est.text(signed(3))} (share; transfer year)", est.within(t), est)


def p_cash_hdds(ctx: Context, t: Target) -> Outcome:
    """Cash vs none: HDDS of the programme's households over the transfer year."""
    est = _programme_year_effect(ctx, "cash", "hdds")
    return Outcome(f"{est.text(signed(3))} food groups (transfer year)", est.surely(t), est)


def p_cash_plus_hdds(ctx: Context, t: Target) -> Outcome:
    """Cash + goats vs none: HDDS of the programme's households over the transfer year."""
    est = _programme_year_effect(ctx, "cash_plus_livestock", "hdds")
    return Outcome(f"{est.text(signed(3))} food groups (transfer year)", est.surely(t), est)


def p_cash_coping(ctx: Context, t: Target) -> Outcome:
    """Cash vs none: share of programme households using livelihood coping, transfer year."""
    diffs = []
    for a, b in ctx.pairs("cash", "baseline"):
        months = range(a["start"], a["start"] + 12)
        diffs.append(
            sum(
                _window(a, "programme", c, months) - _window(b, "programme", c, months)
                for c in COPING_COLUMNS
            )
        )
    est = Estimate.of(diffs)
    return Outcome(f"{est.text(signed(3))} (share of household-months)", est.surely(t), est)


def p_market_dependence(ctx: Context, t: Target) -> Outcome:
    """Share of the kcal eaten that was bought, by wealth group, baseline."""
    runs = ctx.each("baseline")
    shares = {
        g: Estimate.of((_series(r, g, "purchase_share").mean() for r in runs), within=(0, 1))
        for g in WEALTH_GROUPS
    }
    means = [shares[g].mean for g in WEALTH_GROUPS]
    falling = all(a > b for a, b in zip(means, means[1:], strict=False))
    value = "; ".join(f"{g.replace('_', ' ')} {pct(shares[g].mean)}" for g in WEALTH_GROUPS)
    vp = shares["very_poor"]
    return Outcome(
        f"very poor {vp.text(pct)}; " + value.split("; ", 1)[1], vp.within(t) and falling, vp
    )


def p_better_off_net_sellers(ctx: Context, t: Target) -> Outcome:
    """Better-off households' grain sold minus food bought, kg per household per year."""
    est = Estimate.of(r["grain_net"][3] for r in ctx.each("baseline"))
    middle = Estimate.of(r["grain_net"][2] for r in ctx.each("baseline"))
    return Outcome(f"{est.text(signed(0))} kg/yr (middle {middle.mean:+,.0f})", est.surely(t), est)


def p_price_spike_very_poor(ctx: Context, t: Target) -> Outcome:
    """Price-spike vs calm runs.

    Change in energy adequacy over the 12 months from the spike's start, very poor minus
    better-off.
    """
    diffs, vp, bo = [], [], []
    for spike, calm in ctx.pairs("price_spike", "calm"):
        first = spike["spike_start"]
        if first is None:
            continue
        months = range(first, min(first + 12, len(_series(spike, "all", "kcal_adequacy"))))
        d = {
            g: _window(spike, g, "kcal_adequacy", months)
            - _window(calm, g, "kcal_adequacy", months)
            for g in ("very_poor", "better_off")
        }
        vp.append(d["very_poor"])
        bo.append(d["better_off"])
        diffs.append(d["very_poor"] - d["better_off"])
    est = Estimate.of(diffs)
    return Outcome(
        f"{est.text(signed(3))} (very poor {Estimate.of(vp).mean:+.3f}, better-off "
        f"{Estimate.of(bo).mean:+.3f} energy adequacy)",
        est.surely(t),
        est,
    )


def p_own_production(ctx: Context, t: Target) -> Outcome:
    """Months of needs met from own stocks, very poor and poor, calm runs (12 × own share)."""
    values = []
    for run in ctx.each("calm"):
        ts = run["timeseries"]
        sel = ts[ts["wealth_group"].isin(["very_poor", "poor"])]
        values.append(12 * np.average(sel["own_food_share"], weights=sel["households"]))
    est = Estimate.of(values)
    return Outcome(f"{est.text(num(1))} months", est.within(t), est)


def p_stock_exhaustion(ctx: Context, t: Target) -> Outcome:
    """Baseline runs.

    First month after the harvest when the very poor's mean grain stock (by calendar month
    over the run) falls below their mean monthly need.
    """
    found = [r["stock_exhaustion"] for r in ctx.each("baseline")]
    share = Estimate.of([float(m in t.months) if m else 0.0 for m in found], within=(0, 1))
    months = [m for m in found if m]
    mode = max(set(months), key=months.count) if months else None
    value = (
        f"{MONTHS[mode - 1] if mode else 'never'} (most replicates); "
        f"{share.text(pct)} of replicates in {_month_names(t.months)}"
    )
    return Outcome(value, mode in t.months if mode else False, share)


def p_coping_hierarchy(ctx: Context, t: Target) -> Outcome:
    """Household-years reaching crisis or emergency that used stress strategies earlier."""
    shares = []
    for run in ctx.each("baseline"):
        h = run["hierarchy"]
        shares.append(h["escalated"] / h["reached"] if h["reached"] else float("nan"))
    est = Estimate.of(shares, within=(0, 1))
    return Outcome(f"{est.text(pct)} escalated through stress", est.within(t), est)


def _threshold(ctx: Context, side: str) -> Estimate:
    shares = []
    for run in ctx.each("drought"):
        th = run["threshold"]
        if th and th[side]:
            shares.append(th[f"{side}_rebuilt"] / th[side])
    return Estimate.of(shares, within=(0, 1))


def p_herd_rebuild_above(ctx: Context, t: Target) -> Outcome:
    """Drought runs: households that lost animals but kept more than their last females."""
    est = _threshold(ctx, "above")
    return Outcome(f"{est.text(pct)} rebuilt within 3 years", est.within(t), est)


def p_herd_stay_low_below(ctx: Context, t: Target) -> Outcome:
    """Drought runs: households left with no more than their last breeding females."""
    est = _threshold(ctx, "below")
    n = Estimate.of(r["threshold"]["below"] for r in ctx.each("drought") if r["threshold"])
    return Outcome(
        f"{est.text(pct)} rebuilt within 3 years ({n.mean:,.0f} households per run)",
        est.within(t),
        est,
    )


def p_herd_growth(ctx: Context, t: Target) -> Outcome:
    """Calm runs, very poor and poor households.

    Small-ruminant births less deaths and less normal sales (of young and males), per head and
    year: the growth the flock would have without the extra sales that food and cash needs
    force (coping).
    """
    est = Estimate.of(
        12 * (r["sr_flow"][0] - r["sr_flow"][1] - r["sr_flow"][2]) / r["sr_flow"][3]
        for r in ctx.each("calm")
        if r["sr_flow"][3] > 0
    )
    return Outcome(f"{est.text(signed_pct)} per year", est.within(t), est)


def p_poor_flocks(ctx: Context, t: Target) -> Outcome:
    """Baseline: yearly growth of the very poor and poor households' flocks (December to December)."""
    values = []
    for run in ctx.each("baseline"):
        f = run["poor_flocks"]
        if f["years"] > 0 and f["start"] > 0:
            values.append((f["end"] / f["start"]) ** (1 / f["years"]) - 1)
    est = Estimate.of(values)
    return Outcome(f"{est.text(signed_pct)} per year", est.within(t), est)


def _sd_effect(ctx: Context, arm: str, column: str) -> Estimate:
    effects = []
    for a, b in ctx.pairs(arm, "baseline"):
        x, y = a["panel"][column], b["panel"][column]
        sd = y.std()
        effects.append((x.mean() - y.mean()) / sd if sd > 0 else float("nan"))
    return Estimate.of(effects)


def _graduation(ctx: Context, t: Target, column: str, *, directional: bool) -> Outcome:
    est = _sd_effect(ctx, "full_cdr", column)
    relative, cv = [], []
    for a, b in ctx.pairs("full_cdr", "baseline"):
        x, y = a["panel"][column], b["panel"][column]
        if y.mean() > 0:
            relative.append(x.mean() / y.mean() - 1)
            cv.append(y.std() / y.mean())
    ok = est.surely(t) if directional else est.within(t)
    value = (
        f"{est.text(signed(3))} SD; {signed_pct(Estimate.of(relative).mean)} of the control "
        f"mean (control CV {pct(Estimate.of(cv).mean)})"
    )
    return Outcome(value, ok, est)


def p_graduation_consumption(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none, programme households: consumption per person in the last programme year."""
    return _graduation(ctx, t, "consumption_exit", directional=False)


def p_graduation_assets(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none, programme households: net assets at exit (three years)."""
    return _graduation(ctx, t, "assets_exit", directional=False)


def p_graduation_food_security(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none, programme households: mean energy adequacy in the last programme year."""
    return _graduation(ctx, t, "food_exit", directional=False)


def p_persistence_consumption(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none: consumption per person in the third year after exit."""
    return _graduation(ctx, t, "consumption_after", directional=True)


def p_persistence_assets(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none: net assets three years after exit."""
    return _graduation(ctx, t, "assets_after", directional=True)


def _paired_mean(ctx: Context, a: str, b: str, column: str) -> Estimate:
    return Estimate.of(
        x["panel"][column].mean() - y["panel"][column].mean() for x, y in ctx.pairs(a, b)
    )


def p_cash_plus_food_security(ctx: Context, t: Target) -> Outcome:
    """Cash + goats vs cash, programme households: energy adequacy in programme years 2-3."""
    est = _paired_mean(ctx, "cash_plus_livestock", "cash", "food_followup")
    return Outcome(f"{est.text(signed(4))} energy adequacy", est.surely(t), est)


def p_cash_plus_production(ctx: Context, t: Target) -> Outcome:
    """Cash + goats vs cash: value of harvests, births and garden produce, programme years 2-3."""
    est = _paired_mean(ctx, "cash_plus_livestock", "cash", "production_followup")
    return Outcome(f"{est.text(signed(0))} FCFA per household", est.surely(t), est)


def p_vsla_savings(ctx: Context, t: Target) -> Outcome:
    """Savings groups vs none.

    Relative change in the programme households' liquid savings (cash at home + group
    savings, mean over the last programme year).
    """
    pairs = ctx.pairs("savings_groups", "baseline")
    est = Estimate.of(
        a["panel"]["liquid_exit"].mean() / b["panel"]["liquid_exit"].mean() - 1 for a, b in pairs
    )
    control = Estimate.of(b["panel"]["liquid_exit"].mean() for _, b in pairs)
    return Outcome(f"{est.text(signed_pct)} (control {control.mean:,.0f} FCFA)", est.within(t), est)


def p_vsla_livestock(ctx: Context, t: Target) -> Outcome:
    """Savings groups vs none: TLU at exit, programme households."""
    est = _paired_mean(ctx, "savings_groups", "baseline", "tlu_exit")
    return Outcome(f"{est.text(signed(3))} TLU", est.surely(t), est)


def p_vsla_food_security(ctx: Context, t: Target) -> Outcome:
    """Savings groups vs none: energy adequacy in the last programme year."""
    est = _paired_mean(ctx, "savings_groups", "baseline", "food_exit")
    return Outcome(f"{est.text(signed(4))} energy adequacy", est.surely(t), est)


def p_social_fund_idiosyncratic(ctx: Context, t: Target) -> Outcome:
    """Savings groups with a flood.

    Share of members' claims for illness bills that the social fund paid, outside flooded
    villages and months (from six months after the start).
    """
    est = Estimate.of(
        (r["fund"][1] / r["fund"][0] for r in ctx.each("savings_groups_flood") if r["fund"][0] > 0),
        within=(0, 1),
    )
    return Outcome(f"{est.text(pct)} of illness claims paid", est.within(t), est)


def p_social_fund_covariate(ctx: Context, t: Target) -> Outcome:
    """Savings groups with a flood.

    Share of members' claims for flood repairs that the social fund paid in the flood month.
    """
    est = Estimate.of(
        (r["fund"][3] / r["fund"][2] for r in ctx.each("savings_groups_flood") if r["fund"][2] > 0),
        within=(0, 1),
    )
    return Outcome(f"{est.text(pct)} of flood claims paid", est.within(t), est)


def p_rci_wealth(ctx: Context, t: Target) -> Outcome:
    """Baseline, end of run: mean RCI by wealth group; rank correlation with income sources."""
    by_group = []
    rhos = []
    for run in ctx.each("baseline"):
        e = run["rci_end"]
        by_group.append(e.groupby("wealth")["rci"].mean().reindex(range(4)).to_numpy())
        rhos.append(stats.spearmanr(e["rci"], e["income_sources"]).statistic)
    means = np.nanmean(np.array(by_group), axis=0) if by_group else np.full(4, np.nan)
    rho = Estimate.of(rhos)
    rising = bool(np.all(np.diff(means) > 0))
    value = (
        "RCI " + " < ".join(f"{m:.0f}" for m in means) + " (very poor → better-off); "
        f"rank correlation with income sources {rho.text(signed(2))}"
    )
    return Outcome(value, rising and rho.surely(t), rho)


def p_rci_recovery(ctx: Context, t: Target) -> Outcome:
    """Baseline runs.

    Rank correlation of the RCI the month before a shock with the months the household took
    to recover its food consumption (within shock months).
    """
    est = Estimate.of(r["rci_recovery"]["rho"] for r in ctx.each("baseline"))
    episodes = Estimate.of(r["rci_recovery"]["episodes"] for r in ctx.each("baseline"))
    return Outcome(
        f"Spearman {est.text(signed(3))} ({episodes.mean:,.0f} episodes per run)",
        est.surely(t),
        est,
    )


def rci_programme(ctx: Context) -> list[dict[str, Any]]:
    """Per replicate: full CdR and none scored together at exit; RCI and pillar gains."""
    from sim.rci import PILLARS, score

    out = []
    for a, b in ctx.pairs("full_cdr", "baseline"):
        if a["rci_exit"] is None or b["rci_exit"] is None:
            continue
        both = pd.concat(
            [a["rci_exit"].assign(package="full_cdr"), b["rci_exit"].assign(package="none")],
            ignore_index=True,
        )
        scored = score(both)
        frame = scored.pillars.assign(
            rci=scored.rci,
            package=both["package"],
            targeted=both["targeted"],
            wealth=both["wealth"],
        )
        weights = scored.loadings**2
        who = frame[frame["targeted"]]
        gain = (
            who[who["package"] == "full_cdr"][list(PILLARS)].mean()
            - who[who["package"] == "none"][list(PILLARS)].mean()
        )
        contribution = weights * gain
        out.append(
            {
                "frame": frame,
                "loadings": scored.loadings,
                "explained": scored.explained,
                "gain": float(
                    who.loc[who["package"] == "full_cdr", "rci"].mean()
                    - who.loc[who["package"] == "none", "rci"].mean()
                ),
                "contribution": contribution,
            }
        )
    return out


def p_rci_programme(ctx: Context, t: Target) -> Outcome:
    """Full CdR vs none, scored together at exit.

    RCI gain of the programme households and the share of it coming through the AC and SSN
    pillars (pillar weight × standardised pillar gain).
    """
    reps = rci_programme(ctx)
    gain = Estimate.of(r["gain"] for r in reps)
    share = Estimate.of(
        (r["contribution"][["AC", "SSN"]].sum() / r["contribution"].sum())
        if r["contribution"].sum() != 0
        else float("nan")
        for r in reps
    )
    ok = gain.surely(Target("gain", "", "", low=0.0)) and share.within(t)
    return Outcome(
        f"RCI {gain.text(signed(1))} points; share through AC + SSN {share.text(pct)}", ok, share
    )


def _programme_figure(ctx: Context, t: Target, key: str, fmt: Callable[[float], str]) -> Outcome:
    value = ctx.programme[key]
    est = Estimate(value, value, value, 1)
    return Outcome(f"{fmt(value)} (by design)", est.within(t), est)


def p_programme_households(ctx: Context, t: Target) -> Outcome:
    """Programme households targeted in the validation population."""
    return _programme_figure(ctx, t, "households", num(0))


def p_programme_villages(ctx: Context, t: Target) -> Outcome:
    """Villages with programme households."""
    return _programme_figure(ctx, t, "villages", num(0))


def p_programme_women(ctx: Context, t: Target) -> Outcome:
    """Share of participants who are women."""
    return _programme_figure(ctx, t, "women", pct)


def p_group_size(ctx: Context, t: Target) -> Outcome:
    """Mean members per CdR group."""
    return _programme_figure(ctx, t, "group_size", num(1))


def p_field_schools(ctx: Context, t: Target) -> Outcome:
    """Field schools of ``policy.productive.field_school.participants`` within villages."""
    return _programme_figure(ctx, t, "field_schools", num(0))


def _vsla(ctx: Context, fn: Callable[[dict[str, float]], float]) -> Estimate:
    return Estimate.of(fn(r["vsla"]) for r in ctx.each("savings_groups") if r["vsla"]["members"])


def p_vsla_shares_per_member(ctx: Context, t: Target) -> Outcome:
    """Savings groups: shares bought per initial member and month, first ``vsla_months``."""
    months = ctx.settings.vsla_months
    est = _vsla(ctx, lambda v: v["shares"] / v["members"] / months)
    return Outcome(
        f"{est.text(num(0))} FCFA per member-month ({est.mean * months:,.0f} in {months} months)",
        est.within(t),
        est,
    )


def p_vsla_social_fund_per_member(ctx: Context, t: Target) -> Outcome:
    """Savings groups: social funds' balance per initial member after ``vsla_months`` months."""
    est = _vsla(ctx, lambda v: v["social_fund"] / v["members"])
    return Outcome(f"{est.text(num(0))} FCFA", est.within(t), est)


def p_vsla_share_lent(ctx: Context, t: Target) -> Outcome:
    """Savings groups: group loans granted over shares bought in ``vsla_months`` months."""
    est = _vsla(ctx, lambda v: v["loans"] / v["shares"] if v["shares"] else float("nan"))
    return Outcome(f"{est.text(pct)}", est.within(t), est)


PATTERNS: dict[str, tuple[str, Callable[[Context, Target], Outcome]]] = {
    "price_seasonality": ("Seasonal millet price cycle", p_price_seasonality),
    "drought_price": ("Drought raises lean-season millet prices", p_drought_price),
    "tot_collapse": ("Terms-of-trade collapse in a drought lean season", p_tot_collapse),
    "tot_harvest": ("Terms of trade after the harvest", p_tot_harvest),
    "tot_lean": ("Terms of trade in the lean season", p_tot_lean),
    "lean_coping": ("Lean-season peak of livelihood coping", p_lean_coping),
    "lean_food_deficit": ("Lean-season peak of food deficits", p_lean_food_deficit),
    "gam_lean": ("Lean-season GAM near Mopti levels", p_gam_lean),
    "cash_gam": ("Cash alone barely moves GAM", p_cash_gam),
    "cash_hdds": ("Dietary diversity responds to cash", p_cash_hdds),
    "market_dependence": ("Wealth-graded market dependence", p_market_dependence),
    "better_off_net_sellers": (
        "Better-off households are net grain sellers",
        p_better_off_net_sellers,
    ),
    "price_spike_very_poor": ("Price spikes hurt the very poor most", p_price_spike_very_poor),
    "own_production": ("Own production covers about six months (poor)", p_own_production),
    "stock_exhaustion": ("Very poor run out of stocks by Feb–Apr", p_stock_exhaustion),
    "coping_hierarchy": (
        "Coping hierarchy: stress before crisis and emergency",
        p_coping_hierarchy,
    ),
    "cash_coping": ("Transfers substitute for coping", p_cash_coping),
    "herd_rebuild_above": ("Asset threshold: rebuilding above it", p_herd_rebuild_above),
    "herd_stay_low_below": ("Asset threshold: staying low below it", p_herd_stay_low_below),
    "herd_growth": ("Flock growth in normal years", p_herd_growth),
    "poor_flocks": ("Poor households' flocks near-stationary", p_poor_flocks),
    "graduation_consumption": (
        "Graduation effect at 3 years: consumption",
        p_graduation_consumption,
    ),
    "graduation_assets": ("Graduation effect at 3 years: assets", p_graduation_assets),
    "graduation_food_security": (
        "Graduation effect at 3 years: food security",
        p_graduation_food_security,
    ),
    "persistence_consumption": (
        "Persistence 3 years after exit: consumption",
        p_persistence_consumption,
    ),
    "persistence_assets": ("Persistence 3 years after exit: assets", p_persistence_assets),
    "cash_plus_food_security": ("Cash+ beats cash: food security", p_cash_plus_food_security),
    "cash_plus_production": ("Cash+ beats cash: production", p_cash_plus_production),
    "cash_plus_hdds": ("Cash+ raises dietary diversity", p_cash_plus_hdds),
    "vsla_savings": ("Savings groups: savings", p_vsla_savings),
    "vsla_livestock": ("Savings groups: livestock", p_vsla_livestock),
    "vsla_food_security": ("Savings groups: food security", p_vsla_food_security),
    "social_fund_idiosyncratic": (
        "Social fund buffers idiosyncratic shocks",
        p_social_fund_idiosyncratic,
    ),
    "social_fund_covariate": ("Social fund fails in covariate shocks", p_social_fund_covariate),
    "rci_wealth": ("RCI higher for richer, more diversified households", p_rci_wealth),
    "rci_recovery": ("Higher RCI, faster recovery", p_rci_recovery),
    "rci_programme": ("Programme RCI gain through AC and SSN", p_rci_programme),
    "programme_households": ("Programme: participating households", p_programme_households),
    "programme_villages": ("Programme: villages", p_programme_villages),
    "programme_women": ("Programme: women participants", p_programme_women),
    "group_size": ("Programme: members per CdR group", p_group_size),
    "field_schools": ("Programme: field schools", p_field_schools),
    "vsla_shares_per_member": ("CdR groups: shares bought per member", p_vsla_shares_per_member),
    "vsla_social_fund_per_member": (
        "CdR groups: social fund per member",
        p_vsla_social_fund_per_member,
    ),
    "vsla_share_lent": ("CdR groups: share of savings lent", p_vsla_share_lent),
}
"""Every pattern: its title and the function measuring it (docstring: how)."""

ROW_COLUMNS = (
    "pattern",
    "title",
    "target",
    "source",
    "model",
    "result",
    "mean",
    "low",
    "high",
    "replicates",
    "target_low",
    "target_high",
)

# --------------------------------------------------------------------------- running


@dataclass
class Validation:
    """The outcome of :func:`validate`.

    Attributes
    ----------
    rows
        One row per pattern: see :data:`ROW_COLUMNS`.
    markdown
        The document written to ``validate.output``.
    path
        Where the document was written (None if nowhere).
    rci
        Mean RCI and pillar scores by package and wealth group (full CdR and none scored
        together at exit).
    summary
        Scale, timing, seeds and counts.
    context
        Every run's observations and the settings, for further analysis.
    """

    rows: pd.DataFrame
    markdown: str
    path: Path | None
    rci: pd.DataFrame
    summary: dict[str, Any]
    context: Context | None = field(default=None, repr=False)


def programme_figures(config: dict[str, Any]) -> dict[str, float]:
    """The programme's design figures in a model built (not run) from ``config``."""
    from sim.model import ResilienceModel
    from sim.policies.targeting import form_groups

    cfg = build(ModelConfig, config)
    model = ResilienceModel(cfg, check=False)
    pop = model.pop
    who = pop.targeted
    groups = pop.group[who]
    schools = form_groups(pop.village, who, cfg.policy.productive.field_school.participants)
    return {
        "households": float(who.sum()),
        "villages": float(np.unique(pop.village[who]).size),
        "women": float(pop.woman[who].mean()) if who.any() else float("nan"),
        "group_size": float(who.sum() / (groups.max() + 1)) if who.any() else float("nan"),
        "field_schools": float(schools.max() + 1) if who.any() else 0.0,
    }


def validate(
    *overrides: str, output: str | os.PathLike[str] | None = None, progress: bool = False
) -> Validation:
    """Run the validation experiments and write the validation table.

    Parameters
    ----------
    *overrides
        Override strings as on the command line (``"validate.replicates=4"``,
        ``"validate.households=1000"``, ``"executor=serial"``, model parameters, which apply to
        every experiment; ``package`` and ``shocks`` are set by each experiment).
    output
        Where to write the Markdown table; defaults to ``validate.output``.
    progress
        Show a progress bar.

    Returns
    -------
    Validation
    """
    from sim.analysis.executor import make_executor
    from sim.analysis.runner import RunTask, replicate_seeds
    from sim.api import _without, compose_config, load, model_dict

    started = time.perf_counter()
    run = load(*overrides)
    data = compose_config(*overrides)
    s = settings(data["validate"])
    base = _without(tuple(overrides), "package", "packages", "shocks", "task")
    scale = [f"population.households={s.households}", f"years={s.years}"]
    configs = {}
    for name, exp in EXPERIMENTS.items():
        composed = compose_config(*base, f"package={exp.package}", *exp.overrides(s), *scale)
        check_consistency(build(ModelConfig, model_dict(composed)))
        configs[name] = model_dict(composed)
    seeds = replicate_seeds(run.model.seed, s.replicates)
    tasks = [
        RunTask(
            f"{name}/{r}",
            dict(config, seed=seed),
            {"experiment": name, "replicate": r, "vsla_months": s.vsla_months},
        )
        for r, seed in enumerate(seeds)
        for name, config in configs.items()
    ]
    e = run.experiment.executor
    executor = make_executor(e.name, workers=e.workers, address=e.address or None)
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in EXPERIMENTS}
    bar = tqdm(total=len(tasks), disable=not progress, unit="run", desc="validation runs")
    try:
        for _, result in executor.map(observe, tasks):
            results[result["experiment"]].append(result)
            bar.update(1)
    finally:
        bar.close()
        executor.close()
    for name in results:
        results[name].sort(key=lambda r: r["replicate"])
    ctx = Context(results, s, programme_figures(dict(configs["baseline"], seed=run.model.seed)))
    rows = []
    for name, (title, fn) in PATTERNS.items():
        t = s.targets[name]
        out = fn(ctx, t)
        est = out.estimate or Estimate(float("nan"), float("nan"), float("nan"), 0)
        rows.append(
            {
                "pattern": name,
                "title": title,
                "target": t.target,
                "source": t.source,
                "model": out.value,
                "result": "pass" if out.passed else "fail",
                "mean": est.mean,
                "low": est.low,
                "high": est.high,
                "replicates": est.n,
                "target_low": t.low,
                "target_high": t.high,
            }
        )
    table = pd.DataFrame(rows, columns=list(ROW_COLUMNS))
    rci_table = _rci_table(ctx)
    elapsed = time.perf_counter() - started
    summary = {
        "households": s.households,
        "targeted": int(ctx.programme["households"]),
        "years": s.years,
        "start_year": run.model.start_year,
        "replicates": s.replicates,
        "experiments": list(EXPERIMENTS),
        "runs": len(tasks),
        "seed": run.model.seed,
        "executor": e.name,
        "workers": getattr(executor, "workers", 1),
        "wall_time_s": elapsed,
        "passed": int((table["result"] == "pass").sum()),
        "patterns": len(table),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "overrides": [o for o in overrides if o.split("=", 1)[0].lstrip("+~") != "validate.output"],
    }
    text = markdown(table, rci_table, ctx, summary)
    destination = os.fspath(output) if output is not None else s.output
    target = Path(destination) if destination else None
    path = None
    if target is not None:
        from sim.results import atomic_write

        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, lambda p: Path(p).write_text(text, encoding="utf-8"))
        path = target
    return Validation(table, text, path, rci_table, summary, ctx)


def _rci_table(ctx: Context) -> pd.DataFrame:
    """Mean RCI and pillar scores by package, for the programme's households and by wealth group.

    Full CdR and none scored together at the programme's exit, mean over replicates.
    """
    from sim.rci import PILLARS

    reps = rci_programme(ctx)
    columns = ["package", "households", "rci", *PILLARS]
    if not reps:
        return pd.DataFrame(columns=columns)
    frames = []
    for r in reps:
        f = r["frame"]
        groups = np.asarray(WEALTH_GROUPS, dtype=object)[f["wealth"].to_numpy()]
        frames.append(f.assign(households=groups))
        frames.append(f[f["targeted"]].assign(households="programme"))
    both = pd.concat(frames, ignore_index=True)
    table = both.groupby(["package", "households"])[["rci", *PILLARS]].mean().reset_index()
    table["households"] = pd.Categorical(
        table["households"], categories=["programme", *WEALTH_GROUPS], ordered=True
    )
    table["package"] = pd.Categorical(
        table["package"], categories=["none", "full_cdr"], ordered=True
    )
    return table.sort_values(["package", "households"]).reset_index(drop=True)[columns]


def markdown(table: pd.DataFrame, rci: pd.DataFrame, ctx: Context, summary: dict[str, Any]) -> str:
    """The validation document."""
    from sim.rci import PILLARS

    s = ctx.settings
    minutes = summary["wall_time_s"] / 60
    lines = [
        "# Validation",
        "",
        "Generated by `resim task=validate` (`sim.validate()`) from `conf/validate/default.yaml`;",
        "do not edit by hand. Each pattern is measured on the model's own outputs; targets and",
        "their sources are in the config, the measurements in `sim/validation.py`, the reasons",
        "for failures in `sim/validation_notes.py`; calibration changes in",
        "[`calibration.md`](calibration.md).",
        "",
        f"**Scale.** {summary['households']:,} households ({summary['targeted']:,} targeted), "
        f"{summary['years']} years from {summary['start_year']}, {summary['replicates']} replicates "
        f"of each of {len(EXPERIMENTS)} experiments ({summary['runs']} runs), root seed "
        f"{summary['seed']}; replicate r has the same seed in every experiment (common random "
        f"numbers), so effects are paired differences. Run in {minutes:.1f} min "
        f"({summary['executor']} executor, {summary['machine']}).",
        "",
        "**Rules.** The model value is the mean over replicates with its 95 % t-interval in",
        "brackets. A target with bounds passes when the mean lies within them; a directional",
        "target (an effect that must be positive or negative) passes when the whole interval",
        "lies on the right side; timing conditions apply to the mean seasonal curve; all",
        "conditions of a target must hold. Effects are for the programme's (targeted)",
        "households; SD effects are (treated − control mean) / control SD, per replicate.",
        "",
        f"**Result: {summary['passed']} of {summary['patterns']} patterns pass.**",
        "",
        "| # | pattern | target | source | model | result |",
        "|---|---|---|---|---|---|",
    ]
    for i, row in enumerate(table.itertuples(index=False), start=1):
        cells = [str(i), row.title, row.target, row.source, row.model, f"**{row.result}**"]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    failing = table[table["result"] == "fail"]
    lines += ["", "## Failing patterns", ""]
    if failing.empty:
        lines.append("None.")
    for row in failing.itertuples(index=False):
        known = s.known_failures.get(row.pattern)
        if known:
            lines.append(
                f"- **{row.title}** (`{row.pattern}`). {known.reason} *Plan:* {known.plan}"
            )
        else:
            lines.append(f"- **{row.title}** (`{row.pattern}`): no explanation recorded yet.")
    lines += [
        "",
        "## Experiments",
        "",
        "| experiment | package | what |",
        "|---|---|---|",
    ]
    for exp in EXPERIMENTS.values():
        lines.append(f"| `{exp.name}` | `{exp.package}` | {exp.description} |")
    lines += [
        "",
        f"Drought: severity {s.drought.severity} in year {s.drought.year}; price spike: severity "
        f"{s.price_spike.severity} in year {s.price_spike.year}; flood: severity "
        f"{s.flood.severity} in year {s.flood.year} (years from the start year).",
        "",
        "## How each pattern is measured",
        "",
    ]
    for name, (title, fn) in PATTERNS.items():
        doc = " ".join((fn.__doc__ or "").split())
        lines.append(f"- **{title}** (`{name}`): {doc}")
    lines += [
        "",
        "## Resilience capacity index (RCI)",
        "",
        "RIMA-II-style index per household (`sim/rci.py`): four pillars (ABS access to basic",
        "services, AST assets, SSN social safety nets, AC adaptive capacity), each the mean of",
        "its standardised variables; the first principal component of the standardised pillar",
        "scores gives the pillar weights (squared loadings), rescaled 0–100. Below, the full",
        "package and no intervention scored together at the programme's exit, mean over",
        "replicates (pillar scores in SD units):",
        "",
        "| package | households | RCI | " + " | ".join(PILLARS) + " |",
        "|---|---|---:|" + "---:|" * len(PILLARS),
    ]
    for row in rci.itertuples(index=False):
        values = [f"{getattr(row, p):+.2f}" for p in PILLARS]
        lines.append(
            f"| `{row.package}` | {str(row.households).replace('_', ' ')} | {row.rci:.1f} | "
            + " | ".join(values)
            + " |"
        )
    reps = rci_programme(ctx)
    if reps:
        loadings = pd.DataFrame([r["loadings"] for r in reps]).mean()
        explained = float(np.mean([r["explained"] for r in reps]))
        lines += [
            "",
            "First-component loadings (the resilience structure): "
            + ", ".join(f"{p} {loadings[p]:+.2f}" for p in PILLARS)
            + f"; the component explains {pct(explained)} of the pillars' variance.",
        ]
    lines.append("")
    return "\n".join(lines)
