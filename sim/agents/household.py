"""The household agent: a Mesa agent that reads and writes one row of the population table."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import mesa

from sim.config import WEALTH_GROUPS
from sim.population import Population, tlu

if TYPE_CHECKING:
    from sim.model import ResilienceModel

COLUMNS = frozenset(f.name for f in dataclasses.fields(Population))
"""Names of the population table's columns (the attributes an agent forwards)."""


class Household(mesa.Agent):
    """One household, a view on row ``row`` of ``model.pop``.

    Attribute access is forwarded to the population table, so ``household.cash`` is
    ``model.pop.cash[row]`` and ``household.cash = 0`` writes the table. The agent holds no
    state of its own: processes update the table for all households at once.
    """

    model: ResilienceModel

    def __init__(self, model: ResilienceModel, row: int) -> None:
        super().__init__(model)
        object.__setattr__(self, "row", row)

    def __getattr__(self, name: str) -> Any:
        pop = self.__dict__.get("model") and self.model.pop
        if pop is not None and name in COLUMNS:
            return getattr(pop, name)[self.row].item()
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        pop = getattr(self.model, "pop", None) if "model" in self.__dict__ else None
        if pop is not None and name in COLUMNS:
            getattr(pop, name)[self.row] = value
        else:
            object.__setattr__(self, name, value)

    @property
    def wealth_group(self) -> str:
        """HEA wealth group name."""
        return WEALTH_GROUPS[self.wealth]

    @property
    def tlu(self) -> float:
        """Tropical livestock units held."""
        return float(tlu(self.model.pop, self.model.config)[self.row])

    def state(self) -> dict[str, Any]:
        """All of the household's columns, as plain Python values."""
        return {name: col[self.row].item() for name, col in self.model.pop.columns().items()}

    def __repr__(self) -> str:
        return f"Household(row={self.row}, {self.wealth_group}, village={self.village})"
