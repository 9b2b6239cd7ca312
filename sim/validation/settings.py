"""The ``validate`` config group (``conf/validate/default.yaml``), validated.

:func:`parse` turns the composed group into :class:`Settings`: the scale of the experiments,
the scheduled shocks of the drought, price-spike and flood experiments, and one
:class:`Target` per pattern (what the source says, the source, the bounds and months the
pattern's function tests).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.schema import ConfigError, build, config, param
from sim.validation.notes import KNOWN_FAILURES


@config
class ShockSpec:
    """A scheduled shock of an experiment: year from the start year and severity (0-1)."""

    year: int = param(0, 200)
    severity: float = param(0, 1)


@dataclass(frozen=True)
class Target:
    """The target of one pattern (``validate.targets`` entry).

    Attributes
    ----------
    name
        Pattern name (a key of :data:`sim.validation.patterns.PATTERNS`).
    target
        What the source says, in words.
    source
        domain.md section and tag, or the seed brief.
    low, high
        Bounds of the model value (None: unbounded on that side).
    months, peak_months
        Calendar months a timing condition refers to (trough or comparison months; peak).
    years
        Calendar years a pattern is measured over (e.g. the years a source observed).
    """

    name: str
    target: str
    source: str
    low: float | None = None
    high: float | None = None
    months: tuple[int, ...] = ()
    peak_months: tuple[int, ...] = ()
    years: tuple[int, ...] = ()


@dataclass(frozen=True)
class KnownFailure:
    """Why a pattern fails at the default calibration and what would fix it."""

    name: str
    reason: str
    plan: str


@dataclass(frozen=True)
class Settings:
    """The ``validate`` config group.

    ``targets`` keeps the order of ``validate.targets``: the order of the table's rows.
    """

    households: int
    years: int
    replicates: int
    output: str
    drought: ShockSpec
    price_spike: ShockSpec
    flood: ShockSpec
    vsla_months: int
    targets: dict[str, Target] = field(default_factory=dict)
    known_failures: dict[str, KnownFailure] = field(default_factory=dict)


@config
class _Scalars:
    households: int = param(1)
    years: int = param(7, 200)
    replicates: int = param(1, 100000)
    output: str = param()
    drought: ShockSpec = field(metadata={})
    price_spike: ShockSpec = field(metadata={})
    flood: ShockSpec = field(metadata={})
    vsla_months: int = param(1, 600)


SCALAR_KEYS = (
    "households",
    "years",
    "replicates",
    "output",
    "drought",
    "price_spike",
    "flood",
    "vsla_months",
)
"""Keys of ``validate`` other than ``targets``."""


def parse(data: Mapping[str, Any], patterns: Collection[str]) -> Settings:
    """Validate the ``validate`` config group.

    Parameters
    ----------
    data
        The composed group (plain containers).
    patterns
        Names of the patterns the code measures: every target must name one, every pattern
        needs a target.

    Raises
    ------
    ConfigError
        On a missing or out-of-range setting, an unknown pattern, a target without a source,
        or a shock year outside the run.
    """
    if not isinstance(data, Mapping):
        raise ConfigError(f"validate = {data!r}: expected a mapping")
    scalars = build(_Scalars, {k: v for k, v in data.items() if k in SCALAR_KEYS}, "validate.")
    unknown = set(data) - set(SCALAR_KEYS) - {"targets"}
    if unknown:
        raise ConfigError(f"validate.{sorted(unknown)[0]}: unknown parameter")
    for name in ("drought", "price_spike", "flood"):
        spec = getattr(scalars, name)
        if spec.year >= scalars.years:
            raise ConfigError(
                f"validate.{name}.year = {spec.year}: must be in [0, {scalars.years - 1}]"
            )
    targets: dict[str, Target] = {}
    for i, entry in enumerate(data.get("targets") or []):
        target = _target(entry, f"validate.targets[{i}]", patterns)
        if target.name in targets:
            raise ConfigError(f"validate.targets[{i}].name = {target.name!r}: already has a target")
        targets[target.name] = target
    missing = [p for p in patterns if p not in targets]
    if missing:
        raise ConfigError(f"validate.targets: no target for pattern {missing[0]!r}")
    return Settings(
        **{k: getattr(scalars, k) for k in SCALAR_KEYS},
        targets=targets,
        known_failures={n: KnownFailure(n, *rp) for n, rp in KNOWN_FAILURES.items()},
    )


def _target(entry: Any, where: str, patterns: Collection[str]) -> Target:
    if not isinstance(entry, Mapping):
        raise ConfigError(f"{where} = {entry!r}: expected a mapping")
    name = entry.get("name")
    if name not in patterns:
        raise ConfigError(f"{where}.name = {name!r}: unknown pattern")
    if not entry.get("source") or not entry.get("target"):
        raise ConfigError(f"{where}: needs a target and a source")
    extra = set(entry) - set(Target.__dataclass_fields__)
    if extra:
        raise ConfigError(f"{where}.{sorted(extra)[0]}: unknown key")
    bounds: dict[str, float | None] = {}
    for key in ("low", "high"):
        value = entry.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ConfigError(f"{where}.{key} = {value!r}: expected a number")
        bounds[key] = None if value is None else float(value)
    return Target(
        name=str(name),
        target=str(entry["target"]),
        source=str(entry["source"]),
        low=bounds["low"],
        high=bounds["high"],
        months=tuple(int(m) for m in entry.get("months") or ()),
        peak_months=tuple(int(m) for m in entry.get("peak_months") or ()),
        years=tuple(int(y) for y in entry.get("years") or ()),
    )


def table_destination(s: Settings) -> Path | None:
    """Where ``validate.output`` asks for the table, checked before any work (None: nowhere).

    A relative path is taken from the current folder; its folder must exist and be writable
    (``validate.output=docs/validation.md`` writes the committed table from the repository's
    root, and is refused anywhere else).

    Raises
    ------
    ConfigError
        When the folder does not exist or cannot be written, or the path is a folder.
    """
    if not s.output:
        return None
    path = Path(s.output)
    where = f"validate.output = {s.output!r}"
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ConfigError(f"{where}: is a folder; name the Markdown file to write")
    if not folder.is_dir():
        raise ConfigError(
            f"{where}: folder {str(folder)!r} does not exist in {os.getcwd()} (a relative "
            "path is taken from the current folder; the committed table is written from the "
            "repository's root)"
        )
    if not os.access(folder, os.W_OK):
        raise ConfigError(f"{where}: folder {str(folder)!r} is not writable")
    return path
