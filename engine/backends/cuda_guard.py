"""Decides whether the ``cuda`` backend can be used, without importing the whole of numba.cuda eagerly."""

from __future__ import annotations

import os
import sys


class CudaUnavailableError(RuntimeError):
    """Raised when the ``cuda`` backend is chosen but no CUDA device (nor the simulator) is available."""


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


def cuda_available() -> bool:
    """True when numba.cuda can run kernels here: a real device, or the simulator."""
    sync_simulator_setting()
    try:
        from numba import cuda
    except Exception:  # numba-cuda missing or broken: no CUDA here
        return False
    if simulator_enabled():
        return True
    try:
        return bool(cuda.is_available())
    except Exception:
        return False


def require_cuda() -> None:
    if not cuda_available():
        raise CudaUnavailableError(
            "backend 'cuda' was chosen but no CUDA device was found (numba.cuda.is_available() is False). "
            "Install an NVIDIA driver and `pip install -e '.[cuda]'`, or set NUMBA_ENABLE_CUDASIM=1 for the "
            "simulator. The 'cpu' backend is available: engine.set_backend('cpu')."
        )
