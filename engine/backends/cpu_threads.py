"""Keep NumPy's OpenBLAS threads from starving Numba's: a short BLAS spin-wait.

The CPU tier alternates two thread pools: Numba's (the ``prange`` kernels) and OpenBLAS's (the matrix products
of convolution and dense layers). After every BLAS call OpenBLAS's worker threads busy-wait for about 2**28
cycles (a tenth of a second) before sleeping. On a machine with few cores those spinning threads take the
cores that the next Numba kernel needs: a 2 microsecond bias kernel run right after a matrix product was
measured at 8 ms on 2 cores, and whole layers ran 10 to 50 times slower.

With NumPy's bundled OpenBLAS the convolution and dense kernels now call a single-threaded sgemm from inside
their own Numba threads (:mod:`engine.backends.cpu_blas`), so in training the two pools no longer alternate;
the short spin still matters for the host-BLAS fallback path and for any NumPy product run between kernels.

:func:`thread_count` reads Numba's thread count without the locks of ``numba.get_num_threads()``'s Python
wrapper (the wrappers of the conv and dense kernels ask for it on every call).

OpenBLAS reads the spin length from ``OPENBLAS_THREAD_TIMEOUT`` (as a power of two; 4 is the minimum) when
it starts its thread pool. :func:`shorten_blas_spin` sets that variable (unless the user already chose a
value), asks the already-loaded OpenBLAS to re-read its environment and stops its pool; the next BLAS call
restarts it with the short spin. BLAS speed itself is unchanged. Anything other than NumPy's bundled
OpenBLAS (MKL, Accelerate, a system library without these entry points) is left alone.
"""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

import numba
import numpy as np
from numba.np.ufunc import parallel as _numba_parallel

ENV_VAR = "OPENBLAS_THREAD_TIMEOUT"
SHORT_SPIN = "4"

_done = False
_thread_count = None  # the C entry point behind numba.get_num_threads, once Numba's pool is up


def _numpy_openblas() -> ctypes.CDLL | None:
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


def shorten_blas_spin() -> bool:
    """Make OpenBLAS's idle threads sleep almost at once (see the module docstring). Idempotent.

    Returns
    -------
    bool
        True when the spin is short now (set here or by the user's ``OPENBLAS_THREAD_TIMEOUT``), False when
        the BLAS is not NumPy's OpenBLAS and nothing was changed.
    """
    global _done
    if _done:
        return True
    lib = _numpy_openblas()
    if lib is None:
        return False
    os.environ.setdefault(ENV_VAR, SHORT_SPIN)  # child processes inherit it too
    lib.openblas_thread_timeout.restype = ctypes.c_int
    lib.openblas_read_env()
    if lib.openblas_thread_timeout() > 0:
        lib.blas_thread_shutdown_()  # restarted on the next BLAS call, with the new spin
    _done = True
    return True


def _resolve_thread_count():
    numba.get_num_threads()  # launches Numba's thread pool once (it is what sets the C entry point below)
    fast = getattr(_numba_parallel, "_get_num_threads", None)
    return fast if callable(fast) else numba.get_num_threads


def thread_count() -> int:
    """``numba.get_num_threads()`` (the calling thread's count, as ``set_num_threads`` left it), without the
    locks its Python wrapper takes on every call: 0.3 us instead of 3 us, which was 6% of a one-image forward
    pass of the lesson network (four calls per pass)."""
    global _thread_count
    if _thread_count is None:
        _thread_count = _resolve_thread_count()
    return int(_thread_count())
