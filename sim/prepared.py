"""Tables a process prepares once for a run, instead of every month.

A process whose month reads numbers that depend only on the world and the configuration
(probabilities by village and month, prices paid, constants by calendar month) builds them
once, with the same arithmetic as a month would, and its month reads them:
``tables = PerRun(build)`` at module level, then ``tables(world, cfg)`` in the month.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.config import ModelConfig
    from sim.world import World


class PerRun[T]:
    """Tables that depend only on the world and the configuration, built once for a run.

    ``tables = PerRun(build)``; ``tables(world, cfg)`` returns ``build(world, cfg)``, built
    on the first call of a run and kept until a call for another world or configuration
    (the last ones asked are held, by identity). Two models stepped in turn in one process
    (or in threads) get their own tables each time: correct, only slower.
    """

    def __init__(self, build: Callable[[World, ModelConfig], T]) -> None:
        self._build = build
        self._last: tuple[World, ModelConfig, T] | None = None

    def __call__(self, world: World, cfg: ModelConfig) -> T:
        """The tables of ``world`` and ``cfg``."""
        last = self._last  # one read: safe if another thread replaces it
        if last is None or last[0] is not world or last[1] is not cfg:
            last = self._last = (world, cfg, self._build(world, cfg))
        return last[2]
