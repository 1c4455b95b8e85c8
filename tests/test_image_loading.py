"""Loading images right, or refusing them clearly: bit depths and float images, sizes, bombs, broken files.

Expected values are worked by hand from the pixels written (a float TIFF of 0.8 reads as 0.8; 16-bit
values divided by 65535; a 32-bit integer image by its own maximum).
"""

from __future__ import annotations

import re
import struct
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine import config, datasets, io


@pytest.fixture
def pixel_limit():
    before = config.get("max_image_pixels")
    yield
    config.set("max_image_pixels", before)


def _save(path: Path, arr: np.ndarray, **kw) -> Path:
    Image.fromarray(arr).save(path, **kw)
    return path


# ------------------------------------------------------------------------------ bit depths and scaling


def test_float_tiff_keeps_its_values(tmp_path):
    arr = np.array([[0.8, 0.0], [0.25, 1.0]], np.float32)
    path = _save(tmp_path / "f.tif", arr)
    img, info = io.load_image(path, report=True)
    np.testing.assert_allclose(img, arr, atol=1e-7)  # was 0.0039 (divided by 255)
    assert img.dtype == np.float32
    assert info.file_mode == "F" and info.value_range == (0.0, 1.0) and info.notes == ()
    np.testing.assert_array_equal(io.read_image_uint8(path), np.rint(arr * 255).astype(np.uint8))


def test_float_image_outside_unit_range_is_rescaled_and_said(tmp_path):
    arr = np.array([[-2.0, 0.0], [2.0, 6.0]], np.float32)
    img, info = io.load_image(_save(tmp_path / "f.tif", arr), report=True)
    np.testing.assert_allclose(img, (arr + 2.0) / 8.0, atol=1e-7)
    assert info.value_range == (-2.0, 6.0)
    (note,) = info.notes
    assert "-2..6" in note and "rescaled" in note


def test_float_image_of_positive_values_is_divided_by_its_maximum(tmp_path):
    arr = np.array([[0.0, 50.0], [100.0, 200.0]], np.float32)
    img, info = io.load_image(_save(tmp_path / "f.tif", arr), report=True)
    np.testing.assert_allclose(img, arr / 200.0, atol=1e-7)
    assert info.value_range == (0.0, 200.0)
    assert "maximum 200" in info.notes[0]


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_float_image_with_nan_or_inf_is_refused(tmp_path, bad):
    arr = np.full((3, 4), 0.5, np.float32)
    arr[1, 2] = bad
    arr[2, 3] = bad
    path = _save(tmp_path / "f.tif", arr)
    with pytest.raises(io.ImageLoadError, match=r"f\.tif.*2 pixels are NaN or infinite.*row 2, column 3"):
        io.load_image(path)


def test_int32_image_is_divided_by_its_own_maximum_not_65535(tmp_path):
    arr = np.array([[0, 250], [500, 1000]], np.int32)
    img, info = io.load_image(_save(tmp_path / "i.tif", arr), report=True)
    np.testing.assert_allclose(img, arr / 1000.0, atol=1e-7)  # was arr / 65535 (all nearly black)
    assert info.file_mode == "I" and info.value_range == (0.0, 1000.0)
    assert "32-bit integer" in info.notes[0] and "1000" in info.notes[0]


def test_int32_image_with_byte_values_reads_as_grey_levels(tmp_path):
    arr = np.array([[0, 51], [102, 204]], np.int32)
    img, info = io.load_image(_save(tmp_path / "i.tif", arr), report=True)
    np.testing.assert_allclose(img, arr / 255.0, atol=1e-7)
    assert info.value_range == (0.0, 255.0) and "0..255" in info.notes[0]


def test_int32_image_with_negative_values_is_rescaled(tmp_path):
    arr = np.array([[-100, 0], [100, 300]], np.int32)
    img, info = io.load_image(_save(tmp_path / "i.tif", arr), report=True)
    np.testing.assert_allclose(img, (arr + 100) / 400.0, atol=1e-7)
    assert info.value_range == (-100.0, 300.0)


@pytest.mark.parametrize("ext", [".png", ".tif"])
def test_sixteen_bit_images_are_divided_by_65535(tmp_path, ext):
    arr = np.array([[0, 1000], [32768, 65535]], np.uint16)
    img, info = io.load_image(_save(tmp_path / f"a{ext}", arr), report=True)
    np.testing.assert_allclose(img, arr / 65535.0, atol=1e-7)  # 1000 stays dark: 16-bit is a known range
    assert info.value_range == (0.0, 65535.0)
    assert "16-bit" in info.notes[0]
    np.testing.assert_array_equal(io.read_image_uint8(tmp_path / f"a{ext}"), np.rint(arr / 257.0))


