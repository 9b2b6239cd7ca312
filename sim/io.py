"""Files: atomic writes, the table writers, output folders and the run record.

Nothing here knows the model: every module that writes (results, experiments, report,
validation, CLI) writes through these functions, so that a file is either complete or
absent. :func:`atomic_write` writes to a temporary name in the same folder
(``.<name>.<random>.tmp``) and renames it into place; the writers below are its usual
cases. :func:`provenance` is the reproducibility record every ``summary.json`` carries.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: the command checks its input before loading pandas
    import pandas as pd

LIBRARIES = ("resim", "mesa", "numpy", "numba", "scipy", "pandas", "pyarrow", "hydra-core", "salib")
"""Distributions whose versions the run record names."""


def atomic_write(path: Path, write: Callable[[str], Any]) -> None:
    """Write ``path`` through a temporary file in the same folder, then rename it into place.

    ``write`` receives the temporary file's name. On any error (or interruption) the
    temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        if err.errno is None or err.filename:
            raise
        # writers (Arrow) report the error without the file: name the destination
        raise OSError(err.errno, os.strerror(err.errno), str(path)) from err
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_parquet(path: Path, frame: pd.DataFrame) -> None:
    """``frame`` as Parquet, without its index."""
    atomic_write(path, lambda p: frame.to_parquet(p, index=False))


def write_csv(path: Path, frame: pd.DataFrame, *, float_format: str | None = None) -> None:
    """``frame`` as CSV, without its index (``float_format`` as in pandas)."""
    atomic_write(path, lambda p: frame.to_csv(p, index=False, float_format=float_format))


def write_text(path: Path, text: str) -> None:
    """``text`` as UTF-8."""
    atomic_write(path, lambda p: Path(p).write_text(text, encoding="utf-8"))


def write_json(path: Path, data: Any) -> None:
    """``data`` as indented JSON (numpy scalars as numbers)."""
    write_text(path, json.dumps(data, indent=2, default=json_default))


def json_default(obj: Any) -> Any:
    """JSON for what :mod:`json` cannot write: numpy scalars and arrays as numbers, else text."""
    import numpy as np

    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return str(obj)


@contextlib.contextmanager
def run_folder(output: str | os.PathLike[str] | None, command: str = "") -> Iterator[Path]:
    """The experiment's output folder, created if needed and locked while in use.

    A temporary folder (removed at the end) when ``output`` is None. Raises
    :class:`FolderBusy` when another process writes into ``output``.
    """
    if output is not None:
        try:
            lock = acquire(Path(output), command or "python: " + " ".join(sys.argv))
        except FolderBusy as busy:
            raise FolderBusy(f"{output}: {busy}") from None
        try:
            yield Path(output)
        finally:
            release(lock)
    else:
        with tempfile.TemporaryDirectory(prefix="resim-") as tmp:
            yield Path(tmp)


def provenance(seed: int, streams: Mapping[str, Any]) -> dict[str, Any]:
    """The run record: seed, stream seeds, versions, Python, git revision, machine.

    Parameters
    ----------
    seed
        The root seed.
    streams
        The seeds of the named random streams (:func:`sim.streams.stream_record`).
    """
    return {
        "seed": seed,
        "streams": dict(streams),
        "versions": versions(),
        "python": platform.python_version(),
        "git_revision": git_revision(),
        "machine": platform.platform(),
    }


def versions() -> dict[str, str | None]:
    """Installed versions of :data:`LIBRARIES` (None when not installed)."""
    out: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def git_revision() -> str | None:
    """The revision of the code that runs: its git commit (``-dirty`` if modified), or None.

    In a git checkout, from git itself; in an installed wheel, from the version file written
    when the wheel was built (``sim/_version.py``: the commit is the ``+g<hash>`` of the
    version, a ``.d<date>`` after it marking a build from a modified tree).
    """
    root = Path(__file__).resolve().parents[1]
    if (root / ".git").exists() and (root / "pyproject.toml").is_file():
        return _git(root)
    try:
        _version = importlib.import_module("sim._version")  # written by the build
    except ImportError:
        return None
    commit = getattr(_version, "commit_id", None)
    if commit:
        return str(commit)
    match = re.search(r"\+g([0-9a-f]+)(\.d\d{8})?", str(getattr(_version, "version", "")))
    if match is None:
        return None
    return match.group(1) + ("-dirty" if match.group(2) else "")


