"""The reference household's hardships.

Flight and return, food aid, theft, illness, floods and epizootics (a mixin of :class:`sim.reference.household.ReferenceHousehold`).
"""

from __future__ import annotations

from sim.reference.scalar import Month, binomial_draw


class Hardship:
    """Shocks a reference household suffers, one household at a time."""

    def move(self, month: Month) -> None:
        """Flee a village in conflict (leaving animals and grain behind); return when calm."""
        ins = self.model.config.shocks.insecurity
        v = self.village
        back = self.displaced and month.calm[v] and self.u["return"] < self.model.p_return
        flee = not self.displaced and self.u["flight"] < month.flight[v]
        self.displaced = (self.displaced and not back) or flee
        self.displaced_months = self.displaced_months + 1 if self.displaced else 0
        if not flee:
            return
        loss = ins.displaced_herd_loss
        self.sr_female -= binomial_draw(self.sr_female, loss, self.u["flight_sr_female"])
        self.sr_other -= binomial_draw(self.sr_other, loss, self.u["flight_sr_other"])
        self.cattle -= binomial_draw(self.cattle, loss, self.u["flight_cattle"])
        self.poultry -= binomial_draw(self.poultry, loss, self.u["flight_poultry"])
        self.grain_kg -= self.grain_kg * ins.displaced_grain_loss

    def food_aid(self) -> float:
        """Humanitarian food aid to a displaced household this month, kg."""
        if not self.displaced:
            return 0.0
        ins = self.model.config.shocks.insecurity
        if self.displaced_months <= ins.aid_full_months:
            share = 1.0
        elif self.displaced_months <= ins.aid_partial_months:
            share = ins.aid_partial_share
        else:
            share = 0.0
        return share * self.need_kg

    def suffer_theft(self, month: Month) -> None:
        """Conflict in the village: each animal stolen with the month's share."""
        p = month.theft[self.village]
        if p <= 0:
            return
        u = self.u
        self.sr_female -= binomial_draw(self.sr_female, p, u["theft_sr_female"])
        self.sr_other -= binomial_draw(self.sr_other, p, u["theft_sr_other"])
        self.cattle -= binomial_draw(self.cattle, p, u["theft_cattle"])
        self.poultry -= binomial_draw(self.poultry, p, u["theft_poultry"])

    def fall_ill(self, month: Month) -> None:
        """Illness of a child or carer: a health bill, lost labour, a lower WHZ."""
        self.exposed = self.u["illness"] < min(1.0, month.illness_probability * self.frailty)
        self.ill = self.exposed and self.u["illness_prevented"] >= self.illness_protection
        self.bills = self.model.config.shocks.human_disease.health_cost * self.ill

    def suffer_flood(self, month: Month) -> None:
        """A flood in the village: stored grain and animals lost, a repair bill."""
        severity = month.flood[self.village]
        if severity <= 0:
            return
        fl = self.model.config.shocks.flood
        self.grain_kg -= self.grain_kg * fl.grain_loss * severity
        p = fl.animal_loss * severity
        u = self.u
        lost_f = binomial_draw(self.sr_female, p, u["flood_sr_female"])
        lost_o = binomial_draw(self.sr_other, p, u["flood_sr_other"])
        lost_c = binomial_draw(self.cattle, p, u["flood_cattle"])
        lost_p = binomial_draw(self.poultry, p, u["flood_poultry"])
        self.sr_female -= lost_f
        self.sr_other -= lost_o
        self.cattle -= lost_c
        self.poultry -= lost_p
        self.bills = self.bills + fl.repair_cost * severity

    def suffer_epizootic(self, month: Month) -> None:
        """PPR kills small ruminants, Newcastle disease poultry, in an outbreak village."""
        ppr, newcastle = month.ppr[self.village], month.newcastle[self.village]
        if ppr <= 0 and newcastle <= 0:
            return
        dead_f = binomial_draw(self.sr_female, ppr, self.u["ppr_female"])
        dead_o = binomial_draw(self.sr_other, ppr, self.u["ppr_other"])
        dead_p = binomial_draw(self.poultry, newcastle, self.u["newcastle"])
        self.sr_female -= dead_f
        self.sr_other -= dead_o
        self.poultry -= dead_p