def test_eight_bit_images_report_nothing_unusual(tmp_path):
    arr = np.array([[0, 51, 255]], np.uint8)
    img, info = io.load_image(_save(tmp_path / "g.png", arr), report=True)
    np.testing.assert_allclose(img, arr / 255.0, atol=1e-7)
    assert info == io.ImageInfo(str(tmp_path / "g.png"), "PNG", "L", (1, 3), (0.0, 255.0), ())


def test_high_depth_images_resize_in_float_and_give_rgb(tmp_path):
    arr = np.full((8, 6), 0.8, np.float32)
    path = _save(tmp_path / "f.tif", arr)
    small = io.load_image(path, size=(4, 3))
    np.testing.assert_allclose(small, 0.8, atol=1e-6)
    rgb = io.load_image(path, mode="RGB", size=(4, 3))
    assert rgb.shape == (4, 3, 3)
    np.testing.assert_allclose(rgb, 0.8, atol=1e-6)


def test_transparency_multiframe_and_exif_are_reported(tmp_path):
    rgba = np.zeros((2, 2, 4), np.uint8)
    rgba[..., 0] = 255
    rgba[..., 3] = 128
    _img, info = io.load_image(_save(tmp_path / "t.png", rgba), report=True)
    assert any("transparen" in n for n in info.notes)
    opaque = rgba.copy()
    opaque[..., 3] = 255
    assert io.load_image(_save(tmp_path / "o.png", opaque), report=True)[1].notes == ()

    frames = [Image.fromarray(np.full((3, 3), v, np.uint8)) for v in (10, 200)]
    frames[0].save(tmp_path / "a.gif", save_all=True, append_images=frames[1:])
    img, info = io.load_image(tmp_path / "a.gif", report=True)
    assert any("2 frames" in n for n in info.notes)
    np.testing.assert_allclose(img, 10 / 255.0, atol=1e-7)

    im = Image.fromarray(np.arange(6, dtype=np.uint8).reshape(2, 3) * 40)
    exif = im.getexif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    im.save(tmp_path / "e.jpg", exif=exif, quality=100)
    img, info = io.load_image(tmp_path / "e.jpg", report=True)
    assert img.shape == (3, 2) and info.source_hw == (3, 2)
    assert any("EXIF" in n for n in info.notes)


def test_existing_signatures_still_work(tmp_path):
    path = _save(tmp_path / "g.png", np.zeros((4, 5), np.uint8))
    assert io.load_image(path).shape == (4, 5)
    assert io.load_image(path, "RGB", (2, 2)).shape == (2, 2, 3)
    assert io.read_image_uint8(path, "L", 3).shape == (3, 3)
    arr, info = io.read_image_uint8(path, report=True)
    assert arr.dtype == np.uint8 and info.source_hw == (4, 5)


# ------------------------------------------------------------------------------------- requested sizes


@pytest.mark.parametrize("size", [(60000, 60000), 9000, (1, 64_000_001)])
def test_requested_size_over_the_pixel_limit_is_refused_first(tmp_path, size):
    path = _save(tmp_path / "g.png", np.zeros((4, 5), np.uint8))
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"size=.*pixels.*max_image_pixels=64,000,000") as err:
        io.load_image(path, size=size)
    assert time.perf_counter() - start < 1.0
    assert not isinstance(err.value, io.ImageLoadError)  # the argument is wrong, not the file
    with pytest.raises(ValueError, match=r"size="):
        io.load_image(tmp_path / "missing.png", size=size)  # checked before the file is opened


def test_requested_size_follows_the_configured_limit(tmp_path, pixel_limit):
    path = _save(tmp_path / "g.png", np.zeros((4, 5), np.uint8))
    config.set("max_image_pixels", 100)
    assert io.load_image(path, size=(10, 10)).shape == (10, 10)
    with pytest.raises(ValueError, match=r"size=\(10, 11\) asks for 110 pixels.*limit.*100"):
        io.load_image(path, size=(10, 11))


def test_dataset_loaders_refuse_huge_target_sizes_before_reading(tmp_path):
    root = tmp_path / "data"
    for cls in ("a", "b"):
        (root / cls).mkdir(parents=True)
        for i in range(3):
            _save(root / cls / f"{i}.png", np.zeros((4, 4), np.uint8))
    with pytest.raises(ValueError, match=r"target_size=\(60000, 60000\).*pixels.*max_image_pixels"):
        datasets.load_image_folder(root, (60000, 60000))
    with pytest.raises(ValueError, match=r"target_size=\(60000, 60000\).*max_image_pixels"):
        datasets.load_dataset(str(root), target_size=(60000, 60000))
    with pytest.raises(ValueError, match=r"size=60000.*max_image_pixels"):
        datasets.make_shapes(4, size=60000)


