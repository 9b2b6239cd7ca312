"""Property-based tests: random valid configurations keep every invariant; random invalid
values are refused in one line.

Valid configurations are drawn from the declared type and range of every field
(``sim.config.param`` metadata), not from a hand-written list: a package, a shock regime, a
small size and horizon, the three pillar doses, a shock schedule, and a random subset of all
the other parameters anywhere in their declared ranges.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import re
import subprocess
import sys
import tempfile
import typing
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from sim.compose import compose_config, packages
from sim.config import SHOCKS, TASKS, ConfigError, ModelConfig, build_run_config
from sim.results import run_model

# RESIM_EXAMPLES=2000 uv run pytest tests/test_properties.py explores further.
VALID_EXAMPLES = int(os.environ.get("RESIM_EXAMPLES", 200))
INVALID_EXAMPLES = int(os.environ.get("RESIM_EXAMPLES", 300))
# The same examples on every run by default (a failure reproduces as it is); CI sets
# RESIM_PROPERTY_SEED to the date, so that each day's run explores new configurations (the
# seed of a failure is in the log: set it again to reproduce).
PROPERTY_SEED = os.environ.get("RESIM_PROPERTY_SEED")
DERANDOMIZE = PROPERTY_SEED is None
explore = seed(int(PROPERTY_SEED)) if PROPERTY_SEED else (lambda test: test)

# Fields whose value is drawn separately (sizes, horizon, schedules) or that only label.
SIZED = {
    "seed",
    "years",
    "population.households",
    "population.villages",
    "policy.targeting.households",
    "policy.schedule.start_year",
    "shocks.schedule",
    "shocks.regime_schedule",
    "shocks.replay.file",
    "shocks.name",
    "policy.name",
    "policy.productive.dose",
    "policy.financial.dose",
    "policy.social.dose",
}


@dataclasses.dataclass(frozen=True)
class Leaf:
    """A scalar or list field of the model configuration with its declared type and range."""

    path: str
    tp: Any
    meta: dict[str, Any]


def leaves(cls: type = ModelConfig, prefix: str = "") -> list[Leaf]:
    """Every non-dataclass field under ``cls``, with its dotted path."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        path = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(tp):
            out.extend(leaves(tp, f"{path}."))
        else:
            out.append(Leaf(path, tp, dict(f.metadata)))
    return out


LEAVES = [leaf for leaf in leaves() if leaf.path not in SIZED]


def scalar(tp: Any, meta: dict[str, Any]) -> st.SearchStrategy:
    """Values of one scalar of type ``tp`` within its declared range."""
    lo, hi = meta.get("lo"), meta.get("hi")
    if tp is bool:
        return st.booleans()
    if tp is str:
        return st.sampled_from(meta["choices"])
    if tp is int:
        return st.integers(min_value=int(lo), max_value=int(hi))
    assert tp is float and lo is not None and hi is not None
    return st.floats(
        min_value=float(lo),
        max_value=float(hi),
        exclude_min=bool(meta.get("lo_open")),
        allow_nan=False,
        allow_infinity=False,
    )


def value(leaf: Leaf) -> st.SearchStrategy:
    """Values of ``leaf`` within its declared type, length and range."""
    if typing.get_origin(leaf.tp) is tuple:
        (item, _) = typing.get_args(leaf.tp)
        n = leaf.meta.get("length")
        size = {"min_size": n, "max_size": n} if n else {"min_size": 0, "max_size": 12}
        return st.lists(scalar(item, leaf.meta), **size)
    return scalar(leaf.tp, leaf.meta)


@functools.cache
def base(package: str, regime: str) -> dict[str, Any]:
    """The composed config of a package and a shock regime (composed once per pair)."""
    return compose_config(f"package={package}", f"shocks={regime}", "task=run")


def regimes() -> list[str]:
    from sim.compose import conf_dir

    return sorted(p.stem for p in (conf_dir() / "shocks").glob("*.yaml"))


def set_path(data: dict[str, Any], path: str, val: Any) -> None:
    *parents, last = path.split(".")
    node = data
    for p in parents:
        node = node[p]
    node[last] = val


def get_path(data: dict[str, Any], path: str) -> Any:
    node = data
    for p in path.split("."):
        node = node[p]
    return node


def repair(data: dict[str, Any]) -> None:
    """Make a draw consistent where the config demands it (min ≤ max, shares not all 0)."""
    for leaf in leaves():
        if "_min" not in leaf.path:
            continue
        other = leaf.path.replace("_min", "_max")
        try:
            lo, hi = get_path(data, leaf.path), get_path(data, other)
        except KeyError:
            continue
        if isinstance(lo, list):
            pairs = [sorted(p) for p in zip(lo, hi, strict=True)]
            set_path(data, leaf.path, [a for a, _ in pairs])
            set_path(data, other, [b for _, b in pairs])
        elif lo > hi:
            set_path(data, leaf.path, hi)
            set_path(data, other, lo)
    shares = data["population"]["wealth_shares"]
    if sum(shares) <= 0:
        shares[0] = 1.0
    for entry in data["shocks"]["schedule"]:  # no dated shock before the run starts
        if entry["year"] == 0 and entry["type"] in (
            "flood",
            "price_spike",
            "livestock_disease",
            "insecurity",
        ):
            entry["month"] = max(entry["month"], data["start_month"])


