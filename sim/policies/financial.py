"""Financial pillar: CdR savings-and-credit groups, contingency fund, cash, warrantage.

Conflict (``shocks.insecurity``): members out of reach (displaced, or in a village whose
activities are interrupted, :attr:`Programme.present`) buy no shares, borrow nothing, repay
nothing, receive no grant or payout and store no grain that month; a group whose village is
interrupted postpones its share-out; cash transfers owed wait for the participant's return.

- **Savings groups** (VSLA rules; domain.md §4.3): every month from the start an active member
  buys shares worth ``shares_per_month`` (by wealth group) and pays ``social_fund`` into the
  social fund when the month's cash exceeds its essential needs (survival non-food spending
  and the food it must buy): members save in the months after harvest. A member short of
  cash may borrow from the group up to ``loan_multiple`` × her savings (more for women with
  the empowerment instrument; one loan at a time: a member still owing cannot borrow again),
  out of ``lendable_share`` of the group's fund, at a monthly
  ``service_charge`` (which stops accruing once the debt reaches ``debt_ceiling`` × the
  largest loan a year of shares allows); members repay ``repay_share`` of their cash above a
  month of survival spending each month (loans fall due within 1-3 months, peer pressure);
  repayments and charges return to the fund. In
  ``shareout_month`` the fund's cash is shared out in proportion to savings, each member's
  outstanding loan being repaid from her payout first, and a new cycle starts; members put
  ``shareout_livestock_share`` of their payout into young goats and sheep. A group that
  dissolves after exit writes off its members' remaining loans and pays out all that is
  left in its funds in equal parts. The social fund,
  never shared out, pays members' illness and repair bills while it lasts: it buffers
  idiosyncratic shocks but runs dry when a whole village is hit. Very poor members keep up
  their shares with probability ``very_poor_participation`` (raised by the inclusion
  instrument). After exit, groups go on by themselves and dissolve at ``dissolution`` a year.
- **Contingency fund**: seeded with ``seed`` per member at the start; when a covariate shock
  strikes the village, ``payout_share`` of it is paid out to the members in equal parts.
- **Cash transfers**: ``amount`` in each of ``months`` of the first ``years`` programme years.
- **Warrantage**: at harvest, members store ``share`` of the harvest as collateral and receive
  ``loan_ratio`` × its value at the harvest price; in ``release_month`` the grain comes back
  and the credit is repaid with interest (grain is sold at the lean-season price if cash is
  short), so that members do not sell cheap at harvest.
All amounts × the pillar's dose. Units: FCFA, kg. The month's group business (charges and
repayments, claims, loans, grants, shares, payouts, share-outs, dissolutions) runs as compiled
passes over households and groups (:mod:`sim.policies.groups_kernel`), with terms fixed for
the run computed once (:class:`~sim.policies.programme.FixedTerms`).
"""

from __future__ import annotations

import numpy as np

from sim.config import ModelConfig
from sim.draws import MonthDraws
from sim.ledger import Ledger
from sim.policies import groups_kernel as kernel
from sim.policies.programme import Programme, group_sum
from sim.population import Population
from sim.processes.livestock import herd_room_tlu
from sim.world import World


def start_groups(prog: Programme, pop: Population, cfg: ModelConfig, draws_u: np.ndarray) -> None:
    """At the start: members join their group; pay training and the contingency seed."""
    fi = cfg.policy.financial
    d = prog.dose
    if d.vsla <= 0 and d.contingency_fund <= 0:
        return
    members = prog.participants & (pop.group >= 0)
    keep = (
        fi.vsla.very_poor_participation
        + cfg.policy.social.inclusion.participation_gain * d.inclusion
    )
    dropout = (pop.wealth == 0) & (draws_u >= keep)
    pop.vsla = members & ~dropout & (d.vsla > 0)
    n = int(members.sum())
    prog.spend("vsla", n * fi.vsla.cost * d.vsla)
    if d.contingency_fund > 0:
        seed = group_sum(
            members * fi.contingency_fund.seed * d.contingency_fund, pop.group, len(prog.fund)
        )
        prog.contingency += seed
        prog.spend("contingency_fund", float(seed.sum()))


