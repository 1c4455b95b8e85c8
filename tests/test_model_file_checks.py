"""``load_model`` on damaged or hostile model files (issue 12 items 3, 8 and 9): each is refused with a
ValueError naming the file, the layer or entry and the field, before anything large is allocated, and never
with NumPy's ``allow_pickle`` advice or a ComplexWarning (warnings are errors in this suite)."""

from __future__ import annotations

import json
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import engine
from engine import layers, losses
from engine.saving import MAX_JSON_DEPTH


def _save(path: Path, optimizer: str = "adam") -> engine.Sequential:
    model = engine.Sequential(
        [
            layers.Conv2D(4, 3, activation="relu", input_shape=(12, 12, 1)),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(3),
        ],
        seed=0,
    )
    model.compile(optimizer, losses.SparseCategoricalCrossentropy(from_logits=True))
    x = np.random.default_rng(0).random((4, 12, 12, 1), dtype=np.float32)
    model.fit(x, np.array([0, 1, 2, 0]), epochs=1, verbose=0)
    model.save(path)
    return model


def _tamper(path: Path, edit: Callable[[dict[str, Any], dict[str, np.ndarray]], None]) -> Path:
    _save(path)
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    doc = json.loads(str(arrays.pop("__convscope__")))
    edit(doc, arrays)
    with open(path, "wb") as fh:
        np.savez(fh, __convscope__=np.array(json.dumps(doc)), **arrays)
    return path


