"""A naive Mesa household model, written as a typical Mesa user would: the speed peer.

One agent per household, ten scalar updates per agent and month (rain-fed harvest, herd
births and deaths, income, food bought, consumption, saving, borrowing, a coping sale, a
nutrition score), every agent stepped through ``AgentSet.shuffle_do``. It models nothing the
project relies on: it only shows what a plain Mesa loop costs on this machine
(``benchmarks/run.py`` times it beside the full model). Numbers are illustrative, not sourced.
"""

from __future__ import annotations

import mesa


class ToyHousehold(mesa.Agent):
    """A household with a grain stock, a herd, cash, savings, debt and a nutrition score."""

    def __init__(self, model: ToyModel) -> None:
        super().__init__(model)
        r = self.random
        self.grain = r.uniform(100, 900)  # kg
        self.goats = r.randint(0, 12)  # head
        self.cash = r.uniform(0, 50_000)  # FCFA
        self.savings = 0.0
        self.debt = 0.0
        self.whz = r.gauss(-0.5, 1.0)

    def step(self) -> None:
        """Ten scalar updates: the month of one household."""
        r, m = self.random, self.model
        if m.month % 12 == 9:  # 1. harvest in October
            self.grain += m.rain * r.uniform(0.5, 1.5)
        self.goats += int(0.05 * self.goats + r.random())  # 2. herd births
        self.goats -= min(self.goats, int(0.01 * self.goats + r.random()))  # 3. herd deaths
        self.cash += r.uniform(5_000, 25_000)  # 4. income
        need = 150.0  # kg a month
        eaten = min(self.grain, need)
        self.grain -= eaten  # 5. eat own grain
        bought = min((need - eaten) * m.price, self.cash)
        self.cash -= bought  # 6. buy the rest
        if bought < (need - eaten) * m.price and self.goats > 0:  # 7. sell a goat to cope
            self.goats -= 1
            self.cash += 25_000
        if self.cash > 30_000:  # 8. save
            self.savings += 0.1 * self.cash
            self.cash *= 0.9
        if self.cash < 1_000:  # 9. borrow
            self.debt += 5_000
            self.cash += 5_000
        adequacy = (eaten + bought / m.price) / need  # 10. nutrition
        self.whz += 0.1 * (adequacy - 1) - 0.02 * (self.whz + 0.5)


class ToyModel(mesa.Model):
    """``households`` toy households, one Mesa agent each, a regional rain and price."""

    def __init__(self, households: int = 3_000, rng: int = 1) -> None:
        super().__init__(rng=rng)
        self.month = 0
        self.rain = 500.0
        self.price = 250.0
        ToyHousehold.create_agents(self, households)

    def step(self) -> None:
        """One month: regional rain and price, then every household in random order."""
        self.rain = max(0.0, self.random.gauss(500, 120))
        self.price = 250.0 * (1.3 if self.month % 12 in (6, 7, 8) else 1.0)
        self.agents.shuffle_do("step")
        self.month += 1
