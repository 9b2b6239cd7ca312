"""Run a configured model and collect its outputs; write them atomically.

A finished run yields :class:`Results`: the tidy monthly ``timeseries``, the end-of-run
``households`` table, the ``shocks`` log, the ``resilience`` episodes, a ``summary`` dict
and the resolved ``config``. :meth:`Results.write` puts them in a folder as
``timeseries.parquet``, ``households.parquet``, ``shocks.parquet``, ``resilience.parquet``,
``config.yaml`` and, last, ``summary.json``: each file is written to a temporary name and
renamed, so a folder with ``summary.json`` is a complete run and a killed run never leaves
a file that looks finished.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from sim import resilience
from sim import shocks as shocks_mod
from sim.config import WEALTH_GROUPS, ModelConfig, to_dict
from sim.indicators import GROUPS
from sim.io import atomic_write, json_default, provenance
from sim.model import ResilienceModel
from sim.population import tlu
from sim.streams import stream_record

HOUSEHOLD_COLUMNS: dict[str, str] = {
    "household": "row of the population table (0-based); Mesa agent id is household + offset",
    "wealth_group": "HEA wealth group",
    "village": "village index",
    "group": "CdR group index, -1 if not a participant",
    "targeted": "whether the programme targets the household",
    "woman": "whether the participant is a woman",
    "size": "persons",
    "under5": "children under five",
    "land_ha": "rain-fed land cultivated, ha",
    "garden_ha": "dry-season garden, ha",
    "grain_kg": "cereal stock, kg",
    "sr_female": "breeding female goats and sheep, head",
    "sr_other": "other goats and sheep (young, males), head",
    "cattle": "cattle, head",
    "poultry": "poultry, head",
    "tlu": "tropical livestock units",
    "cash": "cash at home, FCFA",
    "savings": "savings in the group, FCFA",
    "debt": "debt, FCFA",
    "adoption": "adoption of improved practices, 0-1",
    "kcal_adequacy": "energy intake / needs in the last month",
    "hdds": "dietary diversity score in the last month, 0-12",
    "whz": "weight-for-height z-score of the index under-five child",
    "coping": "highest livelihood coping level in the last month (0 none .. 3 emergency)",
    "rci": "resilience capacity index at the end of the run, 0-100 over the run's households (sim.rci)",
    "land_quality": "persistent yield multiplier of the household's fields, mean 1",
    "workers": "members aged 15 and over, persons",
    "children": "members under 15 (under-fives included), persons",
    "migrant": "whether a member in migration remits",
    "frailty": "persistent multiplier of the household's risk of illness, mean 1",
    "trade_ability": "persistent multiplier of trade, firewood and craft income, mean 1",
    "livestock_loan": "young animals owed for a traditional livestock loan (habbanaye), head",
    "consumption": "consumption in the last month: food eaten at the month's prices, home produce and non-food spending, FCFA",
}
"""Meaning and unit of every ``households.parquet`` column (the README lists them)."""


@dataclass
class Results:
    """Outputs of one run.

    Attributes
    ----------
    timeseries
        One row per month × wealth group (plus ``all``); see :data:`sim.indicators.COLUMN_DOCS`.
    households
        One row per household at the end of the run; see :data:`HOUSEHOLD_COLUMNS`.
    summary
        Headline figures, run time and the reproducibility record.
    config
        The resolved configuration, as plain containers.
    shocks
        Every shock event: month, type, scope, village, household, severity.
    resilience
        One row per resilience episode; see :data:`sim.resilience.EPISODE_COLUMNS`.
    """

    timeseries: pd.DataFrame
    households: pd.DataFrame
    summary: dict[str, Any]
    config: dict[str, Any]
    shocks: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    resilience: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    model: ResilienceModel | None = field(default=None, repr=False)

    def write(self, folder: str | os.PathLike[str], *, figures: bool = False) -> Path:
        """Write the run's files into ``folder`` (created if needed), ``summary.json`` last.

        With ``figures``, also draw ``overview.png`` (before ``summary.json``).
        """
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        # a folder with summary.json is a complete run: while an earlier run's files are
        # being replaced, it is not
        (out / "summary.json").unlink(missing_ok=True)
        atomic_write(
            out / "timeseries.parquet", lambda p: self.timeseries.to_parquet(p, index=False)
        )
        atomic_write(
            out / "households.parquet", lambda p: self.households.to_parquet(p, index=False)
        )
        atomic_write(out / "shocks.parquet", lambda p: self.shocks.to_parquet(p, index=False))
        atomic_write(
            out / "resilience.parquet", lambda p: self.resilience.to_parquet(p, index=False)
        )
        atomic_write(
            out / "config.yaml",
            lambda p: Path(p).write_text(yaml.safe_dump(self.config, sort_keys=False)),
        )
        if figures:
            from sim import plots  # matplotlib is imported only when figures are drawn

            fig = plots.overview(
                self.timeseries,
                package=self.summary.get("package", "none"),
                regime=self.summary.get("shock_regime", "baseline"),
            )
            atomic_write(out / "overview.png", lambda p: plots.save(fig, p))
        atomic_write(
            out / "summary.json",
            lambda p: Path(p).write_text(json.dumps(self.summary, indent=2, default=json_default)),
        )
        return out


def run_model(config: ModelConfig, *, progress: bool = False, check: bool = True) -> Results:
    """Build and run a :class:`ResilienceModel`; return its :class:`Results`."""
    started = time.perf_counter()
    model = ResilienceModel(config, check=check)
    built = time.perf_counter()
    model.run(progress=progress)
    finished = time.perf_counter()
    ts = model.recorder.frame(model.world)
    hh = household_table(model)
    episodes = model.resilience.episodes()
    shocks = model.shock_log()
    summary = summarise(ts, hh, config)
    summary["shock_regime"] = config.shocks.name
    summary["shocks_dropped"] = shocks_mod.dropped_summary(model.world.shocks)
    summary["replay"] = model.world.replay
    summary["shock_events"] = (
        shocks[shocks["scope"] != "household"]["type"].value_counts().to_dict()
    )
    summary["resilience"] = resilience.summarise(episodes)
    summary["package"] = config.policy.name
    summary["outcomes"] = model.outcomes.summary(model.pop, episodes)
    summary["timing_s"] = {"build": built - started, "run": finished - built}
    summary["provenance"] = provenance(config.seed, stream_record(config.seed))
    return Results(ts, hh, summary, to_dict(config), shocks, episodes, model)


def household_table(model: ResilienceModel) -> pd.DataFrame:
    """One row per household with its end-of-run state."""
    pop = model.pop
    cols = {"household": np.arange(pop.n)}
    for name in HOUSEHOLD_COLUMNS:
        if name == "household":
            continue
        if name == "wealth_group":
            cols[name] = pd.Categorical.from_codes(pop.wealth, categories=list(WEALTH_GROUPS))
        elif name == "tlu":
            cols[name] = tlu(pop, model.config)
        elif name == "rci":
            cols[name] = model.rci.index()
        else:
            cols[name] = getattr(pop, name)
    return pd.DataFrame(cols)


def summarise(ts: pd.DataFrame, hh: pd.DataFrame, config: ModelConfig) -> dict[str, Any]:
    """Headline figures by wealth group over the whole run and at its end."""
    lean = ts["calendar_month"].isin(list(config.indicators.lean_months))
    last = ts["month"] == ts["month"].max()
    out: dict[str, Any] = {
        "households": int(len(hh)),
        "targeted": int(hh["targeted"].sum()),
        "groups": int(hh["group"].max() + 1),
        "months": int(config.months),
        "seed": config.seed,
        "by_group": {},
    }
    for g in GROUPS:
        sel = ts["wealth_group"] == g
        out["by_group"][g] = {
            "kcal_adequacy_mean": float(ts.loc[sel, "kcal_adequacy"].mean()),
            "survival_deficit_share_mean": float(ts.loc[sel, "survival_deficit_share"].mean()),
            "lp_deficit_share_mean": float(ts.loc[sel, "lp_deficit_share"].mean()),
            "gam_prevalence_lean_season": float(ts.loc[sel & lean, "gam_prevalence"].mean()),
            "hdds_mean": float(ts.loc[sel, "hdds"].mean()),
            "tlu_end": float(ts.loc[sel & last, "tlu"].iloc[0]),
            "poverty_share_end": float(ts.loc[sel & last, "poverty_share"].iloc[0]),
            "coping_emergency_share_mean": float(ts.loc[sel, "coping_emergency_share"].mean()),
        }
    return out