def _cfg(i: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda doc: doc["model"]["layers"][i]["config"]


def _refused(path: Path, *fragments: str) -> str:
    with pytest.raises(ValueError) as err:
        engine.load_model(path)
    message = str(err.value)
    assert "model.npz" in message and "allow_pickle" not in message, message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


def test_a_good_file_still_loads_with_its_optimizer_state(tmp_path):
    model = _save(tmp_path / "model.npz")
    loaded = engine.load_model(tmp_path / "model.npz")
    for a, b in zip(model.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert loaded.optimizer.iterations == model.optimizer.iterations
    for key, slots in model.optimizer.state.items():
        for a, b in zip(slots, loaded.optimizer.state[key], strict=True):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("field", "value", "fragments"),
    [
        (
            0,
            {"filters": 1_000_000_000},
            ("layer 1 (conv2d)", "filters=1000000000", "entry w_0000", "4 filters"),
        ),
        (3, {"units": 1_000_000_000_000}, ("layer 4 (dense)", "units=1000000000000", "entry w_0002")),
        (0, {"kernel_size": [9, 9]}, ("kernel_size=(9, 9)", "3x3")),
        (0, {"input_shape": [20000, 20000, 1]}, ("input_shape (20000, 20000, 1)", "400,000,000 pixels")),
        (0, {"input_shape": [30, 30, 1]}, ("layer 4 (dense)", "input_shape (30, 30, 1)", "784")),
        (0, {"input_shape": [12, 12, 3]}, ("layer 1 (conv2d)", "3 channel(s)", "expects 1")),
    ],
)
def test_sizes_that_disagree_with_the_stored_weights_are_refused_before_allocating(
    tmp_path, field, value, fragments
):
    path = _tamper(tmp_path / "model.npz", lambda doc, a: _cfg(field)(doc).update(value))
    tracemalloc.start()
    try:
        _refused(path, *fragments)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20, f"{peak / 2**20:.0f} MiB allocated before the refusal"


def test_weights_that_do_not_belong_to_the_architecture_are_counted(tmp_path):
    path = _tamper(tmp_path / "model.npz", lambda doc, a: a.update(w_0004=np.zeros(3, np.float32)))
    _refused(path, "4 weight arrays", "holds 5")


@pytest.mark.parametrize(("value", "entry"), [(np.nan, "w_0000"), (np.inf, "w_0003"), (-np.inf, "w_0001")])
def test_non_finite_weights_are_refused_naming_layer_weight_and_entry(tmp_path, value, entry):
    def edit(doc, arrays):
        bad = arrays[entry].copy()
        bad.flat[1 if bad.size > 1 else 0] = value
        arrays[entry] = bad

    path = _tamper(tmp_path / "model.npz", edit)
    layer, field = {
        "w_0000": ("conv2d", "kernel"),
        "w_0001": ("conv2d", "bias"),
        "w_0003": ("dense", "bias"),
    }[entry]
    kind = "NaN" if np.isnan(value) else "infinite"
    _refused(path, f"is broken: its layer {layer!r} has 1 {kind} value in its {field} (entry {entry},")


def test_complex_weights_are_refused_without_a_complex_warning(tmp_path):
    path = _tamper(tmp_path / "model.npz", lambda doc, a: a.update(w_0002=a["w_0002"] + 1j))
    _refused(path, "'w_0002'", "complex values (dtype complex64)")


def test_an_entry_too_large_is_refused_from_its_header(tmp_path):
    # a .npy header claiming 2 GiB over 16 bytes of data: refused from the header, nothing read or allocated
    good, path = tmp_path / "good.npz", tmp_path / "model.npz"
    _save(good)
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as archive:
        for name in src.namelist():
            if name != "w_0002.npy":
                archive.writestr(name, src.read(name))
        with archive.open("w_0002.npy", "w") as fh:
            header = {"descr": "<f4", "fortran_order": False, "shape": (1 << 14, 1 << 15)}
            np.lib.format.write_array_header_1_0(fh, header)
            fh.write(bytes(16))
    tracemalloc.start()
    try:
        _refused(path, "'w_0002'", "(16384, 32768)", "536,870,912 values")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20


@pytest.mark.parametrize(
    ("state", "arrays", "fragments"),
    [
        ({"iterations": 3, "slots": 5, "per_slot": 2}, {}, ("'slots' must be a list", "Received: 5")),
        ({"iterations": "3", "slots": [], "per_slot": 2}, {}, ("'iterations'", "Received: '3'")),
        ({"iterations": 3, "slots": [], "per_slot": 10**9}, {}, ("'per_slot'", "[0, 8]")),
        (
            {"iterations": 3, "slots": ["conv2d/kernel"], "per_slot": 2},
            {"opt_0000_0": np.zeros((5, 5), np.float32), "opt_0000_1": np.zeros((5, 5), np.float32)},
            ("'conv2d/kernel'", "shape (5, 5)", "(3, 3, 1, 4)"),
        ),
        (
            {"iterations": 3, "slots": ["no_such_layer/kernel"], "per_slot": 2},
            {
                "opt_0000_0": np.zeros((3, 3, 1, 4), np.float32),
                "opt_0000_1": np.zeros((3, 3, 1, 4), np.float32),
            },
            ("'no_such_layer/kernel'", "does not have"),
        ),
        (
            {"iterations": 3, "slots": ["dense/bias"], "per_slot": 1},
            {"opt_0000_0": np.zeros(3, np.float32)},
            ("'dense/bias' holds 1 array(s)", "keeps 2 per weight ('m', 'v')"),
        ),
        (
            {"iterations": 3, "slots": ["dense/bias"], "per_slot": 2},
            {"opt_0000_0": np.full(3, np.nan, np.float32), "opt_0000_1": np.zeros(3, np.float32)},
            ("'m' of 'dense/bias'", "NaN"),
        ),
    ],
)
def test_a_broken_optimizer_state_is_refused(tmp_path, state, arrays, fragments):
    def edit(doc, stored):
        doc["optimizer_state"] = state
        for key in [k for k in stored if k.startswith("opt_")]:
            del stored[key]
        stored.update(arrays)

    _refused(_tamper(tmp_path / "model.npz", edit), *fragments)


def test_the_same_state_loads_when_compile_is_skipped(tmp_path):
    # an inference-only load ignores the optimizer state
    def edit(doc, stored):
        doc["optimizer_state"]["slots"][0] = "no_such_layer/kernel"

    engine.load_model(_tamper(tmp_path / "model.npz", edit), compile=False)


@pytest.mark.parametrize(
    ("edit", "fragments"),
    [
        (lambda doc, a: doc.update(version="abc"), ("'version' must be an integer", "Received: 'abc'")),
        (lambda doc, a: doc.update(version=True), ("'version'", "Received: True")),
        (lambda doc, a: doc["model"]["layers"].__setitem__(0, "Conv2D(4, 3)"), ("layer 1", "'Conv2D(4, 3)'")),
        (lambda doc, a: doc["model"]["layers"][2].update(config=[1]), ("layer 3", "'class_name'")),
        (lambda doc, a: doc["model"].update(layers={"a": 1}), ("'layers' must be a list", "dict")),
        (lambda doc, a: doc.update(compile=[1]), ("'compile' must be a dict",)),
        (
            lambda doc, a: doc.update(metadata={"deep": json.loads("[" * 70 + "]" * 70)}),
            ("nested too deeply",),
        ),
    ],
)
def test_a_description_that_is_not_what_convscope_writes_is_refused(tmp_path, edit, fragments):
    _refused(_tamper(tmp_path / "model.npz", edit), *fragments)


def test_nesting_beyond_pythons_recursion_limit_is_refused(tmp_path):
    path = _tamper(tmp_path / "model.npz", lambda doc, a: doc.update(metadata={"x": "PLACEHOLDER"}))
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    text = str(arrays.pop("__convscope__")).replace('"PLACEHOLDER"', "[" * 3000 + "]" * 3000)
    with open(path, "wb") as fh:
        np.savez(fh, __convscope__=np.array(text), **arrays)
    _refused(path, "nested too deeply", f"more than {MAX_JSON_DEPTH} levels")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "a PNG image"),
        (bytes(range(256)) * 4, "not a zip archive"),
        (b"", "empty (0 bytes)"),
        (b'{"model": {}}', "a JSON text"),
    ],
)
def test_files_that_are_not_archives_are_named_for_what_they_are(tmp_path, content, fragment):
    path = tmp_path / "model.npz"
    path.write_bytes(content)
    _refused(path, "not a ConvScope model file", fragment)


