"""The ``cuda`` tier: ``numba.cuda`` kernels behind the backend contract's functions
(:mod:`engine.backends.contract`).

One module per op, each holding its private ``@cuda.jit`` kernels beside their host wrappers:

* :mod:`~engine.backends.cuda.conv`: convolution forward / dW / dX as implicit tiled matrix products (any
  dilation), and the transposed convolution through the same kernels (its forward is the dX gather);
* :mod:`~engine.backends.cuda.batch_norm`: batch normalisation (chunked float64 channel sums, element-wise
  passes) and the moving-average update, in place on the device;
* :mod:`~engine.backends.cuda.fully_connected`: the tiled matrix product and the column sum (dense layers,
  biases);
* :mod:`~engine.backends.cuda.pool`: windowed and global pooling, backward as a gather (no atomics);
* :mod:`~engine.backends.cuda.activations`: element-wise activations, row softmax, the Dropout product;
* :mod:`~engine.backends.cuda.losses` and :mod:`~engine.backends.cuda.optimizers`: the device side of
  training;
* :mod:`~engine.backends.cuda.device`: :class:`CudaDevice`, what a training run keeps on the GPU;
* :mod:`~engine.backends.cuda.arrays`: moving arrays (:func:`to_device`, :func:`to_host`) and launch sizes.

Every function takes NumPy arrays *or* device arrays and answers in kind: device arrays when any array
argument was one, NumPy arrays otherwise. Importing this package imports ``numba.cuda``;
:mod:`engine.backends` does it only when the ``cuda`` backend is chosen, after
:mod:`engine.backends.cuda_guard` has checked that a device (or the simulator) is there.
"""

from __future__ import annotations

from engine.backends.cuda_guard import sync_simulator_setting

sync_simulator_setting()  # before numba.cuda is first imported: it picks the simulator or the driver then

from engine.backends.cuda.activations import activation, activation_backward, multiply  # noqa: E402
from engine.backends.cuda.arrays import is_device_array, to_device, to_host  # noqa: E402
from engine.backends.cuda.batch_norm import (  # noqa: E402
    batch_norm,
    batch_norm_backward,
    batch_norm_training,
    moving_average,
)
from engine.backends.cuda.conv import (  # noqa: E402
    conv2d,
    conv2d_backward,
    conv2d_transpose,
    conv2d_transpose_backward,
)
from engine.backends.cuda.device import CudaDevice  # noqa: E402
from engine.backends.cuda.fully_connected import dense, dense_backward, matmul  # noqa: E402
from engine.backends.cuda.pool import global_pool, global_pool_backward, pool2d, pool2d_backward  # noqa: E402

__all__ = [
    "CudaDevice",
    "activation",
    "activation_backward",
    "batch_norm",
    "batch_norm_backward",
    "batch_norm_training",
    "conv2d",
    "conv2d_backward",
    "conv2d_transpose",
    "conv2d_transpose_backward",
    "dense",
    "dense_backward",
    "global_pool",
    "global_pool_backward",
    "is_device_array",
    "matmul",
    "moving_average",
    "multiply",
    "pool2d",
    "pool2d_backward",
    "to_device",
    "to_host",
    "training_device",
]


def training_device() -> CudaDevice:
    """The cuda tier's :class:`engine.backends.contract.Device`: weights resident on the GPU for a run."""
    return CudaDevice()