def _git(root: Path) -> str | None:
    try:
        rev = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5
        )
        if rev.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=5,
        )
        return rev.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


# --------------------------------------------------------------------------- one writer per folder

LOCK_NAME = ".resim.lock"
"""The lock file of an output folder (held while a command writes into the folder)."""


class FolderBusy(Exception):  # noqa: N818 (a state, reported in one line)
    """Another live process holds the folder's lock (the message names it)."""


class FolderLock:
    """An exclusive lock on an output folder, held until :meth:`release` or the process ends.

    The lock is an ``flock`` on ``<folder>/.resim.lock``, whose text names the holder (pid,
    host, start time, command); the file is removed when the lock is released. The kernel
    drops the lock when its process ends, however it ends: a killed run leaves the file,
    which the next command takes over (its text is only informative). Worker processes never
    inherit it.
    """

    def __init__(self, folder: Path, fd: int) -> None:
        self.folder = folder
        self._fd: int | None = fd

    def release(self) -> None:
        """Remove the lock file and drop the lock."""
        if self._fd is None:
            return
        path = self.folder / LOCK_NAME
        with contextlib.suppress(OSError):
            if os.stat(path).st_ino == os.fstat(self._fd).st_ino:
                path.unlink()
        os.close(self._fd)
        self._fd = None


_HELD: dict[str, tuple[FolderLock, int]] = {}
"""Locks this process holds, by real path, with how many users hold each."""


@contextlib.contextmanager
def holding(folder: Path, command: str) -> Iterator[FolderLock]:
    """Hold ``folder``'s lock for the block (re-entrant within the process)."""
    lock = acquire(folder, command)
    try:
        yield lock
    finally:
        release(lock)


def acquire(folder: Path, command: str) -> FolderLock:
    """Take ``folder``'s lock, or count one more user if this process already holds it."""
    key = os.path.realpath(folder)
    if key in _HELD:
        lock, users = _HELD[key]
        _HELD[key] = (lock, users + 1)
        return lock
    lock = lock_folder(folder, command)
    _HELD[os.path.realpath(folder)] = (lock, 1)
    return lock


def release(lock: FolderLock) -> None:
    """One user less of ``lock``; the last one drops it."""
    key = os.path.realpath(lock.folder)
    held = _HELD.get(key)
    if held is None:
        return
    if held[1] > 1:
        _HELD[key] = (held[0], held[1] - 1)
        return
    del _HELD[key]
    lock.release()


@atexit.register
def _release_all() -> None:
    """As the process exits (also after Ctrl-C, SIGTERM or an error), drop every lock it holds."""
    while _HELD:
        _, (lock, _) = _HELD.popitem()
        lock.release()


def forget_folder(folder: Path) -> None:
    """Drop this process's lock on ``folder`` (every user of it), removing the lock file."""
    held = _HELD.pop(os.path.realpath(folder), None)
    if held is not None:
        held[0].release()


def lock_folder(folder: Path, command: str) -> FolderLock:
    """Create ``folder`` if needed and take its lock, or raise :class:`FolderBusy`.

    Raises
    ------
    FolderBusy
        With a one-line message naming the folder and the process that holds it.
    """
    import fcntl

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise FolderBusy(
                f"in use by another resim command ({holder}); wait for it to end, or choose "
                "another folder"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        try:  # the holder removes the file as it releases: lock the file that is there now
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    os.ftruncate(fd, 0)
    info = f"pid {os.getpid()} on {platform.node()} since {time.strftime('%Y-%m-%d %H:%M:%S')}"
    os.write(fd, f"{info}: {command}\n".encode())
    return FolderLock(folder, fd)


def _read_holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 4096).decode(errors="replace").strip()
    except OSError:
        text = ""
    return text or "a process that has not yet said which"


def check_writable(folder: Path, setting: str) -> None:
    """Whether ``folder`` exists and can be written, or can be created: raise ValueError if not.

    The message names ``setting`` (``hydra.run.dir = '…'``) and the reason.
    """
    folder = Path(folder)
    existing = folder
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        raise ValueError(f"{setting}: cannot make this folder ({str(existing)!r} is not a folder)")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ValueError(f"{setting}: cannot write into {str(existing)!r} (permission denied)")
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as err:
        raise ValueError(
            f"{setting}: cannot write into {str(existing)!r} ({err.strerror or err})"
        ) from None
