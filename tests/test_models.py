"""Sequential: building, naming, errors, training, callbacks, determinism, NaN stop, inspection, save/load."""

from __future__ import annotations

import json
import os
import zipfile
from typing import ClassVar

import numpy as np
import pytest

import engine
from engine import callbacks, layers, losses, models, optimizers, zoo

SCCE = losses.SparseCategoricalCrossentropy(from_logits=True)


def tiny_model(seed: int = 0, input_shape=(6, 6, 1), classes: int = 3) -> models.Sequential:
    return models.Sequential(
        [
            layers.Conv2D(4, 3, activation="relu", padding="same", input_shape=input_shape),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(classes),
        ],
        seed=seed,
    )


def blobs(rng, n: int = 48, classes: int = 3):
    """Images whose class is which third of the image is bright: learnable in a few steps."""
    y = rng.integers(0, classes, n)
    x = rng.uniform(0, 0.2, (n, 6, 6, 1)).astype(np.float32)
    for i, c in enumerate(y):
        x[i, 2 * c : 2 * c + 2, :, 0] += 1.0
    return x, y


# -- structure -----------------------------------------------------------------------------------------------


def test_keras_auto_names_are_per_model():
    m = models.Sequential(
        [
            layers.Conv2D(2, 3, input_shape=(8, 8, 1)),
            layers.Conv2D(2, 3),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(3),
            layers.Dense(2),
        ]
    )
    assert [la.name for la in m.layers] == [
        "conv2d",
        "conv2d_1",
        "max_pooling2d",
        "flatten",
        "dense",
        "dense_1",
    ]
    other = models.Sequential([layers.Dense(2, input_shape=(3,))])
    assert other.layers[0].name == "dense"
    with pytest.raises(ValueError, match="all layer names must be unique"):
        m.add(layers.Dense(2, name="dense"))


def test_too_small_input_fails_at_add_with_layer_named():
    """The lesson: a 2x2 image cannot be halved four times."""
    m = models.Sequential([layers.MaxPooling2D((2, 2), input_shape=(2, 2, 1))])
    with pytest.raises(
        ValueError,
        match=r"input 1x1 is too small for MaxPooling2D 2x2 at layer 2 "
        r"\(max_pooling2d_1\)",
    ):
        m.add(layers.MaxPooling2D((2, 2)))
    assert len(m.layers) == 1  # the failed layer was not added
    deferred = models.Sequential(
        [
            layers.Conv2D(2, 3),
            layers.MaxPooling2D(),
            layers.MaxPooling2D(),
            layers.MaxPooling2D(),
            layers.MaxPooling2D(),
        ]
    )
    with pytest.raises(ValueError, match=r"too small for MaxPooling2D 2x2 at layer 5 \(max_pooling2d_3\)"):
        deferred.build((10, 10, 1))


def test_summary_matches_keras_counts_for_the_lesson_net(capsys):
    m = zoo.build("lesson", (32, 32, 3), 10)
    m.summary()
    out = capsys.readouterr().out
    assert [r[3] for r in m.summary_rows()] == [896, 0, 18496, 0, 36928, 0, 262208, 650]
    assert "Total params: 319,178" in out and "conv2d_2 (Conv2D)" in out and "(None, 8, 8, 64)" in out
    assert "(None, 4096)" in out and "Non-trainable params: 0" in out


def test_deferred_build_from_data_and_grayscale_axis(rng):
    m = models.Sequential([layers.Conv2D(2, 3), layers.Flatten(), layers.Dense(2)], seed=1)
    assert not m.built
    out = m.predict(rng.random((3, 5, 5, 1)))
    assert out.shape == (3, 2) and m.built and m.layers[0].input_shape == (5, 5, 1)
    assert m.predict(rng.random((2, 5, 5))).shape == (2, 2)  # (N, H, W) gets its channel axis
    with pytest.raises(ValueError, match=r"x must have shape \(N, 5, 5, 1\)"):
        m.predict(rng.random((2, 6, 6, 1)))


