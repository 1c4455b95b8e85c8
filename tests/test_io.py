"""engine.io: images via Pillow (with the size guard), filters in four formats, atomic writes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine import config, io


@pytest.fixture
def pixel_limit():
    before = config.get("max_image_pixels")
    yield
    config.set("max_image_pixels", before)


def _read(path: Path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im).copy()


def _write_png(path: Path, arr: np.ndarray) -> Path:
    Image.fromarray(arr).save(path)
    return path


# ----------------------------------------------------------------------------------------------- images


def test_load_image_grey_values_and_range(tmp_path):
    arr = np.array([[0, 51, 255], [128, 0, 255]], dtype=np.uint8)
    img = io.load_image(_write_png(tmp_path / "g.png", arr))
    assert img.dtype == np.float32 and img.shape == (2, 3)
    np.testing.assert_allclose(img, arr / 255.0, atol=1e-7)


def test_load_image_rgb_and_grey_conversion(tmp_path):
    rgb = np.zeros((4, 5, 3), np.uint8)
    rgb[..., 0] = 255  # pure red
    path = _write_png(tmp_path / "red.png", rgb)
    out = io.load_image(path, mode="RGB")
    assert out.shape == (4, 5, 3)
    np.testing.assert_array_equal(out[..., 0], 1.0)
    np.testing.assert_array_equal(out[..., 1:], 0.0)
    grey = io.load_image(path, mode="L")
    # ITU-R 601-2 luma: L = R * 299/1000
    np.testing.assert_allclose(grey, np.full((4, 5), 76 / 255.0), atol=1 / 255.0)


def test_load_image_resize_is_height_width(tmp_path):
    path = _write_png(tmp_path / "a.png", np.zeros((10, 20), np.uint8))
    assert io.load_image(path, size=(7, 3)).shape == (7, 3)
    assert io.load_image(path, size=5).shape == (5, 5)
    with pytest.raises(ValueError, match="size"):
        io.load_image(path, size=(0, 3))


def test_load_image_transparency_composited_on_black(tmp_path):
    rgba = np.zeros((2, 2, 4), np.uint8)
    rgba[..., :3] = 255
    rgba[0, 0, 3] = 255  # one opaque white pixel, the rest fully transparent
    path = tmp_path / "t.png"
    Image.fromarray(rgba, mode="RGBA").save(path)
    np.testing.assert_array_equal(io.load_image(path), [[1.0, 0.0], [0.0, 0.0]])


def test_load_image_sixteen_bit_is_scaled(tmp_path):
    arr = np.array([[0, 65535]], dtype=np.uint16)
    path = tmp_path / "deep.png"
    Image.fromarray(arr).save(path)
    np.testing.assert_allclose(io.load_image(path), [[0.0, 1.0]])


@pytest.mark.parametrize(
    "content, problem",
    [(b"", "empty"), (b"this is plain text, not pixels", "not an image")],
)
def test_load_image_bad_files_name_the_path(tmp_path, content, problem):
    path = tmp_path / "bad.png"
    path.write_bytes(content)
    with pytest.raises(io.ImageLoadError, match=problem) as info:
        io.load_image(path)
    assert "bad.png" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_load_image_truncated(tmp_path):
    good = _write_png(
        tmp_path / "full.png", np.arange(64 * 64, dtype=np.uint32).reshape(64, 64).astype(np.uint8)
    )
    data = good.read_bytes()
    cut = tmp_path / "cut.png"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(io.ImageLoadError, match="truncated") as info:
        io.load_image(cut)
    assert "cut.png" in str(info.value)


def test_load_image_missing_and_folder(tmp_path):
    with pytest.raises(io.ImageLoadError, match="no such file"):
        io.load_image(tmp_path / "nope.png")
    with pytest.raises(io.ImageLoadError, match="folder"):
        io.load_image(tmp_path)


def test_load_image_refuses_over_pixel_limit(tmp_path, pixel_limit):
    path = _write_png(tmp_path / "big.png", np.zeros((20, 30), np.uint8))
    config.set("max_image_pixels", 599)
    with pytest.raises(io.ImageLoadError, match="too large") as info:
        io.load_image(path)
    assert "600" in str(info.value) and "big.png" in str(info.value)
    config.set("max_image_pixels", 600)
    assert io.load_image(path).shape == (20, 30)


def test_load_image_bad_mode(tmp_path):
    path = _write_png(tmp_path / "a.png", np.zeros((2, 2), np.uint8))
    with pytest.raises(ValueError, match="mode must be one of"):
        io.load_image(path, mode="CMYK")


def test_save_image_grey_roundtrip(tmp_path):
    arr = np.array([[0.0, 0.5], [1.0, 0.25]], np.float32)
    path = io.save_image(tmp_path / "o.png", arr)
    back = _read(path)
    assert back.shape == (2, 2)
    np.testing.assert_array_equal(back, np.rint(arr * 255).astype(np.uint8))


def test_save_image_out_of_unit_range_is_min_max_scaled(tmp_path):
    arr = np.array([[-3.0, 1.0]], np.float32)
    back = _read(io.save_image(tmp_path / "o.png", arr))
    np.testing.assert_array_equal(back, [[0, 255]])


def test_save_image_diverging_is_symmetric_around_zero(tmp_path):
    arr = np.array([[-2.0, 0.0, 2.0, 1.0]], np.float32)
    back = _read(io.save_image(tmp_path / "d.png", arr, cmap="diverging"))
    assert back.shape == (1, 4, 3)
    lut = io.COLORMAPS["diverging"]
    np.testing.assert_array_equal(back[0, 0], lut[0])  # most negative: the blue end
    np.testing.assert_array_equal(back[0, 1], lut[128])  # zero: the middle (white-ish)
    np.testing.assert_array_equal(back[0, 2], lut[255])  # most positive: the red end
    assert back[0, 0, 2] > back[0, 0, 0] and back[0, 2, 0] > back[0, 2, 2]


def test_save_image_scale_and_atomic(tmp_path):
    arr = np.eye(3, dtype=np.float32)
    path = io.save_image(tmp_path / "s.png", arr, scale=4)
    assert _read(path).shape == (12, 12)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.png"]  # no temp file left behind
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's private 0600


def test_save_image_errors(tmp_path):
    with pytest.raises(ValueError, match="extension"):
        io.save_image(tmp_path / "o.xyz", np.zeros((2, 2)))
    with pytest.raises(ValueError, match="cmap"):
        io.save_image(tmp_path / "o.png", np.zeros((2, 2)), cmap="rainbow")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        io.save_image(tmp_path / "missing" / "o.png", np.zeros((2, 2)))
    with pytest.raises(ValueError, match="shape"):
        io.save_image(tmp_path / "o.png", np.zeros((2, 2, 2, 2)))


def test_failed_write_leaves_previous_file(tmp_path):
    target = tmp_path / "keep.txt"
    target.write_text("old")

    def broken(tmp):
        tmp.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        io.atomic_write(target, broken)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


# ---------------------------------------------------------------------------------------------- filters

KERNEL = np.array([[-1, -1, -1], [2, 2, 2], [-1, -1, -1]], np.float32)


def test_presets_are_reexported_lesson_first():
    assert next(iter(io.PRESETS)) == "horizontal_line"
    np.testing.assert_array_equal(io.get_preset("horizontal_line"), KERNEL)


@pytest.mark.parametrize("ext", [".npy", ".txt", ".csv", ".json"])
def test_filter_roundtrip_is_exact(tmp_path, ext, rng):
    k = rng.normal(size=(3, 5)).astype(np.float32)
    path = io.save_filter(tmp_path / f"k{ext}", k, name="random")
    back = io.load_filter(path)
    assert back.dtype == np.float32 and back.shape == (3, 5)
    np.testing.assert_array_equal(back, k)


def test_filter_text_formats(tmp_path):
    (tmp_path / "a.txt").write_text("# the lesson's line\n-1 -1 -1\n 2  2  2\n\n-1 -1 -1  # bottom\n")
    (tmp_path / "b.csv").write_text("-1,-1,-1\n2;2;2\n-1, -1, -1\n")
    (tmp_path / "c.json").write_text(json.dumps({"kernel": KERNEL.tolist()}))
    (tmp_path / "d.json").write_text(json.dumps(KERNEL.tolist()))
    for name in ("a.txt", "b.csv", "c.json", "d.json"):
        np.testing.assert_array_equal(io.load_filter(tmp_path / name), KERNEL)


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("ragged.txt", "1 2 3\n4 5\n", "ragged rows"),
        ("word.csv", "1,2\n3,x\n", "line 2: 'x' is not a number"),
        ("nan.txt", "1 2\nnan 4\n", "NaN or infinite value at row 2, column 1"),
        ("empty.txt", "# nothing\n\n", "empty"),
        ("flat.json", "[1, 2, 3]", "wrong rank"),
        ("deep.json", "[[[1]], [[2]]]", "not a number"),
        ("nokey.json", '{"weights": [[1]]}', '"kernel" key'),
        ("broken.json", "[[1, 2]", "invalid JSON"),
        ("str.json", '[["a", 1]]', "'a' is not a number"),
        ("k.bmp", "1 2", "unknown filter format"),
    ],
)
def test_filter_errors_name_file_and_problem(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(io.FilterLoadError, match=problem) as info:
        io.load_filter(path)
    assert name in str(info.value)


def test_filter_npy_rank_and_nan(tmp_path):
    np.save(tmp_path / "r3.npy", np.zeros((2, 2, 2)))
    with pytest.raises(io.FilterLoadError, match="wrong rank"):
        io.load_filter(tmp_path / "r3.npy")
    np.save(tmp_path / "nan.npy", np.array([[1.0, np.inf]]))
    with pytest.raises(io.FilterLoadError, match="row 1, column 2"):
        io.load_filter(tmp_path / "nan.npy")
    np.save(tmp_path / "obj.npy", np.array([[1, None]], dtype=object), allow_pickle=True)
    with pytest.raises(io.FilterLoadError, match=r"obj\.npy"):
        io.load_filter(tmp_path / "obj.npy")
    with pytest.raises(io.FilterLoadError, match="no such file"):
        io.load_filter(tmp_path / "absent.npy")


def test_save_filter_refuses_nan(tmp_path):
    with pytest.raises(ValueError, match="NaN"):
        io.save_filter(tmp_path / "k.txt", np.array([[np.nan]]))
    assert not (tmp_path / "k.txt").exists()
