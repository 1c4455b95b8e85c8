"""The ``convscope`` commands never lose or spoil a file and never print a wrong answer (issue 12, CLI side).

* a diverged ``train --save`` leaves the model file as it was and says so once; Ctrl-C saves the last
  completed epoch (the very weights and optimizer state an uninterrupted run of that many epochs gives);
* every destination is checked before any work; a model whose outputs do not match the classes is refused
  before training;
* a closed output pipe ends every command quietly; a model with NaN weights or NaN outputs is refused.

Each runs ``python -m engine.cli`` in a subprocess, as a user would.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import engine
from engine import layers, zoo
from engine.saving import MARKER

ROOT = Path(__file__).resolve().parents[2]
TRAIN_SHAPES = ("train", "--dataset", "shapes", "--limit", "40", "--epochs", "1")


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CONVSCOPE_DEBUG", None)
    return env


def run(*args: object, cwd: Path = ROOT, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "engine.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=cwd,
        timeout=300,
        **kw,
    )


def one_error_line(proc: subprocess.CompletedProcess, status: int = 1) -> str:
    """The single ``convscope: error:`` line of ``proc`` (which must exit ``status`` without a traceback)."""
    assert proc.returncode == status, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("convscope: error: ")]
    assert len(errors) == 1, proc.stderr
    return errors[0]


def _png(path: Path, size: int = 28) -> Path:
    Image.fromarray((np.indices((size, size)).sum(0) % 2 * 255).astype(np.uint8)).save(path)
    return path


def _model(path: Path, scale: float | None = None, nan: bool = False) -> Path:
    """A small compiled model saved at ``path``; weights multiplied by ``scale``, or the kernel set to NaN."""
    model = engine.Sequential(
        [
            layers.Conv2D(4, 3, activation="relu", input_shape=(28, 28, 1)),
            layers.Flatten(),
            layers.Dense(6, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy", ["accuracy"])
    weights = model.get_weights()
    if scale is not None:
        weights = [w * np.float32(scale) for w in weights]
    if nan:
        weights[0][0, 0, 0, :2] = np.nan
    model.set_weights(weights)
    model.save(path)
    return path


def _arrays(path: Path) -> dict[str, np.ndarray]:
    with np.load(path) as data:
        return {name: data[name] for name in data.files}


# ------------------------------------------------------------------------------------------ item 4: train


def test_a_diverged_run_leaves_the_model_file_as_it_was_and_says_so_once(tmp_path):
    model = _model(tmp_path / "m.npz")
    before = model.read_bytes()
    proc = run(
        *TRAIN_SHAPES, "--optimizer", "sgd", "--lr", "1e30", "--save", model, "--plot", "c.png", cwd=tmp_path
    )
    line = one_error_line(proc)
    assert "not finite" in line and "epoch 1, batch" in line
    assert "nothing saved" in line and f"{str(model)!r} left as it was" in line
    assert "--lr (now 1e+30)" in line
    assert model.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]  # no curves, no temporary file
    assert proc.stderr.count("loss became") == 1  # said once, not "training stopped: Training stopped: ..."
    assert "test accuracy" not in proc.stdout


def _interrupt(args: list[str], marker: bytes, cwd: Path) -> tuple[int, str, float]:
    """Start ``convscope`` ARGS, send SIGINT once ``marker`` shows on its stderr; return (status, stderr,
    seconds from the signal to the exit)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "engine.cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=_env(),
        cwd=cwd,
        # Python turns SIGINT into KeyboardInterrupt only if it is not ignored (as in a background job)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    seen = bytearray()
    found = threading.Event()

    def read() -> None:
        assert proc.stderr is not None
        while chunk := os.read(proc.stderr.fileno(), 4096):
            seen.extend(chunk)
            if marker in seen:
                found.set()
        found.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert found.wait(240), seen.decode(errors="replace")
        assert proc.poll() is None, f"the run ended before {marker!r}: {seen.decode(errors='replace')}"
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        status = proc.wait(timeout=120)
        seconds = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        reader.join(10)
        assert proc.stderr is not None
        proc.stderr.close()
    return status, seen.decode(errors="replace"), seconds


TRAIN_LONG = ["train", "--dataset", "shapes", "--limit", "600", "--epochs", "40", "--seed", "3"]