def test_global_max_pooling_takes_any_size_while_flatten_cannot(rng):
    m = zoo.build("lesson_gmp", (None, None, 3), 4)
    assert m.predict(rng.random((1, 16, 16, 3))).shape == (1, 4)
    assert m.predict(rng.random((1, 24, 20, 3))).shape == (1, 4)
    with pytest.raises(ValueError, match="Flatten needs a fixed input size"):
        zoo.build("lesson", (None, None, 3), 4)


# -- training ------------------------------------------------------------------------------------------------


def test_fit_learns_and_history_has_keras_keys(rng):
    x, y = blobs(rng)
    m = tiny_model()
    m.compile(optimizers.Adam(0.02), SCCE, metrics=["accuracy"])
    before = m.evaluate(x, y, verbose=0)
    h = m.fit(x, y, epochs=6, batch_size=8, validation_data=(x, y), verbose=0, seed=0)
    assert set(h.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(h.history["loss"]) == 6 and h.epoch == list(range(6)) and h.stopped_reason is None
    assert h.history["loss"][-1] < 0.5 * h.history["loss"][0]
    after = m.evaluate(x, y, verbose=0)
    assert after[1] >= 0.9 and after[0] < before[0]
    assert after[0] == pytest.approx(h.history["val_loss"][-1], rel=1e-5)


def test_seed_makes_training_deterministic(rng):
    x, y = blobs(rng)
    runs = []
    for _ in range(2):
        m = models.Sequential(
            [
                layers.Conv2D(3, 3, activation="relu", input_shape=(6, 6, 1)),
                layers.Flatten(),
                layers.Dropout(0.3),
                layers.Dense(3),
            ],
            seed=5,
        )
        m.compile("adam", SCCE)
        m.fit(x, y, epochs=2, batch_size=7, verbose=0, seed=11)
        runs.append(m.get_weights())
    for a, b in zip(*runs, strict=True):
        np.testing.assert_array_equal(a, b)
    m3 = models.Sequential([layers.Dense(3, input_shape=(2,))], seed=6)
    assert not np.array_equal(
        m3.get_weights()[0], models.Sequential([layers.Dense(3, input_shape=(2,))], seed=5).get_weights()[0]
    )


def test_nan_loss_stops_with_epoch_and_batch_named(rng, capsys):
    x, y = blobs(rng, n=16)
    x[9, 0, 0, 0] = np.nan  # sample 9 is in the third batch of 4 without shuffling
    m = tiny_model()
    m.compile("sgd", SCCE, ["accuracy"])
    w_before = m.get_weights()
    seen = []
    h = m.fit(
        x,
        y,
        epochs=3,
        batch_size=4,
        shuffle=False,
        verbose=2,
        callbacks=[callbacks.LambdaCallback(on_batch_end=lambda b, logs: seen.append(b))],
    )
    assert seen == [0, 1, 2]
    assert h.stopped_reason is not None
    assert "epoch 1, batch 3" in h.stopped_reason and "lower learning rate" in h.stopped_reason
    assert len(h.history["loss"]) == 1 and not np.isfinite(h.history["loss"][0])
    assert all(np.all(np.isfinite(w)) for w in m.get_weights())
    # batches 1-2 trained
    assert any(not np.array_equal(a, b) for a, b in zip(w_before, m.get_weights(), strict=True))
    assert "lower learning rate" in capsys.readouterr().err


class Recorder(callbacks.Callback):
    def __init__(self, stop_after: int | None = None) -> None:
        super().__init__()
        self.events: list = []
        self.stop_after = stop_after

    def on_train_begin(self, logs=None):
        self.events.append(("train_begin",))

    def on_epoch_begin(self, epoch, logs=None):
        self.events.append(("epoch_begin", epoch))

    def on_batch_end(self, batch, logs=None):
        self.events.append(("batch", batch, logs))
        if self.stop_after is not None and batch == self.stop_after:
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        self.events.append(("epoch_end", epoch))

    def on_train_end(self, logs=None):
        self.events.append(("train_end",))


def test_callback_hooks_logs_and_stop_training(rng):
    x, y = blobs(rng, n=20)
    m = tiny_model()
    m.compile("adam", SCCE, ["accuracy"])
    rec = Recorder()
    m.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[rec])
    kinds = [e[0] for e in rec.events]
    assert kinds == [
        "train_begin",
        "epoch_begin",
        "batch",
        "batch",
        "batch",
        "epoch_end",
        "epoch_begin",
        "batch",
        "batch",
        "batch",
        "epoch_end",
        "train_end",
    ]
    logs = rec.events[4][2]
    assert rec.model is m
    assert {"loss", "accuracy", "batch", "epoch", "size", "images_per_second"} <= set(logs)
    assert logs["size"] == 4 and logs["batch"] == 2 and logs["epoch"] == 0 and logs["images_per_second"] > 0

    stopper = Recorder(stop_after=1)
    h = m.fit(x, y, epochs=3, batch_size=4, verbose=0, callbacks=[stopper])
    assert [e[1] for e in stopper.events if e[0] == "batch"] == [0, 1]
    assert len(h.history["loss"]) == 1 and "stopped on request" in h.stopped_reason