def test_a_npy_array_is_named_as_such(tmp_path):
    path = tmp_path / "model.npz"
    with open(path, "wb") as fh:
        np.save(fh, np.zeros(3))
    _refused(path, "a single .npy array")


def test_a_model_with_nan_weights_can_still_be_opened_to_inspect_it(tmp_path):
    path = _tamper(tmp_path / "model.npz", lambda doc, a: a.update(w_0001=np.full(4, np.nan, np.float32)))
    model = engine.load_model(path, allow_non_finite=True)
    assert np.isnan(model.layers[0].params["bias"]).all()


class _OwnDense(layers.Dense):
    """A layer class with weights that load_model cannot plan from its config (not Conv2D or Dense itself)."""


def test_after_a_layer_it_cannot_plan_no_array_larger_than_the_files_largest_is_allocated(tmp_path):
    path = tmp_path / "model.npz"
    model = engine.Sequential([layers.Flatten(input_shape=(4, 4, 1)), _OwnDense(5), layers.Dense(3)], seed=0)
    model.save(path)
    assert engine.load_model(path).get_weights()[0].shape == (16, 5)  # the good file loads

    def edit(doc, arrays):
        doc["model"]["layers"][2]["config"]["units"] = 1_000_000_000_000

    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    doc = json.loads(str(arrays.pop("__convscope__")))
    edit(doc, arrays)
    with open(path, "wb") as fh:
        np.savez(fh, __convscope__=np.array(json.dumps(doc)), **arrays)
    tracemalloc.start()
    try:
        _refused(
            path, "layer 3 (dense) would create a kernel of shape (5, 1000000000000)", "units=1000000000000"
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20
