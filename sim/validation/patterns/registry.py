"""The register of patterns: :func:`pattern` adds a measuring function to :data:`PATTERNS`."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from sim.validation.context import Context
from sim.validation.estimate import Outcome
from sim.validation.settings import Target

Measure = Callable[[Context, Target], Outcome]
"""A pattern function: the experiments' observations and the target in, the outcome out."""


class Pattern(NamedTuple):
    """A registered pattern: its title in the table and the function measuring it."""

    title: str
    measure: Measure


PATTERNS: dict[str, Pattern] = {}
"""Every pattern by name (filled as the family modules are imported)."""


def pattern(name: str, title: str) -> Callable[[Measure], Measure]:
    """Register the decorated function as the measurement of pattern ``name``.

    Parameters
    ----------
    name
        The pattern's name: the ``name`` of its entry in ``validate.targets``.
    title
        Its title in the table.
    """

    def register(fn: Measure) -> Measure:
        if name in PATTERNS:
            raise ValueError(f"pattern {name!r} is registered twice")
        if not fn.__doc__:
            raise ValueError(f"pattern {name!r}: its docstring says how it is measured")
        PATTERNS[name] = Pattern(title, fn)
        return fn

    return register
