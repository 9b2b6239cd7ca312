"""The CdR group agent: a savings-and-credit club of about 25 programme participants.

Groups exist from the start, formed among targeted households of one village; the financial
pillar later gives them a loan fund and a social fund to manage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from sim.model import ResilienceModel


class SavingsGroup(mesa.Agent):
    """CdR group ``index`` in village ``village``."""

    model: ResilienceModel

    def __init__(self, model: ResilienceModel, index: int, village: int) -> None:
        super().__init__(model)
        self.index = index
        self.village = village

    @property
    def members(self) -> np.ndarray:
        """Population-table rows of the group's members."""
        return np.flatnonzero(self.model.pop.group == self.index)

    @property
    def loan_fund(self) -> float:
        """Cash in the group's loan fund, FCFA."""
        return float(self.model.programme.fund[self.index])

    @property
    def social_fund(self) -> float:
        """Cash in the group's social fund, FCFA."""
        return float(self.model.programme.social_fund[self.index])

    @property
    def contingency_fund(self) -> float:
        """Cash in the group's contingency fund, FCFA."""
        return float(self.model.programme.contingency[self.index])

    @property
    def active(self) -> bool:
        """Whether the group still meets."""
        return bool(self.model.programme.group_active[self.index])

    @property
    def savings(self) -> float:
        """Members' savings held by the group, FCFA."""
        return float(self.model.pop.savings[self.members].sum())
