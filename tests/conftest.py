"""Test setup: Qt offscreen, the CUDA simulator when no GPU is present, a seeded RNG.

Environment variables must be set before numba / Qt are imported, which is why this runs at import time.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if "NUMBA_ENABLE_CUDASIM" not in os.environ and not Path("/dev/nvidiactl").exists():
    os.environ["NUMBA_ENABLE_CUDASIM"] = "1"
os.environ.setdefault("CONVSCOPE_BACKEND", "cpu")

import numpy as np
import pytest


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded generator, so every failure can be replayed."""
    return np.random.default_rng(1234)


@pytest.fixture
def backend_guard():
    """Restore the engine's backend after a test that changes it."""
    import engine

    before = engine.get_backend()
    yield
    engine.config.set("backend", before)
