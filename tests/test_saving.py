"""engine.saving: the model file format on its own (arrays and JSON), and the model side that uses it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import engine
from engine import layers, losses, optimizers
from engine.models import Sequential
from engine.saving import (
    FORMAT,
    VERSION,
    ModelFile,
    OptimizerState,
    read_metadata,
    read_model_file,
    write_model_file,
)

ROOT = Path(__file__).resolve().parent.parent


def _dense_model(seed: int = 0) -> Sequential:
    return Sequential([layers.Flatten(input_shape=(2, 2, 1)), layers.Dense(3)], seed=seed)


def test_write_then_read_gives_back_every_piece(tmp_path, rng):
    weights = [rng.random((4, 3)).astype(np.float32), rng.random(3).astype(np.float32)]
    state = OptimizerState(
        7,
        {
            "dense/kernel": [np.ones((4, 3)), np.full((4, 3), 2.0)],
            "dense/bias": [
                np.zeros(3),
                np.ones(3),
            ],
        },
    )
    compile_config = {"optimizer": {"class_name": "Adam", "config": {}}, "loss": {"x": 1}, "metrics": []}
    path = write_model_file(
        tmp_path / "m.npz", {"layers": []}, weights, compile_config, state, {"class_names": ["a", "b"]}
    )
    assert path == tmp_path / "m.npz" and list(tmp_path.iterdir()) == [path]
    got = read_model_file(path)
    assert isinstance(got, ModelFile)
    assert got.config == {"layers": []} and got.compile_config == compile_config
    assert got.metadata == {"class_names": ["a", "b"]} == read_metadata(path)
    for a, b in zip(got.weights, weights, strict=True):
        np.testing.assert_array_equal(a, b)
    assert got.optimizer_state is not None and got.optimizer_state.iterations == 7
    assert list(got.optimizer_state.slots) == ["dense/kernel", "dense/bias"]  # order kept
    np.testing.assert_array_equal(got.optimizer_state.slots["dense/kernel"][1], np.full((4, 3), 2.0))
    np.testing.assert_array_equal(got.optimizer_state.slots["dense/bias"][0], np.zeros(3))


def test_the_layout_on_disk_is_the_documented_one(tmp_path):
    """A file built by hand from the module docstring's layout loads as a model (and the writer makes it)."""
    m = _dense_model()
    kernel = np.arange(12, dtype=np.float32).reshape(4, 3) / 10
    bias = np.array([1, -1, 0.5], np.float32)
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "model": m.get_config(),
        "compile": None,
        "optimizer_state": None,
        "metadata": {"dataset": "hand"},
    }
    hand = tmp_path / "hand.npz"
    np.savez(hand, __convscope__=np.array(json.dumps(doc)), w_0000=kernel, w_0001=bias)
    loaded = engine.load_model(hand)
    x = np.arange(4, dtype=np.float32).reshape(1, 2, 2, 1)
    np.testing.assert_allclose(loaded.predict(x), x.reshape(1, 4) @ kernel + bias, rtol=1e-6)
    assert read_metadata(hand) == {"dataset": "hand"} and not loaded.compiled
    m.set_weights([kernel, bias])
    written = write_model_file(
        tmp_path / "w.npz", m.get_config(), m.get_weights(), metadata={"dataset": "hand"}
    )
    with np.load(written) as data:
        assert sorted(data.files) == ["__convscope__", "w_0000", "w_0001"]
        assert json.loads(str(data["__convscope__"])) == doc


def test_model_save_and_load_keep_optimizer_state(tmp_path, rng):
    m = _dense_model()
    m.compile(optimizers.Adam(0.01), losses.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"])
    x, y = rng.random((8, 2, 2, 1)).astype(np.float32), rng.integers(0, 3, 8)
    m.fit(x, y, epochs=1, batch_size=4, verbose=0, seed=0)
    m.save(tmp_path / "m.npz", metadata={"k": 1})
    saved = read_model_file(tmp_path / "m.npz")
    assert saved.optimizer_state is not None and saved.optimizer_state.iterations == 2
    for key, slots in m.optimizer.state.items():
        for a, b in zip(slots, saved.optimizer_state.slots[key], strict=True):
            np.testing.assert_array_equal(a, b)
    loaded = engine.load_model(tmp_path / "m.npz")
    assert loaded.optimizer.iterations == 2 and set(loaded.optimizer.state) == set(m.optimizer.state)
    bare = engine.load_model(tmp_path / "m.npz", compile=False)
    assert not bare.compiled
    np.testing.assert_array_equal(bare.predict(x), m.predict(x))


def test_bad_arguments_are_refused_before_anything_is_written(tmp_path):
    with pytest.raises(TypeError, match=r"metadata must be a dict or None\. Received: list"):
        write_model_file(tmp_path / "m.npz", {}, [], metadata=["a"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"config must be a dict\. Received: str"):
        write_model_file(tmp_path / "m.npz", "layers", [])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="JSON values"):
        write_model_file(tmp_path / "m.npz", {}, [], metadata={"x": np.zeros(2)})
    with pytest.raises(ValueError, match="JSON values"):
        write_model_file(tmp_path / "m.npz", {}, [], metadata={"x": float("nan")})
    uneven = OptimizerState(1, {"a": [np.zeros(1)], "b": [np.zeros(1), np.zeros(1)]})
    with pytest.raises(ValueError, match=r"same number of arrays. Received counts: \[1, 2\]"):
        write_model_file(tmp_path / "m.npz", {}, [], optimizer_state=uneven)
    with pytest.raises(ValueError, match="not built yet"):
        Sequential([layers.Dense(2)]).save(tmp_path / "m.npz")
    assert list(tmp_path.iterdir()) == []


def test_newer_files_and_files_without_architecture_are_refused(tmp_path):
    newer = tmp_path / "newer.npz"
    np.savez(newer, __convscope__=np.array(json.dumps({"format": FORMAT, "version": VERSION + 1})))
    with pytest.raises(ValueError, match="newer ConvScope"):
        read_model_file(newer)
    headless = tmp_path / "headless.npz"
    np.savez(headless, __convscope__=np.array(json.dumps({"format": FORMAT, "version": VERSION})))
    with pytest.raises(ValueError, match="no architecture"):
        read_model_file(headless)
    single = tmp_path / "single.npy"
    np.save(single, np.zeros(2))
    with pytest.raises(ValueError, match=r"single \.npy array"):
        read_model_file(single)
    assert read_metadata(single) == {} and read_metadata(tmp_path / "missing.npz") == {}


def test_weights_that_do_not_fit_the_architecture_name_the_file(tmp_path):
    m = _dense_model()
    path = write_model_file(tmp_path / "bad.npz", m.get_config(), [np.zeros((5, 3), np.float32), np.zeros(3)])
    with pytest.raises(ValueError, match=r"bad\.npz.*weights do not match the architecture"):
        engine.load_model(path)


def test_legacy_cli_metadata_entry_is_still_read(tmp_path):
    m = _dense_model()
    path = write_model_file(tmp_path / "old.npz", m.get_config(), m.get_weights())
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files}
    np.savez(path, **arrays, __convscope_cli__=np.array(json.dumps({"dataset": "digits"})))
    assert read_metadata(path) == {"dataset": "digits"}


def test_the_file_format_does_not_import_the_model_classes():
    code = (
        "import sys, engine.saving; "
        "print(sorted(m for m in ('engine.models', 'engine.training') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
