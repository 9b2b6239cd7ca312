"""Child processes in tests: whether one has ended."""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection


def ended(process: multiprocessing.process.BaseProcess, timeout: float) -> bool:
    """Whether ``process`` exits within ``timeout`` seconds.

    Waits on the process's sentinel, which is ready once it has exited, whoever reaps it:
    a pool's own shutdown waits for the same child, and the one that does not reap it
    would see ``is_alive()`` true for a process that has ended.
    """
    return bool(multiprocessing.connection.wait([process.sentinel], timeout))