@st.composite
def valid_configs(draw) -> dict[str, Any]:
    """A random valid, small configuration: package, regime and the changed values by path."""
    years = draw(st.integers(1, 3))
    households = draw(st.integers(20, 80))
    changes: dict[str, Any] = {
        "package": draw(st.sampled_from(packages())),
        "shocks": draw(st.sampled_from(regimes())),
        "years": years,
        "seed": draw(st.integers(0, 2**63 - 1)),
        "population.households": households,
        "population.villages": draw(st.integers(1, 70)),
        "policy.targeting.households": draw(st.integers(0, households + 10)),
        "policy.schedule.start_year": draw(st.integers(0, years - 1)),
    }
    for pillar in ("productive", "financial", "social"):
        changes[f"policy.{pillar}.dose"] = draw(st.floats(0, 1))
    changes["shocks.schedule"] = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(SHOCKS),
                    "year": st.integers(0, years - 1),
                    "severity": st.floats(0, 1),
                    "month": st.integers(0, 12),
                }
            ),
            max_size=3,
        )
    )
    for leaf in draw(st.lists(st.sampled_from(LEAVES), max_size=12, unique_by=lambda x: x.path)):
        changes[leaf.path] = draw(value(leaf))
    return changes


def materialise(changes: dict[str, Any]) -> dict[str, Any]:
    """The composed config dict of a draw, made consistent (see :func:`repair`)."""
    data = _copy(base(changes["package"], changes["shocks"]))
    for path, val in changes.items():
        if path not in ("package", "shocks"):
            set_path(data, path, _copy(val))
    repair(data)
    return data


def _copy(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_copy(v) for v in data]
    return data


