"""ConvScope's CNN engine: Numba kernels behind a Keras-shaped API. Never imports Qt.

Quick tour::

    import engine
    from engine import ops
    y = ops.conv2d(image, kernel, padding="same")        # functional ops, NHWC float32
    engine.set_backend("reference")                      # readable NumPy loops (the oracle)
    model = engine.Sequential([...]); model.compile(...); model.fit(...)
    engine.viz.show_feature_maps(model, image)            # matplotlib figures (engine.viz)
    engine.export_onnx(model, "model.onnx")               # runs in onnxruntime and other ONNX runtimes
    for event in model.fit_steps(x, y, epochs=2): ...   # the same loop, one batch per step

Importing the engine changes nothing in the process; :func:`engine.tune_process` (called by the app, the
benches, or the first cpu kernel) applies the allocator and BLAS settings documented in :mod:`engine.tuning`.
"""

from __future__ import annotations

import importlib
from typing import Any

from engine import config
from engine.config import BACKENDS

__version__ = "0.1.0"

# Public names provided by submodules, imported on first access (keeps `import engine` fast and lets the
# GUI start before heavy modules are needed).
_LAZY = {
    "ops": ("engine.ops", None),
    "shapes": ("engine.shapes", None),
    "sliding": ("engine.sliding", None),
    "layers": ("engine.layers", None),
    "losses": ("engine.losses", None),
    "optimizers": ("engine.optimizers", None),
    "models": ("engine.models", None),
    "callbacks": ("engine.callbacks", None),
    "datasets": ("engine.datasets", None),
    "io": ("engine.io", None),
    "augment": ("engine.augment", None),
    "zoo": ("engine.zoo", None),
    "filters": ("engine.filters", None),
    "explain": ("engine.explain", None),
    "viz": ("engine.viz", None),
    "onnx_export": ("engine.onnx_export", None),
    "export_onnx": ("engine.onnx_export", "export_onnx"),
    "tuning": ("engine.tuning", None),
    "Sequential": ("engine.models", "Sequential"),
    "load_model": ("engine.models", "load_model"),
    "tune_process": ("engine.tuning", "tune_process"),
}

__all__ = ["set_backend", "get_backend", "available_backends", "BACKENDS", "config", *_LAZY]


def set_backend(name: str) -> None:
    """Choose the backend for every op: ``"cpu"`` (default, Numba), ``"reference"`` (NumPy loops) or
    ``"cuda"``.

    Choosing ``"cuda"`` without a usable CUDA device (or the simulator) raises
    :class:`engine.backends.cuda_guard.CudaUnavailableError`, whose message keeps the driver's own words, and
    leaves the current backend unchanged.
    """
    if not isinstance(name, str) or name.lower() not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}. Received: {name!r}")
    name = name.lower()
    from engine.backends import cuda_guard, get_module

    if name == "cuda":
        cuda_guard.require_cuda()  # every time: a device can go away (driver reset, CUDA_VISIBLE_DEVICES)
    get_module(name)  # import now so that a missing CUDA device is reported here, not mid-training
    config.set("backend", name)


def get_backend() -> str:
    """Name of the current backend (``CONVSCOPE_BACKEND`` sets the initial one)."""
    return str(config.get("backend"))


def available_backends() -> list[str]:
    """Backends usable on this machine."""
    from engine.backends.cuda_guard import cuda_available

    return [b for b in BACKENDS if b != "cuda" or cuda_available()]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module_name, attr = _LAZY[name]
        module = importlib.import_module(module_name)
        value = module if attr is None else getattr(module, attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'engine' has no attribute {name!r}")
