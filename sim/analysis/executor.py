"""One interface to run independent tasks: serially, on local processes, or on Dask.

``Executor.map(fn, tasks)`` yields ``(task, result)`` pairs as tasks finish, in any order.
Results never depend on the executor or the number of workers: each task carries its own
seed and configuration. Select with ``executor=serial|processes|dask`` (``conf/executor``).

Workers live no longer than their parent: local worker processes ask the kernel for a
signal when their parent dies (Linux ``PR_SET_PDEATHSIG``) and watch its pid (elsewhere),
ignore Ctrl-C (the parent ends them: :meth:`Executor.close` with ``abort=True``), and are
started without re-importing the caller's ``__main__`` module, so a plain script may call
the API without an ``if __name__ == "__main__":`` guard.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import types
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, override

from sim.config import ConfigError
from sim.extras import installed, missing
from sim.threads import single_blas, worker_init


class Executor:
    """Runs ``fn(task)`` for every task and yields results as they complete."""

    name = "base"

    def map(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
        """Yield ``(task, fn(task))`` for every task, in completion order."""
        raise NotImplementedError

    def close(self, *, abort: bool = False) -> None:
        """Release workers; with ``abort``, end them at once (interrupted, failed)."""


PR_SET_PDEATHSIG = 1
"""``prctl`` option: the signal a process receives when its parent dies (Linux)."""

WATCHDOG_S = 1.0
"""How often a worker checks that its parent is alive where the kernel cannot tell it, s."""

CLOSE_TIMEOUT_S = 5
"""How long an interrupted run waits for each of its workers (or a Dask cluster) to end, s."""


def worker_count(workers: int) -> int:
    """Local worker processes for a ``workers`` setting: 0 means one per core."""
    return workers or os.cpu_count() or 1


def start_worker(parent: int) -> None:
    """Initializer of a local worker: it ends with ``parent`` and runs BLAS on one thread."""
    die_with_parent(parent)
    single_blas()


def die_with_parent(parent: int) -> None:
    """Make the calling (worker) process end when process ``parent`` ends, however it ends.

    Also ignores Ctrl-C (SIGINT): the parent sees it and ends its workers.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCHDOG_S)
    os._exit(1)


@contextlib.contextmanager
def main_module_hidden() -> Iterator[None]:
    """Start processes without them importing the caller's ``__main__`` again.

    ``spawn`` re-imports the main script in every worker, which re-runs a plain script's
    top level (and, if it starts an experiment, breaks the pool). The workers only need
    ``sim``: while this block starts them, ``__main__`` is an empty module.
    """
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


QUIET_TRACKER = "ignore:resource_tracker:UserWarning"
"""Warning filter of the multiprocessing resource tracker this module starts: when the main
process is killed (SIGKILL), the tracker frees the workers' semaphores, which is its job, and
would otherwise print a two-line warning about them after the shell's own message."""


@contextlib.contextmanager
def quiet_tracker() -> Iterator[None]:
    """Start the pool (and so its resource tracker) with :data:`QUIET_TRACKER` in its filters."""
    before = os.environ.get("PYTHONWARNINGS")
    os.environ["PYTHONWARNINGS"] = ",".join(w for w in (before, QUIET_TRACKER) if w)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PYTHONWARNINGS", None)
        else:
            os.environ["PYTHONWARNINGS"] = before


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
        self.workers = worker_count(workers)
        self._pool: ProcessPoolExecutor | None = None

    def start(self, imports: tuple[str, ...] = ()) -> None:
        """Start every worker now rather than at the first task (they take seconds to start).

        Each worker first imports the modules named in ``imports`` (those its tasks need).
        """
        pool = self._started()
        for _ in range(self.workers):
            with main_module_hidden():  # each submit starts a worker while none is idle
                pool.submit(imported, imports)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        """Run ``fn(*args)`` on a worker; its future."""
        pool = self._started()
        with main_module_hidden():
            return pool.submit(fn, *args)

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = multiprocessing.get_context("spawn")
            with quiet_tracker():
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=ctx,
                    initializer=start_worker,
                    initargs=(os.getpid(),),
                )
        return self._pool

    @override
    def map(self, fn, tasks):
        pool = self._started()
        pending: dict[Any, Any] = {}
        it = iter(tasks)
        limit = 4 * self.workers  # bounded queue: results are streamed, not hoarded
        for task in it:
            with main_module_hidden():  # submit starts a worker when one is needed
                pending[pool.submit(fn, task)] = task
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
    def close(self, *, abort: bool = False) -> None:
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        if abort:
            workers = list((getattr(pool, "_processes", None) or {}).values())
            results = getattr(pool, "_result_queue", None)
            manager = getattr(pool, "_executor_manager_thread", None)
            for p in workers:
                p.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            for p in workers:
                p.join(timeout=CLOSE_TIMEOUT_S)
            # A worker ended while sending a result leaves the pool's manager thread waiting
            # for the rest of the message, and the interpreter waits for that thread as it
            # exits. With every worker gone, closing this process's end of the pipe too gives
            # that read an end of file: the thread sees a broken pool and ends.
            if results is not None:
                with contextlib.suppress(OSError, AttributeError):
                    results._writer.close()
            if manager is not None:
                manager.join(timeout=CLOSE_TIMEOUT_S)
        else:  # the workers end in the background while the caller writes its tables; the
            # thread keeps the pool until they have (a pool dropped sooner waits for them)
            threading.Thread(target=pool.shutdown, kwargs={"cancel_futures": True}).start()


