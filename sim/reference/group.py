"""CdR groups and villages of the reference model: small Python objects over their members.

A :class:`CdrGroup` holds the group's three funds (loan fund, social fund, contingency fund,
FCFA) and its members (the participants of that group, in population-table row order, so
that every sum over members is taken in the same order as the vectorised model's). Each
method is one moment of the group's month and loops over its members. A :class:`Village`
holds its households for the diffusion of improved practices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.rates import monthly_probability

if TYPE_CHECKING:
    from sim.reference.household import ReferenceHousehold
    from sim.reference.model import ReferenceModel
    from sim.reference.scalar import Month


class CdrGroup:
    """CdR group ``index``: its funds and its members.

    Attributes
    ----------
    fund, social_fund, contingency
        Cash in the loan fund, the social fund and the contingency fund, FCFA.
    active
        Whether the group still meets.
    members
        Every participant assigned to the group (savings members or not), row order.
    """

    def __init__(self, model: ReferenceModel, index: int) -> None:
        self.model = model
        self.index = index
        self.fund = 0.0
        self.social_fund = 0.0
        self.contingency = 0.0
        self.active = True
        self.village = 0  # the village of its members
        self.shareout_due = False  # a share-out conflict kept it from holding
        self.members: list[ReferenceHousehold] = []

    def savers(self) -> list[ReferenceHousehold]:
        """Members who are active savings-group members this month."""
        return [h for h in self.members if h.vsla]

    # -- start of the programme
    def seed_contingency_fund(self) -> None:
        """At the start: the programme seeds the contingency fund for each member."""
        dose = self.model.dose.contingency_fund
        if dose <= 0:
            return
        seed = self.model.config.policy.financial.contingency_fund.seed
        total = 0.0
        for h in self.members:
            if h.participant:
                total += seed * dose
        self.contingency += total

    # -- after the month's shocks
    def grant_social_fund(self) -> None:
        """The social fund pays members' bills, pro rata when it cannot pay them all."""
        if self.model.dose.vsla <= 0:
            return
        cover = self.model.config.policy.financial.vsla.social_grant
        savers = [h for h in self.savers() if h.present]
        demand = 0.0
        for h in savers:
            demand += h.bills * cover
        ratio = min(max(self.social_fund / demand, 0.0), 1.0) if demand > 0 else 0.0
        granted = 0.0
        for h in savers:
            grant = h.bills * cover * ratio
            h.cash += grant
            granted += grant
        self.social_fund = max(self.social_fund - granted, 0.0)

    def pay_contingency(self, month: Month) -> None:
        """When a covariate shock strikes the village, part of the fund goes to the members."""
        if self.model.dose.contingency_fund <= 0 or not any(month.village_hit):
            return
        share = self.model.config.policy.financial.contingency_fund.payout_share
        hit = [
            h for h in self.members if h.participant and month.village_hit[h.village] and h.present
        ]
        count = 0.0
        for _ in hit:
            count += 1.0
        if count <= 0:
            return
        pot = self.contingency * share
        self.contingency -= pot
        each = pot / count
        for h in hit:
            h.cash += each

    # -- after income
    def collect_shares(self) -> None:
        """Members' shares go to the loan fund, their contributions to the social fund."""
        shares = social = 0.0
        for h in self.savers():
            shares += h.shares_paid
            social += h.social_paid
        self.fund += shares
        self.social_fund += social

    # -- during coping
    def lend(self) -> dict[ReferenceHousehold, float]:
        """Lend members what they ask, pro rata when the lendable fund falls short.

        Returns
        -------
        dict
            Loan per member, FCFA (credited to cash and group debt here).
        """
        loans: dict[ReferenceHousehold, float] = {}
        if self.model.dose.vsla <= 0:
            return loans
        lendable = self.model.config.policy.financial.vsla.lendable_share
        savers = self.savers()
        demand = outstanding = 0.0
        for h in savers:
            demand += h.loan_ask
            outstanding += h.group_debt
        available = max(lendable * (self.fund + outstanding) - outstanding, 0.0)
        available = min(available, self.fund)
        ratio = min(max(available / demand, 0.0), 1.0) if demand > 0 else 0.0
        lent = 0.0
        for h in savers:
            loan = h.loan_ask * ratio
            h.cash += loan
            h.group_debt += loan
            loans[h] = loan
            lent += loan
        self.fund = max(self.fund - lent, 0.0)
        return loans

    # -- the group meeting
    def collect_repayments(self) -> None:
        """Members (past or present) pay charges and repay loans into the fund."""
        repaid = 0.0
        for h in self.members:
            repaid += h.service_group_debt()
        self.fund += repaid

    def dissolves(self, u: float) -> bool:
        """After exit: whether the group stops this month, given its uniform ``u``."""
        v = self.model.config.policy.financial.vsla
        return u < monthly_probability(v.dissolution)

    def share_out(self, month: Month) -> None:
        """Share the fund out in proportion to savings; loans are repaid from the payout.

        Each member then spends ``shareout_livestock_share`` of her payout on animals.
        """
        savers = self.savers()
        total = owed = 0.0
        for h in savers:
            total += h.savings
            owed += h.group_debt
        ratio = (self.fund + owed) / total if total > 0 else 0.0
        demand = 0.0
        for h in savers:
            claim = h.savings * ratio
            netted = min(claim, h.group_debt)
            h.group_debt -= netted
            h.due = claim - netted
            demand += h.due
        cash_ratio = min(max(self.fund / demand, 0.0), 1.0) if demand > 0 else 0.0
        paid = 0.0
        for h in savers:
            payout = h.due * cash_ratio
            paid += payout
            h.cash += payout
            h.savings = 0.0
            h.payout = payout
        self.fund = max(self.fund - paid, 0.0)
        share = self.model.config.policy.financial.vsla.shareout_livestock_share
        for h in savers:
            h.buy_livestock(month, share * h.payout)

    def value_claims(self) -> None:
        """Members' claims on the fund beyond their shares: cash and loans due, pro rata."""
        savers = self.savers()
        total = owed = count = 0.0
        for h in savers:
            total += h.savings
            owed += h.group_debt
            count += 1.0
        worth = self.fund + owed
        for h in savers:
            claim = h.savings * (worth / total) if total > 0 else worth / count
            h.fund_equity = claim - h.savings

    def dissolve(self) -> None:
        """Write off members' remaining loans; pay out what is left in the funds equally."""
        left = self.fund + self.social_fund + self.contingency
        count = len(self.members)
        for h in self.members:
            h.group_debt = 0.0
            if count:
                h.cash += left / count
        if count:
            self.fund = self.social_fund = self.contingency = 0.0


