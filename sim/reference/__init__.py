"""A per-household reference implementation of the model, for testing and benchmarking.

:class:`~sim.reference.model.ReferenceModel` re-implements the month of
:class:`sim.model.ResilienceModel` with one Mesa agent per household holding its own state
and plain scalar arithmetic, consuming exactly the same random draws. Both must give the
same households and indicators (``tests/test_reference.py``).
"""

from sim.reference.household import ReferenceHousehold
from sim.reference.model import ReferenceModel
from sim.reference.scalar import binomial_draw

__all__ = ["ReferenceHousehold", "ReferenceModel", "binomial_draw"]
