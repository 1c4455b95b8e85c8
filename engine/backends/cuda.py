"""The ``cuda`` tier: host wrappers around the ``numba.cuda`` kernels, with the backend contract's signatures.

Every function takes NumPy arrays *or* device arrays (``numba.cuda`` device arrays): inputs already on the
device are used in place, NumPy inputs are copied over once. The result comes back the way the input came:
**device arrays when any array argument was a device array, NumPy arrays otherwise.** So ``engine.ops`` (NumPy
in, NumPy out) works unchanged, and a training loop that keeps its weights and activations on the device
(see :mod:`engine.backends.cuda_train`) never pays a host round trip per op.

Launch sizes come from :mod:`engine.config`: ``"cuda_threads_per_block"`` for 1-D kernels and ``"cuda_tile"``
(``T``: ``T x T`` threads and two ``T x T`` float32 shared tiles) for the matrix-product kernels.

Use :func:`to_device` / :func:`to_host` to move arrays, :func:`is_device_array` to tell them apart.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from engine.backends.cuda_guard import sync_simulator_setting

sync_simulator_setting()  # before numba.cuda is first imported: it picks the simulator or the driver then

from numba import cuda

from engine import config
from engine.backends import cuda_kernels as ck
from engine.backends import cuda_kernels_pool as cp

__all__ = [
    "activation",
    "activation_backward",
    "conv2d",
    "conv2d_backward",
    "dense",
    "dense_backward",
    "global_pool",
    "global_pool_backward",
    "is_device_array",
    "launch_1d",
    "matmul",
    "pool2d",
    "pool2d_backward",
    "threads_per_block",
    "tile",
    "to_device",
    "to_host",
    "zeros",
]

# long reductions (dW over every output position, dense dW over the batch) are split over blockIdx.z chunks
# until the grid has about this many blocks; the tests lower it (the simulator pays for every block)
TARGET_BLOCKS = 256


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
    """Return ``a`` as a float32 C-contiguous device array (no copy when it already is a device array)."""
    if is_device_array(a):
        return a
    return cuda.to_device(np.ascontiguousarray(a, dtype=np.float32))


def to_host(a: Any) -> np.ndarray:
    """Return ``a`` as a NumPy array (copied from the device when it is a device array)."""
    if is_device_array(a):
        return a.copy_to_host()
    return np.asarray(a)


def zeros(shape: tuple[int, ...] | int) -> Any:
    """A zero-filled float32 device array of ``shape``."""
    out = cuda.device_array(shape, dtype=np.float32)
    flat = out.reshape(out.size)
    if out.size:
        ck.fill_kernel[_blocks(out.size), threads_per_block()](flat, np.float32(0.0))
    return out


def _empty(shape: tuple[int, ...]) -> Any:
    return cuda.device_array(shape, dtype=np.float32)


def _finish(d: Any, on_device: bool) -> Any:
    return d if on_device else d.copy_to_host()


def _any_device(*arrays: Any) -> bool:
    return any(is_device_array(a) for a in arrays)


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


def _blocks(n: int) -> int:
    return max(1, math.ceil(n / threads_per_block()))


def launch_1d(kernel: Any, n: int, *args: Any) -> None:
    """Launch ``kernel`` over ``n`` threads in blocks of :func:`threads_per_block`."""
    if n > 0:
        kernel[_blocks(n), threads_per_block()](*args)


def _chunk(total: int, t: int, other_blocks: int) -> tuple[int, int]:
    """Split a reduction of length ``total`` into chunks (multiples of ``t``) so the grid has enough blocks."""
    steps = max(1, math.ceil(total / t))
    wanted = max(1, min(steps, TARGET_BLOCKS // max(1, other_blocks)))
    per = math.ceil(steps / wanted) * t
    return per, math.ceil(total / per) if total else 1


# -------------------------------------------------------------------------------------------- convolution
def _conv_out_hw(x_shape, w_shape, stride, pads) -> tuple[int, int]:
    t, b, le, r = pads
    return (
        (x_shape[1] + t + b - w_shape[0]) // stride[0] + 1,
        (x_shape[2] + le + r - w_shape[1]) // stride[1] + 1,
    )


def conv2d(
    x: Any, w: Any, b: Any, stride: tuple[int, int], pads: tuple[int, int, int, int], flip: bool
) -> Any:
    """``y (N, OH, OW, C_out)`` from ``x (N, H, W, C_in)``, ``w (KH, KW, C_in, C_out)``, ``b (C_out,)``.

    Notes
    -----
    ``OH = (H + top + bottom - KH) // sh + 1``. An implicit tiled matrix product (see
    :mod:`engine.backends.cuda_kernels`); ``flip=True`` is the true convolution.
    """
    on_device = _any_device(x, w, b)
    xd, wd, bd = to_device(x), to_device(w), to_device(b)
    oh, ow = _conv_out_hw(xd.shape, wd.shape, stride, pads)
    n_img, c_out = xd.shape[0], wd.shape[3]
    y = _empty((n_img, oh, ow, c_out))  # (N, OH, OW, C_out)
    m_total = n_img * oh * ow
    t = tile()
    if m_total > 0:
        grid = (math.ceil(c_out / t), math.ceil(m_total / t))
        ck.conv_forward_kernel(t)[grid, (t, t)](
            xd, wd, bd, y, stride[0], stride[1], pads[0], pads[2], bool(flip)
        )
    return _finish(y, on_device)


def conv2d_backward(
    x: Any,
    w: Any,
    dy: Any,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    flip: bool,
    need_dx: bool = True,
) -> tuple[Any, Any, Any]:
    """``(dx (N, H, W, C_in) | None, dw (KH, KW, C_in, C_out), db (C_out,))`` for upstream ``dy (N, OH, OW, C_out)``.

    ``dx`` is a gather over the windows reading each input cell; ``dw`` an implicit ``P^T @ dY`` split over
    chunks of positions; ``db`` a column sum of ``dy`` seen as ``(N * OH * OW, C_out)``.
    """
    on_device = _any_device(x, w, dy)
    xd, wd, dyd = to_device(x), to_device(w), to_device(dy)
    kh, kw, c_in, c_out = wd.shape
    n_img, oh, ow = dyd.shape[0], dyd.shape[1], dyd.shape[2]
    m_total = n_img * oh * ow
    k_total = kh * kw * c_in
    t = tile()
    dw = zeros((kh, kw, c_in, c_out))
    if m_total > 0:
        other = math.ceil(c_out / t) * math.ceil(k_total / t)
        per, chunks = _chunk(m_total, t, other)
        grid = (math.ceil(c_out / t), math.ceil(k_total / t), chunks)
        ck.conv_dw_kernel(t)[grid, (t, t)](
            xd, dyd, dw, stride[0], stride[1], pads[0], pads[2], bool(flip), per
        )
    db = _column_sum(dyd.reshape(m_total, c_out))
    dx = None
    if need_dx:
        dx = _empty(xd.shape)
        launch_1d(ck.conv_dx_kernel, dx.size, wd, dyd, dx, stride[0], stride[1], pads[0], pads[2], bool(flip))
        dx = _finish(dx, on_device)
    return dx, _finish(dw, on_device), _finish(db, on_device)


def _column_sum(a: Any) -> Any:
    """``a (R, C)`` summed over rows -> ``(C,)`` device array."""
    rows, cols = a.shape
    out = zeros(cols)
    if rows > 0 and cols > 0:
        tpb = threads_per_block()
        col_blocks = math.ceil(cols / tpb)
        per = max(1, math.ceil(rows / max(1, TARGET_BLOCKS // col_blocks)))
        per = max(per, 32)  # keep each thread's loop worth its atomic add
        ck.column_sum_kernel[(col_blocks, math.ceil(rows / per)), tpb](a, out, per)
    return out


# ------------------------------------------------------------------------------------------------ pooling
_POOL_MODES = tuple(cp.POOL_CODES)


def _pool_code(mode: str) -> int:
    if mode not in cp.POOL_CODES:
        raise ValueError(f"mode must be one of {_POOL_MODES}. Received: mode={mode!r}")
    return cp.POOL_CODES[mode]


def pool2d(
    x: Any, size: tuple[int, int], stride: tuple[int, int], pads: tuple[int, int, int, int], mode: str
) -> Any:
    """``y (N, OH, OW, C)``: max / min / mean of every ``size`` window; padded cells are ignored."""
    code = _pool_code(mode)
    on_device = _any_device(x)
    xd = to_device(x)
    oh, ow = _conv_out_hw(xd.shape, size, stride, pads)
    y = _empty((xd.shape[0], oh, ow, xd.shape[3]))  # (N, OH, OW, C)
    launch_1d(
        cp.pool_forward_kernel, y.size, xd, y, size[0], size[1], stride[0], stride[1], pads[0], pads[2], code
    )
    return _finish(y, on_device)


def pool2d_backward(
    x: Any,
    dy: Any,
    size: tuple[int, int],
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    mode: str,
) -> Any:
    """``dx (N, H, W, C)``: max/min route ``dy`` to the first arg-extremum, avg spreads it over real cells."""
    code = _pool_code(mode)
    on_device = _any_device(x, dy)
    xd, dyd = to_device(x), to_device(dy)
    dx = _empty(xd.shape)
    launch_1d(
        cp.pool_backward_kernel,
        dx.size,
        xd,
        dyd,
        dx,
        size[0],
        size[1],
        stride[0],
        stride[1],
        pads[0],
        pads[2],
        code,
    )
    return _finish(dx, on_device)


def global_pool(x: Any, mode: str) -> Any:
    """``y (N, C)``: max / min / mean of each image's channel over all positions."""
    code = _pool_code(mode)
    on_device = _any_device(x)
    xd = to_device(x)
    y = _empty((xd.shape[0], xd.shape[3]))
    launch_1d(cp.global_pool_forward_kernel, y.size, xd, y, code)
    return _finish(y, on_device)


