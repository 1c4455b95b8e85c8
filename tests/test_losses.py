"""Losses vs readable float64 NumPy formulas and central finite differences; stability on extreme logits."""

from __future__ import annotations

import numpy as np
import pytest

from engine import losses


def _softmax64(z):
    z = np.asarray(z, np.float64)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _fd_grad(loss, y_true, y_pred, eps=1e-3):
    p = y_pred.astype(np.float64)
    g = np.zeros_like(p)
    for i in np.ndindex(p.shape):
        old = p[i]
        p[i] = old + eps
        up = loss(y_true, p.astype(np.float32))
        p[i] = old - eps
        down = loss(y_true, p.astype(np.float32))
        p[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


def test_sparse_from_logits_matches_numpy_and_fd(rng):
    z = rng.standard_normal((5, 4)).astype(np.float32)
    labels = np.array([0, 3, 1, 1, 2])
    loss_fn = losses.SparseCategoricalCrossentropy(from_logits=True)
    value, grad = loss_fn.forward_backward(labels, z)
    p = _softmax64(z)
    assert value == pytest.approx(-np.mean(np.log(p[np.arange(5), labels])), rel=1e-5)
    onehot = np.eye(4)[labels]
    np.testing.assert_allclose(grad, (p - onehot) / 5, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(grad, _fd_grad(loss_fn, labels, z), rtol=1e-2, atol=1e-4)


def test_sparse_from_probabilities(rng):
    p = _softmax64(rng.standard_normal((4, 3))).astype(np.float32)
    labels = np.array([[2], [0], [1], [2]])  # (N, 1) labels are accepted too
    loss_fn = losses.SparseCategoricalCrossentropy()
    value, grad = loss_fn.forward_backward(labels, p)
    assert value == pytest.approx(-np.mean(np.log(p[np.arange(4), labels[:, 0]])), rel=1e-5)
    np.testing.assert_allclose(grad, _fd_grad(loss_fn, labels, p), rtol=1e-2, atol=1e-4)


def test_logits_are_stable_for_huge_values():
    z = np.array([[1000.0, -1000.0, 0.0], [-800.0, 900.0, 900.0]], np.float32)
    value, grad = losses.SparseCategoricalCrossentropy(from_logits=True).forward_backward([1, 1], z)
    assert value == pytest.approx((2000.0 + np.log(2)) / 2, rel=1e-5)
    assert np.all(np.isfinite(grad))
    b_value, b_grad = losses.BinaryCrossentropy(from_logits=True).forward_backward(
        [1.0, 0.0, 1.0], np.array([500.0, 500.0, -500.0], np.float32)
    )
    assert b_value == pytest.approx(1000.0 / 3, rel=1e-5) and np.all(np.isfinite(b_grad))


def test_categorical_equals_sparse_on_one_hot(rng):
    z = rng.standard_normal((6, 5)).astype(np.float32)
    labels = rng.integers(0, 5, 6)
    sparse = losses.SparseCategoricalCrossentropy(from_logits=True).forward_backward(labels, z)
    cat = losses.CategoricalCrossentropy(from_logits=True).forward_backward(np.eye(5)[labels], z)
    assert cat[0] == pytest.approx(sparse[0], rel=1e-6)
    np.testing.assert_allclose(cat[1], sparse[1], rtol=1e-5, atol=1e-7)
    probs = _softmax64(z).astype(np.float32)
    cat_p = losses.CategoricalCrossentropy().forward_backward(np.eye(5)[labels], probs)
    assert cat_p[0] == pytest.approx(sparse[0], rel=1e-4)


@pytest.mark.parametrize("from_logits", [True, False])
def test_binary_crossentropy_formula_and_fd(rng, from_logits):
    t = np.array([[1.0], [0.0], [1.0], [0.0]])
    raw = rng.standard_normal((4, 1)).astype(np.float32)
    pred = raw if from_logits else (1 / (1 + np.exp(-raw))).astype(np.float32)
    loss_fn = losses.BinaryCrossentropy(from_logits=from_logits)
    value, grad = loss_fn.forward_backward(t, pred)
    p = 1 / (1 + np.exp(-raw.astype(np.float64)))
    assert value == pytest.approx(-np.mean(t * np.log(p) + (1 - t) * np.log(1 - p)), rel=1e-4)
    np.testing.assert_allclose(grad, _fd_grad(loss_fn, t, pred), rtol=1e-2, atol=1e-4)
    assert loss_fn.accuracy(t, pred) == np.mean((p > 0.5) == (t > 0.5))


def test_mean_squared_error(rng):
    y, p = rng.standard_normal((3, 2)), rng.standard_normal((3, 2)).astype(np.float32)
    value, grad = losses.MeanSquaredError().forward_backward(y, p)
    assert value == pytest.approx(np.mean((p - y) ** 2), rel=1e-5)
    np.testing.assert_allclose(grad, 2 * (p - y) / 6, rtol=1e-5)


def test_accuracy_and_dtype():
    z = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]], np.float32)
    loss_fn = losses.get("sparse_categorical_crossentropy")
    assert loss_fn.accuracy(np.array([1, 1, 1]), z) == pytest.approx(2 / 3)
    assert loss_fn.forward_backward([1, 0, 1], z)[1].dtype == np.float32


def test_aliases_and_errors():
    assert isinstance(losses.get("mse"), losses.MeanSquaredError)
    assert isinstance(losses.get("binary_crossentropy"), losses.BinaryCrossentropy)
    assert losses.get(
        {"class_name": "SparseCategoricalCrossentropy", "config": {"from_logits": True}}
    ).from_logits
    with pytest.raises(ValueError, match="loss must be a Loss instance or one of"):
        losses.get("hinge")
    with pytest.raises(ValueError, match=r"labels must be in \[0, 3\)"):
        losses.SparseCategoricalCrossentropy()([0, 3], np.full((2, 3), 1 / 3, np.float32))
    with pytest.raises(ValueError, match="integer class labels"):
        losses.SparseCategoricalCrossentropy().prepare_targets([0.5, 1.0])
    with pytest.raises(TypeError, match="from_logits must be True or False"):
        losses.BinaryCrossentropy(from_logits="yes")
