"""How many Numba threads the cpu kernels split their work between, asked on every conv and dense call.

:func:`thread_count` is ``numba.get_num_threads()`` (the calling thread's count, as ``numba.set_num_threads``
left it). Its first call applies the process tuning (:func:`engine.tuning.tune_process`), which may switch it
to the C entry point behind Numba's wrapper (0.3 us instead of 3 us; see the ``thread_count`` setting there).

:func:`serialised` makes the tier safe to call from several Python threads on every Numba threading layer.
TBB and OpenMP take concurrent parallel launches; ``workqueue`` (what a machine without either gets, or
``NUMBA_THREADING_LAYER=workqueue``) aborts the whole process ("Concurrent access has been detected") when two
threads enter parallel kernels at once. Every kernel call of the tier then holds one process-wide lock: the
calls run one after the other, each still on all of Numba's threads. Which layer Numba chose is known once its
thread pool has started (the first kernel call); until then calls take the lock, and after it only a
``workqueue`` process keeps taking it (a bool test per call elsewhere).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
from numba.np.ufunc import parallel as _numba_parallel

__all__ = ["serialised", "serialising", "thread_count", "use_shortcut"]

_count: Callable[[], int] | None = None  # what thread_count calls, once the tuning has decided

_F = TypeVar("_F", bound=Callable[..., Any])
_launch_lock = threading.RLock()  # held around each kernel call while kernels must not run concurrently
_serialise: bool | None = None  # None until Numba's threading layer is known (see the module docstring)


def serialising() -> bool | None:
    """True when kernel calls are serialised (the ``workqueue`` layer), False when they run concurrently, None
    while Numba has not chosen its layer yet (no kernel has run)."""
    return _serialise


def _decide() -> None:
    global _serialise
    try:
        layer = numba.threading_layer()
    except ValueError:  # the thread pool has not started: no parallel kernel ran yet
        return
    _serialise = layer == "workqueue"


def serialised(fn: _F) -> _F:
    """``fn`` (a tier function that runs parallel kernels), holding the launch lock while Numba's threading
    layer cannot take concurrent launches (see the module docstring)."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if _serialise is False:
            return fn(*args, **kwargs)
        with _launch_lock:
            try:
                return fn(*args, **kwargs)
            finally:
                if _serialise is None:
                    _decide()

    return cast(_F, call)


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