def global_pool_backward(x: Any, dy: Any, mode: str) -> Any:
    """``dx (N, H, W, C)`` for upstream ``dy (N, C)``."""
    code = _pool_code(mode)
    on_device = _any_device(x, dy)
    xd, dyd = to_device(x), to_device(dy)
    dx = _empty(xd.shape)
    launch_1d(cp.global_pool_backward_kernel, dyd.size, xd, dyd, dx, code)
    return _finish(dx, on_device)


# -------------------------------------------------------------------------------------------- activations
def _act_code(name: str) -> int:
    if name not in cp.ACTIVATION_CODES:
        raise ValueError(f"activation must be one of {tuple(cp.ACTIVATION_CODES)}. Received: {name!r}")
    return cp.ACTIVATION_CODES[name]


def _rows(d: Any) -> Any:
    """View ``d`` as ``(rows, last axis)`` for the softmax row kernels."""
    last = d.shape[d.ndim - 1] if d.ndim else 1  # (the simulator shape refuses [-1])
    return d.reshape(d.size // last if last else 0, last)


def activation(name: str, x: Any, alpha: float) -> Any:
    """Element-wise activation of any shape (softmax over the last axis, shifted by the row maximum)."""
    code = _act_code(name)
    on_device = _any_device(x)
    xd = to_device(x)
    y = _empty(xd.shape)
    if xd.size:
        if name == "softmax":
            rows = _rows(xd)
            launch_1d(cp.softmax_kernel, rows.shape[0], rows, _rows(y))
        else:
            launch_1d(
                cp.activation_kernel, xd.size, xd.reshape(xd.size), y.reshape(y.size), code, np.float32(alpha)
            )
    return _finish(y, on_device)


def activation_backward(name: str, x: Any, y: Any, dy: Any, alpha: float) -> Any:
    """``dx`` (shape of ``x``) given the input ``x``, the forward output ``y`` and the upstream ``dy``."""
    code = _act_code(name)
    on_device = _any_device(x, y, dy)
    xd, yd, dyd = to_device(x), to_device(y), to_device(dy)
    dx = _empty(xd.shape)
    if xd.size:
        if name == "softmax":
            launch_1d(cp.softmax_backward_kernel, _rows(yd).shape[0], _rows(yd), _rows(dyd), _rows(dx))
        else:
            flat = xd.size
            launch_1d(
                cp.activation_backward_kernel,
                flat,
                xd.reshape(flat),
                yd.reshape(flat),
                dyd.reshape(flat),
                dx.reshape(flat),
                code,
                np.float32(alpha),
            )
    return _finish(dx, on_device)


# -------------------------------------------------------------------------------------------------- dense
def matmul(a: Any, b: Any, trans_a: bool = False, trans_b: bool = False, bias: Any = None) -> Any:
    """``op(a) @ op(b) (+ bias)`` on the device with the shared-memory tiled kernel; returns a device array.

    ``op(a)`` is ``a.T`` when ``trans_a``. A long inner dimension with a small output is split over
    ``blockIdx.z`` chunks that add their tiles atomically.
    """
    ad, bd = to_device(a), to_device(b)
    m = ad.shape[1] if trans_a else ad.shape[0]
    k = ad.shape[0] if trans_a else ad.shape[1]
    n = bd.shape[0] if trans_b else bd.shape[1]
    t = tile()
    grid_xy = (math.ceil(n / t), math.ceil(m / t))
    per, chunks = _chunk(k, t, grid_xy[0] * grid_xy[1])
    if bias is not None and chunks > 1:  # the bias must be added once, not once per chunk
        per, chunks = max(k, 1), 1
    c = zeros((m, n)) if chunks > 1 else _empty((m, n))
    use_bias = bias is not None
    bias_d = to_device(bias) if use_bias else zeros(1)
    if m > 0 and n > 0:
        ck.gemm_kernel(t)[(grid_xy[0], grid_xy[1], chunks), (t, t)](
            ad, bd, c, bias_d, bool(trans_a), bool(trans_b), use_bias, per
        )
    return c


def dense(x: Any, w: Any, b: Any) -> Any:
    """``y (N, D_out) = x (N, D_in) @ w (D_in, D_out) + b``."""
    on_device = _any_device(x, w, b)
    return _finish(matmul(x, w, bias=b), on_device)


def dense_backward(x: Any, w: Any, dy: Any) -> tuple[Any, Any, Any]:
    """``(dx = dy @ w.T (N, D_in), dw = x.T @ dy (D_in, D_out), db = dy summed over rows (D_out,))``."""
    on_device = _any_device(x, w, dy)
    xd, wd, dyd = to_device(x), to_device(w), to_device(dy)
    dx = matmul(dyd, wd, trans_b=True)
    dw = matmul(xd, dyd, trans_a=True)
    db = _column_sum(dyd)
    return _finish(dx, on_device), _finish(dw, on_device), _finish(db, on_device)
