"""Winograd F(2x2, 3x3) on the CPU tier (:mod:`engine.backends.cpu.winograd`) against the reference tier.

The oracle is the reference tier run in float64 on the same values. The float32 error bound is componentwise
and grows with the number of terms summed into each value (``9 C_in`` for ``y``, ``9 C_out`` for ``dx``,
``N OH OW`` for ``dw``): ``|got - exact| <= 8 eps sqrt(terms) A + tiny``, where ``A`` is the same quantity
computed from the absolute values (``|x| * |w|`` ...), the usual condition of a sum of products.

The dispatch threshold on the batch size (``conv_fast.MIN_WINOGRAD_TILES_PER_THREAD``) is lowered to 1 in
these tests so that small shapes take the Winograd path; a spy asserts that they did.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine.backends import cpu, reference
from engine.backends.cpu import conv as cpu_conv
from engine.backends.cpu import conv_fast, winograd, workspace

EPS = float(np.finfo(np.float32).eps)

pytestmark = pytest.mark.skipif(
    cpu_conv.SGEMM is None, reason="NumPy's BLAS is not OpenBLAS: no Winograd path"
)


@pytest.fixture
def calls(monkeypatch):
    """Every call takes the Winograd path when its shapes allow; returns the counts of calls it served."""
    monkeypatch.setattr(conv_fast, "MIN_WINOGRAD_TILES_PER_THREAD", 1)
    count = {"forward": 0, "backward": 0}
    real_forward, real_backward = winograd.forward, winograd.backward

    def forward(*args, **kwargs):
        out = real_forward(*args, **kwargs)
        count["forward"] += out is not None
        return out

    def backward(*args, **kwargs):
        out = real_backward(*args, **kwargs)
        count["backward"] += out is not None
        return out

    monkeypatch.setattr(winograd, "forward", forward)
    monkeypatch.setattr(winograd, "backward", backward)
    return count


def _randn(rng, *shape):
    return rng.standard_normal(shape).astype(np.float32)


def _within(got, exact, cond, terms: int, name: str) -> None:
    assert got.dtype == np.float32 and got.shape == exact.shape, f"{name}: {got.dtype} {got.shape}"
    bound = 8.0 * EPS * np.sqrt(terms) * cond + 1e-30
    err = np.abs(got.astype(np.float64) - exact)
    worst = np.unravel_index(np.argmax(err / bound), err.shape)
    assert (err <= bound).all(), (
        f"{name}: error {err[worst]:.3g} > bound {bound[worst]:.3g} at {worst} ({terms} terms)"
    )


# (N, H, W, C_in, C_out, pads): odd and even sizes (partial tiles on the right and bottom), every pad from 0
# to 2, channel counts from the minimum (8) to wide layers
CASES = [
    (2, 8, 8, 8, 8, (1, 1, 1, 1)),
    (3, 7, 9, 16, 40, (1, 1, 1, 1)),
    (1, 6, 5, 64, 64, (0, 0, 0, 0)),
    (2, 5, 7, 96, 16, (2, 0, 1, 2)),
    (1, 9, 6, 24, 128, (0, 1, 2, 0)),
]


@pytest.mark.parametrize("flip", [False, True])
@pytest.mark.parametrize("n, h, w, c_in, c_out, pads", CASES)
def test_winograd_forward_and_backward_within_the_bound(rng, calls, n, h, w, c_in, c_out, pads, flip):
    x, wt, b = _randn(rng, n, h, w, c_in), _randn(rng, 3, 3, c_in, c_out), _randn(rng, c_out)
    y = cpu.conv2d(x, wt, b, (1, 1), pads, flip)
    x64, w64, b64 = x.astype(np.float64), wt.astype(np.float64), b.astype(np.float64)
    exact = reference.conv2d(x64, w64, b64, (1, 1), pads, flip)
    cond = reference.conv2d(np.abs(x64), np.abs(w64), np.abs(b64), (1, 1), pads, flip)
    _within(y, exact, cond, 9 * c_in, "y")

    dy = _randn(rng, *y.shape)
    dx, dw, db = cpu.conv2d_backward(x, wt, dy, (1, 1), pads, flip, True)
    ex_dx, ex_dw, ex_db = reference.conv2d_backward(x64, w64, dy.astype(np.float64), (1, 1), pads, flip, True)
    c_dx, c_dw, c_db = reference.conv2d_backward(
        np.abs(x64), np.abs(w64), np.abs(dy.astype(np.float64)), (1, 1), pads, flip, True
    )
    _within(dx, ex_dx, c_dx, 9 * c_out, "dx")
    _within(dw, ex_dw, c_dw, y.shape[0] * y.shape[1] * y.shape[2], "dw")
    _within(db, ex_db, c_db, y.shape[0] * y.shape[1] * y.shape[2], "db")

    none, dw2, db2 = cpu.conv2d_backward(x, wt, dy, (1, 1), pads, flip, False)
    assert none is None
    np.testing.assert_array_equal(dw2, dw)  # need_dx changes nothing else
    np.testing.assert_array_equal(db2, db)
    assert calls == {"forward": 1, "backward": 2}


def test_the_bound_catches_a_wrong_transform(rng, calls, monkeypatch):
    """The test's bound is tight enough to fail: one transformed weight off by 1e-4 of its size breaks it."""
    x, wt, b = _randn(rng, 2, 8, 8, 16), _randn(rng, 3, 3, 16, 16), _randn(rng, 16)
    real = winograd.filter_transform

    def off(g):
        u = real(g)
        u[5] *= np.float32(1.0001)
        return u

    monkeypatch.setattr(winograd, "filter_transform", off)
    y = cpu.conv2d(x, wt, b, (1, 1), (1, 1, 1, 1), False)
    x64, w64, b64 = x.astype(np.float64), wt.astype(np.float64), b.astype(np.float64)
    exact = reference.conv2d(x64, w64, b64, (1, 1), (1, 1, 1, 1), False)
    cond = reference.conv2d(np.abs(x64), np.abs(w64), np.abs(b64), (1, 1), (1, 1, 1, 1), False)
    with pytest.raises(AssertionError, match="y: error"):
        _within(y, exact, cond, 9 * 16, "y")


