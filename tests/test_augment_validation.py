"""engine.augment refuses what would give a wrong picture: truthy strings as flips, non-finite transform
parameters (NaN maps turned every pixel into NaN), and arguments of the wrong type, naming the argument."""

from __future__ import annotations

import numpy as np
import pytest

from engine.augment import ImageAugmenter, affine_warp, transform_matrices

X = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)


@pytest.mark.parametrize("name", ["horizontal_flip", "vertical_flip"])
@pytest.mark.parametrize("value", ["no", "False", 1, None, [True]])
def test_flips_must_be_booleans(name, value):
    with pytest.raises(TypeError, match=rf"{name} must be True or False. Received: {name}="):
        ImageAugmenter(**{name: value})


def test_flips_accept_numpy_booleans():
    assert ImageAugmenter(horizontal_flip=np.bool_(True)).horizontal_flip is True


@pytest.mark.parametrize("cval", ["a", None, [0.0], np.nan, np.inf])
def test_cval_must_be_a_finite_number(cval):
    with pytest.raises((TypeError, ValueError), match=r"cval must be a finite number. Received: cval="):
        ImageAugmenter(cval=cval)
    with pytest.raises((TypeError, ValueError), match=r"cval must be a finite number. Received: cval="):
        affine_warp(X, np.eye(2, 3), cval=cval)


def test_seed_must_be_a_non_negative_int():
    with pytest.raises(ValueError, match=r"seed must be an int >= 0 or None. Received: seed=-1"):
        ImageAugmenter(seed=-1)


@pytest.mark.parametrize("key", ["theta", "tx", "ty", "shear", "zx", "zy"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_transform_parameters_must_be_finite(key, bad):
    with pytest.raises(ValueError, match=rf"{key} must be finite.*Received"):
        transform_matrices(
            {key: np.array([0.0, bad]) if key not in ("zx", "zy") else np.array([1.0, bad])}, 2
        )


def test_inverse_maps_must_be_finite():
    with pytest.raises(ValueError, match=r"inverse must hold finite numbers"):
        affine_warp(X, np.full((2, 3), np.nan))


def test_flow_labels_must_be_one_per_image():
    aug = ImageAugmenter()
    with pytest.raises(ValueError, match=r"y must hold one label per image.*Received shape: \(\)"):
        aug.flow(X, 3)
    with pytest.raises(ValueError, match=r"x and y must hold as many samples"):
        aug.flow(X, np.array([1, 2]))


def test_valid_arguments_still_work():
    aug = ImageAugmenter(rotation_range=10, horizontal_flip=True, cval=np.float32(0.5), seed=np.int64(3))
    out = aug.apply(X)
    assert out.shape == X.shape and np.isfinite(out).all()
    np.testing.assert_array_equal(affine_warp(X, np.array([[1.0, 0, 0], [0, 1.0, 0]])), X)
