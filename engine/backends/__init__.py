"""Backends: three tiers of the same ops, one signature.

``reference`` (readable NumPy loops, the oracle), ``cpu`` (Numba ``@njit(parallel=True, cache=True)``) and
``cuda`` (``numba.cuda``). :func:`get_module` returns the module for a backend name; modules are imported on
first use so that choosing ``cpu`` never imports ``numba.cuda`` and vice versa.

The backend contract
--------------------
``engine.ops`` validates everything and hands a backend only well-formed input:

* every array is ``float32``, C-contiguous and writeable (so each Numba kernel compiles one signature);
  images are NHWC ``(N, H, W, C)``; conv weights are ``(KH, KW, C_in, C_out)``; dense weights ``(D_in, D_out)``; biases are 1-D (zeros when the user gave none);
* ``stride`` is a pair of ints ``(sh, sw)`` >= 1; ``pads`` is ``(top, bottom, left, right)`` ints >= 0, already
  resolved from "valid"/"same"/"full"; the kernel fits in the padded input; ``flip`` is a bool;
* pooling ``size`` is ``(ph, pw)``; each pad is smaller than the window along its axis; padded cells are *ignored*
  (max/min over the real cells only, average divided by the number of real cells: TensorFlow's convention);
* ties in max/min pooling go to the first cell of the window in row-major order.

Functions every backend module provides (outputs are new float32 arrays; the cuda backend also accepts and
returns device arrays):

==============================================  =====================================================
``conv2d(x, w, b, stride, pads, flip)``          ``y (N, OH, OW, C_out)``; ``flip=True`` is the true
                                                 convolution (kernel rotated 180 degrees)
``conv2d_backward(x, w, dy, stride, pads, flip,  ``(dx | None, dw, db)``; ``dx`` is None when
need_dx=True)``                                  ``need_dx`` is False (first layer)
``pool2d(x, size, stride, pads, mode)``          ``y``; mode in ``"max" | "min" | "avg"``
``pool2d_backward(x, dy, size, stride, pads,     ``dx``: max/min route ``dy`` to the arg-extremum, avg
mode)``                                          spreads it over the real cells
``global_pool(x, mode)``                         ``(N, C)``; mode in ``"max" | "min" | "avg"``
``global_pool_backward(x, dy, mode)``            ``dx (N, H, W, C)``
``activation(name, x, alpha)``                   element-wise (softmax: over the last axis, stable);
                                                 names in :data:`ACTIVATIONS`; ``alpha`` is leaky_relu's slope
``activation_backward(name, x, y, dy, alpha)``   ``dx``, given the input ``x`` and output ``y``
``dense(x, w, b)``                               ``(N, D_out)``
``dense_backward(x, w, dy)``                     ``(dx, dw, db)``
==============================================  =====================================================

Optional, used by :mod:`engine.inference` when a backend has them (otherwise it composes the plain calls):

==============================================  =====================================================
``conv2d_relu(x, w, b, stride, pads, flip)``     ``relu(conv2d(...))`` in one sweep over ``y``
``dense_relu(x, w, b)``                          ``relu(dense(x, w, b))``
``kernel_session()``                             a context manager held around a whole forward pass
                                                 (the cpu tier keeps OpenBLAS single-threaded in it)
==============================================  =====================================================
"""

from __future__ import annotations

import importlib
from types import ModuleType

ACTIVATIONS = ("linear", "relu", "leaky_relu", "sigmoid", "tanh", "softmax")

_MODULES = {
    "reference": "engine.backends.reference",
    "cpu": "engine.backends.cpu",
    "cuda": "engine.backends.cuda",
}


def get_module(name: str) -> ModuleType:
    """Import (once) and return the backend module called ``name``."""
    if name not in _MODULES:
        raise ValueError(f"backend must be one of {tuple(_MODULES)}. Received: backend={name!r}")
    if name == "cuda":
        from engine.backends import cuda_guard

        cuda_guard.require_cuda()
    return importlib.import_module(_MODULES[name])
