"""One interface to run independent tasks: serially, on local processes, or on Dask.

``Executor.map(fn, tasks)`` yields ``(task, result)`` pairs as tasks finish, in any order.
Results never depend on the executor or the number of workers: each task carries its own
seed and configuration. Select with ``executor=serial|processes|dask`` (``conf/executor``).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, override

from sim.threads import worker_init


class Executor:
    """Runs ``fn(task)`` for every task and yields results as they complete."""

    name = "base"

    def map(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
        """Yield ``(task, fn(task))`` for every task, in completion order."""
        raise NotImplementedError

    def close(self) -> None:
        """Release workers."""


class SerialExecutor(Executor):
    """In the calling process, one task after the other."""

    name = "serial"

    @override
    def map(self, fn, tasks):
        for task in tasks:
            yield task, fn(task)


class ProcessExecutor(Executor):
    """Local worker processes (``spawn``: clean interpreters, no inherited state).

    Each worker limits BLAS to one thread when it starts (:mod:`sim.threads`).

    Parameters
    ----------
    workers
        Number of processes; 0 means one per core.
    """

    name = "processes"

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    @override
    def map(self, fn, tasks):
        if self._pool is None:
            ctx = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=ctx, initializer=worker_init
            )
        pending: dict[Any, Any] = {}
        it = iter(tasks)
        limit = 4 * self.workers  # bounded queue: results are streamed, not hoarded
        for task in it:
            pending[self._pool.submit(fn, task)] = task
            if len(pending) >= limit:
                yield from self._drain(pending, wait_all=False)
        while pending:
            yield from self._drain(pending, wait_all=False)

    @staticmethod
    def _drain(pending: dict, *, wait_all: bool):
        done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for fut in done:
            task = pending.pop(fut)
            yield task, fut.result()

    @override
    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class DaskExecutor(Executor):
    """A Dask distributed cluster: ``address`` of a scheduler, or a local cluster.

    Parameters
    ----------
    address
        ``tcp://host:port`` of a running scheduler; None starts a local cluster.
    workers
        Workers of the local cluster (0: one per core); ignored with an address.
    """

    name = "dask"

    def __init__(self, address: str | None = None, workers: int = 0) -> None:
        from dask.distributed import Client, LocalCluster

        if address:
            self.client = Client(address)
            self.cluster = None
        else:
            n = workers or os.cpu_count() or 1
            self.cluster = LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
            )
            self.client = Client(self.cluster)
        self.client.run(worker_init)  # one BLAS thread in every worker (sim.threads)

    @override
    def map(self, fn, tasks):
        from dask.distributed import as_completed

        futures = {}
        for task in tasks:
            futures[self.client.submit(fn, task, pure=False)] = task
        for fut in as_completed(list(futures)):
            yield futures[fut], fut.result()

    @override
    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_executor(name: str, *, workers: int = 0, address: str | None = None) -> Executor:
    """The executor called ``name`` (``serial``, ``processes`` or ``dask``)."""
    if name == "serial":
        return SerialExecutor()
    if name == "processes":
        return ProcessExecutor(workers)
    if name == "dask":
        return DaskExecutor(address, workers)
    raise ValueError(f"executor = {name!r}: unknown (allowed: serial, processes, dask)")