@pytest.mark.parametrize("need_dx", [True, False])
def test_fused_relu_backward_is_the_reference_backward_of_the_masked_gradient(rng, calls, need_dx):
    """conv2d_relu then conv2d_relu_backward (the ReLU's mask inside the Winograd gradient transform)."""
    x, wt, b = _randn(rng, 2, 7, 8, 12), _randn(rng, 3, 3, 12, 20), _randn(rng, 20)
    pads = (1, 1, 1, 1)
    y = cpu.conv2d_relu(x, wt, b, (1, 1), pads, False)
    ref_y = reference.activation("relu", reference.conv2d(x, wt, b, (1, 1), pads, False), 0.0)
    np.testing.assert_allclose(y, ref_y, rtol=2e-4, atol=2e-4)
    assert (y == 0).any() and (y > 0).any()
    dy = _randn(rng, *y.shape)
    got = cpu.conv2d_relu_backward(x, wt, y, dy, (1, 1), pads, False, need_dx)
    masked = np.where(y > 0, dy, np.float32(0.0))
    want = reference.conv2d_backward(x, wt, masked, (1, 1), pads, False, need_dx)
    for name, g, r in zip(("dx", "dw", "db"), got, want, strict=True):
        if r is None:
            assert g is None, name
        else:
            np.testing.assert_allclose(g, r, rtol=2e-4, atol=2e-4, err_msg=name)
    assert calls == {"forward": 1, "backward": 1}


