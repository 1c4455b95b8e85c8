"""``engine.explain`` against independent references.

Gradients (saliency, Grad-CAM) are checked against central finite differences of a float64 NumPy forward
written here from the layers' definitions (not the engine's kernels). In float64 the differences are accurate
to about 1e-9; the engine's gradients are float32 sums of a few hundred terms, good to a few 1e-7 relative to
the largest entry, so the comparisons use ``atol = 1e-5 * max|reference|`` and ``rtol = 1e-4``. Receptive
fields are checked by hand and against the pixels each cell actually depends on; occlusion against a direct
loop; top patches and shifts against ``model.activations``.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine import config, datasets, explain, layers, losses, zoo
from engine.models import Sequential

BACKENDS = ["reference", "cpu"]


# -- a float64 NumPy forward, layer by layer, from the definitions -------------------------------------------
def _same_pads(n: int, k: int, s: int) -> tuple[int, int]:
    total = max((-(-n // s) - 1) * s + k - n, 0)  # output ceil(n / s) needs (out - 1) * s + k input cells
    return total // 2, total - total // 2


def _pads(padding: str, h: int, w: int, k: tuple[int, int], s: tuple[int, int]) -> tuple[int, ...]:
    if padding == "valid":
        return (0, 0, 0, 0)
    if padding == "full":
        return (k[0] - 1, k[0] - 1, k[1] - 1, k[1] - 1)
    return (*_same_pads(h, k[0], s[0]), *_same_pads(w, k[1], s[1]))


def _windows(x: np.ndarray, k: tuple[int, int], s: tuple[int, int], pads: tuple[int, ...], value: float):
    """``(N, OH, OW, C, KH, KW)`` windows of ``x (N, H, W, C)`` padded with ``value``."""
    t, b, le, r = pads
    xp = np.pad(x, ((0, 0), (t, b), (le, r), (0, 0)), constant_values=value)
    win = np.lib.stride_tricks.sliding_window_view(xp, k, axis=(1, 2))  # (N, H', W', C, KH, KW)
    return win[:, :: s[0], :: s[1]]


def _act(name: str, z: np.ndarray) -> np.ndarray:
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "softmax":
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    assert name == "linear", name
    return z


def np_layer(layer, a: np.ndarray) -> np.ndarray:
    """One layer's inference forward in float64."""
    kind = type(layer).__name__
    if kind == "Conv2D":
        w = layer.params["kernel"].astype(np.float64)
        if layer.flip:
            w = w[::-1, ::-1]
        k, s = layer.kernel_size, layer.strides
        win = _windows(a, k, s, _pads(layer.padding, a.shape[1], a.shape[2], k, s), 0.0)
        z = np.einsum("nijcab,abcf->nijf", win, w)
        if "bias" in layer.params:
            z = z + layer.params["bias"].astype(np.float64)
        return _act(layer.activation, z)
    if kind in ("MaxPooling2D", "AveragePooling2D"):
        k, s = layer.pool_size, layer.strides
        win = _windows(a, k, s, _pads(layer.padding, a.shape[1], a.shape[2], k, s), np.nan)  # padding ignored
        return np.nanmax(win, axis=(4, 5)) if kind == "MaxPooling2D" else np.nanmean(win, axis=(4, 5))
    if kind == "GlobalMaxPooling2D":
        return a.max(axis=(1, 2))
    if kind == "GlobalAveragePooling2D":
        return a.mean(axis=(1, 2))
    if kind == "Flatten":
        return a.reshape(a.shape[0], -1)
    if kind == "Dense":
        z = a @ layer.params["kernel"].astype(np.float64)
        if "bias" in layer.params:
            z = z + layer.params["bias"].astype(np.float64)
        return _act(layer.activation, z)
    if kind in ("Activation", "ReLU", "Softmax"):
        return _act(layer.activation, a)
    assert kind == "Dropout", kind
    return a


def np_forward(model, x: np.ndarray, start: int = 0, stop: int | None = None) -> np.ndarray:
    """Leaves ``start..stop-1`` of ``model`` applied to the float64 batch ``x``."""
    a = np.asarray(x, np.float64)
    for _, layer in list(model.iter_leaves())[start:stop]:
        a = np_layer(layer, a)
    return a


