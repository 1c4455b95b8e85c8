"""NumPy's OpenBLAS ``sgemm`` callable from inside jitted kernels, one BLAS thread per Numba thread.

Why: a convolution as im2col + one big BLAS call alternates two thread pools (Numba's for the copy kernels,
OpenBLAS's for the product); every hand-off costs, the ``cols`` matrix round-trips through main memory, and
on a busy 2-core machine each pool waits for the core the other holds. Calling ``sgemm`` from *inside* a
``prange`` over threads instead lets each Numba thread fill a small ``cols`` block (it stays in its L2 cache)
and multiply it at once with a single-threaded BLAS: one pool, one parallel region per layer.

:data:`SGEMM` is the ``cblas_sgemm`` entry point of the OpenBLAS that NumPy's wheels bundle (64-bit ints), as
a ctypes function that jitted code receives as an *argument* (so the kernels stay cacheable: a ctypes global
would pin a process-specific address into the cache). It is None when NumPy's BLAS is something else (MKL,
Accelerate, a system library); :mod:`engine.backends.cpu.conv` then falls back to host-side ``np.matmul``.

While such kernels run, OpenBLAS must not start threads of its own (several Numba threads calling a threaded
BLAS at once would queue on its one pool): :func:`single_threaded_blas` sets OpenBLAS to one thread for the
duration and restores the previous count when the last concurrent user leaves.
"""

from __future__ import annotations

import ctypes
import threading
from pathlib import Path
from typing import Any

import numpy as np

# CBLAS enums (cblas.h)
ROW_MAJOR = 101
NO_TRANS = 111
TRANS = 112

_I64 = ctypes.c_int64
_F32 = ctypes.c_float
# cblas_sgemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc); pointers passed as int64
_SGEMM_PROTO = ctypes.CFUNCTYPE(
    None,
    ctypes.c_int,
    ctypes.c_int,
    ctypes.c_int,
    _I64,
    _I64,
    _I64,
    _F32,
    _I64,
    _I64,
    _I64,
    _I64,
    _F32,
    _I64,
    _I64,
)

_SYMBOLS = ("scipy_cblas_sgemm64_", "scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_")


def numpy_openblas() -> ctypes.CDLL | None:
    """The OpenBLAS shared library NumPy has loaded (its wheels bundle one in ``numpy.libs``), or None."""
    libs_dir = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    candidates = sorted(libs_dir.glob("libscipy_openblas*.so*")) + sorted(libs_dir.glob("libopenblas*.so*"))
    for path in candidates:
        try:
            lib = ctypes.CDLL(str(path))  # already loaded by NumPy: this returns the same instance
        except OSError:
            continue
        if all(
            hasattr(lib, name)
            for name in ("openblas_read_env", "blas_thread_shutdown_", "openblas_thread_timeout")
        ):
            return lib
    return None


def _load() -> tuple[Any, Any, Any]:
    lib = numpy_openblas()
    if lib is None or not all(hasattr(lib, name) for name in _SYMBOLS):
        return None, None, None
    sgemm = _SGEMM_PROTO((_SYMBOLS[0], lib))
    set_n = getattr(lib, _SYMBOLS[1])
    set_n.argtypes = [ctypes.c_int]
    set_n.restype = None
    get_n = getattr(lib, _SYMBOLS[2])
    get_n.argtypes = []
    get_n.restype = ctypes.c_int
    return sgemm, set_n, get_n


SGEMM, _set_threads, _get_threads = _load()

_lock = threading.Lock()
_users = 0
_saved = 1
_held = threading.local()  # depth of nested blocks in the current thread


class _SingleThreadedBlas:
    """The context manager behind :func:`single_threaded_blas` (a class, not a generator: entering a nested
    block in a thread that already holds one only bumps a thread-local counter, about 0.2 us)."""

    __slots__ = ()

    def __enter__(self) -> None:
        global _users, _saved
        depth = getattr(_held, "depth", 0)
        _held.depth = depth + 1
        if depth or _set_threads is None or _get_threads is None:
            return
        with _lock:
            if _users == 0:
                _saved = int(_get_threads())
                if _saved != 1:
                    _set_threads(1)
            _users += 1

    def __exit__(self, *exc: object) -> None:
        global _users
        depth = _held.depth - 1
        _held.depth = depth
        if depth or _set_threads is None or _get_threads is None:
            return
        with _lock:
            _users -= 1
            if _users == 0 and _saved != 1:
                _set_threads(_saved)


_BLOCK = _SingleThreadedBlas()


def single_threaded_blas() -> _SingleThreadedBlas:
    """OpenBLAS runs each call in the calling thread while inside this block (re-entrant, thread-safe): the
    first block entered in any thread sets OpenBLAS to one thread, the last one left restores its count."""
    return _BLOCK
