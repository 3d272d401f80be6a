"""notebooks/walkthrough.ipynb runs from top to bottom (so it never rots), quickly, without errors, cleans up
after itself, and is committed with its outputs (so it reads on any git host)."""

import tempfile
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


def _work_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("cmkg-walkthrough-*")}


def test_the_committed_notebook_carries_its_outputs():
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.get("execution_count") for c in code), "save the notebook executed"
    assert all(c.get("outputs") for c in code), "every code cell shows what it did"
    assert not any(o.get("output_type") == "error" for o in _outputs(nb))
    assert any("image/png" in o.get("data", {}) for o in _outputs(nb))  # the view, visible on a git host


def test_walkthrough_notebook_runs():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")

    nb = nbformat.read(NOTEBOOK, as_version=4)
    before = _work_folders()
    # Kernel "python3": jupyter_client starts it with the interpreter running the tests (the .venv's).
    client = nbclient.NotebookClient(nb, timeout=180, kernel_name="python3")
    started = time.perf_counter()
    client.execute(cwd=str(NOTEBOOK.parent))  # raises CellExecutionError on any failing cell
    seconds = time.perf_counter() - started

    text = "\n".join(_text(o) for o in _outputs(nb))
    assert "wind power" in text and "automotive" in text
    assert "did you mean dysprosium" in text
    assert "highly concentrated" in text
    html = "\n".join(o.get("data", {}).get("text/html", "") for o in _outputs(nb))
    assert "vis-network" in html and "dysprosium" in html  # the pyvis network of to_pyvis
    assert "focus: ['dysprosium']" in text
    assert _work_folders() <= before, "the notebook left its temporary folder behind"
    assert seconds < 90, f"the walkthrough took {seconds:.0f} s"
