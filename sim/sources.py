"""The finished folders a report reads, checked before any work, file by file and value by value.

``task=report`` reads a compare folder (``report.source``) and, with ``report.studies``, the
folders of sensitivity or discovery studies. A folder that was damaged, edited or crafted is
refused in one line naming the setting, the file and what is wrong (a :class:`ConfigError`),
before the report draws a figure: never a traceback halfway through, never a value the report
cannot show.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

from sim.schema import ConfigError

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "runs.parquet": ("package",),
    "series.parquet": ("package", "replicate", "month", "year", "calendar_month", "wealth_group"),
    "shocks.parquet": ("type", "scope", "month", "severity"),
}
"""Columns the report reads in each Parquet table of a compare folder."""

NUMERIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "series.parquet": ("replicate", "month", "year", "calendar_month"),
    "shocks.parquet": ("month", "severity"),
}
"""Of those, the columns that must hold numbers."""

OPTIONAL_TABLES = ("series.parquet", "shocks.parquet")
"""Tables a compare folder may lack (the report then leaves their figures out)."""

SETTING_FIRST = {"households": 1, "years": 1, "start_year": 1, "start_month": 1}
"""The smallest value of each whole-number field of ``summary.json`` → ``setting``."""

SYNERGY_COLUMNS = ("outcome", "effect", "mean", "low", "high")
"""Columns the report reads in a compare folder's ``synergy.csv``."""