class Village:
    """Village ``index``: its households (diffusion of practices) and its pool of gifts.

    Attributes
    ----------
    gifts
        FCFA given by households for kin and neighbours in need, not yet shared out.
    """

    def __init__(self, index: int) -> None:
        self.index = index
        self.households: list[ReferenceHousehold] = []
        self.gifts = 0.0

    def share_gifts(self) -> dict[ReferenceHousehold, float]:
        """Share the pool among households in proportion to what they ask; credit their cash."""
        demand = 0.0
        for h in self.households:
            demand += max(h.gift_ask, 0.0)
        ratio = min(max(self.gifts / demand, 0.0), 1.0) if demand > 0 else 0.0
        given: dict[ReferenceHousehold, float] = {}
        total = 0.0
        for h in self.households:
            gift = max(h.gift_ask, 0.0) * ratio
            h.cash += gift
            given[h] = gift
            total += gift
        self.gifts = max(self.gifts - total, 0.0)
        return given

    def collect_gifts(self) -> None:
        """Add the month's gifts of the village's households to the pool."""
        total = 0.0
        for h in self.households:
            total += h.gift_given
        self.gifts += total

    def learn(self, model: ReferenceModel, month: Month) -> None:
        """After a harvest: school participants adopt, neighbours imitate; decay after exit."""
        fs = model.config.policy.productive.field_school
        dose = model.dose.field_school
        if month.active and dose > 0:
            for h in self.households:
                if h.school and h.present:
                    h.adoption = h.adoption + fs.adoption_rate * dose * (1 - h.adoption)
            adoption = count = 0.0
            for h in self.households:
                if h.school:
                    adoption += h.adoption
                    count += 1.0
            mean = adoption / count if count > 0 else 0.0
            clubs = model.config.policy.social.listening_clubs.diffusion_multiplier
            speed = fs.diffusion_rate * (1 + clubs * model.dose.listening_clubs)
            for h in self.households:
                if not h.school:
                    h.adoption = h.adoption + speed * mean * (1 - h.adoption)
        elif month.t >= model.exit and dose > 0:
            base = model.config.population.initial_adoption
            for h in self.households:
                if h.adoption > base:
                    h.adoption = base + (h.adoption - base) * (1 - fs.disadoption)
        for h in self.households:
            h.adoption = min(max(h.adoption, 0.0), 1.0)
