"""The village agent: a view on one village of the world (rainfall, flood exposure, market)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from sim.model import ResilienceModel


class Village(mesa.Agent):
    """Village ``index``: its position, flood exposure, market access and households."""

    model: ResilienceModel

    def __init__(self, model: ResilienceModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def flood_exposed(self) -> bool:
        """Whether the village lies in a flood-prone valley."""
        return bool(self.model.world.villages.flood_exposed[self.index])

    @property
    def market_access(self) -> float:
        """Market-access index, 0-1."""
        return float(self.model.world.villages.market_access[self.index])

    @property
    def rainfall(self) -> float:
        """Rainfall of the season feeding the current month, mm."""
        t = min(self.model.month, self.model.config.months - 1)
        return float(self.model.world.season_rain(t)[self.index])

    @property
    def rows(self) -> np.ndarray:
        """Population-table rows of the village's households."""
        return np.flatnonzero(self.model.pop.village == self.index)
