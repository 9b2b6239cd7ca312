"""One BLAS thread per process.

The model's only BLAS calls are small matrix products (the indicators' group means). A
multithreaded BLAS starts one thread per core in every process; with one worker process per
core the threads fight for the same cores, which made a two-worker comparison three to five
times slower without changing a number. Every process the project starts (the ``resim``
command, each model built, the workers of every executor) therefore limits BLAS to one thread
with :mod:`threadpoolctl`. Results do not depend on it: the products are the same on one
thread.
"""

from __future__ import annotations

from threadpoolctl import threadpool_info, threadpool_limits

_LIMITED = False


def single_blas() -> None:
    """Limit every BLAS library loaded in this process to one thread (once per process).

    The limit applies to the libraries loaded when it is first set, so numpy's and scipy's
    are loaded first; later calls return at once (finding the libraries costs about 2 ms, too
    much for every model of a study).
    """
    global _LIMITED
    if _LIMITED:
        return
    import numpy  # noqa: F401  (loads numpy's BLAS)
    import scipy.linalg  # noqa: F401  (loads scipy's BLAS)

    threadpool_limits(limits=1, user_api="blas")
    _LIMITED = True


def blas_pools() -> list[dict]:
    """The BLAS thread pools loaded in this process (:func:`threadpoolctl.threadpool_info`)."""
    return [p for p in threadpool_info() if p.get("user_api") == "blas"]


def worker_init() -> None:
    """Initializer of executor worker processes: one BLAS thread."""
    single_blas()
