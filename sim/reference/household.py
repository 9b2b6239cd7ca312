"""The reference household: a Mesa agent holding its own state, one household at a time.

Every number a household owns is a plain Python attribute (``float``, ``int`` or ``bool``),
with the names of the population table's columns (:class:`sim.population.Population`).
Its month is written as scalar arithmetic on those attributes, in the order of
:meth:`sim.model.ResilienceModel.step`, split into stages at the points where its CdR group
or its village must hear from every member first (a pro-rata loan, a share-out, the village
mean of adoption): :class:`sim.reference.model.ReferenceModel` calls each stage for every
household in turn (Mesa's staged activation) and settles the groups and villages between
stages.

Floating-point note. Arithmetic (``+ - * /``, ``sqrt``, ``floor``, comparisons) is exactly
rounded in Python and numpy alike, so the reference keeps the same order of operations as
the vectorised processes. Transcendental functions are not: numpy's SIMD ``exp``, ``log1p``
and ``power`` may differ from the C library's (:mod:`math`) in the last bit. Wherever the
vectorised model uses numpy's versions, the reference calls the same numpy functions on
scalars (:func:`exp`, :func:`log1p`, :func:`power`), so the two can be compared to the last
bit rather than to a tolerance.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mesa

from sim.rates import monthly_survival
from sim.reference.hardship import Hardship
from sim.reference.livelihood import Livelihood
from sim.reference.scalar import Month, heads_to_sell

if TYPE_CHECKING:
    from sim.reference.model import ReferenceModel

NONE, STRESS, CRISIS, EMERGENCY = 0, 1, 2, 3
"""WFP livelihood coping levels."""


class ReferenceHousehold(Hardship, Livelihood, mesa.Agent):
    """One household of the reference model; its state lives in its own attributes.

    The attributes are those of :class:`sim.population.Population` (same names, units and
    meanings), as Python scalars, plus the programme's view of the household
    (``participant``, ``school``, ``season_inputs``) and this month's bookkeeping (bills,
    food by source, the coping shortfall).
    """

    model: ReferenceModel
    # state, as in sim.population.Population (units there)
    wealth: int
    village: int
    group: int
    size: float
    under5: int
    woman: bool
    targeted: bool
    land_ha: float
    garden_ha: float
    grain_kg: float
    sr_female: int
    sr_other: int
    cattle: int
    poultry: int
    cash: float
    savings: float
    debt: float
    adoption: float
    kcal_adequacy: float
    hdds: float
    whz: float
    whz_base: float
    ill: bool
    coping: int
    survival_deficit: bool
    lp_deficit: bool
    income: float
    warehouse_kg: float
    group_debt: float
    warrant_debt: float
    vsla: bool
    practice: float
    hdds_bonus: float
    care: float
    illness_protection: float
    garden_gain: float
    garden_kit_ha: float
    land_quality: float
    workers: float
    children: int
    migrant: bool
    frailty: float
    trade_ability: float
    livestock_loan: int
    consumption: float
    diverse_food: float
    home_produce: float
    fund_equity: float
    displaced: bool
    displaced_months: int

    def __init__(self, model: ReferenceModel, row: int, state: dict[str, object]) -> None:
        super().__init__(model)
        self.row = row
        for name, value in state.items():
            setattr(self, name, value)
        self.participant: bool = bool(self.targeted)
        self.school: bool = self.participant and model.dose.field_school > 0
        self.season_inputs = False
        self.present = True
        self.transfer_due = 0.0
        self.livestock_due = False
        self.garden_due = False
        self.u: dict[str, float] = {}
        self.z: dict[str, float] = {}

    # ------------------------------------------------------------------ helpers
    @property
    def tlu(self) -> float:
        """Tropical livestock units held."""
        lv = self.model.config.livestock
        return (
            lv.tlu_small_ruminant * (self.sr_female + self.sr_other)
            + lv.tlu_cattle * self.cattle
            + lv.tlu_poultry * self.poultry
        )

    @property
    def need_kg(self) -> float:
        """Grain needed for 2,100 kcal per average person a day this month, kg."""
        cfg = self.model.config
        c = cfg.consumption
        w = c.child_ae_weight
        persons = (self.workers + w * self.children) / (1 - cfg.population.child_share * (1 - w))
        return persons * c.kcal_per_person_day * c.days_per_month / c.kcal_per_kg

    @property
    def adult_equivalents(self) -> float:
        """Workers plus ``child_ae_weight`` per child under 15."""
        return self.workers + self.model.config.consumption.child_ae_weight * self.children

    def herd_room_tlu(self, month: Month) -> float:
        """TLU the household could still add: labour capacity × the season's pasture, less its herd."""
        lv = self.model.config.livestock
        capacity = (
            lv.herd_cap_tlu_per_worker * self.workers * (1 - month.pasture_deficit[self.village])
        )
        return max(capacity - self.tlu, 0.0)

    @property
    def survival_nonfood(self) -> float:
        """Survival non-food spending of a month, FCFA."""
        return self.size * self.model.config.consumption.survival_nonfood / 12

    def net_assets(self) -> float:
        """Animals, grain, cash and savings less debts at mean prices, FCFA."""
        m = self.model.config.market
        return (
            (self.sr_female + self.sr_other) * m.goat_price
            + self.cattle * m.cattle_price
            + self.poultry * m.poultry_price
            + (self.grain_kg + self.warehouse_kg) * self.model.mean_millet_price
            + self.cash
            + self.savings
            + self.fund_equity
            - self.debt
            - self.group_debt
            - self.warrant_debt
        )

    def pay(self, due: float, kind: str = "") -> float:
        """Pay as much of ``due`` (FCFA) as cash allows; return what is left unpaid.

        ``kind`` names the consumption spending it counts as (``bills``, ``survival``,
        ``livelihood``), if any, in :attr:`paid`.
        """
        paid = min(self.cash, due)
        self.cash -= paid
        if kind:
            self.paid[kind] += paid
        return due - paid

    def buy_food(self, kg: float, price: float) -> float:
        """Buy up to ``kg`` of millet at ``price`` FCFA/kg; return the kg bought."""
        bought = min(kg, self.cash / price)
        self.cash -= min(bought * price, self.cash)
        self.food_bought += bought
        return bought

    def sell_animals(self, month: Month, small_ruminants: int, cattle: int, poultry: int) -> float:
        """Cash for animals already taken out of the herd, at the village's prices, FCFA."""
        v = self.village
        cash = (
            small_ruminants * month.goat_received[v]
            + cattle * month.cattle_received[v]
            + poultry * month.poultry_received[v]
        )
        self.cash += cash
        return cash

    def receive_draws(self, uniforms: dict[str, float], normals: dict[str, float]) -> None:
        """Take this month's uniforms and standard normals (column ``row`` of the draws)."""
        self.u = uniforms
        self.z = normals

    # ------------------------------------------------------------------ stage 1
    def begin_month(self, month: Month) -> None:
        """Flight or return; programme deliveries and food aid; illness, flood, epizootic, theft."""
        self.bills = 0.0
        self.food_in_kind = self.food_own = self.food_bought = self.food_begging = 0.0
        self.offtake_sales = 0.0
        self.paid = {"bills": 0.0, "survival": 0.0, "livelihood": 0.0}
        self.move(month)
        self.present = not month.interrupted[self.village] and not self.displaced
        self.receive_programme(month)
        self.rations_kg = self.rations_kg + self.food_aid()
        self.fall_ill(month)
        self.suffer_flood(month)
        self.suffer_epizootic(month)
        self.suffer_theft(month)

    def receive_programme(self, month: Month) -> None:
        """Join the savings group; kits, animals, inputs, cash, practices, safe water, rations."""
        model, policy, dose = self.model, self.model.config.policy, self.model.dose
        t = month.t
        if t == model.start and (dose.vsla > 0 or dose.contingency_fund > 0):
            member = self.participant and self.group >= 0
            keep = (
                policy.financial.vsla.very_poor_participation
                + policy.social.inclusion.participation_gain * dose.inclusion
            )
            dropout = self.wealth == 0 and self.u["vsla_dropout"] >= keep
            self.vsla = member and not dropout and dose.vsla > 0
        # safe water (partner services)
        wash = dose.partners > 0 and t >= model.start
        protected = self.participant and wash
        self.illness_protection = policy.partners.wash.illness_reduction if protected else 0.0
        # productive pillar
        pr = policy.productive
        if t == model.start and dose.garden > 0:
            self.garden_due = self.participant
        if self.garden_due and self.present:
            kit = pr.garden.extra_ha * dose.garden
            self.garden_kit_ha = self.garden_kit_ha + kit
            self.garden_ha = self.garden_ha + kit
            self.garden_gain = pr.garden.productivity_gain * dose.garden
            self.garden_due = False
        if t >= model.exit and t != model.start and dose.garden > 0:
            worn = self.garden_kit_ha * (1 - monthly_survival(pr.garden.kit_decay))
            self.garden_kit_ha = self.garden_kit_ha - worn
            self.garden_ha = max(self.garden_ha - worn, 0.0)
            self.garden_gain = self.garden_gain * monthly_survival(pr.garden.gain_decay)
        sl = pr.small_livestock
        if t == model.start + sl.month and month.active and dose.small_livestock > 0:
            self.livestock_due = self.participant
        if self.livestock_due and self.present:
            self.poultry += round((sl.hens + sl.cocks) * dose.small_livestock)
            self.sr_female += round(sl.sr_females * dose.small_livestock)
            self.sr_other += round(sl.sr_males * dose.small_livestock)
            self.livestock_due = False
        if month.month == model.config.consumption.input_month:
            self.season_inputs = (
                self.participant and self.present and month.active and dose.inputs > 0
            )
        # cash transfer, postponed while out of reach
        ct = policy.financial.cash_transfer
        if (
            dose.cash_transfer > 0
            and month.active
            and month.month in ct.months
            and month.programme_year < ct.years
            and self.participant
        ):
            self.transfer_due = self.transfer_due + ct.amount * dose.cash_transfer
        if self.present and self.transfer_due > 0:
            self.cash += self.transfer_due
            self.transfer_due = 0.0
        # social pillar
        so = policy.social
        if dose.nutrition_education > 0:
            if month.active:
                if self.participant:
                    self.practice = max(self.practice, dose.nutrition_education)
            elif t >= model.exit:
                self.practice = self.practice * monthly_survival(so.nutrition_education.decay)
        woman_power = dose.women_empowerment if (self.participant and self.woman) else 0.0
        self.hdds_bonus = self.practice * so.nutrition_education.hdds_gain + (
            woman_power * so.women_empowerment.hdds_gain * (t >= model.start)
        )
        ne = so.nutrition_education
        self.care = self.practice * ne.feeding_buffer
        self.illness_protection = 1 - (1 - self.illness_protection) * (
            1 - self.practice * ne.hygiene_illness_reduction
        )
        # food rations (partner services)
        fa = policy.partners.food_assistance
        self.rations_kg = 0.0
        if dose.partners > 0 and month.active and month.month in fa.months:
            if self.participant and self.wealth <= fa.max_wealth_group and self.present:
                self.rations_kg = fa.kcal_share * self.need_kg

    # ------------------------------------------------------------------ stage 2
    # ------------------------------------------------------------------ stage 3
    def buy_shares(self, month: Month) -> None:
        """A group member buys shares and pays the social fund if cash exceeds essentials."""
        model = self.model
        self.shares_paid = self.social_paid = 0.0
        if model.dose.vsla <= 0 or month.t < model.start or not self.vsla or not self.present:
            return
        v, c = model.config.policy.financial.vsla, model.config.consumption
        own_need = self.need_kg * (1 - c.in_kind_share[self.wealth])
        to_buy = max(own_need - self.grain_kg, 0.0) * month.millet
        essentials = self.survival_nonfood + to_buy
        shares = v.shares_per_month[self.wealth] * model.dose.vsla
        social = v.social_fund * model.dose.vsla
        if self.cash - essentials >= shares + social:
            self.cash -= shares + social
            self.savings += shares
            self.shares_paid, self.social_paid = shares, social

    # ------------------------------------------------------------------ stage 4
    def eat(self, month: Month) -> None:
        """Eat in-kind food, rations and own grain; pay bills and essentials; ask the group.

        Leaves the month's shortfall (food kg, unpaid survival and livelihood-protection
        spending, FCFA) on the household and sets ``loan_ask``, what it would borrow from
        its group (FCFA).
        """
        c = self.model.config.consumption
        ins = self.model.config.shocks.insecurity
        price = month.millet_paid[self.village]
        need = self.need_kg
        in_kind = c.in_kind_share[self.wealth] * need
        if self.displaced:
            in_kind = in_kind * ins.displaced_in_kind_factor
        rations = min(self.rations_kg, need - in_kind)
        self.food_in_kind = in_kind + rations  # in-kind food and rations, as eaten
        in_kind = in_kind + rations
        own = min(self.grain_kg, need - in_kind)
        self.grain_kg -= own
        self.food_own = own

        bills_short = self.pay(self.bills, "bills")
        survival = self.survival_nonfood
        if self.displaced:
            survival = survival + self.size * ins.displaced_shelter_cost / 12
        nonfood_short = self.pay(survival, "survival") + bills_short
        bought = self.buy_food(need - in_kind - own, price)
        self.short_livelihood = self.pay(self.size * c.livelihood_protection / 12, "livelihood")
        if month.month == c.input_month:
            self.short_livelihood = self.short_livelihood + self.pay(self.land_ha * c.inputs_per_ha)
        self.need = need
        self.month_price = price
        self.eaten = in_kind + own + bought
        self.short_food = max(need - self.eaten, 0.0)
        self.short_nonfood = nonfood_short

        # coping, step 0: eat less
        cp = self.model.config.coping
        self.short_food = self.short_food - min(self.short_food, cp.ration_cut * need)
        # coping, step 1 starts with the group: how much would the member borrow?
        self.gap = self.short_nonfood + self.short_food * price + self.short_livelihood
        self.loan_ask = 0.0
        if self.model.dose.vsla > 0 and self.vsla and self.present:
            v = self.model.config.policy.financial.vsla
            bonus = self.model.config.policy.social.women_empowerment.loan_multiple_bonus
            multiple = v.loan_multiple + bonus * (self.model.dose.women_empowerment * self.woman)
            room = 0.0 if self.group_debt > 0 else multiple * self.savings
            self.loan_ask = min(max(self.gap, 0.0), room)

    # ------------------------------------------------------------------ stage 5
    def borrow(self, group_loan: float) -> None:
        """Stress coping with credit: after the group's loan, borrow informally; ask kin for help.

        Sets ``gift_ask``, what the household asks of its village's gifts (FCFA).
        """
        cp, price = self.model.config.coping, self.month_price
        self.group_loan = group_loan
        gap = self.gap - group_loan
        limit = cp.credit_limit[self.wealth]
        self.informal_loan = min(max(limit - self.debt, 0.0), gap)
        self.debt += self.informal_loan
        self.cash += self.informal_loan
        self.gap = gap - self.informal_loan
        self.gift_ask = min(self.gap, self.short_nonfood + self.short_food * price)

    def cope(self, month: Month, gift: float) -> None:
        """Close the shortfall: stress, asset smoothing, crisis and emergency; score the month.

        Parameters
        ----------
        month
            This month.
        gift
            What kin and neighbours gave (FCFA), already credited to cash.
        """
        cp, price = self.model.config.coping, month.millet_paid[self.village]
        goat, cattle = month.goat_received[self.village], month.cattle_received[self.village]
        level = NONE

        # 1. stress, continued: non-breeding small stock and poultry
        gap = self.gap - gift
        sr = heads_to_sell(self.sr_other, gap, goat)
        self.sr_other -= sr
        gap -= sr * goat
        birds = heads_to_sell(self.poultry, gap, month.poultry_received[self.village])
        self.poultry -= birds
        self.sell_animals(month, sr, 0, birds)
        if self.group_loan > 0 or self.informal_loan > 0 or sr > 0 or birds > 0:
            level = STRESS
        self.spend_on_survival(price, livelihood=True)

        # 2. asset smoothing: near the last breeding animals, eat less rather than sell them
        if self.sr_female <= cp.protected_females:
            self.short_food = self.short_food - min(
                self.short_food, cp.asset_smoothing_cut * self.need
            )

        # 3. crisis: breeding females beyond the last few, then cattle
        gap = self.short_nonfood + self.short_food * price - self.cash
        spare = max(self.sr_female - cp.last_females, 0)
        females = heads_to_sell(spare, gap, goat)
        gap -= females * goat
        cows = heads_to_sell(self.cattle, gap, cattle)
        self.sr_female -= females
        self.cattle -= cows
        self.sell_animals(month, females, cows, 0)
        if females > 0 or cows > 0:
            level = CRISIS
        self.spend_on_survival(price, livelihood=False)

        # 4. emergency: gifts of food below the floor; the last females for survival spending
        gift_kg = max(cp.min_kcal_adequacy * self.need - self.eaten, 0.0)
        self.food_begging = gift_kg
        self.eaten = self.eaten + gift_kg
        self.short_food = max(self.short_food - gift_kg, 0.0)
        last = heads_to_sell(self.sr_female, self.short_nonfood - self.cash, goat)
        self.sr_female -= last
        self.sell_animals(month, last, 0, 0)
        self.short_nonfood = self.pay(self.short_nonfood, "survival")
        if gift_kg > 0 or last > 0:
            level = EMERGENCY

        tol = self.model.config.indicators.deficit_tolerance
        self.kcal_adequacy = self.eaten / self.need
        self.survival_deficit = (self.kcal_adequacy < 1 - tol) or (
            self.short_nonfood > tol * self.need * price
        )
        self.lp_deficit = self.survival_deficit or (self.short_livelihood > tol * self.need * price)
        self.coping = level

    def spend_on_survival(self, price: float, *, livelihood: bool) -> None:
        """Pay what is still due for survival (and livelihood protection if asked) with cash."""
        self.short_nonfood = self.pay(self.short_nonfood, "survival")
        bought = self.buy_food(self.short_food, price)
        self.eaten = self.eaten + bought
        self.short_food = self.short_food - bought
        if livelihood:
            self.short_livelihood = self.pay(self.short_livelihood, "livelihood")

    # ------------------------------------------------------------------ group meeting
    def service_group_debt(self) -> float:
        """Pay the service charge and repay the group loan from spare cash; return the repayment."""
        v = self.model.config.policy.financial.vsla
        cap = v.debt_ceiling * v.loan_multiple * 12 * v.shares_per_month[self.wealth]
        charge = min(self.group_debt * v.service_charge, max(cap - self.group_debt, 0.0))
        self.group_debt += charge
        spare = max(self.cash - self.survival_nonfood, 0.0)
        repay = min(self.group_debt, v.repay_share * spare) if self.present else 0.0
        self.group_debt -= repay
        self.cash -= repay
        return repay

    def release_warrantage(self, month: Month) -> None:
        """Take the stored grain back and repay the warrantage credit, selling grain if short."""
        cfg = self.model.config
        w = cfg.policy.financial.warrantage
        months = (w.release_month - cfg.crops.harvest_month) % 12
        self.warrant_debt += self.warrant_debt * ((1 + w.interest) ** months - 1)
        kg = self.warehouse_kg
        self.warehouse_kg -= kg
        self.grain_kg += kg
        short = max(self.warrant_debt - self.cash, 0.0)
        sold = min(short / month.millet, self.grain_kg)
        self.grain_kg -= sold
        self.cash += sold * month.millet
        repay = min(self.warrant_debt, self.cash)
        self.warrant_debt -= repay
        self.cash -= repay

    def buy_livestock(self, month: Month, budget: float) -> None:
        """Spend ``budget`` of a share-out on young goats and sheep (poultry if it buys none)."""
        lv = self.model.config.livestock
        budget = min(budget, self.cash)
        room = self.herd_room_tlu(month)
        heads = min(math.floor(budget / month.goat), math.floor(room / lv.tlu_small_ruminant))
        birds = 0
        if heads == 0:
            birds_room = max(lv.poultry_capacity[self.wealth] - self.poultry, 0.0)
            birds = int(min(math.floor(budget / month.poultry), birds_room))
        self.sr_other += heads
        self.poultry += birds
        self.cash -= heads * month.goat + birds * month.poultry

    # ------------------------------------------------------------------ stage 6
    def end_month(self, month: Month) -> None:
        """Repay debt, sell surplus grain, spend beyond needs and invest; the month's consumption.

        Sets ``gift_given``, what the household gives its village's pool this month (FCFA).
        """
        cfg = self.model.config
        c, cp, lv = cfg.consumption, cfg.coping, cfg.livestock
        ceiling = cp.debt_ceiling * cp.credit_limit[self.wealth]
        interest = min(self.debt * cp.interest_monthly, max(ceiling - self.debt, 0.0))
        self.debt += interest
        repay = min(self.debt, cp.repay_share * max(self.cash - self.survival_nonfood, 0.0))
        self.debt -= repay
        self.cash -= repay
        reserve = c.cash_reserve_months * (
            self.size * (c.survival_nonfood + c.livelihood_protection) / 12
        )

        months_to_harvest = (cfg.crops.harvest_month - month.month - 1) % 12 + 1
        own_need = self.need_kg * (1 - c.in_kind_share[self.wealth])
        keep = own_need * (months_to_harvest + c.stock_buffer_months)
        surplus = max(self.grain_kg - keep, 0.0)
        self.grain_kg -= surplus
        self.cash += surplus * month.millet

        spend = c.discretionary_share * max(self.cash - reserve, 0.0)
        self.gift_given = cp.gift_share * spend
        self.cash -= self.gift_given
        spend = spend * (1 - cp.gift_share)
        diverse = c.diverse_food_share * spend
        self.cash -= spend
        staple = month.millet_paid[self.village]
        extra = diverse / (c.diverse_food_price_ratio * staple) / self.need_kg
        self.kcal_adequacy = min(
            self.kcal_adequacy + extra, max(self.kcal_adequacy, c.max_kcal_adequacy)
        )
        self.diverse_food = diverse

        budget = c.invest_share * max(self.cash - reserve, 0.0) if self.debt <= 0 else 0.0
        room = self.herd_room_tlu(month)
        goats = min(math.floor(budget / month.goat), math.floor(room / lv.tlu_small_ruminant))
        birds = 0
        if goats == 0:
            birds_room = max(lv.poultry_capacity[self.wealth] - self.poultry, 0.0)
            birds = int(
                min(math.floor(budget / month.poultry), min(birds_room, room / lv.tlu_poultry))
            )
        self.sr_other += goats
        self.poultry += birds
        self.cash -= goats * month.goat + birds * month.poultry

        food_kg = self.food_in_kind + self.food_own + self.food_bought + self.food_begging
        paid = self.paid
        nonfood = paid["bills"] + paid["survival"] + paid["livelihood"] + (spend - diverse)
        self.consumption = food_kg * month.millet + self.home_produce + diverse + nonfood

    def nourish(self, month: Month) -> None:
        """Dietary diversity, index-child turnover and the child's WHZ; treatment."""
        cfg = self.model.config
        nu = cfg.nutrition
        gardening = month.month in cfg.income.garden_months and self.garden_ha > 0
        score = (
            nu.hdds_base[self.wealth]
            + nu.hdds_garden * gardening
            + nu.hdds_livestock * (self.tlu >= 1.0)
            + nu.hdds_diverse_food * self.diverse_food / self.size / 1000
            + self.hdds_bonus
            - nu.hdds_shortfall * max(1 - self.kcal_adequacy, 0.0)
        )
        self.hdds = min(max(score, 0.0), nu.hdds_max)
        if self.u["child_turnover"] < nu.child_turnover:
            fresh = nu.whz_mean + nu.whz_sd * self.z["child_whz"]
            self.whz_base = fresh
            self.whz = fresh
        losses = (
            nu.kcal_effect * max(1 - self.kcal_adequacy, 0.0)
            + nu.illness_effect * self.ill
            + nu.workload_effect * month.workload
        )
        target = (
            self.whz_base
            + nu.hdds_effect * (self.hdds - nu.hdds_reference)
            - losses * (1 - self.care)
        )
        self.whz = self.whz + nu.adjust_rate * (target - self.whz)
        self.get_treatment(month)

    def get_treatment(self, month: Month) -> None:
        """Partner nutrition services treat a participant's acutely malnourished child."""
        cfg = self.model.config
        if self.model.dose.partners <= 0 or not month.active:
            return
        if self.participant and self.under5 > 0 and self.whz < cfg.indicators.gam_whz:
            gain = cfg.policy.partners.nutrition_services.recovery_gain
            self.whz = self.whz + gain * max(self.whz_base - self.whz, 0.0)
