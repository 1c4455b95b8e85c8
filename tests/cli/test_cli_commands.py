"""The ``convscope`` sub-commands end to end (subprocesses of ``python -m engine.cli``) and their one-line
errors; the hand-off to the app is tested with the launcher (tests/gui/test_launcher.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import engine.cli as cli
from engine.cli.commands import format_confusion
from engine.saving import read_metadata

ROOT = Path(__file__).resolve().parents[2]
SUBCOMMANDS = (
    "convolve",
    "train",
    "evaluate",
    "predict",
    "summary",
    "featuremaps",
    "export",
    "filters",
    "sweep",
)


def run(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT, module: str = "engine.cli"
) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    full_env.pop("CONVSCOPE_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=300,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess, *fragments: str, status: int = 1) -> None:
    assert proc.returncode == status, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("convscope: error: "), proc.stderr
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def _png(path: Path, arr: np.ndarray) -> Path:
    Image.fromarray(arr).save(path)
    return path


def _size(path: Path) -> tuple[int, int]:
    with Image.open(path) as im:
        return im.size


# ------------------------------------------------------------------------------------------------- help


def test_help_lists_subcommands_and_app_options():
    proc = run("--help")
    assert proc.returncode == 0
    for name in SUBCOMMANDS:
        assert name in proc.stdout
    for option in (
        "--screenshot PATH",
        "--tab convolution|network|training",
        "--lang en|fr",
        "--train-steps N",
    ):
        assert option in proc.stdout


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_has_help(name, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main([name, "--help"])
    assert info.value.code == 0
    assert f"usage: convscope {name}" in capsys.readouterr().out


def test_version(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert capsys.readouterr().out.startswith("convscope 0.")


# ---------------------------------------------------------------------------------------------- convolve


def _correlate_valid(img: np.ndarray, k: np.ndarray) -> np.ndarray:
    kh, kw = k.shape
    out = np.zeros((img.shape[0] - kh + 1, img.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(img[i : i + kh, j : j + kw] * k)
    return out


def test_convolve_writes_map_of_expected_size(tmp_path, rng):
    pixels = rng.integers(0, 256, (20, 30), dtype=np.uint8)
    image = _png(tmp_path / "in.png", pixels)
    proc = run(
        "convolve",
        image,
        "--filter",
        "horizontal_line",
        "-o",
        tmp_path / "out.png",
        "--npy",
        tmp_path / "out.npy",
    )
    assert proc.returncode == 0, proc.stderr
    assert _size(tmp_path / "out.png") == (28, 18)  # (W, H): N - K + 1
    kernel = np.array([[-1, -1, -1], [2, 2, 2], [-1, -1, -1]], float)
    np.testing.assert_allclose(
        np.load(tmp_path / "out.npy"), _correlate_valid(pixels / 255.0, kernel), atol=1e-5
    )
    assert "-> 18x28" in proc.stdout


def test_convolve_same_stride_relu_pool_and_filter_file(tmp_path, rng):
    image = _png(tmp_path / "in.png", rng.integers(0, 256, (20, 30), dtype=np.uint8))
    (tmp_path / "k.txt").write_text("0 1 0\n1 -4 1\n0 1 0\n")
    proc = run(
        "convolve",
        image,
        "--filter",
        tmp_path / "k.txt",
        "--padding",
        "same",
        "--stride",
        "2",
        "--relu",
        "--pool",
        "max:2",
        "-o",
        tmp_path / "o.png",
        "--npy",
        tmp_path / "o.npy",
    )
    assert proc.returncode == 0, proc.stderr
    assert _size(tmp_path / "o.png") == (7, 5)  # ceil(30/2)=15 -> 7, ceil(20/2)=10 -> 5
    out = np.load(tmp_path / "o.npy")
    assert out.shape == (5, 7) and out.min() >= 0.0


# ------------------------------------------------------------------------------------- train and friends


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trained")
    model = folder / "shapes.npz"
    proc = run(
        "train",
        "--dataset",
        "shapes",
        "--limit",
        "48",
        "--epochs",
        "1",
        "--batch-size",
        "16",
        "--save",
        model,
        "--plot",
        folder / "curves.png",
    )
    return folder, model, proc


def test_train_writes_model_and_curves(trained):
    folder, model, proc = trained
    assert proc.returncode == 0, proc.stderr
    assert "dataset shapes: 48 training / 48 test images of 28x28x1, 6 classes" in proc.stdout
    assert "test accuracy: " in proc.stdout
    assert "Epoch 1/1" in proc.stderr  # the progress bar
    assert model.is_file() and _size(folder / "curves.png")[0] > 400
    pixels = np.asarray(Image.open(folder / "curves.png").convert("RGB")).astype(int)
    for colour in ((31, 119, 180), (255, 127, 14)):  # the training and the validation curves are drawn
        assert (np.abs(pixels - colour).sum(axis=2) < 30).sum() > 50
    meta = read_metadata(model)
    assert meta["dataset"] == "shapes" and meta["class_names"][0] == "horizontal"


def test_evaluate_reads_the_trained_model(trained):
    folder, model, _ = trained
    proc = run("evaluate", model, "--limit", "48", "--plot", folder / "cm.png")
    assert proc.returncode == 0, proc.stderr
    acc = float(proc.stdout.split("accuracy: ")[1].split()[0])
    correct, total = proc.stdout.split("(")[1].split(" correct")[0].split("/")
    assert total == "48" and acc == pytest.approx(int(correct) / 48, abs=1e-4)
    rows = [line for line in proc.stdout.splitlines() if line[:1].isdigit()]
    assert len(rows) == 6 and sum(sum(map(int, r.split()[2:-1])) for r in rows) == 48
    assert _size(folder / "cm.png")[0] > 100


def test_predict_agrees_with_the_model(trained, tmp_path):
    import engine
    from engine import datasets

    _, model_path, _ = trained
    x, _ = datasets.make_shapes(3, seed=77)
    paths = [_png(tmp_path / f"s{i}.png", x[i, :, :, 0]) for i in range(3)]
    proc = run("predict", model_path, *paths, "--top", "2")
    assert proc.returncode == 0, proc.stderr
    model = engine.load_model(model_path)
    expected = model.predict(x.astype(np.float32) / 255.0).argmax(axis=1)
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 3
    for line, k in zip(lines, expected, strict=False):
        assert line.split(": ")[1].split()[0] == datasets.SHAPE_CLASSES[k]
        assert line.count("%") == 2


def test_summary_and_featuremaps(trained, tmp_path):
    _, model_path, _ = trained
    proc = run("summary", model_path)
    assert proc.returncode == 0, proc.stderr
    assert "Total params: 14,214" in proc.stdout and "Trained on: shapes" in proc.stdout
    image = _png(tmp_path / "x.png", np.eye(28, dtype=np.uint8) * 255)
    proc = run("featuremaps", model_path, image, "-o", tmp_path / "maps.png", "--max-channels", "4")
    assert proc.returncode == 0, proc.stderr
    assert "6 layers:" in proc.stdout and _size(tmp_path / "maps.png")[1] > 200


def test_export_runs_in_onnxruntime_like_the_model(trained, tmp_path):
    ort = pytest.importorskip("onnxruntime")
    import engine
    from engine import datasets

    _, model_path, _ = trained
    out = tmp_path / "shapes.onnx"
    proc = run("export", model_path, out, "--opset", "13")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == (
        f"wrote {out} (ONNX opset 13): input 'input' float32 [batch, 28, 28, 1] (NHWC), "
        "output 'output' logits [batch, 6]"
    )
    x, _ = datasets.make_shapes(8, seed=5)
    x = x.astype(np.float32) / 255.0
    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    expected = engine.load_model(model_path).predict(x)
    np.testing.assert_allclose(session.run(None, {"input": x})[0], expected, atol=1e-5)
    props = session.get_modelmeta().custom_metadata_map
    assert props["class_names"].startswith('["horizontal", "vertical"') and props["dataset"] == "shapes"
    assert_one_line_error(run("export", model_path, tmp_path / "x.onnx", "--opset", "12"), "opset must be")
    assert_one_line_error(run("export", model_path, tmp_path / "x.txt"), "must be a .onnx file")
    assert_one_line_error(run("export", tmp_path / "none.npz", tmp_path / "x.onnx"), "no such model file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shapes.onnx"]


# --------------------------------------------------------------------------------------------- errors


def test_bad_inputs_exit_with_one_line(tmp_path, trained):
    _, model_path, _ = trained
    assert_one_line_error(
        run("convolve", tmp_path / "nope.png", "--filter", "sobel_x", "-o", tmp_path / "o.png"),
        "nope.png",
        "no such file",
    )
    (tmp_path / "empty.png").write_bytes(b"")
    assert_one_line_error(run("predict", model_path, tmp_path / "empty.png"), "empty.png", "empty")
    image = _png(tmp_path / "i.png", np.zeros((8, 8), np.uint8))
    assert_one_line_error(
        run("convolve", image, "--filter", "blurry", "-o", tmp_path / "o.png"), "neither a preset"
    )
    assert_one_line_error(
        run("convolve", image, "--filter", "sobel_x", "--pool", "median:2", "-o", tmp_path / "o.png"),
        "--pool",
    )
    (tmp_path / "notmodel.npz").write_text("hello")
    assert_one_line_error(run("summary", tmp_path / "notmodel.npz"), "notmodel.npz")
    assert_one_line_error(run("train", "--dataset", "nowhere", "--save", tmp_path / "m.npz"), "nowhere")
    assert not (tmp_path / "o.png").exists()


def test_usage_errors_exit_2_with_one_line(tmp_path):
    assert_one_line_error(run("train", "--epochs", "0", "--save", tmp_path / "m.npz"), "--epochs", status=2)
    assert_one_line_error(run("convolve", "x.png"), "--filter", status=2)
    assert_one_line_error(run("frobnicate"), "invalid choice", status=2)


def test_cuda_backend_without_gpu_is_a_clear_error(tmp_path):
    image = _png(tmp_path / "i.png", np.zeros((8, 8), np.uint8))
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}
    full = subprocess.run(
        [
            sys.executable,
            "-m",
            "engine.cli",
            "convolve",
            str(image),
            "--filter",
            "sobel_x",
            "--backend",
            "cuda",
            "-o",
            str(tmp_path / "o.png"),
        ],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=300,
    )
    if Path("/dev/nvidiactl").exists():  # a machine with a GPU runs it there
        assert full.returncode == 0, full.stderr
        assert _size(tmp_path / "o.png") == (6, 6)
    else:
        assert_one_line_error(full, "no CUDA device", status=2)


# ------------------------------------------------------------------------------------------ model meta


def test_metadata_is_saved_inside_the_model_file_by_one_write(trained, tmp_path):
    import engine

    _, model_path, _ = trained
    model = engine.load_model(model_path)
    copy = tmp_path / "m.npz"
    model.save(copy, metadata={"class_names": ["a"] * 6, "dataset": "x"})
    assert read_metadata(copy) == {"class_names": ["a"] * 6, "dataset": "x"}
    again = engine.load_model(copy)
    for w0, w1 in zip(model.get_weights(), again.get_weights(), strict=False):
        np.testing.assert_array_equal(w0, w1)
    with np.load(copy) as data:  # no second entry rewritten after the save
        assert "__convscope_cli__" not in data.files
    assert list(tmp_path.iterdir()) == [copy]  # no temporary file left beside it


def test_format_confusion_text():
    cm = np.array([[3, 1], [0, 2]])
    text = format_confusion(cm, ["cat", "dog"])
    lines = text.splitlines()
    assert lines[2].split() == ["0", "cat", "3", "1", "0.750"]
    assert lines[3].split() == ["1", "dog", "0", "2", "1.000"]


def test_app_option_errors_come_from_the_app():
    assert_one_line_error(run("--lang", "xx", module="gui.launcher"), "--lang", status=2)


def test_size_is_width_by_height_from_train_to_evaluate(tmp_path, rng):
    """--size 20x12 makes images 20 wide and 12 high; evaluate reads the size back from the model file."""
    for name in ("a", "b"):
        (tmp_path / "data" / name).mkdir(parents=True)
        for i in range(6):
            _png(tmp_path / "data" / name / f"{i}.png", rng.integers(0, 256, (30, 40), dtype=np.uint8))
    model = tmp_path / "m.npz"
    proc = run(
        "train",
        "--dataset",
        tmp_path / "data",
        "--size",
        "20x12",
        "--epochs",
        "1",
        "--batch-size",
        "4",
        "--save",
        model,
    )
    assert proc.returncode == 0, proc.stderr
    assert "images of 12x20x1, 2 classes" in proc.stdout  # (H, W, C) arrays
    assert read_metadata(model)["size"] == [12, 20]
    proc = run("evaluate", model, "--dataset", tmp_path / "data")
    assert proc.returncode == 0, proc.stderr
    assert "accuracy: " in proc.stdout
    assert_one_line_error(
        run("train", "--dataset", tmp_path / "data", "--size", "20x", "--save", model),
        "argument --size: must be WIDTHxHEIGHT (e.g. 28x28) or one integer. Received: '20x'",
        status=2,
    )
