"""Bad input in one line: ``resim: error: …``, exit code 2, before any work.

The ``resim`` command (:func:`sim.cli.main`, also ``python -m sim``) runs its Hydra app
through :func:`run_cli`, which turns every error caused by the command line into one line on
stderr: a value out of range or of the wrong type (:class:`~sim.config.ConfigError`), and
Hydra's own errors — an unknown parameter (``population.househods=3``), an unknown option of
a config group (``package=ful_cdr``), malformed override syntax — each with the parameter,
the value given and what is allowed (for a misspelt name, the closest valid ones).

:class:`CheckInput`, a Hydra callback declared in ``conf/config.yaml``, validates the
composed configuration and the task's own inputs (package names, sensitivity factors, the
sweep folder to collect; with ``-m``, every job of the sweep) before Hydra makes the output
folder, so bad input leaves nothing behind.

Exit codes: 0 success, 1 an unexpected error (with its traceback), 2 bad input,
3 a run-time invariant of the model was violated (:class:`~sim.ledger.InvariantError`, a
defect of the model), 130 interrupted. ``verbose=true`` (or ``HYDRA_FULL_ERROR=1``) adds the
traceback to the one line.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from hydra.errors import HydraException, MissingConfigException, OverrideParseException
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import ConfigAttributeError, ConfigKeyError, OmegaConfBaseException

from sim.config import ConfigError, RunConfig, build_run_config, unknown_message
from sim.ledger import InvariantError

PROG = "resim"
EXIT_BAD_INPUT = 2
EXIT_INVARIANT = 3
EXIT_INTERRUPTED = 130
SWEEP_PRODUCT_LIMIT = 16
"""Sweeps of at most this many jobs are checked job by job; larger ones value by value."""

_FULL_ERROR = "HYDRA_FULL_ERROR"


class InputRefused(BaseException):  # noqa: N818 (not an Exception: Hydra must not catch it)
    """Raised by :class:`CheckInput` to stop Hydra before any output folder is made.

    Hydra turns an ``Exception`` raised in a callback into a warning and goes on; this
    carries the original error past it, to :func:`run_cli`.
    """

    def __init__(self, error: Exception, verbose: bool = False) -> None:
        super().__init__(str(error))
        self.error = error
        self.verbose = verbose


# --------------------------------------------------------------------------- the command


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
    previous = os.environ.get(_FULL_ERROR)
    verbose = previous == "1" or verbose_requested(argv)
    # Hydra prints its own errors and exits 1 unless HYDRA_FULL_ERROR=1, which lets them
    # reach this function instead.
    os.environ[_FULL_ERROR] = "1"
    try:
        app()
    except InputRefused as refused:
        err = refused.error
        text = describe(err, argv)
        if text is None:
            raise err from None
        fail(err, verbose=verbose or refused.verbose, text=text)
    except KeyboardInterrupt:
        print(
            f"{PROG}: interrupted (a run folder without summary.json is incomplete; an "
            "experiment run again with the same hydra.run.dir resumes)",
            file=sys.stderr,
        )
        sys.exit(EXIT_INTERRUPTED)
    except Exception as err:
        text = describe(err, argv)
        if text is None:
            raise
        fail(err, verbose=verbose, text=text)
    finally:
        if previous is None:
            os.environ.pop(_FULL_ERROR, None)
        else:
            os.environ[_FULL_ERROR] = previous


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
    if isinstance(err, OverrideParseException):
        return _parse_message(err)
    if isinstance(err, MissingConfigException) and err.options:
        group, _, option = (err.missing_cfg_file or "").rpartition("/")
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
    from sim.compose import conf_dir

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


# --------------------------------------------------------------------------- before any work


class CheckInput(Callback):
    """Hydra callback: validate everything before Hydra makes an output folder.

    Declared in ``conf/config.yaml`` under ``hydra.callbacks``. A single run checks its
    composed configuration and the task's inputs (:func:`check_config`); a sweep (``-m``)
    checks every job, or every swept value when the sweep is large (:func:`sweep_jobs`).
    """

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Check a single run (``resim …``)."""
        with _refusing(config):
            check_config(config)
            out = OmegaConf.select(config, "hydra.run.dir")
            if not str(out or "").strip():
                raise ConfigError(
                    f"hydra.run.dir = {out!r}: must name a folder (empty would write the "
                    "outputs into the current folder)"
                )

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Check every job of a sweep (``resim -m …``) before the first one runs."""
        with _refusing(config):
            sweeper = str(OmegaConf.select(config, "hydra.sweeper._target_", default=""))
            if not sweeper.endswith("BasicSweeper"):
                check_config(config)  # other sweepers choose their values as they go
                return
            params = OmegaConf.select(config, "hydra.sweeper.params") or {}
            overrides = [f"{k}={v}" for k, v in params.items()]
            overrides += list(OmegaConf.select(config, "hydra.overrides.task", default=[]))
            name = kwargs.get("config_name") or "config"
            for job in sweep_jobs(overrides):
                check_overrides(job, config_name=name)


@contextlib.contextmanager
def _refusing(config: DictConfig) -> Iterator[None]:
    try:
        yield
    except Exception as err:
        verbose = OmegaConf.select(
            config, "verbose", default=False, throw_on_resolution_failure=False
        )
        raise InputRefused(err, verbose=verbose is True) from err


def check_config(config: DictConfig) -> RunConfig:
    """Validate a composed config (with its ``hydra`` node) and the task's inputs.

    Raises
    ------
    ConfigError
        On the first bad value, unknown name or inconsistency.
    """
    from sim import api

    task_keys = [k for k in config.keys() if k != "hydra"]
    try:
        data = OmegaConf.to_container(OmegaConf.masked_copy(config, task_keys), resolve=True)
    except OmegaConfBaseException as err:
        raise ConfigError(describe(err, [])) from err
    run = build_run_config(data)  # type: ignore[arg-type]
    overrides = list(OmegaConf.select(config, "hydra.overrides.task", default=[]))
    api.check_task(run, overrides)
    return run


def check_overrides(overrides: Sequence[str], *, config_name: str = "config") -> RunConfig:
    """Compose the app's config with ``overrides`` (Hydra initialised) and validate it."""
    from hydra import compose

    from sim import api

    cfg = compose(config_name=config_name, overrides=list(overrides))
    try:
        data = OmegaConf.to_container(cfg, resolve=True)
    except OmegaConfBaseException as err:
        raise ConfigError(describe(err, overrides)) from err
    run = build_run_config(data)  # type: ignore[arg-type]
    api.check_task(run, overrides)
    return run


def sweep_jobs(overrides: Sequence[str], limit: int = SWEEP_PRODUCT_LIMIT) -> list[list[str]]:
    """The override lists to check for a sweep: every job, or a cover of every value.

    Up to ``limit`` jobs, every combination is checked; beyond, each swept value once (the
    other swept parameters at their first value), so checking stays linear in the values.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    choices: dict[str, list[str]] = {}
    for o in OverridesParser.create().parse_overrides(list(overrides)):
        key = o.get_key_element()
        if o.is_sweep_override() and o.is_discrete_sweep():
            choices[key] = [f"{key}={v}" for v in o.sweep_string_iterator()]
        else:
            choices[key] = [o.input_line or key]
    lists = list(choices.values())
    total = 1
    for values in lists:
        total *= len(values)
    if total <= limit:
        return [list(job) for job in itertools.product(*lists)]
    first = [values[0] for values in lists]
    jobs = [first]
    for i, values in enumerate(lists):
        for v in values[1:]:
            jobs.append([*first[:i], v, *first[i + 1 :]])
    return jobs
