"""Property tests of the public ops: whatever shapes, strides, paddings and kernels an op accepts, the fast
tier (``cpu``) gives the reference tier's result; whatever it refuses raises ValueError or TypeError naming
the argument.

The reference tier (readable NumPy loops) is the oracle. Tolerances are float32's, scaled by the number of
terms summed into each compared value (a conv output sums KH*KW*C_in products; dw sums N*OH*OW). Shapes are
kept small (the reference is slow) and example counts modest, so the file runs in well under a minute.
The inputs the audit of issue 12 found accepted (bools as integers, empty axes, a scalar given to softmax...)
are listed at the end, each with the refusal that now names the argument.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engine import ops, shapes

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EPS = float(np.finfo(np.float32).eps)


def _close(fast: np.ndarray, ref: np.ndarray, terms: int) -> None:
    """Equal within float32 rounding of a sum of ``terms`` products of values in [-1, 1]."""
    assert fast.shape == ref.shape
    np.testing.assert_allclose(fast, ref, rtol=1e-5, atol=8 * EPS * max(terms, 1))


def _arrays(draw, shape: tuple[int, ...], lo: float = -1.0, hi: float = 1.0) -> np.ndarray:
    seed = draw(st.integers(0, 2**32 - 1))
    return np.random.default_rng(seed).uniform(lo, hi, shape).astype(np.float32)


# ------------------------------------------------------------------------------------------ strategies

pairs = st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3)))
paddings = st.one_of(
    st.sampled_from(["valid", "same", "full", "VALID", "Same"]),
    st.integers(0, 3),
    st.tuples(
        st.tuples(st.integers(0, 3), st.integers(0, 3)), st.tuples(st.integers(0, 3), st.integers(0, 3))
    ),
)


@st.composite
def conv_cases(draw):
    n, h, w = draw(st.integers(1, 2)), draw(st.integers(1, 7)), draw(st.integers(1, 7))
    c_in, c_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride, padding, flip = draw(pairs), draw(paddings), draw(st.booleans())
    x = _arrays(draw, (n, h, w, c_in))
    wt = _arrays(draw, (kh, kw, c_in, c_out))
    b = _arrays(draw, (c_out,)) if draw(st.booleans()) else None
    rank = draw(st.sampled_from([4, 3, 2])) if n == 1 and c_in == 1 and c_out == 1 else 4
    if rank == 3:
        x = x[0]
    elif rank == 2:
        x, wt = x[0, :, :, 0], wt[:, :, 0, 0]
    return x, wt, b, {"stride": stride, "padding": padding, "flip": flip}


def _fits(x: np.ndarray, k_hw: tuple[int, int], stride, padding) -> bool:
    """Whether the kernel fits in the padded input (the ops refuse otherwise)."""
    x4 = x.reshape((1, *x.shape, 1)) if x.ndim == 2 else (x[None] if x.ndim == 3 else x)
    s = shapes.normalize_pair(stride, "stride")
    t, bo, le, r = shapes.resolve_padding(padding, (x4.shape[1], x4.shape[2]), k_hw, s)
    return x4.shape[1] + t + bo >= k_hw[0] and x4.shape[2] + le + r >= k_hw[1]


# --------------------------------------------------------------------------------- conv2d and gradients


@SETTINGS
@given(conv_cases())
def test_conv2d_matches_the_reference_or_refuses_with_the_argument(case):
    x, w, b, kw = case
    k_hw = w.shape[:2]
    if not _fits(x, k_hw, kw["stride"], kw["padding"]):
        for backend in ("cpu", "reference"):
            with pytest.raises(ValueError, match=r"kernel .* is larger than the padded input"):
                ops.conv2d(x, w, b, backend=backend, **kw)
        return
    fast = ops.conv2d(x, w, b, backend="cpu", **kw)
    ref = ops.conv2d(x, w, b, backend="reference", **kw)
    c_in = 1 if w.ndim == 2 else w.shape[2]
    _close(fast, ref, k_hw[0] * k_hw[1] * c_in)


@SETTINGS
@given(conv_cases(), st.booleans())
def test_conv2d_backward_matches_the_reference(case, need_dx):
    x, w, _b, kw = case
    assume(_fits(x, w.shape[:2], kw["stride"], kw["padding"]))
    y = ops.conv2d(x, w, backend="reference", **kw)
    dy = np.random.default_rng(y.size).uniform(-1, 1, y.shape).astype(np.float32)
    fast = ops.conv2d_backward(x, w, dy, need_dx=need_dx, backend="cpu", **kw)
    ref = ops.conv2d_backward(x, w, dy, need_dx=need_dx, backend="reference", **kw)
    kh, kwid = w.shape[:2]
    c_out = 1 if w.ndim == 2 else w.shape[3]
    n_pos = int(np.prod(y.shape[:-1])) if y.ndim == 4 else int(np.prod(y.shape[:2]))
    if need_dx:
        _close(fast[0], ref[0], kh * kwid * c_out)
        assert fast[0].shape == x.shape
    else:
        assert fast[0] is None and ref[0] is None
    _close(fast[1], ref[1], n_pos)
    assert fast[1].shape == w.shape
    _close(fast[2], ref[2], n_pos)


BAD_CONV_ARGS = [
    ("stride", 0, ValueError),
    ("stride", -2, ValueError),
    ("stride", (1, 0), ValueError),
    ("stride", True, TypeError),
    ("stride", 1.5, TypeError),
    ("stride", "2", TypeError),
    ("stride", (1, 2, 3), TypeError),
    ("padding", -1, ValueError),
    ("padding", "bogus", ValueError),
    ("padding", ((1, 0), (-1, 0)), ValueError),
    ("padding", ((1,), (0, 0)), TypeError),
    ("padding", True, TypeError),
    ("padding", 1.5, TypeError),
    ("padding", None, TypeError),
]


@SETTINGS
@given(conv_cases(), st.sampled_from(BAD_CONV_ARGS))
def test_conv2d_refuses_bad_strides_and_paddings_naming_them(case, bad):
    x, w, b, kw = case
    name, value, error = bad
    kw = {**kw, name: value}
    for backend in ("cpu", "reference"):
        with pytest.raises(error, match=rf"\b{name}\b.*Received: {name}="):
            ops.conv2d(x, w, b, backend=backend, **kw)
        with pytest.raises(error, match=rf"\b{name}\b.*Received: {name}="):
            ops.conv2d_backward(x, w, np.zeros((1, 1, 1, 1), np.float32), backend=backend, **kw)


@SETTINGS
@given(conv_cases(), st.sampled_from(["w_rank", "channels", "bias", "dy", "x_rank", "x_type"]))
def test_conv2d_refuses_mismatched_arrays_naming_them(case, which):
    x, w, b, kw = case
    x4 = x.reshape((1, *x.shape, 1)) if x.ndim == 2 else (x[None] if x.ndim == 3 else x)
    w4 = w[:, :, None, None] if w.ndim == 2 else w
    assume(_fits(x4, w4.shape[:2], kw["stride"], kw["padding"]))
    args = {"x": x4, "w": w4, "b": b}
    name = {
        "w_rank": r"w must have shape \(KH, KW, C_in, C_out\)",
        "channels": r"channel mismatch: x has \d+ channel\(s\) but w expects",
        "bias": r"b must have shape",
        "x_rank": r"x must have shape \(H, W\)",
        "x_type": r"x must be a numeric array",
        "dy": "",
    }[which]
    if which == "w_rank":
        args["w"] = w4[..., 0]
    elif which == "channels":
        args["w"] = np.concatenate([w4, w4], axis=2)
    elif which == "bias":
        args["b"] = np.zeros(w4.shape[3] + 1, np.float32)
    elif which == "x_rank":
        args["x"] = x4[None]
    elif which == "x_type":
        args["x"] = np.full(x4.shape, "a")
    error = TypeError if which == "x_type" else ValueError
    for backend in ("cpu", "reference"):
        if which == "dy":
            with pytest.raises(ValueError, match=r"dy must have the forward output's shape"):
                ops.conv2d_backward(x4, w4, np.zeros((1, 1, 1, 99), np.float32), backend=backend, **kw)
            continue
        with pytest.raises(error, match=name):
            ops.conv2d(args["x"], args["w"], args["b"], backend=backend, **kw)


# -------------------------------------------------------------------------------------------- pooling


@st.composite
def pool_cases(draw):
    n, h, w, c = (
        draw(st.integers(1, 2)),
        draw(st.integers(1, 7)),
        draw(st.integers(1, 7)),
        draw(st.integers(1, 3)),
    )
    size = draw(pairs)
    stride = draw(st.one_of(st.none(), pairs))
    padding = draw(st.one_of(st.sampled_from(["valid", "same"]), st.integers(0, 2)))
    mode = draw(st.sampled_from(ops.POOL_MODES))
    x = _arrays(draw, (n, h, w, c))
    if draw(st.booleans()):  # ties, so that the first-winner rule of max/min is exercised
        x = np.round(x * 2) / 2
    return x, size, {"stride": stride, "padding": padding, "mode": mode}


def _pool_ok(x: np.ndarray, size, stride, padding) -> bool:
    k = shapes.normalize_pair(size, "size")
    s = k if stride is None else shapes.normalize_pair(stride, "stride")
    t, b, le, r = shapes.resolve_padding(padding, (x.shape[1], x.shape[2]), k, s)
    fits = x.shape[1] + t + b >= k[0] and x.shape[2] + le + r >= k[1]
    return fits and max(t, b) < k[0] and max(le, r) < k[1]


@SETTINGS
@given(pool_cases())
def test_pool2d_and_backward_match_the_reference_or_refuse(case):
    x, size, kw = case
    if not _pool_ok(x, size, kw["stride"], kw["padding"]):
        for backend in ("cpu", "reference"):
            with pytest.raises(ValueError, match=r"pool2d.*(pooling window|pad)"):
                ops.pool2d(x, size, backend=backend, **kw)
        return
    fast = ops.pool2d(x, size, backend="cpu", **kw)
    ref = ops.pool2d(x, size, backend="reference", **kw)
    k = shapes.normalize_pair(size, "size")
    _close(fast, ref, k[0] * k[1])
    dy = np.random.default_rng(fast.size).uniform(-1, 1, fast.shape).astype(np.float32)
    dx_fast = ops.pool2d_backward(x, dy, size, backend="cpu", **kw)
    dx_ref = ops.pool2d_backward(x, dy, size, backend="reference", **kw)
    _close(dx_fast, dx_ref, k[0] * k[1])


BAD_POOL_ARGS = [
    ("size", 0, ValueError),
    ("size", (2, -1), ValueError),
    ("size", 2.0, TypeError),
    ("stride", 0, ValueError),
    ("stride", False, TypeError),
    ("padding", -1, ValueError),
    ("padding", "full!", ValueError),
    ("mode", "median", ValueError),
    ("mode", None, ValueError),
]


@SETTINGS
@given(pool_cases(), st.sampled_from(BAD_POOL_ARGS))
def test_pool2d_refuses_bad_arguments_naming_them(case, bad):
    x, size, kw = case
    name, value, error = bad
    args = {"size": size, **kw, name: value}
    for backend in ("cpu", "reference"):
        with pytest.raises(error, match=rf"\b{name}\b.*Received: {name}="):
            ops.pool2d(x, backend=backend, **args)
        with pytest.raises(error, match=rf"\b{name}\b.*Received: {name}="):
            ops.pool2d_backward(x, np.zeros((1, 1, 1, 1), np.float32), backend=backend, **args)


@st.composite
def global_cases(draw):
    n, h, w, c = (draw(st.integers(1, 3)) for _ in range(4))
    x = _arrays(draw, (n, h, w, c))
    rank = draw(st.sampled_from([4, 3])) if n == 1 else 4
    return (x[0] if rank == 3 else x), draw(st.sampled_from(("max", "min", "avg")))


@SETTINGS
@given(global_cases())
def test_global_pool_and_backward_match_the_reference(case):
    x, mode = case
    fast = ops.global_pool(x, mode, backend="cpu")
    ref = ops.global_pool(x, mode, backend="reference")
    hw = x.shape[-3] * x.shape[-2]
    _close(fast, ref, hw)
    dy = np.random.default_rng(fast.size).uniform(-1, 1, fast.shape).astype(np.float32)
    _close(
        ops.global_pool_backward(x, dy, mode, backend="cpu"),
        ops.global_pool_backward(x, dy, mode, backend="reference"),
        1,
    )
    with pytest.raises(ValueError, match="mode"):
        ops.global_pool(x, "sum")
    with pytest.raises(ValueError, match="dy"):
        ops.global_pool_backward(x, np.zeros(fast.size + 1, np.float32), mode)


# -------------------------------------------------------------------------------------- dense, activations


@st.composite
def dense_cases(draw):
    n, d_in, d_out = draw(st.integers(1, 4)), draw(st.integers(1, 12)), draw(st.integers(1, 6))
    b = _arrays(draw, (d_out,)) if draw(st.booleans()) else None
    return _arrays(draw, (n, d_in)), _arrays(draw, (d_in, d_out)), b


@SETTINGS
@given(dense_cases())
def test_dense_and_backward_match_the_reference(case):
    x, w, b = case
    _close(ops.dense(x, w, b, backend="cpu"), ops.dense(x, w, b, backend="reference"), x.shape[1])
    dy = np.random.default_rng(x.size).uniform(-1, 1, (x.shape[0], w.shape[1])).astype(np.float32)
    fast = ops.dense_backward(x, w, dy, backend="cpu")
    ref = ops.dense_backward(x, w, dy, backend="reference")
    for f, r, terms in zip(fast, ref, (w.shape[1], x.shape[0], x.shape[0]), strict=True):
        _close(f, r, terms)


@SETTINGS
@given(dense_cases(), st.sampled_from(["x_rank", "w_rank", "d_in", "bias", "dy"]))
def test_dense_refuses_mismatched_arrays_naming_them(case, which):
    x, w, b = case
    for backend in ("cpu", "reference"):
        if which == "x_rank":
            with pytest.raises(ValueError, match=r"dense expects x \(N, D_in\)"):
                ops.dense(x[None], w, b, backend=backend)
        elif which == "w_rank":
            with pytest.raises(ValueError, match=r"w \(D_in, D_out\)"):
                ops.dense(x, w[None], b, backend=backend)
        elif which == "d_in":
            with pytest.raises(ValueError, match=r"D_in=\d+ features but w expects"):
                ops.dense(x, np.concatenate([w, w]), b, backend=backend)
        elif which == "bias":
            with pytest.raises(ValueError, match=r"b must have shape"):
                ops.dense(x, w, np.zeros(w.shape[1] + 1), backend=backend)
        else:
            with pytest.raises(ValueError, match=r"dy must have shape"):
                ops.dense_backward(x, w, np.zeros((x.shape[0] + 1, w.shape[1])), backend=backend)


ACTIVATION_NAMES = [name for name in ops.ACTIVATIONS]


@st.composite
def activation_cases(draw):
    name = draw(st.sampled_from(ACTIVATION_NAMES))
    shape = tuple(draw(st.lists(st.integers(1, 5), min_size=1, max_size=3)))
    scale = draw(st.sampled_from([1.0, 10.0, 100.0]))  # large |x|: sigmoid and softmax must not overflow
    alpha = draw(st.floats(0.0, 1.0, allow_nan=False))
    return name, _arrays(draw, shape, -scale, scale), alpha


@SETTINGS
@given(activation_cases())
def test_activations_and_gradients_match_the_reference(case):
    name, x, alpha = case
    fast = ops.activation(name, x, alpha=alpha, backend="cpu")
    ref = ops.activation(name, x, alpha=alpha, backend="reference")
    _close(fast, ref, x.shape[-1] if name == "softmax" else 1)
    assert np.isfinite(fast).all()
    dy = np.random.default_rng(x.size).uniform(-1, 1, x.shape).astype(np.float32)
    _close(
        ops.activation_backward(name, x, dy, alpha=alpha, backend="cpu"),
        ops.activation_backward(name, x, dy, alpha=alpha, backend="reference"),
        x.shape[-1] if name == "softmax" else 1,
    )


@SETTINGS
@given(activation_cases())
def test_activations_refuse_unknown_names_and_mismatched_gradients(case):
    name, x, _alpha = case
    with pytest.raises(ValueError, match=r"activation must be one of"):
        ops.activation(name + "_x", x)
    with pytest.raises(ValueError, match=r"dy must have the shape of x"):
        ops.activation_backward(name, x, np.zeros((*x.shape, 2), np.float32))
    with pytest.raises(TypeError, match=r"x must be a numeric array"):
        ops.activation(name, np.full(x.shape, "a"))
    with pytest.raises(TypeError, match=r"x must be real-valued"):
        ops.activation(name, x + 1j)


# ------------------------------------------------------------------------------------------------ pad2d


@SETTINGS
@given(
    st.integers(1, 7),
    st.integers(1, 7),
    st.sampled_from([(), (1,), (2,)]),
    paddings,
    pairs,
    pairs,
    st.floats(-5, 5, allow_nan=False),
)
def test_pad2d_places_the_input_inside_a_border_of_value(h, w, channels, padding, kernel, stride, value):
    x = np.random.default_rng(h * w).uniform(-1, 1, (h, w, *channels)).astype(np.float32)
    k, s = shapes.normalize_pair(kernel, "k"), shapes.normalize_pair(stride, "s")
    t, b, le, r = shapes.resolve_padding(padding, (h, w), k, s)
    out = ops.pad2d(x, padding, kernel, stride, value=value)
    assert out.shape == (h + t + b, w + le + r, *channels)
    np.testing.assert_array_equal(out[t : t + h, le : le + w], x)
    border = np.ones(out.shape[:2], bool)
    border[t : t + h, le : le + w] = False
    np.testing.assert_array_equal(out[border], np.float32(value))
    if isinstance(padding, str) and padding.lower() == "same" and s == (1, 1):
        assert out.shape[:2] == (h + k[0] - 1, w + k[1] - 1)  # ceil(N / 1) = N: total padding K - 1


@SETTINGS
@given(st.sampled_from([("kernel_size", 0), ("kernel_size", True), ("stride", -1), ("padding", "wide")]))
def test_pad2d_refuses_bad_arguments_naming_them(bad):
    name, value = bad
    kwargs = {"padding": 1, "kernel_size": 3, "stride": 1, name: value}
    with pytest.raises((ValueError, TypeError), match=rf"\b{name}\b.*Received: {name}="):
        ops.pad2d(np.ones((4, 4), np.float32), **kwargs)


# ------------------------------------------------------------ inputs the audit of issue 12 found accepted


def _bool_in_padding():
    ops.conv2d(np.ones((4, 4), np.float32), np.ones((3, 3), np.float32), padding=((True, 1), (0, 0)))


AUDITED_REFUSALS = [
    ("padding=((True, 1), (0, 0)) is accepted as 1", TypeError, "padding", _bool_in_padding),
    (
        "flip='no' means True",
        TypeError,
        "flip",
        lambda: ops.conv2d(np.ones((4, 4)), np.ones((3, 3)), flip="no"),
    ),
    ("softmax(3.0) returns [1.]", ValueError, "softmax", lambda: ops.softmax(3.0)),
    (
        "leaky_relu(alpha='a'): numpy's float() message",
        TypeError,
        "alpha",
        lambda: ops.leaky_relu(np.ones(3), alpha="a"),
    ),
    (
        "leaky_relu(alpha=nan) is accepted",
        ValueError,
        "alpha",
        lambda: ops.leaky_relu(np.ones(3), alpha=float("nan")),
    ),
    (
        "conv2d with 0 input channels: ZeroDivisionError (cpu), a result (reference)",
        ValueError,
        "channel",
        lambda: ops.conv2d(np.ones((1, 4, 4, 0), np.float32), np.ones((3, 3, 0, 1), np.float32)),
    ),
    (
        "global_pool of an empty axis returns uninitialised memory",
        ValueError,
        "x",
        lambda: ops.global_pool(np.ones((2, 0, 5, 3), np.float32), "avg"),
    ),
    (
        "pool2d of 0 channels is accepted",
        ValueError,
        "x",
        lambda: ops.pool2d(np.ones((1, 4, 4, 0), np.float32), 2),
    ),
    (
        "dense with D_in=0 is accepted",
        ValueError,
        "D_in",
        lambda: ops.dense(np.ones((2, 0), np.float32), np.ones((0, 3), np.float32)),
    ),
    (
        "softmax over an empty last axis: numpy's message (reference), a result (cpu)",
        ValueError,
        "x",
        lambda: ops.softmax(np.ones((2, 0), np.float32), backend="reference"),
    ),
    (
        "pad2d(value='a'): numpy's float() message",
        TypeError,
        "value",
        lambda: ops.pad2d(np.ones((4, 4)), 1, value="a"),
    ),
]


@pytest.mark.parametrize(
    ("what", "error", "name", "call"), AUDITED_REFUSALS, ids=[b[0] for b in AUDITED_REFUSALS]
)
def test_inputs_the_audit_found_accepted_are_refused_naming_the_argument(what, error, name, call):
    with pytest.raises(error, match=rf"\b{name}\b.*Received"):
        call()


@pytest.mark.parametrize("backend", ["cpu", "reference"])
@pytest.mark.parametrize(
    "call",
    [
        lambda be: ops.global_pool(np.ones((2, 0, 5, 3), np.float32), "max", backend=be),
        lambda be: ops.global_pool(np.ones((2, 5, 0, 3), np.float32), "avg", backend=be),
        lambda be: ops.global_pool_backward(np.ones((1, 0, 2, 1)), np.ones((1, 1)), backend=be),
        lambda be: ops.pool2d(np.ones((1, 4, 4, 0), np.float32), 2, backend=be),
        lambda be: ops.pool2d(np.ones((0, 4), np.float32), 1, backend=be),
        lambda be: ops.conv2d(np.ones((1, 0, 4, 1)), np.ones((1, 1, 1, 1)), padding=2, backend=be),
        lambda be: ops.conv2d_backward(
            np.ones((4, 4, 0)), np.ones((1, 1, 0, 1)), np.ones((4, 4, 1)), backend=be
        ),
        lambda be: ops.dense(np.ones((2, 3)), np.ones((3, 0)), backend=be),
        lambda be: ops.dense_backward(np.ones((2, 0)), np.ones((0, 2)), np.ones((2, 2)), backend=be),
        lambda be: ops.softmax(np.ones((3, 0)), backend=be),
        lambda be: ops.softmax_backward(np.ones((3, 0)), np.ones((3, 0)), backend=be),
    ],
)
def test_an_empty_axis_is_refused_on_every_tier(call, backend):
    with pytest.raises(ValueError, match=r"empty|>= 1|at least 1"):
        call(backend)


@pytest.mark.parametrize("backend", ["cpu", "reference"])
def test_an_empty_batch_gives_an_empty_result(backend):
    x = np.ones((0, 5, 5, 2), np.float32)
    assert ops.conv2d(x, np.ones((3, 3, 2, 4)), backend=backend).shape == (0, 3, 3, 4)
    assert ops.pool2d(x, 2, backend=backend).shape == (0, 2, 2, 2)
    assert ops.global_pool(x, "avg", backend=backend).shape == (0, 2)
    assert ops.dense(np.ones((0, 3)), np.ones((3, 2)), backend=backend).shape == (0, 2)
    assert ops.relu(np.ones((2, 0, 3)), backend=backend).shape == (2, 0, 3)


@pytest.mark.parametrize(
    "padding", [np.int64(1), np.uint8(1), ((np.int64(1), 1), (np.int32(1), np.int16(1))), ((1, 1), (1, 1))]
)
def test_numpy_integer_padding_means_the_integer(padding):
    x, w = np.ones((4, 4), np.float32), np.ones((3, 3), np.float32)
    np.testing.assert_array_equal(ops.conv2d(x, w, padding=padding), ops.conv2d(x, w, padding=1))


@pytest.mark.parametrize(
    "padding",
    [True, np.True_, ((True, 1), (0, 0)), ((1, 1), (np.False_, 0)), ((1.0, 1), (0, 0)), ((1, 1), ("1", 0))],
)
def test_bools_floats_and_strings_in_padding_are_refused(padding):
    with pytest.raises(TypeError, match=r"padding.*Received: padding="):
        ops.conv2d(np.ones((4, 4), np.float32), np.ones((3, 3), np.float32), padding=padding)


def test_flip_takes_true_or_false_numpy_bools_included():
    x, w = np.arange(16, dtype=np.float32).reshape(4, 4), np.arange(9, dtype=np.float32).reshape(3, 3)
    np.testing.assert_array_equal(ops.conv2d(x, w, flip=np.True_), ops.conv2d(x, w[::-1, ::-1]))
    np.testing.assert_array_equal(ops.conv2d(x, w, flip=np.False_), ops.conv2d(x, w))
    for bad in ("no", 1, None):
        with pytest.raises(TypeError, match=r"flip must be True or False. Received: flip="):
            ops.conv2d(x, w, flip=bad)


@pytest.mark.parametrize("alpha", [np.float32(0.2), 0.2, 1, np.int64(0)])
def test_leaky_relu_alpha_any_real_number_type(alpha):
    x = np.array([-2.0, 3.0], np.float32)
    np.testing.assert_allclose(ops.leaky_relu(x, alpha=alpha), [-2.0 * float(alpha), 3.0], rtol=1e-6)
