"""Independent runs, streamed to Parquet shards as they finish, resumable.

A :class:`RunTask` is one simulation: a complete, validated-on-arrival configuration
(plain containers), labels (package, replicate, sample point …), whether to keep its
monthly series and shock log, and optionally an observer that follows it month by month
(the validation's). :func:`run_task` is the one worker function every executor calls, for
every experiment. :class:`ShardStore` writes results to ``shards/`` in the output folder in
small atomic batches; a task whose result is in a shard is never run again, so an
interrupted experiment resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd
from tqdm import tqdm

from sim import stops
from sim.analysis.executor import Executor
from sim.analysis.outcomes import run_values
from sim.config import ConfigError, ModelConfig, build, check_consistency
from sim.io import atomic_write, write_json, write_parquet

if TYPE_CHECKING:
    from sim.model import ResilienceModel


class Observer(Protocol):
    """Follows a run: ``record()`` after every month, ``result()`` once at the end.

    The result must be picklable (it travels back from a worker and is stored in a shard).
    """

    def record(self) -> None:
        """Record the month just simulated."""

    def result(self) -> dict[str, Any]:
        """What was observed."""
        ...


ObserverFactory = Callable[["ResilienceModel", dict[str, Any]], Observer]
"""Makes the observer of a run from the model (before its first month) and the task's labels.

A module-level function, so that it pickles by name to the workers.
"""


@dataclass(frozen=True)
class RunTask:
    """One simulation of an experiment.

    Attributes
    ----------
    key
        Unique within the experiment (``package/replicate``, ``point/replicate`` …).
    config
        The model configuration, plain containers, seed included.
    labels
        Copied into the outcome row (and the series and shocks).
    series, shocks
        Keep the monthly series, the shock log.
    observer
        Follows the run month by month (:class:`Observer`); its result is stored too.
    """

    key: str
    config: dict[str, Any]
    labels: dict[str, Any] = field(default_factory=dict)
    series: bool = False
    shocks: bool = False
    observer: ObserverFactory | None = None


def replicate_seeds(seed: int, replicates: int) -> list[int]:
    """Seeds of ``replicates`` replicates, spawned from the root ``seed`` (63-bit integers)."""
    children = np.random.SeedSequence(seed).spawn(replicates)
    return [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]


def run_task(task: RunTask) -> dict[str, Any]:
    """Run one task; return its outcome row (and monthly series if asked)."""
    from sim.model import ResilienceModel

    cfg = build(ModelConfig, task.config)
    check_consistency(cfg)
    # outcomes need no monthly indicators: recorded for a series or an observer only
    model = ResilienceModel(cfg, check=False, record=task.series or task.observer is not None)
    observer = task.observer(model, task.labels) if task.observer is not None else None
    for _ in range(cfg.months):
        model.step()
        if observer is not None:
            observer.record()
    episodes = model.resilience.episodes()
    outcomes = model.outcomes.summary(model.pop, episodes)
    row = {"key": task.key, **task.labels, "seed": cfg.seed}
    row.update(run_values(outcomes))
    row["cost_fcfa"] = outcomes["cost_fcfa"]
    row["households"] = outcomes["households"]
    for year, share in enumerate(outcomes["still_out_of_poverty"]):
        row[f"still_out_{year}"] = share
    series = None
    if task.series:
        series = model.recorder.frame(model.world)
        for k, v in reversed(task.labels.items()):
            series.insert(0, k, v)
    shocks = None
    if task.shocks:
        log = model.world.shocks.log
        shocks = log.assign(**{k: v for k, v in task.labels.items()})
    observation = None
    if observer is not None:
        observation = {"key": task.key, **task.labels, **observer.result()}
    return {
        "key": task.key,
        "row": row,
        "series": series,
        "shocks": shocks,
        "observation": observation,
    }


def fingerprint(tasks: list[RunTask]) -> str:
    """A hash of an experiment's tasks: a resumed experiment must be the same experiment."""
    h = hashlib.sha256()
    for t in tasks:
        h.update(
            json.dumps(
                [t.key, t.config, t.labels, t.series, t.shocks, _name(t.observer)],
                sort_keys=True,
                default=str,
            ).encode()
        )
    return h.hexdigest()[:16]