def test_non_finite_values_fall_back_to_the_direct_path(rng, calls):
    """NaN and inf land where the direct convolution puts them (the transforms would smear them)."""
    x, wt, b = _randn(rng, 2, 6, 6, 8), _randn(rng, 3, 3, 8, 8), _randn(rng, 8)
    x[0, 2, 2, 3] = np.nan
    x[1, 0, 5, 1] = np.inf
    with np.errstate(invalid="ignore"):
        y = cpu.conv2d(x, wt, b, (1, 1), (1, 1, 1, 1), False)
        ref = reference.conv2d(x, wt, b, (1, 1), (1, 1, 1, 1), False)
        assert np.array_equal(np.isnan(y), np.isnan(ref)) and np.array_equal(np.isinf(y), np.isinf(ref))
        fin = np.isfinite(ref)
        np.testing.assert_allclose(y[fin], ref[fin], rtol=2e-4, atol=2e-4)

        x2 = _randn(rng, 2, 6, 6, 8)
        w2 = wt.copy()
        w2[0, 0, 1, 2] = np.inf  # times the zero padding: NaN on the border only, as the reference
        y2 = cpu.conv2d(x2, w2, b, (1, 1), (1, 1, 1, 1), False)
        ref2 = reference.conv2d(x2, w2, b, (1, 1), (1, 1, 1, 1), False)
        assert np.array_equal(np.isnan(y2), np.isnan(ref2)) and np.isnan(ref2).any()
        dy = _randn(rng, *y2.shape)
        dx, dw, db = cpu.conv2d_backward(x2, w2, dy, (1, 1), (1, 1, 1, 1), False, True)
        rdx, rdw, rdb = reference.conv2d_backward(x2, w2, dy, (1, 1), (1, 1, 1, 1), False, True)
        for g, r in ((dx, rdx), (dw, rdw), (db, rdb)):
            assert np.array_equal(np.isnan(g), np.isnan(r)) and np.array_equal(np.isinf(g), np.isinf(r))
    assert calls == {"forward": 0, "backward": 0}  # every call was handed back


@pytest.mark.parametrize(
    "w_shape, stride, pads",
    [
        ((3, 3, 8, 8), (2, 2), (1, 1, 1, 1)),  # stride 2
        ((3, 3, 8, 8), (1, 2), (1, 1, 1, 1)),
        ((5, 5, 8, 8), (1, 1), (2, 2, 2, 2)),  # not 3x3
        ((3, 2, 8, 8), (1, 1), (1, 1, 0, 1)),
        ((3, 3, 3, 32), (1, 1), (1, 1, 1, 1)),  # the first layer: 3 input channels
        ((3, 3, 8, 4), (1, 1), (1, 1, 1, 1)),  # too few output channels
        ((3, 3, 8, 8), (1, 1), (3, 0, 0, 0)),  # a pad past 2: tiles entirely outside the image
    ],
)
def test_other_shapes_take_the_direct_path(rng, calls, w_shape, stride, pads):
    assert not winograd.applies(w_shape, stride, pads)
    x, wt = _randn(rng, 2, 9, 9, w_shape[2]), _randn(rng, *w_shape)
    b = _randn(rng, w_shape[3])
    y = cpu.conv2d(x, wt, b, stride, pads, False)
    np.testing.assert_allclose(y, reference.conv2d(x, wt, b, stride, pads, False), rtol=2e-4, atol=2e-4)
    cpu.conv2d_backward(x, wt, _randn(rng, *y.shape), stride, pads, False, True)
    assert calls == {"forward": 0, "backward": 0}