def test_ctrl_c_saves_the_last_completed_epoch(tmp_path):
    model = _model(tmp_path / "m.npz")
    status, stderr, seconds = _interrupt([*TRAIN_LONG, "--save", str(model)], b"Epoch 2/", tmp_path)
    assert status == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    found = re.search(
        r"convscope: interrupted during epoch (\d+)/40: saved the weights after epoch (\d+) to '(.+)'", stderr
    )
    assert found, stderr
    during, saved = int(found.group(1)), int(found.group(2))
    assert saved == during - 1 >= 1 and found.group(3) == str(model)
    assert seconds < 30
    # the file holds exactly what an uninterrupted run of that many epochs gives: weights, optimizer state
    # (its slots and step count) and metadata
    reference = tmp_path / "reference.npz"
    args = [a if a != "40" else str(saved) for a in TRAIN_LONG]
    proc = run(*args, "--save", reference, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    got, expected = _arrays(model), _arrays(reference)
    assert sorted(got) == sorted(expected)
    for name in expected:
        np.testing.assert_array_equal(got[name], expected[name], err_msg=name)
    assert json.loads(str(got[MARKER]))["metadata"]["epochs"] == saved
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz", "reference.npz"]


def test_ctrl_c_in_the_first_epoch_saves_nothing_and_says_so(tmp_path):
    model = _model(tmp_path / "m.npz")
    before = model.read_bytes()
    status, stderr, _ = _interrupt([*TRAIN_LONG, "--save", str(model)], b"Epoch 1/", tmp_path)
    assert status == 130, stderr
    assert "Traceback" not in stderr
    expected = "convscope: interrupted during epoch 1/40: nothing saved (no epoch completed), "
    assert f"{expected}{str(model)!r} left as it was" in stderr, stderr
    assert model.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]


# ------------------------------------------------------------------------- item 6 and 9: checked first


@pytest.mark.parametrize(
    "save, fragments",
    [
        ("{d}", ["--save: cannot write '{d}': it is a folder", "e.g. '{d}/model.npz'"]),
        (
            "{d}/missing/m.npz",
            ["--save: cannot write '{d}/missing/m.npz'", "folder '{d}/missing' does not exist"],
        ),
        ("/proc/m.npz", ["--save: cannot write '/proc/m.npz'", "folder '/proc'"]),
        (
            "{d}/m.npz/x.npz",
            ["--save: cannot write '{d}/m.npz/x.npz'", "'{d}/m.npz' is a file, not a folder"],
        ),
    ],
)
def test_save_destinations_are_refused_before_training(tmp_path, save, fragments):
    (tmp_path / "m.npz").write_bytes(b"a file, not a folder")
    save = save.format(d=tmp_path)
    proc = run(*TRAIN_SHAPES, "--save", save, cwd=tmp_path)
    line = one_error_line(proc)
    for fragment in fragments:
        assert fragment.format(d=tmp_path) in line, line
    assert proc.stdout == ""  # not even the data set was read
    assert "Epoch" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_save_into_a_read_only_folder_is_refused_before_training(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        line = one_error_line(run(*TRAIN_SHAPES, "--save", folder / "m.npz", cwd=tmp_path))
    finally:
        folder.chmod(0o755)
    assert f"--save: cannot write '{folder}/m.npz'" in line and "not writable" in line


def test_output_destinations_are_checked_before_any_work(tmp_path):
    # the input image does not exist: an output checked first is what the message names
    missing = tmp_path / "no-such-image.png"
    line = one_error_line(run("convolve", missing, "--filter", "identity", "-o", "/proc/o.png"))
    assert "-o: cannot write '/proc/o.png': no file can be created in the folder '/proc'" in line
    line = one_error_line(run("convolve", missing, "--filter", "identity", "-o", tmp_path / "o.txt"))
    assert f"-o {str(tmp_path / 'o.txt')!r}: unknown image extension '.txt'. Allowed: .png" in line
    line = one_error_line(
        run("convolve", missing, "--filter", "identity", "-o", tmp_path / "o.png", "--npy", tmp_path)
    )
    assert f"--npy: cannot write {str(tmp_path)!r}: it is a folder" in line
    same = tmp_path / "same.png"
    line = one_error_line(run("convolve", missing, "--filter", "identity", "-o", same, "--npy", same))
    assert f"-o and --npy both name {str(same)!r}" in line
    line = one_error_line(run("evaluate", tmp_path / "no-model.npz", "--plot", "/proc/cm.png"))
    assert "--plot: cannot write '/proc/cm.png'" in line
    line = one_error_line(run("featuremaps", tmp_path / "no-model.npz", missing, "-o", tmp_path / "maps"))
    assert "-o" in line and "unknown image extension '(none)'" in line
    line = one_error_line(run(*TRAIN_SHAPES, "--save", tmp_path / "m.npz", "--plot", tmp_path / "m.npz"))
    assert "--plot" in line and "unknown image extension '.npz'" in line
    assert list(tmp_path.iterdir()) == []


def test_a_model_whose_outputs_do_not_match_the_classes_is_refused_before_training(tmp_path):
    arch = tmp_path / "ten.json"
    arch.write_text(json.dumps(zoo.build("small", (28, 28, 1), 10).get_config()))
    proc = run(*TRAIN_SHAPES, "--model", arch, "--save", tmp_path / "m.npz")
    line = one_error_line(proc)
    assert f"--model {str(arch)!r}" in line
    assert "6 for data set 'shapes'" in line and "output shape (10,)" in line and "6 units" in line
    assert "Epoch" not in proc.stderr and "model " not in proc.stdout
    assert not (tmp_path / "m.npz").exists()


# -------------------------------------------------------------------------------- item 9: closed pipes


@pytest.fixture(scope="module")
def good_model(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("good")
    _png(folder / "x.png")
    return _model(folder / "m.npz")


@pytest.mark.parametrize(
    "args",
    [
        ["filters"],
        ["--help"],
        ["--version"],
        ["summary", "{m}"],
        ["predict", "{m}", "{d}/x.png"],
        ["convolve", "{d}/x.png", "--filter", "identity", "-o", "{d}/o.png"],
        ["train", "--dataset", "shapes", "--limit", "16", "--epochs", "1", "--save", "{d}/t.npz"],
    ],
    ids=lambda a: a[0],
)
def test_a_closed_output_pipe_ends_every_command_quietly(good_model, args):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line (``convscope filters | head -0``)
    folder = good_model.parent
    argv = [a.format(m=good_model, d=folder) for a in args]
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "engine.cli", *argv],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            cwd=folder,
            timeout=300,
        )
    finally:
        os.close(write_end)
    assert proc.stderr == ""  # no "Broken pipe", no traceback, no "Exception ignored"
    # 128 + SIGPIPE, as a shell reports a writer whose reader went away; argparse prints --help and
    # --version itself and ignores write errors, so those two end as they would have: 0
    assert proc.returncode == (0 if args[0] in ("--help", "--version") else 141)
    assert not (folder / "t.npz").exists()  # train stopped at its first line, before any work


