"""Bad input stops before any work: exit code 2, one line naming the parameter, the value
and what is allowed, no traceback, no output. The table of bad inputs goes through the command's
entry point in the test process; the command itself is launched for ``python -m sim``, the
traceback of ``verbose=true`` and a few of the table's inputs."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import command
import pytest

from sim import checks, errors
from sim.config import ConfigError
from sim.ledger import InvariantError

ROOT = Path(__file__).resolve().parents[1]
RESIM = str(Path(sys.executable).parent / "resim")

SMALL = ("task=run", "population.households=20", "years=1", "progress=false")

# (arguments, fragments the one line must contain)
BAD_INPUTS: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("population.households=-5",), ("population.households = -5: must be in [1, inf]",)),
    (("population.households=0",), ("population.households = 0: must be in [1, inf]",)),
    (("shocks.drought.probability=1.5",), ("shocks.drought.probability = 1.5: must be in [0, 1]",)),
    (
        ("policy.targeting.woman_share=-0.1",),
        ("policy.targeting.woman_share = -0.1: must be in [0, 1]",),
    ),
    (("climate.rain_mean_mm=0",), ("climate.rain_mean_mm = 0.0: must be in (0, 5000]",)),
    (("years=ten",), ("years = 'ten': expected an integer",)),
    (("years=2.5",), ("years = 2.5: expected an integer",)),
    (("progress=maybe",), ("progress = 'maybe': expected true or false",)),
    (("seed=-1",), ("seed = -1: must be in [0, ",)),
    (
        ("market.millet_price=[100,200]",),
        ("market.millet_price = [100, 200]: expected 12 values (Jan..Dec), got 2",),
    ),
    (
        ("policy.financial.cash_transfer.months=[0]",),
        ("policy.financial.cash_transfer.months[0] = 0: must be in [1, 12]",),
    ),
    (
        ("package=ful_cdr",),
        ("package = 'ful_cdr': unknown; did you mean full_cdr?", "(allowed: cash,"),
    ),
    (("shocks=histrical",), ("shocks = 'histrical': unknown; did you mean historical?",)),
    (("executor=daks",), ("executor = 'daks': unknown; did you mean dask?",)),
    (("population=3",), ("population = '3': unknown (allowed: bandiagara)",)),
    (
        ("+experiment=programme_as_rum",),
        ("experiment = 'programme_as_rum': unknown; did you mean programme_as_run?",),
    ),
    (("hydra/launcher=jobllib",), ("hydra/launcher = 'jobllib': unknown; did you mean joblib?",)),
    (("task=runn",), ("task = 'runn': unknown; did you mean run?",)),
    (
        ("population.househods=3",),
        (
            "population.househods = 3: unknown parameter; did you mean households?",
            "(allowed: households,",
        ),
    ),
    (
        ("shocks.drought.probabilty=0.2",),
        ("shocks.drought.probabilty = 0.2: unknown parameter; did you mean probability",),
    ),
    (("packges=[none]",), ("packges = [none]: unknown parameter; did you mean packages",)),
    (
        ("packages=[none,ful_cdr",),
        ("packages = '[none,ful_cdr': cannot read this override", "write key=value"),
    ),
    (("population.households",), ("'population.households': cannot read this override",)),
    (
        ("task=compare", "packages=[none,ful_cdr]"),
        ("packages[1] = 'ful_cdr': unknown; did you mean full_cdr?",),
    ),
    (("task=compare", "baseline=cash"), ("baseline = 'cash': must be one of packages",)),
    (
        ("task=compare", "packages=[none,cash,none]"),
        ("packages = ['none', 'cash', 'none']: 'none' is named twice",),
    ),
    (("replicates=0",), ("replicates = 0: must be in [1, 100000]",)),
    (("method=sobel",), ("method = 'sobel': unknown; did you mean sobol?",)),
    (("executor.workers=-1",), ("executor.workers = -1: must be in [0, 4096]",)),
    (
        ("task=sensitivity", "sensitivity.outcomes=[gam_man]"),
        ("sensitivity.outcomes[0] = 'gam_man': unknown; did you mean gam_mean",),
    ),
    (
        ("task=sensitivity", "sensitivity.packages=[none,ful_cdr]"),
        ("sensitivity.packages[1] = 'ful_cdr': unknown; did you mean full_cdr?",),
    ),
    (
        (
            "task=sensitivity",
            "sensitivity.kind=levers",
            "levers.factors=[{name: policy.productive.dose, low: 0, high: 2, unit: d, source: s}]",
        ),
        (
            "levers.factors[0].high = 2.0: outside what policy.productive.dose allows (must be in [0, 1])",
        ),
    ),
    (
        ("task=sensitivity", "sensitivity.N=3"),
        ("sensitivity.N = 3: must be a power of 2 for method=sobol (e.g. 2 or 4)",),
    ),
    (
        (
            "task=sensitivity",
            "uncertainties.factors=[{name: seed, low: 1, high: 9, unit: '-', source: s}]",
        ),
        ("uncertainties.factors[0].name = 'seed': the root of the random streams",),
    ),
    (
        (
            "task=discover",
            "uncertainties.factors=[{name: executor.workers, low: 1, high: 2, unit: '-', source: s}]",
        ),
        ("uncertainties.factors[0].name = 'executor.workers': a setting of the study",),
    ),
    (
        (
            "task=sensitivity",
            "uncertainties.factors=[{name: shocks.drought.probabilty, low: 0, high: 1, unit: '-', source: s}]",
        ),
        (
            "uncertainties.factors[0].name = 'shocks.drought.probabilty': not a model parameter; "
            "did you mean shocks.drought.probability",
        ),
    ),
    (
        ("task=sensitivity", "sensitivity.kind=levers", "levers.package=cash"),
        (
            "levers.factors[0].name = 'policy.productive.dose': no effect in package 'cash' "
            "(none of the productive pillar's instruments is on)",
        ),
    ),
    (
        ("task=discover", "discover.outcome=backslidin"),
        ("discover.outcome = 'backslidin': unknown; did you mean backsliding_share",),
    ),
    (
        ("task=synergy", "synergy.doses=[0.5,1]"),
        ("synergy.doses = [0.5, 1.0]: give 0 and at least one other dose",),
    ),
    (
        ("task=collect", "collect.dir=/no/such/sweep"),
        ("collect.dir = '/no/such/sweep': must be an existing sweep folder",),
    ),
    (
        ("years=3", "policy.schedule.start_year=5"),
        ("policy.schedule.start_year = 5: must be in [0, 2]",),
    ),
    (
        ("shocks.schedule=[{type: droght, year: 1, severity: 0.5}]",),
        ("shocks.schedule[0].type = 'droght': unknown; did you mean drought?",),
    ),
    (
        ("years=3", "shocks.schedule=[{type: flood, year: 3, severity: 0.5}]"),
        ("shocks.schedule[0].year = 3: must be in [0, 2]",),
    ),
    (
        ("start_month=6", "shocks.schedule=[{type: flood, year: 0, severity: 0.5, month: 3}]"),
        ("shocks.schedule[0].month = 3 is before the run starts (start_month = 6)",),
    ),
    (
        ("shocks.livestock_disease.ppr_mortality_min=0.9",),
        (
            "shocks.livestock_disease.ppr_mortality_min = 0.9: must not exceed shocks.livestock_disease.ppr_mortality_max = 0.5",
        ),
    ),
    (
        ("population.size_min=[5,6,8,20]",),
        (
            "population.size_min = [5, 6, 8, 20]: must not exceed population.size_max = [6, 8, 10, 14]",
        ),
    ),
    (("verbose=maybe",), ("verbose = 'maybe': expected true or false",)),
    (
        ("-m", "seed=1,2", "package=none,ful_cdr"),
        ("package = 'ful_cdr': unknown; did you mean full_cdr?",),
    ),
    (
        ("-m", "years=1,3", "shocks.schedule=[{type: drought, year: 2, severity: 0.5}]"),
        ("shocks.schedule[0].year = 2: must be in [0, 0]",),
    ),
]


def _argv(args: tuple[str, ...], tmp: Path) -> tuple[list[str], Path, Path]:
    """The command line of a case, its output folder and its (new, empty) working folder."""
    out, cwd = tmp / "out", tmp / "cwd"
    cwd.mkdir(parents=True)
    flags = [a for a in args if a.startswith("-")]  # before the overrides, as argparse wants
    overrides = [a for a in args if not a.startswith("-")]
    return [*flags, *SMALL, *overrides, f"hydra.run.dir={out}", f"hydra.sweep.dir={out}"], out, cwd


def _run(args: tuple[str, ...], tmp: Path, module: bool = False) -> dict:
    """``resim`` (``python -m sim`` if ``module``) launched on ``args``."""
    argv, out, cwd = _argv(args, tmp)
    cmd = [sys.executable, "-m", "sim"] if module else [RESIM]
    proc = subprocess.run(
        [*cmd, *argv], capture_output=True, text=True, cwd=cwd, timeout=300, env=_env(cwd)
    )
    return {"proc": proc, "out": out, "cwd": cwd}


def _run_many(cases: list[tuple[str, ...]], tmp: Path) -> list[dict]:
    """The command's entry point on each case, in two Python processes (:mod:`command`)."""
    lines = [_argv(args, tmp / f"case{i}") for i, args in enumerate(cases)]
    done = command.resim_many([(argv, cwd, _env(cwd)) for argv, _, cwd in lines])
    return [
        {"proc": d, "out": out, "cwd": cwd} for d, (_, out, cwd) in zip(done, lines, strict=True)
    ]