def test_augment_is_applied_to_every_training_batch(rng):
    x, y = blobs(rng, n=10)

    class Counter:
        calls: ClassVar[list] = []

        def apply(self, xb):
            self.calls.append(xb.shape)
            return xb[:, ::-1]

    aug = Counter()
    m = tiny_model()
    m.compile("adam", SCCE)
    m.fit(x, y, epochs=1, batch_size=4, verbose=0, augment=aug)
    assert aug.calls == [(4, 6, 6, 1), (4, 6, 6, 1), (2, 6, 6, 1)]


def test_train_and_test_on_batch(rng):
    x, y = blobs(rng, n=8)
    m = tiny_model()
    m.compile("adam", SCCE, ["accuracy"])
    t0 = m.test_on_batch(x, y)
    w0 = m.get_weights()
    r = m.train_on_batch(x, y)
    assert r["loss"] == pytest.approx(t0["loss"], rel=1e-6) and 0 <= r["accuracy"] <= 1
    assert any(not np.array_equal(a, b) for a, b in zip(w0, m.get_weights(), strict=True))
    assert m.test_on_batch(x, y)["loss"] < t0["loss"]


def test_verbose_progress_goes_to_stderr_and_lines_to_stdout(rng, capsys):
    x, y = blobs(rng, n=8)
    m = tiny_model()
    m.compile("adam", SCCE, ["accuracy"])
    m.fit(x, y, epochs=1, batch_size=4, verbose=1)
    err = capsys.readouterr().err
    assert "Epoch 1/1" in err and "loss" in err and "accuracy" in err
    m.fit(x, y, epochs=2, batch_size=4, verbose=2)
    out = capsys.readouterr().out
    assert "Epoch 2/2" in out and "loss:" in out
    m.evaluate(x, y, verbose=2)
    assert "accuracy:" in capsys.readouterr().out


def test_fit_argument_errors(rng):
    x, y = blobs(rng, n=8)
    m = tiny_model()
    with pytest.raises(RuntimeError, match="compile"):
        m.fit(x, y)
    m.compile("adam", SCCE)
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        m.fit(x, y, batch_size=0)
    with pytest.raises(ValueError, match="same number of samples"):
        m.fit(x, y[:5], verbose=0)
    with pytest.raises(ValueError, match=r"labels must be in \[0, 3\)"):
        m.fit(x, y + 5, verbose=0)
    with pytest.raises(ValueError, match="metrics may only hold 'accuracy'"):
        m.compile("adam", SCCE, metrics=["auc"])


# -- transfer learning ---------------------------------------------------------------------------------------


