"""The Python interface: the same override strings as the CLI, the same code path."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf

from sim.config import RunConfig, build_run_config
from sim.results import Results, run_model


def conf_dir() -> Path:
    """The folder of the packaged Hydra configs (``sim/conf`` when installed, else ``conf/``)."""
    here = Path(__file__).resolve().parent
    packaged = here / "conf"
    return packaged if packaged.is_dir() else here.parent / "conf"


def compose_config(*overrides: str) -> dict[str, Any]:
    """Compose ``conf/config.yaml`` with Hydra overrides; return plain resolved containers."""
    with initialize_config_dir(config_dir=str(conf_dir()), version_base="1.3"):
        cfg = compose("config", overrides=list(overrides))
    return OmegaConf.to_container(cfg, resolve=True)  # type: ignore[return-value]


def load(*overrides: str) -> RunConfig:
    """Compose and validate a run configuration from override strings."""
    return build_run_config(compose_config(*overrides))


def simulate(*overrides: str, output: str | os.PathLike[str] | None = None) -> Results:
    """Run one simulation.

    Parameters
    ----------
    *overrides
        Hydra override strings, as on the command line
        (``"population.households=3000"``, ``"years=10"``, ``"seed=1"``).
    output
        Folder to write the run's files to; nothing is written when None.

    Returns
    -------
    Results
        ``timeseries``, ``households``, ``summary`` and ``config``.

    Examples
    --------
    >>> import sim
    >>> res = sim.simulate("population.households=300", "years=2")
    >>> sorted(res.timeseries["wealth_group"].unique())[:2]
    ['all', 'better_off']
    """
    run = load(*overrides)
    results = run_model(run.model, progress=False)
    if output is not None:
        results.write(output)
    return results