def test_small_batches_stay_on_the_direct_path(rng, monkeypatch):
    """Below MIN_WINOGRAD_TILES_PER_THREAD output tiles per thread the fixed costs per call outweigh the
    savings: 3 threads need 1.5x the tiles of 2; one thread (no parallel start-up) needs half of it."""
    monkeypatch.setattr(conv_fast, "MIN_WINOGRAD_TILES_PER_THREAD", 100)
    wt, b = _randn(rng, 3, 3, 16, 16), _randn(rng, 16)
    x = _randn(rng, 2, 20, 20, 16)  # 2 * 10 * 10 = 200 tiles

    def taken(threads: int) -> bool:
        monkeypatch.setattr(conv_fast, "thread_count", lambda: threads)
        return conv_fast.forward(cpu_conv.SGEMM, x, wt, b, (1, 1), (1, 1, 1, 1), False, False) is not None

    assert taken(1) and taken(2) and not taken(3)
    x = _randn(rng, 2, 10, 10, 16)  # 2 * 5 * 5 = 50 tiles
    assert taken(1) and not taken(2)
    x = _randn(rng, 1, 14, 14, 16)  # 49 tiles
    assert not taken(1)
    assert conv_fast.backward(cpu_conv.SGEMM, x[:1], wt, x[:1], (1, 1), (1, 1, 1, 1), False, True) is None


def test_filter_gradient_is_the_transpose_of_the_filter_transform(rng):
    """<G g G^T, dU> == <g, G^T dU G> for every channel pair (the backward's dW is exact)."""
    g, du = _randn(rng, 3, 3, 4, 5), _randn(rng, 16, 4, 5)
    lhs = np.einsum("eco,eco->co", winograd.filter_transform(g).astype(np.float64), du.astype(np.float64))
    rhs = np.einsum("abco,abco->co", g.astype(np.float64), winograd.filter_gradient(du).astype(np.float64))
    np.testing.assert_allclose(lhs, rhs, rtol=1e-5, atol=1e-5)


def test_filter_transform_hand_worked():
    """A kernel of ones: G 1 G^T has rows/columns (1, 1.5, 0.5, 1) multiplied together."""
    u = winograd.filter_transform(np.ones((3, 3, 1, 1), np.float32))[:, 0, 0].reshape(4, 4)
    side = np.array([1.0, 1.5, 0.5, 1.0])
    np.testing.assert_array_equal(u, np.outer(side, side).astype(np.float32))


def test_results_do_not_depend_on_the_block_size(rng, calls, monkeypatch):
    """Blocks sized for a tiny L2 (many sgemm calls of 16 tiles) give the same values as one large block."""
    x, wt, b = _randn(rng, 4, 12, 10, 8), _randn(rng, 3, 3, 8, 8), _randn(rng, 8)
    dy = _randn(rng, 4, 12, 10, 8)
    y_big = cpu.conv2d(x, wt, b, (1, 1), (1, 1, 1, 1), False)
    g_big = cpu.conv2d_backward(x, wt, dy, (1, 1), (1, 1, 1, 1), False, True)
    monkeypatch.setattr(
        conv_fast, "cache_sizes", lambda: workspace.CacheSizes(32 * 1024, 16 * 1024, 1 << 20, "test")
    )
    assert winograd.tiles_per_block(8, 8, 16 * 1024) == 16
    y_small = cpu.conv2d(x, wt, b, (1, 1), (1, 1, 1, 1), False)
    g_small = cpu.conv2d_backward(x, wt, dy, (1, 1), (1, 1, 1, 1), False, True)
    np.testing.assert_allclose(y_small, y_big, rtol=1e-5, atol=1e-4)  # sgemm's kernels differ by block shape
    for s, g in zip(g_small, g_big, strict=True):
        np.testing.assert_allclose(s, g, rtol=1e-5, atol=1e-4)  # and dW sums in another order
    assert calls == {"forward": 2, "backward": 2}


