"""Filter files: a ``(KH, KW)`` kernel in ``.npy``, ``.txt`` / ``.csv`` (rows of numbers) or ``.json``.

Re-exported by :mod:`engine.io`. A ``.npy`` file is checked from its header before any array is made: its
magic bytes (an image or a pickle named ``.npy`` is named as such), its dtype (never Python objects, so
nothing is unpickled), its shape (2-D, at most :data:`MAX_FILTER_SIZE` a side) and its length. Text files
are at most :data:`MAX_FILTER_FILE_BYTES`. Values must be finite and fit in float32.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
from numpy.lib import format as npy_format

from engine._atomic import atomic_write

__all__ = [
    "FILTER_EXTENSIONS",
    "MAX_FILTER_FILE_BYTES",
    "MAX_FILTER_SIZE",
    "FilterLoadError",
    "load_filter",
    "save_filter",
]

PathLike = str | os.PathLike

FILTER_EXTENSIONS = (".npy", ".txt", ".csv", ".json")
MAX_FILTER_SIZE = 99
#: text and JSON filter files are at most this many bytes (a 99x99 kernel of 17-digit numbers is ~180 kB)
MAX_FILTER_FILE_BYTES = 1 << 20
_FLOAT32_MAX = float(np.finfo(np.float32).max)
_NPY_MAGIC = b"\x93NUMPY"
_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"RIFF", "a RIFF file (a WebP image?)"),
    (b"PK\x03\x04", "a zip archive (a .npz file or a saved model?)"),
    (b"\x1f\x8b", "a gzip file"),
    (b"\x80", "a Python pickle"),
)


class FilterLoadError(ValueError):
    """A filter file could not be read: unknown format, ragged rows, non-numbers, NaN, empty, wrong rank."""


# ------------------------------------------------------------------------------------------------ .npy


def _looks_like(head: bytes) -> str:
    """What a file that should be ``.npy`` seems to be, from its first bytes."""
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            return f"it looks like {what}"
    if all(32 <= b < 127 or b in (9, 10, 13) for b in head):
        return "it looks like text; rows of numbers go in a .txt or .csv file"
    return f"it starts with bytes {head[:8].hex(' ')}"


def _npy_header(p: Path, where: str) -> tuple[tuple[int, ...], np.dtype, int]:
    """``(shape, dtype, data_offset)`` from a ``.npy`` header, refusing anything that is not one."""
    with open(p, "rb") as fh:
        head = fh.read(64)
        if not head:
            raise FilterLoadError(f"{where}: the file is empty (0 bytes)")
        if not head.startswith(_NPY_MAGIC):
            raise FilterLoadError(
                f"{where}: not a .npy array file ({_looks_like(head)}); a .npy filter is written by "
                "numpy.save or engine.io.save_filter"
            )
        fh.seek(0)
        try:
            version = npy_format.read_magic(fh)
            if version == (1, 0):
                shape, _fortran, dtype = npy_format.read_array_header_1_0(fh)
            elif version == (2, 0):
                shape, _fortran, dtype = npy_format.read_array_header_2_0(fh)
            else:
                raise FilterLoadError(
                    f"{where}: .npy format version {version} is not supported (1.0, 2.0 are)"
                )
        except FilterLoadError:
            raise
        except Exception as exc:  # numpy raises ValueError (and others) on a damaged header
            raise FilterLoadError(f"{where}: the .npy header is damaged ({type(exc).__name__})") from None
        return tuple(int(d) for d in shape), dtype, fh.tell()


def _check_dtype(dtype: np.dtype, where: str) -> None:
    if dtype.hasobject:
        raise FilterLoadError(
            f"{where}: the array holds Python objects (dtype {dtype}), which ConvScope never loads (it would "
            "mean unpickling); a filter holds numbers"
        )
    if dtype.kind == "c":
        raise FilterLoadError(
            f"{where}: complex values (dtype {dtype}) are not allowed; a filter holds real numbers"
        )
    if dtype.kind not in "biuf" or dtype.fields is not None or dtype.subdtype is not None:
        raise FilterLoadError(f"{where}: the values are not numbers (dtype {dtype}); a filter holds numbers")


def _check_shape(shape: tuple[int, ...], where: str) -> None:
    grid = shape[:2] if len(shape) == 3 and shape[2] == 1 else shape
    if len(grid) != 2:
        raise FilterLoadError(f"{where}: wrong rank: a filter is a 2-D (KH, KW) grid. Got shape {shape}")
    if min(grid) == 0:
        raise FilterLoadError(f"{where}: the filter is empty (shape {shape})")
    if max(grid) > MAX_FILTER_SIZE:
        raise FilterLoadError(
            f"{where}: the filter {grid[0]}x{grid[1]} is larger than {MAX_FILTER_SIZE}x{MAX_FILTER_SIZE}"
        )


def _load_npy(p: Path, where: str) -> np.ndarray:
    shape, dtype, offset = _npy_header(p, where)
    _check_dtype(dtype, where)
    _check_shape(shape, where)
    need = math.prod(shape) * dtype.itemsize
    held = p.stat().st_size - offset
    if held < need:
        raise FilterLoadError(
            f"{where}: truncated: the header says a {'x'.join(map(str, shape))} {dtype} array = {need:,} "
            f"bytes, the file holds {held:,} after the header"
        )
    try:
        return np.load(p, allow_pickle=False)
    except Exception as exc:  # checked above; never pass numpy's text on (it advises allow_pickle=True)
        raise FilterLoadError(f"{where}: not a readable .npy array ({type(exc).__name__})") from None


# ------------------------------------------------------------------------------------------ text, JSON

_SPLIT = re.compile(r"[,;\s]+")


def _parse_text_rows(text: str, where: str) -> list[list[float]]:
    rows: list[list[float]] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        row = []
        for token in _SPLIT.split(line):
            if not token:
                continue
            try:
                row.append(float(token))
            except ValueError:
                raise FilterLoadError(f"{where}: line {lineno}: {token!r} is not a number") from None
        rows.append(row)
    return rows


def _kernel_from_rows(rows: Any, where: str) -> np.ndarray:
    if not isinstance(rows, list) or not rows:
        raise FilterLoadError(f"{where}: the filter is empty (expected rows of numbers)")
    if not all(isinstance(r, list) for r in rows):
        raise FilterLoadError(f"{where}: wrong rank: expected a 2-D list of rows, e.g. [[-1, 2, -1], ...]")
    widths = [len(r) for r in rows]
    if len(set(widths)) != 1:
        raise FilterLoadError(
            f"{where}: ragged rows: row lengths are {widths}; every row needs the same length"
        )
    values = []
    for i, row in enumerate(rows, start=1):
        out = []
        for v in row:
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                shown = repr(v) if len(repr(v)) <= 40 else repr(v)[:37] + "..."
                raise FilterLoadError(f"{where}: row {i}: {shown} is not a number")
            try:
                out.append(float(v))
            except OverflowError:
                raise FilterLoadError(
                    f"{where}: row {i}: a {len(str(abs(v)))}-digit integer is too large (|value| <= 3.4e38)"
                ) from None
        values.append(out)
    return np.array(values, dtype=np.float64)


def _read_text(p: Path, where: str) -> str:
    size = p.stat().st_size
    if size > MAX_FILTER_FILE_BYTES:
        raise FilterLoadError(
            f"{where}: the file is {size:,} bytes; a filter file is at most {MAX_FILTER_FILE_BYTES:,} bytes "
            f"(a {MAX_FILTER_SIZE}x{MAX_FILTER_SIZE} grid of numbers)"
        )
    try:
        return p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FilterLoadError(f"{where}: not a UTF-8 text file") from None


def _parse_json(text: str, where: str) -> Any:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FilterLoadError(f"{where}: invalid JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise FilterLoadError(
            f"{where}: invalid JSON (nested too deeply; a filter is a list of rows)"
        ) from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise FilterLoadError(f"{where}: invalid JSON ({str(exc)[:120]})") from None
    if isinstance(data, dict):
        if "kernel" not in data:
            raise FilterLoadError(f'{where}: a JSON object needs a "kernel" key holding the rows')
        data = data["kernel"]
    if isinstance(data, list) and data and all(isinstance(r, (int, float)) for r in data):
        raise FilterLoadError(f"{where}: wrong rank: a flat list; a filter is a list of rows")
    return data


# ------------------------------------------------------------------------------------------- the kernel


def _check_kernel(k: np.ndarray, where: str) -> np.ndarray:
    """``k`` as a finite ``(KH, KW)`` float32 kernel, or a :class:`FilterLoadError` saying why not."""
    if k.dtype == object or not (np.issubdtype(k.dtype, np.number) or k.dtype == np.bool_):
        raise FilterLoadError(f"{where}: the values are not numbers (dtype {k.dtype})")
    if np.iscomplexobj(k):
        raise FilterLoadError(
            f"{where}: complex values (dtype {k.dtype}) are not allowed; a filter holds real numbers"
        )
    _check_shape(k.shape, where)
    if k.ndim == 3:
        k = k[:, :, 0]
    kf = k.astype(np.float64)
    bad = ~np.isfinite(kf)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise FilterLoadError(f"{where}: NaN or infinite value at row {r + 1}, column {c + 1}")
    big = np.abs(kf) > _FLOAT32_MAX
    if big.any():
        r, c = np.argwhere(big)[0]
        raise FilterLoadError(
            f"{where}: the value {kf[r, c]:g} at row {r + 1}, column {c + 1} does not fit in float32 "
            f"(|value| <= {_FLOAT32_MAX:.2g})"
        )
    return np.ascontiguousarray(kf, dtype=np.float32)


def load_filter(path: PathLike) -> np.ndarray:
    """Read a convolution kernel from ``.npy``, ``.txt`` / ``.csv`` (rows of numbers) or ``.json``.

    Text rows may separate numbers with commas, semicolons or spaces; ``#`` starts a comment. JSON holds a
    list of rows or an object ``{"kernel": [[...], ...]}``. A ``.npy`` file may hold ``(KH, KW)`` or
    ``(KH, KW, 1)`` numbers of any real dtype.

    Returns
    -------
    kernel : ``(KH, KW)`` float32, finite, at most :data:`MAX_FILTER_SIZE` a side.

    Raises
    ------
    FilterLoadError
        Naming the file and the problem: unknown extension, not a .npy file (and what it looks like), Python
        objects, ragged rows, non-numbers, complex, NaN/inf, too large for float32, empty, rank, size.
    """
    p = Path(path)
    where = repr(str(p))
    ext = p.suffix.lower()
    if ext not in FILTER_EXTENSIONS:
        raise FilterLoadError(
            f"{where}: unknown filter format {ext or '(no extension)'!r}. "
            f"Allowed: {', '.join(FILTER_EXTENSIONS)}"
        )
    if not p.is_file():
        raise FilterLoadError(f"{where}: no such file")
    if ext == ".npy":
        return _check_kernel(np.asarray(_load_npy(p, where)), where)
    text = _read_text(p, where)
    rows = _parse_json(text, where) if ext == ".json" else _parse_text_rows(text, where)
    return _check_kernel(_kernel_from_rows(rows, where), where)


def _fmt(v: float) -> str:
    """Shortest text that reads back to the same float32 (values are finite here)."""
    return str(int(v)) if v.is_integer() else repr(v)


def save_filter(path: PathLike, kernel: Any, name: str | None = None) -> Path:
    """Write a ``(KH, KW)`` kernel to ``.npy``, ``.txt`` (space-separated), ``.csv`` or ``.json``, atomically.

    Whatever :func:`save_filter` writes, :func:`load_filter` reads back exactly (float32 values).
    ``name`` is stored in JSON files (``{"name": ..., "kernel": ...}``) and as a comment in text files.
    """
    p = Path(path)
    k = _check_kernel(np.asarray(kernel), "kernel")
    ext = p.suffix.lower()
    if ext not in FILTER_EXTENSIONS:
        raise ValueError(
            f"{str(p)!r}: unknown filter format {ext!r}. Allowed: {', '.join(FILTER_EXTENSIONS)}"
        )
    rows = [[_fmt(float(v)) for v in row] for row in k]
    if ext == ".npy":

        def write(tmp: Path) -> None:
            with open(tmp, "wb") as fh:
                np.save(fh, k)
    elif ext == ".json":
        payload: dict[str, Any] = {"kernel": [[float(v) for v in row] for row in k]}
        if name:
            payload = {"name": name, **payload}
        text = json.dumps(payload, indent=1) + "\n"

        def write(tmp: Path) -> None:
            tmp.write_text(text, encoding="utf-8")
    else:
        sep = ", " if ext == ".csv" else " "
        head = f"# {name}\n" if name else ""
        text = head + "".join(sep.join(r) + "\n" for r in rows)

        def write(tmp: Path) -> None:
            tmp.write_text(text, encoding="utf-8")

    return atomic_write(p, write)
