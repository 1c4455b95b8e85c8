"""The Numba CPU tier against the reference tier (the oracle), through the public ops.

Every fast op is called with ``backend="cpu"`` and ``backend="reference"`` on the same float32 input and the
results must agree (``check_op``). A few checks use an oracle independent of both (``scipy.signal``, the
lesson's worked example, hand-worked values) and cover the CPU-only machinery: chunked im2col, the 1x1
shortcut, ``need_dx=False``, NaN/inf propagation, and one compilation per kernel.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal

from engine import ops
from engine.backends import cpu
from engine.backends.cpu import activations as cpu_act
from engine.backends.cpu import conv as cpu_conv
from engine.backends.cpu import fully_connected as cpu_dense
from engine.backends.cpu import pool as cpu_pool

RTOL = ATOL = 2e-4


def _close(fast, ref, name: str) -> None:
    if ref is None:
        assert fast is None, f"{name}: expected None, got an array"
        return
    fast = np.asarray(fast)
    assert fast.dtype == np.float32, f"{name}: dtype {fast.dtype}"
    assert fast.shape == np.shape(ref), f"{name}: shape {fast.shape} != {np.shape(ref)}"
    np.testing.assert_allclose(fast, ref, rtol=RTOL, atol=ATOL, err_msg=name)


def check_op(op, *args, **kwargs):
    """Call ``op`` on the CPU and reference tiers with the same arguments and assert the outputs match.

    Returns the CPU result so callers can make further checks.
    """
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


# ---------------------------------------------------------------------------------------- convolution grid
# The CPU conv has two code paths: per-thread im2col + in-kernel sgemm ("blocked", with NumPy's OpenBLAS) and
# host-side np.matmul per chunk ("host", the fallback for any other BLAS). Both are tested here.
CONV_PATHS = ["blocked", "host"]


@contextmanager
def conv_path(name: str):
    """Force the CPU conv down one path for the duration (the module attribute is restored afterwards)."""
    saved = cpu_conv.SGEMM
    if name == "host":
        cpu_conv.SGEMM = None
    elif saved is None:
        pytest.skip("NumPy's BLAS is not OpenBLAS: no in-kernel sgemm path here")
    try:
        yield
    finally:
        cpu_conv.SGEMM = saved


PADDINGS = ["valid", "same", "full", 2, ((0, 2), (1, 0))]
KERNELS = [(3, 3), (2, 4), (1, 1)]
# (N, H, W): square and non-square, batch 1 and > 1
SIZES = [(2, 7, 6), (1, 5, 5), (3, 4, 9)]


@pytest.mark.parametrize("stride", [1, 2, 3, (1, 2)])
@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("flip", [False, True])
@pytest.mark.parametrize("c_in", [1, 3])
@pytest.mark.parametrize("path", CONV_PATHS)
def test_conv_forward_backward_match_reference(rng, stride, padding, kernel, flip, c_in, path):
    n, h, w = SIZES[(len(str(padding)) + kernel[1] + c_in) % len(SIZES)]  # spread sizes over the grid
    x = _randn(rng, n, h, w, c_in)
    wt = _randn(rng, *kernel, c_in, 4)
    b = _randn(rng, 4)
    kw = {"stride": stride, "padding": padding, "flip": flip}
    with conv_path(path):
        y = check_op(ops.conv2d, x, wt, b, **kw)
        dy = _randn(rng, *y.shape)
        check_op(ops.conv2d_backward, x, wt, dy, **kw)
        check_op(ops.conv2d_backward, x, wt, dy, need_dx=False, **kw)


@pytest.mark.parametrize("path", CONV_PATHS)
@pytest.mark.parametrize("c_in, kernel", [(5, (3, 3)), (8, (2, 3)), (17, (1, 2))])
def test_conv_wide_window_rows_match_reference(rng, path, c_in, kernel):
    """Window rows of many floats (long span copies in im2col) and odd kernel shapes, every conv path."""
    x, wt, b = _randn(rng, 2, 6, 7, c_in), _randn(rng, *kernel, c_in, 3), _randn(rng, 3)
    with conv_path(path):
        y = check_op(ops.conv2d, x, wt, b, padding="same", stride=(1, 2))
        check_op(ops.conv2d_backward, x, wt, _randn(rng, *y.shape), padding="same", stride=(1, 2))


def test_conv_lesson_example_gives_six():
    """The lesson's horizontal-line image and filter: 0*-1 + ... + 1*2 + ... = 6."""
    image = np.array([[0, 0, 0], [1, 1, 1], [0, 0, 0]], np.float32)
    kernel = np.array([[-1, -1, -1], [2, 2, 2], [-1, -1, -1]], np.float32)
    y = ops.conv2d(image, kernel, backend="cpu")
    assert y.shape == (1, 1) and y[0, 0] == 6.0