def test_frozen_nested_base_is_not_trained(rng, tmp_path):
    x, y = blobs(rng)
    base = models.Sequential(
        [
            layers.Conv2D(4, 3, activation="relu", padding="same", input_shape=(6, 6, 1)),
            layers.MaxPooling2D(),
        ],
        name="base",
        seed=2,
    )
    base.save(tmp_path / "base.npz")
    pretrained = engine.load_model(tmp_path / "base.npz")
    pretrained.trainable = False
    assert all(not la.trainable for la in pretrained.layers)
    model = models.Sequential([pretrained, layers.Flatten(), layers.Dense(3)], seed=0)
    model.compile(optimizers.RMSprop(lr=0.01), SCCE, ["accuracy"])
    frozen = pretrained.get_weights()
    head = model.layers[-1].get_weights()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    for a, b in zip(frozen, pretrained.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(head[0], model.layers[-1].get_weights()[0])
    assert [n for n, _ in model.activations(x[:1])] == [
        "base/conv2d",
        "base/max_pooling2d",
        "flatten",
        "dense",
    ]
    assert [s[0] for s in model.trainable_slots()] == ["dense/kernel", "dense/bias"]


# -- inspection ----------------------------------------------------------------------------------------------


def test_activations_are_every_layer_output(rng):
    x, _ = blobs(rng, n=3)
    m = tiny_model()
    acts = m.activations(x)
    assert [n for n, _ in acts] == ["conv2d", "max_pooling2d", "flatten", "dense"]
    assert [a.shape for _, a in acts] == [(3, 6, 6, 4), (3, 3, 3, 4), (3, 36), (3, 3)]
    assert acts[0][1].min() >= 0  # after the ReLU
    np.testing.assert_allclose(acts[-1][1], m.predict(x), rtol=1e-6)
    assert m.activations(x[0])[0][1].shape == (1, 6, 6, 4)  # a single image


def test_gradients_match_finite_differences(rng):
    x, y = blobs(rng, n=4)
    m = models.Sequential(
        [layers.Conv2D(2, 3, activation="tanh", input_shape=(6, 6, 1)), layers.Flatten(), layers.Dense(3)],
        seed=3,
    )
    m.compile("sgd", SCCE)
    before = m.get_weights()
    grads = m.gradients(x, y)
    assert [g.name for g in grads] == ["conv2d", "flatten", "dense"]
    assert grads[0].output.shape == (4, 4, 4, 2) and grads[0].input.shape == x.shape
    for a, b in zip(before, m.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)  # nothing trained
    kernel = m.layers[0].params["kernel"].reshape(-1)
    eps = 1e-2
    for i in (0, 5, 11):
        old = kernel[i]
        kernel[i] = old + eps
        up = m.test_on_batch(x, y)["loss"]
        kernel[i] = old - eps
        down = m.test_on_batch(x, y)["loss"]
        kernel[i] = old
        assert grads[0].weights["kernel"].reshape(-1)[i] == pytest.approx(
            (up - down) / (2 * eps), rel=3e-2, abs=1e-4
        )
    dense_out = SCCE.forward_backward(y, m.predict(x))[1]
    np.testing.assert_allclose(grads[2].output, dense_out, rtol=1e-5)


# -- config and files ----------------------------------------------------------------------------------------


def test_config_is_json_and_rebuilds(rng):
    m = zoo.build("small", (28, 28, 1), 10, seed=4)
    text = json.dumps(m.get_config())
    again = models.model_from_config(json.loads(text))
    assert [la.name for la in again.layers] == [la.name for la in m.layers]
    x = rng.random((2, 28, 28, 1))
    np.testing.assert_array_equal(again.predict(x), m.predict(x))  # same seed -> same weights


def test_save_load_predict_identical_and_resume(rng, tmp_path):
    x, y = blobs(rng)
    m = tiny_model()
    m.compile(optimizers.Adam(0.01), SCCE, ["accuracy"])
    m.fit(x, y, epochs=1, batch_size=8, verbose=0, seed=0)
    path = tmp_path / "model.npz"
    m.save(path)
    loaded = engine.load_model(path)
    np.testing.assert_array_equal(loaded.predict(x), m.predict(x))
    assert isinstance(loaded.optimizer, optimizers.Adam) and loaded.optimizer.iterations == 6
    assert loaded.loss.from_logits and loaded.metrics == ["accuracy"]
    m.fit(x, y, epochs=1, batch_size=8, verbose=0, seed=1)
    loaded.fit(x, y, epochs=1, batch_size=8, verbose=0, seed=1)
    for a, b in zip(m.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    with np.load(path, allow_pickle=False) as data:
        assert all(data[k].dtype != object for k in data.files)


def test_truncated_pickled_and_foreign_files_are_refused(tmp_path):
    m = tiny_model()
    good = tmp_path / "good.npz"
    m.save(good)
    raw = good.read_bytes()
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(ValueError, match=r"not a ConvScope model file|truncated"):
        engine.load_model(truncated)
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, __convscope__=np.array([{"evil": 1}], dtype=object))
    with pytest.raises(ValueError, match="refuses to load pickles"):
        engine.load_model(pickled)
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, images=np.zeros(3))
    with pytest.raises(ValueError, match="not a ConvScope model file"):
        engine.load_model(foreign)
    text = tmp_path / "notes.npz"
    text.write_text("hello")
    with pytest.raises(ValueError, match="not a ConvScope model file"):
        engine.load_model(text)
    with pytest.raises(FileNotFoundError, match="no model file"):
        engine.load_model(tmp_path / "missing.npz")


