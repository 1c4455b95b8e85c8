"""docs/lesson.ipynb: committed without outputs, and it runs from top to bottom in a kernel of this
environment (as CI does), with the results the text talks about."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = Path(__file__).resolve().parent.parent / "docs" / "lesson.ipynb"
#: seconds one cell may take (the longest, a two-epoch training, takes about 25 s on a busy 2-core machine)
CELL_TIMEOUT = 120


def test_the_committed_notebook_has_no_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert len(code) > 20
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
    headings = [
        c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")
    ]
    for section in ("Convolution", "Pooling", "Padding", "Architecture", "En pratique", "Flatten",
                    "Transfer learning", "Augmenter les données", "ONNX"):  # fmt: skip
        assert any(section in h for h in headings), section


def _ends_with_a_figure(source: str) -> bool:
    """Whether a cell's last statement is an expression ``viz.<...>(...)`` or ``fig`` (what Jupyter shows),
    however the formatter wrapped it."""
    body = ast.parse(source).body
    if not body or not isinstance(body[-1], ast.Expr):
        return False
    value = body[-1].value
    while isinstance(value, ast.Call | ast.Attribute):
        value = value.func if isinstance(value, ast.Call) else value.value
    return isinstance(value, ast.Name) and value.id in ("viz", "fig")


@pytest.mark.slow
def test_the_notebook_runs_in_a_kernel_of_this_environment(tmp_path, monkeypatch):
    spec = tmp_path / "kernels" / "convscope-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "ConvScope test",
                "language": "python",
                "env": {"MPLBACKEND": "Agg"},  # headless, whatever the user's matplotlib settings
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        kernel_name="convscope-test",
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on the first error

    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]
    text = "".join(out.get("text", "") for out in outputs if out.output_type == "stream")
    assert not [out for out in outputs if out.output_type == "error"]
    assert text.startswith("[[6.]]\n0*-1 + 0*-1 + 0*-1 + 1*2 + 1*2 + 1*2 + 0*-1 + 0*-1 + 0*-1 = 6")
    assert "cross-correlation [[4.]]  true convolution [[-4.]]" in text
    assert "is too small for MaxPooling2D 2x2" in text
    assert "[1. 0. 1.]" in text  # the lesson's GlobalMaxPooling example
    assert "Flatten on 40x40 -> ValueError" in text
    assert "same predicted classes: True" in text
    accuracy = float(text.split("test accuracy (exactitude) ")[1].split()[0])
    assert accuracy > 0.5  # ten classes: chance is 0.1
    figures = [out for out in outputs if "image/png" in out.get("data", {})]
    drawing_cells = [c for c in nb.cells if c.cell_type == "code" and _ends_with_a_figure(c.source)]
    assert len(figures) == len(drawing_cells) >= 10  # every figure a cell ends with is shown as a picture
    assert sum("text/html" in out.get("data", {}) for out in outputs) >= 2  # the models' summaries
