"""Convolution on the ``cuda`` tier: ``@cuda.jit`` kernels (shared-memory tiled matrix products) and their
wrappers.

The kernels are private and loop-only; :func:`conv2d` and :func:`conv2d_backward` allocate and launch them.
Every kernel works on float32, C-contiguous arrays; every float literal is written ``float32(...)`` so no
float64 sneaks in.

Convolution as an implicit matrix product (no im2col buffer is ever built)
-------------------------------------------------------------------------
With ``M = N * OH * OW`` output positions and ``K = KH * KW * C_in`` window cells, the forward pass is

    ``Y[m, o] = sum_k P[m, k] * Wk[k, o] + b[o]``

where ``P[m, k]`` is the input cell that window ``m`` reads at offset ``k`` (zero in the padding) and ``Wk``
is the weight array seen as ``(K, C_out)`` (rotated 180 degrees when ``flip``). The weight gradient is ``dWk =
P^T @ dY``, a reduction over the ``M`` positions, split across ``blockIdx.z`` chunks that add their partial
tiles with ``cuda.atomic.add``. ``P`` is read on the fly from ``x`` while filling the shared tiles.

Tiles are ``T x T`` threads; ``T`` must be a compile-time constant for ``cuda.shared.array``, so each kernel
is built by a factory for the tile size asked for (``engine.config`` ``"cuda_tile"``) and cached.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

from numba import cuda, float32

from engine import shapes
from engine.backends.cuda import arrays as _a
from engine.backends.cuda.fully_connected import column_sum

__all__ = ["conv2d", "conv2d_backward", "conv2d_transpose", "conv2d_transpose_backward"]


@cuda.jit(device=True)
def _decode_tap(k, kw, c_in):
    """Flat im2col column ``k`` -> kernel tap ``(ky, kx, ci)`` (C_in fastest, then KW, then KH)."""
    ky = k // (kw * c_in)
    r = k - ky * (kw * c_in)
    kx = r // c_in
    return ky, kx, r - kx * c_in


@cuda.jit(device=True)
def _decode_position(m, oh, ow):
    """Flat output row ``m`` -> output position ``(n, oy, ox)`` (OW fastest, then OH, then N)."""
    n = m // (oh * ow)
    rem = m - n * (oh * ow)
    oy = rem // ow
    return n, oy, rem - oy * ow


@cache
def conv_forward_kernel(tile: int) -> Any:
    """Kernel ``(x, w, b, y, sh, sw, dil_h, dil_w, pt, pl, flip)``: ``y (N, OH, OW, C_out) = conv(x (N, H, W,
    C_in), w) + b``, the kernel's taps ``dil_h`` / ``dil_w`` cells apart.

    Launch: grid ``(ceil(C_out / T), ceil(M / T))``, block ``(T, T)``.
    """
    T = tile

    @cuda.jit
    def _conv_forward(x, w, b, y, sh, sw, dil_h, dil_w, pt, pl, flip):
        n_img, h, wd, c_in = x.shape
        kh, kw = w.shape[0], w.shape[1]
        c_out = w.shape[3]
        oh, ow = y.shape[1], y.shape[2]
        m_total = n_img * oh * ow
        k_total = kh * kw * c_in
        a_tile = cuda.shared.array((T, T), float32)
        b_tile = cuda.shared.array((T, T), float32)
        tx = cuda.threadIdx.x
        ty = cuda.threadIdx.y
        row = cuda.blockIdx.y * T + ty  # output position m
        col = cuda.blockIdx.x * T + tx  # output channel o
        # decode this thread's output position once
        n, oy, ox = _decode_position(row, oh, ow)
        acc = float32(0.0)
        for k0 in range(0, k_total, T):
            ka = k0 + tx
            v = float32(0.0)
            if row < m_total and ka < k_total:
                ky, kx, ci = _decode_tap(ka, kw, c_in)
                iy = oy * sh - pt + ky * dil_h
                ix = ox * sw - pl + kx * dil_w
                if iy >= 0 and iy < h and ix >= 0 and ix < wd:
                    v = x[n, iy, ix, ci]
            a_tile[ty, tx] = v
            kb = k0 + ty
            v = float32(0.0)
            if kb < k_total and col < c_out:
                ky, kx, ci = _decode_tap(kb, kw, c_in)
                if flip:
                    ky = kh - 1 - ky
                    kx = kw - 1 - kx
                v = w[ky, kx, ci, col]
            b_tile[ty, tx] = v
            cuda.syncthreads()
            for kk in range(T):
                acc += a_tile[ty, kk] * b_tile[kk, tx]
            cuda.syncthreads()
        if row < m_total and col < c_out:
            y[n, oy, ox, col] = acc + b[col]

    return _conv_forward


@cache
def conv_dw_kernel(tile: int) -> Any:
    """Kernel ``(x, dy, dw, sh, sw, dil_h, dil_w, pt, pl, flip, chunk)``: ``dw += P^T @ dY`` over one chunk of
    positions.

    ``dw (KH, KW, C_in, C_out)`` must be zeroed first. Launch: grid ``(ceil(C_out / T), ceil(K / T),
    chunks)``, block ``(T, T)``; chunk ``z`` reduces positions ``[z * chunk, (z + 1) * chunk)`` (``chunk`` a
    multiple of T).
    """
    T = tile

    @cuda.jit
    def _conv_dw(x, dy, dw, sh, sw, dil_h, dil_w, pt, pl, flip, chunk):
        n_img, h, wd, c_in = x.shape
        kh, kw = dw.shape[0], dw.shape[1]
        c_out = dw.shape[3]
        oh, ow = dy.shape[1], dy.shape[2]
        m_total = n_img * oh * ow
        k_total = kh * kw * c_in
        a_tile = cuda.shared.array((T, T), float32)
        b_tile = cuda.shared.array((T, T), float32)
        tx = cuda.threadIdx.x
        ty = cuda.threadIdx.y
        row = cuda.blockIdx.y * T + ty  # window cell k
        col = cuda.blockIdx.x * T + tx  # output channel o
        m_start = cuda.blockIdx.z * chunk
        m_stop = min(m_start + chunk, m_total)
        # decode this thread's row (window cell) once, for the A^T tile
        ky, kx, ci = _decode_tap(row, kw, c_in)
        acc = float32(0.0)
        for m0 in range(m_start, m_stop, T):
            ma = m0 + tx
            v = float32(0.0)
            if row < k_total and ma < m_stop:
                n, oy, ox = _decode_position(ma, oh, ow)
                iy = oy * sh - pt + ky * dil_h
                ix = ox * sw - pl + kx * dil_w
                if iy >= 0 and iy < h and ix >= 0 and ix < wd:
                    v = x[n, iy, ix, ci]
            a_tile[ty, tx] = v
            mb = m0 + ty
            v = float32(0.0)
            if mb < m_stop and col < c_out:
                n, oy, ox = _decode_position(mb, oh, ow)
                v = dy[n, oy, ox, col]
            b_tile[ty, tx] = v
            cuda.syncthreads()
            for kk in range(T):
                acc += a_tile[ty, kk] * b_tile[kk, tx]
            cuda.syncthreads()
        if row < k_total and col < c_out:
            wy = kh - 1 - ky if flip else ky
            wx = kw - 1 - kx if flip else kx
            cuda.atomic.add(dw, (wy, wx, ci, col), acc)

    return _conv_dw


@cuda.jit
def conv_dx_kernel(w, dy, dx, sh, sw, dil_h, dil_w, pt, pl, flip):
    """``dx[n, iy, ix, c] = sum over the windows that read (iy, ix) of dy * w`` (a gather: no atomics); tap
    ``(ky, kx)`` of window ``(oy, ox)`` read cell ``(oy*sh - pt + ky*dil_h, ox*sw - pl + kx*dil_w)``.

    One thread per input cell; launch a 1-D grid over ``dx.size``. With ``dy`` the input of a transposed
    convolution (and ``w`` its ``(KH, KW, C_out, C_in)`` weights) this is its forward pass.
    """
    n_img, h, wd, c_in = dx.shape
    kh, kw = w.shape[0], w.shape[1]
    c_out = w.shape[3]
    oh, ow = dy.shape[1], dy.shape[2]
    i = cuda.grid(1)
    if i >= n_img * h * wd * c_in:
        return
    ci = i % c_in
    rest = i // c_in
    ix = rest % wd
    rest //= wd
    iy = rest % h
    n = rest // h
    acc = float32(0.0)
    for ky in range(kh):
        ry = iy + pt - ky * dil_h  # = oy * sh when window oy reads row iy at tap ky
        if ry < 0:
            break
        if ry % sh != 0:
            continue
        oy = ry // sh
        if oy >= oh:
            continue
        wy = kh - 1 - ky if flip else ky
        for kx in range(kw):
            rx = ix + pl - kx * dil_w
            if rx < 0:
                break
            if rx % sw != 0:
                continue
            ox = rx // sw
            if ox >= ow:
                continue
            wx = kw - 1 - kx if flip else kx
            for co in range(c_out):
                acc += dy[n, oy, ox, co] * w[wy, wx, ci, co]
    dx[n, iy, ix, ci] = acc


@cuda.jit
def add_channel_bias_kernel(y, b):
    """``y[i] += b[i % C]`` for a flat NHWC array ``y`` (``C = b.size``): one thread per element."""
    i = cuda.grid(1)
    if i < y.shape[0]:
        y[i] += b[i % b.shape[0]]


def conv2d(
    x: Any,
    w: Any,
    b: Any,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    flip: bool,
    dilation: tuple[int, int] = (1, 1),
) -> Any:
    """``y (N, OH, OW, C_out)`` from ``x (N, H, W, C_in)``, ``w (KH, KW, C_in, C_out)``, ``b (C_out,)``.

    Notes
    -----
    ``OH = (H + top + bottom - KH') // sh + 1`` (:func:`engine.shapes.output_hw`, ``KH' = dh (KH - 1) + 1``).
    An implicit tiled matrix product (see the module docstring); ``flip=True`` is the true convolution.
    """
    on_device = _a.any_device(x, w, b)
    xd, wd, bd = _a.to_device(x), _a.to_device(w), _a.to_device(b)
    k_eff = shapes.effective_kernel((wd.shape[0], wd.shape[1]), dilation)
    oh, ow = shapes.output_hw((xd.shape[1], xd.shape[2]), k_eff, stride, pads)
    n_img, c_out = xd.shape[0], wd.shape[3]
    y = _a.empty((n_img, oh, ow, c_out))  # (N, OH, OW, C_out)
    m_total = n_img * oh * ow
    t = _a.tile()
    if m_total > 0:
        grid = (math.ceil(c_out / t), math.ceil(m_total / t))
        conv_forward_kernel(t)[grid, (t, t)](
            xd, wd, bd, y, stride[0], stride[1], dilation[0], dilation[1], pads[0], pads[2], bool(flip)
        )
    return _a.finish(y, on_device)


def _weight_gradient(
    xd: Any, dyd: Any, shape: tuple[int, ...], stride: Any, pads: Any, flip: bool, dil: Any
) -> Any:
    """``dw`` of shape ``shape`` = ``P^T @ dY`` for the convolution of ``xd`` whose upstream gradient is
    ``dyd`` (split over chunks of positions that add their tiles atomically)."""
    kh, kw, c_in, c_out = shape
    n_img, oh, ow = dyd.shape[0], dyd.shape[1], dyd.shape[2]
    m_total = n_img * oh * ow
    k_total = kh * kw * c_in
    t = _a.tile()
    dw = _a.zeros(shape)
    if m_total > 0:
        other = math.ceil(c_out / t) * math.ceil(k_total / t)
        per, chunks = _a.chunk(m_total, t, other)
        grid = (math.ceil(c_out / t), math.ceil(k_total / t), chunks)
        conv_dw_kernel(t)[grid, (t, t)](
            xd, dyd, dw, stride[0], stride[1], dil[0], dil[1], pads[0], pads[2], bool(flip), per
        )
    return dw


def conv2d_backward(
    x: Any,
    w: Any,
    dy: Any,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    flip: bool,
    need_dx: bool,
    dilation: tuple[int, int] = (1, 1),
) -> tuple[Any, Any, Any]:
    """``(dx (N, H, W, C_in) | None, dw (KH, KW, C_in, C_out), db (C_out,))`` for upstream ``dy (N, OH, OW,
    C_out)``.

    ``dx`` is a gather over the windows reading each input cell; ``dw`` an implicit ``P^T @ dY`` split over
    chunks of positions; ``db`` a column sum of ``dy`` seen as ``(N * OH * OW, C_out)``.
    """
    on_device = _a.any_device(x, w, dy)
    xd, wd, dyd = _a.to_device(x), _a.to_device(w), _a.to_device(dy)
    c_out = wd.shape[3]
    m_total = dyd.shape[0] * dyd.shape[1] * dyd.shape[2]
    dw = _weight_gradient(xd, dyd, tuple(wd.shape), stride, pads, flip, dilation)
    db = column_sum(dyd.reshape(m_total, c_out))
    dx = None
    if need_dx:
        dx = _a.empty(xd.shape)
        _a.launch_1d(conv_dx_kernel, dx.size, wd, dyd, dx, *stride, *dilation, pads[0], pads[2], bool(flip))
        dx = _a.finish(dx, on_device)
    return dx, _a.finish(dw, on_device), _a.finish(db, on_device)


def conv2d_transpose(
    x: Any,
    w: Any,
    b: Any,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    out_hw: tuple[int, int],
    dilation: tuple[int, int] = (1, 1),
) -> Any:
    """The transposed convolution ``y (N, OH, OW, C_out)`` of ``x (N, H, W, C_in)`` by ``w (KH, KW, C_out,
    C_in)``, plus ``b (C_out,)``: the convolution backward's ``dx`` gather (:func:`conv_dx_kernel`) with
    ``x`` as the upstream gradient, then the bias."""
    on_device = _a.any_device(x, w, b)
    xd, wd, bd = _a.to_device(x), _a.to_device(w), _a.to_device(b)
    y = _a.empty((xd.shape[0], out_hw[0], out_hw[1], wd.shape[2]))  # (N, OH, OW, C_out)
    _a.launch_1d(conv_dx_kernel, y.size, wd, xd, y, *stride, *dilation, pads[0], pads[2], False)
    _a.launch_1d(add_channel_bias_kernel, y.size, y.reshape(y.size), bd)
    return _a.finish(y, on_device)


def conv2d_transpose_backward(
    x: Any,
    w: Any,
    dy: Any,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    need_dx: bool,
    dilation: tuple[int, int] = (1, 1),
) -> tuple[Any, Any, Any]:
    """``(dx (N, H, W, C_in) | None, dw (KH, KW, C_out, C_in), db (C_out,))`` for ``dy (N, OH, OW, C_out)``:
    ``dx`` is the convolution of ``dy`` by ``w`` (the forward kernel), ``dw`` that convolution's weight
    gradient with ``x`` as its upstream gradient, ``db`` a column sum of ``dy``."""
    on_device = _a.any_device(x, w, dy)
    xd, wd, dyd = _a.to_device(x), _a.to_device(w), _a.to_device(dy)
    c_out = wd.shape[2]
    dx = None
    if need_dx:
        dx = conv2d(dyd, wd, _a.zeros(wd.shape[3]), stride, pads, False, dilation)
        dx = _a.finish(dx, on_device)
    dw = _weight_gradient(dyd, xd, tuple(wd.shape), stride, pads, False, dilation)
    m_total = dyd.shape[0] * dyd.shape[1] * dyd.shape[2]
    db = column_sum(dyd.reshape(m_total, c_out))
    return dx, _a.finish(dw, on_device), _a.finish(db, on_device)