def cash_transfer(
    prog: Programme, pop: Population, world: World, t: int, cfg: ModelConfig, ledger: Ledger
) -> None:
    """Pay this month's transfer to participants within reach, and transfers owed to those back."""
    ct = cfg.policy.financial.cash_transfer
    d = prog.dose.cash_transfer
    m = int(world.calendar.month[t])
    if d > 0 and m in ct.months and prog.active(t) and prog.programme_year(t) < ct.years:
        prog.transfer_due = prog.transfer_due + prog.participants * ct.amount * d
    if not prog.transfer_due.any():
        return
    amount = np.where(prog.present, prog.transfer_due, 0.0)  # postponed while out of reach
    prog.transfer_due = prog.transfer_due - amount
    pop.cash += amount
    ledger.add("cash", "cash_transfer", amount)
    prog.spend("cash_transfer", float(amount.sum()) * (1 + ct.delivery_share))


def contingency_payout(
    prog: Programme, pop: Population, t: int, hit_villages: np.ndarray, ledger: Ledger
) -> None:
    """Pay out part of the contingency fund to members of villages struck this month.

    Members out of reach (displaced, or in a village whose activities conflict interrupts)
    receive nothing; a group none of whose members is within reach keeps its fund.
    """
    if prog.dose.contingency_fund <= 0 or not hit_villages.any() or prog.fund.size == 0:
        return
    share = prog.policy.financial.contingency_fund.payout_share
    grant = kernel.contingency_payout(
        pop.group,
        pop.village,
        prog.participants,
        prog.present,
        hit_villages,
        prog.contingency,
        share,
        pop.cash,
    )
    ledger.add("cash", "contingency_fund", grant)


def social_fund_grant(prog: Programme, pop: Population, bills: np.ndarray, ledger: Ledger) -> None:
    """The social fund gives members within reach cash for their bills while it lasts."""
    if prog.dose.vsla <= 0 or not bills.any() or prog.fund.size == 0:
        return
    cover = prog.policy.financial.vsla.social_grant
    grant, prog.social_fund = kernel.social_grant(
        pop.group, pop.vsla, prog.present, bills, cover, prog.social_fund, pop.cash
    )
    ledger.add("cash", "social_fund", grant)


def lend(
    prog: Programme, pop: Population, need: np.ndarray, cfg: ModelConfig, ledger: Ledger
) -> np.ndarray:
    """Group loans to members within reach short of ``need`` FCFA; return the amount lent."""
    if prog.dose.vsla <= 0 or prog.fund.size == 0:
        return np.zeros(pop.n)
    flows, prog.fund = kernel.lend(  # one loan at a time: a member still owing asks nothing
        pop.group,
        pop.vsla,
        prog.present,
        need,
        pop.group_debt,
        pop.savings,
        prog.terms.loan_multiple,
        pop.cash,
        prog.fund,
        cfg.policy.financial.vsla.lendable_share,
    )
    ledger.book(kernel.LOAN_FLOWS, flows)
    return flows[0]  # the loans (coping reads them, does not change them)


