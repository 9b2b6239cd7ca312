"""Every notebook in notebooks/ runs from top to bottom, shows its figures inline, warns of nothing."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_shows_its_figures(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    figures = sum("plots." in cell.source for cell in nb.cells if cell.cell_type == "code")
    assert figures >= 2 and len(images) == figures  # every figure shown inline, once
    stderr = "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr")
    assert "IProgress" not in stderr and "Warning" not in stderr, stderr
    assert len(outputs) >= 4  # the tables and the figures were produced


def test_there_are_a_walkthrough_and_a_headline_notebook():
    names = {p.name for p in NOTEBOOKS}
    assert {"walkthrough.ipynb", "headline.ipynb"} <= names
