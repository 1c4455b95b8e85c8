"""Whether the ``cuda`` tier can run here, and why not, without importing the tier (or numba.cuda) eagerly."""

from __future__ import annotations

import os
import sys

__all__ = [
    "CudaUnavailableError",
    "cuda_available",
    "require_cuda",
    "simulator_enabled",
    "unavailable_reason",
]


class CudaUnavailableError(RuntimeError):
    """Raised when the ``cuda`` backend is chosen but neither a usable CUDA device nor the simulator is
    there."""


def simulator_enabled() -> bool:
    return os.environ.get("NUMBA_ENABLE_CUDASIM", "") not in ("", "0")


def sync_simulator_setting() -> None:
    """Make numba see ``NUMBA_ENABLE_CUDASIM`` even if numba was imported before the variable was set.

    numba reads its environment once, at import; pytest imports ``numba.core.errors`` while parsing the
    ``filterwarnings`` setting, before ``tests/conftest.py`` can turn the simulator on. ``numba.cuda`` picks
    the simulator or the driver when it is first imported, so re-reading the environment just before that
    import is enough (and a no-op when nothing changed).
    """
    if "numba.cuda" in sys.modules or "numba.core.config" not in sys.modules:
        return
    from numba.core import config as numba_config

    if simulator_enabled() and not getattr(numba_config, "ENABLE_CUDASIM", 0):
        numba_config.reload_config()


def unavailable_reason() -> str | None:
    """None when numba.cuda can run kernels here (a real device, or the simulator); otherwise why not, in the
    words of whatever refused: the import of numba.cuda, the CUDA driver (``numba.cuda.cuda_error()``), or the
    missing NVVM compiler library."""
    sync_simulator_setting()
    try:
        from numba import cuda
    except Exception as exc:  # numba-cuda missing or broken
        return f"numba.cuda cannot be imported ({type(exc).__name__}: {exc})"
    if simulator_enabled():
        return None
    try:
        if cuda.is_available():
            return None
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    error_fn = getattr(cuda, "cuda_error", None)
    driver_error = error_fn() if callable(error_fn) else None
    if driver_error:
        return f"the CUDA driver says: {driver_error}"
    return (
        "the CUDA driver works but numba.cuda cannot compile kernels (libNVVM not found; "
        "`pip install -e '.[cuda]'` brings the CUDA toolkit libraries)"
    )


def cuda_available() -> bool:
    """True when numba.cuda can run kernels here: a real device, or the simulator."""
    return unavailable_reason() is None


def require_cuda() -> None:
    """Raise :class:`CudaUnavailableError` naming the reason and the ways out, unless the cuda tier can
    run."""
    reason = unavailable_reason()
    if reason is not None:
        reason = " ".join(reason.split()).rstrip(".")  # the driver's words, on one line
        raise CudaUnavailableError(
            f"backend 'cuda' was chosen but no CUDA device is usable here: {reason}. "
            "Install an NVIDIA driver and `pip install -e '.[cuda]'`, "
            "or set NUMBA_ENABLE_CUDASIM=1 for the simulator. "
            "The 'cpu' backend is available: engine.set_backend('cpu')."
        )
