"""File formats behind :mod:`engine.datasets`: MNIST's IDX files and CIFAR-10's python batches.

CIFAR-10 batches are pickles, and unpickling can run arbitrary code; :class:`RestrictedUnpickler` admits
only what those batches hold (dicts, lists, bytes, str, numbers and numpy arrays) and refuses every other
global with a :class:`DatasetError`, before anything is called. Before unpickling, :func:`restricted_loads`
walks the opcodes without running them and refuses lengths and memo indices that the data cannot hold
(the C unpickler would allocate them first). IDX headers are checked against the file's length before any
array is made.
"""

from __future__ import annotations

import gzip
import io as _io
import math
import os
import pickle
import pickletools
import struct
import tarfile
from pathlib import Path
from typing import IO, Any
from zlib import error as zlib_error

import numpy as np

from engine import config

PathLike = str | os.PathLike

_MAX_BYTES = 1 << 31  # refuse IDX payloads above 2 GiB (a header can claim anything)
#: a CIFAR-10 python batch is 31 MB; larger files or archive members are refused before being read
MAX_BATCH_BYTES = 256 << 20
_GZIP_CHUNK = 16 << 20


class DatasetError(ValueError):
    """A dataset file or folder is missing, malformed or refused (the message names it)."""


# ------------------------------------------------------------------------------------------------- IDX

_IDX_TYPES = {0x08: np.dtype(np.uint8)}


def _read_exactly(fh: Any, count: int) -> bytes:
    """Read up to ``count + 1`` bytes in chunks: a lying length never allocates more than the data holds."""
    parts: list[bytes] = []
    got = 0
    while got <= count:
        chunk = fh.read(min(_GZIP_CHUNK, count + 1 - got))
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def _read_idx(path: PathLike, ndim: int, what: str) -> np.ndarray:
    p = Path(path)
    where = repr(str(p))
    if not p.is_file():
        raise DatasetError(f"{where}: no such file ({what})")
    try:
        gzipped = False
        with open(p, "rb") as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
        with gzip.open(p, "rb") if gzipped else open(p, "rb") as fh:
            head = fh.read(4)
            if len(head) < 4 or head[0] != 0 or head[1] != 0:
                raise DatasetError(f"{where}: not an IDX file (bad magic number {head.hex() or 'empty'})")
            if head[2] not in _IDX_TYPES:
                raise DatasetError(
                    f"{where}: IDX element type 0x{head[2]:02x} is not supported; "
                    "MNIST files hold unsigned bytes (0x08)"
                )
            if head[3] != ndim:
                raise DatasetError(f"{where}: {what} must be a {ndim}-D IDX array; this one is {head[3]}-D")
            raw_dims = fh.read(4 * ndim)
            if len(raw_dims) < 4 * ndim:
                raise DatasetError(f"{where}: truncated IDX header")
            dims = struct.unpack(f">{ndim}I", raw_dims)  # Python ints: a product never overflows
            count = math.prod(dims)
            if count > _MAX_BYTES:
                raise DatasetError(
                    f"{where}: the IDX header claims {dims} = {count:,} bytes, over the 2 GiB limit "
                    "(a damaged header, or not an IDX file)"
                )
            if ndim == 3:
                _check_idx_images(dims, where)
            if not gzipped:
                held = p.stat().st_size - (4 + 4 * ndim)
                if held < count:
                    raise DatasetError(
                        f"{where}: truncated: the header says {dims} = {count:,} bytes, the file holds "
                        f"{held:,} after the header"
                    )
            data = _read_exactly(fh, count)
    except (OSError, EOFError, gzip.BadGzipFile, zlib_error) as exc:
        raise DatasetError(f"{where}: cannot read ({exc})") from None
    if len(data) < count:
        raise DatasetError(
            f"{where}: truncated: the header says {dims} = {count:,} bytes, the file holds {len(data):,}"
        )
    if len(data) > count:
        extra = (p.stat().st_size - (4 + 4 * ndim) - count) if not gzipped else len(data) - count
        raise DatasetError(
            f"{where}: {extra:,} bytes more than the header's {dims} = {count:,} bytes (not an IDX file?)"
        )
    return np.frombuffer(data, dtype=np.uint8).reshape(dims).copy()


