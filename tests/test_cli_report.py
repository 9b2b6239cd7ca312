"""What ``resim`` says and leaves behind: headline answers, reports by language, no empty
folders, quiet libraries. Run for real in subprocesses (a report on a finished comparison: through
the command's entry point in the test process)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import command
import pytest
from children import ended

from sim.analysis.executor import ProcessExecutor
from sim.report import build_reports

SMALL = ["population.households=150", "years=5", "replicates=2", "progress=false"]


def resim(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    exe = str(Path(sys.executable).parent / "resim")
    env = dict(os.environ)
    return subprocess.run(
        [exe, *args], capture_output=True, text=True, cwd=cwd, timeout=600, env=env
    )


@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    work = tmp_path_factory.mktemp("cli")
    proc = resim(*SMALL, "executor=serial", "hydra.run.dir=cmp", cwd=work)
    assert proc.returncode == 0, proc.stderr
    return work / "cmp", proc


def test_compare_ends_with_the_answers_and_both_reports(compared):
    out, proc = compared
    assert proc.stderr.strip() == ""  # quiet: no log flood, no warning
    lines = [line for line in proc.stdout.splitlines() if line.startswith("resim: ")]
    answers = [
        line
        for line in lines
        if line.startswith(("resim: Food", "resim: Nutrition", "resim: Assets", "resim: Cost"))
    ]
    assert 3 <= len(answers) <= 6
    assert "Full CdR package" in proc.stdout and "full_cdr" not in " ".join(answers)
    assert (out / "report.en.html").is_file() and (out / "report.fr.html").is_file()
    assert not (out / "report.html").exists()
    assert f"reports: {out / 'report.en.html'}, report.fr.html" in proc.stdout
    assert 3 <= len(lines) <= 7  # the run's line, the answers, where the reports are


def test_task_report_writes_only_the_report_next_to_its_source(compared, tmp_path):
    source, _ = compared
    (source / "report.fr.html").unlink()
    before = sorted(p.name for p in source.iterdir())
    # the command's entry point, in this process (the launched command: the fixture above)
    proc = command.resim("task=report", f"report.source={source}", "report.lang=fr", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in source.iterdir()) == sorted([*before, "report.fr.html"])
    assert list(tmp_path.iterdir()) == []  # no empty results/report/<time>/ folder
    assert "Alimentation : " in proc.stdout
    # where hydra.run.dir says: only the report there
    proc = command.resim(
        "task=report",
        f"report.source={source}",
        "report.lang=en",
        "hydra.run.dir=elsewhere",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in (tmp_path / "elsewhere").iterdir()] == ["report.en.html"]


def test_a_run_that_writes_nothing_leaves_nothing(tmp_path):
    proc = resim(
        "task=run",
        "population.households=50",
        "years=1",
        "write=false",
        "progress=false",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert list(tmp_path.iterdir()) == []
    assert proc.stderr.strip() == ""


def test_dask_executor_is_quiet(tmp_path):
    proc = resim(
        "task=compare",
        "population.households=60",
        "years=1",
        "replicates=2",
        "packages=[none,cash]",
        "executor=dask",
        "executor.workers=1",
        "progress=false",
        "hydra.run.dir=d",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "INFO" not in proc.stderr + proc.stdout


def test_reports_drawn_beside_the_runs_workers_are_those_drawn_in_one_process(tmp_path):
    # executor=processes: the command draws the French report on a worker the comparison
    # leaves, while it draws the English one itself
    proc = resim(
        *SMALL, "executor=processes", "executor.workers=2", "hydra.run.dir=p", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == ""
    out, here = tmp_path / "p", tmp_path / "here"
    build_reports(out, lang="both", output=here)  # this process only
    for name in ("report.en.html", "report.fr.html"):
        assert (out / name).read_bytes() == (here / name).read_bytes(), name
    # on workers handed over directly: the same pages, and the workers are ended
    workers = ProcessExecutor(1)
    workers.start()
    (pool_worker,) = workers_of(workers)
    again = tmp_path / "again"
    build_reports(out, lang="both", output=again, workers=workers)
    assert ended(pool_worker, timeout=30)
    for name in ("report.en.html", "report.fr.html"):
        assert (again / name).read_bytes() == (here / name).read_bytes(), name


def test_reports_are_drawn_here_when_the_worker_is_gone(compared, tmp_path):
    source, _ = compared
    here = tmp_path / "here"
    build_reports(source, output=here)
    workers = ProcessExecutor(1)
    workers.start()
    (pool_worker,) = workers_of(workers)
    os.kill(pool_worker.pid, signal.SIGKILL)  # as the kernel ends a process out of memory
    assert ended(pool_worker, timeout=30)
    out = tmp_path / "out"
    build_reports(source, output=out, workers=workers)
    for name in ("report.en.html", "report.fr.html"):
        assert (out / name).read_bytes() == (here / name).read_bytes(), name


def test_a_report_that_fails_beside_a_worker_writes_nothing_and_ends_it(compared, tmp_path):
    source, _ = compared
    workers = ProcessExecutor(1)
    workers.start()
    (pool_worker,) = workers_of(workers)
    with pytest.raises(ValueError, match="not a sensitivity or discovery study"):
        build_reports(source, output=tmp_path, studies=(str(source),), workers=workers)
    assert ended(pool_worker, timeout=30)
    assert list(tmp_path.iterdir()) == []


def workers_of(workers: ProcessExecutor) -> list[multiprocessing.process.BaseProcess]:
    """The worker processes of a started local executor."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = list((workers._started()._processes or {}).values())
        if len(found) == workers.workers:
            return found
        time.sleep(0.05)
    raise AssertionError("the workers did not start")


def test_a_stop_while_the_reports_are_drawn_says_how_to_draw_them(tmp_path, monkeypatch):
    # Ctrl-C arrives as the reports start, once the comparison's tables are written
    import sim.report

    draw = sim.report.build_reports

    def interrupted(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)
        return draw(*args, **kwargs)

    monkeypatch.setattr(sim.report, "build_reports", interrupted)
    before = signal.getsignal(signal.SIGINT)
    # Ctrl-C's default action, as a terminal starts a command (a background suite ignores it)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        out = tmp_path / "cmp"
        proc = command.resim(*SMALL, "executor=serial", f"hydra.run.dir={out}", cwd=tmp_path)
    finally:
        signal.signal(signal.SIGINT, before)
    assert proc.returncode == 130
    line = proc.stderr.strip().splitlines()[-1]
    assert line.startswith(f"resim: interrupted (the comparison in {out} is complete")
    assert (out / "summary.json").is_file() and not list(out.glob("report*.html"))
    monkeypatch.setattr(sim.report, "build_reports", draw)
    # what the line says draws them
    again = command.resim("task=report", f"report.source={out}", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (out / "report.en.html").is_file() and (out / "report.fr.html").is_file()
