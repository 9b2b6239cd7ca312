"""Faults around the model: one writer per folder, workers that end with their parent,
resources checked before work, files read validated, output streams, deterministic tables.
Each reproduction about the process (signals, workers, locks held by a running command, resource
limits, streams) runs ``resim`` (or a plain script) as a real subprocess, as a user would; the
answers to a given input call the command's entry point in the test process."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import command
import pandas as pd
import pytest

import sim
from sim import errors
from sim.config import ConfigError

ROOT = Path(__file__).resolve().parents[1]
RESIM = str(Path(sys.executable).parent / "resim")
TABLES = ("comparison.csv", "runs.parquet", "series.parquet", "shocks.parquet")
COMPARE = (
    "task=compare",
    "packages=[none,cash]",
    "replicates=4",
    "population.households=400",
    "years=3",
    "executor=processes",
    "executor.workers=2",
    "executor.flush_every=1",
    "progress=false",
)


def on_executor(executor: str) -> list[str]:
    """The overrides of COMPARE on another executor, for :func:`sim.compare` (no command)."""
    return [a for a in COMPARE if not a.startswith("executor=")] + [f"executor={executor}"]


def resim(*args: str, cwd: Path, timeout: float = 600, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [RESIM, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout, **kw
    )


def start(*args: str, cwd: Path, command: list[str] | None = None) -> subprocess.Popen:
    """A command in a session of its own: its workers share its process group.

    It starts with Ctrl-C's default action, as a terminal's shell starts a command: a suite
    run in the background (``&`` in a script) ignores SIGINT, and a command inherits that.
    """
    return subprocess.Popen(
        [*(command or [RESIM]), *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=default_interrupt,
    )


def default_interrupt() -> None:
    """In a new command, before it runs: SIGINT to its default action (Python's Ctrl-C)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def freeze(proc: subprocess.Popen) -> None:
    """Stop the command started by :func:`start` and its workers (SIGSTOP to its group).

    A small comparison stores its last runs within a second of its first ones and then
    finishes: frozen, it stays where the test found it (mid-run, holding its folder's lock)
    however long a busy machine makes the test take to look and act.
    """
    os.killpg(proc.pid, signal.SIGSTOP)


def thaw(proc: subprocess.Popen) -> None:
    """Let the command stopped by :func:`freeze` go on."""
    os.killpg(proc.pid, signal.SIGCONT)


def group(pgid: int) -> list[str]:
    """Processes still alive in process group ``pgid``."""
    out = subprocess.run(["ps", "-eo", "pid=,pgid=,stat=,args="], capture_output=True, text=True)
    alive = []
    for line in out.stdout.splitlines():
        pid, pg, stat, *args = line.split(maxsplit=3)
        if int(pg) == pgid and not stat.startswith("Z"):
            alive.append(f"{pid} {' '.join(args)}")
    return alive


def wait_for(condition, timeout: float = 300, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc is None or proc.poll() is None, "the command ended before the test could act"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def shards(folder: Path) -> int:
    return len(list((folder / "shards").glob("outcomes-*.parquet")))


def digest(folder: Path) -> dict[str, str]:
    """Hash of every file under ``folder`` (by relative path)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def assert_refused(proc: subprocess.CompletedProcess, fragment: str, code: int = 2) -> None:
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == code, proc.stderr
    assert len(lines) == 1 and lines[0].startswith("resim: error: "), proc.stderr
    assert fragment in lines[0], lines[0]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """The comparison of COMPARE, run once without interruption."""
    out = tmp_path_factory.mktemp("reference") / "run"
    proc = resim(*COMPARE, f"hydra.run.dir={out}", cwd=out.parent)
    assert proc.returncode == 0, proc.stderr
    return out


# --------------------------------------------------------------------------- one writer per folder


@pytest.mark.slow
def test_a_second_command_on_a_busy_folder_is_refused_and_touches_nothing(tmp_path, reference):
    out = tmp_path / "run"
    first = start(*COMPARE, f"hydra.run.dir={out}", cwd=tmp_path)
    wait_for(lambda: (out / ".resim.lock").exists() and shards(out) >= 1, proc=first)
    freeze(first)  # still running, holding the lock, while the second command tries
    try:
        record = (out / ".hydra" / "config.yaml").read_bytes()
        second = command.resim(*COMPARE, f"hydra.run.dir={out}", cwd=tmp_path)
    finally:
        thaw(first)
    assert_refused(
        second, f"hydra.run.dir = '{out}': in use by another resim command (pid {first.pid}"
    )
    assert first.wait(timeout=600) == 0, first.stderr.read()
    assert (out / ".hydra" / "config.yaml").read_bytes() == record
    assert not (out / ".resim.lock").exists()  # released with the command
    for name in TABLES:  # the one writer's tables are those of an undisturbed run
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    log = pd.read_parquet(out / "shocks.parquet")
    assert not log.duplicated().any()


@pytest.mark.slow
def test_another_command_into_a_finished_experiment_is_refused_untouched(tmp_path, reference):
    out = tmp_path / "run"
    shutil.copytree(reference, out)
    before = digest(out)
    other = [a for a in COMPARE if not a.startswith("packages=")] + ["packages=[none,full_cdr]"]
    proc = command.resim(*other, f"hydra.run.dir={out}", cwd=tmp_path)
    assert_refused(proc, "holds the experiment of another command (resim task=compare")
    assert digest(out) == before


# --------------------------------------------------------------------------- signals


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "code"),
    [(signal.SIGKILL, -signal.SIGKILL), (signal.SIGTERM, 143), (signal.SIGINT, 130)],
)
def test_workers_end_with_the_main_process_and_the_run_resumes_identically(
    tmp_path, reference, sig, code
):
    out = tmp_path / "run"
    proc = start(*COMPARE, f"hydra.run.dir={out}", cwd=tmp_path)
    wait_for(lambda: shards(out) >= 2, proc=proc)
    freeze(proc)  # mid-run while the test looks
    running = group(proc.pid)
    sent = time.monotonic()
    # going on a moment before the signal, which reaches a running command as outside a test
    # (killed while frozen, the rest of the group would be orphaned and the kernel would end
    # the resource tracker with SIGHUP; a Ctrl-C kept waiting for the group was sometimes lost)
    thaw(proc)
    os.kill(proc.pid, sig)  # the main process only, as a scheduler or a parent would
    _, err = proc.communicate(timeout=60)
    assert len(running) >= 3, running  # the main process and its two workers
    assert proc.returncode == code, err
    assert time.monotonic() - sent < 15
    if sig != signal.SIGKILL:
        assert (
            err.strip()
            .splitlines()[-1]
            .startswith(f"resim: {'interrupted' if sig == signal.SIGINT else 'terminated'} (")
        )
    wait_for(lambda: not group(proc.pid), timeout=15)  # no orphaned worker
    assert not (out / "summary.json").exists()
    assert 2 <= shards(out) < 8
    if sig == signal.SIGKILL:  # the dead run's lock file is still there, naming it
        assert f"pid {proc.pid} " in (out / ".resim.lock").read_text()
        assert err.strip() == ""  # nor does the resource tracker warn as it tidies up
    else:  # a command that unwinds removes its lock as it ends
        assert not (out / ".resim.lock").exists()
    # resumed on another executor: the same tables, byte for byte; after a kill by the
    # command (which takes the dead run's lock over), after the others through the API
    if sig == signal.SIGKILL:
        args = (*COMPARE, "executor=serial", "report.lang=en", f"hydra.run.dir={out}")
        again = command.resim(*args, cwd=tmp_path)
        assert again.returncode == 0, again.stderr
    else:
        sim.compare(*on_executor("serial"), output=out)
    for name in TABLES:
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name


@pytest.mark.slow
def test_ctrl_c_under_uv_run_ends_within_seconds(tmp_path):
    uv = shutil.which("uv")
    assert uv is not None, "uv runs the README's commands"
    out = tmp_path / "run"
    command = [uv, "run", "--no-sync", "--project", str(ROOT), "resim"]
    proc = start(*COMPARE, f"hydra.run.dir={out}", cwd=ROOT, command=command)
    wait_for(lambda: shards(out) >= 1, proc=proc)
    sent = time.monotonic()
    os.kill(proc.pid, signal.SIGINT)  # to uv, as the terminal would
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert time.monotonic() - sent < 15
    assert err.strip().splitlines()[-1].startswith("resim: interrupted (")
    wait_for(lambda: not group(proc.pid), timeout=15)


def test_workers_ended_while_sending_a_result_let_the_main_process_exit(tmp_path):
    """Ctrl-C ends the workers wherever they are, also halfway through sending a result: the
    main process must still exit (not wait for the rest of the message). Large results make
    that moment certain."""
    (tmp_path / "payload.py").write_text("def payload(n):\n    return bytes(n)\n")
    (tmp_path / "stop.py").write_text(
        "from sim.analysis.executor import ProcessExecutor\n"
        "from payload import payload\n"
        "ex = ProcessExecutor(2)\n"
        "results = ex.map(payload, [32_000_000] * 20)\n"
        "next(results)\n"
        "ex.close(abort=True)\n"
        "print('closed')\n"
    )
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "stop.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(tmp_path)),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "closed" and proc.stderr == ""
    assert time.monotonic() - started < 30


def test_a_plain_script_without_a_main_guard_runs_once(tmp_path):
    script = tmp_path / "study.py"
    script.write_text(
        "import sim\n"
        "print('top level ran')\n"
        "c = sim.compare('packages=[none,cash]', 'replicates=2', 'population.households=50',\n"
        "                'years=2', 'executor=processes', 'executor.workers=2')\n"
        "print('compared', len(c.runs))\n"
    )
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=600
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("top level ran") == 1  # the workers do not re-run the script
    assert "compared 4" in proc.stdout


# --------------------------------------------------------------------------- resources first


def test_an_impossible_population_is_refused_before_any_allocation(tmp_path):
    started = time.monotonic()
    proc = resim("task=run", "population.households=900000000000", cwd=tmp_path)
    assert_refused(proc, "population.households = 900000000000: needs about")
    assert "is available" in proc.stderr
    assert time.monotonic() - started < 60
    assert list(tmp_path.iterdir()) == []


def test_an_unreachable_dask_scheduler_is_refused_quickly_before_any_folder(tmp_path):
    started = time.monotonic()
    proc = resim(
        "task=compare",
        "executor=dask",
        "executor.address=tcp://127.0.0.1:1",
        "packages=[none]",
        "replicates=1",
        cwd=tmp_path,
    )
    assert_refused(proc, "executor.address = 'tcp://127.0.0.1:1': no Dask scheduler answers")
    assert time.monotonic() - started < 30
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("folder", "fragment"),
    [
        ("/dev/null/x", "('/dev/null' is not a folder)"),
        ("/proc/resim/x", "cannot write into '/proc'"),
    ],
)
def test_an_output_folder_that_cannot_be_written_is_refused_first(tmp_path, folder, fragment):
    proc = command.resim(
        "task=run", "population.households=20", "years=1", f"hydra.run.dir={folder}", cwd=tmp_path
    )
    assert_refused(proc, f"hydra.run.dir = '{folder}': ")
    assert fragment in proc.stderr


def _file_size_limit() -> None:  # a full disk, as far as this process is concerned
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))


def test_a_full_disk_is_one_line_exit_1_and_leaves_only_complete_files(tmp_path):
    out = tmp_path / "run"
    proc = resim(
        "task=run",
        "population.households=3000",
        "years=2",
        "progress=false",
        f"hydra.run.dir={out}",
        cwd=tmp_path,
        preexec_fn=_file_size_limit,
    )
    assert_refused(proc, "cannot write ", code=1)
    assert "File too large" in proc.stderr and str(out) in proc.stderr
    assert not list(out.glob(".*.tmp"))  # no half-written file
    assert not (out / "summary.json").exists()
    assert not (out / ".resim.lock").exists()  # a command that fails gives its folder up
    for path in out.glob("*.parquet"):
        pd.read_parquet(path)  # what is there is complete


# --------------------------------------------------------------------------- streams


def test_a_closed_pipe_ends_quietly(tmp_path):
    proc = subprocess.Popen(
        [
            RESIM,
            "task=run",
            "population.households=50",
            "years=1",
            "progress=false",
            f"hydra.run.dir={tmp_path / 'run'}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # the reader went away, as `resim … | head -0` would
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 141
    assert err.decode().strip() == ""
    assert (tmp_path / "run" / "summary.json").exists()  # the work itself was done
    assert not (tmp_path / "run" / ".resim.lock").exists()  # and the folder given up


def test_output_the_terminal_cannot_encode_is_replaced(tmp_path):
    env = dict(os.environ, PYTHONIOENCODING="ascii")
    proc = resim(
        "task=compare",
        "packages=[none,cash]",
        "replicates=2",
        "population.households=50",
        "years=2",
        "executor=serial",
        "report.lang=en",
        "progress=false",
        f"hydra.run.dir={tmp_path / 'run'}",
        cwd=tmp_path,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "packages ? 2 replicates" in proc.stdout  # the × is replaced, never fatal
    assert list((tmp_path / "run").glob("report*.html"))


# --------------------------------------------------------------------------- files read


def test_collect_skips_and_lists_bad_jobs(tmp_path):
    sweep = tmp_path / "sweep"
    for job in ("0", "1", "2"):
        (sweep / job / ".hydra").mkdir(parents=True)
        (sweep / job / ".hydra" / "overrides.yaml").write_text(f"- seed={job}\n")
    (sweep / "0" / "summary.json").write_text(json.dumps({"outcomes": {}, "package": "none"}))
    (sweep / "1" / "summary.json").write_text('{"outcomes": {"poverty_share_en')  # truncated
    table = sim.collect(sweep)
    assert list(table["job"]) == ["0"] and list(table["seed"]) == ["0"]
    skipped = dict(table.attrs["skipped"])
    assert set(skipped) == {"1", "2"} and skipped["2"] == "unfinished: no summary.json"
    assert skipped["1"].startswith("summary.json: ")
    proc = command.resim(
        "task=collect", f"collect.dir={sweep}", f"hydra.run.dir={tmp_path / 'out'}", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert "collected 1 finished runs" in proc.stdout and "skipped 2" in proc.stdout
    assert "skipped 2: unfinished: no summary.json" in proc.stdout
    with pytest.raises(ConfigError, match="collect.dir = .*: must be an existing sweep folder"):
        sim.collect(tmp_path / "no-such-sweep")


@pytest.mark.parametrize(
    ("damage", "fragment"),
    [
        (lambda f: (f / "comparison.csv").write_text('package,outcome\n"none'), "comparison.csv"),
        (
            lambda f: (f / "comparison.csv").write_text("a,b\n1,2\n"),
            "comparison.csv: missing column",
        ),
        (
            lambda f: (f / "summary.json").write_text(
                json.dumps(
                    {
                        **json.loads((f / "summary.json").read_text()),
                        "replicates": "<script>alert(1)</script>",
                    }
                )
            ),
            "summary.json: replicates = '<script>alert(1)</script>': expected an integer",
        ),
        (
            lambda f: (f / "runs.parquet").write_bytes(b"PAR1 not really"),
            "runs.parquet: cannot read it",
        ),
        (
            lambda f: (f / "series.parquet").write_bytes(b"PAR1 not really"),
            "series.parquet: cannot read it",
        ),
        (
            lambda f: pd.DataFrame({"month": [0]}).to_parquet(f / "shocks.parquet"),
            "shocks.parquet: missing column 'type'",
        ),
        (
            lambda f: (f / "summary.json").write_text(
                json.dumps(
                    {
                        **json.loads((f / "summary.json").read_text()),
                        "setting": {"start_year": "<b>2015</b>"},
                    }
                )
            ),
            "summary.json: setting.start_year = '<b>2015</b>': expected an integer",
        ),
        (
            lambda f: (
                pd.read_csv(f / "comparison.csv")
                .assign(package="elsewhere")
                .to_csv(f / "comparison.csv", index=False)
            ),
            "comparison.csv: package 'elsewhere' is not among summary.json's packages",
        ),
    ],
)
def test_report_refuses_a_damaged_folder_in_one_line(tmp_path, reference, damage, fragment):
    folder = tmp_path / "cmp"
    shutil.copytree(reference, folder)
    damage(folder)
    proc = command.resim("task=report", f"report.source={folder}", cwd=tmp_path)
    assert_refused(proc, fragment)
    assert f"report.source = '{folder}'" in proc.stderr
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize(
    ("summary", "fragment"),
    [
        ({"task": "sensitivity", "method": "sobol"}, "kind = None: expected uncertainties or"),
        (
            {
                "task": "discover",
                "outcome": "gam_mean",
                "direction": "above",
                "threshold": 1.5,
                "boxes": {"cash": {"box": "<i>1</i>"}},
            },
            "boxes.cash = {'box': '<i>1</i>'}: expected the index of the chosen box",
        ),
    ],
)
def test_report_refuses_a_damaged_study_folder_in_one_line(tmp_path, reference, summary, fragment):
    study = tmp_path / "study"
    study.mkdir()
    (study / "summary.json").write_text(json.dumps(summary))
    proc = command.resim(
        "task=report",
        f"report.source={reference}",
        f"report.studies=[{study}]",
        f"hydra.run.dir={tmp_path / 'out'}",
        cwd=tmp_path,
    )
    assert_refused(proc, f"report.studies[0] = '{study}': summary.json: {fragment}")
    assert not (tmp_path / "out").exists()


def test_a_yaml_error_in_a_config_file_is_one_line_with_file_and_line(tmp_path):
    (tmp_path / "shocks").mkdir()
    bad = tmp_path / "shocks" / "mine.yaml"
    bad.write_text(
        "defaults:\n  - baseline\n  - _self_\nname: mine\ndrought:\n  probability: [0.3\n"
    )
    proc = command.resim(
        "task=run", "shocks=mine", f"hydra.searchpath=[file://{tmp_path}]", cwd=tmp_path
    )
    assert_refused(proc, f"{bad}:7:1: cannot read this YAML (")


def test_rerun_refuses_a_damaged_config_in_one_line(tmp_path):
    (tmp_path / "config.yaml").write_text("seed: 1\nyears: [2\n")
    with pytest.raises(ConfigError, match=r"config.yaml:3:1: cannot read this YAML"):
        sim.rerun(tmp_path)
    (tmp_path / "config.yaml").write_text("- just\n- a list\n")
    with pytest.raises(ConfigError, match="expected the mapping of a run's configuration"):
        sim.rerun(tmp_path)


# --------------------------------------------------------------------------- valid edge cases


@pytest.mark.parametrize("args", [("packages=[none]",), ("packages=[cash]", "baseline=cash")])
def test_a_one_package_comparison_works(tmp_path, args):
    proc = command.resim(
        "task=compare",
        *args,
        "replicates=3",
        "population.households=50",
        "years=2",
        "executor=serial",
        "progress=false",
        f"hydra.run.dir={tmp_path / 'run'}",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert list((tmp_path / "run").glob("report*.html"))


# --------------------------------------------------------------------------- deterministic files


@pytest.mark.slow
def test_tables_are_byte_identical_on_every_executor(tmp_path, reference):
    for executor in ("serial", "dask"):
        out = tmp_path / executor
        sim.compare(*on_executor(executor), output=out)
        for name in TABLES:  # the reference ran on local processes
            assert (out / name).read_bytes() == (reference / name).read_bytes(), (executor, name)


@pytest.mark.parametrize(
    ("sig", "code", "said"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
)
def test_a_stop_whose_exception_code_swallowed_still_ends_the_command(sig, code, said, capsys):
    # code that swallows every exception (C code probing an attribute, for one) can catch
    # the exception a signal's handler raises; the command honours the stop all the same
    def app() -> None:
        slept = False
        with contextlib.suppress(BaseException):
            os.kill(os.getpid(), sig)
            time.sleep(5)  # the handler raises here, and the exception is lost
            slept = True
        if slept:
            raise AssertionError("the signal's handler did not run")

    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        # Ctrl-C's default action, as a terminal's shell starts a command (a suite run in
        # the background ignores SIGINT, and the command leaves an ignored SIGINT ignored)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        with pytest.raises(SystemExit) as ended:
            errors.run_cli(app, argv=[])
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
    assert ended.value.code == code
    assert capsys.readouterr().err.startswith(f"resim: {said} (")
