"""resim: an agent-based simulation of household resilience in the Sahel.

Households of the FAO *Caisses de résilience* villages of Bandiagara (Mopti, Mali), month by
month, through seasons, shocks and interventions. Start with :func:`simulate`.

The names below are imported on first use, so that ``resim`` answers bad input without
loading the model's libraries.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "ConfigError": "sim.config",
    "Results": "sim.results",
    "collect": "sim.analysis.collect",
    "compare": "sim.api",
    "discover": "sim.api",
    "load": "sim.api",
    "rerun": "sim.api",
    "sensitivity": "sim.api",
    "simulate": "sim.api",
    "synergy": "sim.api",
    "validate": "sim.validation",
}

__all__ = [
    "ConfigError",
    "Results",
    "collect",
    "compare",
    "discover",
    "load",
    "rerun",
    "sensitivity",
    "simulate",
    "synergy",
    "validate",
]

if TYPE_CHECKING:
    from sim.analysis.collect import collect
    from sim.api import compare, discover, load, rerun, sensitivity, simulate, synergy
    from sim.config import ConfigError
    from sim.results import Results
    from sim.validation import validate


def __getattr__(name: str) -> Any:
    """Import an exported name on first use."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
