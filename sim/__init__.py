"""resim: an agent-based simulation of household resilience in the Sahel.

Households of the FAO *Caisses de résilience* villages of Bandiagara (Mopti, Mali), month by
month, through seasons, shocks and interventions. Start with :func:`simulate`.
"""

from sim.api import load, simulate
from sim.config import ConfigError
from sim.results import Results

__all__ = ["ConfigError", "Results", "load", "simulate"]