@pytest.mark.parametrize("mode", ["valid", "full", "same"])
def test_conv_single_channel_matches_scipy(rng, mode):
    """An oracle independent of both tiers: scipy's correlate2d / convolve2d (zero fill)."""
    img = _randn(rng, 6, 9)
    k = _randn(rng, 3, 3)
    np.testing.assert_allclose(
        ops.conv2d(img, k, padding=mode, backend="cpu"),
        signal.correlate2d(img, k, mode=mode),
        rtol=1e-5,
        atol=1e-5,
    )
    np.testing.assert_allclose(
        ops.conv2d(img, k, padding=mode, flip=True, backend="cpu"),
        signal.convolve2d(img, k, mode=mode),
        rtol=1e-5,
        atol=1e-5,
    )


def test_conv_hand_worked_stride_and_padding():
    """2x2 ones kernel, stride 2, one zero each side on a 3x3 ramp: window sums worked by hand."""
    x = np.arange(1, 10, dtype=np.float32).reshape(3, 3)  # [[1,2,3],[4,5,6],[7,8,9]]
    y = ops.conv2d(x, np.ones((2, 2), np.float32), stride=2, padding=1, backend="cpu")
    np.testing.assert_array_equal(y, [[1, 2 + 3], [4 + 7, 5 + 6 + 8 + 9]])


def test_conv_chunking_gives_the_same_result(rng, monkeypatch):
    """A tiny im2col budget forces one output row (forward) / one image (backward) per chunk."""
    x = _randn(rng, 3, 6, 5, 2)
    w = _randn(rng, 3, 2, 2, 3)
    b = _randn(rng, 3)
    kw = {"stride": (2, 1), "padding": "same", "flip": True}
    y_one = ops.conv2d(x, w, b, backend="cpu", **kw)
    dy = _randn(rng, *y_one.shape)
    grads_one = ops.conv2d_backward(x, w, dy, backend="cpu", **kw)
    monkeypatch.setattr(cpu_conv, "COLS_BUDGET_BYTES", 1)
    monkeypatch.setattr(cpu_conv, "BLOCK_BYTES", 1)
    np.testing.assert_allclose(ops.conv2d(x, w, b, backend="cpu", **kw), y_one, rtol=1e-6, atol=1e-6)
    for g_many, g_one in zip(ops.conv2d_backward(x, w, dy, backend="cpu", **kw), grads_one, strict=True):
        np.testing.assert_allclose(g_many, g_one, rtol=1e-5, atol=1e-5)
    check_op(ops.conv2d_backward, x, w, dy, **kw)


@pytest.mark.parametrize(
    "stride, padding, flip", [(1, "same", False), ((2, 1), "full", True), (3, "valid", False)]
)
def test_conv_paths_agree(rng, stride, padding, flip):
    """The in-kernel sgemm path (NumPy's OpenBLAS) and the host np.matmul fallback give the same numbers."""
    if cpu_conv.SGEMM is None:
        pytest.skip("NumPy's BLAS is not OpenBLAS: only the fallback path exists here")
    x, w, b = _randn(rng, 5, 9, 7, 3), _randn(rng, 3, 2, 3, 4), _randn(rng, 4)
    kw = {"stride": stride, "padding": padding, "flip": flip, "backend": "cpu"}
    y = ops.conv2d(x, w, b, **kw)
    dy = _randn(rng, *y.shape)
    grads = ops.conv2d_backward(x, w, dy, **kw)
    for path in CONV_PATHS:
        with conv_path(path):
            np.testing.assert_allclose(ops.conv2d(x, w, b, **kw), y, rtol=1e-5, atol=1e-5)
            for g_path, g_default in zip(ops.conv2d_backward(x, w, dy, **kw), grads, strict=True):
                np.testing.assert_allclose(g_path, g_default, rtol=1e-5, atol=1e-5)


