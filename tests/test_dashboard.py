"""The dashboard, served by ``resim task=dashboard`` and driven in a real headless Chromium."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser import CHROMEDRIVER, CHROMIUM

from sim.dashboard.engine import Choice, package_names, regime_names


def test_choices_become_the_command_line_overrides():
    c = Choice(
        packages=("cash",),
        doses={"productive": 1.0, "financial": 0.5, "social": 0.0},
        regime="historical",
        shock="drought",
        year=2,
        severity=0.7,
        households=200,
        replicates=2,
    )
    o = c.overrides()
    assert "packages=[none,cash]" in o and "shocks=historical" in o
    assert "policy.financial.dose=0.5" in o
    assert "shocks.schedule=[{type: drought, year: 2, severity: 0.7}]" in o
    from sim.api import load

    run = load(*o)  # every override is a valid one
    assert run.model.shocks.schedule[0].type == "drought"
    assert "full_cdr" in package_names() and "none" not in package_names()
    assert {"baseline", "none"} <= set(regime_names())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="Debian chromium and chromium-driver are installed by .ci/run",
)
def test_dashboard_runs_a_comparison_in_the_browser_in_both_languages(tmp_path):
    from browser import chrome, not_blank
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    port = free_port()
    exe = Path(sys.executable).parent / "resim"
    work = tmp_path / "work"
    work.mkdir()
    server = subprocess.Popen(
        [str(exe), "task=dashboard", f"dashboard.port={port}"],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    driver = None
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "dashboard did not start"
                time.sleep(0.5)
        driver = chrome(tmp_path / "profile", 1400, 1600)
        driver.get(url)
        wait = WebDriverWait(driver, 60)
        run = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, ".resim-run")))
        assert "Paquets de résilience à Bandiagara" in driver.find_element(By.TAG_NAME, "body").text
        assert "Lancer la comparaison" in run.text.title() or "LANCER" in run.text.upper()
        run.click()
        WebDriverWait(driver, 240).until(
            lambda d: (
                d.find_elements(By.CSS_SELECTOR, ".resim-done")
                and len(d.find_elements(By.TAG_NAME, "img")) >= 2
            )
        )
        images = driver.find_elements(By.TAG_NAME, "img")
        sizes = driver.execute_script(
            "return Array.from(document.images).map(i => [i.complete, i.naturalWidth]);"
        )
        assert sum(1 for done, w in sizes if done and w > 300) >= 2
        for img in images:
            if img.size["width"] > 300:
                driver.execute_script("arguments[0].scrollIntoView();", img)
                assert not_blank(img.screenshot_as_png)
        body = driver.find_element(By.TAG_NAME, "body").text
        assert "simulations en" in body and "Sans programme" not in body.split("\n")[0]
        # English, one click away
        driver.find_element(By.CSS_SELECTOR, ".resim-lang-en").click()
        WebDriverWait(driver, 60).until(
            lambda d: (
                "Resilience packages in Bandiagara" in d.find_element(By.TAG_NAME, "body").text
                and "runs in" in d.find_element(By.TAG_NAME, "body").text
            )
        )
        body = driver.find_element(By.TAG_NAME, "body").text
        assert "runs in" in body and "Lancer" not in body
        driver.save_screenshot(str(tmp_path / "dashboard.png"))
        assert not_blank((tmp_path / "dashboard.png").read_bytes())
    finally:
        if driver is not None:
            driver.quit()
        server.send_signal(signal.SIGINT)  # Ctrl-C, as the dashboard says
        try:
            out, err = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            out, err = server.communicate()
    assert "Traceback" not in err, err
    assert "INFO" not in out + err  # quiet: the server's own logs only when verbose
    assert list(work.iterdir()) == []  # nothing written, no empty results/dashboard/<time>/
