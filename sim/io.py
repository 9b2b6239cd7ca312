"""Files: atomic writes, the table writers, output folders and the run record.

Nothing here knows the model: every module that writes (results, experiments, report,
validation, CLI) writes through these functions, so that a file is either complete or
absent. :func:`atomic_write` writes to a temporary name in the same folder
(``.<name>.<random>.tmp``) and renames it into place; the writers below are its usual
cases. :func:`provenance` is the reproducibility record every ``summary.json`` carries.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import platform
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
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
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return str(obj)


@contextlib.contextmanager
def run_folder(output: str | os.PathLike[str] | None) -> Iterator[Path]:
    """The experiment's output folder (created if needed); a temporary one when None."""
    if output is not None:
        Path(output).mkdir(parents=True, exist_ok=True)
        yield Path(output)
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
