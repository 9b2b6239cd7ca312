"""Named random streams spawned from one root seed.

Every source of randomness has its own stream, derived from the root seed and the stream's
name alone, so adding a stream never shifts another, and two runs that differ only in their
intervention package draw identical weather, prices, shocks and idiosyncratic events
(common random numbers). No module-level ``np.random`` function is ever used.
"""

from __future__ import annotations

import zlib

import numpy as np

STREAMS: tuple[str, ...] = (
    "population",  # initial households, villages and groups
    "weather",  # rainfall per village and year
    "prices",  # market price noise
    "shocks",  # covariate shock events (drought, flood, price spike, epizootic)
    "insecurity",  # conflict episodes per village (their own stream: switching them leaves the rest)
    "displacement",  # households' draws in conflict: theft, flight, return (off the idiosyncratic stream)
    "idiosyncratic",  # household-level events: illness, yield and income variation, herd demography
    "behaviour",  # household choices with a random element
    "policy",  # targeting and intervention draws (never shared with the world)
    "mesa",  # the Mesa model's own generators
)


def stream_seed(seed: int, name: str) -> np.random.SeedSequence:
    """Return the seed sequence of stream ``name`` under root ``seed``.

    Parameters
    ----------
    seed
        Root seed of the run (any non-negative integer; 0 is a valid seed).
    name
        One of :data:`STREAMS`.
    """
    if name not in STREAMS:
        raise KeyError(f"unknown random stream {name!r}; known: {', '.join(STREAMS)}")
    return np.random.SeedSequence(entropy=seed, spawn_key=(zlib.crc32(name.encode()),))


def generator(seed: int, name: str) -> np.random.Generator:
    """Return a fresh PCG64 generator for stream ``name`` under root ``seed``."""
    return np.random.Generator(np.random.PCG64(stream_seed(seed, name)))


def stream_record(seed: int) -> dict[str, list[int]]:
    """Return, for the reproducibility record, the 128-bit state words of every stream."""
    return {name: [int(w) for w in stream_seed(seed, name).generate_state(4)] for name in STREAMS}
