"""Bad input in one line: ``resim: error: …``, exit code 2, before any work.

The ``resim`` command (:func:`sim.cli.main`, also ``python -m sim``) runs its Hydra app
through :func:`run_cli`, which turns every error caused by the command line into one line on
stderr: a value out of range or of the wrong type (:class:`~sim.config.ConfigError`), and
Hydra's own errors — an unknown parameter (``population.househods=3``), an unknown option of
a config group (``package=ful_cdr``), malformed override syntax — each with the parameter,
the value given and what is allowed (for a misspelt name, the closest valid ones).

The checks themselves live in :mod:`sim.checks` (its :class:`~sim.checks.CheckInput` Hydra
callback runs them before Hydra makes the output folder); this module only turns what they,
Hydra and the model raise into one line and an exit code.

Exit codes: 0 success, 1 a write the machine refused (disk full, permission: one line) or
an unexpected error (with its traceback), 2 bad input,
3 a run-time invariant of the model was violated (:class:`~sim.ledger.InvariantError`, a
defect of the model), 130 interrupted (Ctrl-C), 141 the reader of the output went away
(a closed pipe), 143 terminated (SIGTERM).
``verbose=true`` (or ``HYDRA_FULL_ERROR=1``) adds the traceback to the one line.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import yaml
from hydra.errors import HydraException, MissingConfigException, OverrideParseException
from omegaconf.errors import ConfigAttributeError, ConfigKeyError, OmegaConfBaseException

from sim import stops
from sim.config import ConfigError, conf_dir, unknown_message
from sim.extras import LAUNCHERS, installed, missing
from sim.ledger import InvariantError

PROG = "resim"
EXIT_BAD_INPUT = 2
EXIT_INVARIANT = 3
EXIT_ERROR = 1
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a command killed by a closed pipe returns
EXIT_TERMINATED = 143
_AFTER_A_STOP = (
    "a run folder without summary.json is incomplete; an experiment run again with the same "
    "hydra.run.dir resumes"
)

_FULL_ERROR = "HYDRA_FULL_ERROR"


class InputRefused(BaseException):  # noqa: N818 (not an Exception: Hydra must not catch it)
    """Raised by :class:`sim.checks.CheckInput` to stop Hydra before any output folder is made.

    Hydra turns an ``Exception`` raised in a callback into a warning and goes on; this
    carries the original error past it, to :func:`run_cli`.
    """

    def __init__(self, error: Exception, verbose: bool = False) -> None:
        super().__init__(str(error))
        self.error = error
        self.verbose = verbose


# --------------------------------------------------------------------------- the command


class Terminated(BaseException):  # noqa: N818 (like KeyboardInterrupt)
    """SIGTERM arrived: unwind like Ctrl-C (workers ended, complete files kept), exit 143."""


def _terminate(signum: int, frame: Any) -> None:
    stops.ask(Terminated)
    raise Terminated()


def _interrupt(signum: int, frame: Any) -> None:
    stops.ask(KeyboardInterrupt)
    raise KeyboardInterrupt()


def reports_missing(folder: Path) -> str:
    """What a stop while the reports of the comparison in ``folder`` were drawn leaves."""
    return (
        f"the comparison in {folder} is complete, its reports are not; "
        f"'{PROG} task=report report.source={folder}' draws them"
    )


def after_a_stop(stop: BaseException) -> str:
    """What a stopped command leaves: the stop's own note if it has one, else the general rule."""
    notes = getattr(stop, "__notes__", None)
    return "; ".join(notes) if notes else _AFTER_A_STOP


