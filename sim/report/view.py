"""A finished comparison folder, read once: its tables and what the report needs to know."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from sim.i18n import Translator


@dataclass
class ComparisonView:
    """The tables of a comparison folder (``comparison.csv``, ``runs.parquet``, …).

    Attributes
    ----------
    folder
        The comparison's folder.
    summary
        ``summary.json``.
    table
        ``comparison.csv``.
    runs, series, shocks
        ``runs.parquet``, ``series.parquet``, ``shocks.parquet`` (empty when absent).
    synergy
        ``synergy.csv`` when present.
    """

    folder: Path
    summary: dict[str, Any]
    table: pd.DataFrame
    runs: pd.DataFrame
    series: pd.DataFrame = field(default_factory=pd.DataFrame)
    shocks: pd.DataFrame = field(default_factory=pd.DataFrame)
    synergy: pd.DataFrame | None = None

    @classmethod
    def read(cls, folder: str | Path) -> ComparisonView:
        """Read a finished comparison folder."""
        folder = Path(folder)

        def parquet(name: str) -> pd.DataFrame:
            path = folder / name
            return pd.read_parquet(path) if path.exists() else pd.DataFrame()

        syn = folder / "synergy.csv"
        return cls(
            folder=folder,
            summary=json.loads((folder / "summary.json").read_text()),
            table=pd.read_csv(folder / "comparison.csv"),
            runs=parquet("runs.parquet"),
            series=parquet("series.parquet"),
            shocks=parquet("shocks.parquet"),
            synergy=pd.read_csv(syn) if syn.exists() else None,
        )

    @property
    def baseline(self) -> str:
        """The package the others are compared with."""
        return self.summary["baseline"]

    @property
    def packages(self) -> list[str]:
        """Every package, the baseline included, in the comparison's order."""
        return list(self.summary["packages"])

    @property
    def others(self) -> list[str]:
        """The packages compared with the baseline."""
        return [p for p in self.packages if p != self.baseline]

    @property
    def replicates(self) -> int:
        """Replicates per package."""
        return int(self.summary["replicates"])

    @cached_property
    def setting(self) -> dict[str, Any]:
        """Households, years, start year and month, shock regime of the comparison."""
        s = dict(self.summary.get("setting") or {})
        if not s:
            m = re.match(
                r"(\d+) households, (\d+) years from (\d+), shocks: (\S+)",
                self.summary.get("scenario", ""),
            )
            if m:
                s = {
                    "households": int(m[1]),
                    "years": int(m[2]),
                    "start_year": int(m[3]),
                    "shock_regime": m[4],
                }
        if not self.series.empty:
            first = self.series.sort_values("month").iloc[0]
            s.setdefault("start_year", int(first["year"]))
            s.setdefault("start_month", int(first["calendar_month"]))
        s.setdefault("start_month", 1)
        return s

    @property
    def months(self) -> int:
        """Months of the horizon."""
        if not self.series.empty:
            return int(self.series["month"].max()) + 1
        years = self.setting.get("years")
        if years:
            return 12 * int(years)
        return int(self.shocks["month"].max()) + 1 if not self.shocks.empty else 12

    def translator(self, lang: str) -> Translator:
        """A translator whose labels know this comparison's settings (years after exit)."""
        from sim.plots.style import default_context

        context = default_context()
        indicators = self.summary.get("indicators") or {}
        if "years_after_exit" in indicators:
            context["years"] = indicators["years_after_exit"]
        return Translator(lang, **context)

    def row(self, package: str, outcome: str) -> pd.Series | None:
        """The comparison table's row of a package and outcome, if any."""
        return self._rows.get((package, outcome))

    @cached_property
    def _rows(self) -> dict[tuple[str, str], pd.Series]:
        """The table's first row of each package and outcome (looked up hundreds of times)."""
        first = self.table.drop_duplicates(["package", "outcome"])
        keys = zip(first["package"], first["outcome"], strict=True)
        return {key: first.iloc[i] for i, key in enumerate(keys)}

    @cached_property
    def valued(self) -> frozenset[str]:
        """Outcomes with a value (a mean) for at least one package."""
        return frozenset(self.table.loc[self.table["mean"].notna(), "outcome"])

    def has(self, outcome: str) -> bool:
        """Whether the comparison holds the outcome with a value for the baseline."""
        r = self.row(self.baseline, outcome)
        return r is not None and pd.notna(r["mean"])
