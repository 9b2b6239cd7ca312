"""Hydra composition at the boundary: the packaged configs, composed into plain containers.

Everything that turns override strings into a composed configuration lives here, so the
Python API, the CLI and the checks share one way of doing it: :func:`conf_dir`,
:func:`register_experiments`, :func:`compose_config`, :func:`packages`, :func:`model_dict`, :func:`without_keys` and
:func:`set_path` (one parameter of a composed config changed).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable
from typing import Any

from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
from omegaconf import OmegaConf

from sim.config import BOUNDARY_KEYS, ConfigError, conf_dir, experiments_dir
from sim.errors import describe


def register_experiments() -> None:
    """Make every ``experiments/<name>.yaml`` the option ``<name>`` of the ``experiment`` group.

    The studies live in ``experiments/``, not under ``conf/``: they are put in Hydra's config
    store (``+experiment=<name>`` then finds them, in the app, the API and every launcher's
    workers, which receive the store with Hydra's state). Each file starts with
    ``# @package _global_``: its keys apply at the root. Registering again replaces.
    """
    store = ConfigStore.instance()
    for path in sorted(experiments_dir().glob("*.yaml")):
        store.store(
            group="experiment", name=path.stem, node=OmegaConf.load(path), package="_global_"
        )


def compose_config(*overrides: str) -> dict[str, Any]:
    """Compose ``conf/config.yaml`` with Hydra overrides; return plain resolved containers.

    Inside a running ``resim`` app Hydra is already initialised and is reused. A composition
    is kept for the process (by the search path of the configs and the overrides) and the
    same overrides get a fresh copy of it: composing takes about half a second, copying a
    millisecond. So the configurations the input checks compose are those the task runs,
    composed once.

    Raises
    ------
    ConfigError
        For an unknown parameter or group option, or malformed override syntax (Hydra's own
        errors, in one line: see :func:`sim.errors.describe`).
    """
    return copy.deepcopy(_compose_kept(search_path(), tuple(overrides)))


def search_path() -> tuple[tuple[str, str], ...]:
    """The config search path of the running Hydra app; empty outside one (the packaged configs)."""
    gh = GlobalHydra.instance()
    if not gh.is_initialized():
        return ()
    return tuple((e.provider, e.path) for e in gh.config_loader().get_search_path().get_path())


@functools.lru_cache(maxsize=256)
def _compose_kept(path: tuple[tuple[str, str], ...], overrides: tuple[str, ...]) -> dict[str, Any]:
    """A composition on search ``path``, kept for the process (never handed out)."""
    return _compose(overrides)


def _compose(overrides: tuple[str, ...]) -> dict[str, Any]:
    register_experiments()
    try:
        if GlobalHydra.instance().is_initialized():
            cfg = compose("config", overrides=list(overrides))
        else:
            with initialize_config_dir(config_dir=str(conf_dir()), version_base="1.3"):
                cfg = compose("config", overrides=list(overrides))
        data = OmegaConf.to_container(cfg, resolve=True)
    except Exception as err:
        text = None if isinstance(err, ConfigError) else describe(err, overrides)
        if text is None:
            raise
        raise ConfigError(text) from err
    assert isinstance(data, dict)
    data.pop("hydra", None)
    return {str(k): v for k, v in data.items()}


def packages() -> list[str]:
    """Names of the packages in ``conf/package`` (and, inside the app, on Hydra's search path)."""
    gh = GlobalHydra.instance()
    if gh.is_initialized():
        return sorted(gh.config_loader().get_group_options("package"))
    return sorted(p.stem for p in (conf_dir() / "package").glob("*.yaml"))


def model_dict(data: dict[str, Any]) -> dict[str, Any]:
    """The model part of a composed config (what a run needs), without the task options."""
    return {k: v for k, v in data.items() if k not in BOUNDARY_KEYS}


def without_keys(overrides: Iterable[str], *keys: str) -> list[str]:
    """``overrides`` less those setting one of ``keys`` (``+``/``~`` prefixes ignored)."""
    return [o for o in overrides if o.split("=", 1)[0].lstrip("+~") not in keys]


def set_path(config: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``config`` with the dotted ``path`` set to ``value`` (ints stay ints)."""
    out = copy.deepcopy(config)
    node = out
    *parents, last = path.split(".")
    for p in parents:
        if not isinstance(node, dict) or p not in node:
            raise ConfigError(f"{path}: unknown parameter")
        node = node[p]
    if last not in node:
        raise ConfigError(f"{path}: unknown parameter")
    if isinstance(node[last], bool):
        value = bool(value)
    elif isinstance(node[last], int):
        value = int(round(float(value)))
    node[last] = value
    return out
