"""Which engine backend the app runs on, decided in the engine thread before any other engine call.

The backend can be asked for with ``CONVSCOPE_BACKEND`` (``cpu``, ``reference``, ``cuda``). The app must start
whatever was asked: :func:`start_engine` runs as the engine thread's first job, so every job queued after it
(the convolution lab's first maps, the Network tab's data) already runs on the backend it settled on:

* ``cuda`` without a usable GPU falls back to ``cpu`` at once. When the CUDA driver library cannot even be
  loaded, numba.cuda is not imported at all (that import alone takes seconds);
* an unknown name falls back to ``cpu``;
* when the compiled kernels fail to build (a broken Numba install), the NumPy ``reference`` tier takes over.

The reasons come back as codes with details; the window words them in the current language.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["EngineStart", "cuda_driver_loadable", "start_engine"]

#: the CUDA driver library each platform loads (macOS has none)
_DRIVER_LIBRARIES = {"linux": ("libcuda.so.1", "libcuda.so"), "win32": ("nvcuda.dll",)}


@dataclass
class EngineStart:
    """How the engine started.

    Attributes
    ----------
    backend : the backend in use.
    requested : the backend asked for (``CONVSCOPE_BACKEND`` or the default).
    fallbacks : ``(code, detail)`` pairs, in order: ``"unknown_backend"`` (detail: the name asked for);
        cuda cannot run here: ``"no_driver"`` (detail: the driver library that does not load),
        ``"no_platform"`` (detail: the platform, which has no CUDA), ``"no_device"`` (no GPU found);
        ``"compile_failed"`` (detail: the error).
    """

    backend: str
    requested: str
    fallbacks: list[tuple[str, str]] = field(default_factory=list)


def cuda_driver_loadable() -> tuple[str, str] | None:
    """None when the CUDA driver library loads here (or the simulator needs none), else ``(code, detail)``:
    ``("no_platform", platform)`` or ``("no_driver", library)``. Imports nothing from numba."""
    from engine.backends.cuda_guard import simulator_enabled

    if simulator_enabled():
        return None
    platform = "linux" if sys.platform.startswith("linux") else sys.platform
    names = _DRIVER_LIBRARIES.get(platform)
    if not names:
        return "no_platform", sys.platform
    for name in names:
        try:
            ctypes.CDLL(name)
        except OSError:
            continue
        return None
    return "no_driver", names[0]


def _cuda_problem() -> tuple[str, str] | None:
    """None when the cuda backend can run here, else ``(code, detail)`` (see :class:`EngineStart`)."""
    problem = cuda_driver_loadable()
    if problem is not None:
        return problem
    from engine.backends.cuda_guard import cuda_available

    return None if cuda_available() else ("no_device", "")


def start_engine(warm_up: Callable[[], Any]) -> EngineStart:
    """Settle the backend (see the module docstring), then run ``warm_up`` (compile or load the kernels).

    Runs in the engine thread. Raises what ``warm_up`` raises when even the reference tier fails.
    """
    import engine
    from engine.config import BACKENDS

    requested = engine.get_backend()
    start = EngineStart(requested, requested)
    if requested not in BACKENDS:
        start.fallbacks.append(("unknown_backend", requested))
        engine.config.set("backend", "cpu")
    elif requested == "cuda":
        problem = _cuda_problem()
        if problem is not None:
            start.fallbacks.append(problem)
            engine.config.set("backend", "cpu")
    try:
        warm_up()
    except Exception as exc:
        if engine.get_backend() == "reference":
            raise
        start.fallbacks.append(("compile_failed", f"{type(exc).__name__}: {exc}"))
        engine.config.set("backend", "reference")
        warm_up()
    start.backend = engine.get_backend()
    return start