def _name(fn: Callable[..., Any] | None) -> str | None:
    return None if fn is None else f"{fn.__module__}.{fn.__qualname__}"


SHARD_KINDS: tuple[tuple[str, str], ...] = (
    ("series", "parquet"),
    ("shocks", "parquet"),
    ("observations", "pkl"),
)
"""Shards a flush writes before its outcomes shard (kind, file suffix)."""


class ShardStore:
    """Results of an experiment in ``<folder>/shards/``, written in atomic batches.

    Parameters
    ----------
    folder
        The experiment's output folder.
    fingerprint
        Hash of the experiment; an existing folder of another experiment is refused.
    flush_every, flush_seconds
        Write a shard once this many results are waiting, or this long after the last one.
    """

    def __init__(
        self, folder: Path, fingerprint: str, *, flush_every: int = 16, flush_seconds: float = 10.0
    ):
        self.dir = Path(folder) / "shards"
        self.dir.mkdir(parents=True, exist_ok=True)
        manifest = self.dir / "manifest.json"
        if manifest.exists():
            found = json.loads(manifest.read_text()).get("fingerprint")
            if found != fingerprint:
                raise ConfigError(
                    f"output folder {folder} holds another experiment (fingerprint {found}, "
                    f"this one {fingerprint}); choose another hydra.run.dir"
                )
        else:
            write_json(manifest, {"fingerprint": fingerprint})
        self.flush_every = flush_every
        self.flush_seconds = flush_seconds
        self._rows: list[dict] = []
        self._series: list[pd.DataFrame] = []
        self._shocks: list[pd.DataFrame] = []
        self._observations: list[dict[str, Any]] = []
        self._last = time.monotonic()
        self._discard_unfinished()
        self._count = len(list(self.dir.glob("outcomes-*.parquet")))
        self._order: dict[str, int] = {}
        self._label_names: list[str] = []
        self._label_order: dict[tuple[Any, ...], int] = {}

    def _discard_unfinished(self) -> None:
        """Remove what a flush that did not finish left: shards without outcomes, temporaries.

        A flush writes its series, shocks and observations before its outcomes, which mark it
        complete. A command killed between them leaves shards no completed flush owns, and the
        next flush of that number need not write them all again (a batch without shocks), so
        they would be read as its own. The folder's lock keeps other writers out.
        """
        done = self._flushed()
        for kind, suffix in SHARD_KINDS:
            for path in self.dir.glob(f"{kind}-*.{suffix}"):
                if path.stem.split("-")[1] not in done:
                    path.unlink()
        for path in self.dir.glob(".*.tmp"):  # a write killed before its rename
            path.unlink()

    def _flushed(self) -> set[str]:
        """Numbers of the completed flushes (their outcomes shard exists)."""
        return {p.stem.split("-")[1] for p in self.dir.glob("outcomes-*.parquet")}

    def done(self) -> set[str]:
        """Keys of the tasks whose results are stored."""
        keys: set[str] = set()
        for path in self.dir.glob("outcomes-*.parquet"):
            keys.update(pd.read_parquet(path, columns=["key"])["key"])
        return keys

    def add(self, result: dict[str, Any]) -> None:
        """Buffer one result; write a shard when the batch is full or old enough."""
        self._rows.append(result["row"])
        if result["series"] is not None:
            self._series.append(result["series"])
        if result.get("shocks") is not None:
            self._shocks.append(result["shocks"])
        if result.get("observation") is not None:
            self._observations.append(result["observation"])
        if (
            len(self._rows) >= self.flush_every
            or time.monotonic() - self._last > self.flush_seconds
        ):
            self.flush()

    def flush(self) -> None:
        """Write the buffered results as one shard (series first: the outcomes mark completion)."""
        if not self._rows:
            return
        n = self._count
        if self._series:
            series = pd.concat(self._series, ignore_index=True)
            write_parquet(self.dir / f"series-{n:05d}.parquet", series)
        if self._shocks:
            shocks = pd.concat(self._shocks, ignore_index=True)
            write_parquet(self.dir / f"shocks-{n:05d}.parquet", shocks)
        if self._observations:
            observations = self._observations
            atomic_write(
                self.dir / f"observations-{n:05d}.pkl",
                lambda p: Path(p).write_bytes(pickle.dumps(observations, protocol=5)),
            )
        rows = pd.DataFrame(self._rows)
        write_parquet(self.dir / f"outcomes-{n:05d}.parquet", rows)
        self._count += 1
        self._rows, self._series, self._shocks, self._observations = [], [], [], []
        self._last = time.monotonic()

    def plan(self, tasks: list[RunTask]) -> None:
        """The experiment's tasks, in the order its tables are read back (see :meth:`outcomes`)."""
        self._order = {t.key: i for i, t in enumerate(tasks)}
        self._label_names = sorted(tasks[0].labels) if tasks else []
        self._label_order = {
            tuple(t.labels.get(n) for n in self._label_names): i for i, t in enumerate(tasks)
        }

    def outcomes(self) -> pd.DataFrame:
        """Every stored outcome row, in the order of the tasks (whatever order they finished in)."""
        paths = sorted(self.dir.glob("outcomes-*.parquet"))
        rows = (
            pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)
            if paths
            else pd.DataFrame()
        )
        if rows.empty or not self._order:
            return rows
        position = rows["key"].map(self._order)
        return rows.iloc[np.argsort(position.to_numpy(), kind="stable")].reset_index(drop=True)

    def series(self, kind: str = "series") -> pd.DataFrame:
        """Every stored table of ``kind`` (``series``, ``shocks``) whose outcome rows are stored.

        Rows come in the order of the tasks (a task's own rows in their order), so the same
        experiment gives the same table on any executor and after any resume.
        """
        paths = self._complete(kind, "parquet")
        frame = (
            pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)
            if paths
            else pd.DataFrame()
        )
        if frame.empty or not self._label_order:
            return frame
        names = self._label_names
        if not all(n in frame.columns for n in names):
            return frame
        keys = zip(*(frame[n].tolist() for n in names), strict=True)
        position = [self._label_order.get(tuple(k), -1) for k in keys]
        order = np.argsort(np.asarray(position), kind="stable")
        return frame.iloc[order].reset_index(drop=True)

    def observations(self) -> list[dict[str, Any]]:
        """Every stored observation (of tasks with an observer), in the order of the tasks."""
        out: list[dict[str, Any]] = []
        for path in self._complete("observations", "pkl"):
            out.extend(pickle.loads(path.read_bytes()))
        return sorted(out, key=lambda o: self._order.get(o["key"], -1))

    def _complete(self, kind: str, suffix: str) -> list[Path]:
        """Shards of ``kind`` written by a completed flush (its outcomes shard exists)."""
        done = self._flushed()
        return sorted(
            p for p in self.dir.glob(f"{kind}-*.{suffix}") if p.stem.split("-")[1] in done
        )


