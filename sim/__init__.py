"""resim: an agent-based simulation of household resilience in the Sahel.

Households of the FAO *Caisses de résilience* villages of Bandiagara (Mopti, Mali), month by
month, through seasons, shocks and interventions. Start with :func:`simulate`.
"""

from sim.analysis.collect import collect
from sim.api import compare, load, sensitivity, simulate, synergy
from sim.config import ConfigError
from sim.results import Results
from sim.validation import validate

__all__ = [
    "ConfigError",
    "Results",
    "collect",
    "compare",
    "load",
    "sensitivity",
    "simulate",
    "synergy",
    "validate",
]