CONNECT_TIMEOUT_S = 10
"""How long a client waits for a Dask scheduler, s (it was reached once by the checks)."""


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

        self._futures: dict[Any, Any] = {}

        if address:
            self.client = Client(address, timeout=CONNECT_TIMEOUT_S)
            self.cluster = None
        else:
            n = worker_count(workers)
            # the workers' own warnings (a cancelled task, a closing comm) are noise here:
            # the run reports its own errors
            os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
            with main_module_hidden():
                self.cluster = LocalCluster(
                    n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
                )
            self.client = Client(self.cluster)
        self.client.run(worker_init)  # one BLAS thread in every worker (sim.threads)

    @override
    def map(self, fn, tasks):
        from dask.distributed import as_completed

        futures = self._futures
        for task in tasks:
            futures[self.client.submit(fn, task, pure=False)] = task
        for fut in as_completed(list(futures)):
            yield futures.pop(fut), fut.result()

    @override
    def close(self, *, abort: bool = False) -> None:
        if abort:
            with contextlib.suppress(Exception):
                self.client.cancel(list(self._futures))
        self.client.close(timeout=CLOSE_TIMEOUT_S if abort else None)
        if self.cluster is not None:
            self.cluster.close(timeout=CLOSE_TIMEOUT_S if abort else None)


_EARLY: list[ProcessExecutor] = []
"""Local workers started ahead of their experiment (:func:`start_early`), not yet taken."""


def start_early(workers: int = 0, imports: tuple[str, ...] = ()) -> None:
    """Start the local workers of an experiment ahead of it (``executor=processes``).

    The ``resim`` command calls it as soon as its input is known good, so that the workers'
    start (a fresh interpreter, the modules named in ``imports``) overlaps the rest of its
    preparation. The next :func:`make_executor` of ``processes`` with as many workers takes
    them; :func:`discard_early` ends them if none did.
    """
    discard_early()
    early = ProcessExecutor(workers)
    early.start(imports)
    _EARLY.append(early)


def imported(modules: tuple[str, ...]) -> int:
    """Import ``modules`` (in a worker, before its tasks); the worker's pid."""
    for name in modules:
        importlib.import_module(name)
    return os.getpid()


def discard_early(*, abort: bool = False) -> None:
    """End the workers started early or kept for later that nothing took.

    Those :func:`start_early` started if no experiment took them, and those an experiment
    left for later (:func:`keep_workers`) if nothing took them.
    """
    _KEEP.clear()
    while _EARLY:
        _EARLY.pop().close(abort=abort)
    while _KEPT:
        _KEPT.pop().close(abort=abort)


_KEEP: list[bool] = []
"""Set by :func:`keep_workers`: the next experiment's local workers outlive its runs."""

_KEPT: list[ProcessExecutor] = []
"""Local workers an experiment has finished with, kept for what its caller does next."""


def keep_workers() -> None:
    """Keep the next experiment's local workers once its runs are done (``executor=processes``).

    The ``resim`` command calls it before a comparison whose reports it writes in two
    languages: the second is drawn on a worker while the command draws the first.
    :func:`kept_workers` takes them; :func:`discard_early` ends them if nothing did.
    """
    _KEEP[:] = [True]


def release(executor: Executor) -> None:
    """End an experiment's executor whose runs are done, or keep it (:func:`keep_workers`)."""
    if _KEEP and isinstance(executor, ProcessExecutor):
        _KEEP.clear()
        while _KEPT:
            _KEPT.pop().close()
        _KEPT.append(executor)
        return
    executor.close()


def kept_workers() -> ProcessExecutor | None:
    """The local workers an experiment left (:func:`keep_workers`), or None; the caller ends them."""
    return _KEPT.pop() if _KEPT else None


def _take_early(workers: int) -> ProcessExecutor | None:
    """The workers started early, if there are ``workers`` of them (others are ended)."""
    if _EARLY and _EARLY[-1].workers == worker_count(workers):
        return _EARLY.pop()
    discard_early()
    return None


def make_executor(name: str, *, workers: int = 0, address: str | None = None) -> Executor:
    """The executor called ``name`` (``serial``, ``processes`` or ``dask``).

    ``processes`` takes the workers :func:`start_early` started, when they fit.
    """
    if name == "processes":
        return _take_early(workers) or ProcessExecutor(workers)
    discard_early()
    if name == "serial":
        return SerialExecutor()
    if name == "dask":
        if not installed("dask"):
            raise ConfigError(missing("executor = 'dask'", "dask"))
        return DaskExecutor(address, workers)
    raise ValueError(f"executor = {name!r}: unknown (allowed: serial, processes, dask)")