def test_filters_into_head_exits_quietly(tmp_path):
    proc = subprocess.run(
        f"{sys.executable} -m engine.cli filters | head -1",
        shell=True,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        executable="/bin/bash",
    )
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout.startswith("horizontal_line ") and proc.stdout.count("\n") == 1


# ------------------------------------------------------------------------ item 9: broken models refused


def test_predict_refuses_a_model_with_nan_weights(tmp_path):
    model = _model(tmp_path / "nan.npz", nan=True)
    image = _png(tmp_path / "x.png")
    for proc in (
        run("predict", model, image),
        run("evaluate", model, "--dataset", "shapes", "--limit", "12"),
        run("featuremaps", model, image, "-o", tmp_path / "maps.png"),
    ):
        line = one_error_line(proc)
        assert f"{str(model)!r} is broken: its layer 'conv2d' has 2 NaN values in its kernel" in line, line
        assert "entry w_0000, shape (3, 3, 1, 4)" in line
        assert "%" not in proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nan.npz", "x.png"]
    summary = run("summary", model)
    assert summary.returncode == 0 and "Warning: " in summary.stdout and "2 NaN values" in summary.stdout


def test_predict_refuses_outputs_that_overflow(tmp_path):
    model = _model(tmp_path / "huge.npz", scale=1e30)  # finite weights whose products overflow float32
    image = _png(tmp_path / "x.png")
    reloaded = engine.load_model(model)
    x = np.asarray(Image.open(image), np.float32)[None, :, :, None] / 255
    with np.errstate(all="ignore"):
        assert not np.isfinite(reloaded.predict(x)).all()  # the premise: the outputs are not finite
    line = one_error_line(run("predict", model, image))
    assert f"{str(model)!r} gives" in line and f"for {str(image)!r}" in line and "overflowed" in line
    assert "nan%" not in line


def test_a_closed_stderr_ends_the_progress_bar_not_the_training(tmp_path):
    read_end, write_end = os.pipe()
    os.close(read_end)  # ``convscope train ... 2>&1 | head``: the reader of the progress bars went away
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "engine.cli",
                *TRAIN_SHAPES,
                "--epochs",
                "2",
                "--save",
                tmp_path / "m.npz",
            ],
            stdout=subprocess.PIPE,
            stderr=write_end,
            text=True,
            env=_env(),
            cwd=tmp_path,
            timeout=300,
        )
    finally:
        os.close(write_end)
    assert proc.returncode == 0
    assert f"saved {tmp_path / 'm.npz'}" in proc.stdout
    assert engine.load_model(tmp_path / "m.npz").count_params() > 0
