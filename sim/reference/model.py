"""The reference model: one Mesa agent per household, stepped one household at a time.

:class:`ReferenceModel` draws the same world, the same initial households and, each month,
the same :class:`sim.draws.MonthDraws` from the same ``idiosyncratic`` stream as
:class:`sim.model.ResilienceModel`; household ``i`` reads column ``i``. It then runs the
month as a Mesa user would write it: stages of a loop over the household agents, with the
CdR groups and villages settling between stages (staged activation), and records the
monthly indicators with plain sums over agents. It is slow on purpose and exists to check
the vectorised model (``tests/test_reference.py``) and to measure what vectorising buys
(``benchmarks/run.py``).
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from sim.config import ModelConfig
from sim.draws import CONFLICT_UNIFORMS, NORMALS, UNIFORMS, MonthDraws
from sim.indicators import GROUPS, INDICATORS
from sim.policies.programme import Doses
from sim.policies.targeting import target
from sim.population import build_population, food_land_share
from sim.processes.income import typical_workers
from sim.processes.nutrition import workload
from sim.rates import monthly_hazard_probability, monthly_probability
from sim.reference.group import CdrGroup, Village
from sim.reference.household import ReferenceHousehold
from sim.reference.scalar import Month, exp, log1p, power
from sim.streams import generator
from sim.world import World


class ReferenceModel(mesa.Model):
    """Per-household reference implementation of :class:`sim.model.ResilienceModel`.

    Parameters
    ----------
    config
        The validated model configuration.

    Attributes
    ----------
    households : list[ReferenceHousehold]
        One agent per household, in population-table row order.
    groups : list[CdrGroup]
        The CdR groups, by index.
    villages : list[Village]
        The villages, by index.
    month : int
        Index of the next month to simulate.
    indicators : numpy.ndarray
        Monthly indicators, shape (months, len(GROUPS), len(INDICATORS)), as
        :attr:`sim.indicators.Recorder.values`.
    """

    def __init__(self, config: ModelConfig) -> None:
        super().__init__(rng=generator(config.seed, "mesa"))
        self.config = config
        self.world = World.build(config)
        pop = build_population(config, self.world, generator(config.seed, "population"))
        target(pop, config, generator(config.seed, "policy"))
        self.dose = Doses.of(config)
        s = config.policy.schedule
        self.start = min(
            max(12 * s.start_year + s.start_month - config.start_month, 0), config.months
        )
        self.exit = min(self.start + s.duration_months, config.months)
        self._constants()

        columns = {name: col.tolist() for name, col in pop.columns().items()}
        self._dtypes = {name: col.dtype for name, col in pop.columns().items()}
        self.households = [
            ReferenceHousehold(self, row, {name: col[row] for name, col in columns.items()})
            for row in range(pop.n)
        ]
        self.villages = [Village(v) for v in range(self.world.villages.count)]
        n_groups = max((h.group for h in self.households), default=-1) + 1
        self.groups = [CdrGroup(self, g) for g in range(n_groups)]
        for h in self.households:
            self.villages[h.village].households.append(h)
            if h.group >= 0:
                self.groups[h.group].members.append(h)
                self.groups[h.group].village = h.village

        self._idiosyncratic = generator(config.seed, "idiosyncratic")
        self._displacement = generator(config.seed, "displacement")
        self.month = 0
        self.indicators = np.full((config.months, len(GROUPS), len(INDICATORS)), np.nan)

    def _constants(self) -> None:
        """Per-run constants: monthly herd probabilities, income noise, market access."""
        lv, cfg = self.config.livestock, self.config
        self.p_kidding = min(1.0, lv.sr_parturitions_per_year * lv.sr_litter_size / 12)
        self.p_calving = min(1.0, lv.cattle_calving * lv.cattle_cow_share / 12)
        self.p_death_female = monthly_probability(lv.sr_adult_mortality)
        self.p_death_other = monthly_probability(lv.sr_other_mortality)
        self.p_death_cattle = monthly_probability(lv.cattle_mortality)
        self.p_death_poultry = monthly_hazard_probability(lv.poultry_mortality)
        self.p_offtake_sr = monthly_probability(lv.sr_offtake)
        self.p_maturation = monthly_probability(lv.sr_maturation)
        self.p_offtake_cattle = monthly_probability(lv.cattle_offtake)
        self.p_offtake_poultry = monthly_hazard_probability(lv.poultry_offtake)
        self.p_livestock_loan = monthly_probability(lv.restock_rate)
        self.p_return = monthly_hazard_probability(cfg.shocks.insecurity.return_rate)
        self.typical_workers = typical_workers(cfg).tolist()
        per_migrant = np.asarray(cfg.income.remittances) / np.asarray(cfg.population.migrant_share)
        self.per_migrant = per_migrant.tolist()
        self.yield_sigma = math.sqrt(log1p(cfg.crops.yield_noise_cv**2))
        self.income_sigma = math.sqrt(log1p(cfg.income.income_noise_cv**2))
        access = self.world.villages.market_access
        mean_access = float(np.mean(access))  # a world statistic, as the vectorised model's
        self.relative_access = [a / mean_access for a in access.tolist()]
        self.mean_millet_price = float(np.mean(cfg.market.millet_price))
        self.food_land_share = food_land_share(cfg)

    def income_factor(self, z: float) -> float:
        """Mean-one lognormal multiplier of labour and trade income for the normal ``z``."""
        s = self.income_sigma
        return exp(s * z - s**2 / 2)

    # ------------------------------------------------------------------ the month
    def month_context(self, t: int) -> Month:
        """What every household faces in month ``t`` (from the exogenous world)."""
        world, cfg = self.world, self.config
        cal, prices, ev = world.calendar, world.prices, world.shocks
        m = int(cal.month[t])
        row = int(cal.season[t]) + 1
        mean_rain = cfg.climate.rain_mean_mm
        dr = cfg.shocks.drought
        rain = world.rain[row].tolist()
        ins = ev.insecurity
        access = ins.pasture_access[t].tolist()
        deficit = [
            1 - (1 - d) * a if a < 1 else d
            for d, a in zip(
                [min(max(1 - r / mean_rain, 0.0), 1.0) for r in rain], access, strict=True
            )
        ]
        labour = None
        if 6 <= m <= 11:  # growing season: fewer hands needed after poor rains
            growing = world.rain[int(cal.year[t] - cal.year[0]) + 1].tolist()
            labour = [power(min(r / mean_rain, 1.0), dr.labour_rain_elasticity) for r in growing]
        hd = cfg.shocks.human_disease
        active = self.start <= t < self.exit
        return Month(
            t=t,
            month=m,
            millet=float(prices["millet"][t]),
            goat=float(prices["goat"][t]),
            cattle=float(prices["cattle"][t]),
            poultry=float(prices["poultry"][t]),
            millet_paid=(prices["millet"][t] * ins.price_paid[t]).tolist(),
            goat_received=(prices["goat"][t] * ins.price_received[t]).tolist(),
            cattle_received=(prices["cattle"][t] * ins.price_received[t]).tolist(),
            poultry_received=(prices["poultry"][t] * ins.price_received[t]).tolist(),
            market_access=ins.market_access[t].tolist(),
            calm=(ins.severity[t] == 0).tolist(),
            theft=ins.theft_share[t].tolist(),
            flight=ins.displacement_probability[t].tolist(),
            interrupted=ins.interrupted[t].tolist(),
            harvest=m == cfg.crops.harvest_month,
            season_rain=rain,
            harvest_factor=ev.harvest_factor[row].tolist(),
            mortality=[1 + dr.pasture_mortality * d for d in deficit],
            fertility=[min(max(1 - dr.pasture_fertility * d, 0.0), 1.0) for d in deficit],
            labour_factor=labour,
            flood=ev.flood[t].tolist(),
            ppr=ev.ppr[t].tolist(),
            newcastle=ev.newcastle[t].tolist(),
            illness_probability=hd.illness_probability[m - 1] * float(ev.epidemic[t]),
            pasture_deficit=deficit,
            workload=workload(cfg, m),
            village_hit=ev.village_hit(t).tolist(),
            active=active,
            programme_year=(t - self.start) // 12 if t >= self.start else -1,
        )

    def step(self) -> None:
        """Simulate one month, household by household, in the vectorised model's order."""
        t = self.month
        month = self.month_context(t)
        draws = MonthDraws.draw(self._idiosyncratic, len(self.households), self._displacement)
        uniforms, normals = draws.uniform.T.tolist(), draws.normal.T.tolist()
        conflict = draws.conflict.T.tolist()
        households = self.households
        for h, u, z, c in zip(households, uniforms, normals, conflict, strict=True):
            h.receive_draws(
                dict(zip(UNIFORMS, u, strict=True)) | dict(zip(CONFLICT_UNIFORMS, c, strict=True)),
                dict(zip(NORMALS, z, strict=True)),
            )

        # programme deliveries and the month's shocks
        for h in households:
            h.begin_month(month)
        for g in self.groups:
            if t == self.start and (self.dose.vsla > 0 or self.dose.contingency_fund > 0):
                g.seed_contingency_fund()
            g.grant_social_fund()
            g.pay_contingency(month)

        # harvest, learning, herds, income, group shares
        for h in households:
            h.harvest(month)
        if month.harvest:
            for v in self.villages:
                v.learn(self, month)
        for h in households:
            h.tend_and_earn(month)
        for g in self.groups:
            g.collect_shares()

        # consumption and coping (the group lends between the two)
        for h in households:
            h.eat(month)
        loans: dict[ReferenceHousehold, float] = {}
        for g in self.groups:
            loans.update(g.lend())
        for h in households:
            h.borrow(loans.get(h, 0.0))
        gifts: dict[ReferenceHousehold, float] = {}
        for v in self.villages:
            gifts.update(v.share_gifts())
        for h in households:
            h.cope(month, gifts[h])

        # the group meeting, warrantage release
        self.group_meeting(month, draws.u("group_dissolution")[: len(self.groups)].tolist())
        for h in households:
            h.fund_equity = 0.0
        for g in self.groups:
            g.value_claims()
        self.warrantage_release(month)

        # spending, saving and investment; gifts for next month; nutrition
        for h in households:
            h.end_month(month)
        for v in self.villages:
            v.collect_gifts()
        for h in households:
            h.nourish(month)

        self.record(t)
        self.month += 1
        self.running = self.month < self.config.months

    def group_meeting(self, month: Month, u_dissolve: list[float]) -> None:
        """Charges and repayments; the share-out month; groups dissolving after exit.

        Group ``g`` decides whether to dissolve with uniform ``u_dissolve[g]``.
        """
        v = self.config.policy.financial.vsla
        if self.dose.vsla <= 0 or not any(h.vsla for h in self.households):
            return
        for g in self.groups:
            g.collect_repayments()
        ending, dissolving = [], []
        for g in self.groups:
            meets = not month.interrupted[g.village]
            if month.month == v.shareout_month and g.active:
                g.shareout_due = True
            ends = g.shareout_due and meets
            if ends:
                g.shareout_due = False
            gone = month.t >= self.exit and g.active and meets and g.dissolves(u_dissolve[g.index])
            if gone:
                g.active = False
                ends = True
            ending.append(ends)
            dissolving.append(gone)
        for g, ends in zip(self.groups, ending, strict=True):
            if ends:
                g.share_out(month)
        for g, gone in zip(self.groups, dissolving, strict=True):
            if gone:
                g.dissolve()
        for g in self.groups:
            if not g.active:
                for h in g.members:
                    h.vsla = False

    def warrantage_release(self, month: Month) -> None:
        """In the release month, if any grain is in the warehouse: every household settles."""
        w = self.config.policy.financial.warrantage
        if month.month != w.release_month:
            return
        if not any(h.warehouse_kg > 0 or h.warrant_debt > 0 for h in self.households):
            return
        for h in self.households:
            h.release_warrantage(month)

    def run(self) -> None:
        """Run the remaining months of the horizon."""
        while self.month < self.config.months:
            self.step()

    # ------------------------------------------------------------------ outputs
    def record(self, t: int) -> None:
        """Store month ``t``'s indicators: weighted means by wealth group, programme, overall."""
        k = len(INDICATORS)
        num = [[0.0] * k for _ in GROUPS]
        den = [[0.0] * k for _ in GROUPS]
        cfg = self.config
        line, gam = cfg.indicators.asset_poverty_line_fcfa, cfg.indicators.gam_whz
        for h in self.households:
            eaten = h.food_in_kind + h.food_own + h.food_bought + h.food_begging
            per_eaten = eaten if eaten > 0 else 1.0
            assets = h.net_assets()
            values = (
                (h.kcal_adequacy, 1.0),
                (float(h.survival_deficit), 1.0),
                (float(h.lp_deficit), 1.0),
                (float(h.whz < gam), float(h.under5)),
                (h.hdds, 1.0),
                (h.whz, float(h.under5)),
                (h.tlu, 1.0),
                (h.cash, 1.0),
                (h.savings, 1.0),
                (h.debt, 1.0),
                (h.grain_kg, 1.0),
                (h.income, 1.0),
                (float(assets < line), 1.0),
                (assets, 1.0),
                (float(h.coping == 1), 1.0),
                (float(h.coping == 2), 1.0),
                (float(h.coping == 3), 1.0),
                (h.consumption / h.adult_equivalents / cfg.consumption.days_per_month, 1.0),
                (float(h.kcal_adequacy >= 1 - cfg.indicators.deficit_tolerance), 1.0),
                (h.food_own / per_eaten, eaten),
                (h.food_bought / per_eaten, eaten),
                (float(h.displaced), 1.0),
            )
            groups = (
                (h.wealth, GROUPS.index("programme"), len(GROUPS) - 1)
                if h.targeted
                else (h.wealth, len(GROUPS) - 1)
            )
            for gi in groups:
                for j, (value, weight) in enumerate(values):
                    num[gi][j] += value * weight
                    den[gi][j] += weight
        for gi in range(len(GROUPS)):
            for j in range(k):
                d = den[gi][j]
                self.indicators[t, gi, j] = num[gi][j] / d if d > 0 else np.nan

    def state(self) -> dict[str, np.ndarray]:
        """Every household's state as columns named and typed like the population table's."""
        return {
            name: np.array([getattr(h, name) for h in self.households], dtype=dtype)
            for name, dtype in self._dtypes.items()
        }