def _check_idx_images(dims: tuple[int, ...], where: str) -> None:
    h, w = dims[1], dims[2]
    if h < 1 or w < 1:
        raise DatasetError(f"{where}: the header gives images of {h}x{w} pixels; images must be at least 1x1")
    limit = int(config.get("max_image_pixels"))
    if h * w > limit:
        raise DatasetError(
            f"{where}: the header gives images of {h}x{w} = {h * w:,} pixels, over the limit "
            f"max_image_pixels={limit:,}"
        )


def load_mnist_idx(images_path: PathLike, labels_path: PathLike) -> tuple[np.ndarray, np.ndarray]:
    """Read MNIST-style IDX files (``train-images-idx3-ubyte[.gz]``, ``train-labels-idx1-ubyte[.gz]``).

    Gzip is detected from the file's first bytes, not its name.

    Returns
    -------
    x : ``(N, H, W, 1)`` uint8.
    y : ``(N,)`` uint8.
    """
    x = _read_idx(images_path, 3, "images")
    if x.shape[0] == 0:
        raise DatasetError(
            f"{str(images_path)!r} holds 0 images (header {x.shape}); a data set needs at least 1 image"
        )
    y = _read_idx(labels_path, 1, "labels")
    if x.shape[0] != y.shape[0]:
        raise DatasetError(
            f"{str(images_path)!r} holds {x.shape[0]} images but {str(labels_path)!r} holds "
            f"{y.shape[0]} labels"
        )
    return x[..., None], y


# ------------------------------------------------------------------------------------------- CIFAR-10


def _latin1_bytes(text: str, encoding: str = "latin1") -> bytes:
    """What protocol-2 pickles written by Python 3 call (as ``_codecs.encode``) to rebuild ``bytes``."""
    if not isinstance(text, str) or encoding.replace("-", "").lower() != "latin1":
        raise DatasetError(f"refused _codecs.encode({type(text).__name__}, {encoding!r}): only latin1 text")
    return text.encode("latin1")


def _empty_bytes(*args: Any) -> bytes:
    """What protocol-2 pickles written by Python 3 call (as ``__builtin__.bytes()``) for ``b""``."""
    if args:
        raise DatasetError(f"refused bytes(...) with arguments {args[:2]!r}: only bytes() is allowed")
    return b""


class _NdarrayClass:
    """Stands for ``numpy.ndarray`` in a pickle: passed to ``_reconstruct``, never called."""

    def __repr__(self) -> str:
        return "numpy.ndarray"


_NDARRAY = _NdarrayClass()
_MAX_ITEMSIZE = 1 << 16


