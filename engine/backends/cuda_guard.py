"""Decides whether the ``cuda`` backend can be used, without importing the whole of numba.cuda eagerly."""

from __future__ import annotations

import os


class CudaUnavailableError(RuntimeError):
    """Raised when the ``cuda`` backend is chosen but no CUDA device (nor the simulator) is available."""


def simulator_enabled() -> bool:
    return os.environ.get("NUMBA_ENABLE_CUDASIM", "") not in ("", "0")


def cuda_available() -> bool:
    """True when numba.cuda can run kernels here: a real device, or the simulator."""
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