def group_cycle(
    prog: Programme,
    pop: Population,
    world: World,
    t: int,
    cfg: ModelConfig,
    ledger: Ledger,
    draws: MonthDraws,
) -> None:
    """Monthly group business after spending: charges, repayments, share-out, dissolution.

    Members out of reach repay nothing this month (charges still accrue); a group whose
    village conflict interrupts holds no share-out (it holds it at its next meeting) and does
    not dissolve. After exit, a group dissolves when its uniform of ``draws`` (row
    ``group_dissolution``, one per group) falls below the monthly probability.
    """
    v = cfg.policy.financial.vsla
    if prog.dose.vsla <= 0 or not pop.vsla.any():
        return
    g = prog.fund.size
    terms = prog.terms
    # a member out of reach repays on her return; repayments go to the member's group, even
    # if it dissolved
    flows = kernel.charge_and_repay(
        pop.group,
        pop.group_debt,
        pop.cash,
        prog.present,
        terms.debt_cap,
        terms.survival,
        prog.fund,
        v.service_charge,
        v.repay_share,
    )
    ledger.book(kernel.REPAYMENT_FLOWS, flows)
    due = int(world.calendar.month[t]) == v.shareout_month
    if not (due or t >= prog.exit or prog.shareout_due.any()):
        return  # no share-out owed and no group may dissolve this month
    meets = prog.meeting(world.shocks.insecurity.interrupted[t])
    dissolving = np.zeros(g, dtype=bool)
    if due:
        prog.shareout_due = prog.shareout_due | prog.group_active
    ending = prog.shareout_due & meets
    prog.shareout_due = prog.shareout_due & ~ending
    if t >= prog.exit:
        u_dissolve = draws.u("group_dissolution")[:g]
        dissolving = prog.group_active & meets & (u_dissolve < terms.p_dissolve)
        ending |= dissolving
        prog.group_active &= ~dissolving
    if ending.any():
        payout = share_out(prog, pop, ending, ledger)
        buy_livestock(pop, world, t, cfg, v.shareout_livestock_share * payout, ledger)
        if t >= prog.exit and dissolving.any():
            dissolve(prog, pop, dissolving, ledger)
        pop.vsla &= prog.group_active[np.maximum(pop.group, 0)] | (pop.group < 0)


def value_claims(prog: Programme, pop: Population) -> None:
    """Members' claims on their group's fund beyond their shares (``pop.fund_equity``).

    A member owns her shares' part of the fund's cash and of the loans members owe it; where
    no shares are held yet (just after a share-out), members own the fund in equal parts.
    """
    if prog.fund.size == 0:
        pop.fund_equity = np.zeros(pop.n)
        return
    pop.fund_equity = kernel.claims(pop.group, pop.vsla, pop.savings, pop.group_debt, prog.fund)


def dissolve(prog: Programme, pop: Population, groups_ending: np.ndarray, ledger: Ledger) -> None:
    """A dissolving group writes off its members' remaining loans and shares out what is left.

    After the share-out, what remains in the loan, social and contingency funds is paid out in
    equal parts to the group's members, so no money stays in a group that no longer meets.
    """
    flows = kernel.dissolve(
        pop.group,
        groups_ending,
        pop.group_debt,
        pop.cash,
        prog.fund,
        prog.social_fund,
        prog.contingency,
    )
    ledger.book(kernel.DISSOLUTION_FLOWS, flows)


def buy_shares(
    prog: Programme, pop: Population, world: World, t: int, cfg: ModelConfig, ledger: Ledger
) -> None:
    """Members buy shares and pay the social fund when the month's cash exceeds essentials.

    Essentials are the survival non-food spending and the food the household must buy this
    month (needs not met by in-kind food and its own stock) at the month's price.
    """
    if prog.dose.vsla <= 0 or t < prog.start or not pop.vsla.any():
        return  # groups keep saving by themselves after exit
    terms = prog.terms
    flows = kernel.buy_shares(
        pop.group,
        pop.vsla,
        prog.present,
        terms.need_kg,
        pop.grain_kg,
        world.prices["millet"][t],
        terms.survival,
        terms.shares,
        terms.social,
        pop.cash,
        pop.savings,
        prog.fund,
        prog.social_fund,
    )
    ledger.book(kernel.SHARE_FLOWS, flows)


def buy_livestock(
    pop: Population, world: World, t: int, cfg: ModelConfig, budget: np.ndarray, ledger: Ledger
) -> None:
    """Spend ``budget`` (FCFA) of a share-out on young goats and sheep (poultry if it buys none).

    A share-out is a lump sum: members buy the animals they could not save for at home
    (indivisible, and cash at home is spent or shared on demand).
    """
    lv = cfg.livestock
    goat, bird = world.prices["goat"][t], world.prices["poultry"][t]
    budget = np.minimum(budget, pop.cash)
    room = herd_room_tlu(pop, world, t, cfg)
    heads = np.minimum(np.floor(budget / goat), np.floor(room / lv.tlu_small_ruminant))
    heads = heads.astype(np.int64)
    birds_room = np.maximum(np.asarray(lv.poultry_capacity)[pop.wealth] - pop.poultry, 0.0)
    birds = np.where(heads == 0, np.minimum(np.floor(budget / bird), birds_room), 0.0)
    birds = birds.astype(np.int64)
    pop.sr_other += heads
    pop.poultry += birds
    pop.cash -= heads * goat + birds * bird
    ledger.add("small_ruminants", "shareout_purchases", heads)
    ledger.add("poultry", "shareout_purchases", birds)
    ledger.add("cash", "shareout_animal_purchases", -(heads * goat + birds * bird))


