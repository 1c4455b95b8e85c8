"""Bad input gets a clear ValueError/TypeError naming the argument, what was received and what is allowed."""

import os
import subprocess
import sys

import numpy as np
import pytest

import engine
from engine import ops

X = np.zeros((1, 5, 5, 1), np.float32)
W = np.ones((3, 3, 1, 2), np.float32)


@pytest.mark.parametrize(
    "stride,err",
    [
        (0, ValueError),
        (-2, ValueError),
        ((1, 0), ValueError),
        (1.5, TypeError),
        ("2", TypeError),
        ((1, 2, 3), TypeError),
    ],
)
def test_bad_stride(stride, err):
    with pytest.raises(err, match=r"stride.*Received"):
        ops.conv2d(X, W, stride=stride, backend="reference")


def test_unknown_padding_string():
    with pytest.raises(ValueError, match=r"padding must be one of \('valid', 'same', 'full'\).*'middle'"):
        ops.conv2d(X, W, padding="middle", backend="reference")


def test_negative_pad():
    with pytest.raises(ValueError, match=r"padding must be >= 0.*-1"):
        ops.conv2d(X, W, padding=-1, backend="reference")
    with pytest.raises(ValueError, match="every side"):
        ops.conv2d(X, W, padding=((0, -1), (0, 0)), backend="reference")


def test_kernel_larger_than_padded_input():
    with pytest.raises(ValueError, match=r"kernel 3x3 is larger than the padded input 2x2"):
        ops.conv2d(np.zeros((2, 2)), np.ones((3, 3)), backend="reference")
    # the lesson's case: halving a 2x2 image four times
    x = np.zeros((1, 2, 2, 1), np.float32)
    x = ops.pool2d(x, 2, backend="reference")  # 1x1
    with pytest.raises(ValueError, match=r"pooling window 2x2 is larger than the padded input 1x1"):
        ops.pool2d(x, 2, backend="reference")


def test_channel_mismatch():
    with pytest.raises(ValueError, match=r"x has 3 channel\(s\) but w expects C_in=1"):
        ops.conv2d(np.zeros((1, 5, 5, 3)), W, backend="reference")


@pytest.mark.parametrize("shape", [(5,), (1, 1, 5, 5, 1), ()])
def test_wrong_rank(shape):
    with pytest.raises(ValueError, match=r"x must have shape \(H, W\), \(H, W, C\) or \(N, H, W, C\)"):
        ops.conv2d(np.zeros(shape), W, backend="reference")


def test_bad_weights_and_bias():
    with pytest.raises(ValueError, match=r"w must have shape \(KH, KW, C_in, C_out\)"):
        ops.conv2d(X, np.ones((3, 3, 1)), backend="reference")
    with pytest.raises(ValueError, match=r"b must have shape \(2,\)"):
        ops.conv2d(X, W, b=np.ones(3), backend="reference")


def test_non_numeric_input():
    with pytest.raises(TypeError, match="numeric"):
        ops.conv2d(np.array([["a"]]), np.ones((1, 1)), backend="reference")


def test_integer_input_is_converted_once_and_rank_is_kept():
    img = np.arange(25).reshape(5, 5)
    k = np.array([[0, 1], [1, 0]])
    y = ops.conv2d(img, k, backend="reference")
    assert y.dtype == np.float32 and y.shape == (4, 4)
    np.testing.assert_array_equal(y, img[:-1, 1:] + img[1:, :-1])
    y3 = ops.conv2d(img[:, :, None], k[:, :, None, None], backend="reference")
    assert y3.shape == (4, 4, 1)


def test_pool_and_activation_errors():
    with pytest.raises(ValueError, match=r"mode must be one of \('max', 'min', 'avg'\).*'median'"):
        ops.pool2d(X, mode="median", backend="reference")
    with pytest.raises(ValueError, match="activation must be one of"):
        ops.activation("swish", X)
    with pytest.raises(ValueError, match="dense: x has D_in=4 features but w expects 5"):
        ops.dense(np.zeros((2, 4)), np.zeros((5, 3)), backend="reference")


def test_dy_shape_checked():
    with pytest.raises(ValueError, match=r"dy must have the forward output's shape \(1, 3, 3, 2\)"):
        ops.conv2d_backward(X, W, np.zeros((1, 5, 5, 2)), backend="reference")


def test_unknown_backend(backend_guard):
    with pytest.raises(
        ValueError, match=r"backend must be one of \('cpu', 'reference', 'cuda'\). Received: 'tpu'"
    ):
        engine.set_backend("tpu")


def test_cuda_without_a_device_gives_one_clear_message():
    """Without a GPU and without the simulator, choosing cuda says so in the driver's own words, and the cpu
    backend stays usable."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}
    env["NUMBA_ENABLE_CUDASIM"] = "0"
    code = (
        "import engine\n"
        "try:\n"
        "    engine.set_backend('cuda')\n"
        "except RuntimeError as e:\n"
        "    print('ERR', e)\n"
        "print('BACKEND', engine.get_backend())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    if os.path.exists("/dev/nvidiactl"):
        assert "BACKEND cuda" in out.stdout
    else:
        assert (
            "ERR backend 'cuda' was chosen but no CUDA device is usable here: the CUDA driver says: "
            in out.stdout
        )
        assert "CUDA driver library cannot be found" in out.stdout  # numba.cuda's own text, kept
        assert "'cpu' backend is available" in out.stdout
        assert "BACKEND cpu" in out.stdout


def test_env_var_sets_initial_backend():
    env = dict(os.environ, CONVSCOPE_BACKEND="reference")
    out = subprocess.run(
        [sys.executable, "-c", "import engine; print(engine.get_backend())"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.strip() == "reference"


def test_pad2d_matches_resolved_padding():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    p = ops.pad2d(x, "same", kernel_size=4, stride=1)  # total 3: (1, 2) on each axis
    assert p.shape == (6, 7)
    np.testing.assert_array_equal(p[1:4, 1:5], x)
    assert p.sum() == x.sum()
    assert ops.pad2d(x, "full", kernel_size=3).shape == (7, 8)