# -------------------------------------------------------------------------------------------- cache sizes
def test_cache_sizes_read_from_a_sysfs_tree(tmp_path):
    for i, (kind, level, size) in enumerate(
        [("Data", 1, "48K"), ("Instruction", 1, "32K"), ("Unified", 2, "1024K"), ("Unified", 3, "32M")]
    ):
        d = tmp_path / f"index{i}"
        d.mkdir()
        (d / "type").write_text(kind + "\n")
        (d / "level").write_text(f"{level}\n")
        (d / "size").write_text(size + "\n")
    assert workspace._from_sysfs(tmp_path) == {1: 48 * 1024, 2: 1024 * 1024, 3: 32 * 1024 * 1024}
    assert workspace._from_sysfs(tmp_path / "missing") == {}
    found = workspace.cache_sizes()
    assert found.l1d > 0 and found.l2 >= found.l1d and found.source in ("sysfs", "sysconf", "default")


def test_tiles_per_block_fits_half_the_l2_and_stays_in_range():
    assert winograd.tiles_per_block(32, 64, 1 << 20) == 512 * 1024 // (64 * 96) // 8 * 8
    t = winograd.tiles_per_block(64, 64, 1 << 20)
    assert 16 * 4 * 128 * t <= (1 << 20) // 2 and t % 8 == 0
    assert winograd.tiles_per_block(2048, 2048, 1 << 18) == 16  # floor
    assert winograd.tiles_per_block(8, 8, 1 << 30) == 512  # ceiling


def test_scratch_buffers_are_reused_per_thread():
    a = workspace.scratch("test_buf", (4, 8))
    b = workspace.scratch("test_buf", (2, 8))
    assert a.shape == (4, 8) and b.shape == (2, 8) and np.shares_memory(a, b)
    big = workspace.scratch("test_big", (1024,), keep_bytes=1024)
    again = workspace.scratch("test_big", (1024,), keep_bytes=1024)
    assert not np.shares_memory(big, again)  # over keep_bytes: not kept


def test_each_winograd_kernel_compiles_once(rng, calls):
    """Flip, ReLU, need_dx and the fused mask change values, not the compiled signature."""
    x, wt, b = _randn(rng, 2, 6, 6, 8), _randn(rng, 3, 3, 8, 8), _randn(rng, 8)
    for flip in (False, True):
        y = cpu.conv2d(x, wt, b, (1, 1), (1, 1, 1, 1), flip)
        yr = cpu.conv2d_relu(x, wt, b, (1, 1), (1, 1, 1, 1), flip)
        for need_dx in (False, True):
            cpu.conv2d_backward(x, wt, y, (1, 1), (1, 1, 1, 1), flip, need_dx)
            cpu.conv2d_relu_backward(x, wt, yr, y, (1, 1), (1, 1, 1, 1), flip, need_dx)
    for kernel in (
        winograd._forward,
        winograd._backward,
        winograd.filter_transform,
        winograd.filter_gradient,
    ):
        assert len(kernel.signatures) == 1, (kernel, kernel.signatures)
    assert calls == {"forward": 4, "backward": 8}


@pytest.mark.parametrize("activation", ["relu", "linear"])
def test_conv2d_layer_on_the_winograd_path_matches_the_reference_tier(rng, calls, backend_guard, activation):
    """The Conv2D layer end to end (its fused ReLU backward included), cpu tier vs reference tier."""
    import engine
    from engine import layers

    layer = layers.Conv2D(12, 3, padding="same", activation=activation)
    x = _randn(rng, 2, 7, 6, 10)
    layer.build(x.shape[1:], np.random.default_rng(0))
    dy = _randn(rng, 2, 7, 6, 12)
    results = {}
    for tier in ("reference", "cpu"):
        engine.config.set("backend", tier)
        y = np.asarray(layer.forward(x, training=True))
        dx = np.asarray(layer.backward(dy, need_dx=True))
        results[tier] = (y, dx, *(np.asarray(g).copy() for g in layer.grads.values()))
    for name, got, want in zip(("y", "dx", "dW", "db"), results["cpu"], results["reference"], strict=True):
        np.testing.assert_allclose(got, want, rtol=2e-4, atol=2e-4, err_msg=name)
    assert calls == {"forward": 1, "backward": 1}
