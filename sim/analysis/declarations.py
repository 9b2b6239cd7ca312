"""Declared uncertainties and levers, in the vocabulary of exploratory modelling.

An **uncertainty** is what nobody chooses (drought frequency, price response, yields); a
**lever** is what a programme chooses (pillar doses, the cash/livestock mix). Both are
declared in config groups of their own (``conf/uncertainties``, ``conf/levers``) as
:class:`Declared` entries: a model parameter named by its config path, its range (``low`` and
``high``) or its ``categories``, its unit and the source of the range. The SALib problem and
the Latin hypercube of scenario discovery are generated from the declarations
(:func:`problem`), and a sample point becomes a run's configuration through :func:`apply`.

:func:`check` validates the declarations against the actual configuration before any run, so
a parameter renamed elsewhere fails in one line: the path must exist, hold one number (or a
value of the declared categories), be a model parameter that changes the run (not the seed,
the horizon, an indicator's definition or a setting of the study), stay within the range the
parameter allows at both bounds, and act in the package studied (a dose of a pillar whose
instruments are all off changes nothing).

Derived levers are named functions of the configuration rather than config paths
(:data:`DERIVED`): ``transfer_livestock_share`` splits a package's cash-transfer budget
between cash and breeding goats at equal value.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.compose import set_path
from sim.config import (
    BOUNDARY_KEYS,
    ConfigError,
    DeclarationsConfig,
    ModelConfig,
    build,
    check_consistency,
)

KINDS = ("uncertainty", "lever")
"""What a declaration is: what nobody chooses, or what a programme chooses."""


@dataclass(frozen=True)
class Declared:
    """One declared uncertainty or lever.

    Attributes
    ----------
    name
        Config path of the model parameter (``shocks.drought.probability``), or the name of
        a derived lever (:data:`DERIVED`).
    low, high
        Range sampled, in the parameter's unit (unused when ``categories`` are given).
    unit
        Unit of the parameter.
    source
        Where the range comes from.
    categories
        Values of a categorical parameter, as text (``true``, ``historical``, ``0.5``).
    kind
        ``uncertainty`` or ``lever``.
    """

    name: str
    low: float
    high: float
    unit: str
    source: str
    categories: tuple[str, ...] = ()
    kind: str = "uncertainty"

    @property
    def bounds(self) -> tuple[float, float]:
        """Bounds of the sampled coordinate: the range, or [0, number of categories)."""
        return (0.0, float(len(self.categories))) if self.categories else (self.low, self.high)

    def value(self, u: float) -> Any:
        """The parameter value at sample coordinate ``u`` (a category is picked by index)."""
        if self.categories:
            i = min(int(math.floor(u)), len(self.categories) - 1)
            return self.categories[max(i, 0)]
        return float(u)

    def describe(self, lo: float, hi: float, *, low_cut: bool = True, high_cut: bool = True) -> str:
        """A box restriction in words: this parameter between ``lo`` and ``hi``.

        ``low_cut`` / ``high_cut`` say whether each side restricts the parameter (a side left
        at the sample's edge is not a restriction and is not stated).
        """
        if self.categories:
            chosen = [c for i, c in enumerate(self.categories) if lo <= i <= hi]
            return f"{self.name} in {{{', '.join(chosen)}}} (of {', '.join(self.categories)})"
        full_lo, full_hi = self.bounds
        if low_cut and not high_cut:
            rule = f"{self.name} ≥ {_fmt(lo)}"
        elif high_cut and not low_cut:
            rule = f"{self.name} ≤ {_fmt(hi)}"
        else:
            rule = f"{_fmt(lo)} ≤ {self.name} ≤ {_fmt(hi)}"
        return f"{rule} {self.unit} (declared {_fmt(full_lo)} to {_fmt(full_hi)})"


def _fmt(x: float) -> str:
    return f"{x:,.3g}" if abs(x) < 1e4 else f"{x:,.0f}"


def declared(cfg: DeclarationsConfig, kind: str) -> list[Declared]:
    """The declarations of a config group as :class:`Declared` entries of ``kind``."""
    if kind not in KINDS:
        raise ValueError(f"kind = {kind!r}: unknown (allowed: {', '.join(KINDS)})")
    return [
        Declared(f.name, f.low, f.high, f.unit, f.source, tuple(f.categories), kind)
        for f in cfg.factors
    ]


def problem(params: Sequence[Declared]) -> dict[str, Any]:
    """The SALib problem generated from the declarations (never written by hand)."""
    return {
        "num_vars": len(params),
        "names": [p.name for p in params],
        "bounds": [list(p.bounds) for p in params],
    }


# --------------------------------------------------------------------------- derived levers


def transfer_livestock_share(config: dict[str, Any], share: float) -> dict[str, Any]:
    """Give a share of the package's cash-transfer budget as breeding goats, at equal value.

    The budget is what the package's transfers cost at full dose: ``amount`` × transfer months
    × ``years`` × (1 + delivery share), FCFA per household. ``share`` of it buys whole breeding
    females at the goat price plus the distribution's delivery share (delivered with the
    package's other animals, ``policy.productive.small_livestock``); what the goats do not use
    stays cash, spread over the same transfer months. At full doses the two parts cost the
    same whatever the share (up to less than one goat's value, which stays cash); each part
    then scales with its own pillar's dose like every instrument.

    Parameters
    ----------
    config
        A model configuration (plain containers) with cash transfers and small livestock on.
    share
        Share of the budget given as goats, 0-1.
    """
    ct = config["policy"]["financial"]["cash_transfer"]
    sl = config["policy"]["productive"]["small_livestock"]
    per_fcfa = 1 + ct["delivery_share"]
    transfers = len(ct["months"]) * ct["years"]
    budget = ct["amount"] * transfers * per_fcfa  # FCFA per household
    goat = config["market"]["goat_price"] * (1 + sl["delivery_share"])  # FCFA per goat delivered
    goats = int(math.floor(share * budget / goat + 1e-9))
    amount = (budget - goats * goat) / per_fcfa / transfers
    out = set_path(config, "policy.financial.cash_transfer.amount", float(amount))
    return set_path(
        out, "policy.productive.small_livestock.sr_females", int(sl["sr_females"]) + goats
    )


def _check_transfer_mix(config: dict[str, Any]) -> str | None:
    p = config["policy"]
    ct, sl = p["financial"]["cash_transfer"], p["productive"]["small_livestock"]
    if not (ct["enabled"] and sl["enabled"]):
        return (
            f"package {p['name']!r} needs both cash transfers and small livestock on "
            "(e.g. full_cdr, cash_plus_livestock)"
        )
    if ct["amount"] * len(ct["months"]) * ct["years"] <= 0:
        return f"package {p['name']!r} has no cash-transfer budget to split"
    return None


DERIVED: dict[str, tuple[Callable[[dict[str, Any], float], dict[str, Any]], Any]] = {
    "transfer_livestock_share": (transfer_livestock_share, _check_transfer_mix),
}
"""Derived levers: name → (apply(config, value), check(config) → problem or None)."""


# --------------------------------------------------------------------------- applying


def apply(config: dict[str, Any], params: Sequence[Declared], point: Sequence[float]) -> dict:
    """The configuration of one sample point: ``config`` with every declared value set.

    Config paths are set first, derived levers after (on the values the paths left).
    """
    out = config
    for p, u in zip(params, point, strict=True):
        if p.name not in DERIVED:
            out = set_path(out, p.name, _typed(p.value(float(u)), _get(out, p.name)))
    for p, u in zip(params, point, strict=True):
        if p.name in DERIVED:
            out = DERIVED[p.name][0](out, p.value(float(u)))
    return out


def _get(config: dict[str, Any], path: str) -> Any:
    node: Any = config
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(path)
        node = node[part]
    return node


def _typed(value: Any, current: Any) -> Any:
    """A category (text) as the type of the parameter's current value."""
    if not isinstance(value, str) or isinstance(current, str):
        return value
    if isinstance(current, bool):
        if value.lower() not in ("true", "false"):
            raise ConfigError(f"category {value!r}: expected true or false")
        return value.lower() == "true"
    try:
        return int(value) if isinstance(current, int) else float(value)
    except ValueError:
        raise ConfigError(f"category {value!r}: expected a number") from None


# --------------------------------------------------------------------------- checking

REFUSED: dict[str, str] = {
    "seed": "the root of the random streams (replicates vary it; a factor must change the model)",
    "years": "the horizon, not a model parameter (every run of a study covers the same years)",
    "start_year": "the calendar, not a model parameter",
    "start_month": "the calendar, not a model parameter",
    "policy.name": "a label, not a model parameter",
    "shocks.name": "a label, not a model parameter",
}
"""Config paths that are never factors, with the reason given."""

REFUSED_GROUPS: dict[str, str] = {
    "indicators": "an indicator's definition (conf/indicators), not a model parameter",
}


def check(
    config: dict[str, Any], params: Sequence[Declared], *, where: str, package: str = ""
) -> None:
    """Check declarations against the model configuration they vary, before any run.

    Parameters
    ----------
    config
        The model config (plain containers) of the package studied.
    params
        The declarations.
    where
        Their place in the configuration, for messages (``uncertainties.factors``).
    package
        The package's name, for messages.

    Raises
    ------
    ConfigError
        On the first problem, in one line naming the entry, the value and what is allowed.
    """
    if not params:
        raise ConfigError(f"{where} = []: declare at least one factor")
    names = [p.name for p in params]
    for i, p in enumerate(params):
        at = f"{where}[{i}]"
        if p.name in names[:i]:
            raise ConfigError(f"{at}.name = {p.name!r}: already declared (one entry each)")
        _check_name(config, p, at, package)
        if p.categories:
            if len(set(p.categories)) < 2:
                raise ConfigError(
                    f"{at}.categories = {list(p.categories)!r}: give at least two distinct values"
                )
            values: list[Any] = list(p.categories)
        else:
            if not (math.isfinite(p.low) and math.isfinite(p.high) and p.low < p.high):
                raise ConfigError(f"{at}.low = {p.low!r}: must be below {at}.high = {p.high!r}")
            values = [p.low, p.high]
        for value in values:
            bound = "categories" if p.categories else ("low" if value == p.low else "high")
            try:
                one = apply(config, [p], [_coordinate(p, value)])
                check_consistency(build(ModelConfig, one))
            except ConfigError as err:
                reason = str(err).split(": ", 1)[-1]
                raise ConfigError(
                    f"{at}.{bound} = {value!r}: outside what {p.name} allows ({reason})"
                ) from None


def _coordinate(p: Declared, value: Any) -> float:
    return float(p.categories.index(value)) if p.categories else float(value)


def _check_name(config: dict[str, Any], p: Declared, at: str, package: str) -> None:
    name = p.name
    if name in DERIVED:
        problem_text = DERIVED[name][1](config)
        if problem_text:
            raise ConfigError(f"{at}.name = {name!r}: {problem_text}")
        if p.categories:
            raise ConfigError(f"{at}.categories: {name} takes a range (low, high), not categories")
        return
    head = name.split(".", 1)[0]
    if name in REFUSED:
        raise ConfigError(f"{at}.name = {name!r}: {REFUSED[name]}")
    if head in REFUSED_GROUPS:
        raise ConfigError(f"{at}.name = {name!r}: {REFUSED_GROUPS[head]}")
    if head in BOUNDARY_KEYS:
        raise ConfigError(
            f"{at}.name = {name!r}: a setting of the study (output, executor, design), "
            "not a model parameter"
        )
    try:
        current = _get(config, name)
    except KeyError:
        close = difflib.get_close_matches(name, _leaf_paths(config), n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        derived = f" (derived levers: {', '.join(DERIVED)})"
        raise ConfigError(f"{at}.name = {name!r}: not a model parameter{hint}{derived}") from None
    if isinstance(current, dict | list):
        what = "a group of parameters" if isinstance(current, dict) else "a list of values"
        raise ConfigError(f"{at}.name = {name!r}: {what}, not one parameter")
    if isinstance(current, bool | str) and not p.categories:
        raise ConfigError(
            f"{at}.name = {name!r}: takes {type(current).__name__} values; declare its "
            "categories (e.g. categories: [true, false])"
        )
    _check_acts(config, name, at, package)


_PILLARS = ("productive", "financial", "social")


def _check_acts(config: dict[str, Any], name: str, at: str, package: str) -> None:
    """A policy parameter must act in the package: its instrument (or pillar) switched on."""
    parts = name.split(".")
    if parts[0] != "policy" or len(parts) < 3:
        return
    policy = config["policy"]
    label = package or policy.get("name", "?")
    if parts[1] in _PILLARS:
        pillar = policy[parts[1]]
        instruments = {k: v for k, v in pillar.items() if isinstance(v, dict) and "enabled" in v}
        if parts[2] == "dose":
            if not any(v["enabled"] for v in instruments.values()):
                raise ConfigError(
                    f"{at}.name = {name!r}: no effect in package {label!r} (none of the "
                    f"{parts[1]} pillar's instruments is on); choose a package that has them"
                )
        elif parts[2] in instruments and parts[-1] != "enabled":
            if not instruments[parts[2]]["enabled"]:
                raise ConfigError(
                    f"{at}.name = {name!r}: no effect in package {label!r} "
                    f"(policy.{parts[1]}.{parts[2]} is off)"
                )
    elif parts[1] == "partners" and parts[-1] != "enabled" and not policy["partners"]["enabled"]:
        raise ConfigError(f"{at}.name = {name!r}: no effect in package {label!r} (partners off)")


def _leaf_paths(data: dict[str, Any], prefix: str = "") -> list[str]:
    out = []
    for k, v in data.items():
        if isinstance(v, dict):
            out.extend(_leaf_paths(v, f"{prefix}{k}."))
        else:
            out.append(f"{prefix}{k}")
    return out


def latin_hypercube(params: Sequence[Declared], n: int, *, seed: int) -> np.ndarray:
    """``n`` points of a Latin hypercube over the declared bounds (scipy's ``qmc``)."""
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(params), rng=np.random.default_rng(seed)).random(n)
    lo = np.array([p.bounds[0] for p in params])
    hi = np.array([p.bounds[1] for p in params])
    return lo + unit * (hi - lo)
