"""Gather a Hydra sweep's run folders into one table.

Each job folder of ``resim -m …`` holds ``summary.json`` (written last, so its presence marks a
finished run) and ``.hydra/overrides.yaml``. :func:`collect` returns one row per finished job:
the job's overrides as columns, then its programme outcomes; unfinished or malformed jobs are
left out and listed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from sim.analysis.outcomes import run_values
from sim.config import ConfigError


def collect(folder: str | Path) -> pd.DataFrame:
    """One row per finished job under ``folder`` (searched recursively).

    A job is a folder with Hydra's record (``.hydra/``) or a ``summary.json``. Jobs without
    ``summary.json`` (unfinished) or whose ``summary.json`` or overrides cannot be read are
    left out and listed in ``table.attrs["skipped"]`` as ``(job, reason)`` pairs.

    Raises
    ------
    ConfigError
        When ``folder`` is not an existing folder.
    """
    root = Path(folder)
    if not root.is_dir():
        raise ConfigError(f"collect.dir = {str(folder)!r}: must be an existing sweep folder")
    jobs = {p.parent for p in root.rglob("summary.json")}
    jobs |= {p.parent for p in root.rglob(".hydra") if p.is_dir()}
    rows, skipped = [], []
    for job in sorted(jobs):
        name = str(job.relative_to(root))
        try:
            rows.append(_row(job, name))
        except _Unreadable as err:
            skipped.append((name, str(err)))
    table = pd.DataFrame(rows)
    table.attrs["skipped"] = skipped
    return table


class _Unreadable(Exception):
    """A job whose files are missing or malformed (the message says which and why)."""


def _row(job: Path, name: str) -> dict[str, Any]:
    path = job / "summary.json"
    if not path.is_file():
        raise _Unreadable("unfinished: no summary.json")
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise _Unreadable(f"summary.json: {err}") from None
    if not isinstance(summary, dict) or not isinstance(summary.get("outcomes", {}), dict):
        raise _Unreadable("summary.json: not the summary of a run")
    row: dict[str, Any] = {"job": name}
    overrides = job / ".hydra" / "overrides.yaml"
    if overrides.exists():
        try:
            items = yaml.safe_load(overrides.read_text(encoding="utf-8")) or []
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
            raise _Unreadable(f".hydra/overrides.yaml: {err}") from None
        if not isinstance(items, list):
            raise _Unreadable(".hydra/overrides.yaml: not a list of overrides")
        for item in items:
            key, _, value = str(item).partition("=")
            row[key.lstrip("+~")] = value
    outcomes = summary.get("outcomes", {})
    row.update(run_values(outcomes))
    row["package"] = summary.get("package")
    return row