def test_conv_restores_the_blas_thread_count():
    """The fused path runs OpenBLAS single-threaded only while its kernels run."""
    from engine.backends.cpu import _blas as cpu_blas

    if cpu_blas._get_threads is None or cpu_blas._set_threads is None:
        pytest.skip("NumPy's BLAS is not OpenBLAS")
    before = cpu_blas._get_threads()
    with cpu_blas.single_threaded_blas():
        with cpu_blas.single_threaded_blas():
            assert cpu_blas._get_threads() == 1
        assert cpu_blas._get_threads() == 1
    assert cpu_blas._get_threads() == before


def test_conv_from_two_threads_at_once(rng):
    """Scratch buffers are per thread: concurrent convs of different shapes do not corrupt each other."""
    from concurrent.futures import ThreadPoolExecutor

    jobs = []
    for k in range(6):
        x = _randn(rng, 2, 6 + k, 5, 3)
        w = _randn(rng, 3, 2, 3, 2 + k % 3)
        dy = _randn(rng, *ops.conv2d(x, w, padding="same", backend="cpu").shape)
        jobs.append((x, w, dy))

    def run(job):
        x, w, dy = job
        return ops.conv2d(x, w, padding="same", backend="cpu"), ops.conv2d_backward(
            x, w, dy, padding="same", backend="cpu"
        )

    expected = [run(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, jobs * 3))
    # BLAS may split the work differently when called concurrently: equal to rounding, not bit for bit
    for got, want in zip(results, expected * 3, strict=True):
        np.testing.assert_allclose(got[0], want[0], rtol=1e-6, atol=1e-6)
        for g, e in zip(got[1], want[1], strict=True):
            np.testing.assert_allclose(g, e, rtol=1e-6, atol=1e-6)


def test_conv_need_dx_false_skips_dx_only(rng):
    x, w = _randn(rng, 2, 5, 5, 3), _randn(rng, 3, 3, 3, 2)
    dy = _randn(rng, 2, 5, 5, 2)
    full = ops.conv2d_backward(x, w, dy, padding="same", backend="cpu")
    dx, dw, db = ops.conv2d_backward(x, w, dy, padding="same", need_dx=False, backend="cpu")
    assert dx is None
    np.testing.assert_array_equal(dw, full[1])
    np.testing.assert_array_equal(db, full[2])


def test_conv_batch_of_many_images_has_no_race_in_dw(rng):
    """dW sums over the whole batch; parallel chunks must not lose contributions."""
    x, w = _randn(rng, 16, 6, 6, 3), _randn(rng, 3, 3, 3, 5)
    dy = _randn(rng, 16, 6, 6, 5)
    check_op(ops.conv2d_backward, x, w, dy, padding="same")


def test_conv_propagates_nan_and_inf():
    x = np.zeros((1, 5, 5, 1), np.float32)
    x[0, 2, 2, 0] = np.nan
    x[0, 0, 4, 0] = np.inf
    w = np.ones((3, 3, 1, 1), np.float32)
    y = ops.conv2d(x, w, padding="same", backend="cpu")[0, :, :, 0]
    reads_nan = np.zeros((5, 5), bool)
    reads_nan[1:4, 1:4] = True
    assert np.isnan(y[reads_nan]).all()
    assert np.isposinf(y[0, 3]) and np.isposinf(y[1, 4]) and np.isposinf(y[0, 4])
    assert np.isfinite(y[~reads_nan & ~np.isinf(y)]).all() and y[4, 0] == 0.0
    _, dw, _ = ops.conv2d_backward(x, w, np.ones((1, 5, 5, 1), np.float32), padding="same", backend="cpu")
    assert np.isnan(dw).all()  # every weight saw the NaN at some position


@pytest.mark.parametrize("path", CONV_PATHS)
def test_conv_inf_weight_times_padding_is_nan_like_the_reference(path):
    """Padding cells are zeros that multiply the weights, as in the reference: 0 * inf = NaN on the border."""
    x = np.ones((1, 4, 4, 2), np.float32)
    w = np.ones((3, 3, 2, 3), np.float32)
    w[0, 0, 1, 2] = np.inf
    with conv_path(path), np.errstate(invalid="ignore"):  # the reference tier computes 0 * inf too
        y = check_op(ops.conv2d, x, w, np.zeros(3, np.float32), padding="same")
        check_op(
            ops.conv2d_backward,
            x,
            w,
            np.full((1, 4, 4, 3), np.inf, np.float32),
            padding="same",
            need_dx=False,
        )
    assert np.isnan(y[0, 0, :, 2]).all() and np.isposinf(y[0, 1:, 1:, 2]).all()


