"""Backends: three tiers of the same functions, one signature each (:mod:`engine.backends.contract`).

========================  ===============================================================================
``reference``             readable NumPy loops (:mod:`engine.backends.reference`): the textbook, the oracle
``cpu``                   Numba ``@njit(parallel=True, cache=True)`` kernels (:mod:`engine.backends.cpu`)
``cuda``                  ``numba.cuda`` kernels and a training device (:mod:`engine.backends.cuda`)
========================  ===============================================================================

:func:`get_module` returns a tier by name and :func:`current` the tier :mod:`engine.config` has chosen. Tiers
are imported on first use, so choosing ``cpu`` never imports ``numba.cuda``; a tier never imports
:mod:`engine.layers` (an import-linter contract says so): layers call tiers, not the reverse.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from engine import config
from engine.backends.contract import ACTIVATIONS, LEAKY_RELU_SLOPE, POOL_MODES

__all__ = ["ACTIVATIONS", "LEAKY_RELU_SLOPE", "POOL_MODES", "current", "get_module"]

_MODULES = {
    "reference": "engine.backends.reference",
    "cpu": "engine.backends.cpu",
    "cuda": "engine.backends.cuda",
}

_loaded: dict[str, ModuleType] = {}
_config_state = config._state  # the live settings dict (engine.config changes it in place)


def get_module(name: str) -> ModuleType:
    """Import (once) and return the tier called ``name``.

    Raises
    ------
    ValueError
        For a name that is not a tier.
    engine.backends.cuda_guard.CudaUnavailableError
        For ``"cuda"`` without a usable device or simulator (the message keeps the driver's own words).
    """
    module = _loaded.get(name)
    if module is not None:
        return module
    if name not in _MODULES:
        raise ValueError(f"backend must be one of {tuple(_MODULES)}. Received: backend={name!r}")
    if name == "cuda":
        from engine.backends import cuda_guard

        cuda_guard.require_cuda()
    module = _loaded[name] = importlib.import_module(_MODULES[name])
    return module


def current() -> ModuleType:
    """The tier chosen in :mod:`engine.config` (``engine.set_backend``, ``config.using_backend``).

    Called by every layer's forward and backward, so it reads the setting straight from the config's state.
    """
    module = _loaded.get(_config_state["backend"])
    return module if module is not None else get_module(config.get("backend"))
