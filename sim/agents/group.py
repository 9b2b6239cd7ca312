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
        self.loan_fund = 0.0  # FCFA
        self.social_fund = 0.0  # FCFA

    @property
    def members(self) -> np.ndarray:
        """Population-table rows of the group's members."""
        return np.flatnonzero(self.model.pop.group == self.index)

    @property
    def savings(self) -> float:
        """Members' savings held by the group, FCFA."""
        return float(self.model.pop.savings[self.members].sum())