# ---------------------------------------------------------------------------------------------------- pooling
POOL_CASES = [  # (size, stride, padding)
    (2, None, "valid"),
    (3, 2, "same"),
    (3, 1, "same"),
    (2, 1, "valid"),
    ((2, 3), (1, 2), "same"),
    (3, 3, "same"),
    (2, (2, 1), ((1, 0), (0, 1))),
]


@pytest.mark.parametrize("mode", ["max", "min", "avg"])
@pytest.mark.parametrize("size,stride,padding", POOL_CASES)
def test_pool_forward_backward_match_reference(rng, mode, size, stride, padding):
    x = _randn(rng, 2, 7, 5, 3)
    x[0, 1, :, 0] = 0.5  # a row of ties
    x[1, :, :, 2] = -1.0  # a whole plane of ties
    kw = {"stride": stride, "mode": mode, "padding": padding}
    y = check_op(ops.pool2d, x, size, **kw)
    check_op(ops.pool2d_backward, x, _randn(rng, *y.shape), size, **kw)


@pytest.mark.parametrize("mode", ["max", "min"])
@pytest.mark.parametrize("hw", [(4, 6), (5, 7), (3, 2)])
def test_pool_2x2_fast_path_ties_nan_and_odd_sizes(rng, mode, hw):
    """The 2x2 stride-2 kernels (cpu.pool._pool2x2_forward / _backward) against the reference: ties, NaN,
    -0.0, odd edges."""
    x = rng.integers(-2, 3, size=(2, *hw, 5)).astype(np.float32)  # few levels: many ties
    x[0, 0, 1, 0] = x[1, 1, 0, 2] = x[1, 1, 1, 2] = x[0, 2, 0, 4] = np.nan
    x[1, 0, 0, 3] = -0.0
    y = check_op(ops.pool2d, x, 2, mode=mode)
    check_op(ops.pool2d_backward, x, _randn(rng, *y.shape), 2, mode=mode)


def test_pool_ties_route_to_first_cell_hand_worked():
    x = np.array([[1, 3, 0, 4], [3, 2, 4, 4]], np.float32)  # windows [[1,3],[3,2]] and [[0,4],[4,4]]
    dx = ops.pool2d_backward(x, np.array([[10, 20]], np.float32), 2, mode="max", backend="cpu")
    np.testing.assert_array_equal(dx, [[0, 10, 0, 20], [0, 0, 0, 0]])
    y = ops.pool2d(x, 2, mode="avg", backend="cpu")
    np.testing.assert_array_equal(y, [[9 / 4, 12 / 4]])


def test_pool_same_padding_ignores_padded_cells():
    """3x3 ones, 2x2 windows, 'same': padded cells count neither in the max nor in the average."""
    x = -np.ones((3, 3), np.float32)
    np.testing.assert_array_equal(
        ops.pool2d(x, 2, mode="max", padding="same", backend="cpu"), -np.ones((2, 2))
    )
    np.testing.assert_array_equal(
        ops.pool2d(x, 2, mode="avg", padding="same", backend="cpu"), -np.ones((2, 2))
    )


@pytest.mark.parametrize("mode", ["max", "min", "avg"])
def test_global_pool_matches_reference(rng, mode):
    x = _randn(rng, 3, 4, 5, 2)
    x[2, :, :, 1] = 7.0  # ties: the first cell wins
    y = check_op(ops.global_pool, x, mode)
    check_op(ops.global_pool_backward, x, _randn(rng, *y.shape), mode)