@explore
@settings(
    max_examples=VALID_EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(valid_configs())
def test_random_valid_configurations_keep_every_invariant(changes):
    run = build_run_config(materialise(changes))  # a valid draw must validate
    res = run_model(run.model, check=True)  # raises InvariantError on any breach
    ts = res.timeseries
    assert len(ts) and ts["month"].max() == 12 * run.model.years - 1
    ts = ts[ts["households"] > 0].copy()  # an empty group (no targeted households) has no means
    hh = res.households
    children = hh.groupby("wealth_group", observed=False)["under5"].sum().to_dict()
    children |= {"all": hh["under5"].sum(), "programme": hh.loc[hh.targeted, "under5"].sum()}
    no_child = ts["wealth_group"].astype(str).map(children).to_numpy() == 0
    # child indicators are means over under-fives: undefined in a group without any
    assert ts.loc[no_child, ["gam_prevalence", "whz"]].isna().all().all()
    ts.loc[no_child, ["gam_prevalence", "whz"]] = 0.0
    numeric = ts.drop(columns=["wealth_group"]).select_dtypes("number")
    finite = np.isfinite(numeric.to_numpy(dtype=float))
    assert finite.all(), f"non-finite {list(numeric.columns[~finite.all(axis=0)])}"
    shares = [c for c in ts.columns if c.endswith("_share") or c == "gam_prevalence"]
    inside = (ts[shares] >= 0) & (ts[shares] <= 1)
    assert inside.all().all(), f"shares outside [0, 1]: {list(inside.columns[~inside.all()])}"
    assert len(hh) == run.model.population.households
    assert np.isfinite(hh.select_dtypes("number").to_numpy(dtype=float)).all()
    assert math.isfinite(res.summary["outcomes"]["cost_fcfa"])


# --------------------------------------------------------------------------- invalid input

RESERVED = {"true", "false", "null", "nan", "inf", "none", "yes", "no", "on", "off"}


def experiment_leaves() -> list[Leaf]:
    """Fields of the experiment keys (``replicates``, ``method``, ``executor.*``, …)."""
    from sim.config import ExperimentConfig

    return [
        leaf
        for leaf in leaves(ExperimentConfig)
        if leaf.meta.get("lo") is not None or leaf.meta.get("choices") or leaf.tp is bool
    ]


TOP = [
    Leaf("task", str, {"choices": TASKS}),
    Leaf("progress", bool, {}),
    Leaf("write", bool, {}),
    Leaf("verbose", bool, {}),
]
CHECKED = [
    leaf
    for leaf in [*leaves(), *experiment_leaves(), *TOP]
    if leaf.path not in ("shocks.schedule", "shocks.regime_schedule", "shocks.name", "policy.name")
    and not leaf.path.startswith(("uncertainties.factors", "levers.factors"))
]


def bad_scalar(tp: Any, meta: dict[str, Any]) -> st.SearchStrategy:
    """Values of the wrong type or outside the declared range of a scalar."""
    lo, hi, lo_open = meta.get("lo"), meta.get("hi"), meta.get("lo_open", False)
    words = st.from_regex(r"[a-z][a-z_]{1,12}", fullmatch=True).filter(
        lambda w: w not in RESERVED and w not in (meta.get("choices") or ())
    )
    if tp is bool:
        return st.one_of(words, st.integers(-5, 5), st.floats(-2, 2).filter(lambda x: x != 0))
    if tp is str:
        return words
    out = [words, st.just([1, 2])]
    if lo is not None:
        below = st.floats(max_value=lo, exclude_max=not lo_open, allow_nan=False)
        out.append(below.filter(lambda x: math.isfinite(x)))
    if hi is not None and tp is int:
        out.append(st.integers(min_value=int(hi) + 1, max_value=int(hi) + 10**9))
    elif hi is not None:
        out.append(st.floats(min_value=hi, exclude_min=True, allow_infinity=False, allow_nan=False))
    if tp is int:
        lo_i = -(10**6) if lo is None else lo
        hi_i = 10**6 if hi is None else min(hi, 10**6)
        out.append(st.floats(lo_i, hi_i).filter(lambda x: not float(x).is_integer()))
        if lo is not None:
            out.append(st.integers(max_value=int(lo) - 1))
    else:
        out.append(st.sampled_from([math.nan, math.inf, -math.inf]))
    return st.one_of(out)


@st.composite
def invalid_values(draw) -> tuple[str, Any]:
    """A parameter path and a value it must refuse."""
    leaf = draw(st.sampled_from(CHECKED))
    if typing.get_origin(leaf.tp) is tuple:
        (item, _) = typing.get_args(leaf.tp)
        n = leaf.meta.get("length")
        good = scalar(item, leaf.meta) if leaf.meta.get("lo") is not None else st.just("x")
        options = [bad_scalar(item, leaf.meta).filter(lambda v: not isinstance(v, list))]
        if n:
            options.append(st.lists(good, min_size=0, max_size=14).filter(lambda v: len(v) != n))
        if item is not str:
            size = n or 3
            options.append(
                st.tuples(
                    st.lists(good, min_size=size, max_size=size), st.integers(0, size - 1)
                ).flatmap(
                    lambda p, item=item, meta=leaf.meta: (
                        bad_scalar(item, meta)
                        .filter(lambda v: not isinstance(v, list))
                        .map(lambda bad, p=p: [*p[0][: p[1]], bad, *p[0][p[1] + 1 :]])
                    )
                )
            )
        value_ = draw(st.one_of(options))
        return leaf.path, value_
    return leaf.path, draw(bad_scalar(leaf.tp, leaf.meta))


def hydra_value(v: Any) -> str:
    """``v`` written as a Hydra override value."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "[" + ",".join(hydra_value(x) for x in v) + "]"
    if isinstance(v, float):
        return {math.inf: "inf", -math.inf: "-inf"}.get(v, "nan" if math.isnan(v) else repr(v))
    return str(v)


def assert_one_line_about(message: str, path: str) -> None:
    assert "\n" not in message
    assert "Traceback" not in message
    assert re.match(rf"{re.escape(path)}(\[\d+\])? = ", message), (path, message)


@explore
@settings(
    max_examples=INVALID_EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    # a busy machine can slow the drawing of cases; time is never what these tests check
    suppress_health_check=[HealthCheck.too_slow],
)
@given(invalid_values())
def test_invalid_values_are_refused_in_one_line(case):
    path, bad = case
    data = _copy(base("none", "baseline"))
    set_path(data, path, bad)
    with pytest.raises(ConfigError) as err:
        build_run_config(data)
    assert_one_line_about(str(err.value), path)


@pytest.fixture(scope="module")
def hydra_app():
    """Hydra initialised once for the module, as inside the ``resim`` app."""
    from hydra import initialize_config_dir

    from sim.compose import conf_dir

    with initialize_config_dir(config_dir=str(conf_dir()), version_base="1.3"):
        yield


@explore
@settings(
    max_examples=max(20, INVALID_EXAMPLES // 6),
    deadline=None,
    derandomize=DERANDOMIZE,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=invalid_values())
def test_invalid_overrides_are_refused_before_any_output(hydra_app, tmp_path, case):
    import sim

    path, bad = case
    out = Path(tempfile.mkdtemp(dir=tmp_path)) / "out"
    override = f"{path}={hydra_value(bad)}"
    with pytest.raises(ConfigError) as err:
        sim.simulate("task=run", "years=1", "population.households=20", override, output=out)
    assert_one_line_about(str(err.value), path)
    assert not out.exists()


@explore
@settings(
    max_examples=5,
    deadline=None,
    derandomize=DERANDOMIZE,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=invalid_values())
def test_random_invalid_overrides_through_the_cli(tmp_path, case):
    path, bad = case
    out = Path(tempfile.mkdtemp(dir=tmp_path)) / "out"
    resim = str(Path(sys.executable).parent / "resim")
    proc = subprocess.run(
        [resim, "task=run", f"{path}={hydra_value(bad)}", f"hydra.run.dir={out}"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.splitlines()
    assert line.startswith("resim: error: ")
    assert_one_line_about(line.removeprefix("resim: error: "), path)
    assert not out.exists()
