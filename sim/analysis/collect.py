"""Gather a Hydra sweep's run folders into one table.

Each job folder of ``resim -m …`` holds ``summary.json`` (written last, so its presence marks a
finished run) and ``.hydra/overrides.yaml``. :func:`collect` returns one row per finished job:
the job's overrides as columns, then its programme outcomes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import yaml

from sim.analysis.outcomes import run_values


def collect(folder: str | Path) -> pd.DataFrame:
    """One row per finished job under ``folder`` (searched recursively)."""
    rows = []
    for summary_path in sorted(Path(folder).rglob("summary.json")):
        job = summary_path.parent
        summary = json.loads(summary_path.read_text())
        row: dict = {"job": str(job.relative_to(folder))}
        overrides = job / ".hydra" / "overrides.yaml"
        if overrides.exists():
            for item in yaml.safe_load(overrides.read_text()) or []:
                key, _, value = str(item).partition("=")
                row[key.lstrip("+~")] = value
        outcomes = summary.get("outcomes", {})
        row.update(run_values(outcomes))
        row["package"] = summary.get("package")
        rows.append(row)
    return pd.DataFrame(rows)
