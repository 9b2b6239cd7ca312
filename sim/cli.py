"""The ``resim`` command: a Hydra app over the same code as :func:`sim.simulate`.

``resim`` (no arguments) runs the main job on the embedded Bandiagara default;
``resim task=run population.households=3000 years=10 seed=1`` runs one simulation and writes
its files in the Hydra output folder (``hydra.run.dir=…`` moves it).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from sim.api import conf_dir
from sim.config import ConfigError, build_run_config
from sim.results import run_model


def run_task(cfg: DictConfig) -> Path:
    """Validate the composed config, run the task and write its outputs; return the folder."""
    run = build_run_config(OmegaConf.to_container(cfg, resolve=True))  # type: ignore[arg-type]
    out = Path(HydraConfig.get().runtime.output_dir)
    results = run_model(run.model, progress=run.progress)
    if run.write:
        results.write(out, figures=True)
    s = results.summary
    print(
        f"resim: {s['households']} households ({s['targeted']} targeted, "
        f"{s['groups']} CdR groups), "
        f"{run.model.years} years from {run.model.start_year}, seed {run.model.seed}: "
        f"run in {s['timing_s']['run']:.2f} s"
    )
    if run.write:
        print(f"resim: wrote {out}/")
        print(
            "  timeseries.parquet  households.parquet  shocks.parquet  resilience.parquet\n"
            "  config.yaml  overview.png  summary.json"
        )
    return out


@hydra.main(config_path=str(conf_dir()), config_name="config", version_base="1.3")
def _app(cfg: DictConfig) -> None:
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    try:
        run_task(cfg)
    except ConfigError as err:
        print(f"resim: error: {err}", file=sys.stderr)
        sys.exit(2)


def main() -> None:
    """Entry point of the ``resim`` console script and of ``python -m sim``."""
    _app()


if __name__ == "__main__":
    main()
