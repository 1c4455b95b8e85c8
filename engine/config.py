"""Engine-wide settings: dtype, backend choice, launch sizes, asset location.

Every default lives in the one dict :data:`DEFAULTS`; the functions below read and change it.
The backend can be overridden with the environment variable ``CONVSCOPE_BACKEND``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

DTYPE = np.float32

BACKENDS = ("cpu", "reference", "cuda")

DEFAULTS: dict[str, Any] = {
    "backend": "cpu",
    # numba.cuda launch configuration: threads per block for 1-D element-wise kernels and the side of
    # the 2-D tiles (tile x tile threads) used by conv/dense kernels. Tests shrink these to exercise
    # block edges under the simulator.
    "cuda_threads_per_block": 128,
    "cuda_tile": 16,
    # long reductions (conv dW over every output position, dense dW over the batch) are split over blockIdx.z
    # chunks until the grid has about this many blocks
    "cuda_target_blocks": 256,
    # images larger than this (in pixels) are refused by the loaders (decompression-bomb guard)
    "max_image_pixels": 64_000_000,
}

_state: dict[str, Any] = dict(DEFAULTS)


def _initial_backend() -> str:
    env = os.environ.get("CONVSCOPE_BACKEND", "").strip().lower()
    return env or DEFAULTS["backend"]


_state["backend"] = _initial_backend()


def get(key: str) -> Any:
    """Return the current value of setting ``key``."""
    if key not in _state:
        raise KeyError(f"unknown setting {key!r}. Known settings: {sorted(_state)}")
    return _state[key]


def set(key: str, value: Any) -> None:
    """Change setting ``key`` (validated by the caller for backends, see :func:`engine.set_backend`)."""
    if key not in _state:
        raise KeyError(f"unknown setting {key!r}. Known settings: {sorted(_state)}")
    _state[key] = value


@contextmanager
def using_backend(name: str | None) -> Iterator[None]:
    """Run a block with backend ``name`` (None: leave the current one), restoring the previous one after."""
    if name is None:
        yield
        return
    before = _state["backend"]
    _state["backend"] = name
    try:
        yield
    finally:
        _state["backend"] = before


def assets_dir() -> Path:
    """Folder holding the shipped images and datasets (``CONVSCOPE_ASSETS`` overrides)."""
    env = os.environ.get("CONVSCOPE_ASSETS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "assets"
