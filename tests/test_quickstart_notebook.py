"""The quick-start notebook runs from top to bottom in a headless kernel."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "quickstart.ipynb"


@pytest.mark.slow
def test_quickstart_notebook_runs(tmp_path: Path) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    pairs = notebook.cells[8].outputs[0]["data"]["text/plain"]
    assert "changsha_core" in pairs and "best_baseline" in pairs
    html = notebook.cells[-1].outputs[0]["data"]["text/html"]
    assert "leaflet" in html.lower()