def test_interrupted_save_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    m = tiny_model(seed=0)
    m.save(path)
    before = path.read_bytes()

    def explode(fh, **arrays):
        fh.write(b"PK partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", explode)
    with pytest.raises(KeyboardInterrupt):
        tiny_model(seed=1).save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.npz"]  # no temp file left behind
    assert zipfile.is_zipfile(path)


def test_zoo_presets_and_json_files(tmp_path):
    assert set(zoo.PRESETS) >= {"small", "lesson", "lesson_gmp"}
    gmp = zoo.build("lesson_gmp", (32, 32, 3), 10)
    assert [type(la).__name__ for la in gmp.layers][5] == "GlobalMaxPooling2D"
    spec = tmp_path / "arch.json"
    spec.write_text(json.dumps(zoo.build("small", (28, 28, 1), 10).get_config()))
    from_file = zoo.build(str(spec), (12, 12, 3), 10)
    assert from_file.layers[0].input_shape == (12, 12, 3) and from_file.output_shape == (10,)
    with pytest.raises(ValueError, match="model must be one of"):
        zoo.build("resnet", (8, 8, 1), 2)


def test_early_stopping_restores_best_weights(rng):
    x, y = blobs(rng, n=16)
    m = tiny_model()
    m.compile(optimizers.SGD(0.01), SCCE, ["accuracy"])
    scores = iter([1.0, 0.5, 0.7, 0.8, 0.9, 0.95])
    seen_weights = []

    class FakeVal(callbacks.Callback):  # feeds a scripted val_loss so the stopping epoch is known
        def on_epoch_end(self, epoch, logs=None):
            logs["val_loss"] = next(scores)
            seen_weights.append(self.model.get_weights())

    stop = callbacks.EarlyStopping(monitor="val_loss", patience=1, restore_best_weights=True)
    h = m.fit(x, y, epochs=6, batch_size=8, verbose=0, callbacks=[FakeVal(), stop])
    assert stop.stopped_epoch == 3 and len(h.epoch) == 4
    assert "early stopping at epoch 4" in h.stopped_reason
    for a, b in zip(m.get_weights(), seen_weights[1], strict=True):
        np.testing.assert_array_equal(a, b)


def test_validation_split_holds_out_the_last_samples(rng):
    x, y = blobs(rng, n=20)
    m = tiny_model()
    m.compile("adam", SCCE, ["accuracy"])
    h = m.fit(x, y, epochs=1, batch_size=5, validation_split=0.25, verbose=0, shuffle=False)
    assert h.history["val_loss"][0] == pytest.approx(m.evaluate(x[15:], y[15:], verbose=0)[0], rel=1e-5)


