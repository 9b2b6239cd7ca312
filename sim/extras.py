"""Optional parts of the package: which extra provides what, and the line when one is missing.

``pip install resim`` runs everything on one machine (``executor=serial|processes``, Hydra's
basic launcher). The optional executors and launchers come with extras:
``resim[dask]`` (``executor=dask``), ``resim[joblib]`` (``hydra/launcher=joblib``) and
``resim[slurm]`` (``hydra/launcher=submitit_slurm`` or ``submitit_local``).
"""

from __future__ import annotations

import importlib.util

EXTRAS: dict[str, str] = {
    "dask": "distributed",
    "joblib": "hydra_plugins.hydra_joblib_launcher",
    "slurm": "hydra_plugins.hydra_submitit_launcher",
}
"""Extra → the module it installs."""

LAUNCHERS: dict[str, str] = {
    "joblib": "joblib",
    "submitit_slurm": "slurm",
    "submitit_local": "slurm",
}
"""Hydra launcher (``hydra/launcher=<name>``) → the extra that provides it."""


def installed(extra: str) -> bool:
    """Whether the optional dependencies of ``resim[extra]`` are installed."""
    try:
        return importlib.util.find_spec(EXTRAS[extra]) is not None
    except ModuleNotFoundError:  # a missing parent package
        return False


def missing(setting: str, extra: str) -> str:
    """The one line for ``setting`` (``executor = 'dask'``) whose extra is not installed."""
    return (
        f"{setting}: needs the optional dependencies of resim[{extra}], not installed "
        f"(pip install 'resim[{extra}]'; in a checkout, uv sync --extra {extra})"
    )