def fd_gradient(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar-per-sample ``f`` (batch -> (N,)) at ``x``, all entries at once."""
    flat = x.reshape(-1).astype(np.float64)
    n = flat.size
    batch = np.repeat(flat[None], 2 * n, axis=0)  # rows 2i: +eps on entry i, rows 2i+1: -eps
    batch[np.arange(0, 2 * n, 2), np.arange(n)] += eps
    batch[np.arange(1, 2 * n, 2), np.arange(n)] -= eps
    values = f(batch.reshape(2 * n, *x.shape))
    return ((values[0::2] - values[1::2]) / (2 * eps)).reshape(x.shape)


def with_random_biases(model: Sequential, seed: int, scale: float = 0.1) -> Sequential:
    """Nonzero biases, so that ReLUs are not all at their kink on blank regions."""
    rng = np.random.default_rng(seed)
    for _, layer in model.iter_leaves():
        if "bias" in layer.params:
            layer.params["bias"][...] = rng.normal(0, scale, layer.params["bias"].shape)
    return model


def model_a(backend: str | None = None, head: list | None = None) -> Sequential:
    """Conv (valid, ReLU) -> 2x2 max pool -> conv (same, 2x3, tanh, flipped) -> Flatten -> Dropout -> Dense.
    The first biases are shifted up so that no pooling window is all dead ReLUs."""
    model = with_random_biases(
        Sequential(
            [
                layers.Conv2D(3, 3, activation="relu", input_shape=(9, 10, 2)),
                layers.MaxPooling2D(2),
                layers.Conv2D(4, (2, 3), padding="same", activation="tanh", flip=True),
                layers.Flatten(),
                layers.Dropout(0.5),
                *(head or [layers.Dense(5)]),
            ],
            seed=3,
            backend=backend,
        ),
        seed=3,
    )
    model.layers[0].params["bias"] += 0.5
    return model


def model_b(backend: str | None = None) -> Sequential:
    """Strided same conv -> overlapping same average pool -> ReLU layer -> global max pool -> two Dense."""
    return with_random_biases(
        Sequential(
            [
                layers.Conv2D(4, 3, strides=2, padding="same", input_shape=(8, 7, 3)),
                layers.AveragePooling2D(2, strides=1, padding="same"),
                layers.ReLU(),
                layers.GlobalMaxPooling2D(),
                layers.Dense(6, activation="relu"),
                layers.Dense(3),
            ],
            seed=4,
            backend=backend,
        ),
        seed=4,
    )


def image(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.0, 1.0, shape).astype(np.float32)


def assert_close_to_reference(got: np.ndarray, want: np.ndarray) -> None:
    scale = float(np.abs(want).max())
    assert scale > 1e-3, "the reference is (almost) zero: the comparison would prove nothing"
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5 * scale)


# -- saliency ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("build", [model_a, model_b], ids=["a", "b"])
def test_saliency_matches_finite_differences(backend, build):
    model = build(backend)
    x = image(model.input_shape, seed=1)
    for c in range(model.output_shape[0]):
        got = explain.saliency(model, x, c)
        grad = fd_gradient(lambda b, c=c: np_forward(model, b)[:, c], x)  # (H, W, C)
        assert got.shape == x.shape[:2] and got.dtype == np.float32
        assert_close_to_reference(got, np.abs(grad).max(axis=-1))


@pytest.mark.parametrize(
    "head",
    [
        [layers.Dense(5, activation="softmax")],
        [layers.Dense(5), layers.Softmax()],
        [layers.Dense(5), layers.Activation("softmax"), layers.Dropout(0.1)],
    ],
    ids=["dense-softmax", "softmax-layer", "activation-then-dropout"],
)
def test_saliency_uses_the_score_before_the_softmax(head):
    logits, probs = model_a(), model_a(head=head)
    probs.set_weights(logits.get_weights())
    assert probs.output_kind == "probabilities" and logits.output_kind == "logits"
    x = image(logits.input_shape, seed=2)
    for c in (0, 3):
        want = np.abs(fd_gradient(lambda b, c=c: np_forward(logits, b)[:, c], x)).max(axis=-1)
        assert_close_to_reference(explain.saliency(probs, x, c), want)
    # the gradient of the probability itself is a different map: the rule above is what the test sees
    p_grad = np.abs(fd_gradient(lambda b: np_forward(probs, b)[:, 0], x)).max(axis=-1)
    assert not np.allclose(explain.saliency(probs, x, 0), p_grad, rtol=1e-2, atol=0)


def test_saliency_of_a_sigmoid_output_uses_the_logit():
    plain = Sequential(
        [layers.Conv2D(2, 3, activation="relu", input_shape=(6, 6, 1)), layers.Flatten()], seed=1
    )
    plain.add(layers.Dense(1))
    sig = Sequential(
        [
            layers.Conv2D(2, 3, activation="relu", input_shape=(6, 6, 1)),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    with_random_biases(plain, 0)
    sig.set_weights(plain.get_weights())
    x = image((6, 6), seed=3)  # a one-channel image without its channel axis
    want = np.abs(fd_gradient(lambda b: np_forward(plain, b[..., None])[:, 0], x))
    assert_close_to_reference(explain.saliency(sig, x, 0), want)


def test_explaining_leaves_the_model_untouched():
    model = model_a(head=[layers.Dense(5, activation="softmax")])
    x = image(model.input_shape)
    probs = model.predict(x[None])
    leaves = [layer for _, layer in model.iter_leaves()]
    model.forward(x[None])  # gradients of an earlier backward pass, as after training
    model.backward(np.ones((1, 5), np.float32))
    before = [{k: g.copy() for k, g in layer.grads.items()} for layer in leaves]
    weights = [w.copy() for w in model.get_weights()]
    explain.saliency(model, x, 1)
    explain.grad_cam(model, x, 1)
    for layer, grads in zip(leaves, before, strict=True):
        assert layer.grads.keys() == grads.keys()
        for k in grads:
            np.testing.assert_array_equal(layer.grads[k], grads[k])
    for w, w0 in zip(model.get_weights(), weights, strict=True):
        np.testing.assert_array_equal(w, w0)
    assert leaves[-1].activation == "softmax"  # only the explanation's copy ran without it
    np.testing.assert_array_equal(model.predict(x[None]), probs)


# -- Grad-CAM ------------------------------------------------------------------------------------------------
def reference_grad_cam(model, x: np.ndarray, c: int, index: int) -> np.ndarray:
    """Grad-CAM from the float64 forward: the maps of leaf ``index`` and finite differences of the class score
    with respect to them."""
    maps = np_forward(model, x[None], 0, index + 1)[0]  # (h, w, K)
    after = list(model.iter_leaves())[index + 1][1]
    if type(after).__name__ == "MaxPooling2D":  # a tie (dead ReLUs) has no derivative: the test would be moot
        win = _windows(maps[None], after.pool_size, after.strides, (0, 0, 0, 0), 0.0)[0]
        win = win.reshape(*win.shape[:3], -1)
        assert ((win == win.max(axis=-1, keepdims=True)).sum(axis=-1) == 1).all(), "max-pool ties in the maps"
    d_maps = fd_gradient(lambda b: np_forward(model, b, index + 1)[:, c], maps)
    cam = np.maximum(maps @ d_maps.mean(axis=(0, 1)), 0.0)
    return cam / cam.max() if cam.max() > 0 else cam


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("build", "layer", "index"),
    [(model_a, None, 2), (model_a, "conv2d", 0), (model_a, 1, 1), (model_b, None, 0), (model_b, "re_lu", 2)],
)
def test_grad_cam_matches_finite_differences(backend, build, layer, index):
    model = build(backend)
    x = image(model.input_shape, seed=5)
    seen_nonzero = False
    for c in range(model.output_shape[0]):
        got = explain.grad_cam(model, x, c, layer=layer)
        want = reference_grad_cam(model, x, c, index)
        assert got.shape == want.shape[:2] and got.dtype == np.float32
        assert got.min() >= 0.0 and got.max() <= 1.0
        np.testing.assert_allclose(got, want, atol=2e-5)
        seen_nonzero |= bool(want.max() > 0)
    assert seen_nonzero


def test_grad_cam_after_global_average_pooling_is_the_class_activation_map():
    """With GAP -> Dense the weights alpha_k are the Dense weights / (h w): Grad-CAM reduces to CAM
    (Zhou et al. 2016), worked by hand here; a class whose weights are all negative gives zeros."""
    model = Sequential(
        [
            layers.Conv2D(2, 3, activation="relu", input_shape=(6, 5, 1)),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2),
        ],
        seed=2,
    )
    with_random_biases(model, 1)
    model.layers[-1].set_weights([np.array([[1.0, -1.0], [2.0, -0.5]]), np.array([0.3, 0.1])])
    x = image((6, 5, 1), seed=7)
    maps = np_forward(model, x[None], 0, 1)[0]  # (4, 3, 2)
    cam = np.maximum(maps[..., 0] + 2.0 * maps[..., 1], 0.0)
    np.testing.assert_allclose(explain.grad_cam(model, x, 0), cam / cam.max(), atol=1e-6)
    np.testing.assert_array_equal(explain.grad_cam(model, x, 1), np.zeros((4, 3), np.float32))


def test_grad_cam_on_a_softmax_model_and_a_nested_base():
    base = Sequential(
        [layers.Conv2D(3, 3, activation="relu", input_shape=(7, 7, 1)), layers.MaxPooling2D(2)],
        name="base",
        seed=8,
    )
    model = Sequential([base, layers.Flatten(), layers.Dense(4, activation="softmax")], seed=8)
    with_random_biases(model, 2)
    base.layers[0].params["bias"] += 0.5  # no pooling window of dead ReLUs
    logits = Sequential(
        [
            layers.Conv2D(3, 3, activation="relu", input_shape=(7, 7, 1)),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(4),
        ]
    )
    logits.set_weights(model.get_weights())
    x = image((7, 7, 1), seed=8)
    for c in range(4):
        want = reference_grad_cam(logits, x, c, 0)
        np.testing.assert_allclose(explain.grad_cam(model, x, c), want, atol=2e-5)
        np.testing.assert_allclose(explain.grad_cam(model, x, c, layer="base/conv2d"), want, atol=2e-5)
        np.testing.assert_allclose(explain.grad_cam(model, x, c, layer=base.layers[0]), want, atol=2e-5)


@pytest.mark.cuda
def test_saliency_and_grad_cam_on_the_cuda_tier():
    before = config.get("cuda_threads_per_block"), config.get("cuda_tile")
    config.set("cuda_threads_per_block", 4)
    config.set("cuda_tile", 3)
    try:

        def build(backend):
            return with_random_biases(
                Sequential(
                    [
                        layers.Conv2D(2, 3, activation="relu", padding="same", input_shape=(6, 6, 1)),
                        layers.MaxPooling2D(2),
                        layers.Flatten(),
                        layers.Dense(3),
                    ],
                    seed=0,
                    backend=backend,
                ),
                0,
            )

        gpu, ref = build("cuda"), build("reference")
        x = image((6, 6, 1), seed=9)
        assert_close_to_reference(explain.saliency(gpu, x, 1), explain.saliency(ref, x, 1))
        np.testing.assert_allclose(explain.grad_cam(gpu, x, 1), explain.grad_cam(ref, x, 1), atol=1e-5)
    finally:
        config.set("cuda_threads_per_block", before[0])
        config.set("cuda_tile", before[1])


# -- occlusion -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("head", "patch", "stride", "fill"),
    [(None, 3, 2, 0.5), ([layers.Dense(5, activation="softmax")], 4, 3, 0.0), (None, 9, 1, -1.0)],
)
def test_occlusion_matches_a_direct_loop(monkeypatch, head, patch, stride, fill):
    monkeypatch.setattr(explain, "_CHUNK", 5)  # several predict batches
    model = model_a(head=head)
    x = image(model.input_shape, seed=4)

    def prob(img):
        out = model.predict(img[None])[0].astype(np.float64)
        if model.output_kind == "logits":
            out = np.exp(out - out.max()) / np.exp(out - out.max()).sum()
        return out[2]

    got = explain.occlusion(model, x, 2, patch=patch, stride=stride, fill=fill)
    h, w = x.shape[:2]
    want = np.empty(((h - patch) // stride + 1, (w - patch) // stride + 1))
    for i in range(want.shape[0]):
        for j in range(want.shape[1]):
            hidden = x.copy()
            hidden[i * stride : i * stride + patch, j * stride : j * stride + patch] = fill
            want[i, j] = prob(x) - prob(hidden)
    assert got.shape == want.shape and got.dtype == np.float32
    assert np.abs(want).max() > 1e-3
    np.testing.assert_allclose(got, want, atol=1e-6)


# -- receptive fields ----------------------------------------------------------------------------------------
def test_receptive_field_of_the_lesson_stack_by_hand():
    model = Sequential(
        [
            layers.Conv2D(2, 3, input_shape=(28, 28, 1)),
            layers.MaxPooling2D(2),
            layers.Conv2D(2, 3, activation="relu"),
            layers.Dropout(0.2),
            layers.Flatten(),
            layers.Dense(3),
        ]
    )
    fields = dict(explain.receptive_fields(model))
    assert fields["conv2d"] == (3, 3, 1, 1)
    assert fields["max_pooling2d"] == (4, 4, 2, 2)
    assert explain.receptive_field(model, "conv2d_1") == (8, 8, 2, 2)
    assert explain.receptive_field(model, "dropout") == (8, 8, 2, 2)  # no geometry: passes through
    assert explain.receptive_field(model, "flatten") == (28, 28, 28, 28)  # the whole input
    assert explain.receptive_field(model, -1) == (28, 28, 28, 28)
    # valid layers: cell (i, j) sees rows 2i .. 2i + 7
    assert explain.receptive_box(model, "conv2d_1", 3, 5) == (6, 10, 14, 18)
    assert explain.receptive_box(model, "dense", 0, 0) == (0, 0, 28, 28)


def test_receptive_field_with_strides_and_rectangular_windows_by_hand():
    model = Sequential(
        [
            layers.Conv2D(1, (5, 3), strides=2, input_shape=(41, 37, 1)),  # 5x3, jump 2
            layers.MaxPooling2D(3, strides=2),  # 5 + 2*2 = 9, 3 + 2*2 = 7, jump 4
            layers.Conv2D(1, (3, 1)),  # 9 + 2*4 = 17, 7 + 0 = 7, jump 4
            layers.AveragePooling2D((1, 2)),  # 17, 7 + 1*4 = 11; jumps 4, 8
            layers.GlobalMaxPooling2D(),
        ]
    )
    got = [f for _, f in explain.receptive_fields(model)]
    assert got == [(5, 3, 2, 2), (9, 7, 4, 4), (17, 7, 4, 4), (17, 11, 4, 8), (41, 37, 41, 37)]


def test_same_padding_shifts_the_boxes_by_hand():
    model = Sequential(
        [
            layers.Conv2D(1, 3, padding="same", input_shape=(10, 9, 1)),  # pad 1: cell (0, 0) sees -1..1
            layers.MaxPooling2D(2),  # sees -1..2, jump 2
            layers.Conv2D(1, 3, padding="same"),  # pad 1 at jump 2: starts at -1 - 2 = -3, size 8
        ]
    )
    assert explain.receptive_box(model, 0, 0, 0) == (-1, -1, 2, 2)
    assert explain.receptive_box(model, 0, 0, 0, clip=True) == (0, 0, 2, 2)
    assert explain.receptive_box(model, 1, 0, 0) == (-1, -1, 3, 3)
    assert explain.receptive_box(model, 2, 0, 0) == (-3, -3, 5, 5)
    assert explain.receptive_box(model, 2, 1, 2) == (-1, 1, 7, 9)
    assert explain.receptive_box(model, 2, 4, 3, clip=True) == (5, 3, 10, 9)
    # 'same' at stride 2 pads by how the size divides: on 9 rows 1 at the top, on 10 rows none
    odd = Sequential([layers.Conv2D(1, 3, strides=2, padding="same", input_shape=(9, 10, 1))])
    assert explain.receptive_box(odd, 0, 1, 1) == (1, 2, 4, 5)
    # even kernels put the extra padding at the bottom/right: a 4x4 'same' window starts 1 above
    even = Sequential([layers.Conv2D(1, 4, padding="same", input_shape=(6, 6, 1))])
    assert explain.receptive_box(even, 0, 0, 0) == (-1, -1, 3, 3)


@pytest.mark.parametrize(
    "stack",
    [
        [("conv", 3, 1, "same"), ("avg", 2, 2, "valid"), ("conv", 3, 1, "same")],
        [("conv", 4, 2, "same"), ("avg", 3, 1, "same"), ("conv", 2, 1, "valid")],
        [("conv", 3, 2, "valid"), ("avg", 2, 2, "same"), ("conv", 3, 2, "same")],
        [("conv", 2, 1, "full"), ("conv", 3, 3, "same")],
    ],
)
def test_boxes_equal_the_pixels_each_cell_depends_on(stack):
    """Perturb one input pixel at a time (positive linear layers, average pooling: every window cell counts)
    and compare the rows/columns each output cell reacts to with its clipped box."""
    model = Sequential(seed=0)
    for i, (kind, k, s, pad) in enumerate(stack):
        extra = {"input_shape": (11, 9, 1)} if i == 0 else {}
        if kind == "conv":
            model.add(layers.Conv2D(1, k, strides=s, padding=pad, use_bias=False, **extra))
            model.layers[-1].params["kernel"][...] = 1.0
        else:
            model.add(layers.AveragePooling2D(k, strides=s, padding=pad, **extra))
    h, w = 11, 9
    base = np_forward(model, np.zeros((1, h, w, 1)))
    probes = np.zeros((h * w, h, w, 1))
    probes[np.arange(h * w), np.repeat(np.arange(h), w), np.tile(np.arange(w), h), 0] = 1.0
    reacts = np.abs(np_forward(model, probes) - base)[..., 0] > 0  # (pixel, oh, ow)
    for i in range(reacts.shape[1]):
        for j in range(reacts.shape[2]):
            rows, cols = np.divmod(np.flatnonzero(reacts[:, i, j]), w)
            want = (rows.min(), cols.min(), rows.max() + 1, cols.max() + 1)
            assert explain.receptive_box(model, len(stack) - 1, i, j, clip=True) == want, (i, j)


def test_receptive_fields_of_a_model_taking_any_size():
    model = zoo.build("lesson_gmp", (None, None, 1), 10)
    assert explain.receptive_field(model, "conv2d_2") == (18, 18, 4, 4)
    with pytest.raises(ValueError, match=r"accepts any image size: pass input_hw=\(H, W\)"):
        explain.receptive_field(model, "global_max_pooling2d")
    assert explain.receptive_field(model, "global_max_pooling2d", input_hw=(40, 36)) == (40, 36, 40, 36)
    assert explain.receptive_box(model, "conv2d_2", 1, 1, input_hw=(40, 40)) == (-3, -3, 15, 15)
    with pytest.raises(ValueError, match="accepts any image size"):
        explain.receptive_box(model, "conv2d_2", 1, 1)


# -- top patches ---------------------------------------------------------------------------------------------
def _all_boxes(model, layer: str) -> dict[tuple[int, ...], tuple[int, int]]:
    """Every cell of ``layer`` by its clipped box."""
    out = {}
    grid = dict(model.iter_leaves())[layer].output_shape[:2]
    for i in range(grid[0]):
        for j in range(grid[1]):
            out[explain.receptive_box(model, layer, i, j, clip=True)] = (i, j)
    return out


@pytest.mark.parametrize(("layer", "channel"), [("conv2d_1", 2), ("max_pooling2d", 0), ("conv2d", 1)])
def test_top_patches_are_the_strongest_cells_with_their_boxes(monkeypatch, layer, channel):
    monkeypatch.setattr(explain, "_CHUNK", 4)  # the running top-k crosses several batches
    model = model_a()
    images = image((13, *model.input_shape), seed=11)
    acts = dict(model.activations(images))[layer][..., channel]  # (13, h, w)
    boxes = _all_boxes(model, layer)
    assert len(boxes) == acts.shape[1] * acts.shape[2]  # clipped boxes tell the cells apart
    patches = explain.top_patches(model, images, layer, channel, k=7)
    assert len(patches) == 7
    np.testing.assert_array_equal([p.activation for p in patches], np.sort(acts.reshape(-1))[::-1][:7])
    for n, box, value in patches:
        i, j = boxes[box]
        assert value == acts[n, i, j]
    everything = explain.top_patches(model, images, layer, channel, k=10_000)
    assert len(everything) == acts.size


def test_top_patches_break_ties_by_image_then_position_and_handle_vectors():
    model = Sequential(
        [layers.Conv2D(2, 3, activation="relu", input_shape=(6, 6, 1)), layers.Flatten(), layers.Dense(3)],
        seed=9,
    )
    model.layers[0].params["bias"][:] = [-100.0, 0.0]  # channel 0 is dead: every cell is 0
    images = image((3, 6, 6, 1), seed=12)
    got = explain.top_patches(model, images, "conv2d", 0, k=3)
    assert [(p.image_index, p.box, p.activation) for p in got] == [
        (0, (0, 0, 3, 3), 0.0),
        (0, (0, 1, 3, 4), 0.0),
        (0, (0, 2, 3, 5), 0.0),
    ]
    dense = dict(model.activations(images))["dense"][:, 1]
    got = explain.top_patches(model, images, "dense", 1, k=2)
    assert [p.image_index for p in got] == list(np.argsort(-dense)[:2])
    assert all(p.box == (0, 0, 6, 6) for p in got)


# -- shifts --------------------------------------------------------------------------------------------------
def test_shift_image_by_hand():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    np.testing.assert_array_equal(explain.shift_image(x, 1, -1), [[0, 0, 0, 0], [1, 2, 3, 0], [5, 6, 7, 0]])
    np.testing.assert_array_equal(explain.shift_image(x, -2, 2), [[0, 0, 8, 9], [0, 0, 0, 0], [0, 0, 0, 0]])
    np.testing.assert_array_equal(explain.shift_image(x, 0, 0), x)
    assert not explain.shift_image(x, 3, 0).any() and not explain.shift_image(x, 0, -9).any()
    rgb = np.stack([x, -x], axis=-1)
    np.testing.assert_array_equal(explain.shift_image(rgb, 1, 1)[..., 1], -explain.shift_image(x, 1, 1))


def test_a_zero_shift_changes_nothing():
    model = model_a(head=[layers.Dense(5, activation="softmax")])
    x = image(model.input_shape, seed=13)
    (resp,) = explain.shift_response(model, x, [(0, 0)])
    assert resp.shift == (0, 0)
    assert [c.changed for c in resp.layers] == [0] * len(model.layers)
    assert [c.relative_change for c in resp.layers] == [0.0] * len(model.layers)
    assert [c.name for c in resp.layers] == [n for n, _ in model.iter_leaves()]
    probs = model.predict(x[None])[0]
    assert resp.predicted == int(np.argmax(probs))
    assert resp.probability == pytest.approx(float(probs.max()), abs=1e-6)
    for change, (_, want) in zip(resp.layers, model.activations(x[None]), strict=True):
        np.testing.assert_allclose(change.output, want[0], atol=1e-6)


def _centred_blob(shape: tuple[int, int, int], margin: int, seed: int) -> np.ndarray:
    x = np.zeros(shape, np.float32)
    x[margin:-margin, margin:-margin] = image((shape[0] - 2 * margin, shape[1] - 2 * margin, shape[2]), seed)
    return x


@pytest.mark.parametrize("shift", [(1, 0), (0, -1), (-1, 1), (2, 2)])
def test_a_conv_stack_is_equivariant_shifts_change_the_predicted_cells(shift):
    """Content far from the border: a 'same' conv stack's maps move with the image (the lesson's
    equivariance), so the values that change are exactly where a map differs from itself moved by the shift
    (and a 2x2 pooling moves by half the shift when it is even)."""
    model = with_random_biases(
        Sequential(
            [
                layers.Conv2D(3, 3, padding="same", activation="relu", input_shape=(16, 16, 2)),
                layers.Conv2D(2, 3, padding="same", activation="tanh"),
                layers.MaxPooling2D(2),
            ],
            seed=5,
        ),
        5,
    )
    x = _centred_blob((16, 16, 2), margin=5, seed=14)
    (resp,) = explain.shift_response(model, x, [shift])
    assert resp.predicted is None and resp.probability is None
    ref = dict(model.activations(x[None]))
    for change in resp.layers:
        a0 = ref[change.name][0]
        step = shift if change.name != "max_pooling2d" else (shift[0] // 2, shift[1] // 2)
        if change.name == "max_pooling2d" and (shift[0] % 2 or shift[1] % 2):
            continue  # an odd shift regroups the pooling windows: no prediction by moving
        moved = np.roll(a0, step, axis=(0, 1))
        np.testing.assert_allclose(change.output, moved, atol=1e-6)
        predicted = int((np.abs(moved - a0) > 1e-5 * np.abs(a0).max()).sum())
        assert change.changed == predicted
        assert change.total == a0.size and change.share == pytest.approx(predicted / a0.size)
        want = np.linalg.norm(moved.astype(np.float64) - a0) / np.linalg.norm(a0)
        assert change.relative_change == pytest.approx(want, rel=1e-4)
    assert resp.layers[0].changed > 0


def test_global_max_pooling_forgets_a_small_shift():
    model = with_random_biases(
        Sequential(
            [
                layers.Conv2D(4, 3, padding="same", activation="relu", input_shape=(14, 14, 1)),
                layers.GlobalMaxPooling2D(),
                layers.Dense(3),
            ],
            seed=6,
        ),
        6,
    )
    x = _centred_blob((14, 14, 1), margin=4, seed=15)
    responses = explain.shift_response(model, x, [(1, 0), (-2, 3), (0, 0)])
    for resp in responses:
        assert resp.layer("global_max_pooling2d").changed == 0 and resp.layer("dense").changed == 0
        assert resp.layer("dense").relative_change == 0.0
        assert resp.predicted == responses[-1].predicted
    assert responses[0].layer("conv2d").changed > 0
    with pytest.raises(KeyError, match="no layer named 'nope'"):
        responses[0].layer("nope")


# -- a trained digits model ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def digits_model():
    (x_train, y_train), (x_test, _) = datasets.load_digits()
    model = zoo.build("small", (28, 28, 1), 10, seed=0)
    model.compile("adam", loss=losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x_train.astype(np.float32) / 255.0, y_train, epochs=1, batch_size=32, verbose=0, seed=0)
    return model, x_test[:60].astype(np.float32) / 255.0


def _dilate(mask: np.ndarray) -> np.ndarray:
    out = mask.copy()
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            out |= explain.shift_image(mask, dy, dx) > 0
    return out


def test_saliency_of_a_trained_digits_model_sits_on_the_stroke(digits_model):
    """Measured over 5 seeds x 2 optimizers: 56-76 % of the saliency mass lies within 1 px of the ink, which
    covers about 29 % of the image; the worst single image still has 1.6x its area's share."""
    model, x = digits_model
    predicted = np.argmax(model.predict(x), axis=1)
    shares, areas = [], []
    for img, c in zip(x, predicted, strict=True):
        sal = explain.saliency(model, img, int(c))
        near_ink = _dilate(img[..., 0] > 0.3)
        shares.append(sal[near_ink].sum() / sal.sum())
        areas.append(near_ink.mean())
    shares_a, areas_a = np.array(shares), np.array(areas)
    assert shares_a.mean() > 0.5 > areas_a.mean()
    assert (shares_a / areas_a).min() > 1.2


