"""The README's examples run and print what the README says they print; the files it names exist."""

import json
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


def _text_block() -> str:
    blocks = re.findall(r"```text\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    return next(b for b in blocks if "$ convscope convolve" in b)


def _sessions(block: str) -> list[tuple[str, list[str]]]:
    """``(command, the output lines the README shows for it)`` in order."""
    out: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            out.append((line[2:], []))
        elif line.strip():
            out[-1][1].append(line)
    return out


def _masked(line: str) -> str:
    """Decimals may differ in the last digits from one BLAS to another: compare the words and the integers."""
    return re.sub(r"\d+\.\d+", "#", line.strip())


def test_readme_commands_name_files_that_exist_and_print_what_the_readme_says(tmp_path):
    """The command-line session of the README, run as written from the repository's folder (a copy of its
    assets): every file it names exists or is made by an earlier command, every line it shows is printed."""
    import shlex

    root = README.parent
    (tmp_path / "assets").symlink_to(root / "assets")
    env = dict(os.environ, PYTHONPATH=str(root))
    made: set[str] = set()
    for command, expected in _sessions(_text_block()):
        argv = shlex.split(command, comments=True)
        for arg in argv[1:]:
            if re.search(r"\.(png|npz)$", arg) and argv[argv.index(arg) - 1] not in (
                "-o",
                "--save",
                "--plot",
            ):
                assert (tmp_path / arg).exists() or arg in made, (
                    f"{command!r} names {arg}, which nothing made"
                )
        if argv[0] == "convscope":
            argv = [sys.executable, "-m", "gui.launcher", *argv[1:]]
        elif argv[0] == "python":
            argv = [sys.executable, *argv[1:]]
        proc = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)
        assert proc.returncode == 0, (command, proc.stderr)
        printed = {_masked(line) for line in proc.stdout.splitlines()}
        for line in expected:
            assert _masked(line) in printed, (command, line, proc.stdout)
        made.update(p.name for p in tmp_path.iterdir())
    assert (tmp_path / "vertical.png").exists() and (tmp_path / "maps.png").exists()


def test_readme_model_json_example_builds_the_network_it_describes(tmp_path):
    from engine import zoo

    blocks = re.findall(r"```json\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "the README documents the --model FILE.json format with an example"
    arch = tmp_path / "arch.json"
    arch.write_text(blocks[0], encoding="utf-8")
    json.loads(blocks[0])
    model = zoo.build(str(arch), (28, 28, 1), 6, seed=0)
    assert [type(layer).__name__ for layer in model.layers] == [
        "Conv2D",
        "MaxPooling2D",
        "Conv2D",
        "GlobalMaxPooling2D",
        "Dense",
    ]
    assert model.count_params() == 1350 and "1,350 parameters" in README.read_text(encoding="utf-8")
    assert model.output_shape[-1] == 6


def test_files_the_readme_shows_exist():
    text = README.read_text(encoding="utf-8")
    for name in [*re.findall(r"\]\(((?:docs|assets)/[^)]+)\)", text), "assets/images/camera.png"]:
        assert (README.parent / name).exists(), name
