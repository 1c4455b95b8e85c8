"""The README's examples run and print what the README says they print."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_ops_example_prints_the_lessons_6():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    ops_block = next(b for b in blocks if "sliding.windows" in b)
    out = subprocess.run([sys.executable, "-c", ops_block], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "[[6.]]"
    assert lines[1] == "0*-1 + 0*-1 + 0*-1 + 1*2 + 1*2 + 1*2 + 0*-1 + 0*-1 + 0*-1 = 6"
    assert lines[2] == "14"


def test_readme_onnxruntime_example_runs_the_exported_model(tmp_path):
    """The 'Export' section's five lines, on a file exported here; the same session then matches predict."""
    pytest.importorskip("onnxruntime")
    from engine import zoo

    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    block = next(b for b in blocks if "ort.InferenceSession" in b)
    assert len(block.strip().splitlines()) <= 6  # the imports, a blank line and the promised five lines
    model = zoo.build("small", (28, 28, 1), 10, seed=0)
    model.save(tmp_path / "digits.npz")
    model.export_onnx(tmp_path / "digits.onnx")
    check = (
        "\nimport engine\n"
        "expected = engine.load_model('digits.npz').predict(x)\n"
        "assert np.abs(session.run(None, {'input': x})[0] - expected).max() < 1e-5\n"
    )
    root = str(README.parent)
    env = {**os.environ, "PYTHONPATH": root}
    out = subprocess.run(
        [sys.executable, "-c", block + check],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["(4, 10)"]
