"""Annual rates as monthly ones: the three conversions the model uses, in one place.

- :func:`monthly_probability`: an event with annual probability ``p`` happens in a month
  with probability ``1 - (1 - p)**(1/12)`` (independent months).
- :func:`monthly_survival`: a stock losing a share ``loss`` a year keeps
  ``(1 - loss)**(1/12)`` of itself each month (geometric decay).
- :func:`monthly_hazard_probability`: a hazard of ``rate`` events per head and year (which
  may exceed 1) gives a monthly probability ``1 - exp(-rate / 12)``.

All three compute with numpy's functions, also on scalars, so that the vectorised model and
the per-household reference (:mod:`sim.reference`) get the same numbers to the last bit.
"""

from __future__ import annotations

import numpy as np


def monthly_probability(annual: float | np.ndarray) -> float | np.ndarray:
    """Monthly probability of an event whose annual probability is ``annual``."""
    out = 1.0 - np.power(1.0 - np.asarray(annual, dtype=float), 1.0 / 12.0)
    return float(out) if out.ndim == 0 else out


def monthly_survival(annual_loss: float) -> float:
    """Share of a stock kept each month when it loses ``annual_loss`` of itself a year."""
    return float(np.power(1.0 - np.float64(annual_loss), 1.0 / 12.0))


def monthly_hazard_probability(rate: float) -> float:
    """Monthly probability of an event with a hazard of ``rate`` per year."""
    return float(1.0 - np.exp(-np.float64(rate) / 12.0))
