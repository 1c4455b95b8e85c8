"""Optimizer updates vs hand-computed values for two steps (float64 arithmetic written out)."""

from __future__ import annotations

import numpy as np
import pytest

from engine import optimizers

W0 = np.array([1.0, -2.0, 0.5], np.float32)
G1 = np.array([0.5, -1.0, 2.0], np.float32)
G2 = np.array([-0.25, 0.5, 1.0], np.float32)


def _run(opt):
    w = W0.copy()
    opt.apply_gradients([("dense/kernel", G1.copy(), w)])
    after1 = w.copy()
    opt.apply_gradients([("dense/kernel", G2.copy(), w)])
    return after1, w


def test_sgd_plain():
    a1, a2 = _run(optimizers.SGD(learning_rate=0.1))
    np.testing.assert_allclose(a1, [0.95, -1.9, 0.3], rtol=1e-6)
    np.testing.assert_allclose(a2, [0.975, -1.95, 0.2], rtol=1e-6)


def test_sgd_momentum():
    a1, a2 = _run(optimizers.SGD(0.1, momentum=0.9))
    v1 = -0.1 * G1.astype(np.float64)
    v2 = 0.9 * v1 - 0.1 * G2
    np.testing.assert_allclose(a1, W0 + v1, rtol=1e-6)
    np.testing.assert_allclose(a2, W0 + v1 + v2, rtol=1e-6)


def test_sgd_nesterov():
    a1, a2 = _run(optimizers.SGD(0.1, momentum=0.9, nesterov=True))
    v1 = -0.1 * G1.astype(np.float64)
    w1 = W0 + 0.9 * v1 - 0.1 * G1
    v2 = 0.9 * v1 - 0.1 * G2
    np.testing.assert_allclose(a1, w1, rtol=1e-6)
    np.testing.assert_allclose(a2, w1 + 0.9 * v2 - 0.1 * G2, rtol=1e-6)


def test_adam_two_steps():
    a1, a2 = _run(optimizers.Adam(learning_rate=0.01))
    b1, b2, eps, lr = 0.9, 0.999, 1e-7, 0.01
    m = v = np.zeros(3)
    w = W0.astype(np.float64)
    out = []
    for t, g in ((1, G1), (2, G2)):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g.astype(np.float64) ** 2
        lr_t = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        w = w - lr_t * m / (np.sqrt(v) + eps)
        out.append(w.copy())
    np.testing.assert_allclose(a1, out[0], rtol=1e-5)
    np.testing.assert_allclose(a2, out[1], rtol=1e-5)
    # the first Adam step moves every weight by about lr, whatever the gradient's size
    np.testing.assert_allclose(np.abs(a1 - W0), 0.01, rtol=1e-3)


def test_rmsprop_two_steps_and_lr_alias():
    a1, a2 = _run(optimizers.RMSprop(lr=0.0001))  # the lesson's spelling
    rho, eps, lr = 0.9, 1e-7, 1e-4
    s = (1 - rho) * G1.astype(np.float64) ** 2
    w1 = W0 - lr * G1 / (np.sqrt(s) + eps)
    s = rho * s + (1 - rho) * G2.astype(np.float64) ** 2
    w2 = w1 - lr * G2 / (np.sqrt(s) + eps)
    np.testing.assert_allclose(a1, w1, rtol=1e-6)
    np.testing.assert_allclose(a2, w2, rtol=1e-6)


def test_state_is_per_slot_and_float32():
    opt = optimizers.Adam()
    w_a, w_b = np.ones(2, np.float32), np.ones((2, 2), np.float32)
    opt.apply_gradients(
        [("a/kernel", np.ones(2, np.float32), w_a), ("b/kernel", np.ones((2, 2), np.float32), w_b)]
    )
    assert set(opt.state) == {"a/kernel", "b/kernel"}
    assert all(s.dtype == np.float32 for slots in opt.state.values() for s in slots)
    assert w_a.dtype == np.float32 and opt.iterations == 1


def test_aliases_config_and_errors():
    assert isinstance(optimizers.get("adam"), optimizers.Adam)
    assert isinstance(optimizers.get("SGD"), optimizers.SGD)
    rms = optimizers.get({"class_name": "RMSprop", "config": {"learning_rate": 0.5, "rho": 0.8}})
    assert rms.learning_rate == 0.5 and rms.rho == 0.8
    assert optimizers.RMSprop(lr=0.0001).learning_rate == 0.0001
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        optimizers.SGD(learning_rate=0)
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\)"):
        optimizers.SGD(momentum=1.5)
    with pytest.raises(ValueError, match="optimizer must be an Optimizer instance or one of"):
        optimizers.get("adagrad")
