"""The programme: a package's schedule, group funds, doses and costs during a run.

:class:`Programme` is built from ``policy`` (a package). It knows when support runs (start,
exit), the effective dose of every instrument (the pillar's dose if the instrument is
enabled, else 0: a pillar at dose 0 does nothing and costs nothing), holds the CdR groups'
funds and accumulates costs by instrument. The instruments themselves live in
``productive.py``, ``financial.py``, ``social.py`` and ``partners.py``; the monthly schedule
calls them through :meth:`Programme.deliver` and from the household processes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from sim.config import ModelConfig
from sim.kernels import grouped_sum
from sim.population import Population, household_need_kg
from sim.rates import monthly_probability, monthly_survival


@dataclass(frozen=True)
class Doses:
    """Effective dose (0-1) of every instrument."""

    inputs: float
    field_school: float
    garden: float
    small_livestock: float
    vsla: float
    contingency_fund: float
    cash_transfer: float
    warrantage: float
    nutrition_education: float
    listening_clubs: float
    women_empowerment: float
    inclusion: float
    partners: float

    @classmethod
    def of(cls, cfg: ModelConfig) -> Doses:
        """Pillar dose × enabled flag, for each instrument of ``cfg.policy``."""
        p = cfg.policy
        pr, fi, so = p.productive, p.financial, p.social

        def on(pillar, instrument) -> float:
            return float(pillar.dose) if instrument.enabled else 0.0

        return cls(
            inputs=on(pr, pr.inputs),
            field_school=on(pr, pr.field_school),
            garden=on(pr, pr.garden),
            small_livestock=on(pr, pr.small_livestock),
            vsla=on(fi, fi.vsla),
            contingency_fund=on(fi, fi.contingency_fund),
            cash_transfer=on(fi, fi.cash_transfer),
            warrantage=on(fi, fi.warrantage),
            nutrition_education=on(so, so.nutrition_education),
            listening_clubs=on(so, so.listening_clubs),
            women_empowerment=on(so, so.women_empowerment),
            inclusion=on(so, so.inclusion),
            partners=1.0 if p.partners.enabled else 0.0,
        )


class FixedTerms(NamedTuple):
    """Terms of the programme's rules that stay the same for the whole run.

    They depend only on the configuration, the doses and the households' fixed traits
    (size, workers and children, wealth group, participation, a participant's sex), and are
    computed once, with the very expressions the rules would compute each month.
    """

    debt_cap: np.ndarray  # FCFA per household: group debt beyond which no charge accrues
    survival: np.ndarray  # FCFA per household: a month of survival non-food spending
    loan_multiple: np.ndarray  # per household: group-loan cap over savings
    shares: np.ndarray  # FCFA per household: shares a member buys a month (× dose)
    social: float  # FCFA: a member's monthly social-fund payment (× dose)
    need_kg: np.ndarray  # kg per household: a month's need not met by in-kind food
    p_dissolve: float  # monthly probability that a group dissolves after exit
    protection: np.ndarray  # per household: share of illness that safe water prevents
    women_hdds: np.ndarray  # per household: food groups an empowered woman participant adds
    kit_kept: float  # share of a garden kit's area kept each month after exit
    gain_kept: float  # share of a garden's revenue gain kept each month after exit
    practice_kept: float  # share of learned nutrition practice kept each month after exit

    @classmethod
    def of(cls, cfg: ModelConfig, pop: Population, dose: Doses) -> FixedTerms:
        """The terms of ``cfg.policy`` for the households of ``pop``."""
        p = cfg.policy
        v, c = p.financial.vsla, cfg.consumption
        in_kind = 1 - np.asarray(c.in_kind_share)[pop.wealth]
        we = p.social.women_empowerment
        bonus = we.loan_multiple_bonus
        return cls(
            debt_cap=v.debt_ceiling
            * v.loan_multiple
            * 12
            * np.asarray(v.shares_per_month)[pop.wealth],
            survival=pop.size * c.survival_nonfood / 12,
            loan_multiple=v.loan_multiple + bonus * (dose.women_empowerment * pop.woman),
            shares=np.asarray(v.shares_per_month)[pop.wealth] * dose.vsla,
            social=v.social_fund * dose.vsla,
            need_kg=household_need_kg(pop, cfg) * in_kind,
            p_dissolve=float(monthly_probability(v.dissolution)),
            protection=pop.targeted * p.partners.wash.illness_reduction,
            women_hdds=(pop.targeted & pop.woman) * dose.women_empowerment * we.hdds_gain,
            kit_kept=monthly_survival(p.productive.garden.kit_decay),
            gain_kept=monthly_survival(p.productive.garden.gain_decay),
            practice_kept=monthly_survival(p.social.nutrition_education.decay),
        )


class Programme:
    """State of the package in one run.

    Attributes
    ----------
    start, exit
        Month indices of the first month of support and of the first month without it.
    dose : Doses
        Effective dose of every instrument.
    fund, social_fund, contingency
        Per CdR group: cash in the loan fund, the social fund and the contingency fund, FCFA.
    group_active
        Whether each group still meets (groups may dissolve after exit).
    group_village
        Village of each group.
    shareout_due
        Whether each group owes its members a share-out it could not hold (no meeting in a
        village in conflict): it holds it at its next meeting.
    present
        Whether each household can meet its group and receive deliveries this month: at home
        (not displaced) in a village whose programme activities are not interrupted by
        conflict (``shocks.insecurity.interruption_severity``); set by :meth:`attend`.
    transfer_due, livestock_due, garden_due
        Per household: cash transfers owed but not yet delivered (FCFA); whether the
        programme's animals, and its garden kit, still wait to be delivered.
    costs
        FCFA spent so far, by instrument.
    terms : FixedTerms
        Terms of the rules that stay the same for the whole run.
    """

    def __init__(self, cfg: ModelConfig, pop: Population) -> None:
        self.cfg = cfg
        self.policy = cfg.policy
        s = self.policy.schedule
        self.start = min(max(12 * s.start_year + s.start_month - cfg.start_month, 0), cfg.months)
        self.exit = min(self.start + s.duration_months, cfg.months)
        self.dose = Doses.of(cfg)
        groups = int(pop.group.max()) + 1 if pop.group.size and pop.group.max() >= 0 else 0
        self.fund = np.zeros(groups)
        self.social_fund = np.zeros(groups)
        self.contingency = np.zeros(groups)
        self.group_active = np.ones(groups, dtype=bool)
        self.group_village = np.zeros(groups, dtype=np.int64)
        members = pop.group >= 0
        self.group_village[pop.group[members]] = pop.village[members]
        self.shareout_due = np.zeros(groups, dtype=bool)
        self.present = np.ones(pop.n, dtype=bool)
        self.transfer_due = np.zeros(pop.n)
        self.livestock_due = np.zeros(pop.n, dtype=bool)
        self.garden_due = np.zeros(pop.n, dtype=bool)
        self.costs: dict[str, float] = defaultdict(float)
        self.season_inputs = np.zeros(pop.n, dtype=bool)
        self.participants = pop.targeted.copy()
        self.school = self.participants & (self.dose.field_school > 0)
        self.terms = FixedTerms.of(cfg, pop, self.dose)

    def attend(self, pop: Population, interrupted: np.ndarray) -> None:
        """Set who is :attr:`present` this month, given the villages ``interrupted`` by conflict."""
        self.present = ~interrupted[pop.village] & ~pop.displaced

    def meeting(self, interrupted: np.ndarray) -> np.ndarray:
        """Whether each group can meet this month (its village not ``interrupted``)."""
        return ~interrupted[self.group_village]

    def active(self, t: int) -> bool:
        """Whether month ``t`` is a programme month."""
        return self.start <= t < self.exit

    def programme_year(self, t: int) -> int:
        """Programme year of month ``t`` (0 = the first twelve months), -1 before the start."""
        return (t - self.start) // 12 if t >= self.start else -1

    def anniversary(self, t: int) -> bool:
        """Whether month ``t`` starts a programme year (yearly costs fall due)."""
        return self.active(t) and (t - self.start) % 12 == 0

    def spend(self, instrument: str, fcfa: float) -> None:
        """Book a cost of ``fcfa`` on ``instrument``."""
        if fcfa:
            self.costs[instrument] += float(fcfa)

    def total_cost(self) -> float:
        """Direct costs plus overheads, FCFA."""
        direct = sum(self.costs.values())
        return direct * (1 + self.policy.overhead_share)


def group_sum(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum of ``values`` by group index (entries with group -1 are ignored), in index order."""
    return grouped_sum(values, groups, n_groups)


def safe_ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den`` element-wise, 0 where ``den`` is 0 (e.g. a fund shared among no one)."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    return np.divide(num, den, out=np.zeros(np.broadcast(num, den).shape), where=den > 0)
