"""Filter files that are not filters: images or random bytes named .npy, pickles, lying .npy headers,
NaN/inf/complex/too-large values, JSON nested too deep. The message names the file, what it holds and what a
filter is; numpy's advice about ``allow_pickle=`` is never shown."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine import io

GOOD = np.array([[-1, -1, -1], [2, 2, 2], [-1, -1, -1]], np.float32)


def _npy_header(shape: tuple[int, ...], descr: str = "<f8") -> bytes:
    text = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode("latin1")
    pad = 64 - (10 + len(text) + 1) % 64
    text += b" " * pad + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text


def _refused(path: Path, *fragments: str) -> str:
    with pytest.raises(io.FilterLoadError) as err:
        io.load_filter(path)
    message = str(err.value)
    assert message.startswith(repr(str(path))), message
    assert "allow_pickle" not in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


def test_png_named_npy(tmp_path):
    path = tmp_path / "edge.npy"
    Image.fromarray(np.zeros((3, 3), np.uint8)).save(path, format="PNG")
    _refused(path, "not a .npy array", "PNG image")


@pytest.mark.parametrize(
    ("content", "looks_like"),
    [
        (np.random.default_rng(3).integers(0, 256, 300, dtype=np.uint8).tobytes(), "starts with bytes"),
        (b"\xff\xd8\xff\xe0" + bytes(40), "JPEG image"),
        (b"PK\x03\x04" + bytes(40), "zip archive"),
        (b"\x80\x04\x95" + bytes(40), "Python pickle"),
        (b"-1 2 -1\n", "text"),
        (b"", "empty"),
    ],
)
def test_random_bytes_and_other_formats_named_npy(tmp_path, content, looks_like):
    path = tmp_path / "k.npy"
    path.write_bytes(content)
    _refused(path, looks_like)


def test_npy_of_python_objects_is_refused_without_unpickling(tmp_path):
    path = tmp_path / "obj.npy"
    np.save(path, np.array([[1, "a"], [None, 2.0]], dtype=object), allow_pickle=True)
    _refused(path, "Python objects", "numbers")


@pytest.mark.parametrize(
    ("shape", "fragment"),
    [
        ((100_000, 100_000), "100000x100000 is larger than 99"),  # 80 GB claimed by a 128-byte file
        ((3, 3, 3), "wrong rank"),
        ((9,), "wrong rank"),
        ((0, 3), "empty"),
    ],
)
def test_npy_header_shapes_are_checked_before_reading(tmp_path, shape, fragment):
    path = tmp_path / "lying.npy"
    path.write_bytes(_npy_header(shape) + bytes(72))
    _refused(path, fragment)


def test_npy_header_longer_than_the_data(tmp_path):
    path = tmp_path / "short.npy"
    path.write_bytes(_npy_header((5, 5)) + bytes(8 * 10))
    _refused(path, "truncated", "5x5", "200 bytes", "80")


@pytest.mark.parametrize(
    ("arr", "fragment"),
    [
        (np.full((3, 3), np.nan), "NaN or infinite value at row 1, column 1"),
        (np.array([[0, 1], [np.inf, 0]]), "NaN or infinite value at row 2, column 1"),
        (np.array([[1 + 2j, 0], [0, 1]]), "complex values (dtype complex128)"),
        (np.array([["a", "b"], ["c", "d"]]), "not numbers (dtype <U1)"),
        (np.array([[1e39, 0], [0, 1]]), "1e+39 at row 1, column 1 does not fit in float32"),
    ],
)
def test_npy_values_that_are_not_usable(tmp_path, arr, fragment):
    path = tmp_path / "bad.npy"
    np.save(path, arr)
    _refused(path, fragment)


@pytest.mark.parametrize(
    ("name", "text", "fragment"),
    [
        ("big.txt", "1e39 0\n0 1\n", "1e+39 at row 1, column 1 does not fit in float32"),
        ("nan.csv", "nan, 1\n1, 1\n", "NaN or infinite value at row 1, column 1"),
        ("inf.json", "[[1, 2], [Infinity, 0]]", "NaN or infinite value at row 2, column 1"),
        ("huge.json", "[[1e999, 2], [0, 0]]", "NaN or infinite value at row 1, column 1"),
        ("bigint.json", "[[" + "9" * 400 + ", 1], [0, 0]]", "row 1: a 400-digit integer is too large"),
        ("longint.json", "[[" + "9" * 5000 + ", 1], [0, 0]]", "invalid JSON"),
        ("strings.json", '[["a", "b"], ["c", "d"]]', "'a' is not a number"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("complex.txt", "1+2j 0\n0 1\n", "'1+2j' is not a number"),
    ],
)
def test_text_and_json_values_that_are_not_usable(tmp_path, name, text, fragment):
    path = tmp_path / name
    path.write_text(text)
    _refused(path, fragment)


def test_text_filter_files_have_a_size_limit(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text(("1 " * 50 + "\n") * 30_000)  # 3 MB of text
    _refused(path, "3,030,000 bytes", "at most 1,048,576")


def test_good_filters_still_load(tmp_path):
    for ext in (".npy", ".txt", ".csv", ".json"):
        path = io.save_filter(tmp_path / f"k{ext}", GOOD)
        np.testing.assert_array_equal(io.load_filter(path), GOOD)
    np.save(tmp_path / "i.npy", GOOD.astype(np.int16))
    np.testing.assert_array_equal(io.load_filter(tmp_path / "i.npy"), GOOD)
    np.save(tmp_path / "f.npy", np.asfortranarray(GOOD.astype(np.float64)))
    np.testing.assert_array_equal(io.load_filter(tmp_path / "f.npy"), GOOD)
    np.save(tmp_path / "c.npy", GOOD[:, :, None])  # (KH, KW, 1)
    np.testing.assert_array_equal(io.load_filter(tmp_path / "c.npy"), GOOD)
    (tmp_path / "obj.json").write_text(json.dumps({"name": "x", "kernel": GOOD.tolist()}))
    np.testing.assert_array_equal(io.load_filter(tmp_path / "obj.json"), GOOD)