def _env(cwd: Path) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k != "HYDRA_FULL_ERROR"}
    env["PYTHONPATH"] = str(ROOT)  # `-m sim` from another folder imports this tree
    return env


@pytest.fixture(scope="module")
def refused(tmp_path_factory) -> list[dict]:
    """Every bad input of the table, through the command's entry point in this process (the
    tests below launch the command itself)."""
    base = tmp_path_factory.mktemp("bad")
    return _run_many([args for args, _ in BAD_INPUTS], base)


def assert_refused(result: dict, fragments: tuple[str, ...]) -> str:
    proc = result["proc"]
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr  # one line, no traceback, no warnings
    line = lines[0]
    assert line.startswith("resim: error: ")
    for fragment in fragments:
        assert fragment in line
    assert proc.stdout == ""
    assert not result["out"].exists()  # no output folder at all
    assert not list(result["cwd"].iterdir())  # nothing in the working folder either
    return line


def test_the_table_has_at_least_twenty_distinct_bad_inputs():
    assert len({args for args, _ in BAD_INPUTS}) >= 20


@pytest.mark.parametrize(
    ("case", "fragments"),
    [pytest.param(i, f, id=" ".join(a)[:60]) for i, (a, f) in enumerate(BAD_INPUTS)],
)
def test_bad_input_exits_2_with_one_line_and_no_output(refused, case, fragments):
    assert_refused(refused[case], fragments)


