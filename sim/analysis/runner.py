"""Independent runs, streamed to Parquet shards as they finish, resumable.

A :class:`RunTask` is one simulation: a complete, validated-on-arrival configuration
(plain containers), labels (package, replicate, sample point …) and whether to keep its
monthly series. :func:`run_task` is the worker function every executor calls.
:class:`ShardStore` writes results to ``shards/`` in the output folder in small atomic batches;
a task whose result is in a shard is never run again, so an interrupted experiment resumes
where it stopped.
"""

from __future__ import annotations

import copy
import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from sim.analysis.executor import Executor
from sim.analysis.outcomes import run_values
from sim.config import ConfigError, ModelConfig, build, check_consistency
from sim.results import atomic_write


@dataclass(frozen=True)
class RunTask:
    """One simulation of an experiment."""

    key: str
    config: dict[str, Any]
    labels: dict[str, Any] = field(default_factory=dict)
    series: bool = False
    shocks: bool = False


def replicate_seeds(seed: int, replicates: int) -> list[int]:
    """Seeds of ``replicates`` replicates, spawned from the root ``seed`` (63-bit integers)."""
    children = np.random.SeedSequence(seed).spawn(replicates)
    return [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]


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


def run_task(task: RunTask) -> dict[str, Any]:
    """Run one task; return its outcome row (and monthly series if asked)."""
    from sim.model import ResilienceModel

    cfg = build(ModelConfig, task.config)
    check_consistency(cfg)
    model = ResilienceModel(cfg, check=False, record=task.series)  # outcomes need no series
    model.run()
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
        assert model.recorder is not None
        series = model.recorder.frame(model.world)
        for k, v in reversed(task.labels.items()):
            series.insert(0, k, v)
    shocks = None
    if task.shocks:
        log = model.world.shocks.log
        shocks = log.assign(**{k: v for k, v in task.labels.items()})
    return {"key": task.key, "row": row, "series": series, "shocks": shocks}


def fingerprint(tasks: list[RunTask]) -> str:
    """A hash of an experiment's tasks: a resumed experiment must be the same experiment."""
    h = hashlib.sha256()
    for t in tasks:
        h.update(
            json.dumps(
                [t.key, t.config, t.labels, t.series, t.shocks], sort_keys=True, default=str
            ).encode()
        )
    return h.hexdigest()[:16]


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
            atomic_write(
                manifest, lambda p: Path(p).write_text(json.dumps({"fingerprint": fingerprint}))
            )
        self.flush_every = flush_every
        self.flush_seconds = flush_seconds
        self._rows: list[dict] = []
        self._series: list[pd.DataFrame] = []
        self._shocks: list[pd.DataFrame] = []
        self._last = time.monotonic()
        self._count = len(list(self.dir.glob("outcomes-*.parquet")))

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
            atomic_write(
                self.dir / f"series-{n:05d}.parquet", lambda p: series.to_parquet(p, index=False)
            )
        if self._shocks:
            shocks = pd.concat(self._shocks, ignore_index=True)
            atomic_write(
                self.dir / f"shocks-{n:05d}.parquet", lambda p: shocks.to_parquet(p, index=False)
            )
        rows = pd.DataFrame(self._rows)
        atomic_write(
            self.dir / f"outcomes-{n:05d}.parquet", lambda p: rows.to_parquet(p, index=False)
        )
        self._count += 1
        self._rows, self._series, self._shocks = [], [], []
        self._last = time.monotonic()

    def outcomes(self) -> pd.DataFrame:
        """Every stored outcome row."""
        paths = sorted(self.dir.glob("outcomes-*.parquet"))
        return (
            pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)
            if paths
            else pd.DataFrame()
        )

    def series(self, kind: str = "series") -> pd.DataFrame:
        """Every stored table of ``kind`` (``series``, ``shocks``) whose outcome rows are stored."""
        done = {p.name.split("-")[1] for p in self.dir.glob("outcomes-*.parquet")}
        paths = sorted(
            p for p in self.dir.glob(f"{kind}-*.parquet") if p.name.split("-")[1] in done
        )
        return (
            pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)
            if paths
            else pd.DataFrame()
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
    from sim.analysis.executor import make_executor

    store = ShardStore(
        folder, fingerprint(tasks), flush_every=executor.get("flush_every", flush_every)
    )
    ex = make_executor(
        executor["name"], workers=executor.get("workers", 0), address=executor.get("address")
    )
    started = time.perf_counter()
    try:
        run_tasks(tasks, store, ex, progress=progress)
    finally:
        ex.close()
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
    finally:
        store.flush()
        bar.close()
