"""Device arrays and launch sizes for the ``cuda`` tier: moving arrays, allocating them, sizing the grids.

Every host wrapper of the tier takes NumPy arrays *or* ``numba.cuda`` device arrays: inputs already on the
device are used in place, NumPy inputs are copied over once (:func:`to_device`). The result comes back the way
the inputs came: **device arrays when any array argument was a device array, NumPy arrays otherwise**
(:func:`finish`). So :mod:`engine.ops` (NumPy in, NumPy out) works unchanged, and a training run that keeps
its weights and activations on the device never pays a host round trip per op.

Launch sizes come from :mod:`engine.config`: ``"cuda_threads_per_block"`` for 1-D kernels, ``"cuda_tile"``
(``T``: ``T x T`` threads and two ``T x T`` float32 shared tiles) for the matrix products, and
``"cuda_target_blocks"``: long reductions are split over ``blockIdx.z`` chunks until the grid has about that
many blocks (the tests lower it: the simulator pays for every block).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import cuda

from engine import config

__all__ = [
    "any_device",
    "blocks",
    "chunk",
    "empty",
    "finish",
    "is_device_array",
    "launch_1d",
    "target_blocks",
    "threads_per_block",
    "tile",
    "to_device",
    "to_host",
    "zeros",
]


# -------------------------------------------------------------------------------------------- array moves
def is_device_array(a: Any) -> bool:
    """True for a ``numba.cuda`` device array (or the simulator's stand-in), False for NumPy and the rest."""
    if isinstance(a, np.ndarray) or a is None:
        return False
    check = getattr(cuda, "is_cuda_array", None)
    if check is not None:
        return bool(check(a))
    return bool(cuda.devicearray.is_cuda_ndarray(a))  # the simulator spells it this way


def to_device(a: Any) -> Any:
    """``a`` as a float32 C-contiguous device array (no copy when it already is a device array)."""
    if is_device_array(a):
        return a
    return cuda.to_device(np.ascontiguousarray(a, dtype=np.float32))


def to_host(a: Any) -> np.ndarray:
    """``a`` as a NumPy array (a new array copied from the device when it is a device array)."""
    if is_device_array(a):
        return a.copy_to_host()
    return np.asarray(a)


def empty(shape: tuple[int, ...] | int) -> Any:
    """An uninitialised float32 device array."""
    return cuda.device_array(shape, dtype=np.float32)


@cuda.jit
def _fill_kernel(a, value):
    """``a[:] = value`` for a 1-D device array (the zeroing before atomic reductions)."""
    i = cuda.grid(1)
    if i < a.shape[0]:
        a[i] = value


def zeros(shape: tuple[int, ...] | int) -> Any:
    """A zero-filled float32 device array of ``shape``."""
    out = empty(shape)
    launch_1d(_fill_kernel, out.size, out.reshape(out.size), np.float32(0.0))
    return out


def any_device(*arrays: Any) -> bool:
    """True when any of ``arrays`` is a device array (the wrappers then answer with device arrays)."""
    return any(is_device_array(a) for a in arrays)


def finish(d: Any, on_device: bool) -> Any:
    """The device array ``d`` as the caller wants it: itself, or copied to the host."""
    return d if on_device else d.copy_to_host()


# -------------------------------------------------------------------------------------------- launch sizes
def threads_per_block() -> int:
    """Threads per block of the 1-D kernels (``engine.config`` ``"cuda_threads_per_block"``)."""
    tpb = int(config.get("cuda_threads_per_block"))
    if tpb < 1 or tpb > 1024:
        raise ValueError(f"cuda_threads_per_block must be in 1..1024. Received: cuda_threads_per_block={tpb}")
    return tpb


def tile() -> int:
    """Side ``T`` of the square tiles of the matrix-product kernels (``engine.config`` ``"cuda_tile"``)."""
    t = int(config.get("cuda_tile"))
    if t < 1 or t * t > 1024:
        raise ValueError(f"cuda_tile must be in 1..32 (T*T threads per block). Received: cuda_tile={t}")
    return t


def blocks(n: int) -> int:
    """Blocks of :func:`threads_per_block` threads that cover ``n`` threads."""
    return max(1, math.ceil(n / threads_per_block()))


def launch_1d(kernel: Any, n: int, *args: Any) -> None:
    """Launch ``kernel`` over ``n`` threads in blocks of :func:`threads_per_block` (nothing when ``n`` is
    0)."""
    if n > 0:
        kernel[blocks(n), threads_per_block()](*args)


def target_blocks() -> int:
    """Blocks a grid should have when a reduction is split over chunks (``"cuda_target_blocks"``)."""
    return max(1, int(config.get("cuda_target_blocks")))


def chunk(total: int, t: int, other_blocks: int) -> tuple[int, int]:
    """Split a reduction of length ``total`` into chunks (multiples of ``t``) so that, with ``other_blocks``
    blocks per chunk, the grid has about :func:`target_blocks` blocks: ``(chunk length, chunks)``."""
    target = target_blocks()
    steps = max(1, math.ceil(total / t))
    wanted = max(1, min(steps, target // max(1, other_blocks)))
    per = math.ceil(steps / wanted) * t
    return per, math.ceil(total / per) if total else 1