def execute(
    tasks: list[RunTask],
    folder: Path,
    executor: dict[str, Any],
    *,
    progress: bool = True,
    flush_every: int = 8,
) -> tuple[ShardStore, float]:
    """Run (or resume) ``tasks`` into ``folder``'s shards with the configured executor.

    Returns
    -------
    store, seconds
        The shard store holding every result, and the wall time of this call.
    """
    from sim.analysis.executor import make_executor, release

    store = ShardStore(
        folder, fingerprint(tasks), flush_every=executor.get("flush_every", flush_every)
    )
    store.plan(tasks)
    ex = make_executor(
        executor["name"], workers=executor.get("workers", 0), address=executor.get("address")
    )
    started = time.perf_counter()
    try:
        run_tasks(tasks, store, ex, progress=progress)
    except BaseException:  # interrupted or failed: end the workers now, not after their tasks
        ex.close(abort=True)
        raise
    release(ex)
    return store, time.perf_counter() - started


def run_tasks(
    tasks: list[RunTask], store: ShardStore, executor: Executor, *, progress: bool = True
) -> None:
    """Run every task not yet in ``store`` through ``executor``, storing results as they come."""
    done = store.done()
    todo: Iterable[RunTask] = [t for t in tasks if t.key not in done]
    todo = list(todo)
    bar = tqdm(
        total=len(tasks),
        initial=len(tasks) - len(todo),
        disable=not progress,
        unit="run",
        desc="runs",
    )
    try:
        for _, result in executor.map(run_task, todo):
            store.add(result)
            bar.update(1)
            stops.honour()  # a Ctrl-C or SIGTERM whose exception was lost on the way
    finally:
        store.flush()
        bar.close()
