"""Stops a signal asks for (Ctrl-C, SIGTERM), kept until the command honours them.

A signal's handler raises its exception wherever the main thread happens to be. Code that
swallows every exception at that point (C code probing an attribute, for one) would lose it,
and the command would run on to the end. The ``resim`` command's handlers also note the stop
here, and the command raises it again at its next check (:func:`honour`): after each run's
result and before it reports success.
"""

from __future__ import annotations

_ASKED: list[type[BaseException]] = []


def ask(stop: type[BaseException]) -> None:
    """Note that a signal asked the command to stop with ``stop`` (its exception class)."""
    _ASKED.append(stop)


def clear() -> None:
    """Forget earlier stops (a command starting in a process that ran another)."""
    _ASKED.clear()


def honour() -> None:
    """Raise the stop a signal asked for, if any: its exception may have been lost."""
    if _ASKED:
        raise _ASKED[-1]()
