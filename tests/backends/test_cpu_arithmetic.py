"""The Numba CPU tier's dilated convolution, transposed convolution and batch normalisation against the
reference tier, through the public ops, on both conv paths (blocked in-kernel sgemm and host matmul)."""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import pytest

from engine import ops
from engine.backends.cpu import conv as cpu_conv

RTOL = ATOL = 2e-4
CONV_PATHS = ["blocked", "host"]


@contextmanager
def conv_path(name: str):
    saved = cpu_conv.SGEMM
    if name == "host":
        cpu_conv.SGEMM = None
    try:
        yield
    finally:
        cpu_conv.SGEMM = saved


def _close(fast, ref, name: str) -> None:
    if ref is None:
        assert fast is None, f"{name}: expected None, got an array"
        return
    fast = np.asarray(fast)
    assert fast.dtype == np.float32, f"{name}: dtype {fast.dtype}"
    assert fast.shape == np.shape(ref), f"{name}: shape {fast.shape} != {np.shape(ref)}"
    np.testing.assert_allclose(fast, ref, rtol=RTOL, atol=ATOL, err_msg=name)


def check_op(op, *args, **kwargs):
    fast = op(*args, backend="cpu", **kwargs)
    ref = op(*args, backend="reference", **kwargs)
    if isinstance(ref, tuple):
        assert isinstance(fast, tuple) and len(fast) == len(ref)
        for k, (f, r) in enumerate(zip(fast, ref, strict=True)):
            _close(f, r, f"{op.__name__}[{k}]")
    else:
        _close(fast, ref, op.__name__)
    return fast


def _randn(rng, *shape):
    return rng.standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize("path", CONV_PATHS)
@pytest.mark.parametrize("flip", [False, True])
@pytest.mark.parametrize("padding", ["valid", "same", "full", 1, ((0, 2), (1, 0))])
@pytest.mark.parametrize(
    "kernel, stride, dilation",
    [((3, 3), 1, 2), ((2, 3), 1, (3, 2)), ((3, 2), 2, 2), ((1, 2), (1, 2), (2, 1)), ((3, 3), 1, 1)],
)
def test_dilated_conv_matches_reference(rng, path, flip, padding, kernel, stride, dilation):
    x = _randn(rng, 2, 9, 10, 3)
    wt, b = _randn(rng, *kernel, 3, 4), _randn(rng, 4)
    kw = {"stride": stride, "padding": padding, "dilation": dilation, "flip": flip}
    with conv_path(path):
        y = check_op(ops.conv2d, x, wt, b, **kw)
        dy = _randn(rng, *y.shape)
        check_op(ops.conv2d_backward, x, wt, dy, **kw)
        check_op(ops.conv2d_backward, x, wt, dy, need_dx=False, **kw)


# (N, H, W, C_in, kernel, stride, dilation, padding)
TRANSPOSE_CASES = [
    (2, 4, 5, 3, (3, 3), 1, 1, "valid"),
    (2, 4, 4, 2, (3, 3), 2, 1, "valid"),
    (1, 3, 5, 3, (4, 3), 2, 1, "same"),
    (3, 3, 2, 1, (3, 2), (3, 2), 1, "same"),
    (2, 3, 3, 2, (1, 2), 3, 1, "valid"),  # kernel smaller than the stride
    (1, 4, 4, 2, (2, 2), 1, (2, 3), "valid"),
    (2, 4, 5, 2, (3, 3), 1, 2, "same"),
    (1, 5, 4, 3, (3, 3), (2, 1), 1, 1),
    (1, 6, 5, 2, (3, 2), 1, 1, "full"),
    (2, 4, 4, 5, (1, 1), 1, 1, "valid"),  # the 1x1 shortcut
]


@pytest.mark.parametrize("path", CONV_PATHS)
@pytest.mark.parametrize("n, h, w, c_in, kernel, stride, dilation, padding", TRANSPOSE_CASES)
def test_conv_transpose_matches_reference(rng, path, n, h, w, c_in, kernel, stride, dilation, padding):
    x = _randn(rng, n, h, w, c_in)
    wt, b = _randn(rng, *kernel, 4, c_in), _randn(rng, 4)
    kw = {"stride": stride, "padding": padding, "dilation": dilation}
    with conv_path(path):
        y = check_op(ops.conv2d_transpose, x, wt, b, **kw)
        dy = _randn(rng, *y.shape)
        check_op(ops.conv2d_transpose_backward, x, wt, dy, **kw)
        check_op(ops.conv2d_transpose_backward, x, wt, dy, need_dx=False, **kw)


def test_conv_transpose_many_images_split_between_threads(rng):
    """More images than threads, and blocks of several images per thread."""
    x, wt = _randn(rng, 13, 5, 6, 3), _randn(rng, 3, 3, 2, 3)
    for path in CONV_PATHS:
        with conv_path(path):
            y = check_op(ops.conv2d_transpose, x, wt, None, stride=2, padding="same")
            check_op(ops.conv2d_transpose_backward, x, wt, _randn(rng, *y.shape), stride=2, padding="same")


@pytest.mark.parametrize("shape", [(7, 5), (3, 4, 5, 6), (1, 1, 1, 2), (64, 9, 9, 3)])
def test_batch_norm_matches_reference(rng, shape):
    x = _randn(rng, *shape) * 4 + 3
    c = shape[-1]
    gamma, beta = _randn(rng, c), _randn(rng, c)
    mean, variance = _randn(rng, c), (rng.random(c) + 0.1).astype(np.float32)
    check_op(ops.batch_norm, x, mean, variance, gamma=gamma, beta=beta, epsilon=1e-3)
    _, bmean, bvar = check_op(ops.batch_norm_training, x, gamma=gamma, beta=beta, epsilon=1e-3)
    dy = _randn(rng, *shape)
    for training, (m, v) in ((True, (bmean, bvar)), (False, (mean, variance))):
        for need_dx in (True, False):
            check_op(
                ops.batch_norm_backward,
                x,
                dy,
                m,
                v,
                gamma=gamma,
                epsilon=1e-3,
                training=training,
                need_dx=need_dx,
            )


def test_batch_norm_variance_survives_a_large_mean(rng):
    """Two passes (mean first): a mean of 1e4 does not swamp a spread of 1e-2 in float32."""
    x = (1e4 + rng.standard_normal((256, 3)) * 1e-2).astype(np.float32)
    _, mean, var = ops.batch_norm_training(x, backend="cpu")
    want = x.astype(np.float64).var(axis=0)
    np.testing.assert_allclose(var, want, rtol=1e-2)
    np.testing.assert_allclose(mean, x.astype(np.float64).mean(axis=0), rtol=1e-6)