def _integer(value: Any, least: int = 0) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _names(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def read_summary(folder: Path, where: str) -> dict[str, Any]:
    """``folder/summary.json`` as a mapping, or a one-line refusal naming ``where``."""
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ConfigError(f"{where}: summary.json: cannot read it ({err})") from None
    if not isinstance(summary, dict):
        raise ConfigError(f"{where}: summary.json: not the summary of a finished run")
    return summary


def check_compare_summary(summary: Mapping[str, Any], where: str) -> None:
    """Every value of a compare's ``summary.json`` that the report uses, of its kind.

    Raises
    ------
    ConfigError
        ``<where>: summary.json: <key> = <value>: expected …``.
    """

    def refuse(key: str, value: Any, expected: str) -> NoReturn:
        raise ConfigError(f"{where}: summary.json: {key} = {value!r}: expected {expected}")

    packages = summary.get("packages")
    if not _names(packages) or not packages:
        refuse("packages", packages, "names")
    if summary.get("baseline") not in packages:
        raise ConfigError(
            f"{where}: summary.json: baseline = {summary.get('baseline')!r}: not among packages"
        )
    for key in ("replicates", "seed"):
        if not _integer(summary.get(key)):
            refuse(key, summary.get(key), "an integer")
    for key in ("setting", "indicators", "experiment", "provenance"):
        if summary.get(key) is not None and not isinstance(summary[key], dict):
            refuse(key, summary[key], "a mapping")
    setting = summary.get("setting") or {}
    for key, least in SETTING_FIRST.items():
        if key in setting and not _integer(setting[key], least):
            refuse(f"setting.{key}", setting[key], f"an integer of at least {least}")
    if setting.get("start_month", 1) > 12:
        refuse("setting.start_month", setting["start_month"], "a month in [1, 12]")
    for key in ("shock_regime",):
        if key in setting and not isinstance(setting[key], str):
            refuse(f"setting.{key}", setting[key], "a name")
    if "scenario" in summary and not isinstance(summary["scenario"], str):
        refuse("scenario", summary["scenario"], "a sentence")
    months = summary.get("programme_months") or []
    if not isinstance(months, list) or not all(_integer(m) for m in months) or len(months) > 2:
        refuse("programme_months", months, "the programme's first and last month")
    rate = summary.get("fcfa_per_usd")
    if rate is not None and not (_number(rate) and rate > 0):
        refuse("fcfa_per_usd", rate, "a positive number")
    years = (summary.get("indicators") or {}).get("years_after_exit", 0)
    if not _integer(years):
        refuse("indicators.years_after_exit", years, "an integer")
    overrides = (summary.get("experiment") or {}).get("overrides", [])
    if not _names(overrides):
        refuse("experiment.overrides", overrides, "the command's overrides")
    versions = (summary.get("provenance") or {}).get("versions")
    if not isinstance(versions, dict | None):
        refuse("provenance.versions", versions, "a mapping")


def check_compare_folder(source: str) -> None:
    """A finished compare folder that ``report`` can read: its files exist and are well formed.

    ``summary.json`` holds the packages, the baseline among them, the replicates, the seed and
    every other value the report shows, each of its kind (:func:`check_compare_summary`);
    ``comparison.csv`` has its columns, numbers where numbers go and rows of those packages
    only; ``runs.parquet`` (and ``series.parquet``, ``shocks.parquet`` when present) is a
    Parquet table with the columns the report reads (:data:`TABLE_COLUMNS`); ``synergy.csv``,
    when present, has its columns.

    Raises
    ------
    ConfigError
        Naming ``report.source``, the file and what is wrong.
    """
    import pandas as pd

    from sim.analysis.compare import COMPARISON_COLUMNS

    folder = Path(source)
    where = f"report.source = {source!r}"
    if not (folder / "comparison.csv").is_file() or not (folder / "summary.json").is_file():
        raise ConfigError(f"{where}: not a finished compare folder")
    summary = read_summary(folder, where)
    check_compare_summary(summary, where)
    table = _read_csv(folder / "comparison.csv", where, COMPARISON_COLUMNS)
    for column in COMPARISON_COLUMNS[2:]:
        values = table[column]
        if values.notna().sum() != pd.to_numeric(values, errors="coerce").notna().sum():
            raise ConfigError(f"{where}: comparison.csv: column {column!r} holds text")
    if table.empty:
        raise ConfigError(f"{where}: comparison.csv: no rows")
    strangers = sorted(set(table["package"].astype(str)) - set(summary["packages"]))
    if strangers:
        raise ConfigError(
            f"{where}: comparison.csv: package {strangers[0]!r} is not among summary.json's "
            f"packages ({', '.join(summary['packages'])})"
        )
    for name, columns in TABLE_COLUMNS.items():
        if name in OPTIONAL_TABLES and not (folder / name).exists():
            continue
        _check_table(folder / name, where, columns, NUMERIC_COLUMNS.get(name, ()))
    if (folder / "synergy.csv").exists():
        _read_csv(folder / "synergy.csv", where, SYNERGY_COLUMNS)


def _read_csv(path: Path, where: str, columns: Sequence[str]):
    import pandas as pd

    try:
        table = pd.read_csv(path)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise ConfigError(f"{where}: {path.name}: cannot read it ({err})") from None
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ConfigError(f"{where}: {path.name}: missing column {missing[0]!r}")
    return table


def _check_table(path: Path, where: str, columns: Sequence[str], numeric: Sequence[str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except Exception as err:  # Arrow raises several kinds for a missing or damaged file
        raise ConfigError(f"{where}: {path.name}: cannot read it ({err})") from None
    missing = [c for c in columns if c not in schema.names]
    if missing:
        raise ConfigError(f"{where}: {path.name}: missing column {missing[0]!r}")
    for column in numeric:
        kind = schema.field(column).type
        if not (pa.types.is_integer(kind) or pa.types.is_floating(kind)):
            raise ConfigError(f"{where}: {path.name}: column {column!r} holds {kind}, not numbers")


# --------------------------------------------------------------------------- studies


STUDY_TABLES: dict[str, dict[str, tuple[str, ...]]] = {
    "sensitivity": {
        "indices.csv": ("package", "outcome", "factor"),
        "synergies.csv": ("outcome", "lever_1", "lever_2", "S2", "low", "high"),
    },
    "discover": {
        "peeling.csv": ("package",),
        "points.csv": ("package",),
        "box.csv": (
            "package",
            "restricted",
            "uncertainty",
            "unit",
            "low",
            "high",
            "qp_low",
            "qp_high",
            "declared_low",
            "declared_high",
        ),
    },
}
"""Tables a study's report section reads, with the columns it reads (``synergies.csv`` only
when present)."""

OPTIONAL_STUDY_TABLES = ("synergies.csv",)
"""Study tables that may be absent."""


def check_studies(folders: Sequence[str]) -> None:
    """Every ``report.studies`` folder holds a finished sensitivity or discovery study.

    Its ``summary.json`` has every value its report section shows, each of its kind, and its
    tables the columns the section reads (:data:`STUDY_TABLES`).

    Raises
    ------
    ConfigError
        ``report.studies[i] = '<folder>': …`` naming the file and what is wrong.
    """
    for i, folder in enumerate(folders):
        where = f"report.studies[{i}] = {folder!r}"
        path = Path(folder) / "summary.json"
        summary = read_summary(Path(folder), where) if path.is_file() else {}
        task = summary.get("task")
        if task not in STUDY_TABLES:
            raise ConfigError(f"{where}: not a finished sensitivity or discover folder")
        problem = _sensitivity_problem(summary) if task == "sensitivity" else None
        if task == "discover":
            problem = _discover_problem(summary)
        for key in ("runs", "samples"):
            if problem is None and summary.get(key) is not None and not _integer(summary[key]):
                problem = f"{key} = {summary[key]!r}: expected an integer"
        if problem is not None:
            raise ConfigError(f"{where}: summary.json: {problem}")
        for name, columns in STUDY_TABLES[task].items():
            table = Path(folder) / name
            if name in OPTIONAL_STUDY_TABLES and not table.exists():
                continue
            if not table.is_file():
                raise ConfigError(f"{where}: {name}: missing (not a finished study folder)")
            _read_csv(table, where, columns)


def _sensitivity_problem(summary: Mapping[str, Any]) -> str | None:
    if summary.get("kind") not in ("uncertainties", "levers"):
        return f"kind = {summary.get('kind')!r}: expected uncertainties or levers"
    if summary.get("method") not in ("sobol", "morris"):
        return f"method = {summary.get('method')!r}: expected sobol or morris"
    if not _names(summary.get("packages")):
        return f"packages = {summary.get('packages')!r}: expected names"
    top = summary.get("top")
    if not isinstance(top, list) or not all(isinstance(r, dict) for r in top):
        return f"top = {top!r}: expected the table of the main factors"
    for r in top:
        col = "ST" if _number(r.get("ST")) else "mu_star"
        if not all(isinstance(r.get(k), str) for k in ("package", "outcome", "factor")):
            return f"top: {r!r}: expected a package, an outcome and a factor"
        if not all(_number(r.get(k)) for k in (col, f"{col}_conf")):
            return f"top: {r!r}: expected numbers {col} and {col}_conf"
    return None


def _discover_problem(summary: Mapping[str, Any]) -> str | None:
    if not isinstance(summary.get("outcome"), str):
        return f"outcome = {summary.get('outcome')!r}: expected an outcome's name"
    if summary.get("direction") not in ("above", "below"):
        return f"direction = {summary.get('direction')!r}: expected above or below"
    if not _number(summary.get("threshold")):
        return f"threshold = {summary.get('threshold')!r}: expected a number"
    uncertainties = summary.get("uncertainties", [])
    if not isinstance(uncertainties, list) or not all(isinstance(u, dict) for u in uncertainties):
        return f"uncertainties = {uncertainties!r}: expected the declared uncertainties"
    boxes = summary.get("boxes")
    if not isinstance(boxes, dict):
        return f"boxes = {boxes!r}: expected a box per package"
    for package, box in boxes.items():
        if not isinstance(box, dict) or not _integer(box.get("box")):
            return f"boxes.{package} = {box!r}: expected the index of the chosen box"
        if not all(_integer(box.get(k, 0)) for k in ("cases", "points")):
            return f"boxes.{package}: expected whole numbers of cases and points"
        if not all(_number(box.get(k, 0)) for k in ("coverage", "density")):
            return f"boxes.{package}: expected numbers coverage and density"
    return None