# ---------------------------------------------------------------------------------- bombs and garbage


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int, idat: bytes = b"", extra: bytes = b"") -> bytes:
    """A PNG whose header claims ``width x height`` 1-bit pixels, with the given compressed data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + extra
        + _png_chunk(b"IDAT", idat or zlib.compress(b"\x00" * 1024))
        + _png_chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("width", "height"), [(100_000, 100_000), (1 << 30, 1), (9000, 9000), (2**31 - 1, 2**31 - 1)]
)
def test_decompression_bombs_are_refused_without_decoding(tmp_path, width, height):
    path = tmp_path / "bomb.png"
    path.write_bytes(png_declaring(width, height))
    assert path.stat().st_size < 200
    with pytest.raises(io.ImageLoadError, match=r"bomb\.png.*too large") as err:
        io.load_image(path)
    assert "max_image_pixels" in str(err.value) or "limit" in str(err.value)


def test_text_chunk_bomb_is_a_clear_error(tmp_path):
    ztxt = _png_chunk(b"zTXt", b"comment\x00\x00" + zlib.compress(b"A" * (64 << 20), 9))
    path = tmp_path / "ztxt.png"
    path.write_bytes(png_declaring(4, 4, extra=ztxt))
    with pytest.raises(io.ImageLoadError, match=r"ztxt\.png"):
        io.load_image(path)


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.png", b"", "empty"),
        (
            "random.png",
            bytes(np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8)),
            "not an image",
        ),
        ("text.jpg", b"hello, world\n", "not an image"),
        ("head.png", b"\x89PNG\r\n\x1a\n", "cannot read|not an image|truncated"),
    ],
)
def test_garbage_files_name_the_file(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(io.ImageLoadError, match=re.escape(name) + rf".*({problem})"):
        io.load_image(path)


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_truncated_images_of_each_format(tmp_path, cut):
    rng = np.random.default_rng(1)
    arr = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    for ext in (".png", ".jpg", ".gif", ".bmp", ".tif", ".webp"):
        full = _save(tmp_path / f"full{ext}", arr)
        data = full.read_bytes()
        bad = tmp_path / f"cut{ext}"
        bad.write_bytes(data[: int(len(data) * cut)])
        with pytest.raises(io.ImageLoadError, match=rf"cut\{ext}"):
            io.load_image(bad)


def test_image_folder_skips_garbage_and_counts_what_it_needs(tmp_path):
    root = tmp_path / "data"
    for cls in ("a", "b"):
        (root / cls).mkdir(parents=True)
        (root / cls / "zero.png").write_bytes(b"")
        (root / cls / "bomb.png").write_bytes(png_declaring(100_000, 100_000))
        (root / cls / "junk.jpg").write_bytes(b"\xff\xd8\xff" + b"\x00" * 50)
    with pytest.raises(datasets.DatasetError, match=r"0 readable images.*6 unreadable.*at least 1") as err:
        datasets.load_image_folder(root, (8, 8))
    assert "bomb.png" in str(err.value) or "zero.png" in str(err.value)  # an example of why
    _save(root / "a" / "good.png", np.zeros((4, 4), np.uint8))
    out = datasets.load_image_folder(root, (8, 8))
    assert out.x.shape == (1, 8, 8, 1) and len(out.skipped) == 6
    reasons = dict(out.skipped)
    assert "too large" in reasons[str(root / "a" / "bomb.png")]
    assert "empty" in reasons[str(root / "b" / "zero.png")]


def test_image_folder_reports_unusual_images(tmp_path):
    root = tmp_path / "data"
    (root / "a").mkdir(parents=True)
    _save(root / "a" / "f.tif", np.full((4, 4), 0.8, np.float32))
    _save(root / "a" / "i.tif", np.array([[0, 1000]] * 2, np.int32))
    _save(root / "a" / "g.png", np.zeros((4, 4), np.uint8))
    out = datasets.load_image_folder(root, (4, 4))
    assert out.x.shape == (3, 4, 4, 1)
    notes = dict(out.notes)
    assert list(notes) == [str(root / "a" / "i.tif")]  # the float TIFF in [0, 1] is nothing unusual
    assert "1000" in notes[str(root / "a" / "i.tif")]
    np.testing.assert_array_equal(out.x[0], 204)  # f.tif: 0.8 * 255


def test_float_image_spanning_the_whole_float32_range(tmp_path):
    arr = np.array([[-3e38, 0.0], [3e38, 1.5e38]], np.float32)
    img = io.load_image(_save(tmp_path / "f.tif", arr))
    np.testing.assert_allclose(img, [[0.0, 0.5], [1.0, 0.75]], atol=1e-6)
    assert np.isfinite(img).all()