def test_one_training_step_agrees_between_backends(rng, backend_guard):
    x, y = blobs(rng, n=6)
    weights = {}
    for backend in ("reference", "cpu"):
        engine.set_backend(backend)
        m = models.Sequential(
            [
                layers.Conv2D(3, 3, strides=2, padding="same", activation="relu", input_shape=(6, 6, 1)),
                layers.AveragePooling2D(),
                layers.Flatten(),
                layers.Dense(3, activation="softmax"),
            ],
            seed=9,
        )
        m.compile(optimizers.SGD(0.5, momentum=0.9), "sparse_categorical_crossentropy")
        m.train_on_batch(x, y)
        m.train_on_batch(x, y)
        weights[backend] = m.get_weights()
    for a, b in zip(weights["reference"], weights["cpu"], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_pop_and_get_layer():
    m = tiny_model()
    assert m.get_layer("flatten") is m.layers[2]
    last = m.pop()
    assert last.name == "dense" and m.output_shape == (36,)
    with pytest.raises(ValueError, match="no layer named 'nope'"):
        m.get_layer("nope")


def test_a_model_can_run_on_its_own_backend(backend_guard):
    """Sequential(backend=...) trains on that backend without changing the global choice, and gives the same
    step as a model on the global backend."""
    import engine
    from engine import layers as L

    def make(backend=None):
        m = engine.Sequential(
            [L.Conv2D(2, 3, input_shape=(5, 5, 1), activation="relu"), L.Flatten(), L.Dense(2)],
            seed=1,
            backend=backend,
        )
        m.compile(optimizer="sgd", loss=engine.losses.SparseCategoricalCrossentropy(from_logits=True))
        return m

    x = np.random.default_rng(0).standard_normal((4, 5, 5, 1)).astype(np.float32)
    y = np.array([0, 1, 1, 0])
    engine.set_backend("cpu")
    ref_model = make("reference")
    cpu_model = make()
    assert ref_model.train_on_batch(x, y)["loss"] == pytest.approx(
        cpu_model.train_on_batch(x, y)["loss"], rel=1e-5
    )
    assert engine.get_backend() == "cpu"
    for a, b in zip(ref_model.get_weights(), cpu_model.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match=r"backend must be one of .* Received: backend='gpu'"):
        engine.Sequential(backend="gpu")


# ------------------------------------------------------------------------------------------ output kind


@pytest.mark.parametrize(
    ("last", "kind"),
    [
        ([layers.Dense(3)], "logits"),
        ([layers.Dense(3, activation="softmax")], "probabilities"),
        ([layers.Dense(3), layers.Softmax()], "probabilities"),
        ([layers.Dense(1, activation="sigmoid")], "probabilities"),
        ([layers.Dense(3, activation="softmax"), layers.Dropout(0.5)], "probabilities"),
        ([layers.Dense(3), layers.Activation("linear")], "logits"),
        ([layers.Dense(3, activation="relu")], "logits"),
    ],
)
def test_output_kind_is_read_from_the_last_value_changing_layer(last, kind):
    m = models.Sequential([layers.Flatten(input_shape=(2, 2, 1)), *last], seed=0)
    assert m.output_kind == kind


def test_predict_proba_is_a_softmax_of_logits_and_leaves_probabilities_alone():
    x = np.random.default_rng(0).random((5, 4, 4, 1), dtype=np.float32)
    logits = models.Sequential([layers.Flatten(input_shape=(4, 4, 1)), layers.Dense(3)], seed=1)
    z = logits.predict(x).astype(np.float64)
    expected = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(logits.predict_proba(x), expected, rtol=1e-6)
    probs = models.Sequential(
        [layers.Flatten(input_shape=(4, 4, 1)), layers.Dense(3, activation="softmax")], seed=1
    )
    np.testing.assert_array_equal(probs.predict_proba(x), probs.predict(x))
