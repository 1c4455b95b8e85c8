"""The convolution lab's engine job, without Qt: every map the Convolution tab shows for one set of settings.

:class:`LabParams` holds what one computation depends on; :func:`compute_maps` is the job the tab submits to
the engine worker each time a setting changes (feature map, ReLU, pooled map, per-channel partial maps, the
padding and pooling-vs-stride comparisons), through :mod:`engine.ops`; it returns plain arrays.
:func:`warm_up` compiles the kernels it uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from engine import ops

__all__ = ["LabParams", "compute_maps", "conv_map", "masked", "transpose_map", "warm_up"]


@dataclass(frozen=True)
class LabParams:
    """Everything one computation depends on.

    ``plane`` is ``(H, W)`` float32 (one channel) or ``(H, W, 3)`` (all channels, RGB); ``kernel`` is
    ``(K, K)`` or, for an RGB plane, ``(K, K, 3)``: one slice per channel. ``dilation``: the kernel's taps
    are that many cells apart. ``transposed``: the lab scatters (:mod:`gui.models.transposed`) instead of
    sliding the window; the plane is then ``(H, W)``.
    """

    plane: np.ndarray
    kernel: np.ndarray
    bias: float
    padding: str | int
    stride: int
    flip: bool
    pool_mode: str
    pool_size: int
    pool_stride: int
    dilation: int = 1
    transposed: bool = False


def _try(fn, *args, **kw) -> np.ndarray | None:
    try:
        return np.asarray(fn(*args, **kw), dtype=np.float32)
    except ValueError:
        return None


def conv_map(
    plane: np.ndarray,
    kernel: np.ndarray,
    bias: float = 0.0,
    *,
    stride=1,
    padding="valid",
    flip=False,
    dilation=1,
) -> np.ndarray:
    """One feature map ``(OH, OW)`` through :func:`engine.ops.conv2d`: ``plane`` ``(H, W)`` with ``kernel``
    ``(K, K)``, or ``(H, W, C)`` with ``(K, K, C)`` (one filter over every channel, one bias)."""
    b = np.array([bias], np.float32)
    kw = {"stride": stride, "padding": padding, "flip": flip, "dilation": dilation}
    if plane.ndim == 3:
        y = ops.conv2d(plane, kernel[:, :, :, None], b, **kw)
        return np.asarray(y, np.float32)[:, :, 0]  # (OH, OW, 1) -> (OH, OW)
    return np.asarray(ops.conv2d(plane, kernel, b, **kw), np.float32)


def transpose_map(
    plane: np.ndarray,
    kernel: np.ndarray,
    bias: float = 0.0,
    *,
    stride=1,
    padding="valid",
    flip=False,
    dilation=1,
) -> np.ndarray:
    """The transposed convolution ``(OH, OW)`` of ``plane`` ``(H, W)`` by ``kernel`` ``(K, K)`` (rotated 180
    degrees first with ``flip``) through :func:`engine.ops.conv2d_transpose`."""
    k = kernel[::-1, ::-1] if flip else kernel
    b = np.array([bias], np.float32)
    y = ops.conv2d_transpose(
        plane, np.ascontiguousarray(k), b, stride=stride, padding=padding, dilation=dilation
    )
    return np.asarray(y, np.float32)


def compute_maps(p: LabParams) -> dict[str, Any]:
    """Every map the lab shows, through :mod:`engine.ops` (runs in the engine worker thread).

    Returns
    -------
    dict with ``conv`` ``(OH, OW)``, ``relu`` ``(OH, OW)``, ``partials`` (a list of the ``(OH, OW)`` maps of
    each channel with its kernel slice, bias excluded, for an RGB plane; None for one channel), ``pooled``
    ``(PH, PW)`` or None when the pooling window does not fit (or in transposed mode: ``conv`` is then the
    transposed convolution and there is no pooling), ``pool_error`` (str or None),
    ``padding_maps`` {"valid"/"same"/"full": map (stride 1) or None}, and the pool-vs-stride trio ``pvs``
    {"conv": ReLU of the stride-1 map, "pooled": it pooled with the lab's pooling settings, "strided": ReLU of
    the map computed with the pooling stride as the convolution's stride}.
    """
    d = p.dilation
    pooled, pool_error, partials = None, None, None
    if p.transposed:  # the step page scatters; the comparison pages still convolve the plane
        conv = transpose_map(
            p.plane, p.kernel, p.bias, stride=p.stride, padding=p.padding, flip=p.flip, dilation=d
        )
        relu = np.asarray(ops.relu(conv))
    else:
        conv = conv_map(
            p.plane, p.kernel, p.bias, stride=p.stride, padding=p.padding, flip=p.flip, dilation=d
        )
        relu = np.asarray(ops.relu(conv))
        if p.plane.ndim == 3:
            partials = [
                conv_map(
                    p.plane[:, :, c],
                    p.kernel[:, :, c],
                    stride=p.stride,
                    padding=p.padding,
                    flip=p.flip,
                    dilation=d,
                )
                for c in range(p.plane.shape[2])
            ]
        try:
            pooled = np.asarray(ops.pool2d(relu, p.pool_size, stride=p.pool_stride, mode=p.pool_mode))
        except ValueError as exc:
            pool_error = str(exc)
    padding_maps = {
        m: _try(conv_map, p.plane, p.kernel, p.bias, padding=m, flip=p.flip, dilation=d)
        for m in ("valid", "same", "full")
    }
    base = _try(conv_map, p.plane, p.kernel, p.bias, stride=1, padding=p.padding, flip=p.flip, dilation=d)
    base_relu = None if base is None else np.asarray(ops.relu(base))
    strided = _try(
        conv_map, p.plane, p.kernel, p.bias, stride=p.pool_stride, padding=p.padding, flip=p.flip, dilation=d
    )
    pvs = {
        "conv": base_relu,
        "pooled": None
        if base_relu is None
        else _try(ops.pool2d, base_relu, p.pool_size, stride=p.pool_stride, mode=p.pool_mode),
        "strided": None if strided is None else np.asarray(ops.relu(strided)),
    }
    return {
        "conv": conv,
        "relu": relu,
        "partials": partials,
        "pooled": pooled,
        "pool_error": pool_error,
        "padding_maps": padding_maps,
        "pvs": pvs,
    }


def warm_up() -> str:
    """Compile the kernels the lab uses on tiny arrays (the first Numba compile takes seconds)."""
    x = np.zeros((5, 5), np.float32)
    k = np.ones((3, 3), np.float32)
    y = ops.relu(ops.conv2d(x, k, padding="same"))
    for mode in ops.POOL_MODES:
        ops.pool2d(y, 2, mode=mode)
    ops.conv2d(x, k, stride=2, flip=True)
    conv_map(np.zeros((5, 5, 3), np.float32), np.ones((3, 3, 3), np.float32), padding="full")
    conv_map(x, k, padding="same", dilation=2)
    transpose_map(x, k, stride=2, padding="same")
    import engine

    return engine.get_backend()


def masked(full: np.ndarray, count: int) -> np.ndarray:
    """A float32 copy of ``full`` with every cell from row-major index ``count`` on set to NaN (not yet
    computed)."""
    flat = full.astype(np.float32).ravel().copy()
    flat[count:] = np.nan
    return flat.reshape(full.shape)