@pytest.mark.parametrize("mode", ["max", "min"])
def test_nan_in_pooling_follows_the_reference(rng, mode):
    """A NaN anywhere in a window wins max/min (it propagates, as in PyTorch), in windowed and global
    pools."""
    x = _randn(rng, 1, 4, 4, 2)
    x[0, 0, 0, 0] = np.nan  # first cell of window (0, 0)
    x[0, 3, 3, 0] = np.nan  # last cell of window (1, 1)
    x[0, 1, 2, 1] = np.nan
    y = check_op(ops.pool2d, x, 2, mode=mode)
    assert np.isnan(y[0, 0, 0, 0]) and np.isnan(y[0, 1, 1, 0]) and np.isnan(y[0, 0, 1, 1])
    assert not np.isnan(y[0, 0, 1, 0]) and not np.isnan(y[0, 1, 0, 0]) and not np.isnan(y[0, 1, :, 1]).any()
    g = check_op(ops.global_pool, x, mode)
    assert np.isnan(g).all()
    dx = check_op(ops.global_pool_backward, x, np.ones((1, 2), np.float32), mode)
    assert dx[0, 0, 0, 0] == 1.0 and dx[0, 1, 2, 1] == 1.0 and dx.sum() == 2.0


# ------------------------------------------------------------------------------------------------ activations
@pytest.mark.parametrize("name", ["linear", "relu", "leaky_relu", "sigmoid", "tanh", "softmax"])
@pytest.mark.parametrize("shape", [(7,), (3, 5), (2, 3, 4, 6)])
def test_activations_match_reference(rng, name, shape):
    x = _randn(rng, *shape) * 5
    x.reshape(-1)[0] = 0.0  # the kink of relu / leaky_relu
    dy = _randn(rng, *shape)
    check_op(ops.activation, name, x, alpha=0.1)
    check_op(ops.activation_backward, name, x, dy, alpha=0.1)


def test_activations_extremes_and_nan():
    x = np.array([[-1e4, -30.0, 0.0, 30.0, 1e4, np.nan, np.inf, -np.inf]], np.float32)
    for name in ("relu", "leaky_relu", "sigmoid", "tanh"):
        y = check_op(ops.activation, name, x)
        assert np.isnan(y[0, 5]), name
    sig = ops.sigmoid(x, backend="cpu")
    np.testing.assert_array_equal(sig[0, [0, 2, 4, 6, 7]], [0.0, 0.5, 1.0, 1.0, 0.0])
    big = np.array([[1000.0, 1000.0, -1000.0]], np.float32)  # no overflow: exp of the shifted row
    np.testing.assert_allclose(ops.softmax(big, backend="cpu"), [[0.5, 0.5, 0.0]])
    assert np.isnan(check_op(ops.softmax, x)).all()


# ------------------------------------------------------------------------------------------------------ dense
@pytest.mark.parametrize(
    "n,d_in,d_out",
    [
        (1, 1, 1),
        (5, 7, 3),
        (3, 1, 4),
        (0, 4, 2),  # tiny: serial kernel (cpu.SMALL_DENSE_MACS)
        (64, 33, 10),
        (40, 30, 20),  # at least as many rows as inputs: rows split between threads
        (1, 4096, 64),  # one or two rows: serial matrix-vector kernel (cpu.SMALL_DENSE_ROWS)
        (2, 4099, 65),  # ... with inputs left over after its groups of four
        (3, 301, 70),
        (1, 5, 4000),  # inputs outnumber rows: input bands split (partial sums)
    ],
)
def test_dense_matches_reference(rng, n, d_in, d_out):
    x, w, b = _randn(rng, n, d_in), _randn(rng, d_in, d_out), _randn(rng, d_out)
    check_op(ops.dense, x, w, b)
    check_op(ops.dense_backward, x, w, _randn(rng, n, d_out))


# ------------------------------------------------------------------------------------------- property tests
@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 3),
    h=st.integers(1, 8),
    w=st.integers(1, 8),
    c_in=st.integers(1, 3),
    c_out=st.integers(1, 3),
    kh=st.integers(1, 4),
    kw=st.integers(1, 4),
    sh=st.integers(1, 3),
    sw=st.integers(1, 3),
    pads=st.tuples(*[st.integers(0, 3)] * 4),
    flip=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_conv_property_any_geometry(n, h, w, c_in, c_out, kh, kw, sh, sw, pads, flip, seed):
    t, b, le, r = pads
    if h + t + b < kh or w + le + r < kw:
        return  # the public op rejects it (tested elsewhere); nothing to compare
    rng = np.random.default_rng(seed)
    x, wt = _randn(rng, n, h, w, c_in), _randn(rng, kh, kw, c_in, c_out)
    kws = {"stride": (sh, sw), "padding": ((t, b), (le, r)), "flip": flip}
    bias = _randn(rng, c_out)
    for path in CONV_PATHS if cpu_conv.SGEMM is not None else ["host"]:
        with conv_path(path):
            y = check_op(ops.conv2d, x, wt, bias, **kws)
            dy = _randn(rng, *y.shape)
            check_op(ops.conv2d_backward, x, wt, dy, **kws)
            check_op(ops.conv2d_backward, x, wt, dy, need_dx=False, **kws)


