"""The patterns, one module per family; :data:`PATTERNS` registers every one by name.

Families: :mod:`~sim.validation.patterns.prices`, :mod:`~sim.validation.patterns.food`
(food and coping), :mod:`~sim.validation.patterns.nutrition`,
:mod:`~sim.validation.patterns.conflict` (insecurity),
:mod:`~sim.validation.patterns.herds` (assets and herds),
:mod:`~sim.validation.patterns.effects` (programme effects),
:mod:`~sim.validation.patterns.groups` (CdR groups),
:mod:`~sim.validation.patterns.resilience` (the resilience capacity index) and
:mod:`~sim.validation.patterns.design` (programme design). Each pattern is a function
decorated with :func:`~sim.validation.patterns.registry.pattern`; its docstring says how it
is measured (the table prints it).
"""

from __future__ import annotations

from sim.validation.patterns import (  # noqa: F401 (importing a family registers its patterns)
    conflict,
    design,
    effects,
    food,
    groups,
    herds,
    nutrition,
    prices,
    resilience,
)
from sim.validation.patterns.registry import PATTERNS, Measure, Pattern, pattern

__all__ = ["PATTERNS", "Measure", "Pattern", "pattern"]
