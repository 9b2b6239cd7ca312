"""The ``resim`` command: a Hydra app over the same code as :func:`sim.simulate`.

``resim`` (no arguments) runs the main job on the embedded Bandiagara default;
``resim task=run population.households=3000 years=10 seed=1`` runs one simulation and writes
its files in the Hydra output folder (``hydra.run.dir=…`` moves it).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from sim import api, errors
from sim.analysis.executor import discard_early, keep_workers, kept_workers, start_early
from sim.checks import EXPERIMENT_TASKS, experiment_of
from sim.compose import conf_dir, register_experiments
from sim.config import ConfigError, build_run_config
from sim.io import LOCK_NAME, forget_folder
from sim.ledger import InvariantError
from sim.threads import single_blas


def perform(cfg: DictConfig) -> Path:
    """Run the task of a composed config and write its outputs; return the folder.

    The input was checked before Hydra made the folder (:class:`sim.checks.CheckInput`);
    :func:`~sim.config.build_run_config` only turns the composed config into its dataclasses.
    """
    run = build_run_config(OmegaConf.to_container(cfg, resolve=True))  # type: ignore[arg-type]
    hc = HydraConfig.get()
    out = Path(hc.runtime.output_dir)
    overrides = tuple(hc.overrides.task)
    if run.task == "run":
        _single_run(run, out)
    elif run.task in ("compare", "report"):
        _compare_and_report(run, overrides, out, hc)
    elif run.task == "synergy":
        _, table = api.synergy(*overrides, output=out, progress=run.progress, say=_say)
        doses = (
            "  dose_effects.csv  synergy_doses.png" if (out / "dose_effects.csv").exists() else ""
        )
        _wrote(out, f"synergy.csv{doses}  comparison.csv  runs.parquet  summary.json")
    elif run.task == "sensitivity":
        res = api.sensitivity(*overrides, output=out, progress=run.progress, say=_say)
        for line in res["ranking"]:
            _say(line)
        tables = ["indices.csv", *(f"{k}.csv" for k in ("indices_s2", "synergies") if k in res)]
        figures = "  ".join(p.name for p in res.get("figures", []))
        _wrote(
            out, f"{'  '.join(tables)}  samples.parquet  runs.parquet  summary.json\n  {figures}"
        )
    elif run.task == "discover":
        res = api.discover(*overrides, output=out, progress=run.progress, say=_say)
        for line in res["lines"]:
            _say(line)
        figures = "  ".join(p.name for p in res.get("figures", []))
        _wrote(
            out,
            f"box.csv  peeling.csv  points.csv  samples.parquet  runs.parquet  summary.json\n  {figures}",
        )
    elif run.task == "collect":
        from sim.analysis.collect import collect
        from sim.io import write_parquet

        folder = experiment_of(run).collect.dir
        table = collect(folder)
        write_parquet(out / "sweep.parquet", table)
        skipped = table.attrs.get("skipped", [])
        _say(f"collected {len(table)} finished runs from {folder}; skipped {len(skipped)}")
        for job, reason in skipped:
            print(f"  skipped {job}: {reason}")
        _wrote(out, "sweep.parquet")
    elif run.task == "dashboard":
        from sim.dashboard import serve

        dashboard = experiment_of(run).dashboard
        serve(dashboard.host, dashboard.port)
    elif run.task == "validate":
        _validate(overrides, out, run.progress)
    return out


RUN_MODULES = ("sim.analysis.runner", "sim.model")
"""What a worker imports to run a task (:func:`sim.analysis.runner.run_task`)."""


def _perform_with_workers(cfg: DictConfig) -> Path:
    """:func:`perform`, an experiment's local workers started first (ended if left unused).

    The input was checked before this runs: the workers' start (seconds: a fresh interpreter,
    its imports, the compiled kernels) overlaps the rest of the task's preparation.
    """
    task = cfg.get("task")
    source = OmegaConf.select(cfg, "report.source", default="")
    experiment = task in EXPERIMENT_TASKS or (task == "report" and not source)
    if experiment and OmegaConf.select(cfg, "executor.name") == "processes":
        workers = int(OmegaConf.select(cfg, "executor.workers", default=0))
        start_early(workers, imports=RUN_MODULES)
    try:
        out = perform(cfg)
    except BaseException:
        discard_early(abort=True)
        raise
    discard_early()
    return out


def _compare_and_report(run, overrides: tuple[str, ...], out: Path, hc) -> None:
    """Compare, write the report(s), print the answers in a few lines.

    With ``report.source`` (``task=report``), report on that finished comparison instead.
    """
    from sim.i18n import Translator
    from sim.report import build_reports, headline_lines, languages

    exp = experiment_of(run)
    langs = languages(exp.report.lang)
    t = Translator(langs[0])
    source = Path(exp.report.source) if run.task == "report" and exp.report.source else None
    if source is None:
        if len(langs) > 1 and (os.cpu_count() or 1) > 1:
            keep_workers()  # the second report is drawn on a worker beside the first
        c = api.compare_run(run, overrides, output=out, progress=run.progress)
        s = c.summary
        seconds = t.number(s["wall_time_s"], 1)
        _say(
            t(
                "terminal.compared",
                packages=len(s["packages"]),
                replicates=s["replicates"],
                runs=s["runs"],
                seconds=seconds,
            )
        )
        source, target = out, out
    else:  # the folder was checked before any work (sim.checks.check_compare_folder)
        # the report goes next to its source, unless hydra.run.dir says where
        chosen = any(o.split("=", 1)[0].lstrip("+~") == "hydra.run.dir" for o in hc.overrides.hydra)
        target = out if chosen else source
    try:
        reports = build_reports(
            source,
            lang=exp.report.lang,
            output=target,
            studies=tuple(exp.report.studies),
            workers=kept_workers(),
        )
    except (KeyboardInterrupt, errors.Terminated) as stop:
        if source == out:  # the comparison itself is complete: only its reports are missing
            stop.add_note(errors.reports_missing(out))
        raise
    for line in headline_lines(source, langs[0]):
        _say(line)
    # one line for the report(s); the tables are beside them (README: Outputs)
    if len(reports) == 1:
        _say(t("terminal.report", path=reports[0]))
    else:
        paths = ", ".join([str(reports[0]), *(p.name for p in reports[1:])])
        _say(t("terminal.reports", paths=paths))


def _single_run(run, out: Path) -> None:
    from sim.results import run_model

    results = run_model(run.model, progress=run.progress)
    if run.write:
        results.write(out, figures=True)
    s = results.summary
    _say(
        f"{s['households']} households ({s['targeted']} targeted, {s['groups']} CdR groups), "
        f"package {s['package']}, shocks {s['shock_regime']}, {run.model.years} years from "
        f"{run.model.start_year}, seed {run.model.seed}: run in {s['timing_s']['run']:.2f} s"
    )
    if run.write:
        _wrote(
            out,
            "timeseries.parquet  households.parquet  shocks.parquet  resilience.parquet\n"
            "  config.yaml  overview.png  summary.json",
        )


def _validate(overrides: tuple[str, ...], out: Path, progress: bool) -> None:
    from sim.validation import validate

    v = validate(*overrides, output=out, progress=progress)
    _say(
        f"{v.summary['passed']} of {v.summary['patterns']} patterns pass "
        f"({v.summary['runs']} runs in {v.summary['wall_time_s']:.0f} s)"
    )
    if v.path is not None and v.path.parent != out:
        print(f"resim: wrote {v.path}")
    _wrote(out, "validation.md  validation.csv")


def _say(text: str) -> None:
    print(f"resim: {text}")


def _wrote(out: Path, files: str) -> None:
    print(f"resim: wrote {out}/")
    print(f"  {files}")


def _quiet(verbose: bool) -> None:
    """Libraries' INFO logs (Mesa, Dask, Solara's server and widgets) only when verbose."""
    level = logging.INFO if verbose else logging.WARNING
    for name in ("MESA", "distributed", "dask", "solara", "reacton"):
        logging.getLogger(name).setLevel(level)
    # Dask configures its loggers when it is imported (here and in its workers): tell it first
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "info" if verbose else "warning")


def _tidy(out: Path, *, strip: bool) -> None:
    """Leave no empty run folder behind.

    With ``strip`` (a task that writes no run record: ``task=report``, ``write=false``),
    Hydra's own files (``.hydra/``, an empty log) are removed first. A folder left empty is
    removed, and so are its parents left empty, up to the working directory.
    """
    if not out.is_dir():
        return
    if strip:
        shutil.rmtree(out / ".hydra", ignore_errors=True)
        for log in out.glob("*.log"):
            if log.stat().st_size == 0:
                log.unlink()
    if {p.name for p in out.iterdir()} <= {LOCK_NAME}:
        forget_folder(out)  # nothing written: give the folder up, lock and all
    cwd = Path.cwd().resolve()
    folder = out.resolve()
    while folder != cwd and not any(folder.iterdir()):
        folder.rmdir()
        if cwd not in folder.parents:
            break
        folder = folder.parent


@hydra.main(config_path=str(conf_dir()), config_name="config", version_base="1.3")
def _app(cfg: DictConfig) -> None:
    verbose = bool(cfg.get("verbose", False))
    _quiet(verbose)
    try:
        out = _perform_with_workers(cfg)
        sys.stdout.flush()
    except BrokenPipeError:  # before Hydra reports the job as failed
        errors.closed_pipe()
    except (ConfigError, InvariantError) as err:
        errors.fail(err, verbose=verbose)
    except OSError as err:  # Hydra's own errors are OSErrors too: only the machine's here
        if err.errno not in errors.WRITE_ERRNOS or not err.filename:
            raise
        errors.fail_write(err, verbose=verbose)
    _tidy(out, strip=cfg.get("task") in ("report", "dashboard") or not cfg.get("write", True))


def main() -> None:
    """Entry point of the ``resim`` console script and of ``python -m sim``.

    Bad input, Hydra's errors included, ends with one line and exit code 2 (see
    :mod:`sim.errors`). BLAS runs on one thread (:mod:`sim.threads`).
    """
    single_blas()
    register_experiments()
    errors.run_cli(_app)


if __name__ == "__main__":
    main()
