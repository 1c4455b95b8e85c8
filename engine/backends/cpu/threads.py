"""How many Numba threads the cpu kernels split their work between, asked on every conv and dense call.

:func:`thread_count` is ``numba.get_num_threads()`` (the calling thread's count, as ``numba.set_num_threads``
left it). Its first call applies the process tuning (:func:`engine.tuning.tune_process`), which may switch it
to the C entry point behind Numba's wrapper (0.3 us instead of 3 us; see the ``thread_count`` setting there).
"""

from __future__ import annotations

from collections.abc import Callable

import numba
from numba.np.ufunc import parallel as _numba_parallel

__all__ = ["thread_count", "use_shortcut"]

_count: Callable[[], int] | None = None  # what thread_count calls, once the tuning has decided


def use_shortcut() -> bool:
    """Make :func:`thread_count` call Numba's C entry point directly. Returns False when this Numba has
    none."""
    global _count
    numba.get_num_threads()  # launches Numba's thread pool once (it is what sets the C entry point below)
    fast = getattr(_numba_parallel, "_get_num_threads", None)
    if not callable(fast):
        return False
    _count = fast
    return True


def thread_count() -> int:
    """Numba's thread count for the calling thread (see the module docstring)."""
    global _count
    if _count is None:
        from engine.tuning import tune_process

        tune_process()
        if _count is None:  # the shortcut was opted out of (or this Numba has no C entry point)
            _count = numba.get_num_threads
    return int(_count())