@settings(max_examples=30, deadline=None)
@given(
    h=st.integers(1, 8),
    w=st.integers(1, 8),
    ph=st.integers(1, 3),
    pw=st.integers(1, 3),
    sh=st.integers(1, 3),
    sw=st.integers(1, 3),
    mode=st.sampled_from(["max", "min", "avg"]),
    padding=st.sampled_from(["valid", "same"]),
    levels=st.integers(2, 5),
    seed=st.integers(0, 2**16),
)
def test_pool_property_any_geometry(h, w, ph, pw, sh, sw, mode, padding, levels, seed):
    if padding == "valid" and (h < ph or w < pw):
        return
    rng = np.random.default_rng(seed)
    x = rng.integers(0, levels, (2, h, w, 2)).astype(np.float32)  # few distinct values: many ties
    kws = {"stride": (sh, sw), "mode": mode, "padding": padding}
    try:
        y = check_op(ops.pool2d, x, (ph, pw), **kws)
    except ValueError:
        return  # a 'same' pad as large as the window is refused by the public op
    check_op(ops.pool2d_backward, x, _randn(rng, *y.shape), (ph, pw), **kws)


# --------------------------------------------------------------------------------------- compile once only
def test_each_kernel_compiles_once(rng):
    """float32 C-contiguous only and ints for every option: one signature per kernel, whatever the
    geometry."""
    x = _randn(rng, 2, 6, 5, 3)
    for stride, padding, flip in [(1, "same", False), ((2, 3), "full", True), (3, ((1, 0), (2, 1)), False)]:
        y = ops.conv2d(x, _randn(rng, 3, 2, 3, 2), stride=stride, padding=padding, flip=flip, backend="cpu")
        ops.conv2d_backward(x, _randn(rng, 3, 2, 3, 2), y, stride=stride, padding=padding, flip=flip)
    for mode in ("max", "avg"):
        for size, stride in [(2, None), (3, 1)]:
            p = ops.pool2d(x, size, stride=stride, mode=mode, padding="same", backend="cpu")
            ops.pool2d_backward(x, p, size, stride=stride, mode=mode, padding="same", backend="cpu")
        ops.global_pool_backward(x, ops.global_pool(x, mode, backend="cpu"), mode, backend="cpu")
    for mode in ("max", "min"):  # 2x2, stride 2, no padding: the branch-free backward kernel
        x4 = np.ascontiguousarray(x[:, :4, :4])
        ops.pool2d_backward(x4, ops.pool2d(x4, 2, mode=mode, backend="cpu"), 2, mode=mode, backend="cpu")
    for name in ("relu", "sigmoid", "softmax"):
        ops.activation_backward(name, x, x, alpha=0.3, backend="cpu")
    ops.dense_backward(x[:, 0, 0], _randn(rng, 3, 2), _randn(rng, 2, 2), backend="cpu")
    for n, d_in, d_out in [(2, 3, 2), (64, 40, 30), (2, 900, 40)]:  # serial, row split, input-band split
        for dense in (cpu.dense, cpu.dense_relu):
            dense(_randn(rng, n, d_in), _randn(rng, d_in, d_out), _randn(rng, d_out))
    cpu.conv2d_relu(x, _randn(rng, 3, 3, 3, 2), _randn(rng, 2), (1, 1), (1, 1, 1, 1), False)
    conv_kernels = (
        [
            cpu_conv.blocked._forward,
            cpu_conv.blocked._backward,
            cpu_dense._forward,
            cpu_dense._backward,
            cpu_dense._forward_ksplit,
        ]
        if cpu_conv.SGEMM is not None
        else [cpu_conv._im2col, cpu_conv._col2im, cpu_conv._column_sums, cpu_conv._add_bias]
    )
    kernels = [
        *conv_kernels,
        cpu_dense._forward_small,
        cpu_pool._pool2x2_backward,
        cpu_pool._pool2x2_forward,
        cpu_pool._pool_forward,
        cpu_pool._pool_backward,
        cpu_pool._global_forward,
        cpu_pool._global_backward,
        cpu_act._forward,
        cpu_act._backward,
        cpu_act._softmax,
        cpu_act._softmax_backward,
    ]
    for kernel in kernels:
        assert len(kernel.signatures) == 1, (kernel.py_func.__name__, kernel.signatures)


