"""Mesa agents: thin views on rows of the population table, villages and CdR groups."""

from sim.agents.group import SavingsGroup
from sim.agents.household import Household
from sim.agents.village import Village

__all__ = ["Household", "SavingsGroup", "Village"]
