"""Process-wide tuning for the cpu tier, in one documented place. Never applied at import.

Three settings change how the whole process behaves, so they are applied by :func:`tune_process` only: the
first time a cpu kernel asks for the thread count (the first conv or dense call), or earlier by an explicit
call, which the app's engine thread and the benches make. Each has its own opt-out; ``CONVSCOPE_NO_TUNING=1``
turns all three off. Calling :func:`tune_process` again does nothing more.

``malloc`` (opt out: ``CONVSCOPE_NO_MALLOPT=1``, or set glibc's own ``MALLOC_MMAP_THRESHOLD_`` /
``MALLOC_TRIM_THRESHOLD_``)
    Every cpu op returns new arrays and a training step allocates and frees tens of megabytes. glibc serves
    blocks above its mmap threshold (128 KiB at first) with fresh pages and returns them on ``free``, so the
    next step page-faults them in again. Measured on the lesson network, 2 threads, batch 64: 670-970 faults
    and 30-34 ms per step, 28 ms without them. ``mallopt`` raises the mmap threshold to :data:`MMAP_THRESHOLD`
    and the trim threshold to :data:`TRIM_THRESHOLD`: freed blocks are reused from the heap instead.
    Linux/glibc only.

``blas_spin`` (opt out: ``CONVSCOPE_NO_BLAS_SPIN=1``, or set ``OPENBLAS_THREAD_TIMEOUT`` yourself)
    After every call NumPy's OpenBLAS keeps its worker threads spinning for about 2**28 cycles. On a machine
    with few cores they take the cores the next Numba kernel needs (a 2 us kernel run after a matrix product
    measured 8 ms on 2 cores). ``OPENBLAS_THREAD_TIMEOUT=4`` (the minimum) makes them sleep almost at once;
    OpenBLAS is asked to re-read its environment and its pool restarts on the next call. BLAS speed itself is
    unchanged. Only NumPy's bundled OpenBLAS is touched.

``thread_count`` (opt out: ``CONVSCOPE_NO_THREAD_SHORTCUT=1``)
    The conv and dense kernels ask Numba for its thread count on every call; ``numba.get_num_threads()`` takes
    locks in its Python wrapper (3 us, 6% of a one-image forward pass). The shortcut calls the C entry point
    behind it (Numba's private ``_get_num_threads``): 0.3 us, same answer.
"""

from __future__ import annotations

import ctypes
import os
import sys

__all__ = ["MMAP_THRESHOLD", "OPT_OUTS", "TRIM_THRESHOLD", "applied", "tune_process"]

#: the environment variable that turns every setting off, and the one per setting
NO_TUNING = "CONVSCOPE_NO_TUNING"
OPT_OUTS = {
    "malloc": "CONVSCOPE_NO_MALLOPT",
    "blas_spin": "CONVSCOPE_NO_BLAS_SPIN",
    "thread_count": "CONVSCOPE_NO_THREAD_SHORTCUT",
}

M_TRIM_THRESHOLD = -1  # glibc malloc.h
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 256 * 1024 * 1024  # blocks below this come from the heap (glibc may cap it: then 32 MiB)
TRIM_THRESHOLD = 512 * 1024 * 1024  # free memory kept at the top of the heap before it is returned
MALLOC_USER_VARS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")
BLAS_SPIN_VAR = "OPENBLAS_THREAD_TIMEOUT"
SHORT_SPIN = "4"

_applied: dict[str, bool] | None = None


def _opted_out(setting: str) -> bool:
    return any(os.environ.get(var, "") not in ("", "0") for var in (NO_TUNING, OPT_OUTS[setting]))


def _keep_freed_memory() -> bool:
    if not sys.platform.startswith("linux") or any(v in os.environ for v in MALLOC_USER_VARS):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    if not mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) and not mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024):
        return False
    mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    return True


def _shorten_blas_spin() -> bool:
    from engine.backends.cpu._blas import numpy_openblas

    lib = numpy_openblas()
    if lib is None:
        return False
    if BLAS_SPIN_VAR in os.environ:
        return True  # the user's own choice; OpenBLAS read it when it started
    os.environ[BLAS_SPIN_VAR] = SHORT_SPIN  # child processes inherit it too
    lib.openblas_thread_timeout.restype = ctypes.c_int
    lib.openblas_read_env()
    if lib.openblas_thread_timeout() > 0:
        lib.blas_thread_shutdown_()  # restarted on the next BLAS call, with the new spin
    return True


def _thread_count_shortcut() -> bool:
    from engine.backends.cpu import threads

    return threads.use_shortcut()


def tune_process() -> dict[str, bool]:
    """Apply the three settings of the module docstring once per process; later calls return the same answer.

    Returns
    -------
    dict
        ``{"malloc": bool, "blas_spin": bool, "thread_count": bool}``: True where the setting is in effect,
        False where it was opted out of or does not apply here (another C library or BLAS).
    """
    global _applied
    if _applied is None:
        _applied = {}  # set first: the thread-count shortcut asks for the thread count, which calls us again
        steps = (
            ("malloc", _keep_freed_memory),
            ("blas_spin", _shorten_blas_spin),
            ("thread_count", _thread_count_shortcut),
        )
        for setting, apply in steps:
            _applied[setting] = False if _opted_out(setting) else bool(apply())
    return dict(_applied)


def applied() -> dict[str, bool] | None:
    """What :func:`tune_process` did, or None when it has not run yet in this process."""
    return None if _applied is None else dict(_applied)