def share_out(
    prog: Programme, pop: Population, groups_ending: np.ndarray, ledger: Ledger
) -> np.ndarray:
    """Share the whole fund out in proportion to savings; members' savings restart at 0.

    The fund is its cash and the loans members owe it (VSLA share-outs distribute savings,
    service charges and fines, domain.md §4.3 [F]): each member's claim is her share of both;
    her outstanding loan is repaid from her claim first, and she receives the rest in cash.
    When members owe more than their claims, the cash falls short of what is due and every
    member of the group bears the arrears pro rata; they stay owed to the fund.

    Returns the cash each household received, FCFA.
    """
    flows, prog.fund, pop.savings = kernel.share_out(
        pop.group, pop.vsla, groups_ending, pop.savings, pop.group_debt, pop.cash, prog.fund
    )
    ledger.book(kernel.SHARE_OUT_FLOWS, flows)
    return flows[1]


def warrantage_store(
    prog: Programme,
    pop: Population,
    world: World,
    t: int,
    harvest_kg: np.ndarray,
    cfg: ModelConfig,
    ledger: Ledger,
) -> None:
    """At harvest: members store part of the harvest and receive credit against it."""
    w = cfg.policy.financial.warrantage
    d = prog.dose.warrantage
    if d <= 0 or not prog.active(t):
        return
    who = prog.participants & (pop.group >= 0) & prog.present
    kg = np.minimum(harvest_kg * w.share * d * who, pop.grain_kg)
    credit = kg * world.prices["millet"][t] * w.loan_ratio
    pop.grain_kg -= kg
    pop.warehouse_kg += kg
    pop.cash += credit
    pop.warrant_debt += credit
    ledger.add("grain", "warrantage_store", -kg)
    ledger.add("warehouse", "warrantage_store", kg)
    ledger.add("cash", "warrantage_credit", credit)
    ledger.add("warrant_debt", "warrantage_credit", credit)
    prog.spend("warrantage", float(who.sum()) * w.cost * d)


def warrantage_release(
    prog: Programme, pop: Population, world: World, t: int, cfg: ModelConfig, ledger: Ledger
) -> None:
    """In the release month: grain comes back and the credit is repaid (selling grain if needed)."""
    w = cfg.policy.financial.warrantage
    if int(world.calendar.month[t]) != w.release_month:
        return
    if not ((pop.warehouse_kg > 0) | (pop.warrant_debt > 0)).any():
        return
    months = (w.release_month - cfg.crops.harvest_month) % 12
    interest = pop.warrant_debt * ((1 + w.interest) ** months - 1)
    pop.warrant_debt += interest
    ledger.add("warrant_debt", "interest", interest)
    kg = pop.warehouse_kg.copy()
    pop.warehouse_kg -= kg
    pop.grain_kg += kg
    ledger.add("warehouse", "release", -kg)
    ledger.add("grain", "warrantage_release", kg)
    price = world.prices["millet"][t]
    short = np.maximum(pop.warrant_debt - pop.cash, 0.0)
    sold = np.minimum(short / price, pop.grain_kg)
    pop.grain_kg -= sold
    pop.cash += sold * price
    ledger.add("grain", "warrantage_sale", -sold)
    ledger.add("cash", "warrantage_sale", sold * price)
    repay = np.minimum(pop.warrant_debt, pop.cash)
    pop.warrant_debt -= repay
    pop.cash -= repay
    ledger.add("warrant_debt", "repayment", -repay)
    ledger.add("cash", "warrantage_repayment", -repay)