def run_cli(app: Callable[[], Any], argv: Sequence[str] | None = None) -> None:
    """Run the Hydra ``app``; report bad input in one line and exit 2.

    Parameters
    ----------
    app
        The ``@hydra.main`` function (it reads ``sys.argv`` itself).
    argv
        The command-line arguments, for the messages (default ``sys.argv[1:]``).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    stops.clear()
    signal.signal(signal.SIGTERM, _terminate)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not if ignored
        signal.signal(signal.SIGINT, _interrupt)
    tolerant_streams()
    previous = os.environ.get(_FULL_ERROR)
    verbose = previous == "1" or verbose_requested(argv)
    # Hydra prints its own errors and exits 1 unless HYDRA_FULL_ERROR=1, which lets them
    # reach this function instead.
    os.environ[_FULL_ERROR] = "1"
    try:
        app()
        stops.honour()  # a stop whose exception was lost on the way
        sys.stdout.flush()
    except BrokenPipeError:
        closed_pipe()
    except InputRefused as refused:
        err = refused.error
        text = describe(err, argv)
        if text is None:
            raise err from None
        fail(err, verbose=verbose or refused.verbose, text=text)
    except KeyboardInterrupt as stop:
        print(f"{PROG}: interrupted ({after_a_stop(stop)})", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except Terminated as stop:
        print(f"{PROG}: terminated ({after_a_stop(stop)})", file=sys.stderr)
        sys.exit(EXIT_TERMINATED)
    except Exception as err:
        if isinstance(err, OSError) and err.errno in WRITE_ERRNOS:
            fail_write(err, verbose=verbose)
        text = describe(err, argv)
        if text is None:
            raise
        fail(err, verbose=verbose, text=text)
    finally:
        stops.clear()  # honoured: the process may go on (a test, a notebook)
        if previous is None:
            os.environ.pop(_FULL_ERROR, None)
        else:
            os.environ[_FULL_ERROR] = previous


WRITE_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM, errno.EROFS}
)
"""Errors of the machine, not of the program: a full disk or quota, a file-size limit, no
permission, a read-only file system (one line, exit 1)."""


def fail_write(err: OSError, *, verbose: bool = False) -> NoReturn:
    """Print the one line of a refused write (:func:`os_message`) and exit 1."""
    print(f"{PROG}: error: {_one_line(os_message(err))}", file=sys.stderr)
    if verbose:
        traceback.print_exception(err)
    sys.exit(EXIT_ERROR)


def os_message(err: OSError) -> str:
    """The one line for a write that the machine refused."""
    what = f" {err.filename}" if err.filename else ""
    return (
        f"cannot write{what}: {err.strerror or err} (files already in place are complete; "
        "free space or fix the permission, then run the same command again)"
    )


def tolerant_streams() -> None:
    """Text the terminal's encoding cannot show is replaced (``?``), never fatal."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def closed_pipe() -> NoReturn:
    """The reader of our output went away (``resim … | head -1``): end quietly, as on SIGPIPE."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_BROKEN_PIPE)


def fail(err: BaseException, *, verbose: bool = False, text: str | None = None) -> NoReturn:
    """Print ``resim: error: …`` (one line; the traceback too if ``verbose``) and exit.

    Exit code 3 for a violated invariant, else 2 (bad input).
    """
    if isinstance(err, InvariantError):
        code = EXIT_INVARIANT
        hint = "" if verbose else "; verbose=true shows where"
        text = (
            f"invariant violated: {_one_line(str(err))} (a defect of the model, not of the "
            f"input: please report it with the run's overrides{hint})"
        )
    else:
        code = EXIT_BAD_INPUT
        text = text or describe(err, []) or str(err)
    print(f"{PROG}: error: {_one_line(text)}", file=sys.stderr)
    if verbose:
        traceback.print_exception(err)
    sys.exit(code)


def verbose_requested(argv: Sequence[str]) -> bool:
    """Whether the command line sets ``verbose=true`` (the last setting wins, as in Hydra)."""
    verbose = False
    for arg in argv:
        m = re.fullmatch(r"\+{0,2}verbose=(.*)", arg.strip())
        if m:
            verbose = m.group(1).strip().lower() == "true"
    return verbose


# --------------------------------------------------------------------------- messages


def describe(err: BaseException, argv: Sequence[str]) -> str | None:
    """A one-line message for an error caused by the input; None for anything else.

    Parameters
    ----------
    err
        The exception that stopped the command.
    argv
        The command-line arguments (to quote the value a message is about).
    """
    if isinstance(err, ConfigError):
        return str(err)
    bad_yaml = _yaml_error(err)
    if bad_yaml is not None:
        return yaml_message(bad_yaml)
    if isinstance(err, OverrideParseException):
        return _parse_message(err)
    if isinstance(err, MissingConfigException) and err.options:
        group, _, option = (err.missing_cfg_file or "").rpartition("/")
        if group == "hydra/launcher" and option in LAUNCHERS and not installed(LAUNCHERS[option]):
            return missing(f"hydra/launcher = {option!r}", LAUNCHERS[option])
        if group:
            return unknown_message(group, option, tuple(err.options))
    if isinstance(err, HydraException):
        cause = err.__cause__
        if isinstance(cause, ConfigKeyError | ConfigAttributeError) and cause.parent_node:
            return _unknown_key_message(cause, argv)
        return _first_paragraph(str(err))
    if isinstance(err, OmegaConfBaseException):
        key = getattr(err, "full_key", None) or "config"
        return f"{key}{_given(key, argv)}: {_first_paragraph(getattr(err, 'msg', str(err)))}"
    if isinstance(err, ValueError) and _raised_by_hydra(err):
        return _group_value_message(argv) or _first_paragraph(str(err))
    return None


def _yaml_error(err: BaseException) -> yaml.MarkedYAMLError | None:
    """The YAML syntax error behind ``err`` (itself, or what it was raised from), if any."""
    seen: BaseException | None = err
    for _ in range(5):
        if seen is None:
            return None
        if isinstance(seen, yaml.MarkedYAMLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def yaml_message(err: yaml.MarkedYAMLError) -> str:
    """``file:line: cannot read this YAML (problem)``, the line and column 1-based."""
    mark = err.problem_mark or err.context_mark
    where = "a YAML file"
    if mark is not None:
        where = f"{mark.name}:{mark.line + 1}:{mark.column + 1}"
    what = " ".join(p for p in (err.context, err.problem) if p)
    return f"{where}: cannot read this YAML ({what or 'syntax error'})"


def _parse_message(err: OverrideParseException) -> str:
    reason = str(err.__cause__) if err.__cause__ else err.message
    reason = _first_paragraph(
        "\n".join(
            line
            for line in reason.splitlines()
            if not line.startswith(("Error parsing override", "See https"))
        )
    )
    key, sep, value = err.override.partition("=")
    syntax = "write key=value, lists as [a,b], entries as {k: v}; quote values with spaces"
    if sep and key.strip():
        return f"{key.strip()} = {value!r}: cannot read this override ({reason}); {syntax}"
    return f"{err.override!r}: cannot read this override ({reason}); {syntax}"


def _unknown_key_message(cause: OmegaConfBaseException, argv: Sequence[str]) -> str:
    full_key = str(cause.full_key)
    key = str(cause.key)
    parent = cause.parent_node
    allowed = tuple(str(k) for k in parent.keys() if k != "hydra") if parent is not None else ()
    text = unknown_message(full_key, key, allowed, is_key=True)
    given = _given(full_key, argv)
    return text.replace(f"{full_key}:", f"{full_key}{given}:", 1) if given else text


def _group_value_message(argv: Sequence[str]) -> str | None:
    """A config group given something other than an option name (``population=3``)."""
    for arg in argv:
        key, sep, value = arg.partition("=")
        key = key.lstrip("+~")
        if not sep:
            continue
        if not key:
            return f"{arg!r}: cannot read this override (no parameter before '='); write key=value"
        folder = conf_dir() / key
        if folder.is_dir():
            options = tuple(sorted(p.stem for p in folder.glob("*.yaml")))
            if value not in options:
                return unknown_message(key, value, options)
    return None


def _given(key: str, argv: Sequence[str]) -> str:
    for arg in argv:
        k, sep, v = arg.partition("=")
        if sep and k.lstrip("+~") == key:
            return f" = {v}"
    return ""


def _first_paragraph(text: str) -> str:
    lines = []
    for line in text.strip().splitlines():
        line = line.strip()
        if not line or line.startswith(("Config search path", "See https", "Set the environment")):
            break
        if line.startswith(("full_key:", "object_type=", "reference_type=")):
            continue  # OmegaConf's location details: the message names the key already
        lines.append(line.removeprefix("In 'config': "))
    return " ".join(lines) or text.strip()


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.strip().splitlines() if part.strip())


def _raised_by_hydra(err: BaseException) -> bool:
    tb = err.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    parts = Path(tb.tb_frame.f_code.co_filename).parts
    return "hydra" in parts or "omegaconf" in parts
