"""Declaring typed, validated configuration: :func:`param`, :func:`config`, :func:`build`.

A config group is a frozen dataclass decorated with :func:`config` whose fields declare
their type and valid range with :func:`param` (nested groups with ``field(metadata={})``)::

    @config
    class ClimateConfig:
        rain_mean_mm: float = param(0, 5000, lo_open=True)
        rain_cv: float = param(0, 2)

:func:`config` is a :func:`typing.dataclass_transform`: a type checker knows that
``param(...)`` gives no default, so it checks every field's type where the class is built
or read. :func:`build` turns plain containers (what Hydra composes) into the dataclass,
checking every value; bad input raises :class:`ConfigError` with one line naming the
parameter, the value given and what is allowed.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, dataclass_transform, overload

WEALTH_GROUPS: tuple[str, ...] = ("very_poor", "poor", "middle", "better_off")
"""HEA wealth groups, in the order of every per-group list in ``conf/``."""


def conf_dir() -> Path:
    """The folder of the packaged Hydra configs (``sim/conf`` when installed, else ``conf/``)."""
    here = Path(__file__).resolve().parent
    packaged = here / "conf"
    return packaged if packaged.is_dir() else here.parent / "conf"


def experiments_dir() -> Path:
    """The folder of the named studies (``sim/experiments`` when installed, else ``experiments/``)."""
    here = Path(__file__).resolve().parent
    packaged = here / "experiments"
    return packaged if packaged.is_dir() else here.parent / "experiments"


class ConfigError(ValueError):
    """A configuration value is missing, unknown, of the wrong type or out of range."""


def param(
    lo: float | None = None,
    hi: float | None = None,
    *,
    length: int | None = None,
    choices: tuple[Any, ...] | None = None,
    lo_open: bool = False,
) -> Any:
    """Declare a config field with its valid range.

    Parameters
    ----------
    lo, hi
        Inclusive bounds (``lo`` exclusive when ``lo_open``); for lists, bounds of each item.
    length
        Required length of a list field (4 for wealth groups, 12 for months).
    choices
        Allowed values of a string field.
    """
    return field(
        metadata={"lo": lo, "hi": hi, "length": length, "choices": choices, "lo_open": lo_open}
    )


@overload
def config[T](cls: type[T], /) -> type[T]: ...


@overload
def config[T](*, kw_only: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(param, field))
def config[T](
    cls: type[T] | None = None, /, *, kw_only: bool = False
) -> type[T] | Callable[[type[T]], type[T]]:
    """Make ``cls`` a frozen config dataclass whose :func:`param` fields have no default.

    ``@config`` or ``@config(kw_only=True)`` (fields given by name only, so that fields
    with defaults may come first).
    """

    def make(c: type[T]) -> type[T]:
        return dataclass(frozen=True, kw_only=kw_only)(c)

    return make if cls is None else make(cls)


_HINTS: dict[type, dict[str, Any]] = {}
"""Resolved field types by dataclass (resolving them compiles every annotation: milliseconds)."""


def _type_hints(cls: type) -> dict[str, Any]:
    """The resolved field types of ``cls``, once per class."""
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def build[T](cls: type[T], data: Mapping[str, Any], prefix: str = "") -> T:
    """Build the frozen dataclass ``cls`` from ``data``, checking every field.

    Parameters
    ----------
    cls
        A dataclass declared with :func:`param` fields (or nested dataclasses).
    data
        Mapping of field name to value.
    prefix
        Dotted path of ``data`` in the whole config, for error messages.
    """
    if not isinstance(data, Mapping):
        where = prefix.rstrip(".") or "config"
        raise ConfigError(f"{where} = {data!r}: expected a mapping of parameters")
    hints = _type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key in data:
        if key not in fields:
            raise ConfigError(unknown_message(f"{prefix}{key}", key, tuple(fields), is_key=True))
    values = {}
    for name, f in fields.items():
        path = f"{prefix}{name}"
        if name not in data:
            if f.default is not dataclasses.MISSING:
                continue
            raise ConfigError(f"{path}: missing (required parameter)")
        tp = hints[name]
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            values[name] = build(tp, data[name], prefix=f"{path}.")
        else:
            values[name] = coerce(data[name], tp, path, f.metadata)
    return cls(**values)


def to_dict(obj: Any) -> Any:
    """Turn a config dataclass back into plain containers (lists, not tuples)."""
    if dataclasses.is_dataclass(obj):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, tuple):
        return [to_dict(v) for v in obj]
    return obj


def coerce(value: Any, tp: Any, path: str, meta: Mapping[str, Any] | None = None) -> Any:
    """``value`` checked against type ``tp`` and the field metadata ``meta`` (see :func:`param`).

    Raises
    ------
    ConfigError
        When the value has the wrong type or lies outside its range.
    """
    meta = meta or {}
    origin = typing.get_origin(tp)
    if origin is tuple:
        (item_tp, _) = typing.get_args(tp)
        if isinstance(item_tp, type) and dataclasses.is_dataclass(item_tp):
            if not isinstance(value, list | tuple):
                raise ConfigError(f"{path} = {value!r}: expected a list of entries")
            return tuple(build(item_tp, v, prefix=f"{path}[{i}].") for i, v in enumerate(value))
        if not isinstance(value, list | tuple):
            raise ConfigError(f"{path} = {value!r}: expected a list of {item_tp.__name__}")
        n = meta.get("length")
        if n is not None and len(value) != n:
            what = {
                4: " (one per wealth group: " + ", ".join(WEALTH_GROUPS) + ")",
                12: " (Jan..Dec)",
            }
            raise ConfigError(
                f"{path} = {list(value)!r}: expected {n} values{what.get(n, '')}, got {len(value)}"
            )
        return tuple(coerce(v, item_tp, f"{path}[{i}]", meta) for i, v in enumerate(value))
    if isinstance(tp, types.UnionType):
        raise TypeError(f"unsupported config type for {path}: {tp}")
    if tp is str and value is None:
        value = ""
    if meta.get("choices") and tp is not str:
        raise TypeError(f"choices are only for string parameters ({path})")
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{path} = {value!r}: expected true or false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{path} = {value!r}: expected an integer")
        if isinstance(value, float) and not value.is_integer():
            raise ConfigError(f"{path} = {value!r}: expected an integer")
        value = int(value)
    elif tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{path} = {value!r}: expected a number")
        value = float(value)
        if not math.isfinite(value):
            raise ConfigError(f"{path} = {value!r}: expected a finite number")
    elif tp is str:
        if not isinstance(value, str):
            raise ConfigError(f"{path} = {value!r}: expected a string")
        choices = meta.get("choices")
        if choices and value not in choices:
            raise ConfigError(unknown_message(path, value, choices))
        return value
    _check_range(value, path, meta)
    return value


def _check_range(value: float, path: str, meta: Mapping[str, Any]) -> None:
    lo, hi, lo_open = meta.get("lo"), meta.get("hi"), meta.get("lo_open", False)
    too_low = lo is not None and (value <= lo if lo_open else value < lo)
    too_high = hi is not None and value > hi
    if too_low or too_high:
        left = "(" if lo_open else "["
        lo_s = "-inf" if lo is None else f"{lo:g}"
        hi_s = "inf" if hi is None else f"{hi:g}"
        raise ConfigError(f"{path} = {value!r}: must be in {left}{lo_s}, {hi_s}]")


def unknown_message(
    path: str, value: Any, allowed: tuple[str, ...], *, is_key: bool = False
) -> str:
    """The one-line message for an unknown name: the closest allowed ones, then all of them.

    ``is_key``: ``path`` is an unknown parameter name, else ``value`` an unknown option.
    """
    close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    if is_key:
        return f"{path}: unknown parameter{hint} (allowed: {', '.join(allowed)})"
    return f"{path} = {value!r}: unknown{hint} (allowed: {', '.join(map(str, allowed))})"
