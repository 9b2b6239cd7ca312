"""The README stays true: it documents every output column, config group and the commands."""

from __future__ import annotations

from pathlib import Path

from sim.indicators import COLUMN_DOCS
from sim.resilience import EPISODE_COLUMNS
from sim.results import HOUSEHOLD_COLUMNS
from sim.shocks import LOG_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_output_column_is_documented():
    columns = [*COLUMN_DOCS, *HOUSEHOLD_COLUMNS, *EPISODE_COLUMNS, *LOG_COLUMNS]
    missing = [c for c in columns if f"| `{c}` |" not in README]
    assert missing == []


def test_every_config_group_is_documented():
    groups = sorted(p.name for p in (ROOT / "conf").iterdir() if p.is_dir())
    missing = [g for g in groups if g != "hydra" and f"| `{g}` |" not in README]
    assert missing == []


def test_every_shock_and_regime_is_documented():
    from sim.config import SHOCKS

    assert [s for s in SHOCKS if f"| `{s}` |" not in README] == []
    regimes = sorted(p.stem for p in (ROOT / "conf" / "shocks").glob("*.yaml"))
    assert [r for r in regimes if f"`{r}`" not in README] == []


def test_the_two_commands_are_the_ones_ci_runs():
    assert "pip install uv && uv run resim" in README
    assert "uv run pytest" in README
    assert "uv run pytest" in (ROOT / ".ci" / "run").read_text()
