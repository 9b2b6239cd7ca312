"""What the patterns read: one validation run followed month by month.

:class:`Observer` records, every month of a run, the household panels and flows the patterns
need (coping, energy adequacy, consumption, production, assets, herds, fund claims …) and
summarises them at the end (:meth:`Observer.result`: small enough to return from a worker).
:func:`observer` makes the observer of a validation task; the experiment runner's one worker
(:func:`sim.analysis.runner.run_task`) calls it and returns the observation.
:func:`programme_figures` reads the programme's design figures from a model built, not run.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.config import ModelConfig, build
from sim.model import ResilienceModel
from sim.outcomes import endline_end
from sim.policies.targeting import form_groups
from sim.population import adult_equivalents, household_need_kg, net_assets, tlu
from sim.rci import score
from sim.shocks import month_index, scheduled

SALES: tuple[str, ...] = ("offtake", "stress", "crisis", "emergency")
"""Ledger flows of animals sold: normal offtake and the three coping levels' sales."""


REPAID_FCFA = 1e-6
"""FCFA: a group debt at or below this is repaid (rounding)."""


class Observer:
    """Follows one run month by month and keeps what the patterns need.

    Parameters
    ----------
    model
        A :class:`~sim.model.ResilienceModel` before its first step.
    monthly_rci
        Score the RCI every month (for the RCI before each shock), not only at the end.
    vsla_months
        Months of group activity the savings-group figures cover (``validate.vsla_months``).
    """

    def __init__(
        self, model: ResilienceModel, *, monthly_rci: bool = True, vsla_months: int = 12
    ) -> None:
        self.model = model
        self.monthly_rci = monthly_rci
        self.vsla_months = vsla_months
        months, n = model.config.months, model.pop.n
        f32 = np.float32
        self.coping = np.zeros((months, n), np.int8)
        self.kcal = np.zeros((months, n), f32)
        self.fed = np.zeros((months, n), bool)  # energy needs met this month
        self.consumption = np.zeros((months, n), f32)  # FCFA per adult equivalent and day
        self.yields = np.full((months, n), np.nan, f32)  # kg per ha, harvest months only
        # all households: livestock sales, and income (harvest value, cash income, milk), FCFA
        self.buffer = np.zeros((months, 2))
        # the programme's cumulative cost, FCFA
        self.cost = np.zeros(months)
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
        # shares bought, group loans granted, active members, social funds' balance, service
        # charges (FCFA)
        self.vsla = np.zeros((months, 5))
        # group loans: the month each member's loan was granted (-1: none), and the terms in
        # months of the loans granted in the first ``vsla_months`` once repaid
        self._loan_granted = np.full(n, -1, dtype=np.int64)
        self._loan_terms: list[np.ndarray] = []
        # conflict: food bought in villages in conflict at the price paid and at the regional
        # price; animals sold there at the price received and at the regional prices (FCFA);
        # displaced and all households, displaced and at-home households with energy needs
        # unmet; TLU stolen and TLU held (before the theft)
        self.conflict = np.zeros((months, 10))
        self.rci_exit: pd.DataFrame | None = None
        self.initial_small_ruminants = model.pop.sr_female + model.pop.sr_other

    def record(self) -> None:
        """Record the month just simulated."""
        m = self.model
        t, pop, cfg, world, ledger = m.month - 1, m.pop, m.config, m.world, m.last_ledger
        prices = {k: world.prices[k][t] for k in ("millet", "goat", "cattle", "poultry")}
        self.coping[t] = pop.coping
        self.kcal[t] = pop.kcal_adequacy
        self.fed[t] = pop.kcal_adequacy >= 1 - cfg.indicators.deficit_tolerance
        self.consumption[t] = (
            pop.consumption / adult_equivalents(pop, cfg) / cfg.consumption.days_per_month
        )
        harvest = ledger.get("grain", "harvest")
        if harvest.any():
            self.yields[t] = harvest / np.maximum(pop.land_ha, 1e-9)
        sales = np.sum([ledger.get("cash", f"{k}_sales") for k in SALES], axis=0)
        cash_income = sum(
            ledger.get("cash", k) for k in ("labour", "trade", "remittances", "garden")
        )
        self.buffer[t] = (
            float(sales.sum()),
            float((harvest * prices["millet"] + cash_income + pop.home_produce).sum()),
        )
        self.cost[t] = m.programme.total_cost()
        self.production[t] = (
            ledger.get("grain", "harvest") * prices["millet"]
            + ledger.get("small_ruminants", "births") * prices["goat"]
            + ledger.get("cattle", "births") * prices["cattle"]
            + ledger.get("poultry", "births") * prices["poultry"]
            + ledger.get("cash", "garden")
        )
        self.liquid[t] = pop.cash + pop.savings + pop.fund_equity
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
            ledger.get("group_debt", "service_charge").sum(),
        )
        self._record_loans(t)
        if t == m.programme.exit - 1:
            self.rci_exit = m.rci.variables()
        self._record_conflict(t, sales)

    def _record_loans(self, t: int) -> None:
        """Group loans' terms: one loan at a time, a loan runs until the member owes nothing."""
        m = self.model
        granted = m.last_ledger.get("group_debt", "group_loan") > 0
        self._loan_granted[granted & (self._loan_granted < 0)] = t
        repaid = (self._loan_granted >= 0) & (m.pop.group_debt <= REPAID_FCFA)
        since = self._loan_granted[repaid]
        self._loan_terms.append(t - since[self._in_window(since)] + 1)
        self._loan_granted[repaid] = -1

    def _in_window(self, month: np.ndarray) -> np.ndarray:
        """Whether months fall in the first ``vsla_months`` of the programme."""
        start = self.model.programme.start
        return (month >= start) & (month < start + self.vsla_months)

    def _loans(self) -> dict[str, Any]:
        """Terms of the window's loans, months: repaid ones, and lower bounds for those still out."""
        out = self._loan_granted[(self._loan_granted >= 0) & self._in_window(self._loan_granted)]
        repaid = np.concatenate(self._loan_terms) if self._loan_terms else np.zeros(0, np.int64)
        return {"repaid": repaid, "outstanding": self.model.config.months - out}

    def _record_conflict(self, t: int, sales: np.ndarray) -> None:
        """Prices paid and received in villages in conflict, the displaced, livestock theft."""
        m = self.model
        pop, cfg, world, ledger = m.pop, m.config, m.world, m.last_ledger
        hot = world.shocks.insecurity.severity[t, pop.village] > 0
        if not (hot.any() or pop.displaced.any()):
            return
        heads = {
            k: -np.sum([ledger.get(k, name) for name in SALES], axis=0)
            for k in ("small_ruminants", "cattle", "poultry")
        }
        regional_value = (
            heads["small_ruminants"] * world.prices["goat"][t]
            + heads["cattle"] * world.prices["cattle"][t]
            + heads["poultry"] * world.prices["poultry"][t]
        )
        kg = ledger.get("food", "bought")
        lv = cfg.livestock
        stolen = -(
            lv.tlu_small_ruminant * ledger.get("small_ruminants", "theft")
            + lv.tlu_cattle * ledger.get("cattle", "theft")
            + lv.tlu_poultry * ledger.get("poultry", "theft")
        )
        unmet = ~self.fed[t]
        away = pop.displaced
        self.conflict[t] = (
            -ledger.get("cash", "food_purchases")[hot].sum(),
            (kg * world.prices["millet"][t])[hot].sum(),
            sales[hot].sum(),
            regional_value[hot].sum(),
            away.sum(),
            pop.n,
            (unmet & away).sum(),
            (unmet & ~away).sum(),
            stolen.sum(),
            (self.tlu[t] + stolen).sum(),
        )

    def _lean_shortfall(self, lo: int, hi: int, who: np.ndarray) -> np.ndarray:
        """Per household: mean share of energy needs unmet in the lean months of ``[lo, hi)``.

        Severity-weighted (a month at 60 % of needs counts four times one at 90 %), as
        households say they went short, not only whether they did. NaN outside the run.
        """
        m = self.model
        lean = [
            t
            for t in range(max(lo, 0), min(hi, m.config.months))
            if int(m.world.calendar.month[t]) in m.config.indicators.lean_months
        ]
        if lo < 0 or not lean:
            return np.full(int(who.sum()), np.nan)
        return np.clip(1.0 - self.kcal[lean][:, who].astype(float), 0.0, None).mean(axis=0)

    def result(self) -> dict[str, Any]:
        """What the patterns read, summarised (small enough to return from a worker)."""
        vsla_months = self.vsla_months
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
        endline = endline_end(exit_, cfg)
        bcr_at = start + 18
        sd = {
            f"consumption_{label}_sd": _monthly_sd(self.consumption, hi - 12, hi, who)
            for label, hi in (("exit", exit_), ("endline", endline), ("after", after))
        }
        panel = pd.DataFrame(
            {
                "consumption_exit": window(self.consumption, exit_ - 12, exit_, "mean"),
                "consumption_endline": window(self.consumption, endline - 12, endline, "mean"),
                "consumption_after": window(self.consumption, after - 12, after, "mean"),
                "assets_exit": window(self.assets, exit_ - 1, exit_, "mean"),
                "assets_endline": window(self.assets, endline - 1, endline, "mean"),
                "assets_after": window(self.assets, after - 1, after, "mean"),
                "mahfp_exit": window(self.fed, exit_ - 12, exit_, "sum"),
                "mahfp_endline": window(self.fed, endline - 12, endline, "sum"),
                "mahfp_after": window(self.fed, after - 12, after, "sum"),
                "liquid_exit": window(self.liquid, exit_ - 12, exit_, "mean"),
                "tlu_exit": window(self.tlu, exit_ - 1, exit_, "mean"),
                "lean_shortfall_exit": self._lean_shortfall(exit_ - 12, exit_, who),
                "mahfp_followup": window(self.fed, start + 12, start + 36, "sum") / 2,
                "production_followup": window(self.production, start + 12, start + 36, "sum"),
                # 18 months in: consumption (FCFA per household) and net assets, for benefit-cost
                "consumption_18m": window(self.consumption, start, bcr_at, "sum")
                * cfg.consumption.days_per_month
                * adult_equivalents(pop, cfg)[who],
                "assets_18m": window(self.assets, bcr_at - 1, bcr_at, "mean"),
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
                "charges": float(self.vsla[start:v_hi, 4].sum()),
                "loan_terms": self._loans(),
            },
            "start": start,
            "exit": exit_,
            "dispersion": self._dispersion(),
            "monthly_sd": sd,
            "herd_gini": self._herd_gini(),
            "small_stock": self._small_stock(),
            "herd_falls": self._herd_falls(),
            "buffer": self.buffer,
            "yields": self._yields(),
            "cost_18m": float(self.cost[bcr_at - 1]) if bcr_at <= months else float("nan"),
            "programme_households": int(who.sum()),
            "backsliding": {
                k: m.outcomes.summary(pop, m.resilience.episodes())[k]
                for k in ("backsliding_share", "escaped_at_exit_share", "escaped_households")
            },
            "drought_hit": self._drought_hit(),
            "conflict": self._conflict(),
            "lean_months": list(cfg.indicators.lean_months),
        }

    def _conflict(self) -> dict[str, Any] | None:
        """Sums of the conflict records, and the displaced share and theft by calendar year."""
        c = self.conflict
        if not c[:, 5].any():
            return None
        year = self.model.world.calendar.year
        years = sorted(set(int(y) for y in year))
        share = {y: float(c[year == y, 4].sum() / max(c[year == y, 5].sum(), 1)) for y in years}
        theft = {y: float(c[year == y, 8].sum() / max(c[year == y, 9].mean(), 1e-9)) for y in years}
        total = c.sum(axis=0)
        away = total[4]
        home = float(c[:, 5].sum() - away)
        return {
            "paid_over_regional": total[0] / total[1] if total[1] > 0 else float("nan"),
            "received_over_regional": total[2] / total[3] if total[3] > 0 else float("nan"),
            "displaced_share": share,
            "theft_share": theft,
            "unmet_displaced": total[6] / away if away > 0 else float("nan"),
            "unmet_home": total[7] / home if home > 0 else float("nan"),
        }

    def _dispersion(self) -> dict[str, Any]:
        """Consumption per adult equivalent in a month: CV by wealth group, Gini; means over months.

        A month's consumption, as a single-visit survey records it (EHCVM visits each
        household once, recalling the last 7 days of food and the last month of spending).
        """
        wealth = self.model.pop.wealth
        cvs: list[list[float]] = [[], [], [], []]
        ginis = []
        for month in self.consumption:
            c = month.astype(float)
            for g in range(4):
                x = c[wealth == g]
                if len(x) > 1 and x.mean() > 0:
                    cvs[g].append(float(x.std() / x.mean()))
            ginis.append(gini(c))
        return {"cv": [float(np.mean(c)) if c else float("nan") for c in cvs], "gini": _mean(ginis)}

    def _herd_gini(self) -> float:
        """Gini of TLU per household over all households, mean over Decembers."""
        cal = self.model.world.calendar
        return _mean([gini(self.tlu[t].astype(float)) for t in np.flatnonzero(cal.month == 12)])

    def _small_stock(self) -> dict[str, float]:
        """Share of very poor and poor households without small ruminants, at the start and end."""
        poor = self.model.pop.wealth <= 1
        start = self.initial_small_ruminants
        return {
            "start": float((start[poor] == 0).mean()) if poor.any() else float("nan"),
            "end": float((self.sr_total[-1, poor] == 0).mean()) if poor.any() else float("nan"),
        }

    def _herd_falls(self) -> list[float]:
        """Largest fall of each wealth group's mean TLU from one December to the next, share."""
        cal = self.model.world.calendar
        wealth = self.model.pop.wealth
        decembers = np.flatnonzero(cal.month == 12)
        falls = []
        for g in range(4):
            means = np.array([self.tlu[t, wealth == g].mean() for t in decembers])
            if len(means) < 2 or (means[:-1] <= 0).all():
                falls.append(float("nan"))
                continue
            ok = means[:-1] > 0
            falls.append(float(np.max(1 - means[1:][ok] / means[:-1][ok])))
        return falls

    def _yields(self) -> list[dict[str, float]]:
        """Mean yield of the programme households' fields at each harvest, kg/ha."""
        prog, who = self.model.programme, self.model.pop.targeted
        out = []
        for t in np.flatnonzero(~np.isnan(self.yields).all(axis=1)):
            out.append(
                {
                    "month": int(t),
                    "programme": bool(prog.start <= t < prog.exit),
                    "years_after_exit": (t - prog.exit) / 12,
                    "yield": float(np.nanmean(self.yields[t, who])),
                }
            )
        return out

    def _drought_hit(self) -> list[float] | None:
        """Very poor and better-off: months with energy needs met, the year after less before.

        The share of months with energy needs met over the year after the scheduled drought's
        harvest, less the year before it.
        """
        cfg = self.model.config
        t = self._scheduled_month("drought", cfg.crops.harvest_month)
        if t is None or t < 12 or t + 12 > cfg.months:
            return None
        wealth = self.model.pop.wealth
        out = []
        for g in (0, 3):
            who = wealth == g
            before = self.fed[t - 12 : t, who].mean()
            after = self.fed[t : t + 12, who].mean()
            out.append(float(after - before))
        return out

    def _scheduled_month(self, kind: str, month: int) -> int | None:
        """Month index of the first scheduled shock of ``kind`` (its harvest for a drought)."""
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
        need = float(household_need_kg(pop, cfg)[vp].mean())
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


def gini(x: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0: all equal)."""
    x = np.sort(np.maximum(np.asarray(x, float), 0.0))
    n, total = len(x), x.sum()
    if n == 0 or total <= 0:
        return float("nan")
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * total))


def _monthly_sd(a: np.ndarray, lo: int, hi: int, who: np.ndarray) -> float:
    """Mean over months ``lo:hi`` of the cross-household SD of ``a`` among ``who``."""
    if lo < 0 or hi > len(a) or hi <= lo:
        return float("nan")
    return float(a[lo:hi, who].astype(float).std(axis=1).mean())


def _mean(values: list[float]) -> float:
    return float(np.mean(values)) if values else float("nan")


def observer(model: ResilienceModel, labels: dict[str, Any]) -> Observer:
    """The observer of a validation run (an :data:`~sim.analysis.runner.ObserverFactory`).

    ``labels`` are the task's: its ``experiment`` (the baseline scores the RCI every month)
    and ``vsla_months``.
    """
    return Observer(
        model,
        monthly_rci=labels["experiment"] == "baseline",
        vsla_months=int(labels["vsla_months"]),
    )


def programme_figures(config: dict[str, Any]) -> dict[str, float]:
    """The programme's design figures in a model built (not run) from ``config``."""
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