LAUNCHED = [
    i
    for i, (args, _) in enumerate(BAD_INPUTS)
    if args
    in (
        ("packages=[none,ful_cdr",),  # an override Hydra cannot read
        ("task=sensitivity", "sensitivity.N=3"),  # a study's setting
        ("-m", "years=1,3", "shocks.schedule=[{type: drought, year: 2, severity: 0.5}]"),  # a sweep
    )
]


def test_the_launched_command_refuses_as_its_entry_point_does(refused, tmp_path):
    assert len(LAUNCHED) == 3
    with ThreadPoolExecutor(max_workers=3) as pool:
        jobs = {i: pool.submit(_run, BAD_INPUTS[i][0], tmp_path / f"case{i}") for i in LAUNCHED}
    for i, job in jobs.items():
        line = assert_refused(job.result(), BAD_INPUTS[i][1])
        assert line == refused[i]["proc"].stderr.strip()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("package=ful_cdr",), "package = 'ful_cdr': unknown; did you mean full_cdr?"),
        (("population.househods=3",), "population.househods = 3: unknown parameter"),
    ],
)
def test_python_m_sim_refuses_the_same_way(tmp_path, args, fragment):
    assert_refused(_run(args, tmp_path, module=True), (fragment,))


def test_verbose_adds_the_traceback(tmp_path):
    result = _run(("verbose=true", "population.households=-5"), tmp_path)
    proc = result["proc"]
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert lines[0] == "resim: error: population.households = -5: must be in [1, inf]"
    assert "Traceback (most recent call last)" in proc.stderr
    assert "ConfigError" in proc.stderr
    assert not result["out"].exists()


def test_verbose_traceback_for_hydra_errors_too(tmp_path):
    proc = _run(("verbose=true", "package=ful_cdr"), tmp_path)["proc"]
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[0].startswith("resim: error: package = 'ful_cdr': unknown")
    assert "MissingConfigException" in proc.stderr


def test_invariant_failure_is_one_line_with_exit_code_3(capsys):
    err = InvariantError("month 4: cash of household 7 changed by 10 but its flows sum to 0")
    with pytest.raises(SystemExit) as stop:
        errors.fail(err)
    assert stop.value.code == errors.EXIT_INVARIANT == 3
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("resim: error: invariant violated: month 4: cash of household 7")
    assert "a defect of the model" in lines[0]


def test_config_error_through_fail_is_exit_code_2(capsys):
    with pytest.raises(SystemExit) as stop:
        errors.fail(ConfigError("years = 0: must be in [1, 200]"))
    assert stop.value.code == 2
    assert capsys.readouterr().err == "resim: error: years = 0: must be in [1, 200]\n"


def test_large_sweeps_are_checked_value_by_value():
    jobs = checks.sweep_jobs(["seed=range(0,50)", "package=none,cash,full_cdr", "years=2"])
    assert len(jobs) == 1 + 49 + 2  # linear, not 150
    assert {j[1] for j in jobs} == {"package=none", "package=cash", "package=full_cdr"}
    assert {j[0] for j in jobs} == {f"seed={i}" for i in range(50)}
    assert all(j[2] == "years=2" for j in jobs)
    small = checks.sweep_jobs(["seed=1,2", "package=none,cash"])
    assert sorted(map(tuple, small)) == [
        ("seed=1", "package=cash"),
        ("seed=1", "package=none"),
        ("seed=2", "package=cash"),
        ("seed=2", "package=none"),
    ]


def test_verbose_is_read_from_the_command_line():
    assert errors.verbose_requested(["task=run", "verbose=true"])
    assert errors.verbose_requested(["+verbose=True"])
    assert not errors.verbose_requested(["verbose=false"])
    assert not errors.verbose_requested(["progress=true"])
    assert not errors.verbose_requested(["verbose=true", "verbose=false"])  # the last wins
