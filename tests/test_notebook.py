"""notebooks/walkthrough.ipynb runs from top to bottom (so it never rots), quickly, without errors."""

import time
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "walkthrough.ipynb"


def _outputs(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            yield from cell.get("outputs", ())


def _text(output) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    return data.get("text/plain", "") + data.get("text/html", "")


def test_walkthrough_notebook_runs():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")

    nb = nbformat.read(NOTEBOOK, as_version=4)
    # Kernel "python3": jupyter_client starts it with the interpreter running the tests (the .venv's).
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3")
    started = time.perf_counter()
    client.execute(cwd=str(NOTEBOOK.parent))  # raises CellExecutionError on any failing cell
    seconds = time.perf_counter() - started

    text = "\n".join(_text(o) for o in _outputs(nb))
    assert "robotics" in text and "automotive" in text
    assert "did you mean dysprosium" in text
    assert "highly concentrated" in text
    assert any("<iframe" in o.get("data", {}).get("text/html", "") for o in _outputs(nb))
    assert seconds < 60, f"the walkthrough took {seconds:.0f} s"