def _allowed_globals() -> dict[tuple[str, str], Any]:
    # Take the reconstructors from numpy itself, so that old ("numpy.core") and new ("numpy._core") module
    # names both map onto this numpy's functions.
    reconstruct: Any = np.zeros(1).__reduce__()[0]
    frombuffer: Any = np.zeros(1).__reduce_ex__(5)[0]
    scalar: Any = np.float64(0).__reduce__()[0]

    def dtype(*args: Any) -> np.dtype:
        d = np.dtype(*args)
        if d.hasobject:
            raise DatasetError(f"refused an array of Python objects (dtype {d}): only numbers are allowed")
        if d.itemsize > _MAX_ITEMSIZE:
            raise DatasetError(f"refused dtype {d} of {d.itemsize:,} bytes per item")
        return d

    def safe_reconstruct(subtype: Any, shape: Any, code: Any) -> np.ndarray:
        # numpy pickles an array as _reconstruct(ndarray, (0,), b'b') then sets the real shape and data,
        # which __setstate__ checks against the bytes given; refuse anything else
        if subtype is not _NDARRAY or not isinstance(shape, tuple) or math.prod(shape) > 1:
            raise DatasetError(f"refused numpy _reconstruct({subtype!r}, {shape!r}, ...)")
        return reconstruct(np.ndarray, shape, code)

    allowed: dict[tuple[str, str], Any] = {
        ("numpy", "ndarray"): _NDARRAY,
        ("numpy", "dtype"): dtype,
        ("_codecs", "encode"): _latin1_bytes,
        ("__builtin__", "bytes"): _empty_bytes,
        ("builtins", "bytes"): _empty_bytes,
    }
    for mod in ("numpy.core.multiarray", "numpy._core.multiarray"):
        allowed[(mod, "_reconstruct")] = safe_reconstruct
        allowed[(mod, "scalar")] = scalar
    for mod in ("numpy.core.numeric", "numpy._core.numeric"):
        allowed[(mod, "_frombuffer")] = frombuffer
    return allowed


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler for data only: dicts, lists, tuples, bytes, str, numbers and numpy arrays of numbers.

    Any other global (a function, a class) is refused by :meth:`find_class` with a :class:`DatasetError`,
    so a payload that would run code never gets the callable it needs. Use it through
    :func:`restricted_loads`, which also checks the opcodes' lengths first.
    """

    def __init__(self, file: IO[bytes], where: str) -> None:
        super().__init__(file, encoding="bytes")
        self._where = where
        self._allowed = _allowed_globals()

    def find_class(self, module: str, name: str) -> Any:
        key = (module, name)
        if key in self._allowed:
            return self._allowed[key]
        raise DatasetError(
            f"{self._where}: refused to unpickle {module}.{name}: only dicts, lists, bytes and numpy arrays "
            "are allowed (the file may try to run code)"
        )


_MEMO_OPS = ("PUT", "BINPUT", "LONG_BINPUT")


def _check_opcodes(data: bytes, where: str) -> None:
    """Walk the pickle's opcodes without running them: every length must fit in the data (``genops`` reads
    arguments from the bytes, so a lying length fails here), and memo indices stay below the opcode count."""
    n = 0
    try:
        for op, arg, _pos in pickletools.genops(data):
            n += 1
            if op.name in _MEMO_OPS and isinstance(arg, int) and arg > n:
                raise DatasetError(f"{where}: not a readable pickle (memo index {arg:,} after {n:,} opcodes)")
    except DatasetError:
        raise
    except Exception as exc:  # genops raises ValueError on truncated arguments and unknown opcodes
        raise DatasetError(f"{where}: not a readable pickle ({type(exc).__name__}: {exc})") from None


def restricted_loads(data: bytes, where: str = "data") -> Any:
    """Unpickle ``data`` with :class:`RestrictedUnpickler`; malformed input raises :class:`DatasetError`."""
    if not data:
        raise DatasetError(f"{where}: the file is empty (0 bytes)")
    _check_opcodes(data, where)
    try:
        return RestrictedUnpickler(_io.BytesIO(data), where).load()
    except DatasetError as exc:
        message = str(exc)
        raise DatasetError(message if message.startswith(where) else f"{where}: {message}") from None
    except Exception as exc:  # pickle raises many types on garbage input
        raise DatasetError(f"{where}: not a readable pickle ({type(exc).__name__}: {exc})") from None


def _get(d: dict, key: str) -> Any:
    return d.get(key.encode(), d.get(key))


def _describe(values: np.ndarray) -> str:
    """What a ``labels`` entry holds, in words, for error messages."""
    if values.dtype.kind in "USa":
        return f"strings (dtype {values.dtype})"
    if values.dtype.kind == "O":
        kinds = sorted({type(v).__name__ for v in values.ravel()[:100]})
        return f"Python objects ({', '.join(kinds)})"
    if values.size == 0:
        return f"an empty {values.dtype} array"
    if values.dtype.kind in "biuf":
        return f"{values.dtype} values from {float(values.min()):g} to {float(values.max()):g}"
    return f"dtype {values.dtype}"


def _batch(data: bytes, where: str) -> tuple[np.ndarray, np.ndarray]:
    d = restricted_loads(data, where)
    if not isinstance(d, dict):
        raise DatasetError(f"{where}: a CIFAR-10 batch is a dict; found {type(d).__name__}")
    raw, labels = _get(d, "data"), _get(d, "labels")
    if raw is None or labels is None:
        raise DatasetError(f"{where}: a CIFAR-10 batch needs 'data' and 'labels' entries")
    if not isinstance(raw, np.ndarray):
        raise DatasetError(f"{where}: 'data' must be uint8 (N, 3072); found {type(raw).__name__}")
    if raw.dtype != np.uint8 or raw.ndim != 2 or raw.shape[1] != 3072:
        raise DatasetError(f"{where}: 'data' must be uint8 (N, 3072); found {raw.dtype} {raw.shape}")
    n = raw.shape[0]
    if n == 0:
        raise DatasetError(f"{where}: the batch holds 0 images; a data set needs at least 1 image")
    try:
        y = np.asarray(labels)
    except ValueError:  # ragged lists
        y = np.asarray(labels, dtype=object)
    ok = y.shape == (n,) and y.dtype.kind in "iu" and int(y.min()) >= 0 and int(y.max()) <= 9
    if not ok:
        if y.ndim == 1 and y.shape[0] != n:
            got = f"{y.shape[0]} labels of "
        elif y.shape != (n,):
            got = f"shape {y.shape}, "
        else:
            got = ""
        raise DatasetError(
            f"{where}: 'labels' must be {n} integers in 0..9 (one per image); received {got}{_describe(y)}"
        )
    x = raw.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)  # (N, 32, 32, 3)
    return np.ascontiguousarray(x), y.astype(np.uint8)


def _too_big(where: str, size: int) -> DatasetError:
    return DatasetError(
        f"{where}: {size:,} bytes; a CIFAR-10 batch is about 31 MB, at most {MAX_BATCH_BYTES:,} bytes"
    )


def _cifar_sources(path: Path) -> dict[str, bytes]:
    """Map batch names (``data_batch_1``, ..., ``test_batch``) to their bytes, from a folder or a tarball."""
    names: dict[str, bytes] = {}
    if path.is_file():
        try:
            with tarfile.open(path, "r:*") as tar:
                for m in tar:
                    base = Path(m.name).name
                    if m.isfile() and (base.startswith("data_batch_") or base == "test_batch"):
                        if m.size > MAX_BATCH_BYTES:
                            raise _too_big(f"{str(path)!r} member {m.name!r}", m.size)
                        fh = tar.extractfile(m)
                        if fh is not None:
                            names[base] = fh.read(MAX_BATCH_BYTES + 1)
        except (tarfile.TarError, OSError, EOFError, zlib_error) as exc:
            raise DatasetError(f"{str(path)!r}: not a CIFAR-10 folder or tar archive ({exc})") from None
        return names
    if not path.is_dir():
        raise DatasetError(f"{str(path)!r}: no such folder or archive")
    if (path / "cifar-10-batches-py").is_dir():
        path = path / "cifar-10-batches-py"
    for f in sorted(path.iterdir()):
        if f.is_file() and (f.name.startswith("data_batch_") or f.name == "test_batch"):
            size = f.stat().st_size
            if size > MAX_BATCH_BYTES:
                raise _too_big(repr(str(f)), size)
            names[f.name] = f.read_bytes()
    return names


def load_cifar10(path: PathLike) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Read the CIFAR-10 python batches from a folder (or its parent, or the ``.tar.gz`` archive).

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        ``x`` is ``(N, 32, 32, 3)`` uint8, ``y`` is ``(N,)`` uint8 in 0..9 (see ``CIFAR10_CLASSES``).
    """
    p = Path(path)
    sources = _cifar_sources(p)
    train_names = sorted((n for n in sources if n.startswith("data_batch_")), key=lambda n: (len(n), n))
    if not train_names or "test_batch" not in sources:
        raise DatasetError(
            f"{str(p)!r}: expected data_batch_1 ... data_batch_5 and test_batch (found: "
            f"{', '.join(sorted(sources)) or 'none'})"
        )
    folder = p / "cifar-10-batches-py" if (p / "cifar-10-batches-py").is_dir() else p
    train = [_batch(sources[n], f"{str(folder / n)!r}") for n in train_names]
    x_te, y_te = _batch(sources["test_batch"], f"{str(folder / 'test_batch')!r}")
    x_tr = np.concatenate([b[0] for b in train])
    y_tr = np.concatenate([b[1] for b in train])
    return (x_tr, y_tr), (x_te, y_te)
