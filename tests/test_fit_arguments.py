"""``fit`` / ``evaluate`` / ``predict`` / ``compile`` arguments the audit of issue 12 found accepted or
answered with another library's message (items 1, 5, 8, 9, 10): each is refused before any epoch runs,
naming the argument, what was received and what is allowed. Warnings are errors in this suite, so a stray
ComplexWarning or an unexpected loss warning fails these tests too."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import engine
from engine import layers, losses
from engine.callbacks import History

X = np.random.default_rng(0).random((6, 4, 4, 1), dtype=np.float32)
Y = np.array([0, 1, 2, 0, 1, 2])


def _model(activation: str | None = "softmax", units: int = 3) -> engine.Sequential:
    return engine.Sequential(
        [layers.Flatten(input_shape=(4, 4, 1)), layers.Dense(units, activation=activation)], seed=0
    )


def _compiled(**kw) -> engine.Sequential:
    model = _model(**kw)
    model.compile("sgd", "sparse_categorical_crossentropy", ["accuracy"])
    return model


def _untouched(model: engine.Sequential, before: list[np.ndarray]) -> None:
    for a, b in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------------------------------------ epochs


@pytest.mark.parametrize(
    ("epochs", "error"),
    [(None, TypeError), (1.7, TypeError), (True, TypeError), ("2", TypeError), (-1, ValueError)],
)
def test_epochs_must_be_an_int(epochs, error):
    model = _compiled()
    before = model.get_weights()
    with pytest.raises(error, match=rf"epochs must be an int >= 0. Received: epochs={epochs!r}"):
        model.fit(X, Y, epochs=epochs, verbose=0)
    _untouched(model, before)


def test_numpy_integer_epochs_run_that_many_epochs():
    history = _compiled().fit(X, Y, epochs=np.int64(3), verbose=0)
    assert len(history.history["loss"]) == 3


# --------------------------------------------------------------------------------------------- callbacks


def test_a_single_callback_is_refused_with_the_fix():
    with pytest.raises(TypeError, match=r"wrap a single one in a list: callbacks=\[History\(\)\]"):
        _compiled().fit(X, Y, epochs=1, callbacks=History(), verbose=0)


@pytest.mark.parametrize("callbacks", [[1], [History(), "log"], "History"])
def test_callbacks_must_be_callback_objects(callbacks):
    with pytest.raises(TypeError, match=r"callbacks.* must be .*Callback"):
        _compiled().fit(X, Y, epochs=1, callbacks=callbacks, verbose=0)


def test_a_list_or_tuple_of_callbacks_is_called():
    seen: list[int] = []

    class Count(engine.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(epoch)

    _compiled().fit(X, Y, epochs=2, callbacks=(Count(),), verbose=0)
    assert seen == [0, 1]


# ------------------------------------------------------------------------------------------------ labels


@pytest.mark.parametrize(
    ("labels", "fragment"),
    [
        (np.array(["a", "b", "c", "a", "b", "c"]), "Received dtype <U1: 'a' (sample 0)"),
        (np.array([0, 1e20, 2, 0, 1, 2]), "Received: 1e+20 (sample 1)"),
        (np.array([0, 1, 2, 0, np.nan, 2]), "Received: nan (sample 4)"),
        (np.array([0, 1, 2.5, 0, 1, 2]), "Received: 2.5 (sample 2)"),
        (np.array([0, 1, 2, -1, 1, 2]), "Received: -1 (sample 3)"),
    ],
)
def test_labels_that_are_not_class_indices_name_the_sample(labels, fragment):
    model = _compiled()
    with pytest.raises(ValueError, match=r"^y: labels must be in \[0, 3\)") as err:
        model.fit(X, labels, epochs=1, verbose=0)
    assert fragment in str(err.value)


def test_a_model_with_fewer_outputs_than_the_classes_is_refused_before_training():
    model = _compiled(units=2)  # 3 classes in Y
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"below the model's 2 outputs\)\. Received: 2 \(sample 2\)"):
        model.fit(X, Y, epochs=3, verbose=0)
    _untouched(model, before)


# ---------------------------------------------------------------------------------------- empty data


def test_zero_samples_are_refused_everywhere_a_mean_would_be_taken():
    model = _compiled()
    with pytest.raises(ValueError, match=r"evaluate needs at least 1 sample. Received: x with 0 samples"):
        model.evaluate(X[:0], Y[:0], verbose=0)
    with pytest.raises(ValueError, match=r"fit needs at least 1 sample"):
        model.fit(X[:0], Y[:0], epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"validation after each epoch needs at least 1 sample"):
        model.fit(X, Y, epochs=1, validation_data=(X[:0], Y[:0]), verbose=0)
    with pytest.raises(ValueError, match=r"validation_split=0.05 of 6 samples leaves 0 for validation"):
        model.fit(X, Y, epochs=1, validation_split=0.05, verbose=0)


@pytest.mark.parametrize("shape", [(1, 0, 4, 1), (2, 4, 0, 1), (1, 0, 0, 1)])
def test_an_empty_axis_is_refused_by_predict_fit_and_evaluate(shape):
    model = _compiled()
    x = np.ones(shape, np.float32)
    for call in (
        lambda: model.predict(x),
        lambda: model.fit(x, np.zeros(shape[0], np.int64), epochs=1, verbose=0),
        lambda: model.evaluate(x, np.zeros(shape[0], np.int64), verbose=0),
    ):
        with pytest.raises(ValueError, match=r"x .*(must have shape|empty axis).*Received shape"):
            call()


def test_global_pooling_of_an_empty_image_is_refused_not_returned():
    # before: [[1.17e+15, 2.06e+16]], read from uninitialised memory
    model = engine.Sequential(
        [layers.GlobalMaxPooling2D(input_shape=(None, None, 3)), layers.Dense(2)], seed=0
    )
    with pytest.raises(ValueError, match=r"empty axis.*Received shape: \(1, 0, 0, 3\)"):
        model.predict(np.ones((1, 0, 0, 3), np.float32))
    assert model.predict(np.ones((1, 2, 2, 3), np.float32)).shape == (1, 2)


# -------------------------------------------------------------------------------------- complex inputs


def test_complex_inputs_are_refused_instead_of_dropping_the_imaginary_part():
    model = _compiled()
    with pytest.raises(TypeError, match=r"x must be real-valued. Received dtype: complex64"):
        model.predict(X + 1j)
    with pytest.raises(TypeError, match=r"x must be real-valued"):
        model.fit(X + 0j, Y, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"y: labels .*Received dtype complex128"):
        model.fit(X, Y + 0j, epochs=1, verbose=0)


# ----------------------------------------------------------------------------- loss against the outputs


def test_probability_loss_on_a_logits_model_warns_as_keras_does():
    model = _model(activation=None)
    with pytest.warns(
        UserWarning, match=r"from_logits=False\) expects probabilities, but model 'sequential'"
    ):
        model.compile("sgd", "sparse_categorical_crossentropy")


def test_logits_loss_on_a_softmax_model_warns():
    model = _model()
    with pytest.warns(
        UserWarning, match=r"from_logits=True\) expects logits, but model .* outputs probabilities"
    ):
        model.compile("sgd", losses.SparseCategoricalCrossentropy(from_logits=True))


def test_matching_losses_do_not_warn_and_an_unbuilt_model_warns_once_at_fit():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _model().compile("sgd", "sparse_categorical_crossentropy")
        _model(activation=None).compile("sgd", losses.SparseCategoricalCrossentropy(from_logits=True))
    unbuilt = engine.Sequential([layers.Flatten(), layers.Dense(3)], seed=0)
    unbuilt.compile("sgd", "sparse_categorical_crossentropy")  # not built: nothing known yet
    with pytest.warns(UserWarning, match="expects probabilities") as record:
        unbuilt.fit(X, Y, epochs=2, verbose=0)
        unbuilt.fit(X, Y, epochs=1, verbose=0)
    assert len(record) == 1


# ---------------------------------------------------------------------------------------- layer args


@pytest.mark.parametrize(
    "make",
    [
        lambda: layers.Activation("leaky_relu", alpha="a"),
        lambda: layers.Activation("leaky_relu", alpha=None),
        lambda: layers.ReLU(negative_slope="a"),
        lambda: layers.ReLU(negative_slope=True),
    ],
)
def test_slopes_must_be_numbers(make):
    with pytest.raises(TypeError, match=r"(alpha|negative_slope) must be a real number. Received: "):
        make()


def test_a_nan_slope_is_refused():
    with pytest.raises(ValueError, match=r"alpha must be a finite number. Received: alpha=nan"):
        layers.Activation("leaky_relu", alpha=float("nan"))
