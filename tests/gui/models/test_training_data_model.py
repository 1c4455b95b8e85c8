"""The Training tab's Qt-free side: data sets in grey or colour at any size (CIFAR-10 batches, colour
folders),
the augmentation settings and their preview, and how the engine settles its backend at start."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from PIL import Image

from gui.models import augmentation as aug
from gui.models import backend
from gui.models.data import convert_images, default_format, fit_image, load_lab_data


# ----------------------------------------------------------------------------------------------- data
def test_grey_to_colour_repeats_and_colour_to_grey_is_pillows_luminance(rng):
    rgb = rng.integers(0, 256, (4, 6, 5, 3), dtype=np.uint8)
    grey = convert_images(rgb, "grayscale", (6, 5))
    assert grey.shape == (4, 6, 5, 1) and grey.dtype == np.uint8
    for i in range(4):  # Pillow's "L" conversion is the independent reference (ITU-R 601-2, rounded)
        expected = np.asarray(Image.fromarray(rgb[i]).convert("L"))
        assert np.abs(grey[i, ..., 0].astype(int) - expected).max() <= 1
    back = convert_images(grey, "rgb", (6, 5))
    assert back.shape == (4, 6, 5, 3)
    np.testing.assert_array_equal(back[..., 0], back[..., 2])
    np.testing.assert_array_equal(back[..., 1], grey[..., 0])
    assert convert_images(rgb, "rgb", (6, 5)) is rgb  # nothing to do: no copy


def test_resizing_keeps_a_constant_image_constant_and_the_size_is_height_by_width():
    x = np.full((2, 10, 10, 3), 77, np.uint8)
    out = convert_images(x, "rgb", (12, 20))
    assert out.shape == (2, 12, 20, 3)
    assert (out == 77).all()
    with pytest.raises(ValueError, match="color_mode must be one of"):
        convert_images(x, "cmyk", (4, 4))


def test_digits_in_colour_at_another_size():
    d = load_lab_data("digits", 60, 20, color_mode="rgb", image_size=(20, 24))
    assert d.input_shape == (20, 24, 3)
    assert d.x_train.dtype == np.float32 and d.x_train.min() >= 0.0 and d.x_train.max() <= 1.0
    assert default_format("digits") == ("grayscale", (28, 28))
    assert default_format("cifar10") == ("rgb", (32, 32))
    with pytest.raises(ValueError, match="image_size must be"):
        load_lab_data("digits", 10, 10, image_size=(2, 600))


def _cifar_batch(n: int, seed: int) -> tuple[bytes, np.ndarray, np.ndarray]:
    r = np.random.default_rng(seed)
    images = r.integers(0, 256, (n, 32, 32, 3), dtype=np.uint8)
    labels = [int(v) for v in r.integers(0, 10, n)]
    data = images.transpose(0, 3, 1, 2).reshape(n, 3072)  # CIFAR's rows: all red, then green, then blue
    raw = pickle.dumps({b"labels": labels, b"data": data}, protocol=2)
    return raw, images, np.array(labels)


def test_cifar10_batches_load_as_colour(tmp_path):
    raw_train, x_train, y_train = _cifar_batch(12, 0)
    raw_test, x_test, _ = _cifar_batch(6, 1)
    (tmp_path / "data_batch_1").write_bytes(raw_train)
    (tmp_path / "test_batch").write_bytes(raw_test)
    d = load_lab_data("cifar10", None, None, folder=str(tmp_path))
    assert d.input_shape == (32, 32, 3) and d.num_classes == 10 and d.class_names[0] == "airplane"
    np.testing.assert_allclose(d.x_train, x_train / np.float32(255.0), atol=1e-7)
    np.testing.assert_array_equal(d.y_train, y_train)
    grey = load_lab_data("cifar10", None, None, folder=str(tmp_path), color_mode="grayscale")
    assert grey.input_shape == (32, 32, 1)
    expected = np.asarray(Image.fromarray(x_test[0]).convert("L")) / 255.0
    assert np.abs(grey.x_val[0, ..., 0] - expected).max() <= 1 / 255 + 1e-6
    with pytest.raises(ValueError, match="folder must name a folder for 'cifar10'"):
        load_lab_data("cifar10", folder="")


@pytest.mark.parametrize("colour", [True, False])
def test_a_folder_loads_as_its_images_are(tmp_path, colour):
    rng = np.random.default_rng(3)
    for cls in ("a", "b"):
        (tmp_path / cls).mkdir()
        for i in range(5):
            if colour:
                img = Image.fromarray(rng.integers(0, 256, (9, 7, 3), dtype=np.uint8))
            else:
                img = Image.fromarray(rng.integers(0, 256, (9, 7), dtype=np.uint8))
            img.save(tmp_path / cls / f"{i}.png")
    d = load_lab_data("folder", folder=str(tmp_path))
    assert d.input_shape == (28, 28, 3 if colour else 1)
    forced = load_lab_data("folder", folder=str(tmp_path), color_mode="rgb", image_size=(9, 7))
    assert forced.input_shape == (9, 7, 3)


def test_fit_image_makes_what_the_network_takes():
    photo = np.random.default_rng(0).random((40, 30, 3)).astype(np.float32)
    grey = fit_image(photo, (28, 28, 1))
    assert grey.shape == (28, 28, 1) and grey.dtype == np.float32
    colour = fit_image(photo[..., 0], (32, 32, 3))
    assert colour.shape == (32, 32, 3)
    np.testing.assert_array_equal(colour[..., 0], colour[..., 1])
    same = fit_image(photo, (40, 30, 3))
    np.testing.assert_allclose(same, photo, atol=0.5 / 255 + 1e-6)  # only the 8-bit rounding
    with pytest.raises(ValueError, match="image must be"):
        fit_image(np.zeros((2, 2, 2, 2)), (4, 4, 1))


# ----------------------------------------------------------------------------------------------- augmentation
def test_the_lessons_values_and_their_keras_line():
    assert aug.LESSON_SETTINGS == {
        "rotation_range": 40.0,
        "width_shift_range": 0.2,
        "height_shift_range": 0.2,
        "shear_range": 0.2,
        "zoom_range": 0.2,
        "horizontal_flip": True,
        "fill_mode": "nearest",
    }
    assert aug.keras_call(aug.LESSON_SETTINGS) == (
        "ImageDataGenerator(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, "
        "shear_range=0.2, zoom_range=0.2, horizontal_flip=True, fill_mode='nearest')"
    )
    a = aug.make_augmenter(aug.LESSON_SETTINGS, seed=0)
    assert a.rotation_range == 40 and a.zoom_range == (0.8, 1.2) and a.horizontal_flip


def test_settings_are_checked_and_completed():
    assert aug.clean_settings({"rotation_range": 5, "unknown": 1}) == {
        **aug.DEFAULT_SETTINGS,
        "rotation_range": 5.0,
    }
    with pytest.raises(
        ValueError, match=r"zoom_range must be a number in \[0, 0.9\]. Received: zoom_range=1.5"
    ):
        aug.clean_settings({"zoom_range": 1.5})
    with pytest.raises(ValueError, match="fill_mode must be one of"):
        aug.clean_settings({"fill_mode": "mirror"})
    with pytest.raises(ValueError, match="rotation_range"):
        aug.clean_settings({"rotation_range": True})


def test_preview_variants_of_a_flip_only_augmenter_are_the_image_or_its_mirror(rng):
    image = rng.random((8, 8, 1)).astype(np.float32)
    flip_only = {
        **aug.clean_settings(None),
        **dict.fromkeys(
            ("rotation_range", "width_shift_range", "height_shift_range", "shear_range", "zoom_range"), 0.0
        ),
        "horizontal_flip": True,
    }
    variants = aug.preview_variants(image, flip_only, seed=4, n=24)
    assert variants.shape == (24, 8, 8, 1)
    mirrored = image[:, ::-1]
    kinds = set()
    for v in variants:
        if np.allclose(v, image, atol=1e-6):
            kinds.add("same")
        else:
            np.testing.assert_allclose(v, mirrored, atol=1e-6)
            kinds.add("mirror")
    assert kinds == {"same", "mirror"}  # one in two, over 24 draws both appear
    again = aug.preview_variants(image, flip_only, seed=4, n=24)
    np.testing.assert_array_equal(variants, again)  # the same seed draws the same variants


# ----------------------------------------------------------------------------------------------- backend
@pytest.fixture
def no_gpu(monkeypatch, backend_guard):
    """No simulator and no loadable driver library, whatever this machine has."""
    import ctypes

    monkeypatch.delenv("NUMBA_ENABLE_CUDASIM", raising=False)

    def refuse(name, *a, **k):
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(ctypes, "CDLL", refuse)
    monkeypatch.setattr(backend.sys, "platform", "linux")


def test_cuda_without_a_driver_falls_back_to_cpu_before_any_compile(no_gpu):
    import engine

    engine.config.set("backend", "cuda")
    seen = []
    start = backend.start_engine(lambda: seen.append(engine.get_backend()))
    assert seen == ["cpu"]  # the warm-up (and every later job) already runs on the CPU
    assert start.backend == "cpu" and start.requested == "cuda"
    assert start.fallbacks == [("no_driver", "libcuda.so.1")]


def test_unknown_backend_and_failed_compile(no_gpu):
    import engine

    engine.config.set("backend", "tpu")
    start = backend.start_engine(lambda: None)
    assert (start.backend, start.fallbacks) == ("cpu", [("unknown_backend", "tpu")])
    calls = []

    def warm():
        calls.append(engine.get_backend())
        if engine.get_backend() == "cpu":
            raise RuntimeError("numba is broken")

    engine.config.set("backend", "cpu")
    start = backend.start_engine(warm)
    assert calls == ["cpu", "reference"] and start.backend == "reference"
    assert start.fallbacks == [("compile_failed", "RuntimeError: numba is broken")]


def test_a_platform_without_cuda(monkeypatch, backend_guard):
    monkeypatch.delenv("NUMBA_ENABLE_CUDASIM", raising=False)
    monkeypatch.setattr(backend.sys, "platform", "darwin")
    assert backend.cuda_driver_loadable() == ("no_platform", "darwin")