def test_hiding_the_stroke_of_a_trained_digit_costs_its_probability(digits_model):
    """Measured: the largest drop per image has a median of 0.36-0.42 over 3 seeds (an untrained network:
    0.01); hiding blank regions with the background value changes nothing."""
    model, x = digits_model
    predicted = np.argmax(model.predict(x[:20]), axis=1)
    drops = []
    for img, c in zip(x[:20], predicted, strict=True):
        occ = explain.occlusion(model, img, int(c), patch=6, stride=2)
        blank = np.array(
            [[not img[2 * i : 2 * i + 6, 2 * j : 2 * j + 6].any() for j in range(12)] for i in range(12)]
        )
        assert np.abs(occ[blank]).max(initial=0.0) < 1e-6
        drops.append(occ.max())
    assert np.median(drops) > 0.15


# -- errors --------------------------------------------------------------------------------------------------
def test_bad_arguments_get_clear_errors():
    model = model_a()
    x = image(model.input_shape)
    with pytest.raises(ValueError, match=r"class_index must be in \[0, 4\] \(the model has 5 outputs\)\. "):
        explain.saliency(model, x, 5)
    with pytest.raises(ValueError, match="class_index must be in"):
        explain.grad_cam(model, x, -1)
    with pytest.raises(TypeError, match=r"class_index must be an int\. Received: class_index=True"):
        explain.occlusion(model, x, True)
    with pytest.raises(TypeError, match="class_index must be an int"):
        explain.saliency(model, x, 1.5)
    with pytest.raises(
        ValueError, match=r"x must have shape \(9, 10, 2\) for model .*Received shape: \(1, 9, 10, 2\)"
    ):
        explain.saliency(model, x[None], 0)
    with pytest.raises(ValueError, match=r"Received shape: \(9, 10, 3\)"):
        explain.grad_cam(model, np.zeros((9, 10, 3)), 0)
    with pytest.raises(ValueError, match="x contains NaN or inf"):
        explain.saliency(model, np.full((9, 10, 2), np.nan), 0)
    with pytest.raises(TypeError, match="x must be a numeric array"):
        explain.saliency(model, np.full((9, 10, 2), "a"), 0)
    with pytest.raises(TypeError, match=r"model must be an engine Sequential\. Received: str"):
        explain.saliency("model", x, 0)
    with pytest.raises(ValueError, match=r"no layer named 'conv9' in model .*Layers: \['conv2d'"):
        explain.grad_cam(model, x, 0, layer="conv9")
    with pytest.raises(ValueError, match=r"layer must be in \[-6, 5\] \(model .* has 6 layers\)"):
        explain.receptive_field(model, 6)
    with pytest.raises(
        ValueError, match=r"grad_cam needs a layer with feature maps .*'flatten' outputs shape"
    ):
        explain.grad_cam(model, x, 0, layer="flatten")
    flat = Sequential([layers.Flatten(input_shape=(4, 4, 1)), layers.Dense(2)])
    with pytest.raises(ValueError, match=r"grad_cam needs a convolutional layer, and model .* has none"):
        explain.grad_cam(flat, np.zeros((4, 4, 1)), 0)
    with pytest.raises(
        ValueError, match=r"patch must be in \[1, 9\] \(the image is 9x10\)\. Received: patch=0"
    ):
        explain.occlusion(model, x, 0, patch=0)
    with pytest.raises(ValueError, match="patch must be in"):
        explain.occlusion(model, x, 0, patch=10)
    with pytest.raises(ValueError, match=r"stride must be >= 1\. Received: stride=0"):
        explain.occlusion(model, x, 0, stride=0)
    with pytest.raises(ValueError, match="fill must be a finite number"):
        explain.occlusion(model, x, 0, fill=np.inf)
    convs = Sequential([layers.Conv2D(2, 3, input_shape=(5, 5, 1))])
    with pytest.raises(ValueError, match=r"saliency needs a model whose output is a vector .*\(3, 3, 2\)"):
        explain.saliency(convs, np.zeros((5, 5, 1)), 0)
    images = image((2, *model.input_shape))
    with pytest.raises(ValueError, match=r"channel must be in \[0, 3\] \(layer 'conv2d_1' has 4 channels\)"):
        explain.top_patches(model, images, "conv2d_1", 4)
    with pytest.raises(ValueError, match=r"k must be >= 1\. Received: k=0"):
        explain.top_patches(model, images, "conv2d_1", 0, k=0)
    with pytest.raises(ValueError, match=r"images must have shape \(N, 9, 10, 2\)"):
        explain.top_patches(model, x, "conv2d_1", 0)
    with pytest.raises(ValueError, match="images is empty"):
        explain.top_patches(model, images[:0], "conv2d_1", 0)
    with pytest.raises(ValueError, match=r"i must be in \[0, 2\] \(layer 'conv2d' has 3 rows\)"):
        explain.receptive_box(Sequential([layers.Conv2D(1, 3, input_shape=(5, 6, 1))]), "conv2d", 3, 0)
    with pytest.raises(ValueError, match=r"model .* takes 9x10 images\. Received: input_hw=\(9, 9\)"):
        explain.receptive_field(model, 0, input_hw=(9, 9))
    with pytest.raises(ValueError, match=r"each shift must be a pair \(dy, dx\) of ints\. Received: 1"):
        explain.shift_response(model, x, (1, 2))
    with pytest.raises(ValueError, match="shifts is empty"):
        explain.shift_response(model, x, [])
    with pytest.raises(TypeError, match="dx must be an int"):
        explain.shift_response(model, x, [(1, 0.5)])
    with pytest.raises(ValueError, match=r"x must have shape \(H, W\) or \(H, W, C\)"):
        explain.shift_image(np.zeros(4), 1, 0)