def test_dense_nan_and_inf_propagate():
    x = np.array([[np.nan, 1.0], [np.inf, 0.0], [1.0, 2.0]], np.float32)
    w = np.ones((2, 3), np.float32)
    y = ops.dense(x, w, np.zeros(3, np.float32), backend="cpu")
    assert np.isnan(y[0]).all() and np.isinf(y[1]).all() and np.isfinite(y[2]).all()
    _, dw, db = ops.dense_backward(x, w, np.ones((3, 3), np.float32), backend="cpu")
    assert np.isnan(dw[0]).all() and np.isfinite(db).all()


def test_read_only_inputs_do_not_compile_a_second_signature(rng):
    """Read-only arrays (a GUI's frozen filter, np.broadcast_to) are copied at the public boundary."""
    x = _randn(rng, 1, 5, 5, 2)
    w = _randn(rng, 3, 3, 2, 2)
    ops.conv2d(x, w, backend="cpu")
    before = {k: len(k.signatures) for k in (cpu_conv.blocked._forward, cpu_dense._forward)}
    x.setflags(write=False)
    w.setflags(write=False)
    y = ops.conv2d(x, w, backend="cpu")
    ops.dense(np.broadcast_to(_randn(rng, 1, 4), (3, 4)), _randn(rng, 4, 2), backend="cpu")
    after = {k: len(k.signatures) for k in before}
    assert after[cpu_conv.blocked._forward] == before[cpu_conv.blocked._forward]
    assert after[cpu_dense._forward] <= 1
    np.testing.assert_allclose(y, ops.conv2d(x, w, backend="reference"), rtol=1e-5, atol=1e-5)


# ------------------------------------------------------------------------------------------- fused ReLU
@pytest.mark.parametrize("path", CONV_PATHS)
@pytest.mark.parametrize(
    "kernel, stride, pads",
    [((3, 3), (1, 1), (1, 1, 1, 1)), ((1, 1), (1, 1), (0, 0, 0, 0)), ((2, 3), (2, 1), (0, 1, 2, 0))],
)
def test_conv2d_relu_is_relu_of_the_reference_conv(rng, path, kernel, stride, pads):
    """cpu.conv2d_relu (bias and ReLU in one sweep) == reference relu(conv2d); NaN stays NaN (not 0)."""
    x, w, b = _randn(rng, 2, 6, 7, 3), _randn(rng, *kernel, 3, 5), _randn(rng, 5)
    x[0, 2, 3, 1] = np.nan
    b[4] = 0.0
    w[..., 4] = 0.0  # channel 4: exactly 0 + 0 (and NaN where the window reads the NaN)
    from engine.backends import reference

    expected = np.asarray(reference.activation("relu", reference.conv2d(x, w, b, stride, pads, False), 0.2))
    with conv_path(path):
        got = cpu.conv2d_relu(x, w, b, stride, pads, False)
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL)
    assert np.array_equal(np.isnan(got), np.isnan(expected)) and np.isnan(got).any()
    assert (got[~np.isnan(got)] >= 0).all()


@pytest.mark.parametrize("n, d_in, d_out", [(2, 3, 4), (64, 40, 30), (1, 900, 40)])
def test_dense_relu_is_relu_of_the_reference_dense(rng, n, d_in, d_out):
    x, w, b = _randn(rng, n, d_in), _randn(rng, d_in, d_out), _randn(rng, d_out)
    x[0, 0] = np.nan
    from engine.backends import reference

    expected = np.maximum(reference.dense(x, w, b), 0)  # np.maximum keeps NaN
    got = cpu.dense_relu(x, w, b)
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL)
    assert np.isnan(got[0]).all() and not np.isnan(got[1:]).any()


def test_thread_count_follows_set_num_threads():
    import numba

    from engine.backends.cpu.threads import thread_count

    before = numba.get_num_threads()
    try:
        for n in (1, before):
            numba.set_num_threads(n)
            assert thread_count() == n == numba.get_num_threads()
    finally:
        numba.set_num_threads(before)
