"""The reference household's livelihood.

Harvest, warrantage storage, herds, livestock loans and earnings (a mixin of :class:`sim.reference.household.ReferenceHousehold`).
"""

from __future__ import annotations

import math

from sim.reference.scalar import Month, binomial_draw, exp


class Livelihood:
    """How a reference household produces and earns, one household at a time."""

    def harvest(self, month: Month) -> None:
        """October: bring in the harvest; programme members put part of it in the warehouse."""
        self.harvest_kg = 0.0
        if not month.harvest:
            return
        if self.displaced:  # a household away from home farms no field
            self.store_under_warrantage(month)
            return
        cfg, c = self.model.config, self.model.config.crops
        rain = month.season_rain[self.village]
        recovered = cfg.policy.productive.field_school.water_conservation * self.adoption
        rain = rain + recovered * max(cfg.climate.rain_mean_mm - rain, 0.0)
        y = min(max(c.yield_per_mm * (rain - c.rain_threshold_mm), 0.0), c.yield_max_kg_ha)
        y = y * month.harvest_factor[self.village]
        inputs = cfg.policy.productive.inputs.yield_gain if self.season_inputs else 0.0
        y = y * (1 + inputs * self.model.dose.inputs)
        sigma = self.model.yield_sigma
        luck = exp(sigma * self.z["yield"] - sigma**2 / 2)
        kg = (
            self.land_ha
            * self.model.food_land_share
            * y
            * luck
            * self.land_quality
            * (1 + c.adoption_yield_gain * self.adoption)
            * (1 - c.post_harvest_loss)
        )
        self.grain_kg += kg
        self.harvest_kg = kg
        self.store_under_warrantage(month)

    def store_under_warrantage(self, month: Month) -> None:
        """Store part of the harvest as collateral and take credit against it."""
        w = self.model.config.policy.financial.warrantage
        dose = self.model.dose.warrantage
        if dose <= 0 or not month.active or not (self.participant and self.group >= 0):
            return
        if not self.present:
            return
        kg = min(self.harvest_kg * w.share * dose, self.grain_kg)
        credit = kg * month.millet * w.loan_ratio
        self.grain_kg -= kg
        self.warehouse_kg += kg
        self.cash += credit
        self.warrant_debt += credit

    def tend_and_earn(self, month: Month) -> None:
        """Herd births, deaths and sales; livestock loans; labour, trade, remittance, garden income; shares."""
        self.tend_herd(month)
        self.lend_and_return()
        self.earn(month)
        self.buy_shares(month)

    def tend_herd(self, month: Month) -> None:
        """Births and deaths on the month-start herd, then maturation, offtake, milk, destocking."""
        model, lv, u = self.model, self.model.config.livestock, self.u
        mortality = month.mortality[self.village]
        fertility = month.fertility[self.village]
        capacity = lv.poultry_capacity[self.wealth]
        p_hatch = lv.poultry_growth / 12 * (1 - self.poultry / max(capacity, 1e-9))
        p_hatch = min(max(p_hatch, 0.0), 1.0)

        p_weaned = (
            fertility
            * model.p_kidding
            * (1 - lv.sr_abortion_share)
            * (1 - min(mortality * lv.sr_preweaning_mortality, 1.0))
        )
        births = binomial_draw(self.sr_female, p_weaned, u["sr_births"])
        dead_f = binomial_draw(
            self.sr_female, min(mortality * model.p_death_female, 1.0), u["sr_female_deaths"]
        )
        dead_o = binomial_draw(
            self.sr_other, min(mortality * model.p_death_other, 1.0), u["sr_other_deaths"]
        )
        calves = binomial_draw(self.cattle, fertility * model.p_calving, u["cattle_births"])
        dead_c = binomial_draw(
            self.cattle, min(mortality * model.p_death_cattle, 1.0), u["cattle_deaths"]
        )
        hatched = binomial_draw(self.poultry, p_hatch, u["poultry_births"])
        dead_p = binomial_draw(self.poultry, model.p_death_poultry, u["poultry_deaths"])

        other = self.sr_other - dead_o
        cattle = self.cattle - dead_c
        poultry = self.poultry - dead_p
        sold_o = binomial_draw(other, model.p_offtake_sr, u["sr_offtake"])
        matured = binomial_draw(other, model.p_maturation, u["sr_maturation"])
        sold_c = binomial_draw(cattle, model.p_offtake_cattle, u["cattle_offtake"])
        sold_p = binomial_draw(poultry, model.p_offtake_poultry, u["poultry_offtake"])
        matured = min(matured, other - sold_o)  # an animal sold cannot also mature
        self.sr_female += matured - dead_f
        self.sr_other = other - sold_o - matured + births
        self.cattle = cattle - sold_c + calves
        self.poultry = poultry - sold_p + hatched

        m = model.config.market
        litres = (
            self.sr_female * lv.milk_litres_small_ruminant
            + self.cattle * lv.cattle_cow_share * lv.milk_litres_cow
        ) / 12
        self.home_produce = litres * fertility * m.milk_price * month.goat / m.goat_price

        excess = self.tlu - lv.herd_cap_tlu_per_worker * self.workers
        destock = min(self.sr_other, math.ceil(max(excess, 0) / lv.tlu_small_ruminant))
        self.sr_other -= destock
        self.offtake_sales = self.sell_animals(month, sold_o + destock, sold_c, sold_p)

    def lend_and_return(self) -> None:
        """Return a young animal owed for a livestock loan; receive a loaned female if destitute."""
        if self.livestock_loan > 0 and self.sr_other > 0:
            self.sr_other -= 1
            self.livestock_loan -= 1
        eligible = self.sr_female == 0 and self.livestock_loan == 0
        if eligible and self.u["livestock_loan"] < self.model.p_livestock_loan:
            self.sr_female += 1
            self.livestock_loan += 1

    def earn(self, month: Month) -> None:
        """Credit labour, trade, remittance and garden income; record the month's income."""
        model, inc, w = self.model, self.model.config.income, self.wealth
        loss = model.config.shocks.human_disease.labour_loss
        workers = self.workers / model.typical_workers[w]
        labour = (
            inc.labour_days[w]
            * workers
            * inc.labour_profile[month.month - 1]
            * inc.wage
            * model.income_factor(self.z["labour"])
            * (1 - loss * self.ill)
        )
        if month.labour_factor is not None:
            labour = labour * month.labour_factor[self.village]
        ins = model.config.shocks.insecurity
        access = month.market_access[self.village]
        trade = (
            inc.trade_firewood[w]
            / 12
            * model.relative_access[self.village]
            * self.trade_ability
            * workers
            * model.income_factor(self.z["trade"])
        )
        remittances = (
            model.per_migrant[w] * inc.remittance_profile[month.month - 1] if self.migrant else 0.0
        )
        labour = labour * (ins.displaced_income_factor if self.displaced else access)
        trade = trade * (ins.displaced_income_factor if self.displaced else access)
        remittances = remittances * (1.0 if self.displaced else access)
        garden = 0.0
        if month.month in inc.garden_months:
            produce = (
                self.garden_ha
                * (1 + self.garden_gain)
                * inc.garden_net_revenue
                / len(inc.garden_months)
            )
            if self.displaced:
                produce = 0.0
            garden = produce * (1 - inc.garden_own_use)
            self.home_produce = self.home_produce + produce * inc.garden_own_use
        total = labour + trade + remittances + garden
        self.cash += total
        self.income = total + self.offtake_sales
