"""File formats behind :mod:`engine.datasets`: MNIST's IDX files and CIFAR-10's python batches.

CIFAR-10 batches are pickles, and unpickling can run arbitrary code; :class:`RestrictedUnpickler` admits
only what those batches hold (dicts, lists, bytes, str, numbers and numpy arrays) and refuses every other
global with a :class:`DatasetError`, before anything is called.
"""

from __future__ import annotations

import gzip
import io as _io
import os
import pickle
import tarfile
from pathlib import Path
from typing import IO, Any

import numpy as np

PathLike = str | os.PathLike

_MAX_BYTES = 1 << 31  # refuse IDX payloads above 2 GiB (a header can claim anything)


class DatasetError(ValueError):
    """A dataset file or folder is missing, malformed or refused (the message names it)."""


# ------------------------------------------------------------------------------------------------- IDX

_IDX_TYPES = {0x08: np.dtype(np.uint8)}


def _open_maybe_gzip(path: Path) -> Any:
    with open(path, "rb") as fh:
        magic = fh.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")


def _read_idx(path: PathLike, ndim: int, what: str) -> np.ndarray:
    p = Path(path)
    where = repr(str(p))
    if not p.is_file():
        raise DatasetError(f"{where}: no such file ({what})")
    try:
        with _open_maybe_gzip(p) as fh:
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
            dims = tuple(int(d) for d in np.frombuffer(raw_dims, dtype=">u4"))
            count = int(np.prod(dims, dtype=np.int64))
            if count > _MAX_BYTES:
                raise DatasetError(f"{where}: IDX header claims {count:,} bytes, over the 2 GiB limit")
            data = fh.read(count + 1)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise DatasetError(f"{where}: cannot read ({exc})") from None
    if len(data) < count:
        raise DatasetError(
            f"{where}: truncated: the header says {dims} = {count:,} values, the file holds {len(data):,}"
        )
    if len(data) > count:
        raise DatasetError(f"{where}: extra bytes after the {dims} array (not an IDX file?)")
    return np.frombuffer(data, dtype=np.uint8).reshape(dims).copy()


def load_mnist_idx(images_path: PathLike, labels_path: PathLike) -> tuple[np.ndarray, np.ndarray]:
    """Read MNIST-style IDX files (``train-images-idx3-ubyte[.gz]``, ``train-labels-idx1-ubyte[.gz]``).

    Gzip is detected from the file's first bytes, not its name.

    Returns
    -------
    x : ``(N, H, W, 1)`` uint8.
    y : ``(N,)`` uint8.
    """
    x = _read_idx(images_path, 3, "images")
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


def _allowed_globals() -> dict[tuple[str, str], Any]:
    # Take the reconstructors from numpy itself, so that old ("numpy.core") and new ("numpy._core") module
    # names both map onto this numpy's functions.
    reconstruct = np.zeros(1).__reduce__()[0]
    frombuffer = np.zeros(1).__reduce_ex__(5)[0]
    scalar = np.float64(0).__reduce__()[0]
    allowed: dict[tuple[str, str], Any] = {
        ("numpy", "ndarray"): np.ndarray,
        ("numpy", "dtype"): np.dtype,
        ("_codecs", "encode"): _latin1_bytes,
    }
    for mod in ("numpy.core.multiarray", "numpy._core.multiarray"):
        allowed[(mod, "_reconstruct")] = reconstruct
        allowed[(mod, "scalar")] = scalar
    for mod in ("numpy.core.numeric", "numpy._core.numeric"):
        allowed[(mod, "_frombuffer")] = frombuffer
    return allowed


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler for data only: dicts, lists, tuples, bytes, str, numbers and numpy arrays.

    Any other global (a function, a class) is refused by :meth:`find_class` with a :class:`DatasetError`,
    so a payload that would run code never gets the callable it needs.
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


def restricted_loads(data: bytes, where: str = "data") -> Any:
    """Unpickle ``data`` with :class:`RestrictedUnpickler`; malformed input raises :class:`DatasetError`."""
    try:
        return RestrictedUnpickler(_io.BytesIO(data), where).load()
    except DatasetError:
        raise
    except Exception as exc:  # pickle raises many types on garbage input
        raise DatasetError(f"{where}: not a readable pickle ({type(exc).__name__}: {exc})") from None


def _get(d: dict, key: str) -> Any:
    return d.get(key.encode(), d.get(key))


def _batch(data: bytes, where: str) -> tuple[np.ndarray, np.ndarray]:
    d = restricted_loads(data, where)
    if not isinstance(d, dict):
        raise DatasetError(f"{where}: a CIFAR-10 batch is a dict; found {type(d).__name__}")
    raw, labels = _get(d, "data"), _get(d, "labels")
    if raw is None or labels is None:
        raise DatasetError(f"{where}: a CIFAR-10 batch needs 'data' and 'labels' entries")
    raw = np.asarray(raw)
    if raw.dtype != np.uint8 or raw.ndim != 2 or raw.shape[1] != 3072:
        raise DatasetError(f"{where}: 'data' must be uint8 (N, 3072); found {raw.dtype} {raw.shape}")
    y = np.asarray(labels)
    if y.shape != (raw.shape[0],) or not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() > 9:
        raise DatasetError(f"{where}: 'labels' must be {raw.shape[0]} integers in 0..9")
    x = raw.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)  # (N, 32, 32, 3)
    return np.ascontiguousarray(x), y.astype(np.uint8)


def _cifar_sources(path: Path) -> dict[str, bytes]:
    """Map batch names (``data_batch_1``, ..., ``test_batch``) to their bytes, from a folder or a tarball."""
    names: dict[str, bytes] = {}
    if path.is_file():
        try:
            with tarfile.open(path, "r:*") as tar:
                for m in tar.getmembers():
                    base = Path(m.name).name
                    if m.isfile() and (base.startswith("data_batch_") or base == "test_batch"):
                        fh = tar.extractfile(m)
                        if fh is not None:
                            names[base] = fh.read()
        except (tarfile.TarError, OSError) as exc:
            raise DatasetError(f"{str(path)!r}: not a CIFAR-10 folder or tar archive ({exc})") from None
        return names
    if not path.is_dir():
        raise DatasetError(f"{str(path)!r}: no such folder or archive")
    if (path / "cifar-10-batches-py").is_dir():
        path = path / "cifar-10-batches-py"
    for f in sorted(path.iterdir()):
        if f.is_file() and (f.name.startswith("data_batch_") or f.name == "test_batch"):
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
    train = [_batch(sources[n], f"{str(p / n)!r}") for n in train_names]
    x_te, y_te = _batch(sources["test_batch"], f"{str(p / 'test_batch')!r}")
    x_tr = np.concatenate([b[0] for b in train])
    y_tr = np.concatenate([b[1] for b in train])
    return (x_tr, y_tr), (x_te, y_te)
