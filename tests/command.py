"""The ``resim`` command's entry point, called inside the test process.

Launching ``resim`` costs its imports every time. Tests about what the command answers to an
input (its exit code, its one line, the files it leaves) call :func:`sim.cli.main` here instead,
with the arguments, working folder and environment of a launch; the tests about the process
itself (signals, kills, worker processes, its streams, resource limits) launch it for real.
Whatever the command changes in the process (working folder, environment, signal handlers,
logging, Hydra's global state) is put back afterwards.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path


@dataclasses.dataclass(frozen=True)
class Completed:
    """What a finished command left: like :class:`subprocess.CompletedProcess`."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def resim(*args: str, cwd: Path, env: Mapping[str, str] | None = None) -> Completed:
    """Run ``resim *args`` from ``cwd`` (in ``env``, default this process's environment)."""
    import sim.cli

    out, err = io.StringIO(), io.StringIO()
    with _restored(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        os.chdir(cwd)
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        sys.argv = ["resim", *args]
        code = _exit_code(sim.cli.main)
    return Completed(["resim", *args], code, out.getvalue(), err.getvalue())


def resim_many(
    cases: Sequence[tuple[Sequence[str], Path, Mapping[str, str] | None]], processes: int = 2
) -> list[Completed]:
    """:func:`resim` on every ``(args, cwd, env)`` of ``cases``, shared by ``processes`` Python
    processes launched for them (each imports the command once), in the order of ``cases``."""
    shares = [list(range(len(cases)))[k::processes] for k in range(processes)]
    with tempfile.TemporaryDirectory() as tmp:
        launched = []
        for k, share in enumerate(shares):
            todo = [
                {"args": list(cases[i][0]), "cwd": str(cases[i][1]), "env": cases[i][2]}
                for i in share
            ]
            answer = Path(tmp) / f"share{k}.json"
            proc = subprocess.Popen(
                [sys.executable, __file__, str(answer)], stdin=subprocess.PIPE, text=True
            )
            launched.append((proc, answer, json.dumps(todo)))
        for proc, _, todo in launched:
            assert proc.stdin is not None
            proc.stdin.write(todo)
            proc.stdin.close()
        results: dict[int, Completed] = {}
        for (proc, answer, _), share in zip(launched, shares, strict=True):
            assert proc.wait(timeout=600) == 0
            for i, done in zip(share, json.loads(answer.read_text()), strict=True):
                results[i] = Completed(**done)
    return [results[i] for i in range(len(cases))]


def _exit_code(main) -> int:
    """The exit code of ``main()`` as the interpreter would give it."""
    try:
        main()
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)
        return 1
    except Exception:
        traceback.print_exc()  # an uncaught error: the interpreter prints it and exits 1
        return 1
    return 0


@contextlib.contextmanager
def _restored() -> Iterator[None]:
    """Put back the process state a command may change."""
    from hydra.core.global_hydra import GlobalHydra

    cwd, argv, environ = os.getcwd(), sys.argv[:], dict(os.environ)
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    hydra_was_initialized = GlobalHydra.instance().is_initialized()
    state = {
        name: (lg.level, lg.handlers[:], lg.propagate, lg.disabled)
        for name, lg in _loggers().items()
    }
    try:
        yield
    finally:
        os.chdir(cwd)
        sys.argv[:] = argv
        os.environ.clear()
        os.environ.update(environ)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        if not hydra_was_initialized:
            GlobalHydra.instance().clear()
        for name, lg in _loggers().items():
            level, kept, propagate, disabled = state.get(name, (lg.level, [], True, False))
            for handler in lg.handlers:
                if handler not in kept:  # the command's own (its log file): closed
                    handler.close()
            lg.handlers[:] = kept
            lg.propagate, lg.disabled = propagate, disabled
            lg.setLevel(level)


def _loggers() -> dict[str | None, logging.Logger]:
    """The root logger (as None) and every named logger made so far."""
    named = {
        name: logger
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    return {None: logging.getLogger(), **named}


if __name__ == "__main__":  # a share of resim_many's cases: JSON on stdin, answers into argv[1]
    answers = [
        dataclasses.asdict(resim(*case["args"], cwd=Path(case["cwd"]), env=case["env"]))
        for case in json.load(sys.stdin)
    ]
    Path(sys.argv[1]).write_text(json.dumps(answers))
