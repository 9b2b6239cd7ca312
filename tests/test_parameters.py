"""Every number in conf/ has a unit and a source; docs/parameters.md is in step with conf/."""

from __future__ import annotations

from pathlib import Path

from sim.parameters import read, table

ROOT = Path(__file__).resolve().parents[1]


def test_every_parameter_has_a_source_tag():
    params = read(ROOT / "conf", experiments=ROOT / "experiments")
    assert {p.group for p in params} >= {"experiment", "population", "shocks"}
    assert len(params) > 100
    untagged = [f"{p.group}/{p.option}: {p.key}" for p in params if p.is_number and not p.tags]
    assert untagged == []


def test_nested_keys_and_schedule_entries_are_read():
    params = {(p.group, p.option, p.key): p for p in read(ROOT / "conf")}
    assert params[("shocks", "baseline", "drought.probability")].value == "0.12"
    assert ("shocks", "sahel_2012_like", "regime_schedule[0]") in params
    assert not any(k[2].startswith("defaults") for k in params)


def test_parameters_doc_is_up_to_date():
    expected = table()
    actual = (ROOT / "docs" / "parameters.md").read_text(encoding="utf-8")
    assert actual == expected, "run: uv run python -m sim.parameters"
