"""engine.augment: the affine warp against np.rot90 / flips / hand-worked fills and scipy.ndimage."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from engine.augment import ImageAugmenter, affine_warp, transform_matrices

LESSON = dict(
    rotation_range=40,
    width_shift_range=0.2,
    height_shift_range=0.2,
    shear_range=0.2,
    zoom_range=0.2,
    horizontal_flip=True,
)


def _batch(rng, n=3, h=7, w=7, c=2):
    return rng.random((n, h, w, c)).astype(np.float32)


def test_zero_ranges_give_the_input_back(rng):
    x = _batch(rng)
    aug = ImageAugmenter(seed=0)
    assert aug.is_identity
    out = aug.apply(x)
    np.testing.assert_array_equal(out, x)
    assert out is not x
    # the kernel itself is exact for the identity map
    np.testing.assert_array_equal(aug.apply_transform(x, {}), x)


@pytest.mark.parametrize("size", [5, 6])
@pytest.mark.parametrize("theta, k", [(90, 1), (-90, -1), (180, 2)])
def test_right_angle_rotation_matches_rot90(rng, size, theta, k):
    x = _batch(rng, h=size, w=size)
    out = ImageAugmenter().apply_transform(x, {"theta": theta})
    np.testing.assert_allclose(out, np.rot90(x, k=k, axes=(1, 2)), atol=1e-6)


def test_rotation_is_counter_clockwise_on_screen():
    x = np.zeros((1, 5, 5, 1), np.float32)
    x[0, 2, 4, 0] = 1.0  # a dot right of the centre
    out = ImageAugmenter().apply_transform(x, {"theta": 90})
    assert out[0, 0, 2, 0] == pytest.approx(1.0)  # ends up above the centre


def test_flips_match_slicing(rng):
    x = _batch(rng, h=4, w=6)
    aug = ImageAugmenter()
    np.testing.assert_array_equal(aug.apply_transform(x, {"flip_horizontal": True}), x[:, :, ::-1])
    np.testing.assert_array_equal(aug.apply_transform(x, {"flip_vertical": True}), x[:, ::-1])
    # horizontal_flip=True flips about half of the images, each exactly
    flipper = ImageAugmenter(horizontal_flip=True, seed=3)
    out = flipper.apply(np.repeat(x[:1], 40, axis=0))
    flipped = [np.array_equal(o, x[0, :, ::-1]) for o in out]
    same = [np.array_equal(o, x[0]) for o in out]
    assert all(f or s for f, s in zip(flipped, same, strict=True))
    assert 8 <= sum(flipped) <= 32


@pytest.mark.parametrize(
    "mode, expected",
    [
        ("nearest", [1, 1, 1, 2]),
        ("constant", [9, 9, 1, 2]),
        ("reflect", [2, 1, 1, 2]),
        ("wrap", [3, 4, 1, 2]),
    ],
)
def test_fill_modes_hand_worked(mode, expected):
    x = np.array([1, 2, 3, 4], np.float32).reshape(1, 1, 4, 1)
    out = affine_warp(x, transform_matrices({"tx": 2.0}, 1), fill_mode=mode, cval=9.0)
    np.testing.assert_array_equal(out[0, 0, :, 0], expected)


def test_half_pixel_shift_is_bilinear():
    x = np.array([0, 2, 4, 6], np.float32).reshape(1, 1, 4, 1)
    out = affine_warp(x, transform_matrices({"tx": 0.5}, 1), fill_mode="nearest")
    np.testing.assert_allclose(out[0, 0, :, 0], [0, 1, 3, 5])


_SCIPY_MODE = {"nearest": "nearest", "constant": "grid-constant", "reflect": "reflect", "wrap": "grid-wrap"}


@pytest.mark.parametrize("mode", list(_SCIPY_MODE))
def test_random_transforms_match_scipy_affine_transform(rng, mode):
    x = _batch(rng, n=4, h=9, w=8, c=2)
    aug = ImageAugmenter(
        rotation_range=60,
        width_shift_range=0.3,
        height_shift_range=2,
        shear_range=20,
        zoom_range=(0.7, 1.4),
        horizontal_flip=True,
        vertical_flip=True,
        fill_mode=mode,
        cval=0.5,
        seed=1,
    )
    params = aug.random_params(4, 9, 8)
    out = aug.apply_transform(x, params)
    inv = transform_matrices(params, 4)
    centre = np.array([(9 - 1) / 2, (8 - 1) / 2])
    for b in range(4):
        a, t = inv[b, :, :2], inv[b, :, 2]
        offset = t + centre - a @ centre  # scipy maps raw output indices to input indices
        for ch in range(2):
            ref = ndimage.affine_transform(
                x[b, :, :, ch].astype(np.float64), a, offset=offset, order=1, mode=_SCIPY_MODE[mode], cval=0.5
            )
            np.testing.assert_allclose(out[b, :, :, ch], ref, atol=1e-5)


def test_outputs_stay_in_range_and_keep_dtype(rng):
    x8 = rng.integers(20, 200, (5, 12, 12, 1), dtype=np.uint8)
    out8 = ImageAugmenter(**LESSON, seed=0).apply(x8)
    assert out8.dtype == np.uint8 and out8.shape == x8.shape
    assert out8.min() >= x8.min() and out8.max() <= x8.max()
    xf = rng.random((5, 12, 12, 3)).astype(np.float32)
    outf = ImageAugmenter(**LESSON, seed=0).apply(xf)
    assert outf.dtype == np.float32 and outf.shape == xf.shape
    assert outf.min() >= xf.min() and outf.max() <= xf.max()
    assert not np.array_equal(outf, xf)


def test_seeded_runs_repeat(rng):
    x = _batch(rng, n=6)
    a = ImageAugmenter(**LESSON, seed=42)
    b = ImageAugmenter(**LESSON, seed=42)
    first, second = a.apply(x), a.apply(x)
    np.testing.assert_array_equal(first, b.apply(x))
    np.testing.assert_array_equal(second, b.apply(x))
    assert not np.array_equal(first, second)  # a new draw per call
    assert not np.array_equal(first, ImageAugmenter(**LESSON, seed=7).apply(x))


def test_shift_fraction_and_pixels():
    aug = ImageAugmenter(width_shift_range=0.25, height_shift_range=3, seed=0)
    p = aug.random_params(500, 10, 20)
    assert np.abs(p["tx"]).max() <= 5.0 and np.abs(p["tx"]).max() > 4.5  # 0.25 * width
    assert np.abs(p["ty"]).max() <= 3.0 and np.abs(p["ty"]).max() > 2.5  # pixels


def test_flow_covers_each_epoch_and_keeps_labels():
    n = 10
    x = np.arange(n, dtype=np.float32).reshape(n, 1, 1, 1) * np.ones((1, 4, 4, 1), np.float32)
    y = np.arange(n)
    flow = ImageAugmenter(rotation_range=30, seed=0).flow(x, y, batch_size=4)
    assert len(flow) == 3
    for _epoch in range(2):
        seen = []
        for _ in range(len(flow)):
            xb, yb = next(flow)
            np.testing.assert_allclose(xb[:, 0, 0, 0], yb)  # constant images keep their value
            seen.extend(yb.tolist())
        assert sorted(seen) == list(range(n))
    only_x = ImageAugmenter().flow(x, batch_size=3, shuffle=False)
    np.testing.assert_array_equal(next(only_x), x[:3])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"rotation_range": -1}, "rotation_range must be"),
        ({"zoom_range": 1.5}, "zoom_range"),
        ({"zoom_range": (1, 2, 3)}, "zoom_range"),
        ({"fill_mode": "mirror"}, "fill_mode must be one of"),
        ({"shear_range": float("nan")}, "shear_range"),
        ({"cval": float("inf")}, "cval"),
    ],
)
def test_constructor_validates(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ImageAugmenter(**kwargs)


def test_bad_inputs():
    aug = ImageAugmenter(rotation_range=10)
    with pytest.raises(ValueError, match=r"\(N, H, W, C\)"):
        aug.apply(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="unknown transform parameters"):
        aug.apply_transform(np.zeros((1, 2, 2, 1)), {"angle": 3})
    with pytest.raises(ValueError, match="batch_size"):
        aug.flow(np.zeros((2, 2, 2, 1)), batch_size=0)
    with pytest.raises(ValueError, match="as many samples"):
        aug.flow(np.zeros((2, 2, 2, 1)), np.zeros(3))
    assert ImageAugmenter(**ImageAugmenter(**LESSON, seed=1).get_config()).get_config()["seed"] == 1


def test_fit_calls_the_augmenter_on_every_batch(rng):
    from engine import losses, zoo

    class Counting(ImageAugmenter):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.batches = []

        def apply(self, x):
            out = super().apply(x)
            self.batches.append((np.asarray(x).copy(), out))
            return out

    x = rng.random((10, 8, 8, 1)).astype(np.float32)
    y = np.arange(10) % 2
    model = zoo.build("small", (8, 8, 1), 2, seed=0)
    model.compile("sgd", losses.SparseCategoricalCrossentropy(from_logits=True))
    aug = Counting(rotation_range=30, seed=0)
    model.fit(x, y, epochs=2, batch_size=4, verbose=0, seed=0, augment=aug)
    assert [b[0].shape[0] for b in aug.batches] == [4, 4, 2] * 2
    assert all(out.shape == inp.shape and not np.array_equal(out, inp) for inp, out in aug.batches)


@pytest.mark.parametrize("mode", range(4))
def test_parallel_and_serial_kernels_agree(rng, mode):
    from engine._augment_kernel import warp_affine, warp_affine_serial

    x = _batch(rng, n=5, h=6, w=9, c=3)
    aug = ImageAugmenter(**LESSON, seed=mode)
    inv = np.ascontiguousarray(transform_matrices(aug.random_params(5, 6, 9), 5))
    np.testing.assert_array_equal(warp_affine(x, inv, mode, 0.25), warp_affine_serial(x, inv, mode, 0.25))


def test_kernel_choice_follows_the_batch_size(rng, monkeypatch):
    import engine.augment as augment_mod

    def refuse(*_args):
        raise AssertionError("this kernel must not be used here")

    x = _batch(rng, n=2, h=5, w=5, c=1)
    inv = transform_matrices({"theta": 90}, 2)
    monkeypatch.setattr(augment_mod, "warp_affine", refuse)
    small = augment_mod.affine_warp(x, inv)  # 50 values: the serial kernel
    monkeypatch.undo()
    monkeypatch.setattr(augment_mod, "warp_affine_serial", refuse)
    monkeypatch.setattr(augment_mod, "PARALLEL_THRESHOLD", 50)
    np.testing.assert_array_equal(augment_mod.affine_warp(x, inv), small)  # at the threshold: parallel
    np.testing.assert_allclose(small, np.rot90(x, axes=(1, 2)), atol=1e-6)
